"""A resident downloads their data, then deletes their account and keeps their idea.

Account settings → Download your data (a JSON file the browser saves) → Delete your account
(a wrong password first, then the right one, keeping the idea without their name) → the
idea's page, which a visitor had open before, now says "A resident". axe checks each page.
"""

import json
import re
from pathlib import Path

from playwright.sync_api import expect

from consultations.models import Idea, ModerationMode, PostStatus
from engage.models import User
from tests.browser.helpers import PASSWORD, axe_check, journey, route, sign_in
from tests.factories import UserFactory, make_consultation, make_pcn_site

pytestmark = journey


def test_a_resident_downloads_their_data_and_deletes_their_account(page, new_page):
    _, consultations, _ = make_pcn_site(name="Riverside PCN")
    consultation = make_consultation(consultations, moderation_mode=ModerationMode.POST)
    resident = UserFactory(display_name="Robin Ashdown")
    idea = Idea.objects.create(
        consultation=consultation,
        author=resident,
        title="A bench outside the pharmacy",
        body="Somewhere to sit while waiting.",
        status=PostStatus.PUBLISHED,
    )
    idea_url = route(consultation, "idea-detail", idea.pk)
    visitor = new_page()
    visitor.goto(idea_url)
    expect(visitor.get_by_text("Robin Ashdown")).to_be_visible()

    sign_in(page, email=resident.email)
    page.goto("/accounts/your-data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Download your data")
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download your data").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == resident.email
    assert [i["title"] for i in data["ideas"]] == ["A bench outside the pharmacy"]

    page.goto("/accounts/delete/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    axe_check(page)
    page.get_by_label(re.compile("Keep them without my name")).check()
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("The password is not right")
    expect(page).to_have_title(re.compile("^Error: "))
    axe_check(page)
    assert User.objects.filter(pk=resident.pk).exists()

    page.get_by_label(re.compile("Keep them without my name")).check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account has been deleted")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    axe_check(page)
    assert not User.objects.filter(pk=resident.pk).exists()

    visitor.reload()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("A bench outside the pharmacy")
    expect(visitor.get_by_text("Robin Ashdown")).to_have_count(0)
    expect(visitor.get_by_text("A resident").first).to_be_visible()
