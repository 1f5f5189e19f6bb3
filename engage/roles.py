"""Who holds a role, as the platform sees it: anyone in a group, and every admin.

Roles are Django groups; `home` ties each to a PCN or a Place (moderators, staff, PCN leads,
place leads) and `consultations.permissions` decides what each may do. At this floor only
one rule needs them: everyone with a role signs in with two-factor authentication. Residents
belong to no group.
"""

from collections.abc import Callable
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.urls import reverse


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
    if not hasattr(user, "_engage_has_two_factor"):  # read with the user (engage.backends)
        user._engage_has_two_factor = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
    return user._engage_has_two_factor


# Where each role's work is: after signing in, and the header's "Manage" link


@dataclass(frozen=True)
class Landing:
    url: str
    label: str
    manages: bool  # somewhere to run the site (the admin), not a resident's own pages


_landings: list[tuple[int, Callable]] = []


def landing_register(find: Callable, *, order: int) -> None:
    """Called from an app's `AppConfig.ready()`: `find(user) -> Landing | None`. The lowest
    order that finds a landing wins (a moderator's queue before staff's dashboard before a
    resident's contributions)."""
    if all(existing is not find for _, existing in _landings):
        _landings.append((order, find))
        _landings.sort(key=lambda entry: entry[0])


def landings(user) -> list[Landing]:
    """Every landing the user has, first the one they go to after signing in."""
    if user is None or not user.is_authenticated:
        return []
    if not hasattr(user, "_engage_landings"):
        found = (find(user) for _, find in _landings)
        user._engage_landings = [landing for landing in found if landing is not None]
    return user._engage_landings


def landing(user) -> Landing | None:
    return next(iter(landings(user)), None)


def manage_landing(user) -> Landing | None:
    """Where the header's "Manage" link leads them, if they run anything."""
    return next((landing for landing in landings(user) if landing.manages), None)


def admin_landing(user) -> Landing | None:
    """An admin runs the whole installation from the Wagtail dashboard."""
    if user.is_superuser or user.is_staff:
        return Landing(url=reverse("wagtailadmin_home"), label="Dashboard", manages=True)
    return None
