"""A PCN site with an open consultation (post-moderated: posts show at once unless held), its
safeguarding contact, a resident and a moderator, for the tests of posting through the
safety net."""

import pytest
from django.test import Client

from consultations.models import Comment, Idea, ModerationMode, PostStatus
from tests.factories import UserFactory, make_consultation, make_pcn_site

SAFEGUARDING = "safeguarding@riverside.example.org"


@pytest.fixture
def pcn_site(db):
    home, consultations, _updates = make_pcn_site(name="Riverside PCN")
    home.pcn.safeguarding_contact_email = SAFEGUARDING
    home.pcn.safeguarding_contact_name = "Safeguarding lead"
    home.pcn.save()
    return home, consultations


@pytest.fixture
def site(pcn_site):
    return pcn_site[0]


@pytest.fixture
def consultation(pcn_site):
    return make_consultation(pcn_site[1], moderation_mode=ModerationMode.POST, title="Appointments")


@pytest.fixture
def resident(db):
    return UserFactory(display_name="Kim")


@pytest.fixture
def moderator(site):
    return UserFactory(display_name="Mo", groups=[site.pcn.moderator_group])


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def idea(consultation, resident):
    return Idea.objects.create(
        consultation=consultation,
        author=resident,
        title="Evening appointments",
        body="Open until 8pm, please.",
        neighbourhood=consultation.neighbourhoods.first(),
        status=PostStatus.PUBLISHED,
    )


@pytest.fixture
def comment(idea, resident):
    return Comment.objects.create(
        idea=idea, author=resident, body="Tuesdays too.", status=PostStatus.PUBLISHED
    )


def url(consultation, name, *args) -> str:
    return consultation.url + consultation.reverse_subpage(name, args=args)
