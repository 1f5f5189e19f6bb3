"""`services.idea_submit_on_behalf`: who may enter a resident's paper, phone or meeting
contribution, what is stored (and where), and what is refused."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from consultations import permissions
from consultations.models import (
    Channel,
    Idea,
    ModerationAction,
    ModerationDecision,
    OfflineContributor,
    Phase,
    PostStatus,
    ReplyBy,
)
from consultations.services import offline
from tests.factories import make_consultation
from tests.offline.conftest import by_email, by_letter, enter, make_user


def nothing_stored():
    return not Idea.objects.exists() and not OfflineContributor.objects.exists()


def test_a_paper_contribution_is_published_at_once_as_a_resident_of_its_neighbourhood(
    consultation, moderator
):
    received = timezone.localdate() - timedelta(days=3)
    hillcrest = consultation.neighbourhoods.get(name="Hillcrest")
    idea = enter(consultation, moderator, received_on=received, neighbourhood=hillcrest)

    idea.refresh_from_db()
    assert idea.status == PostStatus.PUBLISHED  # pre-moderated, but a moderator entered it
    assert idea.published_at is not None
    assert idea.author is None
    assert idea.channel == Channel.PAPER
    assert idea.contributor is None  # they asked for nothing back
    assert idea.shown_author == "A resident of Hillcrest (paper)"
    assert timezone.localtime(idea.created_at).date() == received


@pytest.mark.parametrize(
    ("channel", "shown"),
    [("paper", "(paper)"), ("phone", "(phone)"), ("meeting", "(meeting)")],
)
def test_each_offline_channel_is_shown_beside_the_resident(consultation, moderator, channel, shown):
    idea = enter(consultation, moderator, channel=channel, neighbourhood=None)
    assert idea.shown_author == f"A resident {shown}"


def test_who_entered_it_is_recorded_as_a_decision_and_in_the_audit_log(consultation, moderator):
    idea = enter(consultation, moderator, **by_letter())
    decision = ModerationDecision.objects.get(idea=idea)
    assert decision.actor == moderator
    assert decision.action == ModerationAction.ENTER
    assert "Paper form received on" in decision.note
    entry = ModelLogEntry.objects.get(object_id=str(idea.pk), action="engage.idea.enter")
    assert entry.user_id == moderator.pk
    assert entry.data["channel"] == "paper"
    assert entry.data["reply_by"] == "letter"
    # The audit log names who entered it, never the resident's contact details.
    assert "Holloway" not in str(entry.data) and "Willow" not in str(entry.data)


def test_contact_details_are_kept_apart_from_the_idea_and_only_for_the_chosen_way(
    consultation, moderator
):
    by_post = enter(consultation, moderator, **by_letter(), contributor_email="ignored@example.org")
    assert by_post.contributor.name == "Margaret Holloway"
    assert by_post.contributor.postal_address == "14 Willow Lane\nOld Town\nRV2 4QT"
    assert by_post.contributor.email == ""  # a letter was chosen: the email is not kept
    assert by_post.contributor.pcn == consultation.pcn
    assert by_post.contributor.reply_by == ReplyBy.LETTER

    emailed = enter(consultation, moderator, **by_email(), contributor_address="1 Nowhere Street")
    assert emailed.contributor.email == "phone.caller@example.org"
    assert emailed.contributor.postal_address == ""
    assert emailed.contributor.reply_by == ReplyBy.EMAIL

    nothing = enter(
        consultation,
        moderator,
        reply_by=ReplyBy.NOTHING,
        contributor_name="Kept nowhere",
        contributor_email="nowhere@example.org",
    )
    assert nothing.contributor is None
    assert OfflineContributor.objects.count() == 2


def test_resident_text_and_contact_details_are_stored_as_plain_text(consultation, moderator):
    idea = enter(
        consultation,
        moderator,
        title="<b>Late</b> clinic on Fridays",
        body="Please <em>open</em> late.\r\n\r\n\r\nThank you<script></script>",
        **by_letter(name="<i>Ann</i> Example", address="<p>1 High St</p>\r\nTown\u202e<img src=x>"),
    )
    idea.refresh_from_db()
    assert idea.title == "Late clinic on Fridays"
    assert idea.body == "Please open late.\n\nThank you"
    assert idea.contributor.name == "Ann Example"
    assert idea.contributor.postal_address == "1 High St\nTown"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"title": "", "body": ""}, {"title", "body"}),
        ({"title": "<b></b>", "body": "<script></script>"}, {"title", "body"}),
        ({"channel": "online"}, {"channel"}),
        ({"received_on": None}, {"received_on"}),
        ({"reply_by": ReplyBy.EMAIL}, {"contributor_email"}),
        ({"reply_by": ReplyBy.EMAIL, "contributor_email": "not an address"}, {"contributor_email"}),
        ({"reply_by": ReplyBy.LETTER}, {"contributor_name", "contributor_address"}),
        (
            {"reply_by": ReplyBy.LETTER, "contributor_name": "Ann", "contributor_address": " "},
            {"contributor_address"},
        ),
        ({"reply_by": "pigeon"}, {"reply_by"}),
        ({**by_letter(name="x" * 101)}, {"contributor_name"}),
        ({"title": "Late clinic\non Fridays"}, {"title"}),
        ({**by_letter(name="Ann\u202e Example")}, {"contributor_name"}),
        ({**by_letter(name="Ann\nBcc: x@example.org")}, {"contributor_name"}),
    ],
    ids=[
        "empty",
        "nothing-left-once-markup-is-removed",
        "online-is-not-offline",
        "no-date",
        "email-missing",
        "email-malformed",
        "letter-without-name-or-address",
        "letter-with-blank-address",
        "unknown-way-to-reply",
        "name-too-long",
        "title-on-two-lines",
        "name-with-a-direction-character",
        "name-on-two-lines",
    ],
)
def test_invalid_contributions_are_refused_naming_each_field(
    consultation, moderator, fields, errors
):
    with pytest.raises(ValidationError) as refusal:
        enter(consultation, moderator, **fields)
    assert set(refusal.value.message_dict) == errors
    assert nothing_stored()


def test_every_problem_is_reported_at_once(consultation, moderator):
    with pytest.raises(ValidationError) as refusal:
        enter(
            consultation,
            moderator,
            title="",
            received_on=timezone.localdate() + timedelta(days=1),
            reply_by=ReplyBy.LETTER,
        )
    assert set(refusal.value.message_dict) == {
        "title",
        "received_on",
        "contributor_name",
        "contributor_address",
    }
    assert refusal.value.message_dict["received_on"] == [
        "The date it was received must be today or in the past"
    ]


def test_the_date_received_must_fall_while_the_consultation_was_open(consultation, moderator):
    opened = timezone.localtime(consultation.opens_at).date()
    with pytest.raises(ValidationError) as refusal:
        enter(consultation, moderator, received_on=opened - timedelta(days=1))
    assert "opened on" in refusal.value.message_dict["received_on"][0]
    assert nothing_stored()
    assert enter(consultation, moderator, received_on=opened).pk


def test_a_neighbourhood_of_another_pcn_is_refused(consultation, other_consultation, moderator):
    elsewhere = other_consultation.neighbourhoods.first()
    with pytest.raises(ValidationError) as refusal:
        enter(consultation, moderator, neighbourhood=elsewhere)
    assert set(refusal.value.message_dict) == {"neighbourhood"}
    assert nothing_stored()


def test_nothing_is_kept_when_the_audit_entry_fails(consultation, moderator, monkeypatch):
    def broken_log(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(offline, "log", broken_log)
    with pytest.raises(RuntimeError):
        enter(consultation, moderator, **by_letter())
    assert nothing_stored()
    assert not ModerationDecision.objects.exists()


# Who may enter contributions: the PCN's moderators and staff, nobody else.

ROLES = {
    "moderator of this PCN": True,
    "staff of this PCN": True,
    "admin": True,
    "moderator of another PCN": False,
    "staff of another PCN": False,
    "resident": False,
    "visitor": False,
}


@pytest.fixture
def person(request, moderator, staff, other_moderator, other_staff):
    return {
        "moderator of this PCN": moderator,
        "staff of this PCN": staff,
        "admin": make_user(is_superuser=True, is_staff=True),
        "moderator of another PCN": other_moderator,
        "staff of another PCN": other_staff,
        "resident": make_user(),
        "visitor": AnonymousUser(),
    }[request.param]


@pytest.mark.parametrize(("person", "allowed"), ROLES.items(), indirect=["person"], ids=ROLES)
def test_permission_matrix(consultation, person, allowed):
    assert permissions.can_enter_on_behalf(person, consultation) is allowed
    if allowed:
        assert enter(consultation, person).status == PostStatus.PUBLISHED
    else:
        with pytest.raises(PermissionDenied):
            enter(consultation, person)
        assert nothing_stored()


@pytest.mark.parametrize(
    ("phase", "accepted"),
    [
        ("open", True),
        ("closed-a-week-ago", True),
        ("under-review", True),
        ("upcoming", False),
        ("closed-six-weeks-ago", False),
        ("responded", False),
    ],
)
def test_only_open_or_recently_closed_consultations_take_entries(
    consultation_index, moderator, phase, accepted
):
    now = timezone.now()
    fields = {
        "open": {"phase": "open"},
        "upcoming": {"phase": "upcoming"},
        "closed-a-week-ago": {
            "phase": "closed",
            "opens_at": now - timedelta(days=40),
            "closes_at": now - timedelta(days=7),
        },
        "under-review": {"phase": "closed", "phase_override": Phase.UNDER_REVIEW},
        "closed-six-weeks-ago": {
            "phase": "closed",
            "opens_at": now - timedelta(days=90),
            "closes_at": now - timedelta(days=42),
        },
        "responded": {"phase": "closed", "phase_override": Phase.RESPONDED},
    }[phase]
    consultation = make_consultation(consultation_index, **fields)
    assert permissions.can_enter_on_behalf(moderator, consultation) is accepted
    received = min(timezone.localdate(), timezone.localtime(consultation.closes_at).date())
    if accepted:
        assert enter(consultation, moderator, received_on=received).pk
    else:
        with pytest.raises(ValidationError) as refusal:
            enter(consultation, moderator, received_on=received)
        assert set(refusal.value.message_dict) == {"consultation"}
        assert nothing_stored()


def test_a_contribution_received_before_closing_can_be_entered_after(consultation_index, moderator):
    now = timezone.now()
    closed = make_consultation(
        consultation_index,
        phase="closed",
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=7),
    )
    closing_day = timezone.localtime(closed.closes_at).date()
    assert enter(closed, moderator, received_on=closing_day).pk
    with pytest.raises(ValidationError) as refusal:
        enter(closed, moderator, received_on=closing_day + timedelta(days=1))
    assert "closed on" in refusal.value.message_dict["received_on"][0]
