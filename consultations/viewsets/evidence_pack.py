"""Evidence packs: a PCN's (or one of its practices') record of involving people over a
period (`consultations.evidence`), for its PPG representativeness duty and its duty to involve.

A Wagtail viewset of three screens under the menu item "Evidence packs", each reading the
same choices from the query string (`pcn`, `practice`, `start`, `end`; by default the
person's first PCN, the whole PCN, the last twelve months):

- `evidence_pack:index`: the choices, and the pack inside the admin;
- `evidence_pack:print`: the pack alone, in the NHS.UK style, to print (no admin around it;
  `static/css/evidence-pack.css` lays it out for A4 in black and white);
- `evidence_pack:csv`: the same figures as a CSV file.

Who may see a pack is who may see "Who took part" (`who_took_part_pcns`): the PCN's staff and
PCN leads, the leads of its Place (its public consultations and updates only) and admins; PPG
moderators and residents are refused. A PCN or practice the person may not see, an unknown
one, or a date that is not a date, is a form error (a 400 with the form again), never a 500.
"""

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from consultations.evidence import (
    CSV_HEADER,
    Period,
    a_year_to,
    evidence_pack,
    evidence_pack_csv_rows,
)
from consultations.forms import ModelIdChoiceField
from consultations.viewsets.who_took_part import (
    pcns_through_place_only,
    sees_who_took_part,
    who_took_part_consultations,
    who_took_part_pcns,
)
from engage.ids import parse_id
from engage.spreadsheets import csv_lines
from home.models import Practice, PrimaryCareNetwork

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
DATE_ERRORS = {
    "invalid": "Enter a real date, for example 2026-03-17",
}


class PeriodDatesForm(forms.Form):
    """A period read from the query string (`start`, `end`): either may be left out, and the
    default is the twelve months up to the end (or up to today). `cleaned_data["period"]`
    is the `Period`. Used by the evidence packs and by who took part across a Place."""

    start = forms.DateField(
        label="From",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )
    end = forms.DateField(
        label="To",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )

    def clean_start(self):
        return self._in_range(self.cleaned_data["start"])

    def clean_end(self):
        return self._in_range(self.cleaned_data["end"])

    @staticmethod
    def _in_range(day):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(f"Enter a date between {EARLIEST.year} and {LATEST.year}")
        return day

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        default = a_year_to(data.get("end") or timezone.localdate())
        start = data.get("start") or default.start
        end = data.get("end") or default.end
        if start > end:
            self.add_error("start", "The start date must be on or before the end date")
            return data
        data["period"] = Period(start=start, end=end)
        return data

    def period_query(self) -> dict:
        period = self.cleaned_data["period"]
        return {"start": period.start.isoformat(), "end": period.end.isoformat()}


class EvidencePackForm(PeriodDatesForm):
    """The choices of a pack, read from the query string. Every field may be left out: the
    person's first PCN, the whole PCN and the last twelve months are the defaults."""

    field_order = ["pcn", "practice", "start", "end"]

    pcn = ModelIdChoiceField(
        label="Primary care network",
        queryset=PrimaryCareNetwork.objects.none(),
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the PCNs listed"},
    )
    practice = ModelIdChoiceField(
        label="Practice",
        queryset=Practice.objects.none(),
        required=False,
        empty_label="The whole PCN",
        help_text="Choose the PCN and press Show first: the practices listed are its own.",
        error_messages={
            "invalid_choice": "Choose one of the practices of the PCN you chose, or the whole PCN"
        },
    )

    def __init__(self, *args, pcns, **kwargs):
        super().__init__(*args, **kwargs)
        self.pcns = pcns
        self.fields["pcn"].queryset = PrimaryCareNetwork.objects.filter(
            pk__in=[pcn.pk for pcn in pcns]
        ).order_by("name")
        # The practices offered are the chosen PCN's (or the first PCN's): no script needed.
        chosen = parse_id(str(self.data.get("pcn", "")))
        pcn = next((p for p in pcns if p.pk == chosen), pcns[0])
        self.fields["practice"].queryset = Practice.objects.filter(pcn=pcn).order_by("name")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["pcn"] = data.get("pcn") or self.pcns[0]
        practice = data.get("practice")
        if practice is not None and practice.pcn_id != data["pcn"].pk:
            self.add_error("practice", self.fields["practice"].error_messages["invalid_choice"])
        return data

    def query(self) -> dict:
        """The choices made, as a query string's values (for the print and CSV links)."""
        data = self.cleaned_data
        query = {
            "pcn": data["pcn"].pk,
            "start": data["period"].start.isoformat(),
            "end": data["period"].end.isoformat(),
        }
        if data.get("practice"):
            query["practice"] = data["practice"].pk
        return query


class EvidencePackMixin:
    """Refuses anyone who may see no PCN's figures; reads the choices; builds the pack."""

    def dispatch(self, request, *args, **kwargs):
        self.pcns = list(who_took_part_pcns(request.user).order_by("name"))
        if not self.pcns:
            raise PermissionDenied
        self.form = EvidencePackForm(request.GET, pcns=self.pcns)
        return super().dispatch(request, *args, **kwargs)

    def pack(self):
        data = self.form.cleaned_data
        pcn = data["pcn"]
        return evidence_pack(
            pcn=pcn,
            practice=data.get("practice"),
            period=data["period"],
            consultations=who_took_part_consultations(self.request.user, [pcn]),
            public_only=pcn.pk in pcns_through_place_only(self.request.user, [pcn]),
        )

    def links(self) -> dict:
        query = "?" + urlencode(self.form.query())
        return {
            "print_url": reverse("evidence_pack:print") + query,
            "csv_url": reverse("evidence_pack:csv") + query,
        }


class EvidencePackIndexView(EvidencePackMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "consultations/admin/evidence_pack.html"
    page_title = "Evidence packs"
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": "", "label": self.page_title},
        ]

    def get(self, request):
        context = self.get_context_data(form=self.form)
        if not self.form.is_valid():
            return self.render_to_response(context, status=400)
        context.update(pack=self.pack(), **self.links())
        return self.render_to_response(context)


class EvidencePackPrintView(EvidencePackMixin, TemplateView):
    template_name = "consultations/admin/evidence_pack_print.html"

    def get(self, request):
        context = {"form": self.form, "index_url": reverse("evidence_pack:index")}
        if not self.form.is_valid():
            return self.render_to_response(context, status=400)
        return self.render_to_response({**context, "pack": self.pack(), **self.links()})


class EvidencePackCsvView(EvidencePackMixin, TemplateView):
    template_name = EvidencePackPrintView.template_name  # the errors, when the choices are wrong

    def get(self, request):
        if not self.form.is_valid():
            context = {"form": self.form, "index_url": reverse("evidence_pack:index")}
            return self.render_to_response(context, status=400)
        pack = self.pack()
        response = StreamingHttpResponse(
            csv_lines(CSV_HEADER, list(evidence_pack_csv_rows(pack))),
            content_type="text/csv; charset=utf-8",
        )
        name = pack.practice.ods_code if pack.practice else pack.pcn.ods_code
        response["Content-Disposition"] = (
            f'attachment; filename="evidence-pack-{name}-{pack.period.start:%Y%m%d}-'
            f'{pack.period.end:%Y%m%d}.csv"'
        )
        return response


class EvidencePackMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_who_took_part(request.user)


class EvidencePackViewSet(ViewSet):
    name = "evidence_pack"
    url_prefix = "evidence-packs"
    icon = "doc-full"
    menu_label = "Evidence packs"
    add_to_admin_menu = True
    menu_order = 360
    menu_item_class = EvidencePackMenuItem

    def get_urlpatterns(self):
        return [
            path("", EvidencePackIndexView.as_view(), name="index"),
            path("print/", EvidencePackPrintView.as_view(), name="print"),
            path("csv/", EvidencePackCsvView.as_view(), name="csv"),
        ]
