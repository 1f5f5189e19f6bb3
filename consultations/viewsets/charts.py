"""Charts: what a PCN heard and how it answered, for its staff and leads; a Place's PCNs side
by side, for its leads (`consultations.charts` reads the figures, `engage.charts` draws them).

A Wagtail viewset of five screens, under the menu item "Charts":

- `charts:index`: the PCNs and Places whose charts the person may see;
- `charts:pcn` (`/admin/charts/pcn/<id>/`): one PCN's six charts, each an SVG drawn on the
  server with its table beside it; `charts:pcn_csv` (`.../<chart>.csv`) one chart's table;
- `charts:place` and `charts:place_csv`: the same for a Place, comparing its PCNs;
- `charts:ics` and `charts:ics_csv`: an integrated care system's, comparing its Places (each
  its PCNs' sum), with its Places and PCNs listed, each linked to its own charts.

Who: a PCN's staff and PCN leads, the leads of its Place or ICS and admins
(`permissions.can_see_charts`); a Place's leads, its ICS's leads and admins
(`can_see_place_charts`); an ICS's leads and admins (`can_see_ics_charts`). PPG
moderators and residents are refused; another PCN, Place or ICS is not found. A place or ICS
lead counts their PCNs' public consultations and updates only (a private space stays its
PCN's), and so does every Place and ICS screen.

`?months=N` (1 to 24, 12 when not given) sets the period; anything else is refused with a
message saying what to enter (400), never an error page.

A Place's and an ICS's charts (and their CSVs) are read from figures worked out ahead, one
snapshot per choice of months, after the Place or ICS is found and the person's right to it
checked (`consultations.rollup_figures`); the screen says when they were worked out. A PCN's
are worked out as they are asked for: few figures, and its staff see its private
consultations too.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views import View
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from consultations import permissions
from consultations.charts import (
    MONTHS_DEFAULT,
    MONTHS_MOST,
    Scope,
    chart_by_slug,
    pcn_charts,
)
from consultations.models import ConsultationPage, RollupKind, UpdatePage
from consultations.rollup_figures import rollup_figures
from consultations.snapshots import charts_from_json, charts_parameters, places_from_json
from engage.ids import parse_id
from engage.roles import group_ids
from engage.spreadsheets import csv_lines
from home.boundary import (
    ics_ids_led_by,
    in_pcn,
    pcn_ids_with_role,
    place_ids_led_by,
)
from home.models import IntegratedCareSystem, Place, PrimaryCareNetwork


class PeriodForm(forms.Form):
    months = forms.IntegerField(
        label="Months to show",
        required=False,
        min_value=1,
        max_value=MONTHS_MOST,
        help_text=f"The last 1 to {MONTHS_MOST} months, this month included.",
        error_messages={
            "invalid": f"Enter the number of months as a whole number from 1 to {MONTHS_MOST}",
            "min_value": f"Enter a number of months from 1 to {MONTHS_MOST}",
            "max_value": f"Enter a number of months from 1 to {MONTHS_MOST}",
        },
    )

    def chosen_months(self) -> int:
        return self.cleaned_data.get("months") or MONTHS_DEFAULT


def chart_pcns(user):
    """The PCNs whose charts the person may see (`permissions.can_see_charts`)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PrimaryCareNetwork.objects.none()
    if user.is_superuser:
        return PrimaryCareNetwork.objects.all()
    return PrimaryCareNetwork.objects.filter(pk__in=_chart_pcn_ids(user))


def _chart_pcn_ids(user) -> list[int]:
    """Staff, PCN leads, and the leads of a PCN's Place or ICS: from the person's roles, read
    once per user object."""
    return pcn_ids_with_role(user, "staff", "lead", "place_lead", "ics_lead")


def chart_places(user):
    """The Places whose charts the person may see (`permissions.can_see_place_charts`):
    those they lead and those of the ICSs they lead (every one, for admins)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Place.objects.none()
    if user.is_superuser:
        return Place.objects.all()
    return Place.objects.filter(
        Q(pk__in=place_ids_led_by(user)) | Q(integrated_care_system__in=ics_ids_led_by(user))
    )


def chart_systems(user):
    """The integrated care systems whose charts the person may see: those they lead (every
    one, for admins)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return IntegratedCareSystem.objects.none()
    if user.is_superuser:
        return IntegratedCareSystem.objects.all()
    return IntegratedCareSystem.objects.filter(pk__in=ics_ids_led_by(user))


def sees_any_charts(user) -> bool:
    """Whether any of `chart_pcns`, `chart_places` or `chart_systems` has something: asked
    by the menu and by every charts screen, so answered from the roles each person's user
    object remembers (no query of its own once they are read)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return (
            chart_pcns(user).exists() or chart_places(user).exists() or chart_systems(user).exists()
        )
    # A Place of an ICS they lead is theirs only if the ICS is, which is enough on its own.
    return bool(_chart_pcn_ids(user) or place_ids_led_by(user) or ics_ids_led_by(user))


def pcn_scope(user, pcn) -> Scope:
    """The PCN's live consultations and updates; its public ones only for someone who reads
    it as a place lead (not its staff, lead or an admin)."""
    consultations = in_pcn(ConsultationPage.objects.live(), pcn)
    updates = in_pcn(UpdatePage.objects.live(), pcn)
    groups = group_ids(user)
    if not user.is_superuser and not {pcn.staff_group_id, pcn.lead_group_id} & groups:
        consultations, updates = consultations.public(), updates.public()
    return Scope(pcns=[pcn], consultations=consultations, updates=updates)


class ChartsMixin(WagtailAdminTemplateMixin):
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not sees_any_charts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def period(self, request) -> PeriodForm:
        return PeriodForm(request.GET or None)


class ChartsIndexView(ChartsMixin, View):
    template_name = "consultations/admin/charts/index.html"
    page_title = "Charts"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": "", "label": self.page_title},
        ]

    def get(self, request):
        return self.render_to_response(
            self.get_context_data(
                pcns=list(chart_pcns(request.user).order_by("name")),
                places=list(chart_places(request.user).order_by("name")),
                systems=list(chart_systems(request.user).order_by("name")),
            )
        )


class _ChartsScreen(ChartsMixin, View):
    """One PCN's or Place's charts (`charts()`), or one chart's CSV (`csv_view`)."""

    template_name = "consultations/admin/charts/screen.html"
    csv_url_name = ""
    kind = ""
    freshness = None  # a Place's or an ICS's: when its stored figures were worked out
    places = None  # an ICS's: its Places and their PCNs, listed below the charts

    def find(self, request, pk):
        raise NotImplementedError

    def charts(self, request, *, months):
        """The charts for `months`; a Place's and an ICS's also set `freshness` and
        `places`."""
        raise NotImplementedError

    def get_page_title(self):
        return f"Charts: {self.subject.name}"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("charts:index"), "label": "Charts"},
            {"url": "", "label": self.subject.name},
        ]

    def get(self, request, pk, chart=None):
        identifier = parse_id(str(pk))
        if identifier is None:
            raise Http404
        self.subject = self.find(request, identifier)
        period = self.period(request)
        if request.GET and not period.is_valid():
            if chart is not None:
                return HttpResponse(
                    " ".join(message for errors in period.errors.values() for message in errors),
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
            return self.render_to_response(
                self.get_context_data(
                    period=period, charts=[], kind=self.kind, places=None, freshness=None
                ),
                status=400,
            )
        months = period.chosen_months() if period.is_bound else MONTHS_DEFAULT
        charts = self.charts(request, months=months)
        if chart is not None:
            return self.csv_response(charts, chart, months)
        query = urlencode({"months": months})
        shown = [
            {
                "chart": each,
                "drawing": None if each.empty else each.drawing(prefix=f"{self.kind}-chart"),
                "csv_url": reverse(self.csv_url_name, args=[self.subject.pk, each.slug])
                + f"?{query}",
            }
            for each in charts
        ]
        return self.render_to_response(
            self.get_context_data(
                period=period,
                charts=shown,
                months=months,
                kind=self.kind,
                places=self.places,
                freshness=self.freshness,
            )
        )

    def csv_response(self, charts, slug, months):
        chart = chart_by_slug(charts, slug)
        if chart is None:
            raise Http404
        response = StreamingHttpResponse(
            csv_lines(chart.header, chart.rows), content_type="text/csv; charset=utf-8"
        )
        name = f"{slugify(self.subject.name)}-{chart.slug}-{months}-months.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class PcnChartsView(_ChartsScreen):
    """One PCN's charts, worked out as they are asked for: a PCN's figures are few, and its
    staff see its private consultations as well as its public ones."""

    csv_url_name = "charts:pcn_csv"
    kind = "pcn"

    def find(self, request, pk):
        pcn = get_object_or_404(PrimaryCareNetwork.objects.select_related("place"), pk=pk)
        if not permissions.can_see_charts(request.user, pcn):
            raise Http404
        return pcn

    def charts(self, request, *, months):
        return pcn_charts(scope=pcn_scope(request.user, self.subject), months=months)


class _RollupChartsScreen(_ChartsScreen):
    """A Place's or an ICS's charts, from its stored figures for the months chosen
    (`consultations.rollup_figures`): the same for every lead who may see them, public
    consultations only. Found and checked (`find`) before any figures are read."""

    rollup_kind = ""

    def charts(self, request, *, months):
        self.freshness = rollup_figures(
            kind=self.rollup_kind, organisation=self.subject, parameters=charts_parameters(months)
        )
        self.places = places_from_json(self.freshness.figures)
        return charts_from_json(self.freshness.figures)


class PlaceChartsView(_RollupChartsScreen):
    csv_url_name = "charts:place_csv"
    kind = "place"
    rollup_kind = RollupKind.PLACE_CHARTS

    def find(self, request, pk):
        place = get_object_or_404(Place, pk=pk)
        if not permissions.can_see_place_charts(request.user, place):
            raise Http404
        return place


class IcsChartsView(_RollupChartsScreen):
    """An ICS's Places side by side; below the charts, its Places and their PCNs, each
    linked to its own charts."""

    csv_url_name = "charts:ics_csv"
    kind = "ics"
    rollup_kind = RollupKind.ICS_CHARTS

    def find(self, request, pk):
        ics = get_object_or_404(IntegratedCareSystem, pk=pk)
        if not permissions.can_see_ics_charts(request.user, ics):
            raise Http404
        return ics


class ChartsMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_any_charts(request.user)


class ChartsViewSet(ViewSet):
    name = "charts"
    url_prefix = "charts"
    icon = "table"
    menu_label = "Charts"
    add_to_admin_menu = True
    menu_order = 360
    menu_item_class = ChartsMenuItem

    def get_urlpatterns(self):
        return [
            path("", ChartsIndexView.as_view(), name="index"),
            path("pcn/<str:pk>/", PcnChartsView.as_view(), name="pcn"),
            path("pcn/<str:pk>/<slug:chart>.csv", PcnChartsView.as_view(), name="pcn_csv"),
            path("place/<str:pk>/", PlaceChartsView.as_view(), name="place"),
            path("place/<str:pk>/<slug:chart>.csv", PlaceChartsView.as_view(), name="place_csv"),
            path("ics/<str:pk>/", IcsChartsView.as_view(), name="ics"),
            path("ics/<str:pk>/<slug:chart>.csv", IcsChartsView.as_view(), name="ics_csv"),
        ]
