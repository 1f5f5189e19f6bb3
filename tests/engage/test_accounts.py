"""Accounts (django-allauth) look and behave like an NHS.UK service.

Sign-up with a display name and email verification, sign-in, password reset without
revealing who has an account, the display name page, rate limits, and NHS.UK form markup
(labels, hints, error summary, per-field errors) on every allauth page.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from engage.models import User
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"  # UserFactory's password
NEW_PASSWORD = "a-long-unusual-passphrase-42"


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def error_summary_links(soup) -> list[tuple[str, str]]:
    """(href, message) for every link in the NHS.UK error summary."""
    summary = soup.select_one("div.nhsuk-error-summary")
    assert summary is not None, "no error summary"
    assert summary["data-module"] == "nhsuk-error-summary"
    assert summary["tabindex"] == "-1"
    assert summary.select_one('[role="alert"]') is not None
    assert text(summary.select_one("h2.nhsuk-error-summary__heading")) == "There is a problem"
    return [(a["href"], text(a)) for a in summary.select("ul.nhsuk-error-summary__list li a")]


def assert_field_error(soup, field_id: str, message: str):
    """The field is marked in error, with its message (and the hidden "Error:") tied to it."""
    field = soup.find(id=field_id)
    assert field is not None, f"no element #{field_id}"
    assert field.find_parent(class_="nhsuk-form-group--error") is not None
    assert "nhsuk-input--error" in field["class"]
    error = soup.find(id=f"{field_id}-error")
    assert "nhsuk-error-message" in error["class"]
    assert text(error.select_one(".nhsuk-u-visually-hidden")) == "Error:"
    assert message in text(error)
    assert f"{field_id}-error" in field["aria-describedby"].split()


def first_rate(action: str, per: str) -> int:
    """The number of attempts our settings allow for `action`, counted `per` ip/key/user."""
    for rate in settings.ACCOUNT_RATE_LIMITS[action].split(","):
        amount, _duration, rate_per = rate.split("/")
        if rate_per == per:
            return int(amount)
    raise AssertionError(f"no {per} rate for {action}")


def confirmation_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def sign_up(client, **data):
    fields = {
        "email": "sam@example.org",
        "display_name": "Sam",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    fields.update(data)
    return client.post(reverse("account_signup"), fields)


# Every allauth page: our base template, NHS.UK markup, a title that matches the heading.

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
    "account_inactive",
]
SIGNED_IN_PAGES = [
    "account_email",
    "account_change_password",
    "account_logout",
    "account_profile",
    "account_data_download",
    "account_erase",
]


def assert_nhs_page(response):
    assert response.status_code == 200
    soup = parse(response)
    assert soup.select_one("header.nhsuk-header") is not None
    assert soup.select_one("footer.nhsuk-footer") is not None
    assert soup.select_one(".nhsuk-breadcrumb") is None
    main = soup.select_one("main#maincontent")
    heading = text(main.find("h1"))
    assert heading
    assert text(soup.title).startswith(f"{heading} \N{EN DASH} ")
    assert not main.select("[placeholder]")
    for field in main.select("input, select, textarea"):
        if field.get("type") in {"hidden", "submit"}:
            continue
        assert main.select_one(f'label[for="{field["id"]}"]') is not None, field
        assert {"nhsuk-input", "nhsuk-checkboxes__input", "nhsuk-radios__input"} & set(
            field["class"]
        ), field
    for button in main.select("button"):
        assert "nhsuk-button" in button["class"], button
    return soup


@pytest.mark.parametrize("url_name", ANONYMOUS_PAGES)
def test_allauth_pages_use_our_base_template_and_nhs_markup(client, db, url_name):
    assert_nhs_page(client.get(reverse(url_name)))


@pytest.mark.parametrize("url_name", SIGNED_IN_PAGES)
def test_account_settings_pages_use_nhs_markup(client, resident, url_name):
    client.force_login(resident)
    assert_nhs_page(client.get(reverse(url_name)))


@pytest.mark.parametrize(
    ("url_name", "current"),
    [
        ("account_profile", "Display name"),
        ("account_email", "Email address"),
        ("account_change_password", "Password"),
        ("account_data_download", "Download your data"),
        ("account_erase", "Delete your account"),
        ("consultations:about-you", "About you"),
    ],
)
def test_account_settings_pages_link_to_each_other(client, resident, url_name, current):
    client.force_login(resident)
    soup = parse(client.get(reverse(url_name)))
    nav = soup.select_one("nav.nhsuk-contents-list")
    assert text(nav.select_one('[aria-current="page"]')) == current
    links = {text(a): a["href"] for a in nav.select("a.nhsuk-contents-list__link")}
    expected = {
        "Display name": reverse("account_profile"),
        "Email address": reverse("account_email"),
        "Password": reverse("account_change_password"),
        "Two-factor authentication": reverse("mfa_index"),
        "About you": reverse("consultations:about-you"),
        "Download your data": reverse("account_data_download"),
        "Delete your account": reverse("account_erase"),
    }
    del expected[current]
    assert links == expected


def test_header_account_link_goes_to_the_display_name_page(client, resident):
    client.force_login(resident)
    soup = parse(client.get(reverse("account_email")))
    link = soup.select_one("a.nhsuk-header__account-link")
    assert link["href"] == reverse("account_profile")


def test_login_page_uses_nhs_form_markup(client, db):
    soup = parse(client.get(reverse("account_login")))
    assert text(soup.find("h1")) == "Sign in"
    form = soup.select_one("main form")
    assert form.has_attr("novalidate")
    email = form.find(id="id_login")
    assert email["type"] == "email"
    assert email["class"] == ["nhsuk-input"]
    assert email["autocomplete"] == "email"
    assert text(form.select_one('label.nhsuk-label[for="id_login"]')) == "Email"
    password = form.find(id="id_password")
    assert password["type"] == "password"
    assert password.find_parent(class_="nhsuk-password-input")["data-module"] == (
        "nhsuk-password-input"
    )
    hint = form.find(id="id_password-hint")
    assert "nhsuk-hint" in hint["class"]
    assert hint.a["href"] == reverse("account_reset_password")
    assert password["aria-describedby"] == "id_password-hint"
    assert form.select_one("input#id_remember.nhsuk-checkboxes__input") is not None
    assert text(form.select_one("button.nhsuk-button[type=submit]")) == "Sign in"
    assert soup.select_one("div.nhsuk-error-summary") is None


# Errors: a summary linking to each field, the message by the field, and the input kept.


def test_empty_login_shows_error_summary_and_field_errors(client, db):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    assert response.status_code == 200
    soup = parse(response)
    assert text(soup.title).startswith("Error: Sign in")
    links = error_summary_links(soup)
    assert [href for href, _ in links] == ["#id_login", "#id_password"]
    for href, _ in links:
        assert soup.find(id=href[1:]) is not None
    assert_field_error(soup, "id_login", "This field is required.")
    assert_field_error(soup, "id_password", "This field is required.")
    # The summary comes before the page heading.
    assert soup.select_one("main .nhsuk-error-summary ~ h1") is not None


def test_invalid_login_keeps_the_email_typed(client, db):
    response = client.post(reverse("account_login"), {"login": "sam@example", "password": "x"})
    soup = parse(response)
    assert error_summary_links(soup) == [("#id_login", "Enter a valid email address.")]
    assert_field_error(soup, "id_login", "Enter a valid email address.")
    assert soup.find(id="id_login")["value"] == "sam@example"
    assert not soup.find(id="id_password").has_attr("value")


def test_wrong_password_is_summarised_and_linked_to_the_first_field(client, resident):
    response = client.post(
        reverse("account_login"), {"login": resident.email, "password": "not-the-password"}
    )
    soup = parse(response)
    links = error_summary_links(soup)
    assert len(links) == 1
    href, message = links[0]
    assert href == "#id_login"
    assert "not correct" in message
    assert soup.find(id="id_login")["value"] == resident.email
    assert not soup.find(id="id_password").has_attr("value")
    assert "_auth_user_id" not in client.session


def test_empty_signup_shows_error_summary_and_field_errors(client, db):
    soup = parse(client.post(reverse("account_signup"), {}))
    assert text(soup.title).startswith("Error: Create an account")
    assert [href for href, _ in error_summary_links(soup)] == [
        "#id_email",
        "#id_password1",
        "#id_password2",
    ]
    assert_field_error(soup, "id_email", "Enter your email address")
    assert_field_error(soup, "id_password1", "Enter a password")
    assert_field_error(soup, "id_password2", "Enter your password again")
    assert not User.objects.exists()


def test_invalid_signup_keeps_what_was_typed_except_passwords(client, db):
    response = sign_up(
        client,
        email="sam@example",
        display_name="Sam Smith",
        password1=NEW_PASSWORD,
        password2=NEW_PASSWORD + "x",
    )
    soup = parse(response)
    invalid_email = "Enter an email address in the correct format, like name@example.com"
    assert error_summary_links(soup) == [
        ("#id_email", invalid_email),
        ("#id_password2", "You must type the same password each time."),
    ]
    assert_field_error(soup, "id_email", invalid_email)
    assert_field_error(soup, "id_password2", "You must type the same password each time.")
    assert soup.find(id="id_email")["value"] == "sam@example"
    assert soup.find(id="id_display_name")["value"] == "Sam Smith"
    for field_id in ("id_password1", "id_password2"):
        assert not soup.find(id=field_id).has_attr("value")
    assert NEW_PASSWORD not in response.content.decode()


def test_signup_form_asks_for_an_optional_display_name_with_a_hint(client, db):
    soup = parse(client.get(reverse("account_signup")))
    field = soup.find(id="id_display_name")
    assert field["maxlength"] == "50"
    assert not field.has_attr("required")
    hint = soup.find(id="id_display_name-hint")
    assert text(hint) == (
        "Shown beside your ideas and comments. Use your own name or a nickname, not a role or "
        "an organisation. Leave blank to appear as 'A resident'."
    )
    assert field["aria-describedby"] == "id_display_name-hint"


# Sign-up, verification and sign-in.


def test_signup_creates_an_unverified_user_and_emails_a_verification_link(client, db, mailoutbox):
    response = sign_up(client, email="Sam@Example.org", display_name="Sam Smith")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email__iexact="sam@example.org")
    assert user.display_name == "Sam Smith"
    assert user.check_password(NEW_PASSWORD)
    address = EmailAddress.objects.get(user=user)
    assert not address.verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [address.email]
    assert mailoutbox[0].subject.startswith("Engage: ")
    confirmation_path(mailoutbox[0])
    page = parse(client.get(response["Location"]))
    assert text(page.find("h1")) == "Check your email"


def test_signup_without_a_display_name_appears_as_a_resident(client, db):
    sign_up(client, display_name="")
    user = User.objects.get(email="sam@example.org")
    assert user.display_name == ""
    assert user.public_name == "A resident"


def test_verification_link_shows_a_form_and_the_post_confirms_the_address(client, db, mailoutbox):
    sign_up(client)
    path = confirmation_path(mailoutbox[0])
    address = EmailAddress.objects.get(email="sam@example.org")

    page = client.get(path)
    soup = assert_nhs_page(page)
    assert text(soup.find("h1")) == "Confirm your email address"
    form = soup.select_one("main form")
    assert form["method"] == "post"
    # The key is signed afresh when the page renders, so only its place is compared.
    assert form["action"].startswith("/accounts/confirm-email/")
    assert text(form.select_one("button.nhsuk-button")) == "Confirm email address"
    address.refresh_from_db()
    assert not address.verified, "a GET must not confirm the address"

    response = client.post(path)
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.verified

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "sam@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    # A resident lands on their contributions (engage/roles.py).
    assert response["Location"] == reverse("consultations:my-contributions")
    assert int(client.session["_auth_user_id"]) == address.user_id


def test_an_expired_or_unknown_confirmation_link_says_so(client, db):
    soup = assert_nhs_page(client.get(reverse("account_confirm_email", args=["not-a-key"])))
    assert text(soup.find("h1")) == "This link has expired"
    assert soup.select_one("main form") is None


def test_unverified_user_cannot_sign_in(client, db, mailoutbox):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert [message.to for message in mailoutbox] == [[user.email]]
    assert client.get(reverse("account_profile")).status_code == 302


# Display names are plain text.


def test_signup_display_name_is_stored_as_plain_text(client, db):
    sign_up(client, display_name="<script>alert(1)</script>Bob")

    stored = User.objects.get(email="sam@example.org").display_name
    assert stored.endswith("Bob")
    assert "<" not in stored
    assert ">" not in stored
    assert "script" not in stored


def test_display_names_are_rendered_escaped(client, db):
    # Hostile, and within the 50 characters a display name may have.
    user = UserFactory(display_name="<script>alert(1)</script><img src=x onerror=x()>")
    client.force_login(user)
    html = client.get(reverse("account_profile")).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert" in html


# The display name page.


def test_display_name_page_requires_sign_in(client, db):
    response = client.get(reverse("account_profile"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('account_profile')}"
    response = client.post(reverse("account_profile"), {"display_name": "Mallory"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_display_name_page_changes_the_name_as_plain_text(client, resident):
    client.force_login(resident)
    soup = assert_nhs_page(client.get(reverse("account_profile")))
    assert text(soup.find("h1")) == "Your display name"
    assert soup.find(id="id_display_name")["value"] == resident.display_name

    response = client.post(reverse("account_profile"), {"display_name": "  <b>Robin</b>  Hood "})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_profile")
    resident.refresh_from_db()
    assert resident.display_name == "Robin Hood"
    soup = parse(client.get(response["Location"]))
    banner = soup.select_one(".nhsuk-notification-banner--success")
    assert "Your display name has been updated." in text(banner)
    assert text(soup.select_one("a.nhsuk-header__account-link")).startswith("Robin Hood")


def test_display_name_can_be_cleared(client, resident):
    client.force_login(resident)
    client.post(reverse("account_profile"), {"display_name": ""})
    resident.refresh_from_db()
    assert resident.display_name == ""
    assert resident.public_name == "A resident"


def test_display_name_page_shows_errors_and_keeps_what_was_typed(client, resident):
    client.force_login(resident)
    too_long = "R" * 51
    soup = parse(client.post(reverse("account_profile"), {"display_name": too_long}))
    assert text(soup.title).startswith("Error: Your display name")
    links = error_summary_links(soup)
    assert [href for href, _ in links] == ["#id_display_name"]
    assert_field_error(soup, "id_display_name", "Display name must be 50 characters or fewer")
    assert soup.find(id="id_display_name")["value"] == too_long
    name_before = resident.display_name
    resident.refresh_from_db()
    assert resident.display_name == name_before


# Password reset does not reveal who has an account.


def test_password_reset_looks_the_same_for_unknown_and_known_addresses(
    client, resident, mailoutbox
):
    url = reverse("account_reset_password")
    known = client.post(url, {"email": resident.email})
    unknown = client.post(url, {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    assert [message.to for message in mailoutbox] == [[resident.email]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    soup = assert_nhs_page(client.get(unknown["Location"]))
    assert text(soup.find("h1")) == "Check your email"
    assert "If there is an account with that email address" in text(soup.find("main"))


def test_password_reset_request_with_no_email_shows_errors(client, db, mailoutbox):
    soup = parse(client.post(reverse("account_reset_password"), {"email": ""}))
    assert error_summary_links(soup) == [("#id_email", "This field is required.")]
    assert_field_error(soup, "id_email", "This field is required.")
    assert mailoutbox == []


# Rate limits answer with our NHS.UK "Too many attempts" page.


def assert_too_many_attempts_page(response):
    assert response.status_code == 429
    soup = parse(response)
    assert text(soup.find("h1")) == "Too many attempts"
    assert text(soup.title).startswith("Too many attempts \N{EN DASH} ")
    assert soup.select_one("header.nhsuk-header") is not None
    assert "Traceback" not in response.content.decode()


def test_too_many_signups_from_one_address_get_the_too_many_attempts_page(client, db):
    allowed = first_rate("signup", "ip")
    for _ in range(allowed):
        assert client.post(reverse("account_signup"), {}).status_code == 200
    assert_too_many_attempts_page(client.post(reverse("account_signup"), {}))


def test_too_many_sign_ins_from_one_address_get_the_too_many_attempts_page(client, db):
    allowed = first_rate("login", "ip")
    for _ in range(allowed):
        assert client.post(reverse("account_login"), {}).status_code == 200
    assert_too_many_attempts_page(client.post(reverse("account_login"), {}))


def test_repeated_failed_sign_ins_lock_the_account_for_a_while(client, resident):
    allowed = first_rate("login_failed", "key")
    for _ in range(allowed):
        client.post(reverse("account_login"), {"login": resident.email, "password": "wrong"})

    response = client.post(
        reverse("account_login"), {"login": resident.email, "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    ((_, message),) = error_summary_links(parse(response))
    assert "Too many failed login attempts" in message
