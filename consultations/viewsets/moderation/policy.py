"""Who may see and decide on posts here, and the posts each person's queue holds."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from wagtail.permission_policies.base import BasePermissionPolicy

from consultations import permissions
from consultations.models import Flag, Idea, SafetyHold
from consultations.permissions import user_moderates_anything
from consultations.selectors import moderated_consultations

# What the person may do through these screens, and what no one may.
DECIDE_ACTIONS = frozenset({"view", "change"})


def _consultation_lookup(model) -> str:
    return "consultation" if model is Idea else "idea__consultation"


def consultation_of(post):
    return post.consultation if isinstance(post, Idea) else post.idea.consultation


def _open_flags():
    return Prefetch(
        "flags",
        queryset=Flag.objects.filter(resolved_at__isnull=True).order_by("created_at"),
        to_attr="open_flags",
    )


def moderated_posts(*, user, model):
    """The ideas (or comments) of every consultation the user moderates, with what the
    queue shows of each: author, consultation, open reports. A fixed number of queries."""
    lookup = _consultation_lookup(model)
    related = (
        ("author", "consultation", "neighbourhood")
        if model is Idea
        else ("author", "idea__consultation")
    )
    return (
        model.objects.filter(**{f"{lookup}__in": moderated_consultations(user)})
        .select_related(*related)
        .annotate(
            open_flag_count=Count("flags", filter=Q(flags__resolved_at__isnull=True)),
            # Held by the safety check and not yet decided: first in the queue.
            held_urgent=Exists(_open_holds(model).filter(urgent=True)),
            held_personal=Exists(_open_holds(model).filter(personal_data=True)),
        )
        .prefetch_related(_open_flags())
    )


def _open_holds(model):
    field = "idea" if model is Idea else "comment"
    return SafetyHold.objects.filter(**{field: OuterRef("pk")}, resolved_at__isnull=True)


def _is_active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


# The permission policy


class ModerationPermissionPolicy(BasePermissionPolicy):
    """Who may see and decide on ideas or comments in the moderation screens.

    | person                      | view, change (decide)            | add, edit text, delete |
    |-----------------------------|----------------------------------|------------------------|
    | admin                       | every post                       | no one                 |
    | PPG moderator of a PCN      | the posts of that PCN only       | no one                 |
    | anyone else                 | nothing                          | no one                 |

    "change" here means approve, hide or restore: the screens have no form for a post's
    text, which stays the resident's own.
    """

    def user_has_permission(self, user, action):
        return action in DECIDE_ACTIONS and _is_active(user) and user_moderates_anything(user)

    def user_has_any_permission(self, user, actions):
        return bool(DECIDE_ACTIONS & set(actions)) and self.user_has_permission(user, "change")

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            action in DECIDE_ACTIONS
            and _is_active(user)
            and permissions.can_moderate(user, consultation_of(instance))
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not (DECIDE_ACTIONS & set(actions)) or not _is_active(user):
            return self.model._default_manager.none()
        lookup = _consultation_lookup(self.model)
        return self.model._default_manager.filter(
            **{f"{lookup}__in": moderated_consultations(user)}
        )

    def users_with_any_permission(self, actions):
        User = get_user_model()
        if not DECIDE_ACTIONS & set(actions):
            return User.objects.none()
        return User.objects.filter(
            Q(is_superuser=True) | Q(groups__moderated_pcn__isnull=False), is_active=True
        ).distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        User = get_user_model()
        if not DECIDE_ACTIONS & set(actions):
            return User.objects.none()
        group_id = consultation_of(instance).pcn.moderator_group_id
        return User.objects.filter(
            Q(is_superuser=True) | Q(groups__pk=group_id), is_active=True
        ).distinct()
