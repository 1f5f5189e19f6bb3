"""Background work for consultations: suggested themes.

Tasks take primary keys, are enqueued after commit (see `consultations.suggestions`), and
are safe to run twice.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from threadpoolctl import threadpool_limits

from consultations.models import Idea, SuggestionRun, ThemeSuggestion

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
