"""Every response carries the security headers, and cookies are locked down.

The Content-Security-Policy is strict on the public site and a little wider in the Wagtail
admin (see engage/settings/base.py); tests/browser/test_content_security_policy.py proves in
Chromium that neither is broken by what the pages really load.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import make_admin

ROOT = Path(__file__).resolve().parents[2]


def policy(response, header="Content-Security-Policy") -> dict[str, list[str]]:
    directives = {}
    for part in response[header].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


PUBLIC_PATHS = ["/", "/accounts/login/", "/accounts/signup/"]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_have_a_strict_content_security_policy(client, home, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert "nonce-" not in response["Content-Security-Policy"]


def test_a_missing_page_has_the_policy_too(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert policy(response)["script-src"] == ["'self'"]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_run_no_inline_script(client, home, path):
    soup = BeautifulSoup(client.get(path).content, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") == "application/json", script
    for element in soup.find_all(True):
        handlers = [name for name in element.attrs if name.startswith("on")]
        assert not handlers, element
        assert not str(element.get("href", "")).startswith("javascript:"), element


def test_no_template_of_ours_has_an_inline_script():
    """Our templates load scripts from files; data for scripts goes in JSON blocks."""
    opening = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        for attributes in opening.findall(template.read_text()):
            assert "src=" in attributes or "application/json" in attributes, (
                template,
                attributes,
            )


def test_the_admin_has_its_own_narrow_policy(client, db):
    client.force_login(make_admin())
    response = client.get("/admin/")
    assert response.status_code == 200
    csp = policy(response)
    # What Wagtail's admin needs (measured in Chromium), and no more.
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src-attr"] == ["'none'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["img-src"] == ["'self'", "data:", "blob:"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]


def test_other_security_headers(client, home):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = dict(
        item.split("=", 1) for item in response["Permissions-Policy"].replace(" ", "").split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert permissions[feature] == "()", feature


def test_session_and_csrf_cookies_are_lax_and_http_only(client, resident):
    csrf = client.get(reverse("account_login")).cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"
    assert csrf["httponly"]
    response = client.post(
        reverse("account_login"), {"login": resident.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["samesite"] == "Lax"
    assert session["httponly"]


def test_production_cookies_are_secure():
    code = (
        "import json; from django.conf import settings; print(json.dumps({name: "
        "getattr(settings, name) for name in ('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', 'SESSION_COOKIE_HTTPONLY', "
        "'CSRF_COOKIE_HTTPONLY')}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="engage.settings.production",
        SECRET_KEY="a-long-random-production-secret-key-" + "k3y" * 20,
        ALLOWED_HOSTS="engage.example.org",
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
    }


def test_the_admin_users_list_sends_no_email_hashes_to_gravatar(client, db):
    client.force_login(make_admin())
    response = client.get("/admin/users/")
    assert response.status_code == 200
    assert b"gravatar" not in response.content.lower()
