"""Hostile input through the "Enter a contribution" form, checked where it is shown.

Each payload of `tests/hostile_payloads.py` goes into the title, the body, and the name and
postal address for a letter, through the admin form with the test client; then the public
idea page and the admin's list of entries are fetched and checked with the same rules as
`tests/consultations/test_hostile_input.py` (no script, event handler or dangerous address;
the text shown as text; plain text stored). A payload the form refuses comes back with the
text still in the form. One test puts every payload in one update's letters and checks the
letter list and the print view.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.test import Client
from django.utils import timezone

from consultations.models import Idea, Letter, OfflineContributor, PostStatus
from consultations.moderation import post_moderate
from tests.consultations.test_hostile_input import (
    StoredTextError,
    check_page,
    expected_refusal,
    form_value,
    idea_fields,
    payload_params,
    same_input,
    squash,
    stored_text_problems,
)
from tests.factories import UserFactory, make_consultation, make_pcn_site
from tests.hostile_payloads import PAYLOADS
from tests.loop.conftest import make_theme, make_update
from tests.offline.conftest import by_letter, enter

NAME_LIMIT = OfflineContributor._meta.get_field("name").max_length
ADDRESS_LIMIT = OfflineContributor._meta.get_field("postal_address").max_length


@dataclass
class World:
    consultation: object
    update_index: object
    moderator: object
    client: Client

    @property
    def form_url(self) -> str:
        return f"/admin/offline/new/?consultation={self.consultation.pk}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Made once per module, in a transaction rolled back when the module is done."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            home, index, updates = make_pcn_site()
            consultation = make_consultation(index, phase="open", title="Have your say")
            moderator = UserFactory(display_name="A Moderator", groups=[home.pcn.moderator_group])
            client = Client(raise_request_exception=False)
            client.force_login(moderator)
            yield World(consultation, updates, moderator, client)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def shared(world, db):
    world.client.cookies.pop("messages", None)
    return world


def contact_fields(value: str) -> tuple[str, str]:
    """The payload as the name and the address, wherever the form and service take it."""
    name = value
    if expected_refusal(value, limit=NAME_LIMIT, required=True, single_line=True):
        name = "Ann Example"
    address = value
    if expected_refusal(value, limit=ADDRESS_LIMIT, required=True):
        address = "1 High Street"
    return name, address


def form_data(world, **fields) -> dict:
    data = {
        "consultation": world.consultation.pk,
        "channel": "paper",
        "received_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "neighbourhood": "",
        "reply_by": "letter",
        "contributor_email": "",
    }
    data.update(fields)
    return data


def publish_if_held(world, idea) -> None:
    """An entry the safety check held (a payload with an email address in it) waits for a
    moderator; one publishes it, so the pages that show entries can be checked."""
    if idea.safety_holds.open().exists():
        assert idea.status == PostStatus.PENDING
        post_moderate(post=idea, moderator=world.moderator, action="approve", reason="meets_rules")
        idea.refresh_from_db()


@pytest.mark.parametrize("payload", payload_params("fields"))
def test_the_form_and_the_pages_that_show_what_was_entered(shared, payload):
    world = shared
    fields = idea_fields(payload.value)
    name, address = contact_fields(payload.value)
    if fields is None:
        typed = {"title": payload.value, "body": payload.value}
        response = world.client.post(
            world.form_url,
            form_data(world, **typed, contributor_name=name, contributor_address=address),
        )
        assert response.status_code == 400
        soup = check_page(response, "refused form", admin=True, echoes_input=True)
        assert soup.select_one("[role=alert]") is not None, "no error summary"
        for field_id, value in (("id_title", payload.value), ("id_body", payload.value)):
            shown = form_value(soup, field_id).removeprefix("\n")
            # What the browser posts back is what it was shown (a null character aside).
            if "\x00" not in value:
                assert same_input(shown, value) or same_input(shown, value.strip()), field_id
        assert not Idea.objects.filter(consultation=world.consultation).exists()
        return

    title, body = fields
    response = world.client.post(
        world.form_url,
        form_data(
            world, title=title, body=body, contributor_name=name, contributor_address=address
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    idea = Idea.objects.select_related("contributor").get(consultation=world.consultation)
    publish_if_held(world, idea)

    public = Client(raise_request_exception=False).get(  # as a visitor sees it
        world.consultation.url + world.consultation.reverse_subpage("idea-detail", args=[idea.pk])
    )
    soup = check_page(public, "idea page")
    assert soup.find("h1").get_text() == idea.title
    listing = world.client.get("/admin/offline/")
    soup = check_page(listing, "admin list of entries", admin=True)
    assert squash(idea.title) in squash(soup.get_text())

    problems = []
    for label, stored in (
        ("title", idea.title),
        ("body", idea.body),
        ("name", idea.contributor.name),
        ("address", idea.contributor.postal_address),
    ):
        problems += stored_text_problems(label, stored, payload)
    if problems:
        raise StoredTextError("\n".join(problems))


def test_an_email_address_with_a_header_in_it_is_refused(shared):
    world = shared
    response = world.client.post(
        world.form_url,
        form_data(
            world,
            title="Phone call",
            body="They rang.",
            reply_by="email",
            contributor_email="a@example.org\r\nBcc: x@example.org",
        ),
    )
    assert response.status_code == 400
    assert "Enter an email address in the right format" in response.content.decode()
    assert not OfflineContributor.objects.exists()


def test_every_payload_in_the_letters_is_shown_safely(shared, django_capture_on_commit_callbacks):
    world = shared
    theme = make_theme(world.consultation, "Everything")
    stored = []
    for payload in PAYLOADS:
        fields = idea_fields(payload.value)
        name, address = contact_fields(payload.value)
        if fields is None:
            continue
        idea = enter(
            world.consultation,
            world.moderator,
            title=fields[0],
            body=fields[1],
            **by_letter(name=name, address=address),
        )
        publish_if_held(world, idea)
        idea.themes.add(theme)
        stored.append(idea)
    with django_capture_on_commit_callbacks(execute=True):
        update = make_update(world.update_index, consultation=world.consultation, themes=[theme])
    assert Letter.objects.filter(update=update).count() == len(stored) > 90

    ticked = 0
    for number in (1, 2):  # fifty letters to a page
        listing = world.client.get(f"/admin/letters/?update={update.pk}&p={number}")
        soup = check_page(listing, "letters to print", admin=True)
        ticked += len(soup.select("input[data-bulk-action-checkbox]"))
    assert ticked == len(stored)

    printed = world.client.get(f"/admin/letters/print/{update.pk}/")
    soup = check_page(printed, "printed letters", admin=True)
    assert not soup.find_all("script")
    letters = soup.select("article.engage-letter")
    assert len(letters) == len(stored)
    for article, idea in zip(letters, stored, strict=True):
        text = squash(article.get_text(" "))
        assert squash(idea.title) in text
        address = BeautifulSoup(str(article.find("address")), "html.parser").get_text("\n")
        assert squash(idea.contributor.name) in squash(address)
