"""A slow or failing mail server neither slows nor fails a request, and every email it
missed goes out once, when it is back.

Set up as production: Django's SMTP backend with EMAIL_TIMEOUT, and the database task queue
worked by `manage.py db_worker`. The SMTP server is real (tests/resilience/conftest.py): first
down (connections refused), then slow (answers after the timeout), then up.
"""

import pytest
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from consultations.models import (
    Follow,
    Idea,
    ModerationMode,
    Notice,
    PostStatus,
    UpdateAction,
    UpdatePage,
)
from engage.models import User
from tests.factories import UserFactory, make_consultation, make_pcn_site
from tests.resilience.conftest import run_worker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_baseline"),
]

# The mail server answers after this many seconds, well past EMAIL_TIMEOUT (1 second).
SLOW = 3


def _without_the_mail_server(monkeypatch, request, *args, **kwargs):
    """Make the request, and show it never opened a connection to the mail server.

    A request that talked to a slow server would wait for it (up to EMAIL_TIMEOUT), and one
    that talked to a refusing server could fail; a request that only queues its email can do
    neither. Checking the connection rather than a stopwatch keeps the test honest on a
    loaded machine.
    """
    opened = []
    real_open = SMTPBackend.open

    def recording_open(backend):
        opened.append(backend)
        return real_open(backend)

    monkeypatch.setattr(SMTPBackend, "open", recording_open)
    response = request(*args, **kwargs)
    monkeypatch.setattr(SMTPBackend, "open", real_open)
    assert opened == [], "the request talked to the mail server itself"
    return response


def _to(mail_server, address):
    return [m for m in mail_server.messages if address in m["To"]]


def _failed_attempts():
    return DBTaskResult.objects.filter(status="FAILED").count()


@pytest.fixture
def pending_idea():
    home, consultation_index, _ = make_pcn_site()
    consultation = make_consultation(
        consultation_index, phase="open", moderation_mode=ModerationMode.PRE
    )
    author = UserFactory(display_name="Author", email="author@example.org")
    moderator = UserFactory(display_name="Moderator", groups=[home.pcn.moderator_group])
    idea = Idea.objects.create(
        consultation=consultation,
        author=author,
        title="More evening appointments",
        body="Please open until 8pm.",
        status=PostStatus.PENDING,
    )
    return idea, moderator


@pytest.mark.parametrize("outage", ["refused", "slow"])
def test_a_moderator_decision_waits_for_no_mail_server_and_its_email_goes_out_once_it_is_back(
    smtp_and_task_queue, pending_idea, outage, monkeypatch
):
    mail_server = smtp_and_task_queue
    idea, moderator = pending_idea
    if outage == "slow":
        mail_server.start(delay=SLOW)
    client = Client()
    client.force_login(moderator)

    response = _without_the_mail_server(
        monkeypatch,
        client.post,
        reverse("moderation_ideas:inspect", args=[idea.pk]),
        {"action": "approve", "reason": "", "note": ""},
    )

    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == PostStatus.PUBLISHED

    # The worker tries while the server is still failing: nothing sent, a retry is queued.
    run_worker(now=False)
    assert mail_server.messages == []
    assert _failed_attempts() == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    # Still failing at the retry: another attempt later.
    run_worker()
    assert _failed_attempts() == 2

    mail_server.start()
    run_worker()
    run_worker()  # and again: nothing is sent twice
    call_command("send_notifications")
    run_worker()

    delivered = _to(mail_server, "author@example.org")
    assert len(delivered) == 1
    assert "Your idea is published" in delivered[0]["Subject"]
    assert len(mail_server.messages) == 1


@pytest.mark.parametrize("outage", ["refused", "slow"])
def test_sign_up_waits_for_no_mail_server_and_the_verification_goes_out_once_it_is_back(
    smtp_and_task_queue, outage, monkeypatch
):
    mail_server = smtp_and_task_queue
    if outage == "slow":
        mail_server.start(delay=SLOW)

    response = _without_the_mail_server(
        monkeypatch,
        Client().post,
        reverse("account_signup"),
        {
            "email": "new.resident@example.org",
            "password1": "a-long-new-password-1",
            "password2": "a-long-new-password-1",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(email="new.resident@example.org").exists()

    run_worker(now=False)
    assert mail_server.messages == []
    assert _failed_attempts() == 1

    mail_server.start()
    run_worker()
    run_worker()

    delivered = _to(mail_server, "new.resident@example.org")
    assert len(delivered) == 1
    assert "/accounts/confirm-email/" in delivered[0].get_payload(decode=False) or any(
        "/accounts/confirm-email/" in part.get_payload(decode=True).decode()
        for part in delivered[0].walk()
        if part.get_content_maintype() == "text"
    )
    assert len(mail_server.messages) == 1


def test_a_password_reset_waits_for_no_mail_server_while_it_is_slow(
    smtp_and_task_queue, monkeypatch
):
    mail_server = smtp_and_task_queue
    mail_server.start(delay=SLOW)
    UserFactory(email="forgetful@example.org")

    response = _without_the_mail_server(
        monkeypatch,
        Client().post,
        reverse("account_reset_password"),
        {"email": "forgetful@example.org"},
    )

    assert response.status_code == 302
    mail_server.start()
    run_worker()
    assert len(_to(mail_server, "forgetful@example.org")) == 1


def test_update_emails_missed_in_an_outage_go_out_once_when_send_notifications_runs(
    smtp_and_task_queue,
):
    mail_server = smtp_and_task_queue
    _, consultation_index, update_index = make_pcn_site()
    consultation = make_consultation(consultation_index, phase="closed")
    followers = [UserFactory(email=f"follower{n}@example.org") for n in range(3)]
    for follower in followers:
        Follow.objects.create(user=follower, consultation=consultation)

    update = update_index.add_child(
        instance=UpdatePage(
            title="Saturday clinics",
            you_said="<p>Weekends.</p>",
            we_did="<p>A Saturday clinic.</p>",
            consultation=consultation,
            actions=[UpdateAction(description="Saturday clinic", status="planned")],
            live=False,
        )
    )
    update.save_revision().publish()

    run_worker(now=False)  # works out who hears, and tries to send: the server is down
    assert mail_server.messages == []
    notices = Notice.objects.filter(update=update)
    assert notices.count() == 3
    assert set(notices.values_list("status", "attempts")) == {(Notice.Status.PENDING, 1)}

    mail_server.start()
    # The scheduled command (which also owes followers a "now closed" email, sent once).
    call_command("send_notifications")
    run_worker()
    call_command("send_notifications")  # the next scheduled run finds nothing owed
    run_worker()

    sent = [(m["To"], m["Subject"]) for m in mail_server.messages]
    assert len(sent) == len(set(sent)), f"an email went out twice: {sent}"
    for follower in followers:
        subjects = [m["Subject"] for m in _to(mail_server, follower.email)]
        assert [s for s in subjects if "You said, we did" in s] == [
            "Engage: You said, we did: Saturday clinics"
        ]
    assert set(notices.values_list("status", flat=True)) == {Notice.Status.SENT}
