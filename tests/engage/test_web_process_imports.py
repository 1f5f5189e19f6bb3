"""A web process never loads numpy, SciPy or scikit-learn: only the task worker's clustering
(`consultations.clustering`, imported by the suggested-themes task on first use) needs them,
and they would cost every web worker tens of MiB. Nor Wagtail's API v3 and django-ninja, which
the site does not serve (`engage.wagtail_apps`): about 40 MiB more. Nor pydantic (Wagtail's
public pages API's, not its admin API's) and fido2 (allauth's WebAuthn, which the site does not
offer), left to load on first use (`engage.deferred_imports`): about 19 MiB more.

A fresh Python process with the production settings (a SQLite file, the database task
backend) sets Django up, loads the URLconf and serves, through the test client and the full
middleware stack, the pages visitors, residents and the admin use most (the page explorer's
admin API among them), and a resident signs in through the sign-in form. Then it imports the
clustering module, the API v3, the public pages API's validators and allauth's WebAuthn, to
prove the check would see them if anything had loaded them.
The site is made the way an operator makes one, in another process: `migrate`, `seed_demo`.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "scipy", "sklearn")
UNSERVED = ("wagtail.api.v3.api", "ninja")
DEFERRED = ("pydantic", "fido2")

PROBE = r"""
import json, sys
import django
django.setup()
from django.test import Client, override_settings
from django.urls import get_resolver

get_resolver().check()  # the whole URLconf, as a web worker loads it

from consultations.models import ConsultationPage, Idea
from engage.models import User

HEAVY, UNSERVED, DEFERRED = json.loads(sys.argv[1])
consultation = ConsultationPage.objects.live().filter(ideas__isnull=False).first()
idea = Idea.objects.filter(consultation=consultation, status="published").first()
public = [
    "/",
    consultation.url,
    consultation.url + "?q=pharmacy",
    consultation.url + consultation.reverse_subpage("idea-detail", args=[idea.pk]),
]
admin_pages = [
    "/admin/",
    "/admin/moderation/ideas/",
    "/admin/pages/",
    f"/admin/pages/{consultation.pk}/",
    "/admin/api/main/pages/?child_of=root&for_explorer=1",  # the page explorer's menu
]
answers = {}
# Collected static files are not needed to render a page: the plain storage names them.
plain_static = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
with override_settings(STORAGES=plain_static):
    visitor = Client(HTTP_HOST="localhost")
    resident = Client(HTTP_HOST="localhost")
    resident.force_login(User.objects.get(email="resident@example.org"))
    admin = Client(HTTP_HOST="localhost")
    admin.force_login(User.objects.get(email="admin@example.org"))
    for who, client, paths in (
        ("visitor", visitor, [*public, "/accounts/login/"]),
        ("resident", resident, public),
        ("admin", admin, admin_pages),
    ):
        for path in paths:
            answers[f"{who} {path}"] = client.get(path, secure=True).status_code
    # Through the sign-in form and allauth's sign-in stages, two-factor's among them.
    signing_in = Client(HTTP_HOST="localhost")
    signed_in = signing_in.post(
        "/accounts/login/",
        {"login": "resident@example.org", "password": "demo-resident-2026"},
        secure=True,
        follow=True,
    )
    answers["resident signs in"] = signed_in.status_code
    answers["resident signed in"] = signed_in.wsgi_request.user.email == "resident@example.org"
everything = HEAVY + UNSERVED + DEFERRED
loaded = [name for name in everything if name in sys.modules]
import consultations.clustering  # noqa: E402,F401  what the task worker loads
import wagtail.api.v3.api  # noqa: E402,F401  what Wagtail's own app configurations load
import wagtail.api.validators  # noqa: E402,F401  what Wagtail's public pages API loads
from allauth.mfa.webauthn.internal.auth import WebAuthn  # noqa: E402,F401  a WebAuthn sign-in
print("PROBE" + json.dumps({
    "answers": answers,
    "loaded": loaded,
    "loaded_later": [name for name in everything if name in sys.modules],
}))
"""


def _env(tmp_path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CACHE_URL", "ENGAGE_PAGE_CACHE_SECONDS", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="engage.settings.production",
        SECRET_KEY="a-test-secret-key-that-is-long-enough-for-the-deploy-check-0123456789",
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
        TASK_BACKEND="database",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONPATH=str(ROOT),
    )
    return env


def _run(args, env):
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{args[:2]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_web_process_serves_pages_without_numpy_scipy_scikit_learn_the_api_v3_or_deferred(
    tmp_path,
):
    env = _env(tmp_path)
    _run(["manage.py", "migrate", "--noinput", "-v0"], env)
    _run(["manage.py", "seed_demo", "--allow-without-debug"], env)

    out = _run(["-c", PROBE, json.dumps([HEAVY, UNSERVED, DEFERRED])], env)
    probe = json.loads(out.split("PROBE", 1)[1])

    assert probe["answers"].pop("resident signed in") is True
    assert probe["answers"] and set(probe["answers"].values()) == {200}, probe["answers"]
    assert probe["loaded"] == [], f"the web process imported {probe['loaded']}"
    # The check sees them when they are loaded: the task worker's clustering does, so do the
    # API v3's own module, the public pages API's validators and allauth's WebAuthn.
    assert probe["loaded_later"] == list(HEAVY + UNSERVED + DEFERRED)
