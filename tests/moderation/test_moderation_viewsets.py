"""The moderation viewsets' own rules: the permission policy by role and PCN, the listing's
search and filters, and a listing whose query count does not grow with the queue."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.models import Comment, Flag, Idea, PostStatus
from consultations.viewsets.moderation.policy import ModerationPermissionPolicy
from tests.moderation.conftest import make_comment, make_idea, make_moderator, make_user

QUEUE = "/admin/moderation/ideas/"
COMMENTS = "/admin/moderation/comments/"


@pytest.fixture
def posts(consultation, other_consultation, author):
    a_idea = make_idea(consultation, author, status=PostStatus.PUBLISHED, title="A idea")
    b_idea = make_idea(other_consultation, author, status=PostStatus.PUBLISHED, title="B idea")
    return {
        "a_idea": a_idea,
        "b_idea": b_idea,
        "a_comment": make_comment(a_idea, author),
        "b_comment": make_comment(b_idea, author),
    }


def people(home, other_home):
    return {
        "resident": make_user(),
        "staff": make_user(groups=[home.pcn.staff_group]),
        "lead": make_user(groups=[home.pcn.lead_group]),
        "moderator": make_moderator(home),
        "other moderator": make_moderator(other_home),
        "admin": make_user(is_superuser=True),
    }


# who: (may use the screens at all, may decide on PCN A's posts, on PCN B's posts)
POLICY = {
    "resident": (False, False, False),
    "staff": (False, False, False),
    "lead": (False, False, False),
    "moderator": (True, True, False),
    "other moderator": (True, False, True),
    "admin": (True, True, True),
}


@pytest.mark.parametrize("who", list(POLICY))
@pytest.mark.parametrize("model", [Idea, Comment])
def test_the_permission_policy_answers_by_role_and_pcn(home, other_home, posts, who, model):
    user = people(home, other_home)[who]
    policy = ModerationPermissionPolicy(model)
    anything, own, other = POLICY[who]
    kind = "idea" if model is Idea else "comment"
    a_post, b_post = posts[f"a_{kind}"], posts[f"b_{kind}"]
    for action in ("view", "change"):
        assert policy.user_has_permission(user, action) is anything
        assert policy.user_has_permission_for_instance(user, action, a_post) is own
        assert policy.user_has_permission_for_instance(user, action, b_post) is other
    # Nobody adds a post, edits a resident's text or deletes a post through these screens.
    for action in ("add", "edit", "delete", "publish"):
        assert not policy.user_has_permission(user, action)
        assert not policy.user_has_permission_for_instance(user, action, a_post)
    assert set(policy.instances_user_has_permission_for(user, "change")) == (
        ({a_post} if own else set()) | ({b_post} if other else set())
    )
    assert not policy.instances_user_has_permission_for(user, "delete").exists()
    assert (user in policy.users_with_permission_for_instance("change", a_post)) is own
    assert not policy.users_with_permission("delete").exists()


def test_the_admin_has_no_add_edit_or_delete_screen(client, home, posts):
    client.force_login(make_user(is_superuser=True))
    idea = posts["a_idea"]
    for url in ("new/", f"edit/{idea.pk}/", f"delete/{idea.pk}/", f"usage/{idea.pk}/"):
        assert client.get(QUEUE + url).status_code == 404, url
    page = client.get(QUEUE + "?status=published").content.decode()
    assert "A idea" in page and "B idea" in page
    assert f"/edit/{idea.pk}/" not in page and f"/delete/{idea.pk}/" not in page


def test_the_moderation_menu_shows_to_moderators_and_admins_only(client, home, other_home):
    for who, shown in {
        "moderator": True,
        "other moderator": True,
        "admin": True,
        "staff": False,
        "lead": False,
    }.items():
        client.force_login(people(home, other_home)[who])
        page = client.get("/admin/").content.decode()
        assert (QUEUE in page and COMMENTS in page) is shown, who


def test_search_finds_posts_within_the_moderators_own_pcn(
    client, moderator, consultation, other_consultation, author
):
    make_idea(consultation, author, title="Parking at Riverside")
    make_idea(consultation, author, title="Evening clinic", body="Parking is hard at night")
    make_idea(other_consultation, author, title="Parking at the other PCN")
    make_idea(consultation, author, title="Something else")
    client.force_login(moderator)
    soup = BeautifulSoup(client.get(QUEUE + "?q=parking").content, "html.parser")
    titles = [cell.get_text(strip=True) for cell in soup.select("[id^=idea_][id$=_title]")]
    assert titles == ["Parking at Riverside", "Evening clinic"]


def test_another_pcns_consultation_in_the_filter_shows_the_default_queue(
    client, moderator, consultation, other_consultation, author
):
    waiting = make_idea(consultation, author, title="Waiting here")
    make_idea(consultation, author, status=PostStatus.PUBLISHED, title="Published here")
    make_idea(other_consultation, author, title="Waiting there")
    client.force_login(moderator)
    response = client.get(QUEUE + f"?consultation={other_consultation.pk}&status=published")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    ids = [box["data-object-id"] for box in soup.select("input[data-bulk-action-checkbox]")]
    assert ids == [str(waiting.pk)]
    assert "Waiting there" not in response.content.decode()


def test_the_status_filter_opens_on_waiting_or_reported(client, moderator, pending_idea):
    client.force_login(moderator)
    soup = BeautifulSoup(client.get(QUEUE).content, "html.parser")
    options = soup.select("select[name=status] option")
    assert options[0].get_text(strip=True) == "Waiting or reported"
    assert [option["value"] for option in options] == [
        "attention",
        "pending",
        "reported",
        "hidden",
        "published",
    ]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("listing", [QUEUE, COMMENTS])
def test_the_listing_query_count_does_not_grow_with_the_queue(
    client, moderator, consultation, author, listing
):
    """A page of 2 posts and a page of 12 (each with reports) take the same queries."""
    idea = make_idea(consultation, author, status=PostStatus.PUBLISHED, title="Host idea")

    def add_posts(count):
        for n in range(count):
            if listing == QUEUE:
                post = make_idea(consultation, make_user(), title=f"Idea {n}")
                Flag.objects.create(idea=post, reporter=make_user(), reason="spam")
            else:
                post = make_comment(idea, make_user(), body=f"Comment {n}")
                Flag.objects.create(comment=post, reporter=make_user(), reason="spam")

    client.force_login(moderator)
    add_posts(2)
    _queries(client, listing)  # warm caches that are filled once per process
    small = _queries(client, listing)
    add_posts(10)
    large = _queries(client, listing)
    assert large == small


@pytest.mark.parametrize("value", ["99999999999999999999", "abc", "1.5", "²", "a\x00b", ""])
@pytest.mark.parametrize("listing", [QUEUE, COMMENTS])
def test_a_filter_value_that_is_not_a_choice_shows_the_queue_as_it_opens(
    client, moderator, pending_idea, listing, value
):
    client.force_login(moderator)
    response = client.get(
        listing, {"consultation": value, "status": value, "older_than": value, "p": value}
    )
    assert response.status_code in (200, 404)
    if listing == QUEUE and response.status_code == 200:
        assert pending_idea.title in response.content.decode()


def test_the_queue_shows_fifty_posts_a_page(client, moderator, consultation, author):
    for n in range(51):
        make_idea(consultation, author, title=f"Waiting {n}")
    client.force_login(moderator)
    first = BeautifulSoup(client.get(QUEUE).content, "html.parser")
    second = BeautifulSoup(client.get(QUEUE + "?p=2").content, "html.parser")
    assert len(first.select("input[data-bulk-action-checkbox]")) == 50
    assert len(second.select("input[data-bulk-action-checkbox]")) == 1
