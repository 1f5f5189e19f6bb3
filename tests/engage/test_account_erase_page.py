"""The page where a resident deletes their account: a clear warning, a choice about their
posts, their password, NHS.UK errors, and it all works without JavaScript (a plain form)."""

import pytest
from django.test import Client
from django.urls import reverse

from consultations.models import Idea
from engage.models import User
from tests.engage.test_accounts import assert_field_error, error_summary_links, parse, text
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"  # UserFactory's password
URL = reverse("account_erase")


@pytest.fixture
def signed_in(client, resident):
    client.force_login(resident)
    return client


def test_the_page_warns_and_asks_what_to_do_with_posts(signed_in):
    soup = parse(signed_in.get(URL))
    main = soup.select_one("main")
    assert text(main.find("h1")) == "Delete your account"
    assert "You cannot undo this" in text(main.select_one(".nhsuk-warning-callout"))
    form = main.select_one("form")
    assert form["method"] == "post" and form["action"] == URL
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    radios = {radio["value"]: radio for radio in form.select("input[type=radio][name=posts]")}
    assert set(radios) == {"remove", "keep"}
    assert not any(radio.has_attr("checked") for radio in radios.values())  # no default
    assert form.select_one("input[type=password][name=password]")
    button = form.select_one("button[type=submit]")
    assert "nhsuk-button--warning" in button["class"] and text(button) == "Delete my account"
    assert soup.find("a", string="download your data")["href"] == reverse("account_data_download")


def test_an_empty_form_shows_every_error_in_the_summary_and_by_its_field(signed_in, resident):
    response = signed_in.post(URL, {})
    assert response.status_code == 200
    soup = parse(response)
    assert text(soup.title).startswith("Error: ")
    assert error_summary_links(soup) == [
        ("#id_posts_0", "Choose what should happen to your ideas and comments"),
        ("#id_password", "Enter your password"),
    ]
    assert_field_error(soup, "id_password", "Enter your password")
    assert User.objects.filter(pk=resident.pk).exists()


def test_a_wrong_password_deletes_nothing(signed_in, resident):
    soup = parse(signed_in.post(URL, {"posts": "remove", "password": "not it"}))
    assert error_summary_links(soup) == [("#id_password", "The password is not right")]
    # The choice they made is kept, so they only type the password again.
    assert soup.select_one("input[value=remove]").has_attr("checked")
    assert User.objects.filter(pk=resident.pk).exists()
    assert signed_in.get(reverse("account_profile")).status_code == 200


def test_guessing_the_password_is_rate_limited(signed_in, resident, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reauthenticate": "3/m/user"}
    for _ in range(3):
        signed_in.post(URL, {"posts": "remove", "password": "guess"})
    soup = parse(signed_in.post(URL, {"posts": "remove", "password": PASSWORD}))
    assert error_summary_links(soup) == [
        ("#id_password", "You have tried too many times. Wait a minute, then try again.")
    ]
    assert User.objects.filter(pk=resident.pk).exists()


def test_the_right_password_deletes_the_account_and_signs_them_out(signed_in, resident):
    response = signed_in.post(URL, {"posts": "remove", "password": PASSWORD}, follow=True)
    assert response.redirect_chain == [(reverse("account_erase_done"), 302)]
    assert text(parse(response).find("h1")) == "Your account has been deleted"
    assert not User.objects.filter(pk=resident.pk).exists()
    assert signed_in.get(reverse("account_profile")).status_code == 302


def test_an_unknown_choice_is_refused(signed_in, resident):
    soup = parse(signed_in.post(URL, {"posts": "everything", "password": PASSWORD}))
    assert error_summary_links(soup)[0][0] == "#id_posts_0"
    assert User.objects.filter(pk=resident.pk).exists()


def test_an_account_without_a_password_is_asked_to_set_one_first(client, db):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    soup = parse(client.get(URL))
    assert soup.select_one("main form") is None
    assert soup.find("a", string="Set a password")["href"] == reverse("account_set_password")
    client.post(URL, {"posts": "remove", "password": ""})
    assert User.objects.filter(pk=user.pk).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    for method in (client.get, client.post):
        response = method(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_form_needs_its_csrf_token(resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    assert client.post(URL, {"posts": "remove", "password": PASSWORD}).status_code == 403
    assert User.objects.filter(pk=resident.pk).exists()


def test_one_resident_cannot_erase_another(client, resident, open_consultation):
    other = UserFactory()
    Idea.objects.create(consultation=open_consultation, author=other, title="Kept", body="Kept")
    client.force_login(resident)
    client.post(URL, {"posts": "remove", "password": PASSWORD, "user": other.pk})
    assert User.objects.filter(pk=other.pk).exists()
    assert Idea.objects.filter(author=other).count() == 1
