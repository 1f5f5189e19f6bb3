"""Every URL of the site, as every role: the answer each gets, and that nothing leaks.

How the URLs are found (tests/authz/walk.py), so that a new one fails here until someone
writes down who may use it:

- Django's URL resolver: every pattern outside /admin/ (allauth, our account page,
  consultations/urls.py, Wagtail's document and page-password helpers) is a row, named by its
  URL name. Patterns with arguments get sample URLs from `SAMPLE_URLS` (tests/authz/requests.py).
- Wagtail's page tree: every live page of PCN A's site, and every route of each routable page
  (ConsultationPage's `_route_to` routes, UpdateIndexPage's feed). The open consultation's
  routes that take an idea or comment are walked once per state of post: published, pending,
  hidden, withdrawn.
- The admin: our own screens (consultations/wagtail_hooks.py) are one row each, for this PCN's
  and the other PCN's objects. Wagtail's own screens are several hundred; they are grouped by
  the first path segment after /admin/ (snippets by app and model), every group must appear in
  `ADMIN_SAMPLES`, and its representative screens are rows here. The rule they follow:
  a visitor or a signed-in person without admin access is sent to the admin's sign-in ("adm");
  moderators and staff have admin access but only see what their permissions allow, and
  Wagtail refuses the rest by sending them back to the dashboard ("no"); the admin sees all.

Each row is (GET answers, POST answers or None), one word per role in ROLES order:

    visitor, unverified, resident, other_resident, moderator, other_moderator, staff,
    place_lead, admin

"resident" wrote every idea and comment under test; "other_resident" wrote none. The words:
"ok" 200; "in" redirected to /accounts/login/; "adm" redirected to /admin/login/; "no"
redirected to /admin/ (Wagtail's refusal); "go" redirected anywhere else (the action was
done, or there was nothing to do); otherwise the status code.

Every 200 is searched for the marker words of pending, hidden and withdrawn posts
(tests/authz/conftest.py SECRETS) that the role may not see. Every POST is followed by a check
that nothing of the other PCN changed (unless the role works there or is the admin), that
no page of PCN A was unpublished or deleted (unless the role is its staff or the admin), and
that no letter of PCN A was marked as sent (unless the role is its moderator, staff or admin).
Each request runs in a transaction that is rolled back, so every one starts from the same world.

POSTs are sent to every state-changing endpoint; CSRF is enforced in its own pass below.
"""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from consultations.models import Idea, Letter, Theme
from tests.authz import walk
from tests.authz.conftest import ROLES
from tests.authz.requests import (
    ADMIN_SAMPLES,
    SAMPLE_URLS,
    leaks,
    make_request,
    post_body,
)

EXPECTED = {
    # Accounts (allauth) and our own account page
    "account_profile": ("in ok ok ok ok ok ok ok ok", "in go go go go go go go go"),
    "account_login": ("ok go go go go go go go go", "ok go go go go go go go go"),
    "account_logout": ("go ok ok ok ok ok ok ok ok", "go go go go go go go go go"),
    "account_inactive": ("ok ok ok ok ok ok ok ok ok", None),
    "account_signup": ("ok go go go go go go go go", "ok go go go go go go go go"),
    "account_reauthenticate": ("in ok ok ok ok ok ok ok ok", None),
    # allauth refuses a new address (with a form error) on an account with two-factor sign-in.
    "account_email": ("in ok ok ok ok ok ok ok ok", "in go go go ok ok ok ok ok"),
    "account_email_verification_sent": ("ok ok ok ok ok ok ok ok ok", None),
    "account_change_password": ("in ok ok ok ok ok ok ok ok", "in go go go go go go go go"),
    "account_set_password": ("in go go go go go go go go", "in go go go go go go go go"),
    "account_reset_password": ("ok ok ok ok ok ok ok ok ok", "ok ok ok ok ok ok ok ok ok"),
    "account_confirm_login_code": ("in go go go go go go go go", None),
    "account_confirm_email": ("ok ok ok ok ok ok ok ok ok", None),
    "account_reset_password_from_key_done": ("ok ok ok ok ok ok ok ok ok", None),
    "account_reset_password_from_key": ("ok ok ok ok ok ok ok ok ok", None),
    "account_reset_password_done": ("ok ok ok ok ok ok ok ok ok", None),
    # Two-factor authentication (allauth.mfa). Every role below has an authenticator app;
    # the residents have none. Changing anything first asks to confirm it is you
    # (account_reauthenticate), which a session that did not just sign in has not done.
    "mfa_index": ("in ok ok ok ok ok ok ok ok", None),
    "mfa_authenticate": ("in go go go go go go go go", "in go go go go go go go go"),
    "mfa_reauthenticate": ("in go go go ok ok ok ok ok", "in go go go ok ok ok ok ok"),
    "mfa_activate_totp": ("in go go go go go go go go", "in go go go go go go go go"),
    "mfa_deactivate_totp": ("in 404 404 404 go go go go go", "in 404 404 404 go go go go go"),
    "mfa_view_recovery_codes": ("in 404 404 404 go go go go go", None),
    "mfa_generate_recovery_codes": (
        "in go go go go go go go go",
        "in go go go go go go go go",
    ),
    "mfa_download_recovery_codes": ("in 404 404 404 go go go go go", None),
    # Other sign-in forms' addresses send everyone to allauth's, which asks for the code.
    "admin-login-redirect": (
        "in 403 403 403 403 403 403 403 403",
        "in 403 403 403 403 403 403 403 403",
    ),
    "page-login-redirect": ("in in in in in in in in in", "in in in in in in in in in"),
    # A resident's own data: the download (a POST sends the file) and erasing the account.
    # Any signed-in person may do either, for their own account only (the walk's POST to
    # erase uses the person's own password; each request is rolled back).
    "account_data_download": ("in ok ok ok ok ok ok ok ok", "in ok ok ok ok ok ok ok ok"),
    "account_erase": ("in ok ok ok ok ok ok ok ok", "in go go go go go go go go"),
    "account_erase_done": ("ok ok ok ok ok ok ok ok ok", None),
    # A resident's own pages
    "consultations:my-contributions": ("in ok ok ok ok ok ok ok ok", None),
    "consultations:preferences": ("in ok ok ok ok ok ok ok ok", "in go go go go go go go go"),
    "consultations:unsubscribe [signed]": (
        "ok ok ok ok ok ok ok ok ok",
        "ok ok ok ok ok ok ok ok ok",
    ),
    "consultations:unsubscribe [forged]": (
        "400 400 400 400 400 400 400 400 400",
        "400 400 400 400 400 400 400 400 400",
    ),
    # Wagtail's page-serving helpers and documents
    "wagtaildocs_serve": ("404 404 404 404 404 404 404 404 404", None),
    "wagtaildocs_authenticate_with_password": ("404 404 404 404 404 404 404 404 404", None),
    "wagtailcore_authenticate_with_password": ("404 404 404 404 404 404 404 404 404", None),
    # Pages of PCN A's site, and every route of its routable pages
    "page home": ("ok ok ok ok ok ok ok ok ok", None),
    "page consultations": ("ok ok ok ok ok ok ok ok ok", None),
    "page open consultation ideas": ("ok ok ok ok ok ok ok ok ok", None),
    "page open consultation follow": (
        "405 405 405 405 405 405 405 405 405",
        "in 403 go go go go go go go",
    ),
    "page open consultation idea-create": (
        "in 403 ok ok ok ok ok ok ok",
        "in 403 go go go go go go go",
    ),
    "page open consultation idea-detail [published]": ("ok ok ok ok ok ok ok ok ok", None),
    "page open consultation idea-detail [pending]": ("404 404 ok 404 ok 404 404 404 ok", None),
    "page open consultation idea-detail [hidden]": ("404 404 ok 404 ok 404 404 404 ok", None),
    "page open consultation idea-detail [withdrawn]": ("404 404 404 404 ok 404 404 404 ok", None),
    "page open consultation idea-edit [published]": (
        "in 403 ok 403 403 403 403 403 403",
        "in 403 go 403 403 403 403 403 403",
    ),
    "page open consultation idea-edit [pending]": (
        "in 404 ok 404 403 404 404 404 403",
        "in 404 go 404 403 404 404 404 403",
    ),
    "page open consultation idea-edit [hidden]": (
        "in 404 403 404 403 404 404 404 403",
        "in 404 403 404 403 404 404 404 403",
    ),
    "page open consultation idea-edit [withdrawn]": (
        "in 404 404 404 403 404 404 404 403",
        "in 404 404 404 403 404 404 404 403",
    ),
    "page open consultation idea-withdraw [published]": (
        "in 403 ok 403 403 403 403 403 403",
        "in 403 go 403 403 403 403 403 403",
    ),
    "page open consultation idea-withdraw [pending]": (
        "in 404 ok 404 403 404 404 404 403",
        "in 404 go 404 403 404 404 404 403",
    ),
    "page open consultation idea-withdraw [hidden]": (
        "in 404 403 404 403 404 404 404 403",
        "in 404 403 404 403 404 404 404 403",
    ),
    "page open consultation idea-withdraw [withdrawn]": (
        "in 404 404 404 403 404 404 404 403",
        "in 404 404 404 403 404 404 404 403",
    ),
    "page open consultation idea-support [published]": (
        "405 405 405 405 405 405 405 405 405",
        "in 403 403 go go go go go go",
    ),
    "page open consultation idea-support [pending]": (
        "405 405 405 405 405 405 405 405 405",
        "in 404 403 404 403 404 404 404 403",
    ),
    "page open consultation idea-support [hidden]": (
        "405 405 405 405 405 405 405 405 405",
        "in 404 403 404 403 404 404 404 403",
    ),
    "page open consultation idea-support [withdrawn]": (
        "405 405 405 405 405 405 405 405 405",
        "in 404 404 404 403 404 404 404 403",
    ),
    "page open consultation idea-follow [published]": (
        "405 405 405 405 405 405 405 405 405",
        "in 403 go go go go go go go",
    ),
    "page open consultation idea-follow [pending]": (
        "405 405 405 405 405 405 405 405 405",
        "in 404 go 404 go 404 404 404 go",
    ),
    "page open consultation idea-follow [hidden]": (
        "405 405 405 405 405 405 405 405 405",
        "in 404 go 404 go 404 404 404 go",
    ),
    "page open consultation idea-follow [withdrawn]": (
        "405 405 405 405 405 405 405 405 405",
        "in 404 404 404 go 404 404 404 go",
    ),
    "page open consultation idea-flag [published]": (
        "in 403 403 ok ok ok ok ok ok",
        "in 403 403 go go go go go go",
    ),
    "page open consultation idea-flag [pending]": (
        "in 404 403 404 403 404 404 404 403",
        "in 404 403 404 403 404 404 404 403",
    ),
    "page open consultation idea-flag [hidden]": (
        "in 404 403 404 403 404 404 404 403",
        "in 404 403 404 403 404 404 404 403",
    ),
    "page open consultation idea-flag [withdrawn]": (
        "in 404 404 404 403 404 404 404 403",
        "in 404 404 404 403 404 404 404 403",
    ),
    "page open consultation comment-create [published]": (
        "in 403 ok ok ok ok ok ok ok",
        "in 403 go go go go go go go",
    ),
    "page open consultation comment-create [pending]": (
        "in 404 403 404 403 404 404 404 403",
        "in 404 403 404 403 404 404 404 403",
    ),
    "page open consultation comment-create [hidden]": (
        "in 404 403 404 403 404 404 404 403",
        "in 404 403 404 403 404 404 404 403",
    ),
    "page open consultation comment-create [withdrawn]": (
        "in 404 404 404 403 404 404 404 403",
        "in 404 404 404 403 404 404 404 403",
    ),
    "page open consultation comment-edit [published]": (
        "in 403 ok 403 403 403 403 403 403",
        "in 403 go 403 403 403 403 403 403",
    ),
    "page open consultation comment-edit [pending]": (
        "in 404 ok 404 403 404 404 404 403",
        "in 404 go 404 403 404 404 404 403",
    ),
    "page open consultation comment-edit [hidden]": (
        "in 404 403 404 403 404 404 404 403",
        "in 404 403 404 403 404 404 404 403",
    ),
    "page open consultation comment-withdraw [published]": (
        "in 403 ok 403 403 403 403 403 403",
        "in 403 go 403 403 403 403 403 403",
    ),
    "page open consultation comment-withdraw [pending]": (
        "in 404 ok 404 403 404 404 404 403",
        "in 404 go 404 403 404 404 404 403",
    ),
    "page open consultation comment-withdraw [hidden]": (
        "in 404 403 404 403 404 404 404 403",
        "in 404 403 404 403 404 404 404 403",
    ),
    "page open consultation what-we-heard": ("404 404 404 404 ok 404 404 404 ok", None),
    "page open consultation what-we-heard-csv": ("404 404 404 404 ok 404 404 404 ok", None),
    "page open consultation comment-flag [published]": (
        "in 403 403 ok ok ok ok ok ok",
        "in 403 403 go go go go go go",
    ),
    "page open consultation comment-flag [pending]": (
        "in 404 403 404 403 404 404 404 403",
        "in 404 403 404 403 404 404 404 403",
    ),
    "page open consultation comment-flag [hidden]": (
        "in 404 403 404 403 404 404 404 403",
        "in 404 403 404 403 404 404 404 403",
    ),
    "page open consultation index_route": ("ok ok ok ok ok ok ok ok ok", None),
    "page reviewed consultation ideas": ("ok ok ok ok ok ok ok ok ok", None),
    "page reviewed consultation follow": (
        "405 405 405 405 405 405 405 405 405",
        "in 403 go go go go go go go",
    ),
    "page reviewed consultation idea-create": (
        "in 403 403 403 403 403 403 403 403",
        "in 403 403 403 403 403 403 403 403",
    ),
    "page reviewed consultation what-we-heard": ("ok ok ok ok ok ok ok ok ok", None),
    "page reviewed consultation what-we-heard-csv": ("ok ok ok ok ok ok ok ok ok", None),
    "page reviewed consultation index_route": ("ok ok ok ok ok ok ok ok ok", None),
    "page updates feed": ("ok ok ok ok ok ok ok ok ok", None),
    "page updates index_route": ("ok ok ok ok ok ok ok ok ok", None),
    "page update": ("ok ok ok ok ok ok ok ok ok", None),
    "page vision": ("ok ok ok ok ok ok ok ok ok", None),
    "page privacy notice": ("ok ok ok ok ok ok ok ok ok", None),
    # Our moderation screens in the admin, one row each (this PCN and the other)
    # The walk ticks a post of each PCN: a bulk decision is for every ticked post or none, so
    # each PCN's moderator is refused (400, the queue shown again) and only the admin decides.
    "moderation:queue": ("adm adm adm adm ok ok no adm ok", "adm adm adm adm 400 400 no adm go"),
    "moderation:consultations": (
        "adm adm adm adm ok ok no adm ok",
        "adm adm adm adm 405 405 no adm 405",
    ),
    "moderation:themes [this PCN]": (
        "adm adm adm adm ok no no adm ok",
        "adm adm adm adm go no no adm go",
    ),
    "moderation:themes [other PCN]": (
        "adm adm adm adm no ok no adm ok",
        "adm adm adm adm no go no adm go",
    ),
    "moderation:assign [this PCN]": (
        "adm adm adm adm ok no no adm ok",
        "adm adm adm adm go no no adm go",
    ),
    "moderation:assign [other PCN]": (
        "adm adm adm adm no ok no adm ok",
        "adm adm adm adm no go no adm go",
    ),
    "moderation:theme [this PCN]": (
        "adm adm adm adm ok no no adm ok",
        "adm adm adm adm go no no adm go",
    ),
    "moderation:theme [other PCN]": (
        "adm adm adm adm no ok no adm ok",
        "adm adm adm adm no go no adm go",
    ),
    "moderation:post [pending idea]": (
        "adm adm adm adm ok no no adm ok",
        "adm adm adm adm go no no adm go",
    ),
    "moderation:post [pending comment]": (
        "adm adm adm adm ok no no adm ok",
        "adm adm adm adm go no no adm go",
    ),
    "moderation:post [other PCN's idea]": (
        "adm adm adm adm no ok no adm ok",
        "adm adm adm adm no go no adm go",
    ),
    # Entering paper, phone and meeting contributions, and letters to print: moderators and
    # staff of the PCN. Another PCN's consultation is not found (the form lists only those
    # the user may enter to); another PCN's update is refused.
    "offline:consultations": ("adm adm adm adm ok ok ok adm ok", None),
    "offline:idea [this PCN]": (
        "adm adm adm adm ok 404 ok adm ok",
        "adm adm adm adm go 404 go adm go",
    ),
    "offline:idea [other PCN]": (
        "adm adm adm adm 404 ok 404 adm ok",
        "adm adm adm adm 404 go 404 adm go",
    ),
    "offline:idea [this PCN, other PCN's consultation posted]": (
        "adm adm adm adm ok 404 ok adm ok",
        "adm adm adm adm 400 404 400 adm go",
    ),
    "offline:letter-updates": ("adm adm adm adm ok ok ok adm ok", None),
    "offline:letters [this PCN]": (
        "adm adm adm adm ok no ok adm ok",
        "adm adm adm adm go no go adm go",
    ),
    "offline:letters [other PCN]": (
        "adm adm adm adm no ok no adm ok",
        "adm adm adm adm no go no adm go",
    ),
    "offline:letters [this PCN, other PCN's letter posted]": (
        "adm adm adm adm ok no ok adm ok",
        "adm adm adm adm go no go adm go",
    ),
    "offline:letters-print [this PCN]": ("adm adm adm adm ok no ok adm ok", None),
    "offline:letters-print [other PCN]": ("adm adm adm adm no ok no adm ok", None),
    # Samples of Wagtail's own admin, by group (see ADMIN_SAMPLES)
    "admin dashboard": ("adm adm adm adm ok ok ok adm ok", None),
    "admin unknown screen": ("adm adm adm adm 404 404 404 adm 404", None),
    "admin account": ("adm adm adm adm ok ok ok adm ok", None),
    "admin pages API": ("adm adm adm adm ok ok ok adm ok", None),
    "admin block preview": ("adm adm adm adm 404 404 404 adm 404", None),
    "admin bulk delete": ("adm adm adm adm ok ok ok adm ok", "adm adm adm adm go go go adm go"),
    "admin anchor chooser": ("adm adm adm adm ok ok ok adm ok", None),
    "admin email chooser": ("adm adm adm adm ok ok ok adm ok", None),
    "admin link chooser": ("adm adm adm adm ok ok ok adm ok", None),
    "admin page chooser": ("adm adm adm adm ok ok ok adm ok", None),
    "admin phone chooser": ("adm adm adm adm ok ok ok adm ok", None),
    "admin collections": ("adm adm adm adm no no no adm ok", None),
    "admin dismissibles": ("adm adm adm adm ok ok ok adm ok", None),
    "admin documents": ("adm adm adm adm no no no adm ok", None),
    "admin editing session": ("adm adm adm adm 405 405 405 adm 405", None),
    "admin embed chooser": ("adm adm adm adm ok ok ok adm ok", None),
    "admin form submissions": ("adm adm adm adm no no ok adm ok", None),
    "admin groups": ("adm adm adm adm no no no adm ok", None),
    "admin images": ("adm adm adm adm no no no adm ok", None),
    "admin translations": ("ok ok ok ok ok ok ok ok ok", None),
    "admin logout": ("adm adm adm adm 405 405 405 adm 405", "adm adm adm adm adm adm adm adm adm"),
    "admin page explorer": ("adm adm adm adm no no go adm ok", None),
    "admin explore this PCN": ("adm adm adm adm no no ok adm ok", None),
    "admin edit this PCN's consultation": ("adm adm adm adm no no ok adm ok", None),
    "admin edit other PCN's consultation": ("adm adm adm adm no no no adm ok", None),
    "admin unpublish this PCN's consultation": (
        "adm adm adm adm no no ok adm ok",
        "adm adm adm adm no no go adm go",
    ),
    "admin unpublish other PCN's consultation": (
        "adm adm adm adm no no no adm ok",
        "adm adm adm adm no no no adm go",
    ),
    "admin delete this PCN's update": (
        "adm adm adm adm no no no adm ok",
        "adm adm adm adm no no no adm go",
    ),
    # Off: passwords are reset through allauth, like every sign-in (WAGTAIL_PASSWORD_RESET_ENABLED).
    "admin password reset": ("404 404 404 404 404 404 404 404 404", None),
    "admin redirects": ("adm adm adm adm no no no adm ok", None),
    "admin site history": ("adm adm adm adm ok ok ok adm ok", None),
    "admin workflow report": ("adm adm adm adm no no ok adm ok", None),
    "admin settings": ("adm adm adm adm 404 404 404 adm 404", None),
    "admin sites": ("adm adm adm adm no no no adm ok", None),
    "admin snippets": ("adm adm adm adm no no no adm no", None),
    "admin integratedcaresystem chooser": ("adm adm adm adm ok ok ok adm ok", None),
    "admin neighbourhood chooser": ("adm adm adm adm ok ok ok adm ok", None),
    "admin place chooser": ("adm adm adm adm ok ok ok adm ok", None),
    "admin practice chooser": ("adm adm adm adm ok ok ok adm ok", None),
    "admin primarycarenetwork chooser": ("adm adm adm adm ok ok ok adm ok", None),
    "admin integratedcaresystem list": ("adm adm adm adm no no no adm ok", None),
    "admin neighbourhood list": ("adm adm adm adm no no no adm ok", None),
    "admin place list": ("adm adm adm adm no no no adm ok", None),
    "admin practice list": ("adm adm adm adm no no no adm ok", None),
    "admin primarycarenetwork list": ("adm adm adm adm no no no adm ok", None),
    "admin icons": ("ok ok ok ok ok ok ok ok ok", None),
    "admin tags": ("adm adm adm adm ok ok ok adm ok", None),
    "admin test 404": ("adm adm adm adm ok ok ok adm ok", None),
    "admin users": ("adm adm adm adm no no no adm ok", None),
    "admin edit a resident": ("adm adm adm adm no no no adm ok", "adm adm adm adm no no no adm ok"),
    "admin workflows": ("adm adm adm adm no no no adm ok", None),
}

# The endpoint that does not check CSRF on purpose: the signed token in its URL is the
# authority, and mail clients post to it for one-click unsubscribe (RFC 8058).
CSRF_EXEMPT = {"consultations:unsubscribe [signed]", "consultations:unsubscribe [forged]"}


def all_targets(world) -> tuple[dict[str, str], list[str], list[str]]:
    """(label -> URL, labels that could not be given a URL, admin groups with no samples)."""
    targets, unbuildable = walk.resolver_targets(world, SAMPLE_URLS)
    targets.update(walk.page_targets(world))
    unsampled = []
    for group in sorted(walk.wagtail_admin_groups()):
        if group not in ADMIN_SAMPLES:
            unsampled.append(group)
            continue
        targets.update(ADMIN_SAMPLES[group](world))
    return targets, unbuildable, unsampled


def test_every_url_has_an_expectation(world):
    targets, unbuildable, unsampled = all_targets(world)
    problems = []
    if unbuildable:
        problems.append(
            "URL patterns with arguments and no sample URL (add a builder to SAMPLE_URLS in "
            "tests/authz/requests.py, then a row to EXPECTED):\n  " + "\n  ".join(unbuildable)
        )
    if unsampled:
        problems.append(
            "Wagtail admin URL groups with no sample screens (add them to ADMIN_SAMPLES in "
            "tests/authz/requests.py, then rows to EXPECTED):\n  " + "\n  ".join(unsampled)
        )
    missing = sorted(set(targets) - set(EXPECTED))
    if missing:
        problems.append(
            "New URLs with no row in EXPECTED (tests/authz/test_url_walk.py); write down what "
            "each role should get:\n  "
            + "\n  ".join(f"{label}  ->  {targets[label]}" for label in missing)
        )
    gone = sorted(set(EXPECTED) - set(targets))
    if gone:
        problems.append("Rows in EXPECTED for URLs that no longer exist:\n  " + "\n  ".join(gone))
    assert not problems, "\n\n".join(problems)


def test_admin_urls_are_grouped_and_ours_are_listed_one_by_one():
    """Our own admin screens are rows of their own, never hidden inside a Wagtail group."""
    ours = {p.label for p in walk.our_admin_patterns()}
    assert {"moderation:queue", "moderation:post", "offline:idea", "offline:letters"} <= ours
    # Our redirect at /admin/login/ comes first, so Wagtail's sign-in form there is never
    # reached: it is neither a group nor a row.
    assert "admin-login-redirect" in ours
    assert "admin/login/" not in walk.wagtail_admin_groups()
    assert "wagtailadmin_login" not in {p.name for p in walk.resolver_patterns()}
    assert all(
        not p.ours for p in walk.resolver_patterns() if walk.admin_group(p.route) in ADMIN_SAMPLES
    )
    assert (
        walk.admin_group("admin/snippets/home/place/edit/<int:pk>/") == "admin/snippets/home/place/"
    )
    assert walk.admin_group("admin/pages/<int:page_id>/edit/") == "admin/pages/"


def _expected(label, index):
    words = EXPECTED[label][index]
    if words is None:
        return None
    words = words.split()
    assert len(words) == len(ROLES), f"{label}: {len(words)} answers for {len(ROLES)} roles"
    return dict(zip(ROLES, words, strict=True))


def _fingerprint(world):
    other_pages = Page.objects.descendant_of(world.other_home, inclusive=True)
    return {
        "other PCN": (
            sorted(other_pages.values_list("pk", "live", "title")),
            sorted(
                Idea.objects.filter(consultation=world.other_consultation).values_list(
                    "pk", "status"
                )
            ),
            sorted(
                Theme.objects.filter(consultation=world.other_consultation).values_list(
                    "pk", "name"
                )
            ),
            sorted(Letter.objects.filter(update=world.other_update).values_list("pk", "status")),
        ),
        "PCN A's letters": sorted(
            Letter.objects.filter(update=world.update).values_list("pk", "status")
        ),
        "PCN A's pages": sorted(
            Page.objects.descendant_of(world.home, inclusive=True).values_list("pk", "live")
        ),
    }


def _side_effects(world, role, before) -> list[str]:
    after = _fingerprint(world)
    found = []
    if role not in ("other_moderator", "admin") and after["other PCN"] != before["other PCN"]:
        found.append("changed the other PCN's pages, ideas, themes or letters")
    if (
        role not in ("moderator", "staff", "admin")
        and after["PCN A's letters"] != before["PCN A's letters"]
    ):
        found.append("marked a letter of PCN A as sent")
    if role not in ("staff", "admin") and after["PCN A's pages"] != before["PCN A's pages"]:
        found.append("unpublished or deleted a page of PCN A")
    return found


def _walk(world, role, method):
    index = 0 if method == "get" else 1
    targets, _, _ = all_targets(world)
    failures = []
    for label, url in targets.items():
        if label not in EXPECTED:
            continue  # reported by test_every_url_has_an_expectation
        expected = _expected(label, index)
        if expected is None:
            continue
        before = _fingerprint(world) if method == "post" else None
        effects = []

        def check(before=before, effects=effects):
            if before is not None:
                effects.extend(_side_effects(world, role, before))

        data = post_body(label, world) if method == "post" else None
        response, text = make_request(world, role, url, method=method, data=data, check=check)
        got = walk.outcome(response)
        if got != expected[role]:
            where = response.headers.get("Location", "")
            failures.append(
                f"{method.upper()} {label} ({url}): expected {expected[role]}, got {got}"
                + (f" -> {where}" if where else "")
            )
        if response.status_code == 200 and (leaked := leaks(role, text, label)):
            failures.append(f"{method.upper()} {label} ({url}): shows {', '.join(leaked)}")
        failures += [f"{method.upper()} {label} ({url}): {effect}" for effect in effects]
    assert not failures, f"As {role}:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_get_every_url(world, role):
    _walk(world, role, "get")


@pytest.mark.parametrize("role", ROLES)
def test_post_every_state_changing_url(world, role):
    _walk(world, role, "post")


def test_a_post_without_a_csrf_token_is_refused_everywhere(world):
    """A signed-in resident (and a visitor, for sign-in and sign-up) with CSRF checks on."""
    targets, _, _ = all_targets(world)
    failures = []
    for label, url in targets.items():
        if label not in EXPECTED or EXPECTED[label][1] is None or label in CSRF_EXEMPT:
            continue
        for role in ("resident", "visitor"):
            response, _ = make_request(
                world, role, url, method="post", data=post_body(label, world), csrf=True
            )
            if response.status_code != 403:
                failures.append(f"POST {label} as {role}: {response.status_code}, not 403")
    assert not failures, "\n  ".join(["Accepted without a CSRF token:", *failures])


def test_the_same_post_with_its_csrf_token_is_accepted(world):
    """The control: the refusals above are about the token, not the request."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["other_resident"])
    page = world.open_consultation
    client.get(page.url)  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    idea = world.ideas["published"]
    url = page.url + page.reverse_subpage("idea-support", kwargs={"idea_id": idea.pk})
    assert client.post(url, {}).status_code == 403
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert idea.supports.filter(user=world.people["other_resident"]).exists()


def test_the_unsubscribe_link_needs_no_csrf_token_but_only_unsubscribes_its_owner(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("consultations:unsubscribe", args=[world.unsubscribe_token]))
    assert response.status_code == 200
    world.people["resident"].refresh_from_db()
    world.people["other_resident"].refresh_from_db()
    assert world.people["resident"].email_updates is False
    assert world.people["other_resident"].email_updates is True
