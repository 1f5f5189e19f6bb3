"""The sign-up form refuses bots without a puzzle or a third party.

A hidden "leave this blank" field that only a bot fills in, and a signed timestamp that
refuses a form sent back faster than a person could (ENGAGE_SIGNUP_MIN_SECONDS). A refused
person sees a polite error, keeps what they typed, and can simply send the form again.
"""

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.urls import reverse

from engage.forms import (
    SIGNUP_MAX_AGE_SECONDS,
    SIGNUP_REFUSED,
    SIGNUP_TIMESTAMP_SALT,
    signup_age,
    signup_timestamp,
)
from engage.models import User

PASSWORD = "a-long-unusual-passphrase-42"


@pytest.fixture(autouse=True)
def _minimum_time(settings):
    settings.ENGAGE_SIGNUP_MIN_SECONDS = 3


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def sign_up(client, **data):
    fields = {
        "email": "sam@example.org",
        "display_name": "Sam",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "started": signup_timestamp(seconds_ago=10),
        "website": "",
    }
    fields.update(data)
    return client.post(reverse("account_signup"), fields)


def assert_refused_politely(response):
    assert response.status_code == 200
    assert not User.objects.exists()
    soup = parse(response)
    summary = soup.select_one(".nhsuk-error-summary")
    assert summary is not None
    link = summary.select_one("ul.nhsuk-error-summary__list li a")
    assert link.get_text(strip=True) == SIGNUP_REFUSED
    assert link["href"] == "#id_email"
    # What they typed stays (bar the passwords, which are never sent back).
    assert soup.find(id="id_email")["value"] == "sam@example.org"
    assert soup.find(id="id_display_name")["value"] == "Sam"
    # The form shown again carries a fresh timestamp, so sending it again in a moment works.
    age = signup_age(soup.find("input", attrs={"name": "started"})["value"])
    assert age is not None and age < 2
    return soup


def test_a_person_who_took_a_few_seconds_gets_an_account(client, db):
    response = sign_up(client)
    assert response.status_code == 302
    assert User.objects.filter(email="sam@example.org").exists()


def test_a_form_sent_back_too_fast_is_refused_politely(client, db):
    assert_refused_politely(sign_up(client, started=signup_timestamp(seconds_ago=1)))


def test_a_form_without_its_timestamp_is_refused(client, db):
    assert_refused_politely(sign_up(client, started=""))


def test_a_forged_timestamp_is_refused(client, db):
    forged = signing.dumps(0, salt="another-salt")
    assert_refused_politely(sign_up(client, started=forged))
    tampered = signup_timestamp(seconds_ago=60)[:-2] + "xx"
    assert_refused_politely(sign_up(client, started=tampered))


def test_a_timestamp_that_is_not_a_time_is_refused(client, db):
    assert_refused_politely(
        sign_up(client, started=signing.dumps("soon", salt=SIGNUP_TIMESTAMP_SALT))
    )


def test_a_form_shown_more_than_a_day_ago_is_refused(client, db):
    old = signup_timestamp(seconds_ago=SIGNUP_MAX_AGE_SECONDS + 60)
    assert_refused_politely(sign_up(client, started=old))


def test_filling_in_the_hidden_field_is_refused(client, db):
    soup = assert_refused_politely(sign_up(client, website="https://spam.example"))
    # The bot's value is not sent back.
    assert soup.find(id="id_website")["value"] == ""


def test_a_refused_person_can_send_the_form_again(client, db):
    soup = parse(sign_up(client, started=signup_timestamp(seconds_ago=0)))
    fresh = soup.find("input", attrs={"name": "started"})["value"]
    # A moment later (here: a timestamp shown ten seconds ago), the same details go through.
    assert signup_age(fresh) is not None
    response = sign_up(client, started=signup_timestamp(seconds_ago=10))
    assert response.status_code == 302


def test_no_minimum_time_turns_the_timing_check_off_but_not_the_hidden_field(client, db, settings):
    settings.ENGAGE_SIGNUP_MIN_SECONDS = 0
    assert_refused_politely(sign_up(client, website="x"))
    assert sign_up(client, started="").status_code == 302


def test_the_hidden_field_is_out_of_sight_out_of_the_tab_order_and_labelled(client, db):
    soup = parse(client.get(reverse("account_signup")))
    field = soup.find(id="id_website")
    wrapper = field.find_parent(class_="engage-honeypot")
    assert wrapper is not None
    assert wrapper["aria-hidden"] == "true"
    assert field["tabindex"] == "-1"
    assert field["autocomplete"] == "off"
    assert soup.find("label", attrs={"for": "id_website"}).get_text(strip=True) == (
        "Leave this blank"
    )
    started = soup.find("input", attrs={"name": "started"})
    assert started["type"] == "hidden"
    age = signup_age(started["value"])
    assert age is not None and 0 <= age < 2
