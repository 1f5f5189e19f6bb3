"""A visitor shares an idea without an account: the form (a mistake first), "check your
email", the code typed in the same browser; a second visitor comments and confirms with the
email's link opened in another browser. axe checks every page on the way. Then the same
without JavaScript.
"""

import re

from playwright.sync_api import expect

from consultations.models import Comment, Idea, ModerationMode, PostStatus
from tests.browser.helpers import axe_check, journey, link_in, path_of, route
from tests.factories import make_consultation, make_pcn_site

pytestmark = journey

IDEA_TITLE = "Evening appointments on Tuesdays"


def h1(page):
    return page.get_by_role("heading", level=1)


def code_in(body: str) -> str:
    return re.search(r"^(\d{6})$", body, re.MULTILINE)[1]


def test_a_visitor_shares_an_idea_and_a_comment_without_an_account(page, new_page, mailoutbox):
    _, consultations, _ = make_pcn_site(name="Riverside PCN")
    consultation = make_consultation(
        consultations,
        title="Evening and weekend appointments",
        moderation_mode=ModerationMode.POST,
    )

    page.goto(consultation.url)
    page.get_by_role("link", name="Share an idea without an account").click()
    expect(h1(page)).to_have_text("Share an idea without an account")
    axe_check(page)

    # A mistake first: no email address. What was typed stays.
    page.get_by_label("Give your idea a short title").fill(IDEA_TITLE)
    page.get_by_label("Describe your idea").fill("Please open until 8pm on Tuesdays.")
    page.get_by_label("Which neighbourhood is it about?").select_option(label="Riverside")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link", name="Enter your email address")).to_have_attribute(
        "href", "#id_email"
    )
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("Describe your idea")).to_have_value(
        "Please open until 8pm on Tuesdays."
    )
    axe_check(page)

    page.get_by_label("Your email address").fill("sam@example.org")
    page.get_by_role("button", name="Continue").click()
    expect(h1(page)).to_have_text("Check your email")
    expect(page.get_by_text("sam@example.org")).to_be_visible()
    axe_check(page)
    assert not Idea.objects.exists()

    # A wrong code, then the right one.
    [message] = mailoutbox
    page.get_by_label("Code from the email").fill(
        "000000" if code_in(message.body) != "000000" else "111111"
    )
    page.get_by_role("button", name="Confirm and send").click()
    expect(page.locator("#id_code-error")).to_contain_text("The code is not right")
    axe_check(page)
    page.get_by_label("Code from the email").fill(code_in(message.body))
    page.get_by_role("button", name="Confirm and send").click()
    expect(h1(page)).to_have_text(IDEA_TITLE)
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Your idea is published"
    )
    expect(page.get_by_text("Posted by A resident")).to_be_visible()
    assert "sam@example.org" not in page.content()
    axe_check(page)
    idea = Idea.objects.get()
    assert idea.status == PostStatus.PUBLISHED

    # Another visitor comments, and confirms with the link, opened in another browser.
    other = new_page()
    other.goto(route(consultation, "idea-detail", idea.pk))
    other.get_by_role("link", name="Comment without an account").click()
    expect(h1(other)).to_have_text("Comment on this idea without an account")
    axe_check(other)
    other.get_by_label("Your comment").fill("Tuesdays would suit me too.")
    other.get_by_label("Your email address").fill("alex@example.org")
    other.get_by_role("button", name="Continue").click()
    expect(h1(other)).to_have_text("Check your email")
    link = link_in(mailoutbox[-1].body, r"/take-part/confirm/")
    phone = new_page()
    phone.goto(path_of(link))
    expect(h1(phone)).to_have_text("Confirm and send your comment")
    expect(phone.get_by_text("Tuesdays would suit me too.")).to_be_visible()
    axe_check(phone)
    assert not Comment.objects.exists()  # opening the link sends nothing
    phone.get_by_role("button", name="Confirm and send").click()
    expect(phone.get_by_text("Tuesdays would suit me too.")).to_be_visible()
    expect(phone.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Your comment is published"
    )
    # Used once: the link now says it does not work, clearly.
    phone.goto(path_of(link))
    expect(h1(phone)).to_have_text("This link does not work")
    axe_check(phone)


def test_without_javascript_the_link_confirms_an_idea(nojs_page, mailoutbox):
    page = nojs_page
    _, consultations, _ = make_pcn_site(name="Riverside PCN")
    consultation = make_consultation(consultations, title="Evening appointments")
    page.goto(route(consultation, "idea-create-no-account"))
    page.get_by_label("Give your idea a short title").fill(IDEA_TITLE)
    page.get_by_label("Describe your idea").fill("Please open until 8pm on Tuesdays.")
    page.get_by_label("Which neighbourhood is it about?").select_option(label="Riverside")
    page.get_by_label("Your email address").fill("sam@example.org")
    page.get_by_role("button", name="Continue").click()
    expect(h1(page)).to_have_text("Check your email")
    page.goto(path_of(link_in(mailoutbox[-1].body, r"/take-part/confirm/")))
    page.get_by_role("button", name="Confirm and send").click()
    expect(page.get_by_text("Your idea is waiting for a moderator")).to_be_visible()
    assert Idea.objects.get().status == PostStatus.PENDING
