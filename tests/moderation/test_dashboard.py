"""The Wagtail dashboard shows each role what waits for them, for their own PCN only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.dashboard import dashboard_panels, moderation_waiting, staff_figures
from consultations.models import Comment, ConsultationPage, Flag, Idea, PostStatus, Theme
from home.models import HomePage
from tests.authz.twins import build_twins
from tests.factories import UserFactory, make_admin, make_moderator, make_staff


@pytest.fixture
def twins(db):
    return build_twins()


def _pending(consultation, n, *, days_ago=0, marker="Waiting"):
    author = UserFactory()
    for i in range(n):
        Idea.objects.create(
            consultation=consultation,
            author=author,
            status=PostStatus.PENDING,
            title=f"{marker} {i}",
            body="Please look.",
            created_at=timezone.now() - timedelta(days=days_ago),
        )


def test_a_moderator_sees_what_waits_in_their_pcn_and_how_long(client, twins):
    a, b = twins["a"], twins["b"]
    _pending(a[ConsultationPage], 3, days_ago=4)
    _pending(b[ConsultationPage], 7)
    reported = a[Idea]
    Flag.objects.create(idea=reported, reporter=UserFactory(), reason="spam")
    client.force_login(make_moderator(a[HomePage].pcn))
    response = client.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert "Waiting for a moderator" in html
    assert "3 ideas waiting for approval" in html
    assert "1 published post reported by residents" in html
    assert "4 days" in html
    assert f"{reverse('moderation_ideas:index')}?status=pending" in html
    assert "7 ideas" not in html and "10 ideas" not in html


def test_staff_see_themes_waiting_updates_in_approval_and_their_record(client, twins):
    a = twins["a"]
    consultation = a[ConsultationPage]
    consultation.opens_at = timezone.now() - timedelta(days=40)
    consultation.closes_at = timezone.now() - timedelta(days=12)
    consultation.save_revision().publish()
    Theme.objects.create(consultation=consultation, name="Parking")  # answered by nothing
    client.force_login(make_staff(a[HomePage].pcn))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Closing the loop" in html
    assert '1 theme waiting for a "You said, we did" answer' in html
    assert "12 days ago" in html
    assert "0 updates waiting for approval" in html
    assert "Waiting for a moderator" not in html  # staff who do not moderate


def test_residents_admins_and_other_roles_get_no_pcn_panels(twins):
    assert dashboard_panels(UserFactory()) == []
    assert dashboard_panels(make_admin()) == []


def test_figures_cost_the_same_queries_whatever_the_amount_waiting(twins):
    a = twins["a"]
    pcn, home = a[HomePage].pcn, a[HomePage]

    def count():
        with CaptureQueriesContext(connection) as queries:
            moderation_waiting(pcn=pcn)
            staff_figures(home=home)
        return len(queries)

    few = count()
    _pending(a[ConsultationPage], 30)
    Comment.objects.bulk_create(
        Comment(idea=a[Idea], author=UserFactory(), body="x", status=PostStatus.PENDING)
        for _ in range(30)
    )
    Theme.objects.bulk_create(
        Theme(consultation=a[ConsultationPage], name=f"Theme {n}") for n in range(30)
    )
    assert count() == few
