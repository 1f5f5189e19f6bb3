"""The PCN's record on its home page and list of updates is worked out once per change of
the site's content (`consultations.page_context.public_record`), not on every render: the
same changes that make a kept page stale make the record be worked out again."""

from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import UserFactory, make_consultation
from tests.loop.conftest import action, make_theme, make_update

NOTHING_YET = ["No themes yet", "No responses yet", "No actions yet", "No outreach recorded yet"]


def record_on(client, page) -> tuple[list[str], int]:
    """The record's figures as the page shows them, and how many queries read actions."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url)
    assert response.status_code == 200
    panel = BeautifulSoup(response.content, "html.parser").select_one(
        "section[aria-labelledby=record-heading]"
    )
    figures = [dd.get_text(" ", strip=True) for dd in panel.select("dd")]
    reads = sum("consultations_updateaction" in query["sql"] for query in captured)
    return figures, reads


def signed_in(client):
    """A resident: their pages are rendered every time, never served from the page cache."""
    client.force_login(UserFactory())
    return client


def test_the_record_is_worked_out_once_until_the_content_changes(client, home):
    client = signed_in(client)
    assert record_on(client, home) == (NOTHING_YET, 1)
    assert record_on(client, home) == (NOTHING_YET, 0)
    assert record_on(client, home) == (NOTHING_YET, 0)


def test_a_new_theme_an_answer_and_its_actions_show_at_once(
    client, home, consultation_index, update_index
):
    client = signed_in(client)
    consultation = make_consultation(consultation_index, phase="closed", title="Evenings")
    record_on(client, home)

    theme = make_theme(consultation, "Access")  # a moderator's new theme
    figures, reads = record_on(client, home)
    assert figures[0] == "0% (0 of 1)" and reads == 1

    make_update(
        update_index,
        consultation=consultation,
        themes=[theme],
        actions=[action("A", "done", 0), action("B", "planned", 1)],
    )
    figures, _ = record_on(client, home)
    assert figures[0] == "100% (1 of 1)"
    assert figures[2] == "50% (1 of 2)"
    assert record_on(client, update_index)[0] == figures


def test_a_consultation_made_private_leaves_the_record_at_once(client, home, consultation_index):
    client = signed_in(client)
    consultation = make_consultation(consultation_index, phase="closed", title="Staffing")
    make_theme(consultation, "Secret staffing theme")
    assert record_on(client, home)[0][0] == "0% (0 of 1)"

    PageViewRestriction.objects.create(
        page=consultation, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    assert record_on(client, home)[0] == NOTHING_YET


def test_without_the_page_cache_the_record_is_worked_out_on_every_render(client, home, settings):
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0  # production's setting without a shared cache
    client = signed_in(client)
    assert record_on(client, home) == (NOTHING_YET, 1)
    assert record_on(client, home) == (NOTHING_YET, 1)
