"""The admin of PCN sites: the organisation snippets, and the PCN boundary in Wagtail's own
screens (see home/admin_scope.py for the rule, home/admin_views/ for the screens Wagtail
offers no hook for)."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.admin_scope import (
    PcnBoundaryPermissionPolicy,
    admin_page_q,
    admin_pages,
    admin_visible,
)
from home.admin_views.media import PcnDocumentsAdminAPIViewSet, PcnImagesAdminAPIViewSet
from home.admin_views.pages import PcnPagesAdminAPIViewSet, PcnPageViewSet
from home.admin_views.snippets import PcnSnippetChooserViewSet
from home.models import IntegratedCareSystem, Neighbourhood, Place, Practice, PrimaryCareNetwork
from home.pcn_setup import PcnSetupView

ORGANISATIONS = (Neighbourhood, Practice, PrimaryCareNetwork, Place, IntegratedCareSystem)

# Before the snippets are registered: Wagtail asks for a model's policy as it registers it.
for model in ORGANISATIONS:
    register_permission_policy(model, PcnBoundaryPermissionPolicy(model))


class OrganisationViewSet(SnippetViewSet):
    """An organisation snippet: listed, and offered by its chooser, within the PCN boundary.

    Only admins hold permissions on these models (nobody else can list or edit them), but
    Wagtail's choosers are open to anyone with admin access, so the chooser is scoped too.
    """

    chooser_viewset_class = PcnSnippetChooserViewSet

    def get_queryset(self, request):
        return admin_visible(self.model._default_manager.all(), user=request.user)


class NeighbourhoodViewSet(OrganisationViewSet):
    model = Neighbourhood
    icon = "site"
    list_display = ["name", "pcn"]
    list_filter = ["pcn"]
    search_fields = ["name"]


class PracticeViewSet(OrganisationViewSet):
    model = Practice
    icon = "home"
    list_display = ["name", "ods_code", "neighbourhood", "pcn"]
    list_filter = ["pcn"]
    search_fields = ["name", "ods_code"]


class PrimaryCareNetworkIndexView(SnippetIndexView):
    """The list of PCNs, whose "add" button sets a PCN up whole (home/pcn_setup.py) rather
    than saving a bare row with no groups, site or pages."""

    @cached_property
    def add_url(self):
        if not self.permission_policy.user_has_permission(self.request.user, "add"):
            return None
        return reverse("pcn-setup")

    add_item_label = "Set up a PCN"


class PrimaryCareNetworkViewSet(OrganisationViewSet):
    model = PrimaryCareNetwork
    icon = "group"
    list_display = ["name", "ods_code", "place"]
    search_fields = ["name", "ods_code"]
    index_view_class = PrimaryCareNetworkIndexView


class PlaceViewSet(OrganisationViewSet):
    model = Place
    icon = "globe"
    list_display = ["name", "integrated_care_system"]


class IntegratedCareSystemViewSet(OrganisationViewSet):
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


# The PCN boundary in Wagtail's page admin: its hooks first, then the page viewset for the
# screens the hooks do not reach.


@hooks.register("construct_page_chooser_queryset")
def page_chooser_within_pcn_boundary(pages, request):
    """The page chooser (browsing and searching, for every page type) lists the person's
    PCNs' pages only."""
    q = admin_page_q(user=request.user)
    return pages if q is None else pages.filter(q)


@hooks.register("construct_explorer_page_queryset")
def explorer_within_pcn_boundary(parent_page, pages, request):
    """The explorer's listing and its search (of one section or the whole tree)."""
    q = admin_page_q(user=request.user)
    return pages if q is None else pages.filter(q)


@hooks.register("filter_form_submissions_for_user")
def form_submissions_within_pcn_boundary(user, form_pages):
    return form_pages.filter(pk__in=admin_pages(user=user).values("pk"))


@hooks.register("register_admin_viewset", order=1)
def register_page_viewset():
    """After Wagtail's base page viewset (order -1), which this one replaces for every page
    type."""
    return PcnPageViewSet()


@hooks.register("construct_admin_api", order=1)
def admin_api_within_pcn_boundary(router):
    """After wagtail.images and wagtail.documents register their endpoints, which these
    replace: Wagtail's list every image and document to anyone with admin access."""
    router.register_endpoint("pages", PcnPagesAdminAPIViewSet)
    router.register_endpoint("images", PcnImagesAdminAPIViewSet)
    router.register_endpoint("documents", PcnDocumentsAdminAPIViewSet)


@hooks.register("register_admin_urls")
def register_pcn_setup_url():
    return [path("pcns/set-up/", PcnSetupView.as_view(), name="pcn-setup")]
