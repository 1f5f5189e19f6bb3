"""The Wagtail dashboard, per role: what waits for a PPG moderator, and what waits for PCN
staff. Each figure links to the list it counts. A fixed number of queries per PCN the person
works for (one PCN, for nearly everyone), whatever the number of posts or themes.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowState

from consultations.loop import Accountability, accountability
from consultations.models import (
    Comment,
    ConsultationPage,
    Flag,
    Idea,
    PostStatus,
    SafetyHold,
    Theme,
    UpdateIndexPage,
    UpdatePage,
)
from home.boundary import in_pcn
from home.models import HomePage


def _days_since(moment: datetime | None) -> int | None:
    return (timezone.now() - moment).days if moment else None


@dataclass
class Waiting:
    """What waits for a PCN's moderators."""

    pcn_name: str
    pending_ideas: int
    pending_comments: int
    reported: int
    hidden_after_reports: int
    oldest: datetime | None
    held_urgent: int = 0
    held_personal: int = 0
    oldest_hold: datetime | None = None

    @property
    def held(self) -> int:
        return self.held_urgent + self.held_personal

    @property
    def oldest_hold_days(self) -> int | None:
        return _days_since(self.oldest_hold)

    @property
    def total(self) -> int:
        return self.pending_ideas + self.pending_comments + self.reported + self.held

    @property
    def oldest_days(self) -> int | None:
        return _days_since(self.oldest)

    @property
    def queue_url(self) -> str:
        return reverse("moderation_ideas:index")

    @property
    def pending_url(self) -> str:
        return f"{reverse('moderation_ideas:index')}?status=pending"

    @property
    def pending_comments_url(self) -> str:
        return f"{reverse('moderation_comments:index')}?status=pending"

    @property
    def reported_url(self) -> str:
        return f"{reverse('moderation_ideas:index')}?status=reported"

    @property
    def hidden_url(self) -> str:
        return f"{reverse('moderation_ideas:index')}?status=hidden"


def moderation_waiting(*, pcn) -> Waiting:
    """Posts of the PCN waiting for approval, reported posts, posts the safety check held,
    and the oldest wait: five queries."""
    ideas = in_pcn(Idea.objects.all(), pcn)
    comments = in_pcn(Comment.objects.all(), pcn)
    open_flag = Flag.objects.filter(resolved_at__isnull=True)
    idea_figures = ideas.aggregate(
        pending=Count("pk", filter=Q(status=PostStatus.PENDING)),
        oldest=Min("created_at", filter=Q(status=PostStatus.PENDING)),
    )
    comment_figures = comments.aggregate(
        pending=Count("pk", filter=Q(status=PostStatus.PENDING)),
        oldest=Min("created_at", filter=Q(status=PostStatus.PENDING)),
    )
    reported_ideas = ideas.filter(Exists(open_flag.filter(idea=OuterRef("pk")))).aggregate(
        published=Count("pk", filter=Q(status=PostStatus.PUBLISHED)),
        hidden=Count("pk", filter=Q(status=PostStatus.HIDDEN)),
    )
    reported_comments = comments.filter(Exists(open_flag.filter(comment=OuterRef("pk")))).aggregate(
        published=Count("pk", filter=Q(status=PostStatus.PUBLISHED)),
        hidden=Count("pk", filter=Q(status=PostStatus.HIDDEN)),
    )
    holds = in_pcn(SafetyHold.objects.filter(resolved_at__isnull=True), pcn).aggregate(
        held_urgent=Count("pk", filter=Q(urgent=True)),
        held_personal=Count("pk", filter=Q(urgent=False, personal_data=True)),
        oldest_hold=Min("created_at"),
    )
    oldest = [d for d in (idea_figures["oldest"], comment_figures["oldest"]) if d]
    return Waiting(
        held_urgent=holds["held_urgent"],
        held_personal=holds["held_personal"],
        oldest_hold=holds["oldest_hold"],
        pcn_name=pcn.name,
        pending_ideas=idea_figures["pending"],
        pending_comments=comment_figures["pending"],
        reported=reported_ideas["published"] + reported_comments["published"],
        hidden_after_reports=reported_ideas["hidden"] + reported_comments["hidden"],
        oldest=min(oldest) if oldest else None,
    )


@dataclass
class StaffFigures:
    """What waits for a PCN's staff, and its record."""

    pcn_name: str
    themes_waiting: int
    oldest_closed: datetime | None
    updates_in_approval: int
    record: Accountability
    updates_url: str
    charts_url: str = ""

    @property
    def days_waiting(self) -> int | None:
        return _days_since(self.oldest_closed)


def staff_figures(*, home: HomePage) -> StaffFigures:
    """Themes of closed consultations with no live update answering them (and how long the
    oldest has waited since its consultation closed), updates waiting in the approval
    workflow, and the PCN's public record."""
    live_updates = UpdatePage.objects.live().descendant_of(home)
    closed = ConsultationPage.objects.live().descendant_of(home).finished()
    waiting = (
        Theme.objects.filter(consultation__in=closed)
        .exclude(updates__in=live_updates)
        .aggregate(count=Count("pk", distinct=True), oldest=Min("consultation__closes_at"))
    )
    in_approval = (
        WorkflowState.objects.active()
        .filter(
            base_content_type__app_label="wagtailcore",
            object_id__in=[
                str(pk)
                for pk in UpdatePage.objects.descendant_of(home).values_list("pk", flat=True)
            ],
        )
        .count()
    )
    index = UpdateIndexPage.objects.child_of(home).first()
    return StaffFigures(
        pcn_name=home.pcn.name,
        themes_waiting=waiting["count"],
        oldest_closed=waiting["oldest"],
        updates_in_approval=in_approval,
        record=accountability(home=home),
        updates_url=reverse("wagtailadmin_explore", args=[index.pk])
        if index
        else reverse("wagtailadmin_explore_root"),
        charts_url=reverse("charts:pcn", args=[home.pcn_id]),
    )


class ModerationPanel(Component):
    """For PPG moderators: what waits in their PCN's moderation queue."""

    name = "engage_moderation"
    template_name = "consultations/admin/dashboard_moderation.html"
    order = 50

    def __init__(self, pcns):
        self.pcns = list(pcns)

    def get_context_data(self, parent_context=None):
        return {"waiting": [moderation_waiting(pcn=pcn) for pcn in self.pcns]}


class StaffPanel(Component):
    """For PCN staff and leads: themes waiting for an answer, updates waiting for approval,
    and the record residents see."""

    name = "engage_staff"
    template_name = "consultations/admin/dashboard_staff.html"
    order = 60

    def __init__(self, homes):
        self.homes = list(homes)

    def get_context_data(self, parent_context=None):
        return {"figures": [staff_figures(home=home) for home in self.homes]}


def dashboard_panels(user) -> list[Component]:
    """The panels for the PCNs this person moderates or works for (none for an admin with
    no PCN role: the installation's totals are not one PCN's work)."""
    if not user.is_authenticated:
        return []
    groups = user.groups.all()
    homes = HomePage.objects.select_related("pcn").order_by("title")
    moderated = [home.pcn for home in homes.filter(pcn__moderator_group__in=groups)]
    staffed = list(homes.filter(Q(pcn__staff_group__in=groups) | Q(pcn__lead_group__in=groups)))
    panels = []
    if moderated:
        panels.append(ModerationPanel(moderated))
    if staffed:
        panels.append(StaffPanel(staffed))
    return panels
