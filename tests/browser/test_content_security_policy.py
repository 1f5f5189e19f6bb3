"""The Content-Security-Policy holds in a real browser: Chromium reports no violation on the
public pages (visitor, resident, and an admin seeing Wagtail's user bar) or on the Wagtail
admin's screens, including the page editor with its date pickers and rich text, choosers in
modals, and our moderation screens."""

from django.utils import timezone
from playwright.sync_api import expect

from consultations import services
from consultations.models import PostStatus, Theme
from tests.browser.helpers import CSPWatcher, journey, route, sign_in, sign_in_to_admin
from tests.factories import UserFactory, make_admin, make_consultation, make_pcn_site

pytestmark = journey


def make_site():
    home, consultations, updates = make_pcn_site(name="Brookside PCN")
    consultation = make_consultation(consultations, title="Evening appointments")
    author = UserFactory(display_name="Priya")
    idea = services.idea_submit(
        consultation=consultation,
        author=author,
        title="Open until 8pm",
        body="For people who work.",
        neighbourhood=consultation.neighbourhoods.first(),
    )
    idea.status = PostStatus.PUBLISHED
    idea.published_at = timezone.now()
    idea.save()
    Theme.objects.create(consultation=consultation, name="Later hours", summary="Evenings.")
    return {"home": home, "consultation": consultation, "updates": updates, "idea": idea}


def visit(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status < 400, (path, response and response.status)
    page.wait_for_load_state("networkidle")


def test_public_pages_raise_no_csp_violations(page, new_page):
    site = make_site()
    consultation, idea = site["consultation"], site["idea"]
    watcher = CSPWatcher(page)
    for path in (
        "/",
        consultation.url,
        route(consultation, "idea-detail", idea.pk),
        site["updates"].url,
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/password/reset/",
        # The open data API's documentation, rendered on the server with no script.
        "/api/v1/docs/",
    ):
        visit(page, path)
    # A missing page, and a signed-in resident's forms.
    page.goto("/no-such-page/")
    resident = UserFactory()
    sign_in(page, email=resident.email)
    visit(page, route(consultation, "idea-create"))
    visit(page, "/accounts/profile/")
    visit(page, "/accounts/2fa/")
    watcher.check()

    # An admin on the public site sees Wagtail's user bar; it keeps to the policy too.
    admin_page = new_page()
    admin_watcher = CSPWatcher(admin_page)
    sign_in_to_admin(admin_page, make_admin())
    visit(admin_page, consultation.url)
    admin_page.locator("[data-wagtail-userbar-trigger], #wagtail-userbar-trigger").first.wait_for(
        state="attached"
    )
    admin_watcher.check()


def test_admin_screens_raise_no_csp_violations(page):
    site = make_site()
    consultation, home = site["consultation"], site["home"]
    watcher = CSPWatcher(page)
    sign_in_to_admin(page, make_admin())
    theme = Theme.objects.get()
    for path in (
        "/admin/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{consultation.pk}/edit/",
        f"/admin/pages/add/consultations/updatepage/{site['updates'].pk}/",
        "/admin/moderation/ideas/",
        "/admin/moderation/comments/",
        f"/admin/moderation/ideas/{site['idea'].pk}/",
        f"/admin/moderation/ideas/{site['idea'].pk}/history/",
        f"/admin/bulk/consultations/idea/hide/?id={site['idea'].pk}&next=/admin/moderation/ideas/",
        f"/admin/snippets/consultations/theme/?consultation={consultation.pk}",
        f"/admin/snippets/consultations/theme/edit/{theme.pk}/",
        f"/admin/snippets/consultations/theme/ideas/{theme.pk}/",
        f"/admin/snippets/consultations/theme/assign/{consultation.pk}/",
        f"/admin/snippets/consultations/theme/suggestions/{consultation.pk}/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/snippets/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/reports/site-history/",
        "/admin/account/",
        f"/admin/pages/{consultation.pk}/view_draft/",
    ):
        visit(page, path)
    watcher.check()

    # The page editor's widgets at work: a date picker, rich text, a chooser in a modal.
    visit(page, f"/admin/pages/{consultation.pk}/edit/")
    page.locator("input[name='opens_at']").click()
    expect(page.locator(".xdsoft_datetimepicker >> visible=true")).to_have_count(1)
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("has been updated")
    visit(page, f"/admin/pages/add/consultations/updatepage/{site['updates'].pk}/")
    editor = page.locator(".Draftail-Editor [contenteditable='true']").first
    editor.click()
    page.keyboard.type("Residents asked for evening appointments.")
    visit(page, f"/admin/pages/{consultation.pk}/move/")
    watcher.check()
