"""Emails to residents and moderators, written by background tasks (django-tasks).

Tasks take primary keys, look everything up again, and are safe to run twice. Services
enqueue them with `transaction.on_commit`, so a slow or failing mail server never slows or
fails the request that caused the email. Each task writes its emails and hands them to
`engage.mail.email_enqueue` under a key that names the message (`moderation-decision:7`,
`notice:12`), so an email is queued once however often the task runs; the mail queue sends
it, retries it and never sends it twice (`engage.mail`). The `Notice` outbox hears how its
emails went through `engage.mail.email_status_changed` (`notice_email_status_changed`).

Links in emails are absolute and built here: a Wagtail page's `full_url` (it knows its PCN's
site), or `reverse()` on the site's base address (`engage.mail.absolute_url`).
"""

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django_tasks import task

from consultations.loop import update_letters_create, update_notices_create
from consultations.models import (
    Comment,
    ConsultationPage,
    Flag,
    Idea,
    ModerationAction,
    ModerationDecision,
    ModerationReason,
    Notice,
    OfflineContributor,
    PostStatus,
    UpdatePage,
)
from engage.mail import (
    MAX_ATTEMPTS,
    absolute_url,
    email_enqueue,
    email_withdraw,
)
from engage.models import OutgoingEmail
from home.models import HomePage, PrimaryCareNetwork


def _one_line(text: str) -> str:
    """Email subjects must be a single line (no header injection)."""
    return " ".join(str(text).split())[:150]


def _subject(text: str) -> str:
    return _one_line(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{text}")


# Links in emails


def idea_full_url(idea: Idea) -> str:
    """The idea's page, on its PCN's site."""
    return idea.get_full_url()


def moderation_queue_url() -> str:
    return absolute_url(reverse("moderation_ideas:index"))


NEXT_STEPS = {
    ModerationReason.PERSONAL: "You are welcome to post your idea again without the personal "
    "or medical details. If you need help with your own care, please contact your practice.",
    ModerationReason.ABUSIVE: "Please keep to our house rules: be kind and respectful. You can "
    "post your point again in a way that respects others.",
    ModerationReason.SPAM: "If you think we got this wrong, reply to this email and tell us why.",
    ModerationReason.OFF_TOPIC: "You can share it again in a consultation it fits, or contact "
    "your practice about it.",
    ModerationReason.SAFEGUARDING: "A member of the practice team may contact you. If you or "
    "someone else is in danger now, call 999. For urgent help that is not an emergency, call "
    "NHS 111.",
    ModerationReason.CARE_COMPLAINT: "Complaints about care are handled by your practice, who "
    "can look into it and reply to you personally. Please contact the practice manager.",
    ModerationReason.MEETS_RULES: "",
}


@task()
def send_moderation_decision(decision_id: int) -> None:
    """Tell an author, in plain English, what a moderator decided about their post and why.

    One email per decision, however often the task runs; the mail queue retries it."""
    decision = (
        ModerationDecision.objects.select_related("idea", "comment__idea")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        return
    post = decision.idea or decision.comment
    if post.author is None or not post.author.email:
        return
    idea = decision.idea or decision.comment.idea
    kind = "idea" if decision.idea_id else "comment"
    context = {
        "decision": decision,
        "kind": kind,
        "post": post,
        "idea": idea,
        "author": post.author,
        "idea_url": idea_full_url(idea),
        "reason": ModerationReason(decision.reason).label
        if decision.reason in ModerationReason.values
        else "",
        "next_steps": NEXT_STEPS.get(decision.reason, ""),
        "hidden": decision.action in (ModerationAction.HIDE, ModerationAction.AUTO_HIDE),
        "published": decision.action in (ModerationAction.APPROVE, ModerationAction.RESTORE),
    }
    subject = {
        ModerationAction.APPROVE: f"Your {kind} is published",
        ModerationAction.RESTORE: f"Your {kind} can be seen again",
        ModerationAction.HIDE: f"We have hidden your {kind}",
        ModerationAction.AUTO_HIDE: f"Your {kind} is hidden until a moderator looks at it",
    }.get(decision.action, f"News about your {kind}")
    email_enqueue(
        key=f"moderation-decision:{decision.pk}",
        subject=_subject(subject),
        body=render_to_string("consultations/emails/moderation_decision.txt", context),
        to=[post.author.email],
    )


@task()
def send_moderation_digest(pcn_id: int) -> int:
    """Email a PCN's moderators when posts are waiting for them: once a day each, however
    often it runs. Returns how many emails were queued."""
    pcn = PrimaryCareNetwork.objects.filter(pk=pcn_id).select_related("moderator_group").first()
    home = HomePage.objects.filter(pcn_id=pcn_id).first()
    if pcn is None or home is None or pcn.moderator_group is None:
        return 0
    consultations = ConsultationPage.objects.descendant_of(home)
    pending_ideas = Idea.objects.filter(consultation__in=consultations, status=PostStatus.PENDING)
    pending_comments = Comment.objects.filter(
        idea__consultation__in=consultations, status=PostStatus.PENDING
    )
    open_flags = Flag.objects.filter(resolved_at__isnull=True).filter(
        models_q_for_consultations(consultations)
    )
    counts = {
        "ideas": pending_ideas.count(),
        "comments": pending_comments.count(),
        "flags": open_flags.count(),
    }
    if not any(counts.values()):
        return 0
    oldest = pending_ideas.order_by("created_at").values_list("created_at", flat=True).first()
    recipients = list(
        pcn.moderator_group.user_set.filter(is_active=True)
        .exclude(email="")
        .values_list("pk", "email")
    )
    body = render_to_string(
        "consultations/emails/moderation_digest.txt",
        {
            "pcn": pcn,
            "counts": counts,
            "oldest_days": (timezone.now() - oldest).days if oldest else None,
            "queue_url": moderation_queue_url(),
        },
    )
    total = sum(counts.values())
    waiting = "1 post is" if total == 1 else f"{total} posts are"
    subject = _subject(f"{waiting} waiting for a moderator at {pcn.name}")
    today = timezone.localdate().isoformat()
    return sum(
        email_enqueue(
            key=f"moderation-digest:{pcn.pk}:{today}:{user_id}",
            subject=subject,
            body=body,
            to=[email],
        )
        for user_id, email in recipients
    )


def models_q_for_consultations(consultations):
    return Q(idea__consultation__in=consultations) | Q(
        comment__idea__consultation__in=consultations
    )


# Closing the loop: updates and phases, through the Notice outbox.


def unsubscribe_url(recipient) -> str:
    """A link that stops these emails: for a user, or for a resident who took part offline
    (an `OfflineContributor`) and gave an email address."""
    if isinstance(recipient, OfflineContributor):
        payload = {"contributor": recipient.pk}
    else:
        payload = {"user": recipient.pk}
    token = signing.dumps(payload, salt=UNSUBSCRIBE_SALT)
    return absolute_url(reverse("consultations:unsubscribe", args=[token]))


UNSUBSCRIBE_SALT = "engage.notifications.unsubscribe"


def _notice_message(notice, *, unsubscribe_link: str):
    """(subject, body) for a notice, or None if there is nothing to say any more.

    `unsubscribe_link` is made once per email, so the body and the List-Unsubscribe header
    carry the same signed link."""
    user = notice.recipient
    if notice.kind == Notice.Kind.UPDATE:
        update = UpdatePage.objects.live().filter(pk=notice.update_id).first()
        if update is None:
            return None
        mine = Q(contributor=notice.contributor_id) if notice.contributor_id else Q(author=user)
        theirs = list(
            Idea.objects.filter(mine, status=PostStatus.PUBLISHED)
            .filter(
                Q(themes__in=update.themes.all())
                | Q(pk__in=[link.idea_id for link in update.answered_ideas.all()])
            )
            .distinct()
            .select_related("consultation")
        )
        context = {
            "user": user,
            "offline": bool(notice.contributor_id),
            "update": update,
            "their_ideas": theirs,
            "we_did": " ".join(strip_tags(update.we_did).split()),
            "actions": update.actions.all(),
            "update_url": update.full_url,
            "unsubscribe_url": unsubscribe_link,
        }
        return (
            f"You said, we did: {update.title}",
            render_to_string("consultations/emails/update_published.txt", context),
        )
    consultation = ConsultationPage.objects.live().filter(pk=notice.consultation_id).first()
    if consultation is None:
        return None
    context = {
        "user": user,
        "consultation": consultation,
        "phase": notice.key,
        "unsubscribe_url": unsubscribe_link,
    }
    subject = {
        "open": f"Now open: {consultation.title}",
        "closed": f"Now closed: {consultation.title}",
        "under_review": f"What we heard: {consultation.title}",
        "responded": f"We have responded: {consultation.title}",
    }[notice.key]
    return subject, render_to_string("consultations/emails/phase_changed.txt", context)


def notice_email_key(notice_id: int) -> str:
    """The key of a notice's email in the mail queue."""
    return f"notice:{notice_id}"


def _notice_settle(notice, why: str) -> None:
    """Nothing to send any more: the notice is no longer owed, and an email of it still
    waiting in the mail queue is stopped."""
    notice.status = Notice.Status.SENT
    notice.last_error = f"Not sent: {why}."
    notice.save(update_fields=["status", "last_error"])
    email_withdraw(notice_email_key(notice.pk))


@task()
def send_notice(notice_id: int) -> str:
    """Hand one owed email to the mail queue. Safe to run twice: a notice's email has one
    key, so it is queued once (a given-up one is offered again, up to MAX_ATTEMPTS)."""
    notice = Notice.objects.select_related("user", "contributor").filter(pk=notice_id).first()
    if notice is None or notice.status == Notice.Status.SENT:
        return "nothing to do"
    recipient = notice.recipient
    if not recipient.email_updates or not getattr(recipient, "is_active", True):
        _notice_settle(notice, "the person turned these emails off")
        return "turned off"
    link = unsubscribe_url(recipient)
    message = _notice_message(notice, unsubscribe_link=link)
    if message is None:
        _notice_settle(notice, "the page is no longer published")
        return "withdrawn"
    subject, body = message
    queued = email_enqueue(
        key=notice_email_key(notice.pk),
        subject=_subject(subject),
        body=body,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return "queued" if queued else "already queued"


def notice_email_status_changed(sender, *, key, status, attempts, error, **kwargs) -> None:
    """What the mail queue did with a notice's email, recorded on the notice (connected to
    `engage.mail.email_status_changed` in `ConsultationsConfig.ready()`)."""
    prefix, _, notice_id = key.partition(":")
    if prefix != "notice" or not notice_id.isdigit():
        return
    notices = Notice.objects.filter(pk=int(notice_id))
    if status == OutgoingEmail.Status.SENT:
        notices.update(
            status=Notice.Status.SENT, sent_at=timezone.now(), attempts=attempts, last_error=""
        )
    elif status == OutgoingEmail.Status.UNCERTAIN:
        # Perhaps delivered: no longer owed, so it is never sent twice.
        notices.update(
            status=Notice.Status.SENT,
            attempts=attempts,
            last_error=f"Perhaps not delivered, and not sent again: {error}"[:1000],
        )
    else:  # to be tried again, or given up
        notices.update(attempts=attempts, last_error=error[:1000])


@task()
def notify_update_published(update_id: int) -> int:
    """Work out who hears about a published update, and send each of them one email.

    Residents who took part offline and gave a postal address are owed a letter instead,
    which the PCN prints from the admin's "Letters to print"."""
    update = UpdatePage.objects.live().filter(pk=update_id).first()
    if update is None:
        return 0
    update_letters_create(update=update)
    notice_ids = update_notices_create(update=update)
    for notice_id in notice_ids:
        send_notice.enqueue(notice_id=notice_id)
    return len(notice_ids)


def retry_pending_notices() -> int:
    """Enqueue every notice that has not been sent yet (run by cron): a new phase email, one
    whose task never ran, or one the mail queue gave up on before MAX_ATTEMPTS attempts (the
    immediate task backend cannot retry later). An email the mail queue is still retrying
    is left to its schedule. Returns how many notices were enqueued."""
    ids = list(
        Notice.objects.filter(status=Notice.Status.PENDING, attempts__lt=MAX_ATTEMPTS).values_list(
            "pk", flat=True
        )
    )
    for notice_id in ids:
        send_notice.enqueue(notice_id=notice_id)
    return len(ids)
