"""Visitors' pages served whole from the cache (home/page_cache.py), and never stale.

Each test renders a page for a visitor (which stores it), changes something through the
code a resident, moderator or member of staff would use, and reads the page again as a
visitor: it must show the change. The first tests prove the page really was served from
the cache (no queries at all), so the later ones are not passing only because nothing
was cached.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from wagtail.models import PageViewRestriction

from consultations import moderation, services
from consultations.models import Comment, Idea, ModerationMode, PostStatus, Support
from engage import privacy
from home import page_cache
from tests.factories import UserFactory, make_consultation, make_pcn_site
from tests.moderation.conftest import make_comment, make_idea, make_moderator, route


@pytest.fixture
def site(db):
    home, consultations, _ = make_pcn_site()
    consultation = make_consultation(
        consultations, moderation_mode=ModerationMode.POST, title="Evening appointments"
    )
    author = UserFactory(display_name="Ada Marsh")
    idea = make_idea(
        consultation, author, status=PostStatus.PUBLISHED, title="Open the surgery later"
    )
    return {
        "home": home,
        "consultation": consultation,
        "idea": idea,
        "author": author,
        "idea_url": route(consultation, "idea-detail", idea.pk),
    }


def visitor_get(url, host="localhost"):
    response = Client(HTTP_HOST=host).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def served_kept(client, url) -> bool:
    """Whether the page came whole from the page cache, reading nothing from the database (a
    page rendered afresh may read no queries either: its parts are kept too)."""
    served = []
    whole = page_cache.PageCacheMiddleware._response

    def spy(kept):
        served.append(kept)
        return whole(kept)

    page_cache.PageCacheMiddleware._response = staticmethod(spy)
    try:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
    finally:
        page_cache.PageCacheMiddleware._response = staticmethod(whole)
    if served:
        assert len(captured) == 0, [query["sql"] for query in captured]
    return bool(served)


def test_a_visitor_is_served_a_stored_page_without_touching_the_database(site):
    first = visitor_get(site["idea_url"])
    client = Client(HTTP_HOST="localhost")
    assert served_kept(client, site["idea_url"])
    assert client.get(site["idea_url"]).content.decode() == first
    assert not served_kept(client, site["consultation"].url)  # another page: not stored yet


def test_with_the_cache_off_nothing_is_stored(site, settings):
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0
    visitor_get(site["idea_url"])
    assert not served_kept(Client(HTTP_HOST="localhost"), site["idea_url"])


def test_the_same_path_on_another_site_is_a_different_page(site):
    make_pcn_site(name="Hillside PCN", hostname="127.0.0.1", default=False)
    assert "Hillside PCN" not in visitor_get("/")
    assert "Hillside PCN" in visitor_get("/", host="127.0.0.1")


def test_each_query_string_is_its_own_page(site):
    make_idea(site["consultation"], status=PostStatus.PUBLISHED, title="Parking for patients")
    url = site["consultation"].url
    assert "Parking for patients" in visitor_get(url)
    searched = visitor_get(url + "?q=surgery")
    assert "Open the surgery later" in searched
    assert "Parking for patients" not in searched


# Signed-in people and anything personal


def test_a_signed_in_resident_is_never_served_a_visitors_page(site):
    visitor_get(site["idea_url"])
    client = Client(HTTP_HOST="localhost")
    client.force_login(site["author"])
    page = client.get(site["idea_url"]).content.decode()
    assert "Sign out" in page


def test_a_signed_in_residents_page_is_never_served_to_a_visitor(site):
    client = Client(HTTP_HOST="localhost")
    client.force_login(site["author"])
    pending = services.idea_submit(
        consultation=site["consultation"], author=site["author"], title="My draft", body="x" * 30
    )
    Idea.objects.filter(pk=pending.pk).update(status=PostStatus.PENDING)
    assert "My draft" in client.get(site["consultation"].url).content.decode()
    assert "Sign out" in client.get(site["idea_url"]).content.decode()
    assert "My draft" not in visitor_get(site["consultation"].url)
    assert "Sign out" not in visitor_get(site["idea_url"])


def test_a_page_with_a_password_is_never_stored_for_the_visitor_who_gave_it(site):
    PageViewRestriction.objects.create(
        page=site["consultation"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    insider = Client(HTTP_HOST="localhost")
    session = insider.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [
        PageViewRestriction.objects.get().pk
    ]
    session.save()
    insider.cookies["sessionid"] = session.session_key
    assert "Open the surgery later" in insider.get(site["idea_url"]).content.decode()
    outsider = Client(HTTP_HOST="localhost").get(site["idea_url"]).content.decode()
    assert "Open the surgery later" not in outsider
    assert "password" in outsider.lower()


def test_a_password_form_is_never_stored_since_it_holds_a_csrf_token(site):
    PageViewRestriction.objects.create(
        page=site["consultation"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert "csrfmiddlewaretoken" in visitor_get(site["idea_url"])
    assert not served_kept(Client(HTTP_HOST="localhost"), site["idea_url"])


def test_a_page_response_that_sets_a_cookie_is_not_stored(site):
    request = RequestFactory().get(site["idea_url"])
    request.resolver_match = resolve(site["idea_url"])
    request.user = AnonymousUser()
    response = HttpResponse("page")
    assert page_cache._may_store(request, response)
    response.set_cookie("choice", "1")
    assert not page_cache._may_store(request, response)
    for header in ("private", "no-store", "no-cache"):
        response = HttpResponse("page", headers={"Cache-Control": header})
        assert not page_cache._may_store(request, response)
    assert not page_cache._may_store(request, HttpResponse(status=404))


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(site):
    visitor_get(site["idea_url"])
    client = Client(HTTP_HOST="localhost")
    client.cookies["messages"] = "anything"
    assert not served_kept(client, site["idea_url"])


# What changes a page, through the services people use


def test_a_new_idea_shows_at_once(site):
    url = site["consultation"].url
    assert "Repeat prescriptions online" not in visitor_get(url)
    services.idea_submit(
        consultation=site["consultation"],
        author=UserFactory(),
        title="Repeat prescriptions online",
        body="Ordering by phone takes too long.",
    )
    assert "Repeat prescriptions online" in visitor_get(url)


def test_an_idea_a_moderator_hides_disappears_at_once(site):
    moderator = make_moderator(site["home"])
    assert "Open the surgery later" in visitor_get(site["consultation"].url)
    visitor_get(site["idea_url"])
    moderation.post_moderate(
        post=site["idea"], moderator=moderator, action="hide", reason="off_topic"
    )
    assert "Open the surgery later" not in visitor_get(site["consultation"].url)
    assert Client(HTTP_HOST="localhost").get(site["idea_url"]).status_code == 404


def test_a_comment_a_moderator_hides_in_bulk_disappears_at_once(site):
    moderator = make_moderator(site["home"])
    comments = [
        make_comment(site["idea"], UserFactory(), status=PostStatus.PUBLISHED, body=f"Note {n}")
        for n in range(2)
    ]
    page = visitor_get(site["idea_url"])
    assert "Note 0" in page and "Note 1" in page
    moderation.posts_moderate_bulk(
        posts=comments, moderator=moderator, action="hide", reason="off_topic"
    )
    page = visitor_get(site["idea_url"])
    assert "Note 0" not in page and "Note 1" not in page


def test_enough_reports_hide_a_post_at_once(site, settings):
    settings.ENGAGE_FLAGS_TO_HIDE = 2
    visitor_get(site["consultation"].url)
    for _ in range(2):
        services.flag_create(reporter=UserFactory(), reason="spam", idea=site["idea"])
    assert "Open the surgery later" not in visitor_get(site["consultation"].url)


def test_a_support_changes_the_count_at_once(site):
    assert "0 people support this idea" in visitor_get(site["idea_url"])
    services.support_add(idea=site["idea"], user=UserFactory())
    assert "1 person supports this idea" in visitor_get(site["idea_url"])
    services.support_remove(idea=site["idea"], user=Support.objects.get().user)
    assert "0 people support this idea" in visitor_get(site["idea_url"])


def test_a_new_comment_and_an_authors_edit_show_at_once(site):
    visitor_get(site["idea_url"])
    comment = services.comment_create(
        idea=site["idea"], author=UserFactory(), body="Tuesdays would suit me."
    )
    assert "Tuesdays would suit me." in visitor_get(site["idea_url"])
    services.comment_update(comment=comment, user=comment.author, body="Thursdays, in fact.")
    page = visitor_get(site["idea_url"])
    assert "Thursdays, in fact." in page and "Tuesdays would suit me." not in page


def test_an_idea_its_author_withdraws_disappears_at_once(site):
    visitor_get(site["consultation"].url)
    services.idea_withdraw(idea=site["idea"], user=site["author"])
    assert "Open the surgery later" not in visitor_get(site["consultation"].url)


def test_a_changed_display_name_shows_beside_their_posts_at_once(site):
    assert "Ada Marsh" in visitor_get(site["idea_url"])
    site["author"].display_name = "Ada Fenwick"
    site["author"].save()
    page = visitor_get(site["idea_url"])
    assert "Ada Fenwick" in page and "Ada Marsh" not in page


def test_signing_in_does_not_start_a_new_generation(site):
    visitor_get(site["idea_url"])
    Client(HTTP_HOST="localhost").force_login(site["author"])  # saves last_login only
    assert served_kept(Client(HTTP_HOST="localhost"), site["idea_url"])


def test_a_theme_a_moderator_renames_shows_at_once(site):
    moderator = make_moderator(site["home"])
    theme = moderation.theme_create(
        consultation=site["consultation"], user=moderator, name="Opening hours"
    )
    moderation.theme_assign_ideas(theme=theme, user=moderator, idea_ids=[site["idea"].pk])
    assert "Opening hours" in visitor_get(site["idea_url"])
    moderation.theme_update(theme=theme, user=moderator, name="Evening surgeries", summary="")
    page = visitor_get(site["idea_url"])
    assert "Evening surgeries" in page and "Opening hours" not in page


def test_a_page_made_private_is_private_at_once(site):
    visitor_get(site["idea_url"])
    PageViewRestriction.objects.create(
        page=site["consultation"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert "Open the surgery later" not in visitor_get(site["idea_url"])


def _restriction_reads(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum("wagtailcore_pageviewrestriction" in q["sql"] for q in captured.captured_queries)


def test_view_restrictions_are_kept_between_requests_until_one_is_saved(site, settings):
    resident = UserFactory()
    client = Client(HTTP_HOST="localhost")
    client.force_login(resident)  # never served a kept page: rendered every time
    client.get(site["idea_url"])
    assert _restriction_reads(client, site["idea_url"]) == 0
    restriction = PageViewRestriction.objects.create(
        page=site["consultation"], restriction_type=PageViewRestriction.LOGIN
    )
    assert _restriction_reads(client, site["idea_url"]) > 0  # read afresh once
    assert _restriction_reads(client, site["idea_url"]) == 0
    restriction.delete()
    assert _restriction_reads(client, site["idea_url"]) > 0
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0  # no shared cache: read on every request
    assert _restriction_reads(client, site["idea_url"]) > 0
    assert _restriction_reads(client, site["idea_url"]) > 0


def test_a_page_made_private_is_private_at_once_for_a_signed_in_resident(site):
    client = Client(HTTP_HOST="localhost")
    client.force_login(UserFactory())
    assert "Open the surgery later" in client.get(site["idea_url"]).content.decode()
    PageViewRestriction.objects.create(
        page=site["consultation"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert "Open the surgery later" not in client.get(site["idea_url"]).content.decode()


def test_rows_changed_in_bulk_start_a_new_generation(site):
    """Queryset update() and bulk_create() send no signals; the queryset itself tells."""
    visitor_get(site["idea_url"])
    Idea.objects.filter(pk=site["idea"].pk).update(title="Late surgeries on Thursdays")
    assert "Late surgeries on Thursdays" in visitor_get(site["idea_url"])
    Comment.objects.bulk_create(
        [Comment(idea=site["idea"], body="Bulk comment", status=PostStatus.PUBLISHED)]
    )
    assert "Bulk comment" in visitor_get(site["idea_url"])


def test_a_change_on_one_site_leaves_another_sites_pages_stored(site):
    _, other_consultations, _ = make_pcn_site(
        name="Hillside PCN", hostname="127.0.0.1", default=False
    )
    other = make_consultation(other_consultations, moderation_mode=ModerationMode.POST)
    visitor_get(other.url, host="127.0.0.1")
    services.support_add(idea=site["idea"], user=UserFactory())
    assert served_kept(Client(HTTP_HOST="127.0.0.1"), other.url)
    assert not served_kept(Client(HTTP_HOST="localhost"), site["idea_url"])


def test_a_page_rendered_during_a_change_is_stored_under_the_old_generation(site, monkeypatch):
    """The key is taken before the page is read: a change committed while a visitor's page
    is being rendered means that page is never served again."""
    from consultations import selectors

    real = selectors.idea_for_page
    calls = []

    def change_while_rendering(**kwargs):
        idea = real(**kwargs)
        if not calls:
            calls.append(1)
            page_cache.content_changed([site["consultation"].path])
        return idea

    monkeypatch.setattr(selectors, "idea_for_page", change_while_rendering)
    visitor_get(site["idea_url"])
    assert not served_kept(Client(HTTP_HOST="localhost"), site["idea_url"])


def test_a_theme_a_moderator_deletes_leaves_the_idea_page_at_once(site):
    moderator = make_moderator(site["home"])
    theme = moderation.theme_create(
        consultation=site["consultation"], user=moderator, name="Opening hours"
    )
    moderation.theme_assign_ideas(theme=theme, user=moderator, idea_ids=[site["idea"].pk])
    assert "Opening hours" in visitor_get(site["idea_url"])
    moderation.theme_delete(theme=theme, user=moderator)
    assert "Opening hours" not in visitor_get(site["idea_url"])


def test_an_erased_residents_removed_posts_disappear_at_once(site):
    commenter = UserFactory(display_name="Kit Farrow")
    make_comment(site["idea"], commenter, status=PostStatus.PUBLISHED, body="Count me in.")
    services.support_add(idea=site["idea"], user=commenter)
    page = visitor_get(site["idea_url"])
    assert "Count me in." in page and "1 person supports this idea" in page
    privacy.account_erase(user=commenter, keep_posts=False)
    page = visitor_get(site["idea_url"])
    assert "Count me in." not in page and "Kit Farrow" not in page
    assert "0 people support this idea" in page


def test_a_consultation_unpublished_is_gone_at_once(site):
    visitor_get(site["idea_url"])
    site["consultation"].unpublish()
    assert Client(HTTP_HOST="localhost").get(site["idea_url"]).status_code == 404


def test_a_renamed_neighbourhood_shows_at_once(site):
    neighbourhood = site["idea"].neighbourhood
    assert neighbourhood.name in visitor_get(site["idea_url"])
    old_name, neighbourhood.name = neighbourhood.name, "Old Town"
    neighbourhood.save()
    page = visitor_get(site["idea_url"])
    assert "Old Town" in page and old_name not in page


def test_a_page_asked_for_with_unknown_parameters_is_not_kept(site):
    url = site["consultation"].url + "?utm_source=leaflet"
    visitor_get(url)
    assert not served_kept(Client(HTTP_HOST="localhost"), url)
    visitor_get(site["consultation"].url + "?sort=supported&page=1")
    assert served_kept(
        Client(HTTP_HOST="localhost"), site["consultation"].url + "?sort=supported&page=1"
    )


def test_a_kept_page_still_says_it_varies_by_cookie(site):
    visitor_get(site["idea_url"])
    response = Client(HTTP_HOST="localhost").get(site["idea_url"])
    assert "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_a_change_is_bumped_at_once_and_again_when_it_commits(
    monkeypatch, django_capture_on_commit_callbacks
):
    bumps = []
    real_bump = page_cache._bump
    monkeypatch.setattr(
        page_cache, "_bump", lambda keys: (bumps.append(set(keys)), real_bump(keys))
    )
    key = page_cache._SITE_KEY.format("00010001")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page_cache.content_changed(["000100010002"])  # a page below the site at 00010001
        page_cache.content_changed(["000100010002"])  # again, in the same transaction
        assert [key in keys for keys in bumps] == [True, True]  # each at once
    assert len(callbacks) == 1  # and one more on commit, for the whole transaction
    assert len(bumps) == 3 and key in bumps[-1]


def test_a_delete_that_cascades_reads_each_parent_once(site):
    """Deleting an idea with many comments and supports costs the same queries as with few."""

    def delete_with(count) -> int:
        idea = make_idea(site["consultation"], status=PostStatus.PUBLISHED)
        for _ in range(count):
            make_comment(idea, UserFactory(), status=PostStatus.PUBLISHED)
            Support.objects.create(idea=idea, user=UserFactory())
        with CaptureQueriesContext(connection) as captured:
            idea.delete()
        return len(captured)

    assert delete_with(2) == delete_with(12)


def test_a_signed_in_persons_response_is_never_stored(site):
    request = RequestFactory().get(site["idea_url"])
    request.resolver_match = resolve(site["idea_url"])
    request.user = site["author"]
    assert not page_cache._may_store(request, HttpResponse("page"))


class _CountingCache:
    """The real cache, counting the calls that read it."""

    def __init__(self, real):
        self.real, self.reads = real, []

    def __getattr__(self, name):
        attribute = getattr(self.real, name)
        if name in {"get", "get_many", "has_key"}:

            def counted(*args, **kwargs):
                self.reads.append(name)
                return attribute(*args, **kwargs)

            return counted
        return attribute


def test_a_kept_page_is_served_from_one_read_of_the_cache_with_its_headers(site, monkeypatch):
    first = Client(HTTP_HOST="localhost").get(site["idea_url"])
    counting = _CountingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", counting)
    monkeypatch.setattr("home.site_cache.cache", counting)
    client = Client(HTTP_HOST="localhost")
    assert served_kept(client, site["idea_url"])
    assert counting.reads == ["get_many"]
    kept = client.get(site["idea_url"])
    assert kept.content == first.content
    assert kept["Content-Type"] == first["Content-Type"]
    assert "Cookie" in kept["Vary"]
    assert kept.get("Content-Security-Policy") == first.get("Content-Security-Policy")


def test_an_address_that_is_not_a_page_reads_nothing_from_the_page_cache(site, monkeypatch):
    counting = _CountingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", counting)
    monkeypatch.setattr("home.site_cache.cache", counting)
    client = Client(HTTP_HOST="localhost")
    assert client.get("/_util/login/").status_code == 302  # not a page: nothing to keep
    assert counting.reads == []


def test_a_page_reads_each_generation_once(site, monkeypatch):
    """A page kept in parts (an idea list's filters, rows and search form) reads the
    generations they are kept under once, not once a part; a request that changes things
    reads them afresh each time."""
    reads = []
    get_many = page_cache.cache.get_many

    def counted(keys, *args, **kwargs):
        keys = list(keys)
        if any(key.startswith("engage:page-cache:site:") for key in keys):
            reads.append(keys)
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(page_cache.cache, "get_many", counted)
    client = Client(HTTP_HOST="localhost")
    client.force_login(UserFactory())
    assert client.get(site["consultation"].url).status_code == 200
    assert len(reads) == 1
    # Outside a request (a task, a POST's own work), each memo reads them.
    reads.clear()
    page_cache.site_content_memo(home=site["home"], name="a", compute=lambda: 1)
    page_cache.site_content_memo(home=site["home"], name="b", compute=lambda: 2)
    assert len(reads) == 2
