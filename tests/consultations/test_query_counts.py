"""Every public page stays within 15 SQL queries, the same number at two data sizes.

Two PCN sites with the same pages, one small and one large (ten times the ideas,
comments, themes, consultations and updates), served at two host names: each page must
take as many queries on the large site as on the small one, for a visitor and for a
signed-in resident, and never more than the budget. Caches shared by every page (the
site's chrome, Wagtail's site root paths) are warmed by a first request. Whole pages are
not kept for visitors here (a stored page takes no queries at all: tests/home/
test_page_cache.py), so these counts are those of rendering each page.
"""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import (
    Comment,
    EqualityAnswers,
    Follow,
    Idea,
    IdeaTheme,
    ModerationMode,
    OutreachAction,
    Phase,
    PostStatus,
    SummaryDraft,
    SummaryPoint,
    Support,
    Theme,
)
from engage.models import User
from tests.factories import UserFactory, make_consultation, make_pcn_site
from tests.loop.conftest import action, make_update, make_vision

QUERY_BUDGET = 15
HOSTS = {"small": "localhost", "large": "127.0.0.1"}
SIZES = {"small": 20, "large": 200}


@pytest.fixture(autouse=True)
def _render_every_page(settings):
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10  # who took part shows at both sizes


def build_site(*, hostname: str, size: int, resident) -> dict[str, str]:
    """A PCN site with `size` ideas and comments (and size // 10 themes, consultations and
    updates); returns the URL of each public page."""
    home, consultations, updates = make_pcn_site(hostname=hostname, default=hostname == "localhost")
    vision = make_vision(home, "Right appointment", "Close to home")
    vision.save_revision().publish()
    priorities = list(vision.priorities.all())
    consultation = make_consultation(consultations, moderation_mode=ModerationMode.POST)
    for _ in range(max(1, size // 10)):
        make_consultation(consultations, phase="upcoming")
        make_consultation(consultations, phase="closed")
    author = UserFactory()
    neighbourhood = consultation.neighbourhoods.first()
    Idea.objects.bulk_create(
        Idea(
            consultation=consultation,
            author=author,
            title=f"Idea {number} about opening hours",
            body="Longer opening hours",
            neighbourhood=neighbourhood,
            status=PostStatus.PUBLISHED,
            support_count=number % 7,
            comment_count=number % 5,
        )
        for number in range(size)
    )
    Idea.objects.create(
        consultation=consultation,
        author=resident,
        title="My pending idea about opening hours",
        body="Waiting",
        status=PostStatus.PENDING,
    )
    ideas = list(Idea.objects.filter(consultation=consultation, status=PostStatus.PUBLISHED))
    idea = ideas[0]
    tops = Comment.objects.bulk_create(
        Comment(idea=idea, author=author, body=f"Comment {n}", status=PostStatus.PUBLISHED)
        for n in range(size // 2)
    )
    Comment.objects.bulk_create(
        Comment(
            idea=idea, author=author, parent=tops[n % len(tops)], body="Reply", status="published"
        )
        for n in range(size - len(tops))
    )
    Comment.objects.create(idea=idea, author=resident, body="Mine, pending", status="pending")
    themes = Theme.objects.bulk_create(
        Theme(consultation=consultation, name=f"Theme {n}", priority=priorities[n % 2])
        for n in range(max(1, size // 10))
    )
    IdeaTheme.objects.bulk_create(
        IdeaTheme(idea=ideas[n], theme=themes[n % len(themes)]) for n in range(len(ideas))
    )
    for n in range(max(1, size // 10)):
        make_update(
            updates,
            title=f"Update {n}",
            consultation=consultation,
            themes=[themes[n % len(themes)]],
            ideas=[idea],
            actions=[action(), action("Evening clinic", status="done", sort_order=1)],
            priority=priorities[n % 2],
        )
    Support.objects.bulk_create(Support(user=resident, idea=each) for each in ideas[:3])
    Follow.objects.create(user=resident, consultation=consultation)
    Follow.objects.create(user=resident, idea=idea)
    # "What we heard" of a consultation under review: themes with approved drafts whose
    # points cite ideas and comments, and a draft of the whole consultation.
    reviewed = make_consultation(consultations, phase="closed", phase_override=Phase.UNDER_REVIEW)
    heard = Idea.objects.bulk_create(
        Idea(
            consultation=reviewed,
            author=author,
            title=f"Heard {number}",
            body="Evening appointments after work would help.",
            status=PostStatus.PUBLISHED,
        )
        for number in range(size)
    )
    said = Comment.objects.bulk_create(
        Comment(idea=each, author=author, body="Saturday clinics too.", status="published")
        for each in heard
    )
    heard_themes = Theme.objects.bulk_create(
        Theme(consultation=reviewed, name=f"Heard theme {n}") for n in range(max(1, size // 10))
    )
    IdeaTheme.objects.bulk_create(
        IdeaTheme(idea=heard[n], theme=heard_themes[n % len(heard_themes)]) for n in range(size)
    )
    drafts = SummaryDraft.objects.bulk_create(
        [SummaryDraft(consultation=reviewed, status="approved")]
        + [SummaryDraft(consultation=reviewed, theme=t, status="approved") for t in heard_themes]
    )
    # Outreach: on "What we heard" (How we reached people) and the home page's figures.
    OutreachAction.objects.bulk_create(
        OutreachAction(
            consultation=consultation if n % 2 else reviewed,
            groups=["age:under_25"],
            description=f"Session {n} at the youth club",
            held_on=date(2025, 1, 1 + n % 28),
            contributions=n,
        )
        for n in range(max(2, size // 10))
    )
    # Who took part, on the list of updates: the PCN shows it, and `size` more people with
    # equality answers took part in the reviewed consultation.
    home.pcn.show_who_took_part = True
    home.pcn.save()
    answering = User.objects.bulk_create(
        User(username=f"{hostname}-answers-{n}", email=f"answers{n}@{hostname}.example")
        for n in range(size)
    )
    EqualityAnswers.objects.bulk_create(
        EqualityAnswers(
            user=person,
            age_band=["25_34", "45_54", "65_74"][n % 3],
            sex=["female", "male"][n % 2],
            ethnic_group=["white", "asian"][n % 2],
        )
        for n, person in enumerate(answering)
    )
    Idea.objects.bulk_create(
        Idea(consultation=reviewed, author=person, title="Mine", body="B", status="published")
        for person in answering
    )
    SummaryPoint.objects.bulk_create(
        SummaryPoint(
            draft=drafts[0] if n < 3 else drafts[1 + n % len(heard_themes)],
            idea=heard[n],
            comment=said[n] if n % 2 else None,
            field="comment" if n % 2 else "body",
            start=0,
            end=8 if n % 2 else 19,
            drafted_start=0,
            drafted_end=8 if n % 2 else 19,
            text="Saturday" if n % 2 else "Evening appointment",
            sort_order=n,
        )
        for n in range(size)
    )
    update = updates.get_children().live().last()
    idea_page = consultation.url + consultation.reverse_subpage("idea-detail", args=[idea.pk])
    return {
        "home": "/",
        "consultation index": consultations.url,
        "idea list": consultation.url,
        "idea list sorted and filtered": (
            f"{consultation.url}?sort=supported&neighbourhood={neighbourhood.pk}"
            f"&theme={themes[0].pk}"
        ),
        "search": consultation.url + "?q=opening+hours",
        "search, second page": consultation.url + "?q=opening+hours&page=2",
        "idea page": idea_page,
        "idea page, second page of comments": idea_page + "?comments=2",
        "update index": updates.url,
        "update page": update.url,
        "vision page": vision.url,
        "what we heard": reviewed.url + reviewed.reverse_subpage("what-we-heard"),
    }


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm the caches every page shares
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = [
    "home",
    "consultation index",
    "idea list",
    "idea list sorted and filtered",
    "search",
    "search, second page",
    "idea page",
    "idea page, second page of comments",
    "update index",
    "update page",
    "vision page",
    "what we heard",
]


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "resident"])
def test_public_page_queries_are_within_budget_and_do_not_grow(db, signed_in):
    resident = UserFactory()
    urls = {
        size_name: build_site(hostname=hostname, size=SIZES[size_name], resident=resident)
        for size_name, hostname in HOSTS.items()
    }
    counts = {}
    for size_name, hostname in HOSTS.items():
        client = Client(HTTP_HOST=hostname)
        if signed_in:
            client.force_login(resident)
        counts[size_name] = {page: count_queries(client, urls[size_name][page]) for page in PAGES}
    assert counts["small"] == counts["large"]
    # The findings page shows the approved points it was counted with.
    heard = Client(HTTP_HOST=HOSTS["large"]).get(urls["large"]["what we heard"]).content.decode()
    assert heard.count("A resident's own words") == SIZES["large"]
    # ... and every outreach session of the reviewed consultation.
    assert heard.count("at the youth club") == (max(2, SIZES["large"] // 10) + 1) // 2
    # ... and who took part, figures the same query count computed from ten times the answers.
    updates = Client(HTTP_HOST=HOSTS["large"]).get(urls["large"]["update index"]).content.decode()
    assert 'id="who-took-part-heading"' in updates
    assert f'<td class="nhsuk-table__cell">{SIZES["large"]}</td>' in updates
    over = {page: count for page, count in counts["large"].items() if count > QUERY_BUDGET}
    assert not over, f"over {QUERY_BUDGET} queries: {over}"
