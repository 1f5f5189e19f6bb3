"""An integrated care system's charts (`charts:ics`, consultations/viewsets/charts.py): its
Places side by side, each its PCNs' sum, with its Places and PCNs listed; its leads and admins
only; private consultations and other ICSs left out; the CSV; a query count that does not grow
with the Places, PCNs or ideas."""

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Channel, UpdatePage
from tests.charts.conftest import add_ideas
from tests.factories import UserFactory, make_consultation, make_moderator, make_pcn_site
from tests.systems.conftest import make_ics_lead

pytestmark = pytest.mark.django_db


def ics_url(ics, **query):
    url = reverse("charts:ics", args=[ics.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def table(soup, slug) -> list[list[str]]:
    section = soup.find("section", {"aria-labelledby": f"ics-{slug}"})
    return [
        [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
        for row in section.find("table").find_all("tr")
    ]


def soup_of(response):
    assert response.status_code == 200, response.content[:300]
    return BeautifulSoup(response.content, "html.parser")


# Who may see what


def test_an_ics_lead_sees_their_own_ics_and_its_places_and_pcns(client, systems):
    client.force_login(systems.ics_lead)
    assert client.get(ics_url(systems.ics)).status_code == 200
    csv_url = reverse("charts:ics_csv", args=[systems.ics.pk, "channels"])
    assert client.get(csv_url).status_code == 200
    for place in (systems.riverbridge, systems.otherbridge):
        assert client.get(reverse("charts:place", args=[place.pk])).status_code == 200
    assert client.get(reverse("charts:pcn", args=[systems.one.pcn.pk])).status_code == 200
    # Another ICS, its Place and its PCN: not found.
    assert client.get(ics_url(systems.other_ics)).status_code == 404
    assert (
        client.get(reverse("charts:ics_csv", args=[systems.other_ics.pk, "channels"])).status_code
        == 404
    )
    place = systems.elsewhere.pcn.place
    assert client.get(reverse("charts:place", args=[place.pk])).status_code == 404
    assert client.get(reverse("charts:pcn", args=[systems.elsewhere.pcn.pk])).status_code == 404


def test_admins_see_every_ics(client, systems):
    client.force_login(systems.admin)
    for ics in (systems.ics, systems.other_ics):
        assert client.get(ics_url(ics)).status_code == 200


def test_place_leads_and_pcn_staff_are_not_shown_an_ics(client, systems):
    for person in (systems.place_lead, systems.staff):
        client.force_login(person)
        assert client.get(ics_url(systems.ics)).status_code == 404
        csv_url = reverse("charts:ics_csv", args=[systems.ics.pk, "themes"])
        assert client.get(csv_url).status_code == 404
        assert ics_url(systems.ics) not in client.get(reverse("charts:index")).content.decode()


@pytest.mark.parametrize("who", ["moderator", "resident", "visitor"])
def test_moderators_residents_and_visitors_are_refused(client, systems, who):
    if who == "moderator":
        client.force_login(make_moderator(systems.one.pcn))
    elif who == "resident":
        client.force_login(UserFactory())
    for url in (ics_url(systems.ics), reverse("charts:ics_csv", args=[systems.ics.pk, "themes"])):
        response = client.get(url)
        assert response.status_code == 302, url
        expected = reverse("wagtailadmin_home") if who == "moderator" else "/admin/login/"
        assert response["Location"].startswith(expected), url


@pytest.mark.parametrize("pk", ["abc", "0", "99999999", "-1"])
def test_a_bad_or_unknown_ics_is_not_found(client, systems, pk):
    client.force_login(systems.admin)
    assert client.get(f"/admin/charts/ics/{pk}/").status_code == 404


def test_the_index_lists_the_ics_its_places_and_pcns_for_its_lead(client, systems):
    client.force_login(systems.ics_lead)
    page = client.get(reverse("charts:index")).content.decode()
    assert ics_url(systems.ics) in page
    assert ics_url(systems.other_ics) not in page
    assert reverse("charts:place", args=[systems.otherbridge.pk]) in page
    assert reverse("charts:pcn", args=[systems.two.pcn.pk]) in page
    assert "OTHERICS" not in page


# What the figures count


def test_the_ics_compares_its_places_and_lists_its_pcns(client, systems):
    add_ideas(systems.one.consultation, 4, comments=1)
    add_ideas(systems.two.consultation, 2, channel=Channel.PHONE)
    add_ideas(systems.other.consultation, 3, channel=Channel.PAPER, comments=2)
    add_ideas(systems.private, 7)  # PCN one's private consultation: not counted
    add_ideas(systems.elsewhere.consultation, 50)  # another ICS
    client.force_login(systems.ics_lead)
    soup = soup_of(client.get(ics_url(systems.ics)))
    months = table(soup, "contributions")
    assert months[0] == ["Month", "Otherbridge", "Riverbridge"]
    # Riverbridge: North's 4 ideas and 4 comments, South's 2 ideas; Otherbridge 3 and 6.
    assert [sum(int(row[n]) for row in months[1:]) for n in (1, 2)] == [9, 10]
    assert table(soup, "channels")[1:] == [
        ["Otherbridge", "0", "3", "0", "0"],
        ["Riverbridge", "4", "0", "2", "0"],
    ]
    listing = soup.find("section", {"aria-labelledby": "ics-places"})
    links = {a.get_text(strip=True): a["href"] for a in listing.find_all("a")}
    assert links["North PCN"] == reverse("charts:pcn", args=[systems.one.pcn.pk])
    assert links["South PCN"] == reverse("charts:pcn", args=[systems.two.pcn.pk])
    assert links["OTHERPLACE PCN"] == reverse("charts:pcn", args=[systems.other.pcn.pk])
    assert links["Riverbridge's PCNs side by side"] == reverse(
        "charts:place", args=[systems.riverbridge.pk]
    )
    html = soup.decode()
    for secret in ("OTHERICS", "PRIVATECONSULTATION", "PRIVATETHEME"):
        assert secret not in html


def test_themes_answered_and_days_to_respond_by_place(client, systems):
    consultation = systems.one.consultation  # closed a day ago, one theme
    update = UpdatePage(
        title="We heard you", you_said="<p>x</p>", we_did="<p>y</p>", consultation=consultation
    )
    index = systems.one.home.get_children().get(title="You said, we did").specific
    index.add_child(instance=update)
    update.themes.set([systems.one.theme])
    update.save_revision().publish()
    UpdatePage.objects.filter(pk=update.pk).update(
        first_published_at=consultation.closes_at + timedelta(days=6, hours=1)
    )
    client.force_login(systems.ics_lead)
    soup = soup_of(client.get(ics_url(systems.ics)))
    # Riverbridge: North's theme answered, South's not; the private theme not counted.
    assert table(soup, "themes")[1:] == [["Otherbridge", "0", "1"], ["Riverbridge", "1", "1"]]
    assert table(soup, "days-to-respond")[1:] == [
        ["Otherbridge", "no response yet"],
        ["Riverbridge", "6"],
    ]


def test_every_chart_downloads_as_csv_with_its_tables_figures(client, systems):
    add_ideas(systems.two.consultation, 2, channel=Channel.PHONE)
    client.force_login(systems.ics_lead)
    soup = soup_of(client.get(ics_url(systems.ics)))
    sections = soup.find_all("section", {"aria-labelledby": lambda v: v and v.startswith("ics-")})
    slugs = [s["aria-labelledby"].removeprefix("ics-") for s in sections if s.find("svg")]
    assert slugs == ["contributions", "channels", "themes", "days-to-respond"]
    for slug in slugs:
        response = client.get(reverse("charts:ics_csv", args=[systems.ics.pk, slug]))
        assert response["Content-Type"].startswith("text/csv")
        assert "test-ics-" in response["Content-Disposition"]
        text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
        assert list(csv.reader(io.StringIO(text))) == table(soup, slug)
    unknown = client.get(reverse("charts:ics_csv", args=[systems.ics.pk, "practices"]))
    assert unknown.status_code == 404


def test_a_bad_period_is_refused_with_a_clear_message(client, systems):
    client.force_login(systems.ics_lead)
    response = client.get(ics_url(systems.ics, months="99"))
    assert response.status_code == 400
    assert "Enter a number of months from 1 to 24" in response.content.decode()
    csv_url = reverse("charts:ics_csv", args=[systems.ics.pk, "channels"]) + "?months=x"
    assert client.get(csv_url).status_code == 400


# Queries


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("kind", ["page", "csv"])
def test_the_query_count_does_not_grow_with_the_places_pcns_or_ideas(client, systems, kind):
    client.force_login(systems.ics_lead)
    url = {
        "page": ics_url(systems.ics),
        "csv": reverse("charts:ics_csv", args=[systems.ics.pk, "contributions"]),
    }[kind]
    add_ideas(systems.one.consultation, 2, comments=1)
    _queries(client, url)  # warm the caches every admin page fills once
    few = _queries(client, url)
    for n in range(3):
        _home, index, _ = make_pcn_site(
            name=f"Grown PCN {n}",
            hostname=f"grown{n}.example",
            default=False,
            place_name=f"Grownplace {n % 2}",
        )
        consultation = make_consultation(
            index, phase="closed", closes_at=timezone.now() - timedelta(days=2)
        )
        for days in (3, 40, 100):
            add_ideas(consultation, 20, comments=2, days_ago=days, channel=Channel.MEETING)
    add_ideas(systems.two.consultation, 30, days_ago=60)
    _queries(client, url)  # new sites: Wagtail reads its sites' root paths again once
    assert _queries(client, url) == few


def test_an_ics_lead_of_a_second_ics_sees_both(client, systems):
    person = make_ics_lead(systems.ics)
    person.groups.add(systems.other_ics.lead_group)
    client.force_login(person)
    for ics in (systems.ics, systems.other_ics):
        assert client.get(ics_url(ics)).status_code == 200
