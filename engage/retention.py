"""How long Engage keeps each kind of record, and carrying that out (UK GDPR: storage
limitation; the NHS Records Management Code of Practice for the audit trail).

Each app says what it keeps, in its `AppConfig.ready()`, with `retention_rule_register`:
a `RetentionRule` names the kind of record in plain English, how many days it is kept by
default, why, and two functions:

- `count(*, cutoff) -> int`: how many records older than the cutoff the rule applies to
  (a read, for `--dry-run`);
- `apply(*, cutoff) -> int`: removes or anonymises them, returns how many.

`ENGAGE_RETENTION_DAYS` (settings) overrides any rule's days by its key. `retention_apply`
runs every rule in one transaction per rule, and leaves one audit entry per run saying what
was removed, with counts only. `manage.py apply_retention` runs it daily.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from engage.models import OutgoingEmail, User
from engage.privacy import unverified_accounts, unverified_accounts_remove

RETENTION_LOG_ACTION = "engage.retention.apply"


@dataclass(frozen=True)
class RetentionRule:
    key: str
    label: str  # what the records are, in plain English: "Records of emails sent"
    action: str  # "deleted" or "anonymised": what happens when they are due
    default_days: int
    why: str
    count: Callable[..., int]
    apply: Callable[..., int]

    @property
    def days(self) -> int:
        return retention_days(self.key, default=self.default_days)


@dataclass(frozen=True)
class RetentionResult:
    rule: RetentionRule
    days: int
    count: int


_rules: dict[str, RetentionRule] = {}


def retention_rule_register(rule: RetentionRule) -> None:
    """Called from an app's `AppConfig.ready()`. A key may be registered once."""
    existing = _rules.get(rule.key)
    if existing is not None and existing != rule:
        raise ValueError(f"A retention rule with the key {rule.key!r} is already registered.")
    _rules[rule.key] = rule


def retention_rules() -> list[RetentionRule]:
    return sorted(_rules.values(), key=lambda rule: rule.key)


def retention_days(key: str, *, default: int) -> int:
    days = getattr(settings, "ENGAGE_RETENTION_DAYS", {}).get(key, default)
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise ValueError(
            f"ENGAGE_RETENTION_DAYS[{key!r}] must be a whole number of days, 1 or more; "
            f"it is {days!r}."
        )
    return days


def retention_apply(*, now: datetime | None = None, dry_run: bool = False) -> list[RetentionResult]:
    """Run every rule: what each removed or anonymised (or, dry, would)."""
    now = now or timezone.now()
    results = []
    for rule in retention_rules():
        days = rule.days
        cutoff = now - timedelta(days=days)
        if dry_run:
            count = rule.count(cutoff=cutoff)
        else:
            with transaction.atomic():
                count = rule.apply(cutoff=cutoff)
        results.append(RetentionResult(rule=rule, days=days, count=count))
    if not dry_run and any(result.count for result in results):
        ModelLogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(User),
            object_id="0",
            label="Records past their retention period",
            action=RETENTION_LOG_ACTION,
            data={result.rule.key: result.count for result in results if result.count},
            timestamp=now,
            user=None,
        )
    return results


# The platform's own records


def _emails_due(*, cutoff):
    return OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED],
        updated_at__lt=cutoff,
    )


def _emails_delete(*, cutoff) -> int:
    return _emails_due(cutoff=cutoff).delete()[0]


def _finished_tasks_due(*, cutoff):
    return DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)


def _finished_tasks_delete(*, cutoff) -> int:
    return _finished_tasks_due(cutoff=cutoff).delete()[0]


def _accounts_due(*, cutoff):
    return unverified_accounts(joined_before=cutoff)


def _accounts_delete(*, cutoff) -> int:
    return unverified_accounts_remove(joined_before=cutoff)


def _audit_due(*, cutoff):
    return ModelLogEntry.objects.filter(timestamp__lt=cutoff)


def _audit_delete(*, cutoff) -> int:
    return _audit_due(cutoff=cutoff).delete()[0]


PLATFORM_RULES = [
    RetentionRule(
        key="sent_emails",
        label="Records of emails sent or given up on",
        action="deleted",
        default_days=90,
        why="They only stop an email being sent twice; retries end within a day.",
        count=lambda *, cutoff: _emails_due(cutoff=cutoff).count(),
        apply=_emails_delete,
    ),
    RetentionRule(
        key="finished_tasks",
        label="Background tasks that have finished, with the emails they sent",
        action="deleted",
        default_days=14,
        why="Each keeps the whole email it sent (a safeguarding alert keeps a resident's "
        "disclosure and contact details); once finished, it only helps to look into a failure.",
        count=lambda *, cutoff: _finished_tasks_due(cutoff=cutoff).count(),
        apply=_finished_tasks_delete,
    ),
    RetentionRule(
        key="unconfirmed_accounts",
        label="Accounts whose email address was never confirmed",
        action="deleted",
        default_days=settings.ENGAGE_UNVERIFIED_ACCOUNT_DAYS,
        why="They cannot sign in or take part, so there is no reason to keep them.",
        count=lambda *, cutoff: _accounts_due(cutoff=cutoff).count(),
        apply=_accounts_delete,
    ),
    RetentionRule(
        key="audit_log",
        label="Audit entries about ideas, comments, themes, accounts and letters",
        action="deleted",
        default_days=6 * 365,
        why="The audit trail answers complaints and reviews; six years, as for other "
        "NHS corporate records of this kind.",
        count=lambda *, cutoff: _audit_due(cutoff=cutoff).count(),
        apply=_audit_delete,
    ),
]
