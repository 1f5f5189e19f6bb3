"""The offline contributions screens: listing, entry form, an idea's details and history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views import View
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import HistoryView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from consultations import services
from consultations.forms import apply_validation_error
from consultations.models import Channel, ReplyBy
from consultations.viewsets.offline.filters import OfflineHistoryFilterSet
from consultations.viewsets.offline.forms import OfflineIdeaForm
from consultations.viewsets.offline.policy import (
    ScopedObjectMixin,
    idea_policy,
    offline_consultations,
)
from engage.ids import parse_id

# Offline contributions


def _hears_back(idea) -> str:
    if idea.contributor is None or idea.contributor.reply_by == ReplyBy.NOTHING:
        return "No"
    return ReplyBy(idea.contributor.reply_by).label


class OfflineContributionIndexView(IndexView):
    add_item_label = "Enter a contribution"
    page_title = "Offline contributions"
    default_ordering = "-published_at"
    search_fields = ["title", "body"]
    search_backend_name = None

    def get_base_queryset(self):
        return (
            idea_policy.instances_user_has_any_permission_for(self.request.user, ["view"])
            .exclude(channel=Channel.ONLINE)
            .select_related("consultation", "neighbourhood", "contributor")
        )

    def order_queryset(self, queryset):
        return super().order_queryset(queryset).order_by(*self._ordering(), "-pk")

    def _ordering(self):
        ordering = self.ordering or self.default_ordering
        return [ordering] if isinstance(ordering, str) else list(ordering)

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label="Idea",
                sort_key="title",
                get_url=lambda idea: reverse("offline:inspect", args=[idea.pk]),
            ),
            Column("consultation", label="Consultation", accessor="consultation.title"),
            Column("channel", label="Sent", accessor="get_channel_display", sort_key="channel"),
            DateColumn("created_at", label="Received", sort_key="created_at"),
            DateColumn("published_at", label="Entered", sort_key="published_at"),
            Column("hears_back", label="Hears back", accessor=_hears_back),
        ]


class OfflineContributionCreateView(PermissionCheckedMixin, WagtailAdminTemplateMixin, View):
    """The offline entry form: the viewset's "add" view.

    A custom view, because Wagtail's create view makes the object with `form.save()`, and an
    offline contribution must be made by `services.idea_submit_on_behalf` (which sanitises,
    validates, publishes, writes the audit entry and the idea's contact details apart).
    Without `?consultation=<id>` it asks which consultation the contribution is for.
    """

    permission_policy = idea_policy
    permission_required = "add"
    header_icon = "form"
    template_name = "consultations/offline/create.html"
    choose_template_name = "consultations/offline/choose_consultation.html"
    page_title = "Enter a contribution"

    def get_breadcrumbs_items(self):
        items = [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("offline:index"), "label": "Offline contributions"},
        ]
        if getattr(self, "consultation", None) is None:
            return [*items, {"url": "", "label": self.page_title}]
        return [
            *items,
            {"url": reverse("offline:add"), "label": self.page_title},
            {"url": "", "label": self.consultation.title},
        ]

    def get_page_title(self):
        if getattr(self, "consultation", None) is None:
            return self.page_title
        return f"Enter a contribution: {self.consultation.title}"

    def load(self, request) -> bool:
        """Find the consultation asked for; False when none was asked for."""
        self.consultations = offline_consultations(request.user)
        self.consultation = None
        if "consultation" not in request.GET:
            return False
        pk = parse_id(request.GET["consultation"])
        if pk is None:
            raise Http404
        # Another PCN's consultation, or one that no longer takes entries: not found.
        self.consultation = get_object_or_404(self.consultations, pk=pk)
        return True

    def form(self, data=None):
        return OfflineIdeaForm(
            data,
            consultations=self.consultations,
            consultation=self.consultation,
            initial={"consultation": self.consultation.pk, "reply_by": ReplyBy.NOTHING},
        )

    def get(self, request):
        if not self.load(request):
            self.template_name = self.choose_template_name
            return self.render_to_response(
                self.get_context_data(
                    consultations=self.consultations.order_by("-closes_at", "title")
                )
            )
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request):
        if not self.load(request):
            raise Http404
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                idea = services.idea_submit_on_behalf(
                    consultation=data["consultation"],
                    entered_by=request.user,
                    channel=data["channel"],
                    received_on=data["received_on"],
                    title=data["title"],
                    body=data["body"],
                    neighbourhood=data["neighbourhood"],
                    practice=data["practice"],
                    reply_by=data["reply_by"],
                    contributor_name=data["contributor_name"],
                    contributor_email=data["contributor_email"],
                    contributor_address=data["contributor_address"],
                    equality_answers=form.answers(),
                    equality_postcode=data["postcode"],
                    equality_consent=data["equality_consent"],
                    communication_needs=form.communication_needs(),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if getattr(idea, "safety_hold", None) is not None:
                    messages.warning(
                        request,
                        f"'{idea.title}' is held for a moderator, not published: the safety "
                        "check found words that may mean someone needs help now, or personal "
                        "information. It is first in the moderation queue.",
                    )
                else:
                    messages.success(
                        request,
                        f"'{idea.title}' is published as {idea.shown_author}. "
                        "Enter another, or go back to the list.",
                    )
                return redirect(add_url(idea.consultation_id))
        return self.render_to_response(self.get_context_data(form=form), status=400)


def add_url(consultation_id) -> str:
    return reverse("offline:add") + "?" + urlencode({"consultation": consultation_id})


class OfflineContributionInspectView(ScopedObjectMixin, InspectView):
    """What was entered, and how the resident hears back; never their contact details."""

    def get_fields(self):
        return [
            "consultation",
            "title",
            "body",
            "channel",
            "neighbourhood",
            "status",
            "created_at",
            "published_at",
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fields"].append(
            {"label": "Hears back", "value": _hears_back(self.object), "component": None}
        )
        return context


class OfflineContributionHistoryView(ScopedObjectMixin, HistoryView):
    """Wagtail's log of the idea: entered for the resident, then moderated."""

    filterset_class = OfflineHistoryFilterSet
