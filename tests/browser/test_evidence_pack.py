"""A member of staff opens their PCN's evidence pack in the admin, prints it without the
admin around it, and reads the printable page, which passes axe and keeps to the strict
Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from consultations.models import Idea, PostStatus
from tests.browser.helpers import CSPWatcher, axe_check, journey, sign_in_to_admin
from tests.factories import UserFactory, make_consultation, make_pcn_site, make_staff

pytestmark = journey


@pytest.fixture
def staff():
    _home, index, _updates = make_pcn_site()
    consultation = make_consultation(index, phase="open", title="Evening appointments")
    for person in UserFactory.create_batch(12):
        Idea.objects.create(
            consultation=consultation,
            author=person,
            title="Later opening",
            body="Please.",
            status=PostStatus.PUBLISHED,
        )
    return make_staff(consultation.pcn)


def test_staff_print_their_evidence_pack_without_the_admin_around_it(staff, page):
    watcher = CSPWatcher(page)
    sign_in_to_admin(page, staff, next_path="/admin/evidence-packs/")
    pack = page.locator(".engage-evidence-pack")
    expect(pack).to_contain_text("1. How people were involved")
    expect(pack).to_contain_text("Evening appointments")

    # Printed from the admin: only the pack, no menus, form or buttons.
    page.emulate_media(media="print")
    expect(pack).to_be_visible()
    expect(page.get_by_role("button", name="Show")).to_be_hidden()
    expect(page.get_by_role("link", name="Download the CSV")).to_be_hidden()
    expect(page.locator("aside").first).to_be_hidden()
    # Nothing clips it: the whole pack is laid out, not the screen's height of it.
    box = pack.bounding_box()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert box["y"] < 50 and height >= box["height"] > 720
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Open the printable page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evidence pack:")
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Back to evidence packs")).to_be_hidden()
    expect(page.get_by_role("heading", name="4. What changed")).to_be_visible()
    watcher.check()
