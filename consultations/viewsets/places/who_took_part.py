"""Who took part across a Place: for its leads (and admins), beside the Place vision screens,
the people who took part in the public consultations of all the Place's PCNs over a period,
each counted once, by every breakdown of "Who took part", against the Place's registered
patients, with its PCNs side by side (`consultations.rollup`); and a CSV of the same figures.

`place_vision:who_took_part` (`/admin/place-vision/place/<id>/who-took-part/`) and
`place_vision:who_took_part_csv` (`.../csv/`) read `start` and `end` (by default the last
twelve months) as the evidence packs do; a date that is not one, out of range or after the
end is refused with the form and a message saying what to enter (400).

Who: the Place's leads and admins (`permissions.can_see_place_who_took_part`); anyone who
leads no Place is refused (as on every Place vision screen); another Place is not found.
"""

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify

from consultations import permissions
from consultations.evidence import CSV_HEADER
from consultations.rollup import place_representation, rollup_csv_rows
from consultations.viewsets.evidence_pack import PeriodDatesForm
from consultations.viewsets.places.screens import _PlaceScreen
from engage.ids import parse_id
from engage.spreadsheets import csv_lines
from home.models import Place


class PlaceWhoTookPartView(_PlaceScreen):
    template_name = "consultations/places/admin_who_took_part.html"
    header_icon = "group"

    def get_page_title(self):
        return f"Who took part: {self.place.name}"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": f"Who took part: {self.place.name}"}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(minimum=settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS, **kwargs)

    def find(self, pk) -> Place:
        identifier = parse_id(str(pk))
        if identifier is None:
            raise Http404
        place = get_object_or_404(Place, pk=identifier)
        if not permissions.can_see_place_who_took_part(self.request.user, place):
            raise Http404
        return place

    def get(self, request, pk):
        self.place = self.find(pk)
        form = PeriodDatesForm(request.GET)
        if not form.is_valid():
            response = self.render_to_response(
                self.get_context_data(place=self.place, form=form, rollup=None)
            )
            response.status_code = 400
            return response
        rollup = place_representation(place=self.place, period=form.cleaned_data["period"])
        return self.respond(form, rollup)

    def respond(self, form, rollup):
        query = "?" + urlencode(form.period_query())
        return self.render_to_response(
            self.get_context_data(
                place=self.place,
                form=form,
                rollup=rollup,
                csv_url=reverse("place_vision:who_took_part_csv", args=[self.place.pk]) + query,
            )
        )


class PlaceWhoTookPartCsvView(PlaceWhoTookPartView):
    def respond(self, form, rollup):
        response = StreamingHttpResponse(
            csv_lines(CSV_HEADER, list(rollup_csv_rows(rollup))),
            content_type="text/csv; charset=utf-8",
        )
        period = rollup.period
        response["Content-Disposition"] = (
            f'attachment; filename="who-took-part-{slugify(self.place.name)}-'
            f'{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"'
        )
        return response
