"""Taking part without an account: a consultation, and reading the confirmation email."""

import re

import pytest
from django.core import mail

from consultations.models import ModerationMode
from consultations.services import no_account as services
from tests.factories import make_consultation

LINK = re.compile(r"https?://\S+/take-part/confirm/(?P<token>[^/\s]+)/")
CODE = re.compile(r"^(?P<code>\d{6})$", re.MULTILINE)


@pytest.fixture
def consultation(open_consultation):
    return open_consultation


@pytest.fixture
def post_moderated(consultation_index):
    return make_consultation(
        consultation_index, phase="open", moderation_mode=ModerationMode.POST, title="Post-mod"
    )


def confirmation_sent(index: int = -1) -> tuple[str, str, mail.EmailMessage]:
    """(token, code, message) of a confirmation email sent (the last by default)."""
    messages = [m for m in mail.outbox if "Confirm your email address" in m.subject]
    assert messages, "no confirmation email was sent"
    message = messages[index]
    return LINK.search(message.body)["token"], CODE.search(message.body)["code"], message


def send_idea(consultation, *, email="sam@example.org", client="203.0.113.7", **fields):
    values = {
        "title": "Evening appointments",
        "body": "Open until 8pm on Tuesdays.",
        "neighbourhood": consultation.neighbourhoods.order_by("name").first(),
    }
    values.update(fields)
    return services.no_account_post_send(
        consultation=consultation, user=None, email=email, client_address=client, **values
    )


def send_comment(idea, *, email="sam@example.org", client="203.0.113.7", body="I agree."):
    return services.no_account_post_send(
        consultation=idea.consultation,
        user=None,
        email=email,
        client_address=client,
        body=body,
        idea=idea,
    )
