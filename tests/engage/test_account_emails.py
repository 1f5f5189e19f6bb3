"""The account emails (allauth's, in our words): plain English, and nothing an account
holder did not type themselves, such as the generated username."""

from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import UserFactory


def test_password_reset_email_is_plain_english_and_never_shows_the_username(client, db, mailoutbox):
    resident = UserFactory(username="generated-name-4471")
    client.post(reverse("account_reset_password"), {"email": resident.email})

    [message] = mailoutbox
    assert message.subject == "Engage: Reset your password"
    assert "Someone, probably you, asked to reset the password" in message.body
    assert "/accounts/password/reset/key/" in message.body
    assert "generated-name-4471" not in message.body
    assert "username" not in message.body.lower()


def test_verification_email_does_not_repeat_the_display_name_or_username(db, mailoutbox):
    """allauth's own wording names "user <display name>": text a stranger could choose."""
    resident = UserFactory(
        username="generated-name-5512", display_name="Click http://evil.example", verified=False
    )
    address = EmailAddress.objects.create(user=resident, email=resident.email, primary=True)
    request = RequestFactory().get("/")
    request.user = resident
    request.session = {}
    with request_context(request):
        address.send_confirmation(request, signup=True)

    [message] = mailoutbox
    assert message.subject == "Engage: Confirm your email address"
    assert "To confirm your email address, go to:" in message.body
    assert "/accounts/confirm-email/" in message.body
    assert "evil.example" not in message.body
    assert "generated-name-5512" not in message.body
