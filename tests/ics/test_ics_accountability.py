"""An integrated care system's record of acting on its shared vision: the PCN themes behind
its priorities that its updates act on, days from citing to acting, actions done; on its
vision page above its Places' records, and in the open data API."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import loop
from consultations.models import (
    IcsPriority,
    IcsPriorityLink,
    IcsUpdateAction,
    PlacePriority,
    PlacePriorityLink,
)
from consultations.services.places import place_site_setup
from consultations.services.systems import ics_site_setup
from home.models import IntegratedCareSystem
from tests.factories import UserFactory
from tests.ics.conftest import make_ics_update
from tests.places.conftest import make_pcn_with_theme
from tests.places.test_place_updates import idea_in, make_place_update


@pytest.fixture(autouse=True)
def _example_hosts(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".example"]
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0  # every page rendered, its queries counted
    settings.ENGAGE_API_CACHE_SECONDS = 0


def _second_priority(system):
    """An ICS priority citing Otherbridge's priority (PCN OTHERPLACE's theme), not acted on."""
    second = IcsPriority.objects.create(
        page=system.vision, title="Unanswered", description="Later."
    )
    IcsPriorityLink.objects.create(priority=second, place_priority=system.places.other_priority)
    return second


def test_the_ics_record_counts_its_own_decisions(cited):
    system = cited
    second = _second_priority(system)
    IcsPriorityLink.objects.filter(priority=system.priority).update(
        confirmed_at=timezone.now() - timedelta(days=12)
    )
    make_ics_update(
        system.vision,
        priorities=[system.priority],
        actions=[
            IcsUpdateAction(description="Hubs", status="done"),
            IcsUpdateAction(description="Buses", status="planned"),
            IcsUpdateAction(description="Vans", status="done"),
        ],
    )
    make_ics_update(system.vision, priorities=[second], publish=False)  # a draft: not counted
    # A Place's own decision is the Place's record, not the ICS's.
    make_place_update(system.places.other_vision, priorities=[system.places.other_priority])

    records = loop.ics_accountability(systems=[system.ics, system.other_ics])
    record = records[system.ics.pk]

    # Themes behind its priorities: PCN one's and PCN two's (through Riverbridge's priority,
    # acted on), and OTHERPLACE PCN's (through Otherbridge's, not acted on).
    assert (record.themes, record.themes_answered) == (3, 2)
    assert record.median_days_to_response == 12
    assert (record.actions, record.actions_done, record.actions_done_percent) == (3, 2, 67)
    theirs = records[system.other_ics.pk]
    assert (theirs.themes, theirs.themes_answered, theirs.actions) == (1, 0, 0)
    assert theirs.median_days_to_response is None


def test_a_private_or_unpublished_source_adds_nothing(cited):
    system = cited
    PlacePriorityLink.objects.create(
        priority=system.places.priority, theme=system.places.private_theme
    )
    make_ics_update(system.vision, priorities=[system.priority])
    record = loop.ics_accountability(systems=[system.ics])[system.ics.pk]
    assert (record.themes, record.themes_answered) == (2, 2)  # never the private theme
    system.places.vision.unpublish()  # its priorities no longer cite anything
    record = loop.ics_accountability(systems=[system.ics])[system.ics.pk]
    assert (record.themes, record.themes_answered, record.median_days_to_response) == (
        0,
        0,
        None,
    )
    assert record.actions == 1  # what the ICS did still counts


def test_the_vision_page_shows_its_own_record_above_its_places(cited):
    system = cited
    _second_priority(system)
    make_ics_update(
        system.vision,
        priorities=[system.priority],
        actions=[IcsUpdateAction(description="Hubs", status="done")],
    )
    html = Client(HTTP_HOST="ics.example").get("/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    record = {
        row.select_one("dt").get_text(" ", strip=True): row.select_one("dd").get_text(
            " ", strip=True
        )
        for row in soup.select(".engage-ics-record .nhsuk-summary-list__row")
    }
    assert record == {
        "PCN themes behind a priority the integrated care system acted on": "67% (2 of 3)",
        "Typical time from a priority citing what its Places agreed to the integrated care "
        "system acting on it": "0 days (median)",
        "The integrated care system's actions done": "100% (1 of 1)",
    }
    # The page works its record out from what it reads already: the same figures.
    bulk = loop.ics_accountability(systems=[system.ics])[system.ics.pk]
    assert (bulk.themes, bulk.themes_answered, bulk.median_days_to_response) == (3, 2, 0)
    assert (bulk.actions, bulk.actions_done) == (1, 1)
    headings = [h2.get_text(strip=True) for h2 in soup.select("h2")]
    assert headings.index("How Test ICS is doing at closing the loop") < headings.index(
        "How Test ICS's Places are doing at closing the loop"
    )
    places = [row.select_one("th").get_text() for row in soup.select(".engage-place-records tr")]
    assert places[1:] == ["Otherbridge", "Riverbridge"]
    assert "OTHERICS" not in html


def test_a_new_vision_says_it_has_no_record_yet(system):
    html = Client(HTTP_HOST="ics.example").get("/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    values = [dd.get_text(strip=True) for dd in soup.select(".engage-ics-record dd")]
    assert values == ["No themes cited yet", "No decisions yet", "No actions yet"]


def _ics_with_places(count: int, hostname: str):
    """An ICS of `count` Places of two PCNs each, every Place priority cited by the ICS's
    priority, and one ICS update acting on it."""
    ics = IntegratedCareSystem.objects.create(name=f"ICS {hostname}")
    vision = ics_site_setup(ics=ics, hostname=hostname)
    vision.save_revision().publish()
    vision.refresh_from_db()
    priority = IcsPriority.objects.create(page=vision, title="Together", description="All.")
    for n in range(count):
        pcns = [
            make_pcn_with_theme(
                name=f"{hostname} PCN {n}.{m}",
                hostname=f"{n}-{m}.{hostname}",
                place_name=f"Place {n} {hostname}",
                theme_name=f"Theme {n}.{m}",
            )
            for m in range(2)
        ]
        place = pcns[0].pcn.place
        place.integrated_care_system = ics
        place.save()
        place_vision = place_site_setup(place=place, hostname=f"place-{n}.{hostname}")
        place_vision.save_revision().publish()
        place_priority = PlacePriority.objects.create(
            page=place_vision, title=f"Place {n}", description="Ours."
        )
        for pcn in pcns:
            PlacePriorityLink.objects.create(priority=place_priority, theme=pcn.theme)
            idea_in(pcn.theme, UserFactory())
        IcsPriorityLink.objects.create(priority=priority, place_priority=place_priority)
    make_ics_update(vision, priorities=[priority])
    return vision


def test_the_vision_page_takes_as_many_queries_with_more_places_and_pcns(db):
    counts = {}
    for count, hostname in ((1, "small.example"), (4, "large.example")):
        vision = _ics_with_places(count, hostname)
        client = Client(HTTP_HOST=hostname)
        assert client.get("/").status_code == 200  # warm the site's caches
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/").content.decode()
        soup = BeautifulSoup(html, "html.parser")
        assert len(soup.select(".engage-place-records tbody tr")) == count
        answered = soup.select(".engage-ics-record dd")[0].get_text(strip=True)
        assert answered == f"100% ({2 * count} of {2 * count})"
        counts[count] = len(queries)
        assert vision.url
    assert counts[1] == counts[4]
    assert counts[4] <= 15


def test_the_record_takes_as_many_queries_for_more_systems(db):
    small = _ics_with_places(1, "small.example")
    one = [small.ics]
    with CaptureQueriesContext(connection) as few:
        loop.ics_accountability(systems=one)
    large = [_ics_with_places(3, f"large{n}.example") for n in range(2)]
    systems = [vision.ics for vision in [small, *large]]
    with CaptureQueriesContext(connection) as many:
        records = loop.ics_accountability(systems=systems)
    assert [records[vision.ics_id].themes_answered for vision in [small, *large]] == [2, 6, 6]
    assert len(many) == len(few)


# The open data API


def test_the_api_gives_each_systems_record(cited):
    system = cited
    make_ics_update(
        system.vision,
        priorities=[system.priority],
        actions=[IcsUpdateAction(description="Hubs", status="done")],
    )
    make_ics_update(system.vision, priorities=[system.priority], publish=False)
    client = Client()
    response = client.get("/api/v1/ics-accountability/")
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    ours = rows["Test ICS"]
    assert ours["id"] == system.ics.pk
    assert (ours["themes"], ours["themes_answered"], ours["themes_answered_percent"]) == (2, 2, 100)
    assert (ours["actions"], ours["actions_done"]) == (1, 1)  # the draft's action not counted
    assert ours["median_days_to_response"] == 0
    assert rows["OTHERICS"]["themes"] == 1 and rows["OTHERICS"]["themes_answered"] == 0
    assert "pcn" not in ours and "place" not in ours
    only = client.get("/api/v1/ics-accountability/", {"ics": system.ics.pk}).json()
    assert [row["name"] for row in only["results"]] == ["Test ICS"]
    places = client.get("/api/v1/place-accountability/", {"ics": system.ics.pk}).json()
    assert sorted(row["name"] for row in places["results"]) == ["Otherbridge", "Riverbridge"]


@pytest.mark.parametrize(
    "params",
    [{"ics": "abc"}, {"ics": "-1"}, {"ics": str(2**64)}, {"colour": "red"}, {"cursor": "zz"}],
)
def test_the_api_refuses_bad_parameters_with_a_json_400(db, params):
    response = Client().get("/api/v1/ics-accountability/", params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) & {*params, "detail"}


def test_the_api_pages_with_a_cursor(db):
    for n in range(3):
        IntegratedCareSystem.objects.create(name=f"ICS {n}")
    client = Client()
    first = client.get("/api/v1/ics-accountability/", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert {row["name"] for row in first["results"] + second["results"]} == {
        "ICS 0",
        "ICS 1",
        "ICS 2",
    }


def test_the_api_takes_as_many_queries_for_more_systems(db):
    client = Client()
    _ics_with_places(1, "small.example")
    client.get("/api/v1/ics-accountability/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/ics-accountability/")
    _ics_with_places(3, "large.example")
    with CaptureQueriesContext(connection) as many:
        rows = client.get("/api/v1/ics-accountability/").json()["results"]
    answered = {row["name"]: row["themes_answered"] for row in rows}
    assert (answered["ICS small.example"], answered["ICS large.example"]) == (2, 6)
    assert len(many) == len(few)
