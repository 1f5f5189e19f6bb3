"""Text people type: plain text, and no characters that hide or rearrange what it says.

Everything a resident types (ideas, comments, display names, flag reasons) goes through
`plain_text()` once on the way in, in the service that stores it. Templates autoescape it on
the way out and use the `resident_text` filter for paragraphs and links. Nothing a resident
typed is ever marked safe. Bleach sits behind this one function so it can be swapped later.

Two validators say which characters a field refuses, for every way in (a resident's form
through its service's `full_clean()`, a Wagtail admin form, a page saved from code):

- `validate_single_line`, for titles, names and other one-line fields: no control
  characters (tab and line breaks included) and no bidirectional controls or marks. These
  end up in email subjects and headers, CSV cells, admin listings and page titles, where
  one of them can break the email or make the text read differently from what it is.
- `validate_multi_line`, for longer text: line breaks (and tabs) are fine; the other
  control characters and the bidirectional controls are not.

Single-line text is refused rather than quietly changed: `plain_text(single_line=True)`
keeps any such character where it was typed, so the field's validator refuses it and the
form comes back with what the person typed and an error saying what to remove and where.
Multi-line text is different: `plain_text()` removes these characters from a resident's
ideas and comments. They are long, often pasted from an email or a document, and keyboards
for right-to-left languages put in direction marks people cannot see; asking a resident to
find an invisible character in 5,000 characters would only turn them away, and removing it
loses nothing anyone can read. (Staff text written in the admin is not cleaned this way, so
the validator refuses it there.)
"""

import html
import re
import unicodedata

import bleach
from django.core.exceptions import ValidationError

# C0 and C1 control characters but tab, line feed and carriage return; and delete.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"
# The Unicode bidirectional embeddings, overrides and isolates (the "Trojan Source"
# characters), and the left-to-right, right-to-left and Arabic letter marks.
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_DIRECTION_MARKS = "\u200e\u200f\u061c"
_BYTE_ORDER_MARK = "\ufeff"
# Line feed, carriage return, next line (a C1 control), and the Unicode line and paragraph
# separators: what ends a line somewhere (an email header, a CSV reader, Python's splitlines).
_LINE_BREAKS = "\n\r\x85\u2028\u2029"

_HIDDEN = _CONTROLS + _BIDI_CONTROLS + _DIRECTION_MARKS + _BYTE_ORDER_MARK
REFUSED_IN_MULTI_LINE = re.compile(f"[{_HIDDEN}\x85]")
REFUSED_IN_SINGLE_LINE = re.compile(f"[{_HIDDEN}{_LINE_BREAKS}\t]")

_UNWANTED_CHARACTERS = REFUSED_IN_MULTI_LINE
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_SPACES_ON_ONE_LINE = re.compile(r"[ \u00a0\u2000-\u200b\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# What an HTML parser takes as the start of a tag, a closing tag, a comment or a declaration.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def plain_text(value: str | None, *, single_line: bool = False) -> str:
    """Return `value` as clean plain text: no markup, tidy spacing.

    Markup is removed, not escaped: `<b>hi</b>` becomes `hi`. Entities are decoded once, so
    what is stored is exactly what the resident meant to write (`&amp;` becomes `&`); the
    template's autoescaping makes it safe on the way out.

    Multi-line text also loses its control and bidirectional characters (see the module's
    docstring). Single-line text keeps them, each where it was typed (markup is still removed
    around them), for the field's `validate_single_line` to refuse: store single-line text
    only through `full_clean()` or after calling the validator.
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    if not single_line:
        return _clean(text, single_line=False)
    pieces = re.split(f"({REFUSED_IN_SINGLE_LINE.pattern}+)", text)
    # The odd pieces are the runs of refused characters, kept as they are.
    cleaned = [
        piece if i % 2 else _clean(piece, single_line=True) for i, piece in enumerate(pieces)
    ]
    return "".join(cleaned).strip()


def _clean(text: str, *, single_line: bool) -> str:
    if not single_line:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _UNWANTED_CHARACTERS.sub("", text)
    # Stripping can leave markup behind ("<<b>b>" leaves "<b>" once decoded), so strip and
    # decode again until nothing changes. Real text settles in a round or two; the bound
    # keeps a crafted, deeply nested input from costing a round per level.
    for _ in range(5):
        cleaned = html.unescape(
            bleach.clean(text, tags=set(), attributes={}, strip=True, strip_comments=True)
        )
        if cleaned == text:
            break
        text = cleaned
    # Whatever still reads as the start of a tag (markup nested deeper than the bound, or a
    # tag left unfinished at the end, which bleach keeps as text: "Hello <script") gets a
    # space after its "<": what was typed stays, and no parser starts a tag there.
    text = _TAG_START.sub("< ", text)
    if single_line:
        # Decoding can reveal characters that were hidden as entities (&#x202e; or &#10;):
        # on one line they stay, for the validator to refuse.
        return _SPACES_ON_ONE_LINE.sub(" ", text)
    # Decoding can reveal characters that were hidden as entities (&#0; or &#x202e;).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _UNWANTED_CHARACTERS.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# The validators.

_LINE_BREAK = (
    "line_break",
    _LINE_BREAKS,
    "Keep this on one line: remove the line break {where}.",
)
_TAB = ("tab", "\t", "Remove the tab {where}, or put a space there instead.")
_TEXT_DIRECTION = (
    "text_direction",
    _BIDI_CONTROLS + _DIRECTION_MARKS,
    "Remove the hidden character {where}: it changes the direction the text reads in. "
    "Deleting that part and typing it again removes it.",
)
_CONTROL_CHARACTER = (
    "control_character",
    _CONTROLS + _BYTE_ORDER_MARK,
    "Remove the hidden control character {where}. It can come with text copied from another "
    "program: deleting that part and typing it again removes it.",
)
# (code, characters, what to say: "{where}" becomes "after 'the text before it'")
_SINGLE_LINE_KINDS = [_LINE_BREAK, _TAB, _TEXT_DIRECTION, _CONTROL_CHARACTER]
_MULTI_LINE_KINDS = [
    _TEXT_DIRECTION,
    (_CONTROL_CHARACTER[0], _CONTROL_CHARACTER[1] + "\x85", _CONTROL_CHARACTER[2]),
]
_WHERE_CONTEXT = 20


def _where(text: str, position: int) -> str:
    """Where the character at `position` is, in words: after the text that comes before it."""
    before = " ".join(REFUSED_IN_SINGLE_LINE.sub(" ", text[:position]).split())
    if not before:
        return "at the start"
    if len(before) > _WHERE_CONTEXT:
        before = "…" + before[-_WHERE_CONTEXT:].lstrip()
    return f"after '{before}'"


def text_problems(value: str, *, single_line: bool) -> list[ValidationError]:
    """One error for each kind of refused character in `value`, saying where the first is."""
    refused = REFUSED_IN_SINGLE_LINE if single_line else REFUSED_IN_MULTI_LINE
    if not value or not refused.search(value):
        return []
    errors = []
    for code, characters, message in _SINGLE_LINE_KINDS if single_line else _MULTI_LINE_KINDS:
        if found := re.search(f"[{characters}]", value):
            where = _where(value, found.start())
            errors.append(ValidationError(message.format(where=where), code=code))
    return errors


def validate_single_line(value: str) -> None:
    """A title, name or other one-line field: no control, line-break or direction characters."""
    if errors := text_problems(value, single_line=True):
        raise ValidationError(errors)


def validate_multi_line(value: str) -> None:
    """Longer text: line breaks and tabs are fine; other control and direction characters not."""
    if errors := text_problems(value, single_line=False):
        raise ValidationError(errors)
