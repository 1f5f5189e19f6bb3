"""State changes for PPG moderators: decisions on posts, and themes.

Every decision is a status change plus an audit entry (a `ModerationDecision` the author's
email quotes, and an entry in Wagtail's audit log for the admin's history), made in one
transaction. Two moderators acting on the same post at once: the status the moderator saw
is part of the update, so exactly one decision wins and the other gets `ModerationConflict`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from consultations import loop, notifications, permissions
from consultations.models import (
    Comment,
    Flag,
    Idea,
    ModerationAction,
    ModerationDecision,
    ModerationReason,
    PostStatus,
    SafetyHold,
    Theme,
    ThemeQuote,
)
from consultations.services import participation
from consultations.services.participation import comment_count_refresh
from engage.safety import check_text
from engage.text import plain_text

# action: (statuses it may start from, status it leads to)
TRANSITIONS = {
    ModerationAction.APPROVE: ((PostStatus.PENDING,), PostStatus.PUBLISHED),
    ModerationAction.HIDE: ((PostStatus.PENDING, PostStatus.PUBLISHED), PostStatus.HIDDEN),
    ModerationAction.RESTORE: ((PostStatus.HIDDEN,), PostStatus.PUBLISHED),
}

LOG_ACTIONS = {
    ModerationAction.APPROVE: "engage.moderation.approve",
    ModerationAction.HIDE: "engage.moderation.hide",
    ModerationAction.RESTORE: "engage.moderation.restore",
}


class ModerationConflict(Exception):
    """Someone else decided on this post first; the message says what happened."""


def _consultation_of(post):
    return post.consultation if isinstance(post, Idea) else post.idea.consultation


@transaction.atomic
def post_moderate(
    *,
    post: Idea | Comment,
    moderator,
    action: str,
    reason: str = "",
    note: str = "",
    seen_status: str | None = None,
) -> ModerationDecision:
    """Approve, hide or restore an idea or comment, with a reason the author is told.

    `seen_status` is the status the moderator saw when deciding; if the post has moved on
    since (another moderator acted), nothing changes and `ModerationConflict` is raised.
    """
    if not permissions.can_moderate(moderator, _consultation_of(post)):
        raise PermissionDenied("You do not moderate this consultation.")
    if action not in TRANSITIONS:
        raise ValidationError({"action": "Choose approve, hide or restore."})
    if reason and reason not in ModerationReason.values:
        raise ValidationError({"reason": "Choose a reason from the list."})
    if action == ModerationAction.HIDE and not reason:
        raise ValidationError({"reason": "Choose why you are hiding it, so its author knows."})
    note = plain_text(note)
    if len(note) > ModerationDecision._meta.get_field("note").max_length:
        raise ValidationError({"note": "Keep the note to 1000 characters or fewer."})
    if seen_status is not None and seen_status not in PostStatus.values:
        # The page sends the status it showed; anything else is a damaged or forged form.
        raise ValidationError(
            {"seen_status": "This page did not say what you saw. Reload it and decide again."}
        )

    from_statuses, to_status = TRANSITIONS[action]
    if action == ModerationAction.HIDE and _hidden_after_reports(post):
        # Hidden by residents' reports and waiting for a moderator: hiding it confirms that,
        # with a reason its author is told. Not a conflict.
        from_statuses = (*from_statuses, PostStatus.HIDDEN)
    expected = (seen_status,) if seen_status else from_statuses
    if seen_status and seen_status not in from_statuses:
        raise ModerationConflict(_conflict_message(post, seen_status))
    model = type(post)
    now = timezone.now()
    changes = {"status": to_status, "updated_at": now}
    if model is Idea and to_status == PostStatus.PUBLISHED and post.published_at is None:
        changes["published_at"] = now
    updated = model.objects.filter(pk=post.pk, status__in=expected).update(**changes)
    if not updated:
        current = model.objects.filter(pk=post.pk).values_list("status", flat=True).first()
        raise ModerationConflict(_conflict_message(post, current))
    for field, value in changes.items():
        setattr(post, field, value)

    target = {"idea": post} if model is Idea else {"comment": post}
    decision = ModerationDecision.objects.create(
        **target, actor=moderator, action=action, reason=reason, note=note
    )
    Flag.objects.filter(**target, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=moderator
    )
    # A moderator has decided: the safety check's hold, if any, is resolved by it.
    SafetyHold.objects.filter(**target, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=moderator
    )
    if model is Comment:
        comment_count_refresh(post.idea_id)
    log(
        instance=post,
        action=LOG_ACTIONS[action],
        user=moderator,
        data={"reason": reason, "note": note, "decision": decision.pk},
    )
    if post.author_id or post.contributor_id:  # a resident, or someone without an account
        transaction.on_commit(
            lambda: notifications.send_moderation_decision.enqueue(decision_id=decision.pk)
        )
    return decision


def held_for_personal_data(post) -> SafetyHold | None:
    """The open hold the safety check put on the post for personal information, if any."""
    target = {"idea": post} if isinstance(post, Idea) else {"comment": post}
    return SafetyHold.objects.filter(**target, resolved_at__isnull=True, personal_data=True).first()


def redacted_text(post) -> dict[str, str]:
    """The post's words with each piece of personal information replaced, by field."""
    fields = {"title": post.title, "body": post.body} if isinstance(post, Idea) else {}
    fields.setdefault("body", post.body)
    return {field: check_text(value).redacted() for field, value in fields.items()}


@transaction.atomic
def post_publish_redacted(*, post, moderator, seen_status: str | None = None):
    """Publish a post the safety check held for personal information, with each piece
    replaced ("[phone number removed]"). Its own words are kept on the hold, seen only by
    moderators, for as long as the audit retention keeps the hold; its author is told what
    was removed and why."""
    if not permissions.can_moderate(moderator, _consultation_of(post)):
        raise PermissionDenied("You do not moderate this consultation.")
    hold = held_for_personal_data(post)
    if hold is None:
        raise ValidationError("This post is not held for personal information.")
    redacted = redacted_text(post)
    for field, value in redacted.items():
        if len(value) > type(post)._meta.get_field(field).max_length:
            raise ValidationError(
                f"With the personal information replaced, its {field} is too long to keep. "
                "Hide it instead, and tell the author why."
            )
    hold.original_title = getattr(post, "title", "")
    hold.original_body = post.body
    hold.save(update_fields=["original_title", "original_body"])
    for field, value in redacted.items():
        setattr(post, field, value)
    post.save(update_fields=list(redacted))  # the search index and stored pages follow
    return post_moderate(
        post=post,
        moderator=moderator,
        action=ModerationAction.APPROVE
        if post.status == PostStatus.PENDING
        else ModerationAction.RESTORE,
        reason=ModerationReason.PERSONAL,
        note="We removed personal information (such as a phone number or an NHS number) "
        "before publishing it, to keep you and others safe.",
        seen_status=seen_status,
    )


def _hidden_after_reports(post) -> bool:
    """Hidden automatically by residents' reports that no moderator has dealt with yet."""
    target = {"idea": post} if isinstance(post, Idea) else {"comment": post}
    return (
        type(post).objects.filter(pk=post.pk, status=PostStatus.HIDDEN).exists()
        and Flag.objects.filter(**target, resolved_at__isnull=True).exists()
    )


def flag_report(
    *, reporter, reason: str, details: str = "", idea: Idea | None = None, comment=None
) -> Flag:
    """A resident reports a post (`services.flag_create`). When theirs is the report that
    hides it until a moderator looks, its author is told why and what happens next."""
    flag = participation.flag_create(
        reporter=reporter, reason=reason, details=details, idea=idea, comment=comment
    )
    decision = flag.hid_post
    post = idea if idea is not None else comment
    if decision is not None and (post.author_id or post.contributor_id):
        transaction.on_commit(
            lambda: notifications.send_moderation_decision.enqueue(decision_id=decision.pk)
        )
    return flag


def _conflict_message(post, current_status) -> str:
    kind = "idea" if isinstance(post, Idea) else "comment"
    if current_status is None:
        return f"This {kind} no longer exists."
    label = PostStatus(current_status).label.lower()
    return (
        f"Another moderator dealt with this {kind} while you were looking at it: it is now "
        f"'{label}'. Nothing was changed; check it again before deciding."
    )


class BulkModerationRefused(Exception):
    """Some of the chosen posts could not be decided, so none was.

    `failures` lists each post that stopped the decision, with the reason in plain English.
    """

    def __init__(self, failures: list[tuple[Idea | Comment, str]]):
        super().__init__(f"{len(failures)} post(s) could not be decided; nothing was changed.")
        self.failures = failures


def posts_moderate_bulk(
    *,
    posts,
    moderator,
    action: str,
    reason: str = "",
    note: str = "",
    seen_statuses: dict | None = None,
) -> list[ModerationDecision]:
    """Decide on every post or on none.

    Each post is decided as `post_moderate` decides one (`seen_statuses` maps a post to the
    status the moderator saw), all in one transaction. If any cannot be decided (another
    moderator got there first, it is not the moderator's to decide, a rule it breaks), the
    others are still tried, so that every post that stops the decision is known, and then the
    transaction is rolled back: no status changes, no decision or audit entry is kept and no
    author is emailed. `BulkModerationRefused` then lists them. The posts passed in may hold
    the statuses they were given before the rollback: read them again to show them.
    """
    seen_statuses = seen_statuses or {}
    decisions, failures = [], []
    with transaction.atomic():
        for post in posts:
            try:
                decisions.append(
                    post_moderate(
                        post=post,
                        moderator=moderator,
                        action=action,
                        reason=reason,
                        note=note,
                        seen_status=seen_statuses.get(post),
                    )
                )
            except (ModerationConflict, PermissionDenied) as error:
                failures.append((post, str(error)))
            except ValidationError as error:
                failures.append((post, " ".join(error.messages)))
        if failures:
            transaction.set_rollback(True)
    if failures:
        raise BulkModerationRefused(failures)
    return decisions


# Themes


def _require_moderator(user, consultation) -> None:
    if not permissions.can_moderate(user, consultation):
        raise PermissionDenied("You do not moderate this consultation.")


def _theme_name(consultation, name: str, *, exclude_pk=None) -> str:
    name = plain_text(name, single_line=True)
    if not name:
        raise ValidationError({"name": "Enter a name for the theme"})
    clash = Theme.objects.filter(consultation=consultation, name__iexact=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": "A theme with this name already exists"})
    return name


def _log_theme(theme: Theme, action: str, user, **data) -> None:
    log(instance=theme, action=action, user=user, data=data)


@transaction.atomic
def theme_create(*, consultation, user, name: str, summary: str = "", priority=None) -> Theme:
    _require_moderator(user, consultation)
    theme = Theme(
        consultation=consultation,
        name=_theme_name(consultation, name),
        summary=plain_text(summary),
        priority=priority,
    )
    theme.full_clean()
    theme.save()
    _log_theme(theme, "wagtail.create", user)
    return theme


@transaction.atomic
def theme_update(*, theme: Theme, user, name: str, summary: str, priority=None) -> Theme:
    _require_moderator(user, theme.consultation)
    linked_before = Theme.objects.filter(pk=theme.pk).values_list("priority_id", flat=True).first()
    theme.name = _theme_name(theme.consultation, name, exclude_pk=theme.pk)
    theme.summary = plain_text(summary)
    theme.priority = priority
    theme.full_clean()
    theme.save()
    _log_theme(theme, "wagtail.edit", user)
    if theme.priority_id and theme.priority_id != linked_before:
        # Its ideas now feed into this priority: their people are told (once per idea).
        loop.theme_step_notices_create(theme=theme, themed=False)
    return theme


def _published_ideas_of(consultation, idea_ids) -> list[Idea]:
    return list(
        Idea.objects.filter(
            consultation=consultation, pk__in=list(idea_ids), status=PostStatus.PUBLISHED
        )
    )


@transaction.atomic
def theme_assign_ideas(*, theme: Theme, user, idea_ids) -> int:
    """Add published ideas of the theme's consultation to it. Returns how many were added."""
    _require_moderator(user, theme.consultation)
    ideas = _published_ideas_of(theme.consultation, idea_ids)
    before = theme.ideas.count()
    theme.ideas.add(*ideas)
    added = theme.ideas.count() - before
    if added:
        _log_theme(theme, "engage.theme.assign", user, ideas=[idea.pk for idea in ideas])
        loop.theme_step_notices_create(theme=theme, idea_ids=[idea.pk for idea in ideas])
    return added


@transaction.atomic
def theme_remove_ideas(*, theme: Theme, user, idea_ids) -> None:
    _require_moderator(user, theme.consultation)
    theme.ideas.remove(*Idea.objects.filter(pk__in=list(idea_ids)))
    ThemeQuote.objects.filter(theme=theme, idea_id__in=list(idea_ids)).delete()
    _log_theme(theme, "engage.theme.unassign", user, ideas=list(idea_ids))


@transaction.atomic
def theme_merge(*, into: Theme, others, user) -> Theme:
    """Move the ideas (and quotes, up to three) of `others` into `into`, then delete them."""
    _require_moderator(user, into.consultation)
    others = [theme for theme in others if theme.pk != into.pk]
    for other in others:
        if other.consultation_id != into.consultation_id:
            raise ValidationError("Only themes of the same consultation can be merged.")
    moved: set[int] = set()
    for other in others:
        their_ideas = list(other.ideas.all())
        moved |= {idea.pk for idea in their_ideas}
        into.ideas.add(*their_ideas)
        room = ThemeQuote.MAX_PER_THEME - into.quotes.count()
        quoted = set(into.quotes.values_list("idea_id", flat=True))
        for quote in other.quotes.all():
            if room <= 0:
                break
            if quote.idea_id not in quoted:
                ThemeQuote.objects.create(
                    theme=into, idea_id=quote.idea_id, text=quote.text, sort_order=quote.sort_order
                )
                room -= 1
        if other.summary and other.summary not in into.summary:
            into.summary = f"{into.summary}\n\n{other.summary}".strip()[:3000]
        _log_theme(other, "wagtail.delete", user, merged_into=into.pk)
        other.delete()
    into.save()
    _log_theme(into, "engage.theme.merge", user, merged=[other.pk for other in others])
    if moved:
        loop.theme_step_notices_create(theme=into, idea_ids=moved)
    return into


@transaction.atomic
def theme_split(*, theme: Theme, user, new_name: str, idea_ids) -> Theme:
    """Move some of a theme's ideas into a new theme of the same consultation."""
    _require_moderator(user, theme.consultation)
    moving = list(theme.ideas.filter(pk__in=list(idea_ids)))
    if not moving:
        raise ValidationError({"ideas": "Choose the ideas to move into the new theme"})
    new_theme = theme_create(consultation=theme.consultation, user=user, name=new_name)
    new_theme.ideas.add(*moving)
    theme.ideas.remove(*moving)
    ThemeQuote.objects.filter(theme=theme, idea__in=moving).update(theme=new_theme)
    _log_theme(theme, "engage.theme.split", user, new_theme=new_theme.pk)
    loop.theme_step_notices_create(theme=new_theme, idea_ids=[idea.pk for idea in moving])
    return new_theme


@transaction.atomic
def theme_delete(*, theme: Theme, user) -> None:
    _require_moderator(user, theme.consultation)
    _log_theme(theme, "wagtail.delete", user)
    theme.delete()


@transaction.atomic
def theme_quote_add(*, theme: Theme, user, idea: Idea, text: str = "") -> ThemeQuote:
    """Choose an idea of the theme as one of its (at most three) quotes."""
    _require_moderator(user, theme.consultation)
    if not theme.ideas.filter(pk=idea.pk, status=PostStatus.PUBLISHED).exists():
        raise ValidationError({"idea": "Quote a published idea that is in this theme."})
    if theme.quotes.count() >= ThemeQuote.MAX_PER_THEME:
        raise ValidationError(
            {"idea": "A theme has at most three quotes. Remove one before adding another."}
        )
    text = (plain_text(text) or idea.body[:500]).strip()
    if len(text) > 500:
        raise ValidationError({"text": "Keep the quote to 500 characters or fewer."})
    if text not in idea.body and text not in idea.title:
        raise ValidationError(
            {
                "text": "A quote must be the resident's own words: copy part of their idea "
                "exactly. To say it in your own words, use the theme's summary instead."
            }
        )
    if theme.quotes.filter(idea=idea).exists():
        raise ValidationError({"idea": "This idea is already quoted."})
    quote = ThemeQuote.objects.create(
        theme=theme, idea=idea, text=text, sort_order=theme.quotes.count()
    )
    _log_theme(theme, "engage.theme.quote", user, idea=idea.pk)
    return quote


@transaction.atomic
def theme_quote_remove(*, quote: ThemeQuote, user) -> None:
    _require_moderator(user, quote.theme.consultation)
    _log_theme(quote.theme, "engage.theme.unquote", user, idea=quote.idea_id)
    quote.delete()
