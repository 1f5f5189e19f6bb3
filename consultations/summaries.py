"""Drafts of "what we heard": a moderator asks, the server drafts, a person approves.

A moderator asks for a draft of a theme's (or a whole consultation's) points
(`summary_draft_request`); a background task (`consultations.tasks.draft_summary`) fills it
with verbatim spans of published ideas and comments (`consultations.drafts`). The moderator
then picks, reorders and trims the points (`summary_draft_save`) and approves it
(`summary_draft_approve`); only an approved draft is public, and it replaces the one
published before. Nothing leaves the server, and nothing is published without a person.

One level up, a place lead does the same for a priority of their Place's vision
(`place_draft_request`), quoting residents of the Place's PCNs from the themes behind it;
saving and approving are the same operations, checked against the Place's leads.

Trimming: a point stays a resident's own words, so an edited point must be a verbatim part
of the post it cites (we look for it there and record where it is); anything else is
refused with a clear error and the moderator's text kept. We chose this over marking an
edited point as the moderator's words: the public page then never mixes the two, and every
point it calls "a resident's own words" can be checked against the post it links to. A
moderator's own words belong in the theme's summary, which is theirs.
"""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from consultations import permissions
from consultations.models import (
    ConsultationPage,
    PlacePriority,
    PlacePriorityDraft,
    SummaryDraft,
    Theme,
)
from consultations.tasks import draft_place_summary, draft_summary, may_quote
from engage.text import plain_text

MAX_CHOSEN_POINTS = 10
MIN_EDITED_CHARS = 3


def _require_moderator(user, consultation: ConsultationPage) -> None:
    if not permissions.can_moderate(user, consultation):
        raise PermissionDenied("You do not moderate this consultation.")


def _require_editor(user, draft: SummaryDraft | PlacePriorityDraft) -> None:
    """A PCN's draft is its moderators' to change; a Place priority's, its place leads'."""
    if isinstance(draft, PlacePriorityDraft):
        if not permissions.can_link_place_priority(user, draft.priority):
            raise PermissionDenied("This priority belongs to another Place's vision.")
    else:
        _require_moderator(user, draft.consultation)


def _drafts_of(*, consultation: ConsultationPage, theme: Theme | None):
    drafts = SummaryDraft.objects.filter(consultation=consultation)
    return drafts.filter(theme=theme) if theme is not None else drafts.filter(theme__isnull=True)


def _drafts_like(draft: SummaryDraft | PlacePriorityDraft):
    """Every draft of the same theme, consultation or Place priority as `draft`."""
    if isinstance(draft, PlacePriorityDraft):
        return PlacePriorityDraft.objects.filter(priority_id=draft.priority_id)
    return _drafts_of(consultation=draft.consultation, theme=draft.theme)


def _request(drafts, create, enqueue):
    """A draft already being prepared is returned as it is; an unapproved earlier draft is
    replaced; the published one stays public until a new one is approved. Called with the
    subject's row locked, so one request at a time."""
    waiting = drafts.filter(
        status__in=[SummaryDraft.Status.QUEUED, SummaryDraft.Status.RUNNING]
    ).first()
    if waiting is not None:
        return waiting
    drafts.filter(status__in=[SummaryDraft.Status.READY, SummaryDraft.Status.FAILED]).delete()
    draft = create()
    transaction.on_commit(partial(enqueue, draft.pk))
    return draft


@transaction.atomic
def summary_draft_request(
    *, consultation: ConsultationPage, theme: Theme | None = None, user
) -> SummaryDraft:
    """Ask for a new draft of the theme's points (or the consultation's, without a theme).

    A draft already being prepared is returned as it is; an unapproved earlier draft is
    replaced; the published one stays public until a new one is approved.
    """
    _require_moderator(user, consultation)
    if theme is not None and theme.consultation_id != consultation.pk:
        raise ValidationError("This theme is not part of this consultation.")
    # One request at a time for each theme: lock the consultation page's row.
    ConsultationPage.objects.select_for_update().filter(pk=consultation.pk).first()
    return _request(
        _drafts_of(consultation=consultation, theme=theme),
        lambda: SummaryDraft.objects.create(
            consultation=consultation, theme=theme, requested_by=user
        ),
        draft_summary.enqueue,
    )


@transaction.atomic
def place_draft_request(*, priority: PlacePriority, user) -> PlacePriorityDraft:
    """Ask for a new draft of a Place priority's points, from what its PCNs heard in the
    themes behind it; as `summary_draft_request`, for the Place's leads."""
    if not permissions.can_link_place_priority(user, priority):
        raise PermissionDenied("This priority belongs to another Place's vision.")
    PlacePriority.objects.select_for_update().filter(pk=priority.pk).first()
    return _request(
        PlacePriorityDraft.objects.filter(priority=priority),
        lambda: PlacePriorityDraft.objects.create(priority=priority, requested_by=user),
        draft_place_summary.enqueue,
    )


def _locate(source: str, text: str, near: int) -> int | None:
    """Where `text` occurs in `source`, the occurrence nearest `near` first; None if nowhere."""
    found, position = [], source.find(text)
    while position != -1:
        found.append(position)
        position = source.find(text, position + 1)
    return min(found, key=lambda start: abs(start - near)) if found else None


@transaction.atomic
def summary_draft_save(
    *, draft: SummaryDraft | PlacePriorityDraft, user, choices: dict[int, dict]
) -> SummaryDraft | PlacePriorityDraft:
    """Record the moderator's picks: for each point id, `chosen` (bool), `order` (int) and
    `text` (its words, which must be a verbatim part of the cited post).

    Every error is raised at once, keyed by point id, and nothing is changed.
    """
    _require_editor(user, draft)
    draft = type(draft).objects.select_for_update().get(pk=draft.pk)
    if draft.status != SummaryDraft.Status.READY:
        raise ValidationError("This draft can no longer be changed. Ask for a new draft.")
    points = {point.pk: point for point in draft.points.select_related("idea", "comment")}
    errors: dict[str, list[str]] = {}
    for point_id, choice in choices.items():
        point = points.get(point_id)
        if point is None:
            raise ValidationError("A point of another draft was sent. Reload the page.")
        text = plain_text(choice.get("text") or "").strip()
        if len(text) < MIN_EDITED_CHARS:
            errors[str(point_id)] = ["Enter the words to quote, or untick the point"]
            continue
        source = point.source_text()
        start = _locate(source, text, point.start)
        if start is None:
            errors[str(point_id)] = [
                "Use only words from the resident's post, exactly as they wrote them. "
                "To say it in your own words, use the theme's summary instead."
            ]
            continue
        point.start, point.end, point.text = start, start + len(text), text
        point.chosen = bool(choice.get("chosen"))
        point.sort_order = int(choice.get("order", point.sort_order))
    if errors:
        raise ValidationError(errors)
    if sum(point.chosen for point in points.values()) > MAX_CHOSEN_POINTS:
        raise ValidationError(f"Choose at most {MAX_CHOSEN_POINTS} points.")
    for point in points.values():
        point.full_clean(exclude=["draft", "idea", "comment"])
    draft.points.model.objects.bulk_update(
        points.values(), ["start", "end", "text", "chosen", "sort_order"]
    )
    return draft


@transaction.atomic
def summary_draft_approve(
    *, draft: SummaryDraft | PlacePriorityDraft, user
) -> tuple[SummaryDraft | PlacePriorityDraft, int]:
    """Publish the draft's chosen points, replacing the draft published before it.

    Each chosen point is checked again first: a point whose post is no longer public, whose
    author has gone or asked not to be named, whose words have changed, or which now holds
    personal data, is unticked and left out. Returns the draft and how many were left out.
    """
    _require_editor(user, draft)
    draft = type(draft).objects.select_for_update().get(pk=draft.pk)
    if draft.status != SummaryDraft.Status.READY:
        raise ValidationError("Only a draft ready for review can be approved.")
    chosen = list(draft.points.filter(chosen=True).select_related("idea", "comment"))
    dropped = [point for point in chosen if not (point.still_stands() and may_quote(point.text))]
    if len(dropped) == len(chosen):
        raise ValidationError(
            "Choose at least one point whose post is still published to approve the draft."
        )
    draft.points.filter(pk__in=[point.pk for point in dropped]).update(chosen=False)
    _drafts_like(draft).filter(status=SummaryDraft.Status.APPROVED).update(
        status=SummaryDraft.Status.SUPERSEDED
    )
    draft.status = SummaryDraft.Status.APPROVED
    draft.approved_by = user
    draft.approved_at = timezone.now()
    draft.save(update_fields=["status", "approved_by", "approved_at"])
    log(
        instance=_logged_on(draft),
        action="engage.summary.approve",
        user=user,
        data={
            "draft": draft.pk,
            "points": [point.pk for point in chosen if point not in dropped],
            "left_out": [point.pk for point in dropped],
        },
    )
    return draft, len(dropped)


def _logged_on(draft: SummaryDraft | PlacePriorityDraft):
    """Where an approval shows in Wagtail's history: the theme, the consultation page, or
    the Place's vision page."""
    if isinstance(draft, PlacePriorityDraft):
        return draft.priority.page
    return draft.theme if draft.theme_id else draft.consultation
