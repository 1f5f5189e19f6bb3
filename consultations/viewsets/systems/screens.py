"""The ICS vision screens: the overview an ICS lead opens, and an ICS priority's links to
the priorities its Places agreed, with suggestions of which may be about the same thing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from consultations import permissions, suggestions
from consultations.models import IcsPriority, IcsPriorityLink
from consultations.services.systems import ics_priority_link, ics_priority_unlink
from consultations.viewsets.systems.forms import IcsLinkForm
from consultations.viewsets.systems.policy import (
    ics_priorities_for,
    ics_visions_for,
    leads_an_ics,
    systems_led_by,
)


class _IcsScreen(WagtailAdminTemplateMixin, View):
    """For an ICS's leads (and admins) only; another system's priority is not found."""

    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not leads_an_ics(request.user):
            raise PermissionDenied("You do not lead an integrated care system.")
        return super().dispatch(request, *args, **kwargs)

    def priority_for(self, pk) -> IcsPriority:
        priority = get_object_or_404(ics_priorities_for(self.request.user), pk=pk)
        if not permissions.can_link_ics_priority(self.request.user, priority):
            raise PermissionDenied("This priority belongs to another system's vision.")
        return priority

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("ics_vision:index"), "label": "ICS vision"},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self):
        return []


class IcsVisionIndexView(_IcsScreen):
    """The integrated care systems the person leads, each with its vision's priorities (how
    many Place priorities each cites, and a link to link more), who took part across it and
    its charts."""

    template_name = "consultations/systems/admin_index.html"
    page_title = "ICS vision"

    def get(self, request):
        visions = ics_visions_for(request.user).prefetch_related(
            Prefetch(
                "priorities",
                queryset=IcsPriority.objects.annotate(link_count=Count("links")),
            )
        )
        vision_of = {vision.ics_id: vision for vision in visions}
        systems = systems_led_by(request.user).order_by("name")
        return self.render_to_response(
            self.get_context_data(systems=[(ics, vision_of.get(ics.pk)) for ics in systems])
        )


class IcsPriorityLinksView(_IcsScreen):
    """An ICS priority's links to its Places' priorities: add one, take one away, with the
    Place priorities that may be about the same thing."""

    template_name = "consultations/systems/admin_links.html"

    def get_page_title(self):
        return f"Link: {self.priority.title}"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": self.priority.title}]

    def get(self, request, pk):
        self.priority = self.priority_for(pk)
        return self.render(IcsLinkForm(ics=self.priority.page.ics))

    def post(self, request, pk):
        self.priority = self.priority_for(pk)
        form = IcsLinkForm(request.POST, ics=self.priority.page.ics)
        if form.is_valid():
            try:
                link = ics_priority_link(
                    priority=self.priority,
                    place_priority=form.cleaned_data["place_priority"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"'{self.priority.title}' now cites "
                    f"'{form.priority_label(link.place_priority)}'.",
                )
                return redirect("ics_vision:links", pk=self.priority.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        links = list(
            self.priority.links.select_related(
                "place_priority__page__place", "confirmed_by"
            ).order_by("confirmed_at", "pk")
        )
        response = self.render_to_response(
            self.get_context_data(
                priority=self.priority,
                vision=self.priority.page,
                links=[(link, form.priority_label(link.place_priority)) for link in links],
                form=form,
                suggestions=suggestions.ics_place_priority_suggestions(
                    priority=self.priority,
                    place_priorities=form.fields["place_priority"].queryset,
                ),
            )
        )
        response.status_code = status
        return response


class IcsPriorityUnlinkView(_IcsScreen):
    def post(self, request, pk, link_pk):
        priority = self.priority_for(pk)
        link = get_object_or_404(IcsPriorityLink, pk=link_pk, priority=priority)
        ics_priority_unlink(link=link, user=request.user)
        messages.success(request, "The link was taken away.")
        return redirect("ics_vision:links", pk=priority.pk)
