"""Benchmark the public pages against a bare Django view, served the same way.

    make bench                      # SQLite in a temporary folder
    BENCH_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/engage_bench make bench
    make bench-search               # search among 100,000 ideas (also with BENCH_DATABASE_URL)

`make bench` seeds the demo PCN plus 1,000 ideas and 10,000 comments in its open
consultation (bulk inserts, and the search index built with the backend's bulk indexing) and
serves it with gunicorn on 127.0.0.1 (2 workers, the project's gunicorn.conf.py). The floor
is a bare Django view (no apps, no middleware: bench/bare_settings.py) served by its own
gunicorn the same way, measured first in the same run. Then: an empty view through the
site's whole middleware stack; the home page, the idea list, an idea page and a search
(each search must find ideas) for a visitor from the page cache, for a visitor rendered
(a query parameter pages do not read bypasses the cache), and for a signed-in resident.
The load comes from wrk when it is installed (one connection, 5 s a row after 1 s of
warm-up; BENCH_SECONDS, BENCH_CONNECTIONS), else from a Python client in a process of its
own. After the run it reads each web worker's memory (RSS and PSS). It prints a table,
writes bench/results/site-<database>.json and the table the README quotes to
docs/benchmarks/site-<database>.md, and exits non-zero when a budget (issue #19) is
broken: the empty view within 1 ms p50 and 2 x the bare view, cached visitor pages within
1.5 ms, rendered visitor pages within 10 ms, residents' pages within 15 ms (each also as
a multiple of the bare view, as it was when the budgets were set: 0.51 ms), a worker within
120 MiB RSS, at most 15 queries a page.

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
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"  # every figure, as JSON (not kept in git)
FIGURES = ROOT / "docs" / "benchmarks"  # the tables the README quotes (kept in git)
# One client at a time (latency, not queueing), two workers, a second of warm-up a row.
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 1))
WORKERS = 2
WARMUP_SECONDS = 1
# Budgets (issue #19): the empty view through the whole middleware stack within 1 ms and
# twice the bare Django view; a visitor's page from the page cache within 1.5 ms, rendered
# within 10 ms; a resident's page within 15 ms; a web worker within 120 MiB after the run.
BUDGET_EMPTY_MS, BUDGET_EMPTY_X_BARE = 1.0, 2.0
BUDGET_CACHED_MS, BUDGET_RENDERED_MS, BUDGET_RESIDENT_MS = 1.5, 10, 15
BUDGET_WORKER_RSS_MIB = 120
BUDGET_QUERIES, BUDGET_SEARCH_P95_MS = 15, 300
# The budgets were set on a machine where the bare view took 0.51 ms. A machine can be twice
# as fast as another of the same kind, so each page's budget holds as a multiple of the bare
# view too (10 ms is 19.6 x bare): the stricter of the two is the one checked.
ISSUE_BARE_MS = 0.51
SERVER_START_SECONDS = 300
HOST = "127.0.0.1"  # the demo PCN's site
DEFAULT_IDEAS = 1_000


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
    Idea.objects.filter(consultation=consultation, status=PostStatus.PUBLISHED).order_by("pk")
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
        "search": base + "?q=evening+appointments",
    }
# A search that finds nothing times only the search: each must find ideas, for a visitor.
from urllib.parse import parse_qs, urlsplit
from django.contrib.auth.models import AnonymousUser
from consultations.selectors import idea_list
matches = {}
for name, url in pages.items():
    query = parse_qs(urlsplit(url).query)
    if "q" in query:
        matches[name] = idea_list(
            consultation=consultation, user=AnonymousUser(), query=query["q"][0]
        ).count()
        assert matches[name] > 0, f"{name} ({url}) finds no ideas"
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(author)
session = client.cookies["sessionid"].value
queries = {}
for who, c in (("visitor", Client(HTTP_HOST="127.0.0.1")), ("resident", client)):
    for name, url in pages.items():
        if who == "visitor":  # as the rendered rows time it (`rendered()`)
            url += ("&" if "?" in url else "?") + "bench=rendered"
        c.get(url)
        with CaptureQueriesContext(connection) as captured:
            status = c.get(url).status_code
        assert status == 200, (name, status)
        queries[f"{who}:{name}"] = len(captured)
visitor = Client(HTTP_HOST="127.0.0.1")
visitor.get("/bench/empty/")
with CaptureQueriesContext(connection) as captured:
    assert visitor.get("/bench/empty/").status_code == 200
queries["visitor:empty view"] = len(captured)
print("BENCH-JSON" + json.dumps(
    {"pages": pages, "session": session, "queries": queries, "matches": matches,
     "seeding": timings}
))
"""


def seed(env, *, ideas: int, comments: int, search_only: bool) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", SEED_SCRIPT, json.dumps([ideas, comments, search_only])],
        cwd=ROOT,
        # Queries are counted as the rows time them: each page rendered (a visitor's at the
        # address the page cache never keeps), a second time, with what the site keeps
        # between requests until its content changes (its chrome, its lists).
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.split("BENCH-JSON", 1)[1])


def _python_client(
    port: int, path: str, cookie: str | None, seconds: float, connections: int, host=HOST
):
    """The load of one row from this interpreter: run only in a process of its own
    (`--client`), when wrk is not installed, so it never shares the server's."""
    headers = {"Host": host}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while time.perf_counter() < deadline:
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

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()

    def percentile(share):
        return round(1e6 * latencies[int(share * (len(latencies) - 1))]) if latencies else 0

    return {
        "p50_us": percentile(0.5),
        "p95_us": percentile(0.95),
        "p99_us": percentile(0.99),
        "requests": len(latencies),
        "duration_us": round(wall * 1e6),
        "socket_errors": 0,
        "bad_status": len(errors),
        "error": errors[0] if errors else None,
    }


def load(port: int, path: str, cookie: str | None, seconds: float, host: str = HOST) -> dict:
    """`seconds` of requests to `path` from CONNECTIONS clients, with wrk when it is
    installed, else with a Python client in a process of its own."""
    if shutil.which("wrk"):
        command = [
            "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
            "-s", str(ROOT / "bench" / "wrk_report.lua"), "-H", f"Host: {host}",
        ]  # fmt: skip
        if cookie:
            command += ["-H", f"Cookie: sessionid={cookie}"]
        command.append(f"http://127.0.0.1:{port}{path}")
    else:
        command = [
            sys.executable, __file__, "--client",
            json.dumps([port, path, cookie, seconds, CONNECTIONS, host]),
        ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out.split("WRK-JSON", 1)[1].splitlines()[0])


def measure(port: int, path: str, cookie: str | None, seconds: float, host: str = HOST) -> dict:
    """Latency (p50, p95, p99) and throughput of one page (of the site at `host`), after a
    warm-up."""
    headers = {"Host": host} | ({"Cookie": f"sessionid={cookie}"} if cookie else {})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{host}{path} answered {response.status}")
    load(port, path, cookie, WARMUP_SECONDS, host)
    raw = load(port, path, cookie, seconds, host)
    if raw["socket_errors"] or raw["bad_status"] or not raw["requests"]:
        raise RuntimeError(f"{path}: {raw}")
    return {
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "requests": raw["requests"],
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(server: subprocess.Popen, port: int, path: str, log: Path) -> None:
    """Wait for gunicorn to answer `path`; a clear error if it dies or never does."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with code {server.returncode} before serving:\n"
                + log.read_text()[-3000:]
            )
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(
        f"gunicorn did not answer on 127.0.0.1:{port} within {SERVER_START_SECONDS} s:\n"
        + log.read_text()[-3000:]
    )


def start_server(env, workdir: Path, app: str, probe: str) -> tuple[subprocess.Popen, int]:
    """gunicorn serving `app`, with the project's gunicorn.conf.py, as in production."""
    port = free_port()
    log = workdir / f"gunicorn-{port}.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(WORKERS),
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
    wait_until_serving(server, port, probe, log)
    return server, port


def memory(server: subprocess.Popen) -> dict:
    """RSS and PSS (a shared page counted once across the processes sharing it) of the
    gunicorn master and of each worker, in MiB, from /proc (Linux only)."""

    def figures(pid: int) -> dict:
        wanted = {"Rss:": "rss_mib", "Pss:": "pss_mib"}
        found = {}
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                name, value, *_ = line.split()
                if name in wanted:
                    found[wanted[name]] = round(int(value) / 1024, 1)
        return found

    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        return {
            "master": figures(server.pid),
            "workers": [figures(int(pid)) for pid in children],
        }
    except OSError:  # not Linux: not measured
        return {}


def stop(server: subprocess.Popen | None) -> None:
    if server and server.poll() is None:
        server.terminate()
        server.wait(timeout=30)


def rendered(path: str) -> str:
    """The same page, rendered: a query parameter public pages do not read is never
    answered from (nor kept in) the page cache (home/page_cache.py)."""
    return path + ("&" if "?" in path else "?") + "bench=rendered"


def print_table(result: dict) -> str:
    memory_line = ""
    if result["memory"].get("workers"):
        workers = result["memory"]["workers"]
        memory_line = (
            "; worker memory after the run: RSS "
            + ", ".join(f"{w['rss_mib']}" for w in workers)
            + " MiB, PSS "
            + ", ".join(f"{w['pss_mib']}" for w in workers)
            + f" MiB (bare Django: RSS {result['bare_memory']['workers'][0]['rss_mib']} MiB)"
        )
    lines = [
        f"{result['ideas']} ideas, {result['comments']} comments, {result['database']}, "
        f"gunicorn {result['gunicorn_workers']} workers (gunicorn.conf.py), "
        f"{result['load_tool']} with {result['connections']} connection(s), "
        f"{result['seconds_per_row']} s a row, {result['cpus']} CPUs, "
        f"page cache: {result['page_cache']}, "
        f"load average {result['load_average']['before']} -> {result['load_average']['after']}"
        + memory_line,
        "",
        "| page | who | p50 ms | p95 ms | p99 ms | req/s | x bare p50 | queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['page']} | {row['who']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['p99_ms']} | {row['rps']} | {row.get('x_bare', '')} | {row['queries']} |"
        )
    lines += [
        "",
        f"Budgets: p50 in ms, and the same as a multiple of the bare view as measured when they "
        f"were set ({ISSUE_BARE_MS} ms), whichever is stricter on this machine.",
    ]
    if result["failures"]:
        lines.append("")
    lines += [f"- over budget: {failure}" for failure in result["failures"]]
    table = "\n".join(lines) + "\n"
    print("\n" + table)
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--search", action="store_true", help="100,000 ideas; searches only")
    parser.add_argument("--ideas", type=int)
    parser.add_argument("--comments", type=int)
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 5)))
    parser.add_argument("--client", help=argparse.SUPPRESS)  # the Python load client
    args = parser.parse_args()
    if args.client:
        print("WRK-JSON" + json.dumps(_python_client(*json.loads(args.client))))
        return 0
    ideas = args.ideas or (100_000 if args.search else DEFAULT_IDEAS)
    comments = args.comments if args.comments is not None else (0 if args.search else 10_000)

    database_url = os.environ.get("BENCH_DATABASE_URL")
    database = "PostgreSQL" if database_url else "SQLite"
    workdir = Path(tempfile.mkdtemp(prefix="engage-bench-"))
    cache = page_cache_settings(args.search)
    cached = cache["page_cache"] != "off"
    env = environment(workdir, cache)
    server = bare_server = None
    rows, failures = [], []
    site_memory, bare_memory = {}, {}
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

        # The floor: a bare Django view in a site of its own, served the same way.
        bare_server, bare_port = start_server(
            env | {"DJANGO_SETTINGS_MODULE": "bench.bare_settings"}, workdir,
            "bench.bare_wsgi:application", "/",
        )  # fmt: skip
        bare = measure(bare_port, "/", None, args.seconds)
        bare_memory = memory(bare_server)
        stop(bare_server)
        rows.append({"page": "bare Django view, own process", "who": "-", **bare, "queries": 0})

        def row(page, who, path, cookie, queries, budget_ms=None, budget_x=None):
            measured = measure(port, path, cookie, args.seconds)
            ratio = measured["p50_ms"] / bare["p50_ms"]
            rows.append(
                {"page": page, "who": who, "path": path, **measured, "queries": queries,
                 "x_bare": round(ratio, 1)}
            )  # fmt: skip
            if budget_ms is not None and measured["p50_ms"] > budget_ms:
                failures.append(f"{who} {page}: p50 {measured['p50_ms']} ms (budget {budget_ms})")
            elif budget_ms is not None and ratio > budget_ms / ISSUE_BARE_MS:
                failures.append(
                    f"{who} {page}: p50 {ratio:.1f} x bare (budget {budget_ms} ms at a bare "
                    f"{ISSUE_BARE_MS} ms: {budget_ms / ISSUE_BARE_MS:.1f} x)"
                )
            if budget_x is not None and ratio > budget_x:
                failures.append(f"{who} {page}: p50 {ratio:.1f} x bare (budget {budget_x} x)")
            if args.search and measured["p95_ms"] > BUDGET_SEARCH_P95_MS:
                failures.append(
                    f"{who} {page}: p95 {measured['p95_ms']} ms (budget {BUDGET_SEARCH_P95_MS})"
                )
            if queries > BUDGET_QUERIES:
                failures.append(f"{who} {page}: {queries} queries (budget {BUDGET_QUERIES})")

        server, port = start_server(env, workdir, "engage.wsgi", "/bench/empty/")
        row(
            "empty view, full stack", "visitor", "/bench/empty/", None,
            data["queries"]["visitor:empty view"], BUDGET_EMPTY_MS, BUDGET_EMPTY_X_BARE,
        )  # fmt: skip
        pages = data["pages"]
        if cached:
            for name, path in pages.items():
                row(f"{name}, from the page cache", "visitor", path, None, 0, BUDGET_CACHED_MS)
        for name, path in pages.items():
            budget = None if args.search else BUDGET_RENDERED_MS
            queries = data["queries"][f"visitor:{name}"]
            row(f"{name}, rendered", "visitor", rendered(path), None, queries, budget)
        for name, path in pages.items():
            budget = None if args.search else BUDGET_RESIDENT_MS
            queries = data["queries"][f"resident:{name}"]
            row(name, "resident", path, data["session"], queries, budget)
        site_memory = memory(server)
        for number, worker in enumerate(site_memory.get("workers", []), 1):
            if worker["rss_mib"] > BUDGET_WORKER_RSS_MIB:
                failures.append(
                    f"web worker {number}: RSS {worker['rss_mib']} MiB after the run "
                    f"(budget {BUDGET_WORKER_RSS_MIB})"
                )
    finally:
        stop(bare_server)
        stop(server)
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
        "load_tool": "wrk" if shutil.which("wrk") else "a Python client in its own process",
        "connections": CONNECTIONS,
        "seconds_per_row": args.seconds,
        "gunicorn_workers": WORKERS,
        "page_cache": cache["page_cache"],
        "page_cache_seconds": int(cache["ENGAGE_PAGE_CACHE_SECONDS"]),
        "cpus": os.cpu_count(),
        "load_average": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "machine": platform.machine(),
        "python": platform.python_version(),
        "seeding": data["seeding"],
        "search_matches": data["matches"],
        "memory": site_memory,
        "bare_memory": bare_memory,
        "budgets": {
            "empty_view_p50_ms": BUDGET_EMPTY_MS,
            "empty_view_x_bare_p50": BUDGET_EMPTY_X_BARE,
            "cached_p50_ms": BUDGET_CACHED_MS,
            "rendered_visitor_p50_ms": BUDGET_RENDERED_MS,
            "resident_p50_ms": BUDGET_RESIDENT_MS,
            "worker_rss_mib": BUDGET_WORKER_RSS_MIB,
            "queries": BUDGET_QUERIES,
            "search_p95_ms": BUDGET_SEARCH_P95_MS,
            "as_multiples_of_a_bare_view_of_ms": ISSUE_BARE_MS,
        },
        "rows": rows,
        "failures": failures,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"{result['benchmark']}-{database.lower()}"
    if not args.search and ideas != DEFAULT_IDEAS:  # `make bench BENCH_ARGS="--ideas 10000"`
        name += f"-{ideas}-ideas"
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    table = print_table(result)
    FIGURES.mkdir(parents=True, exist_ok=True)
    (FIGURES / f"{name}.md").write_text(
        f"`make {'bench-search' if args.search else 'bench'}`, {result['date']}\n\n{table}"
    )
    print(f"written to {(RESULTS / name).relative_to(ROOT)}.json and "
          f"{(FIGURES / name).relative_to(ROOT)}.md")  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
