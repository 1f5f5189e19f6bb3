"""engage.text.plain_text: the one place resident text loses its markup."""

import re

import bleach
import pytest

from engage.text import plain_text

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


def test_single_line_joins_lines():
    assert plain_text("a\nb", single_line=True) == "a b"


@pytest.mark.parametrize("empty", [None, "", "<b></b>", "   "])
def test_empty_or_markup_only_text_becomes_empty(empty):
    assert plain_text(empty) == ""
