"""A post hidden by residents' reports: the resident whose report hid it is told so (not sent
to a page that is gone), its author is told why and what happens next, and a moderator can
confirm the hide, or restore it, without a false "another moderator" conflict."""

import pytest
from django.urls import reverse

from consultations import moderation
from consultations.models import (
    FlagReason,
    ModerationAction,
    ModerationDecision,
    ModerationReason,
    PostStatus,
)
from tests.moderation.conftest import make_comment, make_user, route


@pytest.fixture
def hides_at_two(settings):
    settings.ENGAGE_FLAGS_TO_HIDE = 2


def report(client, consultation, reporter, *, idea=None, comment=None):
    client.force_login(reporter)
    if idea is not None:
        url = route(consultation, "idea-flag", idea.pk)
    else:
        url = route(consultation, "comment-flag", comment.pk)
    return client.post(url, {"reason": FlagReason.ABUSIVE, "details": ""}, follow=True)


def test_the_report_that_hides_an_idea_lands_on_the_consultation_with_a_confirmation(
    client, consultation, published_idea, hides_at_two
):
    report(client, consultation, make_user(), idea=published_idea)
    response = report(client, consultation, make_user(), idea=published_idea)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == consultation.url
    assert "hidden until a moderator looks at it" in response.content.decode()
    published_idea.refresh_from_db()
    assert published_idea.status == PostStatus.HIDDEN


def test_a_report_that_does_not_hide_keeps_the_reporter_on_the_idea(
    client, consultation, published_idea, hides_at_two
):
    response = report(client, consultation, make_user(), idea=published_idea)
    assert response.redirect_chain[-1][0].endswith(f"/ideas/{published_idea.pk}/")
    assert "A moderator will look at it soon" in response.content.decode()


def test_the_report_that_hides_a_comment_stays_on_its_idea(
    client, consultation, published_idea, hides_at_two
):
    comment = make_comment(published_idea, status=PostStatus.PUBLISHED, body="Rude words")
    report(client, consultation, make_user(), comment=comment)
    response = report(client, consultation, make_user(), comment=comment)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(f"/ideas/{published_idea.pk}/")
    assert "hidden until a moderator looks at it" in response.content.decode()


def test_the_author_of_a_post_hidden_by_reports_is_told_why_and_what_next(
    client,
    consultation,
    published_idea,
    hides_at_two,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=True):
        report(client, consultation, make_user(), idea=published_idea)
        report(client, consultation, make_user(), idea=published_idea)
    assert [email.to for email in mailoutbox] == [[published_idea.author.email]]
    email = mailoutbox[0]
    assert email.subject.endswith("Your idea is hidden until a moderator looks at it")
    assert "Some residents reported your idea" in email.body
    assert "we will email you when they have decided" in email.body


def auto_hidden(consultation, idea, client):
    report(client, consultation, make_user(), idea=idea)
    report(client, consultation, make_user(), idea=idea)
    idea.refresh_from_db()
    assert idea.status == PostStatus.HIDDEN
    return idea


def test_a_moderator_confirms_the_hide_without_a_false_conflict(
    client, consultation, published_idea, moderator, hides_at_two
):
    idea = auto_hidden(consultation, published_idea, client)
    decision = moderation.post_moderate(
        post=idea,
        moderator=moderator,
        action=ModerationAction.HIDE,
        reason=ModerationReason.ABUSIVE,
        seen_status=PostStatus.HIDDEN,
    )
    assert decision.action == ModerationAction.HIDE
    assert not idea.flags.filter(resolved_at__isnull=True).exists()
    # Once a moderator has decided, hiding it again is a conflict like any other.
    with pytest.raises(moderation.ModerationConflict):
        moderation.post_moderate(
            post=idea,
            moderator=moderator,
            action=ModerationAction.HIDE,
            reason=ModerationReason.ABUSIVE,
            seen_status=PostStatus.HIDDEN,
        )
    assert ModerationDecision.objects.filter(action=ModerationAction.HIDE).count() == 1


def test_a_moderator_can_restore_a_post_hidden_by_reports(
    client, consultation, published_idea, moderator, hides_at_two
):
    idea = auto_hidden(consultation, published_idea, client)
    moderation.post_moderate(
        post=idea, moderator=moderator, action=ModerationAction.RESTORE, seen_status="hidden"
    )
    idea.refresh_from_db()
    assert idea.status == PostStatus.PUBLISHED


def test_hiding_from_the_moderation_screen_confirms_it(
    client, consultation, published_idea, moderator, hides_at_two
):
    idea = auto_hidden(consultation, published_idea, client)
    client.force_login(moderator)
    response = client.post(
        reverse("moderation_ideas:inspect", args=[idea.pk]),
        {
            "action": "hide",
            "reason": ModerationReason.ABUSIVE,
            "note": "",
            "seen_status": "hidden",
        },
        follow=True,
    )
    assert "Another moderator" not in response.content.decode()
    assert ModerationDecision.objects.filter(idea=idea, action=ModerationAction.HIDE).exists()
