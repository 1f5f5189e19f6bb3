"""The Place vision screens: the overview a place lead lands on, a priority's links, and a
priority's draft of "what we heard" in its PCNs' residents' own words."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from consultations import permissions, suggestions, summaries
from consultations.loop import themes_behind_place_priorities
from consultations.models import Idea, PlacePriority, PlacePriorityDraft, PlacePriorityLink
from consultations.services.places import place_priority_link, place_priority_unlink
from consultations.viewsets.drafts import IDEAS_SHOWN, DraftScreenMixin
from consultations.viewsets.places.forms import PlaceLinkForm
from consultations.viewsets.places.policy import (
    leads_a_place,
    place_visions_for,
    places_led_by,
)


class _PlaceScreen(WagtailAdminTemplateMixin, View):
    """For a Place's leads (and admins) only; each screen checks the Place is theirs."""

    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not leads_a_place(request.user):
            raise PermissionDenied("You do not lead a Place.")
        return super().dispatch(request, *args, **kwargs)

    def priority_for(self, pk) -> PlacePriority:
        priority = get_object_or_404(PlacePriority.objects.select_related("page__place"), pk=pk)
        if not permissions.can_link_place_priority(self.request.user, priority):
            raise PermissionDenied("This priority belongs to another Place's vision.")
        return priority

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("place_vision:index"), "label": "Place vision"},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self):
        return []


class PlaceVisionIndexView(_PlaceScreen):
    """Where a place lead lands: their Place's vision, each priority with its links, and
    who took part across each Place they lead."""

    template_name = "consultations/places/admin_index.html"
    page_title = "Place vision"

    def get(self, request):
        visions = place_visions_for(request.user).prefetch_related(
            Prefetch(
                "priorities",
                queryset=PlacePriority.objects.annotate(link_count=Count("links")),
            )
        )
        return self.render_to_response(
            self.get_context_data(
                visions=list(visions), places=list(places_led_by(request.user).order_by("name"))
            )
        )


class PlacePriorityLinksView(_PlaceScreen):
    """A priority's links to its PCNs' themes and priorities: add one, take one away, with
    the themes of other PCNs that may be about the same thing."""

    template_name = "consultations/places/admin_links.html"

    def get_page_title(self):
        return f"Link: {self.priority.title}"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": self.priority.title}]

    def get(self, request, pk):
        self.priority = self.priority_for(pk)
        return self.render(PlaceLinkForm(place=self.priority.page.place))

    def post(self, request, pk):
        self.priority = self.priority_for(pk)
        form = PlaceLinkForm(request.POST, place=self.priority.page.place)
        if form.is_valid():
            try:
                link = place_priority_link(
                    priority=self.priority,
                    user=request.user,
                    theme=form.cleaned_data["theme"],
                    vision_priority=form.cleaned_data["vision_priority"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                cited = link.theme or link.vision_priority
                messages.success(request, f"'{self.priority.title}' now cites '{cited}'.")
                return redirect("place_vision:links", pk=self.priority.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        links = self.priority.links.select_related(
            "theme__consultation", "vision_priority__page", "confirmed_by"
        ).order_by("confirmed_at", "pk")
        response = self.render_to_response(
            self.get_context_data(
                priority=self.priority,
                vision=self.priority.page,
                links=[
                    (
                        link,
                        form.theme_label(link.theme)
                        if link.theme
                        else form.priority_label(link.vision_priority),
                    )
                    for link in links
                ],
                form=form,
                suggestions=suggestions.place_theme_suggestions(
                    priority=self.priority, themes=form.fields["theme"].queryset
                ),
            )
        )
        response.status_code = status
        return response


class PlacePriorityUnlinkView(_PlaceScreen):
    def post(self, request, pk, link_pk):
        priority = self.priority_for(pk)
        link = get_object_or_404(PlacePriorityLink, pk=link_pk, priority=priority)
        place_priority_unlink(link=link, user=request.user)
        messages.success(request, "The link was taken away.")
        return redirect("place_vision:links", pk=priority.pk)


class PlacePriorityDraftView(DraftScreenMixin, _PlaceScreen):
    """A Place priority's draft of "what we heard": sentences residents of the Place's PCNs
    wrote in the themes behind it, for a place lead to pick, reorder, trim and approve."""

    subject = "the PCN themes behind this priority"
    published_where = "the Place's vision page"
    own_words_elsewhere = "the priority's description"

    def get_page_title(self):
        return f"What we heard, in residents' words: {self.priority.title}"

    def extra_breadcrumbs(self):
        return [
            {
                "url": reverse("place_vision:links", args=[self.priority.pk]),
                "label": self.priority.title,
            },
            {"url": "", "label": "What we heard"},
        ]

    def load(self, request, pk):
        self.priority = self.priority_for(pk)

    def drafts(self):
        return PlacePriorityDraft.objects.filter(priority=self.priority)

    def request_draft(self, user):
        summaries.place_draft_request(priority=self.priority, user=user)

    def source_ideas(self):
        themes = themes_behind_place_priorities([self.priority.pk]).values("pk")
        return (
            Idea.objects.published()
            .filter(themes__in=themes)
            .distinct()
            .order_by("pk")[:IDEAS_SHOWN]
        )
