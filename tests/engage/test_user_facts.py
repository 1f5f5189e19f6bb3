"""The signed-in person is read with what every page asks of them, in one query built once
per database (`engage.backends.user_with_facts`)."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engage import backends
from engage.roles import group_ids
from tests.factories import UserFactory, give_two_factor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("verified", [True, False])
@pytest.mark.parametrize("two_factor", [True, False])
@pytest.mark.parametrize("in_group", [True, False])
def test_the_facts_are_the_databases(verified, two_factor, in_group):
    group = Group.objects.create(name="Moderators of somewhere")
    user = UserFactory(verified=verified, two_factor=False)
    UserFactory(groups=[group])  # someone else's role and app are not theirs
    if two_factor:
        give_two_factor(user)
    if in_group:
        user.groups.add(group)
    with CaptureQueriesContext(connection) as queries:
        read = backends.ModelBackend().get_user(user.pk)
    assert len(queries) == 1
    assert (read.pk, read.email, read.date_joined) == (user.pk, user.email, user.date_joined)
    assert read._engage_verified is verified
    assert read._engage_has_two_factor is two_factor
    assert (getattr(read, "_engage_group_ids", None) == set()) is not in_group
    if in_group:
        assert group_ids(read) == {group.pk}


def test_another_kind_of_authenticator_is_not_an_app():
    user = UserFactory()
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert backends.ModelBackend().get_user(user.pk)._engage_has_two_factor is False


def test_each_backend_reads_the_same_person():
    user = UserFactory()
    for backend in (backends.ModelBackend(), backends.AuthenticationBackend()):
        assert backend.get_user(str(user.pk)) == user


@pytest.mark.parametrize("user_id", [987654321, "not a number", None])
def test_no_such_person_is_nobody(user_id):
    UserFactory()
    assert backends.ModelBackend().get_user(user_id) is None


def test_an_inactive_person_is_nobody():
    user = UserFactory(is_active=False)
    assert backends.ModelBackend().get_user(user.pk) is None


def test_the_query_is_built_once(monkeypatch):
    monkeypatch.setattr(backends, "_compiled", {})
    built = []
    real = backends.users_with_facts
    monkeypatch.setattr(backends, "users_with_facts", lambda: built.append(1) or real())
    first, second = UserFactory(), UserFactory()
    assert backends.ModelBackend().get_user(first.pk) == first
    assert backends.ModelBackend().get_user(second.pk) == second
    assert built == [1]
