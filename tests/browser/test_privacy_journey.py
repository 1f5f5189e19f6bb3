"""A resident downloads their data and deletes their account, with JavaScript off: plain
forms, an NHS.UK error summary, and pages axe finds no WCAG 2.2 AA problems on."""

from playwright.sync_api import expect

from consultations.models import Idea, PostStatus
from engage.models import User
from home.models import PrivacyNoticePage
from tests.browser.helpers import PASSWORD, axe_check, journey, sign_in
from tests.factories import UserFactory, make_consultation, make_pcn_site

pytestmark = journey


def test_downloading_data_and_deleting_an_account_without_javascript(nojs_page):
    page = nojs_page
    home, consultations, _ = make_pcn_site(name="Riverside PCN")
    notice = home.add_child(
        instance=PrivacyNoticePage(
            title="Privacy notice",
            summary="We look after your information.",
            body="<p>What we collect.</p>",
            last_reviewed="2026-01-15",
        )
    )
    consultation = make_consultation(consultations, title="Evening appointments")
    resident = UserFactory(display_name="Kim")
    Idea.objects.create(
        consultation=consultation,
        author=resident,
        title="Open on Saturdays",
        body="Please.",
        status=PostStatus.PUBLISHED,
    )

    page.goto(notice.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    axe_check(page)

    sign_in(page, email=resident.email, next_path="/accounts/profile/")
    page.get_by_role("button", name="Download your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download your data")
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download your data").click()
    assert download.value.suggested_filename.startswith("engage-my-data-")

    page.get_by_role("link", name="Delete your account").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    axe_check(page)
    page.get_by_role("button", name="Delete my account").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Choose what should happen to your ideas and comments")
    expect(summary).to_contain_text("Enter your password")
    axe_check(page)

    page.get_by_label("Keep them without my name").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account has been deleted")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert not User.objects.filter(pk=resident.pk).exists()
    assert Idea.objects.get(title="Open on Saturdays").author is None
