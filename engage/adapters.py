"""allauth, adapted: its emails (verification, password reset) go out from a background task,
so a slow or failing mail server never slows or fails sign-up or a password reset."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from engage.mail import email_send_later
from engage.roles import landing


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """As allauth's own, but the rendered message is sent later by a task, once: each
        one is a new message, so its key is new."""
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        email_send_later(
            self.render_mail(template_prefix, email, full_context),
            key=f"account:{uuid.uuid4().hex}",
        )

    def get_login_redirect_url(self, request):
        """Where the person's work is (`engage.roles.landing`): a moderator's queue, staff's
        dashboard, a resident's contributions. A `next` address still wins: allauth asks
        this only when there is none."""
        found = landing(request.user)
        return found.url if found is not None else super().get_login_redirect_url(request)
