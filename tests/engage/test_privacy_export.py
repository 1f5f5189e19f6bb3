"""A signed-in resident downloads everything Engage holds about them, and nobody else's."""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import moderation, services
from consultations.models import FlagReason, ModerationAction, ModerationReason, Notice
from engage.privacy import EXPORT_FORMAT, account_data
from tests.factories import UserFactory, make_consultation


@pytest.fixture
def consultation(consultation_index):
    return make_consultation(consultation_index, phase="open", title="Evening appointments")


@pytest.fixture
def moderator(home):
    return UserFactory(display_name="Moderator Marple", groups=[home.pcn.moderator_group])


def take_part(*, user, consultation, moderator, ideas: int = 1, words: str = "Mine"):
    """`ideas` ideas, each with a comment, themed, moderated; a support, follow and report."""
    other = UserFactory()
    target = services.idea_submit(
        consultation=consultation, author=other, title="Someone else's", body="Theirs"
    )
    moderation.post_moderate(post=target, moderator=moderator, action=ModerationAction.APPROVE)
    theme = moderation.theme_create(
        consultation=consultation, user=moderator, name=f"Theme for {words}"
    )
    for number in range(ideas):
        idea = services.idea_submit(
            consultation=consultation,
            author=user,
            title=f"{words} idea {number}",
            body=f"{words} body {number}",
        )
        moderation.post_moderate(post=idea, moderator=moderator, action=ModerationAction.APPROVE)
        comment = services.comment_create(idea=idea, author=user, body=f"{words} comment {number}")
        moderation.post_moderate(
            post=comment,
            moderator=moderator,
            action=ModerationAction.HIDE,
            reason=ModerationReason.OFF_TOPIC,
            note="Please keep to the question.",
        )
        moderation.theme_assign_ideas(theme=theme, user=moderator, idea_ids=[idea.pk])
    services.support_add(idea=target, user=user)
    services.follow_add(user=user, consultation=consultation)
    services.flag_create(
        reporter=user, idea=target, reason=FlagReason.OTHER, details=f"{words} flag"
    )
    return target


def test_the_download_holds_their_account_posts_and_what_happened_to_them(consultation, moderator):
    resident = UserFactory(display_name="Sam Tester", email="sam.tester@example.org")
    target = take_part(user=resident, consultation=consultation, moderator=moderator)
    data = account_data(user=resident)

    assert data["format"] == EXPORT_FORMAT
    assert data["account"]["email"] == "sam.tester@example.org"
    assert data["account"]["display_name"] == "Sam Tester"
    assert data["account"]["email_updates"] is True
    assert data["account"]["joined"]
    assert data["email_addresses"] == [
        {"email": "sam.tester@example.org", "verified": True, "primary": True}
    ]
    [idea] = data["ideas"]
    assert idea["title"] == "Mine idea 0" and idea["body"] == "Mine body 0"
    assert idea["status"] == "Published" and idea["channel"] == "Online"
    assert idea["consultation"] == "Evening appointments"
    assert idea["themes"] == ["Theme for Mine"]
    assert idea["url"].endswith(f"/ideas/{idea['id']}/")
    assert [d["action"] for d in idea["moderation"]] == ["Approved"]
    [comment] = data["comments"]
    assert comment["body"] == "Mine comment 0"
    assert comment["status"] == "Hidden by a moderator"
    hidden = comment["moderation"][-1]
    assert hidden == {
        "action": "Hidden",
        "reason": "It is not about this consultation",
        "note": "Please keep to the question.",
        "date": hidden["date"],
    }
    assert data["supports"][0]["idea"] == {"id": target.pk, "title": "Someone else's"}
    assert {f["consultation"] for f in data["follows"]} == {"Evening appointments", None}
    assert {f["idea"]["title"] for f in data["follows"] if f["idea"]} == {"Mine idea 0"}
    assert data["reports"][0]["details"] == "Mine flag"
    assert data["reports"][0]["reason"] == "Something else"
    # The phase email, and the step of their idea put in a theme.
    assert Notice.objects.filter(user=resident).count() == len(data["emails"]) == 2
    assert {(e["kind"], e["about"]) for e in data["emails"]} == {
        ("Consultation phase", "Evening appointments"),
        ("Put in a theme", "Mine idea 0"),
    }


def test_the_download_never_names_the_moderator(consultation, moderator):
    resident = UserFactory()
    take_part(user=resident, consultation=consultation, moderator=moderator)
    text = json.dumps(account_data(user=resident))
    assert "Moderator Marple" not in text
    assert moderator.email not in text and moderator.username not in text


def test_the_download_holds_nothing_of_another_resident(consultation, moderator):
    resident = UserFactory()
    other = UserFactory(display_name="Other Person", email="other.person@example.org")
    take_part(user=resident, consultation=consultation, moderator=moderator, words="Mine")
    take_part(user=other, consultation=consultation, moderator=moderator, words="Theirs")
    text = json.dumps(account_data(user=resident))
    assert "Mine idea 0" in text
    for theirs in ("Theirs idea", "Theirs comment", "Theirs flag", "Other Person", "other.person"):
        assert theirs not in text


def test_the_download_takes_the_same_queries_for_one_post_or_many(consultation, moderator):
    few, many = UserFactory(), UserFactory()
    take_part(user=few, consultation=consultation, moderator=moderator, ideas=1, words="Few")
    take_part(user=many, consultation=consultation, moderator=moderator, ideas=5, words="Many")
    account_data(user=few)  # warm the site root paths cache, as any page does
    with CaptureQueriesContext(connection) as one:
        account_data(user=few)
    with CaptureQueriesContext(connection) as five:
        data = account_data(user=many)
    assert len(data["ideas"]) == 5 and len(data["comments"]) == 5
    assert len(one) == len(five) <= 13


# The page


def test_the_page_explains_the_download_and_posts_for_it(client, resident):
    client.force_login(resident)
    response = client.get(reverse("account_data_download"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.select_one("main form")
    assert form["method"] == "post" and form["action"] == reverse("account_data_download")
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert "no-store" in response["Cache-Control"]


def test_posting_sends_their_data_as_a_json_file(client, resident):
    client.force_login(resident)
    response = client.post(reverse("account_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="engage-my-data-')
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["account"]["email"] == resident.email


def test_the_download_needs_a_signed_in_account(client, db):
    for method in (client.get, client.post):
        response = method(reverse("account_data_download"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_download_needs_the_csrf_token(resident):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    assert client.post(reverse("account_data_download")).status_code == 403


def test_the_account_pages_link_to_the_download_and_erasure(client, resident):
    client.force_login(resident)
    page = client.get(reverse("account_profile")).content.decode()
    assert reverse("account_data_download") in page
    assert reverse("account_erase") in page
