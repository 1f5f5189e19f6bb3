"""How fast the open data API's lists answer: p50 and p95 of each (their query counts are
tests/api/test_query_counts.py's).

Not part of the test suite: `make bench-api`, or
`.venv/bin/python bench/api_benchmark.py [--pcns 20] [--ideas 500] [--runs 50]`.

Builds a throwaway test database (SQLite in memory, or PostgreSQL with
`DATABASE_URL=postgres://...`: Django's test database `test_<name>`, dropped afterwards) with
`--pcns` PCN sites, each with a vision, an open and a closed consultation of `--ideas` ideas
(a third hidden), a theme holding them and an update with two actions; then asks each list
`--runs` times through Django's test client in this process (the whole middleware stack, no
HTTP server), with the API's cache off so every answer is read afresh. The budget is a p95 of
100 ms per list. Results go to bench/results/api.json.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engage.settings.test")

RESULTS = ROOT / "bench" / "results" / "api.json"
BUDGET_P95_MS = 100.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pcns", type=int, default=20)
    parser.add_argument("--ideas", type=int, default=500)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    settings.ENGAGE_API_CACHE_SECONDS = 0
    settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["open_data"] = "1000000/minute"
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from tests.api.test_query_counts import LISTS, build

        started = time.perf_counter()
        build(pcns=range(args.pcns), ideas=args.ideas)
        built = time.perf_counter() - started
        client = Client()
        lists = {}
        for address in LISTS:
            url = "/api/v1/" + address
            client.get(url)  # warm
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            lists[address] = {
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
            }
            print(
                f"{address:32} p50 {lists[address]['p50_ms']:7.2f} ms"
                f"  p95 {lists[address]['p95_ms']:7.2f} ms"
            )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    worst = max(row["p95_ms"] for row in lists.values())
    result = {
        "database": connection.vendor,
        "pcns": args.pcns,
        "ideas_per_pcn": args.ideas,
        "runs": args.runs,
        "seconds_to_build": round(built, 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "budget_p95_ms": BUDGET_P95_MS,
        "worst_p95_ms": worst,
        "within_budget": worst <= BUDGET_P95_MS,
        "lists": lists,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"worst p95 {worst} ms (budget {BUDGET_P95_MS} ms); written to {RESULTS}")


if __name__ == "__main__":
    main()
