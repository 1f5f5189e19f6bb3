"""A demo-like world for the authorisation walk: two PCNs, one person per role, and posts in
every state, each carrying a marker word so a page that leaks it can be caught.

PCN A is the default site (localhost) and the one whose URLs are walked. PCN B, at
other.localhost, is its twin: every kind of object PCN A has, B has too (draft and live pages,
a consultation, a theme, a vision priority, a neighbourhood and a practice, an update, a draft
update waiting for its lead's approval, a member of staff, an image and a document in its
collection, a letter to print), each carrying a marker word that no role of PCN A may ever
see, in the public site or the admin. B sits in another Place and ICS, so even their names
are B's own. Each PCN has an update that answers a paper contribution whose contributor wants
a letter, so each has a letter to print, with the name and postal address that only that
PCN's moderators and staff may see.

PCN A also has a private consultation (only its moderators and staff may view it, through
Wagtail's PageViewRestriction) whose title and theme only A's moderators, staff and admins
may see: not visitors, not residents, not the public vision page.
"""

import io
import logging
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction, Workflow

from consultations import services
from consultations.loop import update_letters_create
from consultations.models import (
    Channel,
    Comment,
    IcsPriority,
    IcsPriorityLink,
    Idea,
    IdeaTheme,
    Letter,
    ModerationMode,
    NoAccountPost,
    OutreachAction,
    PlacePriority,
    PlacePriorityLink,
    PlaceUpdateAction,
    PlaceUpdatePage,
    PostStatus,
    ReplyBy,
    Theme,
    UpdateAction,
    UpdatePage,
)
from consultations.notifications import UNSUBSCRIBE_SALT
from consultations.services.no_account import token_digest
from consultations.services.places import place_site_setup
from consultations.services.systems import ics_site_setup
from home.models import (
    IntegratedCareSystem,
    Neighbourhood,
    Place,
    Practice,
    PrivacyNoticePage,
    VisionPage,
    VisionPriority,
)
from home.services import pcn_sections_setup
from tests.factories import UserFactory, make_consultation, make_pcn_site

# Every role the walk checks, in the order each expectations row lists them.
ROLES = (
    "visitor",
    "unverified",
    "resident",
    "other_resident",
    "moderator",
    "other_moderator",
    "staff",
    "lead",
    "place_lead",
    "admin",
)

# Who works for PCN A in the admin, and who for PCN B (the walk has only B's moderator).
THIS_PCN = {"moderator", "staff", "lead"}
THIS_PCN_UPLOADS = {"staff", "lead"}  # moderators have no image or document permissions
OTHER_PCN = {"other_moderator"}

# Words that appear only in content some roles must not see, and who may see each.
# "resident" wrote every post under test; "other_resident" wrote none of them.
SECRETS = {
    "PENDINGIDEA": {"resident", "moderator", "admin"},
    "HIDDENIDEA": {"resident", "moderator", "admin"},
    "WITHDRAWNIDEA": {"moderator", "admin"},
    "PENDINGCOMMENT": {"resident", "moderator", "admin"},
    "HIDDENCOMMENT": {"resident", "moderator", "admin"},
    "OTHERPCNPENDING": {"other_moderator", "admin"},
    # The name and postal address of someone who took part on paper and wants a letter.
    "LETTERNAME": {"moderator", "staff", "lead", "admin"},
    "LETTERADDRESS": {"moderator", "staff", "lead", "admin"},
    "OTHERPCNPOSTNAME": {"other_moderator", "admin"},
    "OTHERPCNPOSTADDRESS": {"other_moderator", "admin"},
    # PCN A's own, for its people only: a draft (not yet live) update, the member of staff
    # who wrote it, uploads, and a private consultation with its theme.
    "THISPCNDRAFT": {*THIS_PCN, "admin"},
    "THISPCNSTAFFUSER": {*THIS_PCN, "admin"},
    "THISPCNSTAFFNAME": {*THIS_PCN, "admin"},
    "THISPCNIMAGE": {*THIS_PCN_UPLOADS, "admin"},
    "THISPCNDOCUMENT": {*THIS_PCN_UPLOADS, "admin"},
    "THISPCNCOLLECTION": {*THIS_PCN_UPLOADS, "admin"},
    "THISPCNTAG": {*THIS_PCN_UPLOADS, "admin"},
    "PRIVATECONSULTATION": {*THIS_PCN, "admin"},
    "PRIVATETHEME": {*THIS_PCN, "admin"},
    # PCN B's, public on B's site or not: no role of PCN A may see any of it.
    "OTHERPCNHOME": {*OTHER_PCN, "admin"},
    "OTHERPCNDRAFT": {*OTHER_PCN, "admin"},
    "OTHERPCNCONSULTATION": {*OTHER_PCN, "admin"},
    "OTHERPCNTHEME": {*OTHER_PCN, "admin"},
    "OTHERPCNOUTREACH": {*OTHER_PCN, "admin"},
    "OTHERPCNPRIORITY": {*OTHER_PCN, "admin"},
    "OTHERPCNUPDATE": {*OTHER_PCN, "admin"},
    "OTHERPCNNEIGHBOURHOOD": {*OTHER_PCN, "admin"},
    "OTHERPCNPRACTICE": {*OTHER_PCN, "admin"},
    "OTHERPCNPLACE": {*OTHER_PCN, "admin"},
    "OTHERPCNICS": {*OTHER_PCN, "admin"},
    "OTHERPCNSTAFFUSER": {*OTHER_PCN, "admin"},
    "OTHERPCNSTAFFNAME": {*OTHER_PCN, "admin"},
    "OTHERPCNIMAGE": {"admin"},
    "OTHERPCNDOCUMENT": {"admin"},
    "OTHERPCNCOLLECTION": {"admin"},
    "OTHERPCNTAG": {"admin"},
}


def _no_account_post(consultation) -> str:
    """An idea sent to PCN A's open consultation without an account, waiting for its
    sender to confirm; returns its link's token."""
    token = "walk-no-account-token-0123456789abcdefghij"
    NoAccountPost.objects.create(
        consultation=consultation,
        kind=NoAccountPost.Kind.IDEA,
        title="Walked idea without an account",
        body="Evening appointments, please.",
        email="walker@example.org",
        email_digest="walk",
        client_digest="walk",
        token_digest=token_digest(token),
        code_digest="walk",
        emails_sent=1,
        expires_at=timezone.now() + timedelta(hours=24),
    )
    return token


@dataclass
class World:
    home: object
    other_home: object
    vision: object
    consultation_index: object
    update_index: object
    update: object
    open_consultation: object
    reviewed_consultation: object
    other_consultation: object
    ideas: dict = field(default_factory=dict)  # published, pending, hidden, withdrawn, other
    comments: dict = field(default_factory=dict)  # published, pending, hidden
    theme: object = None
    other_theme: object = None
    other_update: object = None
    letter: object = None  # due for `update`, to PCN A's paper contributor
    other_letter: object = None  # due for `other_update`
    people: dict = field(default_factory=dict)
    unsubscribe_token: str = ""
    no_account_token: str = ""  # PCN A's idea sent without an account, waiting to be confirmed
    # PCN A's draft update, waiting in its workflow for a PCN lead; a private consultation.
    draft: object = None
    private_consultation: object = None
    private_theme: object = None
    image: object = None
    document: object = None
    collection: object = None
    # PCN B's twins of PCN A's objects, each carrying an OTHERPCN marker (see SECRETS).
    other_staff: object = None  # not a walked role: the person behind B's drafts and uploads
    other_consultation_index: object = None
    other_update_index: object = None
    other_vision: object = None
    other_draft: object = None  # B's draft update, waiting for B's lead
    other_neighbourhood: object = None
    other_practice: object = None
    other_image: object = None
    other_document: object = None
    other_collection: object = None
    # Each Place's shared vision (served at its own host name), a priority citing its PCN's
    # theme; Place B's carries an OTHERPCN marker.
    place_vision: object = None
    place_priority: object = None
    place_link: object = None
    other_place_vision: object = None
    other_place_priority: object = None
    other_place_link: object = None
    # Each ICS's shared vision (served at its own host name), a priority citing its Place's
    # priority; ICS B's carries an OTHERPCN marker.
    ics_priority: object = None
    ics_link: object = None
    other_ics_priority: object = None
    other_ics_link: object = None
    # Outreach recorded by each PCN's staff (consultations/viewsets/outreach.py).
    outreach: object = None
    other_outreach: object = None


def _user(**fields):
    # Display names within PostgreSQL's 50 characters, still hostile.
    fields.setdefault("display_name", "<b>x</b> Resident")
    return UserFactory(**fields)


def _idea(consultation, author, status, marker="", **fields):
    return Idea.objects.create(
        consultation=consultation,
        author=author,
        status=status,
        title=f"{marker or 'Published'} idea title",
        body=f"{marker or 'Published'} idea body",
        neighbourhood=consultation.neighbourhoods.order_by("name").first(),
        **fields,
    )


def _comment(idea, author, status, marker=""):
    return Comment.objects.create(
        idea=idea, author=author, status=status, body=f"{marker or 'Published'} comment body"
    )


def _paper_idea(consultation, entered_by, *, theme, marker) -> Idea:
    """A paper contribution entered by a moderator, whose contributor wants a letter."""
    idea = services.idea_submit_on_behalf(
        consultation=consultation,
        entered_by=entered_by,
        channel=Channel.PAPER,
        received_on=timezone.localdate() - timedelta(days=2),
        title="Paper idea title",
        body="Paper idea body",
        neighbourhood=consultation.neighbourhoods.order_by("name").first(),
        reply_by=ReplyBy.LETTER,
        contributor_name=f"{marker}NAME Holloway",
        contributor_address=f"{marker}ADDRESS 14 Willow Lane",
    )
    IdeaTheme.objects.create(idea=idea, theme=theme)
    return idea


def _png() -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (2, 2), "white").save(buffer, "PNG")
    return ImageFile(buffer, name="upload.png")


def _uploads(collection, uploader, marker):
    """An image and a document in `collection`, titled with `marker`."""
    image = get_image_model().objects.create(
        title=f"{marker}IMAGE poster", file=_png(), collection=collection, uploaded_by_user=uploader
    )
    document = get_document_model()(
        title=f"{marker}DOCUMENT minutes", collection=collection, uploaded_by_user=uploader
    )
    document.file.save("minutes.txt", ContentFile(b"Minutes of the meeting.\n"), save=False)
    document.save()
    image.tags.add(f"{marker}TAG")
    document.tags.add(f"{marker}TAG")
    return image, document


def _draft_update(update_index, *, staff, consultation, title) -> UpdatePage:
    """A draft update written by `staff` and sent to the PCN's lead approval workflow."""
    draft = update_index.add_child(
        instance=UpdatePage(
            title=title,
            live=False,
            you_said="<p>Draft.</p>",
            we_did="<p>Not yet.</p>",
            consultation=consultation,
            owner=staff,
            actions=[UpdateAction(description="To decide", status="planned")],
        )
    )
    draft.save_revision(user=staff)
    workflow = draft.get_workflow()
    assert isinstance(workflow, Workflow), "the updates section has the lead approval workflow"
    workflow.start(draft, staff)
    return draft


def _letter_due(update) -> Letter:
    """What publishing the update does after commit (notify_update_published)."""
    (letter_id,) = update_letters_create(update=update)
    return Letter.objects.get(pk=letter_id)


def build_world() -> World:
    home, consultation_index, update_index = make_pcn_site()
    other_home, other_index, other_update_index = make_pcn_site(
        hostname="other.localhost", default=False
    )
    # PCN B is in another Place and ICS: their names are B's too.
    other_pcn = other_home.pcn
    other_pcn.place = Place.objects.create(
        name="OTHERPCNPLACE Borough",
        integrated_care_system=IntegratedCareSystem.objects.create(name="OTHERPCNICS Vale"),
    )
    other_pcn.save(update_fields=["place"])
    other_home.title = other_home.draft_title = "OTHERPCNHOME Mornings"
    other_home.save()
    other_neighbourhood = Neighbourhood.objects.create(pcn=other_pcn, name="OTHERPCNNEIGHBOURHOOD")
    other_practice = Practice.objects.create(
        pcn=other_pcn,
        name="OTHERPCNPRACTICE Surgery",
        ods_code="Y99999",
        neighbourhood=other_neighbourhood,
    )
    vision = home.add_child(
        instance=VisionPage(
            title="Our shared vision",
            introduction="<p>Together.</p>",
            priorities=[VisionPriority(title="Access", statement="We want access.")],
        )
    )
    other_vision = other_home.add_child(
        instance=VisionPage(
            title="Their shared vision",
            introduction="<p>Elsewhere.</p>",
            priorities=[VisionPriority(title="OTHERPCNPRIORITY", statement="Theirs.")],
        )
    )
    privacy_notice = home.add_child(
        instance=PrivacyNoticePage(
            title="Privacy notice",
            slug="privacy",
            summary="We look after your information.",
            body="<p>Your email address, to sign you in.</p>",
            last_reviewed=timezone.localdate(),
        )
    )
    privacy_notice.save_revision().publish()
    pcn_sections_setup(pcn=home.pcn, home=home)
    pcn_sections_setup(pcn=other_pcn, home=other_home)

    open_consultation = make_consultation(
        consultation_index, phase="open", title="Evening appointments"
    )
    reviewed_consultation = make_consultation(
        consultation_index,
        phase="closed",
        phase_override="under_review",
        title="Weekend opening",
        moderation_mode=ModerationMode.POST,
    )
    other_consultation = make_consultation(
        other_index, phase="open", title="OTHERPCNCONSULTATION Mornings"
    )
    # Only PCN A's moderators and staff may view it (Wagtail's page privacy, by group).
    private_consultation = make_consultation(
        consultation_index, phase="open", title="PRIVATECONSULTATION Staff rota"
    )
    restriction = PageViewRestriction.objects.create(
        page=private_consultation, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([home.pcn.moderator_group, home.pcn.staff_group])

    moderator = _user(groups=[home.pcn.moderator_group])
    other_moderator = _user(groups=[other_pcn.moderator_group])
    staff = _user(
        groups=[home.pcn.staff_group],
        username="THISPCNSTAFFUSER",
        email="THISPCNSTAFFUSER@example.org",
        first_name="THISPCNSTAFFNAME",
        last_name="Ashworth",
        display_name="<b>x</b> THISPCNSTAFFNAME",
    )
    lead = _user(groups=[home.pcn.staff_group, home.pcn.lead_group])
    other_staff = _user(
        groups=[other_pcn.staff_group],
        username="OTHERPCNSTAFFUSER",
        email="OTHERPCNSTAFFUSER@example.org",
        first_name="OTHERPCNSTAFFNAME",
        last_name="Brennan",
        display_name="<b>x</b> OTHERPCNSTAFFNAME",
    )
    place = home.pcn.place
    place.lead_group = Group.objects.create(name=f"{place.name}: place leads")
    place.save(update_fields=["lead_group"])
    place_lead = _user(groups=[place.lead_group])
    people = {
        "visitor": AnonymousUser(),
        "unverified": _user(verified=False),
        "resident": _user(),
        "other_resident": _user(),
        "moderator": moderator,
        "other_moderator": other_moderator,
        "staff": staff,
        "lead": lead,
        "place_lead": place_lead,
        "admin": _user(is_superuser=True, is_staff=True),
    }
    author = people["resident"]
    ideas = {
        "published": _idea(open_consultation, author, PostStatus.PUBLISHED),
        "pending": _idea(open_consultation, author, PostStatus.PENDING, "PENDINGIDEA"),
        "hidden": _idea(open_consultation, author, PostStatus.HIDDEN, "HIDDENIDEA"),
        "withdrawn": _idea(open_consultation, author, PostStatus.WITHDRAWN, "WITHDRAWNIDEA"),
        "other_pcn": _idea(other_consultation, _user(), PostStatus.PENDING, "OTHERPCNPENDING"),
    }
    published = ideas["published"]
    comments = {
        "published": _comment(published, author, PostStatus.PUBLISHED),
        "pending": _comment(published, author, PostStatus.PENDING, "PENDINGCOMMENT"),
        "hidden": _comment(published, author, PostStatus.HIDDEN, "HIDDENCOMMENT"),
    }
    Idea.objects.filter(pk=published.pk).update(comment_count=1)

    reviewed_idea = _idea(reviewed_consultation, people["other_resident"], PostStatus.PUBLISHED)
    theme = Theme.objects.create(
        consultation=reviewed_consultation, name="Weekends", summary="People want weekends."
    )
    IdeaTheme.objects.create(idea=reviewed_idea, theme=theme)
    other_theme = Theme.objects.create(
        consultation=other_consultation,
        name="OTHERPCNTHEME Mornings",
        priority=other_vision.priorities.get(),
    )
    # Fed into PCN A's public vision, yet from a consultation only A's people may see.
    private_theme = Theme.objects.create(
        consultation=private_consultation,
        name="PRIVATETHEME Rotas",
        summary="Staff rotas.",
        priority=vision.priorities.get(),
    )

    update = update_index.add_child(
        instance=UpdatePage(
            title="Saturday clinics",
            you_said="<p>Weekends.</p>",
            we_did="<p>A Saturday clinic.</p>",
            consultation=reviewed_consultation,
            actions=[UpdateAction(description="Saturday clinic", status="planned")],
        )
    )
    update.themes.set([theme])
    update.save_revision().publish()

    # Paper contributions whose contributors want a letter, answered by each PCN's update.
    _paper_idea(reviewed_consultation, moderator, theme=theme, marker="LETTER")
    _paper_idea(other_consultation, other_moderator, theme=other_theme, marker="OTHERPCNPOST")
    other_update = other_update_index.add_child(
        instance=UpdatePage(
            title="OTHERPCNUPDATE Mornings",
            you_said="<p>Other.</p>",
            we_did="<p>Something.</p>",
            consultation=other_consultation,
            owner=other_staff,
            actions=[UpdateAction(description="Something", status="planned")],
        )
    )
    other_update.themes.set([other_theme])
    # Approved by B's lead; the log names the member of staff who wrote it.
    other_update.save_revision(user=other_staff).publish(
        user=other_staff, skip_permission_checks=True
    )

    # Drafts waiting for each PCN's lead, written by each PCN's staff; B's vision locked by
    # B's staff (the locked pages report names who locked it).
    draft = _draft_update(
        update_index, staff=staff, consultation=reviewed_consultation, title="THISPCNDRAFT plan"
    )
    other_draft = _draft_update(
        other_update_index,
        staff=other_staff,
        consultation=other_consultation,
        title="OTHERPCNDRAFT plan",
    )
    VisionPage.objects.filter(pk=other_vision.pk).update(
        locked=True, locked_by=other_staff, locked_at=timezone.now()
    )

    # Each PCN's own collection (made with the PCN), renamed to carry its marker.
    collection, other_collection = home.pcn.collection, other_pcn.collection
    collection.name = "THISPCNCOLLECTION uploads"
    collection.save()
    other_collection.name = "OTHERPCNCOLLECTION uploads"
    other_collection.save()
    image, document = _uploads(collection, staff, "THISPCN")
    other_image, other_document = _uploads(other_collection, other_staff, "OTHERPCN")

    # Each Place's vision: Place A's at 127.0.0.1, led by the place lead; Place B's.
    place_vision, place_priority, place_link = _place_vision(
        place, hostname="127.0.0.1", title="Access together", theme=theme, lead=place_lead
    )
    other_place_lead = _user(groups=[_lead_group(other_pcn.place)])
    other_place_vision, other_place_priority, other_place_link = _place_vision(
        other_pcn.place,
        hostname="otherplace.localhost",
        title="OTHERPCNPRIORITY of the Place",
        theme=other_theme,
        lead=other_place_lead,
    )
    ics_priority, ics_link = _ics_vision(
        place.integrated_care_system,
        hostname="ics.localhost",
        title="Care closer to home",
        place_priority=place_priority,
    )
    other_ics_priority, other_ics_link = _ics_vision(
        other_pcn.place.integrated_care_system,
        hostname="otherics.localhost",
        title="OTHERPCNPRIORITY of the system",
        place_priority=other_place_priority,
    )
    outreach = OutreachAction.objects.create(
        consultation=reviewed_consultation,
        groups=["age:under_25"],
        description="Session at the youth club",
        held_on=timezone.localdate() - timedelta(days=2),
        contributions=14,
        created_by=staff,
    )
    other_outreach = OutreachAction.objects.create(
        consultation=other_consultation,
        groups=["sex:male"],
        description="OTHERPCNOUTREACH Stall at the market",
        held_on=timezone.localdate() - timedelta(days=2),
        contributions=30,
        created_by=other_staff,
    )

    return World(
        outreach=outreach,
        other_outreach=other_outreach,
        home=home,
        other_home=other_home,
        vision=vision,
        consultation_index=consultation_index,
        update_index=update_index,
        update=update,
        open_consultation=open_consultation,
        reviewed_consultation=reviewed_consultation,
        other_consultation=other_consultation,
        ideas=ideas,
        comments=comments,
        theme=theme,
        other_theme=other_theme,
        other_update=other_update,
        letter=_letter_due(update),
        other_letter=_letter_due(other_update),
        people=people,
        unsubscribe_token=signing.dumps({"user": author.pk}, salt=UNSUBSCRIBE_SALT),
        no_account_token=_no_account_post(open_consultation),
        draft=draft,
        private_consultation=private_consultation,
        private_theme=private_theme,
        image=image,
        document=document,
        collection=collection,
        other_staff=other_staff,
        other_consultation_index=other_index,
        other_update_index=other_update_index,
        other_vision=other_vision,
        other_draft=other_draft,
        other_neighbourhood=other_neighbourhood,
        other_practice=other_practice,
        other_image=other_image,
        other_document=other_document,
        other_collection=other_collection,
        place_vision=place_vision,
        place_priority=place_priority,
        place_link=place_link,
        other_place_vision=other_place_vision,
        other_place_priority=other_place_priority,
        other_place_link=other_place_link,
        ics_priority=ics_priority,
        ics_link=ics_link,
        other_ics_priority=other_ics_priority,
        other_ics_link=other_ics_link,
    )


def _lead_group(place) -> Group:
    if place.lead_group is None:
        place.lead_group = Group.objects.create(name=f"{place.name}: place leads")
        place.save(update_fields=["lead_group"])
    return place.lead_group


def _place_vision(place, *, hostname, title, theme, lead):
    """The Place's site and vision, published, with one priority citing `theme`."""
    vision = place_site_setup(place=place, hostname=hostname)
    vision.priorities = [PlacePriority(title=title, description="Together.")]
    vision.save_revision().publish()
    vision.refresh_from_db()
    priority = PlacePriority.objects.get(page=vision)
    link = PlacePriorityLink.objects.create(priority=priority, theme=theme, confirmed_by=lead)
    # Its "You said, we did" update acting on the priority, published.
    update = PlaceUpdatePage(title=f"{title}: decided", summary="<p>Agreed.</p>", live=False)
    update.priorities = [priority]
    update.actions = [PlaceUpdateAction(description="Hubs", status="planned")]
    vision.add_child(instance=update)
    update.save_revision().publish()
    return vision, priority, link


def _ics_vision(ics, *, hostname, title, place_priority):
    """The ICS's site and vision, published, with one priority citing `place_priority`."""
    vision = ics_site_setup(ics=ics, hostname=hostname)
    vision.priorities = [IcsPriority(title=title, description="Together.")]
    vision.save_revision().publish()
    priority = IcsPriority.objects.get(page=vision)
    link = IcsPriorityLink.objects.create(priority=priority, place_priority=place_priority)
    return priority, link


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the world's uploads
    return build_world()


@pytest.fixture(autouse=True)
def _quiet_request_log():
    """The walk makes hundreds of refused requests on purpose; Django logs each as a warning."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)
