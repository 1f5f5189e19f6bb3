"""The ICS vision screens: an integrated care system's leads' overview, and who took part
across the ICS's PCNs with its Places side by side
(`consultations.viewsets.systems.who_took_part`)."""

from django.urls import path, reverse
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from consultations.viewsets.systems.policy import leads_an_ics
from consultations.viewsets.systems.screens import IcsVisionIndexView
from consultations.viewsets.systems.who_took_part import (
    IcsWhoTookPartCsvView,
    IcsWhoTookPartView,
)


class IcsVisionMenuItem(MenuItem):
    def is_shown(self, request):
        return leads_an_ics(request.user)


class IcsVisionViewSet(ViewSet):
    """Custom screens on a viewset, as the Place vision's: read-only figures across an ICS's
    Places and PCNs, for its leads."""

    name = "ics_vision"
    url_prefix = "ics-vision"
    icon = "site"
    menu_label = "ICS vision"
    menu_order = 255
    add_to_admin_menu = True

    @property
    def menu_item_class(self):
        return IcsVisionMenuItem

    @property
    def menu_url(self):
        return reverse("ics_vision:index")

    def get_urlpatterns(self):
        return [
            path("", IcsVisionIndexView.as_view(), name="index"),
            path(
                "ics/<str:pk>/who-took-part/",
                IcsWhoTookPartView.as_view(),
                name="who_took_part",
            ),
            path(
                "ics/<str:pk>/who-took-part/csv/",
                IcsWhoTookPartCsvView.as_view(),
                name="who_took_part_csv",
            ),
        ]


ics_vision_viewset = IcsVisionViewSet()
