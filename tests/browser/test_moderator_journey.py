"""A PPG moderator approves a waiting idea and groups it into a theme; visitors see it in
"What we heard" once the consultation is under review.

The moderator works in Wagtail's admin. axe runs there too, but only reports: the admin's
markup is mostly Wagtail's. The public pages must pass.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations import services
from consultations.models import ConsultationPage, Idea, PostStatus, Theme
from tests.browser.helpers import axe_check, axe_report, journey, route, sign_in_to_admin
from tests.factories import UserFactory, make_consultation, make_pcn_site

pytestmark = journey

IDEA_TITLE = "A late surgery on Thursdays"
THEME_NAME = "Later opening hours"
THEME_SUMMARY = "Many residents asked for appointments after work, especially on weekdays."


def h1(page):
    return page.get_by_role("heading", level=1)


def admin_message(page):
    return page.locator(".messages")


@pytest.fixture
def story():
    """A pre-moderated open consultation, a resident's idea waiting for a moderator, and a
    moderator of the PCN (in its PPG moderators group: no is_staff, no other permission)."""
    home, consultations, _ = make_pcn_site(name="Meadowbank PCN")
    consultation = make_consultation(
        consultations, title="Opening hours", question="When should the surgery be open?"
    )
    author = UserFactory(display_name="Priya")
    idea = services.idea_submit(
        consultation=consultation,
        author=author,
        title=IDEA_TITLE,
        body="Open until 8pm on Thursdays for people who work.",
        neighbourhood=consultation.neighbourhoods.get(name="Riverside"),
    )
    assert idea.status == PostStatus.PENDING
    moderator = UserFactory(display_name="Maggie (PPG)", groups=[home.pcn.moderator_group])
    return {"consultation": consultation, "author": author, "idea": idea, "moderator": moderator}


def test_a_moderator_approves_and_themes_an_idea_and_visitors_read_what_we_heard(
    story, page, new_page, mailoutbox
):
    consultation, idea, author = story["consultation"], story["idea"], story["author"]
    mailoutbox.clear()
    admin_axe: list[str] = []

    # Nobody else sees the idea yet.
    visitor = new_page()
    visitor.goto(consultation.url)
    expect(h1(visitor)).to_have_text("Opening hours")
    expect(visitor.get_by_text(IDEA_TITLE)).to_have_count(0)

    # The moderator signs in to the admin and opens the queue.
    sign_in_to_admin(page, story["moderator"], next_path="/admin/moderation/ideas/")
    expect(h1(page)).to_have_text("Ideas to moderate")
    axe_report(page, admin_axe)
    queue_row = page.get_by_role("row").filter(has_text=IDEA_TITLE)
    expect(queue_row).to_contain_text("Waiting for a moderator")
    queue_row.get_by_role("link", name=IDEA_TITLE).click()

    # Approve it, with a reason and a note for the author.
    expect(h1(page)).to_have_text("Moderate idea")
    expect(page.get_by_role("heading", name=IDEA_TITLE)).to_be_visible()
    expect(page.get_by_text("Status: Waiting for a moderator")).to_be_visible()
    axe_report(page, admin_axe)
    page.get_by_label("Approve").check()
    page.get_by_label("Reason").select_option(label="It meets our house rules")
    page.get_by_label("Note").fill("Thank you for this idea.")
    page.get_by_role("button", name="Record decision").click()
    expect(admin_message(page)).to_contain_text(
        "Decision recorded. The author will be told by email."
    )
    expect(page.get_by_text("Status: Published")).to_be_visible()
    history = page.get_by_role("table")
    expect(history).to_contain_text("Approved")
    expect(history).to_contain_text("Thank you for this idea.")
    idea.refresh_from_db()
    assert idea.status == PostStatus.PUBLISHED
    told = [message for message in mailoutbox if message.to == [author.email]]
    assert len(told) == 1 and "Your idea is published" in told[0].subject
    assert "Thank you for this idea." in told[0].body

    page.get_by_role("link", name="Full history of this idea").click()
    expect(page.get_by_role("table")).to_contain_text("Approved by a moderator")
    expect(page.get_by_role("table")).to_contain_text("Note: Thank you for this idea.")
    axe_report(page, admin_axe)

    page.goto("/admin/moderation/ideas/")
    expect(page.get_by_text("Nothing is waiting.")).to_be_visible()

    # Now everyone sees it.
    visitor.reload()
    expect(visitor.get_by_role("link", name=IDEA_TITLE)).to_be_visible()
    axe_check(visitor)

    # Themes (the menu) → a new theme for the consultation.
    page.get_by_role("link", name="Themes").first.click()
    expect(h1(page)).to_have_text("Themes")
    axe_report(page, admin_axe)
    page.get_by_role("link", name="Add theme").first.click()
    axe_report(page, admin_axe)
    page.locator("#id_consultation").select_option(label="Opening hours")
    page.locator("#id_name").fill(THEME_NAME)
    page.locator("#id_summary").fill(THEME_SUMMARY)
    page.get_by_role("button", name="Save").first.click()
    expect(admin_message(page)).to_contain_text(THEME_NAME)

    # The consultation's themes, then group the idea into the new one.
    page.goto(f"/admin/snippets/consultations/theme/?consultation={consultation.pk}")
    expect(page.get_by_role("link", name=THEME_NAME)).to_be_visible()
    page.get_by_role("link", name="Group ideas into themes").click()
    expect(h1(page)).to_have_text("Group ideas: Opening hours")
    expect(page.get_by_text("1 published idea not in a theme yet.")).to_be_visible()
    axe_report(page, admin_axe)
    page.get_by_label(f"Select {IDEA_TITLE}").check()
    page.get_by_label("Add the ticked ideas to").select_option(label=THEME_NAME)
    page.get_by_role("button", name="Add to theme").click()
    expect(admin_message(page)).to_contain_text(f"Added 1 idea(s) to '{THEME_NAME}'.")
    expect(page.get_by_role("row").filter(has_text=IDEA_TITLE)).to_contain_text(THEME_NAME)
    theme = Theme.objects.get(consultation=consultation)
    assert list(theme.ideas.all()) == [Idea.objects.get(pk=idea.pk)]

    # While the consultation is open, "What we heard" is not public.
    response = visitor.goto(route(consultation, "what-we-heard"))
    assert response.status == 404

    # Staff close it and put it under review (what they do in the page editor).
    consultation = ConsultationPage.objects.get(pk=consultation.pk)
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.phase_override = "under_review"
    consultation.save()

    # A visitor follows the consultation's link to "What we heard".
    visitor.goto(consultation.url)
    expect(visitor.locator(".nhsuk-caption-l")).to_contain_text("Under review")
    visitor.get_by_role("link", name="Read what we heard").click()
    expect(h1(visitor)).to_have_text("What we heard")
    assert visitor.url.endswith(route(consultation, "what-we-heard"))
    expect(visitor.get_by_text("1 idea from residents, grouped into 1 theme")).to_be_visible()
    card = visitor.locator("section.engage-theme")
    expect(card.get_by_role("heading", level=2)).to_have_text(THEME_NAME)
    expect(card).to_contain_text(THEME_SUMMARY)
    expect(card).to_contain_text("1 idea")
    expect(card.get_by_role("link", name=IDEA_TITLE)).to_be_visible()
    axe_check(visitor)

    # The idea's own page shows where it went.
    card.get_by_role("link", name=IDEA_TITLE).click()
    expect(h1(visitor)).to_have_text(IDEA_TITLE)
    journey_list = visitor.get_by_role("list", name="What has happened to this idea")
    expect(journey_list.get_by_role("listitem").nth(2)).to_contain_text("Done Grouped into a theme")
    expect(journey_list).to_contain_text(THEME_NAME)
    axe_check(visitor)


def test_a_moderator_hides_two_ticked_ideas_at_once_with_a_reason(story, page, mailoutbox):
    """Wagtail's bulk actions: tick posts in the listing, choose Hide in the footer, give the
    reason on the confirmation, and both are hidden, their authors told."""
    consultation, author = story["consultation"], story["author"]
    second = services.idea_submit(
        consultation=consultation,
        author=author,
        title="Advertise it in the library",
        body="Put a poster up.",
        neighbourhood=consultation.neighbourhoods.get(name="Riverside"),
    )
    mailoutbox.clear()
    admin_axe: list[str] = []
    sign_in_to_admin(page, story["moderator"], next_path="/admin/moderation/ideas/")
    for title in (IDEA_TITLE, second.title):
        row = page.get_by_role("row").filter(has_text=title)
        row.get_by_role("checkbox").check()
    page.locator("[data-bulk-action-footer]").get_by_role("link", name="Hide").click()
    expect(h1(page)).to_contain_text("Hide the ticked posts")
    axe_report(page, admin_axe)
    page.get_by_role("button", name="Yes, hide 2 posts").click()
    expect(page.get_by_text("Choose why you are hiding it, so its author knows.")).to_be_visible()
    page.get_by_label("Reason").select_option(label="It is not about this consultation")
    page.get_by_label("Note").fill("Please post it on the library consultation.")
    page.get_by_role("button", name="Yes, hide 2 posts").click()
    expect(admin_message(page)).to_contain_text("2 post(s) updated; their authors will be told.")
    assert set(Idea.objects.values_list("status", flat=True)) == {PostStatus.HIDDEN}
    told = [message for message in mailoutbox if message.to == [author.email]]
    assert len(told) == 2
    assert all("Please post it on the library consultation." in m.body for m in told)
