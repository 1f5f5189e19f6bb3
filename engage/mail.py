"""Email goes out from background tasks, and a failed send is tried again later.

A request never talks to the mail server: it enqueues a task and returns. With the database task backend (production) the worker sends it; if the server
refuses or times out (EMAIL_TIMEOUT), the task is enqueued again to run after a delay that
grows with each attempt, so an outage is caught up once the server is back and each email
is delivered once. With the immediate backend (one laptop) the task runs in the request but a
failure is recorded by the backend, not raised into the page.
"""

import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# Seconds to wait before each retry; after the last, the email is given up (and logged).
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60, 6 * 60 * 60, 12 * 60 * 60)


def retry_later(task_to_retry, *, attempt: int, **kwargs) -> bool:
    """Enqueue the task again after the delay for this attempt. Returns False when there are
    no attempts left or the backend cannot run tasks later (the immediate backend)."""
    if attempt > len(RETRY_DELAYS) or not task_to_retry.get_backend().supports_defer:
        logger.error("Giving up on %s after %s attempts: %s", task_to_retry.name, attempt, kwargs)
        return False
    run_after = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt - 1])
    task_to_retry.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
    return True


@task()
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str = "",
    headers: dict | None = None,
    attempt: int = 1,
) -> str:
    """Send one email; on failure, schedule another attempt and fail this one."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers or {}
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        retry_later(
            send_email,
            attempt=attempt,
            subject=subject,
            body=body,
            to=to,
            from_email=from_email,
            html=html,
            headers=headers,
        )
        raise
    return "sent"


def email_send_later(message) -> None:
    """Hand a ready-made EmailMessage to a background task.

    Enqueued at once rather than on commit: the message is already rendered, so the task
    needs nothing from the database, and the database backend stores the task in the same
    transaction as the request's own changes (it is queued only if they are kept)."""
    html = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    if getattr(message, "content_subtype", "plain") == "html":
        body, html = "", message.body
    else:
        body = message.body
    kwargs = {
        "subject": message.subject,
        "body": body,
        "to": list(message.to),
        "from_email": message.from_email,
        "html": html,
        "headers": dict(message.extra_headers),
    }
    send_email.enqueue(**kwargs)
