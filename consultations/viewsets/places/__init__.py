"""The Place vision screens: a place lead's overview of their Place's vision, each
priority's links to the themes and priorities its PCNs heard, with suggestions, and who took
part across the Place's PCNs (`consultations.viewsets.places.who_took_part`)."""

from django.urls import path, reverse
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from consultations.viewsets.places.policy import leads_a_place
from consultations.viewsets.places.screens import (
    PlacePriorityDraftView,
    PlacePriorityLinksView,
    PlacePriorityUnlinkView,
    PlaceVisionIndexView,
)
from consultations.viewsets.places.who_took_part import (
    PlaceWhoTookPartCsvView,
    PlaceWhoTookPartView,
)


class PlaceVisionMenuItem(MenuItem):
    def is_shown(self, request):
        return leads_a_place(request.user)


class PlaceVisionViewSet(ViewSet):
    """Custom screens on a viewset: Wagtail's page editor writes the vision; linking a
    priority to PCN themes is a many-to-many choice across the Place's PCNs' sites that no
    page panel can scope, with suggestions beside it."""

    name = "place_vision"
    url_prefix = "place-vision"
    icon = "site"
    menu_label = "Place vision"
    menu_order = 250
    add_to_admin_menu = True

    @property
    def menu_item_class(self):
        return PlaceVisionMenuItem

    @property
    def menu_url(self):
        return reverse("place_vision:index")

    def get_urlpatterns(self):
        return [
            path("", PlaceVisionIndexView.as_view(), name="index"),
            path("priority/<int:pk>/", PlacePriorityLinksView.as_view(), name="links"),
            path("priority/<int:pk>/draft/", PlacePriorityDraftView.as_view(), name="draft"),
            path(
                "priority/<int:pk>/unlink/<int:link_pk>/",
                PlacePriorityUnlinkView.as_view(),
                name="unlink",
            ),
            path(
                "place/<str:pk>/who-took-part/",
                PlaceWhoTookPartView.as_view(),
                name="who_took_part",
            ),
            path(
                "place/<str:pk>/who-took-part/csv/",
                PlaceWhoTookPartCsvView.as_view(),
                name="who_took_part_csv",
            ),
        ]


place_vision_viewset = PlaceVisionViewSet()
