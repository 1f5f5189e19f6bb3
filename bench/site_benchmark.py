"""Benchmark the public pages against a bare Django view, served the same way.

    make bench                      # SQLite in a temporary folder
    BENCH_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/engage_bench make bench
    make bench-search               # search among 100,000 ideas (also with BENCH_DATABASE_URL)

`make bench` seeds the demo PCN plus 1,000 ideas and 10,000 comments in its open
consultation (bulk inserts, and the search index built with the backend's bulk indexing),
serves the site with gunicorn on 127.0.0.1, and measures p50/p95 latency and requests per
second of the home page, the idea list, an idea page and a search, for a visitor and for a
signed-in resident, beside a bare Django view in the same run. It also counts each page's
SQL queries. It prints a table, writes bench/results/site-<database>.json, and exits
non-zero when a budget is broken: visitor p50 within 10 x the bare view's, resident within
30 x, at most 15 queries a page.

`make bench-search` (`--search`) seeds 100,000 ideas instead and measures searches of the
idea list: the budget is a p95 under 300 ms. Results go to bench/results/search-<database>.json.

The PostgreSQL database named in BENCH_DATABASE_URL is dropped and created afresh.
Not part of the test suite: speed is measured here, never in a timed test.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CONCURRENCY, WARMUP = 4, 20
BUDGET_VISITOR, BUDGET_RESIDENT, BUDGET_QUERIES, BUDGET_SEARCH_P95_MS = 10, 30, 15, 300
SERVER_START_SECONDS = 300


def page_cache_settings(search_only: bool) -> dict:
    """How visitors' pages are cached in this run, as in production: whole pages kept in
    Redis (BENCH_CACHE_URL, by default database 15 of a local Redis, emptied first) when
    one answers, else in each worker's own memory (the same for a read-only run). Searches
    are measured rendered: a search benchmark served from the page cache would time the
    cache, not the search."""
    seconds = os.environ.get("BENCH_PAGE_CACHE_SECONDS", "0" if search_only else "60")
    url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")
    settings = {"ENGAGE_PAGE_CACHE_SECONDS": seconds}
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except Exception:  # no Redis here: the local-memory cache
        return settings | {"page_cache": "off" if seconds == "0" else "local memory"}
    return settings | {"CACHE_URL": url, "page_cache": "off" if seconds == "0" else "Redis"}


def environment(workdir: Path, cache: dict) -> dict:
    env = dict(os.environ)
    env.update({key: value for key, value in cache.items() if key != "page_cache"})
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL")
        or f"sqlite:///{workdir / 'bench.sqlite3'}",
        DATABASE_CONN_MAX_AGE=os.environ.get("BENCH_CONN_MAX_AGE", "60"),
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        TASK_BACKEND="dummy",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONPATH=str(ROOT),
    )
    return env


def fresh_postgres_database(url: str) -> None:
    """Drop and create the benchmark's PostgreSQL database."""
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not name.startswith("engage_bench"):
        sys.exit(f"BENCH_DATABASE_URL must name a database engage_bench..., not {name!r}")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


# Runs in a child process with Django set up: seeds the ideas and comments, builds their
# search index, counts each page's queries and prints the URLs and a resident's session.
SEED_SCRIPT = r"""
import json, sys, time, django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend
from bench.cluster_benchmark import generate_ideas
from consultations.models import Comment, ConsultationPage, Idea, PostStatus

ideas_wanted, comments_wanted, search_only = json.loads(sys.argv[1])
timings = {}
consultation = ConsultationPage.objects.open_now().first()
User = get_user_model()
author = User.objects.get(email="resident@example.org")
# Many residents take part; the one signed in wrote one idea in a thousand (some of them
# pending or hidden, which only they see), as a real resident might.
others = User.objects.bulk_create(
    User(username=f"bench-{n}", email=f"bench-{n}@example.org", display_name=f"Resident {n}")
    for n in range(500)
)
neighbourhoods = list(consultation.neighbourhoods.all())
start = time.perf_counter()
documents, _ = generate_ideas(ideas_wanted, seed=2024)
Idea.objects.bulk_create(
    (
        Idea(
            consultation=consultation,
            author=author if number % 1000 in (0, 7) else others[number % len(others)],
            neighbourhood=neighbourhoods[number % len(neighbourhoods)],
            title=text.split("\n", 1)[0][:120],
            body=text.split("\n", 1)[1],
            status=PostStatus.PUBLISHED if number % 20 else PostStatus.HIDDEN,
            support_count=number % 50,
            comment_count=0,
        )
        for number, (_, text) in enumerate(documents)
    ),
    batch_size=2000,
)
timings["ideas_seconds"] = round(time.perf_counter() - start, 1)
ideas = list(
    Idea.objects.filter(consultation=consultation, status=PostStatus.PUBLISHED).order_by("pk")[:1000]
)
start = time.perf_counter()
Comment.objects.bulk_create(
    (
        Comment(idea=ideas[n % len(ideas)], author=others[n % len(others)],
                body=f"Comment {n}: I agree.",
                status=PostStatus.PUBLISHED)
        for n in range(comments_wanted)
    ),
    batch_size=2000,
)
Idea.objects.filter(pk__in=[idea.pk for idea in ideas[:comments_wanted]]).update(
    comment_count=comments_wanted // len(ideas)
)
timings["comments_seconds"] = round(time.perf_counter() - start, 1)
start = time.perf_counter()
index = get_search_backend().get_index_for_model(Idea)
queryset = Idea.objects.filter(consultation=consultation).order_by("pk")
last = 0
while True:
    chunk = list(queryset.filter(pk__gt=last)[:5000])
    if not chunk:
        break
    index.add_items(Idea, chunk)
    last = chunk[-1].pk
timings["index_seconds"] = round(time.perf_counter() - start, 1)
# Planner statistics after a bulk load. Without them SQLite walks every search index entry
# and runs the full-text match once for each (minutes at 100,000 ideas) instead of
# starting from the match. On PostgreSQL, VACUUM as well: autovacuum does so within minutes
# of a bulk load, and until it has, counting a search's matches cannot read the ideas'
# ids from an index alone (the site is measured as it runs, not in the minute after).
start = time.perf_counter()
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
timings["analyze_seconds"] = round(time.perf_counter() - start, 1)

idea = ideas[0]
base = consultation.url
if search_only:
    pages = {
        "search, one word": base + "?q=pharmacy",
        "search, two words": base + "?q=weekend+appointments",
        "search, rare word": base + "?q=befriending",
        "search, sorted": base + "?q=parking&sort=supported",
    }
else:
    pages = {
        "home": "/",
        "idea list": base,
        "idea page": base + consultation.reverse_subpage("idea-detail", args=[idea.pk]),
        "search": base + "?q=weekend+pharmacy",
    }
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(author)
session = client.cookies["sessionid"].value
queries = {}
for who, c in (("visitor", Client(HTTP_HOST="127.0.0.1")), ("resident", client)):
    for name, url in pages.items():
        c.get(url)
        with CaptureQueriesContext(connection) as captured:
            status = c.get(url).status_code
        assert status == 200, (name, status)
        queries[f"{who}:{name}"] = len(captured)
print("BENCH-JSON" + json.dumps(
    {"pages": pages, "session": session, "queries": queries, "seeding": timings}
))
"""


def seed(env, *, ideas: int, comments: int, search_only: bool) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", SEED_SCRIPT, json.dumps([ideas, comments, search_only])],
        cwd=ROOT,
        # Queries are counted rendering each page, not reading it back from the page cache.
        env=env | {"ENGAGE_PAGE_CACHE_SECONDS": "0"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.split("BENCH-JSON", 1)[1])


def measure(port: int, path: str, cookie: str | None, requests: int) -> dict:
    headers = {"Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(count):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            for _ in range(count):
                start = time.perf_counter()
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                elapsed = time.perf_counter() - start
                if response.status != 200:
                    raise RuntimeError(f"{path} answered {response.status}")
                with lock:
                    latencies.append(elapsed)
        except Exception as error:  # reported after the threads finish
            errors.append(str(error))
        finally:
            connection.close()

    worker(WARMUP)
    latencies.clear()
    threads = [
        threading.Thread(target=worker, args=(requests // CONCURRENCY,)) for _ in range(CONCURRENCY)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{path}: {errors[0]}")
    latencies.sort()
    return {
        "p50_ms": round(1000 * statistics.median(latencies), 2),
        "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 2),
        "rps": round(len(latencies) / wall, 1),
        "requests": len(latencies),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(server: subprocess.Popen, port: int, log: Path) -> None:
    """Wait for gunicorn to answer the bare view; a clear error if it dies or never does."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with code {server.returncode} before serving:\n"
                + log.read_text()[-3000:]
            )
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/bench/bare/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(
        f"gunicorn did not answer on 127.0.0.1:{port} within {SERVER_START_SECONDS} s:\n"
        + log.read_text()[-3000:]
    )


def start_server(env, workdir: Path) -> tuple[subprocess.Popen, int, Path]:
    port = free_port()
    log = workdir / "gunicorn.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "engage.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    wait_until_serving(server, port, log)
    return server, port, log


def print_table(result: dict) -> None:
    print(
        f"\n{result['ideas']} ideas, {result['comments']} comments, {result['database']}, "
        f"gunicorn 2 workers, {CONCURRENCY} clients, {result['cpus']} CPUs, "
        f"visitors' page cache: {result['page_cache']}, "
        f"load {result['load_average']['before']} -> {result['load_average']['after']}\n"
    )
    print(
        f"{'page':<20}{'who':<10}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>8}{'x bare':>8}{'queries':>9}"
    )
    for row in result["rows"]:
        print(
            f"{row['page']:<20}{row['who']:<10}{row['p50_ms']:>9}{row['p95_ms']:>9}"
            f"{row['rps']:>8}{row.get('x_bare', ''):>8}{row['queries']:>9}"
        )
    for failure in result["failures"]:
        print("OVER BUDGET:", failure)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--search", action="store_true", help="100,000 ideas; searches only")
    parser.add_argument("--ideas", type=int)
    parser.add_argument("--comments", type=int)
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", 300)))
    args = parser.parse_args()
    ideas = args.ideas or (100_000 if args.search else 1_000)
    comments = args.comments if args.comments is not None else (0 if args.search else 10_000)

    database_url = os.environ.get("BENCH_DATABASE_URL")
    database = "PostgreSQL" if database_url else "SQLite"
    workdir = Path(tempfile.mkdtemp(prefix="engage-bench-"))
    cache = page_cache_settings(args.search)
    env = environment(workdir, cache)
    server = None
    rows, failures = [], []
    load_before = os.getloadavg()[0]
    try:
        if database_url:
            fresh_postgres_database(database_url)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "seed_demo", "--allow-without-debug")
        started = time.perf_counter()
        data = seed(env, ideas=ideas, comments=comments, search_only=args.search)
        print(f"seeded in {time.perf_counter() - started:.0f} s: {data['seeding']}")
        server, port, _ = start_server(env, workdir)
        bare = measure(port, "/bench/bare/", None, args.requests)
        rows.append({"page": "bare Django view", "who": "-", **bare, "queries": 0})
        for who, cookie, budget in (
            ("visitor", None, BUDGET_VISITOR),
            ("resident", data["session"], BUDGET_RESIDENT),
        ):
            for name, path in data["pages"].items():
                measured = measure(port, path, cookie, args.requests)
                queries = data["queries"][f"{who}:{name}"]
                ratio = measured["p50_ms"] / bare["p50_ms"]
                rows.append(
                    {
                        "page": name,
                        "who": who,
                        "path": path,
                        **measured,
                        "queries": queries,
                        "x_bare": round(ratio, 1),
                    }
                )
                if args.search:
                    if measured["p95_ms"] > BUDGET_SEARCH_P95_MS:
                        failures.append(
                            f"{who} {name}: p95 {measured['p95_ms']} ms "
                            f"(budget {BUDGET_SEARCH_P95_MS} ms)"
                        )
                elif ratio > budget:
                    failures.append(f"{who} {name}: p50 {ratio:.1f} x bare (budget {budget} x)")
                if queries > BUDGET_QUERIES:
                    failures.append(f"{who} {name}: {queries} queries (budget {BUDGET_QUERIES})")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        if os.environ.get("BENCH_KEEP"):  # to look at the seeded database afterwards
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    result = {
        "benchmark": "search" if args.search else "site",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": database,
        "ideas": ideas,
        "comments": comments,
        "requests_per_row": args.requests,
        "concurrency": CONCURRENCY,
        "gunicorn_workers": 2,
        "page_cache": cache["page_cache"],
        "page_cache_seconds": int(cache["ENGAGE_PAGE_CACHE_SECONDS"]),
        "cpus": os.cpu_count(),
        "load_average": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "machine": platform.machine(),
        "python": platform.python_version(),
        "seeding": data["seeding"],
        "budgets": {
            "visitor_x_bare_p50": BUDGET_VISITOR,
            "resident_x_bare_p50": BUDGET_RESIDENT,
            "queries": BUDGET_QUERIES,
            "search_p95_ms": BUDGET_SEARCH_P95_MS,
        },
        "rows": rows,
        "failures": failures,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{result['benchmark']}-{database.lower()}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print_table(result)
    print(f"written to {path.relative_to(ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
