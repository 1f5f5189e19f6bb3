"""What an integrated care system's vision page shows: each ICS priority with the Place
priorities it cites and, through them, the PCN themes behind it: "heard in N of M PCNs, in
P of Q Places, K contributions". A fixed number of queries, however many Places, PCNs,
priorities, themes, ideas and comments."""

from dataclasses import dataclass, field
from datetime import datetime

from consultations.loop import Accountability, decision_record
from consultations.loop.places import place_citations
from consultations.loop.systems import ics_citations
from consultations.models import (
    IcsPriorityLink,
    IdeaTheme,
    PlacePriorityLink,
    PostStatus,
    Theme,
)
from consultations.selectors import pcn_by_path
from home.models import HomePage


@dataclass
class HeardIcsPriority:
    priority: object
    place_priorities: list = field(default_factory=list)  # PlacePriority, each with .place
    pcn_count: int = 0  # N: PCNs whose residents' words are behind it
    ics_pcn_count: int = 0  # M: the ICS's PCNs
    place_count: int = 0  # P: Places whose priorities it cites
    ics_place_count: int = 0  # Q: the ICS's Places
    contributions: int = 0  # K: published ideas in the themes behind it, with their comments
    theme_ids: set = field(default_factory=set)  # the PCN themes behind it (public ones)
    first_cited: datetime | None = None  # when it first cited a Place priority

    @property
    def title(self):
        return self.priority.title

    @property
    def description(self):
        return self.priority.description


def ics_homes(ics_id: int) -> list:
    """The home pages of the ICS's PCNs, each with its PCN and Place, in one query."""
    return list(
        HomePage.objects.filter(pcn__place__integrated_care_system_id=ics_id)
        .select_related("pcn__place")
        .order_by("pcn__place__name", "pcn__name")
    )


def ics_vision_heard(*, page, homes=None) -> list[HeardIcsPriority]:
    """Each priority of an ICS's vision with the Place priorities it cites (on live Place
    visions everyone may read) and how widely what is behind them was heard, in five
    queries (and the request's view restrictions) given the ICS's `homes` (`ics_homes`).

    The PCN themes behind an ICS priority are those behind the Place priorities it cites
    (`loop.themes_behind_place_priorities`' chain, public consultations only). N counts the
    PCNs those themes come from, P the Places it cites, K the published ideas in those
    themes (each once) and their published comments."""
    if homes is None:
        homes = ics_homes(page.ics_id)
    pcn_of_path = {home.path: home.pcn for home in homes}
    places = {home.pcn.place_id for home in homes}
    priorities = {p.pk: HeardIcsPriority(priority=p) for p in page.priorities.all()}
    cited: dict[int, list[int]] = {}  # Place priority id -> ICS priority ids citing it
    for link in (
        ics_citations(IcsPriorityLink.objects.filter(priority__page=page))
        .select_related("place_priority__page__place")
        .order_by("confirmed_at", "pk")
    ):
        heard = priorities.get(link.priority_id)
        if heard is None:
            continue
        place_priority = link.place_priority
        place_priority.place = place_priority.page.place
        heard.place_priorities.append(place_priority)
        if heard.first_cited is None or link.confirmed_at < heard.first_cited:
            heard.first_cited = link.confirmed_at
        cited.setdefault(place_priority.pk, []).append(link.priority_id)
    themes_of: dict[int, set[int]] = {pk: set() for pk in priorities}
    for place_priority_id, _, theme_id, _ in place_citations(
        PlacePriorityLink.objects.filter(priority_id__in=list(cited))
    ):
        for priority_id in cited[place_priority_id]:
            themes_of[priority_id].add(theme_id)
    all_themes = {theme_id for themes in themes_of.values() for theme_id in themes}
    pcn_of_theme = {}
    for theme_id, path in Theme.objects.filter(pk__in=all_themes).values_list(
        "pk", "consultation__path"
    ):
        pcn = pcn_by_path(pcn_of_path, path)
        if pcn is not None:
            pcn_of_theme[theme_id] = pcn.pk
    ideas_of: dict[int, list[tuple[int, int]]] = {}
    for theme_id, idea_id, comments in IdeaTheme.objects.filter(
        theme_id__in=list(pcn_of_theme), idea__status=PostStatus.PUBLISHED
    ).values_list("theme_id", "idea_id", "idea__comment_count"):
        ideas_of.setdefault(theme_id, []).append((idea_id, comments))
    pcn_count = len({home.pcn_id for home in homes})
    for priority_id, heard in priorities.items():
        heard.theme_ids = themes_of[priority_id]
        themes = [theme_id for theme_id in themes_of[priority_id] if theme_id in pcn_of_theme]
        heard.pcn_count = len({pcn_of_theme[theme_id] for theme_id in themes})
        heard.ics_pcn_count = pcn_count
        heard.place_count = len({p.place.pk for p in heard.place_priorities})
        heard.ics_place_count = len(places)
        ideas = dict(pair for theme_id in themes for pair in ideas_of.get(theme_id, []))
        heard.contributions = len(ideas) + sum(ideas.values())
    return list(priorities.values())


def ics_page_record(*, heard: list[HeardIcsPriority], updates) -> Accountability:
    """The ICS's own record (`loop.ics_accountability`'s figures) from what its vision page
    has read already: its priorities as heard (`ics_vision_heard`) and its live, public
    updates, each with `action_count` and `actions_done` and its priorities read. No
    queries."""
    acted: dict[int, datetime] = {}  # ICS priority id -> first update acting on it
    for update in updates:
        for priority in update.priorities.all():
            first = acted.get(priority.pk)
            if update.first_published_at and (first is None or update.first_published_at < first):
                acted[priority.pk] = update.first_published_at
    return decision_record(
        themes_of={item.priority.pk: item.theme_ids for item in heard},
        cited_at={item.priority.pk: item.first_cited for item in heard if item.first_cited},
        acted=acted,
        actions=sum(update.action_count for update in updates),
        actions_done=sum(update.actions_done for update in updates),
    )
