"""/api/v1/: the open data API's lists, its OpenAPI document and its documentation page."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from consultations.api import docs, views

app_name = "api-v1"

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("consultations", views.ConsultationViewSet, basename="consultation")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("priorities", views.PriorityViewSet, basename="priority")
router.register("updates", views.UpdateViewSet, basename="update")
router.register("accountability", views.AccountabilityViewSet, basename="accountability")
router.register(
    "place-accountability", views.PlaceAccountabilityViewSet, basename="place-accountability"
)

router.register("ics-accountability", views.IcsAccountabilityViewSet, basename="ics-accountability")

urlpatterns = [
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.documentation, name="docs"),
    *router.urls,
]
