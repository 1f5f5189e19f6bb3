"""The core journeys through the real views: post, comment, reply, support, follow, flag."""

from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from consultations.models import Comment, Flag, Follow, Idea, ModerationMode, PostStatus, Support
from tests.factories import UserFactory, make_consultation


def route(consultation, name, *args):
    return consultation.url + consultation.reverse_subpage(name, args=args)


@pytest.fixture
def post_moderated(consultation_index):
    return make_consultation(
        consultation_index, phase="open", moderation_mode=ModerationMode.POST, title="Post mod"
    )


def post_idea(client, consultation, **overrides):
    data = {
        "title": "More evening appointments",
        "body": "Please open until 8pm on Tuesdays.\n\nWorking parents need it.",
        "neighbourhood": consultation.neighbourhoods.first().pk,
        "attribution": "name",
        "confirm": "1",
    }
    data.update(overrides)
    return client.post(route(consultation, "idea-create"), data)


def test_resident_posts_an_idea_under_post_moderation(client, resident, post_moderated):
    client.force_login(resident)
    response = post_idea(client, post_moderated)
    idea = Idea.objects.get()
    assert response.status_code == 302
    # Their first post: "About you" is asked once, then sends them on to the idea.
    next_query = urlencode({"next": route(post_moderated, "idea-detail", idea.pk)})
    assert response["Location"] == f"{reverse('consultations:about-you')}?{next_query}"
    response = client.post(
        reverse("consultations:about-you"),
        {"skip": "1", "next": route(post_moderated, "idea-detail", idea.pk)},
    )
    assert response["Location"] == route(post_moderated, "idea-detail", idea.pk)
    assert idea.status == PostStatus.PUBLISHED
    assert idea.author == resident
    assert Follow.objects.filter(user=resident, idea=idea).exists()
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Working parents need it." in body
    assert "<p>Please open until 8pm on Tuesdays.</p>" in body


def test_pre_moderated_idea_is_visible_only_to_its_author(client, resident, open_consultation):
    client.force_login(resident)
    post_idea(client, open_consultation, title="Pending idea title")
    idea = Idea.objects.get()
    assert idea.status == PostStatus.PENDING
    own = client.get(open_consultation.url).content.decode()
    assert "Pending idea title" in own and "Waiting for a moderator" in own
    client.logout()
    assert "Pending idea title" not in client.get(open_consultation.url).content.decode()
    assert client.get(route(open_consultation, "idea-detail", idea.pk)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(route(open_consultation, "idea-detail", idea.pk)).status_code == 404
    assert "Pending idea title" not in client.get(open_consultation.url).content.decode()


def test_similar_ideas_are_offered_before_posting(client, resident, post_moderated):
    other = UserFactory()
    client.force_login(other)
    post_idea(client, post_moderated, title="Saturday morning appointments please")
    client.force_login(resident)
    data = {
        "title": "Appointments on Saturday morning",
        "body": "Saturday appointments would help me.",
        "neighbourhood": post_moderated.neighbourhoods.first().pk,
        "attribution": "neighbourhood",
    }
    response = client.post(route(post_moderated, "idea-create"), data)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text() == "Is your idea already here?"
    assert "Saturday morning appointments please" in soup.get_text()
    assert soup.select_one("input[name=confirm]")
    assert soup.select_one("#id_title")["value"] == "Appointments on Saturday morning"
    assert Idea.objects.count() == 1
    client.post(route(post_moderated, "idea-create"), {**data, "confirm": "1"})
    assert Idea.objects.count() == 2
    mine = Idea.objects.get(author=resident)
    assert mine.shown_author == f"A resident of {mine.neighbourhood.name}"


def test_invalid_idea_keeps_the_text_and_shows_errors(client, resident, post_moderated):
    client.force_login(resident)
    response = post_idea(client, post_moderated, title="", body="x" * 5001)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    summary = soup.select_one(".nhsuk-error-summary")
    links = {a["href"]: a.get_text() for a in summary.select("a")}
    assert links["#id_title"] == "Enter a title for your idea"
    assert "#id_body" in links
    assert soup.select_one("#id_body").get_text() == "x" * 5001
    assert soup.title.get_text().startswith("Error:")
    assert not Idea.objects.exists()


def test_markup_only_title_is_refused_with_a_clear_message(client, resident, post_moderated):
    client.force_login(resident)
    response = post_idea(client, post_moderated, title="<b></b><script></script>")
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Enter a title for your idea" in soup.select_one(".nhsuk-error-summary").get_text()
    assert not Idea.objects.exists()


def test_comment_reply_support_follow_and_flag(client, resident, post_moderated):
    author = UserFactory()
    client.force_login(author)
    post_idea(client, post_moderated)
    idea = Idea.objects.get()

    client.force_login(resident)
    client.post(route(post_moderated, "comment-create", idea.pk), {"body": "Good idea"})
    comment = Comment.objects.get()
    assert comment.status == PostStatus.PUBLISHED
    client.post(
        route(post_moderated, "comment-create", idea.pk), {"body": "Agreed", "parent": comment.pk}
    )
    reply = Comment.objects.get(parent=comment)
    # Replies go one level deep only.
    response = client.post(
        route(post_moderated, "comment-create", idea.pk), {"body": "Deeper", "parent": reply.pk}
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 2

    client.post(route(post_moderated, "idea-support", idea.pk))
    client.post(route(post_moderated, "idea-support", idea.pk))
    assert Support.objects.filter(idea=idea).count() == 1
    idea.refresh_from_db()
    assert (idea.support_count, idea.comment_count) == (1, 2)

    client.post(route(post_moderated, "idea-support", idea.pk), {"action": "remove"})
    idea.refresh_from_db()
    assert idea.support_count == 0

    client.post(route(post_moderated, "idea-follow", idea.pk))
    client.post(route(post_moderated, "follow"))
    assert Follow.objects.filter(user=resident).count() == 2

    response = client.post(route(post_moderated, "idea-flag", idea.pk), {"reason": "spam"})
    assert response.status_code == 302
    assert Flag.objects.filter(idea=idea, reporter=resident).exists()

    page = client.get(route(post_moderated, "idea-detail", idea.pk)).content.decode()
    assert "Good idea" in page and "Agreed" in page
