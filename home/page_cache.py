"""Whole public pages kept for visitors, per site, until that site's content changes.

A visitor's GET of a Wagtail page (no session and no messages cookie) is answered from
Django's cache when a visitor has been served the same page of the same site (a PCN's, or a
Place's or an ICS's, whose root is its vision page) since the site's content last changed,
and within `ENGAGE_PAGE_CACHE_SECONDS` (time alone moves a consultation from open to closed,
so nothing is kept for long). Nothing is stored that
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
  support counter are seen too;
- a person's new display name, on the sites whose rows show it (a model of public content
  names the field with `person_shown_via`), and a person deleted, on the sites of every
  row of public content that points at them.

A generation is bumped twice: at once, and again when the transaction commits. A request
that read the old rows before the commit can then only have stored its page under a
generation that is already gone.

A page may be made of other sites' content as well: a Place's or an ICS's vision page shows
what its PCNs' sites hold (`content_memo`). Such a page is kept with the generations of
those sites, read as it was rendered, and served only while they are the same too.

Each process of a site served by several must share the cache (`CACHE_URL`, Redis):
production turns this cache off unless it is set.
"""

import hashlib
import uuid
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_save, pre_delete
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from home import site_cache
from home.pages import (
    pages_read_with,
    read_pages,
    read_view_restrictions,
    view_restrictions_read_with,
)

STEPLEN = 4  # django-treebeard's path step: a page's ancestors are its path's prefixes
_SITE_PREFIX = "engage:page-cache:site:"
_SITE_KEY = _SITE_PREFIX + "{}"
# The other sites a page being rendered is made of ({generation key: generation read}), as
# `content_memo` finds them: a Place's vision page shows what its PCNs' sites hold, so the
# page is kept only while those sites' generations are the same too.
_other_sites: ContextVar[dict | None] = ContextVar("engage_page_cache_other_sites", default=None)


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


def content_changed(paths, *, bumped: set | None = None) -> None:
    """The public content below these page paths changed: their sites' pages are stale.

    Bumped whether or not this process serves cached pages (a task worker or a shell
    changes what the web processes serve): at once, and again when the transaction
    commits. `bumped` holds the keys one operation has bumped already (a delete that
    cascades to thousands of rows bumps each site once).
    """
    keys = _site_keys(set(paths))
    if bumped is not None:
        keys -= bumped
        bumped |= keys
    if not keys:
        return
    _bump(keys)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        outermost = connection.atomic_blocks[0]
        pending = outermost.__dict__.get("_engage_page_cache_pending")
        if pending is None:
            pending = outermost._engage_page_cache_pending = set()
            transaction.on_commit(lambda: _bump(pending))
        pending |= keys


def _site_generation(home_path: str) -> str:
    key = _SITE_KEY.format(home_path)
    generation = cache.get(key)
    if generation is None:
        # Never fall back to an old value: a lost key is a new generation.
        cache.add(key, uuid.uuid4().hex, None)
        generation = cache.get(key) or uuid.uuid4().hex
    return generation


def site_content_memo(*, home, name: str, compute):
    """What `compute()` works out from the public content of the site whose home page is
    `home` (a figure every page of the site shows alike: the PCN's record), kept in the
    cache under the same two generations as the site's pages, so it is worked out again
    after the same changes that make a kept page stale. Nothing per person goes here.

    Kept only while the page cache is on (`ENGAGE_PAGE_CACHE_SECONDS`), for as long as a
    page is: production turns it off unless the processes share a cache, without which a
    change made in one process would not reach the others' kept values.
    """
    return content_memo(paths=[home.path], name=f"{name}:{home.pk}", compute=compute)


def content_memo(*, paths, name: str, compute):
    """`site_content_memo` across several sites: what `compute()` works out from the public
    content below each of `paths` (a Place's vision shows what its PCNs' sites hold), kept
    until any of those sites' content changes, or any page, site or PCN is saved. `name`
    says what it is and whose (a page's id), and anything else the value depends on.
    `paths` may be a function, called only when values are kept (finding them may cost a
    query of its own).

    One read of the cache for every generation at once, then one for the value.
    """
    seconds = timeout()
    if not seconds:
        return compute()
    # The generations are read before the value is worked out: a change committed while
    # it is keeps it under a generation that is already gone.
    paths = sorted(set(paths() if callable(paths) else paths))
    generations = _generations([site_cache.GENERATION_KEY, *map(_SITE_KEY.format, paths)])
    noted = _other_sites.get()
    if noted is not None:  # a page being rendered for the page cache
        noted.update(zip(map(_SITE_KEY.format, paths), generations[1:], strict=True))
    if len(generations) > 2:  # a short key, however many sites
        generations = [hashlib.blake2b(":".join(generations).encode(), digest_size=16).hexdigest()]
    key = f"engage:page-cache:memo:{name}:{':'.join(generations)}"
    kept = cache.get(key)
    if kept is None:
        kept = (compute(),)  # in a tuple, so a computed None is kept too
        cache.set(key, kept, seconds)
    return kept[0]


# The generations a request that changes nothing (GET, HEAD) has read: each is read once,
# before anything kept under it is, so every part of its page agrees on them.
_read_generations: ContextVar[dict | None] = ContextVar("engage_read_generations", default=None)


def _generations(keys: list[str]) -> list[str]:
    """The current generations under `keys` (the site cache's, then sites'), in one read of
    the cache for those this request has not read yet."""
    read = _read_generations.get()
    known = read if read is not None else {}
    if missing := [key for key in keys if key not in known]:
        found = cache.get_many(missing)
        for key in missing:
            if key == site_cache.GENERATION_KEY:
                known[key] = found.get(key) or site_cache.generation()
            else:
                known[key] = found.get(key) or _site_generation(key.removeprefix(_SITE_PREFIX))
    return [known[key] for key in keys]


# Which rows are public content, and where they live.


def _transaction_state() -> dict:
    """What this transaction has already worked out, so a delete that cascades to thousands
    of comments and supports reads each parent's path once (and a fresh dict outside one)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return {}
    outermost = connection.atomic_blocks[0]
    if not hasattr(outermost, "_engage_page_cache_paths"):
        outermost._engage_page_cache_paths = {}
    return outermost._engage_page_cache_paths


class PublicContentQuerySet(models.QuerySet):
    """A queryset of rows shown on public pages. `update()` and `bulk_create()` send no
    signals, so they tell the page cache themselves; `site_path` is the lookup from a row
    to the path of the page it appears under (its consultation)."""

    site_path = "consultation__path"

    def _site_paths(self) -> set[str]:
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
        if created:
            content_changed({_path_of(obj) for obj in created})
        return created

    bulk_create.alters_data = True


def _path_of(instance) -> str | None:
    """The path of the page a row appears under, through the row's parent (the first step
    of `site_path`): one query per parent and transaction."""
    model = type(instance)
    parent_field = model._default_manager.all().site_path.split("__", 1)[0]
    field = model._meta.get_field(parent_field)
    parent_id = getattr(instance, field.attname)
    if parent_id is None:
        return None
    known = _transaction_state()
    key = (field.related_model._meta.label, parent_id)
    if key not in known:
        parent = field.related_model._base_manager.filter(pk=parent_id)
        rest = model._default_manager.all().site_path.split("__", 1)[1]
        known[key] = parent.values_list(rest, flat=True).first()
    return known[key]


def _row_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    origin = kwargs.get("origin")  # what a delete started from: every row it cascades to
    bumped = origin.__dict__.setdefault("_engage_page_cache_bumped", set()) if origin else None
    content_changed([_path_of(instance)], bumped=bumped)


# (model, field) pairs of public content that point at a person: those whose pages show
# the person's name (a model's `person_shown_via`), and every one. Found in
# `connect_signals`, from whichever apps declare public content.
_people = {"named": [], "linked": []}


def _paths_of_person(person, links) -> set[str]:
    paths = set()
    for model, field in links:
        paths |= model._default_manager.filter(**{field: person})._site_paths()
    return paths


def _person_changed(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """A changed name shows beside the person's posts, on the sites they posted on."""
    if created or kwargs.get("raw"):
        return
    if update_fields is not None and "display_name" not in update_fields:
        return  # signing in saves last_login alone
    content_changed(_paths_of_person(instance, _people["named"]))


def _person_deleted(sender, instance, **kwargs) -> None:
    """Before an account is deleted: its name leaves its posts, its supports their counts."""
    content_changed(_paths_of_person(instance, _people["linked"]))


def connect_signals() -> None:
    """Connected in `HomeConfig.ready()`: every model whose querysets are public content."""
    user = get_user_model()
    named, linked = [], []
    for model in apps.get_models():
        if isinstance(model._default_manager.all(), PublicContentQuerySet):
            for signal in (post_save, pre_delete):
                # Before a delete, while the row's parent still says where it was.
                signal.connect(
                    _row_changed, sender=model, dispatch_uid=f"engage-page-cache-{model._meta}"
                )
            linked += [
                (model, field.name)
                for field in model._meta.concrete_fields
                if field.is_relation and field.related_model is user
            ]
            if shown := getattr(model, "person_shown_via", None):
                named.append((model, shown))
    _people.update(named=named, linked=linked)
    post_save.connect(_person_changed, sender=user, dispatch_uid="engage-page-cache-person")
    pre_delete.connect(_person_deleted, sender=user, dispatch_uid="engage-page-cache-gone")


def kept_view_restrictions(request) -> list:
    """Every page view restriction, kept in the shared cache under the site cache generation
    (a restriction saved or deleted starts a new one: `home.apps`), for a page of a site
    while the page cache is on, a signed-in person's too. The generation is the one the request
    reads under, read before the rows: a restriction saved meanwhile keeps this list under a
    generation already gone."""
    key = f"engage:view-restrictions:{site_cache.request_generation(request)}"
    kept = cache.get(key)
    if kept is None:
        kept = read_view_restrictions()
        cache.set(key, kept, timeout())
    return kept


def kept_pages(request, wanted: list[tuple[int, int]]) -> dict:
    """The pages routing finds by the site's hints (`home.pages.pages_read_with`), kept in
    the shared cache under the site cache generation, which saving, publishing, unpublishing,
    moving or deleting any page starts afresh; read in one go for a whole address. The
    generation is read before the pages: a page changed meanwhile is kept under one already
    gone. Each request gets its own copies."""
    generation = site_cache.request_generation(request)
    keys = {pk: f"engage:site-cache:page:{generation}:{pk}" for _, pk in wanted}
    found = cache.get_many(list(keys.values()))
    pages, read = {}, {}
    for content_type_id, pk in wanted:
        page = found.get(keys[pk])
        if page is None:
            page = read_pages([(content_type_id, pk)]).get(pk)
            if page is not None:
                read[keys[pk]] = page
        if page is not None:
            pages[pk] = page
    if read:
        cache.set_many(read, timeout())
    return pages


# Serving.


# The query parameters public pages read (the idea list's search, order, filters and page,
# an idea's page of comments). A page asked for with any other is rendered, not kept, so
# made-up addresses cannot fill the cache.
PARAMETERS = frozenset({"q", "sort", "neighbourhood", "theme", "page", "comments"})


def _is_visitor_request(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and PARAMETERS.issuperset(request.GET)
    )


def _is_page(request) -> bool:
    """Whether the address is one of Wagtail's pages: only those are kept, so no other
    address (an account page, the admin, a file) costs a read of the cache."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.url_name == "wagtail_serve"


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
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


class PageCacheMiddleware:
    """Serves visitors' pages from the cache, and keeps what may be kept (see above).

    A kept page is stored under its address, with the two generations read before it was
    rendered; it is served only while both are still the current ones. Serving one takes
    a single read of the cache (the generations and the page at once) when this process
    knows the site's home page (`site_cache.known_site`), and reads no Wagtail
    object."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self._serve(request, None)
        token = _read_generations.set({})
        try:
            return self._serve(request, _read_generations.get())
        finally:
            _read_generations.reset(token)

    def _serve(self, request, read: dict | None):
        seconds = timeout()
        if not seconds or not _is_visitor_request(request) or not _is_page(request):
            return self.get_response(request)
        page_key = self._key(request)
        known = site_cache.known_site(request)
        keys = [site_cache.GENERATION_KEY, page_key]
        if known:
            keys.append(_SITE_KEY.format(known[1]))
        found = cache.get_many(keys)  # one round trip to the cache
        generation = found.get(site_cache.GENERATION_KEY) or site_cache.generation()
        request._engage_site_generation = generation
        if known and known[0] == generation:
            home_path = known[1]
            site_generation = found.get(_SITE_KEY.format(home_path))
        else:
            home_path = site_cache.site_chrome(request).root_path
            if not home_path:
                return self.get_response(request)
            site_generation = None
        site_generation = site_generation or _site_generation(home_path)
        if read is not None:  # what the page's kept parts are read under too
            read[site_cache.GENERATION_KEY] = generation
            read[_SITE_KEY.format(home_path)] = site_generation
        kept = found.get(page_key)
        fresh = kept is not None and kept[:2] == (generation, site_generation)
        if fresh and self._other_sites_unchanged(kept[5]):
            return self._response(kept)
        other_sites = _other_sites.set({})
        try:
            response = self.get_response(request)
            made_of = _other_sites.get()
        finally:
            _other_sites.reset(other_sites)
        made_of.pop(_SITE_KEY.format(home_path), None)  # checked with the page already
        # A page that used the CSRF token always sets its cookie (Django sets it on every
        # response that used it), so `_may_store` refuses it with every other cookie.
        if _may_store(request, response):
            patch_vary_headers(response, ("Cookie",))  # as the page a signed-in person gets
            # The generations read before the page was: a page rendered from rows a
            # concurrent change is replacing is kept under a generation already gone.
            kept = (
                generation,
                site_generation,
                response.status_code,
                list(response.items()),
                response.content,
                made_of,
            )
            cache.set(page_key, kept, seconds)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A page of a site (a visitor's or a signed-in person's) reads the view
        restrictions and the pages its address names kept in the cache while it is on; its
        kept parts are read under the site cache generation routing read."""
        read = _read_generations.get()
        generation = getattr(request, "_engage_site_generation", None)  # `site_cache`'s
        if read is not None and generation is not None:
            read.setdefault(site_cache.GENERATION_KEY, generation)
        if timeout() and request.resolver_match.url_name == "wagtail_serve":
            view_restrictions_read_with(lambda: kept_view_restrictions(request))
            pages_read_with(request, lambda wanted: kept_pages(request, wanted))

    @staticmethod
    def _other_sites_unchanged(made_of: dict) -> bool:
        """Whether the other sites a kept page was made of are in the generations it was
        rendered under: one more read of the cache, for those pages only."""
        if not made_of:
            return True
        return cache.get_many(list(made_of)) == made_of

    @staticmethod
    def _key(request) -> str:
        address = request.build_absolute_uri()
        # "page2": kept with the other sites it was made of.
        return f"engage:page-cache:page2:{hashlib.sha256(address.encode()).hexdigest()}"

    @staticmethod
    def _response(kept) -> HttpResponse:
        _, _, status, headers, content, _ = kept
        return HttpResponse(content, status=status, headers=dict(headers))
