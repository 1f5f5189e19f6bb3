"""Builders for the closing-the-loop tests: ideas, themes, updates and the shared vision."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import (
    Follow,
    Idea,
    PostStatus,
    Theme,
    UpdateAction,
    UpdateIdea,
    UpdatePage,
)
from home.models import VisionPage, VisionPriority
from tests.factories import UserFactory, make_consultation


def make_idea(consultation, author, *, status=PostStatus.PUBLISHED, **fields) -> Idea:
    defaults = {
        "title": "More evening appointments",
        "body": "Please open until 8pm on Tuesdays.",
        "neighbourhood": consultation.neighbourhoods.order_by("name").first(),
    }
    if status == PostStatus.PUBLISHED:
        defaults["published_at"] = timezone.now()
    defaults.update(fields)
    return Idea.objects.create(consultation=consultation, author=author, status=status, **defaults)


def make_theme(consultation, name="Evening appointments", **fields) -> Theme:
    return Theme.objects.create(consultation=consultation, name=name, **fields)


def action(description="Saturday clinic", status="planned", sort_order=0, **fields):
    return UpdateAction(description=description, status=status, sort_order=sort_order, **fields)


def make_update(
    update_index,
    *,
    title="Saturday clinics",
    consultation=None,
    themes=(),
    ideas=(),
    actions=None,
    live=True,
    publish=True,
    **fields,
) -> UpdatePage:
    """An update page; published through a revision (so page_published fires) unless
    `publish` is False, in which case it stays a draft when `live` is False."""
    update = update_index.add_child(
        instance=UpdatePage(
            title=title,
            you_said="<p>You asked for <b>weekend</b> appointments.</p>",
            we_did="<p>We opened a <strong>Saturday</strong> clinic.</p>",
            consultation=consultation,
            actions=actions if actions is not None else [action()],
            live=live,
            **fields,
        )
    )
    update.themes.set(list(themes))
    update.answered_ideas = [UpdateIdea(idea=idea) for idea in ideas]
    revision = update.save_revision()
    if publish:
        revision.publish()
    return UpdatePage.objects.get(pk=update.pk)


def make_vision(home, *priority_titles: str) -> VisionPage:
    return home.add_child(
        instance=VisionPage(
            title="Our shared vision",
            introduction="<p>Together.</p>",
            priorities=[
                VisionPriority(title=title, statement=f"We want {title.lower()}.", sort_order=i)
                for i, title in enumerate(priority_titles)
            ],
        )
    )


def follow(user, *, consultation=None, idea=None) -> Follow:
    return Follow.objects.create(user=user, consultation=consultation, idea=idea)


def route(consultation, name, *args) -> str:
    return consultation.url + consultation.reverse_subpage(name, args=args)


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def consultation(consultation_index):
    return make_consultation(consultation_index, phase="closed", title="Weekend appointments")


@pytest.fixture
def theme(consultation):
    return make_theme(consultation)


@pytest.fixture
def make_user(db):
    return UserFactory
