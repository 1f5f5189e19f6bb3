"""An ICS lead's screens in a real browser: from the ICS vision screen to who took part across
their integrated care system and to its charts, a period chosen with no script, and what we
wrote passes axe (WCAG 2.2 AA) with no Content-Security-Policy violation. Wagtail's own admin
around it is only reported."""

from django.urls import reverse
from playwright.sync_api import expect

from consultations.models import Channel
from tests.browser.helpers import (
    AXE_TAGS,
    CSPWatcher,
    _axe,
    axe_report,
    format_violations,
    journey,
    sign_in_to_admin,
)
from tests.charts.conftest import add_ideas
from tests.factories import make_consultation, make_pcn_site
from tests.places.test_place_who_took_part import patients, people, post
from tests.systems.conftest import make_ics_lead

pytestmark = journey


def _check_axe(page):
    results = _axe.run(
        page,
        context={"include": [["main .nice-padding"]]},
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    assert not violations, format_violations(violations)
    axe_report(page, [])


def test_an_ics_lead_reads_who_took_part_and_the_charts_across_their_ics(page, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    north, north_index, _ = make_pcn_site(name="North PCN", place_name="Riverbridge")
    south, south_index, _ = make_pcn_site(
        name="South PCN", hostname="south.localhost", default=False, place_name="Riverbridge"
    )
    east, east_index, _ = make_pcn_site(
        name="East PCN", hostname="east.localhost", default=False, place_name="Eastbridge"
    )
    both = people(14)
    evening = make_consultation(north_index, title="Evening hours")
    post(evening, both)
    post(make_consultation(south_index, title="Weekend hours"), [*both, *people(3)])
    post(make_consultation(east_index, title="Clinic hours"), people(20))
    add_ideas(evening, 5, channel=Channel.PAPER)
    for home in (north, south, east):
        patients(home.pcn, 6000)
    ics = north.pcn.place.integrated_care_system
    lead = make_ics_lead(ics)
    watcher = CSPWatcher(page)
    sign_in_to_admin(page, lead, next_path=reverse("ics_vision:index"))

    page.get_by_role("link", name=f"Who took part across {ics.name}").click()
    expect(page.get_by_text("37 people took part across 2 Places and 3 PCNs")).to_be_visible()
    places = page.get_by_role("table", name="People who took part in each Place", exact=False)
    expect(places.get_by_role("row", name="Riverbridge 12000 31 2.6")).to_be_visible()
    pcns = page.get_by_role("table", name="each of Riverbridge's PCNs", exact=False)
    expect(pcns.get_by_role("row", name="North PCN 6000 14 2.3")).to_be_visible()
    watcher.check()
    _check_axe(page)

    # A wrong date: said in words, what was typed kept, no script needed.
    page.get_by_label("From", exact=True).fill("2026-05-01")
    page.get_by_label("To", exact=True).fill("2026-04-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    watcher.check()

    # The charts: the Places side by side, drawn on the server with their tables.
    page.goto(reverse("ics_vision:index"))
    page.get_by_role("link", name=f"Charts: {ics.name}'s Places side by side").click()
    chart = page.get_by_role("img", name="Ideas by how they reached us, by Place", exact=False)
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name="Published ideas by Place and channel", exact=False)
    expect(table.get_by_role("row", name="Riverbridge 31 5 0 0")).to_be_visible()
    bar = page.locator("section[aria-labelledby='ics-channels'] rect.engage-chart__series--1")
    assert bar.first.evaluate("e => getComputedStyle(e).fill") == "rgb(0, 94, 184)"
    expect(page.get_by_role("link", name="East PCN")).to_be_visible()
    watcher.check()
    _check_axe(page)
