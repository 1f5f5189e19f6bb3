"""Participation's retention rules (consultations/retention.py): withdrawn and hidden posts,
dealt-with reports, offline contributors' contact details, and the records of emails and
letters sent. The shape and the command: tests/engage/test_retention.py."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.search import index
from wagtail.search.models import IndexEntry

from consultations.models import (
    Comment,
    Flag,
    FlagReason,
    Idea,
    Letter,
    ModerationDecision,
    Notice,
    OfflineContributor,
    PostStatus,
    UpdatePage,
)
from engage.retention import retention_apply
from tests.factories import UserFactory, make_consultation

DAY = timedelta(days=1)


def counts() -> dict[str, int]:
    return {result.rule.key: result.count for result in retention_apply()}


def aged(obj, days, field="updated_at"):
    type(obj).objects.filter(pk=obj.pk).update(**{field: timezone.now() - days * DAY})
    return obj


@pytest.fixture
def consultation(consultation_index):
    return make_consultation(consultation_index)


def idea(consultation, status, *, title="A bench by the pharmacy", **fields):
    return Idea.objects.create(
        consultation=consultation,
        author=UserFactory(),
        title=title,
        body="Somewhere to sit.",
        status=status,
        **fields,
    )


def test_withdrawn_posts_go_after_90_days_hidden_after_a_year(consultation):
    withdrawn_old = aged(idea(consultation, PostStatus.WITHDRAWN), 91)
    withdrawn_young = aged(idea(consultation, PostStatus.WITHDRAWN), 80)
    hidden_old = aged(idea(consultation, PostStatus.HIDDEN), 366)
    hidden_young = aged(idea(consultation, PostStatus.HIDDEN), 200)
    published_old = aged(idea(consultation, PostStatus.PUBLISHED), 3000)
    result = counts()
    assert result["withdrawn_posts"] == 1 and result["hidden_posts"] == 1
    assert set(Idea.objects.values_list("pk", flat=True)) == {
        withdrawn_young.pk,
        hidden_young.pk,
        published_old.pk,
    }
    assert not Idea.objects.filter(pk__in=[withdrawn_old.pk, hidden_old.pk]).exists()


def test_a_removed_post_leaves_the_search_index_and_its_audit_entries_lose_its_words(
    consultation,
):
    post = aged(idea(consultation, PostStatus.HIDDEN, title="Zanzibarish complaint"), 400)
    index.insert_or_update_object(post)
    entries = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Idea), object_id=str(post.pk)
    )
    assert entries.exists()
    ModelLogEntry.objects.log_action(
        post, "engage.moderation.hide", data={"reason": "offensive", "note": "Rude words"}
    )
    counts()
    assert not entries.exists()
    entry = ModelLogEntry.objects.get(action="engage.moderation.hide")
    assert entry.label == "A removed idea"
    assert entry.data == {"reason": "offensive"}


def test_a_hidden_comment_goes_and_its_ideas_comment_count_is_put_right(consultation):
    parent = idea(consultation, PostStatus.PUBLISHED)
    kept = Comment.objects.create(
        idea=parent, author=UserFactory(), body="Yes.", status=PostStatus.PUBLISHED
    )
    gone = aged(
        Comment.objects.create(
            idea=parent, author=UserFactory(), body="Rude.", status=PostStatus.HIDDEN
        ),
        400,
    )
    Idea.objects.filter(pk=parent.pk).update(comment_count=2)
    assert counts()["hidden_posts"] == 1
    assert list(Comment.objects.filter(idea=parent)) == [kept]
    assert not Comment.objects.filter(pk=gone.pk).exists()
    parent.refresh_from_db()
    assert parent.comment_count == 1


def test_reports_go_a_year_after_they_were_dealt_with(consultation):
    post = idea(consultation, PostStatus.PUBLISHED)
    now = timezone.now()
    old = Flag.objects.create(
        idea=post, reporter=UserFactory(), reason=FlagReason.SPAM, resolved_at=now - 366 * DAY
    )
    recent = Flag.objects.create(
        idea=post, reporter=UserFactory(), reason=FlagReason.SPAM, resolved_at=now - 10 * DAY
    )
    still_open = aged(
        Flag.objects.create(idea=post, reporter=UserFactory(), reason=FlagReason.SPAM),
        900,
        "created_at",
    )
    assert counts()["resolved_reports"] == 1
    assert set(Flag.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert not Flag.objects.filter(pk=old.pk).exists()


@pytest.fixture
def update(consultation, site_pages):
    _, _, updates = site_pages
    page = updates.add_child(
        instance=UpdatePage(
            title="Evening appointments",
            you_said="<p>Later.</p>",
            we_did="<p>Done.</p>",
            consultation=consultation,
        )
    )
    return page


def contributor(home, days, **fields):
    fields.setdefault("name", "Margaret Holloway")
    fields.setdefault("postal_address", "14 Willow Lane\nOld Town\nRV2 4QT")
    return aged(OfflineContributor.objects.create(pcn=home.pcn, **fields), days, "created_at")


def test_offline_contact_details_are_anonymised_after_two_years_unless_something_is_owed(
    home, update
):
    old = contributor(home, 731)
    owed_a_letter = contributor(home, 731)
    Letter.objects.create(contributor=owed_a_letter, update=update, key="state")
    owed_an_email = contributor(home, 731, postal_address="", email="caller@example.org")
    Notice.objects.create(
        contributor=owed_an_email, kind=Notice.Kind.UPDATE, update=update, key="state"
    )
    young = contributor(home, 700)
    assert counts()["offline_contact_details"] == 1
    old.refresh_from_db()
    assert (old.name, old.postal_address, old.email) == ("", "", "")
    for person in (owed_a_letter, owed_an_email, young):
        person.refresh_from_db()
        assert person.name == "Margaret Holloway"
    assert counts()["offline_contact_details"] == 0  # already anonymised: not counted again


def test_records_of_sent_emails_and_letters_go_after_two_years(home, update):
    person = contributor(home, 10)
    now = timezone.now()
    sent = Letter.objects.create(
        contributor=person,
        update=update,
        key="a",
        status=Letter.Status.SENT,
        sent_at=now - 731 * DAY,
    )
    superseded = aged(
        Letter.objects.create(
            contributor=person, update=update, key="b", status=Letter.Status.SUPERSEDED
        ),
        731,
        "created_at",
    )
    due = aged(Letter.objects.create(contributor=person, update=update, key="c"), 900, "created_at")
    emailed = contributor(home, 10, postal_address="", email="caller@example.org")
    old_notice = Notice.objects.create(
        contributor=emailed,
        kind=Notice.Kind.UPDATE,
        update=update,
        key="a",
        status=Notice.Status.SENT,
        sent_at=now - 731 * DAY,
    )
    pending = aged(
        Notice.objects.create(contributor=emailed, kind=Notice.Kind.UPDATE, update=update, key="b"),
        900,
        "created_at",
    )
    result = counts()
    assert result["sent_letters"] == 2 and result["sent_notices"] == 1
    assert list(Letter.objects.values_list("pk", flat=True)) == [due.pk]
    assert list(Notice.objects.values_list("pk", flat=True)) == [pending.pk]
    assert not Letter.objects.filter(pk__in=[sent.pk, superseded.pk]).exists()
    assert not Notice.objects.filter(pk=old_notice.pk).exists()


def test_moderation_decisions_go_after_six_years(consultation):
    post = idea(consultation, PostStatus.PUBLISHED)
    old = aged(
        ModerationDecision.objects.create(idea=post, action="approve"), 6 * 365 + 1, "created_at"
    )
    kept = ModerationDecision.objects.create(idea=post, action="approve")
    assert counts()["moderation_decisions"] == 1
    assert list(ModerationDecision.objects.values_list("pk", flat=True)) == [kept.pk]
    assert old.pk != kept.pk
