"""A Place's and an ICS's leads' screens show figures worked out ahead
(`consultations.rollup_figures`, `consultations.snapshots`): stored when first asked for,
shown while fresh, shown and refreshed (once) when stale, refreshed by a task that is safe to
run twice and by `manage.py refresh_rollups`; every screen says when its figures were worked
out and how old they can be, its CSV holds the same figures, and a hidden count is never
stored. Who took part over dates the lead chose is worked out as it is asked for, not
stored."""

import csv
import io
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import RollupKind, RollupSnapshot
from consultations.snapshots import DEFAULT_PERIOD, charts_parameters
from consultations.tasks import refresh_rollup
from home.models import IntegratedCareSystem, Place, Practice
from tests.charts.conftest import add_ideas
from tests.places.test_place_who_took_part import people, post

pytestmark = pytest.mark.django_db

TWELVE_MONTHS = charts_parameters(12)


def _text(response) -> str:
    assert response.status_code == 200, response.content[:500]
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:500]
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def _value(rows, figure, row="", column="") -> str:
    found = [r[4] for r in rows if r[1] == figure and r[2] == row and r[3] == column]
    assert len(found) == 1, (figure, row, column, found)
    return found[0]


def _make_stale(snapshot, *, minutes=16):
    RollupSnapshot.objects.filter(pk=snapshot.pk).update(
        computed_at=timezone.now() - timedelta(minutes=minutes)
    )


# No snapshot yet


def test_a_screen_with_no_snapshot_works_its_figures_out_stores_and_shows_them(
    client, systems, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    post(systems.one.consultation, people(12))
    client.force_login(systems.place_lead)
    assert not RollupSnapshot.objects.exists()

    text = _text(client.get(reverse("place_vision:who_took_part", args=[systems.riverbridge.pk])))

    snapshot = RollupSnapshot.objects.get()
    assert (snapshot.kind, snapshot.place, snapshot.parameters) == (
        RollupKind.PLACE_WHO_TOOK_PART,
        systems.riverbridge,
        DEFAULT_PERIOD,
    )
    assert snapshot.integrated_care_system is None
    assert snapshot.figures["contributors"] == {"value": 12, "shown": True}
    assert "12 people took part across 2 PCNs" in text
    assert timezone.now() - snapshot.computed_at < timedelta(minutes=1)


def test_each_screen_stores_its_own_snapshot(client, systems):
    add_ideas(systems.one.consultation, 3)
    client.force_login(systems.ics_lead)
    pages = [
        ("charts:place", systems.riverbridge, RollupKind.PLACE_CHARTS, TWELVE_MONTHS),
        ("charts:ics", systems.ics, RollupKind.ICS_CHARTS, TWELVE_MONTHS),
        ("place_vision:who_took_part", systems.riverbridge, RollupKind.PLACE_WHO_TOOK_PART, ""),
        ("ics_vision:who_took_part", systems.ics, RollupKind.ICS_WHO_TOOK_PART, ""),
    ]
    ics_lead = systems.ics_lead
    for name, organisation, kind, parameters in pages:
        client.force_login(
            ics_lead if isinstance(organisation, IntegratedCareSystem) else systems.place_lead
        )
        assert client.get(reverse(name, args=[organisation.pk])).status_code == 200
        field = (
            "integrated_care_system" if isinstance(organisation, IntegratedCareSystem) else "place"
        )
        assert RollupSnapshot.objects.filter(
            kind=kind, parameters=parameters, **{field: organisation}
        ).exists()
    # Another choice of months is a snapshot of its own.
    client.force_login(ics_lead)
    client.get(reverse("charts:ics", args=[systems.ics.pk]), {"months": 3})
    assert RollupSnapshot.objects.filter(kind=RollupKind.ICS_CHARTS).count() == 2
    assert RollupSnapshot.objects.count() == 5


# Fresh, stale


def test_a_fresh_snapshot_is_shown_as_stored_with_when_it_was_worked_out(client, systems):
    add_ideas(systems.one.consultation, 3)
    client.force_login(systems.place_lead)
    url = reverse("charts:place", args=[systems.riverbridge.pk])
    client.get(url)
    snapshot = RollupSnapshot.objects.get()
    add_ideas(systems.one.consultation, 5)  # after the figures were worked out

    with CaptureQueriesContext(connection) as captured:
        text = _text(client.get(url))
    read = [q["sql"] for q in captured if "rollupsnapshot" in q["sql"]]
    assert len(read) == 1 and read[0].startswith("SELECT")  # one read, nothing written
    local = timezone.localtime(snapshot.computed_at)
    assert (
        f"Worked out at {local:%H:%M} on {local.day} {local:%B %Y}. "
        "These figures can be up to 15 minutes old."
    ) in text
    assert "Newer figures are being worked out" not in text
    csv_url = reverse("charts:place_csv", args=[systems.riverbridge.pk, "channels"])
    assert _csv(client.get(csv_url))[1][:2] == ["North PCN", "3"]  # not 8: as stored
    assert RollupSnapshot.objects.get().computed_at == snapshot.computed_at


def test_the_max_age_is_a_setting_and_the_page_says_it(client, systems, settings):
    settings.ENGAGE_ROLLUP_MAX_AGE_SECONDS = 60 * 60
    client.force_login(systems.ics_lead)
    text = _text(client.get(reverse("charts:ics", args=[systems.ics.pk])))
    assert "These figures can be up to 60 minutes old." in text


def test_a_stale_snapshot_is_shown_and_one_refresh_is_queued(
    client, systems, settings, django_capture_on_commit_callbacks
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    post(systems.one.consultation, people(12))
    client.force_login(systems.ics_lead)
    url = reverse("ics_vision:who_took_part", args=[systems.ics.pk])
    client.get(url)
    snapshot = RollupSnapshot.objects.get()
    _make_stale(snapshot)
    post(systems.two.consultation, people(11))  # since the figures were worked out

    with django_capture_on_commit_callbacks() as queued:
        text = _text(client.get(url))
    assert "12 people took part across 2 Places and 3 PCNs" in text  # as stored
    assert "Newer figures are being worked out: reload this page in a few minutes" in text
    assert len(queued) == 1
    marked = RollupSnapshot.objects.get()
    assert marked.refresh_requested_at is not None

    # A second look before the refresh has run queues nothing more.
    with django_capture_on_commit_callbacks() as queued_again:
        _text(client.get(url))
    assert queued_again == []

    # The refresh (run at once by the tests' immediate backend) stores the new figures.
    queued[0]()
    refreshed = RollupSnapshot.objects.get()
    assert refreshed.pk == snapshot.pk
    assert refreshed.refresh_requested_at is None
    assert refreshed.figures["contributors"] == {"value": 23, "shown": True}
    text = _text(client.get(url))
    assert "23 people took part across 2 Places and 3 PCNs" in text
    assert "Newer figures are being worked out" not in text


def test_a_refresh_queued_long_ago_and_lost_is_queued_again(
    client, systems, django_capture_on_commit_callbacks
):
    client.force_login(systems.place_lead)
    url = reverse("charts:place", args=[systems.riverbridge.pk])
    client.get(url)
    _make_stale(RollupSnapshot.objects.get(), minutes=40)
    RollupSnapshot.objects.update(refresh_requested_at=timezone.now() - timedelta(minutes=20))
    with django_capture_on_commit_callbacks() as queued:
        client.get(url)
    assert len(queued) == 1


# The task and the command


def test_the_task_is_safe_to_run_twice_and_refreshes_the_figures(systems):
    place = systems.riverbridge
    add_ideas(systems.one.consultation, 4)
    refresh_rollup.call(
        kind=RollupKind.PLACE_CHARTS, organisation_id=place.pk, parameters=TWELVE_MONTHS
    )
    first = RollupSnapshot.objects.get()
    refresh_rollup.call(
        kind=RollupKind.PLACE_CHARTS, organisation_id=place.pk, parameters=TWELVE_MONTHS
    )
    again = RollupSnapshot.objects.get()
    assert again.pk == first.pk
    assert again.figures == first.figures
    assert again.computed_at >= first.computed_at

    add_ideas(systems.two.consultation, 6)
    refresh_rollup.call(
        kind=RollupKind.PLACE_CHARTS, organisation_id=place.pk, parameters=TWELVE_MONTHS
    )
    changed = RollupSnapshot.objects.get()
    assert changed.figures != first.figures
    channels = next(c for c in changed.figures["charts"] if c["slug"] == "channels")
    online = next(s for s in channels["series"] if s["name"] == "Online")
    assert [cell["value"] for cell in online["cells"]] == [4, 6]  # North, South


def test_the_task_leaves_a_gone_organisation_alone(systems):
    refresh_rollup.call(
        kind=RollupKind.ICS_CHARTS, organisation_id=999999, parameters=TWELVE_MONTHS
    )
    assert not RollupSnapshot.objects.exists()


def test_refresh_rollups_stores_every_places_and_icss_default_figures(systems):
    out = io.StringIO()
    call_command("refresh_rollups", stdout=out)
    places, systems_count = Place.objects.count(), IntegratedCareSystem.objects.count()
    assert RollupSnapshot.objects.count() == 2 * places + 2 * systems_count
    assert f"Queued {2 * places + 2 * systems_count} refreshes" in out.getvalue()
    assert set(RollupSnapshot.objects.values_list("parameters", flat=True)) == {
        TWELVE_MONTHS,
        DEFAULT_PERIOD,
    }
    call_command("refresh_rollups", stdout=io.StringIO())  # again: the same rows
    assert RollupSnapshot.objects.count() == 2 * places + 2 * systems_count


# Who may see them


def test_another_organisations_figures_are_not_found_before_any_snapshot_is_read(client, systems):
    call_command("refresh_rollups", stdout=io.StringIO())
    stored = RollupSnapshot.objects.count()
    refused = [
        (systems.place_lead, "charts:place", systems.otherbridge),
        (systems.place_lead, "place_vision:who_took_part", systems.otherbridge),
        (systems.other_ics_lead, "charts:ics", systems.ics),
        (systems.other_ics_lead, "ics_vision:who_took_part", systems.ics),
        (systems.ics_lead, "charts:ics", systems.other_ics),
        (systems.ics_lead, "ics_vision:who_took_part", systems.other_ics),
    ]
    for user, name, organisation in refused:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name, args=[organisation.pk]))
        assert response.status_code == 404, (name, organisation)
        assert not [q for q in captured if "rollupsnapshot" in q["sql"]], (name, organisation)
    assert RollupSnapshot.objects.count() == stored


# Small numbers


def _hidden_entries_hold_no_number(value) -> int:
    """How many hidden entries the stored JSON has; each must hold no number."""
    found = 0
    if isinstance(value, dict):
        if value.get("shown") is False and "value" in value:
            assert value["value"] is None, value
            found += 1
        if value.get("text") == "hidden":
            assert value["value"] is None, value
            found += 1
        for item in value.values():
            found += _hidden_entries_hold_no_number(item)
    elif isinstance(value, list):
        for item in value:
            found += _hidden_entries_hold_no_number(item)
    return found


def test_a_hidden_count_is_stored_without_its_number(client, systems, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    post(systems.one.consultation, people(3))  # North: 3, hidden
    post(systems.two.consultation, people(20))
    post(systems.two.consultation, people(12, answers={"age_band": "75_84", "sex": "male"}))
    client.force_login(systems.place_lead)
    page = client.get(reverse("place_vision:who_took_part", args=[systems.riverbridge.pk]))
    assert page.status_code == 200

    figures = RollupSnapshot.objects.get().figures
    assert _hidden_entries_hold_no_number(figures) >= 2
    north, south = figures["comparison"]
    assert north["contributors"] == south["contributors"] == {"value": None, "shown": False}
    assert north["per_thousand"] is None
    # The page and its CSV, from the stored figures, still show "hidden", and no 1 to 9.
    soup = BeautifulSoup(page.content, "html.parser")
    cells = [td.get_text(strip=True) for td in soup.select("table td")]
    assert "hidden" in cells
    assert not [c for c in cells if re.fullmatch(r"[1-9]", c)], cells
    rows = _csv(
        client.get(reverse("place_vision:who_took_part_csv", args=[systems.riverbridge.pk]))
    )
    assert (
        _value(rows, "People who took part", f"North PCN ({systems.one.pcn.ods_code})") == "hidden"
    )
    counts = [r for r in rows[1:] if "share" not in r[1] and r[0] != "About these figures"]
    assert not [r for r in counts if re.fullmatch(r"[1-9]", r[4])], counts


def test_a_practices_hidden_count_is_stored_without_its_number(client, systems):
    practice = Practice.objects.create(pcn=systems.one.pcn, name="Riverside Surgery", ods_code="R1")
    add_ideas(systems.one.consultation, 4, practice=practice)
    client.force_login(systems.place_lead)
    assert client.get(reverse("charts:place", args=[systems.riverbridge.pk])).status_code == 200
    figures = RollupSnapshot.objects.get().figures
    practices = next(chart for chart in figures["charts"] if chart["slug"] == "practices")
    cells = practices["series"][0]["cells"]
    assert {"value": None, "text": "hidden"} in cells
    assert 4 not in [cell["value"] for cell in cells]
    assert _hidden_entries_hold_no_number(figures) >= 1


# The CSV, and dates the lead chose


def test_the_csv_holds_the_pages_stored_figures_and_says_when(client, systems, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    post(systems.one.consultation, people(12))
    client.force_login(systems.place_lead)
    url = reverse("place_vision:who_took_part", args=[systems.riverbridge.pk])
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    csv_link = soup.find("a", string=re.compile("Download these figures"))["href"]
    assert csv_link == reverse("place_vision:who_took_part_csv", args=[systems.riverbridge.pk])
    post(systems.two.consultation, people(11))  # not yet in the stored figures

    rows = _csv(client.get(csv_link))
    assert _value(rows, "People who took part, each counted once") == "12"
    snapshot = RollupSnapshot.objects.get()
    worked_out = timezone.localtime(snapshot.computed_at).isoformat(timespec="seconds")
    assert _value(rows, "Worked out at") == worked_out

    # A place's charts' CSV: the same stored figures as its table.
    add_ideas(systems.one.consultation, 3)
    page = client.get(reverse("charts:place", args=[systems.riverbridge.pk]))
    assert page.status_code == 200
    add_ideas(systems.one.consultation, 7)
    channels = _csv(
        client.get(
            reverse("charts:place_csv", args=[systems.riverbridge.pk, "channels"]), {"months": 12}
        )
    )
    assert channels[1][:2] == ["North PCN", "15"]  # the 12 and the 3, not the 7 after


def test_dates_the_lead_chose_are_worked_out_as_asked_and_not_stored(client, systems, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    post(systems.one.consultation, people(12))
    client.force_login(systems.place_lead)
    url = reverse("place_vision:who_took_part", args=[systems.riverbridge.pk])
    today = timezone.localdate()
    query = {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()}
    page = client.get(url, query)
    text = _text(page)
    assert "Worked out just now, for the dates you chose." in text
    assert "12 people took part" in text
    assert not RollupSnapshot.objects.exists()
    soup = BeautifulSoup(page.content, "html.parser")
    csv_link = soup.find("a", string=re.compile("Download these figures"))["href"]
    assert f"start={query['start']}" in csv_link
    rows = _csv(client.get(csv_link))
    assert _value(rows, "From") == query["start"]
    assert not RollupSnapshot.objects.exists()
