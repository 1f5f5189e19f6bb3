"""Emails: authors hear every decision on their post; moderators get a daily digest."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from consultations import moderation
from consultations.models import Flag, Idea, ModerationReason, PostStatus
from tests.moderation.conftest import (
    make_comment,
    make_idea,
    make_moderator,
    make_user,
)


def decide(post, moderator, action, **kwargs):
    return moderation.post_moderate(post=post, moderator=moderator, action=action, **kwargs)


def idea_link(idea) -> str:
    """The absolute link the email should carry (PCN A is served at localhost)."""
    return f"http://localhost/consultations/evening-appointments/ideas/{idea.pk}/"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Decisions send their email once the transaction commits; run those callbacks."""
    return django_capture_on_commit_callbacks


# The author hears every decision


def test_approval_email(pending_idea, moderator, author, mailoutbox, on_commit, client):
    with on_commit(execute=True):
        decide(
            pending_idea,
            moderator,
            "approve",
            reason=ModerationReason.MEETS_RULES,
            note="Thank you, this is really useful.",
        )
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["avril.author@example.org"]
    assert email.subject == "Engage: Your idea is published"
    body = email.body
    assert body.startswith("Hello Avril Author,")
    assert 'Thank you for your idea on "More evening appointments".' in body
    assert "it is now published, so everyone can see it" in body
    assert "Why: It meets our house rules." in body
    assert "The moderator added:\nThank you, this is really useful." in body
    assert "What you can do next" not in body  # nothing to do when it was approved
    assert f"Your idea:\n{idea_link(pending_idea)}\n" in body
    assert "<" not in body and "&" not in body  # plain text, not HTML
    # The link works: it is the idea's page on the PCN's own site.
    path = idea_link(pending_idea).removeprefix("http://localhost")
    assert client.get(path, HTTP_HOST="localhost").status_code == 200


HIDE_REASONS = [
    (ModerationReason.PERSONAL, "without the personal or medical details"),
    (ModerationReason.ABUSIVE, "be kind and respectful"),
    (ModerationReason.SPAM, "reply to this email and tell us why"),
    (ModerationReason.OFF_TOPIC, "in a consultation it fits"),
    (ModerationReason.SAFEGUARDING, "call 999"),
    (ModerationReason.CARE_COMPLAINT, "contact the practice manager"),
]


@pytest.mark.parametrize(("reason", "next_step"), HIDE_REASONS, ids=[r for r, _ in HIDE_REASONS])
def test_hide_email_says_why_and_what_to_do_next(
    published_idea, moderator, mailoutbox, on_commit, reason, next_step
):
    with on_commit(execute=True):
        decide(published_idea, moderator, "hide", reason=reason, note="<b>Sorry</b> about this.")
    [email] = mailoutbox
    assert email.subject == "Engage: We have hidden your idea"
    body = email.body
    assert 'A Patient Participation Group moderator has hidden your idea on "Published idea".' in (
        body
    )
    assert "Other people can no longer see it." in body
    assert f"Why: {ModerationReason(reason).label}." in body
    assert "The moderator added:\nSorry about this." in body
    assert "What you can do next:\n" in body
    assert next_step in body
    assert f"Your idea:\n{idea_link(published_idea)}" in body


def test_safeguarding_email_gives_the_emergency_numbers(
    published_idea, moderator, mailoutbox, on_commit
):
    with on_commit(execute=True):
        decide(published_idea, moderator, "hide", reason=ModerationReason.SAFEGUARDING)
    body = mailoutbox[0].body
    assert "call 999" in body and "NHS 111" in body
    assert "The moderator added" not in body  # no note, no empty heading


def test_restore_email(consultation, author, moderator, mailoutbox, on_commit):
    idea = make_idea(consultation, author, status=PostStatus.HIDDEN)
    with on_commit(execute=True):
        decide(idea, moderator, "restore")
    [email] = mailoutbox
    assert email.subject == "Engage: Your idea can be seen again"
    assert "has looked again at your idea" in email.body
    assert "can be seen again by everyone" in email.body
    assert "Why:" not in email.body  # no reason given, no reason line
    assert idea_link(idea) in email.body


def test_one_email_per_decision(consultation, author, moderator, mailoutbox, on_commit):
    idea = make_idea(consultation, author)
    with on_commit(execute=True):
        decide(idea, moderator, "approve")
        decide(idea, moderator, "hide", reason=ModerationReason.SPAM)
        decide(idea, moderator, "restore")
    assert [email.subject for email in mailoutbox] == [
        "Engage: Your idea is published",
        "Engage: We have hidden your idea",
        "Engage: Your idea can be seen again",
    ]
    assert all(email.to == [author.email] for email in mailoutbox)


def test_comment_author_hears_about_their_comment(published_idea, moderator, mailoutbox, on_commit):
    commenter = make_user(display_name="Colin Commenter", email="colin@example.org")
    comment = make_comment(published_idea, commenter)
    with on_commit(execute=True):
        decide(comment, moderator, "hide", reason=ModerationReason.ABUSIVE)
    [email] = mailoutbox
    assert email.to == ["colin@example.org"]
    assert email.subject == "Engage: We have hidden your comment"
    assert email.body.startswith("Hello Colin Commenter,")
    assert 'hidden your comment on "Published idea"' in email.body
    assert f"The idea:\n{idea_link(published_idea)}" in email.body


def test_the_email_goes_only_after_the_decision_is_saved(
    pending_idea, moderator, mailoutbox, on_commit
):
    with on_commit(execute=False) as callbacks:
        decide(pending_idea, moderator, "approve")
        assert mailoutbox == []
    assert mailoutbox == []
    for callback in callbacks:  # the commit
        callback()
    assert len(mailoutbox) == 1


def test_no_email_for_a_post_without_an_author(
    consultation, published_idea, moderator, mailoutbox, on_commit
):
    paper = make_idea(consultation, None, channel="paper")
    orphan_comment = make_comment(published_idea, None)
    with on_commit(execute=True):
        decide(paper, moderator, "approve")
        decide(orphan_comment, moderator, "hide", reason=ModerationReason.SPAM)
    assert Idea.objects.get(pk=paper.pk).status == PostStatus.PUBLISHED
    assert mailoutbox == []


def test_no_email_when_another_moderator_got_there_first(
    pending_idea, moderator, mailoutbox, on_commit
):
    with on_commit(execute=True):
        decide(pending_idea, moderator, "approve")
    mailoutbox.clear()
    with on_commit(execute=True), pytest.raises(moderation.ModerationConflict):
        decide(pending_idea, moderator, "hide", reason="spam", seen_status="pending")
    assert mailoutbox == []


HOSTILE_TITLES = [
    "Evil\r\nBcc: victim@example.org",
    "Line one\nLine two\u2028three\u0085four",
    '<script>alert("x")</script> Doctor\'s hours & more',
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_subject_is_one_line_whatever_the_title(
    consultation, author, moderator, mailoutbox, on_commit, title
):
    idea = make_idea(consultation, author, title=title)
    with on_commit(execute=True):
        decide(idea, moderator, "approve")
        decide(idea, moderator, "hide", reason=ModerationReason.OFF_TOPIC)
    assert len(mailoutbox) == 2
    for email in mailoutbox:
        subject = email.message()["Subject"]
        assert "\n" not in subject and "\r" not in subject
        assert "Bcc" not in subject
        assert email.bcc == [] and email.to == [author.email]
        assert "victim@example.org" not in email.message().get_all("To", [])


def test_body_keeps_the_title_as_typed(consultation, author, moderator, mailoutbox, on_commit):
    idea = make_idea(consultation, author, title='Doctor\'s hours & "more"')
    with on_commit(execute=True):
        decide(idea, moderator, "approve")
    assert 'on "Doctor\'s hours & "more""' in mailoutbox[0].body  # not HTML-escaped


# The daily digest for moderators


def run_digests():
    call_command("send_moderation_digests", stdout=io.StringIO())


def emails_to(mailoutbox, address):
    return [email for email in mailoutbox if address in email.to]


def test_digest_emails_each_moderator_of_a_pcn_with_waiting_posts(
    home, consultation, other_home, other_consultation, mailoutbox, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://engage.example.nhs.uk/"
    first = make_moderator(home, email="first.mod@example.org")
    second = make_moderator(home, email="second.mod@example.org")
    make_moderator(home, email="gone.mod@example.org", is_active=False)
    other = make_moderator(other_home, email="other.mod@example.org")
    make_user(email="resident@example.org")
    make_user(email="admin@example.org", is_superuser=True)

    # PCN A: 2 ideas and 1 comment waiting, 1 open report; the rest needs nobody.
    author = make_user()
    old = make_idea(consultation, author)
    Idea.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=5, hours=1))
    make_idea(consultation, author)
    published = make_idea(consultation, author, status=PostStatus.PUBLISHED)
    make_idea(consultation, author, status=PostStatus.HIDDEN)
    make_idea(consultation, author, status=PostStatus.WITHDRAWN)
    make_comment(published, author)
    make_comment(published, author, status=PostStatus.PUBLISHED)
    Flag.objects.create(idea=published, reporter=make_user(), reason="spam")
    Flag.objects.create(
        idea=published, reporter=make_user(), reason="spam", resolved_at=timezone.now()
    )
    # PCN B: nothing waiting.
    make_idea(other_consultation, author, status=PostStatus.PUBLISHED)

    run_digests()

    assert sorted(address for email in mailoutbox for address in email.to) == [
        first.email,
        second.email,
    ]
    assert emails_to(mailoutbox, other.email) == []
    for email in mailoutbox:
        assert len(email.to) == 1 and email.cc == [] and email.bcc == []
        assert email.subject == (f"Engage: 4 posts are waiting for a moderator at {home.pcn.name}")
        body = email.body
        assert "- ideas waiting for approval: 2\n" in body
        assert "- comments waiting for approval: 1\n" in body
        assert "- open reports from residents: 1\n" in body
        assert "The oldest idea has been waiting 5 days." in body
        assert "https://engage.example.nhs.uk/admin/moderation/" in body


def test_no_digest_when_nothing_is_waiting(home, consultation, other_home, mailoutbox):
    make_moderator(home)
    make_moderator(other_home)
    published = make_idea(consultation, make_user(), status=PostStatus.PUBLISHED)
    Flag.objects.create(
        idea=published, reporter=make_user(), reason="spam", resolved_at=timezone.now()
    )
    run_digests()
    assert mailoutbox == []


def test_a_digest_counts_only_its_own_pcns_posts(
    home, consultation, other_home, other_consultation, mailoutbox
):
    mine = make_moderator(home, email="mine@example.org")
    theirs = make_moderator(other_home, email="theirs@example.org")
    author = make_user()
    make_idea(consultation, author)
    for _ in range(3):
        make_idea(other_consultation, author)
    other_published = make_idea(other_consultation, author, status=PostStatus.PUBLISHED)
    make_comment(other_published, author)
    Flag.objects.create(idea=other_published, reporter=make_user(), reason="spam")

    run_digests()

    [mine_email] = emails_to(mailoutbox, mine.email)
    [their_email] = emails_to(mailoutbox, theirs.email)
    assert len(mailoutbox) == 2
    assert home.pcn.name in mine_email.subject and other_home.pcn.name not in mine_email.body
    assert mine_email.subject.startswith("Engage: 1 post")
    assert "- ideas waiting for approval: 1\n" in mine_email.body
    assert "- comments waiting for approval: 0\n" in mine_email.body
    assert "- open reports from residents: 0\n" in mine_email.body
    assert other_home.pcn.name in their_email.subject and home.pcn.name not in their_email.body
    assert their_email.subject.startswith("Engage: 5 posts are waiting")
    assert "- ideas waiting for approval: 3\n" in their_email.body
    assert "- comments waiting for approval: 1\n" in their_email.body
    assert "- open reports from residents: 1\n" in their_email.body


def test_digest_subject_is_plain_english_for_one_post(home, consultation, mailoutbox):
    make_moderator(home)
    make_idea(consultation, make_user())
    run_digests()
    [email] = mailoutbox
    assert email.subject == f"Engage: 1 post is waiting for a moderator at {home.pcn.name}"


def test_the_link_is_on_the_authors_own_pcn_site(
    other_consultation, other_moderator, author, mailoutbox, on_commit
):
    idea = make_idea(other_consultation, author)
    with on_commit(execute=True):
        decide(idea, other_moderator, "approve")
    link = f"http://other.localhost/consultations/weekend-opening/ideas/{idea.pk}/"
    assert f"Your idea:\n{link}\n" in mailoutbox[0].body
