"""How a failed email is tried again (engage/mail.py), without a real mail server."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import default_task_backend

from engage.mail import RETRY_DELAYS, email_send_later, send_email


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Connection refused")


REFUSING = "tests.resilience.test_email_retries.RefusingBackend"


@pytest.fixture
def queue(settings):
    """The dummy task backend: it keeps what is enqueued, and can run tasks later."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def test_a_failed_send_is_queued_again_after_a_delay_and_then_fails(settings, queue):
    settings.EMAIL_BACKEND = REFUSING
    with pytest.raises(ConnectionRefusedError):
        send_email.call(subject="Hello", body="Hi", to=["a@example.org"])

    (retry,) = queue.results
    assert retry.kwargs["attempt"] == 2
    assert retry.kwargs["to"] == ["a@example.org"]
    expected = timezone.now() + timedelta(seconds=RETRY_DELAYS[0])
    assert abs((retry.task.run_after - expected).total_seconds()) < 5


def test_after_the_last_attempt_the_email_is_given_up(settings, queue, caplog):
    settings.EMAIL_BACKEND = REFUSING
    with pytest.raises(ConnectionRefusedError):
        send_email.call(
            subject="Hello", body="Hi", to=["a@example.org"], attempt=len(RETRY_DELAYS) + 1
        )
    assert queue.results == []
    assert "Giving up" in caplog.text


def test_the_immediate_backend_records_the_failure_without_raising_into_the_request(settings):
    """One laptop: tasks run in the request; a mail failure must not become an error page."""
    settings.EMAIL_BACKEND = REFUSING
    result = send_email.enqueue(subject="Hello", body="Hi", to=["a@example.org"])
    assert result.status == "FAILED"


def test_a_successful_send_is_not_queued_again(queue):
    assert send_email.call(subject="Hello", body="Hi", to=["a@example.org"]) == "sent"
    assert queue.results == []
    assert len(mail.outbox) == 1


def test_email_send_later_keeps_the_html_part_and_headers(settings):
    message = EmailMultiAlternatives(
        subject="Confirm", body="Plain", to=["b@example.org"], headers={"X-Test": "1"}
    )
    message.attach_alternative("<p>Rich</p>", "text/html")
    email_send_later(message)
    (sent,) = mail.outbox
    assert (sent.subject, sent.body, sent.to) == ("Confirm", "Plain", ["b@example.org"])
    assert sent.alternatives[0][0] == "<p>Rich</p>"
    assert sent.extra_headers["X-Test"] == "1"
