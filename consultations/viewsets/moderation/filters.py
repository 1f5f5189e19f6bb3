"""The moderation queue's filters: status, consultation and age."""

from datetime import timedelta

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet

from consultations.models import Comment, Idea, PostStatus
from consultations.selectors import moderated_consultations
from consultations.viewsets.moderation.policy import _consultation_lookup
from engage.ids import parse_id

STATUS_CHOICES = [
    ("attention", "Waiting or reported"),
    ("pending", "Waiting for approval"),
    ("reported", "Reported by residents"),
    ("hidden", "Hidden"),
    ("published", "Published"),
]

OLDER_THAN_CHOICES = [("1", "1 day"), ("3", "3 days"), ("7", "7 days")]


def _consultations_for(request):
    if request is None:
        return moderated_consultations(None).none()
    return moderated_consultations(request.user).order_by("title")


def filter_by_status(queryset, status: str):
    if status == "pending":
        return queryset.filter(status=PostStatus.PENDING)
    if status == "reported":
        return queryset.filter(open_flag_count__gt=0)
    if status == "hidden":
        return queryset.filter(status=PostStatus.HIDDEN)
    if status == "published":
        return queryset.filter(status=PostStatus.PUBLISHED)
    return queryset.filter(Q(status=PostStatus.PENDING) | Q(open_flag_count__gt=0))


class ConsultationChoiceField(django_filters.fields.ModelChoiceField):
    """Refuses a value that is not an id before asking the database (as `ModelIdChoiceField`
    does): SQLite cannot be asked about a number beyond 64 bits."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(str(value)) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class ConsultationFilter(django_filters.ModelChoiceFilter):
    field_class = ConsultationChoiceField


class PostFilterSet(WagtailFilterSet):
    """Status (waiting or reported unless another is chosen), consultation (only those the
    person moderates: another's is refused as not one of the choices) and age."""

    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_CHOICES, empty_label=None, method="filter_status"
    )
    consultation = ConsultationFilter(
        label="Consultation",
        queryset=_consultations_for,
        empty_label="All consultations",
        method="filter_consultation",
    )
    older_than = django_filters.ChoiceFilter(
        label="Waiting longer than",
        choices=OLDER_THAN_CHOICES,
        empty_label="Any time",
        method="filter_older_than",
    )

    class Meta:
        model = Idea
        fields = []

    def filter_status(self, queryset, name, value):
        return filter_by_status(queryset, value)

    def filter_consultation(self, queryset, name, value):
        return queryset.filter(**{_consultation_lookup(queryset.model): value})

    def filter_older_than(self, queryset, name, value):
        return queryset.filter(created_at__lte=timezone.now() - timedelta(days=int(value)))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = filter_by_status(queryset, "attention")
        return queryset


class CommentFilterSet(PostFilterSet):
    class Meta:
        model = Comment
        fields = []
