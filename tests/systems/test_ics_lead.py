"""The ICS lead: two-factor like every role, lands on their ICS vision screen after signing
in, or on its charts before its vision is set up (unless they also lead a Place, whose
vision comes first), and is shown the ICS vision and
charts menus."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from engage.roles import manage_landing, needs_two_factor
from tests.engage.test_landing import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_ics_lead_needs_two_factor_and_lands_on_their_ics_charts(systems):
    assert needs_two_factor(systems.ics_lead)
    client = Client()
    where = reverse("charts:ics", args=[systems.ics.pk])
    assert signed_in(client, systems.ics_lead) == where
    response = client.get(where)
    assert response.status_code == 200
    assert "Riverbridge" in response.content.decode()
    assert manage_landing(systems.ics_lead).label == "ICS charts"


def test_an_ics_lead_whose_vision_is_set_up_lands_on_the_ics_vision_screen(systems):
    from consultations.services.systems import ics_site_setup

    ics_site_setup(ics=systems.ics, hostname="ics.example")
    lead = UserFactory(groups=[systems.ics.lead_group])
    assert signed_in(Client(), lead) == reverse("ics_vision:index")
    assert manage_landing(lead).label == "ICS vision"


def test_an_ics_lead_who_also_leads_a_place_lands_on_the_place_vision(systems):
    person = UserFactory(groups=[systems.ics.lead_group, systems.riverbridge.lead_group])
    assert signed_in(Client(), person) == reverse("place_vision:index")


def test_an_ics_lead_without_the_admin_lands_on_their_contributions(systems):
    group = Group.objects.create(name="OTHERICS: ICS leads, no admin")
    systems.other_ics.lead_group = group
    systems.other_ics.save(update_fields=["lead_group"])
    person = UserFactory(groups=[group])
    assert signed_in(Client(), person) == reverse("consultations:my-contributions")
