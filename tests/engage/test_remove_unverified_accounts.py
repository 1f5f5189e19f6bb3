"""`manage.py remove_unverified_accounts`: accounts whose email was never confirmed go after
N days; nobody else is touched."""

import io
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from engage.models import User
from engage.privacy import REMOVE_UNVERIFIED_LOG_ACTION
from tests.factories import UserFactory


def aged(user, days: int):
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days))
    return user


def unconfirmed(days: int, **fields):
    user = aged(UserFactory(verified=False, **fields), days)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return user


def run(*args) -> str:
    out = io.StringIO()
    call_command("remove_unverified_accounts", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def accounts(db, home):
    moderator = aged(UserFactory(verified=False, groups=[home.pcn.moderator_group]), 90)
    signed_in_once = unconfirmed(90)
    User.objects.filter(pk=signed_in_once.pk).update(last_login=timezone.now())
    return {
        "old_unconfirmed": unconfirmed(31),
        "old_without_address": aged(UserFactory(verified=False), 45),
        "new_unconfirmed": unconfirmed(29),
        "old_confirmed": aged(UserFactory(), 400),
        "old_staff": aged(UserFactory(verified=False, is_staff=True), 90),
        "old_superuser": aged(UserFactory(verified=False, is_superuser=True), 90),
        "old_moderator": moderator,
        "signed_in_once": signed_in_once,
    }


def remaining(accounts) -> set[str]:
    ids = set(User.objects.values_list("pk", flat=True))
    return {name for name, user in accounts.items() if user.pk in ids}


def test_it_deletes_only_old_unconfirmed_residents(accounts):
    assert run() == "Deleted 2 unconfirmed accounts older than 30 days.\n"
    assert remaining(accounts) == set(accounts) - {"old_unconfirmed", "old_without_address"}
    assert not EmailAddress.objects.filter(user_id=accounts["old_unconfirmed"].pk).exists()
    entry = ModelLogEntry.objects.get(action=REMOVE_UNVERIFIED_LOG_ACTION)
    assert entry.data == {"accounts": 2, "older_than_days": 30}
    assert entry.user_id is None


def test_days_can_be_given(accounts):
    assert run("--days", "28") == "Deleted 3 unconfirmed accounts older than 28 days.\n"
    assert "new_unconfirmed" not in remaining(accounts)


def test_the_default_comes_from_the_setting(accounts, settings):
    settings.ENGAGE_UNVERIFIED_ACCOUNT_DAYS = 60
    assert run() == "Deleted 0 unconfirmed accounts older than 60 days.\n"
    assert remaining(accounts) == set(accounts)
    assert not ModelLogEntry.objects.filter(action=REMOVE_UNVERIFIED_LOG_ACTION).exists()


def test_a_dry_run_counts_and_deletes_nothing(accounts):
    output = run("--dry-run")
    assert output.startswith("2 unconfirmed accounts older than 30 days would be deleted.")
    assert remaining(accounts) == set(accounts)


def test_running_twice_deletes_nothing_more(accounts):
    run()
    assert run() == "Deleted 0 unconfirmed accounts older than 30 days.\n"


def test_days_must_be_positive(db):
    with pytest.raises(CommandError, match="1 or more"):
        run("--days", "0")
