"""Two PCNs, their moderators, and posts waiting for a moderator, for the moderation tests.

PCN A is the default site (localhost); PCN B is a second site at other.localhost. Each has an
open, pre-moderated consultation. Moderators are residents in their PCN's moderator group.
"""

import itertools

import pytest

from consultations.models import Comment, Idea, PostStatus
from home.models import VisionPage, VisionPriority
from tests.factories import UserFactory, make_consultation, make_pcn_site

_numbers = itertools.count(1)


def make_user(**fields):
    """A verified resident whose display name is hostile but fits the column (50 characters),
    so these tests run on PostgreSQL too (the factory's default name is longer than that)."""
    fields.setdefault("display_name", f"<script>x</script> Resident {next(_numbers)}")
    return UserFactory(**fields)


def make_idea(consultation, author=None, *, status=PostStatus.PENDING, **fields) -> Idea:
    defaults = {
        "title": "More evening appointments",
        "body": "Please open until 8pm on Tuesdays.",
        "neighbourhood": consultation.neighbourhoods.order_by("name").first(),
    }
    defaults.update(fields)
    return Idea.objects.create(consultation=consultation, author=author, status=status, **defaults)


def make_comment(idea, author=None, *, status=PostStatus.PENDING, **fields) -> Comment:
    fields.setdefault("body", "I agree with this.")
    return Comment.objects.create(idea=idea, author=author, status=status, **fields)


def make_moderator(home, **fields):
    return make_user(groups=[home.pcn.moderator_group], **fields)


def make_vision(home, *priority_titles: str) -> VisionPage:
    return home.add_child(
        instance=VisionPage(
            title="Our shared vision",
            introduction="<p>x</p>",
            priorities=[
                VisionPriority(title=title, statement=f"We want {title.lower()}.")
                for title in priority_titles
            ],
        )
    )


def route(consultation, name, *args) -> str:
    return consultation.url + consultation.reverse_subpage(name, args=args)


@pytest.fixture
def consultation(consultation_index):
    """PCN A's open consultation; pre-moderated, so new posts wait for a moderator."""
    return make_consultation(consultation_index, phase="open", title="Evening appointments")


@pytest.fixture
def other_site(home):
    """(home, consultation index, update index) of PCN B, served at other.localhost."""
    return make_pcn_site(hostname="other.localhost", default=False)


@pytest.fixture
def other_home(other_site):
    return other_site[0]


@pytest.fixture
def other_consultation(other_site):
    return make_consultation(other_site[1], phase="open", title="Weekend opening")


@pytest.fixture
def moderator(home):
    return make_moderator(home)


@pytest.fixture
def other_moderator(other_home):
    return make_moderator(other_home)


@pytest.fixture
def author(db):
    return make_user(display_name="Avril Author", email="avril.author@example.org")


@pytest.fixture
def pending_idea(consultation, author):
    return make_idea(consultation, author)


@pytest.fixture
def published_idea(consultation, author):
    return make_idea(consultation, author, status=PostStatus.PUBLISHED, title="Published idea")
