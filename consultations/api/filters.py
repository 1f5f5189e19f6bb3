"""The filters of each list of the open data API (django-filter FilterSets).

A value that is wrong (a date that is not a date, an id that is not a number or not a public
consultation's, an ODS code no PCN has) makes the FilterSet invalid, and DRF's filter backend
answers 400 with `{"parameter": ["what is wrong"]}`.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from consultations.api import selectors
from consultations.api.base import BIGINT
from consultations.models import ActionStatus, Phase
from home.boundary import in_pcn
from home.models import PrimaryCareNetwork


class IdField(forms.IntegerField):
    """An id: a whole number the database can hold (a larger one would be a database error,
    not a refusal)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT)
        super().__init__(*args, **kwargs)


class WholeNumberFilter(django_filters.NumberFilter):
    """An id (django-filter's NumberFilter takes decimals, and numbers of any size)."""

    field_class = IdField


class PublicConsultationField(django_filters.fields.ModelChoiceField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not str(value).isascii() or not str(value).isdigit() or int(value) > BIGINT:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class PublicConsultationFilter(django_filters.ModelChoiceFilter):
    field_class = PublicConsultationField


def pcn_filter(help_text: str):
    return django_filters.ModelChoiceFilter(
        queryset=PrimaryCareNetwork.objects.all(),
        to_field_name="ods_code",
        method="filter_pcn",
        label=help_text,
        error_messages={"invalid_choice": "No PCN has this ODS code."},
    )


class PcnFilterMixin:
    def filter_pcn(self, queryset, name, value: str):
        return in_pcn(queryset, value) if value else queryset


class OrganisationFilter(django_filters.FilterSet):
    KINDS = ("ics", "place", "pcn", "practice")

    kind = django_filters.ChoiceFilter(
        choices=[
            ("ics", "Integrated care systems"),
            ("place", "Places"),
            ("pcn", "Primary care networks"),
            ("practice", "GP practices"),
        ],
        required=True,
        method="filter_kind",
        label="Which organisations: ics, place, pcn or practice (required).",
        error_messages={"required": "Say which organisations: ics, place, pcn or practice."},
    )
    parent = WholeNumberFilter(
        method="filter_parent",
        label="Only those under the organisation with this id: a place's ICS, a PCN's place, "
        "a practice's PCN.",
    )

    def filter_kind(self, queryset, name, value):
        return queryset  # the view lists the kind asked for

    def filter_parent(self, queryset, name, value):
        if value is None:
            return queryset
        field = {
            "Place": "integrated_care_system_id",
            "PrimaryCareNetwork": "place_id",
            "Practice": "pcn_id",
        }.get(queryset.model.__name__)
        return queryset.filter(**{field: value}) if field else queryset.none()


class ConsultationFilter(PcnFilterMixin, django_filters.FilterSet):
    pcn = pcn_filter("Only the consultations of the PCN with this ODS code, like U12345.")
    phase = django_filters.ChoiceFilter(
        choices=Phase.choices,
        method="filter_phase",
        label="Only those in this phase: upcoming, open, closed, under_review or responded.",
    )
    opened_after = django_filters.IsoDateTimeFilter(
        field_name="opens_at",
        lookup_expr="gte",
        label="Only those that open on or after this date or time (ISO 8601, like 2026-01-31).",
    )
    opened_before = django_filters.IsoDateTimeFilter(
        field_name="opens_at",
        lookup_expr="lt",
        label="Only those that open before this date or time (ISO 8601, like 2026-12-31).",
    )

    def filter_phase(self, queryset, name, value):
        if not value:
            return queryset
        if value == Phase.UPCOMING:
            return queryset.upcoming()
        if value == Phase.OPEN:
            return queryset.open_now()
        if value == Phase.CLOSED:
            return queryset.filter(phase_override="", closes_at__lte=timezone.now())
        return queryset.filter(phase_override=value)


def _public_consultation_filter(help_text: str, field_name: str):
    return PublicConsultationFilter(
        # A callable: `.public()` reads the view restrictions of this request.
        queryset=lambda request: selectors.public_consultations(),
        field_name=field_name,
        label=help_text,
        error_messages={"invalid_choice": "No public consultation has this id."},
    )


class ThemeFilter(PcnFilterMixin, django_filters.FilterSet):
    consultation = _public_consultation_filter(
        "Only the themes of the consultation with this id.", "consultation"
    )
    pcn = pcn_filter("Only the themes of the PCN with this ODS code, like U12345.")
    priority = WholeNumberFilter(
        field_name="priority_id", label="Only the themes linked to the priority with this id."
    )


class PriorityFilter(PcnFilterMixin, django_filters.FilterSet):
    pcn = pcn_filter("Only the priorities of the PCN with this ODS code, like U12345.")


class UpdateFilter(PcnFilterMixin, django_filters.FilterSet):
    pcn = pcn_filter("Only the updates of the PCN with this ODS code, like U12345.")
    status = django_filters.ChoiceFilter(
        choices=ActionStatus.choices,
        method="filter_status",
        label="Only those whose overall status, from their actions, is this: planned, "
        "in_progress, done or not_possible.",
    )
    consultation = _public_consultation_filter(
        "Only the updates responding to the consultation with this id.", "consultation"
    )

    def filter_status(self, queryset, name, value):
        return queryset.filter(selectors.overall_status_q(value)) if value else queryset


class AccountabilityFilter(django_filters.FilterSet):
    pcn = django_filters.ModelChoiceFilter(
        queryset=PrimaryCareNetwork.objects.all(),
        to_field_name="ods_code",
        method="filter_pcn",
        label="Only the PCN with this ODS code, like U12345.",
        error_messages={"invalid_choice": "No PCN has this ODS code."},
    )
    place = WholeNumberFilter(
        field_name="place_id", label="Only the PCNs of the place with this id."
    )

    def filter_pcn(self, queryset, name, value: str):
        return queryset.filter(Q(pk=value.pk)) if value else queryset


class PlaceAccountabilityFilter(django_filters.FilterSet):
    place = WholeNumberFilter(field_name="pk", label="Only the place with this id.")
    ics = WholeNumberFilter(
        field_name="integrated_care_system_id", label="Only the places of the ICS with this id."
    )


class IcsAccountabilityFilter(django_filters.FilterSet):
    ics = WholeNumberFilter(field_name="pk", label="Only the integrated care system with this id.")
