"""A resident's rights over their information (UK GDPR): a copy of it, and erasing it.

The platform holds the account, its email addresses, sessions, sign-in records and audit
entries; each app built on it says what it holds about a person, in its `AppConfig.ready()`,
with `personal_data_register(export=..., erase=...)`:

- `export(*, user) -> dict`: its sections of the download (`{"ideas": [...], ...}`), in a
  fixed number of queries however much the person did;
- `erase(*, user, keep_posts) -> dict`: deletes what belongs to the person, or keeps their
  posts without their name, and returns counts for the audit entry (`{"ideas": 2}`).

`account_data` is a selector: everything Engage holds about one account, as plain data for
a JSON download.

`account_erase` is the service: it runs every app's eraser, then deletes the account and
everything linked to it, in one transaction, and leaves an audit entry that says what
happened but not to whom. It works from the account outwards:

- rows that belong to the person are deleted by their app's eraser; so is the account, and
  with it every table whose foreign key to `engage.User` cascades. A new per-person table
  is covered as long as its key cascades or is set to null, or its app's eraser deletes
  it; `tests/engage/test_privacy_erasure.py` scans every table to prove it;
- what points at them without a database constraint is cleaned here: Wagtail's audit log
  (its `user` column and entries about their account; `log_entries_scrub` for entries
  about an app's rows), the search index (`search_index_purge`), background task results,
  and allauth's rate-limit entries in the cache.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from allauth.account import app_settings as account_settings
from allauth.account.models import EmailAddress
from allauth.core.internal.ratelimit import get_cache_key, parse_rates
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry, Site
from wagtail.search.models import IndexEntry

from engage.models import User

EXPORT_FORMAT = "engage-account-data/1"
ERASE_LOG_ACTION = "engage.account.erase"
REMOVE_UNVERIFIED_LOG_ACTION = "engage.account.remove_unverified"


# What each app holds about a person


@dataclass(frozen=True)
class PersonalData:
    """How one app copies and erases what it holds about a person (see above)."""

    export: Callable[..., dict]
    erase: Callable[..., dict]


_registry: list[PersonalData] = []


def personal_data_register(*, export: Callable[..., dict], erase: Callable[..., dict]) -> None:
    """Called from an app's `AppConfig.ready()`: its part of every download and erasure."""
    entry = PersonalData(export=export, erase=erase)
    if entry not in _registry:
        _registry.append(entry)


def when(value) -> str | None:
    """A date or time as the download writes it."""
    return value.isoformat() if value else None


# Reading: a copy of everything we hold about one account


def account_data(*, user) -> dict:
    """Everything Engage holds about `user`, as JSON-ready data.

    Their account and email addresses, then each app's sections: their ideas (with status,
    channel, themes and the moderation decisions about them), comments, supports, follows,
    the reports they made, the emails sent to them, their answers to "About you" and the
    formats they need. Thirteen queries, however many posts they have.
    """
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": when(timezone.now()),
        "account": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "shown_as": user.public_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email_updates": user.email_updates,
            "joined": when(user.date_joined),
            "last_signed_in": when(user.last_login),
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    }
    for personal_data in _registry:
        data.update(personal_data.export(user=user))
    return data


# Erasing an account


def _identifiers(user) -> list[str]:
    """The strings that name this person, for cleaning free text that may hold them."""
    values = {user.email, user.username, user.display_name, user.get_full_name()}
    values.update(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return sorted(value for value in values if value and len(value) >= 3)


def _log_entry_models():
    return list(log_registry.get_log_entry_models())


def log_entries_scrub(*, model, ids, removed: bool) -> None:
    """Audit entries about a person's rows (their posts): keep what was done and its reason
    code, drop any free text (a moderator's note may name them); a removed row loses its
    title too. For an app's eraser."""
    if not ids:
        return
    content_type = ContentType.objects.get_for_model(model)
    entries = ModelLogEntry.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in ids]
    )
    noun = model._meta.verbose_name
    for entry in entries.iterator():
        data = entry.data if isinstance(entry.data, dict) else {}
        entry.data = {key: data[key] for key in ("reason", "open_flags") if key in data}
        if removed:
            entry.label = f"A removed {noun}"
        entry.save(update_fields=["data", "label"])


def search_index_purge() -> None:
    """Make deleted words unfindable in the index's storage too, not just in its results.

    For an app's eraser, after it deleted indexed rows one by one (Wagtail deletes a row's
    search index entry on delete). SQLite's full-text index keeps deleted words in its
    segments until they are merged; "optimize" merges them now. PostgreSQL's index rows go
    with the entry.
    """
    if connection.vendor != "sqlite":
        return
    table = f"{IndexEntry._meta.db_table}_fts"
    if table not in connection.introspection.table_names():
        return  # SQLite without FTS5: the index entries are plain rows, already deleted
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608


def _sessions_delete(user_ids) -> int:
    """Sign them out everywhere: delete every stored session of theirs.

    Sessions are not indexed by user, so this reads each stored session once; an erasure is
    rare and the table is kept short by `clearsessions`. Sessions kept only in a cache or a
    cookie cannot be listed; those die with the account, which no longer signs anyone in.
    """
    engine = import_module(settings.SESSION_ENGINE)
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return 0
    wanted = {str(pk) for pk in user_ids}
    doomed = []
    for session in Session.objects.iterator(chunk_size=2000):
        data = session.get_decoded()  # an unreadable session decodes as {}
        if str(data.get(SESSION_KEY)) in wanted or str(data.get("account_user")) in wanted:
            doomed.append(session.session_key)
    for session_key in doomed:
        engine.SessionStore(session_key=session_key).delete()
    return len(doomed)


def _task_results_delete(identifiers) -> None:
    """Background task results whose error text names them (a refused email address)."""
    try:  # here, not at the top: the database task queue is an optional package
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # the database task queue is not installed
        return
    if not identifiers:
        return
    mentions = Q()
    for value in identifiers:
        mentions |= Q(traceback__icontains=value) | Q(exception_class_path__icontains=value)
        mentions |= Q(return_value__icontains=value) | Q(args_kwargs__icontains=value)
    DBTaskResult.objects.filter(mentions).delete()


def _hosts() -> set[str]:
    hosts = {host for host in settings.ALLOWED_HOSTS if host and "*" not in host}
    for hostname, port in Site.objects.values_list("hostname", "port"):
        hosts.add(hostname)
        hosts.add(f"{hostname}:{port}")
    return {host.lstrip(".") for host in hosts}


def _rate_limits_clear(*, user_id, emails) -> None:
    """Forget allauth's rate-limit counters kept for this account or its email addresses."""

    class _Account:
        pk = user_id

    keys = set()
    hosts = _hosts()
    for action, rates in account_settings.RATE_LIMITS.items():
        for rate in parse_rates(rates):
            if rate.per == "user":
                candidates = [{"user": _Account}]
            elif rate.per == "key":
                lowered = {email.lower() for email in emails}
                candidates = [{"key": email} for email in lowered]
                candidates += [{"key": f"{host}:{email}"} for host in hosts for email in lowered]
            else:  # per client address: not theirs alone
                continue
            for candidate in candidates:
                keys.add(
                    get_cache_key(
                        None, app="allauth.account", action=action, rate=rate, **candidate
                    )
                )
    cache.delete_many(list(keys))


def _erase_one(*, user, keep_posts: bool) -> dict[str, int]:
    """Everything for one account except sessions and the audit entry; returns the counts
    each app's eraser gave."""
    identifiers = _identifiers(user)
    emails = [value for value in identifiers if "@" in value]

    counts = {}
    for personal_data in _registry:
        counts.update(personal_data.erase(user=user, keep_posts=keep_posts))

    # Wagtail's audit log points at users without a database constraint.
    user_type = ContentType.objects.get_for_model(User)
    for model in _log_entry_models():
        model.objects.filter(user_id=user.pk).update(user=None)
    ModelLogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).delete()

    _task_results_delete(identifiers)
    _rate_limits_clear(user_id=user.pk, emails=emails)
    user.delete()  # cascades: email addresses and their confirmations, admin profile, groups
    return counts


def _audit(action: str, data: dict) -> None:
    """An audit entry that names nobody: no user, no account id, only what was done."""
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_id="0",  # an id no account has: the log needs one
        label="An erased account",
        action=action,
        data=data,
        timestamp=timezone.now(),
        user=None,
    )


@transaction.atomic
def account_erase(*, user, keep_posts: bool) -> dict[str, int]:
    """Delete `user` and everything Engage holds about them.

    With `keep_posts`, their ideas and comments stay where they are, shown as "A resident"
    and linked to nobody; otherwise they are deleted, with the replies and supports others
    gave them. Either way their supports, follows, reports, emails, email addresses,
    sessions and sign-in records go. Returns what the audit entry records: `kept_posts` and
    each app's counts.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    user_id = user.pk
    counts = _erase_one(user=user, keep_posts=keep_posts)
    _sessions_delete({user_id})
    data = {"kept_posts": keep_posts, **counts}
    _audit(ERASE_LOG_ACTION, data)
    return data


def unverified_accounts(*, older_than_days: int | None = None, joined_before=None):
    """Accounts whose email address was never confirmed, made more than N days ago (or
    before a given time).

    Only self-registered residents: never staff, admins, or anyone in a group (moderators
    and PCN staff are added to groups, and may be set up without an email confirmation).
    A resident must confirm their email before they can sign in, so these never signed in.
    """
    if joined_before is None:
        joined_before = timezone.now() - timedelta(days=older_than_days)
    cutoff = joined_before
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    in_a_group = User.groups.through.objects.filter(user=OuterRef("pk"))
    return (
        User.objects.filter(date_joined__lt=cutoff, last_login__isnull=True)
        .filter(is_staff=False, is_superuser=False)
        .exclude(Exists(verified))
        .exclude(Exists(in_a_group))
        .order_by("date_joined", "pk")
    )


@transaction.atomic
def unverified_accounts_remove(*, older_than_days: int | None = None, joined_before=None) -> int:
    """Delete every account `unverified_accounts` finds. Returns how many."""
    if joined_before is None:
        joined_before = timezone.now() - timedelta(days=older_than_days)
    users = list(unverified_accounts(joined_before=joined_before).select_for_update())
    user_ids = {user.pk for user in users}
    for user in users:
        _erase_one(user=user, keep_posts=False)
    if users:
        _sessions_delete(user_ids)
        _audit(
            REMOVE_UNVERIFIED_LOG_ACTION,
            {"accounts": len(users), "older_than_days": older_than_days}
            if older_than_days is not None
            else {"accounts": len(users), "joined_before": joined_before.isoformat()},
        )
    return len(users)
