"""Who may do what: every predicate by role, phase and post status, then the same through views.

Each table row writes out the expected answer for every role, in this order:

    visitor, unverified, resident, author, other_resident, moderator, other_moderator, superuser

"moderator" moderates the PCN the consultation belongs to; "other_moderator" moderates another
PCN and must get nothing more than a resident. "author" wrote the idea or comment under test.
"""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from consultations import permissions
from consultations.models import Comment, Flag, Follow, Idea, PostStatus, Support
from tests.consultations.conftest import ROLES, consultation_in_phase, make_comment, make_idea
from tests.factories import UserFactory, make_consultation

T, F = True, False
PUBLISHED, PENDING, HIDDEN, WITHDRAWN = (
    PostStatus.PUBLISHED,
    PostStatus.PENDING,
    PostStatus.HIDDEN,
    PostStatus.WITHDRAWN,
)
NOBODY = (F, F, F, F, F, F, F, F)
EVERYBODY = (T, T, T, T, T, T, T, T)
AUTHOR_ONLY = (F, F, F, T, F, F, F, F)


def route(consultation, name, *args):
    return consultation.url + consultation.reverse_subpage(name, args=args)


def answers(predicate, people, *args) -> dict:
    return {role: predicate(people[role], *args) for role in ROLES}


def expected(row) -> dict:
    assert len(row) == len(ROLES)
    return dict(zip(ROLES, row, strict=True))


def idea_in(consultation_index, people, phase, status) -> Idea:
    consultation = consultation_in_phase(consultation_index, phase)
    return make_idea(consultation, people["author"], status=status)


def comment_in(consultation_index, people, phase, status, *, reply=False) -> Comment:
    consultation = consultation_in_phase(consultation_index, phase)
    idea = make_idea(consultation, UserFactory())
    parent = make_comment(idea, UserFactory()) if reply else None
    return make_comment(idea, people["author"], status=status, parent=parent)


# Consultation-level predicates


@pytest.mark.parametrize(
    ("phase", "row"),
    [
        ("upcoming", NOBODY),
        ("open", (F, F, T, T, T, T, T, T)),
        ("closed", NOBODY),
        ("under_review", NOBODY),
    ],
)
def test_can_participate(consultation_index, people, phase, row):
    consultation = consultation_in_phase(consultation_index, phase)
    assert answers(permissions.can_participate, people, consultation) == expected(row)


def test_nobody_participates_in_an_unpublished_consultation(consultation_index, people):
    consultation = make_consultation(consultation_index, phase="open")
    consultation.unpublish()
    consultation.refresh_from_db()
    assert answers(permissions.can_participate, people, consultation) == expected(NOBODY)


@pytest.mark.parametrize("phase", ["upcoming", "open", "closed", "under_review"])
def test_can_moderate_only_own_pcn(consultation_index, people, phase):
    consultation = consultation_in_phase(consultation_index, phase)
    row = (F, F, F, F, F, T, F, T)
    assert answers(permissions.can_moderate, people, consultation) == expected(row)


def test_can_follow_needs_a_verified_address(people):
    assert answers(permissions.can_follow, people) == expected((F, F, T, T, T, T, T, T))


# Ideas


@pytest.mark.parametrize(
    ("phase", "status", "row"),
    [
        ("open", PUBLISHED, EVERYBODY),
        ("open", PENDING, (F, F, F, T, F, T, F, T)),
        ("open", HIDDEN, (F, F, F, T, F, T, F, T)),
        ("open", WITHDRAWN, (F, F, F, F, F, T, F, T)),
        ("closed", PUBLISHED, EVERYBODY),
        ("closed", PENDING, (F, F, F, T, F, T, F, T)),
        ("under_review", HIDDEN, (F, F, F, T, F, T, F, T)),
        ("under_review", WITHDRAWN, (F, F, F, F, F, T, F, T)),
    ],
)
def test_can_view_idea(consultation_index, people, phase, status, row):
    idea = idea_in(consultation_index, people, phase, status)
    assert answers(permissions.can_view_idea, people, idea) == expected(row)


@pytest.mark.parametrize(
    ("phase", "status", "row"),
    [
        ("open", PUBLISHED, AUTHOR_ONLY),
        ("open", PENDING, AUTHOR_ONLY),
        ("open", HIDDEN, NOBODY),
        ("open", WITHDRAWN, NOBODY),
        ("upcoming", PENDING, NOBODY),
        ("closed", PUBLISHED, NOBODY),
        ("closed", PENDING, NOBODY),
        ("under_review", PUBLISHED, NOBODY),
    ],
)
def test_can_edit_idea(consultation_index, people, phase, status, row):
    idea = idea_in(consultation_index, people, phase, status)
    assert answers(permissions.can_edit_idea, people, idea) == expected(row)


@pytest.mark.parametrize(
    ("phase", "status", "row"),
    [
        ("open", PUBLISHED, AUTHOR_ONLY),
        ("open", PENDING, AUTHOR_ONLY),
        ("open", HIDDEN, NOBODY),
        ("open", WITHDRAWN, NOBODY),
        # Withdrawing is allowed after closing: a resident may change their mind.
        ("closed", PUBLISHED, AUTHOR_ONLY),
        ("under_review", PENDING, AUTHOR_ONLY),
        ("under_review", HIDDEN, NOBODY),
    ],
)
def test_can_withdraw_idea(consultation_index, people, phase, status, row):
    idea = idea_in(consultation_index, people, phase, status)
    assert answers(permissions.can_withdraw_idea, people, idea) == expected(row)


@pytest.mark.parametrize(
    ("phase", "status", "row"),
    [
        ("open", PUBLISHED, (F, F, T, T, T, T, T, T)),
        ("open", PENDING, NOBODY),
        ("open", HIDDEN, NOBODY),
        ("open", WITHDRAWN, NOBODY),
        ("upcoming", PUBLISHED, NOBODY),
        ("closed", PUBLISHED, NOBODY),
        ("under_review", PUBLISHED, NOBODY),
    ],
)
def test_can_comment(consultation_index, people, phase, status, row):
    idea = idea_in(consultation_index, people, phase, status)
    assert answers(permissions.can_comment, people, idea) == expected(row)


@pytest.mark.parametrize(
    ("phase", "status", "row"),
    [
        ("open", PUBLISHED, (F, F, T, F, T, T, T, T)),
        ("open", PENDING, NOBODY),
        ("open", HIDDEN, NOBODY),
        ("open", WITHDRAWN, NOBODY),
        ("upcoming", PUBLISHED, NOBODY),
        ("closed", PUBLISHED, NOBODY),
        ("under_review", PUBLISHED, NOBODY),
    ],
)
def test_can_support(consultation_index, people, phase, status, row):
    idea = idea_in(consultation_index, people, phase, status)
    assert answers(permissions.can_support, people, idea) == expected(row)


@pytest.mark.parametrize(
    ("phase", "status", "row"),
    [
        ("open", PUBLISHED, (F, F, T, F, T, T, T, T)),
        ("open", PENDING, NOBODY),
        ("open", HIDDEN, NOBODY),
        ("open", WITHDRAWN, NOBODY),
        # Reporting stays possible after closing: the idea is still on show.
        ("closed", PUBLISHED, (F, F, T, F, T, T, T, T)),
        ("under_review", PUBLISHED, (F, F, T, F, T, T, T, T)),
    ],
)
def test_can_flag_idea(consultation_index, people, phase, status, row):
    idea = idea_in(consultation_index, people, phase, status)
    assert answers(permissions.can_flag, people, idea) == expected(row)


# Comments


@pytest.mark.parametrize(
    ("phase", "status", "row"),
    [
        ("open", PUBLISHED, EVERYBODY),
        ("open", PENDING, (F, F, F, T, F, T, F, T)),
        ("open", HIDDEN, (F, F, F, T, F, T, F, T)),
        ("open", WITHDRAWN, (F, F, F, F, F, T, F, T)),
        ("closed", PUBLISHED, EVERYBODY),
        ("closed", HIDDEN, (F, F, F, T, F, T, F, T)),
    ],
)
def test_can_view_comment(consultation_index, people, phase, status, row):
    comment = comment_in(consultation_index, people, phase, status)
    assert answers(permissions.can_view_comment, people, comment) == expected(row)


@pytest.mark.parametrize(
    ("phase", "status", "reply", "row"),
    [
        ("open", PUBLISHED, False, (F, F, T, T, T, T, T, T)),
        # Replies go one level deep: nobody may reply to a reply.
        ("open", PUBLISHED, True, NOBODY),
        ("open", PENDING, False, NOBODY),
        ("open", HIDDEN, False, NOBODY),
        ("open", WITHDRAWN, False, NOBODY),
        ("upcoming", PUBLISHED, False, NOBODY),
        ("closed", PUBLISHED, False, NOBODY),
        ("under_review", PUBLISHED, False, NOBODY),
    ],
)
def test_can_reply(consultation_index, people, phase, status, reply, row):
    comment = comment_in(consultation_index, people, phase, status, reply=reply)
    assert answers(permissions.can_reply, people, comment) == expected(row)


@pytest.mark.parametrize(
    ("phase", "status", "row"),
    [
        ("open", PUBLISHED, AUTHOR_ONLY),
        ("open", PENDING, AUTHOR_ONLY),
        ("open", HIDDEN, NOBODY),
        ("open", WITHDRAWN, NOBODY),
        ("closed", PUBLISHED, NOBODY),
        ("under_review", PENDING, NOBODY),
    ],
)
def test_can_edit_comment(consultation_index, people, phase, status, row):
    comment = comment_in(consultation_index, people, phase, status)
    assert answers(permissions.can_edit_comment, people, comment) == expected(row)


@pytest.mark.parametrize(
    ("phase", "status", "row"),
    [
        ("open", PUBLISHED, AUTHOR_ONLY),
        ("open", PENDING, AUTHOR_ONLY),
        ("open", HIDDEN, NOBODY),
        ("open", WITHDRAWN, NOBODY),
        ("closed", PUBLISHED, AUTHOR_ONLY),
        ("under_review", HIDDEN, NOBODY),
    ],
)
def test_can_withdraw_comment(consultation_index, people, phase, status, row):
    comment = comment_in(consultation_index, people, phase, status)
    assert answers(permissions.can_withdraw_comment, people, comment) == expected(row)


@pytest.mark.parametrize(
    ("phase", "status", "row"),
    [
        ("open", PUBLISHED, (F, F, T, F, T, T, T, T)),
        ("open", PENDING, NOBODY),
        ("open", HIDDEN, NOBODY),
        ("open", WITHDRAWN, NOBODY),
        ("closed", PUBLISHED, (F, F, T, F, T, T, T, T)),
    ],
)
def test_can_flag_comment(consultation_index, people, phase, status, row):
    comment = comment_in(consultation_index, people, phase, status)
    assert answers(permissions.can_flag, people, comment) == expected(row)


# The same rules through the real views.
#
# "login" is a redirect to the sign-in page; 302 is the action's own redirect (it worked).
# Each row is: GET idea page, GET edit, POST comment, POST support, POST follow, POST flag,
# POST withdraw (in that order, withdraw last because it changes the idea's status).

ACTIONS = ("detail", "edit", "comment", "support", "follow", "flag", "withdraw")
LOGIN = "login"
VISITOR_ON_PUBLISHED = (200, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)
VISITOR_ON_UNSEEN = (404, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)
NOT_FOUND = (404, 404, 404, 404, 404, 404, 404)
TAKES_PART = (200, 403, 302, 302, 302, 302, 403)
MODERATES_UNPUBLISHED = (200, 403, 403, 403, 302, 403, 403)

VIEW_MATRIX = {
    PUBLISHED: {
        "visitor": VISITOR_ON_PUBLISHED,
        "unverified": (200, 403, 403, 403, 403, 403, 403),
        "resident": TAKES_PART,
        "author": (200, 200, 302, 403, 302, 403, 302),
        "other_resident": TAKES_PART,
        "moderator": TAKES_PART,
        "other_moderator": TAKES_PART,
        "superuser": TAKES_PART,
    },
    PENDING: {
        "visitor": VISITOR_ON_UNSEEN,
        "unverified": NOT_FOUND,
        "resident": NOT_FOUND,
        "author": (200, 200, 403, 403, 302, 403, 302),
        "other_resident": NOT_FOUND,
        "moderator": MODERATES_UNPUBLISHED,
        "other_moderator": NOT_FOUND,
        "superuser": MODERATES_UNPUBLISHED,
    },
    HIDDEN: {
        "visitor": VISITOR_ON_UNSEEN,
        "unverified": NOT_FOUND,
        "resident": NOT_FOUND,
        "author": (200, 403, 403, 403, 302, 403, 403),
        "other_resident": NOT_FOUND,
        "moderator": MODERATES_UNPUBLISHED,
        "other_moderator": NOT_FOUND,
        "superuser": MODERATES_UNPUBLISHED,
    },
    WITHDRAWN: {
        "visitor": VISITOR_ON_UNSEEN,
        "unverified": NOT_FOUND,
        "resident": NOT_FOUND,
        "author": NOT_FOUND,
        "other_resident": NOT_FOUND,
        "moderator": MODERATES_UNPUBLISHED,
        "other_moderator": NOT_FOUND,
        "superuser": MODERATES_UNPUBLISHED,
    },
}


def outcome(response):
    """The status code, or "login" for a redirect to the sign-in page."""
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        assert "next=" in response["Location"]
        return LOGIN
    return response.status_code


def log_in(client, user):
    if user.is_authenticated:
        client.force_login(user)


def run_actions(client, consultation, idea) -> dict:
    def url(name):
        return route(consultation, name, idea.pk)

    return {
        "detail": outcome(client.get(url("idea-detail"))),
        "edit": outcome(client.get(url("idea-edit"))),
        "comment": outcome(client.post(url("comment-create"), {"body": "A comment"})),
        "support": outcome(client.post(url("idea-support"))),
        "follow": outcome(client.post(url("idea-follow"))),
        "flag": outcome(client.post(url("idea-flag"), {"reason": "spam"})),
        "withdraw": outcome(client.post(url("idea-withdraw"))),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", [PUBLISHED, PENDING, HIDDEN, WITHDRAWN])
def test_idea_actions_through_the_views(client, open_consultation, people, status, role):
    idea = make_idea(open_consultation, people["author"], status=status)
    log_in(client, people[role])
    results = run_actions(client, open_consultation, idea)
    assert results == dict(zip(ACTIONS, VIEW_MATRIX[status][role], strict=True))


@pytest.mark.parametrize(
    "role", ["visitor", "unverified", "resident", "other_resident", "other_moderator"]
)
def test_refused_actions_change_nothing(client, open_consultation, people, role):
    """Whatever the refusal (sign in, 403 or 404), no comment, support, flag or follow lands."""
    published = make_idea(open_consultation, people["author"])
    hidden = make_idea(open_consultation, people["author"], status=HIDDEN)
    log_in(client, people[role])
    run_actions(client, open_consultation, hidden)
    if role in ("visitor", "unverified"):
        run_actions(client, open_consultation, published)
    assert not Comment.objects.exists()
    assert not Support.objects.exists()
    assert not Flag.objects.exists()
    assert not Follow.objects.exists()
    published.refresh_from_db()
    hidden.refresh_from_db()
    assert (published.status, hidden.status) == (PUBLISHED, HIDDEN)
    assert (published.support_count, published.comment_count) == (0, 0)


def test_successful_actions_take_effect(client, open_consultation, people):
    idea = make_idea(open_consultation, people["author"])
    client.force_login(people["other_moderator"])
    assert run_actions(client, open_consultation, idea)["support"] == 302
    assert Support.objects.filter(idea=idea, user=people["other_moderator"]).exists()
    assert Comment.objects.filter(idea=idea, author=people["other_moderator"]).exists()
    assert Follow.objects.filter(idea=idea, user=people["other_moderator"]).exists()
    assert Flag.objects.filter(idea=idea, reporter=people["other_moderator"]).exists()
    client.force_login(people["author"])
    client.post(route(open_consultation, "idea-withdraw", idea.pk))
    idea.refresh_from_db()
    assert idea.status == WITHDRAWN


def create_idea_data(consultation):
    return {
        "title": "A bus to the surgery",
        "body": "The 42 bus should stop at the surgery.",
        "neighbourhood": consultation.neighbourhoods.order_by("name").first().pk,
        "attribution": "name",
        "confirm": "1",
    }


CREATE_MATRIX = {
    "upcoming": (LOGIN, 403, 403, 403, 403, 403, 403, 403),
    "open": (LOGIN, 403, 302, 302, 302, 302, 302, 302),
    "closed": (LOGIN, 403, 403, 403, 403, 403, 403, 403),
    "under_review": (LOGIN, 403, 403, 403, 403, 403, 403, 403),
}


@pytest.mark.parametrize("phase", list(CREATE_MATRIX))
def test_create_idea_through_the_view(client, consultation_index, people, phase):
    consultation = consultation_in_phase(consultation_index, phase)
    results = {}
    for role in ROLES:
        client.logout()
        log_in(client, people[role])
        response = client.post(route(consultation, "idea-create"), create_idea_data(consultation))
        results[role] = outcome(response)
        posted = Idea.objects.filter(author_id=getattr(people[role], "pk", None)).exists()
        assert posted == (results[role] == 302), role
    assert results == expected(CREATE_MATRIX[phase])


def test_unverified_user_is_told_to_confirm_their_address(client, open_consultation, people):
    client.force_login(people["unverified"])
    for method in (client.get, client.post):
        response = method(route(open_consultation, "idea-create"))
        assert response.status_code == 403
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.h1.get_text() == "Confirm your email address first"


def test_closed_consultation_says_it_is_not_open(client, consultation_index, people):
    closed = consultation_in_phase(consultation_index, "closed")
    client.force_login(people["resident"])
    response = client.get(route(closed, "idea-create"))
    assert response.status_code == 403
    assert BeautifulSoup(response.content, "html.parser").h1.get_text() == (
        "This consultation is not open"
    )


def test_comment_routes_through_the_views(client, open_consultation, people):
    idea = make_idea(open_consultation, UserFactory())
    comment = make_comment(idea, people["author"])
    hidden = make_comment(idea, people["author"], status=HIDDEN)

    def url(name, target):
        return route(open_consultation, name, target.pk)

    assert outcome(client.post(url("comment-flag", comment), {"reason": "spam"})) == LOGIN
    assert outcome(client.get(url("comment-edit", comment))) == LOGIN
    assert outcome(client.post(url("comment-withdraw", comment))) == LOGIN
    client.force_login(people["other_moderator"])
    assert client.get(url("comment-edit", comment)).status_code == 403
    assert client.post(url("comment-withdraw", comment)).status_code == 403
    assert client.get(url("comment-edit", hidden)).status_code == 404
    assert client.post(url("comment-flag", hidden), {"reason": "spam"}).status_code == 404
    assert client.post(url("comment-flag", comment), {"reason": "spam"}).status_code == 302
    client.force_login(people["author"])
    assert client.post(url("comment-flag", comment), {"reason": "spam"}).status_code == 403
    assert client.get(url("comment-edit", comment)).status_code == 200
    assert client.get(url("comment-edit", hidden)).status_code == 403
    assert client.post(url("comment-withdraw", comment)).status_code == 302
    comment.refresh_from_db()
    assert comment.status == WITHDRAWN
    assert list(Flag.objects.values_list("reporter", flat=True)) == [people["other_moderator"].pk]


# Routes belong to their consultation


IDEA_ROUTES = [
    # (route, method, who, data)
    ("idea-detail", "get", "resident", None),
    ("idea-edit", "get", "author", None),
    ("idea-withdraw", "get", "author", None),
    ("idea-withdraw", "post", "author", {}),
    ("idea-support", "post", "resident", {}),
    ("idea-follow", "post", "resident", {}),
    ("idea-flag", "get", "resident", None),
    ("idea-flag", "post", "resident", {"reason": "spam"}),
    ("comment-create", "post", "resident", {"body": "Hello"}),
]


@pytest.mark.parametrize(("name", "method", "who", "data"), IDEA_ROUTES)
def test_idea_routes_only_accept_ideas_of_their_consultation(
    client, consultation_index, people, name, method, who, data
):
    here = make_consultation(consultation_index, phase="open", title="Here")
    elsewhere = make_consultation(consultation_index, phase="open", title="Elsewhere")
    idea = make_idea(elsewhere, people["author"])
    client.force_login(people[who])
    send = getattr(client, method)
    args = (data,) if data is not None else ()
    assert send(route(here, name, idea.pk), *args).status_code == 404
    assert not Support.objects.exists() and not Flag.objects.exists()
    assert not Comment.objects.exists()
    idea.refresh_from_db()
    assert idea.status == PUBLISHED
    # The same request on the idea's own consultation works.
    assert send(route(elsewhere, name, idea.pk), *args).status_code in (200, 302)


COMMENT_ROUTES = [
    ("comment-edit", "get", "author", None),
    ("comment-edit", "post", "author", {"body": "Changed"}),
    ("comment-withdraw", "get", "author", None),
    ("comment-withdraw", "post", "author", {}),
    ("comment-flag", "get", "resident", None),
    ("comment-flag", "post", "resident", {"reason": "spam"}),
]


@pytest.mark.parametrize(("name", "method", "who", "data"), COMMENT_ROUTES)
def test_comment_routes_only_accept_comments_of_their_consultation(
    client, consultation_index, people, name, method, who, data
):
    here = make_consultation(consultation_index, phase="open", title="Here")
    elsewhere = make_consultation(consultation_index, phase="open", title="Elsewhere")
    comment = make_comment(make_idea(elsewhere, UserFactory()), people["author"])
    client.force_login(people[who])
    send = getattr(client, method)
    args = (data,) if data is not None else ()
    assert send(route(here, name, comment.pk), *args).status_code == 404
    comment.refresh_from_db()
    assert (comment.status, comment.body) == (PUBLISHED, "I agree with this.")
    assert not Flag.objects.exists()
    assert send(route(elsewhere, name, comment.pk), *args).status_code in (200, 302)


# CSRF


def test_posts_without_a_csrf_token_are_refused(open_consultation, people):
    idea = make_idea(open_consultation, people["author"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["resident"])
    data = create_idea_data(open_consultation)
    assert client.post(route(open_consultation, "idea-create"), data).status_code == 403
    assert client.post(route(open_consultation, "idea-support", idea.pk)).status_code == 403
    assert Idea.objects.count() == 1
    assert not Support.objects.exists()

    # With the token from the form, the same posts go through: the 403 was the CSRF check.
    form = client.get(route(open_consultation, "idea-create"))
    token = BeautifulSoup(form.content, "html.parser").select_one(
        "input[name=csrfmiddlewaretoken]"
    )["value"]
    data["csrfmiddlewaretoken"] = token
    assert client.post(route(open_consultation, "idea-create"), data).status_code == 302
    assert (
        client.post(
            route(open_consultation, "idea-support", idea.pk), {"csrfmiddlewaretoken": token}
        ).status_code
        == 302
    )
    assert Idea.objects.count() == 2
    assert Support.objects.filter(idea=idea, user=people["resident"]).exists()


# Comments belong to their idea: if the idea may not be seen, neither may its comments.


@pytest.mark.parametrize("idea_status", [PENDING, HIDDEN, WITHDRAWN])
def test_comments_on_an_idea_nobody_may_see_are_not_shown(
    client, open_consultation, people, idea_status
):
    idea = make_idea(open_consultation, people["author"], title="Secret idea title")
    comment = make_comment(idea, people["resident"], body="A comment on it")
    Idea.objects.filter(pk=idea.pk).update(status=idea_status)
    comment.refresh_from_db()
    assert not permissions.can_view_comment(people["other_resident"], comment)
    client.force_login(people["other_resident"])
    assert client.get(route(open_consultation, "comment-flag", comment.pk)).status_code == 404
    assert (
        client.post(
            route(open_consultation, "comment-flag", comment.pk), {"reason": "spam"}
        ).status_code
        == 404
    )
    assert not Flag.objects.exists()


def test_editing_a_comment_does_not_reveal_an_idea_waiting_for_a_moderator(
    client, open_consultation, people
):
    idea = make_idea(open_consultation, people["author"], title="Approved title")
    comment = make_comment(idea, people["resident"])
    client.force_login(people["author"])
    data = create_idea_data(open_consultation)
    data["title"] = "Unapproved new title"
    assert client.post(route(open_consultation, "idea-edit", idea.pk), data).status_code == 302
    idea.refresh_from_db()
    assert idea.status == PENDING  # pre-moderation: the change waits for a moderator
    client.force_login(people["resident"])
    assert client.get(route(open_consultation, "idea-detail", idea.pk)).status_code == 404
    response = client.get(route(open_consultation, "comment-edit", comment.pk))
    assert "Unapproved new title" not in response.content.decode()
