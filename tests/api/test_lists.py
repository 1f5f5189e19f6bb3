"""What each list of the open data API holds: published content of every PCN, with counts
that leave out what is pending, hidden, withdrawn or private."""

import json

from consultations.loop import accountability
from tests.api.conftest import results

SECRETS = (
    "PRIVATECONSULTATION",
    "PRIVATETHEME",
    "PRIVATEUPDATE",
    "DRAFTUPDATE",
    "PENDINGIDEA",
    "HIDDENIDEA",
    "WITHDRAWNIDEA",
    "SECRETSUMMARY",
)


def test_organisations_of_each_kind_with_their_parents(world, api):
    pcn = world.home.pcn
    pcns = results(api, "organisations/", kind="pcn")
    assert {row["ods_code"] for row in pcns} == {pcn.ods_code, world.other_home.pcn.ods_code}
    mine = next(row for row in pcns if row["ods_code"] == pcn.ods_code)
    assert mine == {
        "kind": "pcn",
        "id": pcn.pk,
        "name": "Riverside PCN",
        "ods_code": pcn.ods_code,
        "parent": pcn.place_id,
        "parent_kind": "place",
        "site_url": "http://localhost/",
    }
    places = results(
        api, "organisations/", kind="place", parent=pcn.place.integrated_care_system_id
    )
    assert [row["id"] for row in places] == [pcn.place_id]
    assert places[0]["parent_kind"] == "ics"
    icss = results(api, "organisations/", kind="ics")
    assert icss[0]["parent"] is None and icss[0]["site_url"] is None
    assert results(api, "organisations/", kind="practice", parent=pcn.pk) == []
    assert results(api, "organisations/", kind="pcn", parent=999999) == []


def test_consultations_are_live_and_public_with_published_counts(world, api):
    rows = {row["id"]: row for row in results(api, "consultations/")}
    assert set(rows) == {
        world.open_consultation.pk,
        world.closed_consultation.pk,
        world.other_consultation.pk,
    }
    row = rows[world.open_consultation.pk]
    assert row["published_idea_count"] == 1
    assert row["published_comment_count"] == 1
    assert row["support_count"] == 1
    assert row["phase"] == "open"
    assert row["pcn"] == {"ods_code": world.home.pcn.ods_code, "name": "Riverside PCN"}
    assert row["url"] == "http://localhost/consultations/evening-appointments/"
    assert rows[world.other_consultation.pk]["pcn"]["name"] == "Meadowbank PCN"
    assert rows[world.closed_consultation.pk]["phase"] == "under_review"
    detail = api(f"consultations/{world.open_consultation.pk}/")
    assert detail.status_code == 200 and detail.data == row
    assert api(f"consultations/{world.private_consultation.pk}/").status_code == 404


def test_consultation_filters(world, api):
    ods = world.home.pcn.ods_code
    assert {row["id"] for row in results(api, "consultations/", pcn=ods)} == {
        world.open_consultation.pk,
        world.closed_consultation.pk,
    }
    assert [row["id"] for row in results(api, "consultations/", phase="open", pcn=ods)] == [
        world.open_consultation.pk
    ]
    assert [row["id"] for row in results(api, "consultations/", phase="under_review")] == [
        world.closed_consultation.pk
    ]
    assert results(api, "consultations/", phase="upcoming") == []
    opened = world.open_consultation.opens_at
    after = results(api, "consultations/", opened_after=opened.isoformat())
    assert world.open_consultation.pk in {row["id"] for row in after}
    assert world.closed_consultation.pk not in {row["id"] for row in after}
    before = results(api, "consultations/", opened_before=opened.date().isoformat())
    assert {row["id"] for row in before} == {world.closed_consultation.pk}


def test_themes_count_published_ideas_and_hide_what_is_not_public(world, api):
    rows = {row["id"]: row for row in results(api, "themes/")}
    assert world.private_theme.pk not in rows
    row = rows[world.theme.pk]
    # One published idea; its pending, hidden and withdrawn ideas are not counted.
    assert row["published_idea_count"] == 1
    assert row["summary"] == "People want weekends."  # findings public: under review
    assert row["priority"] == world.theme.priority_id
    assert row["consultation"] == world.closed_consultation.pk
    # "What we heard" of an open consultation is not public yet.
    (evenings,) = [r for r in rows.values() if r["name"] == "Evenings"]
    assert evenings["summary"] is None
    assert [
        r["id"] for r in results(api, "themes/", consultation=world.closed_consultation.pk)
    ] == [world.theme.pk]
    assert results(api, "themes/", pcn=world.other_home.pcn.ods_code) == []
    # A private consultation's id is refused as if it did not exist.
    refused = api("themes/", consultation=world.private_consultation.pk)
    assert refused.status_code == 400 and "consultation" in refused.data


def test_priorities_count_only_public_themes_and_updates(world, api):
    rows = results(api, "priorities/")
    assert [row["title"] for row in rows] == ["Right appointment", "Close to home"]
    first = rows[0]
    assert first["position"] == 0
    # The weekend theme; the private consultation's theme is not counted.
    assert first["theme_count"] == 1
    assert first["update_count"] == 1
    assert first["vision_url"] == "http://localhost/our-shared-vision/"
    assert results(api, "priorities/", pcn=world.other_home.pcn.ods_code) == []


def test_updates_with_their_actions_and_the_public_themes_they_answer(world, api):
    rows = results(api, "updates/")
    assert [row["id"] for row in rows] == [world.update.pk]
    (row,) = rows
    assert row["status"] == "done"
    assert row["themes"] == [world.theme.pk]
    assert row["consultation"] == world.closed_consultation.pk
    assert row["priority"] == world.theme.priority_id
    assert row["actions"] == [
        {
            "description": "Saturday clinic",
            "status": "done",
            "date": None,
            "not_possible_reason": "",
        },
        {
            "description": "Sunday clinic",
            "status": "not_possible",
            "date": None,
            "not_possible_reason": "No staff.",
        },
    ]
    assert [r["id"] for r in results(api, "updates/", status="done")] == [world.update.pk]
    assert results(api, "updates/", status="planned") == []
    assert results(api, "updates/", status="in_progress") == []
    assert results(api, "updates/", pcn=world.other_home.pcn.ods_code) == []


def test_accountability_matches_the_figures_each_site_shows(world, api):
    rows = {row["pcn"]["ods_code"]: row for row in results(api, "accountability/")}
    for home in (world.home, world.other_home):
        figures = accountability(home=home)
        row = rows[home.pcn.ods_code]
        assert row["themes"] == figures.themes
        assert row["themes_answered"] == figures.themes_answered
        assert row["themes_answered_percent"] == figures.themes_answered_percent
        assert row["median_days_to_response"] == figures.median_days_to_response
        assert row["actions"] == figures.actions
        assert row["actions_done"] == figures.actions_done
    mine = rows[world.home.pcn.ods_code]
    # Two public themes (the private consultation's is left out), one answered.
    assert (mine["themes"], mine["themes_answered"]) == (2, 1)
    assert (mine["actions"], mine["actions_done"]) == (2, 1)
    assert mine["median_days_to_response"] is not None
    only = results(api, "accountability/", pcn=world.other_home.pcn.ods_code)
    assert [row["pcn"]["name"] for row in only] == ["Meadowbank PCN"]


def test_no_list_shows_anything_pending_hidden_private_or_draft(world, api):
    for address, params in [
        ("consultations/", {}),
        ("themes/", {}),
        ("priorities/", {}),
        ("updates/", {}),
        ("accountability/", {}),
        ("organisations/", {"kind": "pcn"}),
    ]:
        text = json.dumps(results(api, address, **params))
        assert not [word for word in SECRETS if word in text], address


def test_pages_follow_their_cursor_to_the_end(world, api):
    first = api("consultations/", page_size=1)
    assert len(first.data["results"]) == 1 and first.data["next"]
    assert len(results(api, "consultations/", page_size=1)) == 3
    newest = [r["id"] for r in results(api, "consultations/", ordering="-opens_at")]
    oldest = [r["id"] for r in results(api, "consultations/", ordering="opens_at")]
    assert newest == oldest[::-1]
