"""Publishing a "You said, we did" update emails the right people once, reliably.

Publishing enqueues `notify_update_published` in `transaction.on_commit`; the immediate
task backend then sends every email at once, so each test publishes inside
`django_capture_on_commit_callbacks(execute=True)` (which also runs the callbacks that
those callbacks register).
"""

import smtplib
from io import StringIO
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from consultations.models import Notice, PostStatus, UpdatePage
from consultations.notifications import UNSUBSCRIBE_SALT, unsubscribe_url
from tests.factories import UserFactory
from tests.loop.conftest import action, follow, make_idea, make_theme, make_update

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("Connection refused by mail.example.org")


def publish(update_index, capture, **fields) -> UpdatePage:
    with capture(execute=True):
        return make_update(update_index, **fields)


def republish(update, capture, **changes) -> UpdatePage:
    """Publish a new revision of the live page, optionally with changed fields."""
    page = UpdatePage.objects.get(pk=update.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    with capture(execute=True):
        page.save_revision().publish()
    return UpdatePage.objects.get(pk=update.pk)


def recipients(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


@pytest.fixture
def cast(consultation, theme):
    """Everyone who might or might not hear about an update answering `theme`."""
    people = {
        name: UserFactory(email=f"{name}@example.org")
        for name in (
            "author",
            "consultation_follower",
            "idea_follower",
            "turned_off",
            "hidden_author",
            "withdrawn_author",
            "unrelated",
            "author_and_follower",
            "other_theme_author",
        )
    }
    people["turned_off"].email_updates = False
    people["turned_off"].save(update_fields=["email_updates"])

    published = make_idea(consultation, people["author"], title="Open on Saturdays")
    followed = make_idea(consultation, UserFactory(email_updates=False), title="Followed idea")
    turned_off = make_idea(consultation, people["turned_off"], title="Turned off idea")
    hidden = make_idea(
        consultation, people["hidden_author"], status=PostStatus.HIDDEN, title="Hidden idea"
    )
    withdrawn = make_idea(
        consultation,
        people["withdrawn_author"],
        status=PostStatus.WITHDRAWN,
        title="Withdrawn idea",
    )
    both = make_idea(consultation, people["author_and_follower"], title="Both idea")
    for idea in (published, followed, turned_off, hidden, withdrawn, both):
        idea.themes.add(theme)
    # An idea in another theme of the same consultation is not answered by the update.
    elsewhere = make_idea(consultation, people["other_theme_author"], title="Elsewhere")
    elsewhere.themes.add(make_theme(consultation, "Parking"))
    follow(people["consultation_follower"], consultation=consultation)
    follow(people["idea_follower"], idea=followed)
    follow(people["turned_off"], consultation=consultation)
    follow(people["author_and_follower"], idea=both)
    follow(people["author_and_follower"], consultation=consultation)
    follow(people["hidden_author"], idea=hidden)
    follow(people["withdrawn_author"], idea=withdrawn)
    return people


EXPECTED = [
    "author@example.org",
    "author_and_follower@example.org",
    "consultation_follower@example.org",
    "idea_follower@example.org",
]


def test_publishing_an_update_emails_each_contributor_and_follower_once(
    update_index, consultation, theme, cast, mailoutbox, django_capture_on_commit_callbacks
):
    update = publish(
        update_index,
        django_capture_on_commit_callbacks,
        consultation=consultation,
        themes=[theme],
    )

    assert recipients(mailoutbox) == EXPECTED
    notices = Notice.objects.filter(update=update)
    assert sorted(n.user.email for n in notices) == EXPECTED
    assert all(n.status == Notice.Status.SENT and n.attempts == 1 for n in notices)


def test_republishing_unchanged_sends_nothing_new(
    update_index, consultation, theme, cast, mailoutbox, django_capture_on_commit_callbacks
):
    update = publish(
        update_index,
        django_capture_on_commit_callbacks,
        consultation=consultation,
        themes=[theme],
    )
    assert len(mailoutbox) == 4

    republish(update, django_capture_on_commit_callbacks, title=update.title)

    assert len(mailoutbox) == 4
    assert Notice.objects.filter(update=update).count() == 4


def test_a_changed_action_status_tells_everyone_again_once(
    update_index, consultation, theme, cast, mailoutbox, django_capture_on_commit_callbacks
):
    update = publish(
        update_index,
        django_capture_on_commit_callbacks,
        consultation=consultation,
        themes=[theme],
        actions=[
            action("Saturday clinic", "planned", 0),
            action("Evening phone line", "planned", 1),
        ],
    )
    mailoutbox.clear()
    page = UpdatePage.objects.get(pk=update.pk)
    actions = list(page.actions.all())
    actions[0].status = "done"

    republish(page, django_capture_on_commit_callbacks, actions=actions)

    assert recipients(mailoutbox) == EXPECTED
    assert "Saturday clinic: done" in mailoutbox[0].body
    assert "Evening phone line: planned" in mailoutbox[0].body
    assert Notice.objects.filter(update=update).count() == 8

    mailoutbox.clear()
    republish(page, django_capture_on_commit_callbacks, title=page.title)
    assert mailoutbox == []


def test_a_failing_mail_server_keeps_the_email_until_a_retry_sends_it(
    update_index,
    consultation,
    theme,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    author = UserFactory(email="author@example.org")
    make_idea(consultation, author, title="Open on Saturdays").themes.add(theme)
    settings.EMAIL_BACKEND = "tests.loop.test_update_notifications.FailingBackend"

    update = publish(  # the page publishes; the failure stays in the outbox
        update_index,
        django_capture_on_commit_callbacks,
        consultation=consultation,
        themes=[theme],
    )

    assert UpdatePage.objects.live().filter(pk=update.pk).exists()
    assert mailoutbox == []
    notice = Notice.objects.get(update=update)
    assert notice.status == Notice.Status.PENDING
    assert notice.attempts == 1
    assert "SMTPException" in notice.last_error
    assert "Connection refused" in notice.last_error

    settings.EMAIL_BACKEND = LOCMEM
    call_command("send_notifications", stdout=StringIO())

    assert recipients(mail.outbox) == ["author@example.org"]
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    assert notice.attempts == 2
    assert notice.last_error == ""
    assert notice.sent_at is not None

    call_command("send_notifications", stdout=StringIO())
    assert len(mail.outbox) == 1


def test_the_email_says_what_was_done_with_links_to_read_more_and_to_stop(
    update_index, consultation, theme, mailoutbox, django_capture_on_commit_callbacks
):
    author = UserFactory(email="author@example.org")
    make_idea(consultation, author, title="Open on Saturdays").themes.add(theme)
    make_idea(consultation, UserFactory(), title="Someone else's idea").themes.add(theme)

    update = publish(
        update_index,
        django_capture_on_commit_callbacks,
        title="Saturday clinics",
        consultation=consultation,
        themes=[theme],
        actions=[
            action("Saturday clinic", "done", 0),
            action("Sunday clinic", "not_possible", 1, not_possible_reason="No staff."),
        ],
    )

    [message] = [m for m in mailoutbox if m.to == ["author@example.org"]]
    body = message.body
    assert message.subject == "Engage: You said, we did: Saturday clinics"
    assert '"Open on Saturdays"' in body
    assert "Someone else's idea" not in body
    assert "We opened a Saturday clinic." in body
    assert "<strong>" not in body and "<p>" not in body
    assert "- Saturday clinic: done" in body
    assert "- Sunday clinic: not possible. Why: No staff." in body
    assert update.full_url.startswith("http")
    assert update.full_url in body
    # The link is signed with the time, so it is read back rather than made again here.
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in body
    assert link.startswith(unsubscribe_url(author).rsplit("/", 2)[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert signing.loads(token, salt=UNSUBSCRIBE_SALT) == {"user": author.pk}
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_unsubscribe_link_confirms_then_stops_emails_without_a_csrf_token(db):
    resident = UserFactory()
    path = urlsplit(unsubscribe_url(resident)).path
    assert path.startswith(reverse("consultations:unsubscribe", args=["x"]).rsplit("x/", 1)[0])
    client = Client(enforce_csrf_checks=True)  # as a mail client posts: no cookie, no token

    confirm = client.get(path)
    assert confirm.status_code == 200
    assert BeautifulSoup(confirm.content, "html.parser").select_one("form[method=post]")
    resident.refresh_from_db()
    assert resident.email_updates is True  # looking is not unsubscribing

    done = client.post(path)
    assert done.status_code == 200
    assert "You will not get these emails any more" in done.content.decode()
    resident.refresh_from_db()
    assert resident.email_updates is False


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_unsubscribe_token_changes_nothing(db, method):
    resident = UserFactory()
    other = UserFactory()
    path = urlsplit(unsubscribe_url(resident)).path
    token = path.rstrip("/").rsplit("/", 1)[1]
    # Claim to be the other person, keeping the first person's signature.
    payload, rest = token.split(":", 1)
    forged_payload = unsubscribe_url(other).rstrip("/").rsplit("/", 1)[1].split(":", 1)[0]
    tampered = [
        path.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B")),
        path.replace(token, f"{forged_payload}:{rest}"),
    ]
    assert forged_payload != payload
    client = Client(enforce_csrf_checks=True)

    for bad in tampered:
        response = getattr(client, method)(bad)
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()

    resident.refresh_from_db()
    other.refresh_from_db()
    assert resident.email_updates is True
    assert other.email_updates is True


def test_preferences_require_sign_in(client, db):
    response = client.get(reverse("consultations:preferences"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    response = client.post(reverse("consultations:preferences"), {"email_updates": ""})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _preferences_form(client, url):
    """The checkbox and CSRF token, as a browser sees them on the page."""
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    token = soup.select_one("form[method=post] input[name=csrfmiddlewaretoken]")["value"]
    return soup.select_one("#id_email_updates"), token


def test_preferences_turn_update_emails_off_and_on(resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    url = reverse("consultations:preferences")
    checkbox, token = _preferences_form(client, url)
    assert checkbox.has_attr("checked")

    # A browser sends no value for an unticked box: only the token.
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.email_updates is False
    checkbox, token = _preferences_form(client, url)
    assert not checkbox.has_attr("checked")

    client.post(url, {"csrfmiddlewaretoken": token, "email_updates": "on"})
    resident.refresh_from_db()
    assert resident.email_updates is True


def test_turning_emails_off_after_publishing_stops_a_pending_email(
    update_index, consultation, theme, settings, mailoutbox, django_capture_on_commit_callbacks
):
    author = UserFactory(email="author@example.org")
    make_idea(consultation, author, title="Open on Saturdays").themes.add(theme)
    settings.EMAIL_BACKEND = "tests.loop.test_update_notifications.FailingBackend"
    update = publish(
        update_index,
        django_capture_on_commit_callbacks,
        consultation=consultation,
        themes=[theme],
    )
    Client().post(urlsplit(unsubscribe_url(author)).path)
    settings.EMAIL_BACKEND = LOCMEM

    call_command("send_notifications", stdout=StringIO())

    assert mail.outbox == []
    assert Notice.objects.get(update=update).status == Notice.Status.SENT  # settled, not sent
