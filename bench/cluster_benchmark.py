"""Benchmark `consultations.clustering.suggest_clusters` on 5,000 synthetic ideas, on one core.

Not part of the test suite and needs no Django: `make bench-clustering`, or
`.venv/bin/python bench/cluster_benchmark.py [--ideas 5000] [--runs 5] [--seed 2024]`.

The ideas are generated from eight topic vocabularies of the kind residents write about (a
fixed seed makes them the same every time): each idea takes its topic words from one topic,
one in four borrows a few from a second topic, one in three has a generic title, and all are
padded with everyday filler words; some phrases belong to two topics. Purity is the share of ideas whose cluster's majority topic is their own
generating topic (1.0 is perfect). Results go to bench/results/clustering.json.
"""

import os

# One core: the thread pools of BLAS and OpenMP read these when numpy and scikit-learn load.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy  # noqa: E402
import sklearn  # noqa: E402
from threadpoolctl import threadpool_info  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consultations.clustering import suggest_clusters  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "clustering.json"

# topic: (titles, phrases ideas about it use). Some phrases belong to two topics on purpose
# ("online", "phone", "waiting", "park", "home"), as they do in what residents write.
TOPICS = {
    "appointments": (
        ["Evening appointments", "Weekend opening", "Saturday clinics", "Later opening hours"],
        "evening appointments, weekend, saturday morning, sunday, opening hours, after work, "
        "8pm, late appointments, early morning, appointment slots, book online, commuters, "
        "shift workers, extended hours, weekday evenings, phone at 8am, same day appointment, "
        "see a doctor, nurse appointment, time off work",
    ),
    "transport": (
        ["More parking", "Better buses", "Getting there", "The car park"],
        "car park, parking spaces, disabled bays, bus route, bus stop, timetable, hourly bus, "
        "drop off, taxi, cycle racks, community transport, minibus, driving, traffic, "
        "parking charges, walk from the station, a lift, parking permit, overflow parking, park",
    ),
    "mental_health": (
        ["Mental health for young people", "Support for teenagers", "Counselling"],
        "mental health, young people, teenagers, anxiety, depression, counselling, counsellor, "
        "camhs, waiting list, wellbeing, self harm, school, students, peer support, "
        "youth worker, low mood, therapy, crisis, someone to talk to, waiting",
    ),
    "pharmacy": (
        ["Repeat prescriptions", "Pharmacy services", "Medicines"],
        "pharmacy, pharmacist, prescription, repeat prescriptions, medicines, medication, "
        "collect, home delivery, chemist, dispensing, ordering, out of stock, shortage, "
        "medication review, dosage, blister packs, minor ailments, online",
    ),
    "digital": (
        ["Online services", "The NHS App", "Video consultations"],
        "app, online, website, video consultation, login, password, e-consult, digital, "
        "internet, smartphone, email, text message, reminder, records, access, online form, "
        "booking system, wifi, screen, phone",
    ),
    "older_people": (
        ["Care for older people", "Home visits", "Loneliness"],
        "older people, elderly, home visits, housebound, carers, care home, dementia, frailty, "
        "loneliness, isolated, falls, mobility, hearing aids, lunch club, befriending, "
        "memory clinic, pensioners, at home",
    ),
    "exercise": (
        ["Healthy living", "Exercise and weight", "Walking groups"],
        "exercise, walking group, gym, fitness, weight loss, diet, healthy eating, obesity, "
        "diabetes, swimming, park run, activity classes, nutrition, cooking, sport, "
        "stop smoking, quit, park",
    ),
    "reception": (
        ["Reception and phones", "Getting through", "Receptionists"],
        "reception, receptionist, phone lines, call back, on hold, queue, rude, triage, "
        "questions, front desk, engaged tone, answer the phone, phone system, callback, "
        "staff, polite, waiting, phone",
    ),
}
TOPIC_PHRASES = {topic: phrases.split(", ") for topic, (_, phrases) in TOPICS.items()}
GENERIC_TITLES = ["My idea", "A suggestion", "Please consider this", "Something to change"]

_FILLER_PHRASES = (
    "i, we, my, our, the, a, it is, would, could, really, i think, please, more, better, "
    "need, people, time, help, good, also, very much, get, make sure, surgery, gp, doctor, "
    "nurse, local area, our community, everyone, it would be great if, there was, often, "
    "sometimes, always, never, because, when, so that, this, service, patients, family, "
    "my mum, last year, at the moment, for example, to be honest, thank you"
)
FILLER = _FILLER_PHRASES.split(", ")


def generate_ideas(count: int, *, seed: int) -> tuple[list[tuple[int, str]], dict[int, str]]:
    """`count` ideas as (id, text) and the topic each was generated from.

    Each idea: a title (the topic's, or a generic one for one in three), two to ten phrases
    of its topic, for one in four one to three phrases of another topic, and five to thirty
    filler phrases, shuffled.
    """
    rng = random.Random(seed)
    names = sorted(TOPICS)
    documents, truth = [], {}
    for idea_id in range(1, count + 1):
        topic = rng.choice(names)
        title = rng.choice(TOPICS[topic][0] if rng.random() > 1 / 3 else GENERIC_TITLES)
        body = rng.choices(TOPIC_PHRASES[topic], k=rng.randint(2, 10))
        if rng.random() < 0.25:
            other = rng.choice([name for name in names if name != topic])
            body += rng.choices(TOPIC_PHRASES[other], k=rng.randint(1, 3))
        body += rng.choices(FILLER, k=rng.randint(5, 30))
        rng.shuffle(body)
        documents.append((idea_id, f"{title}\n{' '.join(body).capitalize()}."))
        truth[idea_id] = topic
    return documents, truth


def purity(clusters, truth: dict[int, str]) -> float:
    clustered = sum(len(cluster.idea_ids) for cluster in clusters)
    if not clustered:
        return 0.0
    majority = sum(
        Counter(truth[idea_id] for idea_id in cluster.idea_ids).most_common(1)[0][1]
        for cluster in clusters
    )
    return majority / clustered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    pools = threadpool_info()
    threads = {pool["internal_api"]: pool["num_threads"] for pool in pools}
    if any(count != 1 for count in threads.values()):
        sys.exit(f"Expected one thread in every pool, found {threads}")

    documents, truth = generate_ideas(args.ideas, seed=args.seed)
    timings, cpu_timings, clusters = [], [], []
    load_before = os.getloadavg()[0]
    for _ in range(args.runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        clusters = suggest_clusters(documents)
        timings.append(time.perf_counter() - start)
        cpu_timings.append(time.process_time() - cpu_start)
    load_after = os.getloadavg()[0]

    result = {
        "ideas": args.ideas,
        "runs": args.runs,
        "seed": args.seed,
        "seconds": {
            "min": round(min(timings), 3),
            "median": round(statistics.median(timings), 3),
            "max": round(max(timings), 3),
            "all": [round(seconds, 3) for seconds in timings],
        },
        # CPU time of this process: wall-clock time minus waiting for a busy machine.
        "cpu_seconds": {
            "min": round(min(cpu_timings), 3),
            "median": round(statistics.median(cpu_timings), 3),
            "max": round(max(cpu_timings), 3),
        },
        "load_average": {"before": round(load_before, 2), "after": round(load_after, 2)},
        "cpus": os.cpu_count(),
        "topics": len(TOPICS),
        "clusters": len(clusters),
        "clustered_ideas": sum(len(cluster.idea_ids) for cluster in clusters),
        "purity": round(purity(clusters, truth), 4),
        "names": [f"{cluster.name} ({len(cluster.idea_ids)})" for cluster in clusters],
        "threads": threads,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scikit_learn": sklearn.__version__,
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")

    seconds = result["seconds"]
    print(f"{args.ideas} ideas, {args.runs} runs on one core (threads: {threads})")
    cpu = result["cpu_seconds"]
    print(f"seconds: min {seconds['min']}, median {seconds['median']}, max {seconds['max']}")
    print(f"CPU seconds: min {cpu['min']}, median {cpu['median']}, max {cpu['max']}")
    print(
        f"load average {result['load_average']['before']} -> {result['load_average']['after']}"
        f" on {result['cpus']} CPUs"
    )
    print(f"clusters: {result['clusters']} (from {len(TOPICS)} topics), purity {result['purity']}")
    for name in result["names"]:
        print(f"  {name}")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
