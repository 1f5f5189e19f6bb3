"""Load a believable, fictional PCN so a laptop shows a living site.

Every name, code and address here is made up. Running the command again changes nothing.
The demo accounts have well-known passwords, and every account with a role shares one
well-known authenticator secret (DEMO_TOTP_SECRET; `manage.py demo_totp_code` prints its
current code), so the command refuses to run on a site with DEBUG off unless told that this
is intended (for example a throwaway benchmark database).
"""

import argparse
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from consultations.loop import place_update_notices_create, update_letters_create
from consultations.models import (
    ActionStatus,
    Channel,
    Comment,
    ConsultationIndexPage,
    ConsultationPage,
    IcsPriority,
    IcsPriorityLink,
    IcsUpdateAction,
    IcsUpdatePage,
    IcsVisionPage,
    Idea,
    ModerationMode,
    OfflineContributor,
    Phase,
    PlacePriority,
    PlacePriorityLink,
    PlaceUpdateAction,
    PlaceUpdatePage,
    PlaceVisionPage,
    PostStatus,
    Support,
    Theme,
    UpdateAction,
    UpdateIndexPage,
    UpdatePage,
)
from consultations.rollup_figures import rollups_refresh_all
from consultations.services.places import place_site_setup
from consultations.services.systems import ics_lead_group_setup, ics_site_setup
from consultations.synthetic import Scale, synthetic_data_make
from home.imports.deprivation import deprivation_import
from home.imports.ods import ods_import
from home.imports.population import registered_population_import
from home.imports.postcodes import postcode_lookup_import
from home.models import (
    IntegratedCareSystem,
    Neighbourhood,
    Place,
    Practice,
    PrimaryCareNetwork,
    PrivacyNoticePage,
    VisionPage,
    VisionPriority,
)
from home.services import (
    pcn_collection_setup,
    pcn_create,
    pcn_onboard,
    pcn_sections_setup,
    pcn_site_create,
)

PCN_ODS_CODE = "U99001"
# The second PCN of the demo Place (from the demo ODS files), and where each site is served
# beside the first PCN's: every browser sends *.localhost to this computer.
SECOND_PCN_ODS_CODE = "U99002"
SECOND_PCN_NAME = "Willow and Station PCN"  # as the demo ODS files name it
SECOND_PCN_HOST = "willow.localhost"
PLACE_HOST = "riverbridge.localhost"
ICS_HOST = "wessexvale.localhost"

SECOND_PCN_IDEAS = [
    (
        "Someone to talk to after school",
        "A youth worker at the library after school, so young people can talk without "
        "booking an appointment at the surgery.",
    ),
    (
        "Wellbeing drop-in near the station",
        "A drop-in for teenagers near Station Road, open until early evening, with no "
        "appointment needed.",
    ),
    (
        "Help for parents worried about their children",
        "Somewhere parents can ask about their child's mental health without waiting weeks.",
    ),
]

PLACE_PRIORITIES = [
    (
        "Early mental health help for young people, close to home",
        "Young people across Riverbridge can get help with their mental health early, near "
        "where they live and study, without an appointment.",
    ),
    (
        "Appointments that fit around work and caring",
        "Every neighbourhood in Riverbridge can see someone in the evening or at the weekend.",
    ),
]

# The ICS's priorities, each citing the Place priorities (of Riverbridge, and of the second
# Place the synthetic data builder makes) with these titles, where they exist.
ICS_PRIORITIES = [
    (
        "Appointments at times people can make",
        "Across Wessex Vale, people can see someone in the evening or at the weekend, near "
        "home, without taking time off work or caring.",
        [PLACE_PRIORITIES[1][0], "Evening and weekend appointments"],
    ),
    (
        "Early mental health help for young people",
        "Young people in every Place of Wessex Vale get help with their mental health early, "
        "close to where they live and study.",
        [PLACE_PRIORITIES[0][0], "Mental health support for young people"],
    ),
]

# Fictional NHS reference files in the published layouts (home/data/demo/build_demo_files.py).
DEMO_DATA = Path(__file__).resolve().parents[3] / "home" / "data" / "demo"

NEIGHBOURHOODS = ["Riverside", "Meadowbank", "Old Town", "Hillcrest"]

PRACTICES = [
    ("Riverside Medical Centre", "Y99001", "Riverside"),
    ("Meadowbank Surgery", "Y99002", "Meadowbank"),
    ("Old Town Health Centre", "Y99003", "Old Town"),
    ("Hillcrest Family Practice", "Y99004", "Hillcrest"),
]

PRIORITIES = [
    (
        "The right appointment, first time",
        "Residents can reach the right person at their practice quickly, by phone, online "
        "or in person, at times that fit around work and caring.",
    ),
    (
        "Mental health support close to home",
        "Children, young people and adults get early help for their mental health in their "
        "own neighbourhood, without long waits.",
    ),
    (
        "Healthy ageing in our neighbourhoods",
        "Older residents stay well and independent, with support that joins up the "
        "practice, the council and community groups.",
    ),
    (
        "Care that is easy to get to",
        "Every neighbourhood can reach its services by public transport, on foot or with "
        "help, and buildings are accessible to everyone.",
    ),
]

# Fictional residents' ideas: (title, body, neighbourhood).
OPEN_IDEAS = [
    (
        "Saturday morning appointments",
        "I work Monday to Friday in the city and can never get to "
        "the surgery. Saturday mornings, even once a month, would make a big difference.",
        "Riverside",
    ),
    (
        "Evening phone appointments",
        "A phone call with a GP after 6pm would be enough for most "
        "of what I need, and I would not have to take time off.",
        "Meadowbank",
    ),
    (
        "Book evening slots online",
        "Let us book the evening and weekend appointments in the NHS "
        "App instead of ringing at 8am.",
        "Riverside",
    ),
    (
        "Weekend slots for children",
        "School-age children miss lessons for appointments. Weekend "
        "slots for children would help families.",
        "Meadowbank",
    ),
    (
        "Late pharmacy next to the hub",
        "If appointments run late, the pharmacy needs to be open "
        "late too, or we cannot collect prescriptions.",
        "Riverside",
    ),
]
CLOSED_IDEAS = [
    (
        "Drop-in after school",
        "A place to talk to someone after school, without an appointment, that is not the surgery.",
        "Old Town",
        "Drop-in support",
    ),
    (
        "Wellbeing sessions in the library",
        "The library is somewhere young people already go. "
        "Wellbeing sessions there would feel less scary.",
        "Old Town",
        "Drop-in support",
    ),
    (
        "Text-based support",
        "Many young people would rather text than talk on the phone. A "
        "text service would reach them.",
        "Hillcrest",
        "Ways to ask for help",
    ),
    (
        "Shorter waits for counselling",
        "Waiting months for counselling makes things worse. Early help needs to be quick.",
        "Meadowbank",
        "Waiting times",
    ),
    (
        "Support for parents too",
        "Parents need advice on how to help their children, and where to go when they are worried.",
        "Riverside",
        "Ways to ask for help",
    ),
    (
        "Peer support groups",
        "Young people who have been through it could run groups with trained staff.",
        "Hillcrest",
        "Drop-in support",
    ),
]

# (email, display name, role, password). Fictional people; passwords for the local demo only.
# Residents who wrote in on paper; a moderator typed their ideas up. Names and addresses are
# made up (RV is not a real postcode area).
PAPER_IDEAS = [
    (
        "closed",
        "A quiet room at the library",
        "My grandson will not go to the surgery to talk. A quiet room at the library after "
        "school, with someone friendly, would help him and his friends.",
        "Old Town",
        "Drop-in support",
        "Margaret Holloway",
        "14 Willow Lane\nOld Town\nRiverbridge\nRV2 4QT",
    ),
    (
        "open",
        "Saturday mornings for people who work shifts",
        "I work shifts at the hospital and cannot ring at 8am. Please keep some Saturday "
        "morning appointments that can be booked at the desk.",
        "Meadowbank",
        None,
        "Desmond Okafor",
        "3 Mill Row\nMeadowbank\nRiverbridge\nRV1 8LB",
    ),
]

ACCOUNTS = [
    ("resident@example.org", "Sam Whitfield", "resident", "demo-resident-2026"),
    ("moderator@example.org", "Asha Patel (PPG)", "moderator", "demo-moderator-2026"),
    ("staff@example.org", "Jordan Hale", "staff", "demo-staff-2026"),
    ("lead@example.org", "Dr Alex Morgan", "PCN lead", "demo-lead-2026"),
    ("placelead@example.org", "Morgan Reyes", "place lead", "demo-placelead-2026"),
    ("icslead@example.org", "Priya Natarajan", "ICS lead", "demo-icslead-2026"),
    ("admin@example.org", "Site administrator", "admin", "demo-admin-2026"),
]

# The authenticator secret of every demo account with a role (all but the resident): they must
# sign in with two-factor authentication like everyone with a role. Add it to an authenticator
# app as a time-based key, or run `manage.py demo_totp_code`. For the local demo only.
DEMO_TOTP_SECRET = "ENGAGEDEMOTOTPSECRETFORLAPTOPS22"


PRIVACY_NOTICE_BODY = """
<h2>What we collect</h2>
<ul>
<li>Your email address and password, so you can sign in. We never show your email address to anyone.</li>
<li>The display name you choose, if any. It is shown beside your ideas and comments; without one you appear as "A resident".</li>
<li>What you post: ideas, comments, the ideas you support, what you follow and anything you report to a moderator.</li>
<li>Whether you want emails about what happens to ideas, and a record of the emails we send you.</li>
<li>If you take part without an account: what you wrote and your email address, kept until you confirm it with the link we email you, and then only to reply to you.</li>
</ul>
<p>Please do not share medical details about yourself or anyone else. Moderators hide posts that do.</p>
<h2>Why we use it</h2>
<p>We use your information to run consultations: to show your posts, to let Patient Participation Group moderators keep the discussion safe, to group ideas into themes, and to tell you what we did about them. Our lawful basis is our public task of planning local health services with the people who use them.</p>
<h2>Who can see it</h2>
<p>Everyone can see published ideas and comments with your display name. Only our moderators and staff can see your posts while they wait for a moderator, and the reports you make. We do not sell your information or use it for advertising.</p>
<h2>How long we keep it</h2>
<ul>
<li>Your account, until you delete it.</li>
<li>Accounts whose email address was never confirmed are deleted after 30 days.</li>
<li>Ideas and comments sent without an account and never confirmed are deleted, with the email address, after two days. A confirmed sender's email address is deleted two years after their last post.</li>
<li>Ideas and comments stay with their consultation, so its findings still add up, unless you delete them.</li>
</ul>
<h2>Your rights</h2>
<ul>
<li>Get a copy of your information: sign in and go to Account settings, then Download your data.</li>
<li>Correct it: change your display name, email address or email choices in Account settings, or edit your posts.</li>
<li>Delete it: Account settings, then Delete your account. You choose whether your posts are removed or kept without your name.</li>
<li>Object or ask a question: email us at <a href="mailto:{email}">{email}</a>.</li>
</ul>
<p>If you are unhappy with how we handled your information, you can complain to the Information Commissioner's Office (ICO) at ico.org.uk or on 0303 123 1113.</p>
<h2>Contact us</h2>
<p>{pcn}, <a href="mailto:{email}">{email}</a>. This is a fictional network for a demonstration site.</p>
"""


def site_address(value: str) -> tuple[str, int]:
    """ "127.0.0.1:8000" -> ("127.0.0.1", 8000); a bare host name is on port 80."""
    hostname, _, port = value.strip().rpartition(":") if ":" in value else (value, "", "80")
    hostname = hostname.strip().lower()
    if not hostname or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"{value!r} is not a host:port, like 127.0.0.1:8000.")
    return hostname, int(port)


@contextmanager
def emails_kept_back():
    """Every email sent inside is kept in a list instead (Django's in-memory backend)."""
    previous = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    had_outbox = hasattr(mail, "outbox")
    saved = list(getattr(mail, "outbox", []))
    mail.outbox = []
    kept = mail.outbox
    try:
        yield kept
    finally:
        settings.EMAIL_BACKEND = previous
        if had_outbox:
            mail.outbox = saved
        else:
            del mail.outbox


def paragraph(text: str) -> tuple[str, str]:
    return ("paragraph", f"<p>{text}</p>")


# The demo ICS's second Place: two PCNs of fictional residents' ideas, themes and updates.
DEMO_SECOND_PLACE = Scale(
    systems=1,
    places=1,
    pcns=2,
    ideas_per_pcn=40,
    comments_per_idea=1,
    supports_per_idea=2,
    residents=60,
    seed=2026,
)


class Command(BaseCommand):
    help = "Load the fictional Riverside and Meadowbank PCN with demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even though DEBUG is off (for throwaway benchmark or test databases).",
        )
        parser.add_argument(
            "--address",
            type=site_address,
            default=("localhost", 80),
            help="host:port the demo site is served at (make run: 127.0.0.1:$PORT), so the "
            "links in its emails and letters lead there.",
        )

    def handle(self, *args, allow_without_debug=False, address=("localhost", 80), **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "seed_demo creates accounts with well-known passwords, so it only runs with "
                "DEBUG on. Pass --allow-without-debug for a throwaway database."
            )
        if isinstance(address, str):  # from call_command, which does not parse keywords
            address = site_address(address)
        # The demo's residents are fictional: the emails loading it owes them are kept
        # back, not printed before the server starts.
        with emails_kept_back() as kept_back:
            self.load(address)
        if kept_back:
            self.stdout.write(
                f"{len(kept_back)} email(s) to the demo's fictional residents were not sent."
            )

    def load(self, address):
        with transaction.atomic():
            pcn = PrimaryCareNetwork.objects.filter(ods_code=PCN_ODS_CODE).first()
            if pcn is None:
                pcn = self.create_pcn()
                self.stdout.write(self.style.SUCCESS(f"Loaded the demo PCN: {pcn.name}."))
            else:
                self.stdout.write(f"The demo PCN is already loaded: {pcn.name}. Nothing changed.")
            hostname, port = address
            Site.objects.filter(root_page__homepage__pcn=pcn).update(hostname=hostname, port=port)
            # Its own collection of images and documents, for its staff only (made with the
            # PCN; a demo loaded before collections gets it here, once).
            collection = pcn_collection_setup(pcn=pcn)
            self.create_accounts(pcn)
            self.load_place(pcn, address)
            self.load_second_place(pcn, address)
            self.load_ics(pcn, address)
            # After the second PCN is made: the ODS files then add its practices too.
            self.load_reference_data()
        # The Places' and ICS's leads' figures, worked out now so their first look is quick.
        rollups_refresh_all()
        self.stdout.write("\nDemo accounts (for this local demo only):")
        for email, _name, role, password in ACCOUNTS:
            self.stdout.write(f"  {role:<10} {email:<24} password: {password}")
        self.stdout.write(
            f"\nStaff upload images and documents to the collection {collection.name!r}; "
            "other PCNs' staff do not see them."
        )
        self.stdout.write(
            f"Every account but the resident asks for an authenticator code: add the key "
            f"{DEMO_TOTP_SECRET} to an authenticator app, or run `manage.py demo_totp_code`."
        )

    def load_second_place(self, pcn: PrimaryCareNetwork, address) -> None:
        """A second Place in the demo ICS, with two PCNs of fictional residents' ideas
        (consultations/synthetic.py, at pcn1.localhost and pcn2.localhost). Made once."""
        made = synthetic_data_make(
            scale=DEMO_SECOND_PLACE,
            system=pcn.place.integrated_care_system,
            hostname_suffix="localhost",
            port=address[1],
        )
        if made.pcns:
            self.stdout.write(self.style.SUCCESS(f"Loaded a second Place with {made.pcns} PCNs."))

    def load_ics(self, pcn: PrimaryCareNetwork, address) -> None:
        """The demo ICS's shared vision, at its own host name: two priorities, each citing
        the priorities its two Places agreed, and one published decision. Made once."""
        ics = pcn.place.integrated_care_system
        _, port = address
        vision = IcsVisionPage.objects.filter(ics=ics).first()
        if vision is not None:
            self.stdout.write(f"The demo ICS vision is already loaded: {vision.url}")
            first = vision.priorities.order_by("sort_order").first()
            if vision.live and first is not None:
                self.load_ics_update(vision, first)
            return
        vision = ics_site_setup(
            ics=ics, hostname=ICS_HOST, port=port, title="Wessex Vale: our shared vision"
        )
        vision.introduction = (
            "<p>The priorities the Places of Wessex Vale share, each made of what their "
            "primary care networks heard from residents.</p>"
        )
        vision.priorities = [
            IcsPriority(title=title, description=description, sort_order=index)
            for index, (title, description, _) in enumerate(ICS_PRIORITIES)
        ]
        vision.save_revision().publish()
        lead = get_user_model().objects.filter(email="icslead@example.org").first()
        place_priorities = PlacePriority.objects.filter(
            page__place__integrated_care_system=ics, page__live=True
        )
        for priority, (_, _, cites) in zip(
            IcsPriority.objects.filter(page=vision).order_by("sort_order"),
            ICS_PRIORITIES,
            strict=True,
        ):
            for place_priority in place_priorities.filter(title__in=cites).order_by("pk"):
                IcsPriorityLink.objects.create(
                    priority=priority, place_priority=place_priority, confirmed_by=lead
                )
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo ICS vision at http://{ICS_HOST}:{port}/.")
        )
        first = IcsPriority.objects.filter(page=vision).order_by("sort_order").first()
        self.load_ics_update(vision, first)

    def load_ics_update(self, vision, priority) -> None:
        """The ICS's "You said, we did" acting on its first priority, published as an ICS
        lead would."""
        if IcsUpdatePage.objects.child_of(vision).exists():
            return
        update = IcsUpdatePage(
            title="Evening and weekend appointments in every Place",
            summary="<p>Residents in both our Places asked for appointments outside working "
            "hours. Wessex Vale will fund evening and weekend hubs in every Place, and join "
            "up their booking.</p>",
            live=False,
        )
        update.priorities = [priority]
        update.actions = [
            IcsUpdateAction(
                description="Fund a weekend hub in each Place", status="in_progress", sort_order=0
            ),
            IcsUpdateAction(
                description="One booking line for every hub in Wessex Vale",
                status="planned",
                sort_order=1,
            ),
        ]
        vision.add_child(instance=update)
        update.save_revision().publish()
        self.stdout.write(self.style.SUCCESS(f"Published the demo ICS update: {update.title}."))

    def load_place(self, pcn: PrimaryCareNetwork, address) -> None:
        """The demo Place, Riverbridge: its second PCN (made by the ODS import) gets a site,
        with a consultation whose theme young people shaped; and the Place's shared vision,
        at its own host name, whose first priority cites what both PCNs heard. Made once."""
        place = pcn.place
        _, port = address
        second = PrimaryCareNetwork.objects.filter(ods_code=SECOND_PCN_ODS_CODE).first()
        if second is not None and second.place_id != place.pk:
            return  # someone moved it to another Place: leave the demo Place alone
        onboarded = pcn_onboard(
            name=second.name if second else SECOND_PCN_NAME,
            ods_code=SECOND_PCN_ODS_CODE,
            place=place,
            hostname=SECOND_PCN_HOST,
            port=port,
            neighbourhoods=["Willow Lane", "Station Road"],
        )
        theme = self.second_pcn_theme(onboarded.home)
        vision = PlaceVisionPage.objects.filter(place=place).first()
        if vision is not None:
            self.stdout.write(f"The demo Place vision is already loaded: {vision.url}")
            first = vision.priorities.order_by("sort_order").first()
            if vision.live and first is not None:
                self.load_place_update(vision, first)
            return
        vision = place_site_setup(
            place=place,
            hostname=PLACE_HOST,
            port=port,
            title="Riverbridge: our shared vision",
        )
        vision.introduction = (
            "<p>The priorities the primary care networks of Riverbridge share, each made of "
            "what their residents told them.</p>"
        )
        vision.priorities = [
            PlacePriority(title=title, description=description, sort_order=index)
            for index, (title, description) in enumerate(PLACE_PRIORITIES)
        ]
        vision.save_revision().publish()
        lead = get_user_model().objects.filter(email="placelead@example.org").first()
        first = PlacePriority.objects.filter(page__place=place).order_by("sort_order").first()
        mental_health = VisionPriority.objects.filter(
            title=PRIORITIES[1][0], page__path__startswith=pcn.home_page.path
        ).first()
        if mental_health is not None:
            PlacePriorityLink.objects.create(
                priority=first, vision_priority=mental_health, confirmed_by=lead
            )
        PlacePriorityLink.objects.create(priority=first, theme=theme, confirmed_by=lead)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo Place vision at http://{PLACE_HOST}:{port}/.")
        )
        self.load_place_update(vision, first)

    def load_place_update(self, vision, priority) -> None:
        """The Place's "You said, we did" update acting on its first priority, published as
        a place lead would: everyone behind the PCN themes it cites is owed one step."""
        if PlaceUpdatePage.objects.child_of(vision).exists():
            return
        update = PlaceUpdatePage(
            title="Evening and weekend hubs across Riverbridge",
            summary="<p>Residents of both our PCNs asked for appointments outside working "
            "hours. Riverbridge agreed to fund shared evening and weekend hubs, so every "
            "practice can book its patients into one.</p>",
            live=False,
        )
        update.priorities = [priority]
        update.actions = [
            PlaceUpdateAction(
                description="Open an evening hub in Riverside", status="in_progress", sort_order=0
            ),
            PlaceUpdateAction(
                description="Open a Saturday hub at Station Road", status="planned", sort_order=1
            ),
        ]
        vision.add_child(instance=update)
        update.save_revision().publish()
        update.refresh_from_db()
        place_update_notices_create(update=update)  # as the task would, after the commit
        self.stdout.write(self.style.SUCCESS(f"Published the demo Place update: {update.title}."))

    def second_pcn_theme(self, home) -> Theme:
        """The second PCN's consultation (under review) and its theme, made once."""
        existing = Theme.objects.filter(consultation__path__startswith=home.path).first()
        if existing is not None:
            return existing
        index = ConsultationIndexPage.objects.child_of(home).first()
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        consultation = self.add_consultation(
            index,
            title="Wellbeing support for teenagers",
            question="What would help teenagers near Willow Lane and Station Road look after "
            "their mental health?",
            summary="We asked young people and their families what early help should look like.",
            opens_at=now - timedelta(days=90),
            closes_at=now - timedelta(days=20),
            neighbourhoods=list(Neighbourhood.objects.filter(pcn=home.pcn)),
            moderation_mode=ModerationMode.PRE,
            phase_override=Phase.UNDER_REVIEW,
        )
        theme = Theme.objects.create(
            consultation=consultation,
            name="Somewhere to talk, without an appointment",
            summary="Young people and parents want a drop-in near school or the station.",
        )
        residents = list(
            get_user_model().objects.filter(email__startswith="demo-resident-").order_by("pk")
        )
        for number, (title, body) in enumerate(SECOND_PCN_IDEAS):
            idea = Idea.objects.create(
                consultation=consultation,
                author=residents[number % len(residents)] if residents else None,
                title=title,
                body=body,
                status=PostStatus.PUBLISHED,
                published_at=consultation.opens_at + timedelta(days=number + 1),
            )
            theme.ideas.add(idea)
        return theme

    def load_reference_data(self) -> None:
        """The organisation codes, registered population, deprivation and postcode lookup,
        through the same imports as real files (each safe to run again)."""
        reports = [
            ods_import(epcn_path=DEMO_DATA / "ePCN.xlsx", epraccur_path=DEMO_DATA / "epraccur.csv"),
            registered_population_import(path=DEMO_DATA / "gp-reg-pat-prac-quin-age.csv"),
            deprivation_import(
                path=DEMO_DATA / "File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx"
            ),
            postcode_lookup_import(path=DEMO_DATA / "PCD_OA21_LSOA21_MSOA21_LAD_DEMO_UK_LU.csv"),
        ]
        created = sum(report.created + report.updated for report in reports)
        self.stdout.write(f"NHS reference data: {created} rows added or changed.")

    def create_pcn(self) -> PrimaryCareNetwork:
        ics, _ = IntegratedCareSystem.objects.get_or_create(
            name="Wessex Vale Integrated Care System"
        )
        place, _ = Place.objects.get_or_create(name="Riverbridge", integrated_care_system=ics)
        pcn = pcn_create(
            name="Riverside and Meadowbank PCN",
            ods_code=PCN_ODS_CODE,
            place=place,
            contact_email="engage@riverside-meadowbank.example.org",
            safeguarding_contact_email="safeguarding@riverside-meadowbank.example.org",
            safeguarding_contact_name="Safeguarding lead, Riverside and Meadowbank PCN",
        )
        neighbourhoods = {
            name: Neighbourhood.objects.create(pcn=pcn, name=name) for name in NEIGHBOURHOODS
        }
        for name, code, neighbourhood in PRACTICES:
            Practice.objects.create(
                pcn=pcn, name=name, ods_code=code, neighbourhood=neighbourhoods[neighbourhood]
            )

        self.remove_wagtail_welcome_page()
        home = pcn_site_create(
            pcn=pcn,
            title="Riverside and Meadowbank: have your say",
            introduction="Help shape health services in Riverside, Meadowbank, Old Town and "
            "Hillcrest. Share your ideas, support others, and see what we do about them.",
            is_default_site=True,
        )

        vision = home.add_child(
            instance=VisionPage(
                title="Our shared vision",
                show_in_menus=True,
                introduction="<p>These priorities were agreed by residents, our Patient "
                "Participation Groups and the four practices of the network.</p>",
                priorities=[
                    VisionPriority(title=title, statement=statement, sort_order=index)
                    for index, (title, statement) in enumerate(PRIORITIES)
                ],
            )
        )
        vision.save_revision().publish()

        index = home.add_child(
            instance=ConsultationIndexPage(
                title="Consultations",
                show_in_menus=True,
                introduction="Questions we are asking residents now, soon and in the past.",
            )
        )
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        everyone = list(neighbourhoods.values())
        closed = self.add_consultation(
            index,
            title="Mental health support for young people",
            question="What would help young people in our neighbourhoods look after their "
            "mental health?",
            summary="We asked young people, parents and carers what early help should look "
            "like close to home.",
            opens_at=now - timedelta(days=120),
            closes_at=now - timedelta(days=30),
            neighbourhoods=everyone,
            moderation_mode=ModerationMode.PRE,
            # Closed, grouped into themes and answered: the whole loop, for the demo.
            phase_override=Phase.RESPONDED,
        )
        open_consultation = self.add_consultation(
            index,
            title="Evening and weekend appointments",
            question="How should evening and weekend appointments work in Riverside and "
            "Meadowbank?",
            summary="Tell us when you need appointments outside working hours and how you "
            "would like to book them.",
            opens_at=now - timedelta(days=14),
            closes_at=now + timedelta(days=28),
            neighbourhoods=[neighbourhoods["Riverside"], neighbourhoods["Meadowbank"]],
            moderation_mode=ModerationMode.POST,
        )
        self.add_consultation(
            index,
            title="Getting to your appointment",
            question="What makes it hard to get to your practice, and what would help?",
            summary="Buses, parking, step-free access and help from volunteers: we want to "
            "hear what gets in the way.",
            opens_at=now + timedelta(days=21),
            closes_at=now + timedelta(days=63),
            neighbourhoods=everyone,
            moderation_mode=ModerationMode.PRE,
        )

        updates = home.add_child(
            instance=UpdateIndexPage(
                title="You said, we did",
                show_in_menus=True,
                introduction="What residents told us, and what we did about it.",
            )
        )
        update = updates.add_child(
            instance=UpdatePage(
                title="Drop-in wellbeing sessions for young people",
                consultation=closed,
                you_said="<p>Young people told us they wanted somewhere to talk that is not a "
                "surgery waiting room, after school hours.</p>",
                we_did="<p>From next term a wellbeing practitioner will run a weekly drop-in "
                "at Old Town library, 4pm to 7pm on Wednesdays.</p>",
                actions=[
                    UpdateAction(
                        description="Weekly drop-in at Old Town library, Wednesdays 4pm to 7pm",
                        status=ActionStatus.IN_PROGRESS,
                        date=(now + timedelta(days=30)).date(),
                        sort_order=0,
                    ),
                    UpdateAction(
                        description="A text service run by the practices",
                        status=ActionStatus.NOT_POSSIBLE,
                        not_possible_reason="We could not fund it safely this year. We are "
                        "asking the Integrated Care Board to fund a shared service instead.",
                        sort_order=1,
                    ),
                ],
            )
        )
        self.add_privacy_notice(home, pcn)
        pcn_sections_setup(pcn=pcn, home=home)
        self.add_ideas(closed, open_consultation, neighbourhoods)
        update.themes.set(Theme.objects.filter(consultation=closed, name="Drop-in support"))
        update.priority = vision.priorities.get(title=PRIORITIES[1][0])
        update.save_revision().publish()
        for theme in Theme.objects.filter(consultation=closed):
            theme.priority = update.priority
            theme.save(update_fields=["priority"])
        # The paper contributor to the answered theme has a letter to print straight away
        # (publishing owes it too, once the transaction commits; it is not owed twice).
        update_letters_create(update=update)
        return pcn

    def add_privacy_notice(self, home, pcn) -> None:
        """A plain-English privacy notice for the fictional PCN (not legal advice)."""
        notice = home.add_child(
            instance=PrivacyNoticePage(
                title="Privacy notice",
                slug="privacy",
                summary=f"{pcn.name} runs this site. We are responsible for the information "
                "you give us here, and we use it only to hear and answer residents' views on "
                "local health services.",
                body=PRIVACY_NOTICE_BODY.format(pcn=pcn.name, email=pcn.contact_email),
                last_reviewed=timezone.now().date(),
            )
        )
        notice.save_revision().publish()

    def add_ideas(self, closed, open_consultation, neighbourhoods) -> None:
        """Ideas from fictional residents, so the demo shows lists, themes and journeys."""
        user_model = get_user_model()
        residents = []
        for number, name in enumerate(["Rowan Ellis", "Priya Nair", "Tom Baxter", "Leah Cole"]):
            email = f"demo-resident-{number}@example.org"
            resident = user_model.objects.create_user(
                username=f"demo-resident-{number}", email=email, display_name=name
            )
            resident.set_unusable_password()
            resident.save()
            EmailAddress.objects.create(user=resident, email=email, verified=True, primary=True)
            residents.append(resident)
        published_at = timezone.now()
        for number, (title, body, where) in enumerate(OPEN_IDEAS):
            idea = Idea.objects.create(
                consultation=open_consultation,
                author=residents[number % len(residents)],
                title=title,
                body=body,
                neighbourhood=neighbourhoods[where],
                status=PostStatus.PUBLISHED,
                published_at=published_at,
            )
            for supporter in residents[: (number % 4) + 1]:
                if supporter != idea.author:
                    Support.objects.create(idea=idea, user=supporter)
            Comment.objects.create(
                idea=idea,
                author=residents[(number + 1) % len(residents)],
                body="I agree. This would help me and my neighbours.",
                status=PostStatus.PUBLISHED,
            )
        themes = {}
        for number, (title, body, where, theme_name) in enumerate(CLOSED_IDEAS):
            idea = Idea.objects.create(
                consultation=closed,
                author=residents[number % len(residents)],
                title=title,
                body=body,
                neighbourhood=neighbourhoods[where],
                status=PostStatus.PUBLISHED,
                published_at=closed.opens_at + timedelta(days=number + 1),
                created_at=closed.opens_at + timedelta(days=number + 1),
            )
            if theme_name not in themes:
                themes[theme_name] = Theme.objects.create(
                    consultation=closed,
                    name=theme_name,
                    summary=f"Residents told us about {theme_name.lower()}.",
                )
            idea.themes.add(themes[theme_name])
        consultations = {"closed": closed, "open": open_consultation}
        for which, title, body, where, theme_name, name, address in PAPER_IDEAS:
            consultation = consultations[which]
            received = consultation.opens_at + timedelta(days=3)
            idea = Idea.objects.create(
                consultation=consultation,
                title=title,
                body=body,
                neighbourhood=neighbourhoods[where],
                channel=Channel.PAPER,
                contributor=OfflineContributor.objects.create(
                    pcn=consultation.pcn, name=name, postal_address=address
                ),
                status=PostStatus.PUBLISHED,
                published_at=received + timedelta(days=1),
                created_at=received,
            )
            if theme_name:
                idea.themes.add(themes[theme_name])
        for idea in Idea.objects.filter(consultation__in=[open_consultation, closed]):
            idea.support_count = idea.supports.count()
            idea.comment_count = idea.comments.filter(status=PostStatus.PUBLISHED).count()
            idea.save(update_fields=["support_count", "comment_count"])

    def add_consultation(self, index, *, neighbourhoods, **fields) -> ConsultationPage:
        consultation = ConsultationPage(
            background=[
                paragraph(
                    "Your ideas will be read by our Patient Participation Group moderators "
                    "and by the staff of all four practices."
                )
            ],
            **fields,
        )
        index.add_child(instance=consultation)
        consultation.neighbourhoods.set(neighbourhoods)
        consultation.save_revision().publish()
        return consultation

    def remove_wagtail_welcome_page(self) -> None:
        """Wagtail's first migration makes a placeholder page and site; the demo replaces them."""
        placeholder_type = ContentType.objects.get_for_model(Page)
        for page in Page.objects.filter(depth=2, content_type=placeholder_type):
            Site.objects.filter(root_page=page).delete()
            page.delete()

    def create_accounts(self, pcn: PrimaryCareNetwork) -> None:
        user_model = get_user_model()
        for email, display_name, role, password in ACCOUNTS:
            existing = user_model.objects.filter(email=email).first()
            if existing is not None:
                # A demo loaded before two-factor authentication gets its authenticator now.
                if role != "resident":
                    self.give_demo_authenticator(existing)
                continue
            user = user_model(
                username=email.split("@")[0],
                email=email,
                display_name=display_name,
                is_staff=role == "admin",
                is_superuser=role == "admin",
            )
            user.set_password(password)
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            if role == "moderator":
                user.groups.add(pcn.moderator_group)
            elif role == "staff":
                user.groups.add(pcn.staff_group)
            elif role == "PCN lead":
                user.groups.add(pcn.staff_group, pcn.lead_group)
            elif role == "place lead":
                self.place_lead_group(pcn).user_set.add(user)
            elif role == "ICS lead":
                ics_lead_group_setup(ics=pcn.place.integrated_care_system).user_set.add(user)
            if role != "resident":
                self.give_demo_authenticator(user)

    def give_demo_authenticator(self, user) -> None:
        """The demo's authenticator app (DEMO_TOTP_SECRET) and recovery codes, once."""
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)

    def place_lead_group(self, pcn: PrimaryCareNetwork):
        place = pcn.place
        if place.lead_group is None:
            place.lead_group = Group.objects.create(name=f"{place.name}: place leads")
            place.save(update_fields=["lead_group"])
        return place.lead_group
