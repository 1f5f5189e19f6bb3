"""Each site's chrome is cached, and every change reaches the next request: view
restrictions and the pages routing reads are kept only under the site cache generation,
which every change to them starts afresh."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from consultations.models import ConsultationPage
from engage.backends import ModelBackend
from home.models import VisionPage
from tests.factories import UserFactory, make_consultation, make_pcn_site


def navigation_titles(response) -> list[str]:
    return [item.title for item in response.context["site_navigation"]]


@pytest.fixture
def vision(home):
    page = home.add_child(
        instance=VisionPage(title="Our vision", introduction="<p>x</p>", show_in_menus=True)
    )
    page.save_revision().publish()
    return page


def test_navigation_follows_publishing_and_unpublishing(client, home, vision):
    assert "Our vision" in navigation_titles(client.get("/"))
    vision.unpublish()
    assert "Our vision" not in navigation_titles(client.get("/"))
    revision = vision.save_revision()
    revision.publish()
    assert "Our vision" in navigation_titles(client.get("/"))


def test_a_renamed_pcn_shows_at_once(client, home):
    client.get("/")
    home.pcn.name = "Renamed PCN"
    home.pcn.save()
    assert "Renamed PCN" in client.get("/").content.decode()


def test_the_site_chrome_is_read_once_then_cached(client, home, vision):
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get(vision.url)
    assert not [q for q in queries if "wagtailcore_site" in q["sql"]]
    assert not [q for q in queries if "home_homepage" in q["sql"]]


def test_a_page_made_private_is_private_at_once(client, open_consultation):
    assert client.get(open_consultation.url).status_code == 200
    PageViewRestriction.objects.create(
        page=open_consultation, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(open_consultation.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_page_below_a_private_section_is_private_at_once(client, consultation_index):
    consultation = make_consultation(consultation_index)
    assert client.get(consultation.url).status_code == 200
    PageViewRestriction.objects.create(
        page=consultation_index, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(consultation.url).status_code == 302
    assert client.get(consultation_index.url).status_code == 302


def test_lists_leave_out_a_page_made_private(client, home, consultation_index):
    consultation = make_consultation(consultation_index, title="Pharmacy opening hours")
    assert "Pharmacy opening hours" in client.get("/").content.decode()
    PageViewRestriction.objects.create(
        page=consultation, restriction_type=PageViewRestriction.LOGIN
    )
    assert "Pharmacy opening hours" not in client.get("/").content.decode()


@pytest.fixture
def no_page_cache(settings):
    """These change pages behind every signal, which no product path does: whole pages kept
    for visitors (home.page_cache) rely on Wagtail's signals and would be served for up to
    ENGAGE_PAGE_CACHE_SECONDS. What is tested here is routing from the cached chrome."""
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0


def test_a_page_unpublished_behind_the_cache_is_not_served(client, home, vision, no_page_cache):
    """Routing uses the cached slugs as a hint only: the page itself is read afresh."""
    assert client.get(vision.url).status_code == 200
    Page.objects.filter(pk=vision.pk).update(live=False)  # no signal, cache untouched
    assert client.get(vision.url).status_code == 404


def test_a_slug_changed_behind_the_cache_routes_to_the_new_address(
    client, home, vision, no_page_cache
):
    assert client.get("/our-vision/").status_code == 200
    Page.objects.filter(pk=vision.pk).update(slug="vision", url_path=f"{home.url_path}vision/")
    assert client.get("/our-vision/").status_code == 404
    assert client.get("/vision/").status_code == 200


def test_every_page_of_an_address_is_read_by_its_id(client, home, open_consultation):
    """The chrome knows every page of the site by its parent and slug: routing reads each
    page by its id, never looking for a child by its slug."""
    client.get(open_consultation.url)  # the chrome, read once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(open_consultation.url).status_code == 200
    assert not [query["sql"] for query in queries if '"slug" = ' in query["sql"]]


def test_a_consultation_renamed_or_moved_behind_the_cache_routes_as_it_is_now(
    client, home, open_consultation, no_page_cache
):
    index = open_consultation.get_parent()
    assert client.get("/consultations/open-consultation/").status_code == 200
    Page.objects.filter(pk=open_consultation.pk).update(
        slug="evenings", url_path=f"{index.url_path}evenings/"
    )
    assert client.get("/consultations/open-consultation/").status_code == 404
    assert client.get("/consultations/evenings/").status_code == 200
    # Moved, behind the cache, to another site's index: not served at its old address.
    _, other_index, _ = make_pcn_site(hostname="127.0.0.1", default=False)
    Page.objects.filter(pk=open_consultation.pk).update(
        path=other_index.path + "0009", depth=other_index.depth + 1
    )
    assert client.get("/consultations/evenings/").status_code == 404


def page_rows_read(client, url) -> list[str]:
    """The queries reading a page by its id, as routing does (`home.pages.read_pages`:
    one row, unordered)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    by_id = ('"wagtailcore_page"."id" = ', '"page_ptr_id" = ')
    return [
        query["sql"]
        for query in queries
        if any(where in query["sql"] for where in by_id) and "ORDER BY" not in query["sql"]
    ]


@pytest.fixture
def signed_in(resident):
    """A signed-in person: every page is rendered for them (never served whole)."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(resident)
    return client


def test_with_the_page_cache_on_routing_reads_no_page(signed_in, home, open_consultation):
    """The pages of an address are kept under the site cache generation, read for the
    whole address in one go: a rendered page reads none of them again."""
    assert page_rows_read(signed_in, open_consultation.url)  # read once, then kept
    assert page_rows_read(signed_in, open_consultation.url) == []
    idea_form = open_consultation.url + open_consultation.reverse_subpage("idea-create")
    assert page_rows_read(signed_in, idea_form) == []


def test_with_the_page_cache_off_routing_reads_each_page_by_its_id(
    signed_in, home, open_consultation, no_page_cache
):
    signed_in.get(open_consultation.url)
    read = page_rows_read(signed_in, open_consultation.url)
    assert len(read) == 2  # the consultations index and the consultation


def test_a_page_finds_its_pcn_from_the_home_page_routing_read(signed_in, home, open_consultation):
    """The idea form offers the PCN's practices: the PCN comes with the site's home page,
    not from a query for the page's ancestors."""
    idea_form = open_consultation.url + open_consultation.reverse_subpage("idea-create")
    signed_in.get(idea_form)
    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get(idea_form)
    assert response.status_code == 200
    assert not [query for query in queries if '"home_homepage"' in query["sql"]]
    assert response.wsgi_request._engage_routed_pages[open_consultation.pk].pcn == home.pcn


def test_kept_pages_follow_publishing_and_unpublishing(signed_in, home, open_consultation):
    url = open_consultation.url
    assert "Open consultation" in signed_in.get(url).content.decode()
    open_consultation.title = "Evening appointments"
    open_consultation.save_revision().publish()
    assert "Evening appointments" in signed_in.get(url).content.decode()
    open_consultation.unpublish()
    assert signed_in.get(url).status_code == 404
    open_consultation.save_revision().publish()
    assert signed_in.get(url).status_code == 200


def test_kept_pages_follow_a_new_slug_a_move_and_a_deletion(signed_in, home, open_consultation):
    index = open_consultation.get_parent()
    signed_in.get(open_consultation.url)
    open_consultation.slug = "evenings"
    open_consultation.save_revision().publish()
    assert signed_in.get(index.url + "open-consultation/").status_code == 404
    assert signed_in.get(index.url + "evenings/").status_code == 200
    # Moved below the home page: its old address is gone, its new one served.
    ConsultationPage.objects.get(pk=open_consultation.pk).move(home, pos="last-child")
    moved = signed_in.get(index.url + "evenings/")  # Wagtail's redirect to where it is now
    assert (moved.status_code, moved["Location"]) == (301, "/evenings/")
    assert signed_in.get("/evenings/").status_code == 200
    ConsultationPage.objects.get(pk=open_consultation.pk).delete()
    assert signed_in.get("/evenings/").status_code == 404


def test_each_request_routes_with_its_own_copy_of_a_kept_page(signed_in, home, open_consultation):
    first = signed_in.get(open_consultation.url).wsgi_request
    second = signed_in.get(open_consultation.url).wsgi_request
    page_one, page_two = (
        request._engage_routed_pages[open_consultation.pk] for request in (first, second)
    )
    assert page_one is not page_two
    assert page_one.pk == page_two.pk == open_consultation.pk


def test_an_unknown_address_is_not_found(client, home, open_consultation):
    assert client.get("/no-such-page/").status_code == 404
    assert client.get(open_consultation.get_parent().url + "no-such-page/").status_code == 404


def test_breadcrumbs_come_from_the_routed_parents(client, home, open_consultation):
    response = client.get(open_consultation.url)
    crumbs = [page.pk for page in response.context["ancestors"]]
    assert crumbs == [home.pk, open_consultation.get_parent().pk]


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_each_breadcrumb_links_where_pageurl_does(home, open_consultation, host):
    """Each crumb's address is its child's without the child's slug: as `pageurl` writes
    it for the request's site, on an idea's page (which has its consultation as a crumb)
    too."""
    Site.objects.create(hostname="127.0.0.1", root_page=home, is_default_site=False)
    index = open_consultation.get_parent()
    idea_page = open_consultation.url + open_consultation.reverse_subpage("idea-create")
    client = Client(HTTP_HOST=host)
    client.force_login(UserFactory())
    for url, pages in (
        (open_consultation.url, [home, index]),
        (idea_page, [home, index, open_consultation]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        request = response.wsgi_request
        expected = [
            ("Home" if page.depth == 2 else page.title, page.get_url(request=request))
            for page in pages
        ]
        assert [(crumb.title, crumb.url) for crumb in response.context["crumbs"]] == expected
        assert (response.context["parent"].title, response.context["parent"].url) == expected[-1]


# One query for a user's permissions


@pytest.fixture
def permissions():
    return list(Permission.objects.filter(content_type__app_label="wagtailadmin"))[:1] + list(
        Permission.objects.filter(codename="add_page")
    )


def test_permissions_of_the_user_and_their_groups_in_one_query(db, permissions):
    user = UserFactory()
    own, from_group = permissions
    user.user_permissions.add(own)
    group = Group.objects.create(name="Readers")
    group.permissions.add(from_group)
    user.groups.add(group)
    with CaptureQueriesContext(connection) as queries:
        found = ModelBackend().get_all_permissions(user)
    assert len(queries) == 1
    assert found == {
        f"{own.content_type.app_label}.{own.codename}",
        f"{from_group.content_type.app_label}.{from_group.codename}",
    }
    assert user.has_perm(f"{own.content_type.app_label}.{own.codename}")


def test_a_user_without_permissions_has_none(db):
    assert ModelBackend().get_all_permissions(UserFactory()) == set()


def test_an_inactive_user_has_no_permissions(db, permissions):
    user = UserFactory(is_active=False)
    user.user_permissions.add(permissions[0])
    assert ModelBackend().get_all_permissions(user) == set()


def test_a_superuser_has_every_permission(db):
    user = UserFactory(is_superuser=True)
    assert len(ModelBackend().get_all_permissions(user)) == Permission.objects.count()


def test_consultation_page_lists_use_the_request_restrictions(rf, consultation_index):
    """Outside a request, `.public()` still reads restrictions (no stale memo)."""
    consultation = make_consultation(consultation_index)
    assert ConsultationPage.objects.public().filter(pk=consultation.pk).exists()
    PageViewRestriction.objects.create(page=consultation, restriction_type="login")
    assert not ConsultationPage.objects.public().filter(pk=consultation.pk).exists()


# The navigation's links, worked out once per generation


def chrome_links(response) -> dict[str, list[tuple[str, str]]]:
    """(text, address) of each link in the header's menu and in the footer."""
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        part: [
            (a.get_text(strip=True), a["href"]) for a in soup.select(f"{part} nav a, {part} ul a")
        ]
        for part in ("header .nhsuk-header__navigation", "footer")
    }


def test_the_menu_and_footer_link_each_page_where_it_is_now(client, home, vision, no_page_cache):
    make_pcn_site(hostname="other.localhost", default=False)  # Wagtail's URLs choose a site
    response = client.get("/")
    links = chrome_links(response)
    assert ("Our vision", "/our-vision/") in links["header .nhsuk-header__navigation"]
    assert ("Our vision", "/our-vision/") in links["footer"]
    for item in response.context["site_navigation"]:  # as pageurl writes each
        assert (item.title, item.get_url(request=response.wsgi_request)) in links["footer"]

    revision = VisionPage.objects.get(pk=vision.pk)
    revision.slug = "vision"
    revision.save_revision().publish()  # an editor renames the address
    links = chrome_links(client.get("/"))
    assert ("Our vision", "/vision/") in links["header .nhsuk-header__navigation"]
    assert ("Our vision", "/vision/") in links["footer"]
    assert client.get("/vision/").status_code == 200
