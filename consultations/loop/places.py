"""A Place's decisions cascade down: the PCN themes behind a Place priority, and the
one step each person behind a Place's "You said, we did" update is owed."""

from django.db.models import Q, QuerySet

from consultations.loop.steps import decision_notices_create
from consultations.models import (
    ConsultationPage,
    Idea,
    IdeaTheme,
    Notice,
    PlacePriorityLink,
    PlaceUpdatePage,
    PostStatus,
    Theme,
)
from home.boundary import in_place
from home.models import VisionPage

# A Place's decisions: who hears, once


def themes_behind_place_priorities(priority_ids) -> QuerySet:
    """The PCN themes behind these Place priorities: those they cite, and those that feed a
    PCN vision priority they cite (on a live, public vision page), of live consultations
    everyone may read. The chain a Place priority's "heard in N of M PCNs" counts
    (`selectors.place_vision_heard`). An ICS priority citing Place priorities reaches its
    residents through the same function, given the Place priorities it cites."""
    public = ConsultationPage.objects.live().public()
    public_visions = VisionPage.objects.live().public()
    return Theme.objects.filter(
        Q(place_links__priority_id__in=priority_ids)
        | Q(
            priority__place_links__priority_id__in=priority_ids,
            priority__page__in=public_visions,
        ),
        consultation__in=public,
    )


def place_update_ideas(update: PlaceUpdatePage):
    """Published ideas behind a Place's update: in a PCN theme behind one of the priorities
    it acts on, of the Place's own PCNs only (`home.boundary.in_place`). Pending, hidden and
    withdrawn ideas are never behind anything."""
    priority_ids = [priority.pk for priority in update.priorities.all()]
    themes = in_place(themes_behind_place_priorities(priority_ids), update.place)
    return Idea.objects.filter(
        status=PostStatus.PUBLISHED,
        pk__in=IdeaTheme.objects.filter(theme__in=themes).values("idea_id"),
    )


def place_update_notices_create(*, update: PlaceUpdatePage) -> list[int]:
    """Owe each person behind a Place's update one step (`steps.decision_notices_create`):
    once per person and update, however many of their ideas it reaches, and never again
    when it is republished or edited. Returns the ids of the new notices sent by email."""
    if not update.live:
        return []
    return decision_notices_create(
        ideas=place_update_ideas(update),
        field="place_update",
        update=update,
        kind=Notice.Kind.PLACE,
    )


def place_citations(links):
    """(Place priority id, its Place's id, PCN theme id, when cited) for each PCN theme
    behind these links (`themes_behind_place_priorities`' chain): one query."""
    public = ConsultationPage.objects.live().public()
    fields = ("priority_id", "priority__page__place_id")
    links = links.order_by()  # a part of a union takes no order
    direct = links.filter(theme__consultation__in=public).values_list(
        *fields, "theme_id", "confirmed_at"
    )
    through = links.filter(
        vision_priority__page__in=VisionPage.objects.live().public(),
        vision_priority__themes__consultation__in=public,
    ).values_list(*fields, "vision_priority__themes__id", "confirmed_at")
    return direct.union(through, all=True)


def place_themes_of(priority_ids) -> dict[int, set[int]]:
    """{Place priority id: the ids of the PCN themes behind it} (the chain of
    `themes_behind_place_priorities`). One query, however many priorities and themes."""
    behind: dict[int, set[int]] = {}
    links = PlacePriorityLink.objects.filter(priority_id__in=list(priority_ids))
    for priority_id, _, theme_id, _ in place_citations(links):
        behind.setdefault(priority_id, set()).add(theme_id)
    return behind
