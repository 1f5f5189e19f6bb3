"""What every Engage page shares: routing in one query a level, and view restrictions
read once a request.

Wagtail routes a URL one level at a time with two queries a level (the child by slug,
then its specific page), checks view restrictions with two more, and every `.public()`
filter reads all restrictions again. `EngagePage` pages instead:

- find a child in one query: by its page type when the parent allows only one, or by its
  id from the site's cached slug map (`home.site_cache`). Each page is checked against its
  parent as read, so a stale hint can only cost the usual lookup. While the page cache is
  on, the pages an address names are kept under the site cache generation, which any
  change to a page starts afresh (`home.page_cache.kept_pages`): then routing reads none;
- check view restrictions against `view_restrictions()` (read once per request, never
  cached across requests), walking the parents that routing already read.

Other apps add to a page's context through `page_context_register` (see there): `home`
knows nothing of the apps built on it.
"""

import contextlib
import contextvars
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page, PageManager, PageViewRestriction, Site
from wagtail.query import PageQuerySet

from engage.text import text_problems
from home.boundary import PcnBoundaryMixin, PcnScopedFormMixin, pcn_of

_request_restrictions: contextvars.ContextVar = contextvars.ContextVar(
    "engage_view_restrictions", default=None
)


def view_restrictions() -> list[PageViewRestriction]:
    """Every page view restriction, once per request (each call outside a request reads).

    Shared by Wagtail's view-restriction check and every `.public()` filter of the request.
    How the request reads them may be set for it (`view_restrictions_read_with`): the page
    cache keeps them between requests in a cache every process shares, under the site cache
    generation, which saving or deleting a restriction starts afresh, so a page made private
    is private at once in every process."""
    memo = _request_restrictions.get()
    if memo is None:
        return read_view_restrictions()
    if memo.get("restrictions") is None:
        memo["restrictions"] = memo.get("read", read_view_restrictions)()
    return memo["restrictions"]


def read_view_restrictions() -> list[PageViewRestriction]:
    return list(PageViewRestriction.objects.select_related("page"))


def view_restrictions_read_with(read: Callable[[], list]) -> None:
    """This request reads its view restrictions with `read()` (once)."""
    memo = _request_restrictions.get()
    if memo is not None:
        memo["read"] = read


@contextlib.contextmanager
def view_restrictions_per_request():
    """Inside it, `view_restrictions()` reads the database once (`SiteCacheMiddleware`
    wraps each request in it)."""
    token = _request_restrictions.set({})
    try:
        yield
    finally:
        _request_restrictions.reset(token)


# What other apps add to the context of a page type: (page class, provider) pairs.
_context_providers: list[tuple[type, Callable]] = []


def page_context_register(page_class: type, provider: Callable[..., dict]) -> None:
    """Add what `provider(page=page, request=request)` returns to the context of every page
    of `page_class` (or a subclass).

    How a higher floor fills a lower floor's page: the home page lists open consultations
    and the vision page the themes behind each priority, yet `home` knows nothing of
    consultations; `consultations` registers its providers in its `AppConfig.ready()`.
    """
    if (page_class, provider) not in _context_providers:
        _context_providers.append((page_class, provider))


@dataclass(frozen=True)
class PageLink:
    """A page as a list links to it: its title and its address as `pageurl` writes it for
    the request's site. Plain values, so a list of them can be kept between requests
    (`home.page_cache.site_content_memo`) without pickling Wagtail pages."""

    title: str
    url: str


def page_links(pages: Iterable[Page], *, request) -> list[PageLink]:
    return [PageLink(title=page.title, url=page.get_url(request=request)) for page in pages]


def request_site_id(request) -> int | None:
    """The id of the request's Wagtail site (read once a request): addresses worked out for
    one site are kept under its id, since another site's page links to them in full."""
    site = Site.find_for_request(request)
    return site.pk if site else None


# Who publishes a section of a PCN's site (a page type that sits below the home page), as
# `home.services.pcn_sections_setup` sets it up: the PCN's staff directly, or a PCN lead
# approving each change through a workflow.
STAFF_PUBLISH = "staff publish"
LEAD_APPROVAL = "lead approval"


class EngagePageQuerySet(PageQuerySet):
    def private_q(self):
        """Wagtail's, from the request's restrictions rather than a query per call."""
        q = Q()
        for restriction in view_restrictions():
            q |= self.descendant_of_q(restriction.page, inclusive=True)
        return q if q else Q(pk__in=[])


EngagePageManager = PageManager.from_queryset(EngagePageQuerySet)


def parent_chain(page) -> list | None:
    """The page and its ancestors down to the site's home page, as routing read them, or
    None if any of them was not read (then Wagtail's own lookup is used)."""
    chain = [page]
    current = page
    while current.depth > 2:
        current = current.__dict__.get("_cached_parent_obj")
        if current is None:
            return None
        chain.append(current)
    return chain


class PageTextMixin:
    """A page's title, its title for search engines and its description refuse control and
    direction characters (see `engage.text`), whichever way the page is saved.

    A line break in a title is the worst of them: Wagtail puts the title in the subject of
    its workflow emails, Django refuses a subject with a line break (header injection), and
    Wagtail logs the failure and carries on, so the approvers are never told. The title is
    Wagtail's own field, so the check is here rather than a field validator: in `clean()`
    (the admin's page forms and `full_clean()`, which `save()` runs for a live page) and in
    `minimal_clean()` (Wagtail's check when a draft is saved or a page previewed).

    Every page type has it: `EngagePage` includes it, and a page type that is not an
    `EngagePage` must list it first (tests/home/test_page_titles.py checks them all).
    """

    TEXT_FIELDS = (("title", True), ("seo_title", True), ("search_description", False))

    def clean(self):
        super().clean()
        self.check_text()

    def minimal_clean(self):
        super().minimal_clean()
        self.check_text()

    def check_text(self) -> None:
        errors = {}
        for name, single_line in self.TEXT_FIELDS:
            if problems := text_problems(getattr(self, name, ""), single_line=single_line):
                errors[name] = problems
        if errors:
            raise ValidationError(errors)


class PcnPageForm(PcnScopedFormMixin, WagtailAdminPageForm):
    """Every page's editor: what it offers to link to is its own PCN's (`home.boundary`)."""

    def form_pcn(self):
        if self.instance.path:
            return pcn_of(self.instance)
        return pcn_of(self.parent_page) if self.parent_page is not None else None


def read_pages(wanted: Iterable[tuple[int, int]]) -> dict:
    """Page id -> the specific page, for (content type id, page id) pairs: a query each."""
    pages = {}
    for content_type_id, pk in wanted:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = _only(model.objects.filter(pk=pk)) if model is not None else None
        if page is not None:
            pages[pk] = page
    return pages


def pages_read_with(request, read: Callable[[list[tuple[int, int]]], dict]) -> None:
    """This request reads the pages routing finds by the site's hints with `read(wanted)`
    (`read_pages` by default): the page cache keeps them between requests."""
    request._engage_read_pages = read


def _only(pages):
    """The one page of a query for a child by its slug, or None. Unordered: a slug is unique
    among its siblings (Wagtail refuses a duplicate, and its own routing would fail on one),
    and ordering by tree path, as page queries do, took a third of building the query."""
    return next(iter(pages.order_by()[:1]), None)


class EngagePage(PageTextMixin, PcnBoundaryMixin, Page):
    """Base class of every Engage page type: its titles refuse control characters, and
    links to another PCN's objects are refused (`home.boundary`), in its editor and
    whenever it is saved."""

    objects = EngagePageManager()
    base_form_class = PcnPageForm

    # STAFF_PUBLISH or LEAD_APPROVAL for a section of the site; None leaves publishing to
    # whoever may publish the page above it.
    section_publishing: str | None = None

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        for page_class, provider in _context_providers:
            if isinstance(self, page_class):
                context.update(provider(page=self, request=request))
        return context

    def get_view_restrictions(self):
        chain = parent_chain(self)
        if chain is None or any(page.alias_of_id for page in chain):
            return super().get_view_restrictions()
        # Restrictions on this page or its ancestors (the root and the pages in `chain`).
        return [r for r in view_restrictions() if self.path.startswith(r.page.path)]

    def route(self, request, path_components):
        if path_components:
            child = self._child_by_slug(request, path_components)
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def _child_by_slug(self, request, path_components):
        """The child page named by the address's next part, specific, in one query (none
        when kept); None to let Wagtail look.

        By its id when the site's chrome knows it (checked against the page as read, so a
        stale hint only costs the lookup by slug), else by its slug when this page allows
        only one page type below it."""
        slug = path_components[0]
        chrome = getattr(request, "_engage_site_chrome", None)
        hint = chrome.pages.get((self.pk, slug)) if chrome is not None else None
        if hint is not None:
            child = self._hinted_child(request, chrome, path_components)
            if child is not None and self._is_child(child, slug):
                return child
        child_models = self.specific_class.allowed_subpage_models()
        if len(child_models) == 1:
            return _only(child_models[0].objects.child_of(self).filter(slug=slug))
        return None

    def _hinted_child(self, request, chrome, path_components):
        """The child the site's routing hints name for the address's next part. Read by its
        id, unless the request reads its pages with `pages_read_with`: then every page the
        hints name for the rest of the address is read at once, on the first level routed."""
        read = getattr(request, "_engage_read_pages", None)
        hints, parent, wanted = chrome.pages, self.pk, []
        for slug in path_components if read is not None else path_components[:1]:
            hint = hints.get((parent, slug))
            if hint is None:
                break
            wanted.append(hint)
            parent = hint[1]
        routed = request.__dict__.get("_engage_routed_pages", {})
        if wanted[0][1] not in routed:
            routed = read(wanted) if read is not None else read_pages(wanted)
            request._engage_routed_pages = routed
        return routed.get(wanted[0][1])

    def _is_child(self, page, slug: str) -> bool:
        return (
            page.slug == slug and page.depth == self.depth + 1 and page.path.startswith(self.path)
        )
