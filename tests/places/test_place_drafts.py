"""A Place priority's draft of "what we heard": residents' own words from the themes behind
it, across the Place's PCNs, approved by a place lead before the Place's page shows them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import PageLogEntry

from consultations import summaries
from consultations.models import (
    Idea,
    IdeaTheme,
    PlacePriority,
    PlacePriorityDraft,
    PlacePriorityLink,
    PostStatus,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WORDS = [
    (
        "Evening appointments",
        "Evening appointments after six would let me see a doctor after work.",
    ),
    ("Saturday clinics", "A Saturday morning clinic would help families with school runs."),
    ("Phone queue", "The phone queue at eight is far too long for working people."),
    ("Online booking", "Booking online should show the evening slots across every practice."),
    ("Late pharmacy", "The pharmacy closes before I get home so prescriptions wait a day."),
    ("Weekend nurses", "Nurse appointments at weekends would stop me missing shifts at work."),
]


@pytest.fixture(autouse=True)
def _render_every_page(settings):
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0


def _say(consultation, theme, rows, *, status=PostStatus.PUBLISHED):
    author = UserFactory()
    ideas = []
    for title, body in rows:
        idea = Idea.objects.create(
            consultation=consultation, author=author, title=title, body=body, status=status
        )
        IdeaTheme.objects.create(idea=idea, theme=theme)
        ideas.append(idea)
    return ideas


@pytest.fixture
def heard(places):
    """Both PCNs of the Place said things in the themes behind its priority; a private
    consultation, another Place and hidden ideas said things it must never quote."""
    north = _say(places.one.consultation, places.one.theme, WORDS[:3])
    south = _say(places.two.consultation, places.two.theme, WORDS[3:])
    hidden = _say(
        places.one.consultation,
        places.one.theme,
        [("HIDDENIDEA", "HIDDENIDEA words a moderator hid from everyone.")],
        status=PostStatus.HIDDEN,
    )
    private = _say(
        places.private,
        places.private_theme,
        [("PRIVATEIDEA", "PRIVATEIDEA words for the staff of one PCN only.")],
    )
    other = _say(
        places.other.consultation,
        places.other.theme,
        [("OTHERPLACEIDEA", "OTHERPLACEIDEA words of another Place entirely.")],
    )
    PlacePriorityLink.objects.create(priority=places.priority, theme=places.one.theme)
    # South's theme is behind the priority through the PCN priority it feeds.
    PlacePriorityLink.objects.create(
        priority=places.priority, vision_priority=places.two.vision.priorities.get()
    )
    return {"north": north, "south": south, "never": hidden + private + other}


def _draft(places, django_capture_on_commit_callbacks, user=None):
    with django_capture_on_commit_callbacks(execute=True):
        draft = summaries.place_draft_request(
            priority=places.priority, user=user or places.place_lead
        )
    draft.refresh_from_db()
    return draft


def test_a_place_draft_quotes_residents_of_every_pcn_behind_it_word_for_word(
    places, heard, django_capture_on_commit_callbacks
):
    draft = _draft(places, django_capture_on_commit_callbacks)
    assert draft.status == PlacePriorityDraft.Status.READY
    points = list(draft.points.select_related("idea", "comment"))
    assert len(points) >= 3
    cited = {point.idea_id for point in points}
    assert cited & {idea.pk for idea in heard["north"]}
    assert cited & {idea.pk for idea in heard["south"]}
    assert not cited & {idea.pk for idea in heard["never"]}
    for point in points:
        assert point.source_text()[point.start : point.end] == point.text
        assert point.still_stands()
    assert draft.usable_posts == len(WORDS)


def test_a_priority_citing_nothing_is_not_enough_to_summarise(
    places, django_capture_on_commit_callbacks
):
    draft = _draft(places, django_capture_on_commit_callbacks)
    assert draft.status == PlacePriorityDraft.Status.READY
    assert not draft.points.exists()
    assert draft.message.startswith("Not enough to summarise")


@pytest.mark.parametrize("who", ["staff", "other_place_lead"])
def test_only_the_places_leads_may_ask_save_or_approve(
    places, heard, who, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        summaries.place_draft_request(priority=places.priority, user=getattr(places, who))
    draft = _draft(places, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        summaries.summary_draft_save(draft=draft, user=getattr(places, who), choices={})
    with pytest.raises(PermissionDenied):
        summaries.summary_draft_approve(draft=draft, user=getattr(places, who))
    assert not PlacePriorityDraft.objects.filter(status="approved").exists()


def test_an_edit_must_stay_the_residents_own_words(
    places, heard, django_capture_on_commit_callbacks
):
    draft = _draft(places, django_capture_on_commit_callbacks)
    point = draft.points.first()
    with pytest.raises(ValidationError) as refused:
        summaries.summary_draft_save(
            draft=draft,
            user=places.place_lead,
            choices={point.pk: {"chosen": True, "order": 0, "text": "Words nobody wrote here."}},
        )
    assert "exactly as they wrote them" in str(refused.value)
    point.refresh_from_db()
    assert point.text == point.source_text()[point.start : point.end]


def test_the_places_page_shows_approved_words_only_and_links_each_to_its_pcns_idea(
    places, heard, django_capture_on_commit_callbacks
):
    draft = _draft(places, django_capture_on_commit_callbacks)
    points = list(draft.points.select_related("idea"))
    client = Client()
    page = client.get("/", HTTP_HOST="localhost").content.decode()
    assert "In residents&#x27; own words" not in page
    for point in points:
        assert escape(point.text) not in page

    summaries.summary_draft_approve(draft=draft, user=places.place_lead)
    assert PageLogEntry.objects.filter(
        action="engage.summary.approve", page=places.vision, user=places.place_lead
    ).exists()
    page = client.get("/", HTTP_HOST="localhost").content.decode()
    for point in points:
        assert escape(point.text) in page
        idea = point.idea
        consultation = idea.consultation
        # The link leads to the idea on its own PCN's site, whose host is not the Place's.
        url = consultation.get_full_url() + consultation.reverse_subpage(
            "idea-detail", args=[idea.pk]
        )
        assert f'href="{url}"' in page
        assert url.startswith(("http://north.example", "http://south.example"))
    assert "said to North PCN" in page or "said to South PCN" in page
    for secret in ("HIDDENIDEA", "PRIVATEIDEA", "OTHERPLACEIDEA"):
        assert secret not in page

    # Hidden since, or no longer behind the priority: gone from the page at once.
    first, *others = points
    Idea.objects.filter(pk=first.idea_id).update(status=PostStatus.HIDDEN)
    PlacePriorityLink.objects.filter(vision_priority__isnull=False).delete()
    page = client.get("/", HTTP_HOST="localhost").content.decode()
    assert escape(first.text) not in page
    for point in others:
        behind = point.idea.consultation_id == places.one.consultation.pk
        assert (escape(point.text) in page) == behind


def test_the_draft_screen_is_the_place_leads_and_keeps_their_words_on_error(
    places, heard, django_capture_on_commit_callbacks
):
    url = reverse("place_vision:draft", args=[places.priority.pk])
    client = Client()
    client.force_login(places.other_place_lead)
    assert client.get(url).status_code in (302, 403)
    client.force_login(places.place_lead)
    response = client.get(url)
    assert response.status_code == 200
    assert "Draft a summary" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "request"})
    assert response.status_code == 302
    draft = PlacePriorityDraft.objects.get(priority=places.priority)
    point, *others = draft.points.all()
    kept = {}
    for n, other in enumerate(others, start=2):
        kept |= {f"order-{other.pk}": str(n), f"text-{other.pk}": other.text}
    typed = "Words nobody wrote here."
    response = client.post(
        url,
        {
            "action": "approve",
            "draft": draft.pk,
            f"chosen-{point.pk}": "1",
            f"order-{point.pk}": "1",
            f"text-{point.pk}": typed,
            **kept,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "exactly as they wrote them" in html and typed in html
    draft.refresh_from_db()
    assert draft.status == PlacePriorityDraft.Status.READY

    response = client.post(
        url,
        {
            "action": "approve",
            "draft": draft.pk,
            f"chosen-{point.pk}": "1",
            f"order-{point.pk}": "1",
            f"text-{point.pk}": point.text,
            **kept,
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlacePriorityDraft.Status.APPROVED


def _page_queries(hostname) -> int:
    client = Client()
    client.get("/", HTTP_HOST=hostname)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", HTTP_HOST=hostname)
    assert response.status_code == 200
    return len(queries)


def test_approved_words_add_no_query_per_priority_or_point(
    places, heard, django_capture_on_commit_callbacks
):
    before = _page_queries("localhost")
    summaries.summary_draft_approve(
        draft=_draft(places, django_capture_on_commit_callbacks), user=places.place_lead
    )
    one = _page_queries("localhost")
    second = PlacePriority.objects.create(
        page=places.vision, title="Second", description="More.", sort_order=1
    )
    PlacePriorityLink.objects.create(priority=second, theme=places.two.theme)
    _say(places.two.consultation, places.two.theme, [(t + " too", b) for t, b in WORDS])
    with django_capture_on_commit_callbacks(execute=True):
        draft = summaries.place_draft_request(priority=second, user=places.place_lead)
    summaries.summary_draft_approve(draft=draft, user=places.place_lead)
    two = _page_queries("localhost")
    assert one == two
    assert one <= before + 1
