"""An ICS priority's links in a real browser: an ICS lead opens a priority from the ICS
vision screen, links a Place priority of their system from a suggestion, with no script, and
what we wrote passes axe (WCAG 2.2 AA) with no Content-Security-Policy violation, the form's
error included. Wagtail's own admin around it is only reported."""

from django.urls import reverse
from playwright.sync_api import expect

from consultations.models import IcsPriority, IcsPriorityLink, PlacePriority
from consultations.services.places import place_site_setup
from consultations.services.systems import ics_site_setup
from tests.browser.helpers import (
    AXE_TAGS,
    CSPWatcher,
    _axe,
    axe_report,
    format_violations,
    journey,
    sign_in_to_admin,
)
from tests.factories import UserFactory, make_pcn_site

pytestmark = journey


def _place_priority(home, *, hostname, title, description):
    vision = place_site_setup(place=home.pcn.place, hostname=hostname)
    vision.save_revision().publish()
    return PlacePriority.objects.create(page=vision, title=title, description=description)


def _our_part_passes_axe(page):
    results = _axe.run(
        page,
        context={"include": [["main .nice-padding"]]},
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    assert not violations, format_violations(violations)


def test_an_ics_lead_links_a_suggested_place_priority(page):
    north, _, _ = make_pcn_site(name="North PCN", place_name="Riverbridge")
    south, _, _ = make_pcn_site(
        name="South PCN", hostname="south.localhost", default=False, place_name="Hillside"
    )
    near = _place_priority(
        north,
        hostname="riverbridge.localhost",
        title="Appointments closer to home",
        description="Care near where people live.",
    )
    _place_priority(
        south, hostname="hillside.localhost", title="Parking spaces", description="More parking."
    )
    ics = north.pcn.place.integrated_care_system
    vision = ics_site_setup(ics=ics, hostname="ics.localhost")
    vision.save_revision().publish()
    priority = IcsPriority.objects.create(
        page=vision, title="Care closer to home", description="Appointments near people."
    )
    ics.refresh_from_db()
    lead = UserFactory(groups=[ics.lead_group])
    watcher = CSPWatcher(page)
    sign_in_to_admin(page, lead, next_path=reverse("ics_vision:index"))

    page.get_by_role("link", name="Link Place priorities to Care closer to home").click()
    expect(page.get_by_role("heading", name="May be about the same thing")).to_be_visible()
    watcher.check()
    _our_part_passes_axe(page)
    axe_report(page, [])

    # Nothing chosen: said in words, nothing linked.
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.get_by_text("Choose a Place priority to link.").first).to_be_visible()
    _our_part_passes_axe(page)
    assert not IcsPriorityLink.objects.exists()

    page.get_by_role("button", name='Link "Appointments closer to home"').click()
    expect(page.get_by_text("now cites")).to_be_visible()
    row = page.get_by_role("row", name="Appointments closer to home (Riverbridge)", exact=False)
    expect(row).to_be_visible()
    assert IcsPriorityLink.objects.get().place_priority == near
    watcher.check()
    _our_part_passes_axe(page)

    row.get_by_role("button", name="Take away").click()
    expect(page.get_by_text("The link was taken away.")).to_be_visible()
    assert not IcsPriorityLink.objects.exists()
    watcher.check()
    assert priority.links.count() == 0
