"""Django's and allauth's backends, reading what every page asks about the signed-in person
with the person: whether their email address is verified (the bar for taking part), whether
they have an authenticator app (the bar for any role) and whether they have a role at all,
and their permissions in one query rather than two."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q


def users_with_facts():
    """Users, each with the three facts every page asks (see `UserWithFactsMixin`)."""
    User = get_user_model()
    return User._default_manager.annotate(
        engage_verified_email=Exists(
            EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
        ),
        engage_totp=Exists(
            Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        ),
        engage_in_group=Exists(User.groups.through.objects.filter(user=OuterRef("pk"))),
    )


# The query above for one user, as its database's SQL: (sql, params, where the id goes).
_compiled: dict[str, tuple[str, list, int]] = {}
_STAND_IN_ID = -918273645546  # no user has it; only where the user's id goes


def user_with_facts(user_id):
    """The user with this id and their facts, or None.

    Django builds the query with its three subqueries afresh each time, about a millisecond
    on every signed-in request (ten times running it). It is built once per database, here
    from the ORM's own SQL with a stand-in id, and run with each id in its place."""
    User = get_user_model()
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    alias = User._default_manager.db
    if alias not in _compiled:
        query = users_with_facts().filter(pk=_STAND_IN_ID).order_by().query
        sql, params = query.get_compiler(using=alias).as_sql()
        _compiled[alias] = (sql, list(params), list(params).index(_STAND_IN_ID))
    sql, params, position = _compiled[alias]
    params = [*params[:position], user_id, *params[position + 1 :]]
    return next(iter(User._default_manager.raw(sql, params).using(alias)), None)


class UserWithFactsMixin:
    """`get_user` (the signed-in person, once a request) reads three facts every page asks
    with the person, as EXISTS in the same query (`user_with_facts`):
    `engage.roles.has_two_factor` and `consultations.permissions.is_verified` then read them
    from the user object instead of a query each, and `engage.roles.group_ids` reads no
    groups of a resident, who is in none. They hold for one request, as the role checks'
    memories do."""

    def get_user(self, user_id):
        user = user_with_facts(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        # As the database gives them (SQLite: 0 or 1): a raw query converts model fields only.
        user._engage_verified = bool(user.engage_verified_email)
        user._engage_has_two_factor = bool(user.engage_totp)
        if not user.engage_in_group:  # a resident: no role to read (`engage.roles.group_ids`)
            user._engage_group_ids = set()
        return user


class AuthenticationBackend(UserWithFactsMixin, AllauthBackend):
    """allauth's backend (sign-in by email address, as allauth's forms do)."""


class ModelBackend(UserWithFactsMixin, DjangoModelBackend):
    """Every page asks whether the user may reach the admin (Wagtail's user bar); Django
    answers that with one query for the user's own permissions and one for their groups'.
    This reads both at once. Same answers: inactive users have none, superusers all."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = permissions.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
