"""Benchmark `consultations.drafts.draft_points`: time per theme at 50, 200 and 1,000 ideas.

Not part of the test suite and needs no Django: `make bench-drafts`, or
`.venv/bin/python bench/drafts_benchmark.py [--runs 7]`. One core, as the task worker runs
it. The ideas are built from the labelled corpus (tests/drafts/corpus.json): each synthetic
idea takes the title of a corpus idea and joins the bodies of two or three ideas of the same
sub-topic (a fixed seed), so texts vary but stay realistic. Prints the median of the runs
and writes bench/results/drafts.json.
"""

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consultations.drafts import Source, draft_points  # noqa: E402

CORPUS = json.loads((ROOT / "tests" / "drafts" / "corpus.json").read_text())
RESULTS = ROOT / "bench" / "results" / "drafts.json"


def synthetic(count: int, *, seed: int = 2024) -> list[Source]:
    rng = random.Random(seed)
    by_topic: dict[str, list[dict]] = {}
    for idea in CORPUS["ideas"]:
        by_topic.setdefault(idea["topic"], []).append(idea)
    sources = []
    for number in range(1, count + 1):
        topic = rng.choice(sorted(by_topic))
        picked = rng.sample(by_topic[topic], rng.randint(2, 3))
        post = ("idea", number)
        sources.append(Source(("title", number), post, picked[0]["title"]))
        sources.append(Source(("body", number), post, " ".join(i["body"] for i in picked)))
    return sources


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    draft_points(synthetic(50))  # load what the first call loads
    results = {}
    for count in (50, 200, 1000):
        sources = synthetic(count)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            draft = draft_points(sources)
            times.append(time.perf_counter() - started)
        results[count] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1),
            "points": len(draft.points),
        }
        print(
            f"{count:>5} ideas: median {results[count]['median_ms']} ms, "
            f"slowest {results[count]['max_ms']} ms of {args.runs} runs, "
            f"{len(draft.points)} points"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"machine": platform.platform(), "python": platform.python_version(), **results},
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
