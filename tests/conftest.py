import pytest
from django.core.cache import cache

from tests.factories import UserFactory, make_consultation, make_pcn_site


@pytest.fixture(autouse=True)
def _wagtail_baseline(request):
    """A transactional test starts from what Wagtail's data migrations make, which a flush
    by an earlier transactional test removed: the default locale, the root page and the
    root collection. (Not `serialized_rollback`: it fails with a duplicate content type
    when it follows a transactional test without it.)"""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Wagtail caches site root paths; a rolled-back test must not leave them behind."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _signup_without_waiting(settings):
    """Tests (and browser journeys) send the sign-up form at once, faster than a person could.

    The bot defence's timing check has its own tests (tests/engage/test_bot_defence.py), which
    set ENGAGE_SIGNUP_MIN_SECONDS back.
    """
    settings.ENGAGE_SIGNUP_MIN_SECONDS = 0


@pytest.fixture
def site_pages(db):
    """(home, consultation index, update index) of one PCN site served at localhost."""
    return make_pcn_site()


@pytest.fixture
def home(site_pages):
    return site_pages[0]


@pytest.fixture
def consultation_index(site_pages):
    return site_pages[1]


@pytest.fixture
def update_index(site_pages):
    return site_pages[2]


@pytest.fixture
def open_consultation(consultation_index):
    return make_consultation(consultation_index, phase="open", title="Open consultation")


@pytest.fixture
def resident(db):
    return UserFactory()
