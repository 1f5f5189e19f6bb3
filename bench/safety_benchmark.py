"""Benchmark `engage.safety.check_text` on 2,000-character texts, on one core.

Not part of the test suite and needs no database: `make bench-safety`, or
`.venv/bin/python bench/safety_benchmark.py [--texts 300] [--runs 5] [--seed 2024]`.

Four kinds of text, each 2,000 characters (whole sentences, padded with spaces), built
from the texts of the test corpus (tests/safety/*.csv) with a fixed seed:

- ordinary: ordinary consultation texts only (the common case: nothing found);
- urgent: ordinary texts with one urgent text among them;
- personal: ordinary texts with a phone number, an email address, an NHS number, a date of
  birth, an address and a name among them;
- dense: urgent texts only, each sentence raising a category, so every exception and history
  rule runs (the worst case the corpus offers);
- repetitive: one short piece repeated to 2,000 characters, each piece chosen to make one
  part of the engine work hardest ("can't " starts a phrase with a gap at every word; "0 "
  makes a phone number to parse every twenty characters); a hostile text, not a resident's.

Each text is checked `--runs` times after one warm-up check (the rules are compiled on
first use). The budget is a p95 of 5 ms per check. Results go to bench/results/safety.json.
"""

import argparse
import csv
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engage.safety import check_text  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "safety.json"
CORPUS = ROOT / "tests" / "safety"
LENGTH = 2_000
BUDGET_P95_MS = 5.0
REPETITIVE = [
    "can't ",
    "0 ",
    "chest pain chest clinic ",
    "I had chest pain last year now ",
    "DOB 1/1/1950 ",
    "a@b.",
    "Mr Smith ",
    "12 high street LS6 2AB ",
    "!?.,",
    "\n",
]
PERSONAL = [
    "Ring me on 07911 123456.",
    "My email is jo.bloggs@example.com.",
    "NHS number 930 237 9078.",
    "DOB 03/04/1952.",
    "I live at 12 Acacia Avenue, Leeds LS6 2AB.",
    "Ask for Mrs Ann Jones.",
]


def _texts(name: str) -> list[str]:
    with (CORPUS / name).open(newline="", encoding="utf-8") as file:
        return [row["text"] for row in csv.DictReader(file)]


def _fill(rng: random.Random, sentences: list[str], extra: list[str]) -> str:
    """Whole sentences, the extra ones among them, padded with spaces to LENGTH characters.

    No sentence is cut: a cut one can change what it says ("an overdose scare years ago").
    """
    pieces = list(extra)
    while True:
        sentence = rng.choice(sentences)
        if len(". ".join([*pieces, sentence])) > LENGTH:
            break
        pieces.insert(rng.randrange(len(pieces) + 1), sentence)
    return ". ".join(pieces).ljust(LENGTH)


def build(kind: str, count: int, rng: random.Random) -> list[str]:
    ordinary, urgent = _texts("corpus_ordinary.csv"), _texts("corpus_urgent.csv")
    texts = []
    for _ in range(count):
        if kind == "ordinary":
            text = _fill(rng, ordinary, [])
        elif kind == "urgent":
            text = _fill(rng, ordinary, [rng.choice(urgent)])
        elif kind == "personal":
            text = _fill(rng, ordinary, PERSONAL)
        elif kind == "repetitive":
            piece = REPETITIVE[len(texts) % len(REPETITIVE)]
            text = (piece * (LENGTH // len(piece) + 1))[:LENGTH]
        else:
            text = _fill(rng, urgent, [])
        assert len(text) == LENGTH
        texts.append(text)
    return texts


def percentile(sorted_values: list[float], share: float) -> float:
    index = min(len(sorted_values) - 1, round(share * (len(sorted_values) - 1)))
    return sorted_values[index]


def measure(texts: list[str], runs: int) -> dict:
    for text in texts:
        check_text(text)  # warm-up
    timings, cpu_timings = [], []
    found = {"urgent": 0, "personal": 0}
    for _ in range(runs):
        for text in texts:
            start, cpu_start = time.perf_counter(), time.process_time()
            report = check_text(text)
            timings.append((time.perf_counter() - start) * 1000)
            cpu_timings.append((time.process_time() - cpu_start) * 1000)
    for text in texts:
        report = check_text(text)
        found["urgent"] += report.is_urgent
        found["personal"] += report.has_personal_data
    timings.sort()
    cpu_timings.sort()
    return {
        "texts": len(texts),
        "checks": len(timings),
        "characters": LENGTH,
        "ms": {
            "p50": round(percentile(timings, 0.50), 3),
            "p95": round(percentile(timings, 0.95), 3),
            "p99": round(percentile(timings, 0.99), 3),
            "max": round(timings[-1], 3),
            "mean": round(statistics.fmean(timings), 3),
        },
        # CPU time of this process: wall-clock time minus waiting for a busy machine.
        "cpu_ms": {
            "p50": round(percentile(cpu_timings, 0.50), 3),
            "p95": round(percentile(cpu_timings, 0.95), 3),
            "p99": round(percentile(cpu_timings, 0.99), 3),
        },
        "texts_urgent": found["urgent"],
        "texts_with_personal_data": found["personal"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    load_before = os.getloadavg()[0]
    kinds = {
        kind: measure(build(kind, args.texts, rng), args.runs)
        for kind in ("ordinary", "urgent", "personal", "dense", "repetitive")
    }
    load_after = os.getloadavg()[0]
    # The budget is for residents' texts; the repetitive ones are reported, not judged.
    over = [
        kind
        for kind, result in kinds.items()
        if kind != "repetitive" and result["ms"]["p95"] > BUDGET_P95_MS
    ]
    result = {
        "budget_p95_ms": BUDGET_P95_MS,
        "within_budget": not over,
        "kinds": kinds,
        "runs": args.runs,
        "seed": args.seed,
        "load_average": {"before": round(load_before, 2), "after": round(load_after, 2)},
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")

    print(f"check_text on {LENGTH}-character texts, {args.texts} texts x {args.runs} runs each")
    print("| text | p50 ms | p95 ms | p99 ms | max ms | CPU p95 ms | urgent | personal |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind, figures in kinds.items():
        ms, cpu = figures["ms"], figures["cpu_ms"]
        print(
            f"| {kind} | {ms['p50']} | {ms['p95']} | {ms['p99']} | {ms['max']} | {cpu['p95']}"
            f" | {figures['texts_urgent']}/{figures['texts']}"
            f" | {figures['texts_with_personal_data']}/{figures['texts']} |"
        )
    print(
        f"load average {result['load_average']['before']} -> {result['load_average']['after']}"
        f" on {result['cpus']} CPUs"
    )
    if over:
        print(f"Over budget (p95 {BUDGET_P95_MS} ms): {', '.join(over)}")
    else:
        print(
            f"Within budget: p95 under {BUDGET_P95_MS} ms for every kind of resident text "
            "(the repetitive, hostile texts are reported above, not judged)"
        )
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
