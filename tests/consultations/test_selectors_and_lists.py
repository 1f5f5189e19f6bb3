"""The list of ideas on a consultation page, and the comments on an idea page, through the views."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from consultations import selectors, services
from consultations.models import PostStatus, Theme
from tests.consultations.conftest import make_comment, make_idea
from tests.factories import UserFactory, make_consultation


def route(consultation, name, *args):
    return consultation.url + consultation.reverse_subpage(name, args=args)


def listed(response) -> list[str]:
    """The titles of the ideas on a consultation page, in order."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [h3.get_text(strip=True) for h3 in soup.select("ul[aria-label=Ideas] > li h3")]


def heading(response) -> str:
    return BeautifulSoup(response.content, "html.parser").select_one("h2#ideas").get_text()


@pytest.fixture
def authors(db):
    return [UserFactory() for _ in range(3)]


@pytest.fixture
def mixed_ideas(open_consultation, authors):
    """Two published ideas and an unpublished one of each kind, all mentioning "pharmacy"."""
    writer = authors[0]
    now = timezone.now()
    ideas = {}
    for offset, (title, status) in enumerate(
        [
            ("Pharmacy open late", PostStatus.PUBLISHED),
            ("Pharmacy in the surgery", PostStatus.PUBLISHED),
            ("Pharmacy pending idea", PostStatus.PENDING),
            ("Pharmacy hidden idea", PostStatus.HIDDEN),
            ("Pharmacy withdrawn idea", PostStatus.WITHDRAWN),
        ]
    ):
        ideas[title] = make_idea(
            open_consultation,
            writer,
            status=status,
            title=title,
            body="A pharmacy would help everyone.",
            created_at=now - timedelta(minutes=offset),
        )
    return ideas


# Pagination and sorting


def test_twenty_ideas_a_page(client, open_consultation, authors):
    now = timezone.now()
    for number in range(21):
        make_idea(
            open_consultation,
            authors[0],
            title=f"Idea number {number}",
            created_at=now - timedelta(minutes=number),
        )
    first = client.get(open_consultation.url)
    assert listed(first) == [f"Idea number {number}" for number in range(20)]
    assert "Ideas (21)" in heading(first)
    assert "Page 2 of 2" in first.content.decode()
    second = client.get(open_consultation.url, {"page": 2})
    assert listed(second) == ["Idea number 20"]


def test_pages_keep_the_filters(client, open_consultation, authors):
    riverside = open_consultation.neighbourhoods.get(name="Riverside")
    hillcrest = open_consultation.neighbourhoods.get(name="Hillcrest")
    for number in range(22):
        make_idea(open_consultation, authors[0], title=f"R{number}", neighbourhood=riverside)
    make_idea(open_consultation, authors[0], title="H", neighbourhood=hillcrest)
    response = client.get(open_consultation.url, {"neighbourhood": riverside.pk})
    soup = BeautifulSoup(response.content, "html.parser")
    next_link = soup.select_one("a.nhsuk-pagination__link--next")["href"]
    assert f"neighbourhood={riverside.pk}" in next_link and "page=2" in next_link
    second = client.get(open_consultation.url + next_link.split("#")[0])
    assert sorted(listed(second)) == ["R0", "R1"]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("newest", ["Newest", "Middle", "Oldest"]),
        ("supported", ["Middle", "Oldest", "Newest"]),
        ("discussed", ["Oldest", "Newest", "Middle"]),
    ],
)
def test_sort(client, open_consultation, authors, sort, order):
    now = timezone.now()
    for title, age, supports, comments in [
        ("Oldest", 3, 5, 9),
        ("Middle", 2, 8, 1),
        ("Newest", 1, 0, 4),
    ]:
        make_idea(
            open_consultation,
            authors[0],
            title=title,
            created_at=now - timedelta(hours=age),
            support_count=supports,
            comment_count=comments,
        )
    assert listed(client.get(open_consultation.url, {"sort": sort})) == order


def test_ties_are_broken_by_newest(client, open_consultation, authors):
    now = timezone.now()
    make_idea(open_consultation, authors[0], title="Older", created_at=now - timedelta(hours=2))
    make_idea(open_consultation, authors[0], title="Newer", created_at=now - timedelta(hours=1))
    assert listed(client.get(open_consultation.url, {"sort": "supported"})) == ["Newer", "Older"]


# Filters


def test_neighbourhood_filter(client, open_consultation, authors):
    riverside = open_consultation.neighbourhoods.get(name="Riverside")
    hillcrest = open_consultation.neighbourhoods.get(name="Hillcrest")
    make_idea(open_consultation, authors[0], title="By the river", neighbourhood=riverside)
    make_idea(open_consultation, authors[0], title="On the hill", neighbourhood=hillcrest)
    make_idea(open_consultation, authors[0], title="Nowhere in particular", neighbourhood=None)
    assert listed(client.get(open_consultation.url, {"neighbourhood": riverside.pk})) == [
        "By the river"
    ]
    response = client.get(open_consultation.url, {"neighbourhood": hillcrest.pk})
    assert listed(response) == ["On the hill"]
    assert "Ideas (1)" in heading(response)
    assert len(listed(client.get(open_consultation.url))) == 3


def test_theme_filter(client, open_consultation, authors):
    access = Theme.objects.create(consultation=open_consultation, name="Access")
    Theme.objects.create(consultation=open_consultation, name="Empty theme")
    themed = make_idea(open_consultation, authors[0], title="Themed idea")
    themed.themes.add(access)
    make_idea(open_consultation, authors[0], title="Unthemed idea")
    hidden = make_idea(open_consultation, authors[1], title="Hidden themed", status="hidden")
    hidden.themes.add(access)
    assert listed(client.get(open_consultation.url, {"theme": access.pk})) == ["Themed idea"]
    empty = Theme.objects.get(name="Empty theme")
    assert listed(client.get(open_consultation.url, {"theme": empty.pk})) == []


def test_theme_of_another_consultation_is_ignored(client, consultation_index, open_consultation):
    other = make_consultation(consultation_index, phase="open", title="Other")
    foreign = Theme.objects.create(consultation=other, name="Foreign")
    Theme.objects.create(consultation=open_consultation, name="Local")
    make_idea(open_consultation, UserFactory(), title="Local idea")
    assert listed(client.get(open_consultation.url, {"theme": foreign.pk})) == ["Local idea"]


@pytest.mark.parametrize(
    "query",
    [
        {"neighbourhood": "abc"},
        {"neighbourhood": "999999"},
        {"theme": "xyz"},
        {"sort": "evil"},
        {"sort": "-pk"},
        {"page": "999"},
        {"page": "abc"},
        {"page": "-1"},
        {"q": "x" * 500},
    ],
)
def test_invalid_filters_are_ignored(client, open_consultation, authors, query):
    make_idea(open_consultation, authors[0], title="The only idea")
    response = client.get(open_consultation.url, query)
    assert listed(response) == ["The only idea"]


# Search


def test_search_finds_words_in_the_title_and_the_body(client, open_consultation, authors):
    make_idea(open_consultation, authors[0], title="Physiotherapy clinic", body="Near the park.")
    make_idea(open_consultation, authors[0], title="Longer hours", body="Open the surgery later.")
    make_idea(open_consultation, authors[0], title="Parking", body="More spaces for cars.")
    assert listed(client.get(open_consultation.url, {"q": "physiotherapy"})) == [
        "Physiotherapy clinic"
    ]
    assert listed(client.get(open_consultation.url, {"q": "surgery"})) == ["Longer hours"]
    response = client.get(open_consultation.url, {"q": "xylophone"})
    assert listed(response) == []
    assert "No ideas match your search" in response.content.decode()


def test_search_stays_within_the_consultation(client, consultation_index, open_consultation):
    other = make_consultation(consultation_index, phase="open", title="Other")
    make_idea(other, UserFactory(), title="Physiotherapy elsewhere")
    make_idea(open_consultation, UserFactory(), title="Physiotherapy here")
    assert listed(client.get(open_consultation.url, {"q": "physiotherapy"})) == [
        "Physiotherapy here"
    ]


@pytest.mark.parametrize("who", ["visitor", "other resident"])
def test_search_never_finds_unpublished_ideas_of_others(
    client, open_consultation, mixed_ideas, who
):
    if who == "other resident":
        client.force_login(UserFactory())
    for sort in ("newest", "supported", "discussed"):
        response = client.get(open_consultation.url, {"q": "pharmacy", "sort": sort})
        assert sorted(listed(response)) == ["Pharmacy in the surgery", "Pharmacy open late"]
        assert "Ideas (2)" in heading(response)
        page = response.content.decode()
        for word in ("pending", "hidden", "withdrawn"):
            assert f"Pharmacy {word} idea" not in page


def test_search_finds_own_pending_and_hidden_ideas(client, open_consultation, mixed_ideas, authors):
    client.force_login(authors[0])
    response = client.get(open_consultation.url, {"q": "pharmacy"})
    assert sorted(listed(response)) == [
        "Pharmacy hidden idea",
        "Pharmacy in the surgery",
        "Pharmacy open late",
        "Pharmacy pending idea",
    ]


def test_search_with_a_theme(client, open_consultation, authors):
    access = Theme.objects.create(consultation=open_consultation, name="Access")
    themed = make_idea(open_consultation, authors[0], title="Pharmacy with theme")
    themed.themes.add(access)
    make_idea(open_consultation, authors[0], title="Pharmacy without theme")
    hidden = make_idea(open_consultation, authors[1], title="Pharmacy hidden", status="hidden")
    hidden.themes.add(access)
    response = client.get(open_consultation.url, {"q": "pharmacy", "theme": access.pk})
    assert listed(response) == ["Pharmacy with theme"]


# Counts


@pytest.mark.parametrize("who", ["visitor", "other resident", "moderator"])
def test_count_never_includes_unpublished_ideas_of_others(
    client, home, open_consultation, mixed_ideas, who
):
    if who == "other resident":
        client.force_login(UserFactory())
    elif who == "moderator":
        moderator = UserFactory(groups=[home.pcn.moderator_group])
        client.force_login(moderator)
    response = client.get(open_consultation.url)
    assert "Ideas (2)" in heading(response)
    assert sorted(listed(response)) == ["Pharmacy in the surgery", "Pharmacy open late"]


def test_author_sees_and_counts_own_pending_and_hidden_ideas(
    client, open_consultation, mixed_ideas, authors
):
    client.force_login(authors[0])
    response = client.get(open_consultation.url)
    assert "Ideas (4)" in heading(response)
    assert listed(response) == [
        "Pharmacy open late",
        "Pharmacy in the surgery",
        "Pharmacy pending idea",
        "Pharmacy hidden idea",
    ]
    soup = BeautifulSoup(response.content, "html.parser")
    cards = {
        li.h3.get_text(strip=True): li.get_text(" ", strip=True)
        for li in soup.select("ul[aria-label=Ideas] > li")
    }
    assert "Waiting for a moderator" in cards["Pharmacy pending idea"]
    assert "Hidden" in cards["Pharmacy hidden idea"]
    assert "Waiting for a moderator" not in cards["Pharmacy open late"]


def test_ideas_of_other_consultations_are_not_listed(client, consultation_index, open_consultation):
    other = make_consultation(consultation_index, phase="open", title="Other")
    make_idea(other, UserFactory(), title="Elsewhere")
    make_idea(open_consultation, UserFactory(), title="Here")
    assert listed(client.get(open_consultation.url)) == ["Here"]


# Comments on the idea page


def comment_articles(response) -> dict:
    soup = BeautifulSoup(response.content, "html.parser")
    return {article["id"]: article for article in soup.select("article[id^=comment-]")}


@pytest.fixture
def discussed_idea(open_consultation, authors):
    return make_idea(open_consultation, authors[0], title="Discussed idea")


def test_replies_are_shown_under_their_comment(client, open_consultation, discussed_idea, authors):
    first = make_comment(discussed_idea, authors[1], body="First comment")
    second = make_comment(discussed_idea, authors[2], body="Second comment")
    reply = make_comment(discussed_idea, authors[0], body="A reply", parent=first)
    response = client.get(route(open_consultation, "idea-detail", discussed_idea.pk))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    comments_list = soup.select_one("h2#comments").find_next_sibling("ul")
    top_level = comments_list.find_all("li", recursive=False)
    assert [li.article["id"] for li in top_level] == [
        f"comment-{first.pk}",
        f"comment-{second.pk}",
    ]
    replies = top_level[0].select_one("ul.engage-replies")
    assert [article["id"] for article in replies.select("article")] == [f"comment-{reply.pk}"]
    assert "A reply" in replies.get_text()
    assert top_level[1].select_one("ul.engage-replies") is None


@pytest.mark.parametrize("who", ["visitor", "other resident"])
def test_hidden_and_withdrawn_comments_of_others_are_not_shown(
    client, open_consultation, discussed_idea, authors, who
):
    shown = make_comment(discussed_idea, authors[1], body="Shown comment")
    make_comment(discussed_idea, authors[1], body="Pending comment", status=PostStatus.PENDING)
    make_comment(discussed_idea, authors[1], body="Hidden comment", status=PostStatus.HIDDEN)
    make_comment(discussed_idea, authors[1], body="Withdrawn comment", status="withdrawn")
    make_comment(discussed_idea, authors[1], body="Hidden reply", parent=shown, status="hidden")
    make_comment(
        discussed_idea, authors[1], body="Withdrawn reply", parent=shown, status="withdrawn"
    )
    make_comment(discussed_idea, authors[1], body="Pending reply", parent=shown, status="pending")
    if who == "other resident":
        client.force_login(authors[2])
    response = client.get(route(open_consultation, "idea-detail", discussed_idea.pk))
    page = response.content.decode()
    assert list(comment_articles(response)) == [f"comment-{shown.pk}"]
    assert "Shown comment" in page
    for hidden_text in ("Pending", "Hidden comment", "Withdrawn", "Hidden reply", "Pending reply"):
        assert hidden_text not in page


def test_own_pending_comment_is_shown_as_waiting(
    client, open_consultation, discussed_idea, authors
):
    make_comment(discussed_idea, authors[1], body="Someone else's")
    mine = make_comment(discussed_idea, authors[2], body="My pending comment", status="pending")
    withdrawn = make_comment(
        discussed_idea, authors[2], body="My withdrawn one", status="withdrawn"
    )
    client.force_login(authors[2])
    response = client.get(route(open_consultation, "idea-detail", discussed_idea.pk))
    articles = comment_articles(response)
    assert "My pending comment" in articles[f"comment-{mine.pk}"].get_text()
    assert "Waiting for a moderator" in articles[f"comment-{mine.pk}"].get_text()
    assert f"comment-{withdrawn.pk}" not in articles
    others = [a for key, a in articles.items() if key != f"comment-{mine.pk}"]
    assert all("Waiting for a moderator" not in a.get_text() for a in others)
    # Nobody else sees it.
    client.force_login(authors[1])
    response = client.get(route(open_consultation, "idea-detail", discussed_idea.pk))
    assert f"comment-{mine.pk}" not in comment_articles(response)
    assert "My pending comment" not in response.content.decode()


def test_comment_count_heading_counts_only_published(client, post_moderated_consultation, authors):
    idea = make_idea(post_moderated_consultation, authors[0])
    services.comment_create(idea=idea, author=authors[1], body="Counted")
    services.comment_create(idea=idea, author=authors[2], body="Also counted")
    make_comment(idea, authors[2], body="Not counted", status=PostStatus.PENDING)
    make_comment(idea, authors[2], body="Not counted either", status=PostStatus.HIDDEN)
    response = client.get(route(post_moderated_consultation, "idea-detail", idea.pk))
    assert "Comments (2)" in response.content.decode()
    assert len(comment_articles(response)) == 2


def test_comment_count_matches_the_comments_shown(client, post_moderated_consultation, authors):
    idea = make_idea(post_moderated_consultation, authors[0])
    comment = services.comment_create(idea=idea, author=authors[1], body="A comment")
    services.comment_create(idea=idea, author=authors[2], body="A reply", parent=comment)
    services.comment_withdraw(comment=comment, user=authors[1])
    response = client.get(route(post_moderated_consultation, "idea-detail", idea.pk))
    shown = len(comment_articles(response))
    assert f"Comments ({shown})" in response.content.decode()


# Similar ideas, offered before a resident posts their own


def test_similar_ideas_sharing_the_most_words_come_first(open_consultation, authors):
    now = timezone.now()
    one_word = make_idea(
        open_consultation, authors[0], title="Spaces", body="Parking is hard.", created_at=now
    )
    in_title = make_idea(
        open_consultation,
        authors[1],
        title="Saturday pharmacy hours",
        body="Longer.",
        created_at=now - timedelta(days=2),
    )
    in_body = make_idea(
        open_consultation,
        authors[2],
        title="Weekends",
        body="A pharmacy open on Saturday, please.",
        created_at=now - timedelta(days=1),
    )
    make_idea(
        open_consultation,
        authors[0],
        title="Saturday pharmacy, hidden",
        status=PostStatus.HIDDEN,
    )
    similar = selectors.similar_ideas(
        consultation=open_consultation, title="Pharmacy on Saturday", body="Parking too"
    )
    # Two words in the title (4) beat the same two in the body (2), which beat one (1).
    assert similar == [in_title, in_body, one_word]


def test_similar_ideas_rank_only_the_newest_that_share_a_word(
    open_consultation, authors, monkeypatch
):
    now = timezone.now()
    older_and_closer = make_idea(
        open_consultation,
        authors[0],
        title="Saturday pharmacy opening",
        created_at=now - timedelta(days=3),
    )
    newer = [
        make_idea(
            open_consultation,
            authors[1],
            title=f"Pharmacy idea {n}",
            created_at=now - timedelta(hours=n),
        )
        for n in range(2)
    ]
    similar = selectors.similar_ideas(
        consultation=open_consultation, title="Saturday pharmacy opening"
    )
    assert similar[0] == older_and_closer
    monkeypatch.setattr(selectors, "SIMILAR_CANDIDATES", 2)
    similar = selectors.similar_ideas(
        consultation=open_consultation, title="Saturday pharmacy opening"
    )
    assert similar == newer


def test_no_similar_ideas_for_a_draft_of_short_words(open_consultation, authors):
    make_idea(open_consultation, authors[0], title="A GP at the hub")
    assert selectors.similar_ideas(consultation=open_consultation, title="A GP at the hub") == []
