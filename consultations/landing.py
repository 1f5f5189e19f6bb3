"""Where a PPG moderator lands after signing in (the moderation queue), and a resident (the
ideas and comments they shared). `engage.roles.landing` picks the first that applies."""

from django.urls import reverse

from engage.roles import Landing, group_ids
from home.models import PrimaryCareNetwork


def moderator_landing(user) -> Landing | None:
    groups = group_ids(user)
    if not groups or not PrimaryCareNetwork.objects.filter(moderator_group_id__in=groups).exists():
        return None
    return Landing(url=reverse("moderation_ideas:index"), label="Moderation queue", manages=True)


def resident_landing(user) -> Landing:
    return Landing(
        url=reverse("consultations:my-contributions"), label="Your contributions", manages=False
    )
