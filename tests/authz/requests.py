"""Sample URLs and POST bodies for the walk, and one request made as one role."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.authz.conftest import SECRETS


def _consultation_admin(name):
    return lambda w: {
        " [this PCN]": reverse(name, args=[w.open_consultation.pk]),
        " [other PCN]": reverse(name, args=[w.other_consultation.pk]),
    }


def _update_admin(name):
    return lambda w: {
        " [this PCN]": reverse(name, args=[w.update.pk]),
        " [other PCN]": reverse(name, args=[w.other_update.pk]),
    }


# How to make a sample URL for a resolver pattern that takes arguments. The key is the URL
# name; each builder returns {label suffix: URL}.
SAMPLE_URLS = {
    "account_confirm_email": lambda w: {"": reverse("account_confirm_email", args=["not-a-key"])},
    "account_reset_password_from_key": lambda w: {
        "": reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "not-a-key"})
    },
    "consultations:unsubscribe": lambda w: {
        " [signed]": reverse("consultations:unsubscribe", args=[w.unsubscribe_token]),
        " [forged]": reverse("consultations:unsubscribe", args=["forged-token"]),
    },
    "wagtailcore_authenticate_with_password": lambda w: {
        "": reverse("wagtailcore_authenticate_with_password", args=[999999, w.home.pk])
    },
    "wagtaildocs_serve": lambda w: {"": reverse("wagtaildocs_serve", args=[999999, "missing.pdf"])},
    "wagtaildocs_authenticate_with_password": lambda w: {
        "": reverse("wagtaildocs_authenticate_with_password", args=[999999])
    },
    "moderation:themes": _consultation_admin("moderation:themes"),
    "moderation:assign": _consultation_admin("moderation:assign"),
    "moderation:theme": lambda w: {
        " [this PCN]": reverse("moderation:theme", args=[w.theme.pk]),
        " [other PCN]": reverse("moderation:theme", args=[w.other_theme.pk]),
    },
    # The form's consultation field is the other PCN's consultation, on this PCN's form.
    "offline:idea": lambda w: {
        **_consultation_admin("offline:idea")(w),
        " [this PCN, other PCN's consultation posted]": reverse(
            "offline:idea", args=[w.open_consultation.pk]
        ),
    },
    # The letters ticked are the other PCN's, on this PCN's list.
    "offline:letters": lambda w: {
        **_update_admin("offline:letters")(w),
        " [this PCN, other PCN's letter posted]": reverse("offline:letters", args=[w.update.pk]),
    },
    "offline:letters-print": _update_admin("offline:letters-print"),
    # The idea chooser of an update's editor: this PCN's published idea; the other PCN's idea.
    "idea_chooser:chosen": lambda w: {
        " [this PCN]": reverse("idea_chooser:chosen", args=[w.ideas["published"].pk]),
        " [other PCN]": reverse("idea_chooser:chosen", args=[w.ideas["other_pcn"].pk]),
    },
    "moderation:post": lambda w: {
        " [pending idea]": reverse("moderation:post", args=["idea", w.ideas["pending"].pk]),
        " [pending comment]": reverse(
            "moderation:post", args=["comment", w.comments["pending"].pk]
        ),
        " [other PCN's idea]": reverse("moderation:post", args=["idea", w.ideas["other_pcn"].pk]),
    },
}


def _snippet(model):
    return {
        f"admin/snippets/home/{model}/": lambda w: {
            f"admin {model} list": f"/admin/snippets/home/{model}/"
        },
        f"admin/snippets/choose/home/{model}/": lambda w: {
            f"admin {model} chooser": f"/admin/snippets/choose/home/{model}/"
        },
    }


# Representative screens of each group of Wagtail's own admin URLs: {label: URL}.
ADMIN_SAMPLES = {
    "admin/": lambda w: {"admin dashboard": "/admin/"},
    "admin/^.*/": lambda w: {"admin unknown screen": "/admin/no-such-screen/"},  # catch-all
    "admin/logout/": lambda w: {"admin logout": "/admin/logout/"},
    "admin/password_reset/": lambda w: {"admin password reset": "/admin/password_reset/"},
    "admin/account/": lambda w: {"admin account": "/admin/account/"},
    "admin/pages/": lambda w: {
        "admin page explorer": "/admin/pages/",
        "admin explore this PCN": f"/admin/pages/{w.home.pk}/",
        "admin edit this PCN's consultation": f"/admin/pages/{w.open_consultation.pk}/edit/",
        "admin edit other PCN's consultation": f"/admin/pages/{w.other_consultation.pk}/edit/",
        "admin unpublish this PCN's consultation": (
            f"/admin/pages/{w.open_consultation.pk}/unpublish/"
        ),
        "admin unpublish other PCN's consultation": (
            f"/admin/pages/{w.other_consultation.pk}/unpublish/"
        ),
        "admin delete this PCN's update": f"/admin/pages/{w.update.pk}/delete/",
    },
    "admin/api/": lambda w: {"admin pages API": "/admin/api/main/pages/"},
    "admin/bulk/": lambda w: {
        "admin bulk delete": (
            f"/admin/bulk/wagtailcore/page/delete/?id={w.open_consultation.pk}"
            f"&id={w.other_consultation.pk}"
        )
    },
    "admin/choose-page/": lambda w: {"admin page chooser": "/admin/choose-page/"},
    "admin/choose-external-link/": lambda w: {"admin link chooser": "/admin/choose-external-link/"},
    "admin/choose-email-link/": lambda w: {"admin email chooser": "/admin/choose-email-link/"},
    "admin/choose-phone-link/": lambda w: {"admin phone chooser": "/admin/choose-phone-link/"},
    "admin/choose-anchor-link/": lambda w: {"admin anchor chooser": "/admin/choose-anchor-link/"},
    "admin/tag-autocomplete/": lambda w: {"admin tags": "/admin/tag-autocomplete/?term=a"},
    "admin/collections/": lambda w: {"admin collections": "/admin/collections/"},
    "admin/reports/": lambda w: {
        "admin site history": "/admin/reports/site-history/",
        "admin workflow report": "/admin/reports/workflow/",
    },
    "admin/dismissibles/": lambda w: {"admin dismissibles": "/admin/dismissibles/"},
    "admin/editing-sessions/": lambda w: {
        "admin editing session": "/admin/editing-sessions/release/999999/"
    },
    "admin/block-preview/": lambda w: {"admin block preview": "/admin/block-preview/"},
    "admin/forms/": lambda w: {"admin form submissions": "/admin/forms/"},
    "admin/redirects/": lambda w: {"admin redirects": "/admin/redirects/"},
    "admin/settings/": lambda w: {"admin settings": "/admin/settings/home/nothing/"},
    "admin/embeds/": lambda w: {"admin embed chooser": "/admin/embeds/chooser/"},
    "admin/snippets/": lambda w: {"admin snippets": "/admin/snippets/"},
    **_snippet("neighbourhood"),
    **_snippet("practice"),
    **_snippet("primarycarenetwork"),
    **_snippet("place"),
    **_snippet("integratedcaresystem"),
    "admin/sites/": lambda w: {"admin sites": "/admin/sites/"},
    "admin/users/": lambda w: {
        "admin users": "/admin/users/",
        "admin edit a resident": f"/admin/users/edit/{w.people['other_resident'].pk}/",
    },
    "admin/groups/": lambda w: {"admin groups": "/admin/groups/"},
    "admin/sprite/": lambda w: {"admin icons": "/admin/sprite/"},
    "admin/jsi18n/": lambda w: {"admin translations": "/admin/jsi18n/"},
    "admin/images/": lambda w: {"admin images": "/admin/images/"},
    "admin/documents/": lambda w: {"admin documents": "/admin/documents/"},
    "admin/workflows/": lambda w: {"admin workflows": "/admin/workflows/list/"},
    "admin/failwhale/": lambda w: {},  # Wagtail's deliberate error page, for testing logging
    "admin/test404/": lambda w: {"admin test 404": "/admin/test404/"},
}


def _idea_form(w):
    return {
        "title": "A new idea title",
        "body": "A new idea body for the walk.",
        "neighbourhood": w.open_consultation.neighbourhoods.order_by("name").first().pk,
        "attribution": "name",
        "confirm": "1",
    }


def _offline_idea_form(consultation, *, neighbourhood=True):
    """Enter a paper contribution to `consultation` (with no neighbourhood if not
    `neighbourhood`, so that only the consultation can make the form invalid)."""

    def body(w):
        chosen = consultation(w)
        first = chosen.neighbourhoods.order_by("name").first()
        return {
            "consultation": chosen.pk,
            "channel": "paper",
            "received_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "title": "A paper idea for the walk",
            "body": "Typed in from a paper form.",
            "neighbourhood": first.pk if neighbourhood else "",
            "reply_by": "nothing",
        }

    return body


def _decision(key):
    return lambda w: {"action": "approve", "reason": "", "note": "", "posts": [key(w)]}


# What a POST sends, by row label (the first match of a prefix wins).
POST_BODIES = [
    ("page open consultation idea-create", _idea_form),
    ("page open consultation idea-edit", _idea_form),
    ("page open consultation idea-flag", lambda w: {"reason": "spam", "details": ""}),
    ("page open consultation comment-flag", lambda w: {"reason": "spam", "details": ""}),
    ("page open consultation comment-create", lambda w: {"body": "A new comment."}),
    ("page open consultation comment-edit", lambda w: {"body": "An edited comment."}),
    ("consultations:preferences", lambda w: {}),
    ("account_profile", lambda w: {"display_name": "New name"}),
    ("account_erase", lambda w: {"posts": "keep", "password": "correct-horse-battery"}),
    ("account_email", lambda w: {"action_add": "1", "email": "another@example.org"}),
    (
        "account_change_password",
        lambda w: {
            "oldpassword": "correct-horse-battery",
            "password1": "a-new-long-password-1",
            "password2": "a-new-long-password-1",
        },
    ),
    (
        "moderation:queue",
        lambda w: {
            "action": "approve",
            "posts": [f"idea-{w.ideas['pending'].pk}", f"idea-{w.ideas['other_pcn'].pk}"],
        },
    ),
    ("moderation:post", lambda w: {"action": "approve", "reason": "", "note": ""}),
    ("offline:idea [this PCN]", _offline_idea_form(lambda w: w.open_consultation)),
    ("offline:idea [other PCN]", _offline_idea_form(lambda w: w.other_consultation)),
    (
        "offline:idea [this PCN, other",
        _offline_idea_form(lambda w: w.other_consultation, neighbourhood=False),
    ),
    ("offline:letters [this PCN]", lambda w: {"letters": [w.letter.pk]}),
    ("offline:letters [other PCN]", lambda w: {"letters": [w.other_letter.pk]}),
    ("offline:letters [this PCN, other", lambda w: {"letters": [w.other_letter.pk]}),
    ("moderation:themes", lambda w: {"action": "create", "name": "A new theme"}),
    ("moderation:theme", lambda w: {"action": "save", "name": "Renamed theme"}),
    ("moderation:assign", lambda w: {"theme": w.theme.pk, "ideas": [w.ideas["published"].pk]}),
]


def post_body(label, world) -> dict:
    for prefix, body in POST_BODIES:
        if label.startswith(prefix):
            return body(world)
    return {}


def make_request(world, role, url, *, method="get", data=None, csrf=False, check=None):
    """One request as one role, rolled back afterwards so each starts from the same world.

    Returns (response, body text). `check`, if given, runs after the request and before the
    rollback, to look at what the request changed. The cache is cleared first: allauth's and our rate limits
    live there and would otherwise count the walk's own requests.
    """
    cache.clear()
    user = world.people[role]
    with transaction.atomic():
        client = Client(enforce_csrf_checks=csrf, raise_request_exception=False)
        if not isinstance(user, AnonymousUser):
            # The first backend, whatever it is: a session naming a backend that is not in
            # AUTHENTICATION_BACKENDS is treated as signed out.
            client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
        response = getattr(client, method)(url, data or {})
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if check is not None:
            check()  # sees what the request changed, before it is rolled back
        transaction.set_rollback(True)
    cache.clear()
    return response, body.decode("utf-8", "replace")


# Pages that show a person everything of their own, whatever its state: the data download
# holds the resident's withdrawn idea too (the right of access covers all of it).
OWN_DATA = {"account_data_download": {"WITHDRAWNIDEA": {"resident"}}}


def leaks(role, text, label: str = "") -> list[str]:
    """The marker words in the text that this role must not see on the page `label`."""
    own = OWN_DATA.get(label, {})
    return [
        word
        for word, allowed in SECRETS.items()
        if word in text and role not in allowed and role not in own.get(word, ())
    ]
