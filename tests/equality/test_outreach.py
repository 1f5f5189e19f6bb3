"""Outreach (consultations/services/outreach.py, consultations/viewsets/outreach.py): staff
record what they did to hear from the groups a consultation was not hearing from; it is
validated, logged, kept to the PCN, and shown beside the gaps on "Who took part", in the
PCN's accountability figures and on the consultation's "What we heard"."""

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageViewRestriction

from consultations import services
from consultations.loop import accountability
from consultations.models import OutreachAction, Phase
from tests.factories import (
    UserFactory,
    make_admin,
    make_consultation,
    make_moderator,
    make_pcn_lead,
    make_pcn_site,
    make_staff,
)

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def consultation(open_consultation):
    return open_consultation


@pytest.fixture
def staff(consultation):
    return make_staff(consultation.pcn)


@pytest.fixture
def other_site(db, home):
    return make_pcn_site(hostname="other.localhost", default=False)


@pytest.fixture
def other_consultation(other_site):
    return make_consultation(other_site[1], phase="open", title="Weekend opening")


@pytest.fixture
def other_staff(other_site):
    return make_staff(other_site[0].pcn)


def record(consultation, user, **fields):
    values = {
        "groups": ["age:under_25"],
        "description": "Drop-in session at the youth club",
        "held_on": timezone.localdate() - timedelta(days=3),
        "channel": "meeting",
        "contributions": 14,
    }
    values.update(fields)
    action = OutreachAction(consultation=consultation, **values)
    return services.outreach_action_save(user=user, action=action)


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


# The service


def test_staff_record_an_action_and_the_log_says_what_without_any_person(consultation, staff):
    action = record(consultation, staff, groups=["age:under_25", "deprivation:1"])
    assert action.pk and action.created_by == staff
    assert action.group_labels == [
        "People aged 24 or under",
        "People living in the most deprived fifth of areas",
    ]
    entry = ModelLogEntry.objects.get(object_id=str(action.pk))
    assert (entry.action, entry.user_id) == ("wagtail.create", staff.pk)
    assert entry.data["contributions"] == 14 and entry.data["groups"][1] == "deprivation:1"
    action.contributions = 20
    services.outreach_action_save(user=staff, action=action)
    assert ModelLogEntry.objects.filter(object_id=str(action.pk), action="wagtail.edit").exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"held_on": date.today() + timedelta(days=2)}, "held_on", "today or in the past"),
        ({"contributions": -1}, "contributions", ""),
        ({"groups": []}, "groups", "at least one group"),
        ({"groups": ["age:150_plus"]}, "groups", "from the list"),
        ({"groups": "age:under_25"}, "groups", "at least one group"),
        ({"groups": ["sex:male", "sex:male"]}, "groups", "each group once"),
        ({"description": ""}, "description", ""),
        ({"description": "Two\nlines"}, "description", ""),
        ({"channel": "pigeon"}, "channel", ""),
    ],
)
def test_bad_values_are_refused_by_field_and_nothing_is_saved(
    consultation, staff, fields, field, message
):
    with pytest.raises(ValidationError) as refused:
        record(consultation, staff, **fields)
    assert field in refused.value.message_dict
    assert message in " ".join(refused.value.message_dict[field])
    assert not OutreachAction.objects.exists()
    assert not ModelLogEntry.objects.filter(content_type__model="outreachaction").exists()


def test_the_database_refuses_a_negative_count(consultation):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutreachAction.objects.create(
            consultation=consultation,
            groups=["sex:female"],
            description="x",
            held_on=date(2025, 1, 1),
            contributions=-3,
        )


def test_markup_is_removed_from_the_description(consultation, staff):
    action = record(consultation, staff, description=f"Session {HOSTILE} at the library")
    assert "<" not in action.description and "Session" in action.description


@pytest.mark.parametrize("who", ["other_staff", "moderator", "lead_only", "resident"])
def test_only_the_pcns_staff_may_record_it(consultation, other_staff, who):
    user = {
        "other_staff": other_staff,
        "moderator": make_moderator(consultation.pcn),
        "lead_only": UserFactory(groups=[consultation.pcn.lead_group]),
        "resident": UserFactory(),
    }[who]
    with pytest.raises(PermissionDenied):
        record(consultation, user)
    assert not OutreachAction.objects.exists()


def test_another_pcns_staff_cannot_change_or_delete_it(consultation, staff, other_staff):
    action = record(consultation, staff)
    action.contributions = 0
    with pytest.raises(PermissionDenied):
        services.outreach_action_save(user=other_staff, action=action)
    with pytest.raises(PermissionDenied):
        services.outreach_action_delete(user=other_staff, action=action)
    assert OutreachAction.objects.get().contributions == 14


# The admin screens

INDEX = "/admin/outreach/"
ADD = "/admin/outreach/new/"


def _form(consultation, **fields):
    data = {
        "consultation": consultation.pk,
        "groups": ["age:25_34", "ethnic_group:black"],
        "description": "Stall at the Saturday market",
        "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "channel": "paper",
        "contributions": "41",
    }
    data.update(fields)
    return data


def test_staff_add_an_action_through_the_form(client, consultation, staff):
    client.force_login(staff)
    form = client.get(ADD, {"consultation": consultation.pk})
    assert form.status_code == 200
    chosen = _soup(form).select_one("select[name=consultation] option[selected]")
    assert chosen["value"] == str(consultation.pk)
    response = client.post(ADD, _form(consultation))
    assert response.status_code == 302
    action = OutreachAction.objects.get()
    assert action.groups == ["age:25_34", "ethnic_group:black"]
    assert (action.contributions, action.channel, action.created_by) == (41, "paper", staff)
    listing = client.get(INDEX).content.decode()
    assert "Stall at the Saturday market" in listing
    history = client.get(reverse("outreach:history", args=[action.pk]))
    assert history.status_code == 200


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"held_on": (date.today() + timedelta(days=5)).isoformat()}, "today or in the past"),
        ({"contributions": "-2"}, "Enter 0 or more"),
        ({"contributions": "lots"}, "Enter a whole number"),
        ({"groups": []}, "Choose at least one group"),
        ({"groups": ["age:nope"]}, "Choose groups from the list"),
        ({"description": ""}, "Enter what you did"),
    ],
)
def test_a_refused_form_comes_back_with_the_error_and_what_was_typed(
    client, consultation, staff, fields, error
):
    client.force_login(staff)
    data = _form(consultation, **fields)
    response = client.post(ADD, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert error in text
    soup = _soup(response)
    if data["description"]:
        assert soup.select_one("input[name=description]")["value"] == data["description"]
    assert soup.select_one("input[name=contributions]")["value"] == data["contributions"]
    assert not OutreachAction.objects.exists()


def test_another_pcns_consultation_is_not_offered_or_accepted(
    client, consultation, staff, other_consultation
):
    client.force_login(staff)
    form = client.get(ADD)
    values = [o["value"] for o in _soup(form).select("select[name=consultation] option")]
    assert str(other_consultation.pk) not in values and str(consultation.pk) in values
    response = client.post(ADD, _form(other_consultation))
    assert response.status_code == 200
    assert "Choose one of your PCN" in response.content.decode()
    assert not OutreachAction.objects.exists()


def test_another_pcns_staff_see_nothing_and_cannot_edit_or_delete(
    client, consultation, staff, other_staff
):
    action = record(consultation, staff, description="Coffee morning at the mosque")
    client.force_login(other_staff)
    assert "Coffee morning" not in client.get(INDEX).content.decode()
    for name in ("edit", "delete", "history"):
        assert client.get(reverse(f"outreach:{name}", args=[action.pk])).status_code == 404
    assert client.post(reverse("outreach:delete", args=[action.pk])).status_code == 404
    edit = reverse("outreach:edit", args=[action.pk])
    assert client.post(edit, _form(consultation, contributions="0")).status_code == 404
    assert OutreachAction.objects.get().contributions == 14


def test_moderators_and_residents_cannot_open_the_screens(client, consultation, staff):
    action = record(consultation, staff)
    client.force_login(make_moderator(consultation.pcn))
    assert client.get(INDEX)["Location"] == reverse("wagtailadmin_home")
    for name in ("edit", "delete", "history"):
        url = reverse(f"outreach:{name}", args=[action.pk])
        assert client.get(url)["Location"] == reverse("wagtailadmin_home"), name
    client.force_login(UserFactory())
    assert client.get(INDEX)["Location"].startswith(reverse("wagtailadmin_login"))


def test_staff_edit_and_delete_their_action_and_both_are_logged(client, consultation, staff):
    action = record(consultation, staff)
    client.force_login(staff)
    edit = reverse("outreach:edit", args=[action.pk])
    assert client.post(edit, _form(consultation, contributions="3")).status_code == 302
    assert OutreachAction.objects.get().contributions == 3
    assert client.post(reverse("outreach:delete", args=[action.pk])).status_code == 302
    assert not OutreachAction.objects.exists()
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(action.pk)).values_list("action", flat=True)
    )
    assert actions == {"wagtail.create", "wagtail.edit", "wagtail.delete"}


def test_an_admin_sees_every_pcns_actions(client, consultation, staff, other_consultation):
    other = record(other_consultation, make_staff(other_consultation.pcn), description="Other")
    record(consultation, staff, description="Mine")
    client.force_login(make_admin())
    listing = client.get(INDEX).content.decode()
    assert "Mine" in listing and "Other" in listing
    assert client.get(reverse("outreach:edit", args=[other.pk])).status_code == 200


# Who took part


def _who_took_part(client, consultation):
    return client.get(reverse("who_took_part:consultation", args=[consultation.pk]))


def test_who_took_part_shows_the_actions_and_a_way_to_record_one(client, consultation, staff):
    record(consultation, staff, description=f"Youth club {HOSTILE}", contributions=4)
    client.force_login(staff)
    response = _who_took_part(client, consultation)
    soup = _soup(response)
    section = soup.select_one("section[aria-labelledby=not-heard]")
    text = section.get_text(" ", strip=True)
    assert "Youth club" in text and "People aged 24 or under" in text
    assert HOSTILE not in response.content.decode()
    link = section.select_one("a.button")
    assert link["href"] == f"{ADD}?consultation={consultation.pk}"


def test_a_pcn_lead_sees_the_actions_but_may_not_edit_them(client, consultation, staff):
    lead = UserFactory(groups=[consultation.pcn.lead_group])
    record(consultation, staff, description="Library session")
    client.force_login(lead)
    section = _soup(_who_took_part(client, consultation)).select_one(
        "section[aria-labelledby=not-heard]"
    )
    assert "Library session" in section.get_text()
    assert section.select("a") == []


def test_the_query_count_does_not_grow_with_the_actions(client, consultation, staff):
    client.force_login(staff)
    record(consultation, staff)
    _who_took_part(client, consultation)
    with CaptureQueriesContext(connection) as few:
        _who_took_part(client, consultation)
    for n in range(12):
        record(consultation, staff, description=f"Session {n}")
    with CaptureQueriesContext(connection) as many:
        response = _who_took_part(client, consultation)
    assert response.content.decode().count("Session ") == 12
    assert len(few) == len(many)


# The public figures and "What we heard"


def test_the_accountability_figures_count_sessions_and_contributions(
    client, home, consultation, staff, consultation_index
):
    record(consultation, staff, contributions=14)
    record(consultation, staff, contributions=27)
    record(consultation, staff, contributions=0)
    # A private consultation's outreach is not in the public figures.
    private = make_consultation(consultation_index, phase="open")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    record(private, staff, contributions=100)
    figures = accountability(home=home)
    assert (figures.outreach_sessions, figures.outreach_contributions) == (3, 41)
    panel = _soup(client.get(home.url)).select_one("section[aria-labelledby=record-heading]")
    assert "3 outreach sessions, 41 contributions" in panel.get_text(" ", strip=True)


def test_another_pcns_outreach_is_not_in_this_pcns_figures(
    home, consultation, other_consultation, other_staff
):
    record(other_consultation, other_staff, contributions=9)
    assert accountability(home=home).outreach_sessions == 0


def test_what_we_heard_says_how_we_reached_people(client, consultation_index, staff):
    reviewed = make_consultation(
        consultation_index, phase="closed", phase_override=Phase.UNDER_REVIEW
    )
    record(
        reviewed,
        staff,
        description="Session at the youth club",
        held_on=date(2025, 3, 4),
        contributions=14,
    )
    url = reviewed.url + reviewed.reverse_subpage("what-we-heard")
    soup = _soup(client.get(url))
    heading = soup.find("h2", string="How we reached people")
    assert heading is not None
    item = heading.find_next("ul").get_text(" ", strip=True)
    assert item == "Session at the youth club, 4 March 2025: 14 contributions"


def test_a_pcn_lead_is_not_staff_for_recording_unless_in_the_staff_group(consultation):
    # A PCN lead made by the factory is in the staff group too, and may record.
    lead = make_pcn_lead(consultation.pcn)
    assert record(consultation, lead).pk
