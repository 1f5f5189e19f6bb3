"""Security middleware: the admin's Content-Security-Policy, and two-factor sign-in for roles."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse

from engage.roles import has_two_factor, needs_two_factor


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the Wagtail admin's own, slightly wider, policy.

    Every page gets CONTENT_SECURITY_POLICY; pages under the admin get ENGAGE_ADMIN_CSP
    instead (see the README for what it allows and why). A view's own @csp_* decorators
    still apply on top.
    """

    admin_prefix = "/admin/"

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(self.admin_prefix)
        ):
            parts.config = settings.ENGAGE_ADMIN_CSP
        return parts


class TwoFactorRequiredMiddleware:
    """Send a signed-in user with an elevated role and no authenticator app to set one up.

    allauth asks for a code at sign-in from anyone who has an authenticator. This closes the
    other gap: a moderator, member of staff, PCN lead, place lead or admin without one can use
    nothing (the admin included) until they have set it up. They may still reach the
    two-factor pages themselves, confirm their password (allauth asks before activation),
    verify their email address (allauth requires it before activation), sign out, and load
    static files.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not self.is_allowed_path(request.path_info)
            and needs_two_factor(user)
            and not has_two_factor(user)
        ):
            return self.redirect_to_setup(request)
        return self.get_response(request)

    @staticmethod
    def allowed_prefixes() -> tuple[str, ...]:
        prefixes = [
            reverse("mfa_index"),
            reverse("account_logout"),
            reverse("account_reauthenticate"),
            reverse("account_email"),
            reverse("account_email_verification_sent"),
            reverse("account_confirm_email", args=["-"]).rstrip("-"),
            settings.STATIC_URL,
        ]
        if settings.MEDIA_URL and settings.MEDIA_URL != "/":
            prefixes.append(settings.MEDIA_URL)
        return tuple(prefixes)

    def is_allowed_path(self, path: str) -> bool:
        return path.startswith(self.allowed_prefixes())

    def redirect_to_setup(self, request):
        # The set-up page says why (templates/mfa/totp/activate_form.html).
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
