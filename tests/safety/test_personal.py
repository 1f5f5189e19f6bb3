"""Personal data in resident text: each kind found, near misses left alone, redaction."""

import pytest

from engage.safety import PERSONAL_DATA_KINDS, check_text
from tests.safety.corpus import rows

PERSONAL = rows("corpus_personal.csv")


@pytest.mark.parametrize("row", PERSONAL, ids=lambda row: f"{row['kind']}: {row['text'][:40]}")
def test_personal_data_is_found_and_nothing_else(row):
    found = [(match.kind, match.text) for match in check_text(row["text"]).personal_matches]
    expected = [] if row["kind"] == "none" else [(row["kind"], row["found"])]
    assert found == expected


def test_every_kind_has_positives_in_the_corpus():
    kinds = {row["kind"] for row in PERSONAL}
    assert set(PERSONAL_DATA_KINDS) <= kinds
    assert sum(row["kind"] == "none" for row in PERSONAL) >= 15


def test_an_nhs_number_must_pass_the_modulus_11_check():
    assert check_text("NHS 930 237 9078").personal_matches[0].kind == "NHS number"
    # The same digits with the last one changed fail the check.
    assert not check_text("NHS 930 237 9079").personal_matches


def test_redaction_replaces_each_piece_and_keeps_the_rest():
    text = "Ring 07911 123456 or email jo@example.com, NHS 930 237 9078. Thanks!"
    report = check_text(text)
    assert report.has_personal_data
    assert report.redacted() == (
        "Ring [phone number removed] or email [email address removed], "
        "NHS [NHS number removed]. Thanks!"
    )


def test_text_without_personal_data_is_returned_as_it_was():
    report = check_text("More evening appointments, please.")
    assert not report.has_personal_data
    assert report.redacted() == "More evening appointments, please."


def test_each_match_says_which_rule_found_it_and_where():
    text = "DOB 03/04/1952"
    (match,) = check_text(text).personal_matches
    assert text[match.start : match.end] == "03/04/1952"
    assert "birth word" in match.rule
    assert match.label == "Date of birth"


def test_a_date_in_the_future_or_not_a_date_is_not_a_date_of_birth():
    assert not check_text("born 31/02/1980").personal_matches
    assert not check_text("DOB 01/01/2999").personal_matches


def test_a_long_run_of_letters_before_an_at_sign_is_read_quickly():
    """No catastrophic backtracking: 100,000 letters with no address in them."""
    assert not check_text("a" * 100_000 + "@").personal_matches
