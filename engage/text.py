"""Resident text is plain text.

Everything a resident types (ideas, comments, display names, flag reasons) goes through
`plain_text()` once on the way in, in the service that stores it. Templates autoescape it on
the way out and use the `resident_text` filter for paragraphs and links. Nothing a resident
typed is ever marked safe. Bleach sits behind this one function so it can be swapped later.
"""

import html
import re
import unicodedata

import bleach

# C0 and C1 control characters except tab and newline; the Unicode bidirectional embedding,
# override and isolate controls (the "Trojan Source" characters); and byte-order marks.
_UNWANTED_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# What an HTML parser takes as the start of a tag, a closing tag, a comment or a declaration.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def plain_text(value: str | None, *, single_line: bool = False) -> str:
    """Return `value` as clean plain text: no markup, no control characters, tidy spacing.

    Markup is removed, not escaped: `<b>hi</b>` becomes `hi`. Entities are decoded once, so
    what is stored is exactly what the resident meant to write (`&amp;` becomes `&`); the
    template's autoescaping makes it safe on the way out.
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value))
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
    # Decoding can reveal characters that were hidden as entities (&#0; or &#x202e;).
    text = _UNWANTED_CHARACTERS.sub("", text)
    if single_line:
        text = text.replace("\n", " ")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
