"""Who holds a role, as the platform sees it: anyone in a group, and every admin.

Roles are Django groups; `home` ties each to a PCN or a Place (moderators, staff, PCN leads,
place leads) and `consultations.permissions` decides what each may do. At this floor only
one rule needs them: everyone with a role signs in with two-factor authentication. Residents
belong to no group.
"""

from allauth.mfa.models import Authenticator


def group_ids(user) -> set[int]:
    """The ids of the user's groups, read once per user object."""
    if not hasattr(user, "_engage_group_ids"):
        user._engage_group_ids = set(user.groups.values_list("pk", flat=True))
    return user._engage_group_ids


def needs_two_factor(user) -> bool:
    """An admin, or anyone in a group (a role): they must sign in with an authenticator app.

    A resident (in no group) costs one small query, shared with the role checks.
    """
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(group_ids(user))


def has_two_factor(user) -> bool:
    """They have an active authenticator app, so allauth asks them for its code at sign-in."""
    if user is None or not user.is_authenticated:
        return False
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
