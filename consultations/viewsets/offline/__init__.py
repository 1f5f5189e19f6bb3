"""Residents who take part offline: the contributions typed up for them, and their letters.

Two Wagtail viewsets, grouped in one menu ("Offline and letters") for the PPG moderators and
PCN staff of a PCN (and admins):

- **Offline contributions** (`offline:*`): ideas sent on paper, by phone or at a meeting.
  A listing with filters, search, ordering and pages; the entry form (its "add" view, which
  calls `services.idea_submit_on_behalf`); each idea's details and its Wagtail history. The
  resident's words are not edited here and nothing is deleted: moderation hides posts.
- **Letters** (`letters:*`): the letters owed to those who gave a postal address. A listing
  filtered by update and by sent or not, with the bulk action "Mark as sent", and the
  printable letters.

`OfflinePermissionPolicy` decides who sees and does what, once, for both: the PCN's
moderators and staff (`permissions.can_enter_offline`, `permissions.can_send_letters`), and
nothing of another PCN is listed, shown, printed or changed.
"""

from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from consultations.models import Idea, Letter
from consultations.viewsets.offline.bulk_actions import MarkLettersSentBulkAction
from consultations.viewsets.offline.contributions import (
    OfflineContributionCreateView,
    OfflineContributionHistoryView,
    OfflineContributionIndexView,
    OfflineContributionInspectView,
)
from consultations.viewsets.offline.filters import LetterFilterSet, OfflineContributionFilterSet
from consultations.viewsets.offline.forms import OfflineIdeaForm
from consultations.viewsets.offline.letters import (
    LetterIndexView,
    LettersPrintView,
    ProgressLettersPrintView,
)
from consultations.viewsets.offline.policy import idea_policy, letter_policy, menu_item_for

# What wagtail_hooks.py and the tests import from this package.
__all__ = [
    "MarkLettersSentBulkAction",
    "OfflineViewSetGroup",
    "idea_policy",
    "letter_policy",
]


class OfflineContributionViewSet(ModelViewSet):
    model = Idea
    name = "offline"
    url_prefix = "offline"
    icon = "form"
    menu_label = "Offline contributions"
    index_view_class = OfflineContributionIndexView
    add_view_class = OfflineContributionCreateView
    inspect_view_class = OfflineContributionInspectView
    history_view_class = OfflineContributionHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = OfflineContributionFilterSet
    list_per_page = 20
    add_to_reference_index = False

    @property
    def add_view(self):
        return self.construct_view(self.add_view_class)

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(
            permission_policy=idea_policy,
            edit_url_name=None,
            delete_url_name=None,
            usage_url_name=None,
        )
        return view_kwargs

    def get_form_class(self, for_update=False):
        return OfflineIdeaForm

    @cached_property
    def menu_item_class(self):
        return menu_item_for(idea_policy)

    def register_admin_url_finder(self):
        """Another app may make its own viewset for ideas; this one finds no edit URL."""

    def register_permissions(self):
        """The policy is passed to the views; Wagtail's model permissions are not used."""

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
        ]


class LetterViewSet(ModelViewSet):
    model = Letter
    name = "letters"
    url_prefix = "letters"
    icon = "mail"
    menu_label = "Letters to print"
    index_view_class = LetterIndexView
    filterset_class = LetterFilterSet
    copy_view_enabled = False
    list_per_page = 50
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(
            permission_policy=letter_policy,
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            usage_url_name=None,
            history_url_name=None,
        )
        return view_kwargs

    @cached_property
    def menu_item_class(self):
        return menu_item_for(letter_policy)

    def register_permissions(self):
        """The policy is passed to the views; Wagtail's model permissions are not used."""

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("print/<int:pk>/", LettersPrintView.as_view(), name="print"),
            path("print/progress/", ProgressLettersPrintView.as_view(), name="print_progress"),
        ]


class OfflineViewSetGroup(ViewSetGroup):
    """One menu for residents who take part offline, shown to those who may use it."""

    menu_label = "Offline and letters"
    menu_icon = "mail"
    menu_order = 170
    items = (OfflineContributionViewSet, LetterViewSet)
