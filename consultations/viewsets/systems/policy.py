"""Who may use the ICS vision screens: an integrated care system's leads, for their own ICS
only, and admins (`consultations.permissions.is_ics_lead_of`)."""

from home.boundary import ics_ids_led_by
from home.models import IntegratedCareSystem


def leads_an_ics(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(ics_ids_led_by(user))


def systems_led_by(user):
    """The integrated care systems this person leads (all, for an admin)."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return IntegratedCareSystem.objects.all()
    return IntegratedCareSystem.objects.filter(pk__in=ics_ids_led_by(user))
