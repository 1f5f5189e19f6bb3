"""Told at every step: an idea put in a theme, its theme linked to a vision priority, an
update answering it, an action's status changed: each once, in one digest email per person
(or one letter for a resident who took part offline with only a postal address).

The test settings send digests at once (ENGAGE_DIGEST_SETTLE_MINUTES = 0); the tests of the
settle time set it back to 15 minutes.
"""

import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import loop, moderation, services
from consultations.models import (
    Letter,
    Notice,
    OfflineContributor,
    PostStatus,
    SuggestionRun,
    ThemeSuggestion,
    UpdatePage,
)
from consultations.notifications import send_journey_digest
from consultations.suggestions import suggestion_accept
from engage.privacy import account_erase
from tests.factories import HOSTILE, UserFactory, make_moderator, make_pcn_site
from tests.loop.conftest import action, follow, make_idea, make_theme, make_update, make_vision

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("Connection refused by mail.example.org")


def send_digests():
    call_command("send_journey_digests", stdout=StringIO())


def steps(**filters):
    return sorted(
        Notice.objects.filter(kind__in=["themed", "priority"], **filters).values_list(
            "user__email", "idea__title", "kind", "key"
        )
    )


@pytest.fixture
def moderator(consultation):
    return make_moderator(consultation.pcn)


@pytest.fixture
def priorities(home):
    vision = make_vision(home, "Care when you need it", "Healthy streets")
    return {priority.title: priority for priority in vision.priorities.all()}


@pytest.fixture
def author(db):
    return UserFactory(email="author@example.org")


@pytest.fixture
def idea(consultation, author):
    return make_idea(consultation, author, title="Open on Saturdays")


def assign(theme, moderator, *ideas):
    return moderation.theme_assign_ideas(
        theme=theme, user=moderator, idea_ids=[idea.pk for idea in ideas]
    )


def link(theme, moderator, priority):
    return moderation.theme_update(
        theme=theme, user=moderator, name=theme.name, summary=theme.summary, priority=priority
    )


# Each step is owed once


def test_putting_an_idea_in_a_theme_owes_its_author_and_followers_one_step_each(
    consultation, theme, moderator, idea, author
):
    follower = UserFactory(email="follower@example.org")
    follow(follower, idea=idea)
    follow(UserFactory(email="quiet@example.org", email_updates=False), idea=idea)
    follow(UserFactory(email="consultation@example.org"), consultation=consultation)

    assert assign(theme, moderator, idea) == 1

    key = f"theme:{theme.pk}"
    assert steps() == [
        ("author@example.org", "Open on Saturdays", "themed", key),
        ("follower@example.org", "Open on Saturdays", "themed", key),
    ]
    # Again, and again through a merge that brings it back: nothing new.
    assign(theme, moderator, idea)
    other = make_theme(consultation, "Weekends")
    assign(other, moderator, idea)
    # Another theme is another step.
    assert {row[3] for row in steps()} == {key, f"theme:{other.pk}"}
    moderation.theme_merge(into=theme, others=[other], user=moderator)
    assert [row[3] for row in steps()] == [key, key]


def test_hidden_pending_and_withdrawn_ideas_owe_nothing(consultation, theme, moderator):
    ideas = [
        make_idea(consultation, UserFactory(), status=status, title=f"{status} idea")
        for status in (PostStatus.HIDDEN, PostStatus.PENDING, PostStatus.WITHDRAWN)
    ]
    theme.ideas.add(*ideas)  # as if put there while published

    loop.theme_step_notices_create(theme=theme)
    moderation.theme_update(theme=theme, user=moderator, name=theme.name, summary="", priority=None)

    assert Notice.objects.count() == 0


def test_linking_a_theme_to_a_priority_owes_each_idea_one_step_and_relinking_none(
    consultation, theme, moderator, idea, priorities
):
    care, streets = priorities["Care when you need it"], priorities["Healthy streets"]
    assign(theme, moderator, idea)

    link(theme, moderator, care)
    link(theme, moderator, None)
    link(theme, moderator, care)

    assert steps(kind="priority") == [
        ("author@example.org", "Open on Saturdays", "priority", f"priority:{care.pk}")
    ]
    link(theme, moderator, streets)
    assert len(steps(kind="priority")) == 2
    # An idea put in a theme that already feeds a priority is owed both steps at once.
    late = make_idea(consultation, UserFactory(email="late@example.org"), title="Late idea")
    assign(theme, moderator, late)
    assert steps(user__email="late@example.org") == [
        ("late@example.org", "Late idea", "priority", f"priority:{streets.pk}"),
        ("late@example.org", "Late idea", "themed", f"theme:{theme.pk}"),
    ]


def test_split_and_an_accepted_suggestion_put_ideas_in_new_themes(
    consultation, theme, moderator, idea
):
    assign(theme, moderator, idea)
    new = moderation.theme_split(
        theme=theme, user=moderator, new_name="Saturdays", idea_ids=[idea.pk]
    )
    run = SuggestionRun.objects.create(consultation=consultation, status=SuggestionRun.Status.DONE)
    suggestion = ThemeSuggestion.objects.create(run=run, name="Opening hours")
    suggestion.ideas.add(idea)
    accepted = suggestion_accept(suggestion=suggestion, user=moderator)

    assert [row[3] for row in steps()] == sorted(f"theme:{t.pk}" for t in (theme, new, accepted))


# One digest


def test_steps_taken_together_arrive_in_one_plain_english_email(
    consultation,
    theme,
    moderator,
    idea,
    priorities,
    update_index,
    settings,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    settings.ENGAGE_DIGEST_SETTLE_MINUTES = 15
    theme.name = f"Weekend opening {HOSTILE}"
    theme.save()
    followed = make_idea(consultation, UserFactory(), title="Sunday surgery")
    follow(idea.author, idea=followed)
    assign(theme, moderator, idea, followed)
    link(theme, moderator, priorities["Care when you need it"])
    with django_capture_on_commit_callbacks(execute=True):
        update = make_update(
            update_index,
            title="Saturday clinics",
            consultation=consultation,
            themes=[theme],
            actions=[action("Saturday clinic", "in_progress")],
        )
    send_digests()
    assert mailoutbox == []  # not yet: the steps are settling

    Notice.objects.update(
        created_at=Notice.objects.earliest("created_at").created_at - timedelta(minutes=16)
    )
    send_digests()
    send_digests()

    mine = [m for m in mailoutbox if m.to == ["author@example.org"]]
    assert len(mine) == 1
    message = mine[0]
    body = message.body
    assert message.subject == "Engage: You said, we did: Saturday clinics, and news of your ideas"
    assert f'Your idea: "Open on Saturdays" ({consultation.title})' in body
    assert 'An idea you follow: "Sunday surgery"' in body
    assert (
        f'- Our PPG moderators put it in the theme "{theme.name}", with other ideas like it.'
        in body
    )
    assert (
        f'- The theme "{theme.name}" now feeds into "Care when you need it", a priority of our '
        "shared vision." in body
    )
    assert idea.get_full_url() in body and followed.get_full_url() in body
    assert "Here is what we did: Saturday clinics" in body
    assert "- Saturday clinic: in progress" in body
    assert update.full_url in body
    assert "<p>" not in body and "<strong>" not in body
    link_header = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link_header in body
    assert set(Notice.objects.filter(user=idea.author).values_list("status", "email_key")) == {
        (
            Notice.Status.SENT,
            f"digest:user:{idea.author.pk}:{Notice.objects.filter(user=idea.author).order_by('pk').first().pk}",
        )
    }

    # An action's status changes: told again, once.
    mailoutbox.clear()
    page = UpdatePage.objects.get(pk=update.pk)
    actions = list(page.actions.all())
    actions[0].status = "done"
    page.actions = actions
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    Notice.objects.filter(status="pending").update(
        created_at=Notice.objects.earliest("created_at").created_at
    )
    send_digests()
    send_digests()
    [again] = [m for m in mailoutbox if m.to == ["author@example.org"]]
    assert again.subject == "Engage: You said, we did: Saturday clinics"
    assert "- Saturday clinic: done" in again.body
    assert "put it in the theme" not in again.body


def test_a_step_undone_before_the_digest_is_not_told(
    consultation, theme, moderator, idea, mailoutbox
):
    assign(theme, moderator, idea)
    moderation.theme_remove_ideas(theme=theme, user=moderator, idea_ids=[idea.pk])

    send_digests()

    assert mailoutbox == []
    assert Notice.objects.count() == 0  # owed again if it is put back
    assign(theme, moderator, idea)
    send_digests()
    assert len(mailoutbox) == 1


# Choices


def test_emails_turned_off_send_nothing_and_settle_the_steps(
    theme, moderator, idea, author, mailoutbox
):
    assign(theme, moderator, idea)
    author.email_updates = False
    author.save(update_fields=["email_updates"])

    send_digests()

    assert mailoutbox == []
    notice = Notice.objects.get()
    assert notice.status == Notice.Status.SENT and notice.sent_at is None
    assert "turned these emails off" in notice.last_error
    send_digests()
    assert mailoutbox == []


def test_an_author_who_turned_emails_off_is_owed_nothing(consultation, theme, moderator):
    quiet = make_idea(consultation, UserFactory(email_updates=False), title="Quiet")
    assign(theme, moderator, quiet)
    assert Notice.objects.count() == 0


def test_an_erased_account_gets_nothing(theme, moderator, idea, author, mailoutbox):
    assign(theme, moderator, idea)
    account_erase(user=author, keep_posts=True)

    send_digests()

    assert mailoutbox == []
    assert not Notice.objects.filter(status=Notice.Status.PENDING).exists()


# Reliability


def test_a_failed_digest_stays_owed_and_a_retry_sends_it_once(
    theme, moderator, idea, settings, mailoutbox, priorities
):
    settings.EMAIL_BACKEND = "tests.loop.test_journey_digest.FailingBackend"
    assign(theme, moderator, idea)
    send_digests()
    notice = Notice.objects.get()
    assert notice.status == Notice.Status.PENDING
    assert notice.attempts == 1 and "SMTPException" in notice.last_error

    link(theme, moderator, priorities["Healthy streets"])  # a new step joins the retry
    settings.EMAIL_BACKEND = LOCMEM
    send_digests()
    send_digests()

    assert len(mail.outbox) == 1
    assert "Healthy streets" in mail.outbox[0].body and "put it in the theme" in mail.outbox[0].body
    assert set(Notice.objects.values_list("status", flat=True)) == {Notice.Status.SENT}
    notice.refresh_from_db()
    assert notice.attempts == 2 and notice.last_error == ""


def test_the_digest_takes_the_same_queries_however_many_steps(
    consultation, moderator, author, priorities, update_index
):
    def owed(count, *, prefix):
        themes = [make_theme(consultation, f"{prefix} {n}") for n in range(count)]
        for n, theme in enumerate(themes):
            assign(theme, moderator, make_idea(consultation, author, title=f"{prefix} idea {n}"))
            link(theme, moderator, priorities["Care when you need it"])
        update = make_update(
            update_index, title=f"{prefix} update", consultation=consultation, themes=themes[:2]
        )
        loop.update_notices_create(update=update)
        return Notice.objects.filter(user=author, status="pending").count()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert send_journey_digest.call(user_id=author.pk) == "queued"
        return len(captured)

    owed(1, prefix="Warm")  # the sites' root paths are read once, then cached
    queries()
    small = owed(2, prefix="Small")
    few = queries()
    large = owed(8, prefix="Large")
    many = queries()

    assert (small, large) == (5, 17)
    assert few == many


# Residents who took part offline


def test_an_offline_contributor_with_email_gets_the_digest(
    consultation, theme, moderator, mailoutbox
):
    contributor = OfflineContributor.objects.create(
        pcn=consultation.pcn, email="caller@example.org"
    )
    paper = make_idea(
        consultation, None, contributor=contributor, channel="phone", title="By phone"
    )

    assign(theme, moderator, paper)
    send_digests()

    [message] = mailoutbox
    assert message.to == ["caller@example.org"]
    assert message.subject == "Engage: News about your ideas"
    assert 'Your idea: "By phone"' in message.body
    assert "you gave us your email address with your idea" in message.body
    assert Notice.objects.get().status == Notice.Status.SENT


def test_an_offline_contributor_with_an_address_gets_one_letter_gathering_the_steps(
    consultation, theme, moderator, priorities, client, home, mailoutbox
):
    contributor = OfflineContributor.objects.create(
        pcn=consultation.pcn, name="Margaret Holloway", postal_address="14 Willow Lane\nRV2 4QT"
    )
    first = make_idea(consultation, None, contributor=contributor, channel="paper", title="A bench")
    second = make_idea(consultation, None, contributor=contributor, channel="paper", title="A ramp")
    assign(theme, moderator, first, second)
    link(theme, moderator, priorities["Healthy streets"])
    send_digests()
    assert mailoutbox == []

    [letter] = Letter.objects.all()
    assert letter.update is None and letter.steps.count() == 4
    staff_client = client
    staff_client.force_login(moderator)
    page = staff_client.get(reverse("letters:print_progress"))
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    [printed] = soup.select("article.engage-letter")
    text = " ".join(printed.get_text(" ").split())
    assert "Dear Margaret Holloway" in text
    assert "A bench" in text and "A ramp" in text
    assert text.count(f'put it in the theme "{theme.name}"') == 2
    assert text.count('feeds into "Healthy streets"') == 2
    listing = staff_client.get(reverse("letters:index"))
    assert "Their idea&#x27;s progress" in listing.content.decode()

    assert services.journey_letters_mark_sent(user=moderator, letter_ids=[letter.pk]) == 1
    assert set(letter.steps.values_list("status", flat=True)) == {Notice.Status.SENT}
    assert (
        "There are no letters to print"
        in staff_client.get(reverse("letters:print_progress")).content.decode()
    )
    # The next step starts a new letter.
    link(theme, moderator, priorities["Care when you need it"])
    assert Letter.objects.filter(status=Letter.Status.DUE, update=None).count() == 1


def test_another_pcns_moderator_prints_none_of_these_letters(
    consultation, theme, moderator, client
):
    contributor = OfflineContributor.objects.create(
        pcn=consultation.pcn, name="Margaret Holloway", postal_address="14 Willow Lane"
    )
    assign(
        theme, moderator, make_idea(consultation, None, contributor=contributor, channel="paper")
    )
    other_home = make_pcn_site(hostname="other.localhost", default=False)[0]
    client.force_login(make_moderator(other_home.pcn))

    page = client.get(reverse("letters:print_progress"))

    assert page.status_code == 200
    assert "Margaret Holloway" not in page.content.decode()
    with pytest.raises(PermissionDenied):
        services.journey_letters_mark_sent(
            user=make_moderator(other_home.pcn), letter_ids=[Letter.objects.get().pk]
        )
    assert Letter.objects.get().status == Letter.Status.DUE


# The journey on the idea's page


def test_the_idea_page_shows_the_theme_and_the_priority(
    consultation, theme, moderator, idea, priorities, client
):
    assign(theme, moderator, idea)
    link(theme, moderator, priorities["Care when you need it"])

    page = client.get(idea.get_full_url())

    text = " ".join(BeautifulSoup(page.content, "html.parser").get_text(" ").split())
    assert "Grouped into a theme" in text and theme.name in text
    assert "Fed into a priority of our shared vision" in text and "Care when you need it" in text
