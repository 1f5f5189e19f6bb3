"""Residents who take part offline: two PCNs, their moderators and staff, and builders.

PCN A is the default site (localhost); PCN B is a second site at other.localhost. Each has
an open, pre-moderated consultation.
"""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from consultations import services
from consultations.models import Channel, ReplyBy
from tests.factories import UserFactory, make_consultation, make_pcn_site

_numbers = itertools.count(1)


def make_user(**fields):
    """A verified resident with a hostile display name that fits the column (50)."""
    fields.setdefault("display_name", f"<script>x</script> Resident {next(_numbers)}")
    return UserFactory(**fields)


def make_member(home, role: str, **fields):
    """A user in the PCN's moderator or staff group."""
    group = home.pcn.moderator_group if role == "moderator" else home.pcn.staff_group
    return make_user(groups=[group], **fields)


def enter(consultation, entered_by, **fields):
    """Enter a contribution through the service, with sensible defaults."""
    defaults = {
        "channel": Channel.PAPER,
        "received_on": timezone.localdate() - timedelta(days=2),
        "title": "A bench outside the surgery",
        "body": "Older patients have nowhere to sit while they wait.",
        "neighbourhood": consultation.neighbourhoods.order_by("name").first(),
        "reply_by": ReplyBy.NOTHING,
    }
    defaults.update(fields)
    return services.idea_submit_on_behalf(
        consultation=consultation, entered_by=entered_by, **defaults
    )


def by_letter(name="Margaret Holloway", address="14 Willow Lane\nOld Town\nRV2 4QT"):
    return {
        "reply_by": ReplyBy.LETTER,
        "contributor_name": name,
        "contributor_address": address,
    }


def by_email(email="phone.caller@example.org", name=""):
    return {"reply_by": ReplyBy.EMAIL, "contributor_email": email, "contributor_name": name}


@pytest.fixture
def consultation(consultation_index):
    """PCN A's open, pre-moderated consultation."""
    return make_consultation(consultation_index, phase="open", title="Evening appointments")


@pytest.fixture
def other_site(home):
    return make_pcn_site(hostname="other.localhost", default=False)


@pytest.fixture
def other_home(other_site):
    return other_site[0]


@pytest.fixture
def other_consultation(other_site):
    return make_consultation(other_site[1], phase="open", title="Weekend opening")


@pytest.fixture
def moderator(home):
    return make_member(home, "moderator")


@pytest.fixture
def staff(home):
    return make_member(home, "staff")


@pytest.fixture
def other_moderator(other_home):
    return make_member(other_home, "moderator")


@pytest.fixture
def other_staff(other_home):
    return make_member(other_home, "staff")
