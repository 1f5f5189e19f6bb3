"""The home page's and the consultation index's lists (consultations by phase, the latest
updates, the link to the vision) are read once per change of the site's content
(`selectors.consultation_cards`, `home.page_context`), not on every render: the same
changes that make a kept page stale make them be read again, and time alone still moves a
consultation from one list to the next."""

from datetime import timedelta

from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from tests.factories import UserFactory, make_consultation
from tests.loop.conftest import make_theme, make_update, make_vision

LISTED = ('"consultations_consultationpage"', '"consultations_updatepage"', '"home_visionpage"')


def lists_on(client, page) -> tuple[dict[str, list[str]], int]:
    """Each list's heading with the titles and addresses of its links, and how many
    queries read the pages they list."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url)
    assert response.status_code == 200
    main = BeautifulSoup(response.content, "html.parser").select_one("main")
    lists, heading = {}, None
    for element in main.find_all(["h2", "a"]):
        if element.name == "h2":
            heading = element.get_text(strip=True)
        elif heading:
            lists.setdefault(heading, []).append(
                f"{element.get_text(strip=True)} {element['href']}"
            )
    reads = sum(any(table in query["sql"] for table in LISTED) for query in captured)
    return lists, reads


def signed_in(client):
    """A resident: their pages are rendered every time, never served from the page cache."""
    client.force_login(UserFactory())
    return client


def test_the_home_pages_lists_are_read_once_until_the_content_changes(
    client, home, consultation_index, update_index
):
    make_consultation(consultation_index, phase="open", title="Evenings")
    make_consultation(consultation_index, phase="upcoming", title="Weekends")
    make_update(update_index, title="Saturday clinics")
    make_vision(home, "Close to home").save_revision().publish()
    client = signed_in(client)
    first, reads = lists_on(client, home)
    assert reads > 0
    assert first["Open consultations"] == ["Evenings /consultations/evenings/"]
    assert first["Coming soon"] == ["Weekends /consultations/weekends/"]
    assert first["Our shared vision"] == ["Read our shared vision /our-shared-vision/"]
    assert first["You said, we did"] == ["Saturday clinics /you-said-we-did/saturday-clinics/"]
    assert lists_on(client, home) == (first, 0)
    assert lists_on(client, home) == (first, 0)
    index, reads = lists_on(client, consultation_index)
    assert index["Open now"] == first["Open consultations"] and reads == 1
    assert lists_on(client, consultation_index) == (index, 0)


def test_a_consultation_published_shows_at_once(client, home, consultation_index):
    client = signed_in(client)
    assert "Open now" not in lists_on(client, consultation_index)[0]
    lists_on(client, home)

    make_consultation(consultation_index, phase="open", title="Evenings")
    assert lists_on(client, home)[0]["Open consultations"] == ["Evenings /consultations/evenings/"]
    assert lists_on(client, consultation_index)[0]["Open now"] == [
        "Evenings /consultations/evenings/"
    ]


def test_a_consultation_unpublished_or_made_private_leaves_at_once(
    client, home, consultation_index
):
    client = signed_in(client)
    private = make_consultation(consultation_index, phase="closed", title="Staffing")
    gone = make_consultation(consultation_index, phase="closed", title="Parking")
    assert len(lists_on(client, consultation_index)[0]["Closed"]) == 2

    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    gone.unpublish()
    assert "Closed" not in lists_on(client, consultation_index)[0]


def test_time_moves_a_kept_consultation_from_coming_soon_to_open_to_closed(
    client, home, consultation_index, monkeypatch
):
    consultation = make_consultation(consultation_index, phase="upcoming", title="Weekends")
    client = signed_in(client)
    assert lists_on(client, consultation_index)[0]["Coming soon"] == [
        "Weekends /consultations/weekends/"
    ]

    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: consultation.opens_at + timedelta(seconds=1))
    lists, reads = lists_on(client, consultation_index)
    assert reads == 0  # kept, and shown as it stands now
    assert lists["Open now"] == ["Weekends /consultations/weekends/"]
    assert "Coming soon" not in lists
    monkeypatch.setattr(timezone, "now", lambda: consultation.closes_at)
    assert lists_on(client, consultation_index)[0]["Closed"] == [
        "Weekends /consultations/weekends/"
    ]
    assert consultation.closes_at > now


def test_each_site_keeps_the_addresses_it_links_to(home, consultation_index):
    """The same pages served from a second site whose root is above the PCN's home page:
    their addresses there carry the home page's slug, so each site's lists are kept apart."""
    make_consultation(consultation_index, phase="open", title="Evenings")
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=home.get_parent())
    own, other = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="127.0.0.1")
    for client in (own, other, own, other):
        client.force_login(UserFactory())
    assert "/consultations/evenings/" in own.get("/").content.decode()
    there = other.get(f"/{home.slug}/").content.decode()
    assert f'href="/{home.slug}/consultations/evenings/"' in there
    assert 'href="/consultations/evenings/"' not in there
    assert 'href="/consultations/evenings/"' in own.get("/").content.decode()


def test_without_the_page_cache_the_lists_are_read_on_every_render(
    client, home, consultation_index, settings
):
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0  # production's setting without a shared cache
    make_consultation(consultation_index, phase="open", title="Evenings")
    client = signed_in(client)
    first = lists_on(client, home)
    assert first[0]["Open consultations"] == ["Evenings /consultations/evenings/"]
    assert first[1] > 0
    assert lists_on(client, home) == first


def filter_choices_on(client, consultation) -> tuple[list[str], list[str], int]:
    """The idea list's neighbourhoods and themes to filter by, and how many queries read
    them."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(consultation.url)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    choices = [
        [option.get_text(strip=True) for option in page.select(f"select[name={name}] option")]
        for name in ("neighbourhood", "theme")
    ]
    tables = ('"consultations_theme"', '"home_neighbourhood"')
    reads = sum(any(table in query["sql"] for table in tables) for query in captured)
    return *choices, reads


def test_the_idea_lists_filters_are_read_once_until_the_content_changes(
    client, home, consultation_index
):
    consultation = make_consultation(consultation_index, phase="open", title="Evenings")
    client = signed_in(client)
    everywhere = ["All neighbourhoods", "Hillcrest", "Riverside"]
    assert filter_choices_on(client, consultation) == (everywhere, [], 2)
    assert filter_choices_on(client, consultation) == (everywhere, [], 0)

    theme = make_theme(consultation, "Access")  # a moderator's new theme
    assert filter_choices_on(client, consultation) == (everywhere, ["All themes", "Access"], 2)
    theme.name = "Getting there"
    theme.save()
    assert filter_choices_on(client, consultation)[1] == ["All themes", "Getting there"]
    neighbourhood = home.pcn.neighbourhoods.get(name="Hillcrest")
    neighbourhood.name = "Hill Crest"
    neighbourhood.save()
    assert filter_choices_on(client, consultation)[0][1] == "Hill Crest"
    assert filter_choices_on(client, consultation)[2] == 0
