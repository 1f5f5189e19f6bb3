"""A resident's rights over their information (UK GDPR): a copy of it, and erasing it.

`account_data` is a selector: everything Engage holds about one account, as plain data for
a JSON download, in a fixed number of queries however much they posted.

`account_erase` is the service: it deletes the account and everything linked to it, or
keeps their ideas and comments without their name, in one transaction, and leaves an
audit entry that says what happened but not to whom. It works from the account outwards:

- rows that belong to the person (supports, follows, reports, emails owed, email
  addresses, sessions) are deleted; so is the account, and with it every table whose
  foreign key to `engage.User` cascades. A new per-person table is covered as long as its
  key cascades or is set to null; `tests/engage/test_privacy_erasure.py` scans every
  table to prove it;
- their posts are deleted, or kept with no author ("A resident");
- what points at them without a database constraint is cleaned by hand: Wagtail's audit
  log (its `user` column and entries about their account or their removed posts), the
  search index, background task results, and allauth's rate-limit entries in the cache.
"""

from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from consultations.models import (
    Comment,
    Flag,
    Follow,
    Idea,
    ModerationAction,
    ModerationDecision,
    Notice,
    Support,
    ThemeSuggestion,
)
from consultations.services import comment_count_refresh
from engage.models import User

EXPORT_FORMAT = "engage-account-data/1"
ERASE_LOG_ACTION = "engage.account.erase"
REMOVE_UNVERIFIED_LOG_ACTION = "engage.account.remove_unverified"


# Reading: a copy of everything we hold about one account


def _when(value):
    return value.isoformat() if value else None


def _decisions(post) -> list[dict]:
    """What moderators decided about a post and why; never who the moderator was."""
    return [
        {
            "action": ModerationAction(decision.action).label,
            "reason": decision.reason_label,
            "note": decision.note,
            "date": _when(decision.created_at),
        }
        for decision in post.decisions.all()
    ]


def _idea_url(idea) -> str | None:
    consultation = idea.consultation
    base = consultation.get_full_url()
    if base is None:
        return None
    return base + consultation.reverse_subpage("idea-detail", args=[idea.pk])


def account_data(*, user) -> dict:
    """Everything Engage holds about `user`, as JSON-ready data.

    Their account and email addresses, their ideas (with status, channel, themes and the
    moderation decisions about them), comments, supports, follows, the reports they made and
    the emails sent to them. Eleven queries, however many posts they have.
    """
    decisions = ModerationDecision.objects.order_by("created_at", "pk")
    ideas = (
        Idea.objects.filter(author=user)
        .select_related("consultation", "neighbourhood")
        .prefetch_related("themes")
        .prefetch_related(_prefetch_decisions(decisions))
        .order_by("created_at", "pk")
    )
    comments = (
        Comment.objects.filter(author=user)
        .select_related("idea")
        .prefetch_related(_prefetch_decisions(decisions))
        .order_by("created_at", "pk")
    )
    supports = Support.objects.filter(user=user).select_related("idea").order_by("created_at")
    follows = (
        Follow.objects.filter(user=user)
        .select_related("consultation", "idea")
        .order_by("created_at", "pk")
    )
    flags = (
        Flag.objects.filter(reporter=user)
        .select_related("idea", "comment")
        .order_by("created_at", "pk")
    )
    notices = (
        Notice.objects.filter(user=user)
        .select_related("consultation", "update")
        .order_by("created_at", "pk")
    )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _when(timezone.now()),
        "account": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "shown_as": user.public_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email_updates": user.email_updates,
            "joined": _when(user.date_joined),
            "last_signed_in": _when(user.last_login),
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "ideas": [
            {
                "id": idea.pk,
                "consultation": idea.consultation.title,
                "url": _idea_url(idea),
                "title": idea.title,
                "body": idea.body,
                "neighbourhood": idea.neighbourhood.name if idea.neighbourhood else None,
                "shown_as": idea.get_attribution_display(),
                "status": idea.get_status_display(),
                "channel": idea.get_channel_display(),
                "themes": [theme.name for theme in idea.themes.all()],
                "supports": idea.support_count,
                "comments": idea.comment_count,
                "created": _when(idea.created_at),
                "updated": _when(idea.updated_at),
                "published": _when(idea.published_at),
                "moderation": _decisions(idea),
            }
            for idea in ideas
        ],
        "comments": [
            {
                "id": comment.pk,
                "idea": {"id": comment.idea_id, "title": comment.idea.title},
                "reply_to": comment.parent_id,
                "body": comment.body,
                "status": comment.get_status_display(),
                "created": _when(comment.created_at),
                "updated": _when(comment.updated_at),
                "moderation": _decisions(comment),
            }
            for comment in comments
        ],
        "supports": [
            {
                "idea": {"id": support.idea_id, "title": support.idea.title},
                "date": _when(support.created_at),
            }
            for support in supports
        ],
        "follows": [
            {
                "consultation": follow.consultation.title if follow.consultation_id else None,
                "idea": {"id": follow.idea_id, "title": follow.idea.title}
                if follow.idea_id
                else None,
                "date": _when(follow.created_at),
            }
            for follow in follows
        ],
        "reports": [
            {
                "idea": flag.idea_id,
                "comment": flag.comment_id,
                "reason": flag.get_reason_display(),
                "details": flag.details,
                "date": _when(flag.created_at),
                "resolved": _when(flag.resolved_at),
            }
            for flag in flags
        ],
        "emails": [
            {
                "kind": notice.get_kind_display(),
                "about": (notice.update or notice.consultation).title
                if (notice.update_id or notice.consultation_id)
                else None,
                "status": notice.get_status_display(),
                "created": _when(notice.created_at),
                "sent": _when(notice.sent_at),
            }
            for notice in notices
        ],
    }


def _prefetch_decisions(queryset):
    return Prefetch("decisions", queryset=queryset)


# Erasing an account


@dataclass(frozen=True)
class Erasure:
    """What an erasure did, in numbers only."""

    ideas: int
    comments: int
    kept_posts: bool


def _identifiers(user) -> list[str]:
    """The strings that name this person, for cleaning free text that may hold them."""
    values = {user.email, user.username, user.display_name, user.get_full_name()}
    values.update(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return sorted(value for value in values if value and len(value) >= 3)


def _recount_supports(idea_ids) -> None:
    if not idea_ids:
        return
    counts = (
        Support.objects.filter(idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(total=Count("pk"))
        .values("total")
    )
    Idea.objects.filter(pk__in=list(idea_ids)).update(support_count=Coalesce(Subquery(counts), 0))


def _log_entry_models():
    return list(log_registry.get_log_entry_models())


def _scrub_post_log_entries(*, model, ids, removed: bool) -> None:
    """Audit entries about their posts: keep what a moderator did and the reason code, drop
    any free text (a moderator's note may name them); a removed post loses its title too."""
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


def _search_index_purge() -> None:
    """Make deleted words unfindable in the index's storage too, not just in its results.

    Removing a post deletes its search index entry (Wagtail does this on delete). SQLite's
    full-text index keeps deleted words in its segments until they are merged; "optimize"
    merges them now. PostgreSQL's index rows go with the entry.
    """
    from wagtail.search.models import IndexEntry

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
    from django.contrib.sessions.models import Session

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
    try:
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
    from wagtail.models import Site

    hosts = {host for host in settings.ALLOWED_HOSTS if host and "*" not in host}
    for hostname, port in Site.objects.values_list("hostname", "port"):
        hosts.add(hostname)
        hosts.add(f"{hostname}:{port}")
    return {host.lstrip(".") for host in hosts}


def _rate_limits_clear(*, user_id, emails) -> None:
    """Forget allauth's rate-limit counters kept for this account or its email addresses."""
    from allauth.account import app_settings
    from allauth.core.internal.ratelimit import get_cache_key, parse_rates

    class _Account:
        pk = user_id

    keys = set()
    hosts = _hosts()
    for action, rates in app_settings.RATE_LIMITS.items():
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


def _erase_one(*, user, keep_posts: bool) -> Erasure:
    """Everything for one account except sessions and the audit entry."""
    identifiers = _identifiers(user)
    emails = [value for value in identifiers if "@" in value]
    idea_ids = list(Idea.objects.filter(author=user).values_list("pk", flat=True))
    comment_ids = list(Comment.objects.filter(author=user).values_list("pk", flat=True))

    # What belongs to them alone.
    supported = set(Support.objects.filter(user=user).values_list("idea_id", flat=True))
    Support.objects.filter(user=user).delete()
    _recount_supports(supported - set(idea_ids))
    Follow.objects.filter(user=user).delete()
    Flag.objects.filter(reporter=user).delete()
    Notice.objects.filter(user=user).delete()
    # Their own withdrawals (and, for a moderator, their decisions) keep no link to them.
    ModerationDecision.objects.filter(actor=user).update(actor=None)
    Flag.objects.filter(resolved_by=user).update(resolved_by=None)

    if keep_posts:
        Idea.objects.filter(pk__in=idea_ids).update(author=None)
        Comment.objects.filter(pk__in=comment_ids).update(author=None)
        # A moderator's note was written to them and may name them; the reason code stays.
        ModerationDecision.objects.filter(
            Q(idea_id__in=idea_ids) | Q(comment_id__in=comment_ids)
        ).update(note="")
        _scrub_post_log_entries(model=Idea, ids=idea_ids, removed=False)
        _scrub_post_log_entries(model=Comment, ids=comment_ids, removed=False)
    else:
        _scrub_post_log_entries(model=Idea, ids=idea_ids, removed=True)
        _scrub_post_log_entries(model=Comment, ids=comment_ids, removed=True)
        # Suggested themes are named after words of the ideas they group.
        ThemeSuggestion.objects.filter(ideas__in=idea_ids).delete()
        commented_on = set(
            Comment.objects.filter(pk__in=comment_ids).values_list("idea_id", flat=True)
        )
        # Deleting one by one sends post_delete, which removes each from the search index.
        for comment in Comment.objects.filter(pk__in=comment_ids):
            comment.delete()
        for idea in Idea.objects.filter(pk__in=idea_ids):
            idea.delete()
        for idea_id in commented_on - set(idea_ids):
            comment_count_refresh(idea_id)
        _search_index_purge()

    # Wagtail's audit log points at users without a database constraint.
    user_type = ContentType.objects.get_for_model(User)
    for model in _log_entry_models():
        model.objects.filter(user_id=user.pk).update(user=None)
    ModelLogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).delete()

    _task_results_delete(identifiers)
    _rate_limits_clear(user_id=user.pk, emails=emails)
    user.delete()  # cascades: email addresses and their confirmations, admin profile, groups
    return Erasure(ideas=len(idea_ids), comments=len(comment_ids), kept_posts=keep_posts)


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
def account_erase(*, user, keep_posts: bool) -> Erasure:
    """Delete `user` and everything Engage holds about them.

    With `keep_posts`, their ideas and comments stay where they are, shown as "A resident"
    and linked to nobody; otherwise they are deleted, with the replies and supports others
    gave them. Either way their supports, follows, reports, emails, email addresses,
    sessions and sign-in records go.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    user_id = user.pk
    erasure = _erase_one(user=user, keep_posts=keep_posts)
    _sessions_delete({user_id})
    _audit(
        ERASE_LOG_ACTION,
        {"kept_posts": keep_posts, "ideas": erasure.ideas, "comments": erasure.comments},
    )
    return erasure


def unverified_accounts(*, older_than_days: int):
    """Accounts whose email address was never confirmed, made more than N days ago.

    Only self-registered residents: never staff, admins, or anyone in a group (moderators
    and PCN staff are added to groups, and may be set up without an email confirmation).
    A resident must confirm their email before they can sign in, so these never signed in.
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
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
def unverified_accounts_remove(*, older_than_days: int) -> int:
    """Delete every account `unverified_accounts` finds. Returns how many."""
    users = list(unverified_accounts(older_than_days=older_than_days).select_for_update())
    user_ids = {user.pk for user in users}
    for user in users:
        _erase_one(user=user, keep_posts=False)
    if users:
        _sessions_delete(user_ids)
        _audit(
            REMOVE_UNVERIFIED_LOG_ACTION,
            {"accounts": len(users), "older_than_days": older_than_days},
        )
    return len(users)
