"""Account pages of our own, beside allauth's."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied
from django.urls import reverse_lazy
from django.views.generic import RedirectView, UpdateView

from engage.forms import DisplayNameForm


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
