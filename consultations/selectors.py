"""Reads that pages show. Each selects and prefetches what its page needs, so a page's
query count stays the same however many ideas and comments there are."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Value,
    prefetch_related_objects,
)

from consultations.models import (
    Comment,
    ConsultationPage,
    EqualityAnswers,
    Follow,
    IcsVisionPage,
    Idea,
    IdeaTheme,
    OutreachAction,
    Phase,
    PlacePriorityDraft,
    PlacePriorityLink,
    PlacePriorityPoint,
    PlaceVisionPage,
    PostStatus,
    SummaryDraft,
    SummaryPoint,
    Support,
    Theme,
    ThemeQuote,
    phase_at,
)
from home.boundary import ics_ids_led_by, place_ids_led_by
from home.models import HomePage, VisionPage
from home.page_cache import site_content_memo
from home.pages import parent_chain, request_site_id

IDEAS_PER_PAGE = 20
COMMENTS_PER_PAGE = 30

# Every sort is descending on every field, and ends with the id: `sort_key` relies on both.
SORTS = {
    "newest": ("-created_at", "-id"),
    "supported": ("-support_count", "-created_at", "-id"),
    "discussed": ("-comment_count", "-created_at", "-id"),
}


@dataclass(frozen=True)
class ConsultationCard:
    """A consultation as a list of them shows it (`includes/consultation_card.html`), in
    plain values a kept list can hold. Its phase is worked out each time it is shown, so a
    kept list still moves a consultation from upcoming to open to closed on time."""

    title: str
    summary: str
    url: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    phase_override: str

    @property
    def phase(self) -> str:
        return phase_at(
            phase_override=self.phase_override, opens_at=self.opens_at, closes_at=self.closes_at
        )

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label


@dataclass(frozen=True)
class ConsultationsByPhase:
    open: list[ConsultationCard]  # closing soonest first
    upcoming: list[ConsultationCard]  # opening soonest first
    past: list[ConsultationCard]  # closed, under review or responded; latest first


def consultation_cards(*, home: HomePage, below, request) -> ConsultationsByPhase:
    """The live consultations everyone may read below the page `below` (the site's home
    page or its consultations' index), by phase, as the request's site links to them.

    One query, kept until the site's content changes (`site_content_memo`: a page
    published, moved or made private starts a new generation); sorted into phases when
    shown, so what is kept does not go stale as time passes."""

    def cards() -> list[ConsultationCard]:
        pages = ConsultationPage.objects.live().public().descendant_of(below).order_by("path")
        return [
            ConsultationCard(
                title=page.title,
                summary=page.summary,
                url=page.get_url(request=request),
                opens_at=page.opens_at,
                closes_at=page.closes_at,
                phase_override=page.phase_override,
            )
            for page in pages
        ]

    name = f"consultation-cards:{below.pk}:{request_site_id(request)}"
    kept = site_content_memo(home=home, name=name, compute=cards)
    by_phase = {phase: [] for phase in Phase}
    for card in kept:
        by_phase[card.phase].append(card)
    past = by_phase[Phase.CLOSED] + by_phase[Phase.UNDER_REVIEW] + by_phase[Phase.RESPONDED]
    return ConsultationsByPhase(
        open=sorted(by_phase[Phase.OPEN], key=lambda card: card.closes_at),
        upcoming=sorted(by_phase[Phase.UPCOMING], key=lambda card: card.opens_at),
        past=sorted(past, key=lambda card: card.closes_at, reverse=True),
    )


def idea_list(
    *,
    consultation: ConsultationPage,
    user,
    sort: str = "newest",
    neighbourhood_id: int | None = None,
    theme_id: int | None = None,
    query: str = "",
):
    """The ideas a user may see in a consultation, filtered, searched and sorted.

    Visitors see published ideas; a signed-in resident also sees their own pending and
    hidden ideas, marked as such. Search uses Wagtail's database search backend.
    """
    ideas = Idea.objects.filter(consultation=consultation).visible_to(user)
    return _ideas_matching(
        ideas.select_related("author", "neighbourhood"),
        sort=sort,
        neighbourhood_id=neighbourhood_id,
        theme_id=theme_id,
        query=query,
    )


def own_unlisted_ideas(
    *,
    consultation: ConsultationPage,
    user,
    sort: str = "newest",
    neighbourhood_id: int | None = None,
    theme_id: int | None = None,
    query: str = "",
) -> list[Idea]:
    """The ideas `idea_list` finds for a signed-in resident with the same filters and
    search that a visitor's list does not hold: their own that are not published (pending
    or hidden). One small query (two with a theme and a search, as `idea_list`), with the
    fields the sorts read."""
    ideas = (
        Idea.objects.filter(consultation=consultation)
        .own_unlisted(user)
        .only(*{name.removeprefix("-") for order in SORTS.values() for name in order})
    )
    return list(
        _ideas_matching(
            ideas, sort=sort, neighbourhood_id=neighbourhood_id, theme_id=theme_id, query=query
        )
    )


def _ideas_matching(ideas, *, sort, neighbourhood_id, theme_id, query):
    """`ideas` filtered, sorted and searched as the idea list is. The search backend cannot
    be filtered after `.search()`: who may see which ideas is in `ideas` already."""
    if neighbourhood_id:
        ideas = ideas.filter(neighbourhood_id=neighbourhood_id)
    if theme_id:
        in_theme = ideas.filter(themes__id=theme_id)
        # The search backend cannot filter across the many-to-many: narrow by id instead.
        ideas = (
            ideas.filter(pk__in=list(in_theme.values_list("pk", flat=True))) if query else in_theme
        )
    ideas = ideas.order_by(*sort_order(sort))
    words = search_words(query)
    if words:
        # Not by relevance: in the queryset's order, which is the sort's.
        return ideas.search(" ".join(words), order_by_relevance=False)
    return ideas


def sort_order(sort: str) -> tuple[str, ...]:
    """The fields an idea list is sorted by (`SORTS`; the newest first unless it says)."""
    return SORTS.get(sort, SORTS["newest"])


def sort_key(idea: Idea, sort: str) -> tuple:
    """Where an idea stands in a list sorted by `sort`: of two ideas, the one with the
    greater key comes first (every sort is descending, and ends with the id, so no two
    ideas share a key)."""
    return tuple(getattr(idea, name.removeprefix("-")) for name in sort_order(sort))


def search_words(text: str, *, limit: int | None = 12) -> list[str]:
    """The words of a search, without anything a search backend reads as query syntax
    (quotes, colons, operators): residents search for words, not expressions."""
    return re.findall(r"\w+", text or "")[:limit]


def paginate(items, *, page_number, per_page: int = IDEAS_PER_PAGE):
    return Paginator(items, per_page).get_page(page_number)


def supported_idea_ids(*, user, idea_ids) -> set[int]:
    """Which of these ideas the user supports (none for a visitor)."""
    if not user.is_authenticated or not idea_ids:
        return set()
    supports = Support.objects.filter(user=user, idea_id__in=idea_ids)
    return set(supports.values_list("idea_id", flat=True))


def consultation_themes(*, consultation: ConsultationPage):
    return Theme.objects.filter(consultation=consultation).order_by("name")


def site_home(page) -> HomePage | None:
    """The home page of a page's site: from the parents routing read, else one query."""
    chain = parent_chain(page)
    return chain[-1] if chain else page.home_page


def idea_filter_choices(*, consultation: ConsultationPage) -> tuple[list, list[Theme]]:
    """The neighbourhoods a consultation is for and its themes, each by name: what its list
    of ideas is filtered by. Kept until the site's content changes (`site_content_memo`):
    a theme added, renamed or removed, a neighbourhood renamed and the page published each
    start a new generation."""

    def read():
        neighbourhoods = list(consultation.neighbourhoods.order_by("name"))
        return neighbourhoods, list(consultation_themes(consultation=consultation))

    home = site_home(consultation)
    if home is None:
        return read()
    name = f"idea-filter-choices:{consultation.pk}"
    return site_content_memo(home=home, name=name, compute=read)


def idea_for_page(*, consultation: ConsultationPage, idea_id: int, user=None) -> Idea | None:
    """The idea, with `has_supported` and `is_following` for the user, and
    `has_own_comment`: whether any comment on it the user can see is their own (published,
    pending or hidden; a reply too). All False for visitors."""
    ideas = Idea.objects.filter(consultation=consultation, pk=idea_id)
    if user is not None and user.is_authenticated:
        # Of the comments `idea_comments` shows the user (`_visible_comments`), their own.
        own_comments = Comment.objects.filter(
            idea=OuterRef("pk"),
            author=user,
            status__in=[PostStatus.PUBLISHED, *_OWN_UNPUBLISHED_SHOWN],
        )
        ideas = ideas.annotate(
            has_supported=Exists(Support.objects.filter(idea=OuterRef("pk"), user=user)),
            is_following=Exists(Follow.objects.filter(idea=OuterRef("pk"), user=user)),
            has_own_comment=Exists(own_comments),
        )
    else:
        ideas = ideas.annotate(
            has_supported=Value(False), is_following=Value(False), has_own_comment=Value(False)
        )
    return ideas.select_related("author", "neighbourhood").first()


def idea_placements_read(*, idea: Idea) -> Idea:
    """The idea's `placements` in themes, by theme name, with each theme's priority: what
    its page lists and its journey reads (`loop.idea_journeys`). One query, made only when
    the idea's summary is not kept already."""
    placements = Prefetch(
        "ideatheme_set",
        queryset=IdeaTheme.objects.select_related("theme__priority").order_by("theme__name"),
        to_attr="placements",
    )
    prefetch_related_objects([idea], placements)
    return idea


# The statuses of a signed-in person's own comments shown to them besides the published.
_OWN_UNPUBLISHED_SHOWN = (PostStatus.PENDING, PostStatus.HIDDEN)


def _visible_comments(user):
    visible = Q(status=PostStatus.PUBLISHED)
    if user.is_authenticated:
        visible |= Q(author=user, status__in=_OWN_UNPUBLISHED_SHOWN)
    return visible


def idea_comments(*, idea: Idea, user, page_number):
    """A page of top-level comments with their replies, in two queries (plus the count)."""
    visible = _visible_comments(user)
    top_level = (
        Comment.objects.filter(visible, idea=idea, parent__isnull=True)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Comment.objects.filter(visible).select_related("author"),
                to_attr="visible_replies",
            )
        )
        .order_by("created_at", "pk")
    )
    return paginate(top_level, page_number=page_number, per_page=COMMENTS_PER_PAGE)


SIMILAR_CANDIDATES = 1000


def similar_ideas(*, consultation: ConsultationPage, title: str, body: str = "", limit: int = 5):
    """Published ideas in the consultation that share words with a draft idea, those sharing
    the most first (a shared word in the title counts twice), newest first among equals.

    The search backend finds the newest `SIMILAR_CANDIDATES` ideas sharing any word, and
    they are ranked here. The backend's own relevance ordering scores every match: a second
    among 100,000 ideas on PostgreSQL, and more than two minutes on SQLite, which runs the
    full-text match again for each idea it scores. A resident waits for this.
    """
    words = [word for word in search_words(f"{title} {body[:200]}", limit=40) if len(word) > 3][:12]
    if not words:
        return []
    ideas = Idea.objects.filter(consultation=consultation, status=PostStatus.PUBLISHED)
    newest = ideas.order_by("-created_at", "-id")
    candidates = newest.search(" ".join(words), operator="or", order_by_relevance=False)
    wanted = {word.casefold() for word in words}

    def shared(idea) -> int:
        in_title = wanted & {word.casefold() for word in search_words(idea.title, limit=None)}
        in_body = wanted & {word.casefold() for word in search_words(idea.body, limit=None)}
        return 2 * len(in_title) + len(in_body - in_title)

    ranked = sorted(candidates[:SIMILAR_CANDIDATES], key=shared, reverse=True)  # stable
    return ranked[:limit]


IDEAS_SHOWN_PER_THEME = 5


def outreach_actions(*, consultation: ConsultationPage):
    """What the PCN did to reach the groups this consultation was not hearing from, the
    latest first (one query)."""
    return OutreachAction.objects.filter(consultation=consultation).order_by("-held_on", "-pk")


def findings(*, consultation: ConsultationPage):
    """The themes of "what we heard": counts, summaries, quotes and a few ideas each.

    A fixed number of queries: themes with their published idea counts, their quotes,
    and the first few published ideas of every theme (a sliced prefetch).
    """
    published = Q(ideas__status=PostStatus.PUBLISHED)
    return (
        Theme.objects.filter(consultation=consultation)
        .annotate(idea_count=Count("ideas", filter=published))
        .select_related("priority")
        .prefetch_related(
            Prefetch(
                "quotes",
                # Still the resident's own words: a quote whose idea was edited since is
                # left out rather than shown with words they no longer stand by.
                queryset=ThemeQuote.objects.filter(idea__status=PostStatus.PUBLISHED).filter(
                    Q(idea__body__contains=F("text")) | Q(idea__title__contains=F("text"))
                ),
            ),
            Prefetch(
                "ideas",
                queryset=Idea.objects.filter(status=PostStatus.PUBLISHED).order_by(
                    "-support_count", "pk"
                )[:IDEAS_SHOWN_PER_THEME],
                to_attr="top_ideas",
            ),
        )
        .order_by("-idea_count", "name")
    )


def findings_own_words(*, consultation: ConsultationPage) -> dict[int | None, list[SummaryPoint]]:
    """The approved points of "what we heard", by theme id (None: the whole consultation).

    One query, whatever the number of themes and points. Each point is checked as it is
    read (`SummaryPoint.still_stands`): a post hidden, withdrawn or changed since, or whose
    author has gone, drops out; a theme's point whose idea has left the theme too.
    """
    points = (
        SummaryPoint.objects.filter(
            draft__consultation=consultation,
            draft__status=SummaryDraft.Status.APPROVED,
            chosen=True,
        )
        .annotate(
            draft_theme_id=F("draft__theme_id"),
            in_theme=Exists(
                IdeaTheme.objects.filter(
                    theme_id=OuterRef("draft__theme_id"), idea_id=OuterRef("idea_id")
                )
            ),
        )
        .select_related("idea", "comment")
        .only(
            *("pk", "field", "start", "end", "text", "sort_order"),
            *("represents", "comment_id", "idea_id", "draft_id"),
            *("idea__status", "idea__author_id", "idea__channel", "idea__attribution"),
            *("idea__title", "idea__body", "comment__status", "comment__author_id"),
            "comment__body",
        )
        .order_by("sort_order", "pk")
    )
    by_theme: dict[int | None, list[SummaryPoint]] = {}
    for point in points:
        theme_id = point.draft_theme_id
        if theme_id is not None and not point.in_theme:
            continue
        if point.still_stands():
            by_theme.setdefault(theme_id, []).append(point)
    return by_theme


def findings_export_rows(*, consultation: ConsultationPage):
    """Published ideas with their themes, for the CSV: nothing that identifies anyone."""
    ideas = (
        Idea.objects.filter(consultation=consultation, status=PostStatus.PUBLISHED)
        .select_related("neighbourhood")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("created_at", "pk")
    )
    for idea in ideas.iterator(chunk_size=2000):
        yield [
            idea.pk,
            idea.title,
            idea.body,
            idea.neighbourhood.name if idea.neighbourhood else "",
            idea.get_channel_display(),
            idea.created_at.date().isoformat(),
            idea.support_count,
            idea.comment_count,
            "; ".join(theme.name for theme in idea.themes.all()),
        ]


def moderated_consultations(user):
    """The consultations of every PCN the user moderates (all of them for an admin)."""
    consultations = ConsultationPage.objects.all()
    if user is None or not user.is_authenticated:
        return consultations.none()
    if user.is_superuser:
        return consultations
    homes = HomePage.objects.filter(pcn__moderator_group__in=user.groups.all())
    if not homes:
        return consultations.none()
    query = Q()
    for home in homes:
        query |= Q(path__startswith=home.path)
    return consultations.filter(query)


def equality_prompt_due(*, user) -> bool:
    """Whether to ask a resident "About you" now: they have never answered or skipped it."""
    return not EqualityAnswers.objects.filter(user=user).exists()


# A Place's shared vision: how widely each priority was heard


@dataclass
class CitedTheme:
    theme: Theme
    pcn_name: str
    via_priority: object = None  # the PCN priority it feeds, when cited through that priority


@dataclass
class HeardPriority:
    """A Place priority with what its PCNs heard: "heard in N of M PCNs, K contributions"."""

    priority: object
    themes: list = field(default_factory=list)  # CitedTheme, public consultations only
    pcn_priorities: list = field(default_factory=list)  # (VisionPriority, PCN name)
    pcn_count: int = 0  # N: PCNs whose residents' words are behind it
    place_pcn_count: int = 0  # M: the Place's PCNs
    contributions: int = 0  # K: published ideas in its themes and their published comments
    own_words: list = field(default_factory=list)  # approved PlacePriorityPoints that stand

    @property
    def title(self):
        return self.priority.title

    @property
    def description(self):
        return self.priority.description


def place_vision_heard(*, page, homes=None) -> list[HeardPriority]:
    """Each priority of a Place's vision, with the themes behind it, how widely it was
    heard and the residents' own words a place lead approved for it, in six queries (and
    the request's page view restrictions, read once) whatever the number of PCNs,
    priorities, themes, ideas and comments.

    The themes behind a priority are those it cites, and those that feed a PCN priority it
    cites, of live consultations everyone may read (never a private one's). N counts the
    PCNs those themes come from; K the published ideas in them (each once, however many of
    its themes it sits in) and those ideas' published comments. M is the number of the
    Place's PCNs. An approved point is shown while it stands (`still_stands`) and its idea
    is still in a public theme behind the priority, each with the PCN it was said to.
    """
    if homes is None:  # the home pages of the Place's PCNs, with each PCN
        homes = HomePage.objects.filter(pcn__place_id=page.place_id).select_related("pcn")
    homes = {home.path: home.pcn for home in homes}
    place_pcn_count = len({pcn.pk for pcn in homes.values()})
    public = ConsultationPage.objects.live().public().values("pk")
    public_visions = VisionPage.objects.live().public().values("pk")
    links = (
        PlacePriorityLink.objects.filter(priority__page=page)
        .filter(
            Q(theme__consultation__in=public)
            | Q(vision_priority__isnull=False, vision_priority__page__in=public_visions)
        )
        .select_related("theme__consultation", "vision_priority__page")
        .order_by("confirmed_at", "pk")
    )
    priorities = {p.pk: HeardPriority(priority=p) for p in page.priorities.all()}
    cited_priorities: dict[int, list[int]] = {}  # PCN priority id -> Place priority ids
    themes_of: dict[int, dict[int, CitedTheme]] = {pk: {} for pk in priorities}
    for link in links:
        heard = priorities.get(link.priority_id)
        if heard is None:
            continue
        if link.theme is not None:
            pcn = pcn_by_path(homes, link.theme.consultation.path)
            if pcn is not None:
                themes_of[heard.priority.pk][link.theme.pk] = CitedTheme(link.theme, pcn.name)
        else:
            pcn = pcn_by_path(homes, link.vision_priority.page.path)
            if pcn is not None:
                heard.pcn_priorities.append((link.vision_priority, pcn.name))
                cited_priorities.setdefault(link.vision_priority_id, []).append(heard.priority.pk)
    for theme in (
        Theme.objects.filter(priority_id__in=cited_priorities, consultation__in=public)
        .select_related("consultation", "priority")
        .order_by("name")
    ):
        pcn = pcn_by_path(homes, theme.consultation.path)
        if pcn is None:
            continue
        for priority_id in cited_priorities[theme.priority_id]:
            themes_of[priority_id].setdefault(
                theme.pk, CitedTheme(theme, pcn.name, via_priority=theme.priority)
            )
    theme_ids = {theme_id for cited in themes_of.values() for theme_id in cited}
    ideas_of: dict[int, list[tuple[int, int]]] = {}
    for theme_id, idea_id, comments in IdeaTheme.objects.filter(
        theme_id__in=theme_ids, idea__status=PostStatus.PUBLISHED
    ).values_list("theme_id", "idea_id", "idea__comment_count"):
        ideas_of.setdefault(theme_id, []).append((idea_id, comments))
    points_of: dict[int, list[PlacePriorityPoint]] = {}
    for point in _place_points(page):
        points_of.setdefault(point.draft_priority_id, []).append(point)
    for priority_id, heard in priorities.items():
        cited = themes_of[priority_id]
        heard.themes = sorted(cited.values(), key=lambda c: (c.pcn_name, c.theme.name))
        heard.pcn_count = len({c.pcn_name for c in cited.values()})
        heard.place_pcn_count = place_pcn_count
        ideas = dict(pair for theme_id in cited for pair in ideas_of.get(theme_id, []))
        heard.contributions = len(ideas) + sum(ideas.values())
        for point in points_of.get(priority_id, []):
            if point.idea_id in ideas and point.still_stands():
                point.source_page = point.idea.consultation
                pcn = pcn_by_path(homes, point.source_page.path)
                point.pcn_name = pcn.name if pcn else ""
                heard.own_words.append(point)
    return list(priorities.values())


def _place_points(page):
    """The approved, chosen points of a Place vision's priorities, with what `still_stands`
    and a link to the idea need, in one query."""
    return (
        PlacePriorityPoint.objects.filter(
            draft__priority__page=page,
            draft__status=PlacePriorityDraft.Status.APPROVED,
            chosen=True,
        )
        .annotate(draft_priority_id=F("draft__priority_id"))
        .select_related("idea__consultation", "comment")
        .order_by("sort_order", "pk")
    )


def pcn_by_path(homes: dict, path: str):
    """The PCN whose home page is above the page at `path`."""
    for length in range(4, len(path) + 1, 4):
        pcn = homes.get(path[:length])
        if pcn is not None:
            return pcn
    return None


def place_vision_paths(user) -> list[str]:
    """The tree paths of the Place visions the person leads: the admin shows them those
    pages (`home.admin_scope.admin_page_roots_register`)."""
    return list(
        PlaceVisionPage.objects.filter(place_id__in=place_ids_led_by(user)).values_list(
            "path", flat=True
        )
    )


def ics_vision_paths(user) -> list[str]:
    """The tree paths of the ICS visions the person leads, for the admin (as
    `place_vision_paths`)."""
    return list(
        IcsVisionPage.objects.filter(ics_id__in=ics_ids_led_by(user)).values_list("path", flat=True)
    )
