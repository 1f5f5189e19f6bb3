"""The themes listing's filters: consultation, vision priority and answered."""

import django_filters
from django.db.models import Q
from wagtail.admin.filters import WagtailFilterSet

from consultations.forms import ModelIdChoiceField
from consultations.models import ConsultationPage, Theme, UpdatePage
from consultations.selectors import moderated_consultations


class _IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice by id that answers an id too large for the database as "not a choice"."""

    field_class = ModelIdChoiceField


class ThemeFilterSet(WagtailFilterSet):
    consultation = _IdChoiceFilter(
        label="Consultation",
        queryset=lambda request: (
            moderated_consultations(request.user).order_by("title")
            if request is not None
            else ConsultationPage.objects.none()
        ),
        empty_label="All consultations",
    )
    has_priority = django_filters.BooleanFilter(
        label="Feeds into a vision priority",
        field_name="priority",
        lookup_expr="isnull",
        exclude=True,
    )
    answered = django_filters.BooleanFilter(
        label="Answered by a published update", method="filter_answered"
    )

    class Meta:
        model = Theme
        fields = []

    def filter_answered(self, queryset, name, value):
        answered = Q(pk__in=UpdatePage.objects.live().values("themes"))
        return queryset.filter(answered) if value else queryset.exclude(answered)
