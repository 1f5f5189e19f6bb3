"""Who took part across a Place: for its leads (and admins), beside the Place vision screens,
the people who took part in the public consultations of all the Place's PCNs over a period,
each counted once, by every breakdown of "Who took part", against the Place's registered
patients, with its PCNs side by side (`consultations.rollup`); and a CSV of the same figures.

`place_vision:who_took_part` (`/admin/place-vision/place/<id>/who-took-part/`) and
`place_vision:who_took_part_csv` (`.../csv/`) read `start` and `end` (by default the last
twelve months) as the evidence packs do; a date that is not one, out of range or after the
end is refused with the form and a message saying what to enter (400). The default period
is shown from figures worked out ahead, saying when (`consultations.rollup_figures`); chosen
dates are worked out as they are asked for.

Who: the Place's leads and admins (`permissions.can_see_place_who_took_part`); anyone who
leads no Place is refused (as on every Place vision screen); another Place is not found.
"""

from consultations import permissions
from consultations.models import RollupKind
from consultations.rollup import place_representation
from consultations.viewsets.places.screens import _PlaceScreen
from consultations.viewsets.rollup_screens import RollUpCsvMixin, RollUpScreenMixin
from home.models import Place


class PlaceWhoTookPartView(RollUpScreenMixin, _PlaceScreen):
    template_name = "consultations/places/admin_who_took_part.html"
    organisation_model = Place
    context_name = "place"
    rollup_kind = RollupKind.PLACE_WHO_TOOK_PART
    csv_url_name = "place_vision:who_took_part_csv"

    def may_see(self, user, organisation) -> bool:
        return permissions.can_see_place_who_took_part(user, organisation)

    def representation(self, organisation, period):
        return place_representation(place=organisation, period=period)


class PlaceWhoTookPartCsvView(RollUpCsvMixin, PlaceWhoTookPartView):
    """The same figures as a CSV."""
