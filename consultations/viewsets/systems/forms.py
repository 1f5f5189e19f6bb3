"""The form an ICS lead links an ICS priority with: a priority of one of the system's own
Places (`home.boundary.in_ics`), on a Place vision the public can read."""

from django import forms

from consultations.models import PlacePriority, PlaceVisionPage
from home.boundary import in_ics


def linkable_place_priorities(ics):
    """The Place priorities an ICS priority of `ics` may cite: those of its Places' live,
    public Place visions, with their Place, ordered by Place and then as each vision orders
    them."""
    public = PlaceVisionPage.objects.live().public().values("pk")
    return (
        in_ics(PlacePriority.objects.filter(page__in=public), ics)
        .select_related("page__place")
        .order_by("page__place__name", "page__path", "sort_order", "pk")
    )


class IcsLinkForm(forms.Form):
    place_priority = forms.ModelChoiceField(
        queryset=PlacePriority.objects.none(),
        label="A Place priority",
        help_text="A priority of one of the system's Places' published visions.",
        error_messages={
            "required": "Choose a Place priority to link.",
            "invalid_choice": "Choose a priority of one of this system's own Places. That one "
            "is not one of them, or its Place vision is not published.",
        },
    )

    def __init__(self, *args, ics, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["place_priority"]
        field.queryset = linkable_place_priorities(ics)
        field.label_from_instance = self.priority_label

    @staticmethod
    def priority_label(priority) -> str:
        return f"{priority.title} ({priority.page.place.name})"
