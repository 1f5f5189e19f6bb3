"""Suggested themes: a moderator asks, the server proposes, the moderator decides.

A moderator requests a `SuggestionRun`; a background task (`consultations.tasks`) groups the
consultation's published ideas by the words they share (`consultations.clustering`) and
stores each group as a `ThemeSuggestion`. The moderator then accepts a suggestion (it
becomes a `Theme` with its ideas, under the name they chose) or discards it. Nothing
leaves the server, and nothing becomes a theme without a moderator's say.
"""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from wagtail.log_actions import log

from consultations import loop, permissions
from consultations.models import (
    ConsultationPage,
    IdeaTheme,
    PlacePriorityLink,
    PostStatus,
    SuggestionRun,
    Theme,
    ThemeSuggestion,
)
from consultations.tasks import suggest_themes_for_run
from engage.text import plain_text
from home.models import HomePage


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


# A Place's themes that may be about the same thing


@dataclass
class SimilarThemes:
    """Two themes of different PCNs of a Place whose words are alike; a person decides."""

    cited: Theme | None  # the one the priority cites already, if either
    theme: Theme  # the one it might cite too
    other: Theme | None  # with `cited` None: the other of the pair
    score: float


PLACE_SUGGESTIONS_SHOWN = 10


def place_theme_suggestions(*, priority, themes) -> list[SimilarThemes]:
    """Themes of different PCNs of the priority's Place that may be about the same thing,
    by TF-IDF similarity of their names, summaries and published ideas' titles
    (`clustering.similar_documents`, on the server).

    `themes` are those the place lead may cite (the Place's PCNs' public ones). Pairs with
    a theme the priority cites come first, offering the other; without one cited, the most
    alike pairs of all. Nothing is linked here: a place lead confirms each one.
    """
    themes = {theme.pk: theme for theme in themes.select_related("consultation")}
    if len(themes) < 2:
        return []
    titles: dict[int, list[str]] = {}
    for theme_id, title in IdeaTheme.objects.filter(
        theme_id__in=themes, idea__status=PostStatus.PUBLISHED
    ).values_list("theme_id", "idea__title"):
        titles.setdefault(theme_id, []).append(title)
    homes = dict(
        HomePage.objects.filter(pcn__place_id=priority.page.place_id).values_list("path", "pcn_id")
    )
    groups = {}
    for pk, theme in themes.items():
        path = theme.consultation.path
        groups[pk] = next(
            (homes[path[:n]] for n in range(4, len(path) + 1, 4) if path[:n] in homes), None
        )
    documents = [
        (pk, " ".join([theme.name, theme.summary, *titles.get(pk, [])]))
        for pk, theme in themes.items()
    ]
    # Here, not at the top: scikit-learn (with numpy and SciPy) is imported only when a place
    # lead opens this screen, so no other request of a web worker ever loads it (issue #19).
    from consultations import clustering

    pairs = clustering.similar_documents(documents, groups=groups)
    cited = set(priority.links.filter(theme__isnull=False).values_list("theme_id", flat=True))
    found = []
    for first, second, score in pairs:
        if first in cited and second in cited:
            continue
        if first in cited or second in cited:
            known, other = (first, second) if first in cited else (second, first)
            found.append(SimilarThemes(themes[known], themes[other], None, score))
        elif not cited:
            found.append(SimilarThemes(None, themes[first], themes[second], score))
    return found[:PLACE_SUGGESTIONS_SHOWN]


# A system's Place priorities that may be about the same thing as an ICS priority


@dataclass
class SimilarPlacePriority:
    """A Place priority whose words are alike an ICS priority's; an ICS lead decides."""

    place_priority: object  # a PlacePriority, with its page's place selected
    score: float


ICS_SUGGESTIONS_SHOWN = 10


def ics_place_priority_suggestions(*, priority, place_priorities) -> list[SimilarPlacePriority]:
    """Place priorities of the ICS's Places that may be about the same thing as the ICS
    `priority`, by TF-IDF similarity (`clustering.similar_documents`, on the server), most
    alike first, leaving out those it cites already.

    `place_priorities` are those the ICS lead may cite (`viewsets.systems.forms`). A Place
    priority's words are its title, description and the names of the PCN themes (of public
    consultations) and PCN priorities (of live visions) it cites; the ICS priority's are its title, description and the words of the
    Place priorities it cites already, so each link confirmed sharpens the next suggestion.
    Nothing is linked here: an ICS lead confirms each one. Three queries.
    """
    candidates = {pp.pk: pp for pp in place_priorities}
    if not candidates:
        return []
    cited = set(priority.links.values_list("place_priority_id", flat=True))
    words: dict[int, list[str]] = {pk: [pp.title, pp.description] for pk, pp in candidates.items()}
    public = Q(theme__consultation__in=ConsultationPage.objects.live().public()) | Q(
        vision_priority__page__live=True
    )
    for place_priority_id, theme_name, vision_priority_title in PlacePriorityLink.objects.filter(
        public, priority_id__in=candidates
    ).values_list("priority_id", "theme__name", "vision_priority__title"):
        words[place_priority_id].append(theme_name or vision_priority_title or "")
    asked = [priority.title, priority.description]
    for pk in cited & set(candidates):
        asked += words[pk]
    # The ICS priority is document 0 (no row's primary key), alone in its group, so only
    # its pairs with a Place priority come back.
    documents = [(0, " ".join(asked))] + [
        (pk, " ".join(texts)) for pk, texts in words.items() if pk not in cited
    ]
    groups = {pk: 1 for pk, _ in documents}
    groups[0] = 0
    # Here, not at the top: scikit-learn (with numpy and SciPy) is imported only when an ICS
    # lead opens this screen, so no other request of a web worker ever loads it (issue #19).
    from consultations import clustering

    found = [
        SimilarPlacePriority(candidates[second], score)
        for first, second, score in clustering.similar_documents(documents, groups=groups)
        if first == 0
    ]
    return found[:ICS_SUGGESTIONS_SHOWN]
