"""Sessions read from the shared cache (`SESSION_ENGINE` cached_db, as production runs with
`CACHE_URL`): a signed-in person's page reads no session row, and signing out or being
signed out everywhere ends the session at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engage import privacy

pytestmark = pytest.mark.django_db

CACHED_DB = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = CACHED_DB


def session_queries(client, path="/accounts/email/") -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]


def test_a_signed_in_page_reads_no_session_row(cached_sessions, resident, client):
    client.force_login(resident)
    client.get("/")
    assert session_queries(client) == []
    assert client.get(reverse("account_email")).status_code == 200


def test_without_the_cache_each_page_reads_the_session_row(resident, client):
    """The other side of the test above: the database store reads it every time."""
    client.force_login(resident)
    client.get("/")
    assert len(session_queries(client)) == 1


def test_signing_out_ends_the_cached_session(cached_sessions, resident, client):
    client.force_login(resident)
    assert client.get(reverse("account_email")).status_code == 200
    cookie = client.cookies["sessionid"].value
    client.post(reverse("account_logout"))
    client.cookies["sessionid"] = cookie  # the old cookie, kept by someone
    response = client.get(reverse("account_email"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_signed_out_everywhere_ends_the_cached_session(cached_sessions, resident, client):
    client.force_login(resident)
    assert client.get(reverse("account_email")).status_code == 200
    assert privacy._sessions_delete([resident.pk]) == 1
    response = client.get(reverse("account_email"))
    assert response.status_code == 302
