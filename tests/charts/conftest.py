"""Two PCNs in one Place (North and South, from tests/places/conftest.py) and a PCN of
another Place, each with practices; builders for ideas and comments in bulk."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import Channel, Comment, Idea, PostStatus
from home.models import Practice
from tests.factories import UserFactory
from tests.places.conftest import places  # noqa: F401 (a fixture, used by `world`)

_codes = itertools.count(30001)


def make_practice(pcn, name):
    return Practice.objects.create(pcn=pcn, name=name, ods_code=f"Y{next(_codes):05d}")


def add_ideas(
    consultation,
    count,
    *,
    practice=None,
    neighbourhood=None,
    channel=Channel.ONLINE,
    status=PostStatus.PUBLISHED,
    days_ago=3,
    comments=0,
):
    """`count` ideas (bulk), each with `comments` published comments."""
    author = UserFactory()
    when = timezone.now() - timedelta(days=days_ago)
    ideas = Idea.objects.bulk_create(
        Idea(
            consultation=consultation,
            author=author if channel == Channel.ONLINE else None,
            title=f"Idea {n}",
            body="Evening appointments would help.",
            status=status,
            channel=channel,
            practice=practice,
            neighbourhood=neighbourhood,
            created_at=when,
        )
        for n in range(count)
    )
    Comment.objects.bulk_create(
        Comment(idea=idea, author=author, body="Yes.", status=PostStatus.PUBLISHED, created_at=when)
        for idea in ideas
        for _ in range(comments)
    )
    return ideas


@pytest.fixture
def world(db, request):
    built = request.getfixturevalue("places")
    built.north_practice = make_practice(built.one.pcn, "Abbey Surgery")
    built.small_practice = make_practice(built.one.pcn, "Tiny Practice")
    built.south_practice = make_practice(built.two.pcn, "South Health Centre")
    built.other_practice = make_practice(built.other.pcn, "OTHERPLACEPRACTICE")
    return built
