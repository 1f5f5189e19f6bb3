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
