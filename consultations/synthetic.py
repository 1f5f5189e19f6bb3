"""Synthetic data of the real shape, at a chosen scale: ICSs, Places, PCNs with their sites,
neighbourhoods and practices, consultations, residents' ideas, comments and supports, themes,
"You said, we did" updates, and above the PCNs each Place's shared vision (its priorities
citing its PCNs' themes) and each ICS's (its priorities citing its Places' priorities).

For trying the levels above a PCN and for measuring at the scale of England (`make
synthetic`, `manage.py make_synthetic_data`); never for a live site. Everything is fictional:
names come from word lists, ODS codes are made up in the real formats (PCNs from U90000,
practices from Y00000), email addresses are at example.org.

Speed: each PCN's site and pages go through the same service as a real one (`pcn_onboard`),
so they are right by construction; residents' content, the bulk of the rows, is written with
`bulk_create` in large batches and indexed for search in chunks. The services residents use
are bypassed on purpose: no emails, audit entries or rate limits for people who do not exist.
For the same reason the consultation and update pages are made live without Wagtail's
"published" signal, which would tell every synthetic contributor about the update.

Safe to run again: a PCN is known by its ODS code and a PCN that already has consultations is
left as it is, so a second run adds only what is missing (a run stopped halfway carries on).
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from wagtail.search.backends import get_search_backend

from consultations.models import (
    ActionStatus,
    Comment,
    ConsultationIndexPage,
    ConsultationPage,
    IcsPriority,
    IcsPriorityLink,
    IcsVisionPage,
    Idea,
    IdeaTheme,
    ModerationMode,
    Phase,
    PlacePriority,
    PlacePriorityLink,
    PlaceVisionPage,
    PostStatus,
    Support,
    Theme,
    UpdateAction,
    UpdateIndexPage,
    UpdatePage,
)
from consultations.services.places import place_site_setup
from consultations.services.systems import ics_site_setup
from home.models import HomePage, IntegratedCareSystem, Place
from home.services import PracticeEntry, pcn_onboard

BATCH = 2000
PCN_CODE_BASE = 90000  # U90000 upwards
PRACTICE_LETTER = "Y"
PRACTICES_PER_PCN = 5
RESIDENT_DOMAIN = "synthetic.example.org"
PLACE_PRIORITIES = 3  # each Place's vision: its PCNs' most widely heard topics
ICS_PRIORITIES = 2  # each ICS's vision: its Places' most widely shared priorities

# What residents write about: a theme's name, and sentences its ideas are made of.
TOPICS = {
    "Evening and weekend appointments": [
        "I work until six so I can never get an appointment.",
        "Saturday morning clinics would help working parents.",
        "Please open later on weekdays, even one evening a week.",
        "Booking at 8am is impossible when you start work at 8.",
        "A weekend nurse clinic would save people taking time off.",
    ],
    "Getting to the surgery": [
        "The bus only runs once an hour and stops far from the surgery.",
        "There are never any disabled parking bays free.",
        "A volunteer driver scheme would help people without a car.",
        "The car park is full by nine every morning.",
        "Step-free access from the bus stop would make a big difference.",
    ],
    "Mental health support for young people": [
        "Young people wait months to see anyone about anxiety.",
        "A drop-in after school would be easier than a surgery waiting room.",
        "Counselling at the youth club would reach teenagers who never come in.",
        "Parents need advice on where to turn when their child is struggling.",
        "Peer support groups helped my son more than anything else.",
    ],
    "Pharmacy and prescriptions": [
        "Repeat prescriptions take too long to be ready.",
        "Home delivery of medicines would help people who are housebound.",
        "The pharmacist could deal with minor illnesses and free up appointments.",
        "Medicines are often out of stock and I have to go to three chemists.",
        "A text when my prescription is ready would save wasted trips.",
    ],
    "Phones and reception": [
        "I was on hold for forty minutes before anyone answered.",
        "A call-back option would stop people waiting on the line.",
        "Reception staff are kind but clearly overstretched.",
        "The phone system cuts off when the queue is full.",
        "It would help to know where you are in the queue.",
    ],
    "Online services": [
        "The online form closes before most people wake up.",
        "Video appointments suit me better than coming in.",
        "Not everyone has a smartphone, so please keep other ways to book.",
        "Seeing my test results in the app would stop me phoning.",
        "A help session on using the NHS App would be useful for older people.",
    ],
    "Care for older people": [
        "My dad is housebound and home visits are hard to get.",
        "Loneliness is a health problem for many older neighbours.",
        "A memory clinic closer to home would help families living with dementia.",
        "Carers need a break and someone to ask for advice.",
        "Falls prevention classes at the community centre would be welcome.",
    ],
    "Healthy living": [
        "A walking group from the surgery would get people moving.",
        "Cooking classes on a budget would help families eat better.",
        "Stop smoking support should be available in the evenings.",
        "Free swimming sessions for people with diabetes would help.",
        "Exercise on prescription worked well for my neighbour.",
    ],
}
COMMENTS = [
    "I agree, this would help my family too.",
    "Same here, it has been like this for years.",
    "Good idea. Our practice tried something similar before.",
    "This would make a real difference to older residents.",
    "Yes please, and it should be advertised in the library.",
    "I disagree a little: the problem is staffing, not hours.",
]
PLACE_NAMES = [
    "Northbrook",
    "Eastfield",
    "Southmere",
    "Westhaven",
    "Kingsmoor",
    "Ashdown",
    "Brackley",
    "Clearwater",
    "Dunmore",
    "Elmstead",
]
AREA_NAMES = [
    "Riverside",
    "Hillside",
    "Old Town",
    "Meadow",
    "Park",
    "Forest",
    "Bridge",
    "Castle",
    "Harbour",
    "Mill",
    "Orchard",
    "Station",
    "Abbey",
    "Green",
    "Market",
    "Valley",
]


@dataclass
class Scale:
    """How much to make: `pcns` PCNs spread evenly over `places` Places in `systems` ICSs."""

    systems: int = 1
    places: int = 2
    pcns: int = 4
    ideas_per_pcn: int = 200
    comments_per_idea: int = 2
    supports_per_idea: int = 3
    residents: int = 500
    seed: int = 2026

    def check(self) -> None:
        problems = []
        for name in ("systems", "places", "pcns", "residents"):
            if getattr(self, name) < 1:
                problems.append(f"--{name.replace('_', '-')} must be 1 or more")
        for name in ("ideas_per_pcn", "comments_per_idea", "supports_per_idea"):
            if getattr(self, name) < 0:
                problems.append(f"--{name.replace('_', '-')} must be 0 or more")
        if self.places < self.systems:
            problems.append("--places must be at least --systems (every ICS has a Place)")
        if self.pcns < self.places:
            problems.append("--pcns must be at least --places (every Place has a PCN)")
        if self.pcns > 9999:
            problems.append("--pcns must be 9,999 or fewer (the synthetic ODS code range)")
        if self.supports_per_idea > self.residents:
            problems.append("--supports-per-idea must not exceed --residents")
        if problems:
            raise ValueError("; ".join(problems) + ".")


@dataclass
class Made:
    systems: int = 0
    places: int = 0
    pcns: int = 0
    pcns_skipped: int = 0
    residents: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + count


def synthetic_data_make(
    *,
    scale: Scale,
    hostname_suffix: str = "synthetic.localhost",
    port: int = 80,
    system: IntegratedCareSystem | None = None,
    progress=None,
) -> Made:
    """Make (or complete) the synthetic data set at `scale`; return what was made.

    With `system`, its Places and PCNs are made in that ICS (`scale.systems` must be 1): the
    demo adds a second Place to its own ICS this way.
    """
    scale.check()
    if system is not None and scale.systems != 1:
        raise ValueError("Give one system when making Places in an existing ICS.")
    say = progress or (lambda message: None)
    rng = random.Random(scale.seed)
    made = Made()
    residents = _residents(scale, made)
    say(f"{len(residents)} residents ready")
    places = _organisations(scale, made, system=system)
    for number in range(scale.pcns):
        place = places[number % len(places)]
        code = f"U{PCN_CODE_BASE + number}"
        onboarding = pcn_onboard(
            name=f"{place.name} {AREA_NAMES[number % len(AREA_NAMES)]} PCN {number + 1}",
            ods_code=code,
            place=place,
            hostname=f"pcn{number + 1}.{hostname_suffix}",
            port=port,
            contact_email=f"pcn{number + 1}@{RESIDENT_DOMAIN}",
            safeguarding_contact_email=f"safeguarding.pcn{number + 1}@{RESIDENT_DOMAIN}",
            neighbourhoods=[AREA_NAMES[(number + k) % len(AREA_NAMES)] for k in range(3)],
            practices=[
                PracticeEntry(
                    ods_code=f"{PRACTICE_LETTER}{number * PRACTICES_PER_PCN + k:05d}",
                    name=f"{AREA_NAMES[(number + k) % len(AREA_NAMES)]} Surgery {number + 1}",
                    neighbourhood=AREA_NAMES[(number + k % 3) % len(AREA_NAMES)],
                )
                for k in range(PRACTICES_PER_PCN)
            ],
        )
        index = ConsultationIndexPage.objects.child_of(onboarding.home).first()
        if ConsultationPage.objects.child_of(index).exists():
            made.pcns_skipped += 1
            continue
        _pcn_content(onboarding, index, residents, scale, rng, made)
        made.pcns += 1
        say(f"PCN {number + 1} of {scale.pcns}: {code}")
    for place in places:
        _place_vision(place, hostname_suffix=hostname_suffix, port=port, made=made)
    # An ICS given by the caller (the demo's) has a vision of its own making.
    for number, made_here in enumerate(_systems_made_here(places, given=system)):
        _ics_vision(made_here, hostname=f"ics{number + 1}.{hostname_suffix}", port=port, made=made)
    say(
        f"{made.counts.get('place visions', 0)} Place and "
        f"{made.counts.get('ICS visions', 0)} ICS visions"
    )
    _analyse()
    return made


def _residents(scale: Scale, made: Made) -> list[int]:
    User = get_user_model()
    UNUSABLE = make_password(None)
    existing = set(
        User.objects.filter(email__endswith=f"@{RESIDENT_DOMAIN}").values_list("email", flat=True)
    )
    wanted = [f"resident{n}@{RESIDENT_DOMAIN}" for n in range(scale.residents)]
    new = [
        User(
            username=email.split("@")[0] + ".synthetic",
            email=email,
            display_name=f"Resident {n}",
            password=UNUSABLE,  # nobody signs in as them
        )
        for n, email in enumerate(wanted)
        if email not in existing
    ]
    User.objects.bulk_create(new, batch_size=BATCH)
    made.residents = len(new)
    return list(User.objects.filter(email__in=wanted).order_by("pk").values_list("pk", flat=True))


def _organisations(scale: Scale, made: Made, *, system=None) -> list[Place]:
    places = []
    given = system
    for number in range(scale.systems):
        if given is not None:
            system = given
        else:
            system, created = IntegratedCareSystem.objects.get_or_create(
                name=f"Synthetic Integrated Care System {number + 1}"
            )
            made.systems += created
        wanted = range(number, scale.places, scale.systems)
        for place_number in wanted:
            name = PLACE_NAMES[place_number % len(PLACE_NAMES)]
            if place_number >= len(PLACE_NAMES):
                name += f" {place_number // len(PLACE_NAMES) + 1}"
            place, created = Place.objects.get_or_create(name=name, integrated_care_system=system)
            made.places += created
            places.append(place)
    return places


@transaction.atomic
def _pcn_content(onboarding, index, residents, scale: Scale, rng, made: Made) -> None:
    """One PCN's consultations, ideas, comments, supports, themes and an update."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    neighbourhoods = list(onboarding.pcn.neighbourhoods.all())
    closed = _consultation(
        index,
        title="What would make it easier to see someone?",
        opens_at=now - timedelta(days=120),
        closes_at=now - timedelta(days=30),
        neighbourhoods=neighbourhoods,
        phase_override=Phase.RESPONDED,
    )
    open_now = _consultation(
        index,
        title="Your health services next year",
        opens_at=now - timedelta(days=14),
        closes_at=now + timedelta(days=28),
        neighbourhoods=neighbourhoods,
    )
    topics = list(TOPICS)
    ideas = []
    for n in range(scale.ideas_per_pcn):
        topic = topics[rng.randrange(len(topics))]
        sentences = rng.sample(TOPICS[topic], k=rng.randint(1, 3))
        status = PostStatus.PUBLISHED if rng.random() > 0.05 else PostStatus.HIDDEN
        created = now - timedelta(days=rng.randint(31, 110), minutes=rng.randint(0, 1440))
        ideas.append(
            (
                topic,
                Idea(
                    consultation=closed if n % 3 else open_now,
                    author_id=residents[rng.randrange(len(residents))],
                    neighbourhood=neighbourhoods[n % len(neighbourhoods)],
                    title=sentences[0].rstrip(".")[:120],
                    body=" ".join(sentences),
                    status=status,
                    created_at=created,
                    published_at=created if status == PostStatus.PUBLISHED else None,
                ),
            )
        )
    Idea.objects.bulk_create([idea for _, idea in ideas], batch_size=BATCH)
    made.add("ideas", len(ideas))
    published = [(topic, idea) for topic, idea in ideas if idea.status == PostStatus.PUBLISHED]

    comments = [
        Comment(
            idea=idea,
            author_id=residents[rng.randrange(len(residents))],
            body=rng.choice(COMMENTS),
            status=PostStatus.PUBLISHED,
        )
        for _, idea in published
        for _ in range(rng.randint(0, 2 * scale.comments_per_idea))
    ]
    Comment.objects.bulk_create(comments, batch_size=BATCH)
    made.add("comments", len(comments))

    most = min(2 * scale.supports_per_idea, len(residents))
    supports = [
        Support(idea=idea, user_id=user_id)
        for _, idea in published
        for user_id in rng.sample(residents, k=rng.randint(0, most))
    ]
    Support.objects.bulk_create(supports, batch_size=BATCH)
    made.add("supports", len(supports))
    _recount(closed, open_now)

    themes = {
        topic: Theme.objects.create(
            consultation=closed,
            name=topic,
            summary=f"Residents told us about {topic.lower()}.",
        )
        for topic in sorted({topic for topic, idea in published if idea.consultation == closed})
    }
    IdeaTheme.objects.bulk_create(
        [
            IdeaTheme(theme=themes[topic], idea=idea)
            for topic, idea in published
            if idea.consultation == closed
        ],
        batch_size=BATCH,
    )
    made.add("themes", len(themes))
    _update(onboarding.home, closed, list(themes.values())[:2], now)
    made.add("updates", 1)
    made.add("consultations", 2)
    index_ideas = get_search_backend().get_index_for_model(Idea)
    chunk = [idea for _, idea in ideas]
    for start in range(0, len(chunk), BATCH):
        index_ideas.add_items(Idea, chunk[start : start + BATCH])


def _systems_made_here(places, *, given) -> list[IntegratedCareSystem]:
    if given is not None:
        return []
    return list(dict.fromkeys(place.integrated_care_system for place in places))


@transaction.atomic
def _place_vision(place, *, hostname_suffix, port, made: Made) -> None:
    """The Place's shared vision, published, once: a priority for each of the topics most
    of its PCNs heard, citing every PCN theme of that topic. Made through the same service
    as a real Place's site, and published by its revision, so its editor shows it whole."""
    if PlaceVisionPage.objects.filter(place=place).exists():
        return
    homes = HomePage.objects.filter(pcn__place=place).values_list("path", flat=True)
    within = Q(pk__in=[])
    for path in homes:
        within |= Q(consultation__path__startswith=path)
    themes: dict[str, list[int]] = {}
    for pk, name in Theme.objects.filter(within, name__in=TOPICS).values_list("pk", "name"):
        themes.setdefault(name, []).append(pk)
    topics = sorted(themes, key=lambda name: (-len(themes[name]), list(TOPICS).index(name)))
    vision = place_site_setup(
        place=place,
        hostname=f"{slugify(place.name)}.{hostname_suffix}",
        port=port,
        title=f"{place.name}: our shared vision",
    )
    vision.priorities = [
        PlacePriority(
            title=topic,
            description=f"What residents across {place.name} told us about {topic.lower()}.",
            sort_order=order,
        )
        for order, topic in enumerate(topics[:PLACE_PRIORITIES])
    ]
    vision.save_revision().publish()
    links = [
        PlacePriorityLink(priority=priority, theme_id=theme_id)
        for priority in PlacePriority.objects.filter(page=vision)
        for theme_id in themes[priority.title]
    ]
    PlacePriorityLink.objects.bulk_create(links, batch_size=BATCH)
    made.add("place visions", 1)
    made.add("place priority links", len(links))


@transaction.atomic
def _ics_vision(system, *, hostname, port, made: Made) -> None:
    """The ICS's shared vision, published, once: a priority for each of the Place priorities
    most of its Places share, citing each of them."""
    if IcsVisionPage.objects.filter(ics=system).exists():
        return
    shared: dict[str, list[int]] = {}
    for pk, title in PlacePriority.objects.filter(
        page__place__integrated_care_system=system, page__live=True
    ).values_list("pk", "title"):
        shared.setdefault(title, []).append(pk)
    titles = sorted(shared, key=lambda title: (-len(shared[title]), title))[:ICS_PRIORITIES]
    vision = ics_site_setup(ics=system, hostname=hostname, port=port)
    vision.priorities = [
        IcsPriority(
            title=title,
            description=f"Across {system.name}: {title.lower()}, as its Places agreed.",
            sort_order=order,
        )
        for order, title in enumerate(titles)
    ]
    vision.save_revision().publish()
    links = [
        IcsPriorityLink(priority=priority, place_priority_id=place_priority_id)
        for priority in IcsPriority.objects.filter(page=vision)
        for place_priority_id in shared[priority.title]
    ]
    IcsPriorityLink.objects.bulk_create(links, batch_size=BATCH)
    made.add("ICS visions", 1)
    made.add("ICS priority links", len(links))


def _consultation(index, *, title, neighbourhoods, **fields) -> ConsultationPage:
    page = index.add_child(
        instance=ConsultationPage(
            title=title,
            question=f"{title} Tell us what matters to you.",
            summary="A synthetic consultation for trying Engage at scale.",
            moderation_mode=ModerationMode.POST,
            live=True,
            **fields,
        )
    )
    page.neighbourhoods.set(neighbourhoods)
    return page


def _recount(*consultations) -> None:
    """Each idea's support and comment counts, as the services keep them."""
    ideas = Idea.objects.filter(consultation__in=consultations)
    supports = Support.objects.filter(idea=OuterRef("pk")).values("idea")
    comments = Comment.objects.filter(idea=OuterRef("pk"), status=PostStatus.PUBLISHED).values(
        "idea"
    )
    ideas.update(
        support_count=Coalesce(Subquery(supports.annotate(n=Count("pk")).values("n")[:1]), 0),
        comment_count=Coalesce(Subquery(comments.annotate(n=Count("pk")).values("n")[:1]), 0),
    )


def _update(home, consultation, themes, now) -> None:
    updates = UpdateIndexPage.objects.child_of(home).first()
    update = updates.add_child(
        instance=UpdatePage(
            title=f"What we are doing about {themes[0].name.lower()}" if themes else "Our reply",
            live=True,
            first_published_at=now - timedelta(days=7),
            last_published_at=now - timedelta(days=7),
            consultation=consultation,
            you_said="<p>Residents told us what gets in the way of seeing someone.</p>",
            we_did="<p>We are making changes, starting this season.</p>",
            actions=[
                UpdateAction(
                    description="A first change, already under way",
                    status=ActionStatus.IN_PROGRESS,
                    date=(now + timedelta(days=30)).date(),
                    sort_order=0,
                ),
                UpdateAction(
                    description="A second change, done",
                    status=ActionStatus.DONE,
                    date=(now - timedelta(days=5)).date(),
                    sort_order=1,
                ),
            ],
        )
    )
    update.themes.set(themes)
    update.save()


def _analyse() -> None:
    """Planner statistics after a bulk load (see `update_database_statistics`)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
