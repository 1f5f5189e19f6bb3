"""State changes for PCNs and their sites."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from home.models import HomePage, Place, PrimaryCareNetwork
from home.pages import LEAD_APPROVAL, STAFF_PUBLISH

# What a PCN's staff may do to the pages of their own site, and nowhere else. They publish
# consultations and the vision directly; updates go through the PCN leads' approval.
STAFF_PAGE_PERMISSIONS = ["add_page", "change_page"]
STAFF_SECTION_PERMISSIONS = ["publish_page"]
LEAD_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
# What a PCN's staff and leads may do with the images and documents of their own collection,
# and nowhere else: (app label, codename).
STAFF_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


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
    pcn.lead_group = Group.objects.create(name=f"{name}: PCN leads")
    for group in (pcn.moderator_group, pcn.staff_group, pcn.lead_group):
        group.permissions.add(access_admin)
    pcn.save()
    pcn_collection_setup(pcn=pcn)
    return pcn


@transaction.atomic
def pcn_collection_setup(*, pcn: PrimaryCareNetwork) -> Collection:
    """The PCN's own collection of images and documents, which its staff and leads may add
    to, change and choose from. Another PCN's staff never see it: Wagtail lists and offers
    only the uploads of collections a person's groups hold permissions on.

    Safe to run again (for a PCN made before collections, see migration 0004).
    """
    if pcn.collection is None:
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        pcn.collection = root.add_child(name=pcn.name)
        pcn.save(update_fields=["collection"])
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in STAFF_COLLECTION_PERMISSIONS
    ]
    for group in (pcn.staff_group, pcn.lead_group):
        if group is None:
            continue
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=pcn.collection, permission=permission
            )
    return pcn.collection


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
    _grant(pcn.staff_group, home, STAFF_PAGE_PERMISSIONS)
    _grant(pcn.lead_group, home, LEAD_PAGE_PERMISSIONS)
    return home


def _grant(group, page, codenames) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )


@transaction.atomic
def pcn_sections_setup(*, pcn: PrimaryCareNetwork, home: HomePage) -> None:
    """Once the home page has its sections: staff publish those whose page type says
    STAFF_PUBLISH (consultations, the vision); those that say LEAD_APPROVAL (updates) need a
    PCN lead's approval (a Wagtail workflow on the section)."""
    for section in home.get_children():
        publishing = getattr(section.specific_class, "section_publishing", None)
        if publishing == STAFF_PUBLISH:
            _grant(pcn.staff_group, section, STAFF_SECTION_PERMISSIONS)
        elif publishing == LEAD_APPROVAL:
            _lead_approval(pcn=pcn, section=section)


def _lead_approval(*, pcn: PrimaryCareNetwork, section: Page) -> None:
    workflow, _ = Workflow.objects.get_or_create(name=f"{pcn.name}: PCN lead approval")
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.create(name=f"{pcn.name}: approval by a PCN lead")
        task.groups.set([pcn.lead_group])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflow})
