"""A visitor becomes a resident and shares an idea; a second resident takes part in it.

Home → consultation → create an account → confirm the email → share an idea (with an error
first) → the idea's page; then another resident signs in, comments, supports, follows and
reports the idea. axe checks every public page on the way.
"""

import re

import pytest
from playwright.sync_api import expect

from consultations.models import Comment, Flag, FlagReason, Follow, Idea, ModerationMode, Support
from engage.models import User
from tests.browser.helpers import (
    AXE_TAGS,
    axe_check,
    axe_version,
    journey,
    link_in,
    path_of,
    route,
    sign_in,
)
from tests.factories import UserFactory, make_consultation, make_pcn_site

pytestmark = journey

IDEA_TITLE = "Evening appointments on Tuesdays"
HOSTILE_NAME = "<img src=x onerror=alert(1)>Sam"
IDEA_BODY = "Please open until 8pm on Tuesdays.\n\nWorking parents cannot come in the day."


def h1(page):
    return page.get_by_role("heading", level=1)


def success_banner(page):
    return page.locator(".nhsuk-notification-banner--success")


def test_bundled_axe_knows_wcag_2_2(page):
    """axe-core 4.5 added the wcag22aa tag; an older copy would check WCAG 2.2 not at all."""
    make_pcn_site(name="Axe PCN")
    page.goto("/")
    version = axe_version(page)
    print(f"axe-core {version}")
    major, minor = (int(part) for part in version.split(".")[:2])
    assert (major, minor) >= (4, 5), f"axe-core {version} is too old for WCAG 2.2"
    wcag22_rules = page.evaluate(
        "axe.getRules(['wcag22aa']).map(rule => rule.ruleId)",
    )
    assert "target-size" in wcag22_rules
    assert set(AXE_TAGS) >= {"wcag22aa"}

    # And the helper does fail on a violation, naming the rule and the element.
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main>'
        '<img src="data:,"></main></body></html>'
    )
    with pytest.raises(AssertionError, match=r"image-alt \(critical\)[\s\S]*at img"):
        axe_check(page)


def test_a_missing_page_is_an_nhs_page_not_found(page):
    make_pcn_site(name="Riverside PCN")
    response = page.goto("/consultations/no-such-consultation/")
    assert response.status == 404
    assert page.locator("header.nhsuk-header").count() == 1, page.content()[:400]
    expect(h1(page)).to_have_text("Page not found")
    expect(
        page.get_by_role("main").get_by_role("link", name=re.compile("home", re.I))
    ).to_be_visible()
    axe_check(page)


def test_a_visitor_signs_up_shares_an_idea_and_another_resident_takes_part(
    page, new_page, mailoutbox
):
    _, consultations, _ = make_pcn_site(name="Riverside PCN")
    consultation = make_consultation(
        consultations,
        title="Evening and weekend appointments",
        question="How should evening and weekend appointments work in Riverside?",
        summary="Tell us when you need to see someone.",
        moderation_mode=ModerationMode.POST,
    )

    # The home page lists the open consultation.
    page.goto("/")
    expect(h1(page)).to_have_text("Riverside PCN home")
    expect(page.get_by_role("heading", name="Open consultations")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Evening and weekend appointments").click()
    expect(h1(page)).to_have_text("Evening and weekend appointments")
    expect(page.get_by_text(consultation.question)).to_be_visible()
    expect(page.get_by_role("heading", name="Take part")).to_be_visible()
    axe_check(page)

    # Create an account, from the consultation's "Take part" section.
    page.get_by_role("main").get_by_role("link", name="create an account").click()
    expect(h1(page)).to_have_text("Create an account")
    axe_check(page)
    # A mistake first: the error summary, on the sign-up page.
    page.get_by_label("Email address").fill("rosa@example")
    page.get_by_role("button", name="Create account").click()
    signup_errors = page.locator(".nhsuk-error-summary")
    expect(signup_errors).to_contain_text("There is a problem")
    expect(signup_errors.get_by_role("link", name=re.compile("email address"))).to_have_attribute(
        "href", "#id_email"
    )
    expect(signup_errors.get_by_role("link", name="Enter a password")).to_have_attribute(
        "href", "#id_password1"
    )
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe_check(page)
    page.get_by_label("Email address").fill("rosa@example.org")  # corrected
    page.get_by_label("Display name (optional)").fill("Rosa from Riverside")
    page.get_by_label("Password", exact=True).fill("a-long-and-unusual-passphrase-17")
    page.get_by_label("Confirm your password").fill("a-long-and-unusual-passphrase-17")
    page.get_by_role("button", name="Create account").click()
    expect(h1(page)).to_have_text("Check your email")
    axe_check(page)
    rosa = User.objects.get(email="rosa@example.org")
    assert rosa.display_name == "Rosa from Riverside"

    # The email confirms the address, and signs Rosa in.
    assert len(mailoutbox) == 1
    confirmation = mailoutbox[0]
    assert confirmation.to == ["rosa@example.org"]
    page.goto(path_of(link_in(confirmation.body, r"/accounts/confirm-email/")))
    expect(h1(page)).to_have_text("Confirm your email address")
    expect(page.get_by_text("rosa@example.org")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Confirm email address").click()
    # Confirmed and signed in, Rosa is back on the consultation she started from.
    expect(h1(page)).to_have_text("Evening and weekend appointments")
    expect(page.get_by_role("link", name="Rosa from Riverside")).to_be_visible()
    assert rosa.emailaddress_set.get().verified

    # Share an idea: first without a title, to see the error summary.
    page.get_by_role("link", name="Share an idea").click()
    expect(h1(page)).to_have_text("Share an idea")
    page.get_by_label("Describe your idea").fill(IDEA_BODY)
    page.get_by_label("Which neighbourhood is it about?").select_option(label="Riverside")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary).to_be_focused()  # the NHS.UK error summary takes focus on load
    error_link = summary.get_by_role("link", name="Enter a title for your idea")
    expect(error_link).to_have_attribute("href", "#id_title")
    expect(page.locator("#id_title-error")).to_contain_text("Enter a title for your idea")
    # What was typed is kept.
    expect(page.get_by_label("Describe your idea")).to_have_value(IDEA_BODY)
    axe_check(page)
    error_link.click()
    expect(page.get_by_label("Give your idea a short title")).to_be_focused()

    page.get_by_label("Give your idea a short title").fill(IDEA_TITLE)
    page.get_by_role("button", name="Continue").click()
    similar_step = "Is your idea already here?"
    expect(h1(page)).to_have_text(re.compile(f"^(About you|{re.escape(similar_step)})$"))
    if h1(page).inner_text() == similar_step:
        page.get_by_role("button", name="Post my idea").click()
    # Her first post: "About you" is asked once, with the thanks; she answers one question.
    expect(h1(page)).to_have_text("About you")
    expect(success_banner(page)).to_contain_text("Thank you. Your idea is published.")
    axe_check(page)
    page.get_by_label("25 to 34").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(h1(page)).to_have_text(IDEA_TITLE)
    expect(success_banner(page)).to_contain_text("Thank you. Your answers are saved.")
    assert rosa.equality_answers.age_band == "25_34"
    expect(page.get_by_text("Posted by Rosa from Riverside, Riverside")).to_be_visible()
    expect(page.get_by_text("Working parents cannot come in the day.")).to_be_visible()
    expect(page.get_by_role("heading", name="0 people support this idea")).to_be_visible()
    expect(page.get_by_text("This is your idea.")).to_be_visible()
    journey_list = page.get_by_role("list", name="What has happened to this idea")
    expect(journey_list.get_by_role("listitem").nth(0)).to_contain_text("Done Submitted")
    expect(journey_list.get_by_role("listitem").nth(1)).to_contain_text("Done Published")
    axe_check(page)
    idea = Idea.objects.get(author=rosa)
    assert (idea.title, idea.status) == (IDEA_TITLE, "published")
    idea_path = route(consultation, "idea-detail", idea.pk)
    assert page.url.endswith(idea_path)

    # A second resident, whose display name is markup, signs in and takes part.
    sam = UserFactory(display_name=HOSTILE_NAME)
    other = new_page()
    sign_in(other, email=sam.email, next_path=idea_path)
    expect(h1(other)).to_have_text(IDEA_TITLE)
    expect(other.get_by_text("Posted by Rosa from Riverside")).to_be_visible()

    # An empty comment shows the comment form on its own page, with the error.
    other.get_by_role("button", name="Post comment").click()
    expect(h1(other)).to_have_text("Comment on this idea")
    expect(other.locator(".nhsuk-error-summary")).to_contain_text("Enter your comment")
    axe_check(other)
    other.get_by_label("Your comment").fill("Yes please. Tuesdays would work for me too.")
    other.get_by_role("button", name="Post comment").click()
    # His first post: he skips "About you" in one click and is back at the idea.
    expect(h1(other)).to_have_text("About you")
    expect(success_banner(other)).to_contain_text("Thank you. Your comment is published.")
    other.get_by_role("button", name="Skip these questions").click()
    expect(h1(other)).to_have_text(IDEA_TITLE)
    comment = other.get_by_role("article", name=re.compile(r"^Comment by "))
    expect(comment).to_contain_text("Tuesdays would work for me too.")
    expect(comment).to_contain_text(HOSTILE_NAME)  # shown as text, never run
    expect(other.get_by_role("heading", name="Comments (1)")).to_be_visible()

    other.get_by_role("button", name="Support this idea").click()
    expect(success_banner(other)).to_contain_text("Thank you. You support this idea.")
    expect(other.get_by_role("heading", name="1 person supports this idea")).to_be_visible()
    expect(other.get_by_text("You support this idea.", exact=True)).to_be_visible()
    expect(other.get_by_role("button", name="Take back my support")).to_be_visible()

    other.get_by_role("button", name="Follow this idea").click()
    expect(success_banner(other)).to_contain_text("You are following this idea.")
    expect(other.get_by_role("button", name="Stop following this idea")).to_be_visible()

    other.get_by_role("link", name="Report this idea to a moderator").click()
    expect(h1(other)).to_have_text("Report this idea to a moderator")
    expect(other.locator(".nhsuk-inset-text")).to_contain_text(IDEA_TITLE)
    axe_check(other)
    other.get_by_label("Off topic").check()
    other.get_by_label(re.compile(r"^Tell us more")).fill("It is about Tuesdays, not weekends.")
    other.get_by_role("button", name="Send report").click()
    expect(h1(other)).to_have_text(IDEA_TITLE)
    expect(success_banner(other)).to_contain_text(
        "Thank you for telling us. A moderator will look at it soon."
    )
    expect(other.get_by_role("heading", name="1 person supports this idea")).to_be_visible()
    axe_check(other)

    assert Comment.objects.get(idea=idea).author == sam
    assert Support.objects.filter(idea=idea, user=sam).exists()
    assert Follow.objects.filter(idea=idea, user=sam).exists()
    flag = Flag.objects.get(idea=idea)
    assert (flag.reporter, flag.reason) == (sam, FlagReason.OFF_TOPIC)
    assert flag.details == "It is about Tuesdays, not weekends."

    # The author sees the comment and the support on their idea.
    page.reload()
    expect(page.get_by_role("heading", name="1 person supports this idea")).to_be_visible()
    expect(page.get_by_role("heading", name="Comments (1)")).to_be_visible()
