"""Benchmark the levels above a PCN: Place and ICS vision pages, their leads' screens and the
open data API's lists, against a bare Django view served the same way.

    make bench-levels                 # SQLite, at the demo's scale (make run's data)
    BENCH_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/engage_bench_levels \\
        BENCH_LEVELS_ARGS="--places 5 --pcns 50 --ideas-per-pcn 2000" make bench-levels

Without `--pcns`, the data is the demo's (`seed_demo`: one ICS, two Places, four PCNs). With
it, `make_synthetic_data` builds one ICS of that many Places and PCNs. Every Place and ICS
without a vision then gets one (three priorities citing all its PCNs' public themes, or all
its Places' priorities, and an update acting on the first), served at a host name of its own.

Served by gunicorn (2 workers, gunicorn.conf.py) as in production, with the page cache and
the API's cache on (in Redis when one answers, as `make bench`): a visitor's Place and ICS
vision pages, from the page cache and rendered (a query parameter pages do not read; the
figures are then those kept until their sites' content changes, `content_memo`); a Place
lead's and an ICS lead's charts and "who took part" screens (signed in, with an
authenticator app, as the site requires); and every list of the open data API, from its
cache. Then a second server with the API's cache off serves every list worked out afresh.
The floor is a bare Django view (bench/bare_settings.py) served the same way in the same run
(`bench/site_benchmark.py`'s servers and load tool).

Budgets (issue #14): at most 15 queries each, the same at any scale (tests prove that at two
sizes); a visitor's page within 30 x the bare view's p50 (the API's lists as a visitor gets
them, from its cache); each API list's p95 within 100 ms worked out afresh.
Results go to bench/results/levels-<database>.json and docs/benchmarks/levels-<database>.md.
Not part of the test suite: speed is measured here, never in a timed test.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import site_benchmark as site  # noqa: E402

BUDGET_QUERIES = 15
BUDGET_VISITOR_X_BARE = 30
BUDGET_API_P95_MS = 100.0
HOST_SUFFIX = "levels.localhost"

# Runs in a child process with Django set up: gives every Place and ICS a vision, signs in
# a lead of each, counts each address's queries and prints the addresses and sessions.
SEED_SCRIPT = r"""
import json, sys, time, django
django.setup()
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from tests.api.test_query_counts import LISTS
from consultations.models import (
    ConsultationPage, IcsPriority, IcsPriorityLink, IcsUpdateAction, IcsUpdatePage,
    IcsVisionPage, PlacePriority, PlacePriorityLink, PlaceUpdateAction, PlaceUpdatePage,
    PlaceVisionPage, Theme,
)
from consultations.services.places import place_site_setup
from consultations.services.systems import ics_site_setup
from home.boundary import in_place
from home.models import IntegratedCareSystem, Place

suffix = sys.argv[1]
TITLES = ["Care closer to home", "Help for people who care for someone", "Healthy places"]


def publish(page):
    page.save_revision().publish()


def place_vision(number, place):
    vision = PlaceVisionPage.objects.filter(place=place).first()
    if vision is not None:
        return vision
    vision = place_site_setup(place=place, hostname=f"place{number}.{suffix}")
    vision.title = f"{place.name}: our shared vision"
    publish(vision)
    priorities = PlacePriority.objects.bulk_create(
        PlacePriority(page=vision, title=title, description="What residents asked for.",
                      sort_order=n)
        for n, title in enumerate(TITLES)
    )
    themes = in_place(Theme.objects.filter(
        consultation__in=ConsultationPage.objects.live().public()), place)
    PlacePriorityLink.objects.bulk_create(
        PlacePriorityLink(priority=priorities[n % len(priorities)], theme=theme)
        for n, theme in enumerate(themes.order_by("pk"))
    )
    update = PlaceUpdatePage(title=f"{place.name} acts on care closer to home",
                             summary="<p>Hubs in every neighbourhood.</p>")
    update.priorities = [priorities[0]]
    update.actions = [PlaceUpdateAction(description="Open the hubs", status="in_progress")]
    vision.add_child(instance=update)
    publish(update)
    return vision


def ics_vision(number, ics):
    vision = IcsVisionPage.objects.filter(ics=ics).first()
    if vision is not None:
        return vision
    vision = ics_site_setup(ics=ics, hostname=f"ics{number}.{suffix}")
    vision.title = f"{ics.name}: our shared vision"
    publish(vision)
    priorities = IcsPriority.objects.bulk_create(
        IcsPriority(page=vision, title=title, description="What the Places agreed.",
                    sort_order=n)
        for n, title in enumerate(TITLES)
    )
    IcsPriorityLink.objects.bulk_create(
        IcsPriorityLink(priority=priorities[n % len(priorities)], place_priority=priority)
        for n, priority in enumerate(
            PlacePriority.objects.filter(page__place__integrated_care_system=ics).order_by("pk"))
    )
    update = IcsUpdatePage(title=f"{ics.name} acts on care closer to home",
                           summary="<p>Hubs in every Place.</p>")
    update.priorities = [priorities[0]]
    update.actions = [IcsUpdateAction(description="Fund the hubs", status="planned")]
    vision.add_child(instance=update)
    publish(update)
    return vision


places = [place_vision(n, place) for n, place in enumerate(
    Place.objects.filter(pcns__isnull=False).distinct().order_by("pk"), 1)]
systems = [ics_vision(n, ics) for n, ics in enumerate(
    IntegratedCareSystem.objects.filter(places__pcns__isnull=False).distinct().order_by("pk"), 1)]
# The largest Place and the largest ICS: the pages whose work grows with the data.
place = max(places, key=lambda page: page.place.pcns.count())
system = max(systems, key=lambda page: Place.objects.filter(
    integrated_care_system=page.ics).count())

User = get_user_model()


def lead(name, group):
    user, made = User.objects.get_or_create(
        username=name, defaults={"email": f"{name}@example.org", "display_name": name})
    user.groups.add(group)
    if made:
        TOTP.activate(user, generate_totp_secret())
        RecoveryCodes.activate(user)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client.cookies["sessionid"].value


sessions = {"place lead": lead("bench-place-lead", place.place.lead_group),
            "ICS lead": lead("bench-ics-lead", system.ics.lead_group)}


def address(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a screen this version does not have
        return None


RENDERED = "/?bench=rendered"  # a parameter pages do not read: never from the page cache
rows = [
    ("Place vision page, from the page cache", "visitor", place.get_site().hostname, "/"),
    ("Place vision page, rendered", "visitor", place.get_site().hostname, RENDERED),
    ("ICS vision page, from the page cache", "visitor", system.get_site().hostname, "/"),
    ("ICS vision page, rendered", "visitor", system.get_site().hostname, RENDERED),
    ("Place charts", "place lead", "127.0.0.1", address("charts:place", place.place_id)),
    ("Place: who took part", "place lead", "127.0.0.1",
     address("place_vision:who_took_part", place.place_id)),
    ("ICS charts", "ICS lead", "127.0.0.1", address("charts:ics", system.ics_id)),
    ("ICS: who took part", "ICS lead", "127.0.0.1",
     address("ics_vision:who_took_part", system.ics_id)),
]
# Every list the API tests count, which cover every list of the API (tests/api).
rows += [(f"API: {address}", "visitor", "127.0.0.1", f"/api/v1/{address}") for address in LISTS]
rows += [(f"API: {address}, worked out", "visitor", "127.0.0.1", f"/api/v1/{address}")
         for address in LISTS]
rows = [row for row in rows if row[3] is not None]
measured = []
for page, who, host, path in rows:
    client = Client(HTTP_HOST=host)
    if who != "visitor":
        client.cookies["sessionid"] = sessions[who]
    uncached = page.endswith("worked out")
    with override_settings(**({"ENGAGE_API_CACHE_SECONDS": 0} if uncached else {})):
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
    assert status == 200, (page, host, path, status)
    measured.append({"page": page, "who": who, "host": host, "path": path,
                     "queries": len(captured), "api_cache": "off" if uncached else "on"})
# The leads' screens show figures worked out ahead (`consultations.snapshots`, fresh for the
# run), so their rows measure reading them; how long the task takes to work each out (what
# the screen itself did before) is timed here once and reported below the table.
worked_out = {}
try:
    from consultations.snapshots import DEFAULT_PERIOD, charts_parameters, snapshot_refresh
except ImportError:  # a version without stored figures
    snapshot_refresh = None
if snapshot_refresh is not None:
    for screen, kind, organisation_id, parameters in [
        ("Place charts", "place_charts", place.place_id, charts_parameters(12)),
        ("Place: who took part", "place_who_took_part", place.place_id, DEFAULT_PERIOD),
        ("ICS charts", "ics_charts", system.ics_id, charts_parameters(12)),
        ("ICS: who took part", "ics_who_took_part", system.ics_id, DEFAULT_PERIOD),
    ]:
        started = time.perf_counter()
        snapshot_refresh(kind=kind, organisation_id=organisation_id, parameters=parameters)
        worked_out[screen] = round(time.perf_counter() - started, 3)
print("BENCH-JSON" + json.dumps({"rows": measured, "sessions": sessions,
                                 "worked_out_seconds": worked_out,
                                 "place": str(place.place), "ics": str(system.ics),
                                 "place_pcns": place.place.pcns.count(),
                                 "ics_places": len(places)}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=5)
    parser.add_argument("--pcns", type=int, help="build synthetic data of this many PCNs")
    parser.add_argument("--ideas-per-pcn", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 5)))
    args = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL")
    database = "PostgreSQL" if database_url else "SQLite"
    workdir = Path(tempfile.mkdtemp(prefix="engage-bench-levels-"))
    cache = site.page_cache_settings(search_only=False)
    env = site.environment(workdir, cache) | {
        "ENGAGE_API_RATE": "1000000/minute",
        "ALLOWED_HOSTS": f"127.0.0.1,localhost,.{HOST_SUFFIX},.localhost",
    }
    server = bare_server = None
    rows, failures = [], []
    load_before = os.getloadavg()[0]
    try:
        if database_url:
            site.fresh_postgres_database(database_url)
        site.manage(env, "migrate", "--noinput", "-v0")
        site.manage(env, "collectstatic", "--noinput", "-v0")
        started = time.perf_counter()
        if args.pcns:
            site.manage(
                env, "make_synthetic_data", "--allow-without-debug", "--systems", "1",
                "--places", str(args.places),
                "--pcns", str(args.pcns), "--ideas-per-pcn", str(args.ideas_per_pcn),
            )  # fmt: skip
            scale = f"synthetic: 1 ICS, {args.places} Places, {args.pcns} PCNs, "
            scale += f"{args.ideas_per_pcn:,} ideas a PCN"
        else:
            site.manage(env, "seed_demo", "--allow-without-debug")
            scale = "the demo (make run's data)"
        seeded = subprocess.run(
            [sys.executable, "-c", SEED_SCRIPT, HOST_SUFFIX],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        if seeded.returncode:
            sys.exit(f"giving the Places and ICSs their visions failed:\n{seeded.stderr[-3000:]}")
        data = json.loads(seeded.stdout.split("BENCH-JSON", 1)[1])
        seconds_to_build = round(time.perf_counter() - started)
        print(f"built in {seconds_to_build} s: {scale}")

        bare_server, bare_port = site.start_server(
            env | {"DJANGO_SETTINGS_MODULE": "bench.bare_settings"}, workdir,
            "bench.bare_wsgi:application", "/",
        )  # fmt: skip
        bare = site.measure(bare_port, "/", None, args.seconds)
        site.stop(bare_server)
        rows.append({"page": "bare Django view, own process", "who": "-", **bare, "queries": 0})

        server, port = site.start_server(env, workdir, "engage.wsgi", "/api/v1/docs/")
        api_cache = "on"
        for entry in sorted(data["rows"], key=lambda entry: entry["api_cache"] == "off"):
            if entry["api_cache"] != api_cache:  # the API's lists worked out afresh
                site.stop(server)
                server, port = site.start_server(
                    env | {"ENGAGE_API_CACHE_SECONDS": "0"}, workdir, "engage.wsgi", "/api/v1/docs/"
                )
                api_cache = entry["api_cache"]
            cookie = data["sessions"].get(entry["who"])
            measured = site.measure(port, entry["path"], cookie, args.seconds, entry["host"])
            ratio = round(measured["p50_ms"] / bare["p50_ms"], 1)
            rows.append({**entry, **measured, "x_bare": ratio})
            name = f"{entry['who']} {entry['page']}"
            if entry["queries"] > BUDGET_QUERIES:
                failures.append(f"{name}: {entry['queries']} queries (budget {BUDGET_QUERIES})")
            worked_out = entry["api_cache"] == "off"
            if entry["who"] == "visitor" and not worked_out and ratio > BUDGET_VISITOR_X_BARE:
                failures.append(f"{name}: p50 {ratio} x bare (budget {BUDGET_VISITOR_X_BARE} x)")
            if worked_out and measured["p95_ms"] > BUDGET_API_P95_MS:
                failures.append(
                    f"{name}: p95 {measured['p95_ms']} ms (budget {BUDGET_API_P95_MS} ms)"
                )
    finally:
        site.stop(bare_server)
        site.stop(server)
        shutil.rmtree(workdir, ignore_errors=True)

    result = {
        "benchmark": "levels",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": database,
        "scale": scale,
        "largest_place": f"{data['place']} ({data['place_pcns']} PCNs)",
        "ics": f"{data['ics']} ({data['ics_places']} Places)",
        "seconds_to_build": seconds_to_build,
        "page_cache": cache["page_cache"],
        "load_tool": "wrk" if shutil.which("wrk") else "a Python client in its own process",
        "seconds_per_row": args.seconds,
        "cpus": os.cpu_count(),
        "load_average": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "python": platform.python_version(),
        "budgets": {
            "queries": BUDGET_QUERIES,
            "visitor_x_bare_p50": BUDGET_VISITOR_X_BARE,
            "api_p95_ms": BUDGET_API_P95_MS,
        },
        "rows": rows,
        "worked_out_seconds": data.get("worked_out_seconds", {}),
        "failures": failures,
    }
    lines = [
        f"{database}, {scale}; the largest Place: {result['largest_place']}; "
        f"{result['ics']}; page cache: {cache['page_cache']}, API cache on but where "
        f"a row says worked out; {result['load_tool']}, "
        f"{args.seconds} s a row, {result['cpus']} CPUs, load average "
        f"{result['load_average']['before']} -> {result['load_average']['after']}",
        "",
        "| page | who | p50 ms | p95 ms | x bare p50 | queries |",
        "|---|---|---:|---:|---:|---:|",
        *(
            f"| {row['page']} | {row['who']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row.get('x_bare', '')} | {row['queries']} |"
            for row in rows
        ),
    ]
    if result["worked_out_seconds"]:
        lines += [
            "",
            "Leads' screens' figures worked out ahead by the task (once each, in one process): "
            + ", ".join(f"{page} {sec} s" for page, sec in result["worked_out_seconds"].items()),
        ]
    lines += ([""] if failures else []) + [f"- over budget: {failure}" for failure in failures]
    table = "\n".join(lines) + "\n"
    print("\n" + table)
    name = f"levels-{database.lower()}"
    site.RESULTS.mkdir(parents=True, exist_ok=True)
    (site.RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    site.FIGURES.mkdir(parents=True, exist_ok=True)
    (site.FIGURES / f"{name}.md").write_text(f"`make bench-levels`, {result['date']}\n\n{table}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
