"""What every page of a PCN's site needs, read once and cached per site.

Each request used to look up its Wagtail site, its home page and PCN, the navigation, and
the page view restrictions several times over. Here:

- `site_chrome(request)`: the site, its home page (with PCN and Place) and navigation,
  kept in Django's cache per host name. Publishing, unpublishing, moving or deleting a
  page, and saving a site, PCN or view restriction, start a new cache generation
  (`site_cache_clear`), so every site reads afresh on its next request. The cache is a
  hint for routing (see `home.pages`): each page is read by its id, and kept under the same
  generation only while the page cache, which needs a cache every process shares, is on.
- `SiteCacheMiddleware` also scopes `home.pages.view_restrictions()` to the request: every
  page view restriction, read once per request (never cached between requests, so a page
  made private is private at once).

Several server processes must share one cache (`CACHE_URL`) for a change to reach all of
them at once; with the default local-memory cache, other processes see it within
`ENGAGE_SITE_CACHE_SECONDS`.
"""

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.http.request import split_domain_port
from wagtail.models import Page, Site

from home.models import HomePage, PrivacyNoticePage
from home.pages import view_restrictions_per_request

GENERATION_KEY = "engage:site-cache:generation"


@dataclass
class SiteChrome:
    site: Site | None
    home: Page | None = None  # the site's HomePage, with pcn and pcn.place loaded
    # The path of the site's root page: its home page's, or a Place's or an ICS's vision
    # page's (a site of its own, with no HomePage): where the page cache keeps its pages.
    root_path: str = ""
    navigation: list = field(default_factory=list)
    # The live, public privacy notice (linked from the footer and sign-up, not the menu).
    privacy_notice: Page | None = None
    # (parent page id, slug) -> (content type id, page id) of every page of the site below
    # its home page: a routing hint (`home.pages.EngagePage.route`).
    pages: dict = field(default_factory=dict)

    @property
    def pcn(self):
        return getattr(self.home, "pcn", None)


def _timeout() -> int:
    return getattr(settings, "ENGAGE_SITE_CACHE_SECONDS", 300)


def generation() -> str:
    """The current generation of every site's cached chrome (and of cached pages)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY) or value
    return value


def site_cache_clear(**kwargs) -> None:
    """Start a new generation: every site's chrome is read afresh on its next request.

    Takes any keyword arguments, so it can be connected to signals directly.
    """
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    # Again once the change is committed: a request that read the old rows in between has
    # cached them under a generation that is then gone.
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, None))


def page_saved(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        site_cache_clear()


def _read_chrome(site: Site | None) -> SiteChrome:
    if site is None:
        return SiteChrome(site=None)
    home = HomePage.objects.select_related("pcn__place").filter(pk=site.root_page_id).first()
    if home is None:  # a Place's or an ICS's site: its vision page, routed from as a home's
        root = Page.objects.filter(pk=site.root_page_id).specific().first()
        if root is None:
            return SiteChrome(site=site)
        site.root_page = root
        return SiteChrome(site=site, root_path=root.path, pages=_routing_hints(root))
    site.root_page = home
    children = list(home.get_children().order_by("path"))
    public = dict(home.get_children().live().public().values_list("pk", "show_in_menus"))
    notice_type = ContentType.objects.get_for_model(PrivacyNoticePage).pk
    navigation = [
        child for child in children if public.get(child.pk) and child.content_type_id != notice_type
    ]
    privacy_notice = next(
        (c for c in children if c.pk in public and c.content_type_id == notice_type), None
    )
    # Each linked page's address on this site, as `pageurl` writes it: worked out once per
    # generation, not twice per page shown (header and footer), each a walk of every
    # site's root path.
    for page in (*navigation, privacy_notice):
        if page is not None:
            page.site_url = page.get_url(current_site=site)
    return SiteChrome(
        site=site,
        home=home,
        root_path=home.path,
        navigation=navigation,
        privacy_notice=privacy_notice,
        pages=_routing_hints(home),
    )


def _routing_hints(home) -> dict:
    """(parent page id, slug) -> (content type id, page id) of every page below `home`: so
    routing reads each page of an address by its id, without building a query for a child
    by its slug under its parent (half the cost of routing)."""
    rows = Page.objects.descendant_of(home).order_by("path")
    ids = {home.path: home.pk}
    hints = {}
    for pk, path, slug, content_type_id in rows.values_list(
        "pk", "path", "slug", "content_type_id"
    ):
        ids[path] = pk
        parent = ids.get(path[: -Page.steplen])
        if parent is not None:
            hints[(parent, slug)] = (content_type_id, pk)
    return hints


# (host name, port) -> (generation, the site's root page path), in this process: what the
# page cache needs to find a kept page without reading the chrome. Only used while the
# generation it was read under is the current one.
_home_paths: dict[tuple[str, str], tuple[str, str]] = {}
_HOME_PATHS_MAX = 10_000


def host_key(request) -> tuple[str, str]:
    # CommonMiddleware, above, has already checked the host against ALLOWED_HOSTS, so the
    # public get_host() cannot refuse it here.
    return split_domain_port(request.get_host())[0], request.get_port()


def known_site(request) -> tuple[str, str] | None:
    """(generation, root page path) of this request's site, as this process last read its
    chrome (no I/O): to be used only if that generation is still the current one."""
    return _home_paths.get(host_key(request))


def request_generation(request) -> str:
    """The generation this request reads under: read once, before anything else is."""
    if not hasattr(request, "_engage_site_generation"):
        request._engage_site_generation = generation()
    return request._engage_site_generation


def site_chrome(request) -> SiteChrome:
    """This request's site, home page, PCN and navigation (cached per host name)."""
    if not hasattr(request, "_engage_site_chrome"):
        hostname, port = host_key(request)
        current = request_generation(request)
        # "4": chrome whose linked pages carry their `site_url`, with routing hints for
        # every page of the site, and the root page's path of a site with no home page.
        key = f"engage:site-cache:4:{current}:{hostname}:{port}"
        chrome = cache.get(key)
        if chrome is None:
            chrome = _read_chrome(Site.find_for_request(request))
            cache.set(key, chrome, _timeout())
        if chrome.root_path:
            if len(_home_paths) >= _HOME_PATHS_MAX:
                _home_paths.clear()
            _home_paths[(hostname, port)] = (current, chrome.root_path)
        request._engage_site_chrome = chrome
        # Wagtail reads the site from here (Site.find_for_request), and routes from its
        # root page: the cached HomePage, already specific. No public API seeds it: the
        # attribute is the cache `Site.find_for_request` documents (docs/wagtail-apis.md).
        request._wagtail_site = chrome.site
    return request._engage_site_chrome


class SiteCacheMiddleware:
    """Scopes the view-restriction memo to the request, and finds a Wagtail page's site
    from the cache before Wagtail routes to the page. Other views read the chrome only if
    they show it (the templates' context processor), so a request that shows no page of a
    site reads nothing of it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with view_restrictions_per_request():
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.url_name == "wagtail_serve":
            site_chrome(request)
