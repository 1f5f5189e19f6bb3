"""The record: themes answered, days to respond, actions done, outreach; for one PCN,
for many PCNs at once, and for a Place's and an integrated care system's own decisions."""

import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum

from consultations.loop.places import place_citations, place_themes_of
from consultations.loop.systems import ics_citations
from consultations.models import (
    ActionStatus,
    ConsultationPage,
    IcsPriorityLink,
    IcsUpdateAction,
    IcsUpdatePage,
    OutreachAction,
    PlacePriorityLink,
    PlaceUpdateAction,
    PlaceUpdatePage,
    Theme,
    UpdateAction,
    UpdatePage,
)
from home.models import HomePage

# The PCN's record


@dataclass
class Accountability:
    themes: int
    themes_answered: int
    median_days_to_response: float | None
    actions: int
    actions_done: int
    # What the PCN did to hear from groups it was not hearing from. Counts of activities
    # (sessions) and of the contributions they brought in, not of people: no answer about
    # anyone is behind them, so small-number suppression does not apply to them.
    outreach_sessions: int = 0
    outreach_contributions: int = 0

    @property
    def themes_answered_percent(self) -> int | None:
        return round(100 * self.themes_answered / self.themes) if self.themes else None

    @property
    def actions_done_percent(self) -> int | None:
        return round(100 * self.actions_done / self.actions) if self.actions else None


def accountability(*, home) -> Accountability:
    """Share of themes with a published response, median days from close to response,
    share of actions done, and the outreach sessions held and the contributions they
    brought in, for one PCN's site."""
    # What everyone may read: a private consultation or update (a view restriction) adds
    # nothing to the public figures.
    consultations = ConsultationPage.objects.live().public().descendant_of(home)
    live_updates = UpdatePage.objects.live().public().descendant_of(home)
    themes = Theme.objects.filter(consultation__in=consultations)
    answered = themes.filter(updates__in=live_updates).distinct().count()
    first_responses = (
        live_updates.filter(consultation__in=consultations)
        .order_by()  # page querysets sort by tree path, which would split the groups
        .values("consultation_id", "consultation__closes_at")
        .annotate(first=Min("first_published_at"))
    )
    # A response published before the consultation closed counts as a same-day response.
    days = [
        max(0, (row["first"] - row["consultation__closes_at"]).days)
        for row in first_responses
        if row["first"]
    ]
    actions = UpdateAction.objects.filter(page__in=live_updates).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=ActionStatus.DONE))
    )
    outreach = OutreachAction.objects.filter(consultation__in=consultations).aggregate(
        sessions=Count("pk"), contributions=Sum("contributions")
    )
    return Accountability(
        themes=themes.count(),
        themes_answered=answered,
        median_days_to_response=statistics.median(days) if days else None,
        actions=actions["total"],
        actions_done=actions["done"],
        outreach_sessions=outreach["sessions"],
        outreach_contributions=outreach["contributions"] or 0,
    )


# A Place's record


def place_accountability(*, places) -> dict[int, Accountability]:
    """Each Place's record (by id), for its own "You said, we did" updates, in the PCNs'
    terms (`accountability`): of the PCN themes its live vision's priorities cite (from
    public consultations, directly or through a PCN priority), how many stand behind a
    priority a live, public Place update acts on; the median days from a priority's first
    citation to the first update acting on it (0 if the same day); and its updates'
    actions done. Three queries (and the request's view restrictions), however many Places,
    PCNs, priorities, themes and updates."""
    place_ids = [place.pk for place in places]
    updates = PlaceUpdatePage.objects.live().public().filter(place_id__in=place_ids)
    acted: dict[int, object] = {}  # Place priority id -> first update's publication
    place_of_priority: dict[int, int] = {}
    for priority_id, first in (
        PlaceUpdatePage.priorities.through.objects.filter(placeupdatepage__in=updates)
        .values("placepriority_id")
        .annotate(first=Min("placeupdatepage__first_published_at"))
        .values_list("placepriority_id", "first")
    ):
        acted[priority_id] = first
    priorities: dict[int, object] = {}  # Place priority id -> its first citation
    themes: dict[int, set[int]] = {}
    answered: dict[int, set[int]] = {}
    for priority_id, place_id, theme_id, cited_at in place_citations(
        PlacePriorityLink.objects.filter(
            priority__page__place_id__in=place_ids, priority__page__live=True
        )
    ):
        if priority_id not in priorities or cited_at < priorities[priority_id]:
            priorities[priority_id] = cited_at
        place_of_priority[priority_id] = place_id
        themes.setdefault(place_id, set()).add(theme_id)
        if priority_id in acted:
            answered.setdefault(place_id, set()).add(theme_id)
    days: dict[int, list[int]] = {}
    for priority_id, first in acted.items():
        if priority_id in priorities and first is not None:
            days.setdefault(place_of_priority[priority_id], []).append(
                max(0, (first - priorities[priority_id]).days)
            )
    actions = {
        row["page__place_id"]: row
        for row in PlaceUpdateAction.objects.filter(page__in=updates)
        .values("page__place_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=ActionStatus.DONE)))
    }
    return {
        place_id: Accountability(
            themes=len(themes.get(place_id, ())),
            themes_answered=len(answered.get(place_id, ())),
            median_days_to_response=(
                statistics.median(days[place_id]) if days.get(place_id) else None
            ),
            actions=actions.get(place_id, {}).get("total", 0),
            actions_done=actions.get(place_id, {}).get("done", 0),
        )
        for place_id in place_ids
    }


# An integrated care system's record


def decision_record(
    *, themes_of: dict, cited_at: dict, acted: dict, actions: int, actions_done: int
) -> Accountability:
    """The record of a level's own decisions (an integrated care system's), from its
    priorities: `themes_of` {priority id: the ids of the PCN themes behind it}, `cited_at`
    {priority id: when it first cited what is below it}, `acted` {priority id: when the
    first update acting on it was published}, and its updates' actions. Themes answered
    are those behind a priority acted on, each once; days run from a priority's first
    citation to the first update acting on it (0 if before or the same day). No queries."""
    themes = set().union(*themes_of.values())
    answered = set().union(*(themes_of.get(priority_id, set()) for priority_id in acted))
    days = [
        max(0, (first - cited_at[priority_id]).days)
        for priority_id, first in acted.items()
        if priority_id in cited_at and first is not None
    ]
    return Accountability(
        themes=len(themes),
        themes_answered=len(answered),
        median_days_to_response=statistics.median(days) if days else None,
        actions=actions,
        actions_done=actions_done,
    )


def ics_accountability(*, systems) -> dict[int, Accountability]:
    """Each integrated care system's record (by id), for its own "You said, we did" updates,
    in the Places' terms (`place_accountability`, `decision_record`): of the PCN themes
    behind the Place priorities its live vision's priorities cite (on live Place visions
    everyone may read; public consultations only), how many stand behind a priority a live,
    public ICS update acts on; the median days from a priority's first citation to the first
    update acting on it; and its updates' actions done. Four queries (and the request's
    view restrictions), however many systems, Places, PCNs, priorities, themes and
    updates."""
    ics_ids = [ics.pk for ics in systems]
    updates = IcsUpdatePage.objects.live().public().filter(ics_id__in=ics_ids)
    acted: dict[int, dict] = {}  # ICS id -> {ICS priority id: first update's publication}
    for ics_id, priority_id, first in (
        IcsUpdatePage.priorities.through.objects.filter(icsupdatepage__in=updates)
        .values("icspriority_id", "icspriority__page__ics_id")
        .annotate(first=Min("icsupdatepage__first_published_at"))
        .values_list("icspriority__page__ics_id", "icspriority_id", "first")
    ):
        acted.setdefault(ics_id, {})[priority_id] = first
    cited_at: dict[int, dict] = {}  # ICS id -> {ICS priority id: its first citation}
    ics_of_priority: dict[int, int] = {}
    citing: dict[int, set[int]] = {}  # Place priority id -> ICS priority ids citing it
    for priority_id, ics_id, place_priority_id, when in ics_citations(
        IcsPriorityLink.objects.filter(
            priority__page__ics_id__in=ics_ids, priority__page__live=True
        )
    ).values_list("priority_id", "priority__page__ics_id", "place_priority_id", "confirmed_at"):
        firsts = cited_at.setdefault(ics_id, {})
        if priority_id not in firsts or when < firsts[priority_id]:
            firsts[priority_id] = when
        ics_of_priority[priority_id] = ics_id
        citing.setdefault(place_priority_id, set()).add(priority_id)
    themes_of: dict[int, dict] = {}  # ICS id -> {ICS priority id: theme ids behind it}
    for place_priority_id, theme_ids in (place_themes_of(citing) if citing else {}).items():
        for priority_id in citing[place_priority_id]:
            behind = themes_of.setdefault(ics_of_priority[priority_id], {})
            behind.setdefault(priority_id, set()).update(theme_ids)
    actions = {
        row["page__ics_id"]: row
        for row in IcsUpdateAction.objects.filter(page__in=updates)
        .values("page__ics_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=ActionStatus.DONE)))
    }
    return {
        ics_id: decision_record(
            themes_of=themes_of.get(ics_id, {}),
            cited_at=cited_at.get(ics_id, {}),
            acted=acted.get(ics_id, {}),
            actions=actions.get(ics_id, {}).get("total", 0),
            actions_done=actions.get(ics_id, {}).get("done", 0),
        )
        for ics_id in ics_ids
    }


def accountability_of_pcns(pcns=None, *, homes=None) -> dict[int, Accountability]:
    """`consultations.loop.accountability` for each of these PCNs (by id) that has a site,
    in five queries however many PCNs, consultations, themes and updates there are (four
    given their home pages, `homes`): the same figures, each row placed in its PCN by the
    path of the PCN's home page."""
    if homes is None:
        homes = HomePage.objects.filter(pcn__in=pcns).only("path", "pcn_id")
    homes = {home.path: home.pcn_id for home in homes}
    if not homes:
        return {}
    lengths = sorted({len(path) for path in homes})

    def pcn_at(path: str) -> int | None:
        for length in lengths:
            pcn_id = homes.get(path[:length])
            if pcn_id is not None:
                return pcn_id
        return None

    below = Q()
    for path in homes:
        below |= Q(path__startswith=path)
    # What everyone may read: a private consultation or update adds nothing.
    consultations = ConsultationPage.objects.live().public().filter(below)
    updates = UpdatePage.objects.live().public().filter(below)

    themes = defaultdict(lambda: [0, 0])  # PCN id -> [themes, answered]
    for path, total, answered in (
        Theme.objects.filter(consultation__in=consultations)
        .annotate(answered=Exists(updates.filter(themes=OuterRef("pk"))))
        .order_by()
        .values("consultation__path")
        .annotate(total=Count("pk"), answered_count=Count("pk", filter=Q(answered=True)))
        .values_list("consultation__path", "total", "answered_count")
    ):
        figures = themes[pcn_at(path)]
        figures[0] += total
        figures[1] += answered

    days = defaultdict(list)  # PCN id -> days from close to first response, per consultation
    for path, closes_at, first in (
        updates.filter(consultation__in=consultations)
        .order_by()  # page querysets sort by tree path, which would split the groups
        .values("consultation_id", "consultation__path", "consultation__closes_at")
        .annotate(first=Min("first_published_at"))
        .values_list("consultation__path", "consultation__closes_at", "first")
    ):
        if first:
            # A response published before the consultation closed counts as same-day.
            days[pcn_at(path)].append(max(0, (first - closes_at).days))

    actions = defaultdict(lambda: [0, 0])  # PCN id -> [actions, done]
    for path, total, done in (
        UpdateAction.objects.filter(page__in=updates)
        .order_by()
        .values("page__path")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=ActionStatus.DONE)))
        .values_list("page__path", "total", "done")
    ):
        figures = actions[pcn_at(path)]
        figures[0] += total
        figures[1] += done

    return {
        pcn_id: Accountability(
            themes=themes[pcn_id][0],
            themes_answered=themes[pcn_id][1],
            median_days_to_response=statistics.median(days[pcn_id]) if days[pcn_id] else None,
            actions=actions[pcn_id][0],
            actions_done=actions[pcn_id][1],
        )
        for pcn_id in homes.values()
    }
