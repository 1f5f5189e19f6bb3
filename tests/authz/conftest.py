"""A demo-like world for the authorisation walk: two PCNs, one person per role, and posts in
every state, each carrying a marker word so a page that leaks it can be caught.

PCN A is the default site (localhost) and the one whose URLs are walked. PCN B, at
other.localhost, exists so that its moderator (and its pending idea) can prove that a
permission stops at the PCN's edge. Each PCN has an update that answers a paper contribution
whose contributor wants a letter, so each has a letter to print, with the name and postal
address that only that PCN's moderators and staff may see.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core import signing
from django.utils import timezone

from consultations import services
from consultations.loop import update_letters_create
from consultations.models import (
    Channel,
    Comment,
    Idea,
    IdeaTheme,
    Letter,
    ModerationMode,
    PostStatus,
    ReplyBy,
    Theme,
    UpdateAction,
    UpdatePage,
)
from consultations.notifications import UNSUBSCRIBE_SALT
from home.models import PrivacyNoticePage, VisionPage, VisionPriority
from home.services import pcn_sections_setup
from tests.factories import UserFactory, make_consultation, make_pcn_site

# Every role the walk checks, in the order each expectations row lists them.
ROLES = (
    "visitor",
    "unverified",
    "resident",
    "other_resident",
    "moderator",
    "other_moderator",
    "staff",
    "place_lead",
    "admin",
)

# Words that appear only in content some roles must not see, and who may see each.
# "resident" wrote every post under test; "other_resident" wrote none of them.
SECRETS = {
    "PENDINGIDEA": {"resident", "moderator", "admin"},
    "HIDDENIDEA": {"resident", "moderator", "admin"},
    "WITHDRAWNIDEA": {"moderator", "admin"},
    "PENDINGCOMMENT": {"resident", "moderator", "admin"},
    "HIDDENCOMMENT": {"resident", "moderator", "admin"},
    "OTHERPCNPENDING": {"other_moderator", "admin"},
    # The name and postal address of someone who took part on paper and wants a letter.
    "LETTERNAME": {"moderator", "staff", "admin"},
    "LETTERADDRESS": {"moderator", "staff", "admin"},
    "OTHERPCNPOSTNAME": {"other_moderator", "admin"},
    "OTHERPCNPOSTADDRESS": {"other_moderator", "admin"},
}


@dataclass
class World:
    home: object
    other_home: object
    vision: object
    consultation_index: object
    update_index: object
    update: object
    open_consultation: object
    reviewed_consultation: object
    other_consultation: object
    ideas: dict = field(default_factory=dict)  # published, pending, hidden, withdrawn, other
    comments: dict = field(default_factory=dict)  # published, pending, hidden
    theme: object = None
    other_theme: object = None
    other_update: object = None
    letter: object = None  # due for `update`, to PCN A's paper contributor
    other_letter: object = None  # due for `other_update`
    people: dict = field(default_factory=dict)
    unsubscribe_token: str = ""


def _user(**fields):
    # Display names within PostgreSQL's 50 characters, still hostile.
    fields.setdefault("display_name", "<b>x</b> Resident")
    return UserFactory(**fields)


def _idea(consultation, author, status, marker="", **fields):
    return Idea.objects.create(
        consultation=consultation,
        author=author,
        status=status,
        title=f"{marker or 'Published'} idea title",
        body=f"{marker or 'Published'} idea body",
        neighbourhood=consultation.neighbourhoods.order_by("name").first(),
        **fields,
    )


def _comment(idea, author, status, marker=""):
    return Comment.objects.create(
        idea=idea, author=author, status=status, body=f"{marker or 'Published'} comment body"
    )


def _paper_idea(consultation, entered_by, *, theme, marker) -> Idea:
    """A paper contribution entered by a moderator, whose contributor wants a letter."""
    idea = services.idea_submit_on_behalf(
        consultation=consultation,
        entered_by=entered_by,
        channel=Channel.PAPER,
        received_on=timezone.localdate() - timedelta(days=2),
        title="Paper idea title",
        body="Paper idea body",
        neighbourhood=consultation.neighbourhoods.order_by("name").first(),
        reply_by=ReplyBy.LETTER,
        contributor_name=f"{marker}NAME Holloway",
        contributor_address=f"{marker}ADDRESS 14 Willow Lane",
    )
    IdeaTheme.objects.create(idea=idea, theme=theme)
    return idea


def _letter_due(update) -> Letter:
    """What publishing the update does after commit (notify_update_published)."""
    (letter_id,) = update_letters_create(update=update)
    return Letter.objects.get(pk=letter_id)


def build_world() -> World:
    home, consultation_index, update_index = make_pcn_site()
    other_home, other_index, other_update_index = make_pcn_site(
        hostname="other.localhost", default=False
    )
    vision = home.add_child(
        instance=VisionPage(
            title="Our shared vision",
            introduction="<p>Together.</p>",
            priorities=[VisionPriority(title="Access", statement="We want access.")],
        )
    )
    privacy_notice = home.add_child(
        instance=PrivacyNoticePage(
            title="Privacy notice",
            slug="privacy",
            summary="We look after your information.",
            body="<p>Your email address, to sign you in.</p>",
            last_reviewed=timezone.localdate(),
        )
    )
    privacy_notice.save_revision().publish()
    pcn_sections_setup(pcn=home.pcn, home=home)

    open_consultation = make_consultation(
        consultation_index, phase="open", title="Evening appointments"
    )
    reviewed_consultation = make_consultation(
        consultation_index,
        phase="closed",
        phase_override="under_review",
        title="Weekend opening",
        moderation_mode=ModerationMode.POST,
    )
    other_consultation = make_consultation(other_index, phase="open", title="Other PCN")

    moderator = _user(groups=[home.pcn.moderator_group])
    other_moderator = _user(groups=[other_home.pcn.moderator_group])
    staff = _user(groups=[home.pcn.staff_group])
    place = home.pcn.place
    place.lead_group = Group.objects.create(name=f"{place.name}: place leads")
    place.save(update_fields=["lead_group"])
    place_lead = _user(groups=[place.lead_group])
    people = {
        "visitor": AnonymousUser(),
        "unverified": _user(verified=False),
        "resident": _user(),
        "other_resident": _user(),
        "moderator": moderator,
        "other_moderator": other_moderator,
        "staff": staff,
        "place_lead": place_lead,
        "admin": _user(is_superuser=True, is_staff=True),
    }
    author = people["resident"]
    ideas = {
        "published": _idea(open_consultation, author, PostStatus.PUBLISHED),
        "pending": _idea(open_consultation, author, PostStatus.PENDING, "PENDINGIDEA"),
        "hidden": _idea(open_consultation, author, PostStatus.HIDDEN, "HIDDENIDEA"),
        "withdrawn": _idea(open_consultation, author, PostStatus.WITHDRAWN, "WITHDRAWNIDEA"),
        "other_pcn": _idea(other_consultation, _user(), PostStatus.PENDING, "OTHERPCNPENDING"),
    }
    published = ideas["published"]
    comments = {
        "published": _comment(published, author, PostStatus.PUBLISHED),
        "pending": _comment(published, author, PostStatus.PENDING, "PENDINGCOMMENT"),
        "hidden": _comment(published, author, PostStatus.HIDDEN, "HIDDENCOMMENT"),
    }
    Idea.objects.filter(pk=published.pk).update(comment_count=1)

    reviewed_idea = _idea(reviewed_consultation, people["other_resident"], PostStatus.PUBLISHED)
    theme = Theme.objects.create(
        consultation=reviewed_consultation, name="Weekends", summary="People want weekends."
    )
    IdeaTheme.objects.create(idea=reviewed_idea, theme=theme)
    other_theme = Theme.objects.create(consultation=other_consultation, name="Other")

    update = update_index.add_child(
        instance=UpdatePage(
            title="Saturday clinics",
            you_said="<p>Weekends.</p>",
            we_did="<p>A Saturday clinic.</p>",
            consultation=reviewed_consultation,
            actions=[UpdateAction(description="Saturday clinic", status="planned")],
        )
    )
    update.themes.set([theme])
    update.save_revision().publish()

    # Paper contributions whose contributors want a letter, answered by each PCN's update.
    _paper_idea(reviewed_consultation, moderator, theme=theme, marker="LETTER")
    _paper_idea(other_consultation, other_moderator, theme=other_theme, marker="OTHERPCNPOST")
    other_update = other_update_index.add_child(
        instance=UpdatePage(
            title="Other PCN update",
            you_said="<p>Other.</p>",
            we_did="<p>Something.</p>",
            consultation=other_consultation,
            actions=[UpdateAction(description="Something", status="planned")],
        )
    )
    other_update.themes.set([other_theme])
    other_update.save_revision().publish()

    return World(
        home=home,
        other_home=other_home,
        vision=vision,
        consultation_index=consultation_index,
        update_index=update_index,
        update=update,
        open_consultation=open_consultation,
        reviewed_consultation=reviewed_consultation,
        other_consultation=other_consultation,
        ideas=ideas,
        comments=comments,
        theme=theme,
        other_theme=other_theme,
        other_update=other_update,
        letter=_letter_due(update),
        other_letter=_letter_due(other_update),
        people=people,
        unsubscribe_token=signing.dumps({"user": author.pk}, salt=UNSUBSCRIBE_SALT),
    )


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def _quiet_request_log():
    """The walk makes hundreds of refused requests on purpose; Django logs each as a warning."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)
