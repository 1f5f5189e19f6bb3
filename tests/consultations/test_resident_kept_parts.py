"""A signed-in resident's idea list and idea page are made from parts kept for everyone
(`views.ideas.consultation_detail`, `idea_detail`) whenever that shows them exactly what
rendering their own would: each page here is compared, as a whole, with the same page
rendered with the page cache off (nothing kept, everything read for the person asking).

The list: a resident whose own pending and hidden ideas are not in the list, or all come
after the page asked for without adding a page, is shown the visitors' kept rows. The idea
page: a resident with no comment of their own on the idea is shown a thread kept for
everyone signed in with the same rights, rendered for nobody in particular. Nothing of
one person's (their pending comments, their links to edit or withdraw) ever reaches
another."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import selectors
from consultations.models import Comment, IdeaTheme, ModerationMode, PostStatus, Theme
from tests.consultations.conftest import make_comment, make_idea
from tests.factories import UserFactory, make_consultation

NOW = timezone.now()
OTHERS = 45  # published ideas by others: three pages of 20, 20 and 5
COMMENTS_PER_PAGE = selectors.COMMENTS_PER_PAGE


def normalised(html: str) -> str:
    """A page without its CSRF tokens, which differ each time a page is rendered."""
    return re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]*"', r"\1", html)


def signed_in(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def spied(monkeypatch):
    """Who each idea list and page of comments was read for: a signed-in person's own list
    or comments are read only when their page is not made of kept parts."""
    calls = {"ideas": [], "comments": []}
    idea_list, idea_comments = selectors.idea_list, selectors.idea_comments

    def list_spy(**kwargs):
        calls["ideas"].append(kwargs["user"])
        return idea_list(**kwargs)

    def comments_spy(**kwargs):
        calls["comments"].append(kwargs["user"])
        return idea_comments(**kwargs)

    monkeypatch.setattr(selectors, "idea_list", list_spy)
    monkeypatch.setattr(selectors, "idea_comments", comments_spy)
    return calls


def kept_and_fresh(settings, spied, user, url, *, reads) -> tuple[str, str, bool]:
    """The page as `user` gets it while parts are kept (asked twice: the first time may
    keep them), the page rendered afresh with the page cache off, and whether the kept
    one read their own list of ideas or comments (`reads`: "ideas" or "comments")."""
    client = signed_in(user)
    assert client.get(url).status_code == 200
    spied[reads].clear()
    kept = client.get(url)
    assert kept.status_code == 200
    own_read = any(person.is_authenticated for person in spied[reads])
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0
    try:
        fresh = client.get(url)
    finally:
        settings.ENGAGE_PAGE_CACHE_SECONDS = 60
    assert fresh.status_code == 200
    return normalised(kept.content.decode()), normalised(fresh.content.decode()), own_read


# The idea list


@pytest.fixture
def listing(home, consultation_index):
    """An open consultation with `OTHERS` published ideas by other residents, one a day,
    the newest a day old: every other one about parking (the rest about evening
    appointments) and in Riverside (the rest in Hillcrest), with supports and comments in
    an order of their own, some equal, so each sort orders them differently."""
    consultation = make_consultation(consultation_index, moderation_mode=ModerationMode.POST)
    riverside = consultation.neighbourhoods.get(name="Riverside")
    hillcrest = consultation.neighbourhoods.get(name="Hillcrest")
    author = UserFactory()
    for number in range(OTHERS):
        make_idea(
            consultation,
            author,
            title=f"Idea {number} about {'parking' if number % 2 else 'evening appointments'}",
            neighbourhood=riverside if number % 2 else hillcrest,
            created_at=NOW - timedelta(days=number + 1),
            support_count=(number * 7) % 11,
            comment_count=(number * 5) % 13,
        )
    return {
        "consultation": consultation,
        "neighbourhoods": {"Riverside": riverside, "Hillcrest": hillcrest},
        "resident": UserFactory(),
    }


# When a resident's own idea was posted, in days before now: "newest" is newer than every
# other idea, "oldest" older, and 25.5 between the ideas at the top of page 2 (the 25th and
# 26th newest).
WHEN = {"newest": 0, "oldest": 1000, "page 2": 25.5}

# (situation, number of others' ideas, the resident's own ideas as (status, when[, supports
# [, comments]]), all in Hillcrest and about parking, the query, and whether their page is
# made of the visitors' kept rows)
LIST_SITUATIONS = [
    ("no own ideas", OTHERS, [], "", True),
    ("no own ideas, page 2", OTHERS, [], "?page=2", True),
    ("no own ideas, last page", OTHERS, [], "?page=3", True),
    ("no own ideas, a page past the last", OTHERS, [], "?page=99", True),
    ("no own ideas or anyone's", 0, [], "", True),
    ("an own pending idea, newest, page 1", OTHERS, [("pending", "newest")], "", False),
    ("an own pending idea, newest, page 3", OTHERS, [("pending", "newest")], "?page=3", False),
    ("an own hidden idea, oldest, page 1", OTHERS, [("hidden", "oldest")], "", True),
    ("an own hidden idea, oldest, page 2", OTHERS, [("hidden", "oldest")], "?page=2", True),
    ("an own hidden idea, oldest, last page", OTHERS, [("hidden", "oldest")], "?page=3", False),
    ("an own hidden idea, oldest, page 99", OTHERS, [("hidden", "oldest")], "?page=99", False),
    ("an own hidden idea, oldest, page 0", OTHERS, [("hidden", "oldest")], "?page=0", False),
    ("an own hidden idea, oldest, no page", OTHERS, [("hidden", "oldest")], "?page=x", True),
    ("one more idea adds a page, page 1", 40, [("hidden", "oldest")], "", False),
    ("one more idea adds a page, page 2", 40, [("hidden", "oldest")], "?page=2", False),
    ("own pending idea among page 2's, page 1", OTHERS, [("pending", "page 2")], "", True),
    ("own pending idea among page 2's", OTHERS, [("pending", "page 2")], "?page=2", False),
    (
        "own pending and hidden ideas, oldest",
        OTHERS,
        [("pending", "oldest"), ("hidden", "oldest")],
        "",
        True,
    ),
    ("own withdrawn idea, newest", OTHERS, [("withdrawn", "newest")], "", True),
    ("own published idea, newest", OTHERS, [("published", "newest")], "", True),
    (
        "own published idea, newest, and hidden one, oldest",
        OTHERS,
        [("published", "newest"), ("hidden", "oldest")],
        "",
        True,
    ),
    ("newest: own idea oldest, most supported", OTHERS, [("hidden", "oldest", 50)], "", True),
    (
        "most supported: own idea oldest, most supported",
        OTHERS,
        [("hidden", "oldest", 50)],
        "?sort=supported",
        False,
    ),
    (
        "most supported: own idea oldest, least supported",
        OTHERS,
        [("hidden", "oldest", 0)],
        "?sort=supported",
        True,
    ),
    (
        "most supported: own idea newest, least supported",
        OTHERS,
        [("pending", "newest", 0)],
        "?sort=supported",
        True,
    ),
    (
        "most supported, page 2: own idea newest, least supported",
        OTHERS,
        [("pending", "newest", 0)],
        "?sort=supported&page=2",
        True,
    ),
    (
        "most discussed: own idea oldest, most discussed",
        OTHERS,
        [("hidden", "oldest", 0, 50)],
        "?sort=discussed",
        False,
    ),
    (
        "most discussed: own idea newest, least discussed",
        OTHERS,
        [("pending", "newest", 0, 0)],
        "?sort=discussed",
        True,
    ),
    (
        "most discussed, as many comments as a row of page 1",
        OTHERS,
        [("pending", "newest", 0, 12)],
        "?sort=discussed",
        False,
    ),
    ("a search finding own idea, oldest", OTHERS, [("hidden", "oldest")], "?q=parking", True),
    (
        "a search finding own idea, oldest, page 2",
        OTHERS,
        [("hidden", "oldest")],
        "?q=parking&page=2",
        False,
    ),
    ("a search finding own idea, newest", OTHERS, [("pending", "newest")], "?q=parking", False),
    (
        "a search not finding own idea",
        OTHERS,
        [("hidden", "oldest")],
        "?q=evening+appointments",
        True,
    ),
    (
        "a search not finding own newest idea",
        OTHERS,
        [("pending", "newest")],
        "?q=evening+appointments",
        True,
    ),
    ("another neighbourhood's", OTHERS, [("hidden", "oldest")], "?neighbourhood=Riverside", True),
    ("own neighbourhood's", OTHERS, [("hidden", "oldest")], "?neighbourhood=Hillcrest", True),
    (
        "own neighbourhood's, newest",
        OTHERS,
        [("pending", "newest")],
        "?neighbourhood=Hillcrest",
        False,
    ),
    ("a theme with own idea", OTHERS, [("hidden", "oldest")], "?theme=mine", True),
    ("a theme and a search", OTHERS, [("hidden", "oldest")], "?theme=mine&q=about", True),
    (
        "a theme and a search, one page",
        OTHERS,
        [("hidden", "oldest")],
        "?theme=mine&q=parking",
        False,
    ),
    ("a theme without own idea", OTHERS, [("pending", "newest")], "?theme=others", True),
]


def own_idea(listing, status, when, supports=3, comments=2):
    consultation = listing["consultation"]
    return make_idea(
        consultation,
        listing["resident"],
        status=status,
        title="My own idea about parking",
        neighbourhood=listing["neighbourhoods"]["Hillcrest"],
        created_at=NOW - timedelta(days=WHEN[when]),
        support_count=supports,
        comment_count=comments,
    )


def with_names(listing, query: str) -> str:
    """The query with a neighbourhood's or theme's name made its id."""
    for name, neighbourhood in listing["neighbourhoods"].items():
        query = query.replace(f"neighbourhood={name}", f"neighbourhood={neighbourhood.pk}")
    for name, theme in listing.get("themes", {}).items():
        query = query.replace(f"theme={name}", f"theme={theme.pk}")
    return query


@pytest.mark.parametrize(
    ("others", "own", "query", "visitors_rows"),
    [situation[1:] for situation in LIST_SITUATIONS],
    ids=[situation[0] for situation in LIST_SITUATIONS],
)
def test_a_residents_idea_list_is_the_one_rendered_for_them(
    listing, settings, spied, others, own, query, visitors_rows
):
    consultation = listing["consultation"]
    consultation.ideas.filter(created_at__lt=NOW - timedelta(days=others)).delete()
    mine = [own_idea(listing, *each) for each in own]
    if "theme=" in query:
        themes = {
            name: Theme.objects.create(consultation=consultation, name=f"Theme {name}")
            for name in ("mine", "others")
        }
        others_ideas = consultation.ideas.exclude(author=listing["resident"]).order_by("pk")
        IdeaTheme.objects.bulk_create(
            IdeaTheme(idea=idea, theme=themes["mine" if number % 3 else "others"])
            for number, idea in enumerate(others_ideas)
        )
        IdeaTheme.objects.bulk_create(IdeaTheme(idea=idea, theme=themes["mine"]) for idea in mine)
        listing["themes"] = themes
    # Supports of the resident's on some of the ideas shown: theirs alone are marked.
    for idea in consultation.ideas.exclude(author=listing["resident"]).order_by("pk")[::3]:
        idea.supports.create(user=listing["resident"])
    url = consultation.url + with_names(listing, query)
    signed_in(None).get(url)  # a visitor's rows, kept first
    kept, fresh, own_read = kept_and_fresh(settings, spied, listing["resident"], url, reads="ideas")
    assert kept == fresh
    assert own_read is not visitors_rows


def test_a_residents_unlisted_ideas_reach_nobody_else(listing):
    """Two residents in turn, each with an unlisted idea coming after page 1: each sees the
    visitors' rows with their own count; neither ever sees the other's idea."""
    consultation = listing["consultation"]
    other = UserFactory()
    own_idea(listing, "hidden", "oldest")
    make_idea(consultation, other, status="pending", title="Theirs, waiting", created_at=NOW)
    for user, count in ((listing["resident"], OTHERS + 1), (other, OTHERS + 1)):
        page = signed_in(user).get(consultation.url).content.decode()
        assert f"Ideas ({count})" in page
        assert ("Theirs, waiting" in page) is (user == other)
    for page in (
        signed_in(listing["resident"]).get(consultation.url + "?page=3").content.decode(),
        signed_in(None).get(consultation.url + "?page=3").content.decode(),
    ):
        assert "Theirs, waiting" not in page
    assert "My own idea" not in signed_in(other).get(consultation.url + "?page=3").content.decode()


# An idea's page


@pytest.fixture
def thread(home, consultation_index):
    """A published idea with four published comments by others (one with a reply, one
    whose author erased their account and left it), in an open consultation; its page's
    address."""
    consultation = make_consultation(consultation_index, moderation_mode=ModerationMode.POST)
    idea = make_idea(consultation, UserFactory(), title="Open on Saturdays")
    ben = UserFactory(display_name="Ben Hale")
    first = make_comment(idea, ben, body="Saturday mornings.", created_at=NOW - timedelta(days=3))
    make_comment(idea, UserFactory(), body="Yes please.", parent=first)
    make_comment(idea, UserFactory(), body="Sundays too.", created_at=NOW - timedelta(days=2))
    make_comment(idea, None, body="From an erased account.", created_at=NOW - timedelta(days=1))
    idea.comment_count = 4
    idea.save(update_fields=["comment_count"])
    return {
        "consultation": consultation,
        "idea": idea,
        "url": consultation.url + consultation.reverse_subpage("idea-detail", args=[idea.pk]),
    }


def everyone_views(url, *people):
    """Each of them, and a visitor, views the page: what may be kept is kept."""
    for person in (None, *people):
        assert signed_in(person).get(url).status_code == 200


EDIT = "Edit<span"
WITHDRAW = "Withdraw<span"
REPORT = "Report<span"


@pytest.mark.parametrize(
    ("own", "kept_thread"),
    [
        (None, True),
        ("pending", False),
        ("published", False),
        ("hidden", False),
        ("withdrawn", True),
        ("pending reply", False),
    ],
    ids=lambda value: str(value),
)
def test_a_residents_idea_page_is_the_one_rendered_for_them(
    thread, settings, spied, own, kept_thread
):
    resident = UserFactory()
    if own == "pending reply":
        first = thread["idea"].comments.get(body="Saturday mornings.")
        make_comment(thread["idea"], resident, status="pending", body="Mine.", parent=first)
    elif own is not None:
        make_comment(thread["idea"], resident, status=own, body="Mine.")
    everyone_views(thread["url"], UserFactory(), UserFactory(verified=False))
    kept, fresh, own_read = kept_and_fresh(
        settings, spied, resident, thread["url"], reads="comments"
    )
    assert kept == fresh
    assert own_read is not kept_thread
    assert "Saturday mornings." in fresh and "Yes please." in fresh and REPORT in fresh
    assert ("Mine." in fresh) is (own not in (None, "withdrawn"))
    assert (EDIT in fresh) is (own in ("pending", "published", "pending reply"))
    assert (WITHDRAW in fresh) is (own in ("pending", "published", "pending reply"))


def test_a_residents_own_published_comment_has_their_links_not_report(thread, settings, spied):
    resident = UserFactory()
    make_comment(thread["idea"], resident, status="published", body="Mine, published.")
    everyone_views(thread["url"], UserFactory())
    kept, fresh, _ = kept_and_fresh(settings, spied, resident, thread["url"], reads="comments")
    assert kept == fresh
    mine = fresh.split("Mine, published.")[1].split("</article>")[0]
    assert EDIT in mine and WITHDRAW in mine and REPORT not in mine


@pytest.mark.parametrize("first", ["with a comment", "with none"])
def test_two_residents_in_turn_never_see_each_others_comments_or_links(thread, first):
    """A has a pending comment and a published one; B has none. Whoever views first, B never
    sees A's pending comment nor links to edit A's, and A never gets B's kept thread."""
    a, b = UserFactory(), UserFactory()
    make_comment(thread["idea"], a, status="pending", body="Pending comment by A.")
    make_comment(thread["idea"], a, status="published", body="Published comment by A.")
    order = [a, b, a, b] if first == "with a comment" else [b, a, b, a]
    for person in order:
        page = signed_in(person).get(thread["url"]).content.decode()
        published = page.split("Published comment by A.")[1].split("</article>")[0]
        if person == a:
            assert "Pending comment by A." in page
            assert EDIT in published and REPORT not in published
        else:
            assert "Pending comment by A." not in page
            assert EDIT not in page and WITHDRAW not in page
            assert REPORT in published
    visitor = signed_in(None).get(thread["url"]).content.decode()
    assert "Pending comment by A." not in visitor and EDIT not in visitor


@pytest.mark.parametrize("who", ["unverified", "verified"])
@pytest.mark.parametrize("phase", ["open", "closed"])
def test_a_thread_is_kept_apart_for_each_set_of_rights(
    home, consultation_index, settings, spied, who, phase
):
    """Someone who cannot comment (email not verified: "verify"; or the consultation is
    closed) gets the thread for their rights, whoever viewed it before them."""
    consultation = make_consultation(consultation_index, phase=phase)
    idea = make_idea(consultation, UserFactory(), title="Open later")
    make_comment(idea, UserFactory(), body="Thursdays.")
    url = consultation.url + consultation.reverse_subpage("idea-detail", args=[idea.pk])
    person = UserFactory(verified=who == "verified")
    everyone_views(url, UserFactory(), UserFactory(verified=False))
    kept, fresh, own_read = kept_and_fresh(settings, spied, person, url, reads="comments")
    assert kept == fresh and not own_read
    assert ("Reply<span" in fresh) is (who == "verified" and phase == "open")
    assert (REPORT in fresh) is (who == "verified")


@pytest.mark.parametrize("own", [None, "pending"])
def test_a_second_page_of_comments_is_the_one_rendered_for_them(thread, settings, spied, own):
    idea = thread["idea"]
    author = UserFactory()
    Comment.objects.bulk_create(
        Comment(
            idea=idea,
            author=author,
            body=f"Comment number {number}.",
            status=PostStatus.PUBLISHED,
            created_at=NOW - timedelta(hours=40 - number),
        )
        for number in range(COMMENTS_PER_PAGE + 5)
    )
    resident = UserFactory()
    if own:
        make_comment(idea, resident, status=own, body="Mine, on page 2.")
    for comments_page in ("?comments=2", "?comments=9", "?comments=x"):
        url = thread["url"] + comments_page
        everyone_views(url, UserFactory())
        kept, fresh, own_read = kept_and_fresh(settings, spied, resident, url, reads="comments")
        assert kept == fresh
        assert own_read is bool(own)
        on_page_2 = comments_page != "?comments=x"
        assert ("Comment number 34." in fresh) is on_page_2
        assert ("Mine, on page 2." in fresh) is (on_page_2 and bool(own))


@pytest.mark.parametrize("status", [PostStatus.PUBLISHED, PostStatus.PENDING])
def test_a_comment_posted_while_a_kept_thread_is_rendered_is_never_shown_as_theirs(
    thread, monkeypatch, status
):
    """The kept thread is rendered from published comments, for nobody in particular: a
    resident's comment posted after they were found to have none is not in it while
    pending, and shows as anyone's once published, with "Report" (never with their links,
    which the thread would keep for everyone)."""
    resident = UserFactory()
    idea_comments = selectors.idea_comments

    def posted_meanwhile(**kwargs):
        if not Comment.objects.filter(author=resident).exists():
            make_comment(thread["idea"], resident, status=status, body="Posted just now.")
        return idea_comments(**kwargs)

    monkeypatch.setattr(selectors, "idea_comments", posted_meanwhile)
    page = signed_in(resident).get(thread["url"]).content.decode()
    assert Comment.objects.filter(author=resident).exists()
    if status == PostStatus.PENDING:
        assert "Posted just now." not in page
    else:
        mine = page.split("Posted just now.")[1].split("</article>")[0]
        assert REPORT in mine and EDIT not in mine and WITHDRAW not in mine
    assert EDIT not in page and WITHDRAW not in page


def test_a_kept_thread_is_rendered_from_published_comments_alone(thread):
    """Read for a visitor, whoever asks: another resident's pending comment is never in it."""
    other = UserFactory()
    make_comment(thread["idea"], other, status="pending", body="Theirs, waiting.")
    make_comment(thread["idea"], other, status="hidden", body="Theirs, hidden.")
    page = signed_in(UserFactory()).get(thread["url"]).content.decode()
    assert "Theirs, waiting." not in page and "Theirs, hidden." not in page
    assert "Saturday mornings." in page


def test_has_own_comment_is_read_with_the_idea(thread):
    resident = UserFactory()
    idea = thread["idea"]

    def read(user):
        consultation = thread["consultation"]
        return selectors.idea_for_page(consultation=consultation, idea_id=idea.pk, user=user)

    for status, expected in (("withdrawn", False), ("hidden", True), ("pending", True)):
        comment = make_comment(idea, resident, status=status)
        assert read(resident).has_own_comment is expected
        comment.delete()
    assert read(AnonymousUser()).has_own_comment is False
    assert read(UserFactory()).has_own_comment is False


# Queries


def sized_consultation(index, size: int, resident):
    """A consultation with `size` published ideas by others, and `size` comments (half of
    them replies) on the first; `resident` has a pending idea and comment on it when
    `resident` is given. Returns the list's and the first idea's addresses."""
    consultation = make_consultation(index, moderation_mode=ModerationMode.POST)
    author = UserFactory()
    ideas = [
        make_idea(consultation, author, title=f"Idea {number}", support_count=number % 7)
        for number in range(size)
    ]
    tops = Comment.objects.bulk_create(
        Comment(idea=ideas[0], author=author, body=f"Comment {n}", status=PostStatus.PUBLISHED)
        for n in range(size // 2)
    )
    Comment.objects.bulk_create(
        Comment(idea=ideas[0], author=author, parent=top, body="Reply", status="published")
        for top in tops
    )
    if resident is not None:
        make_idea(consultation, resident, status=PostStatus.PENDING, title="Mine")
        make_comment(ideas[0], resident, status=PostStatus.PENDING, body="Mine")
    idea_url = consultation.url + consultation.reverse_subpage("idea-detail", args=[ideas[0].pk])
    return {"list": consultation.url, "idea": idea_url}


def queries_for(client, url) -> int:
    client.get(url)  # what may be kept, kept
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("own_posts", [False, True], ids=["none of their own", "their own"])
def test_a_residents_idea_list_and_page_take_as_many_queries_at_any_size(
    consultation_index, own_posts
):
    """With kept parts (none of their own on the page), a resident's list takes the
    session, the person (with whether they have a role: a resident has none, so no groups
    are read), their unlisted ideas, their supports and whether they follow the
    consultation; routing reads no page (kept under the site cache generation). Their idea
    page takes the session, the person and the idea. With their own posts on the page,
    their list reads their count and page of ideas as well, and the idea page its count,
    comments and replies."""
    resident = UserFactory()
    client = signed_in(resident)
    counts = {
        size: {
            page: queries_for(client, url)
            for page, url in sized_consultation(
                consultation_index, size, resident if own_posts else None
            ).items()
        }
        for size in (25, 250)
    }
    expected = {"list": 7, "idea": 6} if own_posts else {"list": 5, "idea": 3}
    assert counts == {25: expected, 250: expected}
