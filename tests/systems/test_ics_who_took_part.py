"""Who took part across an integrated care system (consultations/rollup.py
`ics_representation` and consultations/viewsets/systems/who_took_part.py): each person once
across the ICS's PCNs, its Places side by side (each its PCNs' rows added up) and each Place's
PCNs, private consultations and other ICSs left out, no count from 1 to 9 shown and none
worked out from a Place's row, who may see it, wrong dates, and a query count that does not
grow with the Places, PCNs or answers."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Comment, Idea, PostStatus
from tests.factories import UserFactory, make_admin, make_moderator, make_pcn_lead
from tests.places.test_place_who_took_part import (
    ANSWERS,
    _csv,
    _label,
    _place_of,
    _value,
    offline,
    patients,
    people,
    post,
)
from tests.systems.conftest import make_ics_lead

pytestmark = pytest.mark.django_db

PAGE = "ics_vision:who_took_part"
CSV = "ics_vision:who_took_part_csv"
ADDED_UP = "People who took part in its PCNs, added up"


def _get(client, name, ics, query=None):
    return client.get(reverse(name, args=[ics.pk]), query or {})


def _table(soup, caption_start) -> list[list[str]]:
    for found in soup.find_all("table"):
        if found.caption.get_text(strip=True).startswith(caption_start):
            return [
                [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
                for row in found.find_all("tr")
            ][1:]
    raise AssertionError(f"no table {caption_start!r}")


# What it counts


def test_each_person_once_across_the_ics_with_its_places_and_pcns_side_by_side(
    client, systems, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    both = people(12)
    post(systems.one.consultation, both)
    south = post(systems.two.consultation, people(15, answers={**ANSWERS, "sex": "male"}))
    # The same 12 comment in South and post in Otherbridge's PCN: one person each in the ICS.
    Comment.objects.bulk_create(
        Comment(idea=south[0], author=p, body="Yes", status=PostStatus.PUBLISHED) for p in both
    )
    post(systems.other.consultation, [*both, *people(10)])
    offline(systems.two.consultation, 11)
    # Not counted: pending posts, the private consultation, another ICS's.
    post(systems.one.consultation, people(20), status=PostStatus.PENDING)
    post(systems.private, people(30))
    post(systems.elsewhere.consultation, people(40))
    patients(systems.one.pcn, 6000)
    patients(systems.two.pcn, 12000)
    patients(systems.other.pcn, 3000)

    client.force_login(systems.ics_lead)
    rows = _csv(_get(client, CSV, systems.ics))
    assert _value(rows, "ICS") == "Test ICS"
    # 12 everywhere + 15 in South + 11 on paper in South + 10 in Otherbridge.
    assert _value(rows, "People who took part, each counted once") == "48"
    assert _value(rows, "Age and sex", "All", "All") == "48"
    # PCNs: North 12, South 12 + 15 + 11, OTHERPLACE 12 + 10.
    assert _value(rows, "People who took part", _label(systems.one.pcn)) == "12"
    assert _value(rows, "People who took part", _label(systems.two.pcn)) == "38"
    assert _value(rows, "People who took part", _label(systems.other.pcn)) == "22"
    # Places: their PCNs' rows added up (the 12 count twice in Riverbridge).
    assert _value(rows, ADDED_UP, "Riverbridge") == "50"
    assert _value(rows, ADDED_UP, "Otherbridge") == "22"
    assert _value(rows, "Registered patients", "Riverbridge") == "18000"
    per_thousand = "People who took part per 1,000 registered patients"
    assert _value(rows, per_thousand, "Riverbridge") == "2.8"
    assert _value(rows, per_thousand, "Otherbridge") == "7.3"
    assert not [r for r in rows if "OTHERICS" in " ".join(r)]

    page = _get(client, PAGE, systems.ics)
    soup = BeautifulSoup(page.content, "html.parser")
    text = soup.get_text(" ", strip=True)
    assert "48 people took part across 2 Places and 3 PCNs" in text
    assert _table(soup, "People who took part in each Place") == [
        ["Otherbridge", "3000", "22", "7.3"],
        ["Riverbridge", "18000", "50", "2.8"],
    ]
    assert _table(soup, "People who took part in each of Riverbridge") == [
        ["North PCN", "6000", "12", "2.0"],
        ["South PCN", "12000", "38", "3.2"],
    ]
    for secret in ("OTHERICS", "PRIVATECONSULTATION"):
        assert secret not in page.content.decode()


# Small numbers


def test_no_count_from_1_to_9_shows_and_none_can_be_worked_out_from_a_place(
    client, systems, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    post(systems.one.consultation, people(3))  # North: 3
    post(systems.two.consultation, people(20))  # South: 20
    post(systems.other.consultation, people(4))  # Otherbridge's only PCN: 4
    client.force_login(systems.ics_lead)
    rows = _csv(_get(client, CSV, systems.ics))
    # North's 3 is hidden, and South's with it (or Riverbridge's 23 would give North away);
    # Otherbridge's 4 is hidden, and so Riverbridge's row too (or the ICS's 27 would).
    north, south, other = (_label(x.pcn) for x in (systems.one, systems.two, systems.other))
    for label in (north, south, other):
        assert _value(rows, "People who took part", label) == "hidden"
    assert _value(rows, ADDED_UP, "Riverbridge") == "hidden"
    assert _value(rows, ADDED_UP, "Otherbridge") == "hidden"
    assert _value(rows, "People who took part, each counted once") == "27"
    counts = [r for r in rows if "share" not in r[1] and r[0] != "About these figures"]
    assert not [r for r in counts if re.fullmatch(r"[1-9]", str(r[4]))], counts

    soup = BeautifulSoup(_get(client, PAGE, systems.ics).content, "html.parser")
    cells = [td.get_text(strip=True) for td in soup.select("table td")]
    assert "hidden" in cells
    assert not [c for c in cells if re.fullmatch(r"[1-9]", c)], cells


def test_a_small_place_row_is_hidden_with_another_beside_it(client, systems):
    """Riverbridge's PCNs: 5 and 0, so its row is 5, hidden; Otherbridge's 30 is hidden too,
    or the ICS's 35 would give Riverbridge's away. South's 0 is shown: zeros tell nothing."""
    post(systems.one.consultation, people(5))
    post(systems.other.consultation, people(30))
    client.force_login(systems.ics_lead)
    rows = _csv(_get(client, CSV, systems.ics))
    assert _value(rows, ADDED_UP, "Riverbridge") == "hidden"
    assert _value(rows, ADDED_UP, "Otherbridge") == "hidden"
    assert _value(rows, "People who took part", _label(systems.two.pcn)) == "0"


# Who may see it


def test_the_ics_leads_and_admins_see_it_from_the_ics_vision_screen(client, systems):
    for person in (systems.ics_lead, systems.admin):
        client.force_login(person)
        assert _get(client, PAGE, systems.ics).status_code == 200
        assert _get(client, CSV, systems.ics).status_code == 200
    client.force_login(systems.ics_lead)
    index = client.get(reverse("ics_vision:index"))
    assert index.status_code == 200
    html = index.content.decode()
    assert reverse(PAGE, args=[systems.ics.pk]) in html
    assert reverse("charts:ics", args=[systems.ics.pk]) in html
    assert reverse(PAGE, args=[systems.other_ics.pk]) not in html
    assert "OTHERICS" not in html
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("ics_vision:index") in menu


def test_another_ics_lead_place_leads_staff_moderators_and_residents_are_refused(client, systems):
    client.force_login(systems.other_ics_lead)
    for name in (PAGE, CSV):
        assert _get(client, name, systems.ics).status_code == 404
    pcn = systems.one.pcn
    refused = (
        systems.place_lead,
        systems.staff,
        make_pcn_lead(pcn),
        make_moderator(pcn),
        UserFactory(),
    )
    for person in refused:
        client.force_login(person)
        for name in (PAGE, CSV, "ics_vision:index"):
            url = reverse(name, args=[systems.ics.pk] if name != "ics_vision:index" else [])
            response = client.get(url)
            assert response.status_code == 302, (person, name)
            location = response["Location"]
            assert location == reverse("wagtailadmin_home") or location.startswith("/admin/login/")
        assert (
            reverse("ics_vision:index")
            not in client.get(reverse("wagtailadmin_home")).content.decode()
        )
    client.logout()
    assert _get(client, PAGE, systems.ics).status_code == 302
    client.force_login(make_admin())
    assert client.get(reverse(PAGE, args=["x"])).status_code == 404
    assert client.get(reverse(PAGE, args=[999999])).status_code == 404


def test_wrong_dates_get_a_clear_error_and_keep_what_was_typed(client, systems):
    client.force_login(systems.ics_lead)
    query = {"start": "2026-05-01", "end": "2026-04-01"}
    response = _get(client, PAGE, systems.ics, query)
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert (
        "The start date must be on or before the end date"
        in soup.select_one("#id_start-error").get_text()
    )
    assert soup.select_one('[role="alert"]').find("a", href="#id_start")
    assert soup.select_one("#id_start")["value"] == "2026-05-01"
    assert not soup.select("table")
    response = _get(client, CSV, systems.ics, {"start": "17/03/2026"})
    assert response.status_code == 400
    assert "Enter a real date, for example 2026-03-17" in response.content.decode()


# Speed


def test_the_query_count_does_not_grow_with_the_places_pcns_or_answers(client, systems, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    post(systems.one.consultation, people(12))
    client.force_login(make_ics_lead(systems.ics))
    counts = {}
    for size in ("small", "large"):
        if size == "large":
            _place_of(3, 30, "Largeplace")
            _place_of(4, 20, "Widerplace")
            assert Idea.objects.count() > 200
            # The stored figures worked out again, as the scheduled job does, so the larger
            # count reads the larger figures.
            call_command("refresh_rollups", stdout=io.StringIO())
        for name in (PAGE, CSV):
            _get(client, name, systems.ics)  # warm the caches every admin page fills once
            with CaptureQueriesContext(connection) as captured:
                response = _get(client, name, systems.ics)
                if name == CSV:
                    rows = _csv(response)
                else:
                    assert response.status_code == 200
            counts[(size, name)] = len(captured)
    assert _value(rows, ADDED_UP, "Widerplace") == f"{4 * 30 + 3 * 7}"
    for name in (PAGE, CSV):
        assert counts[("small", name)] == counts[("large", name)], counts
