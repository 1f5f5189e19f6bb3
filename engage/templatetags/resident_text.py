"""Show resident text: escaped, with its paragraphs, and its web addresses as safe links;
or its start, for a list."""

import re

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import add_truncation_text, calculate_truncate_chars_length

register = template.Library()

# Only http and https addresses with a host; nothing protocol-relative, no other scheme.
_URL = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\")]}"
_MAX_SHOWN = 60


def _split_trailing(url: str) -> tuple[str, str]:
    """Leave sentence punctuation after an address out of the link."""
    trailing = ""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        trailing = url[-1] + trailing
        url = url[:-1]
    return url, trailing


def _linkify(line: str) -> str:
    parts: list[str] = []
    position = 0
    for match in _URL.finditer(line):
        url, trailing = _split_trailing(match.group(0))
        if "://" not in url or len(url.split("://", 1)[1]) == 0:
            continue
        parts.append(escape(line[position : match.start()]))
        shown = url if len(url) <= _MAX_SHOWN else url[: _MAX_SHOWN - 1] + "…"
        parts.append(format_html('<a href="{}" rel="nofollow ugc noopener">{}</a>', url, shown))
        parts.append(escape(trailing))
        position = match.end()
    parts.append(escape(line[position:]))
    return "".join(parts)


@register.filter(is_safe=True)
def resident_text(value) -> SafeString:
    """Paragraphs (`<p>`) and line breaks (`<br>`), every character escaped, links added."""
    text = str(value or "")
    paragraphs = [p for p in re.split(r"\n{2,}", text.replace("\r\n", "\n")) if p.strip()]
    rendered = []
    for paragraph in paragraphs:
        lines = [_linkify(line) for line in paragraph.split("\n")]
        rendered.append("<p>" + "<br>".join(lines) + "</p>")
    # Every piece above was escaped or built by format_html, so the join is safe.
    return mark_safe("\n".join(rendered))  # noqa: S308


@register.filter(is_safe=True)
def excerpt(value, length: int) -> str:
    """As `|truncatechars:length`, which walks the text a character at a time to leave
    combining accents uncounted: a third of the time spent rendering a list of twenty ideas.
    Text in plain ASCII has none, so it is cut where `truncatechars` would cut it without
    the walk; any other text goes to `truncatechars` itself."""
    text = str(value)
    length = int(length)
    if not text.isascii() or length <= 0:
        return truncatechars(text, length)
    if len(text) <= length:
        return text
    return add_truncation_text(text[: calculate_truncate_chars_length(length, None)], None)
