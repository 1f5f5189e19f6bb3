"""The idea list's `excerpt` filter writes exactly what `truncatechars` writes."""

import pytest
from django.template import Context, Template

from tests.hostile_payloads import PAYLOADS

TEXTS = [
    "",
    "Short.",
    "x" * 239,
    "x" * 240,
    "x" * 241,
    "Please open the surgery until 8pm on weekdays. " * 12,
    "Café near the pharmacy, please. " * 10,  # an accent, composed
    "Cafe\u0301 near the pharmacy, please. " * 10,  # an accent, combining
    "Zalgo\u0336\u0336\u0336 " * 80,
    "<script>alert(1)</script> & more " * 10,
    *(payload.value for payload in PAYLOADS),
]


def render(source: str, value) -> str:
    return Template("{% load resident_text %}" + source).render(Context({"value": value}))


@pytest.mark.parametrize("length", [0, 1, 2, 80, 240])
def test_excerpt_writes_what_truncatechars_writes(length):
    for text in TEXTS:
        expected = render(f"{{{{ value|truncatechars:{length} }}}}", text)
        assert render(f"{{{{ value|excerpt:{length} }}}}", text) == expected, text
