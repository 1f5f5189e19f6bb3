"""State changes for resident participation: ideas, comments, supports, follows and flags.

Each function checks permission, cleans resident text once (`engage.text.plain_text`),
validates, saves in a transaction and records its audit entry. Ideas and comments pass the
clinical safety check first (`consultations.services.safety`): text that reads as urgent or
holds personal data raises `SafetyCheckNeeded` until its author has seen the panel for it
(`safety_seen`); sent anyway, the post is saved as pending and held. Views, forms, admin actions
and commands call these; nothing else writes ideas, comments, supports, follows or flags.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.log_actions import log

from consultations import permissions
from consultations.models import (
    Attribution,
    Comment,
    ConsultationPage,
    Flag,
    FlagReason,
    Follow,
    Idea,
    ModerationAction,
    ModerationDecision,
    ModerationMode,
    Notice,
    Phase,
    PostStatus,
    Support,
)
from consultations.services.safety import safety_gate, safety_hold_place
from engage.text import plain_text


class RateLimited(Exception):
    """The user has posted too much too quickly; the message says when to try again."""


DEFAULT_RATE_LIMITS = {
    # action: (how many, in how many seconds)
    "idea": (5, 60 * 60),
    "comment": (30, 60 * 60),
    "flag": (20, 60 * 60),
}


def _rate_limit(*, action: str, queryset) -> None:
    limits = {**DEFAULT_RATE_LIMITS, **getattr(settings, "ENGAGE_RATE_LIMITS", {})}
    count, seconds = limits[action]
    since = timezone.now() - timedelta(seconds=seconds)
    if queryset.filter(created_at__gte=since).count() >= count:
        minutes = max(1, seconds // 60)
        noun = {"idea": "ideas", "comment": "comments", "flag": "reports"}[action]
        raise RateLimited(
            f"You have sent {count} {noun} in the last {minutes} minutes, which is our limit. "
            "Please wait a while and try again. What you wrote is still below."
        )


def _initial_status(consultation: ConsultationPage) -> str:
    if consultation.moderation_mode == ModerationMode.POST:
        return PostStatus.PUBLISHED
    return PostStatus.PENDING


def neighbourhood_check(consultation: ConsultationPage, neighbourhood) -> None:
    """Refuse a neighbourhood the consultation is not for (no neighbourhood is fine)."""
    if neighbourhood is None:
        return
    if not consultation.neighbourhoods.filter(pk=neighbourhood.pk).exists():
        raise ValidationError(
            {"neighbourhood": "Choose one of the neighbourhoods this consultation is for."}
        )


def comment_count_refresh(idea_id: int) -> None:
    """Recount an idea's published comments (after any comment changes status)."""
    # What the idea page shows: published comments, and published replies to them.
    published = (
        Comment.objects.filter(idea=OuterRef("pk"), status=PostStatus.PUBLISHED)
        .filter(Q(parent__isnull=True) | Q(parent__status=PostStatus.PUBLISHED))
        .order_by()
        .values("idea")
        .annotate(total=Count("pk"))
        .values("total")
    )
    Idea.objects.filter(pk=idea_id).update(comment_count=Coalesce(Subquery(published), 0))


# Ideas


@transaction.atomic
def idea_submit(
    *,
    consultation: ConsultationPage,
    author,
    title: str,
    body: str,
    neighbourhood=None,
    practice=None,
    attribution: str = Attribution.NAME,
    safety_seen: str = "",
) -> Idea:
    """A resident's idea. `practice`, the GP practice they are registered with, is optional
    and must be one of the consultation's PCN's (`full_clean()` refuses another's)."""
    if not permissions.can_participate(author, consultation):
        raise PermissionDenied("You cannot post an idea to this consultation.")
    check = safety_gate(title=title, body=body, safety_seen=safety_seen)
    _rate_limit(action="idea", queryset=Idea.objects.filter(author=author))
    neighbourhood_check(consultation, neighbourhood)
    # Held posts wait for a moderator, whatever the consultation's moderation mode.
    status = PostStatus.PENDING if check.needs_panel else _initial_status(consultation)
    idea = Idea(
        consultation=consultation,
        author=author,
        title=plain_text(title, single_line=True),
        body=plain_text(body),
        neighbourhood=neighbourhood,
        practice=practice,
        attribution=attribution,
        status=status,
        published_at=timezone.now() if status == PostStatus.PUBLISHED else None,
    )
    idea.full_clean()
    idea.save()
    idea.safety_hold = safety_hold_place(post=idea, check=check)
    # The author hears what happens to their idea.
    Follow.objects.get_or_create(user=author, idea=idea)
    return idea


@transaction.atomic
def idea_update(
    *,
    idea: Idea,
    user,
    title: str,
    body: str,
    neighbourhood=None,
    practice=None,
    attribution: str,
    safety_seen: str = "",
) -> Idea:
    if not permissions.can_edit_idea(user, idea):
        raise PermissionDenied("You cannot edit this idea.")
    check = safety_gate(title=title, body=body, safety_seen=safety_seen)
    neighbourhood_check(idea.consultation, neighbourhood)
    idea.title = plain_text(title, single_line=True)
    idea.body = plain_text(body)
    idea.neighbourhood = neighbourhood
    idea.practice = practice
    idea.attribution = attribution
    if idea.consultation.moderation_mode == ModerationMode.PRE or check.needs_panel:
        # A changed idea needs a moderator's eyes again before others see it; so does one
        # the safety check holds.
        idea.status = PostStatus.PENDING
    idea.full_clean()
    idea.save()
    idea.safety_hold = safety_hold_place(post=idea, check=check)
    return idea


@transaction.atomic
def idea_withdraw(*, idea: Idea, user) -> Idea:
    if not permissions.can_withdraw_idea(user, idea):
        raise PermissionDenied("You cannot withdraw this idea.")
    idea.status = PostStatus.WITHDRAWN
    idea.save(update_fields=["status", "updated_at"])
    ModerationDecision.objects.create(idea=idea, actor=user, action=ModerationAction.WITHDRAW)
    return idea


# Comments


@transaction.atomic
def comment_create(
    *, idea: Idea, author, body: str, parent: Comment | None = None, safety_seen: str = ""
) -> Comment:
    allowed = (
        permissions.can_reply(author, parent)
        if parent is not None
        else permissions.can_comment(author, idea)
    )
    if not allowed or (parent is not None and parent.idea_id != idea.pk):
        raise PermissionDenied("You cannot comment here.")
    check = safety_gate(body=body, safety_seen=safety_seen)
    _rate_limit(action="comment", queryset=Comment.objects.filter(author=author))
    comment = Comment(
        idea=idea,
        author=author,
        parent=parent,
        body=plain_text(body),
        status=PostStatus.PENDING if check.needs_panel else _initial_status(idea.consultation),
    )
    comment.full_clean()
    comment.save()
    comment.safety_hold = safety_hold_place(post=comment, check=check)
    comment_count_refresh(idea.pk)
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, user, body: str, safety_seen: str = "") -> Comment:
    if not permissions.can_edit_comment(user, comment):
        raise PermissionDenied("You cannot edit this comment.")
    check = safety_gate(body=body, safety_seen=safety_seen)
    comment.body = plain_text(body)
    if comment.idea.consultation.moderation_mode == ModerationMode.PRE or check.needs_panel:
        comment.status = PostStatus.PENDING
    comment.full_clean()
    comment.save()
    comment.safety_hold = safety_hold_place(post=comment, check=check)
    comment_count_refresh(comment.idea_id)
    return comment


@transaction.atomic
def comment_withdraw(*, comment: Comment, user) -> Comment:
    if not permissions.can_withdraw_comment(user, comment):
        raise PermissionDenied("You cannot withdraw this comment.")
    comment.status = PostStatus.WITHDRAWN
    comment.save(update_fields=["status", "updated_at"])
    ModerationDecision.objects.create(comment=comment, actor=user, action=ModerationAction.WITHDRAW)
    comment_count_refresh(comment.idea_id)
    return comment


# Supports and follows


@transaction.atomic
def support_add(*, idea: Idea, user) -> bool:
    """Support an idea once. Returns False if the user already supported it."""
    if not permissions.can_support(user, idea):
        raise PermissionDenied("You cannot support this idea.")
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, user=user)
    except IntegrityError:
        return False
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    return True


@transaction.atomic
def support_remove(*, idea: Idea, user) -> bool:
    """Take a support back. Returns False if there was none."""
    if not permissions.can_participate(user, idea.consultation):
        raise PermissionDenied("Supports can only change while the consultation is open.")
    deleted, _ = Support.objects.filter(idea=idea, user=user).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
    return bool(deleted)


def follow_add(*, user, consultation: ConsultationPage | None = None, idea: Idea | None = None):
    if not permissions.can_follow(user):
        raise PermissionDenied("Verify your email address to follow.")
    if idea is not None and not permissions.can_view_idea(user, idea):
        raise PermissionDenied("You cannot follow this idea.")
    follow, created = Follow.objects.get_or_create(user=user, consultation=consultation, idea=idea)
    if created and consultation is not None and consultation.phase != Phase.UPCOMING:
        # They know the phase it is in now; they hear about the next one.
        Notice.objects.get_or_create(
            user=user,
            kind=Notice.Kind.PHASE,
            consultation=consultation,
            key=consultation.phase,
            defaults={"status": Notice.Status.SENT, "last_error": "Followed in this phase."},
        )
    return follow


def follow_remove(*, user, consultation: ConsultationPage | None = None, idea: Idea | None = None):
    Follow.objects.filter(user=user, consultation=consultation, idea=idea).delete()


# Flags


@transaction.atomic
def flag_create(
    *, reporter, reason: str, details: str = "", idea: Idea | None = None, comment=None
) -> Flag:
    target = idea if idea is not None else comment
    if target is None or (idea is not None and comment is not None):
        raise ValueError("Flag exactly one idea or comment.")
    if not permissions.can_flag(reporter, target):
        raise PermissionDenied("You cannot report this.")
    _rate_limit(action="flag", queryset=Flag.objects.filter(reporter=reporter))
    details = plain_text(details)
    if reason == FlagReason.OTHER and not details:
        raise ValidationError({"details": "Tell us what is wrong with it."})
    flag = Flag(idea=idea, comment=comment, reporter=reporter, reason=reason, details=details)
    flag.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError:
        raise ValidationError(
            "You have already reported this. A moderator will look at it soon."
        ) from None
    # The decision, when this report is the one that hides the post until a moderator looks.
    flag.hid_post = _hide_if_flagged_enough(target)
    return flag


def _hide_if_flagged_enough(target) -> ModerationDecision | None:
    threshold = getattr(settings, "ENGAGE_FLAGS_TO_HIDE", 3)
    field = "idea" if isinstance(target, Idea) else "comment"
    open_flags = Flag.objects.filter(**{field: target}, resolved_at__isnull=True).count()
    if open_flags < threshold:
        return None
    model = type(target)
    hidden = model.objects.filter(pk=target.pk, status=PostStatus.PUBLISHED).update(
        status=PostStatus.HIDDEN
    )
    if not hidden:
        return None
    target.status = PostStatus.HIDDEN
    decision = ModerationDecision.objects.create(
        **{field: target},
        actor=None,
        action=ModerationAction.AUTO_HIDE,
        reason="flags",
        note=f"Hidden until a moderator looks: {open_flags} people reported it.",
    )
    log(
        instance=target,
        action="engage.moderation.auto_hide",
        user=None,
        data={"reason": "flags", "open_flags": open_flags},
    )
    if field == "comment":
        comment_count_refresh(target.idea_id)
    return decision
