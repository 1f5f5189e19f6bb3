"""Every email goes out through one queue (engage/mail.py), and never twice.

SMTP has no transactions: a server can take a message and then fail to say so before the
sender gives up waiting. Each email has a key and an `OutgoingEmail` row, marked "sending"
before the message is handed over and "sent" after; a failure that shows the server did not
take it is retried, one that may have come after it took it is never sent again.
"""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult

from consultations import moderation
from consultations.models import ModerationAction, Notice, PostStatus
from consultations.notifications import notice_email_key, send_moderation_decision, send_notice
from engage.mail import MAX_ATTEMPTS, email_enqueue, email_withdraw, send_email
from engage.models import OutgoingEmail
from tests.factories import UserFactory, make_consultation, make_pcn_site
from tests.moderation.conftest import make_idea
from tests.resilience.conftest import run_worker

Status = OutgoingEmail.Status


class TimesOutAfterTheMessageBackend(BaseEmailBackend):
    """A server that took the message, then stopped answering before it said so."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed: timed out")


class RefusesTheRecipientBackend(BaseEmailBackend):
    """A server that answered: it will not take mail for this address now."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"a@example.org": (450, b"Try again later")})


def _backend(name: str) -> str:
    return f"tests.resilience.test_email_at_most_once.{name}"


@pytest.fixture
def queue(settings):
    """The dummy task backend: it keeps what is enqueued, and can run tasks later."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def _send(key, **fields):
    fields = {"subject": "Hello", "body": "Hi", "to": ["a@example.org"], **fields}
    return send_email.call(key=key, **fields)


# One queue, one key, one email


def test_an_email_is_queued_once_however_often_it_is_offered(db, queue):
    assert email_enqueue(key="test:1", subject="Hello", body="Hi", to=["a@example.org"])
    assert not email_enqueue(key="test:1", subject="Hello", body="Hi", to=["a@example.org"])

    (task,) = queue.results
    assert task.kwargs["key"] == "test:1" and task.kwargs["attempt"] == 1
    assert OutgoingEmail.objects.get(key="test:1").status == Status.QUEUED


def test_a_sent_email_is_not_sent_again(db):
    assert email_enqueue(key="test:2", subject="Hello", body="Hi", to=["a@example.org"])
    assert len(mail.outbox) == 1
    outgoing = OutgoingEmail.objects.get(key="test:2")
    assert (outgoing.status, outgoing.attempts) == (Status.SENT, 1)
    assert outgoing.sent_at is not None

    assert _send("test:2", attempt=2) == Status.SENT  # a stray second task
    assert not email_enqueue(key="test:2", subject="Hello", body="Hi", to=["a@example.org"])
    assert len(mail.outbox) == 1


def test_a_decision_email_task_run_twice_sends_one_email(
    home, consultation_index, django_capture_on_commit_callbacks
):
    consultation = make_consultation(consultation_index, phase="open")
    idea = make_idea(consultation, UserFactory(email="author@example.org"))
    moderator = UserFactory(groups=[home.pcn.moderator_group])
    with django_capture_on_commit_callbacks(execute=True):
        decision = moderation.post_moderate(
            post=idea, moderator=moderator, action=ModerationAction.APPROVE
        )
    send_moderation_decision.call(decision.pk)

    assert [message.to for message in mail.outbox] == [["author@example.org"]]
    assert OutgoingEmail.objects.get(key=f"moderation-decision:{decision.pk}").status == "sent"


def test_account_emails_have_a_key_of_their_own(db, client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new.resident@example.org",
            "password1": "a-long-new-password-1",
            "password2": "a-long-new-password-1",
        },
    )
    assert len(mail.outbox) == 1
    (outgoing,) = OutgoingEmail.objects.filter(key__startswith="account:")
    assert outgoing.status == Status.SENT
    assert "new.resident" not in outgoing.key  # the row names no one


# When the server did not take it: tried again


def test_a_refused_recipient_is_tried_again_with_the_same_key(db, settings, queue):
    settings.EMAIL_BACKEND = _backend("RefusesTheRecipientBackend")
    email_enqueue(key="test:3", subject="Hello", body="Hi", to=["a@example.org"])
    (first,) = queue.results
    queue.clear()

    with pytest.raises(smtplib.SMTPRecipientsRefused):
        _send("test:3", attempt=first.kwargs["attempt"])

    (retry,) = queue.results
    assert (retry.kwargs["key"], retry.kwargs["attempt"]) == ("test:3", 2)
    outgoing = OutgoingEmail.objects.get(key="test:3")
    assert (outgoing.status, outgoing.attempts) == (Status.QUEUED, 1)
    # The row keeps the kind of failure, never the text (it names the address).
    assert outgoing.last_error == "SMTPRecipientsRefused"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert _send("test:3", attempt=2) == "sent"
    assert len(mail.outbox) == 1


def test_an_email_given_up_after_every_attempt_is_not_offered_again(db):
    OutgoingEmail.objects.create(key="test:4", status=Status.FAILED, attempts=MAX_ATTEMPTS)
    assert not email_enqueue(key="test:4", subject="Hello", body="Hi", to=["a@example.org"])
    assert mail.outbox == []


# When the server may have taken it: never sent again


def test_a_timeout_after_the_message_was_handed_over_is_not_sent_again(db, settings, queue):
    settings.EMAIL_BACKEND = _backend("TimesOutAfterTheMessageBackend")
    email_enqueue(key="test:5", subject="Hello", body="Hi", to=["a@example.org"])
    queue.clear()

    with pytest.raises(smtplib.SMTPServerDisconnected):
        _send("test:5")

    assert queue.results == []  # no retry
    outgoing = OutgoingEmail.objects.get(key="test:5")
    assert (outgoing.status, outgoing.attempts) == (Status.UNCERTAIN, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert _send("test:5", attempt=2) == Status.UNCERTAIN
    assert not email_enqueue(key="test:5", subject="Hello", body="Hi", to=["a@example.org"])
    assert mail.outbox == []


def test_an_email_left_sending_by_a_stopped_worker_is_not_sent_again(db):
    OutgoingEmail.objects.create(key="test:6", status=Status.SENDING, attempts=1)
    assert _send("test:6", attempt=2) == Status.SENDING
    assert mail.outbox == []
    assert OutgoingEmail.objects.get(key="test:6").attempts == 1


def test_a_withdrawn_email_is_not_sent_by_its_queued_retry(db, queue):
    email_enqueue(key="test:7", subject="Hello", body="Hi", to=["a@example.org"])
    assert email_withdraw("test:7")
    assert _send("test:7") == Status.WITHDRAWN
    assert mail.outbox == []


# The notices outbox hears how its emails went


@pytest.fixture
def phase_notice(consultation_index):
    consultation = make_consultation(consultation_index, phase="open")
    follower = UserFactory(email="follower@example.org")
    return Notice.objects.create(
        user=follower, kind=Notice.Kind.PHASE, consultation=consultation, key="open"
    )


def test_a_notice_whose_email_may_have_gone_is_settled_not_resent(db, settings, phase_notice):
    settings.EMAIL_BACKEND = _backend("TimesOutAfterTheMessageBackend")
    send_notice.call(phase_notice.pk)

    phase_notice.refresh_from_db()
    assert phase_notice.status == Notice.Status.SENT  # no longer owed
    assert phase_notice.sent_at is None
    assert phase_notice.last_error.startswith("Perhaps not delivered")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_notifications", verbosity=0)
    assert mail.outbox == []


def test_a_notice_whose_reader_turned_emails_off_stops_its_queued_email(db, queue, phase_notice):
    assert send_notice.call(phase_notice.pk) == "queued"
    phase_notice.user.email_updates = False
    phase_notice.user.save()

    assert send_notice.call(phase_notice.pk) == "turned off"
    assert OutgoingEmail.objects.get(key=notice_email_key(phase_notice.pk)).status == (
        Status.WITHDRAWN
    )


# A real mail server that takes the message and confirms it too late


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("wagtail_baseline")
def test_a_server_that_confirms_too_late_gets_the_email_once(smtp_and_task_queue):
    mail_server = smtp_and_task_queue
    mail_server.start(confirm_delay=3)  # well past EMAIL_TIMEOUT (1 second)
    home, consultation_index, _ = make_pcn_site()
    consultation = make_consultation(consultation_index, phase="open")
    author = UserFactory(email="author@example.org")
    moderator = UserFactory(groups=[home.pcn.moderator_group])
    idea = make_idea(consultation, author, status=PostStatus.PENDING)
    client = Client()
    client.force_login(moderator)
    client.post(
        reverse("moderation_ideas:inspect", args=[idea.pk]),
        {"action": "approve", "reason": "", "note": ""},
    )

    run_worker()
    mail_server.start()  # answering in time again
    run_worker()
    call_command("send_notifications", verbosity=0)
    run_worker()

    assert len(mail_server.messages) == 1  # taken once, never sent again
    outgoing = OutgoingEmail.objects.get(key__startswith="moderation-decision:")
    assert outgoing.status == Status.UNCERTAIN
    assert not DBTaskResult.objects.filter(status="READY").exists()
