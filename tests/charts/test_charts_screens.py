"""The Charts screens (consultations/viewsets/charts.py): who sees which PCN or Place, what
the figures count, small numbers hidden by practice, the SVG and its table, the CSV, bad
input, and a query count that does not grow with the number of ideas."""

import csv
import io
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Channel, PostStatus, UpdatePage
from tests.charts.conftest import add_ideas, make_practice
from tests.factories import UserFactory, make_moderator, make_pcn_lead


def pcn_url(pcn, **query):
    url = reverse("charts:pcn", args=[pcn.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def place_url(place):
    return reverse("charts:place", args=[place.pk])


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def table(soup, slug, kind="pcn") -> list[list[str]]:
    section = soup.find("section", {"aria-labelledby": f"{kind}-{slug}"})
    return [
        [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
        for row in section.find("table").find_all("tr")
    ]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


# Who may see what


def test_staff_and_leads_see_their_own_pcn_only(client, world):
    client.force_login(world.staff)
    assert client.get(pcn_url(world.one.pcn)).status_code == 200
    assert client.get(pcn_url(world.two.pcn)).status_code == 404  # same Place, not theirs
    assert client.get(pcn_url(world.other.pcn)).status_code == 404
    assert client.get(place_url(world.one.pcn.place)).status_code == 404
    client.force_login(make_pcn_lead(world.one.pcn))
    assert client.get(pcn_url(world.one.pcn)).status_code == 200
    assert client.get(pcn_url(world.other.pcn)).status_code == 404


def test_a_place_lead_sees_their_places_pcns_only(client, world):
    client.force_login(world.place_lead)
    assert client.get(place_url(world.one.pcn.place)).status_code == 200
    assert client.get(pcn_url(world.one.pcn)).status_code == 200
    assert client.get(pcn_url(world.two.pcn)).status_code == 200
    assert client.get(place_url(world.other.pcn.place)).status_code == 404
    assert client.get(pcn_url(world.other.pcn)).status_code == 404
    csv_url = reverse("charts:place_csv", args=[world.other.pcn.place.pk, "practices"])
    assert client.get(csv_url).status_code == 404
    page = client.get(place_url(world.one.pcn.place)).content.decode()
    assert "North PCN" in page and "South PCN" in page
    assert "OTHERPLACE" not in page


def test_a_place_lead_counts_public_consultations_only(client, world):
    """The private consultation of PCN one is its own staff's: a place lead does not see
    its name or count its ideas."""
    add_ideas(world.private, 4)
    world.private.closes_at = timezone.now() - timedelta(days=2)
    world.private.save_revision().publish()
    client.force_login(world.staff)
    staff_page = client.get(pcn_url(world.one.pcn)).content.decode()
    assert "PRIVATECONSULTATION" in staff_page
    client.force_login(world.place_lead)
    for url in (pcn_url(world.one.pcn), place_url(world.one.pcn.place)):
        page = client.get(url)
        assert "PRIVATECONSULTATION" not in page.content.decode()
    rows = csv_rows(client.get(reverse("charts:pcn_csv", args=[world.one.pcn.pk, "channels"])))
    assert rows[1] == ["Online", "0"]


@pytest.mark.parametrize("who", ["moderator", "resident", "visitor"])
def test_moderators_residents_and_visitors_are_refused(client, world, who):
    if who == "moderator":
        client.force_login(make_moderator(world.one.pcn))
    elif who == "resident":
        client.force_login(UserFactory())
    urls = [
        reverse("charts:index"),
        pcn_url(world.one.pcn),
        place_url(world.one.pcn.place),
        reverse("charts:pcn_csv", args=[world.one.pcn.pk, "practices"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        expected = reverse("wagtailadmin_home") if who == "moderator" else "/admin/login/"
        assert response["Location"].startswith(expected), url


def test_the_index_lists_what_each_person_may_open(client, world):
    client.force_login(world.place_lead)
    page = client.get(reverse("charts:index")).content.decode()
    assert place_url(world.one.pcn.place) in page
    assert pcn_url(world.one.pcn) in page and pcn_url(world.two.pcn) in page
    assert pcn_url(world.other.pcn) not in page
    client.force_login(world.staff)
    page = client.get(reverse("charts:index")).content.decode()
    assert pcn_url(world.one.pcn) in page
    assert pcn_url(world.two.pcn) not in page
    assert place_url(world.one.pcn.place) not in page


def test_the_dashboard_and_the_place_landing_link_to_the_charts(client, world):
    client.force_login(world.staff)
    assert pcn_url(world.one.pcn) in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(world.place_lead)
    landing = client.get(reverse("place_vision:index")).content.decode()
    assert place_url(world.one.pcn.place) in landing


# What the figures count


def test_the_pcn_figures_count_published_posts_in_the_period(client, world):
    consultation = world.one.consultation
    riverside = consultation.neighbourhoods.get(name="Riverside")
    add_ideas(consultation, 12, practice=world.north_practice, neighbourhood=riverside, comments=2)
    add_ideas(consultation, 3, channel=Channel.PAPER)
    add_ideas(consultation, 5, status=PostStatus.PENDING)  # not heard yet
    add_ideas(consultation, 5, status=PostStatus.HIDDEN)
    add_ideas(consultation, 7, days_ago=800)  # before the period
    add_ideas(world.two.consultation, 9)  # another PCN's
    client.force_login(world.staff)
    soup = soup_of(client.get(pcn_url(world.one.pcn)))
    months = table(soup, "contributions")
    assert months[0] == ["Month", "Ideas", "Comments"]
    assert len(months) == 13
    assert sum(int(row[1]) for row in months[1:]) == 15
    assert sum(int(row[2]) for row in months[1:]) == 24
    assert table(soup, "channels")[1:] == [
        ["Online", "12"],
        ["Paper form", "3"],
        ["Phone call", "0"],
        ["Meeting", "0"],
    ]
    assert ["Riverside", "12"] in table(soup, "neighbourhoods")
    assert ["Not given", "3"] in table(soup, "neighbourhoods")


def test_practice_counts_from_1_to_9_are_hidden_with_what_would_give_them_away(client, world):
    add_ideas(world.one.consultation, 12, practice=world.north_practice)
    add_ideas(world.one.consultation, 3, practice=world.small_practice)
    add_ideas(world.one.consultation, 20)
    client.force_login(world.staff)
    soup = soup_of(client.get(pcn_url(world.one.pcn)))
    rows = dict(row for row in table(soup, "practices")[1:])
    assert rows["Tiny Practice"] == "hidden"
    # 35 ideas in all, 20 with no practice: showing Abbey's 12 would give Tiny's 3 away.
    assert "hidden" in (rows["Abbey Surgery"], rows["All ideas"], rows["Not given"])
    section = soup.find("section", {"aria-labelledby": "pcn-practices"})
    assert "3" not in [cell.get_text(strip=True) for cell in section.find_all("td")]
    assert not re.search(r">\s*3\s*<", str(section.find("svg")))
    rows = csv_rows(client.get(reverse("charts:pcn_csv", args=[world.one.pcn.pk, "practices"])))
    assert ["Tiny Practice", "hidden"] in rows
    assert ["Tiny Practice", "3"] not in rows


def test_a_practice_with_ten_or_more_shows_its_count(client, world):
    add_ideas(world.one.consultation, 10, practice=world.north_practice)
    add_ideas(world.one.consultation, 11)
    client.force_login(world.staff)
    rows = table(soup_of(client.get(pcn_url(world.one.pcn))), "practices")
    assert ["Abbey Surgery", "10"] in rows
    assert ["Tiny Practice", "0"] in rows
    assert ["All ideas", "21"] in rows


def test_themes_answered_and_days_to_respond(client, world):
    consultation = world.one.consultation  # closed a day ago, one theme
    update = UpdatePage(
        title="We heard you", you_said="<p>x</p>", we_did="<p>y</p>", consultation=consultation
    )
    index = world.one.home.get_children().get(title="You said, we did").specific
    index.add_child(instance=update)
    update.themes.set([world.one.theme])
    update.save_revision().publish()
    update.refresh_from_db()
    UpdatePage.objects.filter(pk=update.pk).update(
        first_published_at=consultation.closes_at + timedelta(days=6, hours=1)
    )
    client.force_login(world.staff)
    soup = soup_of(client.get(pcn_url(world.one.pcn)))
    # Their own private consultation (under review, one theme) counts for its staff.
    themes = table(soup, "themes")[1:]
    assert sorted(themes) == [["North PCN hours", "1", "0"], ["PRIVATECONSULTATION", "0", "1"]]
    days = table(soup, "days-to-respond")[1:]
    assert sorted(days) == [["North PCN hours", "6"], ["PRIVATECONSULTATION", "not answered yet"]]
    assert "Median: 6 days." in soup.get_text()
    client.force_login(world.place_lead)
    soup = soup_of(client.get(place_url(world.one.pcn.place)))
    assert table(soup, "themes", "place")[1:] == [["North PCN", "1", "0"], ["South PCN", "0", "1"]]
    assert table(soup, "days-to-respond", "place")[1:] == [
        ["North PCN", "6"],
        ["South PCN", "no response yet"],
    ]


def test_the_place_compares_its_pcns(client, world):
    add_ideas(world.one.consultation, 4, comments=1)
    add_ideas(world.two.consultation, 2, channel=Channel.PHONE)
    add_ideas(world.other.consultation, 50)
    client.force_login(world.place_lead)
    soup = soup_of(client.get(place_url(world.one.pcn.place)))
    months = table(soup, "contributions", "place")
    assert months[0] == ["Month", "North PCN", "South PCN"]
    assert [sum(int(row[n]) for row in months[1:]) for n in (1, 2)] == [8, 2]
    assert table(soup, "channels", "place")[1:] == [
        ["North PCN", "4", "0", "0", "0"],
        ["South PCN", "0", "0", "2", "0"],
    ]
    practices = table(soup, "practices", "place")
    assert ["South Health Centre (South PCN)", "0"] in practices
    assert "OTHERPLACEPRACTICE" not in soup.get_text()


# The charts themselves


def test_each_chart_is_an_svg_with_a_name_and_a_table_beside_it(client, world):
    add_ideas(world.one.consultation, 14, practice=world.north_practice, comments=1)
    client.force_login(world.staff)
    response = client.get(pcn_url(world.one.pcn))
    soup = soup_of(response)
    sections = soup.find_all("section", {"aria-labelledby": re.compile("^pcn-")})
    assert len(sections) == 6
    for section in sections:
        svg = section.find("svg", {"class": "engage-chart"})
        if svg is None:
            assert "Nothing to show yet." in section.get_text()
            continue
        assert svg["role"] == "img"
        for name in svg["aria-labelledby"].split():
            assert svg.find(id=name) is not None
        assert svg.find("title").get_text(strip=True)
        assert svg.find("desc").get_text(strip=True)
        table_ = section.find("table")
        assert table_.find("caption").get_text(strip=True)
        assert table_.find_all("th", {"scope": "col"})
        assert table_.find_all("th", {"scope": "row"})
        assert "Download these figures" in section.find("a", href=re.compile(r"\.csv\?")).text
    html = response.content.decode()
    main = html[html.index('<div class="nice-padding">') :]
    assert " style=" not in main
    assert "<script" not in main.split("</main>")[0]
    assert "css/charts.css" in html


def test_hostile_names_are_escaped_in_the_chart_and_the_csv(client, world):
    make_practice(world.one.pcn, '=HYPERLINK("x") <script>alert(1)</script>')
    client.force_login(world.staff)
    html = client.get(pcn_url(world.one.pcn)).content.decode()
    assert "<script>alert(1)</script>" not in html
    rows = csv_rows(client.get(reverse("charts:pcn_csv", args=[world.one.pcn.pk, "practices"])))
    assert any(row[0].startswith("'=HYPERLINK") for row in rows)


# CSV


@pytest.mark.parametrize(
    "slug",
    ["contributions", "channels", "neighbourhoods", "practices", "themes", "days-to-respond"],
)
def test_every_chart_downloads_as_csv_with_its_tables_figures(client, world, slug):
    add_ideas(world.one.consultation, 11, practice=world.north_practice, comments=1)
    client.force_login(world.staff)
    soup = soup_of(client.get(pcn_url(world.one.pcn, months=6)))
    link = soup.find("section", {"aria-labelledby": f"pcn-{slug}"}).find(
        "a", href=re.compile(r"\.csv\?")
    )
    response = client.get(link["href"])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="north-pcn-{slug}-6-months.csv"'
    )
    assert csv_rows(response) == table(soup, slug)


# Bad input


@pytest.mark.parametrize(
    ("months", "message"),
    [
        ("abc", "Enter the number of months as a whole number from 1 to 24"),
        ("0", "Enter a number of months from 1 to 24"),
        ("25", "Enter a number of months from 1 to 24"),
        ("99999999999999999999999", "Enter a number of months from 1 to 24"),
        ("1.5", "Enter the number of months as a whole number from 1 to 24"),
    ],
)
def test_a_bad_period_is_refused_with_a_clear_message(client, world, months, message):
    client.force_login(world.staff)
    response = client.get(pcn_url(world.one.pcn, months=months))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert f'value="{months}"' in page  # what they typed, kept
    client.force_login(world.place_lead)
    response = client.get(
        reverse("charts:place_csv", args=[world.one.pcn.place.pk, "channels"]) + f"?months={months}"
    )
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_good_period_changes_the_months_shown(client, world):
    client.force_login(world.staff)
    months = table(soup_of(client.get(pcn_url(world.one.pcn, months=3))), "contributions")
    assert len(months) == 4


@pytest.mark.parametrize("pk", ["abc", "0", "99999999999999999999999", "999999"])
def test_a_bad_or_unknown_id_is_not_found(client, world, pk):
    client.force_login(world.admin)
    assert client.get(f"/admin/charts/pcn/{pk}/").status_code == 404
    assert client.get(f"/admin/charts/place/{pk}/").status_code == 404
    assert client.get(f"/admin/charts/pcn/{pk}/practices.csv").status_code == 404


def test_an_unknown_chart_is_not_found(client, world):
    client.force_login(world.staff)
    assert client.get(f"/admin/charts/pcn/{world.one.pcn.pk}/nonsense.csv").status_code == 404


# Queries


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("kind", ["pcn", "place", "csv"])
def test_the_query_count_does_not_grow_with_the_ideas(client, world, kind):
    user = world.place_lead if kind == "place" else world.staff
    client.force_login(user)
    url = {
        "pcn": pcn_url(world.one.pcn),
        "place": place_url(world.one.pcn.place),
        "csv": reverse("charts:pcn_csv", args=[world.one.pcn.pk, "practices"]),
    }[kind]
    add_ideas(world.one.consultation, 2, practice=world.north_practice, comments=1)
    add_ideas(world.two.consultation, 1, channel=Channel.PAPER)
    _queries(client, url)  # warm the caches every admin page fills once
    few = _queries(client, url)
    riverside = world.one.consultation.neighbourhoods.get(name="Riverside")
    for days in (3, 40, 100, 200):
        add_ideas(
            world.one.consultation,
            30,
            practice=world.north_practice,
            comments=2,
            days_ago=days,
            neighbourhood=riverside,
        )
        add_ideas(world.two.consultation, 20, channel=Channel.MEETING, days_ago=days)
        add_ideas(
            world.one.consultation,
            15,
            practice=world.small_practice,
            days_ago=days,
            channel=Channel.PHONE,
        )
    assert _queries(client, url) == few
