"""A visitor finds the accessibility statement from any page's footer; axe checks it."""

from playwright.sync_api import expect

from tests.browser.helpers import axe_check, journey
from tests.factories import make_pcn_site

pytestmark = journey


def test_a_visitor_reads_the_accessibility_statement(page):
    home, _, _ = make_pcn_site(name="Riverside PCN")
    home.pcn.contact_email = "engage@riverside.example.nhs.uk"
    home.pcn.save()
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accessibility statement for Riverside PCN's Engage site"
    )
    expect(page.get_by_role("link", name="engage@riverside.example.nhs.uk").first).to_be_visible()
    axe_check(page)
