"""Who may enter offline contributions and send letters, and what each person's screens hold."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.base import BasePermissionPolicy

from consultations import permissions
from consultations.models import (
    Channel,
    ConsultationPage,
    Idea,
    Letter,
    Phase,
    PostStatus,
    UpdatePage,
)
from engage.ids import parse_id
from home.admin_scope import admin_scope_register
from home.boundary import in_pcns, pcn_ids_with_role, pcn_of
from home.models import PrimaryCareNetwork

OFFLINE_CHANNELS = [
    (Channel.PAPER, "On paper (a form or letter)"),
    (Channel.PHONE, "By phone"),
    (Channel.MEETING, "At a meeting"),
]


def offline_pcns(user):
    """The PCNs whose offline contributions and letters the user handles: those they
    moderate or work for as staff (every PCN for an admin). Read once per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PrimaryCareNetwork.objects.none()
    if user.is_superuser:
        return PrimaryCareNetwork.objects.all()
    return PrimaryCareNetwork.objects.filter(pk__in=offline_pcn_ids(user))


def offline_pcn_ids(user) -> list[int]:
    """The ids of `offline_pcns` of someone who is not an admin, from their roles (read once
    per user object)."""
    return pcn_ids_with_role(user, "moderator", "staff")


def _scoped(queryset, user):
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return queryset
    return in_pcns(queryset, offline_pcns(user))


class OfflinePermissionPolicy(BasePermissionPolicy):
    """The PCN boundary for offline contributions (`Idea`) and letters (`Letter`).

    For ideas: "add" (enter a contribution) and "view" (list, inspect, history). For
    letters: "view" (list, print) and "change" (mark as sent). A moderator or member of staff
    of a PCN holds them for that PCN's objects only; an admin for all. The per-object answer
    is the predicate of `consultations.permissions`, so views and services agree.
    """

    ACTIONS = {Idea: {"add", "view"}, Letter: {"view", "change"}}

    def _allows(self, action) -> bool:
        return action in self.ACTIONS[self.model]

    def user_has_permission(self, user, action):
        if not self._allows(action) or user is None or not user.is_authenticated:
            return False
        if not user.is_active:
            return False
        if user.is_superuser:
            return offline_pcns(user).exists()
        return bool(offline_pcn_ids(user))

    def user_has_permission_for_instance(self, user, action, instance):
        if not self._allows(action):
            return False
        if isinstance(instance, Letter):
            return permissions.can_send_letters_in(user, instance.contributor.pcn)
        return (
            instance.channel != Channel.ONLINE
            and permissions.can_enter_offline(user, pcn_of(instance))
            and permissions.can_view_idea(user, instance)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not any(self._allows(action) for action in actions):
            return self.model._default_manager.none()
        scoped = _scoped(self.model._default_manager.all(), user)
        if self.model is Idea:
            scoped = _offline_ideas_seen(scoped, user)
        return scoped

    def users_with_any_permission(self, actions):
        raise NotImplementedError("Not needed: nobody asks who may enter offline contributions.")


def _offline_ideas_seen(ideas, user):
    """Ideas entered for residents; a hidden one only for the PCN's moderators (and admins),
    as in the moderation screens."""
    ideas = ideas.exclude(channel=Channel.ONLINE)
    if user.is_superuser:
        return ideas
    moderated = PrimaryCareNetwork.objects.filter(moderator_group__in=user.groups.values("pk"))
    return ideas.filter(
        Q(status=PostStatus.PUBLISHED)
        | Q(pk__in=in_pcns(Idea.objects.all(), moderated).values("pk"))
    )


idea_policy = OfflinePermissionPolicy(Idea)
letter_policy = OfflinePermissionPolicy(Letter)


@admin_scope_register(Letter)
def _letters_in_admin(queryset, user):
    """What a bulk action on letters may name and act on (home/admin_views.py asks here)."""
    return _scoped(queryset, user)


def offline_consultations(user):
    """Consultations the user may enter offline contributions to: open, or closed in the
    last four weeks and not answered, in a PCN they moderate or work for."""
    now = timezone.now()
    return (
        _scoped(ConsultationPage.objects.live(), user)
        .filter(opens_at__lte=now, closes_at__gte=now - permissions.OFFLINE_ENTRY_GRACE)
        .exclude(phase_override=Phase.RESPONDED)
    )


def letter_updates(user):
    """Published updates of the PCNs the user moderates or works for."""
    return _scoped(UpdatePage.objects.live(), user)


class PolicyMenuItem(MenuItem):
    """Shown to those the policy lets see the viewset's listing."""

    policy: OfflinePermissionPolicy

    def is_shown(self, request):
        return self.policy.user_has_permission(request.user, "view")


def menu_item_for(policy):
    return type(f"{policy.model.__name__}MenuItem", (PolicyMenuItem,), {"policy": policy})


class ScopedObjectMixin:
    """A Wagtail object view (inspect, history) that finds only objects the user may see:
    another PCN's is not found, as if it did not exist."""

    def get_object(self, queryset=None):
        pk = parse_id(str(self.pk))
        if pk is None:
            raise Http404
        return get_object_or_404(
            self.permission_policy.instances_user_has_any_permission_for(
                self.request.user, ["view"]
            ),
            pk=pk,
        )


def _letters_listed(user):
    """Letters the user may see: those to print now (their update is live, or they tell of
    their ideas' progress, and their contributor's idea is still published) and those sent.
    Letters no longer needed are not."""
    still_published = Idea.objects.filter(
        contributor=OuterRef("contributor"), status=PostStatus.PUBLISHED
    )
    return (
        letter_policy.instances_user_has_any_permission_for(user, ["view"])
        .filter(
            Q(status=Letter.Status.SENT)
            | Q(status=Letter.Status.DUE)
            & (Q(update__live=True) | Q(update=None))
            & Q(Exists(still_published))
        )
        .select_related("contributor__communication_needs", "update")
        .prefetch_related(
            Prefetch(
                "contributor__ideas",
                queryset=Idea.objects.filter(status=PostStatus.PUBLISHED).order_by(
                    "created_at", "pk"
                ),
                to_attr="published_ideas",
            )
        )
    )
