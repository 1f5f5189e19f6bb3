"""Issue #14: a Place's and an ICS's vision page work their figures out once and keep them
(`home.page_cache.content_memo`) until the content of a site they are made of changes: the
vision's own site, its PCNs' sites and, for an ICS, its Places' sites. Each change below
must show on the very next rendered page.

Each change is checked twice: on the page rendered with its kept figures (asked for with a
query parameter pages do not read, which the whole-page cache neither serves nor stores, as
`make bench-levels` measures it), and on the page as a visitor gets it from the page cache,
which keeps a vision page only while the other sites it is made of are unchanged too.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import IcsPriorityLink, Idea, PlacePriority, PostStatus, Theme
from consultations.services.places import place_priority_link, place_priority_unlink
from home import page_cache
from tests.ics.conftest import link_place_priority, make_ics_update
from tests.places.conftest import make_ideas, make_pcn_with_theme

pytestmark = pytest.mark.django_db

RENDERED, KEPT = "/?fresh=1", "/"
PLACE, ICS = "localhost", "ics.example"
_address = {"path": RENDERED}


@pytest.fixture(autouse=True, params=[RENDERED, KEPT], ids=["rendered", "whole page kept"])
def _figures_kept(request, settings):
    settings.ENGAGE_PAGE_CACHE_SECONDS = 60
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".example"]
    _address["path"] = request.param
    yield
    _address["path"] = RENDERED


def page(host: str) -> str:
    response = Client().get(_address["path"], HTTP_HOST=host)
    assert response.status_code == 200
    return response.content.decode()


def queries(host: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        page(host)
    return [query["sql"] for query in captured]


def reads_figures(sql: list[str]) -> bool:
    """Whether any query read what the figures are made of."""
    tables = ("consultations_idea", "consultations_placeprioritylink", "consultations_theme")
    return any(table in query for query in sql for table in tables)


def _cite_one(places):
    place_priority_link(priority=places.priority, user=places.place_lead, theme=places.one.theme)


# A Place's vision


def test_a_place_vision_reads_its_figures_once_and_then_not_at_all(places):
    _cite_one(places)
    make_ideas(places.one.consultation, places.one.theme, 2, comments=1)
    first = queries(PLACE)
    assert reads_figures(first)
    again = queries(PLACE)
    assert not reads_figures(again)
    assert again == []  # the view restrictions are kept too


def test_a_place_vision_reads_as_many_queries_with_many_more_pcns_and_ideas(places):
    _cite_one(places)
    make_ideas(places.one.consultation, places.one.theme, 2, comments=1)
    page(PLACE)
    small = queries(PLACE)
    for n in range(4):
        pcn = make_pcn_with_theme(
            name=f"Grown {n} PCN",
            hostname=f"grown{n}.example",
            place_name="Riverbridge",
            theme_name=f"Grown theme {n}",
        )
        make_ideas(pcn.consultation, pcn.theme, 20, comments=3)
        link_place_priority(places.priority, pcn.theme)
    assert "Heard in 5 of 6 PCNs" in page(PLACE)
    assert queries(PLACE) == small
    assert small == []


def test_new_ideas_in_a_cited_theme_count_at_once(places):
    _cite_one(places)
    make_ideas(places.one.consultation, places.one.theme, 2, comments=1)
    assert "4 contributions" in page(PLACE)
    make_ideas(places.one.consultation, places.one.theme, 3)
    assert "7 contributions" in page(PLACE)


def test_an_idea_hidden_in_bulk_stops_counting_at_once(places):
    _cite_one(places)
    ideas = make_ideas(places.one.consultation, places.one.theme, 2)
    assert "2 contributions" in page(PLACE)
    Idea.objects.filter(pk=ideas[0].pk).update(status=PostStatus.HIDDEN)
    assert "1 contribution." in page(PLACE)


def test_a_link_made_and_undone_by_a_place_lead_shows_at_once(places):
    _cite_one(places)
    assert "Later opening" not in page(PLACE)
    link = place_priority_link(
        priority=places.priority, user=places.place_lead, theme=places.two.theme
    )
    assert "Later opening" in page(PLACE)
    place_priority_unlink(link=link, user=places.place_lead)
    assert "Later opening" not in page(PLACE)


def test_a_renamed_theme_and_a_renamed_pcn_show_at_once(places):
    _cite_one(places)
    assert "Evening appointments" in page(PLACE)
    Theme.objects.filter(pk=places.one.theme.pk).update(name="Appointments after six")
    assert "Appointments after six" in page(PLACE)
    pcn = places.one.pcn
    pcn.name = "Northgate PCN"
    pcn.save()
    assert "Northgate PCN" in page(PLACE)


def test_a_consultation_made_private_leaves_the_figures_at_once(places):
    from wagtail.models import PageViewRestriction

    _cite_one(places)
    assert "Evening appointments" in page(PLACE)
    PageViewRestriction.objects.create(
        page=places.one.consultation, restriction_type=PageViewRestriction.LOGIN
    )
    assert "Evening appointments" not in page(PLACE)


def test_another_places_pcn_changing_keeps_the_figures(places):
    _cite_one(places)
    page(PLACE)
    make_ideas(places.other.consultation, places.other.theme, 5)
    assert not reads_figures(queries(PLACE))


# An ICS's vision


def _ics_cites_riverbridge(system):
    link_place_priority(system.places.priority, system.places.one.theme)
    IcsPriorityLink.objects.create(priority=system.priority, place_priority=system.places.priority)


def test_an_ics_vision_reads_its_figures_once_and_then_not_at_all(system):
    _ics_cites_riverbridge(system)
    first = queries(ICS)
    assert reads_figures(first)
    again = queries(ICS)
    assert not reads_figures(again)
    assert again == []


def test_a_places_new_link_shows_on_the_ics_vision_at_once(system):
    _ics_cites_riverbridge(system)
    assert "Heard in 1 of 3 PCNs and 1 of 2 Places" in page(ICS)
    link_place_priority(system.places.priority, system.places.two.theme)  # on the Place's site
    assert "Heard in 2 of 3 PCNs and 1 of 2 Places" in page(ICS)


def test_an_ics_link_and_an_ics_update_show_at_once(system):
    _ics_cites_riverbridge(system)
    other = PlacePriority.objects.create(
        page=system.places.other_vision, title="Otherbridge hubs", description="Ours."
    )
    link_place_priority(other, system.places.other.theme)
    assert "Otherbridge hubs" not in page(ICS)
    IcsPriorityLink.objects.create(priority=system.priority, place_priority=other)
    assert "Heard in 2 of 3 PCNs and 2 of 2 Places" in page(ICS)
    assert "Evening hubs across the system" not in page(ICS)
    make_ics_update(system.vision, priorities=[system.priority])
    assert "Evening hubs across the system" in page(ICS)


def test_new_ideas_in_a_pcn_count_on_the_ics_vision_at_once(system):
    _ics_cites_riverbridge(system)
    make_ideas(system.places.one.consultation, system.places.one.theme, 2)
    assert "2 contributions" in page(ICS)
    make_ideas(system.places.one.consultation, system.places.one.theme, 1, comments=2)
    assert "5 contributions" in page(ICS)


# The memo itself


def test_a_memo_over_several_sites_is_kept_until_any_of_them_changes(places):
    worked_out = []

    def compute():
        worked_out.append(1)
        return len(worked_out)

    paths = [places.one.home.path, places.two.home.path]

    def memo():
        return page_cache.content_memo(paths=paths, name="test", compute=compute)

    assert memo() == memo() == 1
    page_cache.content_changed([places.other.consultation.path])  # a site not among them
    assert memo() == 1
    page_cache.content_changed([places.two.consultation.path])
    assert memo() == memo() == 2


def test_with_the_page_cache_off_nothing_is_kept_and_no_site_is_looked_up(settings):
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0
    worked_out = []

    def paths():
        raise AssertionError("the sites are looked up only when values are kept")

    for _ in range(2):
        page_cache.content_memo(paths=paths, name="test", compute=lambda: worked_out.append(1))
    assert len(worked_out) == 2
