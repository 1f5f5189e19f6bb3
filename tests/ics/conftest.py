"""An integrated care system ("Test ICS") with two Places: Riverbridge (North and South PCNs)
and Otherbridge (one PCN), each with a published Place vision; its ICS vision served at its
own host name; and a Place of another ICS (Farbridge) whose priority must never be cited.
`cited` links them: the ICS priority cites Riverbridge's priority, made of its PCNs' themes."""

from types import SimpleNamespace

import pytest

from consultations.models import (
    IcsPriority,
    IcsPriorityLink,
    IcsUpdateAction,
    IcsUpdatePage,
    PlacePriority,
    PlacePriorityLink,
)
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


def make_ics_update(
    vision, *, priorities, title="Evening hubs across the system", actions=None, publish=True
):
    page = IcsUpdatePage(
        title=title, summary="<p>We agreed <b>evening hubs</b> across the ICS.</p>", live=False
    )
    page.priorities = priorities
    page.actions = actions or [
        IcsUpdateAction(description="Fund evening hubs", status="in_progress")
    ]
    vision.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def publish(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()


@pytest.fixture
def cited(system):
    """The ICS priority cites Riverbridge's priority, which cites PCN one's theme directly and
    PCN two's vision priority (whose theme is PCN two's). Otherbridge's priority (cited by no
    ICS priority) and the other ICS's priority cite their own PCNs' themes."""
    ours = system.places
    PlacePriorityLink.objects.create(priority=ours.priority, theme=ours.one.theme)
    PlacePriorityLink.objects.create(
        priority=ours.priority, vision_priority=ours.two.vision.priorities.get()
    )
    PlacePriorityLink.objects.create(priority=ours.other_priority, theme=ours.other.theme)
    PlacePriorityLink.objects.create(priority=system.far_priority, theme=system.far.theme)
    IcsPriorityLink.objects.create(priority=system.priority, place_priority=ours.priority)
    IcsPriorityLink.objects.create(
        priority=system.other_priority, place_priority=system.far_priority
    )
    return system
