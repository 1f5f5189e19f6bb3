"""The moderators' screens in the Wagtail admin, through the test client.

PCN A's moderator works on PCN A's consultations only; PCN B's posts and themes are out of
reach whatever URL or form field they try.
"""

from datetime import timedelta
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.urls import resolve
from django.utils import timezone
from wagtail.admin.utils import get_user_display_name

from consultations import moderation
from consultations.models import (
    Comment,
    Flag,
    Idea,
    ModerationDecision,
    PostStatus,
    Theme,
    ThemeQuote,
)
from tests.factories import make_consultation
from tests.moderation.conftest import (
    make_comment,
    make_idea,
    make_moderator,
    make_user,
    make_vision,
)

MODERATION = "/admin/moderation/"
QUEUE = "/admin/moderation/ideas/"
COMMENTS = "/admin/moderation/comments/"
ADMIN_LOGIN = "/admin/login/"


def post_url(post) -> str:
    return f"{QUEUE if isinstance(post, Idea) else COMMENTS}{post.pk}/"


def history_url(post) -> str:
    return f"{post_url(post)}history/"


def bulk_url(action, posts, *, model="idea", next_url=QUEUE) -> str:
    """Wagtail's bulk action confirmation for the ticked posts, as the listing's script
    builds it."""
    ids = "&".join(f"id={post if isinstance(post, (int, str)) else post.pk}" for post in posts)
    return f"/admin/bulk/consultations/{model}/{action}/?{ids}&next={quote(next_url)}"


def themes_url(consultation) -> str:
    return f"{MODERATION}themes/{consultation.pk}/"


def assign_url(consultation) -> str:
    return f"{MODERATION}themes/{consultation.pk}/ideas/"


def theme_url(theme) -> str:
    return f"{MODERATION}theme/{theme.pk}/"


def queue_keys(client, query: str = "", *, listing: str = QUEUE) -> list[str]:
    """The posts listed in the queue, as keys ("idea-3"), top to bottom."""
    response = client.get(listing + query)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    kind = "idea" if listing == QUEUE else "comment"
    return [
        f"{kind}-{box['data-object-id']}" for box in soup.select("input[data-bulk-action-checkbox]")
    ]


def key(post) -> str:
    return f"{'idea' if isinstance(post, Idea) else 'comment'}-{post.pk}"


def messages_of(response) -> list[str]:
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def refused(response) -> bool:
    """Wagtail turns PermissionDenied into a redirect to the dashboard with an error."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def two_pcns(consultation, other_consultation, author):
    """A pending idea and a pending comment in each PCN, and a theme in each."""
    a_idea = make_idea(consultation, author, title="Riverside late clinic")
    b_idea = make_idea(other_consultation, author, title="Secret of the other PCN")
    a_published = make_idea(consultation, author, status=PostStatus.PUBLISHED, title="A open")
    b_published = make_idea(other_consultation, author, status=PostStatus.PUBLISHED, title="B open")
    return {
        "a_idea": a_idea,
        "b_idea": b_idea,
        "a_published": a_published,
        "b_published": b_published,
        "a_comment": make_comment(a_published, author, body="A comment waiting"),
        "b_comment": make_comment(b_published, author, body="B comment waiting"),
        "a_theme": Theme.objects.create(consultation=consultation, name="A theme"),
        "b_theme": Theme.objects.create(consultation=other_consultation, name="B theme"),
    }


def statuses():
    return (
        sorted(Idea.objects.values_list("pk", "status")),
        sorted(Comment.objects.values_list("pk", "status")),
    )


# One PCN's moderator never reaches another PCN's posts


def test_queue_lists_only_the_moderators_own_pcn(client, moderator, other_moderator, two_pcns):
    client.force_login(moderator)
    response = client.get(QUEUE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Riverside late clinic" in page
    assert "Secret of the other PCN" not in page
    assert queue_keys(client) == [key(two_pcns["a_idea"])]
    assert queue_keys(client, listing=COMMENTS) == [key(two_pcns["a_comment"])]
    assert "B comment waiting" not in client.get(COMMENTS).content.decode()

    client.force_login(other_moderator)
    assert queue_keys(client) == [key(two_pcns["b_idea"])]


def test_the_consultation_filter_offers_and_accepts_only_own_consultations(
    client, moderator, two_pcns, other_consultation
):
    client.force_login(moderator)
    soup = BeautifulSoup(client.get(QUEUE).content, "html.parser")
    offered = [option.get_text() for option in soup.select("select[name=consultation] option")]
    assert offered == ["All consultations", "Evening appointments"]
    keys = queue_keys(client, f"?consultation={other_consultation.pk}&status=pending")
    assert key(two_pcns["b_idea"]) not in keys


@pytest.mark.parametrize("post", ["b_idea", "b_comment"])
def test_cannot_open_another_pcns_post(client, moderator, two_pcns, post):
    client.force_login(moderator)
    response = client.get(post_url(two_pcns[post]))
    assert refused(response), response.status_code
    assert b"Secret of the other PCN" not in response.content
    assert b"B comment waiting" not in response.content


@pytest.mark.parametrize("post", ["b_idea", "b_comment"])
@pytest.mark.parametrize("action", ["approve", "hide"])
def test_cannot_decide_on_another_pcns_post(client, moderator, two_pcns, post, action):
    client.force_login(moderator)
    before = statuses()
    response = client.post(
        post_url(two_pcns[post]), {"action": action, "reason": "spam", "seen_status": "pending"}
    )
    assert refused(response), response.status_code
    assert statuses() == before
    assert not ModerationDecision.objects.exists()


def test_smuggling_another_pcns_posts_into_a_bulk_action_changes_nothing_at_all(
    client, moderator, two_pcns, on_commit, mailoutbox
):
    """A bulk decision applies to every ticked post or to none: PCN B's posts are not in this
    moderator's queue, so not even PCN A's post ticked with them is decided, and the
    confirmation counts them without naming them."""
    client.force_login(moderator)
    ticked = [two_pcns["b_idea"], two_pcns["b_published"], two_pcns["a_idea"]]
    url = bulk_url("approve", ticked)
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert b"Secret of the other PCN" not in confirmation.content
    assert b"B open" not in confirmation.content
    assert "2 of the ticked posts are not in your queue" in confirmation.content.decode()
    assert not BeautifulSoup(confirmation.content, "html.parser").select("textarea[name=note]")
    before = statuses()
    with on_commit(execute=True):
        response = client.post(
            url, {**{f"seen-{post.pk}": "pending" for post in ticked}, "reason": "", "note": ""}
        )
    assert response.status_code == 400
    assert messages_of(response) == [
        "Nothing was changed: 2 of the 3 ticked posts could not be decided. Check them and "
        "decide again.",
        "2 of the ticked posts are not in your queue (they may have been deleted).",
    ]
    assert b"Secret of the other PCN" not in response.content
    assert statuses() == before
    assert not ModerationDecision.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(("post", "model"), [("b_idea", "idea"), ("b_comment", "comment")])
def test_smuggling_only_another_pcns_post_changes_nothing(client, moderator, two_pcns, post, model):
    client.force_login(moderator)
    before = statuses()
    url = bulk_url("hide", [two_pcns[post]], model=model)
    response = client.post(url, {f"seen-{two_pcns[post].pk}": "pending", "reason": "spam"})
    assert response.status_code == 400
    assert b"Secret of the other PCN" not in response.content
    assert b"B comment waiting" not in response.content
    assert statuses() == before
    assert not ModerationDecision.objects.exists()


def test_cannot_open_another_pcns_themes(client, moderator, two_pcns, other_consultation):
    """Refused however the URL is routed: never shown, never changed."""
    client.force_login(moderator)
    b_theme = two_pcns["b_theme"]
    for url in (themes_url(other_consultation), assign_url(other_consultation), theme_url(b_theme)):
        response = client.get(url)
        assert b"B theme" not in response.content, url
        assert b"Weekend opening" not in response.content, url
    client.post(themes_url(other_consultation), {"action": "create", "name": "Sneaky"})
    client.post(theme_url(b_theme), {"action": "save", "name": "Renamed", "summary": ""})
    client.post(theme_url(b_theme), {"action": "delete"})
    client.post(
        assign_url(other_consultation),
        {"ideas": [two_pcns["b_published"].pk], "theme": b_theme.pk},
    )
    assert list(Theme.objects.filter(consultation=other_consultation)) == [b_theme]
    assert Theme.objects.get(pk=b_theme.pk).name == "B theme"
    assert not b_theme.ideas.exists()


def test_another_pcns_theme_screens_are_refused_not_missing(
    client, moderator, two_pcns, other_consultation
):
    client.force_login(moderator)
    assert refused(client.get(themes_url(other_consultation)))
    assert refused(client.get(theme_url(two_pcns["b_theme"])))
    assert refused(client.post(themes_url(other_consultation), {"action": "create", "name": "X"}))
    assert refused(client.post(theme_url(two_pcns["b_theme"]), {"action": "delete"}))


def test_cannot_assign_ideas_to_another_pcns_theme(client, moderator, two_pcns, consultation):
    client.force_login(moderator)
    assert refused(client.get(assign_url(two_pcns["b_theme"].consultation)))
    # Through PCN A's own assign screen, naming PCN B's theme and idea.
    client.post(
        assign_url(consultation),
        {"ideas": [two_pcns["b_published"].pk], "theme": two_pcns["b_theme"].pk},
    )
    client.post(
        assign_url(consultation),
        {"ideas": [two_pcns["b_published"].pk], "theme": two_pcns["a_theme"].pk},
    )
    assert not two_pcns["b_theme"].ideas.exists()
    assert not two_pcns["a_theme"].ideas.exists()


# Who may open the moderation screens at all


def every_moderation_url(world) -> list[str]:
    return [
        QUEUE,
        COMMENTS + "?status=hidden",
        post_url(world["a_idea"]),
        post_url(world["a_comment"]),
        history_url(world["a_idea"]),
        history_url(world["a_comment"]),
        bulk_url("approve", [world["a_idea"]]),
        bulk_url("hide", [world["a_comment"]], model="comment"),
        f"{MODERATION}themes/",
        themes_url(world["a_theme"].consultation),
        assign_url(world["a_theme"].consultation),
        theme_url(world["a_theme"]),
    ]


def test_anonymous_visitors_are_sent_to_the_admin_login(client, two_pcns):
    for url in every_moderation_url(two_pcns):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(ADMIN_LOGIN), url


@pytest.mark.parametrize("who", ["resident", "staff", "other PCN's staff"])
def test_people_who_are_not_moderators_are_refused(client, two_pcns, home, other_home, who):
    groups = {
        "resident": [],
        "staff": [home.pcn.staff_group],
        "other PCN's staff": [other_home.pcn.staff_group],
    }[who]
    user = make_user(groups=groups)
    client.force_login(user)
    before = statuses()
    for url in every_moderation_url(two_pcns):
        for response in (
            client.get(url),
            client.post(
                url,
                {
                    "posts": [key(two_pcns["a_idea"])],
                    "action": "approve",
                    "ideas": [two_pcns["a_published"].pk],
                    "theme": two_pcns["a_theme"].pk,
                    "name": "Sneaky",
                },
            ),
        ):
            assert response.status_code in (302, 403), url
            if response.status_code == 302:
                assert response["Location"].startswith((ADMIN_LOGIN, "/admin/")), url
                assert response["Location"] != url
            assert b"Riverside late clinic" not in response.content
    assert statuses() == before
    assert list(Theme.objects.values_list("name", flat=True)) == ["A theme", "B theme"]
    assert not two_pcns["a_theme"].ideas.exists()


def test_a_resident_is_sent_to_the_admin_login(client, two_pcns):
    client.force_login(make_user())
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)


def test_the_menu_shows_moderation_only_to_moderators(client, moderator, home):
    staff = make_user(groups=[home.pcn.staff_group])
    client.force_login(moderator)
    assert b"/admin/moderation/" in client.get("/admin/").content
    client.force_login(staff)
    assert b"/admin/moderation/" not in client.get("/admin/").content


# The queue's filters


@pytest.fixture
def queue_world(consultation, consultation_index, author):
    second = make_consultation(consultation_index, title="Second consultation")
    now = timezone.now()
    ideas = {
        "pending_old": make_idea(consultation, author, title="Pending old"),
        "pending_new": make_idea(consultation, author, title="Pending new"),
        "pending_mid": make_idea(second, author, title="Pending mid"),
        "reported": make_idea(consultation, author, status="published", title="Reported"),
        "resolved": make_idea(consultation, author, status="published", title="Resolved"),
        "quiet": make_idea(consultation, author, status="published", title="Quiet"),
        "hidden": make_idea(consultation, author, status="hidden", title="Hidden one"),
        "withdrawn": make_idea(consultation, author, status="withdrawn", title="Withdrawn"),
    }
    ages = {"pending_old": 9, "pending_mid": 4, "pending_new": 0, "reported": 2, "hidden": 8}
    for name, days in ages.items():
        Idea.objects.filter(pk=ideas[name].pk).update(created_at=now - timedelta(days=days))
    Flag.objects.create(idea=ideas["reported"], reporter=make_user(), reason="spam")
    Flag.objects.create(
        idea=ideas["resolved"], reporter=make_user(), reason="spam", resolved_at=now
    )
    comments = {
        "pending": make_comment(ideas["quiet"], author, body="Pending comment"),
        "hidden": make_comment(ideas["quiet"], author, status="hidden", body="Hidden comment"),
        "published": make_comment(ideas["quiet"], author, status="published", body="Fine"),
    }
    return {"ideas": ideas, "comments": comments, "second": second}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["pending_old", "pending_mid", "reported", "pending_new"]),
        ("?status=attention", ["pending_old", "pending_mid", "reported", "pending_new"]),
        ("?status=pending", ["pending_old", "pending_mid", "pending_new"]),
        ("?status=reported", ["reported"]),
        ("?status=hidden", ["hidden"]),
        ("?status=published", ["reported", "resolved", "quiet"]),
        ("?status=pending&older_than=1", ["pending_old", "pending_mid"]),
        ("?status=pending&older_than=7", ["pending_old"]),
        ("?older_than=3", ["pending_old", "pending_mid"]),
    ],
)
def test_queue_filters_ideas_oldest_first(client, moderator, queue_world, query, expected):
    client.force_login(moderator)
    ideas = queue_world["ideas"]
    keys = queue_keys(client, query)
    if "published" in query:  # equal ages: oldest first, then by number
        assert sorted(keys) == sorted(key(ideas[name]) for name in expected)
    else:
        assert keys == [key(ideas[name]) for name in expected]


def test_queue_filters_by_consultation(client, moderator, queue_world):
    client.force_login(moderator)
    second = queue_world["second"]
    assert queue_keys(client, f"?consultation={second.pk}") == [
        key(queue_world["ideas"]["pending_mid"])
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", ["pending"]), ("&status=pending", ["pending"]), ("&status=hidden", ["hidden"])],
)
def test_queue_lists_comments(client, moderator, queue_world, query, expected):
    client.force_login(moderator)
    comments = queue_world["comments"]
    assert queue_keys(client, "?" + query.lstrip("&"), listing=COMMENTS) == [
        key(comments[name]) for name in expected
    ]


def test_reported_comments_are_in_the_queue(client, moderator, queue_world):
    comment = queue_world["comments"]["published"]
    Flag.objects.create(comment=comment, reporter=make_user(), reason="abusive", details="Rude")
    client.force_login(moderator)
    assert queue_keys(client, "?status=reported", listing=COMMENTS) == [key(comment)]
    page = client.get(COMMENTS + "?status=reported").content.decode()
    assert "Abusive, offensive or discriminatory: Rude" in page


# Deciding in bulk


def test_bulk_approve_of_three_ticked_posts(
    client, moderator, consultation, author, on_commit, mailoutbox
):
    ideas = [make_idea(consultation, author, title=f"Waiting {n}") for n in range(4)]
    ticked = ideas[:3]
    client.force_login(moderator)
    url = bulk_url("approve", ticked, next_url=QUEUE + "?status=pending")
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    soup = BeautifulSoup(confirmation.content, "html.parser")
    assert [item.get_text(" ", strip=True) for item in soup.select("main li")] == [
        f"Waiting {n} (waiting for a moderator)" for n in range(3)
    ]
    seen = {box["name"]: box["value"] for box in soup.select("input[name^=seen-]")}
    assert seen == {f"seen-{idea.pk}": "pending" for idea in ticked}
    with on_commit(execute=True):
        response = client.post(url, {**seen, "reason": "", "note": ""})
    assert response.status_code == 302
    assert response["Location"] == QUEUE + "?status=pending"
    assert "3 post(s) updated; their authors will be told." in messages_of(response)
    for idea in ticked:
        idea.refresh_from_db()
        assert idea.status == PostStatus.PUBLISHED
    assert Idea.objects.get(pk=ideas[3].pk).status == PostStatus.PENDING
    assert ModerationDecision.objects.filter(actor=moderator, action="approve").count() == 3
    assert len(mailoutbox) == 3
    assert {email.subject for email in mailoutbox} == {"Engage: Your idea is published"}


def test_bulk_hide_and_restore_of_comments(
    client, moderator, published_idea, author, on_commit, mailoutbox
):
    comments = [make_comment(published_idea, author, status="published") for _ in range(2)]
    client.force_login(moderator)
    with on_commit(execute=True):
        response = client.post(
            bulk_url("hide", comments, model="comment", next_url=COMMENTS),
            {"reason": "abusive", "note": "Please be kind"},
        )
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {PostStatus.HIDDEN}
    with on_commit(execute=True):
        response = client.post(bulk_url("restore", comments, model="comment"), {"reason": ""})
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {PostStatus.PUBLISHED}
    assert [d.action for d in ModerationDecision.objects.order_by("pk")] == [
        "hide",
        "hide",
        "restore",
        "restore",
    ]
    assert len(mailoutbox) == 4


def test_a_stale_bulk_confirmation_reports_the_conflict_and_changes_nothing(
    client, moderator, home, consultation, author, on_commit, mailoutbox
):
    idea = make_idea(consultation, author, title="Already done")
    client.force_login(moderator)
    url = bulk_url("hide", [idea])
    assert client.get(url).status_code == 200  # the confirmation shows it waiting
    # Another moderator of the same PCN approved it after this moderator saw it.
    moderation.post_moderate(post=idea, moderator=make_moderator(home), action="approve")
    with on_commit(execute=True):
        response = client.post(url, {f"seen-{idea.pk}": "pending", "reason": "spam", "note": ""})
    assert response.status_code == 400
    summary, warning = messages_of(response)
    assert summary.startswith("Nothing was changed: 1 of the 1 ticked posts could not be decided")
    assert warning.startswith("Already done: Another moderator dealt with this idea")
    assert "'published'" in warning
    assert Idea.objects.get(pk=idea.pk).status == PostStatus.PUBLISHED
    assert ModerationDecision.objects.get().action == "approve"
    assert mailoutbox == []


def test_one_post_that_cannot_be_decided_stops_the_whole_bulk_decision(
    client, moderator, home, consultation, author, on_commit, mailoutbox
):
    """Every ticked post or none: the others stay as they were, the moderator is told which
    post stopped it and that nothing was changed, and the confirmation comes back as they
    filled it, showing each post as it is now."""
    ideas = [make_idea(consultation, author, title=f"Waiting {n}") for n in range(3)]
    # Another moderator approved the middle one after this moderator saw the confirmation.
    other = make_moderator(home)
    moderation.post_moderate(post=ideas[1], moderator=other, action="approve")
    client.force_login(moderator)
    with on_commit(execute=True):
        response = client.post(
            bulk_url("hide", ideas),
            {
                **{f"seen-{idea.pk}": "pending" for idea in ideas},
                "reason": "spam",
                "note": "Typed with care",
            },
        )
    assert response.status_code == 400
    summary, row = messages_of(response)
    assert summary == (
        "Nothing was changed: 1 of the 3 ticked posts could not be decided. "
        "Check them and decide again."
    )
    assert row.startswith("Waiting 1: Another moderator dealt with this idea")
    assert [Idea.objects.get(pk=idea.pk).status for idea in ideas] == [
        PostStatus.PENDING,
        PostStatus.PUBLISHED,
        PostStatus.PENDING,
    ]
    assert not ModerationDecision.objects.filter(actor=moderator).exists()
    assert mailoutbox == []
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("textarea[name=note]").get_text().strip() == "Typed with care"
    assert soup.select_one("select[name=reason] option[selected]")["value"] == "spam"
    seen = {box["name"]: box["value"] for box in soup.select("input[name^=seen-]")}
    assert seen == {
        f"seen-{ideas[0].pk}": "pending",
        f"seen-{ideas[1].pk}": "published",
        f"seen-{ideas[2].pk}": "pending",
    }


def test_a_damaged_seen_status_stops_the_bulk_decision_plainly(
    client, moderator, consultation, author
):
    ideas = [make_idea(consultation, author, title=f"Waiting {n}") for n in range(2)]
    client.force_login(moderator)
    response = client.post(
        bulk_url("approve", ideas),
        {f"seen-{ideas[0].pk}": "pending", f"seen-{ideas[1].pk}": "garbage\x00"},
    )
    assert response.status_code == 400
    assert "Waiting 1: This page did not say what you saw." in " ".join(messages_of(response))
    assert set(Idea.objects.values_list("status", flat=True)) == {PostStatus.PENDING}


@pytest.mark.parametrize("value", ["abc", "1.5", "²", "99999999999999999999", "", "all"])
def test_a_ticked_post_that_is_not_an_id_is_a_bad_request(client, moderator, pending_idea, value):
    client.force_login(moderator)
    client.raise_request_exception = False
    url = bulk_url("approve", [value, pending_idea])
    assert client.get(url).status_code == 400
    response = client.post(url, {f"seen-{pending_idea.pk}": "pending"})
    assert response.status_code == 400
    assert Idea.objects.get(pk=pending_idea.pk).status == PostStatus.PENDING


def test_bulk_hide_without_a_reason_changes_nothing(client, moderator, consultation, author):
    idea = make_idea(consultation, author)
    client.force_login(moderator)
    confirmation = client.get(bulk_url("hide", [idea])).content.decode()
    assert "Required: the authors are told why it is hidden." in confirmation
    response = client.post(
        bulk_url("hide", [idea]), {f"seen-{idea.pk}": "pending", "reason": "", "note": "Kept"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose why you are hiding it, so its author knows." in page
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("textarea[name=note]").get_text().strip() == "Kept"
    assert Idea.objects.get().status == PostStatus.PENDING
    assert not ModerationDecision.objects.exists()


def test_a_bulk_action_needs_a_ticked_post(client, moderator):
    client.force_login(moderator)
    response = client.get("/admin/bulk/consultations/idea/approve/?next=/admin/")
    assert response.status_code == 404


def test_the_listing_offers_the_three_bulk_actions(client, moderator, pending_idea):
    client.force_login(moderator)
    soup = BeautifulSoup(client.get(QUEUE).content, "html.parser")
    footer = soup.select_one("[data-bulk-action-footer]")
    assert [a.get_text(strip=True) for a in footer.select("a[data-bulk-action-button]")] == [
        "Approve",
        "Hide",
        "Restore",
    ]
    title = soup.select_one(f"#idea_{pending_idea.pk}_title")
    assert title.get_text(strip=True) == pending_idea.title


# One post


def test_single_post_hide_without_a_reason_shows_the_error(client, moderator, pending_idea):
    client.force_login(moderator)
    response = client.post(
        post_url(pending_idea), {"action": "hide", "reason": "", "seen_status": "pending"}
    )
    assert response.status_code == 400
    assert "Choose why you are hiding it, so its author knows." in response.content.decode()
    assert Idea.objects.get().status == PostStatus.PENDING
    assert not ModerationDecision.objects.exists()


def test_single_post_decisions_and_history(client, moderator, pending_idea, on_commit, mailoutbox):
    moderator.display_name = "Mo Derator"
    moderator.save()
    Flag.objects.create(idea=pending_idea, reporter=make_user(), reason="personal")
    client.force_login(moderator)
    page = client.get(post_url(pending_idea))
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("input[name=seen_status]")["value"] == "pending"
    assert "Shares personal or medical details" in soup.get_text()

    with on_commit(execute=True):
        response = client.post(
            post_url(pending_idea),
            {"action": "approve", "reason": "meets_rules", "note": "", "seen_status": "pending"},
        )
        assert response.status_code == 302 and response["Location"] == post_url(pending_idea)
        client.post(
            post_url(pending_idea),
            {
                "action": "hide",
                "reason": "off_topic",
                "note": "<i>Try</i> the other one",
                "seen_status": "published",
            },
        )
    assert Idea.objects.get().status == PostStatus.HIDDEN
    assert len(mailoutbox) == 2
    assert Flag.objects.get().resolved_by == moderator

    soup = BeautifulSoup(client.get(post_url(pending_idea)).content, "html.parser")
    history = soup.find("h2", string="History").find_next("table")
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in history("tr")]
    rows = [row for row in rows if row]
    assert [row[1:3] for row in rows] == [
        ["Avril Author", "Posted"],
        ["Mo Derator", "Hidden"],
        ["Mo Derator", "Approved"],
    ]
    why = rows[1][3]
    assert "Try the other one" in why and "<i>" not in why
    assert "off_topic" in why or "It is not about this consultation" in why
    assert soup.find("a", string="Full history of this idea")["href"] == history_url(pending_idea)

    # Wagtail's history view: each decision, who made it, and why.
    history_page = client.get(history_url(pending_idea))
    assert history_page.status_code == 200
    soup = BeautifulSoup(history_page.content, "html.parser")
    audit = [row.get_text(" ", strip=True) for row in soup.select("table tbody tr")]
    assert len(audit) == 2, audit
    who = str(get_user_display_name(moderator))  # Wagtail names people as its admin does
    approved = next(entry for entry in audit if "Approved by a moderator" in entry)
    assert "Reason: It meets our house rules" in approved and who in approved
    hidden = next(entry for entry in audit if "Hidden by a moderator" in entry)
    assert "Reason: It is not about this consultation" in hidden and who in hidden
    assert "Note: Try the other one" in hidden and "<i>" not in history_page.content.decode()


def test_the_history_of_another_pcns_post_is_refused(client, moderator, two_pcns):
    moderation.post_moderate(
        post=two_pcns["b_idea"], moderator=make_user(is_superuser=True), action="approve"
    )
    client.force_login(moderator)
    for post in ("b_idea", "b_comment"):
        response = client.get(history_url(two_pcns[post]))
        assert refused(response), response.status_code
        assert b"Secret of the other PCN" not in response.content


def test_single_post_stale_decision_is_a_warning_not_a_change(client, moderator, pending_idea):
    moderation.post_moderate(post=pending_idea, moderator=moderator, action="approve")
    client.force_login(moderator)
    response = client.post(
        post_url(pending_idea), {"action": "hide", "reason": "spam", "seen_status": "pending"}
    )
    assert response.status_code == 302
    assert "Another moderator dealt with this idea" in messages_of(response)[0]
    assert Idea.objects.get().status == PostStatus.PUBLISHED
    assert ModerationDecision.objects.count() == 1


def test_moderating_a_comment(client, moderator, published_idea, on_commit, mailoutbox):
    comment = make_comment(published_idea, make_user(), body="A kind comment")
    client.force_login(moderator)
    assert b"A kind comment" in client.get(post_url(comment)).content
    with on_commit(execute=True):
        client.post(post_url(comment), {"action": "approve", "seen_status": "pending"})
    comment.refresh_from_db()
    published_idea.refresh_from_db()
    assert comment.status == PostStatus.PUBLISHED
    assert published_idea.comment_count == 1
    assert [email.subject for email in mailoutbox] == ["Engage: Your comment is published"]


# Themes
#
# The theme list and theme edit screens are tested through `theme_screen_urls`, which mounts
# the same view classes behind the same admin check at URLs nothing shadows ;
# `test_theme_urls_reach_the_theme_screens` fails until the real URLs reach them.

theme_screens = pytest.mark.urls("tests.moderation.theme_screen_urls")


def screen_themes_url(consultation) -> str:
    return f"/theme-screens/themes/{consultation.pk}/"


def screen_theme_url(theme) -> str:
    return f"/theme-screens/theme/{theme.pk}/"


def test_theme_urls_reach_the_theme_screens(consultation):
    theme = Theme.objects.create(consultation=consultation, name="Evenings")
    assert resolve(assign_url(consultation)).url_name == "assign"
    assert resolve(themes_url(consultation)).url_name == "themes"
    assert resolve(theme_url(theme)).url_name == "theme"


@pytest.fixture
def theme_setup(consultation, moderator, author, home):
    ideas = [
        make_idea(consultation, author, status=PostStatus.PUBLISHED, title=f"Idea {n}")
        for n in range(4)
    ]
    pending = make_idea(consultation, author, title="Not yet published")
    priority = make_vision(home, "Care closer to home").priorities.get()
    return {"ideas": ideas, "pending": pending, "priority": priority}


def test_themes_index_lists_only_own_consultations(client, moderator, two_pcns):
    client.force_login(moderator)
    page = client.get(f"{MODERATION}themes/").content.decode()
    assert "Evening appointments" in page
    assert "Weekend opening" not in page


@theme_screens
def test_another_pcns_theme_screens_are_refused_by_the_views(
    client, moderator, two_pcns, other_consultation
):
    b_theme = two_pcns["b_theme"]
    b_idea = two_pcns["b_published"]
    b_theme.ideas.add(b_idea)
    client.force_login(moderator)
    for response in (
        client.get(screen_themes_url(other_consultation)),
        client.get(screen_theme_url(b_theme)),
        client.post(screen_themes_url(other_consultation), {"action": "create", "name": "X"}),
        client.post(
            screen_themes_url(other_consultation),
            {"action": "merge", "themes": [b_theme.pk], "into": b_theme.pk},
        ),
        client.post(screen_theme_url(b_theme), {"action": "save", "name": "Renamed"}),
        client.post(screen_theme_url(b_theme), {"action": "remove", "ideas": [b_idea.pk]}),
        client.post(
            screen_theme_url(b_theme),
            {"action": "split", "ideas": [b_idea.pk], "new_name": "Split"},
        ),
        client.post(screen_theme_url(b_theme), {"quote_idea": b_idea.pk}),
        client.post(screen_theme_url(b_theme), {"action": "delete"}),
    ):
        assert refused(response), response.status_code
        assert b"B theme" not in response.content
    assert list(Theme.objects.filter(consultation=other_consultation)) == [b_theme]
    assert Theme.objects.get(pk=b_theme.pk).name == "B theme"
    assert list(b_theme.ideas.all()) == [b_idea]
    assert not ThemeQuote.objects.exists()


@theme_screens
@pytest.mark.parametrize("who", ["anonymous", "resident", "staff"])
def test_theme_screens_refuse_people_who_are_not_moderators(client, two_pcns, home, who):
    if who != "anonymous":
        user = make_user(groups=[home.pcn.staff_group] if who == "staff" else [])
        client.force_login(user)
    theme = two_pcns["a_theme"]
    for response in (
        client.get(screen_themes_url(theme.consultation)),
        client.get(screen_theme_url(theme)),
        client.post(screen_themes_url(theme.consultation), {"action": "create", "name": "X"}),
        client.post(screen_theme_url(theme), {"action": "delete"}),
    ):
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"].startswith((ADMIN_LOGIN, "/admin/"))
    assert list(Theme.objects.values_list("name", flat=True)) == ["A theme", "B theme"]


@theme_screens
def test_create_a_theme_on_the_themes_screen(client, moderator, consultation, theme_setup):
    client.force_login(moderator)
    page = client.get(screen_themes_url(consultation))
    assert page.status_code == 200
    assert "4 published ideas not in a theme yet" in " ".join(page.content.decode().split())
    response = client.post(
        screen_themes_url(consultation),
        {
            "action": "create",
            "name": "Evening hours",
            "summary": "People want to be seen after work.",
            "priority": theme_setup["priority"].pk,
        },
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Theme 'Evening hours' created."]
    theme = Theme.objects.get()
    assert (theme.name, theme.consultation, theme.priority) == (
        "Evening hours",
        consultation,
        theme_setup["priority"],
    )
    # A duplicate name is refused with the error on the page.
    response = client.post(
        screen_themes_url(consultation), {"action": "create", "name": "evening HOURS"}
    )
    assert response.status_code == 400
    assert "A theme with this name already exists" in response.content.decode()
    assert Theme.objects.count() == 1


@theme_screens
def test_the_theme_form_offers_only_this_pcns_priorities(
    client, moderator, consultation, theme_setup, other_home
):
    foreign = make_vision(other_home, "Somewhere else").priorities.get()
    client.force_login(moderator)
    soup = BeautifulSoup(client.get(screen_themes_url(consultation)).content, "html.parser")
    offered = [option.get_text() for option in soup.select("select[name=priority] option")]
    assert offered == ["No priority yet", "Care closer to home"]
    response = client.post(
        screen_themes_url(consultation), {"action": "create", "name": "T", "priority": foreign.pk}
    )
    assert response.status_code == 400
    assert not Theme.objects.exists()


@theme_screens
def test_rename_a_theme(client, moderator, consultation, theme_setup):
    theme = Theme.objects.create(consultation=consultation, name="Evenings")
    client.force_login(moderator)
    assert client.get(screen_theme_url(theme)).status_code == 200
    response = client.post(
        screen_theme_url(theme),
        {
            "action": "save",
            "name": "Evening and weekend hours",
            "summary": "Later <b>hours</b>.",
            "priority": theme_setup["priority"].pk,
        },
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.summary, theme.priority) == (
        "Evening and weekend hours",
        "Later hours.",
        theme_setup["priority"],
    )


def test_assign_ideas_in_bulk(client, moderator, consultation, theme_setup, other_consultation):
    theme = Theme.objects.create(consultation=consultation, name="Evenings")
    foreign = make_idea(other_consultation, None, status=PostStatus.PUBLISHED)
    ideas = theme_setup["ideas"]
    client.force_login(moderator)
    page = client.get(assign_url(consultation))
    assert page.status_code == 200
    listed = BeautifulSoup(page.content, "html.parser").select("input[name=ideas]")
    assert sorted(int(box["value"]) for box in listed) == sorted(idea.pk for idea in ideas)
    response = client.post(
        assign_url(consultation),
        {
            "ideas": [ideas[0].pk, ideas[1].pk, theme_setup["pending"].pk, foreign.pk],
            "theme": theme.pk,
        },
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Added 2 idea(s) to 'Evenings'."]
    assert set(theme.ideas.all()) == {ideas[0], ideas[1]}
    # Only ideas not in a theme yet.
    unthemed = BeautifulSoup(
        client.get(assign_url(consultation) + "?unthemed=1").content, "html.parser"
    ).select("input[name=ideas]")
    assert sorted(int(box["value"]) for box in unthemed) == [ideas[2].pk, ideas[3].pk]


@theme_screens
def test_merge_themes(client, moderator, consultation, theme_setup, two_pcns):
    ideas = theme_setup["ideas"]
    keep = Theme.objects.create(consultation=consultation, name="Keep")
    drop = Theme.objects.create(consultation=consultation, name="Drop")
    keep.ideas.add(ideas[0])
    drop.ideas.add(ideas[1], ideas[2])
    client.force_login(moderator)
    response = client.post(
        screen_themes_url(consultation),
        {"action": "merge", "themes": [keep.pk, drop.pk, two_pcns["b_theme"].pk], "into": keep.pk},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Merged into 'Keep'."]
    assert not Theme.objects.filter(pk=drop.pk).exists()
    assert Theme.objects.filter(pk=two_pcns["b_theme"].pk).exists()
    assert set(keep.ideas.all()) == {ideas[0], ideas[1], ideas[2]}


@theme_screens
def test_merge_needs_two_themes_and_one_to_keep(client, moderator, consultation):
    keep = Theme.objects.create(consultation=consultation, name="Keep")
    drop = Theme.objects.create(consultation=consultation, name="Drop")
    client.force_login(moderator)
    for data in ({"themes": [keep.pk], "into": keep.pk}, {"themes": [keep.pk, drop.pk]}):
        response = client.post(screen_themes_url(consultation), {"action": "merge", **data})
        assert messages_of(response)[-1] == "Tick two or more themes, and choose the one to keep."
    assert Theme.objects.count() == 2


@theme_screens
def test_split_a_theme(client, moderator, consultation, theme_setup):
    ideas = theme_setup["ideas"]
    theme = Theme.objects.create(consultation=consultation, name="Opening hours")
    theme.ideas.add(*ideas[:3])
    client.force_login(moderator)
    response = client.post(
        screen_theme_url(theme),
        {"action": "split", "ideas": [ideas[1].pk, ideas[2].pk], "new_name": "Weekends"},
    )
    assert response.status_code == 302
    new_theme = Theme.objects.get(name="Weekends")
    assert set(new_theme.ideas.all()) == {ideas[1], ideas[2]}
    assert list(theme.ideas.all()) == [ideas[0]]


@theme_screens
def test_remove_ideas_from_a_theme(client, moderator, consultation, theme_setup):
    ideas = theme_setup["ideas"]
    theme = Theme.objects.create(consultation=consultation, name="Opening hours")
    theme.ideas.add(*ideas[:2])
    client.force_login(moderator)
    response = client.post(screen_theme_url(theme), {"action": "remove", "ideas": [ideas[0].pk]})
    assert response.status_code == 302
    assert list(theme.ideas.all()) == [ideas[1]]


@theme_screens
def test_quote_and_unquote_an_idea(client, moderator, consultation, theme_setup):
    ideas = theme_setup["ideas"]
    theme = Theme.objects.create(consultation=consultation, name="Evenings")
    theme.ideas.add(ideas[0])
    client.force_login(moderator)
    response = client.post(screen_theme_url(theme), {"quote_idea": ideas[0].pk})
    assert response.status_code == 302
    quote = ThemeQuote.objects.get()
    assert (quote.theme, quote.idea, quote.text) == (theme, ideas[0], ideas[0].body)
    page = client.get(screen_theme_url(theme)).content.decode()
    assert "Quotes (1 of 3)" in page
    assert f'"{ideas[0].body}"' in page
    response = client.post(screen_theme_url(theme), {"action": "unquote", "quote": quote.pk})
    assert response.status_code == 302
    assert not ThemeQuote.objects.exists()


@theme_screens
def test_delete_a_theme(client, moderator, consultation, theme_setup):
    theme = Theme.objects.create(consultation=consultation, name="Evenings")
    theme.ideas.add(theme_setup["ideas"][0])
    client.force_login(moderator)
    response = client.post(screen_theme_url(theme), {"action": "delete"})
    assert response.status_code == 302
    assert response["Location"] == themes_url(consultation)
    assert not Theme.objects.exists()
    assert Idea.objects.filter(pk=theme_setup["ideas"][0].pk).exists()


def refused_theme_change(world, consultation, theme):
    """(url, data, the error the moderator should see) for changes a service refuses."""
    outside = world["ideas"][3]
    return {
        "quote an idea outside the theme": (
            screen_theme_url(theme),
            {"quote_idea": outside.pk},
            "Quote a published idea that is in this theme.",
        ),
        "split with no ideas ticked": (
            screen_theme_url(theme),
            {"action": "split", "new_name": "Weekends"},
            "Choose the ideas to move into the new theme",
        ),
        "split into a name already taken": (
            screen_theme_url(theme),
            {"action": "split", "ideas": [world["ideas"][0].pk], "new_name": "evenings"},
            "A theme with this name already exists",
        ),
        "accept a suggestion whose name is taken": (
            screen_themes_url(consultation),
            {"action": "accept", "suggestion": world["suggestion"].pk, "name": "EVENINGS"},
            "A theme with this name already exists",
        ),
    }


@theme_screens
@pytest.mark.parametrize(
    "change",
    [
        "quote an idea outside the theme",
        "split with no ideas ticked",
        "split into a name already taken",
        "accept a suggestion whose name is taken",
    ],
)
def test_a_refused_theme_change_shows_the_error(
    client, moderator, consultation, theme_setup, change
):
    from consultations.models import SuggestionRun, ThemeSuggestion

    theme = Theme.objects.create(consultation=consultation, name="Evenings")
    theme.ideas.add(*theme_setup["ideas"][:2])
    run = SuggestionRun.objects.create(consultation=consultation, status="done")
    theme_setup["suggestion"] = ThemeSuggestion.objects.create(run=run, name="Evenings")
    url, data, error = refused_theme_change(theme_setup, consultation, theme)[change]
    before = (
        sorted(Theme.objects.values_list("pk", "name")),
        sorted(Theme.ideas.through.objects.values_list("theme_id", "idea_id")),
    )
    client.force_login(moderator)
    response = client.post(url, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not ThemeQuote.objects.exists()
    assert (
        sorted(Theme.objects.values_list("pk", "name")),
        sorted(Theme.ideas.through.objects.values_list("theme_id", "idea_id")),
    ) == before


@theme_screens
def test_a_refused_split_shows_the_name_typed_and_the_ideas_ticked(
    client, moderator, consultation, theme_setup
):
    theme = Theme.objects.create(consultation=consultation, name="Evenings")
    theme.ideas.add(*theme_setup["ideas"][:3])
    client.force_login(moderator)
    response = client.post(
        screen_theme_url(theme),
        {
            "action": "split",
            "ideas": [theme_setup["ideas"][1].pk],
            "new_name": "EVENINGS <typed>",
        },
    )
    assert response.status_code == 400
    assert "A theme with this name already exists" in response.content.decode()
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("input[name=new_name]")["value"] == "EVENINGS <typed>"
    ticked = [box["value"] for box in soup.select("input[name=ideas][checked]")]
    assert ticked == [str(theme_setup["ideas"][1].pk)]


@theme_screens
def test_a_refused_suggestion_shows_the_name_typed(client, moderator, consultation, theme_setup):
    from consultations.models import SuggestionRun, ThemeSuggestion

    Theme.objects.create(consultation=consultation, name="Evenings")
    run = SuggestionRun.objects.create(consultation=consultation, status="done")
    suggestion = ThemeSuggestion.objects.create(run=run, name="Suggested name")
    client.force_login(moderator)
    response = client.post(
        screen_themes_url(consultation),
        {"action": "accept", "suggestion": suggestion.pk, "name": "evenings"},
    )
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(f"#suggestion-{suggestion.pk}")["value"] == "evenings"


@theme_screens
@pytest.mark.parametrize("value", ["abc", "1.5", "", "²", "99999999999999999999", "a\x00b"])
@pytest.mark.parametrize(
    "action, field",
    [
        ("remove", "ideas"),
        ("split", "ideas"),
        ("unquote", "quote"),
        ("merge", "themes"),
        ("merge", "into"),
        ("accept", "suggestion"),
        ("discard", "suggestion"),
    ],
)
def test_an_id_that_is_not_an_id_is_a_bad_request_not_an_error(
    client, moderator, consultation, theme_setup, action, field, value
):
    """Only a hand-made request sends one: a plain 400, nothing changed. An empty value is
    no choice at all: the screen's own answer (a message, or not found)."""
    theme = Theme.objects.create(consultation=consultation, name="Evenings")
    theme.ideas.add(*theme_setup["ideas"][:2])
    url = (
        screen_themes_url(consultation)
        if field in ("themes", "into", "suggestion")
        else (screen_theme_url(theme))
    )
    client.force_login(moderator)
    client.raise_request_exception = False
    before = sorted(Theme.ideas.through.objects.values_list("theme_id", "idea_id"))
    response = client.post(url, {"action": action, "new_name": "New", field: value})
    assert response.status_code in ((302, 400, 404) if value == "" else (400,))
    assert sorted(Theme.ideas.through.objects.values_list("theme_id", "idea_id")) == before
    assert list(Theme.objects.values_list("name", flat=True)) == ["Evenings"]
