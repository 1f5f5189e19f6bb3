"""Each idea's journey, as its page and "Your contributions" show it: the stages from
sent to acted on, at the PCN, at the Place and at the integrated care system."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Prefetch, Q

from consultations.models import (
    IcsUpdatePage,
    IdeaTheme,
    PlaceUpdatePage,
    PlaceVisionPage,
    PostStatus,
    Theme,
    UpdateAction,
    UpdateIdea,
    UpdatePage,
)

# Each idea's journey


@dataclass
class Stage:
    name: str
    done: bool
    when: datetime | None = None
    details: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, url)


def _live_updates_for(theme_ids, idea_ids, *, with_targets: bool = True):
    """Live updates that answer any of these themes or ideas; `with_targets` also reads
    which themes and ideas each answers (not needed for one idea: all of them answer it)."""
    updates = (
        UpdatePage.objects.live()
        .public()
        .filter(Q(themes__in=theme_ids) | Q(answered_ideas__idea__in=idea_ids))
        .distinct()
        .prefetch_related(
            Prefetch("actions", queryset=UpdateAction.objects.order_by("sort_order")),
        )
        .order_by("first_published_at")
    )
    if with_targets:
        updates = updates.prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("pk")),
            Prefetch("answered_ideas", queryset=UpdateIdea.objects.only("page_id", "idea_id")),
        )
    return updates


def idea_journeys(ideas) -> dict[int, list[Stage]]:
    """The journey of each idea: submitted → published → themed → priority → acted on,
    and acted on by the Place when a Place's update acts on a priority citing its theme
    (or the PCN priority its theme feeds), and by the integrated care system when an ICS's
    update acts on a priority citing such a Place priority.

    Works on a list of ideas in seven queries, whatever its length; in four for one idea
    whose `placements` are read already (`selectors.idea_placements_read`); two fewer for ideas
    in no theme.
    """
    ideas = list(ideas)
    ids = [idea.pk for idea in ideas]
    placements: dict[int, list[IdeaTheme]] = {}
    if all(hasattr(idea, "placements") for idea in ideas):
        placements = {idea.pk: idea.placements for idea in ideas}
    else:
        queryset = IdeaTheme.objects.filter(idea_id__in=ids).select_related("theme__priority")
        for placement in queryset:
            placements.setdefault(placement.idea_id, []).append(placement)
    theme_ids = {p.theme_id for items in placements.values() for p in items}
    one_idea = len(ideas) == 1
    updates = list(_live_updates_for(theme_ids, ids, with_targets=not one_idea))
    place_updates = _place_updates_for(placements)
    ics_updates = _ics_updates_for(placements)
    journeys = {}
    for idea in ideas:
        mine = placements.get(idea.pk, [])
        my_themes = {p.theme_id for p in mine}
        acting = [
            update
            for update in updates
            if one_idea
            or my_themes & {t.pk for t in update.themes.all()}
            or idea.pk in {link.idea_id for link in update.answered_ideas.all()}
        ]
        priorities = {p.theme.priority for p in mine if p.theme.priority_id}
        if idea.is_offline:
            # Sent on paper, by phone or at a meeting: typed up and published for them.
            submitted = Stage(f"Submitted {idea.channel_phrase}", True, idea.created_at)
            published_details = ["Typed up and published for the resident by the PCN"]
        else:
            submitted = Stage("Submitted", True, idea.created_at)
            published_details = []
        if idea.status == PostStatus.PENDING:
            published_details = ["Waiting for a moderator"]
        journeys[idea.pk] = [
            submitted,
            Stage(
                "Published",
                idea.status == PostStatus.PUBLISHED or idea.published_at is not None,
                idea.published_at,
                published_details,
            ),
            Stage(
                "Grouped into a theme",
                bool(mine),
                min((p.added_at for p in mine), default=None),
                [p.theme.name for p in mine],
            ),
            Stage(
                "Fed into a priority of our shared vision",
                bool(priorities),
                None,
                sorted(priority.title for priority in priorities),
            ),
            Stage(
                "Acted on",
                bool(acting),
                acting[0].first_published_at if acting else None,
                [
                    f"{update.title}: "
                    + ", ".join(
                        f"{a.description} ({a.get_status_display().lower()})"
                        for a in update.actions.all()
                    )
                    for update in acting
                ],
                [(update.title, update.url) for update in acting],
            ),
        ]
        by_place = [
            update
            for update, (cited_themes, cited_priorities) in place_updates
            if my_themes & cited_themes
            or {p.theme.priority_id for p in mine if p.theme.priority_id} & cited_priorities
        ]
        if by_place:
            journeys[idea.pk].append(
                Stage(
                    "Acted on by the Place",
                    True,
                    by_place[0].first_published_at,
                    [
                        f"{update.place.name} Place acted on this: {update.title}"
                        for update in by_place
                    ],
                    [(update.title, update.url) for update in by_place],
                )
            )
        by_ics = [
            update
            for update, (cited_themes, cited_priorities) in ics_updates
            if my_themes & cited_themes
            or {p.theme.priority_id for p in mine if p.theme.priority_id} & cited_priorities
        ]
        if by_ics:
            journeys[idea.pk].append(
                Stage(
                    "Acted on by the integrated care system",
                    True,
                    by_ics[0].first_published_at,
                    [f"{update.ics.name} acted on it: {update.title}" for update in by_ics],
                    [(update.title, update.url) for update in by_ics],
                )
            )
    return journeys


def _place_updates_for(placements) -> list[tuple[PlaceUpdatePage, tuple[set, set]]]:
    """Live, public Place updates acting on a Place priority that cites one of these
    placements' themes, or the PCN priority one of them feeds: each with (the theme ids,
    the PCN priority ids) its priorities cite. One query, none for ideas in no theme."""
    theme_ids = {p.theme_id for items in placements.values() for p in items}
    vision_ids = {
        p.theme.priority_id for items in placements.values() for p in items if p.theme.priority_id
    }
    if not theme_ids:
        return []
    found: dict[int, tuple[PlaceUpdatePage, tuple[set, set]]] = {}
    for update in (
        PlaceUpdatePage.objects.live()
        .public()
        .filter(
            Q(priorities__links__theme_id__in=theme_ids)
            | Q(priorities__links__vision_priority_id__in=vision_ids)
        )
        .select_related("place")
        .annotate(
            cited_theme=F("priorities__links__theme_id"),
            cited_priority=F("priorities__links__vision_priority_id"),
        )
        .order_by("first_published_at", "pk")
    ):
        _, (themes, priorities) = found.setdefault(update.pk, (update, (set(), set())))
        if update.cited_theme:
            themes.add(update.cited_theme)
        if update.cited_priority:
            priorities.add(update.cited_priority)
    return list(found.values())


def _ics_updates_for(placements) -> list[tuple[IcsUpdatePage, tuple[set, set]]]:
    """Live, public ICS updates acting on an ICS priority that cites a Place priority (on a
    live, public Place vision) citing one of these placements' themes, or the PCN priority
    one of them feeds: each with (the theme ids, the PCN priority ids) behind it. One
    query, none for ideas in no theme."""
    theme_ids = {p.theme_id for items in placements.values() for p in items}
    vision_ids = {
        p.theme.priority_id for items in placements.values() for p in items if p.theme.priority_id
    }
    if not theme_ids:
        return []
    cites = "priorities__links__place_priority__"
    found: dict[int, tuple[IcsUpdatePage, tuple[set, set]]] = {}
    for update in (
        IcsUpdatePage.objects.live()
        .public()
        .filter(
            Q(**{f"{cites}links__theme_id__in": theme_ids})
            | Q(**{f"{cites}links__vision_priority_id__in": vision_ids}),
            **{f"{cites}page__in": PlaceVisionPage.objects.live().public()},
        )
        .select_related("ics")
        .annotate(
            cited_theme=F(f"{cites}links__theme_id"),
            cited_priority=F(f"{cites}links__vision_priority_id"),
        )
        .order_by("first_published_at", "pk")
    ):
        _, (themes, priorities) = found.setdefault(update.pk, (update, (set(), set())))
        if update.cited_theme:
            themes.add(update.cited_theme)
        if update.cited_priority:
            priorities.add(update.cited_priority)
    return list(found.values())
