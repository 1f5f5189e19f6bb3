"""Outreach: what a PCN's staff did to hear from the groups a consultation was not hearing
from, recorded in the admin (`consultations.models.OutreachAction`).

A Wagtail `ModelViewSet` (`outreach:*`): a listing with filters, the add and edit forms, the
delete confirmation and each action's history. The PCN's staff (and admins) may use it
(`permissions.can_record_outreach`), for their own PCN's consultations only: another PCN's
action is not found, and its consultations are not offered. Every change goes through
`services.outreach_action_save` / `outreach_action_delete`, which validate and write the
audit log the history screen shows.
"""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, HistoryView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from consultations import services
from consultations.forms import ModelIdChoiceField
from consultations.models import ConsultationPage, OutreachAction
from consultations.models.equality import OUTREACH_GROUPS
from engage.ids import parse_id
from engage.roles import group_ids
from home.boundary import in_pcns, pcn_ids_with_role
from home.models import PrimaryCareNetwork

ACTIONS = frozenset({"add", "change", "delete", "view"})


def outreach_pcns(user):
    """The PCNs whose outreach the user records: those they are staff of (all for admins)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PrimaryCareNetwork.objects.none()
    if user.is_superuser:
        return PrimaryCareNetwork.objects.all()
    return PrimaryCareNetwork.objects.filter(staff_group__in=group_ids(user))


def outreach_consultations(user):
    """The consultations the user may record outreach for."""
    return in_pcns(ConsultationPage.objects.live(), outreach_pcns(user))


class OutreachPermissionPolicy(BasePermissionPolicy):
    """Staff of a consultation's PCN (and admins) may add, change, delete and view its
    outreach actions; nobody else may do anything. The per-object answer is
    `permissions.can_record_outreach`, which the services ask too."""

    def _user_pcn_ids(self, user) -> list[int]:
        if user.is_superuser or not user.is_active:
            return list(outreach_pcns(user).values_list("pk", flat=True))
        return pcn_ids_with_role(user, "staff")  # read once per user object

    def user_has_permission(self, user, action):
        if action not in ACTIONS or user is None or not user.is_authenticated:
            return False
        return user.is_active and (user.is_superuser or bool(self._user_pcn_ids(user)))

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return (
            self.instances_user_has_any_permission_for(user, [action])
            .filter(pk=instance.pk)
            .exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not any(self.user_has_permission(user, action) for action in actions):
            return OutreachAction.objects.none()
        if user.is_superuser:
            return OutreachAction.objects.all()
        return in_pcns(
            OutreachAction.objects.all(),
            PrimaryCareNetwork.objects.filter(pk__in=self._user_pcn_ids(user)),
        )

    def users_with_any_permission(self, actions):
        raise NotImplementedError("Not needed: nobody asks who may record outreach.")


outreach_policy = OutreachPermissionPolicy(OutreachAction)


class OutreachActionForm(WagtailAdminModelForm):
    consultation = ModelIdChoiceField(
        label="Consultation",
        queryset=ConsultationPage.objects.none(),
        error_messages={
            "required": "Choose the consultation it was for",
            "invalid_choice": "Choose one of your PCN's consultations",
        },
    )
    groups = forms.MultipleChoiceField(
        label="Which groups did it aim to reach?",
        choices=OUTREACH_GROUPS,
        widget=forms.CheckboxSelectMultiple,
        help_text='The groups "Who took part" shows you are not hearing from.',
        error_messages={
            "required": "Choose at least one group it aimed to reach",
            "invalid_choice": "Choose groups from the list",
        },
    )
    contributions = forms.IntegerField(
        label="Contributions it brought in",
        min_value=0,
        max_value=100_000,
        help_text="How many ideas or comments came from it (0 if none yet).",
        error_messages={
            "required": "Enter how many contributions it brought in, or 0",
            "invalid": "Enter a whole number, like 14",
            "min_value": "Enter 0 or more",
            "max_value": "Enter %(limit_value)s or fewer",
        },
    )

    class Meta:
        model = OutreachAction
        fields = ["consultation", "groups", "description", "held_on", "channel", "contributions"]
        error_messages = {
            "description": {"required": "Enter what you did"},
            "held_on": {
                "required": "Enter the date it happened",
                "invalid": "Enter a real date, for example 17 3 2026",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = outreach_consultations(self.for_user).order_by(
            "-opens_at", "title"
        )


class OutreachFilterSet(WagtailFilterSet):
    consultation = django_filters.ModelChoiceFilter(
        label="Consultation", queryset=lambda request: outreach_consultations(request.user)
    )

    class Meta:
        model = OutreachAction
        fields = ["consultation", "channel"]


class ScopedObjectMixin:
    """Finds only the actions the user may see: another PCN's is not found. Someone who may
    see none is refused first, as on the listing (some views look the object up before
    Wagtail checks the permission)."""

    def get_object(self, queryset=None):
        if not outreach_policy.user_has_permission(self.request.user, "view"):
            raise PermissionDenied
        pk = parse_id(str(self.kwargs.get("pk", "")))
        if pk is None:
            raise Http404
        return get_object_or_404(
            outreach_policy.instances_user_has_any_permission_for(self.request.user, ["view"]),
            pk=pk,
        )


class OutreachIndexView(IndexView):
    page_title = "Outreach"
    default_ordering = "-held_on"

    def get_base_queryset(self):
        return outreach_policy.instances_user_has_any_permission_for(
            self.request.user, ["view"]
        ).select_related("consultation")

    def order_queryset(self, queryset):
        return super().order_queryset(queryset).order_by(*self._ordering(), "-pk")

    def _ordering(self):
        ordering = self.ordering or self.default_ordering
        return [ordering] if isinstance(ordering, str) else list(ordering)

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "description",
                label="What you did",
                get_url=lambda action: self.get_edit_url(action),
            ),
            Column("consultation", label="Consultation", accessor="consultation.title"),
            Column(
                "groups",
                label="Aimed at",
                accessor=lambda action: "; ".join(action.group_labels),
            ),
            DateColumn("held_on", label="Date", sort_key="held_on"),
            Column("channel", label="How", accessor="get_channel_display"),
            Column("contributions", label="Contributions", sort_key="contributions"),
        ]


class OutreachCreateView(CreateView):
    def get_initial(self):
        initial = super().get_initial()
        pk = parse_id(str(self.request.GET.get("consultation", "")))
        if pk is not None:
            initial["consultation"] = pk
        return initial

    def save_instance(self):
        return services.outreach_action_save(user=self.request.user, action=self.form.instance)


class OutreachEditView(ScopedObjectMixin, EditView):
    def save_instance(self):
        return services.outreach_action_save(user=self.request.user, action=self.form.instance)


class OutreachDeleteView(ScopedObjectMixin, DeleteView):
    def delete_action(self):
        services.outreach_action_delete(user=self.request.user, action=self.object)


class OutreachHistoryView(ScopedObjectMixin, HistoryView):
    pass


class OutreachMenuItem(MenuItem):
    def is_shown(self, request):
        return outreach_policy.user_has_permission(request.user, "view")


class OutreachViewSet(ModelViewSet):
    model = OutreachAction
    name = "outreach"
    url_prefix = "outreach"
    icon = "group"
    menu_label = "Outreach"
    add_to_admin_menu = True
    menu_order = 351
    filterset_class = OutreachFilterSet
    index_view_class = OutreachIndexView
    add_view_class = OutreachCreateView
    edit_view_class = OutreachEditView
    delete_view_class = OutreachDeleteView
    history_view_class = OutreachHistoryView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_per_page = 50
    add_to_reference_index = False
    menu_item_class = OutreachMenuItem

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(permission_policy=outreach_policy, usage_url_name=None)
        return view_kwargs

    def get_form_class(self, for_update=False):
        return OutreachActionForm

    def register_permissions(self):
        """The policy is passed to the views; Wagtail's model permissions are not used."""

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            path("edit/<int:pk>/", self.edit_view, name="edit"),
            path("delete/<int:pk>/", self.delete_view, name="delete"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
        ]
