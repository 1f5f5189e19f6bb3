"""State changes for PCNs and their sites."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page, Site

from home.models import HomePage, Place, PrimaryCareNetwork

# What a PCN's staff may do to the pages of their own site, and nowhere else.
STAFF_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def _admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


@transaction.atomic
def pcn_create(
    *, name: str, ods_code: str, place: Place, contact_email: str = ""
) -> PrimaryCareNetwork:
    """Create a PCN with its own moderator and staff groups."""
    pcn = PrimaryCareNetwork(name=name, ods_code=ods_code, place=place, contact_email=contact_email)
    pcn.full_clean()
    access_admin = _admin_access()
    pcn.moderator_group = Group.objects.create(name=f"{name}: PPG moderators")
    pcn.staff_group = Group.objects.create(name=f"{name}: staff")
    for group in (pcn.moderator_group, pcn.staff_group):
        group.permissions.add(access_admin)
    pcn.save()
    return pcn


@transaction.atomic
def pcn_site_create(
    *,
    pcn: PrimaryCareNetwork,
    title: str,
    introduction: str,
    hostname: str = "localhost",
    port: int = 80,
    is_default_site: bool = False,
) -> HomePage:
    """Create the PCN's home page and the Wagtail site that serves it.

    The PCN's staff may add, edit and publish pages below this home page only.
    """
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title=title, introduction=introduction, pcn=pcn))
    if is_default_site:
        Site.objects.filter(is_default_site=True).update(is_default_site=False)
    Site.objects.create(
        hostname=hostname,
        port=port,
        root_page=home,
        site_name=pcn.name,
        is_default_site=is_default_site,
    )
    for codename in STAFF_PAGE_PERMISSIONS:
        GroupPagePermission.objects.create(
            group=pcn.staff_group,
            page=home,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    return home
