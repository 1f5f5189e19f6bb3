"""The pages of taking part without an account: each answer, and every error path keeps what
the person wrote and says plainly what went wrong (never a 500)."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment, Idea, NoAccountPost, PostStatus
from consultations.services import no_account as services
from tests.consultations.conftest import make_idea
from tests.factories import UserFactory
from tests.no_account.conftest import confirmation_sent, send_idea


def route(consultation, name, *args):
    return consultation.url + consultation.reverse_subpage(name, args=args)


def idea_form(consultation, **changes):
    data = {
        "title": "Evening appointments",
        "body": "Open until 8pm on Tuesdays.",
        "neighbourhood": consultation.neighbourhoods.order_by("name").first().pk,
        "email": "sam@example.org",
        "website": "",
    }
    data.update(changes)
    return data


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def kept(response, name) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.find(attrs={"name": name})
    return field.get_text() if field.name == "textarea" else field.get("value", "")


def test_a_visitor_is_offered_the_form_and_sees_how_it_works(client, consultation):
    page = client.get(consultation.url)
    assert route(consultation, "idea-create-no-account") in page.content.decode()
    response = client.get(route(consultation, "idea-create-no-account"))
    assert response.status_code == 200
    assert "We will email you a link to confirm" in text(response)
    soup = BeautifulSoup(response.content, "html.parser")
    honeypot = soup.find("input", attrs={"name": "website"})
    assert honeypot.find_parent(class_="engage-honeypot")["aria-hidden"] == "true"


def test_someone_signed_in_is_sent_to_their_accounts_form(client, consultation):
    client.force_login(UserFactory())
    response = client.get(route(consultation, "idea-create-no-account"))
    assert response.status_code == 302
    assert response.url == route(consultation, "idea-create")


def test_sending_holds_the_idea_and_the_code_typed_here_posts_it(client, consultation):
    response = client.post(route(consultation, "idea-create-no-account"), idea_form(consultation))
    assert response.status_code == 302
    assert response.url == reverse("consultations:no-account-sent")
    assert not Idea.objects.exists()
    sent = client.get(response.url)
    assert "sam@example.org" in text(sent)
    _, code, _ = confirmation_sent()

    wrong = client.post(response.url, {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "The code is not right" in text(wrong)

    done = client.post(response.url, {"code": code}, follow=True)
    assert "Your idea is waiting for a moderator" in text(done)
    assert Idea.objects.get().status == PostStatus.PENDING
    # The session forgets it: the page now has nothing waiting.
    assert "sam@example.org" not in text(client.get(response.url))


def test_the_check_email_page_without_a_post_says_what_to_do(client, db):
    response = client.get(reverse("consultations:no-account-sent"))
    assert response.status_code == 200
    assert "follow the link in the email" in text(response)
    refused = client.post(reverse("consultations:no-account-sent"), {"code": "123456"})
    assert refused.status_code == 400
    assert "Use the link in the email" in text(refused)
    empty = client.post(reverse("consultations:no-account-sent"), {"code": ""})
    assert "Enter the code from the email" in text(empty)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"email": ""}, "Enter your email address"),
        ({"email": "not-an-address"}, "Enter an email address in the correct format"),
        ({"title": ""}, "Enter a title for your idea"),
        ({"neighbourhood": "999999"}, "Choose one of the neighbourhoods in the list"),
        ({"website": "http://spam.example"}, "we could not send this just now"),
    ],
)
def test_bad_input_gets_a_clear_error_and_keeps_the_text(client, consultation, changes, error):
    response = client.post(
        route(consultation, "idea-create-no-account"), idea_form(consultation, **changes)
    )
    assert response.status_code == 200
    assert error in text(response)
    assert text(response).startswith("Error:") or "There is a problem" in text(response)
    assert kept(response, "body") == "Open until 8pm on Tuesdays."
    assert not NoAccountPost.objects.exists() and not mail.outbox


def test_a_form_sent_back_faster_than_a_person_could_is_refused(client, consultation, settings):
    settings.ENGAGE_SIGNUP_MIN_SECONDS = 3
    response = client.post(route(consultation, "idea-create-no-account"), idea_form(consultation))
    assert "we could not send this just now" in text(response)
    assert not NoAccountPost.objects.exists()


def test_over_the_rate_limit_the_form_comes_back_with_the_text(client, consultation, settings):
    settings.ENGAGE_RATE_LIMITS = {**settings.ENGAGE_RATE_LIMITS, "no_account_client": (1, 3600)}
    client.post(route(consultation, "idea-create-no-account"), idea_form(consultation))
    response = client.post(
        route(consultation, "idea-create-no-account"),
        idea_form(consultation, email="other@example.org", body="A second idea."),
    )
    assert response.status_code == 429
    assert "which is our limit" in text(response)
    assert kept(response, "body") == "A second idea."


def test_urgent_text_shows_the_safety_panel_before_anything_is_sent(client, consultation):
    body = "I have crushing chest pain right now and cannot breathe"
    response = client.post(
        route(consultation, "idea-create-no-account"), idea_form(consultation, body=body)
    )
    assert response.status_code == 200
    assert "999" in text(response) and "Send anyway" in text(response)
    assert kept(response, "body") == body
    assert not NoAccountPost.objects.exists() and not mail.outbox


def test_a_closed_consultation_refuses_the_form(client, consultation_index):
    from tests.factories import make_consultation

    closed = make_consultation(consultation_index, phase="closed")
    assert client.get(route(closed, "idea-create-no-account")).status_code == 403
    assert route(closed, "idea-create-no-account") not in client.get(closed.url).content.decode()


# The link in the email


def test_opening_the_link_shows_the_text_and_only_the_button_posts_it(client, consultation):
    send_idea(consultation, body="<b>Tuesdays</b> & Thursdays")
    token, _, _ = confirmation_sent()
    url = reverse("consultations:no-account-confirm", args=[token])
    page = client.get(url)  # a mail scanner opening the link posts nothing
    assert page.status_code == 200
    assert "Tuesdays & Thursdays" in text(page)
    assert "<b>" not in page.content.decode()
    assert not Idea.objects.exists()
    done = client.post(url, follow=True)
    assert "waiting for a moderator" in text(done)
    assert Idea.objects.count() == 1
    again = client.get(url)
    assert again.status_code == 404  # used: the link's hash went with it
    assert "This link does not work" in text(again)


def test_a_tampered_link_gets_a_clear_page(client, db):
    for token in ("forged", "x" * 300, "%00"):
        response = client.get(f"/take-part/confirm/{token}/")
        assert response.status_code == 404
        assert "This link does not work" in text(response)
        assert client.post(f"/take-part/confirm/{token}/").status_code == 404


def test_an_expired_link_keeps_the_text_and_sends_a_new_one(client, consultation):
    held = send_idea(consultation)
    token, _, _ = confirmation_sent()
    NoAccountPost.objects.filter(pk=held.pk).update(expires_at=timezone.now())
    url = reverse("consultations:no-account-confirm", args=[token])
    page = client.get(url)
    assert page.status_code == 410
    assert "This link has expired" in text(page)
    assert "Open until 8pm on Tuesdays." in text(page)
    refused = client.post(url)
    assert refused.status_code == 410 and not Idea.objects.exists()
    resent = client.post(url, {"action": "resend"})
    assert resent.status_code == 302
    new_token, code, _ = confirmation_sent()
    assert new_token != token
    client.post(reverse("consultations:no-account-sent"), {"code": code})
    assert Idea.objects.count() == 1


def test_a_link_for_a_consultation_now_closed_shows_the_text_and_posts_nothing(
    client, consultation
):
    send_idea(consultation)
    token, _, _ = confirmation_sent()
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    url = reverse("consultations:no-account-confirm", args=[token])
    assert "This can no longer be sent" in text(client.get(url))
    response = client.post(url)
    assert response.status_code == 200
    assert "Open until 8pm on Tuesdays." in text(response)
    assert not Idea.objects.exists()


def test_over_the_ideas_limit_the_link_page_says_so_and_keeps_working(
    client, consultation, settings
):
    settings.ENGAGE_RATE_LIMITS = {**settings.ENGAGE_RATE_LIMITS, "idea": (1, 3600)}
    send_idea(consultation)
    services.no_account_post_confirm(token=confirmation_sent()[0])
    send_idea(consultation, title="Another", client="198.51.100.4")
    token, _, _ = confirmation_sent()
    response = client.post(reverse("consultations:no-account-confirm", args=[token]))
    assert response.status_code == 429
    assert "Your link still works" in text(response)


# Comments


def test_a_visitor_comments_without_an_account_on_a_published_idea(client, consultation):
    idea = make_idea(consultation, UserFactory(), published_at=timezone.now())
    page = client.get(route(consultation, "idea-detail", idea.pk))
    assert route(consultation, "comment-create-no-account", idea.pk) in page.content.decode()
    url = route(consultation, "comment-create-no-account", idea.pk)
    assert client.get(url).status_code == 200
    empty = client.post(url, {"body": "", "email": "sam@example.org"})
    assert "Enter your comment" in text(empty)
    response = client.post(url, {"body": "Tuesdays suit me.", "email": "sam@example.org"})
    assert response.status_code == 302
    token, _, _ = confirmation_sent()
    client.post(reverse("consultations:no-account-confirm", args=[token]))
    assert Comment.objects.get().body == "Tuesdays suit me."


@pytest.mark.parametrize("status", [PostStatus.PENDING, PostStatus.HIDDEN, PostStatus.WITHDRAWN])
def test_an_idea_others_cannot_see_is_not_found(client, consultation, status):
    idea = make_idea(consultation, UserFactory(), status=status, title="Secret words")
    url = route(consultation, "comment-create-no-account", idea.pk)
    for response in (client.get(url), client.post(url, {"body": "x", "email": "a@b.org"})):
        assert response.status_code == 404
        assert "Secret words" not in response.content.decode()


# The PCN's setting, and what the public sees


def test_with_the_pcn_setting_the_form_says_plainly_there_is_no_reply(client, consultation):
    consultation.pcn.allow_posts_without_email = True
    consultation.pcn.save()
    form = client.get(route(consultation, "idea-create-no-account"))
    assert "we cannot tell you what happens to it" in text(form)
    done = client.post(
        route(consultation, "idea-create-no-account"),
        idea_form(consultation, email=""),
        follow=True,
    )
    assert "we cannot tell you what happens to it" in text(done)
    assert Idea.objects.get().status == PostStatus.PENDING
    assert not mail.outbox


def test_pending_and_held_posts_never_show_and_the_email_never_does(client, consultation):
    send_idea(consultation, title="Held words", email="private.person@example.org")
    assert "Held words" not in client.get(consultation.url).content.decode()
    services.no_account_post_confirm(token=confirmation_sent()[0])
    idea = Idea.objects.get()
    detail = route(consultation, "idea-detail", idea.pk)
    assert client.get(detail).status_code == 404
    assert "Held words" not in client.get(consultation.url).content.decode()
    Idea.objects.filter(pk=idea.pk).update(status=PostStatus.PUBLISHED)
    page = client.get(detail)
    assert "Posted by A resident" in text(page)
    assert "private.person" not in page.content.decode()
    assert "private.person" not in client.get(consultation.url).content.decode()
