"""Who took part across an organisation above a PCN, for its leads: what the Place's screen
and the ICS's share (`consultations.viewsets.places.who_took_part`,
`consultations.viewsets.systems.who_took_part`).

Each reads `start` and `end` (by default the last 12 months; a bad date or a reversed
period is a 400 with the form's errors), finds the organisation (a bad or unknown id, or
one the person may not see, is not found) and shows its roll-up, or its CSV.

The default period (neither date given) is shown from the stored snapshot
(`consultations.rollup_figures`), worked out ahead and saying when; its CSV link gives no
dates either, so it reads the same snapshot and holds the same figures. Any dates chosen
are worked out as they are asked for (`representation`), as they were before snapshots:
any two dates may be chosen, too many to keep.
"""

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify

from consultations.evidence import CSV_HEADER
from consultations.rollup import rollup_csv_rows
from consultations.rollup_figures import rollup_figures
from consultations.snapshots import DEFAULT_PERIOD, rollup_from_json
from consultations.viewsets.evidence_pack import PeriodDatesForm
from engage.ids import parse_id
from engage.spreadsheets import csv_lines


class RollUpScreenMixin:
    """Set `organisation_model`, `context_name` (what the template calls it),
    `csv_url_name` and `rollup_kind` (its snapshots'), and define
    `may_see(user, organisation)` and `representation(organisation, period)`."""

    header_icon = "group"
    organisation_model = None
    context_name = ""
    csv_url_name = ""
    rollup_kind = ""

    def may_see(self, user, organisation) -> bool:
        raise NotImplementedError

    def representation(self, organisation, period):
        raise NotImplementedError

    def get_page_title(self):
        return f"Who took part: {self.organisation.name}"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": f"Who took part: {self.organisation.name}"}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            minimum=settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS,
            **{self.context_name: self.organisation},
            **kwargs,
        )

    def find(self, pk):
        identifier = parse_id(str(pk))
        if identifier is None:
            raise Http404
        organisation = get_object_or_404(self.organisation_model, pk=identifier)
        if not self.may_see(self.request.user, organisation):
            raise Http404
        return organisation

    def get(self, request, pk):
        self.organisation = self.find(pk)  # before any figures are read
        form = PeriodDatesForm(request.GET)
        if not form.is_valid():
            response = self.render_to_response(
                self.get_context_data(form=form, rollup=None, freshness=None)
            )
            response.status_code = 400
            return response
        if form.cleaned_data.get("start") or form.cleaned_data.get("end"):
            rollup = self.representation(self.organisation, form.cleaned_data["period"])
            return self.respond(form, rollup, freshness=None)
        freshness = rollup_figures(
            kind=self.rollup_kind, organisation=self.organisation, parameters=DEFAULT_PERIOD
        )
        return self.respond(form, rollup_from_json(freshness.figures), freshness=freshness)

    def respond(self, form, rollup, *, freshness):
        """The page; its CSV link names the dates only when they were chosen (the default
        period's CSV reads the same snapshot as the page)."""
        csv_url = reverse(self.csv_url_name, args=[self.organisation.pk])
        if freshness is None:
            csv_url += "?" + urlencode(form.period_query())
        return self.render_to_response(
            self.get_context_data(form=form, rollup=rollup, csv_url=csv_url, freshness=freshness)
        )


class RollUpCsvMixin:
    """The same figures as a CSV download."""

    def respond(self, form, rollup, *, freshness):
        computed_at = freshness.computed_at if freshness else timezone.now()
        response = StreamingHttpResponse(
            csv_lines(CSV_HEADER, list(rollup_csv_rows(rollup, computed_at=computed_at))),
            content_type="text/csv; charset=utf-8",
        )
        period = rollup.period
        response["Content-Disposition"] = (
            f'attachment; filename="who-took-part-{slugify(self.organisation.name)}-'
            f'{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"'
        )
        return response
