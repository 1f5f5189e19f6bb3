""" "What we heard": the public findings page and its CSV, once a consultation is in review."""

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import moderation
from consultations.models import (
    Idea,
    ModerationReason,
    Phase,
    PostStatus,
    Theme,
    ThemeQuote,
)
from consultations.views.findings import FINDINGS_CSV_HEADER
from home.models import Neighbourhood
from tests.factories import make_consultation
from tests.moderation.conftest import make_idea, make_moderator, make_user, route


def set_phase(consultation, phase_override: str):
    """Close the consultation (dates in the past) and set the phase staff chose."""
    now = timezone.now()
    consultation.opens_at = now - timedelta(days=30)
    consultation.closes_at = now - timedelta(days=1)
    consultation.phase_override = phase_override
    consultation.save()
    return consultation


def findings_url(consultation) -> str:
    return route(consultation, "what-we-heard")


def csv_url(consultation) -> str:
    return route(consultation, "what-we-heard-csv")


def fetch_csv(consultation, user=None):
    """The CSV through the page's own route table, as Wagtail would call it if it got there.

    The site URL cannot reach it, so these tests call the route directly.
    """
    request = RequestFactory().get(csv_url(consultation))
    request.user = user or AnonymousUser()
    view, args, kwargs = consultation.resolve_subpage(
        "/" + consultation.reverse_subpage("what-we-heard-csv")
    )
    return view(request, *args, **kwargs)


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def read_csv(response) -> list[list[str]]:
    text = csv_text(response)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def csv_is_refused(consultation, user=None) -> bool:
    try:
        fetch_csv(consultation, user)
    except Http404:
        return True
    return False


# Who sees it, and when


@pytest.mark.parametrize("phase", ["open", "closed", "upcoming"])
def test_hidden_from_visitors_until_under_review(client, consultation_index, phase):
    consultation = make_consultation(consultation_index, phase=phase)
    assert client.get(findings_url(consultation)).status_code == 404
    assert csv_is_refused(consultation)
    resident = make_user()
    client.force_login(resident)
    assert client.get(findings_url(consultation)).status_code == 404
    assert csv_is_refused(consultation, resident)


@pytest.mark.parametrize("phase", [Phase.UNDER_REVIEW, Phase.RESPONDED])
def test_public_once_under_review_or_responded(client, consultation, phase):
    assert client.get(findings_url(consultation)).status_code == 404
    set_phase(consultation, phase)
    response = client.get(findings_url(consultation))
    assert response.status_code == 200
    assert "Preview for moderators" not in response.content.decode()
    assert fetch_csv(consultation).status_code == 200


def test_a_moderator_of_this_pcn_may_preview(client, consultation, moderator):
    client.force_login(moderator)
    response = client.get(findings_url(consultation))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Preview for moderators" in soup.select_one(".nhsuk-warning-callout").get_text()
    assert fetch_csv(consultation, moderator).status_code == 200
    set_phase(consultation, "")  # closed, not yet under review
    assert client.get(findings_url(consultation)).status_code == 200
    client.logout()
    assert client.get(findings_url(consultation)).status_code == 404


def test_a_moderator_of_another_pcn_may_not_preview(client, consultation, other_moderator):
    client.force_login(other_moderator)
    assert client.get(findings_url(consultation)).status_code == 404
    assert csv_is_refused(consultation, other_moderator)


# What it shows


@pytest.fixture
def findings(consultation, author, moderator):
    """Two themes of published ideas, with some ideas that must not show."""
    set_phase(consultation, Phase.UNDER_REVIEW)

    def idea(title, status=PostStatus.PUBLISHED, **fields):
        return make_idea(consultation, author, status=status, title=title, **fields)

    evenings = Theme.objects.create(
        consultation=consultation,
        name="Evening hours",
        summary='People <script>alert("s")</script> want later hours.\nEspecially parents.',
    )
    weekends = Theme.objects.create(consultation=consultation, name="Weekends")
    shown = [
        idea("Open until 8pm", support_count=5, body="I work until six. Evenings would help."),
        idea("Tuesday evenings", support_count=3),
        idea("Late phone line", support_count=1),
    ]
    not_shown = [
        idea("Waiting title", PostStatus.PENDING),
        idea("Withdrawn title", PostStatus.WITHDRAWN),
        idea("Hidden title", PostStatus.HIDDEN),
    ]
    later_hidden = idea("Later hidden title", body="Quote of a hidden idea")
    evenings.ideas.add(*shown, *not_shown, later_hidden)
    saturday = idea("Saturday mornings")
    weekends.ideas.add(saturday)
    unthemed = idea("Something else entirely")
    ThemeQuote.objects.create(theme=evenings, idea=shown[0], text="I work until six.")
    ThemeQuote.objects.create(theme=evenings, idea=later_hidden, text="Quote of a hidden idea")
    moderation.post_moderate(
        post=later_hidden, moderator=moderator, action="hide", reason=ModerationReason.PERSONAL
    )
    return {
        "evenings": evenings,
        "weekends": weekends,
        "shown": shown,
        "not_shown": [*not_shown, later_hidden],
        "saturday": saturday,
        "unthemed": unthemed,
    }


def test_each_theme_with_its_published_ideas_summary_and_quotes(client, consultation, findings):
    response = client.get(findings_url(consultation))
    assert response.status_code == 200
    page = response.content.decode()
    soup = BeautifulSoup(page, "html.parser")
    assert "5 ideas from residents, grouped into 2 themes" in " ".join(soup.get_text().split())
    assert "1 idea did not fit a theme." in " ".join(soup.get_text().split())

    sections = soup.select("section.engage-theme")
    assert [section.h2.get_text() for section in sections] == ["Evening hours", "Weekends"]
    evenings, weekends = sections
    assert evenings.select_one(".engage-meta").get_text(strip=True).startswith("3 ideas")
    assert weekends.select_one(".engage-meta").get_text(strip=True).startswith("1 idea")

    assert '<script>alert("s")' not in page  # the summary is escaped
    assert "People &lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt; want later hours." in page
    assert "want later hours.<br>Especially parents." in page

    quotes = [quote.p.get_text() for quote in evenings.select("blockquote")]
    assert quotes == ['"I work until six."']
    assert "Quote of a hidden idea" not in page

    links = [(a.get_text(), a["href"]) for a in evenings.select("ul li a")]
    assert links == [
        (idea.title, route(consultation, "idea-detail", idea.pk)) for idea in findings["shown"]
    ]
    quote_link = evenings.select_one("blockquote a")["href"]
    assert quote_link == route(consultation, "idea-detail", findings["shown"][0].pk)
    for idea in findings["not_shown"]:
        assert idea.title not in page
        assert route(consultation, "idea-detail", idea.pk) not in page


def test_a_quote_whose_idea_was_edited_since_is_left_out(client, consultation, findings):
    quoted = findings["shown"][0]
    Idea.objects.filter(pk=quoted.pk).update(body="Evenings would help.")
    page = client.get(findings_url(consultation)).content.decode()
    assert "I work until six." not in page
    assert "Open until 8pm" in page  # the idea itself is still listed


def test_the_links_open_the_ideas(client, consultation, findings):
    soup = BeautifulSoup(client.get(findings_url(consultation)).content, "html.parser")
    for link in soup.select("section.engage-theme ul li a"):
        assert client.get(link["href"]).status_code == 200


def test_a_theme_with_many_ideas_shows_a_few_and_links_to_all(client, consultation, author):
    set_phase(consultation, Phase.RESPONDED)
    theme = Theme.objects.create(consultation=consultation, name="Popular")
    ideas = [
        make_idea(consultation, author, status="published", title=f"Idea {n}", support_count=n)
        for n in range(8)
    ]
    theme.ideas.add(*ideas)
    soup = BeautifulSoup(client.get(findings_url(consultation)).content, "html.parser")
    shown = [a.get_text() for a in soup.select("section.engage-theme ul li a")]
    assert shown == ["Idea 7", "Idea 6", "Idea 5", "Idea 4", "Idea 3"]  # most supported first
    see_all = soup.find("a", string=lambda text: text and text.startswith("See all 8 ideas"))
    assert see_all["href"] == f"{consultation.url}?theme={theme.pk}#ideas"


def add_themes(consultation, *, themes: int, ideas_per_theme: int):
    author = make_user()
    neighbourhood = consultation.neighbourhoods.first()
    for number in range(themes):
        theme = Theme.objects.create(
            consultation=consultation, name=f"Theme {number}", summary="What we heard."
        )
        ideas = Idea.objects.bulk_create(
            Idea(
                consultation=consultation,
                author=author,
                title=f"Idea {number}-{n}",
                body="Longer opening hours",
                neighbourhood=neighbourhood,
                status=PostStatus.PUBLISHED if n % 10 else PostStatus.HIDDEN,
                support_count=n % 7,
            )
            for n in range(ideas_per_theme)
        )
        theme.ideas.add(*ideas)
        published = [idea for idea in ideas if idea.status == PostStatus.PUBLISHED]
        for order, idea in enumerate(published[:3]):
            ThemeQuote.objects.create(theme=theme, idea=idea, text="Quote", sort_order=order)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "moderator"])
def test_query_count_does_not_grow_with_the_ideas(
    client, consultation_index, home, signed_in, settings
):
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0  # count rendering the page, not reading it back
    small = make_consultation(consultation_index, phase="closed", phase_override="under_review")
    large = make_consultation(consultation_index, phase="closed", phase_override="under_review")
    add_themes(small, themes=3, ideas_per_theme=5)
    add_themes(large, themes=3, ideas_per_theme=200)
    if signed_in:
        client.force_login(make_moderator(home))
    client.get(findings_url(small))  # warm caches shared by every page (site, root paths)
    small_count = count_queries(client, findings_url(small))
    assert small_count == count_queries(client, findings_url(large))
    assert small_count < 30


# The CSV


@pytest.fixture
def private_author(db):
    """An author whose personal details are easy to spot if they ever leak."""
    return make_user(
        id=987654321,
        username="zq_secret_username",
        display_name="Zebedee Quartermaine",
        email="zebedee.q@private.example",
        first_name="Zebedee",
        last_name="Quartermaine",
    )


HOSTILE_TITLES = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\tTabbed",
    "\uff1dSUM(1)",
]


def test_csv_lists_published_ideas_without_personal_data(consultation, private_author):
    set_phase(consultation, Phase.UNDER_REVIEW)
    riverside = Neighbourhood.objects.get(pcn=consultation.pcn, name="Riverside")
    published = make_idea(
        consultation,
        private_author,
        status=PostStatus.PUBLISHED,
        title="Open until 8pm",
        body="Please, for working parents.\nThank you.",
        neighbourhood=riverside,
        support_count=4,
        comment_count=2,
    )
    paper = make_idea(
        consultation,
        None,
        status=PostStatus.PUBLISHED,
        title="Paper idea",
        channel="paper",
        neighbourhood=None,
    )
    for status in (PostStatus.PENDING, PostStatus.HIDDEN, PostStatus.WITHDRAWN):
        make_idea(consultation, private_author, status=status, title=f"{status} title")
    Theme.objects.create(consultation=consultation, name="Weekends").ideas.add(published)
    Theme.objects.create(consultation=consultation, name="Evenings").ideas.add(published)

    response = fetch_csv(consultation)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="what-we-heard-{consultation.slug}.csv"'
    )
    raw = csv_text(response)
    rows = list(csv.reader(io.StringIO(raw.removeprefix("\ufeff"))))
    assert rows[0] == FINDINGS_CSV_HEADER
    assert rows[0] == [
        "Idea number",
        "Title",
        "Idea",
        "Neighbourhood",
        "How it was sent",
        "Date posted",
        "Supports",
        "Comments",
        "Themes",
    ]
    assert rows[1:] == [
        [
            str(published.pk),
            "Open until 8pm",
            "Please, for working parents.\nThank you.",
            "Riverside",
            "Online",
            published.created_at.date().isoformat(),
            "4",
            "2",
            "Evenings; Weekends",
        ],
        [
            str(paper.pk),
            "Paper idea",
            "Please open until 8pm on Tuesdays.",
            "",
            "Paper form",
            paper.created_at.date().isoformat(),
            "0",
            "0",
            "",
        ],
    ]
    for secret in (
        "Zebedee",
        "Quartermaine",
        "zq_secret_username",
        "zebedee.q@private.example",
        "private.example",
        "987654321",
    ):
        assert secret not in raw
    for status in ("pending", "hidden", "withdrawn"):
        assert f"{status} title" not in raw


def test_csv_cells_cannot_run_as_formulas(consultation, author):
    set_phase(consultation, Phase.UNDER_REVIEW)
    theme = Theme.objects.create(consultation=consultation, name="=cmd|' /C calc'!A0")
    for title in HOSTILE_TITLES:
        idea = make_idea(
            consultation, author, status=PostStatus.PUBLISHED, title=title, body=f"{title} body"
        )
        theme.ideas.add(idea)
    rows = read_csv(fetch_csv(consultation))[1:]
    assert len(rows) == len(HOSTILE_TITLES)
    for row, title in zip(rows, HOSTILE_TITLES, strict=True):
        header = dict(zip(FINDINGS_CSV_HEADER, row, strict=True))
        assert header["Title"] == "'" + title
        assert header["Idea"] == "'" + title + " body"
        assert header["Themes"] == "'=cmd|' /C calc'!A0"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\uff1d")), cell


def test_csv_is_empty_but_valid_with_no_ideas(consultation):
    set_phase(consultation, Phase.RESPONDED)
    assert read_csv(fetch_csv(consultation)) == [FINDINGS_CSV_HEADER]


def test_the_download_link_on_the_page_gives_the_csv(client, consultation, author):
    set_phase(consultation, Phase.UNDER_REVIEW)
    make_idea(consultation, author, status=PostStatus.PUBLISHED, title="Open until 8pm")
    soup = BeautifulSoup(client.get(findings_url(consultation)).content, "html.parser")
    link = soup.find("a", string=lambda text: text and "(CSV)" in text)
    assert link["href"] == csv_url(consultation)
    response = client.get(link["href"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert read_csv(response)[1][1] == "Open until 8pm"
