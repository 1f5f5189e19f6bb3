"""The clinical safety panel in a real browser: without JavaScript (every step a plain form)
and with it (the panel takes the focus, and axe finds nothing wrong with it)."""

from django.core import mail
from playwright.sync_api import expect

from consultations.models import Idea, ModerationMode, PostStatus, SafetyHold
from engage.models import OutgoingEmail
from tests.browser.helpers import axe_check, journey, route, sign_in
from tests.factories import UserFactory, make_consultation, make_pcn_site

pytestmark = journey

URGENT = "My dad has crushing chest pain right now and the surgery never answers the phone"
# Markup is stripped on the way in (engage/text.py); what survives and must be escaped in
# the highlights: angle brackets, ampersands and quotes that are not tags.
HOSTILE_PERSONAL = 'ring me on 07700 900123 if 1 < 2 & "x" > 0'


def _setup():
    home, consultations, _ = make_pcn_site(name="Riverside PCN")
    home.pcn.safeguarding_contact_email = "safeguarding@riverside.example.org"
    home.pcn.save()
    consultation = make_consultation(
        consultations, title="Evening appointments", moderation_mode=ModerationMode.POST
    )
    return consultation, UserFactory(display_name="Kim")


def _fill_idea(page, consultation, *, title, body):
    page.goto(route(consultation, "idea-create"))
    page.get_by_label("Give your idea a short title").fill(title)
    page.get_by_label("Describe your idea").fill(body)
    page.get_by_label("Which neighbourhood is it about?").select_option(label="Hillcrest")
    page.get_by_role("button", name="Continue").click()


def test_the_urgent_panel_and_send_anyway_work_without_javascript(nojs_page):
    page = nojs_page
    consultation, resident = _setup()
    sign_in(page, email=resident.email, next_path=consultation.url)
    _fill_idea(page, consultation, title="Help with appointments", body=URGENT)

    panel = page.locator("#safety-check")
    expect(panel).to_contain_text("If you or someone else needs help now")
    expect(panel).to_contain_text("This site is not watched in real time")
    for number in ("999", "NHS 111", "116 123"):
        expect(panel).to_contain_text(number)
    expect(panel.locator("q").first).to_have_text("crushing chest")
    # The text is kept exactly as typed, for an edit.
    expect(page.get_by_label("Describe your idea")).to_have_value(URGENT)
    assert not Idea.objects.exists()

    page.get_by_role("button", name="Send anyway").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "waiting for a moderator"
    )
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("116 123")
    idea = Idea.objects.get(author=resident)
    assert idea.status == PostStatus.PENDING
    hold = SafetyHold.objects.get(idea=idea)
    assert hold.urgent and hold.alerted_at is not None
    assert OutgoingEmail.objects.filter(key=f"safety-hold:{hold.pk}:contact").exists()
    assert [m.to for m in mail.outbox] == [["safeguarding@riverside.example.org"]]


def test_the_panel_takes_the_focus_and_passes_axe_with_hostile_text(page):
    consultation, resident = _setup()
    sign_in(page, email=resident.email, next_path=consultation.url)
    _fill_idea(page, consultation, title="Appointments", body=URGENT + "\n" + HOSTILE_PERSONAL)

    panel = page.locator("#safety-check")
    expect(panel).to_be_focused()
    expect(panel.locator(".nhsuk-card--care--emergency")).to_be_visible()
    expect(panel.locator(".nhsuk-warning-callout")).to_contain_text("Phone number")
    # The hostile text is shown as text, never run or rendered as markup.
    expect(panel.locator(".engage-safety-text")).to_contain_text('if 1 < 2 & "x" > 0')
    assert page.locator(".engage-safety-text img").count() == 0
    axe_check(page)

    # An edit that takes the words out sends it as usual.
    page.get_by_label("Describe your idea").fill("Evening appointments would help my dad.")
    page.get_by_role("button", name="Check again and send").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Your idea is published"
    )
    idea = Idea.objects.get(author=resident)
    assert idea.status == PostStatus.PUBLISHED
    assert not SafetyHold.objects.exists()
