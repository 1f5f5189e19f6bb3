"""State changes for resident participation.

Each function checks permission, cleans resident text once (`engage.text.plain_text`),
validates, saves in a transaction and records its audit entry. Views, forms, admin actions
and commands call these; nothing else writes ideas, comments, supports, follows or flags.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.log_actions import log

from consultations import permissions
from consultations.models import (
    OFFLINE_CHANNELS,
    Attribution,
    Channel,
    Comment,
    ConsultationPage,
    Flag,
    FlagReason,
    Follow,
    Idea,
    Letter,
    ModerationAction,
    ModerationDecision,
    ModerationMode,
    Notice,
    OfflineContributor,
    Phase,
    PostStatus,
    ReplyBy,
    Support,
    UpdatePage,
)
from engage.ids import parse_id
from engage.text import plain_text, text_problems


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


def _check_neighbourhood(consultation: ConsultationPage, neighbourhood) -> None:
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
    attribution: str = Attribution.NAME,
) -> Idea:
    if not permissions.can_participate(author, consultation):
        raise PermissionDenied("You cannot post an idea to this consultation.")
    _rate_limit(action="idea", queryset=Idea.objects.filter(author=author))
    _check_neighbourhood(consultation, neighbourhood)
    status = _initial_status(consultation)
    idea = Idea(
        consultation=consultation,
        author=author,
        title=plain_text(title, single_line=True),
        body=plain_text(body),
        neighbourhood=neighbourhood,
        attribution=attribution,
        status=status,
        published_at=timezone.now() if status == PostStatus.PUBLISHED else None,
    )
    idea.full_clean()
    idea.save()
    # The author hears what happens to their idea.
    Follow.objects.get_or_create(user=author, idea=idea)
    return idea


def _offline_contributor(*, reply_by: str, name: str, email: str, postal_address: str, pcn):
    """The contact details to keep for the chosen way to reply (and no others), or None.

    Raises ValidationError naming the fields that are missing or wrong.
    """
    name = plain_text(name, single_line=True)
    email = plain_text(email, single_line=True).replace(" ", "")
    postal_address = plain_text(postal_address)
    if reply_by == ReplyBy.NOTHING:
        return None
    errors = {}
    if reply_by == ReplyBy.EMAIL:
        if not email:
            errors["contributor_email"] = "Enter the email address they gave"
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors["contributor_email"] = (
                    "Enter an email address in the right format, like name@example.org"
                )
        postal_address = ""
    elif reply_by == ReplyBy.LETTER:
        if not name:
            errors["contributor_name"] = "Enter the name to put on the letter"
        if not postal_address:
            errors["contributor_address"] = "Enter the postal address to send the letter to"
        email = ""
    else:
        errors["reply_by"] = "Choose how they want to hear back"
    limits = {
        "contributor_name": (name, OfflineContributor._meta.get_field("name").max_length),
        "contributor_email": (email, OfflineContributor._meta.get_field("email").max_length),
        "contributor_address": (
            postal_address,
            OfflineContributor._meta.get_field("postal_address").max_length,
        ),
    }
    for field, (value, limit) in limits.items():
        if field not in errors and len(value) > limit:
            errors[field] = f"Keep it to {limit} characters or fewer (it has {len(value)})"
    # The contributor is saved without a full_clean(): its name is checked here, as the
    # field's validator would (the name goes on a letter).
    if "contributor_name" not in errors and (problems := text_problems(name, single_line=True)):
        errors["contributor_name"] = ValidationError(problems).messages
    if errors:
        raise ValidationError(errors)
    return OfflineContributor(pcn=pcn, name=name, email=email, postal_address=postal_address)


def _received_error(consultation: ConsultationPage, received_on: date | None) -> str:
    if received_on is None:
        return "Enter the date it was received"
    today = timezone.localdate()
    if received_on > today:
        return "The date it was received must be today or in the past"
    opened = timezone.localtime(consultation.opens_at).date()
    closed = timezone.localtime(consultation.closes_at).date()
    if received_on < opened:
        return f"The consultation opened on {opened:%-d %B %Y}: enter a date on or after it"
    if received_on > closed:
        return (
            f"The consultation closed on {closed:%-d %B %Y}: only contributions received "
            "by then can be entered"
        )
    return ""


@transaction.atomic
def idea_submit_on_behalf(
    *,
    consultation: ConsultationPage,
    entered_by,
    channel: str,
    received_on: date | None,
    title: str,
    body: str,
    neighbourhood=None,
    reply_by: str = ReplyBy.NOTHING,
    contributor_name: str = "",
    contributor_email: str = "",
    contributor_address: str = "",
) -> Idea:
    """A moderator or member of staff enters an idea a resident sent on paper, by phone or
    at a meeting. It is published at once (a moderator has read it), dated the day it was
    received, shown as "A resident of <neighbourhood> (paper)", and kept with the way to
    reply to its contributor, if they gave one, in an `OfflineContributor` of its own.
    """
    if not permissions.can_enter_offline(entered_by, consultation.pcn):
        raise PermissionDenied("You cannot enter contributions for this consultation.")
    if not permissions.accepts_offline_contributions(consultation):
        raise ValidationError(
            {
                "consultation": "Choose a consultation that is open or closed in the last "
                "four weeks and not yet answered"
            }
        )
    errors: dict[str, list[str]] = {}
    if channel not in OFFLINE_CHANNELS:
        errors["channel"] = ["Choose how it was sent: on paper, by phone or at a meeting"]
    if message := _received_error(consultation, received_on):
        errors["received_on"] = [message]
    try:
        _check_neighbourhood(consultation, neighbourhood)
    except ValidationError as error:
        errors.update(error.message_dict)
    contributor = None
    try:
        contributor = _offline_contributor(
            reply_by=reply_by,
            name=contributor_name,
            email=contributor_email,
            postal_address=contributor_address,
            pcn=consultation.pcn,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    now = timezone.now()
    if received_on is None or received_on >= timezone.localdate():
        created_at = now
    else:
        created_at = timezone.make_aware(datetime.combine(received_on, time(12)))
    idea = Idea(
        consultation=consultation,
        author=None,
        title=plain_text(title, single_line=True),
        body=plain_text(body),
        neighbourhood=neighbourhood,
        attribution=Attribution.NEIGHBOURHOOD,
        channel=channel if channel in OFFLINE_CHANNELS else Channel.PAPER,
        status=PostStatus.PUBLISHED,
        published_at=now,
        created_at=created_at,
    )
    try:
        idea.full_clean(exclude=["contributor", "channel", "neighbourhood"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if contributor is not None:
        contributor.save()
        idea.contributor = contributor
    idea.save()
    received = f"{received_on:%-d %B %Y}"
    ModerationDecision.objects.create(
        idea=idea,
        actor=entered_by,
        action=ModerationAction.ENTER,
        note=f"{idea.get_channel_display()} received on {received}, entered and published.",
    )
    log(
        instance=idea,
        action="engage.idea.enter",
        user=entered_by,
        # What was done and how to reply; never the contact details themselves.
        data={
            "channel": idea.channel,
            "received_on": received_on.isoformat(),
            "reply_by": reply_by,
        },
    )
    return idea


@transaction.atomic
def letters_mark_sent(*, update: UpdatePage, user, letter_ids) -> int:
    """Record that the letters were printed and posted, so they are not printed twice.

    Only letters of this update that are still due change; returns how many did.
    """
    if not permissions.can_send_letters(user, update):
        raise PermissionDenied("You cannot send letters for this update.")
    ids = [pk for pk in map(parse_id, letter_ids) if pk is not None]
    if not ids:
        raise ValidationError("Tick the letters you have sent.")
    sent = Letter.objects.filter(update=update, pk__in=ids, status=Letter.Status.DUE).update(
        status=Letter.Status.SENT, sent_at=timezone.now(), sent_by=user
    )
    if sent:
        log(instance=update, action="engage.letters.sent", user=user, data={"letters": sent})
    return sent


@transaction.atomic
def idea_update(
    *, idea: Idea, user, title: str, body: str, neighbourhood=None, attribution: str
) -> Idea:
    if not permissions.can_edit_idea(user, idea):
        raise PermissionDenied("You cannot edit this idea.")
    _check_neighbourhood(idea.consultation, neighbourhood)
    idea.title = plain_text(title, single_line=True)
    idea.body = plain_text(body)
    idea.neighbourhood = neighbourhood
    idea.attribution = attribution
    if idea.consultation.moderation_mode == ModerationMode.PRE:
        # A changed idea needs a moderator's eyes again before others see it.
        idea.status = PostStatus.PENDING
    idea.full_clean()
    idea.save()
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
def comment_create(*, idea: Idea, author, body: str, parent: Comment | None = None) -> Comment:
    allowed = (
        permissions.can_reply(author, parent)
        if parent is not None
        else permissions.can_comment(author, idea)
    )
    if not allowed or (parent is not None and parent.idea_id != idea.pk):
        raise PermissionDenied("You cannot comment here.")
    _rate_limit(action="comment", queryset=Comment.objects.filter(author=author))
    comment = Comment(
        idea=idea,
        author=author,
        parent=parent,
        body=plain_text(body),
        status=_initial_status(idea.consultation),
    )
    comment.full_clean()
    comment.save()
    comment_count_refresh(idea.pk)
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, user, body: str) -> Comment:
    if not permissions.can_edit_comment(user, comment):
        raise PermissionDenied("You cannot edit this comment.")
    comment.body = plain_text(body)
    if comment.idea.consultation.moderation_mode == ModerationMode.PRE:
        comment.status = PostStatus.PENDING
    comment.full_clean()
    comment.save()
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
    _hide_if_flagged_enough(target)
    return flag


def _hide_if_flagged_enough(target) -> None:
    threshold = getattr(settings, "ENGAGE_FLAGS_TO_HIDE", 3)
    field = "idea" if isinstance(target, Idea) else "comment"
    open_flags = Flag.objects.filter(**{field: target}, resolved_at__isnull=True).count()
    if open_flags < threshold:
        return
    model = type(target)
    hidden = model.objects.filter(pk=target.pk, status=PostStatus.PUBLISHED).update(
        status=PostStatus.HIDDEN
    )
    if hidden:
        target.status = PostStatus.HIDDEN
        ModerationDecision.objects.create(
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
