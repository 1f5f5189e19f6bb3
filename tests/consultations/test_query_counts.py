"""A public page's query count does not grow with the number of ideas and comments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.models import Comment, Idea, ModerationMode, PostStatus, Support
from tests.factories import UserFactory, make_consultation


def add_ideas_and_comments(consultation, *, count: int) -> Idea:
    """`count` published ideas and `count` comments (half of them replies) on the first."""
    author = UserFactory()
    neighbourhood = consultation.neighbourhoods.first()
    Idea.objects.bulk_create(
        Idea(
            consultation=consultation,
            author=author,
            title=f"Idea {number}",
            body="Longer opening hours",
            neighbourhood=neighbourhood,
            status=PostStatus.PUBLISHED,
            support_count=number % 7,
        )
        for number in range(count)
    )
    idea = Idea.objects.filter(consultation=consultation).first()
    tops = Comment.objects.bulk_create(
        Comment(idea=idea, author=author, body=f"Comment {n}", status=PostStatus.PUBLISHED)
        for n in range(count // 2)
    )
    Comment.objects.bulk_create(
        Comment(
            idea=idea, author=author, parent=tops[n % len(tops)], body="Reply", status="published"
        )
        for n in range(count - len(tops))
    )
    return idea


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def two_consultations(consultation_index):
    small = make_consultation(consultation_index, moderation_mode=ModerationMode.POST)
    large = make_consultation(consultation_index, moderation_mode=ModerationMode.POST)
    return (small, add_ideas_and_comments(small, count=10)), (
        large,
        add_ideas_and_comments(large, count=500),
    )


def idea_url(consultation, idea):
    return consultation.url + consultation.reverse_subpage("idea-detail", args=[idea.pk])


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "resident"])
@pytest.mark.parametrize(
    "query", ["", "?sort=supported", "?sort=discussed&neighbourhood=1", "?q=opening"]
)
def test_idea_list_queries_do_not_grow(client, two_consultations, signed_in, query):
    (small, small_idea), (large, large_idea) = two_consultations
    if signed_in:
        resident = UserFactory()
        Support.objects.create(user=resident, idea=large_idea)
        Support.objects.create(user=resident, idea=small_idea)
        client.force_login(resident)
    client.get(small.url + query)  # warm caches shared by every page (site, root paths)
    assert count_queries(client, small.url + query) == count_queries(client, large.url + query)


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "resident"])
def test_idea_page_queries_do_not_grow(client, two_consultations, signed_in):
    (small, small_idea), (large, large_idea) = two_consultations
    if signed_in:
        client.force_login(UserFactory())
    client.get(idea_url(small, small_idea))
    small_count = count_queries(client, idea_url(small, small_idea))
    large_count = count_queries(client, idea_url(large, large_idea))
    assert small_count == large_count
    assert large_count <= 30


def test_home_page_queries_do_not_grow(client, home, consultation_index):
    client.get(home.url)
    before = count_queries(client, home.url)
    for _ in range(5):
        make_consultation(consultation_index)
    assert count_queries(client, home.url) == before
