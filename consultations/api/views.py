"""The lists of the open data API, under /api/v1/ (README, "Open data API").

Each list reads a page of rows in one query, and what it shows of them in a fixed number
more (the PCN of each page, the public links of each update, accountability in bulk), so a
list takes the same number of queries however many PCNs, consultations and ideas there are.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view

from consultations.api import filters, selectors, serializers
from consultations.api.base import OpenDataRecordViewSet, OpenDataViewSet
from consultations.models import ConsultationPage, Theme, UpdatePage
from home.models import (
    IntegratedCareSystem,
    Place,
    Practice,
    PrimaryCareNetwork,
    VisionPriority,
)

ORGANISATIONS = {
    "ics": lambda: IntegratedCareSystem.objects.all(),
    "place": lambda: Place.objects.all(),
    "pcn": lambda: PrimaryCareNetwork.objects.select_related("home_page"),
    "practice": lambda: Practice.objects.all(),
}


@extend_schema_view(
    list=extend_schema(
        summary="Organisations",
        description="Integrated care systems, places, primary care networks or GP practices "
        "(say which with `kind`), in id order: names and NHS ODS codes.",
    )
)
class OrganisationViewSet(OpenDataViewSet):
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter

    def kind(self) -> str | None:
        kind = self.request.query_params.get("kind")
        return kind if kind in ORGANISATIONS else None

    schema_model = PrimaryCareNetwork

    def rows(self):
        kind = self.kind()
        # Without a kind the FilterSet refuses the request (400) before any row is read.
        return ORGANISATIONS[kind]() if kind else PrimaryCareNetwork.objects.none()

    def extra_context(self, rows) -> dict:
        return {"kind": self.kind()}


@extend_schema_view(
    list=extend_schema(
        summary="Consultations",
        description="Live, public consultations of every PCN, with counts of their published "
        "ideas, comments and supports.",
    ),
    retrieve=extend_schema(summary="A consultation"),
)
class ConsultationViewSet(OpenDataRecordViewSet):
    serializer_class = serializers.ConsultationSerializer
    filterset_class = filters.ConsultationFilter
    ordering_fields = ["id", "opens_at", "closes_at"]

    schema_model = ConsultationPage

    def rows(self):
        return selectors.consultation_list()

    def extra_context(self, rows) -> dict:
        return {"pcns": selectors.pcns_of_pages(rows)}


@extend_schema_view(
    list=extend_schema(
        summary="Themes",
        description="Themes of live, public consultations, with how many published ideas "
        "each groups.",
    )
)
class ThemeViewSet(OpenDataViewSet):
    serializer_class = serializers.ThemeSerializer
    filterset_class = filters.ThemeFilter

    schema_model = Theme

    def rows(self):
        return selectors.theme_list()

    def extra_context(self, rows) -> dict:
        return {"pcns": selectors.pcns_of_pages(row.consultation for row in rows)}


@extend_schema_view(
    list=extend_schema(
        summary="Vision priorities",
        description="The priorities of each PCN's shared vision (live, public vision pages).",
    )
)
class PriorityViewSet(OpenDataViewSet):
    serializer_class = serializers.PrioritySerializer
    filterset_class = filters.PriorityFilter

    schema_model = VisionPriority

    def rows(self):
        return selectors.priority_list()

    def extra_context(self, rows) -> dict:
        pcns = selectors.pcns_of_pages({row.page_id: row.page for row in rows}.values())
        return {"pcns": pcns}


@extend_schema_view(
    list=extend_schema(
        summary='"You said, we did" updates',
        description="Live, public updates with their actions and the themes they answer, "
        "newest first by default.",
    )
)
class UpdateViewSet(OpenDataViewSet):
    serializer_class = serializers.UpdateSerializer
    filterset_class = filters.UpdateFilter
    ordering_fields = ["id", "first_published_at"]
    ordering = ["-first_published_at"]

    schema_model = UpdatePage

    def rows(self):
        return selectors.update_list()

    def extra_context(self, rows) -> dict:
        return {
            "pcns": selectors.pcns_of_pages(rows),
            "links": selectors.update_links(rows),
            "priorities": selectors.public_priority_ids(row.priority_id for row in rows),
        }


@extend_schema_view(
    list=extend_schema(
        summary="Accountability",
        description="Each PCN's record of closing the loop, as its updates page shows it: "
        "themes answered, days to respond and actions done, from public content only.",
    )
)
class AccountabilityViewSet(OpenDataViewSet):
    serializer_class = serializers.AccountabilitySerializer
    filterset_class = filters.AccountabilityFilter

    schema_model = PrimaryCareNetwork

    def rows(self):
        return PrimaryCareNetwork.objects.all()

    def extra_context(self, rows) -> dict:
        return {"figures": selectors.accountability_of_pcns(rows)}


@extend_schema_view(
    list=extend_schema(
        summary="Accountability of places",
        description="Each place's record of acting on its shared vision, as its vision page "
        "shows it: the PCN themes behind its priorities that a Place update acts on, days "
        "to act and actions done, from public content only. Compare its PCNs with "
        "`accountability/?place=<id>`.",
    )
)
class PlaceAccountabilityViewSet(OpenDataViewSet):
    serializer_class = serializers.PlaceAccountabilitySerializer
    filterset_class = filters.PlaceAccountabilityFilter

    schema_model = Place

    def rows(self):
        return Place.objects.all()

    def extra_context(self, rows) -> dict:
        return {"figures": selectors.accountability_of_places(rows)}


@extend_schema_view(
    list=extend_schema(
        summary="Accountability of integrated care systems",
        description="Each integrated care system's record of acting on its shared vision, "
        "as its vision page shows it: the PCN themes behind the Place priorities its "
        "priorities cite that an ICS update acts on, days to act and actions done, from "
        "public content only. Compare its places with `place-accountability/?ics=<id>`.",
    )
)
class IcsAccountabilityViewSet(OpenDataViewSet):
    serializer_class = serializers.IcsAccountabilitySerializer
    filterset_class = filters.IcsAccountabilityFilter

    schema_model = IntegratedCareSystem

    def rows(self):
        return IntegratedCareSystem.objects.all()

    def extra_context(self, rows) -> dict:
        return {"figures": selectors.accountability_of_systems(rows)}
