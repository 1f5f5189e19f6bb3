"""An integrated care system with two Places (Riverbridge: North and South PCNs; Otherbridge:
one PCN, from tests/places/conftest.py) and its ICS lead, and another ICS with a Place and a
PCN of its own, and its lead. An ICS lead's group has the admin, as a place lead's does."""

import pytest
from django.contrib.auth.models import Group, Permission

from home.models import IntegratedCareSystem
from tests.factories import UserFactory
from tests.places.conftest import make_pcn_with_theme, places  # noqa: F401 (a fixture)


def ics_lead_group(ics) -> Group:
    """Give `ics` a lead group with access to the admin (once)."""
    if ics.lead_group is None:
        ics.lead_group = Group.objects.create(name=f"{ics.name}: ICS leads")
        ics.save(update_fields=["lead_group"])
    ics.lead_group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return ics.lead_group


def make_ics_lead(ics, **fields):
    """A lead of `ics`, with an authenticator app (as every role has)."""
    return UserFactory(groups=[ics_lead_group(ics)], **fields)


@pytest.fixture
def systems(db, request):
    built = request.getfixturevalue("places")
    built.ics = built.one.pcn.place.integrated_care_system
    built.riverbridge = built.one.pcn.place
    built.otherbridge = built.other.pcn.place
    assert built.otherbridge.integrated_care_system_id == built.ics.pk
    elsewhere = make_pcn_with_theme(
        name="OTHERICS PCN",
        hostname="otherics.example",
        place_name="OTHERICSPLACE",
        theme_name="OTHERICSTHEME",
    )
    other_ics = IntegratedCareSystem.objects.create(name="OTHERICS Vale")
    elsewhere.pcn.place.integrated_care_system = other_ics
    elsewhere.pcn.place.save(update_fields=["integrated_care_system"])
    built.elsewhere = elsewhere
    built.other_ics = other_ics
    built.ics_lead = make_ics_lead(built.ics)
    built.other_ics_lead = make_ics_lead(other_ics)
    return built


__all__ = ["ics_lead_group", "make_ics_lead", "systems"]
