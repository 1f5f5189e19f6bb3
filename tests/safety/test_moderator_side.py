"""The moderator's side of the safety net: held posts first in the queue, saying why in
words; the alert email leads to the post's own moderation screen; a moderator entering an
offline contribution is told it is held, not published."""

from datetime import timedelta

from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations.models import Idea, PostStatus, SafetyHold
from tests.factories import UserFactory
from tests.safety.test_posting import URGENT, send_anyway


def held(consultation, resident, client_for, path, text, capture):
    with capture(execute=True):
        send_anyway(client_for(resident), consultation, path, text)
    return Idea.objects.filter(author=resident).order_by("-pk").first()


def test_held_posts_come_first_in_the_queue_and_say_why(
    consultation, resident, moderator, client_for, django_capture_on_commit_callbacks
):
    older = Idea.objects.create(
        consultation=consultation,
        author=UserFactory(),
        title="Evening appointments",
        body="Please open later.",
        status=PostStatus.PENDING,
    )
    Idea.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=5))
    urgent = held(
        consultation,
        resident,
        client_for,
        "idea-create",
        URGENT["chest pain"],
        django_capture_on_commit_callbacks,
    )
    page = BeautifulSoup(
        client_for(moderator).get(reverse("moderation_ideas:index")).content, "html.parser"
    )
    rows = [row.get_text(" ", strip=True) for row in page.select("tbody tr")]
    assert len(rows) == 2
    assert urgent.title in rows[0] and "held: may be urgent" in rows[0]
    assert "Evening appointments" in rows[1] and "held" not in rows[1]


def test_the_alert_email_leads_to_the_posts_moderation_screen(
    consultation, resident, client_for, django_capture_on_commit_callbacks
):
    idea = held(
        consultation,
        resident,
        client_for,
        "idea-create",
        URGENT["chest pain"],
        django_capture_on_commit_callbacks,
    )
    assert SafetyHold.objects.filter(idea=idea).exists()
    link = reverse("moderation_ideas:inspect", args=[idea.pk])
    assert [email for email in mail.outbox if link in email.body]


PHONE_TEXT = "Please ring me back on 07700 900123 about the evening clinic."


def test_a_post_held_for_personal_information_is_published_with_it_removed(
    consultation, resident, moderator, client_for, django_capture_on_commit_callbacks
):
    idea = held(
        consultation,
        resident,
        client_for,
        "idea-create",
        PHONE_TEXT,
        django_capture_on_commit_callbacks,
    )
    assert idea.status == PostStatus.PENDING
    screen = reverse("moderation_ideas:inspect", args=[idea.pk])
    client = client_for(moderator)
    page = client.get(screen).content.decode()
    assert "Held by the safety check" in page and "<mark" in page
    assert "[phone number removed]" in page  # the preview
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(screen, {"action": "publish_redacted", "seen_status": "pending"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == PostStatus.PUBLISHED
    assert "07700 900123" not in idea.body and "[phone number removed]" in idea.body
    hold = SafetyHold.objects.get(idea=idea)
    assert hold.resolved_at is not None and "07700 900123" in hold.original_body
    decision = idea.decisions.first()
    assert decision.reason == "personal" and decision.actor == moderator
    assert [email.to for email in mail.outbox] == [[resident.email]]
    assert "We removed personal information" in mail.outbox[0].body


def test_publishing_redacted_needs_a_personal_information_hold(
    consultation, resident, moderator, client_for, django_capture_on_commit_callbacks
):
    idea = held(
        consultation,
        resident,
        client_for,
        "idea-create",
        URGENT["chest pain"],
        django_capture_on_commit_callbacks,
    )
    response = client_for(moderator).post(
        reverse("moderation_ideas:inspect", args=[idea.pk]),
        {"action": "publish_redacted", "seen_status": "pending"},
    )
    assert response.status_code == 400
    assert "not held for personal information" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == PostStatus.PENDING


def test_hostile_words_in_a_held_post_are_shown_escaped(
    consultation, resident, moderator, client_for, django_capture_on_commit_callbacks
):
    idea = held(
        consultation,
        resident,
        client_for,
        "idea-create",
        "Fish & chips <b>bold</b> 1 < 2, call me on 07700 900123",
        django_capture_on_commit_callbacks,
    )
    page = (
        client_for(moderator)
        .get(reverse("moderation_ideas:inspect", args=[idea.pk]))
        .content.decode()
    )
    assert "Fish &amp; chips" in page and "1 &lt; 2" in page
    assert "<b>bold</b>" not in page


def test_the_dashboard_shows_held_posts_first(
    consultation, resident, moderator, client_for, django_capture_on_commit_callbacks
):
    held(
        consultation,
        resident,
        client_for,
        "idea-create",
        URGENT["chest pain"],
        django_capture_on_commit_callbacks,
    )
    page = client_for(moderator).get(reverse("wagtailadmin_home")).content.decode()
    assert "1 post that may mean someone needs help now" in page
