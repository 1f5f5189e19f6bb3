"""Where a PPG moderator lands after signing in (the moderation queue), a place lead (their
Place's vision), an ICS lead (their integrated care system's charts), and a resident (the
ideas and comments they shared). `engage.roles.landing`
picks the first that applies."""

from django.urls import reverse

from consultations.models import IcsVisionPage, PlaceVisionPage
from engage.roles import Landing, group_ids
from home.boundary import ics_ids_led_by, place_ids_led_by
from home.models import PrimaryCareNetwork


def moderator_landing(user) -> Landing | None:
    groups = group_ids(user)
    if not groups or not PrimaryCareNetwork.objects.filter(moderator_group_id__in=groups).exists():
        return None
    return Landing(url=reverse("moderation_ideas:index"), label="Moderation queue", manages=True)


def place_lead_landing(user) -> Landing | None:
    """A place lead whose Place has its vision set up (`place_site_setup`, which also gives
    their group the admin)."""
    if not group_ids(user) or not place_ids_led_by(user):
        return None
    if not PlaceVisionPage.objects.filter(place_id__in=place_ids_led_by(user)).exists():
        return None
    return Landing(url=reverse("place_vision:index"), label="Place vision", manages=True)


def ics_lead_landing(user) -> Landing | None:
    """An ICS lead (who leads no Place with a vision, and is not a PCN's moderator or staff),
    once their group has the admin: their ICS vision screen (its priorities' links, who took
    part and the charts) when their system's vision is set up (`ics_site_setup`), else the
    charts of the first ICS they lead."""
    if not group_ids(user):
        return None
    systems = ics_ids_led_by(user)
    if not systems or not user.has_perm("wagtailadmin.access_admin"):
        return None
    if IcsVisionPage.objects.filter(ics_id__in=systems).exists():
        return Landing(url=reverse("ics_vision:index"), label="ICS vision", manages=True)
    return Landing(url=reverse("charts:ics", args=[systems[0]]), label="ICS charts", manages=True)


def resident_landing(user) -> Landing:
    return Landing(
        url=reverse("consultations:my-contributions"), label="Your contributions", manages=False
    )
