"""What the open data API reads: published content only, each list in a fixed number of queries.

"Published" means what a visitor may read on the sites: live pages with no view restriction
on them or above them (Wagtail's `.public()`: never a private or group-restricted
consultation), and of residents' posts only the published ones, as counts (no text, no
names). Every page is placed in its PCN by its path (`pcns_of_pages`), one query for a list.
"""

from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import Coalesce

from consultations.loop import accountability_of_pcns, ics_accountability, place_accountability
from consultations.models import (
    ActionStatus,
    ConsultationPage,
    PostStatus,
    Theme,
    UpdateAction,
    UpdatePage,
)
from home.models import HomePage, PrimaryCareNetwork, VisionPage, VisionPriority

STEPLEN = 4  # django-treebeard's path step: a page's ancestors are its path's prefixes


def public_consultations():
    return ConsultationPage.objects.live().public()


def public_updates():
    return UpdatePage.objects.live().public()


def public_visions():
    return VisionPage.objects.live().public()


def pcns_of_pages(pages) -> dict[int, PrimaryCareNetwork]:
    """The PCN of each page (by id), from the home pages above them: one query."""
    pages = list(pages)
    prefixes = {
        page.path[:end] for page in pages for end in range(STEPLEN, len(page.path) + 1, STEPLEN)
    }
    if not prefixes:
        return {}
    homes = {
        home.path: home.pcn
        for home in HomePage.objects.filter(path__in=prefixes).select_related("pcn")
    }
    found = {}
    for page in pages:
        for end in range(len(page.path), 0, -STEPLEN):
            pcn = homes.get(page.path[:end])
            if pcn is not None:
                found[page.pk] = pcn
                break
    return found


def consultation_list():
    """Live, public consultations with counts of their published ideas, and of the
    comments and supports those ideas have (the counters the sites show)."""
    published = Q(ideas__status=PostStatus.PUBLISHED)
    return public_consultations().annotate(
        published_idea_count=Count("ideas", filter=published),
        published_comment_count=Coalesce(Sum("ideas__comment_count", filter=published), 0),
        support_count=Coalesce(Sum("ideas__support_count", filter=published), 0),
    )


def theme_list():
    """Themes of live, public consultations, with how many published ideas each holds; the
    priority only when its vision page is live and public."""
    return (
        Theme.objects.filter(consultation__in=public_consultations())
        .select_related("consultation")
        .annotate(
            published_idea_count=Count(
                "ideas", filter=Q(ideas__status=PostStatus.PUBLISHED), distinct=True
            ),
            public_priority=Exists(
                VisionPriority.objects.filter(pk=OuterRef("priority_id"), page__in=public_visions())
            ),
        )
    )


def priority_list():
    """Priorities of live, public visions, with how many public themes feed each and how
    many public updates act on it."""
    return (
        VisionPriority.objects.filter(page__in=public_visions())
        .select_related("page")
        .annotate(
            theme_count=Count(
                "themes",
                filter=Q(themes__consultation__in=public_consultations()),
                distinct=True,
            ),
            update_count=Count("updates", filter=Q(updates__in=public_updates()), distinct=True),
        )
    )


def _overall_status_annotations():
    """Counts of an update's actions by status, to filter on `UpdatePage.overall_status`."""
    return {
        "action_total": Count("actions", distinct=True),
        "action_done": Count("actions", filter=Q(actions__status=ActionStatus.DONE), distinct=True),
        "action_not_possible": Count(
            "actions", filter=Q(actions__status=ActionStatus.NOT_POSSIBLE), distinct=True
        ),
        "action_in_progress": Count(
            "actions", filter=Q(actions__status=ActionStatus.IN_PROGRESS), distinct=True
        ),
    }


def overall_status_q(status: str) -> Q:
    """The updates whose overall status (`UpdatePage.overall_status`) is `status`, on a
    queryset annotated with `_overall_status_annotations`."""
    finished = Q(action_total=F("action_done") + F("action_not_possible"), action_total__gt=0)
    if status == ActionStatus.DONE:
        return finished & Q(action_done__gt=0)
    if status == ActionStatus.NOT_POSSIBLE:
        return finished & Q(action_done=0)
    if status == ActionStatus.IN_PROGRESS:
        return ~finished & (Q(action_in_progress__gt=0) | Q(action_done__gt=0))
    return Q(action_total=0) | (~finished & Q(action_in_progress=0, action_done=0))


def update_list():
    return (
        public_updates()
        .annotate(**_overall_status_annotations())
        .prefetch_related(
            Prefetch("actions", queryset=UpdateAction.objects.order_by("sort_order", "pk"))
        )
    )


def update_links(updates) -> dict:
    """For a page of updates: which of the consultations they respond to are public, and the
    public themes each answers (ids). Two queries."""
    updates = list(updates)
    public = set(
        public_consultations()
        .filter(pk__in={u.consultation_id for u in updates if u.consultation_id})
        .values_list("pk", flat=True)
    )
    themes = defaultdict(list)
    for update_id, theme_id in (
        UpdatePage.themes.through.objects.filter(
            updatepage_id__in=[update.pk for update in updates],
            theme__consultation__in=public_consultations(),
        )
        .order_by("theme_id")
        .values_list("updatepage_id", "theme_id")
    ):
        themes[update_id].append(theme_id)
    return {"consultations": public, "themes": themes}


def public_priority_ids(priority_ids) -> set[int]:
    """Which of these priorities stand on a live, public vision page: one query."""
    priority_ids = {pk for pk in priority_ids if pk}
    if not priority_ids:
        return set()
    return set(
        VisionPriority.objects.filter(pk__in=priority_ids, page__in=public_visions()).values_list(
            "pk", flat=True
        )
    )


# Accountability, for many PCNs, Places or ICSs at once: `consultations.loop`'s, which the
# Place and ICS vision pages read too.


def accountability_of_places(places) -> dict:
    """`consultations.loop.place_accountability` for a page of Places: five queries."""
    return place_accountability(places=list(places))


def accountability_of_systems(systems) -> dict:
    """`consultations.loop.ics_accountability` for a page of integrated care systems."""
    return ics_accountability(systems=list(systems))


__all__ = ["accountability_of_pcns", "accountability_of_places", "accountability_of_systems"]
