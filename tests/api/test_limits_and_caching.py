"""The API's answers are kept for a few minutes and say so; a page made private leaves them at
once; each client address has a rate limit, past which the answer is a JSON 429."""

from django.test import Client
from wagtail.models import PageViewRestriction

from consultations.models import Idea, PostStatus
from tests.api.conftest import API


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_answers_are_public_for_five_minutes(world, api, settings):
    settings.ENGAGE_API_CACHE_SECONDS = 300
    response = api("consultations/")
    assert response["Cache-Control"] == "public, max-age=300"
    # Errors are not kept.
    assert "public" not in api("consultations/", phase="soon").get("Cache-Control", "")


def test_counts_may_be_as_old_as_the_cache_but_a_private_page_leaves_at_once(world, api):
    client = Client()
    first = client.get(API + "consultations/").json()["results"]
    counts = {row["id"]: row["published_idea_count"] for row in first}
    # A new published idea: the kept answer is served until it expires.
    Idea.objects.create(
        consultation=world.open_consultation, title="New", body="New", status=PostStatus.PUBLISHED
    )
    again = client.get(API + "consultations/").json()["results"]
    assert {row["id"]: row["published_idea_count"] for row in again} == counts
    # A consultation made private starts a new site cache generation: gone at once.
    PageViewRestriction.objects.create(
        page=world.open_consultation, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert world.open_consultation.pk not in ids(client.get(API + "consultations/"))


def test_past_the_rate_limit_the_answer_is_a_json_429(world, api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"open_data": "3/minute"},
    }
    client = Client()
    answers = [client.get(API + "themes/") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    refused = client.get(API + "themes/")
    assert refused.status_code == 429
    assert "detail" in refused.json()
    assert int(refused["Retry-After"]) > 0
    # Kept answers are counted too, and another client address has its own count.
    assert client.get(API + "themes/", REMOTE_ADDR="192.0.2.7").status_code == 200
