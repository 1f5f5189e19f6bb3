"""Malformed requests to Wagtail's own admin screens get a 400 (or a 404), not a 500.

Our own views read their input with forms and `engage.ids`, and answer anything malformed
themselves; tests/authz/test_malformed_posts.py holds them to it, with nothing in between.
Wagtail's admin views, which we expose to moderators, staff and admins, do not always: a few
read a field straight from `request.POST`, or look up an id before checking it, and a hand-made
request (a field left out, "abc" where an id goes, a number too large for SQLite) raises an
exception that Django answers with a 500. We cannot change their code, so this middleware,
for Wagtail's own views under /admin/ only, turns those exceptions, each of which can only
mean the request was malformed, into a 400 (or a 404 for an id that names nothing, or a page
of a listing that is not there). An exception that could as well be a bug of the server's
(a ValueError from int(), a NoReverseMatch) counts only when it quotes a value the request
sent. The original exception stays in the log (Django logs the 400 with it as the cause).

One more defect is headed off before the view runs: Wagtail redirects to a `next` that is not
a path (`next=abc`) with Django's `redirect()`, which takes it for a URL name and raises
NoReverseMatch, *after* the page was deleted or unpublished. Such a `next` is dropped, so
Wagtail goes where it goes without one.
"""

import json
import re

from django.core.exceptions import BadRequest, ObjectDoesNotExist, ValidationError
from django.core.paginator import InvalidPage
from django.db import DataError, IntegrityError
from django.http import Http404
from django.urls import NoReverseMatch
from django.utils.datastructures import MultiValueDictKeyError

ADMIN_PREFIX = "/admin/"

# Django's words when a value for a number field cannot be made a number (Field.get_prep_value):
# a lookup by an id the request sent, such as Wagtail's choosers showing what was chosen.
NOT_A_NUMBER = re.compile(r"Field '[^']*' expected a number but got ")

# Python's words when int() is given what is not a whole number.
NOT_AN_INT = re.compile(r"invalid literal for int\(\) with base 10: ")

# Known defects of particular Wagtail views: (URL name pattern, exception) -> a 400.
KNOWN_DEFECTS = (
    # The external link chooser without a `url` field: its URL field's to_python(None).
    (re.compile(r"wagtailadmin_choose_page_external_link$"), AttributeError),
    # A page's rich text sent as JSON that is not a Draftail document (a number, a list):
    # Wagtail's converter reads it as a dict. The editor always sends a document.
    (re.compile(r"wagtailadmin_pages:(add|edit)$"), AttributeError),
    # A snippet chooser's "create" URL when the chooser has no creation form: form is None.
    (re.compile(r"wagtailsnippetchoosers_\w+:create$"), AttributeError),
    # A workflow's task formset lets a task be added twice (a forged INITIAL_FORMS): the
    # unique constraint refuses it, inside Wagtail's transaction, so nothing is kept.
    (re.compile(r"wagtailadmin_workflows:(add|edit)$"), IntegrityError),
)


# Packages whose modules hold Wagtail's screens narrowed to a PCN.
WAGTAIL_SCREENS_NARROWED = ("home.admin_views",)


def is_wagtail_view(request, view=None) -> bool:
    """Whether the request is for one of Wagtail's own views under /admin/."""
    if view is None:
        match = getattr(request, "resolver_match", None)
        view = match and match.func
    if view is None or not request.path_info.startswith(ADMIN_PREFIX):
        return False
    view = getattr(view, "view_class", view)
    # Wagtail's screens as it ships them, and as `home.admin_views` narrows them to a PCN
    # (subclasses that add a scope and leave the rest, and its failures, to Wagtail).
    narrowed = view.__module__.startswith(tuple(f"{name}." for name in WAGTAIL_SCREENS_NARROWED))
    return narrowed or view.__module__.split(".")[0] in (
        "wagtail",
        "modelsearch",
        "modelcluster",
    )


def sent_values(request) -> list[str]:
    sent = [*request.GET.lists(), *(request.POST.lists() if request.method == "POST" else [])]
    return [value for _, values in sent for value in values]


def names_a_sent_value(request, message: str) -> bool:
    """Whether `message` quotes one of the values the request sent (as repr() shows it)."""
    return any(repr(value) in message for value in sent_values(request) if value)


def is_malformed_request_error(request, exception) -> bool:
    """Whether `exception`, raised by a Wagtail admin view, can only mean a malformed request."""
    if isinstance(exception, KeyError) and request.method == "POST":
        # Wagtail read a field the request did not deliver: request.POST["new_parent_page"],
        # a StreamField's "-count", a formset's "-id", form.cleaned_data of an invalid field.
        # (MultiValueDictKeyError is a KeyError.)
        return isinstance(exception, MultiValueDictKeyError) or isinstance(
            exception.args[0] if exception.args else None, str
        )
    if isinstance(exception, ValidationError):
        # A form or formset's check of the request's data that escaped the form.
        return True
    if isinstance(exception, json.JSONDecodeError) and request.method == "POST":
        # A rich text or StreamField value that is not JSON: the editor always sends JSON.
        return any(exception.doc == value for value in sent_values(request))
    if isinstance(exception, DataError) and request.method == "POST":
        # A value the database refuses (too long for its column, a NUL byte on PostgreSQL)
        # that Wagtail's form did not check first, e.g. a bulk action's tags.
        return True
    if isinstance(exception, OverflowError):
        # SQLite cannot be asked about a number beyond 64 bits, and only a request sends one.
        return True
    if isinstance(exception, ValueError | TypeError) and NOT_A_NUMBER.match(str(exception)):
        return True
    if isinstance(exception, ValueError) and (found := NOT_AN_INT.match(str(exception))):
        # int() of a value read by hand (the workflow screen's page number, a StreamField's
        # count): only when what it could not read is what the request sent.
        literal = str(exception)[found.end() :]
        return any(literal == repr(value) for value in sent_values(request))
    if isinstance(exception, NoReverseMatch):
        # A URL built from a parameter (the link choosers' parent_page_id=abc): likewise.
        return names_a_sent_value(request, str(exception))
    name = request.resolver_match.view_name
    return any(
        pattern.match(name) and isinstance(exception, kind) for pattern, kind in KNOWN_DEFECTS
    )


def is_path_or_url(value: str) -> bool:
    """What a `next` can be: a path of this site or an http(s) URL (Wagtail then checks the
    host). Anything else Django's redirect() would look up as the name of a URL."""
    return (value.startswith("/") and not value.startswith("//")) or value.startswith(
        ("http://", "https://")
    )


class AdminBadInputMiddleware:
    """See the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_wagtail_view(request, view_func):
            self.drop_bad_next(request)
        return None

    @staticmethod
    def drop_bad_next(request) -> None:
        if not is_path_or_url(request.GET.get("next", "/")):
            request.GET = request.GET.copy()
            request.GET.pop("next")
        if request.method == "POST" and not is_path_or_url(request.POST.get("next", "/")):
            posted = request.POST.copy()
            posted.pop("next")
            request.POST = posted

    def process_exception(self, request, exception):
        if not is_wagtail_view(request):
            return None
        if isinstance(exception, ObjectDoesNotExist | InvalidPage):
            # An id of nothing; a page of a listing that is not there (as Django's ListView).
            raise Http404("The request names something that does not exist.") from exception
        if is_malformed_request_error(request, exception):
            raise BadRequest("The request was incomplete or malformed.") from exception
        return None
