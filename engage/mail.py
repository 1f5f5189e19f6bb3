"""The one way out for email: `email_enqueue` hands every message to the `send_email` task.

A request never talks to the mail server: it enqueues a task and returns. With the database
task backend (production) the worker sends it; with the immediate backend (one laptop) the
task runs in the request, but a failure is recorded by the backend, not raised into the page.

Every message Engage sends has a key: a name that says which message it is (`notice:12`,
`moderation-decision:7`), or a fresh one for a one-off such as a password reset. The key's
`OutgoingEmail` row makes each send at most once, though SMTP has no transactions:

- `email_enqueue` records the key and enqueues the task, in the caller's transaction. A key
  already queued, being sent or sent is not enqueued again, so whatever builds an email can
  run twice;
- `send_email` claims the row ("sending") before it hands the message to the server, and
  marks it "sent" once the server has taken it;
- a failure that shows the server did not take the message (the connection could not be
  opened: refused, dropped, or no answer within EMAIL_TIMEOUT; or the server answered a
  command with an error) puts the row back to "queued", and the task runs again after the
  next of RETRY_DELAYS; after the last attempt the email is given up ("failed", logged);
- any other failure once the connection is open (it dropped, or timed out, perhaps while
  the server was taking the message) cannot tell sent from not sent. The row is marked
  "uncertain", logged, and the message is never sent again: a rare lost email rather than
  the same email twice;
- a task that finds its row "sending" (another task is sending it, or a worker stopped
  mid-send) leaves it alone and sends nothing.

A given-up email may be offered again by its owner (`email_enqueue` with the same key: the
notices outbox does, when `send_notifications` runs) until it has had MAX_ATTEMPTS attempts
in all. `email_status_changed` tells the owner of a key what happened to it, so an outbox
row (`consultations.Notice`) can say whether its email went.

Links in emails are absolute: `absolute_url(reverse(...))`, or a Wagtail page's `full_url`,
which knows its PCN's site.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.dispatch import Signal
from django.utils import timezone
from django_tasks import task

from engage.models import OutgoingEmail

logger = logging.getLogger(__name__)

# Seconds to wait before each retry; after the last, the email is given up (and logged).
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60, 6 * 60 * 60, 12 * 60 * 60)
# Attempts an email gets in all, however often its owner offers it again.
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

Status = OutgoingEmail.Status

# Sent after each attempt at a keyed email: keyword arguments `key`, `status` (an
# `OutgoingEmail.Status`: SENT, QUEUED for a retry, FAILED, UNCERTAIN), `attempts` and
# `error` (the failure, as text, or "").
email_status_changed = Signal()


def absolute_url(path: str) -> str:
    """A link for an email: `path` (from `reverse()`) on the site's base address
    (WAGTAILADMIN_BASE_URL). A page of a PCN's site uses its Wagtail `full_url` instead."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def retry_later(task_to_retry, *, attempt: int, **kwargs) -> bool:
    """Enqueue the task again after the delay for this attempt. Returns False when there are
    no attempts left or the backend cannot run tasks later (the immediate backend)."""
    if attempt > len(RETRY_DELAYS) or not task_to_retry.get_backend().supports_defer:
        logger.error("Giving up on %s after %s attempts: %s", task_to_retry.name, attempt, kwargs)
        return False
    run_after = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt - 1])
    task_to_retry.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
    return True


def email_enqueue(
    *,
    key: str | None,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str = "",
    headers: dict | None = None,
) -> bool:
    """Hand one email to the `send_email` task: the only way an email leaves Engage.

    Enqueued at once rather than on commit: the message is already rendered, so the task
    needs nothing from the database, and the database backend stores the task (and the
    key's row) in the same transaction as the caller's own changes, so it is queued only if
    they are kept. Returns False, enqueuing nothing, when the key is already queued, being
    sent or sent (or was given up after MAX_ATTEMPTS attempts, or withdrawn).

    `key=None` sends without a record, so a retry after a timeout might deliver it twice:
    every email the product sends has a key.
    """
    attempt = 1
    if key is not None:
        outgoing, created = OutgoingEmail.objects.get_or_create(key=key)
        if not created:
            if outgoing.status != Status.FAILED or outgoing.attempts >= MAX_ATTEMPTS:
                return False
            # Given up before its attempts ran out (the immediate backend cannot wait):
            # offered again, it carries on counting.
            if not OutgoingEmail.objects.filter(pk=outgoing.pk, status=Status.FAILED).update(
                status=Status.QUEUED
            ):
                return False
            attempt = outgoing.attempts + 1
    send_email.enqueue(
        subject=subject,
        body=body,
        to=list(to),
        from_email=from_email,
        html=html,
        headers=headers or {},
        key=key,
        attempt=attempt,
    )
    return True


def email_send_later(message, *, key: str | None = None) -> bool:
    """`email_enqueue` for a ready-made EmailMessage (allauth's, for instance)."""
    html = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    if getattr(message, "content_subtype", "plain") == "html":
        body, html = "", message.body
    else:
        body = message.body
    return email_enqueue(
        key=key,
        subject=message.subject,
        body=body,
        to=list(message.to),
        from_email=message.from_email,
        html=html,
        headers=dict(message.extra_headers),
    )


def email_withdraw(key: str) -> bool:
    """Stop an email that has not gone yet (its reader turned such emails off): a retry
    already queued then sends nothing. Returns whether there was one to stop."""
    return bool(
        OutgoingEmail.objects.filter(key=key, status__in=[Status.QUEUED, Status.FAILED]).update(
            status=Status.WITHDRAWN
        )
    )


def _server_did_not_take_it(error: Exception) -> bool:
    """Whether a failure on an open connection shows the server did not take the message.

    The server refused the connection, or answered a command with an error code (a refused
    sender or recipient, a refused message): it did not take it. A dropped connection or a
    timeout (`SMTPServerDisconnected`, any other `OSError`), or a failure of another kind,
    may have come after the server took it.
    """
    if isinstance(error, ConnectionRefusedError):
        return True
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return False
    return isinstance(error, smtplib.SMTPException)


def _failure(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


def _record(key: str, status: str, *, attempts: int, error: str = "", **fields) -> None:
    """Record what happened to a keyed email and tell its owner. The row keeps the kind of
    failure only: an error's text can hold an email address."""
    kind = error.split(":", 1)[0][:200]
    OutgoingEmail.objects.filter(key=key).update(
        status=status, attempts=attempts, last_error=kind, updated_at=timezone.now(), **fields
    )
    email_status_changed.send(
        sender=OutgoingEmail, key=key, status=status, attempts=attempts, error=error
    )


@task()
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str = "",
    headers: dict | None = None,
    key: str | None = None,
    attempt: int = 1,
) -> str:
    """Send one email at most once (see above); on a failure the server did not take it,
    schedule another attempt and fail this one."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers or {}
    )
    if html:
        message.attach_alternative(html, "text/html")
    retry = {
        "subject": subject,
        "body": body,
        "to": to,
        "from_email": from_email,
        "html": html,
        "headers": headers,
    }
    if key is None:
        try:
            message.send()
        except Exception:
            retry_later(send_email, attempt=attempt, **retry)
            raise
        return "sent"

    if not _claim(key, attempt=attempt):
        return OutgoingEmail.objects.filter(key=key).values_list("status", flat=True).first()
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:  # no connection, so the server cannot have taken it
        _retry_or_give_up(key, attempt=attempt, error=error, retry=retry)
        raise
    try:
        connection.send_messages([message])
    except Exception as error:
        if _server_did_not_take_it(error):
            _retry_or_give_up(key, attempt=attempt, error=error, retry=retry)
        else:
            logger.error(
                "Email %s may or may not have been delivered (%s); it is not sent again.",
                key,
                type(error).__name__,
            )
            _record(key, Status.UNCERTAIN, attempts=attempt, error=_failure(error))
        raise
    finally:
        _close(connection)
    _record(key, Status.SENT, attempts=attempt, sent_at=timezone.now())
    return "sent"


def _claim(key: str, *, attempt: int) -> bool:
    """Mark the email "sending" if it is waiting to send; False if it is not (sent, being
    sent, uncertain, given up or withdrawn), and then it is left alone."""
    claimed = OutgoingEmail.objects.filter(key=key, status=Status.QUEUED).update(
        status=Status.SENDING, attempts=attempt, updated_at=timezone.now()
    )
    if claimed:
        return True
    _, created = OutgoingEmail.objects.get_or_create(
        key=key, defaults={"status": Status.SENDING, "attempts": attempt}
    )
    if not created:
        logger.info("Email %s is not sent again: it is not waiting to send.", key)
    return created


def _retry_or_give_up(key: str, *, attempt: int, error: Exception, retry: dict) -> None:
    retried = retry_later(send_email, attempt=attempt, key=key, **retry)
    _record(
        key, Status.QUEUED if retried else Status.FAILED, attempts=attempt, error=_failure(error)
    )


def _close(connection) -> None:
    """Close the connection; a failure to say goodbye changes nothing about the email."""
    try:
        connection.close()
    except Exception:
        logger.warning("Could not close the mail server connection cleanly.", exc_info=True)
