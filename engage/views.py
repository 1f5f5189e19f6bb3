"""Account pages of our own, beside allauth's."""

import json

from allauth.core import ratelimit
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.generic import RedirectView, UpdateView

from engage import privacy
from engage.forms import AccountEraseForm, DisplayNameForm


class DisplayNameUpdateView(LoginRequiredMixin, SuccessMessageMixin, UpdateView):
    """A signed-in user changes the name shown beside their ideas and comments."""

    form_class = DisplayNameForm
    template_name = "account/profile.html"
    success_url = reverse_lazy("account_profile")
    context_object_name = "account"

    def get_object(self, queryset=None):
        return self.request.user

    def get_success_message(self, cleaned_data):
        if cleaned_data["display_name"]:
            return "Your display name has been updated."
        return "Your display name has been removed. You will appear as 'A resident'."


class SignInRedirectView(RedirectView):
    """An address of someone else's sign-in form, sending people to allauth's sign-in.

    Django's and Wagtail's sign-in forms check only the password; allauth's also asks anyone
    who has an authenticator app for its code. Wagtail's sign-in for pages that need one
    (`/_util/login/`) is shadowed by this, and WAGTAIL_FRONTEND_LOGIN_URL sends people
    straight to allauth.
    """

    pattern_name = "account_login"
    query_string = True


class AdminLoginRedirectView(SignInRedirectView):
    """The Wagtail admin's sign-in address, sending people to allauth's sign-in instead.

    allauth asks for the authenticator code; Wagtail's own form would not. Someone already
    signed in who may not use the admin is refused here (allauth's sign-in page would send them
    straight back to the admin page they came from).
    """

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            raise PermissionDenied
        return super().get(request, *args, **kwargs)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_data_download(request):
    """GET explains what the download holds; POST sends it as a JSON file.

    The file is made by a POST (with its CSRF token), not a link: another site cannot make a
    signed-in browser fetch it, and no browser, proxy or prefetcher keeps a copy of it.
    """
    if request.method == "GET":
        return TemplateResponse(request, "account/data_download.html")
    data = privacy.account_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"engage-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_erase(request):
    """Delete my account, after a clear warning and my password; then sign me out."""
    user = request.user
    if not user.has_usable_password():
        return TemplateResponse(request, "account/erase.html", {"needs_password": True})
    form = AccountEraseForm(
        request.POST if request.method == "POST" else None,
        user=user,
        allowed_attempt=lambda: ratelimit.consume(request, action="reauthenticate", user=user),
    )
    if request.method == "POST" and form.is_valid():
        privacy.account_erase(user=user, keep_posts=form.keep_posts)
        logout(request)
        return redirect("account_erase_done")
    return TemplateResponse(request, "account/erase.html", {"form": form})


def account_erase_done(request):
    return TemplateResponse(request, "account/erase_done.html")
