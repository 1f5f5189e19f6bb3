"""The ICS vision screens: what every one shares (for an ICS's leads and admins only), and
the overview an ICS lead reaches from the menu."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from consultations.viewsets.systems.policy import leads_an_ics, systems_led_by


class _IcsScreen(WagtailAdminTemplateMixin, View):
    """For an integrated care system's leads (and admins) only; each screen checks the ICS
    is theirs."""

    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not leads_an_ics(request.user):
            raise PermissionDenied("You do not lead an integrated care system.")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("ics_vision:index"), "label": "ICS vision"},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self):
        return []


class IcsVisionIndexView(_IcsScreen):
    """The integrated care systems the person leads, each with who took part across it and
    its charts."""

    template_name = "consultations/systems/admin_index.html"
    page_title = "ICS vision"

    def get(self, request):
        return self.render_to_response(
            self.get_context_data(systems=list(systems_led_by(request.user).order_by("name")))
        )
