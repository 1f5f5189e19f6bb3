"""Hostile input in every resident text field, checked on every page that shows it.

Each payload in `tests/hostile_payloads.py` goes through the real forms, with the Django test
client, into every field a resident fills in: an idea's title and body, a comment, a reply, the
details of a report ("Something else"), and the display name (on the profile page and at
sign-up). Then every page that shows the text is fetched: the idea page, the reply page, the
report page, the edit form, the similar-ideas step, the profile page and header, the Wagtail
admin (users list and search, moderation queue, a post's moderation page), the consultation's
list of ideas and "Your contributions". Each page is checked as parsed HTML and as raw text:

- no server error;
- no `<script>` but our own (a `src` under /static/; in the Wagtail admin also its own JSON
  data blocks and date-chooser set-up);
- no event-handler attribute (`on…`) on any element;
- no `javascript:`, `data:`, `vbscript:` or protocol-relative address in a URL attribute;
- no iframe, object, embed, math, or svg other than the NHS.UK (or Wagtail) icons; on public
  pages no tag at all that our templates do not write;
- every http(s) link in resident text has rel="nofollow ugc noopener";
- what the resident typed shows as text, exactly as it was stored.

What is stored must be plain text: no markup (a `<` before a letter only where the resident
wrote it as an entity such as `&lt;`, and then it shows escaped), no null bytes, control or
bidirectional override characters: a title or a display name holding one is refused, a body
or comment loses it. A display name that passes for a role is refused. The verification email sent at sign-up carries no markup
and no injected header. Input over a field's limit (or refused for another reason) comes back
with an error summary and with what the resident typed still in the form.

The site, consultation and users are made once for the module, inside a transaction that is
rolled back at the end; each test runs in its own savepoint, so tests stay independent. The
list pages show many posts at once, so one test fills them with a post per payload (through
the same services the forms call, which the per-payload tests prove store exactly what the
forms would) and checks every post on them.
"""

import json
import math
import re
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from django.db import transaction
from django.template.defaultfilters import truncatechars
from django.test import Client
from django.urls import reverse

from consultations import services
from consultations.models import Comment, Flag, FlagReason, Idea, ModerationMode, PostStatus
from consultations.moderation import post_moderate as moderate
from engage.models import User
from engage.text import plain_text
from tests.factories import UserFactory, make_consultation, make_pcn_site
from tests.hostile_payloads import (
    BODY_LIMIT,
    COMMENT_LIMIT,
    DISPLAY_NAME_LIMIT,
    FLAG_DETAILS_LIMIT,
    PAYLOADS,
    TITLE_LIMIT,
    Payload,
)

PASSWORD = "a-long-unusual-passphrase-42"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class StoredTextError(AssertionError):
    """What was stored is not plain text: markup or forbidden characters survived."""


class ServerError(AssertionError):
    """A page answered with a server error."""


# Known bugs, by test and payload: each expects one exception type only, so any other failure
# (an unsafe page, a lost form value) still fails the test. None are known today.
KNOWN_BUGS: dict[str, dict[str, tuple[type[Exception], str]]] = {
    "fields": {},
    "signup": {},
    "similar": {},
}


def payload_params(test: str):
    unknown = set(KNOWN_BUGS[test]) - {payload.id for payload in PAYLOADS}
    assert not unknown, f"known bugs listed for payloads that do not exist: {unknown}"
    params = []
    for payload in PAYLOADS:
        marks = []
        if payload.id in KNOWN_BUGS[test]:
            exception, reason = KNOWN_BUGS[test][payload.id]
            marks.append(pytest.mark.xfail(strict=True, raises=exception, reason=reason))
        params.append(pytest.param(payload, id=payload.id, marks=marks))
    return params


# Shared data: one PCN site, one post-moderated open consultation, and signed-in clients.


@dataclass
class World:
    consultation: object
    neighbourhood: object
    author: User
    other: User
    admin: User
    shared_idea: Idea
    author_client: Client
    other_client: Client
    admin_client: Client

    def url(self, name, *args) -> str:
        return self.consultation.url + self.consultation.reverse_subpage(name, args=args)


def signed_in_client(user) -> Client:
    """A client that answers a server error with a 500 page, as a browser would see it."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Made once per module, in a transaction rolled back when the module is done."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _home, index, _updates = make_pcn_site()
            consultation = make_consultation(
                index, phase="open", moderation_mode=ModerationMode.POST, title="Have your say"
            )
            author = UserFactory(display_name="Idea Author")
            other = UserFactory(display_name="Other Resident")
            admin = UserFactory(display_name="Site Admin", is_superuser=True, is_staff=True)
            neighbourhood = consultation.neighbourhoods.order_by("name").first()
            shared_idea = services.idea_submit(
                consultation=consultation,
                author=UserFactory(display_name="Early Bird"),
                title="Evening appointments for working parents",
                body="Please open the surgery until 8pm on weekdays.",
                neighbourhood=neighbourhood,
            )
            yield World(
                consultation,
                neighbourhood,
                author,
                other,
                admin,
                shared_idea,
                *(signed_in_client(user) for user in (author, other, admin)),
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def shared(world, db):
    """The shared world as the module made it (each test's changes are rolled back)."""
    for user in (world.author, world.other, world.admin):
        user.refresh_from_db()
    for client in (world.author_client, world.other_client, world.admin_client):
        client.cookies.pop("messages", None)  # a flash message left by another test
    return world


# What a page may contain.


# Every tag our public templates write; user text can never add to these (it is escaped).
PUBLIC_TAGS = _words(
    "html head meta title link body script a span div header nav ul ol li form input button "
    "svg path main h1 h2 h3 p dl dt dd strong em footer label textarea select option fieldset "
    "legend time article section br mark q"
)
URL_ATTRIBUTES = _words(
    "href src action formaction xlink:href data poster background srcset ping cite longdesc "
    "codebase manifest icon dynsrc lowsrc"
)
FORBIDDEN_ELEMENTS = _words("iframe frame frameset object embed applet math base portal")
DANGEROUS_URL_STARTS = ("javascript:", "data:", "vbscript:", "//", "/\\", "\\")
RESIDENT_LINK_REL = ["nofollow", "ugc", "noopener"]
# What a browser ignores in a URL's scheme: whitespace, controls and invisible characters.
_IGNORED_IN_URLS = re.compile(
    "[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
# Never to be stored nor shown: controls (but tab and newline), bidi controls, byte-order mark.
_FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]"
)
_MARKUP = re.compile(r"<[A-Za-z/!?]")
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);?", re.IGNORECASE)
_RAW_TAG = re.compile(r"</?([A-Za-z][^\s/>]*)")
_HTTP = re.compile(r"^\s*https?:", re.IGNORECASE)
# Wagtail's own inline scripts on its listings (the date filters).
_WAGTAIL_INLINE_SCRIPT = re.compile(r'^initDateChooser\("id_\w+", \{[^<>]*\}\);$')
_GRAVATAR = re.compile(r"^//www\.gravatar\.com/avatar/[0-9a-f]+\?[\w=&;]*$")


def _url_problem(value: str) -> str | None:
    compact = _IGNORED_IN_URLS.sub("", value).lower()
    for start in DANGEROUS_URL_STARTS:
        if compact.startswith(start):
            return f"starts with {start!r}"
    return None


def _admin_script_is_wagtails(script: Tag) -> bool:
    src = script.get("src")
    if src is not None:
        return src.startswith("/static/wagtail") or src == reverse(
            "wagtailadmin_javascript_catalog"
        )
    text = script.string or ""
    if script.get("type") == "application/json":
        try:
            json.loads(text)
        except ValueError:
            return False
        return True
    return bool(_WAGTAIL_INLINE_SCRIPT.match(text.strip()))


def _svg_allowed(svg: Tag, *, admin: bool) -> bool:
    classes = svg.get("class") or []
    if admin:
        return "icon" in classes
    return any(name.startswith("nhsuk-") for name in classes)


def _element_problems(element: Tag, *, admin: bool) -> list[str]:
    problems = []
    name = element.name.lower()
    for attribute, value in element.attrs.items():
        attribute = attribute.lower()
        if attribute.startswith("on"):
            problems.append(f"<{name}> has an event handler {attribute}={value!r}")
        if attribute == "srcdoc":
            problems.append(f"<{name}> has srcdoc")
        if attribute in URL_ATTRIBUTES and isinstance(value, str):
            if admin and name == "img" and attribute == "src" and _GRAVATAR.match(value):
                continue  # Wagtail's own avatars
            if problem := _url_problem(value):
                problems.append(f"<{name} {attribute}={value[:80]!r}> {problem}")
        if not admin and attribute in {"style", "http-equiv"}:
            problems.append(f"<{name}> has a {attribute} attribute")
    if name in FORBIDDEN_ELEMENTS:
        problems.append(f"a <{name}> element")
    if name == "svg" and not _svg_allowed(element, admin=admin):
        problems.append(f"an <svg> that is not one of our icons: {str(element)[:100]}")
    if name == "script":
        if admin:
            if not _admin_script_is_wagtails(element):
                problems.append(f"a script that is not Wagtail's own: {str(element)[:100]}")
        elif not (element.get("src") or "").startswith("/static/"):
            problems.append(f"a script that is not ours: {str(element)[:100]}")
    if not admin:
        if name == "style":
            problems.append("a <style> element")
        if name == "link" and not element.get("href", "").startswith("/static/"):
            problems.append(f"a <link> to {element.get('href')!r}")
        if name == "form":
            action = element.get("action")
            if action is not None and not (action.startswith("/") and not action.startswith("//")):
                problems.append(f"a form posting to {action!r}")
        if name == "a" and _HTTP.match(element.get("href", "")):
            href = element["href"]
            if element.get("rel") != RESIDENT_LINK_REL:
                problems.append(f"link {href[:80]!r} has rel={element.get('rel')!r}")
            if set(element.attrs) != {"href", "rel"}:
                problems.append(f"link {href[:80]!r} has attributes {sorted(element.attrs)}")
            if re.search(r"[\s\"'<>`]", href):
                problems.append(f"link {href[:80]!r} holds a quote, space or bracket")
    return problems


def check_page(response, where: str, *, admin: bool = False, echoes_input: bool = False):
    """Assert the page is safe, whatever user text it shows; return the parsed page.

    `echoes_input`: the page repeats what was just typed into a form (or a search), which may
    hold characters we never store; the character check on the raw HTML is then skipped.
    """
    if response.status_code >= 500:
        raise ServerError(f"{where}: server error {response.status_code}")
    raw = response.content.decode()
    soup = BeautifulSoup(raw, "html.parser")
    problems = []

    # The raw HTML, whatever a parser makes of it.
    raw_scripts = len(re.findall(r"<script\b", raw, re.IGNORECASE))
    if raw_scripts != len(soup.find_all("script")):
        problems.append(f"{raw_scripts} '<script' in the raw HTML, the parser sees otherwise")
    if not admin:
        unexpected = {m.group(1).lower() for m in _RAW_TAG.finditer(raw)} - PUBLIC_TAGS
        if unexpected:
            problems.append(f"raw HTML has tags our templates never write: {sorted(unexpected)}")
        declarations = re.findall(r"<[!?][^>]*>?", raw)
        if declarations != ["<!DOCTYPE html>"]:
            problems.append(f"unexpected declarations or comments: {declarations[:5]}")
    if not echoes_input and (found := _FORBIDDEN_CHARACTERS.search(raw)):
        problems.append(f"raw HTML holds the character {found.group(0)!r}")

    for element in soup.find_all(True):
        problems += _element_problems(element, admin=admin)
    assert not problems, f"{where}:\n  " + "\n  ".join(problems)
    return soup


# Reading text back out of a page.


def squash(text: str) -> str:
    return " ".join(text.split())


def same_input(shown: str, typed: str) -> bool:
    """A form value repeated back: the same text, whatever the line endings."""

    def normal(value):
        return value.replace("\r\n", "\n").replace("\r", "\n")

    return normal(shown) == normal(typed)


def has_class(element: Tag, name: str) -> bool:
    return name in (element.get("class") or [])


def resident_text(paragraphs) -> str:
    """The text that `|resident_text` rendered, with each link written as its address.

    Also checks its structure: paragraphs of text, line breaks and links, and nothing else.
    """
    assert paragraphs, "no resident text found"
    rendered = []
    for paragraph in paragraphs:
        lines = [""]
        for node in paragraph.children:
            if isinstance(node, NavigableString):
                lines[-1] += str(node)
            elif node.name == "br":
                lines.append("")
            elif node.name == "a":
                assert node.get("rel") == RESIDENT_LINK_REL, node
                assert re.match(r"https?://", node["href"], re.IGNORECASE), node
                lines[-1] += node["href"]
            else:
                raise AssertionError(f"unexpected <{node.name}> in resident text: {node}")
        rendered.append("\n".join(lines))
    return "\n\n".join(rendered)


def header_name(soup) -> str:
    link = soup.find("a", class_="nhsuk-header__account-link", href=reverse("account_profile"))
    assert link is not None, "no account link in the header"
    return str(link.contents[0])


def error_summary(soup, where: str) -> Tag:
    summary = soup.find(class_="nhsuk-error-summary")
    assert summary is not None, f"{where}: no error summary"
    assert summary.get_text(strip=True), f"{where}: empty error summary"
    return summary


def form_value(soup, field_id: str) -> str:
    field = soup.find(id=field_id)
    assert field is not None, f"no #{field_id}"
    return field.get_text() if field.name == "textarea" else field.get("value", "")


def main_strong(soup) -> str:
    return soup.find("main").find("strong").get_text()


# What must be refused, and what must be stored.


def form_refusal(value: str, *, limit: int, required: bool):
    """Why the form itself must refuse `value`, or None if the form accepts it."""
    stripped = value.strip()  # Django's CharField strips before it checks
    if "\x00" in value:
        return "null character"
    if required and not stripped:
        return "required"
    if len(stripped) > limit:
        return "too long"
    return None


# What a one-line field refuses (a title, a name): control characters, tabs and line breaks,
# and the bidirectional controls and marks. Multi-line text loses them instead.
_REFUSED_ON_ONE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]"
)
# Display names that pass for a role ("admin", "NHS", "nurses"), however they are written.
DISPLAY_NAMES_CLAIMING_A_ROLE = {
    "link-https-plain",
    "malformed-less-than-in-prose",
    "unicode-cyrillic-admin",
    "unicode-cyrillic-nhs-link",
    "unicode-fullwidth",
}
_CLAIMING_A_ROLE = {p.value for p in PAYLOADS if p.id in DISPLAY_NAMES_CLAIMING_A_ROLE}


def expected_refusal(value: str, *, limit: int, required: bool, single_line: bool = False):
    """Why the form or the service behind it must refuse `value`, or None to accept it."""
    if refusal := form_refusal(value, limit=limit, required=required):
        return refusal
    stored = plain_text(value, single_line=single_line)
    if required and not stored:
        return "nothing left once markup is removed"
    if single_line and _REFUSED_ON_ONE_LINE.search(stored):
        return "a control, line-break or direction character"
    return None


def title_refusal(value):
    return expected_refusal(value, limit=TITLE_LIMIT, required=True, single_line=True)


def body_refusal(value):
    return expected_refusal(value, limit=BODY_LIMIT, required=True)


def comment_refusal(value):
    return expected_refusal(value, limit=COMMENT_LIMIT, required=True)


def details_refusal(value):
    return expected_refusal(value, limit=FLAG_DETAILS_LIMIT, required=True)


def display_name_refusal(value):
    if refusal := expected_refusal(
        value, limit=DISPLAY_NAME_LIMIT, required=False, single_line=True
    ):
        return refusal
    if value in _CLAIMING_A_ROLE:
        return "claims a role"
    return None


def assert_refused(response, soup, *, where: str, fields: dict[str, str], refused: list[str]):
    """Refused with a 200 and an error summary; each `refused` field has its error message,
    and every one of `fields` still holds what was typed."""
    assert response.status_code == 200, f"{where}: expected the form again, got {response}"
    summary = error_summary(soup, where)
    for field_id in refused:
        assert soup.find(id=f"{field_id}-error") is not None, f"{where}: no error at #{field_id}"
        assert summary.find("a", href=f"#{field_id}") is not None, f"{where}: not in the summary"
    for field_id, typed in fields.items():
        assert same_input(form_value(soup, field_id), typed), f"{where}: #{field_id} lost the text"


def stored_text_problems(label: str, stored: str, payload: Payload) -> list[str]:
    problems = []
    if _MARKUP.search(stored) and not _ENTITY.search(payload.value):
        problems.append(f"{label} stored with markup: {stored[:120]!r}")
    if found := _FORBIDDEN_CHARACTERS.search(stored):
        problems.append(f"{label} stored with the character {found.group(0)!r}")
    return problems


def assert_escaped_if_markup(raw: str, stored: str, where: str):
    """Text that looks like markup (decoded from an entity) must show escaped."""
    if _MARKUP.search(stored):
        assert "&lt;" in raw, f"{where}: {stored[:60]!r} is not shown escaped"


def post_through_safety(client, url: str, data: dict, where: str):
    """Post, and when the safety panel shows (a payload holding an email address, say),
    check that the panel shows the text escaped, then send it anyway as a resident may."""
    response = client.post(url, data)
    if response.status_code == 200 and b'name="send_anyway"' in response.content:
        soup = check_page(response, f"{where}, safety panel", echoes_input=True)
        seen = soup.find("input", attrs={"name": "safety_seen"})["value"]
        response = client.post(url, {**data, "send_anyway": "1", "safety_seen": seen})
    return response


def publish_if_held(world, post) -> None:
    """A post the safety check held is published by a moderator, so the walk can show it."""
    if post.safety_holds.open().exists():
        assert post.status == PostStatus.PENDING
        moderate(post=post, moderator=world.admin, action="approve", reason="meets_rules")
        post.refresh_from_db()


def idea_data(world, *, title: str, body: str, confirm: bool = True) -> dict:
    data = {
        "title": title,
        "body": body,
        "neighbourhood": world.neighbourhood.pk,
        "attribution": "name",
    }
    if confirm:
        data["confirm"] = "1"
    return data


def idea_refused_fields(value: str) -> list[str]:
    """The idea form's fields that carry an error: the form's own errors first; the service's
    (nothing left once markup is removed) only once the form has accepted both fields."""
    by_form = [
        field_id
        for field_id, limit in (("id_title", TITLE_LIMIT), ("id_body", BODY_LIMIT))
        if form_refusal(value, limit=limit, required=True)
    ]
    if by_form:
        return by_form
    refusals = (("id_title", title_refusal(value)), ("id_body", body_refusal(value)))
    return [field_id for field_id, refusal in refusals if refusal]


def idea_fields(value: str) -> tuple[str, str] | None:
    """The title and body to post for a payload: the payload wherever the form takes it."""
    if not title_refusal(value) and not body_refusal(value):
        return value, value
    if not body_refusal(value):
        return "An idea with a hostile body", value
    if not title_refusal(value):
        return value, "A safe body for a hostile title."
    return None


# The tests.


def test_payload_list_is_long_and_distinct():
    assert len(PAYLOADS) >= 110
    assert len({payload.value for payload in PAYLOADS}) == len(PAYLOADS)


@pytest.mark.parametrize("payload", payload_params("fields"))
def test_every_resident_field_and_the_pages_that_show_it(shared, payload):
    world = shared
    value = payload.value
    author, other, admin = world.author_client, world.other_client, world.admin_client
    stored_problems = []

    # The display name, on the profile page.
    response = author.post(reverse("account_profile"), {"display_name": value})
    refusal = display_name_refusal(value)
    if refusal:
        soup = check_page(response, "profile form, refused", echoes_input=True)
        assert_refused(
            response,
            soup,
            where=f"display name ({refusal})",
            fields={"id_display_name": value},
            refused=["id_display_name"],
        )
    else:
        assert response.status_code == 302, f"display name refused: {response}"
    world.author.refresh_from_db()
    if not refusal:
        assert world.author.display_name == plain_text(value, single_line=True)
        stored_problems += stored_text_problems("display name", world.author.display_name, payload)
    name = world.author.public_name
    response = author.get(reverse("account_profile"))
    soup = check_page(response, "profile page")
    assert header_name(soup) == name
    assert main_strong(soup) == name
    assert form_value(soup, "id_display_name") == world.author.display_name

    # The idea's title and body, posted together; then alone whatever the form must refuse.
    response = post_through_safety(
        author, world.url("idea-create"), idea_data(world, title=value, body=value), "idea form"
    )
    if title_refusal(value) or body_refusal(value):
        soup = check_page(response, "idea form, refused", echoes_input=True)
        assert_refused(
            response,
            soup,
            where=f"idea (title: {title_refusal(value)}, body: {body_refusal(value)})",
            fields={"id_title": value, "id_body": value},
            refused=idea_refused_fields(value),
        )
        assert not Idea.objects.filter(author=world.author).exists()
        if fields := idea_fields(value):
            data = idea_data(world, title=fields[0], body=fields[1])
            response = post_through_safety(author, world.url("idea-create"), data, "idea form")
    if idea_fields(value):
        assert response.status_code == 302, f"idea refused: {response}"
        idea = Idea.objects.get(author=world.author)
        publish_if_held(world, idea)
        assert idea.status == PostStatus.PUBLISHED
        if not title_refusal(value):
            assert idea.title == plain_text(value, single_line=True)
            stored_problems += stored_text_problems("idea title", idea.title, payload)
        if not body_refusal(value):
            assert idea.body == plain_text(value)
            stored_problems += stored_text_problems("idea body", idea.body, payload)
    else:
        idea = world.shared_idea

    # A comment on the idea, by its author.
    response = post_through_safety(
        author, world.url("comment-create", idea.pk), {"body": value}, "comment form"
    )
    if comment_refusal(value):
        soup = check_page(response, "comment form, refused", echoes_input=True)
        assert_refused(
            response,
            soup,
            where=f"comment ({comment_refusal(value)})",
            fields={"id_body": value},
            refused=["id_body"],
        )
        response = author.post(world.url("comment-create", idea.pk), {"body": "A safe comment."})
    assert response.status_code == 302, f"comment refused: {response}"
    comment = Comment.objects.get(idea=idea, author=world.author)
    publish_if_held(world, comment)
    if not comment_refusal(value):
        assert comment.body == plain_text(value)
        stored_problems += stored_text_problems("comment", comment.body, payload)

    # The reply page, where another resident sees the comment they answer.
    response = other.get(world.url("comment-create", idea.pk) + f"?reply_to={comment.pk}")
    soup = check_page(response, "reply page")
    assert response.status_code == 200
    assert soup.find("span", class_="nhsuk-caption-l").get_text() == idea.title
    inset = soup.find(class_="nhsuk-inset-text")
    paragraphs = inset.find_all("p", recursive=False)
    assert squash(paragraphs[0].get_text()) == squash(f"{name} wrote:")
    assert resident_text(paragraphs[1:]) == comment.body
    assert_escaped_if_markup(response.content.decode(), comment.body, "reply page")

    # A reply to the comment, by the other resident.
    data = {"body": value, "parent": comment.pk}
    response = post_through_safety(other, world.url("comment-create", idea.pk), data, "reply form")
    reply = Comment.objects.filter(parent=comment).first()
    if reply is not None:
        publish_if_held(world, reply)
    if comment_refusal(value):
        soup = check_page(response, "reply form, refused", echoes_input=True)
        assert_refused(
            response,
            soup,
            where=f"reply ({comment_refusal(value)})",
            fields={"id_body": value},
            refused=["id_body"],
        )
        assert reply is None
    else:
        assert response.status_code == 302, f"reply refused: {response}"
        assert reply.body == plain_text(value)
        stored_problems += stored_text_problems("reply", reply.body, payload)

    # A report of the idea: "Something else", with details.
    data = {"reason": FlagReason.OTHER, "details": value}
    response = other.post(world.url("idea-flag", idea.pk), data)
    flag = Flag.objects.filter(idea=idea, reporter=world.other).first()
    if details_refusal(value):
        soup = check_page(response, "report form, refused", echoes_input=True)
        assert_refused(
            response,
            soup,
            where=f"report details ({details_refusal(value)})",
            fields={"id_details": value},
            refused=["id_details"],
        )
        assert flag is None
    else:
        assert response.status_code == 302, f"report refused: {response}"
        assert flag.details == plain_text(value)
        stored_problems += stored_text_problems("report details", flag.details, payload)

    # The report page for the comment, which quotes it.
    response = other.get(world.url("comment-flag", comment.pk))
    soup = check_page(response, "report page")
    assert response.status_code == 200
    quoted = soup.find(class_="nhsuk-inset-text").find("p").get_text()
    assert quoted == truncatechars(comment.body, 300)

    # The idea page, as another resident sees it.
    response = other.get(world.url("idea-detail", idea.pk))
    soup = check_page(response, "idea page")
    raw = response.content.decode()
    assert response.status_code == 200
    assert soup.find("h1").get_text() == idea.title
    assert soup.find("title").get_text().startswith(idea.title)
    meta = soup.find("main").find("p", class_="engage-meta")
    assert squash(f"Posted by {idea.shown_author},") in squash(meta.get_text())
    body = []
    for sibling in meta.find_next_siblings():
        if sibling.name != "p":
            break
        body.append(sibling)
    assert resident_text(body) == idea.body
    shown = soup.find(id=f"comment-{comment.pk}")
    assert shown["aria-label"] == f"Comment by {name}"
    content = shown.find(class_="nhsuk-card__content")
    paragraphs = content.find_all("p", recursive=False)
    assert squash(paragraphs[0].get_text()).startswith(squash(f"{name},"))
    assert resident_text(paragraphs[1:]) == comment.body
    actions = squash(content.find("ul").get_text())
    assert squash(f"Reply to {name}") in actions
    assert squash(f"Report this comment by {name}") in actions
    if reply is not None:
        shown = soup.find(id=f"comment-{reply.pk}")
        assert shown["aria-label"] == "Reply by Other Resident"
        paragraphs = shown.find(class_="nhsuk-card__content").find_all("p", recursive=False)
        assert resident_text(paragraphs[1:]) == reply.body
    for text in (idea.title, idea.body, comment.body, reply.body if reply else ""):
        assert_escaped_if_markup(raw, text, "idea page")

    # The edit form, with what was stored, and the author's name in the header.
    if idea.author_id == world.author.pk:
        response = author.get(world.url("idea-edit", idea.pk))
        soup = check_page(response, "edit form")
        assert response.status_code == 200
        assert header_name(soup) == name
        assert form_value(soup, "id_title") == idea.title
        assert form_value(soup, "id_body") == idea.body

    # The idea's page in the moderators' admin: its text, author and reports in full.
    response = admin.get(reverse("moderation_ideas:inspect", args=[idea.pk]))
    soup = check_page(response, "moderation page", admin=True)
    assert response.status_code == 200
    assert soup.find(id="post-heading").get_text() == idea.title
    section = soup.find(id="post-heading").find_parent("section")
    assert squash(f"Posted by {idea.shown_author} ·") in squash(section.find("p").get_text())
    assert resident_text(section.find(class_="help-block").find_all("p")) == idea.body
    if flag is not None:
        reports = soup.find(id="flags-heading").find_parent("section").find("ul").get_text()
        assert squash(f"Something else: {flag.details} (") in squash(reports)

    # Last, so that every page above is checked even for a payload with a known storage bug.
    if stored_problems:
        raise StoredTextError("\n".join(stored_problems))


@pytest.mark.parametrize("payload", payload_params("similar"))
def test_similar_ideas_step_repeats_what_was_typed_safely(shared, payload):
    """Posting without `confirm` shows similar ideas first, with the form as it was typed."""
    world = shared
    value = payload.value
    body = "Evening appointments\n\n" + value  # always like the shared idea
    data = idea_data(world, title=value, body=body, confirm=False)
    response = world.author_client.post(world.url("idea-create"), data)
    soup = check_page(response, "similar ideas step", echoes_input=True)
    assert not Idea.objects.filter(author=world.author).exists(), "posted without confirming"
    assert response.status_code == 200
    assert same_input(form_value(soup, "id_title"), value)
    assert same_input(form_value(soup, "id_body"), body)
    refused = form_refusal(value, limit=TITLE_LIMIT, required=True) or form_refusal(
        body, limit=BODY_LIMIT, required=True
    )
    if refused:
        error_summary(soup, f"similar ideas step ({refused})")
    elif services.post_check(title=value, body=body).needs_panel:
        # The safety panel comes before similar ideas, with the text as it was typed.
        assert soup.find(id="safety-check") is not None
        assert soup.find("button", attrs={"name": "send_anyway"}) is not None
    else:
        assert soup.find("h1").get_text() == "Is your idea already here?"
        offered = soup.find("a", href=world.url("idea-detail", world.shared_idea.pk))
        assert offered.get_text() == world.shared_idea.title
        assert soup.find("input", attrs={"name": "confirm"}) is not None


def test_similar_ideas_step_with_one_double_quote_in_the_title(shared):
    """An everyday title, not an attack: one double quote once made the search fail (500)."""
    world = shared
    title = 'Opening hours "8am to 8pm please'
    data = idea_data(world, title=title, body="Evening appointments would help.", confirm=False)
    response = world.author_client.post(world.url("idea-create"), data)
    soup = check_page(response, "similar ideas step", echoes_input=True)
    assert response.status_code == 200
    assert soup.find("h1").get_text() == "Is your idea already here?"
    assert form_value(soup, "id_title") == title


@pytest.mark.parametrize("payload", payload_params("signup"))
def test_display_name_at_sign_up_and_in_the_admin(shared, client, mailoutbox, payload):
    world = shared
    value = payload.value
    client.raise_request_exception = False
    email = "new.resident@example.org"
    data = {"email": email, "display_name": value, "password1": PASSWORD, "password2": PASSWORD}
    response = client.post(reverse("account_signup"), data)
    refusal = display_name_refusal(value)
    stored_problems = []
    if refusal:
        soup = check_page(response, "sign-up form, refused", echoes_input=True)
        assert_refused(
            response,
            soup,
            where=f"sign-up ({refusal})",
            fields={"id_display_name": value},
            refused=["id_display_name"],
        )
        assert not User.objects.filter(email=email).exists()
        assert mailoutbox == []
    else:
        assert response.status_code == 302, f"sign-up refused: {response}"
        user = User.objects.get(email=email)
        assert user.display_name == plain_text(value, single_line=True)
        stored_problems = stored_text_problems("display name", user.display_name, payload)

        # The verification email: plain text, to the new address only, no injected header.
        assert len(mailoutbox) == 1
        message = mailoutbox[0]
        assert message.to == [email]
        assert not message.cc and not message.bcc
        assert "\n" not in message.subject and "\r" not in message.subject
        for text in (message.subject, message.body):
            assert not _MARKUP.search(text), text
            assert not _FORBIDDEN_CHARACTERS.search(text), text
        headers = set(message.message().keys())
        assert headers <= {
            "Content-Type",
            "MIME-Version",
            "Content-Transfer-Encoding",
            "Subject",
            "From",
            "To",
            "Date",
            "Message-ID",
        }, headers
        for content, mimetype in getattr(message, "alternatives", []):
            assert mimetype == "text/html", mimetype
            html = BeautifulSoup(content, "html.parser")
            assert not html.find_all(["script", "iframe", "object", "embed", "svg", "math"])
            for element in html.find_all(True):
                assert not any(attribute.startswith("on") for attribute in element.attrs)

        # Their own profile page and header.
        client.force_login(user)
        response = client.get(reverse("account_profile"))
        soup = check_page(response, "profile page after sign-up")
        assert header_name(soup) == user.public_name
        assert main_strong(soup) == user.public_name
        assert form_value(soup, "id_display_name") == user.display_name

    # The admin's search of users, for the text itself.
    response = world.admin_client.get(reverse("wagtailusers_users:index"), {"q": value})
    soup = check_page(response, "admin users search", admin=True, echoes_input=True)
    assert response.status_code == 200
    search = soup.find("input", attrs={"name": "q"})
    assert same_input(search.get("value", ""), value)

    if stored_problems:
        raise StoredTextError("\n".join(stored_problems))


def _pages(client, url, *, count, per_page, page_param, where, params=None, admin=False):
    """Every page of a paginated list, each checked; yields the parsed pages."""
    for number in range(1, math.ceil(count / per_page) + 1):
        response = client.get(url, {**(params or {}), page_param: number})
        assert response.status_code == 200, f"{where} page {number}: {response}"
        yield check_page(response, f"{where} page {number}", admin=admin)


def test_list_pages_show_every_payload_safely(shared, settings):
    """Lists show many posts at once: one post per payload, every post checked on each list."""
    world = shared
    settings.ENGAGE_RATE_LIMITS = dict.fromkeys(("idea", "comment", "flag"), (1000, 3600))
    settings.ENGAGE_FLAGS_TO_HIDE = 1000
    ideas, comments, flags, users = {}, {}, {}, {}
    for payload in PAYLOADS:
        value = payload.value
        if fields := idea_fields(value):
            ideas[payload.id] = services.idea_submit(
                consultation=world.consultation,
                author=world.author,
                title=fields[0],
                body=fields[1],
                neighbourhood=world.neighbourhood,
                safety_seen=services.post_check(title=fields[0], body=fields[1]).fingerprint,
            )
            publish_if_held(world, ideas[payload.id])
            if not details_refusal(value):
                flags[payload.id] = services.flag_create(
                    reporter=world.other,
                    idea=ideas[payload.id],
                    reason=FlagReason.OTHER,
                    details=value,
                )
        if not comment_refusal(value):
            comments[payload.id] = services.comment_create(
                idea=world.shared_idea,
                author=world.other,
                body=value,
                safety_seen=services.post_check(body=value).fingerprint,
            )
            publish_if_held(world, comments[payload.id])
        if not display_name_refusal(value):
            # Through the profile form, by a user of its own.
            user = UserFactory(display_name="")
            client = Client()
            client.force_login(user)
            response = client.post(reverse("account_profile"), {"display_name": value})
            assert response.status_code == 302, f"{payload}: display name refused"
            users[payload.id] = User.objects.get(pk=user.pk)
    for posts in (ideas, flags, comments, users):
        assert len(posts) > len(PAYLOADS) // 2

    # The consultation's list of ideas, 20 to a page.
    cards = {}
    for soup in _pages(
        world.other_client,
        world.consultation.url,
        count=len(ideas) + 1,
        per_page=20,
        page_param="page",
        where="idea list",
    ):
        for card in soup.find_all(class_="nhsuk-card__content"):
            cards[card.find("a")["href"]] = card
    for payload_id, idea in ideas.items():
        card = cards.get(world.url("idea-detail", idea.pk))
        assert card is not None, f"{payload_id}: not in the idea list"
        assert card.find("a").get_text() == idea.title, payload_id
        description = card.find(class_="nhsuk-card__description").get_text()
        assert description == truncatechars(idea.body, 240), payload_id
        meta = squash(card.find(class_="engage-meta").get_text())
        assert meta.startswith(squash(f"{world.author.public_name},")), payload_id

    # "Your contributions", 20 to a page.
    headings = {}
    for soup in _pages(
        world.author_client,
        reverse("consultations:my-contributions"),
        count=len(ideas),
        per_page=20,
        page_param="page",
        where="your contributions",
    ):
        for heading in soup.find_all("h2", class_="nhsuk-card__heading"):
            headings[heading["id"]] = heading.get_text()
    for payload_id, idea in ideas.items():
        assert headings.get(f"idea-{idea.pk}") == idea.title, payload_id

    # The moderation queue: reported ideas, then published comments, 50 to a page.
    rows = {}
    for kind, listing, status, count in (
        ("idea", "moderation_ideas:index", "reported", len(flags)),
        ("comment", "moderation_comments:index", "published", len(comments) + 1),
    ):
        for soup in _pages(
            world.admin_client,
            reverse(listing),
            params={"status": status},
            count=count,
            per_page=50,
            page_param="p",
            where=f"moderation queue of {kind}s",
            admin=True,
        ):
            for checkbox in soup.select("input[data-bulk-action-checkbox]"):
                rows[f"{kind}-{checkbox['data-object-id']}"] = checkbox.find_parent("tr")
    for payload_id, flag in flags.items():
        idea = ideas[payload_id]
        row = rows.get(f"idea-{idea.pk}")
        assert row is not None, f"{payload_id}: reported idea not in the queue"
        assert row.find("input")["aria-describedby"] == f"idea_{idea.pk}_title", payload_id
        title = row.find(id=f"idea_{idea.pk}_title").get_text().strip()
        assert title == idea.title.strip(), payload_id
        cells = row.find_all("td")
        assert cells[2].get_text().strip() == truncatechars(idea.body, 200).strip(), payload_id
        shown = cells[6].find("div").get_text()
        assert shown == f"Something else: {truncatechars(flag.details, 80)}", payload_id
    for payload_id, comment in comments.items():
        row = rows.get(f"comment-{comment.pk}")
        assert row is not None, f"{payload_id}: comment not in the queue"
        shown = row.find(id=f"comment_{comment.pk}_title").get_text().strip()
        assert shown == truncatechars(comment.body, 80).strip(), payload_id

    # The admin's list of users, which names each in an aria-label.
    labels = []
    for soup in _pages(
        world.admin_client,
        reverse("wagtailusers_users:index"),
        count=User.objects.count(),
        per_page=20,
        page_param="p",
        where="admin users list",
        admin=True,
    ):
        labels += [element["aria-label"] for element in soup.find_all(attrs={"aria-label": True})]
    for payload_id, user in users.items():
        if user.display_name:
            assert any(f"'{user.display_name}'" in label for label in labels), payload_id
