"""Whole public pages kept for visitors, per site, until that site's content changes.

A visitor's GET of a Wagtail page (no session and no messages cookie) is answered from
Django's cache when a visitor has been served the same page of the same site since the
site's content last changed, and within `ENGAGE_PAGE_CACHE_SECONDS` (time alone moves a
consultation from open to closed, so nothing is kept for long). Nothing is stored that
could hold one person's state: a response for a request with a session (a signed-in
person, or a visitor who gave a page's password), one that sets a cookie or used the CSRF
token, or anything but a 200 from Wagtail's page view.

What starts a new generation of a site's pages:

- the site cache generation (`home.site_cache`): a page published, unpublished, moved,
  saved or deleted, a site, PCN, place or view restriction saved; every site at once;
- `content_changed(paths)`: the site holding a consultation whose ideas, comments,
  supports or themes changed. The models' saves and deletes send it through signals
  (`connect_signals`), and their querysets' `update()` and `bulk_create()` send it
  themselves (`PublicContentQuerySet`), so moderation's bulk status changes and the
  support counter are seen too.

A generation is bumped twice: at once, and again when the transaction commits. A request
that read the old rows before the commit can then only have stored its page under a
generation that is already gone.

Each process of a site served by several must share the cache (`CACHE_URL`, Redis):
production turns this cache off unless it is set.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_save, pre_delete

from home import site_cache

STEPLEN = 4  # django-treebeard's path step: a page's ancestors are its path's prefixes
_SITE_KEY = "engage:page-cache:site:{}"


def timeout() -> int:
    return getattr(settings, "ENGAGE_PAGE_CACHE_SECONDS", 0)


def _site_keys(paths) -> set[str]:
    """A generation key for the page at each path and every one of its ancestors, so the
    site whose root page is any of them starts a new generation."""
    keys = set()
    for path in paths:
        if path:
            keys.update(
                _SITE_KEY.format(path[:end]) for end in range(STEPLEN, len(path) + 1, STEPLEN)
            )
    return keys


def _bump(keys) -> None:
    if keys:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, None)


def content_changed(paths) -> None:
    """The public content below these page paths changed: their sites' pages are stale."""
    keys = _site_keys(set(paths))
    if not keys or not timeout():
        return
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


def _site_generation(home_path: str) -> str:
    key = _SITE_KEY.format(home_path)
    generation = cache.get(key)
    if generation is None:
        # Never fall back to an old value: a lost key is a new generation.
        cache.add(key, uuid.uuid4().hex, None)
        generation = cache.get(key) or uuid.uuid4().hex
    return generation


# Which rows are public content, and where they live.


class PublicContentQuerySet(models.QuerySet):
    """A queryset of rows shown on public pages. `update()` and `bulk_create()` send no
    signals, so they tell the page cache themselves; `site_path` is the lookup from a row
    to the path of the page it appears under (its consultation)."""

    site_path = "consultation__path"

    def _site_paths(self) -> set[str]:
        if not timeout():
            return set()
        return set(self.order_by().values_list(self.site_path, flat=True).distinct())

    def update(self, **kwargs):
        paths = self._site_paths()
        updated = super().update(**kwargs)
        if updated:
            content_changed(paths)
        return updated

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if timeout() and created:
            pks = [obj.pk for obj in created if obj.pk is not None]
            paths = self.model._default_manager.filter(pk__in=pks)._site_paths()
            if len(pks) < len(created):  # rows whose ids the database did not return
                paths |= self.model._default_manager.all()._site_paths()
            content_changed(paths)
        return created

    bulk_create.alters_data = True


def _row_changed(sender, instance, **kwargs) -> None:
    if not timeout() or instance.pk is None or kwargs.get("raw"):
        return
    queryset = sender._default_manager.filter(pk=instance.pk)
    if isinstance(queryset, PublicContentQuerySet):
        content_changed(queryset._site_paths())


def _person_changed(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """A changed name shows beside the person's posts, on the sites they posted on."""
    if not timeout() or created or kwargs.get("raw"):
        return
    if update_fields is not None and "display_name" not in update_fields:
        return  # signing in saves last_login alone
    from consultations.models import Comment, Idea

    paths = Idea.objects.filter(author=instance)._site_paths()
    paths |= Comment.objects.filter(author=instance)._site_paths()
    content_changed(paths)


def connect_signals() -> None:
    """Connected in `HomeConfig.ready()`: every model whose querysets are public content."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    for model in apps.get_models():
        if isinstance(model._default_manager.all(), PublicContentQuerySet):
            for signal in (post_save, pre_delete):
                # Before a delete, while the row still says where it was.
                signal.connect(
                    _row_changed, sender=model, dispatch_uid=f"engage-page-cache-{model._meta}"
                )
    post_save.connect(_person_changed, sender=get_user_model(), dispatch_uid="engage-page-cache")


# Serving.


def _is_visitor_request(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _may_store(request, response) -> bool:
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and match is not None
        and match.url_name == "wagtail_serve"
        and (user is None or not user.is_authenticated)
        and not getattr(getattr(request, "session", None), "modified", False)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


class PageCacheMiddleware:
    """Serves visitors' pages from the cache, and keeps what may be kept (see above).

    Sits after `SiteCacheMiddleware`, which has found the request's site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = timeout()
        if not seconds or not _is_visitor_request(request):
            return self.get_response(request)
        home = site_cache.site_chrome(request).home
        if home is None:
            return self.get_response(request)
        key = self._key(request, home)
        response = cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if _may_store(request, response):
            cache.set(key, response, seconds)
        return response

    @staticmethod
    def _key(request, home) -> str:
        # The key is taken before the page is read, so a page rendered from rows a
        # concurrent change is replacing is stored under a generation already gone.
        address = f"{request.scheme}://{request._get_raw_host()}{request.get_full_path()}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        return (
            f"engage:page-cache:page:{site_cache.generation()}:"
            f"{_site_generation(home.path)}:{digest}"
        )
