"""Who took part: a staff screen per consultation (and per theme) comparing contributors'
equality answers, small numbers hidden, with the PCN's registered patients
(`consultations.representativeness`).

A Wagtail viewset of two screens, under the menu item "Who took part": the consultations of
the PCNs the person may see (`who_took_part:index`), and one consultation's figures, with a
chart and its table (`who_took_part:consultation`, `?theme=<id>` for one of its themes), with the groups it is
hearing less from and the outreach recorded to reach them (`consultations.viewsets.outreach`).
Staff, PCN leads and place leads of the consultation's PCN and admins see it
(`permissions.can_see_who_took_part`); PPG moderators do not; another PCN's consultation is
not found.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from consultations import permissions, selectors
from consultations.models import ConsultationPage, Theme
from consultations.representativeness import representation
from engage.ids import parse_id
from engage.roles import group_ids
from home.boundary import in_pcns, pcn_ids_with_role
from home.models import PrimaryCareNetwork


def who_took_part_pcns(user):
    """The PCNs whose figures the user may see (`permissions.can_see_who_took_part`)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PrimaryCareNetwork.objects.none()
    if user.is_superuser:
        return PrimaryCareNetwork.objects.all()
    return PrimaryCareNetwork.objects.filter(
        pk__in=pcn_ids_with_role(user, "staff", "lead", "place_lead")
    )


def sees_who_took_part(user) -> bool:
    """Whether `who_took_part_pcns` has any PCN: for the menu items of "Who took part" and
    the evidence packs, from the person's roles (read once per user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return PrimaryCareNetwork.objects.exists()
    return bool(pcn_ids_with_role(user, "staff", "lead", "place_lead"))


def pcns_through_place_only(user, pcns) -> set[int]:
    """The ids of those of `pcns` the user reads only as a lead of their Place (not as the
    PCN's staff or lead, nor as an admin): they see its public consultations only."""
    if user.is_superuser:
        return set()
    groups = group_ids(user)
    return {pcn.pk for pcn in pcns if not {pcn.staff_group_id, pcn.lead_group_id} & groups}


def who_took_part_consultations(user, pcns):
    """The live consultations of `pcns` (the user's, from `who_took_part_pcns`) whose figures
    the user may read; a place lead who is not also the PCN's staff or lead reads its public
    ones only (a private space stays its PCN's)."""
    live = ConsultationPage.objects.live()
    through_place = pcns_through_place_only(user, pcns)
    own = [pcn for pcn in pcns if pcn.pk not in through_place]
    return in_pcns(live, own) | in_pcns(
        live.public(), [pcn for pcn in pcns if pcn.pk in through_place]
    )


class WhoTookPartMixin(WagtailAdminTemplateMixin):
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.pcns = list(who_took_part_pcns(request.user))
        if not self.pcns:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def consultations(self):
        return who_took_part_consultations(self.request.user, self.pcns)


class WhoTookPartIndexView(WhoTookPartMixin, TemplateView):
    template_name = "consultations/admin/who_took_part_index.html"
    page_title = "Who took part"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consultations"] = self.consultations().order_by("-opens_at", "title")
        return context


class WhoTookPartView(WhoTookPartMixin, TemplateView):
    template_name = "consultations/admin/who_took_part.html"

    def get(self, request, consultation_id):
        pk = parse_id(str(consultation_id))
        if pk is None:
            raise Http404
        self.consultation = get_object_or_404(self.consultations(), pk=pk)
        if not permissions.can_see_who_took_part(request.user, self.consultation.pcn):
            raise Http404
        self.themes = list(Theme.objects.filter(consultation=self.consultation).order_by("name"))
        self.theme = None
        if "theme" in request.GET and request.GET["theme"] != "":
            theme_id = parse_id(str(request.GET["theme"]))
            self.theme = next((t for t in self.themes if t.pk == theme_id), None)
            if self.theme is None:
                raise Http404
        return super().get(request)

    def get_page_title(self):
        return f"Who took part: {self.consultation.title}"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("who_took_part:index"), "label": "Who took part"},
            {"url": "", "label": self.consultation.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = representation(consultation=self.consultation, theme=self.theme)
        context.update(
            consultation=self.consultation,
            themes=self.themes,
            theme=self.theme,
            figures=figures,
            minimum=settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS,
            # Who we are not hearing from: each breakdown's gaps, in one list.
            gaps=[gap for breakdown in figures.breakdowns for gap in breakdown.gaps],
            # What was done about it, for the whole consultation (even on a theme's figures).
            outreach=list(selectors.outreach_actions(consultation=self.consultation)),
            can_record_outreach=permissions.can_record_outreach(
                self.request.user, self.consultation.pcn
            ),
            record_outreach_url=reverse("outreach:add")
            + "?"
            + urlencode({"consultation": self.consultation.pk}),
        )
        return context


class WhoTookPartMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_who_took_part(request.user)


class WhoTookPartViewSet(ViewSet):
    name = "who_took_part"
    url_prefix = "who-took-part"
    icon = "group"
    menu_label = "Who took part"
    add_to_admin_menu = True
    menu_order = 350

    def get_urlpatterns(self):
        return [
            path("", WhoTookPartIndexView.as_view(), name="index"),
            path("<str:consultation_id>/", WhoTookPartView.as_view(), name="consultation"),
        ]

    menu_item_class = WhoTookPartMenuItem
