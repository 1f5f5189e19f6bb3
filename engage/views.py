"""Account pages of our own, beside allauth's."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.urls import reverse_lazy
from django.views.generic import UpdateView

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
