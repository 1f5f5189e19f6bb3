"""Who may add, change and delete themes: the moderators of a theme's PCN, and the admin."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from consultations.models import Theme
from consultations.permissions import user_moderates_anything
from consultations.selectors import moderated_consultations
from home.admin_scope import admin_scope_register
from home.boundary import for_user
from home.models import PrimaryCareNetwork

# What a moderator may do to their PCN's themes (Wagtail's snippet screens ask for these).
MODERATOR_ACTIONS = frozenset({"add", "change", "delete", "view"})


def themes_moderated_by(user):
    """The themes of every consultation the user moderates (all of them for an admin)."""
    return Theme.objects.filter(consultation__in=moderated_consultations(user))


def _moderated_pcns(user):
    if user.is_superuser:
        return PrimaryCareNetwork.objects.all()
    return PrimaryCareNetwork.objects.filter(moderator_group__in=user.groups.all())


def _moderated_consultation_ids(user) -> frozenset[int]:
    """The ids of the consultations the user moderates, read once per user object (a
    listing asks for every row)."""
    if not hasattr(user, "_engage_moderated_consultation_ids"):
        user._engage_moderated_consultation_ids = frozenset(
            moderated_consultations(user).values_list("pk", flat=True)
        )
    return user._engage_moderated_consultation_ids


def _moderates_anything(user) -> bool:
    """`user_moderates_anything` (its roles are read once per user object)."""
    return user_moderates_anything(user)


def _is_active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


class ThemePermissionPolicy(BasePermissionPolicy):
    """Moderators (and the admin) of a theme's PCN may add, change, delete and view it.

    Not Django's model permissions: the right comes from being in a PCN's moderator group,
    as everywhere else in moderation (`permissions.can_moderate`), and reaches that PCN's
    themes only. Anyone else (staff, leads, residents) may do nothing here.
    """

    permission_cache_name = "_engage_theme_permissions"

    def user_has_permission(self, user, action):
        return action in MODERATOR_ACTIONS and _is_active(user) and _moderates_anything(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not MODERATOR_ACTIONS.intersection(actions):
            return users.none()
        moderators = Group.objects.filter(moderated_pcn__isnull=False)
        return users.filter(Q(is_superuser=True) | Q(groups__in=moderators)).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(
            user, action
        ) and instance.consultation_id in _moderated_consultation_ids(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Theme.objects.none()
        return themes_moderated_by(user)

    def users_with_any_permission_for_instance(self, actions, instance):
        pcn = instance.consultation.pcn
        users = self.users_with_any_permission(actions)
        return users.filter(Q(is_superuser=True) | Q(groups=pcn.moderator_group_id)).distinct()


theme_permission_policy = ThemePermissionPolicy(Theme)


@admin_scope_register(Theme)
def _themes_in_the_admin(queryset, user):
    """Wagtail's shared screens (bulk actions, the chooser) see the themes of the PCNs a
    person works for; what they may do with them is the policy's."""
    return for_user(queryset, user)
