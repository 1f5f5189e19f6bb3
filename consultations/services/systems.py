"""State changes for an integrated care system's shared vision: its site, and the links its
ICS leads confirm between an ICS priority and the priorities its Places agreed."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from consultations.models import IcsPriority, IcsPriorityLink, IcsVisionPage, PlaceVisionPage
from consultations.permissions import can_link_ics_priority
from consultations.services.places import lead_group_setup, vision_site_setup
from home.models import IntegratedCareSystem


@transaction.atomic
def ics_lead_group_setup(*, ics: IntegratedCareSystem) -> Group:
    """The ICS's lead group, made once, with access to the admin."""
    return lead_group_setup(ics, name=f"{ics.name}: ICS leads")


@transaction.atomic
def ics_site_setup(
    *, ics: IntegratedCareSystem, hostname: str, port: int = 80, title: str = ""
) -> IcsVisionPage:
    """The ICS's site: its vision page (a draft for its leads to write) as the root of a
    Wagtail site at `hostname`, and its lead group with permission to edit and publish that
    page and the updates under it, nothing else. Safe to run twice; a host name another
    site serves is refused (ValidationError), changing nothing."""
    group = ics_lead_group_setup(ics=ics)
    page = IcsVisionPage.objects.filter(ics=ics).first() or IcsVisionPage(
        title=title or f"{ics.name}: our shared vision", ics=ics, live=False
    )
    return vision_site_setup(
        page=page, group=group, hostname=hostname, port=port, site_name=ics.name
    )


@transaction.atomic
def ics_priority_link(*, priority: IcsPriority, place_priority, user) -> IcsPriorityLink:
    """An ICS lead confirms that `priority` cites `place_priority`.

    Refuses (PermissionDenied) anyone who does not lead the priority's ICS, and
    (ValidationError, on the field) a Place priority of a Place of another ICS, one whose
    Place vision the public cannot read, and a link made already.
    """
    if not can_link_ics_priority(user, priority):
        raise PermissionDenied("Only the system's ICS leads may link its priorities.")
    link = IcsPriorityLink(
        priority=priority,
        place_priority=place_priority,
        confirmed_by=user,
        confirmed_at=timezone.now(),
    )
    link.full_clean(validate_constraints=False)
    public = PlaceVisionPage.objects.live().public().filter(pk=place_priority.page_id)
    if not public.exists():
        raise ValidationError(
            {"place_priority": f"'{place_priority}' is on a Place vision not published yet."}
        )
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise ValidationError({"place_priority": "This priority cites it already."}) from None
    log(
        instance=priority.page,
        action="engage.ics.link",
        user=user,
        data={"priority": priority.pk, "link": link.pk, "cites": str(place_priority)},
    )
    return link


@transaction.atomic
def ics_priority_unlink(*, link: IcsPriorityLink, user) -> None:
    """An ICS lead takes a link away (the priority no longer cites that Place priority)."""
    if not can_link_ics_priority(user, link.priority):
        raise PermissionDenied("Only the system's ICS leads may link its priorities.")
    priority = link.priority
    cites = str(link.place_priority)
    link.delete()
    log(
        instance=priority.page,
        action="engage.ics.unlink",
        user=user,
        data={"priority": priority.pk, "cites": cites},
    )
