"""Who may use the ICS vision screens: an integrated care system's leads, for their own ICS
only, and admins (`consultations.permissions.is_ics_lead_of`)."""

from consultations.models import IcsPriority, IcsVisionPage
from home.boundary import ics_ids_led_by
from home.models import IntegratedCareSystem


def _is_admin(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.is_superuser


def leads_an_ics(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(ics_ids_led_by(user))


def ics_visions_for(user):
    """The ICS visions this person may link: those of the systems they lead (all for an
    admin)."""
    visions = IcsVisionPage.objects.select_related("ics")
    if _is_admin(user):
        return visions
    return visions.filter(ics_id__in=ics_ids_led_by(user))


def ics_priorities_for(user):
    """The ICS priorities this person may link: another system's are not found (404)."""
    priorities = IcsPriority.objects.select_related("page__ics")
    if _is_admin(user):
        return priorities
    return priorities.filter(page__ics_id__in=ics_ids_led_by(user))


def systems_led_by(user):
    """The integrated care systems this person leads (all, for an admin)."""
    if _is_admin(user):
        return IntegratedCareSystem.objects.all()
    return IntegratedCareSystem.objects.filter(pk__in=ics_ids_led_by(user))
