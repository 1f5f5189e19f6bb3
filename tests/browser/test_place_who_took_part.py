"""Who took part across a Place in a real browser: a place lead reaches it from where they
land, chooses a period with no script, and what we wrote passes axe (WCAG 2.2 AA) with no
Content-Security-Policy violation. Wagtail's own admin around it is only reported."""

from django.urls import reverse
from playwright.sync_api import expect

from consultations.services.places import place_site_setup
from tests.browser.helpers import (
    AXE_TAGS,
    CSPWatcher,
    _axe,
    axe_report,
    format_violations,
    journey,
    sign_in_to_admin,
)
from tests.factories import UserFactory, make_consultation, make_pcn_site
from tests.places.test_place_who_took_part import patients, people, post

pytestmark = journey


def test_a_place_lead_reads_who_took_part_across_their_place(page, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    north, north_index, _ = make_pcn_site(name="North PCN", place_name="Riverbridge")
    south, south_index, _ = make_pcn_site(
        name="South PCN", hostname="south.localhost", default=False, place_name="Riverbridge"
    )
    both = people(14)
    post(make_consultation(north_index, title="Evening hours"), both)
    post(make_consultation(south_index, title="Weekend hours"), [*both, *people(3)])
    patients(north.pcn, 6000)
    patients(south.pcn, 6000)
    place = north.pcn.place
    place_site_setup(place=place, hostname="place.localhost")
    place.refresh_from_db()
    lead = UserFactory(groups=[place.lead_group])
    watcher = CSPWatcher(page)
    sign_in_to_admin(page, lead, next_path=reverse("place_vision:index"))

    page.get_by_role("link", name="Who took part across Riverbridge").click()
    expect(page.get_by_text("17 people took part across 2 PCNs")).to_be_visible()
    table = page.get_by_role("table", name="People who took part in each PCN", exact=False)
    expect(table.get_by_role("row", name="North PCN 6000 14 2.3")).to_be_visible()
    watcher.check()
    results = _axe.run(
        page,
        context={"include": [["main .nice-padding"]]},
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    assert not violations, format_violations(violations)
    axe_report(page, [])

    # A wrong date: said in words, what was typed kept, no script needed.
    page.get_by_label("From", exact=True).fill("2026-05-01")
    page.get_by_label("To", exact=True).fill("2026-04-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(
        page.get_by_text("The start date must be on or before the end date").first
    ).to_be_visible()
    watcher.check()
