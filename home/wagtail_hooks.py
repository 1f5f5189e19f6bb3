from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.models import IntegratedCareSystem, Neighbourhood, Place, Practice, PrimaryCareNetwork


class NeighbourhoodViewSet(SnippetViewSet):
    model = Neighbourhood
    icon = "site"
    list_display = ["name", "pcn"]
    list_filter = ["pcn"]
    search_fields = ["name"]


class PracticeViewSet(SnippetViewSet):
    model = Practice
    icon = "home"
    list_display = ["name", "ods_code", "neighbourhood", "pcn"]
    list_filter = ["pcn"]
    search_fields = ["name", "ods_code"]


class PrimaryCareNetworkViewSet(SnippetViewSet):
    model = PrimaryCareNetwork
    icon = "group"
    list_display = ["name", "ods_code", "place"]
    search_fields = ["name", "ods_code"]


class PlaceViewSet(SnippetViewSet):
    model = Place
    icon = "globe"
    list_display = ["name", "integrated_care_system"]


class IntegratedCareSystemViewSet(SnippetViewSet):
    model = IntegratedCareSystem
    icon = "globe"


class OrganisationViewSetGroup(SnippetViewSetGroup):
    menu_label = "Organisations"
    menu_icon = "group"
    menu_order = 300
    items = (
        NeighbourhoodViewSet,
        PracticeViewSet,
        PrimaryCareNetworkViewSet,
        PlaceViewSet,
        IntegratedCareSystemViewSet,
    )


register_snippet(OrganisationViewSetGroup)
