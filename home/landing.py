"""Where a PCN's staff and leads land after signing in: the Wagtail dashboard, where their
panels (themes waiting for an answer, updates waiting for approval) are."""

from django.db.models import Q
from django.urls import reverse

from engage.roles import Landing, group_ids
from home.models import PrimaryCareNetwork


def staff_landing(user) -> Landing | None:
    groups = group_ids(user)
    if not groups:
        return None
    works_for = PrimaryCareNetwork.objects.filter(
        Q(staff_group_id__in=groups) | Q(lead_group_id__in=groups)
    )
    if works_for.exists():
        return Landing(url=reverse("wagtailadmin_home"), label="Dashboard", manages=True)
    return None
