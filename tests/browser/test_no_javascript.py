"""The core journey with JavaScript off: sign in, share an idea (through the error summary and
the "Is your idea already here?" step), comment and support. Every step is a plain form."""

import re

from playwright.sync_api import expect

from consultations.models import Comment, Idea, ModerationMode, PostStatus, Support
from tests.browser.helpers import journey, route, sign_in
from tests.factories import UserFactory, make_consultation, make_pcn_site

pytestmark = journey

IDEA_TITLE = "Evening appointments on Tuesdays"


def h1(page):
    return page.get_by_role("heading", level=1)


def success_banner(page):
    return page.locator(".nhsuk-notification-banner--success")


def test_sharing_commenting_and_supporting_work_without_javascript(nojs_page):
    page = nojs_page
    _, consultations, _ = make_pcn_site(name="Riverside PCN")
    consultation = make_consultation(
        consultations, title="Evening appointments", moderation_mode=ModerationMode.POST
    )
    neighbour = UserFactory(display_name="Ali")
    earlier = Idea.objects.create(
        consultation=consultation,
        author=neighbour,
        title="Evening appointments after work",
        body="Appointments in the evening, for people who work.",
        neighbourhood=consultation.neighbourhoods.get(name="Riverside"),
        status=PostStatus.PUBLISHED,
    )
    resident = UserFactory(display_name="Kim")

    sign_in(page, email=resident.email, next_path=consultation.url)
    expect(h1(page)).to_have_text("Evening appointments")
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))

    # An empty title: the error summary links to the field; what was typed stays.
    page.get_by_role("link", name="Share an idea").click()
    expect(h1(page)).to_have_text("Share an idea")
    page.get_by_label("Describe your idea").fill("Open until 8pm on Tuesday evenings, please.")
    page.get_by_label("Which neighbourhood is it about?").select_option(label="Hillcrest")
    page.get_by_label("A resident of my neighbourhood").check()
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter a title for your idea")).to_have_attribute(
        "href", "#id_title"
    )
    expect(page.get_by_label("Describe your idea")).to_have_value(
        "Open until 8pm on Tuesday evenings, please."
    )
    expect(page.get_by_label("A resident of my neighbourhood")).to_be_checked()

    # A similar idea is offered first; the resident posts their own anyway.
    page.get_by_label("Give your idea a short title").fill(IDEA_TITLE)
    page.get_by_role("button", name="Continue").click()
    expect(h1(page)).to_have_text("Is your idea already here?")
    expect(page.get_by_role("link", name=earlier.title)).to_be_visible()
    page.get_by_role("button", name="Post my idea").click()
    # The first post asks "About you" once; skipping it is one button, with no script.
    expect(h1(page)).to_have_text("About you")
    expect(success_banner(page)).to_contain_text("Thank you. Your idea is published.")
    page.get_by_role("button", name="Skip these questions").click()
    expect(h1(page)).to_have_text(IDEA_TITLE)
    expect(page.get_by_text("Posted by A resident of Hillcrest, Hillcrest")).to_be_visible()
    idea = Idea.objects.get(author=resident)
    assert idea.status == PostStatus.PUBLISHED

    # Comment on it.
    page.get_by_label("Your comment").fill("Thursday evenings would help too.")
    page.get_by_role("button", name="Post comment").click()
    expect(success_banner(page)).to_contain_text("Thank you. Your comment is published.")
    expect(page.get_by_role("heading", name="Comments (1)")).to_be_visible()
    expect(page.get_by_role("article", name="Comment by Kim")).to_contain_text(
        "Thursday evenings would help too."
    )
    assert Comment.objects.get(idea=idea).author == resident

    # Support the neighbour's idea.
    page.goto(route(consultation, "idea-detail", earlier.pk))
    page.get_by_role("button", name="Support this idea").click()
    expect(success_banner(page)).to_contain_text("Thank you. You support this idea.")
    expect(page.get_by_role("heading", name="1 person supports this idea")).to_be_visible()
    assert Support.objects.filter(idea=earlier, user=resident).exists()
