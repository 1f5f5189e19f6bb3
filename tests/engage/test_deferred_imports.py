"""pydantic and fido2 are left to load when first used (`engage.deferred_imports`); what uses
them gets Wagtail's and allauth's own answers. (That a web worker does not load them:
tests/engage/test_web_process_imports.py.)"""

import sys
from pathlib import Path

import pytest
import wagtail
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory
from wagtail.api.v2 import views as wagtail_api_views
from wagtail.models import Page, PageViewRestriction

from engage.deferred_imports import WAGTAIL_QUERYSETS, WEBAUTHN


def standin():
    return sys.modules[WAGTAIL_QUERYSETS]


def test_wagtails_api_views_hold_the_stand_in_for_the_public_pages_queryset():
    assert wagtail_api_views.get_public_pages_queryset is standin().get_public_pages_queryset


def test_the_stand_in_loads_wagtails_own_module():
    wagtails = standin().wagtails()
    assert Path(wagtails.__file__) == Path(wagtail.__file__).parent / "api" / "querysets.py"
    assert "pydantic" in sys.modules
    # Any other name is read from Wagtail's module.
    assert standin().Page is wagtails.Page is Page
    with pytest.raises(AttributeError):
        standin().no_such_name  # noqa: B018


def test_the_public_pages_queryset_is_wagtails(home, consultation_index, update_index):
    private = update_index
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    request = RequestFactory().get("/api/pages/", HTTP_HOST="localhost")
    request.user = AnonymousUser()

    pages = set(standin().get_public_pages_queryset(request).values_list("pk", flat=True))

    wagtails = standin().wagtails().get_public_pages_queryset(request)
    assert pages == set(wagtails.values_list("pk", flat=True))
    assert {home.pk, consultation_index.pk} <= pages
    assert private.pk not in pages  # a private page is left out, as Wagtail leaves it out


def test_the_site_filter_is_wagtails(home):
    """Wagtail's site filter (a pydantic model): a site named, and a site it cannot find,
    which its API answers with "not found"."""
    named = RequestFactory().get("/api/pages/?site=localhost", HTTP_HOST="elsewhere.example")
    unknown = RequestFactory().get("/api/pages/?site=nowhere.example", HTTP_HOST="localhost")

    assert standin().get_public_pages_queryset(named).filter(pk=home.pk).exists()
    with pytest.raises(Http404):
        standin().get_public_pages_queryset(unknown)


def test_allauths_webauthn_loads_when_first_used(resident):
    from allauth.mfa.webauthn.internal import auth

    passkey = Authenticator(user=resident, type=Authenticator.Type.WEBAUTHN, data={"name": "Mine"})

    assert passkey.wrap().name == "Mine"  # allauth's WebAuthn, read through its module
    assert sys.modules[WEBAUTHN] is auth
    assert Path(auth.__file__).parts[-4:] == ("mfa", "webauthn", "internal", "auth.py")
    assert "fido2" in sys.modules
