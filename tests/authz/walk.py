"""Find every URL of the site, build a sample request for each, and classify the answers.

Three sources, all read from the running code so that a new URL shows up by itself:

1. Django's URL resolver (engage/urls.py with allauth, our account views and
   consultations/urls.py). Every pattern outside /admin/ is one row, named by its URL name.
2. Wagtail's page tree: every live page of PCN A's site, and every route of each
   RoutablePageMixin page (`get_subpage_urls`, the `_route_to` routes of ConsultationPage and
   UpdateIndexPage's feed). Routes that take an idea or comment are walked once for each state
   of post (published, pending, hidden, withdrawn).
3. The admin. Our own screens (views from our apps: consultations, home, engage) are one row
   each, like the resolver's. Wagtail's own screens (hundreds) are grouped by their first path
   segment after /admin/ (and, for snippets, by app and model, so a new snippet of ours is a
   new group); each group must have sample rows in the expectations table.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from home.models import PrivacyNoticePage

OUR_APPS = ("consultations", "engage", "home")


@dataclass(frozen=True)
class Pattern:
    route: str  # the full pattern, e.g. "accounts/login/"
    name: str | None  # namespaced URL name, e.g. "consultations:preferences"
    module: str  # where its view lives
    arguments: tuple[str, ...] = ()  # the names of the URL's arguments, e.g. ("page_id",)

    @property
    def ours(self) -> bool:
        return self.module.split(".")[0] in OUR_APPS

    @property
    def label(self) -> str:
        return self.name or self.route


def arguments(pattern: URLPattern | URLResolver) -> tuple[str, ...]:
    """The names of the arguments in one pattern or resolver's part of a URL."""
    if isinstance(pattern.pattern, RoutePattern):
        return tuple(pattern.pattern.converters)
    return tuple(pattern.pattern.regex.groupindex)


def resolver_patterns() -> list[Pattern]:
    """Every pattern a request can reach, in the resolver's order.

    A pattern with the same route as an earlier one is never reached (the resolver takes the
    first match), so it is left out: `/admin/login/` is our redirect to allauth's sign-in, not
    Wagtail's sign-in form, and is one of our rows rather than a Wagtail group.
    """

    def walk(patterns, prefix="", namespace=None, above=()):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    ns,
                    above + arguments(pattern),
                )
            elif isinstance(pattern, URLPattern):
                name = pattern.name and (
                    f"{namespace}:{pattern.name}" if namespace else pattern.name
                )
                callback = pattern.callback
                module = getattr(callback, "view_class", callback).__module__
                yield Pattern(
                    prefix + str(pattern.pattern), name, module, above + arguments(pattern)
                )

    reachable, routes = [], set()
    for pattern in walk(get_resolver().url_patterns):
        if pattern.route not in routes:
            routes.add(pattern.route)
            reachable.append(pattern)
    return reachable


def admin_group(route: str) -> str:
    """The group a Wagtail admin URL belongs to: "admin/pages/", "admin/snippets/home/place/"."""
    rest = route.removeprefix("admin/")
    parts = [part for part in re.split(r"/", rest) if part]
    if not parts:
        return "admin/"
    if parts[0] == "snippets" and len(parts) >= 3:
        depth = 4 if parts[1] == "choose" else 3
        return "admin/" + "/".join(parts[:depth]) + "/"
    return f"admin/{parts[0]}/"


def site_patterns() -> list[Pattern]:
    """Everything outside the admin, except Wagtail's page-serving catch-all (walked as pages)."""
    return [
        p
        for p in resolver_patterns()
        if not p.route.startswith("admin/") and p.name != "wagtail_serve"
    ]


def our_admin_patterns() -> list[Pattern]:
    return [p for p in resolver_patterns() if p.route.startswith("admin/") and p.ours]


def wagtail_admin_groups() -> set[str]:
    return {
        admin_group(p.route)
        for p in resolver_patterns()
        if p.route.startswith("admin/") and not p.ours
    }


def page_label(world, page) -> str:
    labels = {
        world.home.pk: "home",
        world.vision.pk: "vision",
        world.consultation_index.pk: "consultations",
        world.update_index.pk: "updates",
        world.update.pk: "update",
        world.open_consultation.pk: "open consultation",
        world.reviewed_consultation.pk: "reviewed consultation",
        world.private_consultation.pk: "private consultation",
        world.place_vision.pk: "place vision",
    }
    if isinstance(page.specific, PrivacyNoticePage):
        return "privacy notice"
    if page.specific_class.__name__ == "PlaceUpdatePage":
        return "place update"
    return labels.get(page.pk, f"{type(page).__name__} {page.slug}")


def page_targets(world) -> dict[str, str]:
    """label -> URL for every live page of PCN A's site and each route of its routable pages.

    The open consultation's routes are walked with every state of idea and comment; the
    reviewed (closed) consultation's routes only where they take no idea or comment.
    """
    targets = {}
    pages = list(Page.objects.live().descendant_of(world.home, inclusive=True).specific())
    # The vision of PCN A's Place, served at its own host name (make_request sends it).
    pages += list(Page.objects.live().descendant_of(world.place_vision, inclusive=True).specific())
    for page in pages:
        label = page_label(world, page)
        if not isinstance(page, RoutablePageMixin):
            targets[f"page {label}"] = page.url
            continue
        for pattern in page.get_subpage_urls():
            route = str(pattern.pattern)
            if "<int:idea_id>" in route:
                samples = world.ideas if page.pk == world.open_consultation.pk else {}
                arg = "idea_id"
            elif "<int:comment_id>" in route:
                samples = world.comments if page.pk == world.open_consultation.pk else {}
                arg = "comment_id"
            else:
                targets[f"page {label} {pattern.name}"] = page.url + page.reverse_subpage(
                    pattern.name
                )
                continue
            for state, post in samples.items():
                if state == "other_pcn":
                    continue  # another consultation's idea: see the admin rows
                targets[f"page {label} {pattern.name} [{state}]"] = page.url + page.reverse_subpage(
                    pattern.name, kwargs={arg: post.pk}
                )
    return targets


def resolver_targets(world, samples) -> tuple[dict[str, str], list[str]]:
    """label -> URL for every site pattern and our own admin screens; and the labels for
    which no sample URL could be made (a new pattern with arguments nobody has described)."""
    targets, unbuildable = {}, []
    for pattern in site_patterns() + our_admin_patterns():
        builder = samples.get(pattern.label)
        if builder is None:
            try:
                targets[pattern.label] = reverse(pattern.name)
            except Exception:
                unbuildable.append(pattern.label)
            continue
        for suffix, url in builder(world).items():
            targets[f"{pattern.label}{suffix}"] = url
    return targets, unbuildable


# Classifying answers

LOGIN_PATH = "/accounts/login/"
ADMIN_LOGIN_PATH = "/admin/login/"


def outcome(response) -> str:
    """A short word for what came back: "ok", "in" (sent to sign in), "adm" (sent to the
    admin's sign-in), "no" (Wagtail's refusal: back to the admin dashboard), "go" (redirected
    anywhere else), or the status code."""
    status = response.status_code
    if status in (301, 302, 303):
        location = response.headers.get("Location", "")
        path = location.split("?")[0]
        if re.sub(r"^https?://[^/]+", "", path) == LOGIN_PATH:
            return "in"
        if re.sub(r"^https?://[^/]+", "", path) == ADMIN_LOGIN_PATH:
            return "adm"
        if re.sub(r"^https?://[^/]+", "", path) == "/admin/":
            return "no"
        return "go"
    if status == 200:
        return "ok"
    return str(status)
