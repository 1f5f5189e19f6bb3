"""The fast date filters of lists write exactly what the `date` filter writes."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

# Either side of the clocks changing in London, the turn of a year, a leap day, midnight.
MOMENTS = [
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2028, 2, 29, 23, 5, tzinfo=UTC),
    datetime(2026, 6, 1, 23, 0, tzinfo=UTC),
] + [datetime(2026, 1, 1, 7, 3, tzinfo=UTC) + timedelta(days=n, minutes=n) for n in range(366)]

PAIRS = [
    ("iso_datetime", "c"),
    ("day_month_year", "j F Y"),
    ("day_month_year_time", "j F Y, H:i"),
]


def render(source: str, value) -> str:
    return Template("{% load dates %}" + source).render(Context({"value": value}))


@pytest.mark.parametrize("fast, format", PAIRS)
@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York"])
def test_each_filter_writes_what_the_date_filter_writes(fast, format, zone):
    with timezone.override(zone):
        for moment in MOMENTS:
            expected = render(f'{{{{ value|date:"{format}" }}}}', moment)
            assert render(f"{{{{ value|{fast} }}}}", moment) == expected, moment


@pytest.mark.parametrize("fast, format", PAIRS)
@pytest.mark.parametrize("value", [None, "", "not a date"])
def test_anything_but_a_date_writes_what_the_date_filter_writes(fast, format, value):
    assert render(f"{{{{ value|{fast} }}}}", value) == render(
        f'{{{{ value|date:"{format}" }}}}', value
    )
