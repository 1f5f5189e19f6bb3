"""Who took part across an integrated care system: for its leads (and admins), the people who
took part in the public consultations of all the PCNs of all its Places over a period, each
counted once, by every breakdown of "Who took part", against the ICS's registered patients,
with its Places side by side and each Place's PCNs (`consultations.rollup`); and a CSV of the
same figures.

`ics_vision:who_took_part` (`/admin/ics-vision/ics/<id>/who-took-part/`) and
`ics_vision:who_took_part_csv` (`.../csv/`) read `start` and `end` (by default the last
twelve months) as the evidence packs do; a date that is not one, out of range or after the
end is refused with the form and a message saying what to enter (400). The default period
is shown from figures worked out ahead, saying when (`consultations.rollup_figures`); chosen
dates are worked out as they are asked for.

Who: the ICS's leads and admins (`permissions.can_see_ics_who_took_part`); anyone who leads
no ICS is refused (as on every ICS vision screen); another ICS is not found.
"""

from consultations import permissions
from consultations.models import RollupKind
from consultations.rollup import ics_representation
from consultations.viewsets.rollup_screens import RollUpCsvMixin, RollUpScreenMixin
from consultations.viewsets.systems.screens import _IcsScreen
from home.models import IntegratedCareSystem


class IcsWhoTookPartView(RollUpScreenMixin, _IcsScreen):
    template_name = "consultations/systems/admin_who_took_part.html"
    organisation_model = IntegratedCareSystem
    context_name = "ics"
    rollup_kind = RollupKind.ICS_WHO_TOOK_PART
    csv_url_name = "ics_vision:who_took_part_csv"

    def may_see(self, user, organisation) -> bool:
        return permissions.can_see_ics_who_took_part(user, organisation)

    def representation(self, organisation, period):
        return ics_representation(ics=organisation, period=period)


class IcsWhoTookPartCsvView(RollUpCsvMixin, IcsWhoTookPartView):
    """The same figures as a CSV."""
