"""People and posts shared by the permission, service and list tests of consultations."""

import pytest
from django.contrib.auth.models import AnonymousUser

from consultations.models import Comment, Idea, ModerationMode, PostStatus
from tests.factories import UserFactory, make_consultation, make_pcn_site

# Every role the permission matrix checks, in the order the expected tables list them.
ROLES = (
    "visitor",
    "unverified",
    "resident",
    "author",
    "other_resident",
    "moderator",
    "other_moderator",
    "superuser",
)


@pytest.fixture
def other_pcn_home(home):
    """The home page of a second PCN, served at its own hostname."""
    other_home, _, _ = make_pcn_site(hostname="other.localhost", default=False)
    return other_home


@pytest.fixture
def people(home, other_pcn_home):
    """One user per role. "author" writes the posts under test; moderators are residents too."""
    moderator = UserFactory(groups=[home.pcn.moderator_group])
    other_moderator = UserFactory(groups=[other_pcn_home.pcn.moderator_group])
    return {
        "visitor": AnonymousUser(),
        "unverified": UserFactory(verified=False),
        "resident": UserFactory(),
        "author": UserFactory(),
        "other_resident": UserFactory(),
        "moderator": moderator,
        "other_moderator": other_moderator,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }


@pytest.fixture
def post_moderated_consultation(consultation_index):
    return make_consultation(
        consultation_index, phase="open", moderation_mode=ModerationMode.POST, title="Post-mod"
    )


def consultation_in_phase(index, phase: str):
    """A consultation in one of: upcoming, open, closed, under_review."""
    if phase == "under_review":
        return make_consultation(index, phase="closed", phase_override="under_review")
    return make_consultation(index, phase=phase)


def make_idea(consultation, author, *, status=PostStatus.PUBLISHED, **fields) -> Idea:
    defaults = {
        "title": "More evening appointments",
        "body": "Please open until 8pm.",
        "neighbourhood": consultation.neighbourhoods.order_by("name").first(),
    }
    defaults.update(fields)
    return Idea.objects.create(consultation=consultation, author=author, status=status, **defaults)


def make_comment(idea, author, *, status=PostStatus.PUBLISHED, parent=None, **fields) -> Comment:
    fields.setdefault("body", "I agree with this.")
    return Comment.objects.create(idea=idea, author=author, status=status, parent=parent, **fields)
