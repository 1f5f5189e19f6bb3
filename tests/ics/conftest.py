"""An integrated care system ("Test ICS") with two Places: Riverbridge (North and South PCNs)
and Otherbridge (one PCN), each with a published Place vision; its ICS vision served at its
own host name; and a Place of another ICS (Farbridge) whose priority must never be cited."""

from types import SimpleNamespace

import pytest

from consultations.models import IcsPriority, PlacePriority, PlacePriorityLink
from consultations.services.places import place_site_setup
from consultations.services.systems import ics_site_setup
from home.models import IntegratedCareSystem
from tests.factories import UserFactory
from tests.places.conftest import make_pcn_with_theme, places  # noqa: F401


def link_place_priority(priority, theme):
    return PlacePriorityLink.objects.create(priority=priority, theme=theme)


@pytest.fixture(autouse=True)
def ics_hosts(settings):
    """The ICS's own site answers at its host name."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "ics.example", "otherics.example"]


@pytest.fixture
def system(db, places):  # noqa: F811
    ics = places.one.pcn.place.integrated_care_system
    far = make_pcn_with_theme(
        name="FARICS PCN",
        hostname="far.example",
        place_name="Farbridge",
        theme_name="FARICSTHEME",
    )
    other_ics = IntegratedCareSystem.objects.create(name="OTHERICS")
    far_place = far.pcn.place
    far_place.integrated_care_system = other_ics
    far_place.save()
    far_vision = place_site_setup(place=far_place, hostname="farplace.example")
    far_vision.save_revision().publish()
    far_priority = PlacePriority.objects.create(
        page=far_vision, title="OTHERICSPRIORITY", description="Theirs."
    )
    vision = ics_site_setup(ics=ics, hostname="ics.example")
    vision.title = "Test ICS: our shared vision"
    vision.save_revision().publish()
    vision.refresh_from_db()
    priority = IcsPriority.objects.create(
        page=vision, title="Care closer to home", description="Appointments near people."
    )
    other_vision = ics_site_setup(ics=other_ics, hostname="otherics.example")
    other_vision.save_revision().publish()
    other_priority = IcsPriority.objects.create(
        page=other_vision, title="OTHERICSOWNPRIORITY", description="Theirs."
    )
    return SimpleNamespace(
        places=places,
        ics=ics,
        other_ics=other_ics,
        far=far,
        far_priority=far_priority,
        vision=vision,
        priority=priority,
        other_vision=other_vision,
        other_priority=other_priority,
        ics_lead=UserFactory(groups=[ics.lead_group]),
        other_ics_lead=UserFactory(groups=[other_ics.lead_group]),
    )
