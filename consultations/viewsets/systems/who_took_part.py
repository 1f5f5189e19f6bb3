"""Who took part across an integrated care system: for its leads (and admins), the people who
took part in the public consultations of all the PCNs of all its Places over a period, each
counted once, by every breakdown of "Who took part", against the ICS's registered patients,
with its Places side by side and each Place's PCNs (`consultations.rollup`); and a CSV of the
same figures.

`ics_vision:who_took_part` (`/admin/ics-vision/ics/<id>/who-took-part/`) and
`ics_vision:who_took_part_csv` (`.../csv/`) read `start` and `end` (by default the last
twelve months) as the evidence packs do; a date that is not one, out of range or after the
end is refused with the form and a message saying what to enter (400).

Who: the ICS's leads and admins (`permissions.can_see_ics_who_took_part`); anyone who leads
no ICS is refused (as on every ICS vision screen); another ICS is not found.
"""

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify

from consultations import permissions
from consultations.evidence import CSV_HEADER
from consultations.rollup import ics_representation, rollup_csv_rows
from consultations.viewsets.evidence_pack import PeriodDatesForm
from consultations.viewsets.systems.screens import _IcsScreen
from engage.ids import parse_id
from engage.spreadsheets import csv_lines
from home.models import IntegratedCareSystem


class IcsWhoTookPartView(_IcsScreen):
    template_name = "consultations/systems/admin_who_took_part.html"
    header_icon = "group"

    def get_page_title(self):
        return f"Who took part: {self.ics.name}"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": f"Who took part: {self.ics.name}"}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(minimum=settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS, **kwargs)

    def find(self, pk) -> IntegratedCareSystem:
        identifier = parse_id(str(pk))
        if identifier is None:
            raise Http404
        ics = get_object_or_404(IntegratedCareSystem, pk=identifier)
        if not permissions.can_see_ics_who_took_part(self.request.user, ics):
            raise Http404
        return ics

    def get(self, request, pk):
        self.ics = self.find(pk)
        form = PeriodDatesForm(request.GET)
        if not form.is_valid():
            response = self.render_to_response(
                self.get_context_data(ics=self.ics, form=form, rollup=None)
            )
            response.status_code = 400
            return response
        rollup = ics_representation(ics=self.ics, period=form.cleaned_data["period"])
        return self.respond(form, rollup)

    def respond(self, form, rollup):
        query = "?" + urlencode(form.period_query())
        return self.render_to_response(
            self.get_context_data(
                ics=self.ics,
                form=form,
                rollup=rollup,
                csv_url=reverse("ics_vision:who_took_part_csv", args=[self.ics.pk]) + query,
            )
        )


class IcsWhoTookPartCsvView(IcsWhoTookPartView):
    def respond(self, form, rollup):
        response = StreamingHttpResponse(
            csv_lines(CSV_HEADER, list(rollup_csv_rows(rollup))),
            content_type="text/csv; charset=utf-8",
        )
        period = rollup.period
        response["Content-Disposition"] = (
            f'attachment; filename="who-took-part-{slugify(self.ics.name)}-'
            f'{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"'
        )
        return response
