"""Retention: every kind of record goes (or loses its personal details) once it is older
than its period, nothing younger is touched, a dry run changes nothing, and each run leaves
an audit entry with counts only. Participation's own rules: tests/consultations/
test_retention.py."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from engage.models import OutgoingEmail, User
from engage.retention import (
    RETENTION_LOG_ACTION,
    RetentionRule,
    retention_apply,
    retention_rule_register,
    retention_rules,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def counts(results) -> dict[str, int]:
    return {result.rule.key: result.count for result in results}


def email(*, status, age_days, key):
    row = OutgoingEmail.objects.create(key=key, status=status)
    OutgoingEmail.objects.filter(pk=row.pk).update(updated_at=timezone.now() - age_days * DAY)
    return row


def test_every_app_registers_its_rules():
    keys = {rule.key for rule in retention_rules()}
    assert {"sent_emails", "unconfirmed_accounts", "audit_log"} <= keys
    assert {"withdrawn_posts", "hidden_posts", "offline_contact_details"} <= keys
    for rule in retention_rules():
        assert rule.label and rule.why and rule.action in {"deleted", "anonymised"}


def test_sent_and_failed_email_records_go_after_90_days_and_queued_ones_stay():
    old_sent = email(status=OutgoingEmail.Status.SENT, age_days=91, key="a")
    old_failed = email(status=OutgoingEmail.Status.FAILED, age_days=91, key="b")
    recent = email(status=OutgoingEmail.Status.SENT, age_days=89, key="c")
    queued = email(status=OutgoingEmail.Status.QUEUED, age_days=400, key="d")
    assert counts(retention_apply())["sent_emails"] == 2
    remaining = set(OutgoingEmail.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, queued.pk}
    assert old_sent.pk not in remaining and old_failed.pk not in remaining


def task_result(*, status, age_days):
    finished = timezone.now() - age_days * DAY
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {"body": "What they wrote: I feel unsafe at home"}},
        task_path="engage.mail.send_email",
        backend_name="default",
        queue_name="default",
        run_after=finished,
        finished_at=None if status in {"READY", "RUNNING"} else finished,
    )


def test_finished_tasks_and_the_emails_they_hold_go_after_14_days_and_waiting_ones_stay():
    old_done = task_result(status="SUCCESSFUL", age_days=15)
    old_failed = task_result(status="FAILED", age_days=15)
    recent = task_result(status="SUCCESSFUL", age_days=13)
    waiting = task_result(status="READY", age_days=400)
    assert counts(retention_apply())["finished_tasks"] == 2
    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, waiting.pk}
    assert old_done.pk not in remaining and old_failed.pk not in remaining


def test_unconfirmed_accounts_go_after_their_period():
    old = UserFactory(verified=False)
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - 31 * DAY)
    young = UserFactory(verified=False)
    confirmed = UserFactory()
    User.objects.filter(pk=confirmed.pk).update(date_joined=timezone.now() - 400 * DAY)
    assert counts(retention_apply())["unconfirmed_accounts"] == 1
    assert set(User.objects.values_list("pk", flat=True)) == {young.pk, confirmed.pk}


def test_audit_entries_go_after_six_years():
    user = UserFactory()
    old = ModelLogEntry.objects.create(
        content_type_id=1,
        object_id="1",
        label="x",
        action="wagtail.edit",
        timestamp=timezone.now() - (6 * 365 + 1) * DAY,
        user=user,
    )
    kept = ModelLogEntry.objects.create(
        content_type_id=1,
        object_id="1",
        label="x",
        action="wagtail.edit",
        timestamp=timezone.now() - (6 * 365 - 1) * DAY,
        user=user,
    )
    assert counts(retention_apply())["audit_log"] == 1
    assert not ModelLogEntry.objects.filter(pk=old.pk).exists()
    assert ModelLogEntry.objects.filter(pk=kept.pk).exists()


def test_a_run_leaves_an_audit_entry_with_counts_only():
    email(status=OutgoingEmail.Status.SENT, age_days=100, key="a")
    retention_apply()
    entry = ModelLogEntry.objects.get(action=RETENTION_LOG_ACTION)
    assert entry.data == {"sent_emails": 1}
    assert entry.user_id is None


def test_a_run_with_nothing_due_leaves_no_entry():
    retention_apply()
    assert not ModelLogEntry.objects.filter(action=RETENTION_LOG_ACTION).exists()


def test_a_dry_run_counts_and_changes_nothing():
    email(status=OutgoingEmail.Status.SENT, age_days=100, key="a")
    output = run("--dry-run")
    assert "Records of emails sent or given up on (kept 90 days): 1 would be deleted." in output
    assert "Nothing was changed (dry run)." in output
    assert OutgoingEmail.objects.count() == 1
    assert not ModelLogEntry.objects.filter(action=RETENTION_LOG_ACTION).exists()


def test_the_command_reports_what_it_removed():
    email(status=OutgoingEmail.Status.SENT, age_days=100, key="a")
    output = run()
    assert "Records of emails sent or given up on (kept 90 days): 1 deleted." in output
    assert "1 record(s) removed or anonymised in all." in output
    assert not OutgoingEmail.objects.exists()


def test_a_period_can_be_changed_in_settings(settings):
    settings.ENGAGE_RETENTION_DAYS = {"sent_emails": 200}
    email(status=OutgoingEmail.Status.SENT, age_days=100, key="a")
    assert counts(retention_apply())["sent_emails"] == 0
    assert "(kept 200 days)" in run("--dry-run")


@pytest.mark.parametrize("bad", [0, -5, "90", 1.5, True, None])
def test_a_bad_period_in_settings_is_refused_with_a_clear_error(settings, bad):
    settings.ENGAGE_RETENTION_DAYS = {"sent_emails": bad}
    email(status=OutgoingEmail.Status.SENT, age_days=100, key="a")
    with pytest.raises(CommandError, match=r"ENGAGE_RETENTION_DAYS\['sent_emails'\] must be"):
        run()
    assert OutgoingEmail.objects.count() == 1


def test_a_rule_key_cannot_be_registered_twice_with_another_meaning():
    rule = retention_rules()[0]
    with pytest.raises(ValueError, match="already registered"):
        retention_rule_register(
            RetentionRule(
                key=rule.key,
                label="Something else",
                action="deleted",
                default_days=1,
                why="-",
                count=lambda *, cutoff: 0,
                apply=lambda *, cutoff: 0,
            )
        )
