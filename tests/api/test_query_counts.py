"""Every list of the open data API takes at most 15 queries, the same number for a small
world and one ten times larger (PCNs, consultations, themes, updates and ideas)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import Idea, IdeaTheme, PostStatus, Theme
from tests.api.conftest import API
from tests.factories import UserFactory, make_consultation, make_pcn_site
from tests.loop.conftest import action, make_update, make_vision

QUERY_BUDGET = 15
LISTS = [
    "organisations/?kind=pcn",
    "organisations/?kind=practice",
    "consultations/",
    "consultations/?phase=open",
    "themes/",
    "priorities/",
    "updates/?status=planned",
    "accountability/",
    "place-accountability/",
    "ics-accountability/",
]


@pytest.fixture(autouse=True)
def _no_caching(settings):
    settings.ENGAGE_API_CACHE_SECONDS = 0  # count the queries of reading, not of the cache


def build(pcns: range, ideas: int) -> None:
    author = UserFactory()
    for number in pcns:
        home, consultations, updates = make_pcn_site(
            default=number == 0, hostname=f"pcn{number}.localhost"
        )
        make_vision(home, "Access", "Close to home").save_revision().publish()
        consultation = make_consultation(consultations)
        closed = make_consultation(consultations, phase="closed")
        Idea.objects.bulk_create(
            Idea(
                consultation=consultation,
                author=author,
                title=f"Idea {n}",
                body="Body",
                status=PostStatus.PUBLISHED if n % 3 else PostStatus.HIDDEN,
                comment_count=n % 4,
                support_count=n % 5,
            )
            for n in range(ideas)
        )
        theme = Theme.objects.create(consultation=closed, name="Weekends")
        IdeaTheme.objects.bulk_create(
            IdeaTheme(idea=idea, theme=theme)
            for idea in Idea.objects.filter(consultation=consultation)
        )
        make_update(
            updates,
            consultation=closed,
            themes=[theme],
            actions=[action("One", "planned", 0), action("Two", "done", 1)],
        )


def queries(address: str) -> int:
    client = Client()
    client.get(API + address)  # warm the caches every request shares (site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(API + address)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.django_db
def test_every_list_takes_the_same_queries_at_two_sizes():
    build(pcns=range(2), ideas=5)
    small = {address: queries(address) for address in LISTS}
    build(pcns=range(2, 20), ideas=50)  # ten times the PCNs, and the ideas of each
    large = {address: queries(address) for address in LISTS}
    assert large == small
    assert max(small.values()) <= QUERY_BUDGET, small
    assert min(small.values()) > 0, "the queries were counted"
    print(small)
