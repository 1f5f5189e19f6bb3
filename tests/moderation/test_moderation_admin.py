"""The moderators' screens in the Wagtail admin, through the test client.

PCN A's moderator works on PCN A's consultations only; PCN B's posts and themes are out of
reach whatever URL or form field they try.
"""

from datetime import timedelta
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
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
)
from tests.factories import make_consultation
from tests.moderation.conftest import (
    make_comment,
    make_idea,
    make_moderator,
    make_user,
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


THEMES = "/admin/snippets/consultations/theme/"


def assign_url(consultation) -> str:
    return f"{THEMES}assign/{consultation.pk}/"


def theme_url(theme) -> str:
    return f"{THEMES}edit/{theme.pk}/"


def theme_ideas_url(theme) -> str:
    return f"{THEMES}ideas/{theme.pk}/"


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
        THEMES,
        f"{THEMES}?consultation={world['a_theme'].consultation.pk}",
        f"{THEMES}add/",
        assign_url(world["a_theme"].consultation),
        theme_url(world["a_theme"]),
        theme_ideas_url(world["a_theme"]),
        f"{THEMES}suggestions/{world['a_theme'].consultation.pk}/",
        f"{THEMES}delete/{world['a_theme'].pk}/",
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
