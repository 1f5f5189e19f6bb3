"""The Charts screen in a real browser: the charts are drawn with their colours from the
static stylesheet (no inline style, no Content-Security-Policy violation), and what we
wrote passes axe (WCAG 2.2 AA). Wagtail's own admin around it is only reported, as in the
other admin journeys."""

from django.urls import reverse
from playwright.sync_api import expect

from consultations.models import Channel
from home.models import Practice
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
from tests.factories import make_consultation, make_pcn_site, make_staff

pytestmark = journey


def test_staff_read_their_pcns_charts_drawn_on_the_server(page):
    home, consultations, _ = make_pcn_site(name="Meadowbank PCN")
    consultation = make_consultation(consultations, phase="closed", title="Opening hours")
    practice = Practice.objects.create(pcn=home.pcn, name="Abbey Surgery", ods_code="Y40001")
    add_ideas(consultation, 14, practice=practice, comments=1)
    add_ideas(consultation, 3, channel=Channel.PAPER, days_ago=40)
    staff = make_staff(home.pcn)
    watcher = CSPWatcher(page)
    url = reverse("charts:pcn", args=[home.pcn.pk])
    sign_in_to_admin(page, staff, next_path=url)

    chart = page.get_by_role("img", name="Ideas by how they reached us", exact=False)
    expect(chart).to_be_visible()
    bar = page.locator("section[aria-labelledby='pcn-channels'] rect.engage-chart__series--1")
    # NHS blue, from static/css/charts.css: the stylesheet loaded and no style attribute.
    assert bar.first.evaluate("e => getComputedStyle(e).fill") == "rgb(0, 94, 184)"
    table = page.get_by_role("table", name="Published ideas by channel", exact=False)
    expect(table.get_by_role("row", name="Paper form 3")).to_be_visible()
    watcher.check()

    # What this screen adds must pass axe; Wagtail's frame around it is only reported.
    results = _axe.run(
        page,
        context={"include": [["main .nice-padding"]]},
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    assert not violations, format_violations(violations)
    axe_report(page, [])

    # A bad period: the error is said in words, and the page still works.
    page.goto(url + "?months=abc")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(
        page.get_by_text("Enter the number of months as a whole number from 1 to 24").first
    ).to_be_visible()
