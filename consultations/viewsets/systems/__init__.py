"""The ICS vision screens: an ICS lead's overview of their system's vision, each priority's
links to the priorities its Places agreed, with suggestions, and who took part across the
ICS's PCNs with its Places side by side (`consultations.viewsets.systems.who_took_part`)."""

from django.urls import path, reverse
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from consultations.viewsets.systems.policy import leads_an_ics
from consultations.viewsets.systems.screens import (
    IcsPriorityLinksView,
    IcsPriorityUnlinkView,
    IcsVisionIndexView,
)
from consultations.viewsets.systems.who_took_part import (
    IcsWhoTookPartCsvView,
    IcsWhoTookPartView,
)


class IcsVisionMenuItem(MenuItem):
    def is_shown(self, request):
        return leads_an_ics(request.user)


class IcsVisionViewSet(ViewSet):
    """Custom screens on a viewset, as for a Place: Wagtail's page editor writes the vision;
    linking a priority to its Places' priorities is a choice across the system's Places'
    sites that no page panel can scope, with suggestions beside it."""

    name = "ics_vision"
    url_prefix = "ics-vision"
    icon = "site"
    menu_label = "ICS vision"
    menu_order = 260
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
            path("priority/<int:pk>/", IcsPriorityLinksView.as_view(), name="links"),
            path(
                "priority/<int:pk>/unlink/<int:link_pk>/",
                IcsPriorityUnlinkView.as_view(),
                name="unlink",
            ),
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
