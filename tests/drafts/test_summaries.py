"""Drafts of "what we heard" end to end: request, task, review, approval, the public page."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from consultations import summaries
from consultations.models import (
    Attribution,
    Comment,
    Idea,
    IdeaTheme,
    Phase,
    PostStatus,
    SummaryDraft,
    Theme,
)
from consultations.tasks import draft_summary
from tests.factories import UserFactory, make_consultation, make_moderator, make_pcn_site

CORPUS = json.loads((Path(__file__).parent / "corpus.json").read_text())


@pytest.fixture
def world(db, home, consultation_index):
    consultation = make_consultation(
        consultation_index, phase="closed", phase_override=Phase.UNDER_REVIEW
    )
    theme = Theme.objects.create(consultation=consultation, name="Getting an appointment")
    author = UserFactory()
    ideas = []
    for row in CORPUS["ideas"]:
        idea = Idea.objects.create(
            consultation=consultation,
            author=author,
            title=row["title"],
            body=row["body"],
            status=PostStatus.PUBLISHED,
        )
        IdeaTheme.objects.create(idea=idea, theme=theme)
        ideas.append(idea)
    moderator = make_moderator(home.pcn)
    return {"consultation": consultation, "theme": theme, "ideas": ideas, "mod": moderator}


def findings_url(consultation):
    return consultation.url + consultation.reverse_subpage("what-we-heard")


def test_a_requested_draft_cites_only_published_posts_word_for_word(
    world, django_capture_on_commit_callbacks
):
    ideas = world["ideas"]
    hidden = ideas[0]
    hidden.status = PostStatus.HIDDEN
    hidden.save()
    Idea.objects.filter(pk=ideas[1].pk).update(status=PostStatus.WITHDRAWN)
    Idea.objects.filter(pk=ideas[2].pk).update(status=PostStatus.PENDING)
    Idea.objects.filter(pk=ideas[3].pk).update(author=None)  # erased, kept as "A resident"
    Idea.objects.filter(pk=ideas[4].pk).update(attribution=Attribution.NEIGHBOURHOOD)
    Comment.objects.create(
        idea=ideas[5], author=UserFactory(), body="Pending words never cited.", status="pending"
    )
    excluded = {idea.pk for idea in ideas[:5]}
    with django_capture_on_commit_callbacks(execute=True):
        draft = summaries.summary_draft_request(
            consultation=world["consultation"], theme=world["theme"], user=world["mod"]
        )
    draft.refresh_from_db()
    assert draft.status == SummaryDraft.Status.READY
    points = list(draft.points.select_related("idea", "comment"))
    assert len(points) == 5
    for point in points:
        assert point.idea_id not in excluded
        assert point.source_text()[point.start : point.end] == point.text
        assert point.still_stands()
    # Running the task again changes nothing.
    before = [(p.pk, p.text) for p in points]
    draft_summary.call(draft.pk)
    assert [(p.pk, p.text) for p in draft.points.all()] == before


def test_a_theme_of_two_ideas_is_not_enough_to_summarise(world, django_capture_on_commit_callbacks):
    theme = Theme.objects.create(consultation=world["consultation"], name="Small")
    for idea in world["ideas"][:2]:
        IdeaTheme.objects.create(idea=idea, theme=theme)
    with django_capture_on_commit_callbacks(execute=True):
        draft = summaries.summary_draft_request(
            consultation=world["consultation"], theme=theme, user=world["mod"]
        )
    draft.refresh_from_db()
    assert draft.status == SummaryDraft.Status.READY
    assert not draft.points.exists()
    assert draft.message.startswith("Not enough to summarise")


def test_nothing_is_public_until_a_moderator_approves(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = summaries.summary_draft_request(
            consultation=world["consultation"], theme=world["theme"], user=world["mod"]
        )
    point = draft.points.first()
    client = Client()
    page = client.get(findings_url(world["consultation"])).content.decode()
    assert "A resident's own words" not in page and escape(point.text) not in page

    summaries.summary_draft_approve(draft=draft, user=world["mod"])
    page = client.get(findings_url(world["consultation"])).content.decode()
    assert "A resident's own words" in page
    assert escape(point.text) in page
    assert ModelLogEntry.objects.filter(
        action="engage.summary.approve", object_id=str(world["theme"].pk), user=world["mod"]
    ).exists()
    # Hidden after approval: dropped from the public page at once.
    Idea.objects.filter(pk=point.idea_id).update(status=PostStatus.HIDDEN)
    page = client.get(findings_url(world["consultation"])).content.decode()
    assert escape(point.text) not in page


def test_an_edit_must_be_the_residents_own_words(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = summaries.summary_draft_request(
            consultation=world["consultation"], theme=world["theme"], user=world["mod"]
        )
    point = draft.points.first()
    trimmed = point.text[: len(point.text) // 2].strip()
    summaries.summary_draft_save(
        draft=draft,
        user=world["mod"],
        choices={point.pk: {"chosen": True, "order": 0, "text": trimmed}},
    )
    point.refresh_from_db()
    assert point.text == trimmed and point.source_text()[point.start : point.end] == trimmed

    with pytest.raises(ValidationError) as refused:
        summaries.summary_draft_save(
            draft=draft,
            user=world["mod"],
            choices={point.pk: {"chosen": True, "order": 0, "text": "Residents want more."}},
        )
    assert "own words" in str(refused.value) or "exactly as they wrote" in str(refused.value)
    point.refresh_from_db()
    assert point.text == trimmed


def test_the_screen_keeps_what_the_moderator_typed_and_refuses_other_pcns(
    world, home, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(world["mod"])
    url = reverse(Theme.snippet_viewset.get_url_name("draft"), args=[world["theme"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "request"})
    assert response.status_code == 302
    draft = SummaryDraft.objects.get(theme=world["theme"])
    response = client.get(url)
    assert response.status_code == 200
    point = draft.points.first()
    body = {"draft": draft.pk, "action": "approve"}
    for each in draft.points.all():
        body |= {f"chosen-{each.pk}": "1", f"order-{each.pk}": "1", f"text-{each.pk}": each.text}
    body[f"text-{point.pk}"] = "Words nobody wrote <b>here</b>"
    response = client.post(url, body)
    assert response.status_code == 400
    assert "Words nobody wrote &lt;b&gt;here&lt;/b&gt;" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == SummaryDraft.Status.READY

    body[f"text-{point.pk}"] = point.text
    assert client.post(url, body).status_code == 302
    draft.refresh_from_db()
    assert draft.status == SummaryDraft.Status.APPROVED and draft.approved_by == world["mod"]

    other_home, *_ = make_pcn_site(hostname="other.localhost", default=False)
    outsider = make_moderator(other_home.pcn)
    resident = UserFactory()
    for user in (outsider, resident):
        client.force_login(user)
        assert client.get(url).status_code in (302, 403)
        with pytest.raises(PermissionDenied):
            summaries.summary_draft_request(
                consultation=world["consultation"], theme=world["theme"], user=user
            )
