"""After signing in, each role lands where its work is, and the header shows a "Manage"
link to those who run anything (engage/roles.py; home/landing.py; consultations/landing.py).
"""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.engage.test_two_factor import place_lead, sign_in
from tests.factories import (
    UserFactory,
    make_admin,
    make_moderator,
    make_pcn_lead,
    make_staff,
    totp_code,
)

QUEUE = "moderation_ideas:index"
ROLES = {
    "moderator": (lambda home: make_moderator(home.pcn), lambda: reverse(QUEUE)),
    "staff": (lambda home: make_staff(home.pcn), lambda: reverse("wagtailadmin_home")),
    "PCN lead": (lambda home: make_pcn_lead(home.pcn), lambda: reverse("wagtailadmin_home")),
    "admin": (lambda home: make_admin(), lambda: reverse("wagtailadmin_home")),
}


def signed_in(client, user, *, next_path=""):
    """Sign in through allauth as a person would; returns where they were sent."""
    response = sign_in(client, user, next_path=next_path)
    assert response.status_code == 302
    if response["Location"] == reverse("mfa_authenticate"):
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})
        assert response.status_code == 302
    return response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lands_where_its_work_is(client, home, role):
    make, where = ROLES[role]
    assert signed_in(client, make(home)) == where()
    assert client.get(where()).status_code == 200


def test_a_resident_lands_on_their_contributions(client, home, resident):
    assert signed_in(client, resident) == reverse("consultations:my-contributions")


def test_a_place_lead_without_the_admin_lands_on_their_contributions(client, home):
    assert signed_in(client, place_lead(home)) == reverse("consultations:my-contributions")


def test_a_moderator_who_is_also_staff_lands_on_the_queue(client, home):
    person = make_moderator(home.pcn)
    person.groups.add(home.pcn.staff_group)
    assert signed_in(client, person) == reverse(QUEUE)


def test_an_address_they_asked_for_still_wins(client, home):
    assert signed_in(client, make_staff(home.pcn), next_path=home.url) == home.url


def manage_link(client, home):
    header = BeautifulSoup(client.get(home.url).content, "html.parser").find("header")
    return next(
        (a for a in header.find_all("a") if a.get_text(" ", strip=True).startswith("Manage")),
        None,
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_header_leads_each_role_to_its_work(client, home, role):
    make, where = ROLES[role]
    client.force_login(make(home))
    link = manage_link(client, home)
    assert link is not None and link["href"] == where()


@pytest.mark.parametrize("who", ["visitor", "resident", "place lead"])
def test_people_who_run_nothing_see_no_manage_link(client, home, who):
    if who == "resident":
        client.force_login(UserFactory())
    elif who == "place lead":
        client.force_login(place_lead(home))
    assert manage_link(client, home) is None
