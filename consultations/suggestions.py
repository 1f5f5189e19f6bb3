"""Suggested themes: a moderator asks, the server proposes, the moderator decides.

A moderator requests a `SuggestionRun`; a background task (`consultations.tasks`) groups the
consultation's published ideas by the words they share (`consultations.clustering`) and
stores each group as a `ThemeSuggestion`. The moderator then accepts a suggestion (it
becomes a `Theme` with its ideas, under the name they chose) or discards it. Nothing
leaves the server, and nothing becomes a theme without a moderator's say.
"""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.log_actions import log

from consultations import loop, permissions
from consultations.models import (
    ConsultationPage,
    PostStatus,
    SuggestionRun,
    Theme,
    ThemeSuggestion,
)
from consultations.tasks import suggest_themes_for_run
from engage.text import plain_text


def _require_moderator(user, consultation: ConsultationPage) -> None:
    if not permissions.can_moderate(user, consultation):
        raise PermissionDenied("You do not moderate this consultation.")


@transaction.atomic
def suggestion_run_request(*, consultation: ConsultationPage, user) -> SuggestionRun:
    """Queue a run that suggests themes for the consultation's published ideas."""
    _require_moderator(user, consultation)
    run = SuggestionRun.objects.create(consultation=consultation, requested_by=user)
    transaction.on_commit(partial(suggest_themes_for_run.enqueue, run.pk))
    return run


def _check_proposed(suggestion: ThemeSuggestion) -> None:
    if suggestion.status != ThemeSuggestion.Status.PROPOSED:
        raise ValidationError(
            f"This suggestion has already been {suggestion.get_status_display().lower()}."
        )


@transaction.atomic
def suggestion_accept(*, suggestion: ThemeSuggestion, user, name: str | None = None) -> Theme:
    """Make the suggestion a theme, named `name` (or as suggested), with its published ideas.

    Ideas hidden or withdrawn since the run are left out.
    """
    consultation = suggestion.run.consultation
    _require_moderator(user, consultation)
    suggestion = ThemeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    _check_proposed(suggestion)
    name = plain_text(suggestion.name if name is None else name, single_line=True)
    if not name:
        raise ValidationError({"name": "Enter a name for the theme"})
    if Theme.objects.filter(consultation=consultation, name__iexact=name).exists():
        raise ValidationError({"name": "A theme with this name already exists"})
    theme = Theme(consultation=consultation, name=name)
    theme.full_clean()
    theme.save()
    ideas = list(suggestion.ideas.filter(consultation=consultation, status=PostStatus.PUBLISHED))
    theme.ideas.add(*ideas)
    suggestion.status = ThemeSuggestion.Status.ACCEPTED
    suggestion.save(update_fields=["status"])
    log(
        instance=theme,
        action="wagtail.create",
        user=user,
        data={"suggestion": suggestion.pk, "ideas": [idea.pk for idea in ideas]},
    )
    loop.theme_step_notices_create(theme=theme, idea_ids=[idea.pk for idea in ideas])
    return theme


@transaction.atomic
def suggestion_discard(*, suggestion: ThemeSuggestion, user) -> ThemeSuggestion:
    """Set a suggestion aside; its ideas are untouched."""
    _require_moderator(user, suggestion.run.consultation)
    suggestion = ThemeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    _check_proposed(suggestion)
    suggestion.status = ThemeSuggestion.Status.DISCARDED
    suggestion.save(update_fields=["status"])
    return suggestion
