"""A PPG moderator asks for a draft of "what we heard", publishes two points of it, and a
visitor reads them as residents' own words, each linked to its idea.

The draft screen is in Wagtail's admin: axe only reports there. The public page must pass.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Idea, PostStatus, SummaryPoint, Theme
from tests.browser.helpers import axe_check, axe_report, journey, route, sign_in_to_admin
from tests.factories import UserFactory, make_consultation, make_pcn_site

pytestmark = journey

BODIES = [
    "I work until six so evening appointments would really help me.",
    "Saturday morning clinics would help working parents like us.",
    "Please open later on weekdays, even one evening a week would do.",
    "Booking at eight is impossible when you start work at eight.",
]


@pytest.fixture
def story():
    home, consultations, _ = make_pcn_site(name="Meadowbank PCN")
    consultation = make_consultation(
        consultations, title="Opening hours", question="When should the surgery be open?"
    )
    theme = Theme.objects.create(consultation=consultation, name="Later opening hours")
    neighbourhood = consultation.neighbourhoods.first()
    for number, body in enumerate(BODIES):
        idea = Idea.objects.create(
            consultation=consultation,
            author=UserFactory(display_name=f"Resident {number}"),
            title=f"Opening idea {number}",
            body=body,
            neighbourhood=neighbourhood,
            status=PostStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        theme.ideas.add(idea)
    moderator = UserFactory(display_name="Maggie (PPG)", groups=[home.pcn.moderator_group])
    return {"consultation": consultation, "theme": theme, "moderator": moderator}


def test_a_moderator_publishes_residents_own_words_and_visitors_follow_them(story, page, new_page):
    consultation, theme = story["consultation"], story["theme"]
    admin_axe: list[str] = []
    sign_in_to_admin(
        page, story["moderator"], next_path=f"/admin/snippets/consultations/theme/draft/{theme.pk}/"
    )
    axe_report(page, admin_axe)
    # The form posts and comes back to this screen; wait for that before reading it again.
    with page.expect_navigation():
        page.get_by_role("button", name="Draft a summary").click()
    # The task runs at once here; elsewhere the screen says it is being prepared.
    page.reload()
    points = list(SummaryPoint.objects.filter(draft__theme=theme).order_by("pk"))
    assert len(points) >= 2
    for point in points:
        assert point.text in (point.idea.body + point.idea.title)
    axe_report(page, admin_axe)

    # Publish the first two points, the second one first.
    for point in points:
        box = page.locator(f"#chosen-{point.pk}")
        if point in points[:2]:
            box.check()
        else:
            box.uncheck()
    page.locator(f"#order-{points[0].pk}").fill("2")
    page.locator(f"#order-{points[1].pk}").fill("1")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".messages")).to_be_visible()
    axe_report(page, admin_axe)

    # Once the consultation is under review, a visitor reads them as residents' own words.
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.phase_override = "under_review"
    consultation.save()
    visitor = new_page()
    visitor.goto(route(consultation, "what-we-heard"))
    quotes = visitor.locator(".engage-own-words blockquote")
    expect(quotes).to_have_count(2)
    expect(quotes.nth(0)).to_contain_text(points[1].text)
    expect(quotes.nth(1)).to_contain_text(points[0].text)
    expect(quotes.nth(0)).to_contain_text("A resident's own words")
    axe_check(visitor)
    quotes.nth(0).get_by_role("link").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(points[1].idea.title)
    axe_check(visitor)
