"""Each service of consultations.services.participation: what it stores, every refusal."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from consultations import services
from consultations.models import (
    Comment,
    Flag,
    FlagReason,
    Follow,
    Idea,
    ModerationAction,
    ModerationDecision,
    PostStatus,
    Support,
)
from consultations.services import RateLimited
from home.models import Neighbourhood
from tests.consultations.conftest import consultation_in_phase, make_comment, make_idea
from tests.factories import UserFactory


def route(consultation, name, *args):
    return consultation.url + consultation.reverse_subpage(name, args=args)


def submit(consultation, author, **overrides):
    fields = {
        "title": "Evening appointments",
        "body": "Open until 8pm on Tuesdays.",
        "neighbourhood": consultation.neighbourhoods.order_by("name").first(),
    }
    fields.update(overrides)
    return services.idea_submit(consultation=consultation, author=author, **fields)


def field_errors(error) -> dict:
    return error.value.message_dict


@pytest.fixture
def author(db):
    return UserFactory()


@pytest.fixture
def published_idea(post_moderated_consultation, author):
    return make_idea(post_moderated_consultation, author, published_at=timezone.now())


@pytest.fixture
def flaggers(db):
    return [UserFactory() for _ in range(3)]


# idea_submit


def test_submit_under_pre_moderation_waits_for_a_moderator(open_consultation, author):
    idea = submit(open_consultation, author)
    idea.refresh_from_db()
    assert (idea.status, idea.published_at) == (PostStatus.PENDING, None)
    assert idea.author == author
    assert idea.consultation_id == open_consultation.pk


def test_submit_under_post_moderation_publishes_at_once(post_moderated_consultation, author):
    before = timezone.now()
    idea = submit(post_moderated_consultation, author)
    idea.refresh_from_db()
    assert idea.status == PostStatus.PUBLISHED
    assert before <= idea.published_at <= timezone.now()


def test_author_follows_their_own_idea(open_consultation, author):
    idea = submit(open_consultation, author)
    assert list(Follow.objects.values_list("user", "idea", "consultation")) == [
        (author.pk, idea.pk, None)
    ]


def test_submit_strips_markup(open_consultation, author):
    idea = submit(
        open_consultation,
        author,
        title="<b>Evening</b>  appointments <script>alert(1)</script>",
        body='<p>Open <a href="javascript:x()">late</a>.</p>\n<img src=x onerror=alert(1)>Thanks',
    )
    idea.refresh_from_db()
    assert idea.title == "Evening appointments alert(1)"
    assert idea.body == "Open late.\nThanks"


@pytest.mark.parametrize(
    "title",
    ["<b>Evening</b>\nappointments", "Evening\tappointments", "Evening\u202eappointments"],
)
def test_submit_refuses_a_title_with_a_line_break_tab_or_direction_character(
    open_consultation, author, title
):
    with pytest.raises(ValidationError) as error:
        submit(open_consultation, author, title=title)
    assert list(field_errors(error)) == ["title"]
    assert not Idea.objects.exists()


def test_submit_removes_direction_and_control_characters_from_the_body(open_consultation, author):
    """The body is long and often pasted: what nobody can see is removed, not refused."""
    idea = submit(open_consultation, author, body="Open\u202e late\x1b, please\u200f.\nThanks")
    assert idea.body == "Open late, please.\nThanks"


def test_submit_refuses_a_neighbourhood_outside_the_consultation(open_consultation, home, author):
    elsewhere = Neighbourhood.objects.create(pcn=home.pcn, name="Not in this consultation")
    with pytest.raises(ValidationError) as error:
        submit(open_consultation, author, neighbourhood=elsewhere)
    assert "neighbourhood" in field_errors(error)
    assert not Idea.objects.exists()


def test_submit_refuses_a_title_that_was_only_markup(open_consultation, author):
    with pytest.raises(ValidationError) as error:
        submit(open_consultation, author, title="<b></b><script></script>", body="<i></i>")
    assert field_errors(error)["title"] == ["Enter a title for your idea"]
    assert field_errors(error)["body"] == ["Describe your idea"]
    assert not Idea.objects.exists()


@pytest.mark.parametrize("who", ["visitor", "unverified"])
def test_submit_refuses_people_who_cannot_take_part(open_consultation, who):
    user = AnonymousUser() if who == "visitor" else UserFactory(verified=False)
    with pytest.raises(PermissionDenied):
        submit(open_consultation, user)
    assert not Idea.objects.exists()


@pytest.mark.parametrize("phase", ["upcoming", "closed", "under_review"])
def test_submit_refuses_a_consultation_that_is_not_open(consultation_index, author, phase):
    with pytest.raises(PermissionDenied):
        submit(consultation_in_phase(consultation_index, phase), author)
    assert not Idea.objects.exists()


# idea_update


def update(idea, user, **overrides):
    fields = {
        "title": "Weekend appointments",
        "body": "Saturday mornings.",
        "neighbourhood": idea.neighbourhood,
        "attribution": "neighbourhood",
    }
    fields.update(overrides)
    return services.idea_update(idea=idea, user=user, **fields)


def test_update_under_pre_moderation_sends_a_published_idea_back_to_a_moderator(
    open_consultation, author
):
    idea = make_idea(open_consultation, author, status=PostStatus.PUBLISHED)
    update(idea, author, title="<em>Weekend</em> appointments")
    idea.refresh_from_db()
    assert idea.status == PostStatus.PENDING
    assert (idea.title, idea.body, idea.attribution) == (
        "Weekend appointments",
        "Saturday mornings.",
        "neighbourhood",
    )


def test_update_under_post_moderation_stays_published(published_idea, author):
    update(published_idea, author)
    published_idea.refresh_from_db()
    assert published_idea.status == PostStatus.PUBLISHED
    assert published_idea.title == "Weekend appointments"


def test_update_refuses_a_neighbourhood_outside_the_consultation(published_idea, home, author):
    elsewhere = Neighbourhood.objects.create(pcn=home.pcn, name="Not in this consultation")
    with pytest.raises(ValidationError) as error:
        update(published_idea, author, neighbourhood=elsewhere)
    assert "neighbourhood" in field_errors(error)
    published_idea.refresh_from_db()
    assert published_idea.title == "More evening appointments"


def test_update_refuses_an_empty_body(published_idea, author):
    with pytest.raises(ValidationError) as error:
        update(published_idea, author, body="<p> </p>")
    assert "body" in field_errors(error)


def test_update_refuses_anyone_but_the_author(published_idea, resident):
    with pytest.raises(PermissionDenied):
        update(published_idea, resident)
    published_idea.refresh_from_db()
    assert published_idea.title == "More evening appointments"


@pytest.mark.parametrize("status", [PostStatus.HIDDEN, PostStatus.WITHDRAWN])
def test_update_refuses_hidden_and_withdrawn_ideas(post_moderated_consultation, author, status):
    idea = make_idea(post_moderated_consultation, author, status=status)
    with pytest.raises(PermissionDenied):
        update(idea, author)


def test_update_refuses_once_the_consultation_has_closed(consultation_index, author):
    idea = make_idea(consultation_in_phase(consultation_index, "closed"), author)
    with pytest.raises(PermissionDenied):
        update(idea, author)


# idea_withdraw


def test_withdraw_records_the_decision(published_idea, author):
    services.idea_withdraw(idea=published_idea, user=author)
    published_idea.refresh_from_db()
    assert published_idea.status == PostStatus.WITHDRAWN
    decision = ModerationDecision.objects.get()
    assert (decision.idea, decision.comment, decision.actor, decision.action) == (
        published_idea,
        None,
        author,
        ModerationAction.WITHDRAW,
    )


def test_withdraw_refuses_anyone_but_the_author(published_idea, resident):
    with pytest.raises(PermissionDenied):
        services.idea_withdraw(idea=published_idea, user=resident)
    published_idea.refresh_from_db()
    assert published_idea.status == PostStatus.PUBLISHED
    assert not ModerationDecision.objects.exists()


@pytest.mark.parametrize("status", [PostStatus.HIDDEN, PostStatus.WITHDRAWN])
def test_withdraw_refuses_hidden_and_withdrawn_ideas(post_moderated_consultation, author, status):
    idea = make_idea(post_moderated_consultation, author, status=status)
    with pytest.raises(PermissionDenied):
        services.idea_withdraw(idea=idea, user=author)
    assert not ModerationDecision.objects.exists()


# comment_create, comment_update, comment_withdraw


def test_published_comments_count_on_the_idea(published_idea, resident):
    comment = services.comment_create(idea=published_idea, author=resident, body="<b>Yes</b>")
    comment.refresh_from_db()
    assert (comment.status, comment.body, comment.author) == (PostStatus.PUBLISHED, "Yes", resident)
    published_idea.refresh_from_db()
    assert published_idea.comment_count == 1


def test_pre_moderated_comment_does_not_count(open_consultation, author, resident):
    idea = make_idea(open_consultation, author)
    comment = services.comment_create(idea=idea, author=resident, body="Waiting")
    assert comment.status == PostStatus.PENDING
    idea.refresh_from_db()
    assert idea.comment_count == 0


def test_reply_to_a_comment(published_idea, resident, author):
    parent = services.comment_create(idea=published_idea, author=resident, body="Question?")
    reply = services.comment_create(
        idea=published_idea, author=author, body="Answer", parent=parent
    )
    assert reply.parent == parent
    published_idea.refresh_from_db()
    assert published_idea.comment_count == 2


def test_reply_to_a_reply_is_refused(published_idea, resident, author):
    parent = services.comment_create(idea=published_idea, author=resident, body="Question?")
    reply = services.comment_create(
        idea=published_idea, author=author, body="Answer", parent=parent
    )
    with pytest.raises(PermissionDenied):
        services.comment_create(idea=published_idea, author=resident, body="Deeper", parent=reply)
    assert Comment.objects.count() == 2


def test_reply_must_be_on_the_parents_idea(post_moderated_consultation, published_idea, resident):
    other_idea = make_idea(post_moderated_consultation, UserFactory())
    parent = make_comment(other_idea, UserFactory())
    with pytest.raises(PermissionDenied):
        services.comment_create(idea=published_idea, author=resident, body="Hi", parent=parent)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("status", [PostStatus.PENDING, PostStatus.HIDDEN, PostStatus.WITHDRAWN])
def test_reply_to_an_unpublished_comment_is_refused(published_idea, resident, status):
    parent = make_comment(published_idea, resident, status=status)
    with pytest.raises(PermissionDenied):
        services.comment_create(idea=published_idea, author=resident, body="Hi", parent=parent)


@pytest.mark.parametrize("status", [PostStatus.PENDING, PostStatus.HIDDEN, PostStatus.WITHDRAWN])
def test_comment_on_an_unpublished_idea_is_refused(post_moderated_consultation, author, status):
    idea = make_idea(post_moderated_consultation, author, status=status)
    with pytest.raises(PermissionDenied):
        services.comment_create(idea=idea, author=author, body="Hi")
    assert not Comment.objects.exists()


def test_comment_refused_to_unverified_and_after_closing(consultation_index, published_idea):
    with pytest.raises(PermissionDenied):
        services.comment_create(idea=published_idea, author=UserFactory(verified=False), body="Hi")
    closed_idea = make_idea(consultation_in_phase(consultation_index, "closed"), UserFactory())
    with pytest.raises(PermissionDenied):
        services.comment_create(idea=closed_idea, author=UserFactory(), body="Hi")
    assert not Comment.objects.exists()


def test_comment_of_only_markup_is_refused(published_idea, resident):
    with pytest.raises(ValidationError) as error:
        services.comment_create(idea=published_idea, author=resident, body="<script></script>")
    assert field_errors(error)["body"] == ["Enter your comment"]
    assert not Comment.objects.exists()


def test_comment_update_under_post_moderation(published_idea, resident):
    comment = services.comment_create(idea=published_idea, author=resident, body="First")
    services.comment_update(comment=comment, user=resident, body="<i>Second</i>")
    comment.refresh_from_db()
    published_idea.refresh_from_db()
    assert (comment.body, comment.status) == ("Second", PostStatus.PUBLISHED)
    assert published_idea.comment_count == 1


def test_comment_update_under_pre_moderation_waits_and_stops_counting(
    open_consultation, author, resident
):
    idea = make_idea(open_consultation, author)
    comment = make_comment(idea, resident)
    Idea.objects.filter(pk=idea.pk).update(comment_count=1)
    services.comment_update(comment=comment, user=resident, body="Changed")
    comment.refresh_from_db()
    idea.refresh_from_db()
    assert (comment.body, comment.status) == ("Changed", PostStatus.PENDING)
    assert idea.comment_count == 0


def test_comment_update_refused_to_others(published_idea, resident):
    comment = make_comment(published_idea, resident)
    with pytest.raises(PermissionDenied):
        services.comment_update(comment=comment, user=UserFactory(), body="Mine now")
    comment.refresh_from_db()
    assert comment.body == "I agree with this."


def test_comment_update_refuses_an_empty_body(published_idea, resident):
    comment = make_comment(published_idea, resident)
    with pytest.raises(ValidationError) as error:
        services.comment_update(comment=comment, user=resident, body="<p></p>")
    assert "body" in field_errors(error)


def test_comment_withdraw_lowers_the_count_and_records_it(published_idea, resident):
    comment = services.comment_create(idea=published_idea, author=resident, body="One")
    services.comment_create(idea=published_idea, author=resident, body="Two")
    services.comment_withdraw(comment=comment, user=resident)
    comment.refresh_from_db()
    published_idea.refresh_from_db()
    assert comment.status == PostStatus.WITHDRAWN
    assert published_idea.comment_count == 1
    decision = ModerationDecision.objects.get()
    assert (decision.comment, decision.idea, decision.actor, decision.action) == (
        comment,
        None,
        resident,
        ModerationAction.WITHDRAW,
    )


def test_comment_withdraw_refused_to_others_and_twice(published_idea, resident):
    comment = services.comment_create(idea=published_idea, author=resident, body="One")
    with pytest.raises(PermissionDenied):
        services.comment_withdraw(comment=comment, user=UserFactory())
    services.comment_withdraw(comment=comment, user=resident)
    with pytest.raises(PermissionDenied):
        services.comment_withdraw(comment=comment, user=resident)
    assert ModerationDecision.objects.count() == 1


# support_add and support_remove


def test_support_once(published_idea, resident):
    assert services.support_add(idea=published_idea, user=resident) is True
    assert services.support_add(idea=published_idea, user=resident) is False
    published_idea.refresh_from_db()
    assert published_idea.support_count == 1
    assert Support.objects.filter(idea=published_idea, user=resident).count() == 1


def test_support_counts_each_person(published_idea):
    for _ in range(3):
        services.support_add(idea=published_idea, user=UserFactory())
    published_idea.refresh_from_db()
    assert published_idea.support_count == 3


def test_support_on_own_idea_is_refused(published_idea, author):
    with pytest.raises(PermissionDenied):
        services.support_add(idea=published_idea, user=author)
    published_idea.refresh_from_db()
    assert published_idea.support_count == 0
    assert not Support.objects.exists()


def test_support_refused_unless_published_and_open(consultation_index, resident):
    pending = make_idea(
        consultation_in_phase(consultation_index, "open"), UserFactory(), status="pending"
    )
    closed = make_idea(consultation_in_phase(consultation_index, "closed"), UserFactory())
    for idea in (pending, closed):
        with pytest.raises(PermissionDenied):
            services.support_add(idea=idea, user=resident)
    with pytest.raises(PermissionDenied):
        services.support_add(
            idea=make_idea(pending.consultation, UserFactory()), user=AnonymousUser()
        )
    assert not Support.objects.exists()


def test_support_remove(published_idea, resident):
    services.support_add(idea=published_idea, user=resident)
    services.support_add(idea=published_idea, user=UserFactory())
    assert services.support_remove(idea=published_idea, user=resident) is True
    published_idea.refresh_from_db()
    assert published_idea.support_count == 1
    assert services.support_remove(idea=published_idea, user=resident) is False
    published_idea.refresh_from_db()
    assert published_idea.support_count == 1
    assert not Support.objects.filter(user=resident).exists()


def test_support_count_never_goes_below_zero(published_idea, resident):
    Support.objects.create(idea=published_idea, user=resident)  # count already 0
    assert services.support_remove(idea=published_idea, user=resident) is True
    published_idea.refresh_from_db()
    assert published_idea.support_count == 0


def test_support_remove_refused_after_closing(consultation_index, resident):
    idea = make_idea(consultation_in_phase(consultation_index, "closed"), UserFactory())
    Support.objects.create(idea=idea, user=resident)
    with pytest.raises(PermissionDenied):
        services.support_remove(idea=idea, user=resident)
    assert Support.objects.filter(idea=idea, user=resident).exists()


# follow_add and follow_remove


def test_follow_and_unfollow_a_consultation_and_an_idea(
    open_consultation, published_idea, resident
):
    services.follow_add(user=resident, consultation=open_consultation)
    services.follow_add(user=resident, consultation=open_consultation)
    services.follow_add(user=resident, idea=published_idea)
    services.follow_add(user=resident, idea=published_idea)
    assert set(Follow.objects.filter(user=resident).values_list("consultation", "idea")) == {
        (open_consultation.pk, None),
        (None, published_idea.pk),
    }
    services.follow_remove(user=resident, idea=published_idea)
    assert list(Follow.objects.filter(user=resident).values_list("consultation", "idea")) == [
        (open_consultation.pk, None)
    ]
    services.follow_remove(user=resident, consultation=open_consultation)
    assert not Follow.objects.filter(user=resident).exists()


def test_follow_needs_a_verified_address(open_consultation):
    with pytest.raises(PermissionDenied):
        services.follow_add(user=UserFactory(verified=False), consultation=open_consultation)
    with pytest.raises(PermissionDenied):
        services.follow_add(user=AnonymousUser(), consultation=open_consultation)
    assert not Follow.objects.exists()


def test_follow_refused_for_an_idea_the_user_cannot_see(open_consultation, resident):
    pending = make_idea(open_consultation, UserFactory(), status=PostStatus.PENDING)
    with pytest.raises(PermissionDenied):
        services.follow_add(user=resident, idea=pending)
    assert not Follow.objects.filter(user=resident).exists()


def test_follow_remove_leaves_other_peoples_follows(published_idea, resident, author):
    services.follow_add(user=resident, idea=published_idea)
    services.follow_add(user=author, idea=published_idea)
    services.follow_remove(user=resident, idea=published_idea)
    assert list(Follow.objects.values_list("user", flat=True)) == [author.pk]


# flag_create


def test_flag_an_idea(published_idea, resident):
    flag = services.flag_create(
        reporter=resident, idea=published_idea, reason=FlagReason.SPAM, details="<b>Ads</b>"
    )
    flag.refresh_from_db()
    assert (flag.idea, flag.comment, flag.reporter, flag.reason, flag.details) == (
        published_idea,
        None,
        resident,
        "spam",
        "Ads",
    )
    assert flag.resolved_at is None


@pytest.mark.parametrize("details", ["", "   ", "<b></b>"])
def test_flag_for_something_else_needs_details(published_idea, resident, details):
    with pytest.raises(ValidationError) as error:
        services.flag_create(
            reporter=resident, idea=published_idea, reason=FlagReason.OTHER, details=details
        )
    assert "details" in field_errors(error)
    assert not Flag.objects.exists()


def test_flag_for_something_else_with_details(published_idea, resident):
    services.flag_create(
        reporter=resident, idea=published_idea, reason=FlagReason.OTHER, details="Wrong PCN"
    )
    assert Flag.objects.get().details == "Wrong PCN"


def test_unknown_reason_is_refused(published_idea, resident):
    with pytest.raises(ValidationError) as error:
        services.flag_create(reporter=resident, idea=published_idea, reason="because")
    assert "reason" in field_errors(error)
    assert not Flag.objects.exists()


def test_same_reporter_cannot_flag_twice_while_open(published_idea, resident):
    services.flag_create(reporter=resident, idea=published_idea, reason=FlagReason.SPAM)
    with pytest.raises(ValidationError) as error:
        services.flag_create(reporter=resident, idea=published_idea, reason=FlagReason.ABUSIVE)
    assert "already reported" in error.value.messages[0]
    assert Flag.objects.count() == 1
    # Once a moderator resolves it, the same person may report it again.
    Flag.objects.update(resolved_at=timezone.now())
    services.flag_create(reporter=resident, idea=published_idea, reason=FlagReason.ABUSIVE)
    assert Flag.objects.count() == 2


def test_flag_refused_for_own_post_unpublished_post_and_unverified(
    post_moderated_consultation, published_idea, author
):
    with pytest.raises(PermissionDenied):
        services.flag_create(reporter=author, idea=published_idea, reason=FlagReason.SPAM)
    with pytest.raises(PermissionDenied):
        services.flag_create(
            reporter=UserFactory(verified=False), idea=published_idea, reason=FlagReason.SPAM
        )
    hidden = make_idea(post_moderated_consultation, author, status=PostStatus.HIDDEN)
    with pytest.raises(PermissionDenied):
        services.flag_create(reporter=UserFactory(), idea=hidden, reason=FlagReason.SPAM)
    assert not Flag.objects.exists()


def test_flag_needs_exactly_one_target(published_idea, resident):
    comment = make_comment(published_idea, UserFactory())
    with pytest.raises(ValueError):
        services.flag_create(reporter=resident, reason=FlagReason.SPAM)
    with pytest.raises(ValueError):
        services.flag_create(
            reporter=resident, idea=published_idea, comment=comment, reason=FlagReason.SPAM
        )
    assert not Flag.objects.exists()


def test_third_flag_hides_a_published_idea(published_idea, flaggers):
    for reporter in flaggers[:2]:
        services.flag_create(reporter=reporter, idea=published_idea, reason=FlagReason.SPAM)
    published_idea.refresh_from_db()
    assert published_idea.status == PostStatus.PUBLISHED
    assert not ModerationDecision.objects.exists()

    services.flag_create(reporter=flaggers[2], idea=published_idea, reason=FlagReason.SPAM)
    published_idea.refresh_from_db()
    assert published_idea.status == PostStatus.HIDDEN
    decision = ModerationDecision.objects.get()
    assert (decision.idea, decision.actor, decision.action) == (
        published_idea,
        None,
        ModerationAction.AUTO_HIDE,
    )


def test_resolved_flags_do_not_count_towards_hiding(published_idea, flaggers):
    for reporter in flaggers[:2]:
        services.flag_create(reporter=reporter, idea=published_idea, reason=FlagReason.SPAM)
    Flag.objects.update(resolved_at=timezone.now())
    services.flag_create(reporter=flaggers[2], idea=published_idea, reason=FlagReason.SPAM)
    published_idea.refresh_from_db()
    assert published_idea.status == PostStatus.PUBLISHED


def test_third_flag_hides_a_comment_and_lowers_the_count(published_idea, flaggers, resident):
    comment = services.comment_create(idea=published_idea, author=resident, body="Rude")
    services.comment_create(idea=published_idea, author=resident, body="Polite")
    published_idea.refresh_from_db()
    assert published_idea.comment_count == 2
    for reporter in flaggers:
        services.flag_create(reporter=reporter, comment=comment, reason=FlagReason.ABUSIVE)
    comment.refresh_from_db()
    published_idea.refresh_from_db()
    assert comment.status == PostStatus.HIDDEN
    assert published_idea.status == PostStatus.PUBLISHED
    assert published_idea.comment_count == 1
    decision = ModerationDecision.objects.get()
    assert (decision.comment, decision.idea, decision.actor, decision.action) == (
        comment,
        None,
        None,
        ModerationAction.AUTO_HIDE,
    )


def test_threshold_for_hiding_is_a_setting(settings, published_idea, flaggers):
    settings.ENGAGE_FLAGS_TO_HIDE = 2
    services.flag_create(reporter=flaggers[0], idea=published_idea, reason=FlagReason.SPAM)
    published_idea.refresh_from_db()
    assert published_idea.status == PostStatus.PUBLISHED
    services.flag_create(reporter=flaggers[1], idea=published_idea, reason=FlagReason.SPAM)
    published_idea.refresh_from_db()
    assert published_idea.status == PostStatus.HIDDEN
    assert ModerationDecision.objects.get().action == ModerationAction.AUTO_HIDE


# Rate limits


def test_too_many_ideas_are_refused_with_a_message_to_wait(settings, open_consultation, author):
    settings.ENGAGE_RATE_LIMITS = {"idea": (2, 3600)}
    submit(open_consultation, author)
    submit(open_consultation, author)
    with pytest.raises(RateLimited) as error:
        submit(open_consultation, author)
    assert "wait" in str(error.value)
    assert Idea.objects.count() == 2
    # Other people are not held back by someone else's limit.
    submit(open_consultation, UserFactory())
    assert Idea.objects.count() == 3


def test_ideas_older_than_the_window_do_not_count(settings, open_consultation, author):
    settings.ENGAGE_RATE_LIMITS = {"idea": (2, 3600)}
    submit(open_consultation, author)
    submit(open_consultation, author)
    Idea.objects.update(created_at=timezone.now() - timedelta(seconds=3601))
    submit(open_consultation, author)
    submit(open_consultation, author)
    assert Idea.objects.count() == 4
    with pytest.raises(RateLimited):
        submit(open_consultation, author)


def test_too_many_comments_are_refused(settings, published_idea, resident):
    settings.ENGAGE_RATE_LIMITS = {"comment": (1, 600)}
    services.comment_create(idea=published_idea, author=resident, body="One")
    with pytest.raises(RateLimited) as error:
        services.comment_create(idea=published_idea, author=resident, body="Two")
    assert "wait" in str(error.value)
    assert Comment.objects.count() == 1


def test_too_many_flags_are_refused(settings, post_moderated_consultation, resident):
    settings.ENGAGE_RATE_LIMITS = {"flag": (1, 600)}
    first, second = (make_idea(post_moderated_consultation, UserFactory()) for _ in range(2))
    services.flag_create(reporter=resident, idea=first, reason=FlagReason.SPAM)
    with pytest.raises(RateLimited):
        services.flag_create(reporter=resident, idea=second, reason=FlagReason.SPAM)
    assert Flag.objects.count() == 1


def test_rate_limited_idea_through_the_view(settings, client, open_consultation, author):
    settings.ENGAGE_RATE_LIMITS = {"idea": (2, 3600)}
    submit(open_consultation, author, title="First")
    submit(open_consultation, author, title="Second")
    client.force_login(author)
    data = {
        "title": "Third idea: a pharmacy",
        "body": "A pharmacy in the surgery.\nOpen late.",
        "neighbourhood": open_consultation.neighbourhoods.order_by("name").first().pk,
        "attribution": "name",
        "confirm": "1",
    }
    response = client.post(route(open_consultation, "idea-create"), data)
    assert response.status_code == 429
    soup = BeautifulSoup(response.content, "html.parser")
    summary = soup.select_one(".nhsuk-error-summary").get_text()
    assert "You have sent 2 ideas in the last 60 minutes" in summary
    assert "Please wait a while and try again" in summary
    assert soup.select_one("#id_title")["value"] == "Third idea: a pharmacy"
    assert (
        soup.select_one("#id_body").get_text().strip() == "A pharmacy in the surgery.\nOpen late."
    )
    assert Idea.objects.count() == 2
