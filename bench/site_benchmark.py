"""Benchmark the public pages against a bare Django view, served the same way.

    make bench                      # SQLite in a temporary folder
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/engage_bench make bench

Seeds the demo PCN plus 1,000 ideas and 10,000 comments in one consultation, serves the
site with gunicorn on 127.0.0.1, and measures p50/p95 latency and requests per second for
the home page, the idea list, an idea page and a search, for a visitor and for a signed-in
resident, beside a bare view. Also counts each page's SQL queries. Prints a table, writes
bench/results/site.json, and exits non-zero when a budget is broken:
visitor p50 within 10 x the bare view's, resident within 30 x, at most 15 queries a page.
Not part of the test suite: speed is measured here, never in a timed test.
"""

import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IDEAS, COMMENTS = 1_000, 10_000
REQUESTS, CONCURRENCY, WARMUP = int(os.environ.get("BENCH_REQUESTS", 300)), 4, 20
BUDGET_VISITOR, BUDGET_RESIDENT, BUDGET_QUERIES = 10, 30, 15


def environment(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL")
        or f"sqlite:///{workdir / 'bench.sqlite3'}",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        TASK_BACKEND="dummy",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def seed(env) -> dict:
    """Runs in a child process with Django set up; returns the URLs and a resident session."""
    script = r"""
import json, django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.db import connection
from django.test.utils import CaptureQueriesContext
from consultations.models import Comment, ConsultationPage, Idea, PostStatus
from tests.factories import HOSTILE

consultation = ConsultationPage.objects.open_now().first()
author = get_user_model().objects.get(email="resident@example.org")
neighbourhood = consultation.neighbourhoods.first()
if Idea.objects.filter(consultation=consultation).count() < %(ideas)d:
    words = ["evening", "weekend", "pharmacy", "parking", "phone", "online", "children", "bus"]
    Idea.objects.bulk_create(
        Idea(consultation=consultation, author=author, neighbourhood=neighbourhood,
             title=f"Idea {n}: more {words[n %% 8]} appointments",
             body=f"Please consider {words[n %% 8]} and {words[(n * 3) %% 8]} access. {HOSTILE}",
             status=PostStatus.PUBLISHED, support_count=n %% 50, comment_count=10)
        for n in range(%(ideas)d))
    ideas = list(Idea.objects.filter(consultation=consultation).order_by("pk")[:%(ideas)d])
    Comment.objects.bulk_create(
        Comment(idea=ideas[n %% len(ideas)], author=author, body=f"Comment {n}", status="published")
        for n in range(%(comments)d))
    from django.core.management import call_command
    call_command("update_index", verbosity=0)
idea = Idea.objects.filter(consultation=consultation).order_by("pk").first()
Idea.objects.filter(pk=idea.pk).update(comment_count=Comment.objects.filter(idea=idea).count())
base = consultation.url
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
print("BENCH-JSON" + json.dumps({"pages": pages, "session": session, "queries": queries}))
""" % {"ideas": IDEAS, "comments": COMMENTS}
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.split("BENCH-JSON", 1)[1])


def measure(port: int, path: str, cookie: str | None) -> dict:
    headers = {"Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    latencies: list[float] = []
    lock = threading.Lock()
    per_worker = REQUESTS // CONCURRENCY

    def worker(count):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
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
        connection.close()

    worker(WARMUP)
    latencies.clear()
    threads = [threading.Thread(target=worker, args=(per_worker,)) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "p50_ms": round(1000 * statistics.median(latencies), 2),
        "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 2),
        "rps": round(len(latencies) / wall, 1),
        "requests": len(latencies),
    }


def wait_until_serving(port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/bench/bare/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("gunicorn did not start serving in time")
        time.sleep(0.5)


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="engage-bench-"))
    env = environment(workdir)
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "seed_demo", "--allow-without-debug")
        data = seed(env)
        port = 8700 + secrets.randbelow(200)
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
        )
        wait_until_serving(port)
        bare = measure(port, "/bench/bare/", None)
        rows = [{"page": "bare Django view", "who": "-", **bare, "queries": 0}]
        failures = []
        for who, cookie, budget in (
            ("visitor", None, BUDGET_VISITOR),
            ("resident", data["session"], BUDGET_RESIDENT),
        ):
            for name, path in data["pages"].items():
                result = measure(port, path, cookie)
                queries = data["queries"][f"{who}:{name}"]
                ratio = result["p50_ms"] / bare["p50_ms"]
                rows.append(
                    {
                        "page": name,
                        "who": who,
                        **result,
                        "queries": queries,
                        "x_bare": round(ratio, 1),
                    }
                )
                if ratio > budget:
                    failures.append(f"{who} {name}: p50 {ratio:.1f} x bare (budget {budget} x)")
                if queries > BUDGET_QUERIES:
                    failures.append(f"{who} {name}: {queries} queries (budget {BUDGET_QUERIES})")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    database = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite"
    print(
        f"\n{IDEAS} ideas, {COMMENTS} comments, {database}, gunicorn 2 workers, {CONCURRENCY} clients\n"
    )
    print(
        f"{'page':<18}{'who':<10}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>8}{'x bare':>8}{'queries':>9}"
    )
    for row in rows:
        print(
            f"{row['page']:<18}{row['who']:<10}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['rps']:>8}"
            f"{row.get('x_bare', ''):>8}{row['queries']:>9}"
        )
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "site.json").write_text(
        json.dumps(
            {
                "database": database,
                "ideas": IDEAS,
                "comments": COMMENTS,
                "rows": rows,
                "failures": failures,
            },
            indent=2,
        )
    )
    for failure in failures:
        print("OVER BUDGET:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
