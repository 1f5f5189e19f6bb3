"""Moderator services: decisions on posts (with their audit trail) and themes."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from wagtail.log_actions import registry

from consultations import moderation
from consultations.models import (
    Flag,
    Idea,
    ModerationAction,
    ModerationDecision,
    ModerationReason,
    PostStatus,
    Theme,
    ThemeQuote,
)
from tests.factories import make_consultation
from tests.moderation.conftest import (
    make_comment,
    make_idea,
    make_moderator,
    make_user,
    make_vision,
)


def log_actions(instance) -> list[tuple[str, int | None]]:
    return [
        (entry.action, entry.user_id)
        for entry in registry.get_logs_for_instance(instance).order_by("timestamp", "pk")
    ]


# Decisions on posts


def test_approve_publishes_a_pending_idea_and_records_who_and_why(pending_idea, moderator):
    assert pending_idea.published_at is None
    decision = moderation.post_moderate(
        post=pending_idea,
        moderator=moderator,
        action=ModerationAction.APPROVE,
        reason=ModerationReason.MEETS_RULES,
        note="Thanks for this.",
    )
    pending_idea.refresh_from_db()
    assert pending_idea.status == PostStatus.PUBLISHED
    assert pending_idea.published_at is not None
    assert ModerationDecision.objects.get() == decision
    assert (decision.idea, decision.comment, decision.actor) == (pending_idea, None, moderator)
    assert (decision.action, decision.reason, decision.note) == (
        "approve",
        "meets_rules",
        "Thanks for this.",
    )
    assert log_actions(pending_idea) == [("engage.moderation.approve", moderator.pk)]


def test_approve_keeps_the_first_publication_date(pending_idea, moderator):
    moderation.post_moderate(post=pending_idea, moderator=moderator, action="approve")
    first_published = Idea.objects.get().published_at
    moderation.post_moderate(post=pending_idea, moderator=moderator, action="hide", reason="spam")
    moderation.post_moderate(post=pending_idea, moderator=moderator, action="restore")
    assert Idea.objects.get().published_at == first_published


@pytest.mark.parametrize("start", [PostStatus.PENDING, PostStatus.PUBLISHED])
def test_hide_needs_a_reason(consultation, author, moderator, start):
    idea = make_idea(consultation, author, status=start)
    with pytest.raises(ValidationError) as error:
        moderation.post_moderate(post=idea, moderator=moderator, action="hide")
    assert "reason" in error.value.message_dict
    idea.refresh_from_db()
    assert idea.status == start
    assert not ModerationDecision.objects.exists()
    assert log_actions(idea) == []


@pytest.mark.parametrize("start", [PostStatus.PENDING, PostStatus.PUBLISHED])
def test_hide_with_a_reason(consultation, author, moderator, start):
    idea = make_idea(consultation, author, status=start)
    decision = moderation.post_moderate(
        post=idea, moderator=moderator, action="hide", reason=ModerationReason.PERSONAL
    )
    idea.refresh_from_db()
    assert idea.status == PostStatus.HIDDEN
    assert (decision.action, decision.reason, decision.actor) == ("hide", "personal", moderator)
    assert log_actions(idea) == [("engage.moderation.hide", moderator.pk)]


def test_a_reason_must_come_from_the_list(pending_idea, moderator):
    with pytest.raises(ValidationError):
        moderation.post_moderate(
            post=pending_idea, moderator=moderator, action="hide", reason="I don't like it"
        )
    assert Idea.objects.get().status == PostStatus.PENDING


def test_restore_publishes_a_hidden_idea(consultation, author, moderator):
    idea = make_idea(consultation, author, status=PostStatus.HIDDEN)
    decision = moderation.post_moderate(post=idea, moderator=moderator, action="restore")
    idea.refresh_from_db()
    assert idea.status == PostStatus.PUBLISHED
    assert decision.action == ModerationAction.RESTORE
    assert log_actions(idea) == [("engage.moderation.restore", moderator.pk)]


def test_an_unknown_action_is_refused(pending_idea, moderator):
    with pytest.raises(ValidationError):
        moderation.post_moderate(post=pending_idea, moderator=moderator, action="withdraw")
    assert Idea.objects.get().status == PostStatus.PENDING
    assert not ModerationDecision.objects.exists()


@pytest.mark.parametrize(
    ("start", "action"),
    [
        (PostStatus.PUBLISHED, "approve"),
        (PostStatus.HIDDEN, "approve"),
        (PostStatus.WITHDRAWN, "approve"),
        (PostStatus.HIDDEN, "hide"),
        (PostStatus.WITHDRAWN, "hide"),
        (PostStatus.PENDING, "restore"),
        (PostStatus.PUBLISHED, "restore"),
        (PostStatus.WITHDRAWN, "restore"),
    ],
)
def test_an_invalid_transition_is_a_conflict(consultation, author, moderator, start, action):
    idea = make_idea(consultation, author, status=start)
    with pytest.raises(moderation.ModerationConflict):
        moderation.post_moderate(
            post=idea, moderator=moderator, action=action, reason=ModerationReason.SPAM
        )
    idea.refresh_from_db()
    assert idea.status == start
    assert not ModerationDecision.objects.exists()
    assert log_actions(idea) == []


def test_a_seen_status_the_action_cannot_start_from_is_a_conflict(published_idea, moderator):
    with pytest.raises(moderation.ModerationConflict):
        moderation.post_moderate(
            post=published_idea, moderator=moderator, action="restore", seen_status="published"
        )
    assert Idea.objects.get().status == PostStatus.PUBLISHED


def test_a_decision_resolves_the_open_flags(published_idea, moderator):
    reporters = [make_user(), make_user()]
    for reporter in reporters:
        Flag.objects.create(idea=published_idea, reporter=reporter, reason="spam")
    other_idea = make_idea(published_idea.consultation, status=PostStatus.PUBLISHED)
    other_flag = Flag.objects.create(idea=other_idea, reporter=reporters[0], reason="spam")

    moderation.post_moderate(
        post=published_idea, moderator=moderator, action="hide", reason=ModerationReason.SPAM
    )
    for flag in Flag.objects.filter(idea=published_idea):
        assert flag.resolved_at is not None
        assert flag.resolved_by == moderator
    other_flag.refresh_from_db()
    assert other_flag.resolved_at is None


def test_approving_a_comment_resolves_its_flags_and_recounts_the_idea(published_idea, moderator):
    comment = make_comment(published_idea, make_user(), status=PostStatus.PUBLISHED)
    make_comment(published_idea, make_user(), status=PostStatus.PUBLISHED)
    waiting = make_comment(published_idea, make_user())
    Flag.objects.create(comment=comment, reporter=make_user(), reason="abusive")
    Idea.objects.filter(pk=published_idea.pk).update(comment_count=2)

    moderation.post_moderate(post=waiting, moderator=moderator, action="approve")
    published_idea.refresh_from_db()
    assert published_idea.comment_count == 3

    decision = moderation.post_moderate(
        post=comment, moderator=moderator, action="hide", reason=ModerationReason.ABUSIVE
    )
    published_idea.refresh_from_db()
    comment.refresh_from_db()
    assert comment.status == PostStatus.HIDDEN
    assert published_idea.comment_count == 2
    assert (decision.comment, decision.idea) == (comment, None)
    assert Flag.objects.get().resolved_by == moderator
    assert log_actions(comment) == [("engage.moderation.hide", moderator.pk)]

    moderation.post_moderate(post=comment, moderator=moderator, action="restore")
    published_idea.refresh_from_db()
    assert published_idea.comment_count == 3


def test_the_note_is_plain_text(pending_idea, moderator):
    decision = moderation.post_moderate(
        post=pending_idea,
        moderator=moderator,
        action="hide",
        reason=ModerationReason.OFF_TOPIC,
        note='<script>alert("x")</script><b>Please</b> post it <a href="http://evil">here</a>',
    )
    decision.refresh_from_db()
    assert decision.note == 'alert("x")Please post it here'
    assert "<" not in decision.note


def test_a_note_over_1000_characters_is_refused(pending_idea, moderator):
    with pytest.raises(ValidationError):
        moderation.post_moderate(
            post=pending_idea, moderator=moderator, action="approve", note="x" * 1001
        )
    assert Idea.objects.get().status == PostStatus.PENDING


def test_the_second_of_two_moderators_gets_a_conflict(pending_idea, moderator, home):
    second = make_moderator(home)
    # Both opened the post while it was pending.
    first_view = Idea.objects.get(pk=pending_idea.pk)
    second_view = Idea.objects.get(pk=pending_idea.pk)
    moderation.post_moderate(
        post=first_view, moderator=moderator, action="approve", seen_status="pending"
    )
    with pytest.raises(moderation.ModerationConflict, match="published"):
        moderation.post_moderate(
            post=second_view,
            moderator=second,
            action="hide",
            reason=ModerationReason.SPAM,
            seen_status="pending",
        )
    assert Idea.objects.get().status == PostStatus.PUBLISHED
    decision = ModerationDecision.objects.get()
    assert (decision.actor, decision.action) == (moderator, "approve")
    assert log_actions(pending_idea) == [("engage.moderation.approve", moderator.pk)]


def test_bulk_moderation_decides_every_post_or_none(consultation, author, moderator):
    """One post that cannot be decided stops them all: the others are still tried, so that
    every post that stops it is named, and then everything is rolled back."""
    waiting = [make_idea(consultation, author) for _ in range(2)]
    already = make_idea(consultation, author, status=PostStatus.PUBLISHED)
    with pytest.raises(moderation.BulkModerationRefused) as refused:
        moderation.posts_moderate_bulk(
            posts=[waiting[0], already, waiting[1]], moderator=moderator, action="approve"
        )
    [(post, reason)] = refused.value.failures
    assert post == already
    assert "'published'" in reason and "Nothing was changed" in reason
    assert sorted(Idea.objects.values_list("status", flat=True)) == [
        PostStatus.PENDING,
        PostStatus.PENDING,
        PostStatus.PUBLISHED,
    ]
    assert not ModerationDecision.objects.exists()
    assert log_actions(waiting[0]) == [] and log_actions(waiting[1]) == []


def test_bulk_moderation_names_every_post_that_stopped_it(consultation, author, moderator):
    stale = make_idea(consultation, author)
    gone = make_idea(consultation, author, status=PostStatus.HIDDEN)
    fine = make_idea(consultation, author)
    with pytest.raises(moderation.BulkModerationRefused) as refused:
        moderation.posts_moderate_bulk(
            posts=[stale, gone, fine],
            moderator=moderator,
            action="approve",
            seen_statuses={stale: "published", gone: "not-a-status"},
        )
    assert [post for post, _ in refused.value.failures] == [stale, gone]
    assert "did not say what you saw" in refused.value.failures[1][1]
    assert Idea.objects.get(pk=fine.pk).status == PostStatus.PENDING


def test_bulk_moderation_decides_them_all_when_it_can(consultation, author, moderator):
    waiting = [make_idea(consultation, author) for _ in range(3)]
    decisions = moderation.posts_moderate_bulk(
        posts=waiting,
        moderator=moderator,
        action="hide",
        reason="spam",
        seen_statuses=dict.fromkeys(waiting, "pending"),
    )
    assert [d.idea for d in decisions] == waiting
    assert set(Idea.objects.values_list("status", flat=True)) == {PostStatus.HIDDEN}


def test_a_seen_status_that_is_not_a_status_is_refused_plainly(pending_idea, moderator):
    with pytest.raises(ValidationError) as error:
        moderation.post_moderate(
            post=pending_idea, moderator=moderator, action="approve", seen_status="x\x00"
        )
    assert "did not say what you saw" in " ".join(error.value.messages)
    assert Idea.objects.get(pk=pending_idea.pk).status == PostStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_two_moderators_at_the_same_moment_only_one_wins(home, consultation_index):
    if connection.vendor != "postgresql":
        pytest.skip("A real race needs row locks: PostgreSQL only")
    consultation = make_consultation(consultation_index, phase="open")
    idea = make_idea(consultation, make_user())
    moderators = [make_moderator(home), make_moderator(home)]
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(moderator, action):
        try:
            post = Idea.objects.select_related("consultation").get(pk=idea.pk)
            barrier.wait(timeout=10)
            moderation.post_moderate(
                post=post,
                moderator=moderator,
                action=action,
                reason=ModerationReason.SPAM,
                seen_status="pending",
            )
            outcomes.append("decided")
        except moderation.ModerationConflict:
            outcomes.append("conflict")
        except Exception as error:  # a surprise fails the test below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(moderators[0], "approve")),
        threading.Thread(target=decide, args=(moderators[1], "hide")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "decided"]
    decision = ModerationDecision.objects.get()
    expected = {"approve": PostStatus.PUBLISHED, "hide": PostStatus.HIDDEN}[decision.action]
    assert Idea.objects.get(pk=idea.pk).status == expected


# Who may moderate


@pytest.fixture
def outsiders(other_moderator):
    return {"other PCN's moderator": other_moderator, "resident": make_user()}


@pytest.mark.parametrize("who", ["other PCN's moderator", "resident"])
@pytest.mark.parametrize("action", ["approve", "hide"])
def test_only_this_pcns_moderators_decide(pending_idea, outsiders, who, action):
    with pytest.raises(PermissionDenied):
        moderation.post_moderate(
            post=pending_idea, moderator=outsiders[who], action=action, reason="spam"
        )
    comment = make_comment(make_idea(pending_idea.consultation, status="published"))
    with pytest.raises(PermissionDenied):
        moderation.post_moderate(
            post=comment, moderator=outsiders[who], action=action, reason="spam"
        )
    assert set(Idea.objects.values_list("status", flat=True)) == {"pending", "published"}
    assert not ModerationDecision.objects.exists()


def test_a_superuser_may_moderate_any_pcn(pending_idea):
    admin = make_user(is_superuser=True)
    moderation.post_moderate(post=pending_idea, moderator=admin, action="approve")
    assert Idea.objects.get().status == PostStatus.PUBLISHED


@pytest.fixture
def theme_world(consultation, moderator):
    """A theme with two published ideas, one quoted, and a second theme to merge."""
    ideas = [make_idea(consultation, status=PostStatus.PUBLISHED) for _ in range(3)]
    theme = moderation.theme_create(consultation=consultation, user=moderator, name="Evenings")
    other = moderation.theme_create(consultation=consultation, user=moderator, name="Weekends")
    theme.ideas.add(ideas[0], ideas[1])
    other.ideas.add(ideas[2])
    quote = moderation.theme_quote_add(theme=theme, user=moderator, idea=ideas[0])
    return {"theme": theme, "other": other, "ideas": ideas, "quote": quote}


THEME_SERVICES = {
    "create": lambda w, user: moderation.theme_create(
        consultation=w["theme"].consultation, user=user, name="New"
    ),
    "update": lambda w, user: moderation.theme_update(
        theme=w["theme"], user=user, name="Renamed", summary="Changed"
    ),
    "assign": lambda w, user: moderation.theme_assign_ideas(
        theme=w["theme"], user=user, idea_ids=[w["ideas"][2].pk]
    ),
    "remove": lambda w, user: moderation.theme_remove_ideas(
        theme=w["theme"], user=user, idea_ids=[w["ideas"][0].pk]
    ),
    "merge": lambda w, user: moderation.theme_merge(
        into=w["theme"], others=[w["other"]], user=user
    ),
    "split": lambda w, user: moderation.theme_split(
        theme=w["theme"], user=user, new_name="Split", idea_ids=[w["ideas"][1].pk]
    ),
    "delete": lambda w, user: moderation.theme_delete(theme=w["theme"], user=user),
    "quote_add": lambda w, user: moderation.theme_quote_add(
        theme=w["theme"], user=user, idea=w["ideas"][1]
    ),
    "quote_remove": lambda w, user: moderation.theme_quote_remove(quote=w["quote"], user=user),
}


def theme_snapshot():
    return (
        sorted(Theme.objects.values_list("pk", "name", "summary")),
        sorted(Theme.ideas.through.objects.values_list("theme_id", "idea_id")),
        sorted(ThemeQuote.objects.values_list("theme_id", "idea_id")),
    )


@pytest.mark.parametrize("service", sorted(THEME_SERVICES))
@pytest.mark.parametrize("who", ["other PCN's moderator", "resident"])
def test_only_this_pcns_moderators_change_themes(theme_world, outsiders, service, who):
    before = theme_snapshot()
    with pytest.raises(PermissionDenied):
        THEME_SERVICES[service](theme_world, outsiders[who])
    assert theme_snapshot() == before


@pytest.mark.parametrize("service", sorted(THEME_SERVICES))
def test_this_pcns_moderator_may_use_every_theme_service(theme_world, moderator, service):
    before = theme_snapshot()
    THEME_SERVICES[service](theme_world, moderator)
    assert theme_snapshot() != before


# Themes


def test_create_a_theme(consultation, moderator):
    theme = moderation.theme_create(
        consultation=consultation,
        user=moderator,
        name="  <b>Evening</b>   appointments ",
        summary="People <i>want</i> later hours.",
    )
    theme.refresh_from_db()
    assert (theme.name, theme.summary, theme.consultation) == (
        "Evening appointments",
        "People want later hours.",
        consultation,
    )
    assert log_actions(theme) == [("wagtail.create", moderator.pk)]


@pytest.mark.parametrize("name", ["Evening appointments", "EVENING appointments", "<b></b>"])
def test_create_refuses_a_duplicate_or_empty_name(consultation, moderator, name):
    moderation.theme_create(consultation=consultation, user=moderator, name="Evening Appointments")
    with pytest.raises(ValidationError) as error:
        moderation.theme_create(consultation=consultation, user=moderator, name=name)
    assert "name" in error.value.message_dict
    assert Theme.objects.count() == 1


def test_the_same_name_is_fine_in_another_consultation(consultation, consultation_index, moderator):
    moderation.theme_create(consultation=consultation, user=moderator, name="Evenings")
    second = make_consultation(consultation_index)
    moderation.theme_create(consultation=second, user=moderator, name="Evenings")
    assert Theme.objects.count() == 2


def test_update_a_theme(theme_world, moderator, home):
    vision = make_vision(home, "Care closer to home")
    priority = vision.priorities.get()
    theme = moderation.theme_update(
        theme=theme_world["theme"],
        user=moderator,
        name="Evening hours",
        summary="Later <b>appointments</b>.",
        priority=priority,
    )
    theme.refresh_from_db()
    assert (theme.name, theme.summary, theme.priority) == (
        "Evening hours",
        "Later appointments.",
        priority,
    )
    assert ("wagtail.edit", moderator.pk) in log_actions(theme)
    # Its own name in another case is not a clash; another theme's name is.
    moderation.theme_update(theme=theme, user=moderator, name="EVENING HOURS", summary="")
    with pytest.raises(ValidationError):
        moderation.theme_update(theme=theme, user=moderator, name="weekends", summary="")
    assert Theme.objects.get(pk=theme.pk).name == "EVENING HOURS"


def test_a_theme_feeds_only_a_priority_of_its_own_pcns_vision(
    consultation, moderator, home, other_home
):
    other_priority = make_vision(other_home, "Elsewhere").priorities.get()
    own_priority = make_vision(home, "Here").priorities.get()
    with pytest.raises(ValidationError) as error:
        moderation.theme_create(
            consultation=consultation, user=moderator, name="T", priority=other_priority
        )
    assert "priority" in error.value.message_dict
    assert not Theme.objects.exists()
    theme = moderation.theme_create(
        consultation=consultation, user=moderator, name="T", priority=own_priority
    )
    with pytest.raises(ValidationError):
        moderation.theme_update(
            theme=theme, user=moderator, name="T", summary="", priority=other_priority
        )
    assert Theme.objects.get().priority == own_priority


def test_assign_adds_only_published_ideas_of_the_same_consultation(
    consultation, consultation_index, moderator
):
    theme = moderation.theme_create(consultation=consultation, user=moderator, name="Evenings")
    published = [make_idea(consultation, status=PostStatus.PUBLISHED) for _ in range(2)]
    unpublished = [
        make_idea(consultation, status=status)
        for status in (PostStatus.PENDING, PostStatus.HIDDEN, PostStatus.WITHDRAWN)
    ]
    elsewhere = make_idea(make_consultation(consultation_index), status=PostStatus.PUBLISHED)
    ids = [idea.pk for idea in [*published, *unpublished, elsewhere]]

    assert moderation.theme_assign_ideas(theme=theme, user=moderator, idea_ids=ids) == 2
    assert set(theme.ideas.all()) == set(published)
    # Assigning again adds nothing.
    assert moderation.theme_assign_ideas(theme=theme, user=moderator, idea_ids=ids) == 0
    assert [a for a, _ in log_actions(theme)].count("engage.theme.assign") == 1


def test_remove_ideas_also_removes_their_quotes(theme_world, moderator):
    theme, ideas = theme_world["theme"], theme_world["ideas"]
    moderation.theme_remove_ideas(theme=theme, user=moderator, idea_ids=[ideas[0].pk])
    assert list(theme.ideas.all()) == [ideas[1]]
    assert not theme.quotes.exists()
    assert Idea.objects.filter(pk=ideas[0].pk).exists()
    assert ("engage.theme.unassign", moderator.pk) in log_actions(theme)


def test_merge_moves_ideas_deletes_the_others_and_keeps_up_to_three_quotes(consultation, moderator):
    ideas = [make_idea(consultation, status=PostStatus.PUBLISHED) for _ in range(6)]
    into = moderation.theme_create(
        consultation=consultation, user=moderator, name="Keep", summary="Kept summary"
    )
    first = moderation.theme_create(
        consultation=consultation, user=moderator, name="First", summary="First summary"
    )
    second = moderation.theme_create(consultation=consultation, user=moderator, name="Second")
    into.ideas.add(*ideas[:2])
    first.ideas.add(*ideas[1:4])  # ideas[1] is in both
    second.ideas.add(*ideas[4:])
    for theme, quoted in ((into, ideas[:2]), (first, ideas[2:4]), (second, ideas[4:])):
        for idea in quoted:
            moderation.theme_quote_add(theme=theme, user=moderator, idea=idea)

    merged = moderation.theme_merge(into=into, others=[into, first, second], user=moderator)

    assert list(Theme.objects.all()) == [into]
    assert set(merged.ideas.all()) == set(ideas)
    # The kept theme's two quotes stay; the first other theme's first quote fills the room.
    quoted = set(merged.quotes.values_list("idea_id", flat=True))
    assert quoted == {ideas[0].pk, ideas[1].pk, ideas[2].pk}
    merged.refresh_from_db()
    assert merged.summary == "Kept summary\n\nFirst summary"
    assert ("engage.theme.merge", moderator.pk) in log_actions(merged)
    assert Idea.objects.count() == 6


def test_merge_refuses_a_theme_of_another_consultation(consultation, consultation_index, moderator):
    into = moderation.theme_create(consultation=consultation, user=moderator, name="Keep")
    elsewhere = moderation.theme_create(
        consultation=make_consultation(consultation_index), user=moderator, name="Elsewhere"
    )
    with pytest.raises(ValidationError):
        moderation.theme_merge(into=into, others=[elsewhere], user=moderator)
    assert Theme.objects.count() == 2


def test_split_moves_the_chosen_ideas_and_their_quotes_into_a_new_theme(theme_world, moderator):
    theme, ideas = theme_world["theme"], theme_world["ideas"]
    new_theme = moderation.theme_split(
        theme=theme,
        user=moderator,
        new_name="Early mornings",
        # ideas[2] is not in this theme, so it is not moved.
        idea_ids=[ideas[0].pk, ideas[2].pk],
    )
    assert new_theme.pk != theme.pk
    assert new_theme.consultation == theme.consultation
    assert new_theme.name == "Early mornings"
    assert list(new_theme.ideas.all()) == [ideas[0]]
    assert list(theme.ideas.all()) == [ideas[1]]
    assert list(new_theme.quotes.values_list("idea_id", flat=True)) == [ideas[0].pk]
    assert not theme.quotes.exists()
    assert list(theme_world["other"].ideas.all()) == [ideas[2]]
    assert ("engage.theme.split", moderator.pk) in log_actions(theme)


@pytest.mark.parametrize(
    ("new_name", "pick"), [("Fresh", []), ("weekends", [0]), ("", [0])], ids=str
)
def test_split_refuses_no_ideas_or_a_taken_or_empty_name(theme_world, moderator, new_name, pick):
    before = theme_snapshot()
    with pytest.raises(ValidationError):
        moderation.theme_split(
            theme=theme_world["theme"],
            user=moderator,
            new_name=new_name,
            idea_ids=[theme_world["ideas"][i].pk for i in pick],
        )
    assert theme_snapshot() == before


def test_quote_text_defaults_to_the_idea_and_markup_is_stripped(consultation, moderator):
    theme = moderation.theme_create(consultation=consultation, user=moderator, name="Evenings")
    long_idea = make_idea(consultation, status=PostStatus.PUBLISHED, body="word " * 200)
    short_idea = make_idea(
        consultation, status=PostStatus.PUBLISHED, body="Open late, please. Most of us work."
    )
    theme.ideas.add(long_idea, short_idea)
    quote = moderation.theme_quote_add(theme=theme, user=moderator, idea=long_idea)
    assert quote.text == long_idea.body[:500].strip()
    quote = moderation.theme_quote_add(
        theme=theme, user=moderator, idea=short_idea, text="<em>Open late</em>, please"
    )
    assert quote.text == "Open late, please"
    assert [a for a, _ in log_actions(theme)].count("engage.theme.quote") == 2


def test_a_quote_is_the_residents_own_words(consultation, moderator):
    theme = moderation.theme_create(consultation=consultation, user=moderator, name="Evenings")
    idea = make_idea(
        consultation, status=PostStatus.PUBLISHED, title="Later hours", body="Open until 8pm."
    )
    theme.ideas.add(idea)
    with pytest.raises(ValidationError) as refused:
        moderation.theme_quote_add(
            theme=theme, user=moderator, idea=idea, text="Residents want later hours"
        )
    assert "resident's own words" in str(refused.value)
    assert not theme.quotes.exists()
    quote = moderation.theme_quote_add(theme=theme, user=moderator, idea=idea, text="until 8pm")
    assert quote.text == "until 8pm"


def test_a_theme_has_at_most_three_quotes(consultation, moderator):
    theme = moderation.theme_create(consultation=consultation, user=moderator, name="Evenings")
    ideas = [make_idea(consultation, status=PostStatus.PUBLISHED) for _ in range(4)]
    theme.ideas.add(*ideas)
    for idea in ideas[:3]:
        moderation.theme_quote_add(theme=theme, user=moderator, idea=idea)
    with pytest.raises(ValidationError):
        moderation.theme_quote_add(theme=theme, user=moderator, idea=ideas[3])
    assert theme.quotes.count() == 3


def test_an_idea_is_quoted_once(theme_world, moderator):
    with pytest.raises(ValidationError):
        moderation.theme_quote_add(
            theme=theme_world["theme"], user=moderator, idea=theme_world["ideas"][0], text="Again"
        )
    assert theme_world["theme"].quotes.count() == 1


@pytest.mark.parametrize("status", [PostStatus.PENDING, PostStatus.HIDDEN, PostStatus.WITHDRAWN])
def test_only_a_published_idea_of_the_theme_is_quoted(theme_world, moderator, status):
    theme, ideas = theme_world["theme"], theme_world["ideas"]
    with pytest.raises(ValidationError):  # published, but in another theme
        moderation.theme_quote_add(theme=theme, user=moderator, idea=ideas[2])
    Idea.objects.filter(pk=ideas[1].pk).update(status=status)
    ideas[1].refresh_from_db()
    with pytest.raises(ValidationError):  # in the theme, but not published
        moderation.theme_quote_add(theme=theme, user=moderator, idea=ideas[1])
    assert list(theme.quotes.values_list("idea_id", flat=True)) == [ideas[0].pk]


def test_remove_a_quote(theme_world, moderator):
    theme = theme_world["theme"]
    moderation.theme_quote_remove(quote=theme_world["quote"], user=moderator)
    assert not theme.quotes.exists()
    assert theme.ideas.count() == 2
    assert ("engage.theme.unquote", moderator.pk) in log_actions(theme)


def test_delete_a_theme_keeps_its_ideas(theme_world, moderator):
    theme = theme_world["theme"]
    moderation.theme_delete(theme=theme, user=moderator)
    assert list(Theme.objects.all()) == [theme_world["other"]]
    assert Idea.objects.count() == 3
    assert not ThemeQuote.objects.exists()
