"""Who may use the Place vision screens: a Place's leads, for their own Place only, and
admins (`consultations.permissions.is_place_lead_of`)."""

from consultations.models import PlaceVisionPage
from home.boundary import place_ids_led_by
from home.models import Place


def leads_a_place(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(place_ids_led_by(user))


def place_visions_for(user):
    """The Place visions this person may link: those of the Places they lead (all for an
    admin)."""
    visions = PlaceVisionPage.objects.select_related("place")
    if user is not None and user.is_authenticated and user.is_superuser:
        return visions
    return visions.filter(place_id__in=place_ids_led_by(user))


def places_led_by(user):
    """The Places this person leads (all, for an admin)."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return Place.objects.all()
    return Place.objects.filter(pk__in=place_ids_led_by(user))
