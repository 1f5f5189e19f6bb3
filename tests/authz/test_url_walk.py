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
- The admin: our own screens (consultations/wagtail_hooks.py, and the Wagtail screens
  replaced to keep each PCN to its own: home/admin_urls.py, the admin API, the snippet
  choosers) are one row each, for this PCN's and the other PCN's objects. Wagtail's own
  screens are several hundred; they are grouped by the first path segment after /admin/
  (snippets by app and model), every group must appear in `ADMIN_SAMPLES`, and its
  representative screens are rows here, asked for PCN B's objects by id, in listings,
  searches, choosers, reports and bulk actions. The rule they follow:
  a visitor or a signed-in person without admin access is sent to the admin's sign-in ("adm");
  moderators and staff have admin access but only see what their permissions allow, and
  Wagtail refuses the rest by sending them back to the dashboard ("no"); the admin sees all.

Each row is (GET answers, POST answers or None), one word per role in ROLES order:

    visitor, unverified, resident, other_resident, moderator, other_moderator, staff, lead,
    place_lead, admin

"resident" wrote every idea and comment under test; "other_resident" wrote none. The words:
"ok" 200; "in" redirected to /accounts/login/; "adm" redirected to /admin/login/; "no"
redirected to /admin/ (Wagtail's refusal); "go" redirected anywhere else (the action was
done, or there was nothing to do); otherwise the status code.

Every 200 is searched for the marker words (tests/authz/conftest.py SECRETS) the role may not
see: of pending, hidden and withdrawn posts, of PCN A's private consultation, and of every
object of PCN B (its twin), which PCN A's moderator, staff and lead must never see anywhere.
Every POST is
followed by a check that nothing of the other PCN changed (pages, their privacy and
workflows, ideas, themes, letters, uploads, neighbourhoods, staff; unless the role works
there or is the admin), that no page of PCN A was unpublished or deleted (unless the role is
its staff, lead or the admin), and that no letter of PCN A was marked as sent (unless the
role is its moderator, staff, lead or admin).
Each request runs in a transaction that is rolled back, so every one starts from the same world.

POSTs are sent to every state-changing endpoint; CSRF is enforced in its own pass below.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, WorkflowState

from consultations.models import Idea, Letter, Theme
from home.models import Neighbourhood
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
    "account_profile": ("in ok ok ok ok ok ok ok ok ok", "in go go go go go go go go go"),
    # Signed in already: sent where their work is (engage/roles.py): staff, leads and the
    # admin to the dashboard, /admin/ (written "no"); a moderator to the queue.
    "account_login": ("ok go go go go go no no go no", "ok go go go go go no no go no"),
    "account_logout": ("go ok ok ok ok ok ok ok ok ok", "go go go go go go go go go go"),
    "account_inactive": ("ok ok ok ok ok ok ok ok ok ok", None),
    "account_signup": ("ok go go go go go no no go no", "ok go go go go go no no go no"),
    "account_reauthenticate": ("in ok ok ok ok ok ok ok ok ok", None),
    # allauth refuses a new address (with a form error) on an account with two-factor sign-in.
    "account_email": ("in ok ok ok ok ok ok ok ok ok", "in go go go ok ok ok ok ok ok"),
    "account_email_verification_sent": ("ok ok ok ok ok ok ok ok ok ok", None),
    "account_change_password": ("in ok ok ok ok ok ok ok ok ok", "in go go go go go go go go go"),
    "account_set_password": ("in go go go go go go go go go", "in go go go go go go go go go"),
    "account_reset_password": ("ok ok ok ok ok ok ok ok ok ok", "ok ok ok ok ok ok ok ok ok ok"),
    "account_confirm_login_code": ("in go go go go go no no go no", None),
    "account_confirm_email": ("ok ok ok ok ok ok ok ok ok ok", None),
    "account_reset_password_from_key_done": ("ok ok ok ok ok ok ok ok ok ok", None),
    "account_reset_password_from_key": ("ok ok ok ok ok ok ok ok ok ok", None),
    "account_reset_password_done": ("ok ok ok ok ok ok ok ok ok ok", None),
    # Two-factor authentication (allauth.mfa). Every role below has an authenticator app;
    # the residents have none. Changing anything first asks to confirm it is you
    # (account_reauthenticate), which a session that did not just sign in has not done.
    "mfa_index": ("in ok ok ok ok ok ok ok ok ok", None),
    "mfa_authenticate": ("in go go go go go no no go no", "in go go go go go no no go no"),
    "mfa_reauthenticate": ("in go go go ok ok ok ok ok ok", "in go go go ok ok ok ok ok ok"),
    "mfa_activate_totp": ("in go go go go go go go go go", "in go go go go go go go go go"),
    "mfa_deactivate_totp": ("in 404 404 404 go go go go go go", "in 404 404 404 go go go go go go"),
    "mfa_view_recovery_codes": ("in 404 404 404 go go go go go go", None),
    "mfa_generate_recovery_codes": (
        "in go go go go go go go go go",
        "in go go go go go go go go go",
    ),
    "mfa_download_recovery_codes": ("in 404 404 404 go go go go go go", None),
    # Other sign-in forms' addresses send everyone to allauth's, which asks for the code.
    "admin-login-redirect": (
        "in 403 403 403 403 403 403 403 403 403",
        "in 403 403 403 403 403 403 403 403 403",
    ),
    "page-login-redirect": ("in in in in in in in in in in", "in in in in in in in in in in"),
    # A resident's own data: the download (a POST sends the file) and erasing the account.
    # Any signed-in person may do either, for their own account only (the walk's POST to
    # erase uses the person's own password; each request is rolled back).
    "account_data_download": ("in ok ok ok ok ok ok ok ok ok", "in ok ok ok ok ok ok ok ok ok"),
    "account_erase": ("in ok ok ok ok ok ok ok ok ok", "in go go go go go go go go go"),
    "account_erase_done": ("ok ok ok ok ok ok ok ok ok ok", None),
    # The open data API (consultations/api/): public and read-only, the same for everyone
    # (nobody signs in to it). Organisations need a kind (400 without one). A private
    # consultation is not found, even by the staff who may see its page.
    "api-v1:organisation-list": ("400 400 400 400 400 400 400 400 400 400", None),
    "api-v1:consultation-list": ("ok ok ok ok ok ok ok ok ok ok", None),
    "api-v1:consultation-detail [public]": ("ok ok ok ok ok ok ok ok ok ok", None),
    "api-v1:consultation-detail [private]": ("404 404 404 404 404 404 404 404 404 404", None),
    "api-v1:consultation-detail [other PCN's]": ("ok ok ok ok ok ok ok ok ok ok", None),
    "api-v1:theme-list": ("ok ok ok ok ok ok ok ok ok ok", None),
    "api-v1:priority-list": ("ok ok ok ok ok ok ok ok ok ok", None),
    "api-v1:update-list": ("ok ok ok ok ok ok ok ok ok ok", None),
    "api-v1:accountability-list": ("ok ok ok ok ok ok ok ok ok ok", None),
    "api-v1:place-accountability-list": ("ok ok ok ok ok ok ok ok ok ok", None),
    "api-v1:ics-accountability-list": ("ok ok ok ok ok ok ok ok ok ok", None),
    "api-v1:schema": ("ok ok ok ok ok ok ok ok ok ok", None),
    "api-v1:docs": ("ok ok ok ok ok ok ok ok ok ok", None),
    # The site's accessibility statement: public, and only read.
    "home:accessibility-statement": ("ok ok ok ok ok ok ok ok ok ok", None),
    # A resident's own pages
    "consultations:my-contributions": ("in ok ok ok ok ok ok ok ok ok", None),
    "consultations:preferences": ("in ok ok ok ok ok ok ok ok ok", "in go go go go go go go go go"),
    # "About you": anyone signed in answers for themselves only (a POST saves their own).
    "consultations:about-you": ("in ok ok ok ok ok ok ok ok ok", "in go go go go go go go go go"),
    # Taking part without an account (consultations/views/no_account.py): anyone may open
    # "check your email" (a code with no post sent from this browser is refused, 400) and
    # the link a post's sender was emailed (confirming it is the POST: it sends the post);
    # a link nobody was sent is not found.
    "consultations:no-account-sent": (
        "ok ok ok ok ok ok ok ok ok ok",
        "400 400 400 400 400 400 400 400 400 400",
    ),
    "consultations:no-account-confirm [sent]": (
        "ok ok ok ok ok ok ok ok ok ok",
        "go go go go go go go go go go",
    ),
    "consultations:no-account-confirm [forged]": (
        "404 404 404 404 404 404 404 404 404 404",
        "404 404 404 404 404 404 404 404 404 404",
    ),
    "consultations:unsubscribe [signed]": (
        "ok ok ok ok ok ok ok ok ok ok",
        "ok ok ok ok ok ok ok ok ok ok",
    ),
    "consultations:unsubscribe [forged]": (
        "400 400 400 400 400 400 400 400 400 400",
        "400 400 400 400 400 400 400 400 400 400",
    ),
    # Wagtail's page-serving helpers and documents
    "wagtaildocs_serve": ("404 404 404 404 404 404 404 404 404 404", None),
    "wagtaildocs_authenticate_with_password": ("404 404 404 404 404 404 404 404 404 404", None),
    "wagtailcore_authenticate_with_password": ("404 404 404 404 404 404 404 404 404 404", None),
    # Pages of PCN A's site, and every route of its routable pages
    "page home": ("ok ok ok ok ok ok ok ok ok ok", None),
    "page consultations": ("ok ok ok ok ok ok ok ok ok ok", None),
    "page open consultation ideas": ("ok ok ok ok ok ok ok ok ok ok", None),
    "page open consultation follow": (
        "405 405 405 405 405 405 405 405 405 405",
        "in 403 go go go go go go go go",
    ),
    "page open consultation idea-create": (
        "in 403 ok ok ok ok ok ok ok ok",
        "in 403 go go go go go go go go",
    ),
    # Without an account: visitors only; anyone signed in is sent to their account's form.
    "page open consultation idea-create-no-account": (
        "ok go go go go go go go go go",
        "go go go go go go go go go go",
    ),
    "page open consultation idea-detail [published]": ("ok ok ok ok ok ok ok ok ok ok", None),
    "page open consultation idea-detail [pending]": ("404 404 ok 404 ok 404 404 404 404 ok", None),
    "page open consultation idea-detail [hidden]": ("404 404 ok 404 ok 404 404 404 404 ok", None),
    "page open consultation idea-detail [withdrawn]": (
        "404 404 404 404 ok 404 404 404 404 ok",
        None,
    ),
    "page open consultation idea-edit [published]": (
        "in 403 ok 403 403 403 403 403 403 403",
        "in 403 go 403 403 403 403 403 403 403",
    ),
    "page open consultation idea-edit [pending]": (
        "in 404 ok 404 403 404 404 404 404 403",
        "in 404 go 404 403 404 404 404 404 403",
    ),
    "page open consultation idea-edit [hidden]": (
        "in 404 403 404 403 404 404 404 404 403",
        "in 404 403 404 403 404 404 404 404 403",
    ),
    "page open consultation idea-edit [withdrawn]": (
        "in 404 404 404 403 404 404 404 404 403",
        "in 404 404 404 403 404 404 404 404 403",
    ),
    "page open consultation idea-withdraw [published]": (
        "in 403 ok 403 403 403 403 403 403 403",
        "in 403 go 403 403 403 403 403 403 403",
    ),
    "page open consultation idea-withdraw [pending]": (
        "in 404 ok 404 403 404 404 404 404 403",
        "in 404 go 404 403 404 404 404 404 403",
    ),
    "page open consultation idea-withdraw [hidden]": (
        "in 404 403 404 403 404 404 404 404 403",
        "in 404 403 404 403 404 404 404 404 403",
    ),
    "page open consultation idea-withdraw [withdrawn]": (
        "in 404 404 404 403 404 404 404 404 403",
        "in 404 404 404 403 404 404 404 404 403",
    ),
    "page open consultation idea-support [published]": (
        "405 405 405 405 405 405 405 405 405 405",
        "in 403 403 go go go go go go go",
    ),
    "page open consultation idea-support [pending]": (
        "405 405 405 405 405 405 405 405 405 405",
        "in 404 403 404 403 404 404 404 404 403",
    ),
    "page open consultation idea-support [hidden]": (
        "405 405 405 405 405 405 405 405 405 405",
        "in 404 403 404 403 404 404 404 404 403",
    ),
    "page open consultation idea-support [withdrawn]": (
        "405 405 405 405 405 405 405 405 405 405",
        "in 404 404 404 403 404 404 404 404 403",
    ),
    "page open consultation idea-follow [published]": (
        "405 405 405 405 405 405 405 405 405 405",
        "in 403 go go go go go go go go",
    ),
    "page open consultation idea-follow [pending]": (
        "405 405 405 405 405 405 405 405 405 405",
        "in 404 go 404 go 404 404 404 404 go",
    ),
    "page open consultation idea-follow [hidden]": (
        "405 405 405 405 405 405 405 405 405 405",
        "in 404 go 404 go 404 404 404 404 go",
    ),
    "page open consultation idea-follow [withdrawn]": (
        "405 405 405 405 405 405 405 405 405 405",
        "in 404 404 404 go 404 404 404 404 go",
    ),
    "page open consultation idea-flag [published]": (
        "in 403 403 ok ok ok ok ok ok ok",
        "in 403 403 go go go go go go go",
    ),
    "page open consultation idea-flag [pending]": (
        "in 404 403 404 403 404 404 404 404 403",
        "in 404 403 404 403 404 404 404 404 403",
    ),
    "page open consultation idea-flag [hidden]": (
        "in 404 403 404 403 404 404 404 404 403",
        "in 404 403 404 403 404 404 404 404 403",
    ),
    "page open consultation idea-flag [withdrawn]": (
        "in 404 404 404 403 404 404 404 404 403",
        "in 404 404 404 403 404 404 404 404 403",
    ),
    "page open consultation comment-create [published]": (
        "in 403 ok ok ok ok ok ok ok ok",
        "in 403 go go go go go go go go",
    ),
    "page open consultation comment-create [pending]": (
        "in 404 403 404 403 404 404 404 404 403",
        "in 404 403 404 403 404 404 404 404 403",
    ),
    "page open consultation comment-create [hidden]": (
        "in 404 403 404 403 404 404 404 404 403",
        "in 404 403 404 403 404 404 404 404 403",
    ),
    "page open consultation comment-create [withdrawn]": (
        "in 404 404 404 403 404 404 404 404 403",
        "in 404 404 404 403 404 404 404 404 403",
    ),
    # A comment without an account on an idea they cannot see is not found, as the idea is.
    "page open consultation comment-create-no-account [published]": (
        "ok go go go go go go go go go",
        "go go go go go go go go go go",
    ),
    "page open consultation comment-create-no-account [pending]": (
        "404 404 go 404 go 404 404 404 404 go",
        "404 404 go 404 go 404 404 404 404 go",
    ),
    "page open consultation comment-create-no-account [hidden]": (
        "404 404 go 404 go 404 404 404 404 go",
        "404 404 go 404 go 404 404 404 404 go",
    ),
    "page open consultation comment-create-no-account [withdrawn]": (
        "404 404 404 404 go 404 404 404 404 go",
        "404 404 404 404 go 404 404 404 404 go",
    ),
    "page open consultation comment-edit [published]": (
        "in 403 ok 403 403 403 403 403 403 403",
        "in 403 go 403 403 403 403 403 403 403",
    ),
    "page open consultation comment-edit [pending]": (
        "in 404 ok 404 403 404 404 404 404 403",
        "in 404 go 404 403 404 404 404 404 403",
    ),
    "page open consultation comment-edit [hidden]": (
        "in 404 403 404 403 404 404 404 404 403",
        "in 404 403 404 403 404 404 404 404 403",
    ),
    "page open consultation comment-withdraw [published]": (
        "in 403 ok 403 403 403 403 403 403 403",
        "in 403 go 403 403 403 403 403 403 403",
    ),
    "page open consultation comment-withdraw [pending]": (
        "in 404 ok 404 403 404 404 404 404 403",
        "in 404 go 404 403 404 404 404 404 403",
    ),
    "page open consultation comment-withdraw [hidden]": (
        "in 404 403 404 403 404 404 404 404 403",
        "in 404 403 404 403 404 404 404 404 403",
    ),
    "page open consultation what-we-heard": ("404 404 404 404 ok 404 404 404 404 ok", None),
    "page open consultation what-we-heard-csv": ("404 404 404 404 ok 404 404 404 404 ok", None),
    "page open consultation comment-flag [published]": (
        "in 403 403 ok ok ok ok ok ok ok",
        "in 403 403 go go go go go go go",
    ),
    "page open consultation comment-flag [pending]": (
        "in 404 403 404 403 404 404 404 404 403",
        "in 404 403 404 403 404 404 404 404 403",
    ),
    "page open consultation comment-flag [hidden]": (
        "in 404 403 404 403 404 404 404 404 403",
        "in 404 403 404 403 404 404 404 404 403",
    ),
    "page open consultation index_route": ("ok ok ok ok ok ok ok ok ok ok", None),
    "page reviewed consultation ideas": ("ok ok ok ok ok ok ok ok ok ok", None),
    "page reviewed consultation follow": (
        "405 405 405 405 405 405 405 405 405 405",
        "in 403 go go go go go go go go",
    ),
    "page reviewed consultation idea-create": (
        "in 403 403 403 403 403 403 403 403 403",
        "in 403 403 403 403 403 403 403 403 403",
    ),
    "page reviewed consultation idea-create-no-account": (
        "403 go go go go go go go go go",
        "403 go go go go go go go go go",
    ),
    "page reviewed consultation what-we-heard": ("ok ok ok ok ok ok ok ok ok ok", None),
    "page reviewed consultation what-we-heard-csv": ("ok ok ok ok ok ok ok ok ok ok", None),
    "page reviewed consultation index_route": ("ok ok ok ok ok ok ok ok ok ok", None),
    "page updates feed": ("ok ok ok ok ok ok ok ok ok ok", None),
    "page updates index_route": ("ok ok ok ok ok ok ok ok ok ok", None),
    "page update": ("ok ok ok ok ok ok ok ok ok ok", None),
    "page vision": ("ok ok ok ok ok ok ok ok ok ok", None),
    # The vision of PCN A's Place, on the Place's own site: public.
    "page place vision": ("ok ok ok ok ok ok ok ok ok ok", None),
    # Its "You said, we did" update: public.
    "page place update": ("ok ok ok ok ok ok ok ok ok ok", None),
    "page privacy notice": ("ok ok ok ok ok ok ok ok ok ok", None),
    # PCN A's private consultation (view restricted to its moderators' and staff groups):
    # everyone else is asked to sign in, as Wagtail does for a group restriction.
    "page private consultation ideas": ("in in in in ok in ok ok in ok", None),
    "page private consultation follow": ("in in in in 405 in 405 405 in 405", None),
    "page private consultation idea-create": ("in in in in ok in ok ok in ok", None),
    "page private consultation idea-create-no-account": ("in in in in go in go go in go", None),
    "page private consultation what-we-heard": ("in in in in ok in 404 404 in ok", None),
    "page private consultation what-we-heard-csv": ("in in in in ok in 404 404 in ok", None),
    "page private consultation index_route": ("in in in in ok in ok ok in ok", None),
    # Our moderation screens in the admin, one row each (this PCN and the other)
    # The moderation queue (consultations/viewsets/moderation/): moderators of either PCN
    # see their own posts only; decisions are Wagtail bulk actions (pcn_admin:bulk-action).
    **{
        f"moderation_{kind}s:{view}": ("adm adm adm adm ok ok no no no ok", None)
        for kind in ("idea", "comment")
        for view in ("index", "index_results")
    },
    # Who took part (consultations/viewsets/who_took_part.py): equality answers in aggregate,
    # for the staff, PCN leads and place leads of the consultation's PCN and the admin; PPG
    # moderators are refused; another PCN's consultation is not found. (The place lead has no
    # admin access yet.)
    # A place lead reads their Place's PCNs' public consultations only.
    "who_took_part:index": ("adm adm adm adm no no ok ok ok ok", None),
    "who_took_part:consultation [this PCN]": ("adm adm adm adm no no ok ok ok ok", None),
    "who_took_part:consultation [other PCN]": ("adm adm adm adm no no 404 404 404 ok", None),
    # Charts (consultations/viewsets/charts.py): a PCN's for its staff, PCN leads and the
    # leads of its Place; a Place's for its leads; the admin sees all. PPG moderators are
    # refused; another PCN or Place is not found (staff of PCN A lead no Place: 404).
    "charts:index": ("adm adm adm adm no no ok ok ok ok", None),
    "charts:pcn [this PCN]": ("adm adm adm adm no no ok ok ok ok", None),
    "charts:pcn [other PCN]": ("adm adm adm adm no no 404 404 404 ok", None),
    "charts:pcn_csv [this PCN]": ("adm adm adm adm no no ok ok ok ok", None),
    "charts:pcn_csv [other PCN]": ("adm adm adm adm no no 404 404 404 ok", None),
    "charts:place [this Place]": ("adm adm adm adm no no 404 404 ok ok", None),
    "charts:place [other Place]": ("adm adm adm adm no no 404 404 404 ok", None),
    "charts:place_csv [this Place]": ("adm adm adm adm no no 404 404 ok ok", None),
    "charts:place_csv [other Place]": ("adm adm adm adm no no 404 404 404 ok", None),
    # An ICS's charts: its leads' (none of the roles here) and the admin's; everyone else
    # who sees some charts finds no ICS (a place lead included), moderators are refused.
    **{
        f"charts:{screen} [{which} ICS]": ("adm adm adm adm no no 404 404 404 ok", None)
        for screen in ("ics", "ics_csv")
        for which in ("this", "other")
    },
    # Evidence packs (consultations/viewsets/evidence_pack.py): whoever sees who took part,
    # for their own PCNs (a place lead: their Place's, public consultations only); another
    # PCN, or another PCN's practice, is a form error (400) naming neither.
    **{
        f"evidence_pack:{screen} [this PCN]": ("adm adm adm adm no no ok ok ok ok", None)
        for screen in ("index", "print", "csv")
    },
    **{
        f"evidence_pack:{screen} [other PCN]": ("adm adm adm adm no no 400 400 400 ok", None)
        for screen in ("index", "print", "csv")
    },
    **{
        f"evidence_pack:{screen} [other PCN's practice]": (
            "adm adm adm adm no no 400 400 400 400",
            None,
        )
        for screen in ("index", "print", "csv")
    },
    # Outreach (consultations/viewsets/outreach.py): the PCN's staff (a PCN lead is staff
    # too) and admins; another PCN's action is not found, and its consultation is refused
    # on the form ("ok": the form again, with the error). Moderators and place leads: none.
    "outreach:index": ("adm adm adm adm no no ok ok no ok", None),
    "outreach:index_results": ("adm adm adm adm no no ok ok no ok", None),
    "outreach:add": (
        "adm adm adm adm no no ok ok no ok",
        "adm adm adm adm no no go go no go",
    ),
    "outreach:add [other PCN's consultation posted]": (
        "adm adm adm adm no no ok ok no ok",
        "adm adm adm adm no no ok ok no go",
    ),
    "outreach:edit [this PCN]": (
        "adm adm adm adm no no ok ok no ok",
        "adm adm adm adm no no go go no go",
    ),
    "outreach:edit [other PCN]": (
        "adm adm adm adm no no 404 404 no ok",
        "adm adm adm adm no no 404 404 no go",
    ),
    "outreach:delete [this PCN]": (
        "adm adm adm adm no no ok ok no ok",
        "adm adm adm adm no no go go no go",
    ),
    "outreach:delete [other PCN]": (
        "adm adm adm adm no no 404 404 no ok",
        "adm adm adm adm no no 404 404 no go",
    ),
    "outreach:history [this PCN]": ("adm adm adm adm no no ok ok no ok", None),
    "outreach:history [other PCN]": ("adm adm adm adm no no 404 404 no ok", None),
    "outreach:history_results [this PCN]": ("adm adm adm adm no no ok ok no ok", None),
    "outreach:history_results [other PCN]": ("adm adm adm adm no no 404 404 no ok", None),
    # Themes: a snippet viewset (consultations/viewsets/themes/). Moderators of the
    # theme's PCN and the admin; another PCN's theme or consultation is refused.
    "wagtailsnippets_consultations_theme:list": ("adm adm adm adm ok ok no no no ok", None),
    "wagtailsnippets_consultations_theme:list_results": (
        "adm adm adm adm ok ok no no no ok",
        None,
    ),
    # The form offers PCN B's moderator only PCN B's consultations: PCN A's is refused (200).
    "wagtailsnippets_consultations_theme:add": (
        "adm adm adm adm ok ok no no no ok",
        "adm adm adm adm go ok no no no go",
    ),
    "wagtailsnippets_consultations_theme:edit [this PCN]": (
        "adm adm adm adm ok no no no no ok",
        "adm adm adm adm go no no no no go",
    ),
    "wagtailsnippets_consultations_theme:edit [other PCN]": (
        "adm adm adm adm no ok no no no ok",
        "adm adm adm adm no go no no no go",
    ),
    "wagtailsnippets_consultations_theme:delete [this PCN]": (
        "adm adm adm adm ok no no no no ok",
        "adm adm adm adm go no no no no go",
    ),
    "wagtailsnippets_consultations_theme:delete [other PCN]": (
        "adm adm adm adm no ok no no no ok",
        "adm adm adm adm no go no no no go",
    ),
    "wagtailsnippets_consultations_theme:usage [this PCN]": (
        "adm adm adm adm ok no no no no ok",
        None,
    ),
    "wagtailsnippets_consultations_theme:usage [other PCN]": (
        "adm adm adm adm no ok no no no ok",
        None,
    ),
    "wagtailsnippets_consultations_theme:history [this PCN]": (
        "adm adm adm adm ok no no no no ok",
        None,
    ),
    "wagtailsnippets_consultations_theme:history [other PCN]": (
        "adm adm adm adm no ok no no no ok",
        None,
    ),
    "wagtailsnippets_consultations_theme:history_results [this PCN]": (
        "adm adm adm adm ok no no no no ok",
        None,
    ),
    "wagtailsnippets_consultations_theme:history_results [other PCN]": (
        "adm adm adm adm no ok no no no ok",
        None,
    ),
    "wagtailsnippets_consultations_theme:inspect [this PCN]": (
        "adm adm adm adm ok no no no no ok",
        None,
    ),
    "wagtailsnippets_consultations_theme:inspect [other PCN]": (
        "adm adm adm adm no ok no no no ok",
        None,
    ),
    "wagtailsnippets_consultations_theme:ideas [this PCN]": (
        "adm adm adm adm ok no no no no ok",
        "adm adm adm adm go no no no no go",
    ),
    "wagtailsnippets_consultations_theme:ideas [other PCN]": (
        "adm adm adm adm no ok no no no ok",
        "adm adm adm adm no go no no no go",
    ),
    "wagtailsnippets_consultations_theme:assign [this PCN]": (
        "adm adm adm adm ok no no no no ok",
        "adm adm adm adm go no no no no go",
    ),
    "wagtailsnippets_consultations_theme:assign [other PCN]": (
        "adm adm adm adm no ok no no no ok",
        "adm adm adm adm no go no no no go",
    ),
    "wagtailsnippets_consultations_theme:suggestions [this PCN]": (
        "adm adm adm adm ok no no no no ok",
        "adm adm adm adm go no no no no go",
    ),
    "wagtailsnippets_consultations_theme:suggestions [other PCN]": (
        "adm adm adm adm no ok no no no ok",
        "adm adm adm adm no go no no no go",
    ),
    "wagtailsnippets_consultations_theme:draft [this PCN]": (
        "adm adm adm adm ok no no no no ok",
        "adm adm adm adm go no no no no go",
    ),
    "wagtailsnippets_consultations_theme:draft [other PCN]": (
        "adm adm adm adm no ok no no no ok",
        "adm adm adm adm no go no no no go",
    ),
    "wagtailsnippets_consultations_theme:consultation_draft [this PCN]": (
        "adm adm adm adm ok no no no no ok",
        "adm adm adm adm go no no no no go",
    ),
    "wagtailsnippets_consultations_theme:consultation_draft [other PCN]": (
        "adm adm adm adm no ok no no no ok",
        "adm adm adm adm no go no no no go",
    ),
    # The theme chooser (Wagtail's, within the PCN boundary: home.admin_views); no "create".
    "wagtailsnippetchoosers_consultations_theme:choose": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_consultations_theme:choose_results [search]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_consultations_theme:chosen [other PCN's]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        None,
    ),
    "wagtailsnippetchoosers_consultations_theme:chosen_multiple [other PCN's]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_consultations_theme:create": (
        "adm adm adm adm no no no no no no",
        None,
    ),
    **{
        f"moderation_{kind}s:inspect [pending {kind}]": (
            "adm adm adm adm ok no no no no ok",
            "adm adm adm adm go no no no no go",
        )
        for kind in ("idea", "comment")
    },
    "moderation_ideas:inspect [other PCN's idea]": (
        "adm adm adm adm no ok no no no ok",
        "adm adm adm adm no go no no no go",
    ),
    **{
        f"moderation_{kind}s:{view} [pending {kind}]": ("adm adm adm adm ok no no no no ok", None)
        for kind in ("idea", "comment")
        for view in ("history", "history_results")
    },
    **{
        f"moderation_ideas:{view} [other PCN's idea]": ("adm adm adm adm no ok no no no ok", None)
        for view in ("history", "history_results")
    },
    # Entering paper, phone and meeting contributions, and letters to print: moderators and
    # staff of the PCN. Another PCN's consultation is not found (the form lists only those
    # the user may enter to); another PCN's update is refused.
    # Setting up a PCN (home/pcn_setup.py) is for admins only.
    "pcn-setup": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    # The idea chooser lists and accepts the published ideas of the PCNs one works for.
    "idea_chooser:choose": ("adm adm adm adm ok ok ok ok ok ok", None),
    "idea_chooser:choose_results": ("adm adm adm adm ok ok ok ok ok ok", None),
    "idea_chooser:chosen_multiple": ("adm adm adm adm ok ok ok ok ok ok", None),
    "idea_chooser:chosen [this PCN]": ("adm adm adm adm ok 404 ok ok 404 ok", None),
    "idea_chooser:chosen [other PCN]": ("adm adm adm adm 404 404 404 404 404 404", None),
    "offline:index": ("adm adm adm adm ok ok ok ok no ok", None),
    "offline:index_results": ("adm adm adm adm ok ok ok ok no ok", None),
    "offline:add": (
        "adm adm adm adm ok ok ok ok no ok",
        "adm adm adm adm 404 404 404 404 no 404",
    ),
    "offline:add [this PCN]": (
        "adm adm adm adm ok 404 ok ok no ok",
        "adm adm adm adm go 404 go go no go",
    ),
    "offline:add [other PCN]": (
        "adm adm adm adm 404 ok 404 404 no ok",
        "adm adm adm adm 404 go 404 404 no go",
    ),
    "offline:add [this PCN, other PCN's consultation posted]": (
        "adm adm adm adm ok 404 ok ok no ok",
        "adm adm adm adm 400 404 400 400 no go",
    ),
    "offline:inspect [this PCN]": ("adm adm adm adm ok 404 ok ok 404 ok", None),
    "offline:inspect [other PCN]": ("adm adm adm adm 404 ok 404 404 404 ok", None),
    "offline:history [this PCN]": ("adm adm adm adm ok 404 ok ok 404 ok", None),
    "offline:history [other PCN]": ("adm adm adm adm 404 ok 404 404 404 ok", None),
    "offline:history_results [this PCN]": ("adm adm adm adm ok 404 ok ok 404 ok", None),
    "offline:history_results [other PCN]": ("adm adm adm adm 404 ok 404 404 404 ok", None),
    "letters:index": ("adm adm adm adm ok ok ok ok no ok", None),
    "letters:index_results": ("adm adm adm adm ok ok ok ok no ok", None),
    # A Place's vision screens (consultations/viewsets/places/): its leads' own Place only.
    # The walked link is made already, so those who may link are told so (400).
    "place_vision:index": ("adm adm adm adm no no no no ok ok", None),
    "place_vision:links [this Place]": (
        "adm adm adm adm no no no no ok ok",
        "adm adm adm adm no no no no 400 400",
    ),
    "place_vision:links [other Place]": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no 400",
    ),
    # A Place priority's draft of "what we heard": asking for one is the place lead's.
    "place_vision:draft [this Place]": (
        "adm adm adm adm no no no no ok ok",
        "adm adm adm adm no no no no go go",
    ),
    "place_vision:draft [other Place]": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    "place_vision:unlink [this Place]": (
        "adm adm adm adm no no no no 405 405",
        "adm adm adm adm no no no no go go",
    ),
    "place_vision:unlink [other Place]": (
        "adm adm adm adm no no no no 405 405",
        "adm adm adm adm no no no no no go",
    ),
    # Who took part across a Place (consultations/viewsets/places/who_took_part.py): its
    # leads' own Place only; another Place is not found; anyone leading no Place is refused.
    **{
        f"place_vision:{screen} [this Place]": ("adm adm adm adm no no no no ok ok", None)
        for screen in ("who_took_part", "who_took_part_csv")
    },
    **{
        f"place_vision:{screen} [other Place]": ("adm adm adm adm no no no no 404 ok", None)
        for screen in ("who_took_part", "who_took_part_csv")
    },
    # The ICS vision screens (consultations/viewsets/systems/): an ICS's leads' own ICS only,
    # and no walked role but the admin leads one: a place lead is refused like PCN staff. The
    # walked link is made already, so the admin is told so (400).
    "ics_vision:index": ("adm adm adm adm no no no no no ok", None),
    **{
        f"ics_vision:{screen} [{which} ICS]": ("adm adm adm adm no no no no no ok", None)
        for screen in ("who_took_part", "who_took_part_csv")
        for which in ("this", "other")
    },
    **{
        f"ics_vision:links [{which} ICS]": (
            "adm adm adm adm no no no no no ok",
            "adm adm adm adm no no no no no 400",
        )
        for which in ("this", "other")
    },
    **{
        f"ics_vision:unlink [{which} ICS]": (
            "adm adm adm adm no no no no no 405",
            "adm adm adm adm no no no no no go",
        )
        for which in ("this", "other")
    },
    "letters:print [this PCN]": ("adm adm adm adm ok no ok ok no ok", None),
    "letters:print [other PCN]": ("adm adm adm adm no ok no no no ok", None),
    # Letters about ideas' progress: each moderator or member of staff prints their own PCN's.
    "letters:print_progress": ("adm adm adm adm ok ok ok ok no ok", None),
    # Wagtail's screens replaced to keep each PCN to its own (home/admin_urls.py, the admin
    # API, the snippet choosers), asked for PCN B's objects by PCN A's people. Another PCN's
    # page, upload, neighbourhood or practice is not found ("404") where Wagtail would have
    # named it; a listing, search, chooser or report answers ("ok") with PCN A's only.
    "pcn_admin:choose-page": ("adm adm adm adm ok ok ok ok ok ok", None),
    "pcn_admin:choose-page [home.homepage]": ("adm adm adm adm ok ok ok ok ok ok", None),
    "pcn_admin:choose-page [home.visionpage]": ("adm adm adm adm ok ok ok ok ok ok", None),
    "pcn_admin:choose-page [home.privacynoticepage]": ("adm adm adm adm ok ok ok ok ok ok", None),
    "pcn_admin:choose-page [consultations.placevisionpage]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "pcn_admin:choose-page [consultations.placeupdatepage]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "pcn_admin:choose-page [consultations.icsvisionpage]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "pcn_admin:choose-page [consultations.icsupdatepage]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "pcn_admin:choose-page [consultations.consultationindexpage]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "pcn_admin:choose-page [consultations.consultationpage]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "pcn_admin:choose-page [consultations.updateindexpage]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "pcn_admin:choose-page [consultations.updatepage]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "pcn_admin:choose-page-child [other PCN's home]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        None,
    ),
    "pcn_admin:choose-page-child [other PCN's updates]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        None,
    ),
    "pcn_admin:choose-page-child [this PCN's updates]": (
        "adm adm adm adm ok 404 ok ok 404 ok",
        None,
    ),
    "pcn_admin:choose-page-chosen-multiple [both PCNs' pages]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "pcn_admin:bulk-action [delete, both PCNs' consultations]": (
        "adm adm adm adm ok ok ok ok 404 ok",
        "adm adm adm adm go go go go 404 go",
    ),
    # "Mark as sent" on letters: the PCN's moderators and staff; another PCN's is not found.
    "pcn_admin:bulk-action [mark sent, this PCN's letter]": (
        "adm adm adm adm ok 404 ok ok no ok",
        "adm adm adm adm go 404 go go no go",
    ),
    "pcn_admin:bulk-action [mark sent, other PCN's letter]": (
        "adm adm adm adm 404 ok 404 404 no ok",
        "adm adm adm adm 404 go 404 404 no go",
    ),
    # A decision on posts of both PCNs is refused whole (400) but by the admin; on another
    # PCN's post, by everyone but its moderators and the admin.
    "pcn_admin:bulk-action [approve, both PCNs' ideas]": (
        "adm adm adm adm ok ok no no no ok",
        "adm adm adm adm 400 400 no no no go",
    ),
    "pcn_admin:bulk-action [hide, other PCN's idea]": (
        "adm adm adm adm ok ok no no no ok",
        "adm adm adm adm 400 go no no no go",
    ),
    "pcn_admin:bulk-action [delete, other PCN's pages]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        "adm adm adm adm 404 go 404 404 404 go",
    ),
    "pcn_admin:bulk-action [delete, all of other PCN's updates]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        "adm adm adm adm 404 go 404 404 404 go",
    ),
    "pcn_admin:bulk-action [publish, other PCN's draft]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        "adm adm adm adm 404 go 404 404 404 go",
    ),
    "pcn_admin:bulk-action [unpublish, other PCN's update]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        "adm adm adm adm 404 go 404 404 404 go",
    ),
    "pcn_admin:bulk-action [move, other PCN's pages]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        "adm adm adm adm 404 go 404 404 404 go",
    ),
    "pcn_admin:bulk-action [delete, other PCN's image]": (
        "adm adm adm adm 404 404 404 404 404 ok",
        "adm adm adm adm 404 404 404 404 404 go",
    ),
    "pcn_admin:bulk-action [tag, other PCN's image]": (
        "adm adm adm adm 404 404 404 404 404 ok",
        "adm adm adm adm 404 404 404 404 404 go",
    ),
    "pcn_admin:bulk-action [move, both PCNs' images]": (
        "adm adm adm adm 404 404 ok ok 404 ok",
        "adm adm adm adm 404 404 go go 404 go",
    ),
    "pcn_admin:bulk-action [delete, other PCN's document]": (
        "adm adm adm adm 404 404 404 404 404 ok",
        "adm adm adm adm 404 404 404 404 404 go",
    ),
    "pcn_admin:bulk-action [move, other PCN's document]": (
        "adm adm adm adm 404 404 404 404 404 ok",
        "adm adm adm adm 404 404 404 404 404 go",
    ),
    "pcn_admin:bulk-action [delete, other PCN's staff]": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    "pcn_admin:bulk-action [give a role, other PCN's staff]": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    "pcn_admin:bulk-action [deactivate, other PCN's staff]": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no ok",
    ),
    "pcn_admin:bulk-action [delete, other PCN's neighbourhood]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        "adm adm adm adm 404 go 404 404 404 go",
    ),
    "pcn_admin:locked-pages": ("adm adm adm adm no no no no no ok", None),
    "pcn_admin:locked-pages-results": ("adm adm adm adm no no no no no ok", None),
    "pcn_admin:workflow": ("adm adm adm adm no no ok ok ok ok", None),
    "pcn_admin:workflow-results": ("adm adm adm adm no no ok ok ok ok", None),
    "pcn_admin:workflow-tasks": ("adm adm adm adm no no ok ok ok ok", None),
    "pcn_admin:workflow-tasks-results": ("adm adm adm adm no no ok ok ok ok", None),
    "pcn_admin:site-history": ("adm adm adm adm ok ok ok ok ok ok", None),
    "pcn_admin:site-history [CSV]": ("adm adm adm adm ok ok ok ok ok ok", None),
    "pcn_admin:site-history-results": ("adm adm adm adm ok ok ok ok ok ok", None),
    "pcn_admin:page-types-usage": ("adm adm adm adm no no ok ok ok ok", None),
    "pcn_admin:page-types-usage-results": ("adm adm adm adm no no ok ok ok ok", None),
    "pcn_admin:forms": ("adm adm adm adm no no ok ok ok ok", None),
    "pcn_admin:forms-results": ("adm adm adm adm no no ok ok ok ok", None),
    "pcn_admin:images": ("adm adm adm adm no no ok ok no ok", None),
    "pcn_admin:images [search]": ("adm adm adm adm no no ok ok no ok", None),
    "pcn_admin:images [other PCN's collection]": ("adm adm adm adm no no ok ok no ok", None),
    "pcn_admin:images-results": ("adm adm adm adm no no ok ok no ok", None),
    "pcn_admin:image-chooser": ("adm adm adm adm ok ok ok ok ok ok", None),
    "pcn_admin:documents": ("adm adm adm adm no no ok ok no ok", None),
    "pcn_admin:documents [search]": ("adm adm adm adm no no ok ok no ok", None),
    "pcn_admin:documents [other PCN's collection]": ("adm adm adm adm no no ok ok no ok", None),
    "pcn_admin:documents-results": ("adm adm adm adm no no ok ok no ok", None),
    "pcn_admin:tag-autocomplete [a]": ("adm adm adm adm ok ok ok ok ok ok", None),
    "pcn_admin:tag-autocomplete [this PCN's]": ("adm adm adm adm ok ok ok ok ok ok", None),
    "pcn_admin:tag-autocomplete [other PCN's]": ("adm adm adm adm ok ok ok ok ok ok", None),
    "pcn_admin:tag-model-autocomplete [other PCN's]": ("adm adm adm adm ok ok ok ok ok ok", None),
    "pcn_admin:tag-model-autocomplete [not a tag model]": (
        "adm adm adm adm 404 404 404 404 404 404",
        None,
    ),
    "wagtailadmin_api:pages:listing": ("adm adm adm adm ok ok ok ok ok ok", None),
    "wagtailadmin_api:pages:listing [search]": ("adm adm adm adm ok ok ok ok ok ok", None),
    "wagtailadmin_api:pages:listing [below other PCN's home]": (
        "adm adm adm adm 400 400 400 400 400 ok",
        None,
    ),
    "wagtailadmin_api:pages:detail [this PCN's draft]": (
        "adm adm adm adm 404 404 ok ok 404 ok",
        None,
    ),
    "wagtailadmin_api:pages:detail [other PCN's draft]": (
        "adm adm adm adm 404 404 404 404 404 ok",
        None,
    ),
    "wagtailadmin_api:pages:find [other PCN's draft]": (
        "adm adm adm adm 404 404 404 404 404 go",
        None,
    ),
    "wagtailadmin_api:pages:action [publish other PCN's draft]": (
        "adm adm adm adm 405 405 405 405 405 405",
        "adm adm adm adm 404 404 404 404 404 ok",
    ),
    "wagtailadmin_api:pages:action [delete other PCN's update]": (
        "adm adm adm adm 405 405 405 405 405 405",
        "adm adm adm adm 404 404 404 404 404 204",
    ),
    "wagtailadmin_api:documents:listing": ("adm adm adm adm ok ok ok ok ok ok", None),
    "wagtailadmin_api:documents:listing [search]": ("adm adm adm adm ok ok ok ok ok ok", None),
    "wagtailadmin_api:documents:detail [other PCN's]": (
        "adm adm adm adm 404 404 404 404 404 ok",
        None,
    ),
    "wagtailadmin_api:documents:find [other PCN's]": (
        "adm adm adm adm 404 404 404 404 404 go",
        None,
    ),
    "wagtailadmin_api:images:listing": ("adm adm adm adm ok ok ok ok ok ok", None),
    "wagtailadmin_api:images:listing [search]": ("adm adm adm adm ok ok ok ok ok ok", None),
    "wagtailadmin_api:images:detail [other PCN's]": (
        "adm adm adm adm 404 404 404 404 404 ok",
        None,
    ),
    "wagtailadmin_api:images:find [other PCN's]": ("adm adm adm adm 404 404 404 404 404 go", None),
    "wagtailsnippetchoosers_home_neighbourhood:choose": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_home_neighbourhood:choose_results [search]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_home_neighbourhood:chosen [other PCN's]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        None,
    ),
    "wagtailsnippetchoosers_home_neighbourhood:chosen_multiple [other PCN's]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_home_neighbourhood:create": (
        "adm adm adm adm no no no no no ok",
        None,
    ),
    "wagtailsnippetchoosers_home_practice:choose": ("adm adm adm adm ok ok ok ok ok ok", None),
    "wagtailsnippetchoosers_home_practice:choose_results [search]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_home_practice:chosen [other PCN's]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        None,
    ),
    "wagtailsnippetchoosers_home_practice:chosen_multiple [other PCN's]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_home_practice:create": ("adm adm adm adm no no no no no ok", None),
    # The list of PCNs, whose "add" button leads to "Set up a PCN" (home/wagtail_hooks.py).
    "wagtailsnippets_home_primarycarenetwork:list": ("adm adm adm adm no no no no no ok", None),
    "wagtailsnippets_home_primarycarenetwork:list_results": (
        "adm adm adm adm no no no no no ok",
        None,
    ),
    "wagtailsnippetchoosers_home_primarycarenetwork:choose": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_home_primarycarenetwork:choose_results [search]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_home_primarycarenetwork:chosen [other PCN's]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        None,
    ),
    "wagtailsnippetchoosers_home_primarycarenetwork:chosen_multiple [other PCN's]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_home_primarycarenetwork:create": (
        "adm adm adm adm no no no no no ok",
        None,
    ),
    "wagtailsnippetchoosers_home_place:choose": ("adm adm adm adm ok ok ok ok ok ok", None),
    "wagtailsnippetchoosers_home_place:choose_results [search]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_home_place:chosen [other PCN's]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        None,
    ),
    "wagtailsnippetchoosers_home_place:chosen_multiple [other PCN's]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_home_place:create": ("adm adm adm adm no no no no no ok", None),
    "wagtailsnippetchoosers_home_integratedcaresystem:choose": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_home_integratedcaresystem:choose_results [search]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_home_integratedcaresystem:chosen [other PCN's]": (
        "adm adm adm adm 404 ok 404 404 404 ok",
        None,
    ),
    "wagtailsnippetchoosers_home_integratedcaresystem:chosen_multiple [other PCN's]": (
        "adm adm adm adm ok ok ok ok ok ok",
        None,
    ),
    "wagtailsnippetchoosers_home_integratedcaresystem:create": (
        "adm adm adm adm no no no no no ok",
        None,
    ),
    # Samples of Wagtail's own admin, by group (see ADMIN_SAMPLES)
    "admin page chooser search": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin page chooser search for updates": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin edit other PCN's collection": ("adm adm adm adm no no no no no ok", None),
    "admin privacy of other PCN's collection": ("adm adm adm adm no no no no no ok", None),
    "admin add document": ("adm adm adm adm no no ok ok no ok", None),
    "admin add several documents": ("adm adm adm adm no no ok ok no ok", None),
    "admin edit this PCN's document": ("adm adm adm adm no no ok ok no ok", None),
    "admin edit other PCN's document": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    "admin delete other PCN's document": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    "admin other PCN's document usage": ("adm adm adm adm no no no no no ok", None),
    "admin document chooser results": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin document chooser chosen other PCN's": ("adm adm adm adm no no no no no ok", None),
    "admin document chooser chosen several": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin document chooser": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin form submissions of other PCN's page": ("adm adm adm adm 404 404 404 404 404 404", None),
    "admin edit other PCN's staff group": ("adm adm adm adm no no no no no ok", None),
    "admin add image": ("adm adm adm adm no no ok ok no ok", None),
    "admin add several images": ("adm adm adm adm no no ok ok no ok", None),
    "admin edit this PCN's image": ("adm adm adm adm no no ok ok no ok", None),
    "admin edit other PCN's image": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    "admin delete other PCN's image": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    "admin other PCN's image usage": ("adm adm adm adm no no no no no ok", None),
    "admin image chooser results": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin image chooser chosen other PCN's": ("adm adm adm adm no no no no no ok", None),
    "admin image chooser chosen several": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin other PCN's image URL generator": ("adm adm adm adm no no 404 404 no 404", None),
    "admin image chooser format of other PCN's": ("adm adm adm adm no no no no no ok", None),
    "admin explore other PCN": ("adm adm adm adm no no no no no ok", None),
    "admin explore other PCN's updates": ("adm adm adm adm no no no no no ok", None),
    "admin explorer search from the root": ("adm adm adm adm no no go go go ok", None),
    "admin explorer search of this PCN": ("adm adm adm adm no no ok ok no ok", None),
    "admin explorer search of the whole tree": ("adm adm adm adm no no ok ok no ok", None),
    "admin page search": ("adm adm adm adm no no ok ok ok ok", None),
    "admin page search results": ("adm adm adm adm no no ok ok ok ok", None),
    "admin page type usage": ("adm adm adm adm no no ok ok ok ok", None),
    "admin page type usage results": ("adm adm adm adm no no ok ok ok ok", None),
    "admin choose where to add an update": ("adm adm adm adm ok ok go go ok ok", None),
    "admin add an update to other PCN": ("adm adm adm adm no no no no no ok", None),
    "admin add a page below other PCN's home": ("adm adm adm adm no no no no no go", None),
    "admin convert other PCN's alias": ("adm adm adm adm no 404 no no no 404", None),
    "admin set the position of other PCN's update": (
        "adm adm adm adm no 405 no no no 405",
        "adm adm adm adm no no no no no ok",
    ),
    "admin edit this PCN's draft": ("adm adm adm adm no no ok ok no ok", None),
    "admin preview this PCN's draft": ("adm adm adm adm no no ok ok no ok", None),
    "admin view this PCN's draft as a draft": ("adm adm adm adm no no ok ok no ok", None),
    "admin history of this PCN's draft": ("adm adm adm adm no no ok ok no ok", None),
    "admin history results of this PCN's draft": ("adm adm adm adm no no ok ok no ok", None),
    "admin revisions of this PCN's draft": ("adm adm adm adm go go go go go go", None),
    "admin a revision of this PCN's draft": ("adm adm adm adm no no ok ok no ok", None),
    "admin compare revisions of this PCN's draft": ("adm adm adm adm no no ok ok no ok", None),
    "admin usage of this PCN's draft": ("adm adm adm adm no no ok ok no ok", None),
    "admin copy this PCN's draft": ("adm adm adm adm no no ok ok no ok", None),
    "admin move this PCN's draft": ("adm adm adm adm no no ok ok no ok", None),
    "admin move this PCN's draft to this PCN": (
        "adm adm adm adm ok no ok ok no ok",
        "adm adm adm adm no no go go no go",
    ),
    "admin move this PCN's draft to other PCN": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    "admin lock this PCN's draft": ("adm adm adm adm 405 no 405 405 no 405", None),
    "admin unlock this PCN's draft": ("adm adm adm adm 405 no 405 405 no 405", None),
    "admin privacy of this PCN's draft": ("adm adm adm adm no no no ok no ok", None),
    "admin delete this PCN's draft": ("adm adm adm adm no no ok ok no ok", None),
    "admin workflow history of this PCN's draft": ("adm adm adm adm no no ok ok no ok", None),
    "admin edit other PCN's draft": ("adm adm adm adm no no no no no ok", None),
    "admin preview other PCN's draft": ("adm adm adm adm no no no no no ok", None),
    "admin view other PCN's draft as a draft": ("adm adm adm adm no no no no no ok", None),
    "admin history of other PCN's draft": ("adm adm adm adm no no no no no ok", None),
    "admin history results of other PCN's draft": ("adm adm adm adm no no no no no ok", None),
    "admin revisions of other PCN's draft": ("adm adm adm adm go go go go go go", None),
    "admin a revision of other PCN's draft": ("adm adm adm adm no no no no no ok", None),
    "admin compare revisions of other PCN's draft": ("adm adm adm adm no no no no no ok", None),
    "admin usage of other PCN's draft": ("adm adm adm adm no no no no no ok", None),
    "admin copy other PCN's draft": ("adm adm adm adm no no no no no ok", None),
    "admin move other PCN's draft": ("adm adm adm adm no no no no no ok", None),
    "admin move other PCN's draft to this PCN": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    "admin move other PCN's draft to other PCN": (
        "adm adm adm adm no ok no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    "admin lock other PCN's draft": (
        "adm adm adm adm no 405 no no no 405",
        "adm adm adm adm no no no no no go",
    ),
    "admin unlock other PCN's draft": (
        "adm adm adm adm no 405 no no no 405",
        "adm adm adm adm no no no no no go",
    ),
    "admin privacy of other PCN's draft": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no ok",
    ),
    "admin delete other PCN's draft": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    "admin workflow history of other PCN's draft": ("adm adm adm adm no no no no no ok", None),
    "admin workflow history detail of this PCN's draft": (
        "adm adm adm adm no no ok ok no ok",
        None,
    ),
    "admin cancel the workflow of this PCN's draft": ("adm adm adm adm ok no ok ok no ok", None),
    "admin preview this PCN's draft in its workflow": ("adm adm adm adm no no no ok no ok", None),
    "admin approve this PCN's draft": ("adm adm adm adm no no no ok no ok", None),
    "admin approve this PCN's draft with a comment": ("adm adm adm adm no no no ok no ok", None),
    "admin workflow history detail of other PCN's draft": (
        "adm adm adm adm no no no no no ok",
        None,
    ),
    "admin cancel the workflow of other PCN's draft": ("adm adm adm adm no ok no no no ok", None),
    "admin preview other PCN's draft in its workflow": ("adm adm adm adm no no no no no ok", None),
    "admin approve other PCN's draft": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    "admin approve other PCN's draft with a comment": ("adm adm adm adm no no no no no ok", None),
    "admin aging pages report": ("adm adm adm adm no no ok ok ok ok", None),
    "admin aging pages report results": ("adm adm adm adm no no ok ok ok ok", None),
    "admin aging pages report as CSV": ("adm adm adm adm no no ok ok ok ok", None),
    "admin edit other PCN's site": ("adm adm adm adm no no no no no ok", None),
    "admin edit other PCN's integratedcaresystem": ("adm adm adm adm no no no no no ok", None),
    "admin other PCN's integratedcaresystem usage": ("adm adm adm adm no no no no no ok", None),
    "admin other PCN's integratedcaresystem history": ("adm adm adm adm no no no no no ok", None),
    "admin edit other PCN's neighbourhood": ("adm adm adm adm no no no no no ok", None),
    "admin other PCN's neighbourhood usage": ("adm adm adm adm no no no no no ok", None),
    "admin other PCN's neighbourhood history": ("adm adm adm adm no no no no no ok", None),
    "admin edit other PCN's place": ("adm adm adm adm no no no no no ok", None),
    "admin other PCN's place usage": ("adm adm adm adm no no no no no ok", None),
    "admin other PCN's place history": ("adm adm adm adm no no no no no ok", None),
    "admin edit other PCN's practice": ("adm adm adm adm no no no no no ok", None),
    "admin other PCN's practice usage": ("adm adm adm adm no no no no no ok", None),
    "admin other PCN's practice history": ("adm adm adm adm no no no no no ok", None),
    "admin edit other PCN's primarycarenetwork": ("adm adm adm adm no no no no no ok", None),
    "admin other PCN's primarycarenetwork usage": ("adm adm adm adm no no no no no ok", None),
    "admin other PCN's primarycarenetwork history": ("adm adm adm adm no no no no no ok", None),
    "admin users search": ("adm adm adm adm no no no no no ok", None),
    "admin edit other PCN's staff": ("adm adm adm adm no no no no no ok", None),
    "admin history of other PCN's staff": ("adm adm adm adm no no no no no ok", None),
    "admin edit other PCN's workflow": ("adm adm adm adm no no no no no ok", None),
    "admin other PCN's workflow usage": ("adm adm adm adm no no no no no ok", None),
    "admin workflow tasks": ("adm adm adm adm no no no no no ok", None),
    "admin edit other PCN's workflow task": ("adm adm adm adm no no no no no ok", None),
    "admin workflow task chooser": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin dashboard": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin unknown screen": ("adm adm adm adm 404 404 404 404 404 404", None),
    "admin account": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin block preview": ("adm adm adm adm 404 404 404 404 404 404", None),
    "admin anchor chooser": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin email chooser": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin link chooser": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin phone chooser": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin collections": ("adm adm adm adm no no no no no ok", None),
    "admin dismissibles": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin editing session": ("adm adm adm adm 405 405 405 405 405 405", None),
    "admin embed chooser": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin groups": ("adm adm adm adm no no no no no ok", None),
    "admin translations": ("ok ok ok ok ok ok ok ok ok ok", None),
    "admin logout": (
        "adm adm adm adm 405 405 405 405 405 405",
        "adm adm adm adm adm adm adm adm adm adm",
    ),
    "admin page explorer": ("adm adm adm adm no no go go go ok", None),
    "admin explore this PCN": ("adm adm adm adm no no ok ok no ok", None),
    "admin edit this PCN's consultation": ("adm adm adm adm no no ok ok no ok", None),
    "admin edit other PCN's consultation": ("adm adm adm adm no no no no no ok", None),
    "admin unpublish this PCN's consultation": (
        "adm adm adm adm no no ok ok no ok",
        "adm adm adm adm no no go go no go",
    ),
    "admin unpublish other PCN's consultation": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no go",
    ),
    # PCN leads publish on their home page, so may delete below it.
    "admin delete this PCN's update": (
        "adm adm adm adm no no no ok no ok",
        "adm adm adm adm no no no go no go",
    ),
    # Off: passwords are reset through allauth, like every sign-in (WAGTAIL_PASSWORD_RESET_ENABLED).
    "admin password reset": ("404 404 404 404 404 404 404 404 404 404", None),
    "admin redirects": ("adm adm adm adm no no no no no ok", None),
    "admin settings": ("adm adm adm adm 404 404 404 404 404 404", None),
    "admin sites": ("adm adm adm adm no no no no no ok", None),
    "admin snippets": ("adm adm adm adm no no no no no no", None),
    "admin integratedcaresystem list": ("adm adm adm adm no no no no no ok", None),
    "admin neighbourhood list": ("adm adm adm adm no no no no no ok", None),
    "admin place list": ("adm adm adm adm no no no no no ok", None),
    "admin practice list": ("adm adm adm adm no no no no no ok", None),
    "admin primarycarenetwork list": ("adm adm adm adm no no no no no ok", None),
    "admin icons": ("ok ok ok ok ok ok ok ok ok ok", None),
    "admin test 404": ("adm adm adm adm ok ok ok ok ok ok", None),
    "admin users": ("adm adm adm adm no no no no no ok", None),
    "admin edit a resident": (
        "adm adm adm adm no no no no no ok",
        "adm adm adm adm no no no no no ok",
    ),
    "admin workflows": ("adm adm adm adm no no no no no ok", None),
}

# The endpoint that does not check CSRF on purpose: the signed token in its URL is the
# authority, and mail clients post to it for one-click unsubscribe (RFC 8058).
CSRF_EXEMPT = {"consultations:unsubscribe [signed]", "consultations:unsubscribe [forged]"}
# The admin API's actions check CSRF themselves, after the admin's own check: a resident or
# visitor is sent to the admin's sign-in before the token is looked at, and a person with
# admin access and no token is refused (test_the_admin_api_refuses_an_action_without_a_token).
CSRF_CHECKED_BY_THE_ADMIN_API = {
    "wagtailadmin_api:pages:action [publish other PCN's draft]",
    "wagtailadmin_api:pages:action [delete other PCN's update]",
}


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
    assert {
        "moderation_ideas:index",
        "moderation_ideas:inspect",
        "moderation_comments:index",
        "offline:add",
        "letters:index",
    } <= ours
    # Our redirect at /admin/login/ comes first, so Wagtail's sign-in form there is never
    # reached: it is neither a group nor a row.
    assert "admin-login-redirect" in ours
    assert "admin/login/" not in walk.wagtail_admin_groups()
    assert "wagtailadmin_login" not in {p.name for p in walk.resolver_patterns()}
    # Wagtail's screens we replaced to keep each PCN to its own (home/admin_urls.py, the
    # snippet choosers, the admin API) are our rows too, wherever their address is.
    assert {
        "pcn_admin:choose-page",
        "pcn_admin:bulk-action",
        "pcn_admin:site-history",
        "pcn_admin:images",
        "wagtailadmin_api:pages:listing",
        "wagtailsnippetchoosers_home_neighbourhood:choose",
    } <= ours
    # ...and no group of samples stands for screens that are no longer Wagtail's.
    assert set(ADMIN_SAMPLES) <= walk.wagtail_admin_groups()
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
    other_pcn = world.other_home.pcn
    return {
        "other PCN": (
            sorted(other_pages.values_list("pk", "live", "title", "path", "locked")),
            sorted(
                PageViewRestriction.objects.filter(page__in=other_pages).values_list(
                    "page", "restriction_type"
                )
            ),
            sorted(
                WorkflowState.objects.filter(
                    object_id__in=[str(pk) for pk in other_pages.values_list("pk", flat=True)]
                ).values_list("pk", "status")
            ),
            sorted(
                get_image_model()
                .objects.filter(pk=world.other_image.pk)
                .values_list("pk", "title", "collection")
            ),
            sorted(
                get_document_model()
                .objects.filter(pk=world.other_document.pk)
                .values_list("pk", "title", "collection")
            ),
            sorted(world.other_image.tags.values_list("name", flat=True)),
            sorted(Neighbourhood.objects.filter(pcn=other_pcn).values_list("pk", "name")),
            sorted(
                get_user_model()
                .objects.filter(pk=world.other_staff.pk)
                .values_list("pk", "is_active", "groups")
            ),
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
        found.append(
            "changed the other PCN's pages, ideas, themes, letters, uploads, neighbourhoods "
            "or staff"
        )
    if (
        role not in ("moderator", "staff", "lead", "admin")
        and after["PCN A's letters"] != before["PCN A's letters"]
    ):
        found.append("marked a letter of PCN A as sent")
    if role not in ("staff", "lead", "admin") and after["PCN A's pages"] != before["PCN A's pages"]:
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
        leaked = leaks(role, text, label)
        if response.status_code == 200 and leaked:
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
        if label not in EXPECTED or EXPECTED[label][1] is None:
            continue
        if label in CSRF_EXEMPT | CSRF_CHECKED_BY_THE_ADMIN_API:
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


def test_the_admin_api_refuses_an_action_without_a_token(world):
    """The control for CSRF_CHECKED_BY_THE_ADMIN_API: an admin, who may publish anything,
    is refused without the token, and nothing is published."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["admin"])
    url = reverse("wagtailadmin_api:pages:action", args=[world.other_draft.pk, "publish"])
    assert client.post(url, {}).status_code == 403
    world.other_draft.refresh_from_db()
    assert not world.other_draft.live
