"""A visitor's idea list rows and an idea's summary and comments are kept until the site's
content changes (`views.common.kept_for_visitors`), so a visitor's page rendered afresh
(an address the page cache does not keep, with a parameter pages do not read) does not
read them again. Every change a resident, moderator or member of staff makes shows at
once, and nothing one person sees (their own pending posts, their supports, their links)
ever reaches a visitor's kept part, nor a visitor's kept part a signed-in person."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations import moderation, services
from consultations.models import ModerationMode, PostStatus
from tests.factories import UserFactory, make_consultation
from tests.moderation.conftest import make_comment, make_idea, make_moderator, route

# The page cache never keeps an address with a parameter pages do not read: every page
# below is rendered, from its kept parts.
UNREAD = "?utm_source=newsletter"
IDEA_ROWS = '"consultations_idea"'
COMMENT_ROWS = '"consultations_comment"'


@pytest.fixture
def site(home, consultation_index):
    consultation = make_consultation(
        consultation_index, moderation_mode=ModerationMode.POST, title="Evening appointments"
    )
    author = UserFactory(display_name="Ada Marsh")
    idea = make_idea(consultation, author, status=PostStatus.PUBLISHED, title="Open later")
    make_comment(
        idea,
        UserFactory(display_name="Ben Hale"),
        status=PostStatus.PUBLISHED,
        body="Tuesdays would suit me.",
    )
    return {
        "home": home,
        "consultation": consultation,
        "idea": idea,
        "author": author,
        "list_url": consultation.url + UNREAD,
        "idea_url": route(consultation, "idea-detail", idea.pk) + UNREAD,
    }


def get(url, user=None) -> tuple[str, list[str]]:
    """The page's text and the SQL of the queries that rendered it."""
    client = Client(HTTP_HOST="localhost")
    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), [query["sql"] for query in captured]


def reads(queries, table) -> int:
    return sum(table in sql for sql in queries)


def test_a_visitors_list_and_idea_page_are_read_once_until_the_content_changes(site):
    page, queries = get(site["list_url"])
    assert "Open later" in page and reads(queries, IDEA_ROWS) > 0
    page_again, queries = get(site["list_url"])
    assert page_again == page and reads(queries, IDEA_ROWS) == 0
    page, queries = get(site["idea_url"])
    assert "Tuesdays would suit me." in page and reads(queries, COMMENT_ROWS) > 0
    page_again, queries = get(site["idea_url"])
    assert page_again == page
    assert reads(queries, COMMENT_ROWS) == 0 and reads(queries, IDEA_ROWS) == 0

    make_idea(
        site["consultation"],
        UserFactory(),
        status=PostStatus.PUBLISHED,
        title="Parking for patients",
    )
    page, queries = get(site["list_url"])
    assert "Parking for patients" in page and reads(queries, IDEA_ROWS) > 0


def test_without_the_page_cache_nothing_is_kept(site, settings):
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0
    get(site["list_url"])
    get(site["idea_url"])
    assert reads(get(site["list_url"])[1], IDEA_ROWS) > 0
    assert reads(get(site["idea_url"])[1], COMMENT_ROWS) > 0


def test_supports_comments_and_names_show_at_once(site):
    assert "0 supports" in get(site["list_url"])[0]
    assert "0 people support this idea" in get(site["idea_url"])[0]
    services.support_add(idea=site["idea"], user=UserFactory())
    assert "1 support ·" in get(site["list_url"])[0]
    assert "1 person supports this idea" in get(site["idea_url"])[0]

    services.comment_create(idea=site["idea"], author=UserFactory(), body="Thursdays, please.")
    assert "Thursdays, please." in get(site["idea_url"])[0]
    assert "2 comments" in get(site["list_url"])[0]

    site["author"].display_name = "Ada Fenwick"
    site["author"].save()
    for url in (site["list_url"], site["idea_url"]):
        page = get(url)[0]
        assert "Ada Fenwick" in page and "Ada Marsh" not in page


def test_hidden_posts_leave_at_once(site):
    moderator = make_moderator(site["home"])
    comment = site["idea"].comments.get()
    get(site["list_url"])
    get(site["idea_url"])
    moderation.post_moderate(post=comment, moderator=moderator, action="hide", reason="off_topic")
    assert "Tuesdays would suit me." not in get(site["idea_url"])[0]
    moderation.post_moderate(
        post=site["idea"], moderator=moderator, action="hide", reason="off_topic"
    )
    assert "Open later" not in get(site["list_url"])[0]
    assert Client(HTTP_HOST="localhost").get(site["idea_url"]).status_code == 404


@pytest.mark.parametrize("visitor_first", [True, False])
def test_a_residents_own_posts_and_supports_never_reach_a_visitor(site, visitor_first):
    resident = UserFactory(display_name="Cara Holt")
    make_idea(site["consultation"], resident, status=PostStatus.PENDING, title="My draft idea")
    make_comment(site["idea"], resident, status=PostStatus.PENDING, body="My pending comment.")
    services.support_add(idea=site["idea"], user=resident)
    if visitor_first:
        get(site["list_url"])
        get(site["idea_url"])

    listed = get(site["list_url"], resident)[0]
    assert "My draft idea" in listed and "You support this" in listed
    shown = get(site["idea_url"], resident)[0]
    assert "My pending comment." in shown and "You support this idea." in shown
    assert "Edit<span" in shown  # the links to their own comment

    for page in (get(site["list_url"])[0], get(site["idea_url"])[0]):
        assert "My draft idea" not in page and "My pending comment." not in page
        assert "You support this" not in page and "Edit<span" not in page
    # And a signed-in person's page is never a visitor's kept part.
    other = get(site["list_url"], UserFactory())[0]
    assert "You support this" not in other and "My draft idea" not in other


def test_the_list_pages_links_keep_the_filters_alone(site):
    for number in range(25):
        make_idea(
            site["consultation"], UserFactory(), status=PostStatus.PUBLISHED, title=f"Idea {number}"
        )
    page = get(site["consultation"].url + "?q=idea&sort=supported&utm_source=newsletter")[0]
    assert 'href="?q=idea&amp;sort=supported&amp;page=2#ideas"' in page
    assert "utm_source" not in page


def test_a_published_ideas_summary_is_kept_for_everyone_and_changes_at_once(site):
    resident = UserFactory()
    moderator = make_moderator(site["home"])
    get(site["idea_url"])
    shown, queries = get(site["idea_url"], resident)
    assert "0 people support this idea" in shown
    assert reads(queries, '"consultations_ideatheme"') == 0  # kept: its themes not read
    services.support_add(idea=site["idea"], user=resident)
    shown, queries = get(site["idea_url"], resident)
    assert "1 person supports this idea" in shown and "You support this idea." in shown
    assert reads(queries, '"consultations_ideatheme"') == 1
    assert "1 person supports this idea" in get(site["idea_url"])[0]
    assert "You support this idea." not in get(site["idea_url"])[0]

    moderation.post_moderate(
        post=site["idea"], moderator=moderator, action="hide", reason="off_topic"
    )
    hidden = get(site["idea_url"], site["author"])[0]
    assert "A moderator needs to look at this idea" in hidden


def test_a_pending_ideas_summary_is_never_kept(site):
    idea = make_idea(site["consultation"], site["author"], status=PostStatus.PENDING)
    url = route(site["consultation"], "idea-detail", idea.pk) + UNREAD
    moderator = make_moderator(site["home"])
    for _ in range(2):
        assert "Only you can see this idea" in get(url, site["author"])[0]
        assert "Only you and other moderators can see this idea" in get(url, moderator)[0]
    assert Client(HTTP_HOST="localhost").get(url).status_code == 404


def test_a_resident_shown_the_visitors_rows_sees_only_their_own_supports(site):
    """A resident with no pending or hidden idea of their own sees the same ideas as a
    visitor: their page is made from the visitors' kept rows, with what they support."""
    others = make_idea(site["consultation"], UserFactory(), status=PostStatus.PUBLISHED)
    resident, neighbour = UserFactory(), UserFactory()
    services.support_add(idea=site["idea"], user=resident)
    services.support_add(idea=others, user=neighbour)
    get(site["list_url"])
    mine, queries = get(site["list_url"], resident)
    assert reads(queries, IDEA_ROWS) == 1  # their own unlisted ideas (none), nothing more
    assert mine.count("You support this") == 1
    row = mine.split("Open later")[1].split("</li>")[0]
    assert "You support this" in row
    theirs = get(site["list_url"], neighbour)[0]
    assert theirs.count("You support this") == 1
    assert "You support this" not in theirs.split("Open later")[1].split("</li>")[0]
    assert "You support this" not in get(site["list_url"])[0]
    assert "engage-support" not in mine + theirs + get(site["list_url"])[0]
