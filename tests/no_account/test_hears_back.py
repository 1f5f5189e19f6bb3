"""Someone who took part without an account still hears back, through the loop every
contributor is on: a moderator's decision, their idea put in a theme, and a "You said, we
did" update that answers it. Someone who gave no email address hears nothing, and is told so.
"""

import pytest
from django.core import mail
from django.utils import timezone

from consultations import moderation
from consultations.models import Comment, Idea, ModerationAction, PostStatus
from consultations.services import no_account as services
from tests.consultations.conftest import make_idea
from tests.factories import UserFactory, make_moderator
from tests.loop.conftest import make_theme, make_update
from tests.no_account.conftest import confirmation_sent, send_comment, send_idea

ADDRESS = "sam@example.org"


def to_sender():
    return [m for m in mail.outbox if m.to == [ADDRESS] and "Confirm" not in m.subject]


@pytest.fixture
def moderator(home):
    return make_moderator(home.pcn)


@pytest.fixture
def idea(consultation):
    send_idea(consultation, email=ADDRESS)
    services.no_account_post_confirm(token=confirmation_sent()[0])
    mail.outbox.clear()
    return Idea.objects.get()


def test_a_moderators_decision_reaches_the_sender(
    idea, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.post_moderate(post=idea, moderator=moderator, action=ModerationAction.APPROVE)
    [message] = to_sender()
    assert "published" in message.subject
    assert "Hello there" in message.body
    assert "/notifications/unsubscribe/" in message.body


def test_a_decision_about_a_comment_reaches_its_sender(
    consultation, moderator, django_capture_on_commit_callbacks
):
    idea = make_idea(consultation, UserFactory(), published_at=timezone.now())
    send_comment(idea, email=ADDRESS)
    services.no_account_post_confirm(token=confirmation_sent()[0])
    mail.outbox.clear()
    comment = Comment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.post_moderate(
            post=comment, moderator=moderator, action=ModerationAction.HIDE, reason="off_topic"
        )
    [message] = to_sender()
    assert "hidden your comment" in message.subject


def test_an_update_that_answers_their_idea_reaches_them(
    idea, moderator, update_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.post_moderate(post=idea, moderator=moderator, action=ModerationAction.APPROVE)
    theme = make_theme(idea.consultation)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.theme_assign_ideas(theme=theme, user=moderator, idea_ids=[idea.pk])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_update(update_index, consultation=idea.consultation, themes=[theme])
    [message] = to_sender()
    assert "You said, we did" in message.subject
    assert f'"{idea.title}"' in message.body
    assert "/notifications/unsubscribe/" in message.body


def test_once_they_unsubscribe_they_hear_nothing_more(
    idea, moderator, update_index, client, django_capture_on_commit_callbacks
):
    from consultations.notifications import unsubscribe_url

    client.post(unsubscribe_url(idea.contributor).removeprefix("http://127.0.0.1:8000"))
    idea.contributor.refresh_from_db()
    assert not idea.contributor.email_updates
    with django_capture_on_commit_callbacks(execute=True):
        moderation.post_moderate(post=idea, moderator=moderator, action=ModerationAction.APPROVE)
        make_update(update_index, consultation=idea.consultation, ideas=[idea])
    assert to_sender() == []


def test_a_hidden_idea_is_not_answered_and_its_sender_is_not_told_of_updates(
    idea, moderator, update_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.post_moderate(
            post=idea, moderator=moderator, action=ModerationAction.HIDE, reason="spam"
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_update(update_index, consultation=idea.consultation, ideas=[idea])
    assert to_sender() == []


def test_a_post_with_no_email_address_hears_nothing(
    consultation, moderator, django_capture_on_commit_callbacks
):
    consultation.pcn.allow_posts_without_email = True
    consultation.pcn.save()
    send_idea(consultation, email="")
    idea = Idea.objects.get()
    assert idea.status == PostStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        moderation.post_moderate(post=idea, moderator=moderator, action=ModerationAction.APPROVE)
    assert mail.outbox == []
