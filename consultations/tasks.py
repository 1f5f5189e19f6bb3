"""Background work for consultations: suggested themes, drafts of "what we heard", the
figures of a Place's and an ICS's leads' screens.

Tasks take primary keys, are enqueued after commit (see `consultations.suggestions`), and
are safe to run twice.
"""

import logging
import re

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from threadpoolctl import threadpool_limits

from consultations.loop import themes_behind_place_priorities
from consultations.models import (
    Comment,
    Idea,
    PlacePriorityDraft,
    PlacePriorityPoint,
    PostStatus,
    SuggestionRun,
    SummaryDraft,
    SummaryPoint,
    ThemeSuggestion,
    post_may_be_quoted,
)
from consultations.snapshots import snapshot_refresh
from engage.safety import check_text

logger = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 2000


def suggest_clusters(documents, **options):
    """`consultations.clustering.suggest_clusters`, imported on first use."""
    # Here, not at the top: scikit-learn, SciPy and NumPy take a few seconds and tens of
    # megabytes to load, and only the task worker clusters; web processes never need them.
    from consultations.clustering import suggest_clusters as clusters

    return clusters(documents, **options)


@task()
def suggest_themes_for_run(run_id: int) -> None:
    """Cluster the consultation's published ideas and store them as the run's suggestions.

    A run that is already done is left alone, so a retried or duplicated task changes
    nothing. Any failure is recorded on the run (status "failed" and the error) before it
    reaches the worker.
    """
    Status = SuggestionRun.Status
    # Show "Working" at once; the suggestions themselves appear in one transaction below.
    SuggestionRun.objects.filter(pk=run_id, status__in=[Status.QUEUED, Status.FAILED]).update(
        status=Status.RUNNING
    )
    try:
        with transaction.atomic():
            run = SuggestionRun.objects.select_for_update().filter(pk=run_id).first()
            if run is None or run.status == Status.DONE:
                return
            _suggest(run)
    except Exception as error:
        logger.exception("Suggested themes failed for run %s", run_id)
        SuggestionRun.objects.filter(pk=run_id).exclude(status=Status.DONE).update(
            status=Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH],
            finished_at=timezone.now(),
        )
        raise


def _suggest(run: SuggestionRun) -> None:
    ideas = (
        Idea.objects.published()
        .filter(consultation_id=run.consultation_id)
        .order_by("pk")
        .values_list("pk", "title", "body")
    )
    documents = [(pk, f"{title}\n{body}") for pk, title, body in ideas]
    # One core: the worker may share its machine with the web processes.
    with threadpool_limits(limits=1):
        clusters = suggest_clusters(documents)

    run.suggestions.all().delete()  # anything left by an earlier, failed attempt
    Through = ThemeSuggestion.ideas.through
    links = []
    for cluster in clusters:
        suggestion = ThemeSuggestion.objects.create(
            run=run, name=cluster.name, terms=list(cluster.terms)
        )
        links += [
            Through(themesuggestion_id=suggestion.pk, idea_id=idea_id)
            for idea_id in cluster.idea_ids
        ]
    Through.objects.bulk_create(links)

    run.status = SuggestionRun.Status.DONE
    run.idea_count = len(documents)
    run.error = ""
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "idea_count", "error", "finished_at"])


# Drafts of "what we heard"

# The safety net's mark where a moderator took personal data out ("[phone number removed]").
_REMOVED_MARK = re.compile(r"\[[^\[\]]{1,40} removed\]")


def draft_points(sources, **options):
    """`consultations.drafts.draft_points`, imported on first use (as `suggest_clusters`)."""
    from consultations.drafts import draft_points as points

    return points(sources, **options)


def draft_source(key, post, text):
    from consultations.drafts import Source

    return Source(key, post, text)


@task()
def draft_summary(draft_id: int) -> None:
    """Fill a requested `SummaryDraft` with points: verbatim spans of the published ideas
    and comments of its theme (or its whole consultation)."""
    _run_draft(SummaryDraft, draft_id)


@task()
def draft_place_summary(draft_id: int) -> None:
    """Fill a requested `PlacePriorityDraft` with points: verbatim spans of the published
    ideas and comments of the PCN themes behind its Place priority."""
    _run_draft(PlacePriorityDraft, draft_id)


def _run_draft(model, draft_id: int) -> None:
    """A draft already filled (or approved, or replaced) is left alone, so a retried or
    duplicated task changes nothing. A failure is recorded on the draft before it reaches
    the worker."""
    Status = model.Status
    model.objects.filter(pk=draft_id, status__in=[Status.QUEUED, Status.FAILED]).update(
        status=Status.RUNNING
    )
    try:
        with transaction.atomic():
            draft = model.objects.select_for_update().filter(pk=draft_id).first()
            if draft is None or draft.status != Status.RUNNING:
                return
            _draft(draft)
    except Exception as error:
        logger.exception("Drafting a summary failed for %s %s", model.__name__, draft_id)
        model.objects.filter(pk=draft_id, status=Status.RUNNING).update(
            status=Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH],
            finished_at=timezone.now(),
        )
        raise


def quotable_ideas_and_comments(*, consultation_id: int, theme_id: int | None):
    """The ideas and comments a draft may quote: published, of the theme (or consultation),
    their authors neither gone nor unnamed (`post_may_be_quoted`), in a fixed order."""
    ideas = Idea.objects.published().filter(consultation_id=consultation_id)
    if theme_id is not None:
        ideas = ideas.filter(themes__id=theme_id)
    return _quotable(ideas)


def quotable_for_place_priority(priority_id: int):
    """What a Place priority's draft may quote: as `quotable_ideas_and_comments`, from the
    PCN themes behind the priority (`loop.themes_behind_place_priorities`), each idea once."""
    themes = themes_behind_place_priorities([priority_id]).values("pk")
    return _quotable(Idea.objects.published().filter(themes__in=themes).distinct())


def _quotable(ideas):
    ideas = [idea for idea in ideas.order_by("pk") if post_may_be_quoted(idea)]
    comments = Comment.objects.filter(
        idea__in=[idea.pk for idea in ideas], status=PostStatus.PUBLISHED
    ).order_by("pk")
    return ideas, [comment for comment in comments if post_may_be_quoted(comment)]


def may_quote(text: str) -> bool:
    """Never a span with personal data in it, nor one the safety net took personal data out
    of (the "[... removed]" mark is not a resident's words)."""
    return not _REMOVED_MARK.search(text) and not check_text(text).has_personal_data


def _draft(draft: SummaryDraft | PlacePriorityDraft) -> None:
    if isinstance(draft, PlacePriorityDraft):
        ideas, comments = quotable_for_place_priority(draft.priority_id)
        Point = PlacePriorityPoint
    else:
        ideas, comments = quotable_ideas_and_comments(
            consultation_id=draft.consultation_id, theme_id=draft.theme_id
        )
        Point = SummaryPoint
    Field = Point.Field
    sources = []
    for idea in ideas:
        sources.append(draft_source((Field.TITLE, idea.pk), ("idea", idea.pk), idea.title))
        sources.append(draft_source((Field.BODY, idea.pk), ("idea", idea.pk), idea.body))
    for comment in comments:
        sources.append(
            draft_source((Field.COMMENT, comment.pk), ("comment", comment.pk), comment.body)
        )
    comment_ideas = {comment.pk: comment.idea_id for comment in comments}
    with threadpool_limits(limits=1):
        result = draft_points(sources, accept=may_quote)

    draft.points.all().delete()  # anything left by an earlier, failed attempt
    points = []
    for order, point in enumerate(result.points):
        field, post_id = point.key
        points.append(
            Point(
                draft=draft,
                idea_id=comment_ideas[post_id] if field == Field.COMMENT else post_id,
                comment_id=post_id if field == Field.COMMENT else None,
                field=field,
                start=point.start,
                end=point.end,
                drafted_start=point.start,
                drafted_end=point.end,
                text=point.text,
                represents=point.represents,
                sort_order=order,
            )
        )
    # Every point is exactly the words of its post, or none is saved.
    ideas_by_id = {idea.pk: idea for idea in ideas}
    comments_by_id = {comment.pk: comment for comment in comments}
    for point in points:
        if point.field == Field.COMMENT:
            source = comments_by_id[point.comment_id].body
        else:
            source = getattr(ideas_by_id[point.idea_id], point.field)
        if source[point.start : point.end] != point.text:
            raise AssertionError(f"A point is not the words of its post: {point.text!r}")
    Point.objects.bulk_create(points)
    draft.status = draft.Status.READY
    draft.usable_posts = result.usable_posts
    draft.unrepresented_posts = result.unrepresented
    draft.message = result.message
    draft.error = ""
    draft.finished_at = timezone.now()
    draft.save(
        update_fields=[
            "status",
            "usable_posts",
            "unrepresented_posts",
            "message",
            "error",
            "finished_at",
        ]
    )


# Roll-up snapshots


@task()
def refresh_rollup(kind: str, organisation_id: int, parameters: str = "") -> None:
    """Work out a Place's or an ICS's screen's figures and store them over the older ones
    (`consultations.snapshots.snapshot_refresh`): running it twice stores the figures twice,
    in one row."""
    snapshot_refresh(kind=kind, organisation_id=organisation_id, parameters=parameters)
