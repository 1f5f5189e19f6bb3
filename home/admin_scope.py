"""What a person may see in the Wagtail admin: the PCN boundary, decided in one place.

A superuser sees everything. Anyone else sees the admin of their own PCNs only: those whose
moderator, staff or lead group they are in, and, for a place lead, the PCNs of their Place.
That is:

- pages: the PCNs' home pages and everything below them (`admin_pages`), and their sites;
- people: themselves and the members of their PCNs' role groups (`admin_users`);
- organisations: their PCNs, with their neighbourhoods, practices, Place and ICS;
- uploads: the images and documents of the collections their groups hold permissions on
  (each PCN has its own collection: `home.services.pcn_collection_setup`).

What they may *do* with what they see is still Wagtail's permissions; this module only draws
the edge of what exists for them. Every admin screen that lists, searches, chooses, reports
or confirms asks here (home/wagtail_hooks.py, home/admin_views/). A model of a higher floor
(consultations) registers its own rule with `admin_scope_register` from its app's `ready()`.

The answers are kept on the user object for the rest of the request, as Wagtail keeps its
permissions.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Model, Q, QuerySet
from wagtail.models import CollectionMember, Page, Site
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.query import PageQuerySet

from home.boundary import pcn_ids_for, place_ids_led_by
from home.models import (
    HomePage,
    IntegratedCareSystem,
    Neighbourhood,
    Place,
    Practice,
    PrimaryCareNetwork,
)


def _sees_everything(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def _pcn_ids(user) -> list[int]:
    """The ids of the PCNs whose admin this (non-superuser) person may see."""
    return pcn_ids_for(user)


def admin_pcns(*, user) -> QuerySet[PrimaryCareNetwork]:
    """The PCNs this person works for (all of them for a superuser)."""
    if _sees_everything(user):
        return PrimaryCareNetwork.objects.all()
    return PrimaryCareNetwork.objects.filter(pk__in=_pcn_ids(user))


def admin_home_pages(*, user) -> PageQuerySet:
    """The home pages of the sites of the PCNs they moderate, staff or lead (a place lead's
    Place gives them none of its PCNs' pages: drafts and private consultations are the PCNs'
    own; their own Place's vision comes through `admin_page_roots_register`)."""
    if _sees_everything(user):
        return HomePage.objects.all()
    return HomePage.objects.filter(pcn__in=pcn_ids_for(user, with_place=False))


def admin_page_q(*, user, prefix: str = "") -> Q | None:
    """A filter for pages (or, with `prefix`, for rows that point at a page, e.g.
    `prefix="page__"`) that keeps those at or below their PCNs' home pages; None for a
    superuser (no filter). A person with no PCN gets a filter that keeps nothing."""
    if _sees_everything(user):
        return None
    q = Q(pk__in=[])
    for path in _home_paths(user):
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def admin_pages(*, user) -> PageQuerySet:
    """The pages this person may see anywhere in the admin: those of their PCNs' sites."""
    q = admin_page_q(user=user)
    return Page.objects.all() if q is None else Page.objects.filter(q)


def admin_may_see_page(*, user, page: Page) -> bool:
    if _sees_everything(user):
        return True
    return any(page.path.startswith(path) for path in _home_paths(user))


# Other roots of pages a person may see, registered by a higher floor: `find(user) -> paths`
# (consultations: a place lead's Place vision, which is no PCN's page).
_page_roots: list[Callable] = []


def admin_page_roots_register(find: Callable) -> None:
    """Called from an app's `ready()`: the pages at (and below) the paths `find(user)`
    returns are visible to that person too, beside their PCNs' sites."""
    if find not in _page_roots:
        _page_roots.append(find)


def _home_paths(user) -> list[str]:
    if user is None or not user.is_authenticated:
        return []
    if not hasattr(user, "_engage_admin_home_paths"):
        user._engage_admin_home_paths = list(
            admin_home_pages(user=user).values_list("path", flat=True)
        ) + [path for find in _page_roots for path in find(user)]
    return user._engage_admin_home_paths


def admin_sites(*, user) -> QuerySet[Site]:
    """The Wagtail sites of their PCNs."""
    if _sees_everything(user):
        return Site.objects.all()
    return Site.objects.filter(root_page__in=admin_home_pages(user=user).values("pk"))


def admin_groups(*, user) -> QuerySet[Group]:
    """The role groups of the PCNs they moderate, staff or lead and of those PCNs' Places,
    and their own Place's leads (a place lead is not shown its PCNs' people)."""
    if _sees_everything(user):
        return Group.objects.all()
    pcns = PrimaryCareNetwork.objects.filter(pk__in=pcn_ids_for(user, with_place=False))
    return Group.objects.filter(
        Q(moderated_pcn__in=pcns)
        | Q(staffed_pcn__in=pcns)
        | Q(led_pcn__in=pcns)
        | Q(led_place__pcns__in=pcns)
        | Q(led_place__in=place_ids_led_by(user))
    ).distinct()


def admin_users(*, user) -> QuerySet:
    """The people whose names they may see: themselves and their PCNs' role groups."""
    users = get_user_model().objects.all()
    if _sees_everything(user):
        return users
    if user is None or not user.is_authenticated:
        return users.none()
    members = admin_groups(user=user).values("user")
    return users.filter(Q(pk=user.pk) | Q(pk__in=members))


# Models whose instances belong to a PCN, and how to keep those of the person's PCNs.
_SCOPES: dict[type[Model], Callable[[QuerySet, object], QuerySet]] = {}


def admin_scope_register(model: type[Model]):
    """Decorator: `fn(queryset, user) -> queryset` keeps the rows of `model` (and its
    subclasses) that `user` may see in the admin. Registered by the app that owns the model."""

    def register(fn):
        _SCOPES[model] = fn
        return fn

    return register


def admin_visible(queryset: QuerySet, *, user) -> QuerySet:
    """The part of `queryset` this person may see in the admin, whatever its model.

    Pages, people, organisations and uploads follow the rules above; a model no app has
    registered a rule for is left to Wagtail's permissions.
    """
    if _sees_everything(user):
        return queryset
    for model in queryset.model.__mro__:
        scope = _SCOPES.get(model)
        if scope is not None:
            return scope(queryset, user)
    return queryset


@admin_scope_register(Page)
def _pages(queryset, user):
    return queryset.filter(admin_page_q(user=user))


@admin_scope_register(get_user_model())
def _people(queryset, user):
    return queryset.filter(pk__in=admin_users(user=user).values("pk"))


@admin_scope_register(PrimaryCareNetwork)
def _pcns(queryset, user):
    return queryset.filter(pk__in=_pcn_ids(user))


@admin_scope_register(Neighbourhood)
@admin_scope_register(Practice)
def _of_a_pcn(queryset, user):
    return queryset.filter(pcn__in=_pcn_ids(user))


@admin_scope_register(Place)
def _places(queryset, user):
    return queryset.filter(pcns__in=_pcn_ids(user)).distinct()


@admin_scope_register(IntegratedCareSystem)
def _systems(queryset, user):
    return queryset.filter(places__pcns__in=_pcn_ids(user)).distinct()


@admin_scope_register(CollectionMember)
def _uploads(queryset, user):
    """Images and documents: those in collections their groups hold any permission on."""
    policy = policy_registry.get_by_type(queryset.model)
    visible = policy.instances_user_has_any_permission_for(
        user, ["add", "change", "delete", "choose"]
    )
    return queryset.filter(pk__in=visible.values("pk"))


class PcnBoundaryPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model permissions, within the PCN boundary: a permission on the model (say,
    to change neighbourhoods) reaches the person's own PCNs' objects only.

    Registered for the organisation snippets (home/wagtail_hooks.py) with Wagtail's
    `register_permission_policy`, so every snippet screen that asks about an object asks
    here. Only admins hold these permissions today; this keeps a permission granted to a
    PCN's group later from reaching another PCN's neighbourhoods and practices.
    """

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._visible(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self._visible(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return admin_visible(
            super().instances_user_has_any_permission_for(user, actions), user=user
        )

    def _visible(self, user, instance) -> bool:
        queryset = self.model._default_manager.filter(pk=instance.pk)
        return admin_visible(queryset, user=user).exists()
