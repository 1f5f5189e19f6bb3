"""Malformed input gets a clear answer: a form error or a 4xx, never a 500 or an exception.

What is walked, found from the running code so that a new URL is walked by itself:

- every URL of the authorisation walk (tests/authz/walk.py): the resolver's patterns outside the
  admin, our own admin screens (SAMPLE_URLS), every page and route of PCN A's site, and the
  sample screens of each group of Wagtail's admin (ADMIN_SAMPLES);
- every other URL pattern of Wagtail's admin, its arguments filled in by `ARGUMENTS` (a pattern
  with an argument nobody has described fails `test_every_admin_url_pattern_can_be_walked`),
  one URL per action of Wagtail's page API, and one per bulk action Wagtail has registered.

POSTs (`walk_url`). A view class without post() is left out (Django answers 405 before reading
anything); every other URL is first sent the walk's own known-good body (POST_BODIES in
tests/authz/requests.py), and a 405 leaves it there. Then, by what the URL deserves:

- our own handlers ("every malformation"), for every form the page shows the role (one body
  per submit button) and the walk's body: each field left out; each field set, one at a
  time, to each value of `MALFORMED` ("abc", "-1", "1.5", "", "²" (a digit to `str.isdigit`
  but not to `int`), 10,000 characters, a NUL byte, a number beyond 64 bits) and to the id of
  PCN B's object of its kind (a form of more than `EVERY_VALUE_UP_TO` fields gets
  `VALUES_PER_FIELD` of them per field, in turn); every field set to each at once; every key
  sent twice; and the empty body;
- Wagtail's and allauth's handlers ("some malformations"): the page's first form with "abc",
  "", a NUL byte, a number beyond 64 bits and PCN B's ids in every field at once, its keys
  repeated, the empty body, and a broken JSON body to the page API;
- a view already walked through another of its URLs (the same screen of another snippet
  model, a route for a post in another state), or one of ours that refused the role
  ("briefly"): the empty body and "abc" and a number beyond 64 bits in every field at once;
- a role refused by Wagtail's or allauth's permission checks: nothing more.

Roles: PCN A's moderator, staff and admin everywhere, and a resident outside the admin. Our
own handlers get every malformation from the PCN's own roles; the admin, who reaches every
screen, gets the lighter set on them. Each role's walk is split in `SHARDS` by view, so xdist
can share it out and each view is walked in full once.

GETs: FTS5 query syntax in every search box of the admin (as the admin) and in the page
chooser and explorer (as a moderator and staff); every query parameter of our own screens
malformed (as a resident and a moderator); the parameters Wagtail's screens read, malformed
(as the admin).

Every answer must be below 500 with no exception raised. Each request is rolled back, so every
one starts from the same world (tests/authz/conftest.py). Run with -s to see what each walk
covered and how long it took.
"""

import re
import time
from copy import deepcopy
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Collection, Site, Task, Workflow

from consultations.models import SuggestionRun, ThemeSuggestion
from tests.authz import walk
from tests.authz.requests import ADMIN_SAMPLES, SAMPLE_URLS, post_body

TOO_LARGE = "99999999999999999999"  # beyond a 64-bit integer
MALFORMED = ("abc", "-1", "1.5", "", "²", "x" * 10_000, "a\x00b", TOO_LARGE)
EVERY_VALUE_UP_TO = 6  # fields; a larger form gets VALUES_PER_FIELD values per field
VALUES_PER_FIELD = 3
MAX_BODIES_PER_URL = 8  # known-good bodies (forms and buttons) per URL
SHARDS = 2

ADMIN_ROLES = ("moderator", "staff", "admin")
PUBLIC_ROLES = ("resident", *ADMIN_ROLES)

# Wagtail's page that raises on purpose, to test error reporting (see ADMIN_SAMPLES).
DELIBERATE_ERRORS = {"wagtailadmin_error_test"}


# The world, with what Wagtail's admin URLs need beyond the authorisation walk's


@dataclass
class AdminObjects:
    workflow_state: object
    task_state: object
    redirect: object
    suggestion: object


def admin_objects(world) -> AdminObjects:
    """What some screens need to show their forms: a draft of the open consultation in
    Wagtail's default workflow (the workflow and revision screens), a redirect, and a
    suggested theme for the reviewed consultation (accepted or discarded on the themes page)."""
    page = world.open_consultation
    admin = world.people["admin"]
    page.save_revision(user=admin)
    workflow_state = Workflow.objects.filter(active=True).first().start(page, admin)
    run = SuggestionRun.objects.create(
        consultation=world.reviewed_consultation, status=SuggestionRun.Status.DONE
    )
    suggestion = ThemeSuggestion.objects.create(run=run, name="Suggested", terms=["saturday"])
    suggestion.ideas.set(world.theme.ideas.all())
    return AdminObjects(
        workflow_state=workflow_state,
        task_state=workflow_state.current_task_state,
        redirect=Redirect.objects.create(old_path="/old-page", redirect_link="/"),
        suggestion=suggestion,
    )


def object_of(world, model):
    """PCN A's object of `model` (or any, for a model that belongs to no PCN)."""
    pcn = world.home.pcn
    by_model = {
        "primarycarenetwork": pcn,
        "place": pcn.place,
        "integratedcaresystem": pcn.place.integrated_care_system,
        "user": world.people["other_resident"],
        "page": world.open_consultation,
    }
    if model._meta.model_name in by_model:
        return by_model[model._meta.model_name]
    fields = {f.name for f in model._meta.get_fields()}
    objects = model._default_manager.all()
    if "pcn" in fields:
        objects = objects.filter(pcn=pcn)
    return objects.order_by("pk").first()


def _pk_for(world, extra, route):
    snippet = re.match(r"admin/snippets/(?:choose/)?(\w+)/(\w+)/", route)
    if snippet:
        found = object_of(world, apps.get_model(*snippet.groups()))
        return found.pk if found else 999999
    by_prefix = (
        ("admin/collections/", lambda: Collection.get_first_root_node().pk),
        ("admin/workflows/tasks/", lambda: Task.objects.order_by("pk").first().pk),
        ("admin/workflows/", lambda: extra.workflow_state.workflow_id),
        ("admin/users/", lambda: world.people["other_resident"].pk),
        ("admin/groups/", lambda: world.home.pcn.moderator_group_id),
        ("admin/sites/", lambda: Site.objects.get(root_page=world.home).pk),
        ("admin/pages/", lambda: world.open_consultation.pk),
        ("admin/api/", lambda: world.open_consultation.pk),
        # No settings, documents or images in the world: an unknown id.
        ("admin/settings/", lambda: 999999),
        ("admin/documents/", lambda: 999999),
        ("admin/images/", lambda: 999999),
    )
    for prefix, value in by_prefix:
        if route.startswith(prefix):
            return value()
    raise KeyError("pk")


def _revision(world):
    return world.open_consultation.revisions.order_by("-pk").first().pk


# How to fill in each argument of Wagtail's admin URLs: name -> f(world, extra, route).
ARGUMENTS = {
    "pk": _pk_for,
    "page_id": lambda w, x, r: w.open_consultation.pk,
    "page_pk": lambda w, x, r: w.open_consultation.pk,
    "page_to_move_id": lambda w, x, r: w.open_consultation.pk,
    "parent_page_id": lambda w, x, r: w.consultation_index.pk,
    "destination_id": lambda w, x, r: w.consultation_index.pk,
    "object_id": lambda w, x, r: str(w.open_consultation.pk),
    "content_type_app_name": lambda w, x, r: "consultations",
    "content_type_model_name": lambda w, x, r: "consultationpage",
    "app_label": lambda w, x, r: "wagtailcore" if "workflows" in r else "consultations",
    "model_name": lambda w, x, r: "groupapprovaltask" if "workflows" in r else "consultationpage",
    "app_name": lambda w, x, r: "consultations",
    "revision_id": lambda w, x, r: _revision(w),
    "revision_id_a": lambda w, x, r: "earliest",
    "revision_id_b": lambda w, x, r: "latest",
    "workflow_pk": lambda w, x, r: x.workflow_state.workflow_id,
    "workflow_state_id": lambda w, x, r: x.workflow_state.pk,
    "task_state_id": lambda w, x, r: x.task_state.pk,
    "task_id": lambda w, x, r: x.task_state.task_id,
    "action_name": lambda w, x, r: "approve",
    "collection_id": lambda w, x, r: Collection.get_first_root_node().pk,
    "redirect_id": lambda w, x, r: x.redirect.pk,
    "session_id": lambda w, x, r: 999999,
    "document_id": lambda w, x, r: 999999,
    "doc_id": lambda w, x, r: 999999,
    "image_id": lambda w, x, r: 999999,
    "uploaded_file_id": lambda w, x, r: 999999,
    "uidb64": lambda w, x, r: "MQ",
    "token": lambda w, x, r: "not-a-token",
    "filter_spec": lambda w, x, r: "original",
}

# Patterns walked another way: the page API's actions (one URL each, below) and the bulk
# actions (one URL per registered action, below).
WALKED_APART = {"wagtailadmin_api:pages:action", "wagtail_bulk_action"}


def admin_targets(world, extra) -> tuple[dict[str, str], list[str]]:
    """label -> URL for every URL pattern of Wagtail's admin; and the patterns whose arguments
    `ARGUMENTS` cannot fill in."""
    targets, unbuildable = {}, []
    for pattern in walk.resolver_patterns():
        if not pattern.route.startswith("admin/") or pattern.ours or not pattern.name:
            continue
        if pattern.name in WALKED_APART | DELIBERATE_ERRORS:
            continue
        try:
            kwargs = {
                name: ARGUMENTS[name](world, extra, pattern.route) for name in pattern.arguments
            }
            url = reverse(pattern.name, kwargs=kwargs)
        except Exception:
            unbuildable.append(f"{pattern.route} ({', '.join(pattern.arguments)})")
            continue
        targets[f"{pattern.name} {url}"] = url
    page = world.open_consultation.pk
    for action in PagesAdminAPIViewSet.actions:
        url = reverse("wagtailadmin_api:pages:action", args=[page, action])
        targets[f"page API {action}"] = url
    bulk_action_registry.get_bulk_actions_for_model("wagtailcore", "page")  # registers them
    for app_label, models in bulk_action_registry.actions.items():
        for model_name, actions in models.items():
            chosen = object_of(world, apps.get_model(app_label, model_name))
            for action in actions:
                url = reverse("wagtail_bulk_action", args=[app_label, model_name, action])
                if chosen is not None:
                    url += f"?id={chosen.pk}"
                targets[f"bulk {app_label}.{model_name} {action}"] = url
    return targets, unbuildable


def walk_targets(world) -> dict[str, str]:
    """label -> URL for every URL the authorisation walk visits."""
    targets, _ = walk.resolver_targets(world, SAMPLE_URLS)
    targets.update(walk.page_targets(world))
    for group in sorted(walk.wagtail_admin_groups()):
        if group in ADMIN_SAMPLES:
            targets.update(ADMIN_SAMPLES[group](world))
    return targets


def all_targets(world, extra) -> dict[str, str]:
    targets = walk_targets(world)
    more, _ = admin_targets(world, extra)
    for label, url in more.items():
        if url not in targets.values():
            targets[label] = url
    return targets


# Known-good bodies: the forms a page shows


@dataclass
class Form:
    method: str
    action: str
    fields: list = field(default_factory=list)  # (name, value)
    checkboxes: dict = field(default_factory=dict)  # name -> [(value, checked)]
    buttons: list = field(default_factory=list)  # (name, value)


class FormReader(HTMLParser):
    """The forms of a page, with the values a browser would send for each."""

    TEXT_INPUTS = {"text", "hidden", "email", "number", "date", "datetime-local", "time"}
    TEXT_INPUTS |= {"password", "url", "tel", "search", "color", "range", "month", "week"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: list | None = None
        self.select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = Form((attrs.get("method") or "get").lower(), attrs.get("action") or "")
            self.forms.append(self.form)
            return
        if self.form is not None and attrs.get("data-controller") == "w-block" and attrs.get("id"):
            # A StreamField, drawn by JavaScript: send it empty.
            self.form.fields.append((f"{attrs['id']}-count", "0"))
            return
        name = attrs.get("name")
        if self.form is None or not name or name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            value = attrs.get("value") or ""
            if kind in ("checkbox", "radio"):
                choices = self.form.checkboxes.setdefault(name, [])
                choices.append((value or "on", "checked" in attrs))
            elif kind in ("submit", "image"):
                self.form.buttons.append((name, value))
            elif kind in self.TEXT_INPUTS:
                self.form.fields.append((name, value))
        elif tag == "button" and (attrs.get("type") or "submit") == "submit":
            self.form.buttons.append((name, attrs.get("value") or ""))
        elif tag == "textarea":
            self.textarea = [name, ""]
        elif tag == "select":
            self.select = {"name": name, "options": [], "selected": []}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.select["options"].append(value)
            if "selected" in attrs:
                self.select["selected"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            if self.form is not None:
                self.form.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            if self.form is not None:
                chosen = (
                    self.select["selected"]
                    or [option for option in self.select["options"] if option][:1]
                )
                self.form.fields.append((self.select["name"], chosen[0] if chosen else ""))
            self.select = None


def form_bodies(html: str, url: str) -> list[dict]:
    """A body for each submit button of each POST form of the page that posts back to `url`."""
    reader = FormReader()
    reader.feed(html)
    bodies = []
    path = urlsplit(url).path
    for form in reader.forms:
        action = urlsplit(form.action)
        if form.method != "post" or (action.path and action.path != path):
            continue
        body = {}
        for name, value in form.fields:
            body.setdefault(name, value)
        for name, choices in form.checkboxes.items():
            checked = [value for value, on in choices if on]
            body[name] = checked or [choices[0][0]]
        for name, value in form.buttons or [(None, None)]:
            bodies.append({**body, name: value} if name else dict(body))
    return bodies


def _single(value):
    return value[0] if isinstance(value, list) and value else value


# Malformed bodies


def other_pcn_ids(world) -> dict[str, str]:
    """The id of PCN B's object, by the name of a field that takes one."""
    idea = world.ideas["other_pcn"]
    return {
        "posts": f"idea-{idea.pk}",
        "ideas": str(idea.pk),
        "quote_idea": str(idea.pk),
        "theme": str(world.other_theme.pk),
        "themes": str(world.other_theme.pk),
        "into": str(world.other_theme.pk),
        "letters": str(world.other_letter.pk),
        "neighbourhood": str(world.other_consultation.neighbourhoods.first().pk),
        "pcn": str(world.other_home.pcn_id),
        "user": str(world.people["other_moderator"].pk),
        "id": str(world.other_consultation.pk),
    }


def malformed_values(name: str, other_pcn: dict) -> tuple:
    return (*MALFORMED, other_pcn.get(name, other_pcn["id"]))


def at_once(body: dict, values) -> list[dict]:
    """The body with every field set to each value in turn."""
    return [dict.fromkeys(body, value) for value in values if body]


def repeated(body: dict) -> dict:
    return {name: [_single(value), "abc"] for name, value in body.items()}


def every_malformation(bodies: list[dict], other_pcn: dict) -> list[dict]:
    """For our own handlers: each known-good body, each malformed value in all its fields at
    once, and its keys repeated; each field (by name, over all the bodies) left out, and set
    to each malformed value, one at a time."""
    sent, done = [], set()
    for body in bodies:
        sent.append(body)
        sent += at_once(body, MALFORMED)
        sent += [{name: other_pcn.get(name, other_pcn["id"]) for name in body}, repeated(body)]
        for index, name in enumerate(body):
            if name in done:
                continue
            done.add(name)
            sent.append({k: v for k, v in body.items() if k != name})
            values = malformed_values(name, other_pcn)
            if len(body) > EVERY_VALUE_UP_TO:
                values = [values[(index + turn) % len(values)] for turn in range(VALUES_PER_FIELD)]
            sent += [{**body, name: value} for value in values]
    return sent


def some_malformations(body: dict, other_pcn: dict) -> list[dict]:
    """For Wagtail's and allauth's handlers: the known-good body, the malformed values most
    likely to break a parser in all its fields at once, and its keys repeated."""
    other = {name: other_pcn.get(name, other_pcn["id"]) for name in body}
    return [body, *at_once(body, ("abc", "", "a\x00b", TOO_LARGE)), other, repeated(body)]


# Requests


class Browser:
    """One role's browser: signed in once; every request starts from the same cookies and is
    rolled back, so each sees the same world."""

    def __init__(self, world, role):
        self.role = role
        self.client = Client(raise_request_exception=False)
        user = world.people[role]
        if not isinstance(user, AnonymousUser):
            self.client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
        self.cookies = deepcopy(self.client.cookies)
        self.sent = 0

    def request(self, method, url, data=None, **extra):
        cache.clear()  # rate limits and cached pages
        self.client.cookies = deepcopy(self.cookies)
        with transaction.atomic():
            response = getattr(self.client, method)(url, data if data is not None else {}, **extra)
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            transaction.set_rollback(True)
        self.sent += 1
        return response, content


def failed(response) -> bool:
    return response.status_code >= 500 or response.exc_info is not None


def describe(method, label, url, data, response) -> str:
    def short(value):
        if isinstance(value, list):
            return [short(item) for item in value]
        return value if len(value) <= 24 else f"{value[:12]}…({len(value)} characters)"

    shown = short(data) if isinstance(data, str) else {k: short(v) for k, v in data.items()}
    error = response.exc_info[1] if response.exc_info else None
    return f"{method} {label} ({url}) {shown!r}: {response.status_code} {error!r}"[:600]


REFUSED = {"in", "adm", "no", "403", "404"}


def walk_body(label, world) -> dict:
    body = post_body(label, world)
    return {k: [str(x) for x in v] if isinstance(v, list) else str(v) for k, v in body.items()}


def page_bodies(browser, url) -> list[dict]:
    """A body for each form (and submit button) of the page the role gets at `url`."""
    response, content = browser.request("get", url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    return form_bodies(content.decode("utf-8", "replace"), url)


def view_of(label, match) -> tuple:
    """What runs for a URL: a page route by its name, any other URL by its view, its URL's
    name without the namespace (the same view for each snippet model is walked once) and
    the action, for Wagtail's page API and bulk actions."""
    if match.url_name == "wagtail_serve":
        return ("page", label.split(" [")[0])
    return (
        match._func_path,
        match.url_name,  # Wagtail routes several page screens through one function
        match.kwargs.get("action_name"),
        match.kwargs.get("action"),
    )


def is_ours(view) -> bool:
    return view[0] == "page" or view[0].split(".")[0] in walk.OUR_APPS


def walk_url(browser, label, url, world, other_pcn, failures, counts, seen):
    """Send one URL its malformed bodies, as many as it deserves:

    - a view class with no post(): none (Django answers 405 without reading the body);
    - a role that Wagtail or allauth refuse: nothing more (their permission checks come first);
    - a role our own handler refuses, or a view already walked through another URL (a snippet
      screen of another model, a page route for a post in another state): the empty body and
      two malformed values in every field at once;
    - our own handlers: `every_malformation` of every form the page shows (as the admin,
      `some_malformations`: the PCN's own roles get every one);
    - Wagtail's and allauth's: `some_malformations` of the page's first form.
    """
    match = resolve(urlsplit(url).path)
    view_class = getattr(match.func, "view_class", None)
    if view_class is not None and not hasattr(view_class, "post"):
        return
    known = walk_body(label, world)
    sends = []

    def send(data):
        if isinstance(data, str):
            response, _ = browser.request("post", url, data, content_type="application/json")
        else:
            response, _ = browser.request("post", url, data)
        if failed(response):
            failures.append(describe("POST", label, url, data, response))
        return response

    first = send(known)
    if first.status_code == 405:
        return
    counts["targets"] += 1
    view = view_of(label, match)
    if walk.outcome(first) in REFUSED and not is_ours(view):
        counts["refused"] += 1  # by Wagtail's or allauth's permission checks, before any body
    elif walk.outcome(first) in REFUSED or view in seen:
        counts["briefly"] += 1
        sends = [{}, *at_once(known, ("abc", TOO_LARGE))]
    else:
        bodies = [body for body in page_bodies(browser, url) if body != known]
        if is_ours(view) and browser.role != "admin":
            counts["every malformation"] += 1
            sends = [{}, *every_malformation([known, *bodies][:MAX_BODIES_PER_URL], other_pcn)]
        else:
            counts["some malformations"] += 1
            sends = [{}, *some_malformations(bodies[0] if bodies else known, other_pcn)]
        if url.startswith("/admin/api/"):
            sends.append('{"broken": ')
    seen.add(view)
    sent = {repr(known)}
    for data in sends:
        if repr(data) not in sent:
            sent.add(repr(data))
            send(data)


def _shard(targets: dict, shard: int) -> list[tuple[str, str]]:
    """The targets of one shard: every URL of a view in the same shard, so that the view is
    walked in full once and briefly through its other URLs."""
    views = sorted(
        {view_of(label, resolve(urlsplit(url).path)) for label, url in targets.items()}, key=repr
    )
    mine = {view for index, view in enumerate(views) if index % SHARDS == shard}
    return [
        (label, url)
        for label, url in sorted(targets.items())
        if view_of(label, resolve(urlsplit(url).path)) in mine
    ]


def _report(role, failures, counts, started, browser):
    counts["requests"] = browser.sent
    counts["seconds"] = round(time.monotonic() - started, 1)
    print(f"\n{role}: {counts}")  # shown with -s: what the walk covered, and how long it took
    assert not failures, f"As {role}, {len(failures)} answers of 500 or more:\n  " + "\n  ".join(
        failures[:60]
    )


@pytest.fixture
def extra(world):
    return admin_objects(world)


def test_every_admin_url_pattern_can_be_walked(world, extra):
    _, unbuildable = admin_targets(world, extra)
    assert not unbuildable, (
        "Wagtail admin URL patterns whose arguments ARGUMENTS cannot fill in (add them in "
        "tests/authz/test_malformed_posts.py):\n  " + "\n  ".join(unbuildable)
    )


@pytest.mark.parametrize("shard", range(SHARDS))
@pytest.mark.parametrize("role", PUBLIC_ROLES)
def test_malformed_posts_never_fail(world, extra, role, shard):
    started = time.monotonic()
    targets = all_targets(world, extra)
    if role not in ADMIN_ROLES:
        targets = {k: v for k, v in targets.items() if not v.startswith("/admin/")}
    browser = Browser(world, role)
    other_pcn = other_pcn_ids(world)
    failures, seen = [], set()
    counts = dict.fromkeys(
        ("targets", "every malformation", "some malformations", "briefly", "refused"), 0
    )
    for label, url in _shard(targets, shard):
        walk_url(browser, label, url, world, other_pcn, failures, counts, seen)
    _report(role, failures, counts, started, browser)


# Searching: what people type into the admin's search boxes and the page chooser's

# FTS5 query syntax (SQLite's full-text search), and a NUL byte.
SEARCH_SYNTAX = (
    '"',
    'x"y',
    "*",
    "a*",
    "(",
    "a OR",
    "NEAR(a b)",
    "-a",
    "a:b",
    "^a",
    "it's",
    "a\x00b",
)
# All of it in one search, for every search screen after the first of its view.
ALL_AT_ONCE = "x\"y (a OR b) NEAR(c d) -e f:g ^h * it's a\x00b"


def has_search_box(content: bytes) -> bool:
    return b'name="q"' in content or b'name=\\"q\\"' in content  # in a modal's JSON too


def search(browser, label, url, text, failures):
    response, _ = browser.request("get", url, {"q": text})
    if failed(response):
        failures.append(describe("GET", label, url, {"q": text}, response))


def test_search_syntax_in_the_admins_searches_never_fails(world, extra):
    """As the admin, every screen of the admin with a search box (one URL per URL name): each
    piece of FTS syntax on the first screen of each view, and all of it at once and a plain
    word on the others (a snippet listing of another model searches other fields)."""
    started = time.monotonic()
    browser = Browser(world, "admin")
    screens = {}
    for label, url in sorted(all_targets(world, extra).items()):
        if url.startswith("/admin/") and "/bulk/" not in url:
            screens.setdefault(resolve(urlsplit(url).path).view_name, (label, url))
    failures, searched, views = [], [], set()
    for label, url in screens.values():
        response, content = browser.request("get", url)
        if response.status_code != 200 or not has_search_box(content):
            continue
        searched.append(label)
        view = view_of(label, resolve(urlsplit(url).path))
        for text in (ALL_AT_ONCE, "riverside") if view in views else SEARCH_SYNTAX:
            search(browser, label, url, text, failures)
        views.add(view)
    # Each kind of search box was found (a view keeps the first of its labels, in order).
    # (the page chooser has its own test below, as the roles who use it)
    for kind in ("admin explore", "admin neighbourhood list"):
        assert any(label.startswith(kind) for label in searched), (kind, sorted(searched))
    _report("admin", failures, {"search screens": len(searched)}, started, browser)


@pytest.mark.parametrize("role", ("moderator", "staff"))
def test_search_syntax_in_the_page_chooser_never_fails(world, role):
    """The page chooser and the page explorer, as the roles who pick pages in the editor."""
    started = time.monotonic()
    browser = Browser(world, role)
    failures = []
    screens = {
        "page chooser search": reverse("wagtailadmin_choose_page_search"),
        "page chooser": reverse("wagtailadmin_choose_page"),
        "page search": reverse("wagtailadmin_pages:search"),
        "explore this PCN": reverse("wagtailadmin_explore", args=[world.home.pk]),
    }
    for label, url in screens.items():
        for text in SEARCH_SYNTAX:
            search(browser, label, url, text, failures)
    _report(role, failures, {"search screens": len(screens)}, started, browser)


# Query strings: what our own screens read from the URL

# Read by hand from request.GET by our views (pagination, a reply, letters to print).
QUERY_PARAMETERS = ("p", "page", "comments", "reply_to", "unthemed", "letters", "next", "q")


def query_parameters(content: bytes) -> list[str]:
    """The fields of the page's GET forms (filters, searches) and the parameters our views
    read by hand."""
    reader = FormReader()
    reader.feed(content.decode("utf-8", "replace"))
    names = [name for form in reader.forms if form.method == "get" for name, _ in form.fields]
    names += [name for form in reader.forms if form.method == "get" for name in form.checkboxes]
    return list(dict.fromkeys([*names, *QUERY_PARAMETERS]))


@pytest.mark.parametrize("role", ("resident", "moderator"))
def test_malformed_query_strings_on_our_screens_never_fail(world, role):
    """Each of our own screens (one URL per view), the admin's as a moderator and the site's
    as a resident, with all its parameters set to each malformed value at once."""
    started = time.monotonic()
    browser = Browser(world, role)
    other_pcn = other_pcn_ids(world)
    failures, seen, screens = [], set(), 0
    for label, url in sorted(walk_targets(world).items()):
        view = view_of(label, resolve(urlsplit(url).path))
        in_admin = url.startswith("/admin/")
        if not is_ours(view) or view in seen or in_admin != (role == "moderator"):
            continue
        response, content = browser.request("get", url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        seen.add(view)
        screens += 1
        names = query_parameters(content)
        queries = [dict.fromkeys(names, value) for value in MALFORMED]
        queries.append({name: other_pcn.get(name, other_pcn["id"]) for name in names})
        for query in queries:
            response, _ = browser.request("get", url, query)
            if failed(response):
                failures.append(describe("GET", label, url, query, response))
    _report(role, failures, {"screens": screens}, started, browser)


# Parameters Wagtail's admin screens read from the query string: pagination, ordering, the
# choosers' options, the bulk actions' ids, filters.
WAGTAIL_QUERY_PARAMETERS = (
    "p",
    "ordering",
    "id",
    "parent_page_id",
    "page_type",
    "locale",
    "collection_id",
    "content_type",
    "multiple",
    "can_choose_root",
    "user_perms",
    "allow_external_link",
    "link_text",
    "url",
    "next",
    "q",
)


def test_malformed_query_strings_on_the_admins_screens_never_fail(world, extra):
    """As the admin, one URL per view of Wagtail's admin, with every parameter it reads set
    to "abc", then to a number beyond 64 bits, at once."""
    started = time.monotonic()
    browser = Browser(world, "admin")
    failures, seen = [], set()
    for label, url in sorted(all_targets(world, extra).items()):
        view = view_of(label, resolve(urlsplit(url).path))
        if not url.startswith("/admin/") or is_ours(view) or view in seen:
            continue
        seen.add(view)
        for value in ("abc", TOO_LARGE):
            query = dict.fromkeys(WAGTAIL_QUERY_PARAMETERS, value)
            response, _ = browser.request("get", urlsplit(url).path, query)
            if failed(response):
                failures.append(describe("GET", label, url, query, response))
    _report("admin", failures, {"screens": len(seen)}, started, browser)
