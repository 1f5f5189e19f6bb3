"""engage.text: the one place resident text loses its markup, and the validators that refuse
control and direction characters in every text field."""

import re

import bleach
import pytest
from django.core.exceptions import ValidationError

from engage.text import (
    REFUSED_IN_MULTI_LINE,
    REFUSED_IN_SINGLE_LINE,
    plain_text,
    text_problems,
    validate_multi_line,
    validate_single_line,
)
from tests.hostile_payloads import PAYLOADS

# What an HTML parser would take as the start of a tag, a comment or a declaration.
TAG_START = re.compile(r"<[A-Za-z/!?]")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("<b>bold</b> move", "bold move"),
        ("&lt;b&gt;hi", "hi"),
        ("Fish &amp; chips", "Fish & chips"),
        ("5 < 10 and 10 > 5", "5 < 10 and 10 > 5"),
        ("5<10", "5<10"),
        ("Hello <script", "Hello < script"),
        ("a<b", "a< b"),
        ("Before <!-- a comment", "Before"),
        ("Line one\r\n\r\n\r\n\r\nLine two", "Line one\n\nLine two"),
        ("evil\u202etxt.exe", "eviltxt.exe"),
        ("null\x00byte", "nullbyte"),
        ("entity&#x202e;hidden", "entityhidden"),
    ],
)
def test_plain_text_keeps_what_was_meant_and_drops_markup(typed, stored):
    assert plain_text(typed) == stored


def test_markup_nested_deeper_than_the_strip_rounds_is_left_with_no_tag_start():
    nested = "<" * 6 + "script>" * 6 + "alert(1)</script>"
    stored = plain_text(nested)
    assert not TAG_START.search(stored), stored
    assert "alert(1)" in stored


def test_plain_text_is_idempotent_on_hostile_text():
    for typed in ["Hello <script", "<<b>b>x", "<" * 9 + "i>" * 9, "a<b>c</b", "&lt;<b>"]:
        once = plain_text(typed)
        assert plain_text(once) == once, typed
        assert not TAG_START.search(once), (typed, once)


def test_deep_nesting_costs_a_bounded_number_of_strip_rounds(monkeypatch):
    """A crafted 5,000-character body must not cost a bleach pass per nesting level.

    One pass per level took seconds of CPU per request on this input.
    """
    calls = []
    real_clean = bleach.clean

    def counting_clean(*args, **kwargs):
        calls.append(1)
        return real_clean(*args, **kwargs)

    monkeypatch.setattr(bleach, "clean", counting_clean)
    crafted = ("<" * 700 + "script>" * 700)[:5000]
    stored = plain_text(crafted)
    assert len(calls) <= 5
    assert not TAG_START.search(stored)


# Single-line text keeps what its validator refuses, so the person is told rather than
# their text quietly changed.


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Evening\nappointments", "Evening\nappointments"),
        ("<b>Evening</b>\tappointments", "Evening\tappointments"),
        ("invoice\u202etxt.exe", "invoice\u202etxt.exe"),
        ("entity&#x202e;hidden", "entity\u202ehidden"),
        ("entity&#10;line", "entity\nline"),
        ("<i>a</i>\x1b[31m<b>b</b>", "a\x1b[31mb"),
        ("  Evening   appointments \n", "Evening appointments"),
    ],
)
def test_single_line_text_keeps_refused_characters_where_they_were_typed(typed, kept):
    assert plain_text(typed, single_line=True) == kept


def test_single_line_text_still_loses_its_markup_around_refused_characters():
    stored = plain_text("<scr\x00ipt>alert(1)</scr\x00ipt>\n<b>x</b>", single_line=True)
    assert not TAG_START.search(REFUSED_IN_SINGLE_LINE.sub("", stored)), stored
    with pytest.raises(ValidationError):
        validate_single_line(stored)


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_every_hostile_payload_is_either_clean_or_refused_on_one_line(payload):
    stored = plain_text(payload.value, single_line=True)
    if REFUSED_IN_SINGLE_LINE.search(stored):
        with pytest.raises(ValidationError):
            validate_single_line(stored)
    else:
        validate_single_line(stored)
        assert not TAG_START.search(stored), stored


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_multi_line_text_loses_every_character_its_validator_refuses(payload):
    stored = plain_text(payload.value)
    assert not REFUSED_IN_MULTI_LINE.search(stored), stored
    validate_multi_line(stored)


# The validators.

SINGLE_LINE_REFUSALS = [
    ("line_break", "\n"),
    ("line_break", "\r"),
    ("line_break", "\r\n"),
    ("line_break", "\x85"),
    ("line_break", "\u2028"),
    ("line_break", "\u2029"),
    ("tab", "\t"),
    *[("control_character", chr(code)) for code in (*range(0x00, 0x09), 0x0B, 0x0C)],
    *[("control_character", chr(code)) for code in (*range(0x0E, 0x20), 0x7F)],
    *[("control_character", chr(code)) for code in (*range(0x80, 0x85), *range(0x86, 0xA0))],
    ("control_character", "\ufeff"),
    *[("text_direction", chr(code)) for code in range(0x202A, 0x202F)],
    *[("text_direction", chr(code)) for code in range(0x2066, 0x206A)],
    ("text_direction", "\u200e"),
    ("text_direction", "\u200f"),
    ("text_direction", "\u061c"),
]


@pytest.mark.parametrize(("code", "character"), SINGLE_LINE_REFUSALS, ids=repr)
def test_a_single_line_field_refuses_each_control_and_direction_character(code, character):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(f"Evening{character}appointments")
    assert [error.code for error in refused.value.error_list] == [code]
    [message] = refused.value.messages
    assert "after 'Evening'" in message


@pytest.mark.parametrize(
    ("code", "character"),
    [(code, character) for code, character in SINGLE_LINE_REFUSALS if code != "tab"]
    + [("control_character", "\x85")],
    ids=repr,
)
def test_a_multi_line_field_refuses_the_same_but_line_breaks_and_tabs(code, character):
    if code == "line_break" and character != "\x85":
        validate_multi_line(f"Evening{character}appointments")
        return
    with pytest.raises(ValidationError) as refused:
        validate_multi_line(f"Evening{character}appointments")
    expected = "control_character" if code == "line_break" else code
    assert [error.code for error in refused.value.error_list] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Evening appointments",
        "Café opening hours, naïve questions and 10% more",
        "\u0645\u0648\u0627\u0639\u064a\u062f \u0645\u0633\u0627\u0626\u064a\u0629",  # Arabic
        "\u05e9\u05dc\u05d5\u05dd",  # Hebrew
        "Great idea \U0001f44d\U0001f3fd",
        "",
    ],
)
def test_ordinary_text_in_any_script_is_accepted(text):
    validate_single_line(text)
    validate_multi_line(text)


def test_multi_line_text_keeps_its_line_breaks_and_tabs():
    validate_multi_line("Line one\r\nLine two\n\n\tIndented")


def test_the_error_says_what_to_remove_and_where_for_each_kind_found():
    problems = text_problems("\tSaturday\u202e clinics\nand more", single_line=True)
    assert [problem.code for problem in problems] == ["line_break", "tab", "text_direction"]
    assert [problem.message for problem in problems] == [
        "Keep this on one line: remove the line break after 'Saturday clinics'.",
        "Remove the tab at the start, or put a space there instead.",
        "Remove the hidden character after 'Saturday': it changes the direction the text reads "
        "in. Deleting that part and typing it again removes it.",
    ]


def test_the_error_quotes_only_the_last_words_before_a_hidden_character():
    [problem] = text_problems("A very long title about opening hours\u202e", single_line=True)
    assert "after '…about opening hours'" in problem.message


@pytest.mark.parametrize("empty", [None, "", "<b></b>", "   "])
def test_empty_or_markup_only_text_becomes_empty(empty):
    assert plain_text(empty) == ""
