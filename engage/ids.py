"""Object ids read by hand from a request: the one place that says what an id looks like.

A form field reads and checks its own value. A view that reads ids straight from
`request.POST` (ticked rows, a chosen theme) reads them here instead: a value that is not an id
is refused before it reaches the database, where it would be a 500 ("abc" or "1.5" cannot be
compared with a number; SQLite cannot even be asked about a number beyond 64 bits; "²" passes
`str.isdigit` but not `int`; PostgreSQL refuses a NUL byte).

Our pages only ever send ids they printed, so a value that is not one comes from a hand-made
request: it gets a plain 400 (`BadRequest`), not a guess at what was meant. An id that is
well formed but names nothing, or something of another PCN, is for the view to answer (not
found, or a form error).
"""

import re

from django.core.exceptions import BadRequest

MAX_ID = 2**63 - 1  # the largest id a 64-bit integer column holds
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """`value` as an id (a whole number from 1 to MAX_ID, in ASCII digits), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= MAX_ID else None
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def posted_id(data, name: str) -> int | None:
    """The id in `data[name]` (a QueryDict), or None if it is missing or empty.

    Raises BadRequest if the value is not an id."""
    value = data.get(name)
    if value is None or value == "":
        return None
    number = parse_id(value)
    if number is None:
        raise BadRequest(f"'{name}' is not an id.")
    return number


def posted_ids(data, name: str) -> list[int]:
    """Every id in `data.getlist(name)`, each once, in order (empty values left out).

    Raises BadRequest if any value is not an id."""
    numbers = []
    for value in data.getlist(name):
        if value == "":
            continue
        number = parse_id(value)
        if number is None:
            raise BadRequest(f"'{name}' holds something that is not an id.")
        numbers.append(number)
    return list(dict.fromkeys(numbers))
