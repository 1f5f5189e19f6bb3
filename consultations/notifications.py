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

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django_tasks import task

from consultations.loop import (
    ics_themes_of,
    ics_update_notices_create,
    journey_steps_current,
    place_themes_of,
    place_update_notices_create,
    update_letters_create,
    update_notices_create,
)
from consultations.models import (
    Comment,
    ConsultationPage,
    ContributorKind,
    Flag,
    Follow,
    IcsUpdatePage,
    Idea,
    ModerationAction,
    ModerationDecision,
    ModerationReason,
    Notice,
    OfflineContributor,
    PlaceUpdatePage,
    PostStatus,
    UpdatePage,
)
from engage.mail import (
    MAX_ATTEMPTS,
    absolute_url,
    email_enqueue,
    email_withdraw,
)
from engage.models import OutgoingEmail, User
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
    # A resident's account, or how to reply to someone who posted without one (and still
    # wants to hear from us).
    recipient = post.author or post.contributor
    if recipient is None or not recipient.email or not getattr(recipient, "email_updates", True):
        return
    if isinstance(recipient, OfflineContributor) and recipient.kind != ContributorKind.NO_ACCOUNT:
        return  # a moderator typed it up for them: its decisions are the PCN's own
    idea = decision.idea or decision.comment.idea
    kind = "idea" if decision.idea_id else "comment"
    context = {
        "decision": decision,
        "kind": kind,
        "post": post,
        "idea": idea,
        "author": recipient,
        "unsubscribe_url": unsubscribe_url(recipient)
        if isinstance(recipient, OfflineContributor)
        else "",
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
        to=[recipient.email],
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
    """(subject, body) for a phase notice, or None if there is nothing to say any more.

    `unsubscribe_link` is made once per email, so the body and the List-Unsubscribe header
    carry the same signed link."""
    user = notice.recipient
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
    if notice.kind != Notice.Kind.PHASE:  # a step of an idea's journey: sent in a digest
        send_journey_digest.enqueue(user_id=notice.user_id, contributor_id=notice.contributor_id)
        return "in a digest"
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
    if prefix == DIGEST_PREFIX:
        notices = Notice.objects.filter(email_key=key, status=Notice.Status.PENDING)
    elif prefix != "notice" or not notice_id.isdigit():
        return
    else:
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
    journey_digests_soon(Notice.objects.filter(pk__in=notice_ids))
    return len(notice_ids)


@task()
def notify_place_update_published(update_id: int) -> int:
    """Tell everyone behind a Place's published update, once: one step each, sent in their
    next journey digest, or printed on their next journey letter by the PCN that holds
    their postal address."""
    update = PlaceUpdatePage.objects.live().filter(pk=update_id).first()
    if update is None:
        return 0
    notice_ids = place_update_notices_create(update=update)
    journey_digests_soon(Notice.objects.filter(pk__in=notice_ids))
    return len(notice_ids)


@task()
def notify_ics_update_published(update_id: int) -> int:
    """Tell everyone behind an integrated care system's published update, once: one step
    each, sent in their next journey digest, or printed on their next journey letter by the
    PCN that holds their postal address."""
    update = IcsUpdatePage.objects.live().filter(pk=update_id).first()
    if update is None:
        return 0
    notice_ids = ics_update_notices_create(update=update)
    journey_digests_soon(Notice.objects.filter(pk__in=notice_ids))
    return len(notice_ids)


def retry_pending_notices() -> int:
    """Enqueue every phase notice that has not been sent yet (run by cron): a new phase
    email, one whose task never ran, or one the mail queue gave up on before MAX_ATTEMPTS
    attempts (the immediate task backend cannot retry later), and every journey digest due
    (`send_journey_digests`). An email the mail queue is still retrying is left to its
    schedule. Returns how many emails were enqueued."""
    ids = list(
        Notice.objects.filter(
            kind=Notice.Kind.PHASE, status=Notice.Status.PENDING, attempts__lt=MAX_ATTEMPTS
        ).values_list("pk", flat=True)
    )
    for notice_id in ids:
        send_notice.enqueue(notice_id=notice_id)
    return len(ids) + send_journey_digests()


# The journey digest: every step of a person's ideas since we last wrote, in one email.

DIGEST_PREFIX = "digest"
JOURNEY_KINDS = [
    Notice.Kind.UPDATE,
    Notice.Kind.THEMED,
    Notice.Kind.PRIORITY,
    Notice.Kind.PLACE,
    Notice.Kind.ICS,
]
DECISION_KINDS = {Notice.Kind.PLACE: "place_update", Notice.Kind.ICS: "ics_update"}


def digest_settle_time() -> timedelta:
    """How long a step waits before it is sent, so steps that happen together (an idea put
    in a theme, the theme linked to a priority, an update published) arrive in one email."""
    return timedelta(minutes=settings.ENGAGE_DIGEST_SETTLE_MINUTES)


def _journey_owed():
    """Journey steps owed by email: not sent, not carried by a letter, not given up."""
    return Notice.objects.filter(
        kind__in=JOURNEY_KINDS,
        status=Notice.Status.PENDING,
        letter=None,
        attempts__lt=MAX_ATTEMPTS,
    )


def send_journey_digests() -> int:
    """Enqueue the digest of each person whose oldest step owed has waited the settle time
    (run by cron: `send_journey_digests`, and `send_notifications`). One query, and one task
    per person. Returns how many digests were enqueued."""
    cutoff = timezone.now() - digest_settle_time()
    due = (
        _journey_owed()
        .values("user_id", "contributor_id")
        .annotate(oldest=Min("created_at"))
        .filter(oldest__lte=cutoff)
        .order_by("user_id", "contributor_id")
    )
    people = [(row["user_id"], row["contributor_id"]) for row in due]
    for user_id, contributor_id in people:
        send_journey_digest.enqueue(user_id=user_id, contributor_id=contributor_id)
    return len(people)


def journey_digests_soon(notices) -> None:
    """Send the digests of the people these new notices are owed to as soon as the settle
    time allows: at once when it is nothing, after it when the task backend can wait, else
    at the next scheduled `send_journey_digests`."""
    wait = digest_settle_time()
    backend = send_journey_digest.get_backend()
    if wait and not backend.supports_defer:
        return
    people = set(notices.filter(letter=None).values_list("user_id", "contributor_id"))
    task = send_journey_digest
    if wait:
        task = send_journey_digest.using(run_after=timezone.now() + wait + timedelta(seconds=5))
    for user_id, contributor_id in sorted(people, key=lambda p: (p[0] or 0, p[1] or 0)):
        task.enqueue(user_id=user_id, contributor_id=contributor_id)


def digest_email_key(recipient, first_notice_id: int) -> str:
    """The mail queue key of a digest: its reader, and the first step it carries. A digest
    offered again (after a failure) keeps its key, and so its count of attempts."""
    who = "contributor" if isinstance(recipient, OfflineContributor) else "user"
    return f"{DIGEST_PREFIX}:{who}:{recipient.pk}:{first_notice_id}"


def _wants_emails(recipient) -> bool:
    return bool(
        recipient is not None
        and recipient.email
        and recipient.email_updates
        and getattr(recipient, "is_active", True)
    )


def _update_sections(update_notices, their_ideas, placements) -> list[dict]:
    """One section per live update among the steps: what it did, and which of the reader's
    published ideas it answers. No queries: everything is read with the steps."""
    sections = {}
    for notice in update_notices:
        update = notice.update
        if update.pk in sections:
            continue
        theme_ids = {theme.pk for theme in update.themes.all()}
        named = {link.idea_id for link in update.answered_ideas.all()}
        sections[update.pk] = {
            "update": update,
            "their_ideas": [
                idea
                for idea in their_ideas
                if idea.pk in named or placements.get(idea.pk, set()) & theme_ids
            ],
            "we_did": " ".join(strip_tags(update.we_did).split()),
            "actions": list(update.actions.all()),
            "update_url": update.full_url,
        }
    return list(sections.values())


def _decision(notice):
    """The Place's or the ICS's update a decision step is about."""
    return getattr(notice, DECISION_KINDS[notice.kind])


def _decision_sections(decision_notices, ideas_behind) -> list[dict]:
    """One section per live Place or ICS update among the steps: who decided (the Place,
    or the integrated care system), what, its actions, and the reader's ideas (or ideas
    they follow) behind it. No queries."""
    sections = []
    for notice in decision_notices:
        update = _decision(notice)
        sections.append(
            {
                "update": update,
                "ics": notice.kind == Notice.Kind.ICS,
                "by": update.ics if notice.kind == Notice.Kind.ICS else update.place,
                "their_ideas": ideas_behind.get((notice.kind, update.pk), []),
                "summary": " ".join(strip_tags(update.summary).split()),
                "actions": list(update.actions.all()),
                "update_url": update.full_url,
            }
        )
    return sections


def _ideas_behind_decisions(decision_notices, recipient) -> dict[tuple[str, int], list]:
    """{(kind, Place or ICS update id): the reader's published ideas, and the published
    ideas they follow, behind it}. Five queries at most, however many updates and ideas."""
    if not decision_notices:
        return {}
    if isinstance(recipient, OfflineContributor):
        theirs = Q(contributor_id=recipient.pk)
    else:
        theirs = Q(author_id=recipient.pk) | Q(
            pk__in=Follow.objects.filter(user_id=recipient.pk).values("idea_id")
        )
    ideas = {
        idea.pk: idea
        for idea in Idea.objects.filter(theirs, status=PostStatus.PUBLISHED).select_related(
            "consultation"
        )
    }
    themes_of: dict[int, set[int]] = {}
    for idea_id, theme_id in Idea.themes.through.objects.filter(idea_id__in=ideas).values_list(
        "idea_id", "theme_id"
    ):
        themes_of.setdefault(idea_id, set()).add(theme_id)
    behind_of = {Notice.Kind.PLACE: place_themes_of, Notice.Kind.ICS: ics_themes_of}
    behind = {}
    for kind, themes_behind in behind_of.items():
        priority_ids = {
            p.pk
            for notice in decision_notices
            if notice.kind == kind
            for p in _decision(notice).priorities.all()
        }
        behind[kind] = themes_behind(priority_ids) if priority_ids else {}
    found = {}
    for notice in decision_notices:
        update = _decision(notice)
        cited = set().union(
            *(behind[notice.kind].get(p.pk, set()) for p in update.priorities.all())
        )
        found[(notice.kind, update.pk)] = [
            idea
            for idea in sorted(ideas.values(), key=lambda idea: (idea.created_at, idea.pk))
            if themes_of.get(idea.pk, set()) & cited
        ]
    return found


def _idea_sections(step_notices, *, recipient) -> list[dict]:
    """One section per idea with new steps: put in a theme, linked to a priority."""
    sections: dict[int, dict] = {}
    for notice in step_notices:
        idea = notice.idea
        section = sections.setdefault(
            idea.pk,
            {
                "idea": idea,
                "theirs": (
                    idea.contributor_id == recipient.pk
                    if isinstance(recipient, OfflineContributor)
                    else idea.author_id == recipient.pk
                ),
                "idea_url": idea_full_url(idea),
                "steps": [],
            },
        )
        if notice.kind == Notice.Kind.THEMED:
            section["steps"].append(
                f'Our PPG moderators put it in the theme "{notice.theme.name}", with other '
                "ideas like it."
            )
        else:
            section["steps"].append(
                f'The theme "{notice.theme.name}" now feeds into "{notice.priority.title}", '
                "a priority of our shared vision."
            )
    return list(sections.values())


def _digest_subject(idea_sections, update_sections, decision_sections=()) -> str:
    if len(decision_sections) == 1 and not update_sections:
        section = decision_sections[0]
        title = f"{section['by'].name} acted on what you told us: {section['update'].title}"
        return f"{title}, and news of your ideas" if idea_sections else title
    if decision_sections and not update_sections and not idea_sections:
        return "News about your ideas"
    if len(update_sections) == 1 and not decision_sections:
        title = f"You said, we did: {update_sections[0]['update'].title}"
        return f"{title}, and news of your ideas" if idea_sections else title
    if any(section["theirs"] for section in idea_sections) or any(
        section["their_ideas"] for section in update_sections
    ):
        return "News about your ideas"
    return "News about ideas you follow"


def _settle_notices(notices, why: str) -> None:
    """No longer owed (the reader turned these emails off, or left): not sent, and an
    email of them still waiting in the mail queue is stopped."""
    ids = [notice.pk for notice in notices]
    Notice.objects.filter(pk__in=ids).update(
        status=Notice.Status.SENT, last_error=f"Not sent: {why}."
    )
    for key in {notice.email_key for notice in notices if notice.email_key}:
        email_withdraw(key)


@task()
@transaction.atomic
def send_journey_digest(user_id: int | None = None, contributor_id: int | None = None) -> str:
    """Hand one person's digest to the mail queue: every step of their ideas owed since we
    last wrote (put in a theme, linked to a priority, answered by an update or its actions
    changed), once the oldest has waited the settle time.

    Each step is marked sent when the mail queue says the email went
    (`notice_email_status_changed`); a failed email leaves them owed, and offering the same
    steps again keeps the email's key, so a digest is never sent twice. Steps undone before
    anyone was told (the idea taken out of the theme, hidden, the update unpublished) are
    dropped. A fixed number of queries, however many steps.
    """
    if user_id is not None:
        recipient = User.objects.filter(pk=user_id).first()
        mine = Q(user_id=user_id)
    else:
        recipient = OfflineContributor.objects.filter(pk=contributor_id).first()
        mine = Q(contributor_id=contributor_id)
    notices = list(
        _journey_owed()
        .filter(mine)
        .select_for_update(of=("self",))
        .select_related(
            "idea__consultation",
            "theme",
            "priority",
            "update",
            "place_update__place",
            "ics_update__ics",
        )
        .prefetch_related(
            "update__themes",
            "update__answered_ideas",
            "update__actions",
            "place_update__actions",
            "place_update__priorities",
            "ics_update__actions",
            "ics_update__priorities",
        )
        .order_by("created_at", "pk")
    )
    if not notices:
        return "nothing to do"
    if notices[0].created_at > timezone.now() - digest_settle_time():
        return "waiting"
    if not _wants_emails(recipient):
        _settle_notices(notices, "the person turned these emails off")
        return "turned off"

    update_notices = [n for n in notices if n.kind == Notice.Kind.UPDATE]
    live_updates = [n for n in update_notices if n.update.live]
    steps, undone = journey_steps_current(n for n in notices if n.kind != Notice.Kind.UPDATE)
    gone = [n for n in update_notices if not n.update.live]
    if gone:
        _settle_notices(gone, "the page is no longer published")
    if undone:  # never happened, as far as the reader will know: owed again if redone
        Notice.objects.filter(pk__in=[n.pk for n in undone]).delete()
    decision_steps = [n for n in steps if n.kind in DECISION_KINDS]
    steps = [n for n in steps if n.kind not in DECISION_KINDS]
    ideas_behind = _ideas_behind_decisions(decision_steps, recipient)

    def backed(notice) -> bool:
        return bool(ideas_behind.get((notice.kind, _decision(notice).pk)))

    # Behind none of the reader's ideas any more (hidden, withdrawn, taken out of the
    # theme since): not told, so nothing about those ideas leaks.
    unbacked = [n for n in decision_steps if not backed(n)]
    if unbacked:
        _settle_notices(unbacked, "no idea of theirs is behind it any more")
        decision_steps = [n for n in decision_steps if backed(n)]
    if not live_updates and not steps and not decision_steps:
        return "withdrawn"

    mine_published = Q(status=PostStatus.PUBLISHED) & (
        Q(contributor_id=recipient.pk)
        if isinstance(recipient, OfflineContributor)
        else Q(author_id=recipient.pk)
    )
    their_ideas = list(
        Idea.objects.filter(mine_published).select_related("consultation").order_by("created_at")
        if live_updates
        else []
    )
    placements: dict[int, set[int]] = {}
    if their_ideas:
        for idea_id, theme_id in Idea.themes.through.objects.filter(
            idea_id__in=[idea.pk for idea in their_ideas]
        ).values_list("idea_id", "theme_id"):
            placements.setdefault(idea_id, set()).add(theme_id)

    carried = live_updates + steps + decision_steps
    key = digest_email_key(recipient, min(n.pk for n in carried))
    offered = OutgoingEmail.objects.filter(key=key).values_list("status", "attempts").first()
    if offered and (offered[0] != OutgoingEmail.Status.FAILED or offered[1] >= MAX_ATTEMPTS):
        return "already queued"  # its steps are marked when the mail queue says it went

    idea_sections = _idea_sections(steps, recipient=recipient)
    update_sections = _update_sections(live_updates, their_ideas, placements)
    decision_sections = _decision_sections(decision_steps, ideas_behind)
    link = unsubscribe_url(recipient)
    body = render_to_string(
        "consultations/emails/journey_digest.txt",
        {
            "user": recipient,
            "offline": isinstance(recipient, OfflineContributor),
            "idea_sections": idea_sections,
            "update_sections": update_sections,
            "decision_sections": decision_sections,
            "unsubscribe_url": link,
        },
    )
    Notice.objects.filter(pk__in=[n.pk for n in carried]).update(email_key=key)
    email_enqueue(
        key=key,
        subject=_subject(_digest_subject(idea_sections, update_sections, decision_sections)),
        body=body,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return "queued"
