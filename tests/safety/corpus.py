"""The test corpus of the safety net: texts as residents write them, read from CSV files here.

- `corpus_urgent.csv`: (category, text): each text must raise its category.
- `corpus_ordinary.csv`: (text): ordinary consultation texts, near misses among them; none
  may raise anything.
- `heldout_urgent.csv`, `heldout_ordinary.csv`: written before the rules were tuned, to
  measure how the rules do on wording they were not written for (docs/clinical-safety/
  detection.md gives the figures). Only their recall and false-positive rate are asserted.
- `corpus_personal.csv`: (kind, found, text): the one piece of personal data in the text,
  or kind "none" for a text with none.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from engage.safety import check_text

HERE = Path(__file__).parent


def rows(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


@dataclass(frozen=True)
class Scores:
    urgent: int
    ordinary: int
    missed: tuple[str, ...]  # urgent texts that did not raise their category
    raised: tuple[str, ...]  # ordinary texts that raised something

    @property
    def recall(self) -> float:
        return 1 - len(self.missed) / self.urgent

    @property
    def false_positive_rate(self) -> float:
        return len(self.raised) / self.ordinary


def score(urgent_rows, ordinary_rows) -> Scores:
    """Recall (urgent texts that raise their own category) and false positives."""
    missed = tuple(
        row["text"]
        for row in urgent_rows
        if row["category"] not in {m.category for m in check_text(row["text"]).urgent_matches}
    )
    raised = tuple(row["text"] for row in ordinary_rows if check_text(row["text"]).is_urgent)
    return Scores(len(urgent_rows), len(ordinary_rows), missed, raised)


def score_by_category(urgent_rows, ordinary_rows) -> dict[str, tuple[float, float]]:
    """category: (recall on its texts, share of ordinary texts that raise it)."""
    reports = [check_text(row["text"]) for row in ordinary_rows]
    result = {}
    for category in sorted({row["category"] for row in urgent_rows}):
        own = [row for row in urgent_rows if row["category"] == category]
        found = sum(
            category in {m.category for m in check_text(row["text"]).urgent_matches} for row in own
        )
        raised = sum(category in {m.category for m in report.urgent_matches} for report in reports)
        result[category] = (found / len(own), raised / len(reports))
    return result
