"""Two-factor authentication (allauth.mfa) for everyone with a role.

Anyone with an authenticator app is asked for its code when they sign in. A moderator, member
of staff, PCN lead, place lead or admin without one is sent to set it up before they can use
anything else, the admin included. Residents are asked for nothing more.
"""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from engage.middleware import TwoFactorRequiredMiddleware
from engage.roles import has_two_factor, needs_two_factor
from tests.factories import (
    UserFactory,
    give_two_factor,
    make_admin,
    make_moderator,
    make_pcn_lead,
    make_staff,
    totp_code,
)

PASSWORD = "correct-horse-battery"  # UserFactory's password


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def sign_in(client, user, *, next_path: str = ""):
    url = reverse("account_login") + (f"?next={next_path}" if next_path else "")
    return client.post(url, {"login": user.email, "password": PASSWORD})


def confirm_password(client, *, next_path: str):
    """allauth asks for the password again before any change to two-factor settings."""
    response = client.get(next_path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == next_path


def sign_in_with_code(client, user):
    sign_in(client, user)
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})
    assert response.status_code == 302


def place_lead(home):
    place = home.pcn.place
    place.lead_group = Group.objects.create(name=f"{place.name}: place leads")
    place.save(update_fields=["lead_group"])
    return UserFactory(groups=[place.lead_group])


# Who needs it


@pytest.mark.parametrize("role", ["moderator", "staff", "PCN lead", "place lead", "admin"])
def test_every_elevated_role_needs_two_factor(home, role):
    pcn = home.pcn
    user = {
        "moderator": lambda: make_moderator(pcn),
        "staff": lambda: make_staff(pcn),
        "PCN lead": lambda: make_pcn_lead(pcn),
        "place lead": lambda: place_lead(home),
        "admin": make_admin,
    }[role]()
    assert needs_two_factor(user)
    # The factories give them an authenticator app, as the site requires.
    assert has_two_factor(user)


def test_a_group_that_opens_the_admin_needs_two_factor(db):
    editors = Group.objects.get(name="Editors")  # Wagtail's own, with admin access
    assert needs_two_factor(UserFactory(groups=[editors], two_factor=False))


def test_residents_and_visitors_do_not_need_two_factor(resident, db):
    from django.contrib.auth.models import AnonymousUser

    assert not needs_two_factor(resident)
    assert not has_two_factor(resident)
    assert not Authenticator.objects.filter(user=resident).exists()
    assert not needs_two_factor(AnonymousUser())
    assert not needs_two_factor(None)


# Signing in


def test_a_moderator_signing_in_is_asked_for_the_authenticator_code(client, home):
    moderator = make_moderator(home.pcn)
    response = sign_in(client, moderator, next_path="/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet: the admin still sends them to sign in.
    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session

    page = parse(client.get(reverse("mfa_authenticate")))
    assert text(page.find("h1")) == "Enter your authenticator code"
    field = page.find(id="id_code")
    assert page.find("label", attrs={"for": "id_code"}).get_text(strip=True) == (
        "Authenticator code"
    )
    assert field["autocomplete"] == "one-time-code"
    assert not field.has_attr("placeholder")

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(moderator)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert int(client.session["_auth_user_id"]) == moderator.pk
    assert client.get("/admin/").status_code == 200


def test_a_wrong_authenticator_code_is_refused_with_an_error_summary(client, home):
    moderator = make_moderator(home.pcn)
    sign_in(client, moderator)
    wrong = "000000" if totp_code(moderator) != "000000" else "111111"
    page = parse(client.post(reverse("mfa_authenticate"), {"code": wrong}))
    assert text(page.title).startswith("Error: Enter your authenticator code")
    summary = page.select_one(".nhsuk-error-summary")
    assert summary is not None
    assert summary.select_one("a")["href"] == "#id_code"
    assert page.find(id="id_code-error") is not None
    assert "_auth_user_id" not in client.session


def test_a_used_code_cannot_be_used_again(client, home):
    moderator = make_moderator(home.pcn)
    code = totp_code(moderator)
    sign_in(client, moderator)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))
    sign_in(client, moderator)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_resident_signs_in_with_a_password_alone(client, resident):
    response = sign_in(client, resident)
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:my-contributions")
    assert int(client.session["_auth_user_id"]) == resident.pk
    assert client.get("/").status_code == 200


def test_the_admin_sign_in_page_sends_people_to_the_two_factor_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/pages/"
    # Its form cannot be used to skip the code either.
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", ["/admin/login/", "/_util/login/"])
def test_no_other_sign_in_form_lets_a_moderator_in_with_a_password_alone(client, home, url):
    """Wagtail's admin sign-in and its sign-in for private pages are Django's password-only
    form; both addresses send people to allauth's sign-in, which asks for the code."""
    moderator = make_moderator(home.pcn)
    response = client.post(url, {"username": moderator.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_a_private_page_sends_visitors_to_the_two_factor_sign_in(client, home):
    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(home.url)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + f"?next={home.url}"
    response = client.get(f"/_util/login/?next={home.url}")
    assert response["Location"] == reverse("account_login") + f"?next={home.url}"


def test_a_signed_in_resident_who_tries_the_admin_is_refused_not_looped(client, resident):
    client.force_login(resident)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1


def test_the_admin_no_longer_offers_its_own_password_reset(client, db):
    assert client.get("/admin/password_reset/").status_code == 404


# A role without an authenticator app


@pytest.fixture
def moderator_without_app(home):
    return make_moderator(home.pcn, two_factor=False)


def test_a_moderator_without_an_app_is_sent_to_set_one_up(client, moderator_without_app):
    response = sign_in(client, moderator_without_app, next_path="/admin/")
    assert response.status_code == 302
    # Signed in with the password, then stopped on the way to the admin.
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    for path in ("/", "/admin/moderation/ideas/", reverse("account_profile")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp"), path
    # Posting anything is stopped too.
    assert client.post(reverse("account_profile"), {"display_name": "X"}).status_code == 302
    moderator_without_app.refresh_from_db()
    assert moderator_without_app.display_name != "X"

    confirm_password(client, next_path=reverse("mfa_activate_totp"))
    page = parse(client.get(reverse("mfa_activate_totp")))
    assert text(page.find("h1")) == "Set up an authenticator app"
    assert "your account needs two-factor authentication" in text(
        page.select_one(".nhsuk-inset-text")
    )
    qr = page.select_one("img.engage-totp-qr")
    assert qr["src"].startswith("data:image/svg+xml;base64,")
    assert qr["alt"]
    secret = client.session[SECRET_SESSION_KEY]
    assert page.find(id="authenticator_secret")["value"] == secret

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert has_two_factor(moderator_without_app)
    codes = parse(client.get(response["Location"])).select(".engage-recovery-codes code")
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200


def test_a_moderator_without_an_app_may_still_sign_out_and_load_assets(
    client, moderator_without_app
):
    client.force_login(moderator_without_app)
    assert client.get(reverse("mfa_index")).status_code == 200
    reauthenticate = client.get(reverse("mfa_activate_totp"))["Location"]
    assert client.get(reauthenticate).status_code == 200
    allowed = TwoFactorRequiredMiddleware(get_response=None).is_allowed_path
    assert allowed("/static/css/engage.css")
    assert not allowed("/admin/")
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_turning_the_app_off_sends_a_moderator_back_to_set_it_up(client, home):
    moderator = make_moderator(home.pcn)
    sign_in_with_code(client, moderator)
    confirm_password(client, next_path=reverse("mfa_deactivate_totp"))
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not has_two_factor(moderator)
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")


def test_the_role_check_is_fresh_on_every_request(client, resident, home):
    """Given a role mid-session, a resident is stopped on their very next request."""
    client.force_login(resident)
    assert client.get("/").status_code == 200
    resident.groups.add(home.pcn.moderator_group)
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")
    give_two_factor(resident)
    assert client.get("/").status_code == 200


def test_a_residents_page_reads_no_groups(client, resident, home):
    """Whether someone is in any group is read with them (`engage.backends`): a resident,
    in none, costs no query for their roles; someone with a role has theirs read."""
    client.force_login(resident)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [query for query in queries if "auth_group" in query["sql"]]
    resident.groups.add(home.pcn.moderator_group)
    give_two_factor(resident)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert [query for query in queries if "auth_group" in query["sql"]]


# The pages look like the rest of the account pages


@pytest.mark.parametrize(
    "url_name",
    ["mfa_index", "mfa_view_recovery_codes", "mfa_generate_recovery_codes", "mfa_deactivate_totp"],
)
def test_two_factor_pages_use_nhs_markup(client, home, url_name):
    moderator = make_moderator(home.pcn)
    sign_in_with_code(client, moderator)
    if url_name != "mfa_index":
        confirm_password(client, next_path=reverse(url_name))
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("header.nhsuk-header") is not None
    main = page.select_one("main#maincontent")
    heading = text(main.find("h1"))
    assert text(page.title).startswith(f"{heading} \N{EN DASH} ")
    assert main.select_one('nav[aria-label="Account settings"]') is not None
    for button in main.select("button, a[role=button]"):
        assert "nhsuk-button" in button["class"], button
    assert not main.select("[placeholder]")
    assert not page.select("script:not([src]):not([type='application/json'])")
