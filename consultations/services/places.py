"""State changes for a Place's shared vision: its site, and the links its place leads confirm
between a Place priority and the themes and priorities its PCNs heard."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import GroupPagePermission, Page, Site

from consultations.models import (
    ConsultationPage,
    PlacePriority,
    PlacePriorityLink,
    PlaceVisionPage,
    Theme,
)
from consultations.permissions import can_link_place_priority
from home.models import Place, VisionPriority

# What a Place's (or an ICS's) leads may do to their own site (its vision page and the
# "You said, we did" updates they add under it), and nowhere else. They publish directly:
# a Place has one role, so an approval by the same group would check nothing.
LEAD_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def _admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def lead_group_setup(organisation, *, name: str) -> Group:
    """A Place's or an ICS's lead group, made once, with access to the admin."""
    if organisation.lead_group is None:
        organisation.lead_group = Group.objects.create(name=name)
        organisation.save(update_fields=["lead_group"])
    organisation.lead_group.permissions.add(_admin_access())
    return organisation.lead_group


@transaction.atomic
def place_lead_group_setup(*, place: Place) -> Group:
    """The Place's lead group, made once, with access to the admin."""
    return lead_group_setup(place, name=f"{place.name}: place leads")


def vision_site_setup(*, page, group: Group, hostname: str, port: int, site_name: str):
    """A Place's or an ICS's vision `page` (unsaved when new: made a draft at the root) as
    the root of its own Wagtail site at `hostname`, and `group` with permission to edit and
    publish that page and what they add under it, and nothing else. What exists is kept;
    the host name of an existing site is not changed. Raises ValidationError, changing
    nothing, for a host name another site serves."""
    if page.pk is None:
        taken = Site.objects.filter(hostname=hostname, port=port).first()
        if taken is not None:
            raise ValidationError(
                {"hostname": f"{hostname}:{port} already serves {taken.site_name or 'a site'}."}
            )
        Page.get_first_root_node().add_child(instance=page)
        page.save_revision()
    if not Site.objects.filter(root_page=page).exists():
        Site.objects.create(hostname=hostname, port=port, root_page=page, site_name=site_name)
    for codename in LEAD_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    return page


@transaction.atomic
def place_site_setup(
    *, place: Place, hostname: str, port: int = 80, title: str = ""
) -> PlaceVisionPage:
    """The Place's site: its vision page (a draft for its leads to write) as the root of a
    Wagtail site at `hostname`, and its lead group with permission to edit and publish that
    page only (`vision_site_setup`). Safe to run twice."""
    group = place_lead_group_setup(place=place)
    page = PlaceVisionPage.objects.filter(place=place).first() or PlaceVisionPage(
        title=title or f"{place.name}: our shared vision", place=place, live=False
    )
    return vision_site_setup(
        page=page, group=group, hostname=hostname, port=port, site_name=place.name
    )


@transaction.atomic
def place_priority_link(
    *,
    priority: PlacePriority,
    user,
    theme: Theme | None = None,
    vision_priority: VisionPriority | None = None,
) -> PlacePriorityLink:
    """A place lead confirms that `priority` cites `theme` (or a PCN's `vision_priority`).

    Refuses (PermissionDenied) anyone who does not lead the priority's Place, and
    (ValidationError, on the field) a theme or priority of a PCN of another Place, a theme of
    a consultation the public cannot read, and a link made already.
    """
    if not can_link_place_priority(user, priority):
        raise PermissionDenied("Only the Place's leads may link its priorities.")
    if (theme is None) == (vision_priority is None):
        raise ValidationError("Choose one PCN theme or one PCN priority to link.")
    link = PlacePriorityLink(
        priority=priority,
        theme=theme,
        vision_priority=vision_priority,
        confirmed_by=user,
        confirmed_at=timezone.now(),
    )
    link.full_clean(validate_constraints=False)
    if theme is not None and not _public_consultation(theme.consultation_id):
        raise ValidationError(
            {"theme": f"'{theme}' is from a consultation the public cannot read yet."}
        )
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        field = "theme" if theme is not None else "vision_priority"
        raise ValidationError({field: "This priority cites it already."}) from None
    log(
        instance=priority.page,
        action="engage.place.link",
        user=user,
        data={"priority": priority.pk, "link": link.pk, "cites": str(theme or vision_priority)},
    )
    return link


@transaction.atomic
def place_priority_unlink(*, link: PlacePriorityLink, user) -> None:
    """A place lead takes a link away (the priority no longer cites that theme or priority)."""
    if not can_link_place_priority(user, link.priority):
        raise PermissionDenied("Only the Place's leads may link its priorities.")
    priority = link.priority
    cites = str(link.theme or link.vision_priority)
    link.delete()
    log(
        instance=priority.page,
        action="engage.place.unlink",
        user=user,
        data={"priority": priority.pk, "cites": cites},
    )


def _public_consultation(consultation_id: int) -> bool:
    return ConsultationPage.objects.live().public().filter(pk=consultation_id).exists()
