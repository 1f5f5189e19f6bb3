"""Issue #14: a place lead's and an ICS lead's screens (their charts, and who took part) read
the database a fixed number of times, at most 15, whatever the number of PCNs, people and
ideas.

Each count is exact, signed in with an authenticator app as every lead is, counted with the
test client, with the screen's figures stored ahead (`consultations.rollup_figures`: the
snapshot is worked out again after the data grows, so the larger count reads the larger
figures). Signing in, who the person is and Wagtail's admin around the screen take 11 or 12
of them on any admin screen; the screen itself 2. Each screen's count:

- signing in, on every admin page (5): the session, the user (with whether they have an
  authenticator app and a verified email address: `engage.backends`), their groups
  (`engage.roles.group_ids`), their permissions, their Wagtail profile;
- who they are (2): the PCNs in which any of their groups holds a role
  (`home.boundary.pcn_ids_with_role`), and the Places and ICSs they lead, in one union
  (`home.boundary.place_ids_led_by`, `ics_ids_led_by`); every menu item and permission
  policy asks these, once per request;
- Wagtail's admin around the screen (3): locales, group page permissions, group collection
  permissions;
- the explorer (1 or 2): the paths of the lead's Place or ICS vision page that the page
  explorer may show (`home.admin_scope`), and, when there is one, the explorer's start page
  (the place lead's Place has a vision page here; the ICS has none);
- the screen (2): the Place or ICS (found, and the lead's right to it checked, first), and
  its stored figures.

A stale snapshot adds one query (marking it, so one refresh is queued); a screen with no
snapshot yet, or who took part over dates the lead chose, works its figures out as it did
before snapshots (8 to 10 queries more: tests/systems/test_rollup_snapshots.py).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Channel, RollupSnapshot
from consultations.tasks import refresh_rollup
from tests.charts.conftest import add_ideas
from tests.factories import make_consultation, make_pcn_site
from tests.places.test_place_who_took_part import _place_of, people, post
from tests.systems.conftest import make_ics_lead

pytestmark = pytest.mark.django_db

SIGNING_IN, WHO_THEY_ARE, WAGTAIL = 5, 2, 3
EXPLORER_WITH_A_VISION_PAGE, EXPLORER_WITHOUT = 2, 1
THE_SCREEN = 2  # the Place or ICS, and its stored figures
BUDGET = 15


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return len(captured)


def _grow(place_name: str, *, n: int):
    """`n` more PCNs in the Place named `place_name` (made if new, in the same ICS), with
    people who took part, and more ideas, comments and an older closed consultation."""
    _place_of(n, 15, place_name)
    for i in range(n):
        _home, index, _ = make_pcn_site(
            name=f"{place_name} grown {i}",
            hostname=f"{place_name.lower()}-grown{i}.example",
            default=False,
            place_name=place_name,
        )
        consultation = make_consultation(
            index, phase="closed", closes_at=timezone.now() - timedelta(days=2)
        )
        for days in (3, 40, 100):
            add_ideas(consultation, 10, comments=2, days_ago=days, channel=Channel.MEETING)


def _refresh_all():
    """Work out every stored snapshot again, as `manage.py refresh_rollups` does."""
    for snapshot in RollupSnapshot.objects.all():
        refresh_rollup.call(
            kind=snapshot.kind,
            organisation_id=snapshot.place_id or snapshot.integrated_care_system_id,
            parameters=snapshot.parameters,
        )


def _counts_at_two_sizes(client, url, *, grow) -> tuple[int, int]:
    client.get(url)  # warm what every admin page fills once, and store the figures
    assert RollupSnapshot.objects.count() == 1
    small = _queries(client, url)
    figures = RollupSnapshot.objects.get().figures
    grow()
    _refresh_all()
    assert RollupSnapshot.objects.get().figures != figures  # the larger figures are read
    client.get(url)  # new sites: Wagtail reads its sites' root paths again once
    return small, _queries(client, url)


def test_a_place_leads_charts(client, systems):
    """14 (was 22 worked out in the request): signing in 5, who they are 2, Wagtail 3, the
    explorer 2, the Place and its stored charts."""
    add_ideas(systems.one.consultation, 3, comments=1)
    client.force_login(systems.place_lead)
    url = reverse("charts:place", args=[systems.riverbridge.pk])
    small, large = _counts_at_two_sizes(client, url, grow=lambda: _grow("Riverbridge", n=3))
    assert systems.riverbridge.pcns.count() == 8
    chrome = SIGNING_IN + WHO_THEY_ARE + WAGTAIL + EXPLORER_WITH_A_VISION_PAGE
    assert small == large == chrome + THE_SCREEN <= BUDGET


def test_a_place_leads_who_took_part(client, systems, settings):
    """14 (was 20 worked out in the request): signing in 5, who they are 2, Wagtail 3, the
    explorer 2, the Place and its stored figures."""
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    post(systems.one.consultation, people(12))
    client.force_login(systems.place_lead)
    url = reverse("place_vision:who_took_part", args=[systems.riverbridge.pk])
    small, large = _counts_at_two_sizes(client, url, grow=lambda: _grow("Riverbridge", n=3))
    assert systems.riverbridge.pcns.count() == 8
    chrome = SIGNING_IN + WHO_THEY_ARE + WAGTAIL + EXPLORER_WITH_A_VISION_PAGE
    assert small == large == chrome + THE_SCREEN <= BUDGET


def test_an_ics_leads_charts(client, systems):
    """13 (was 20 worked out in the request): signing in 5, who they are 2, Wagtail 3, the
    explorer 1, the ICS and its stored charts (with its Places and their PCNs, listed below
    them)."""
    add_ideas(systems.one.consultation, 3, comments=1)
    client.force_login(make_ics_lead(systems.ics))
    url = reverse("charts:ics", args=[systems.ics.pk])

    def grow():
        _grow("Riverbridge", n=2)
        _grow("Grownplace", n=2)

    small, large = _counts_at_two_sizes(client, url, grow=grow)
    assert systems.ics.places.count() == 3
    chrome = SIGNING_IN + WHO_THEY_ARE + WAGTAIL + EXPLORER_WITHOUT
    assert small == large == chrome + THE_SCREEN <= BUDGET


def test_an_ics_leads_who_took_part(client, systems, settings):
    """13 (was 20 worked out in the request): signing in 5, who they are 2, Wagtail 3, the
    explorer 1, the ICS and its stored figures."""
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    post(systems.one.consultation, people(12))
    client.force_login(make_ics_lead(systems.ics))
    url = reverse("ics_vision:who_took_part", args=[systems.ics.pk])

    def grow():
        _grow("Riverbridge", n=2)
        _grow("Grownplace", n=2)

    small, large = _counts_at_two_sizes(client, url, grow=grow)
    assert systems.ics.places.count() == 3
    chrome = SIGNING_IN + WHO_THEY_ARE + WAGTAIL + EXPLORER_WITHOUT
    assert small == large == chrome + THE_SCREEN <= BUDGET
