"""Every idea shows its journey: submitted, published, themed, fed into a priority, acted on."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import PostStatus
from tests.factories import HOSTILE, UserFactory, make_consultation
from tests.loop.conftest import action, make_idea, make_theme, make_update, make_vision, route


def journey_of(soup_or_html) -> dict[str, dict]:
    """{stage name: {"done": bool, "tag": "Done" | "Not yet", "text": all details}}."""
    soup = (
        soup_or_html
        if not isinstance(soup_or_html, str | bytes)
        else BeautifulSoup(soup_or_html, "html.parser")
    )
    stages = {}
    for item in soup.select("ol.engage-journey > li"):
        name = item.select_one(".engage-journey__name").get_text(strip=True)
        stages[name] = {
            "done": "engage-journey__stage--done" in item["class"],
            "tag": item.select_one("strong.nhsuk-tag").get_text(strip=True),
            "details": [
                li.get_text(" ", strip=True) for li in item.select("ul li") if not li.find("a")
            ],
            "links": [a["href"] for a in item.select("a[href]")],
        }
    return stages


STAGES = [
    "Submitted",
    "Published",
    "Grouped into a theme",
    "Fed into a priority of our shared vision",
    "Acted on",
]


@pytest.fixture
def author(db):
    return UserFactory()


def idea_page(client, idea):
    response = client.get(route(idea.consultation, "idea-detail", idea.pk))
    assert response.status_code == 200
    return response.content


def test_a_published_idea_shows_every_stage_it_has_reached(
    client, home, update_index, consultation, author
):
    vision = make_vision(home, "Care when you need it", "Healthy neighbourhoods")
    priority = vision.priorities.get(title="Care when you need it")
    theme = make_theme(consultation, f"Weekend opening {HOSTILE}", priority=priority)
    idea = make_idea(consultation, author, title="Open on Saturdays")
    idea.themes.add(theme)
    update = make_update(
        update_index,
        title="Saturday clinics",
        consultation=consultation,
        themes=[theme],
        actions=[action("Saturday clinic", "in_progress")],
    )

    html = idea_page(client, idea)
    journey = journey_of(html)

    assert list(journey) == STAGES
    assert all(stage["done"] and stage["tag"] == "Done" for stage in journey.values())
    assert journey["Grouped into a theme"]["details"] == [theme.name]
    assert journey["Fed into a priority of our shared vision"]["details"] == [
        "Care when you need it"
    ]
    assert "Saturday clinics: Saturday clinic (in progress)" in journey["Acted on"]["details"]
    assert update.url in journey["Acted on"]["links"]
    assert HOSTILE.encode() not in html  # the theme name is shown as text, escaped


def test_a_pending_idea_shows_its_author_it_is_waiting(client, update_index, consultation, author):
    idea = make_idea(consultation, author, status=PostStatus.PENDING, title="Pending idea")
    client.force_login(author)

    journey = journey_of(idea_page(client, idea))

    assert journey["Submitted"]["done"]
    assert not journey["Published"]["done"]
    assert journey["Published"]["tag"] == "Not yet"
    assert journey["Published"]["details"] == ["Waiting for a moderator"]
    for name in STAGES[2:]:
        assert not journey[name]["done"], name
        assert journey[name]["tag"] == "Not yet"


def test_a_theme_without_a_priority_is_not_fed_into_one(
    client, home, update_index, consultation, author
):
    make_vision(home, "Care when you need it")
    theme = make_theme(consultation, "Parking")
    idea = make_idea(consultation, author)
    idea.themes.add(theme)

    journey = journey_of(idea_page(client, idea))

    assert journey["Grouped into a theme"]["done"]
    assert journey["Grouped into a theme"]["details"] == ["Parking"]
    assert not journey["Fed into a priority of our shared vision"]["done"]
    assert journey["Fed into a priority of our shared vision"]["details"] == []


def test_only_a_live_update_counts_as_acting_on_an_idea(client, update_index, consultation, author):
    theme = make_theme(consultation)
    idea = make_idea(consultation, author)
    idea.themes.add(theme)
    draft = make_update(
        update_index, title="Draft response", themes=[theme], live=False, publish=False
    )

    journey = journey_of(idea_page(client, idea))
    assert not journey["Acted on"]["done"]
    assert journey["Acted on"]["details"] == []
    assert b"Draft response" not in idea_page(client, idea)

    draft.get_latest_revision().publish()  # e.g. a PCN lead approves it
    journey = journey_of(idea_page(client, idea))
    assert journey["Acted on"]["done"]
    assert journey["Acted on"]["details"] == ["Draft response: Saturday clinic (planned)"]

    draft.refresh_from_db()
    draft.unpublish()
    assert not journey_of(idea_page(client, idea))["Acted on"]["done"]


def test_an_update_answering_the_idea_directly_counts(client, update_index, consultation, author):
    idea = make_idea(consultation, author)
    make_update(update_index, title="Direct answer", ideas=[idea])

    journey = journey_of(idea_page(client, idea))

    assert not journey["Grouped into a theme"]["done"]
    assert journey["Acted on"]["done"]
    assert journey["Acted on"]["details"] == ["Direct answer: Saturday clinic (planned)"]


# The resident's own list


def cards(html) -> dict[str, dict]:
    """{idea title: its journey} for each card on "Your contributions"."""
    soup = BeautifulSoup(html, "html.parser")
    return {
        card.select_one("h2").get_text(strip=True): journey_of(card)
        for card in soup.select("section.nhsuk-card")
    }


def test_my_contributions_requires_sign_in(client, db):
    response = client.get(reverse("consultations:my-contributions"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_my_contributions_lists_only_my_own_ideas_that_are_not_withdrawn(
    client, update_index, consultation, author
):
    theme = make_theme(consultation)
    published = make_idea(consultation, author, title="My published idea")
    published.themes.add(theme)
    make_update(update_index, title="We did it", themes=[theme])
    make_idea(consultation, author, status=PostStatus.PENDING, title="My pending idea")
    make_idea(consultation, author, status=PostStatus.HIDDEN, title="My hidden idea")
    make_idea(consultation, author, status=PostStatus.WITHDRAWN, title="My withdrawn idea")
    make_idea(consultation, UserFactory(), title="Someone else's idea").themes.add(theme)
    client.force_login(author)

    response = client.get(reverse("consultations:my-contributions"))

    assert response.status_code == 200
    listed = cards(response.content)
    assert sorted(listed) == ["My hidden idea", "My pending idea", "My published idea"]
    assert all(list(journey) == STAGES for journey in listed.values())
    assert listed["My published idea"]["Acted on"]["done"]
    assert listed["My published idea"]["Grouped into a theme"]["details"] == [theme.name]
    assert not listed["My pending idea"]["Published"]["done"]
    assert not listed["My pending idea"]["Acted on"]["done"]


def test_my_contributions_query_count_does_not_grow_with_my_ideas(
    client, home, consultation_index, update_index, author
):
    vision = make_vision(home, "Care when you need it")
    priority = vision.priorities.get()
    consultations = [
        make_consultation(consultation_index, phase="closed", title=f"Consultation {n}")
        for n in range(2)
    ]
    themes = [make_theme(c, f"Theme {n}", priority=priority) for n, c in enumerate(consultations)]
    for n, theme in enumerate(themes):
        make_update(update_index, title=f"Update {n}", themes=[theme])

    def add_ideas(start, stop):
        for n in range(start, stop):
            idea = make_idea(consultations[n % 2], author, title=f"Idea {n}")
            idea.themes.add(themes[n % 2])

    url = reverse("consultations:my-contributions")
    client.force_login(author)
    add_ideas(0, 2)
    client.get(url)  # warm the site cache

    with CaptureQueriesContext(connection) as two:
        response = client.get(url)
    assert len(cards(response.content)) == 2

    add_ideas(2, 20)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)
    listed = cards(response.content)
    assert len(listed) == 20
    assert all(journey["Acted on"]["done"] for journey in listed.values())

    assert len(twenty) == len(two), "\n".join(q["sql"] for q in twenty.captured_queries)
