"""State changes for PCNs and their sites."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
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

from home.models import (
    HomePage,
    Neighbourhood,
    Place,
    Practice,
    PrimaryCareNetwork,
    PrivacyNoticePage,
    VisionPage,
)
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
    *,
    name: str,
    ods_code: str,
    place: Place,
    contact_email: str = "",
    safeguarding_contact_email: str = "",
    safeguarding_contact_name: str = "",
) -> PrimaryCareNetwork:
    """Create a PCN with its own moderator and staff groups."""
    pcn = PrimaryCareNetwork(
        name=name,
        ods_code=ods_code,
        place=place,
        contact_email=contact_email,
        safeguarding_contact_email=safeguarding_contact_email,
        safeguarding_contact_name=safeguarding_contact_name,
    )
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


# Setting up a PCN without code (`manage.py create_pcn`, the admin's "Set up a PCN" screen)

# Apps above `home` add their sections to a new PCN's site (consultations: its
# consultations and "You said, we did" index pages), from their `AppConfig.ready()`.
_section_builders: list = []


def pcn_section_builder_register(builder) -> None:
    """`builder(*, home)` adds, if missing, the app's sections below a PCN's home page."""
    if builder not in _section_builders:
        _section_builders.append(builder)


@dataclass(frozen=True)
class PracticeEntry:
    ods_code: str
    name: str
    neighbourhood: str = ""


@dataclass
class Onboarding:
    """The PCN `pcn_onboard` set up, its home page, and what it made (empty: nothing new)."""

    pcn: PrimaryCareNetwork
    home: HomePage
    made: list[str] = field(default_factory=list)


def _child_of(home, model):
    return model.objects.child_of(home).first()


@transaction.atomic
def pcn_onboard(
    *,
    name: str,
    ods_code: str,
    place: Place,
    hostname: str,
    port: int = 80,
    contact_email: str = "",
    safeguarding_contact_email: str = "",
    safeguarding_contact_name: str = "",
    neighbourhoods: Iterable[str] = (),
    practices: Iterable[PracticeEntry] = (),
) -> Onboarding:
    """Everything a new PCN needs to start: its role groups (PPG moderators, staff, PCN
    leads) and collection, its site and home page, a draft vision and privacy notice for
    its staff to write, the sections other apps add, the leads' approval of updates, its
    neighbourhoods and practices.

    Safe to run twice: a PCN is known by its ODS code, and each part is made only if it is
    missing. Raises ValidationError, changing nothing, for a name or code that belongs to
    another PCN, a host name another site uses, or a practice of another PCN.
    """
    pcn = PrimaryCareNetwork.objects.filter(ods_code=ods_code).first()
    if pcn is None:
        if PrimaryCareNetwork.objects.filter(name=name).exists():
            raise ValidationError({"name": f"Another PCN is already called {name}."})
        pcn = pcn_create(
            name=name,
            ods_code=ods_code,
            place=place,
            contact_email=contact_email,
            safeguarding_contact_email=safeguarding_contact_email,
            safeguarding_contact_name=safeguarding_contact_name,
        )
        onboarding_made = ["the PCN, its role groups and its collection"]
    else:
        if pcn.name != name:
            raise ValidationError(
                {"ods_code": f"{ods_code} is already the ODS code of {pcn.name}."}
            )
        pcn_collection_setup(pcn=pcn)
        onboarding_made = []

    home = HomePage.objects.filter(pcn=pcn).first()
    if home is None:
        taken = Site.objects.filter(hostname=hostname, port=port).first()
        if taken is not None:
            raise ValidationError(
                {"hostname": f"{hostname}:{port} already serves {taken.site_name or 'a site'}."}
            )
        home = pcn_site_create(
            pcn=pcn,
            title=f"{name}: have your say",
            introduction=f"Help shape health services with {name}. Share your ideas, "
            "support others, and see what we do about them.",
            hostname=hostname,
            port=port,
        )
        onboarding_made.append(f"its site at {hostname}")
    result = Onboarding(pcn=pcn, home=home, made=onboarding_made)

    if _child_of(home, VisionPage) is None:
        home.add_child(
            instance=VisionPage(
                title="Our shared vision",
                show_in_menus=True,
                live=False,
                introduction="<p>The priorities residents, our Patient Participation "
                "Groups and our practices agree on.</p>",
            )
        ).save_revision()
        result.made.append("a draft vision page")
    if _child_of(home, PrivacyNoticePage) is None:
        home.add_child(
            instance=PrivacyNoticePage(
                title="Privacy notice",
                slug="privacy",
                live=False,
                summary=f"{name} runs this site and is responsible for the information you "
                "give us here.",
                body="<p>Say here what you collect, why, how long you keep it and how "
                "residents can get a copy or have it deleted.</p>",
                last_reviewed=timezone.localdate(),
            )
        ).save_revision()
        result.made.append("a draft privacy notice")
    for builder in _section_builders:
        result.made.extend(builder(home=home))
    pcn_sections_setup(pcn=pcn, home=home)

    for neighbourhood in neighbourhoods:
        _, created = Neighbourhood.objects.get_or_create(pcn=pcn, name=neighbourhood)
        if created:
            result.made.append(f"the neighbourhood {neighbourhood}")
    for entry in practices:
        result.made.extend(_practice_add(pcn=pcn, entry=entry))
    return result


def _practice_add(*, pcn, entry: PracticeEntry) -> list[str]:
    practice = Practice.objects.filter(ods_code=entry.ods_code).first()
    if practice is not None and practice.pcn_id != pcn.pk:
        raise ValidationError(
            {"practices": f"{entry.ods_code} is a practice of {practice.pcn}, not of {pcn}."}
        )
    neighbourhood = None
    if entry.neighbourhood:
        neighbourhood, _ = Neighbourhood.objects.get_or_create(pcn=pcn, name=entry.neighbourhood)
    if practice is not None:
        return []
    practice = Practice(
        pcn=pcn, name=entry.name, ods_code=entry.ods_code, neighbourhood=neighbourhood
    )
    practice.full_clean()
    practice.save()
    return [f"the practice {entry.name}"]
