"""The urgent-need rules against the test corpus: every category on its own texts, none on
ordinary ones, and recall and false-positive rate over the whole corpus and the held-out set.
"""

import pytest

from engage.safety import check_text, load_rules
from tests.safety.corpus import rows, score, score_by_category

URGENT = rows("corpus_urgent.csv")
ORDINARY = rows("corpus_ordinary.csv")
HELDOUT_URGENT = rows("heldout_urgent.csv")
HELDOUT_ORDINARY = rows("heldout_ordinary.csv")

# Floors. The tuned corpus is at 1.0 and 0.0; the held-out set was measured before and after
# the rules were generalised (docs/clinical-safety/detection.md).
RECALL_FLOOR = 0.95
FALSE_POSITIVE_CEILING = 0.02
HELDOUT_RECALL_FLOOR = 0.9
HELDOUT_FALSE_POSITIVE_CEILING = 0.05
TEXTS_PER_CATEGORY = 8


def _urgent_id(row):
    return f"{row['category']}: {row['text'][:40]}"


@pytest.mark.parametrize("row", URGENT, ids=_urgent_id)
def test_an_urgent_text_raises_its_category(row):
    report = check_text(row["text"])
    assert row["category"] in {match.category for match in report.urgent_matches}, (
        f"not raised; set aside: {[(m.text, m.set_aside_by) for m in report.set_aside_matches]}"
    )
    assert report.is_urgent


@pytest.mark.parametrize("row", ORDINARY, ids=lambda row: row["text"][:50])
def test_an_ordinary_text_raises_nothing(row):
    report = check_text(row["text"])
    assert not report.is_urgent, [(m.category, m.text, m.phrase) for m in report.urgent_matches]


def test_every_category_has_its_own_texts_in_the_corpus():
    counts = dict.fromkeys(load_rules().categories, 0)
    for row in URGENT:
        counts[row["category"]] += 1  # a KeyError names a category the rules do not have
    assert min(counts.values()) >= TEXTS_PER_CATEGORY, counts
    assert len(URGENT) >= 80
    assert len(ORDINARY) >= 150


def test_recall_and_false_positive_rate_over_the_corpus():
    scores = score(URGENT, ORDINARY)
    assert scores.recall >= RECALL_FLOOR, scores.missed
    assert scores.false_positive_rate <= FALSE_POSITIVE_CEILING, scores.raised


def test_recall_and_false_positive_rate_on_the_held_out_texts():
    scores = score(HELDOUT_URGENT, HELDOUT_ORDINARY)
    assert scores.recall >= HELDOUT_RECALL_FLOOR, scores.missed
    assert scores.false_positive_rate <= HELDOUT_FALSE_POSITIVE_CEILING, scores.raised


def test_each_category_is_found_on_its_texts_and_rarely_on_ordinary_ones():
    for category, (recall, false_positive_rate) in score_by_category(URGENT, ORDINARY).items():
        assert recall >= RECALL_FLOOR, category
        assert false_positive_rate <= FALSE_POSITIVE_CEILING, category


def test_the_scores_count_a_miss_and_a_false_alarm():
    """The measuring itself can fail: a miss lowers recall, a false alarm raises the rate."""
    scores = score(
        [{"category": "stroke", "text": "the car park is full"}, URGENT[0]],
        [{"text": "i cant breathe"}, {"text": "more parking please"}],
    )
    assert scores.recall == 0.5
    assert scores.false_positive_rate == 0.5
