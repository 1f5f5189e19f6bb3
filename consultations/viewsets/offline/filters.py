"""The filters of the offline contributions and letters listings, refusing what is not an id."""

from django import forms
from django.core.exceptions import ValidationError
from django_filters import ChoiceFilter, DateFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic.history import HistoryFilterSet

from consultations.forms import ModelIdChoiceField
from consultations.models import ConsultationPage, Idea, Letter
from consultations.viewsets.offline.policy import OFFLINE_CHANNELS, _scoped, letter_updates
from engage.ids import parse_id


class IdChoiceFilter(ModelChoiceFilter):
    """Refuses what is not an id (a number beyond 64 bits among them) before the database."""

    field_class = ModelIdChoiceField


class IdsOnlyMixin:
    """For a multiple-choice field: refuse what is not an id before the database is asked."""

    def _check_values(self, value):
        for item in value:
            if parse_id(str(item)) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


class OfflineHistoryFilterSet(HistoryFilterSet):
    """Wagtail's history filters, with the people filter refusing what is not an id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.filters:
            field_class = self.filters["user"].field_class
            self.filters["user"].field_class = type(
                field_class.__name__, (IdsOnlyMixin, field_class), {}
            )


class OfflineContributionFilterSet(WagtailFilterSet):
    consultation = IdChoiceFilter(
        label="Consultation",
        queryset=lambda request: _scoped(ConsultationPage.objects.all(), request.user).order_by(
            "-closes_at", "title"
        ),
    )
    channel = ChoiceFilter(label="How it was sent", choices=OFFLINE_CHANNELS)
    entered_since = DateFilter(
        label="Entered since",
        field_name="published_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Idea
        fields = []


class LetterFilterSet(WagtailFilterSet):
    update = IdChoiceFilter(
        label="Update",
        queryset=lambda request: letter_updates(request.user).order_by("-first_published_at"),
    )
    status = ChoiceFilter(
        label="Sent or not",
        choices=[(Letter.Status.DUE, "To print"), (Letter.Status.SENT, "Sent")],
    )

    class Meta:
        model = Letter
        fields = []
