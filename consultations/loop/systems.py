"""An integrated care system's decisions cascade down: the Place priorities its priorities
cite, the PCN themes behind those, and the one step each person behind an ICS's "You said,
we did" update is owed.

The chain is one level longer than a Place's: an ICS priority cites Place priorities of its
own Places (`IcsPriorityLink`, on live Place visions everyone may read), and each of those
is made of PCN themes (`places.themes_behind_place_priorities`)."""

from django.db.models import QuerySet

from consultations.loop.places import place_themes_of, themes_behind_place_priorities
from consultations.loop.steps import decision_notices_create
from consultations.models import (
    IcsPriorityLink,
    IcsUpdatePage,
    Idea,
    IdeaTheme,
    Notice,
    PlaceVisionPage,
    PostStatus,
)
from home.boundary import in_ics


def ics_citations(links: QuerySet) -> QuerySet:
    """Those of these ICS priority links (`IcsPriorityLink`) that cite a Place priority on a
    live Place vision everyone may read: a link to a Place vision since unpublished, or
    made private, cites nothing."""
    return links.filter(place_priority__page__in=PlaceVisionPage.objects.live().public())


def ics_links(priority_ids) -> QuerySet:
    """The citing links of these ICS priorities (`ics_citations`)."""
    return ics_citations(IcsPriorityLink.objects.filter(priority_id__in=list(priority_ids)))


def ics_update_ideas(update: IcsUpdatePage) -> QuerySet:
    """Published ideas behind an ICS's update: in a PCN theme behind a Place priority cited
    by one of the ICS priorities it acts on, of the ICS's own PCNs only
    (`home.boundary.in_ics`). Pending, hidden and withdrawn ideas are never behind
    anything."""
    priority_ids = [priority.pk for priority in update.priorities.all()]
    place_priority_ids = ics_links(priority_ids).values("place_priority_id")
    themes = in_ics(themes_behind_place_priorities(place_priority_ids), update.ics)
    return Idea.objects.filter(
        status=PostStatus.PUBLISHED,
        pk__in=IdeaTheme.objects.filter(theme__in=themes).values("idea_id"),
    )


def ics_update_notices_create(*, update: IcsUpdatePage) -> list[int]:
    """Owe each person behind an ICS's update one step (`steps.decision_notices_create`):
    once per person and update, however many of their ideas it reaches, and never again
    when it is republished or edited. Returns the ids of the new notices sent by email."""
    if not update.live:
        return []
    return decision_notices_create(
        ideas=ics_update_ideas(update),
        field="ics_update",
        update=update,
        kind=Notice.Kind.ICS,
    )


def ics_themes_of(priority_ids) -> dict[int, set[int]]:
    """{ICS priority id: the ids of the PCN themes behind the Place priorities it cites}.
    Two queries, however many priorities, links and themes."""
    cited: dict[int, set[int]] = {}  # Place priority id -> ICS priority ids citing it
    for priority_id, place_priority_id in ics_links(priority_ids).values_list(
        "priority_id", "place_priority_id"
    ):
        cited.setdefault(place_priority_id, set()).add(priority_id)
    behind: dict[int, set[int]] = {}
    if not cited:
        return behind
    for place_priority_id, theme_ids in place_themes_of(cited).items():
        for priority_id in cited[place_priority_id]:
            behind.setdefault(priority_id, set()).update(theme_ids)
    return behind
