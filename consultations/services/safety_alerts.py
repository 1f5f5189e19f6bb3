"""Telling a person at once when a resident sends a post that reads like an emergency.

`safety_hold_alert(hold_id)` emails the PCN's named safeguarding contact; a PCN without one
has its PPG moderators emailed instead, and one with neither its contact address. It runs
as soon as the hold is committed (not in the daily digest), takes the hold's primary key,
and is safe to run twice: each recipient's email has a key naming the hold, so it is queued
at most once, and the mail queue retries it until the server takes it (`engage.mail`).

The email carries what the safeguarding contact needs to act: what was written, the words
that raised it, and how to reach the person. See docs/clinical-safety/hazard-log.md.
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from consultations.models import AlertRoute, SafetyHold
from engage.mail import absolute_url, email_enqueue
from home.boundary import pcn_of

logger = logging.getLogger(__name__)


def _recipients(pcn) -> tuple[str, list[tuple[str, str]]]:
    """(route, [(key suffix, email address)]) for an urgent hold of `pcn`."""
    if pcn.safeguarding_contact_email:
        return AlertRoute.CONTACT, [("contact", pcn.safeguarding_contact_email)]
    if pcn.moderator_group_id:
        moderators = list(
            pcn.moderator_group.user_set.filter(is_active=True)
            .exclude(email="")
            .order_by("pk")
            .values_list("pk", "email")
        )
        if moderators:
            return AlertRoute.MODERATORS, [(f"user:{pk}", email) for pk, email in moderators]
    if pcn.contact_email:
        return AlertRoute.PCN, [("pcn", pcn.contact_email)]
    return AlertRoute.NOBODY, []


def _words(hold: SafetyHold, post) -> list[str]:
    """ "Chest pain: 'crushing chest pain'" for each urgent match in the post as it stands."""
    texts = {"title": getattr(post, "title", ""), "body": post.body}
    lines = []
    for match in hold.matches:
        if match.get("type") != "urgent":
            continue
        words = texts.get(match.get("field"), "")[match["start"] : match["end"]]
        lines.append(f"{match['label']}: \u201c{' '.join(words.split())}\u201d")
    return list(dict.fromkeys(lines))


@task()
def safety_hold_alert(hold_id: int) -> int:
    """Email the safeguarding contact (or, without one, the moderators) about an urgent
    hold, once. Returns how many emails were queued."""
    hold = (
        SafetyHold.objects.filter(pk=hold_id, urgent=True, alerted_at__isnull=True)
        .select_related(
            "consultation", "idea__author", "idea__contributor", "comment__author", "comment__idea"
        )
        .first()
    )
    if hold is None:
        return 0
    pcn = pcn_of(hold.consultation)
    post = hold.post
    route, recipients = _recipients(pcn)
    idea = hold.idea or hold.comment.idea
    context = {
        "pcn": pcn,
        "hold": hold,
        "kind": "idea" if hold.idea_id else "comment",
        "post": post,
        "idea": idea,
        "consultation": hold.consultation,
        "author": post.author,
        "contributor": getattr(post, "contributor", None),
        "words": _words(hold, post),
        "categories": hold.urgent_categories,
        "personal_data": hold.personal_data,
        # The post's own moderation screen (held posts also come first in the queue).
        "admin_url": absolute_url(
            reverse(
                "moderation_ideas:inspect" if hold.idea_id else "moderation_comments:inspect",
                args=[hold.idea_id or hold.comment_id],
            )
        ),
        "route": route,
        "contact_name": pcn.safeguarding_contact_name,
    }
    body = render_to_string("consultations/emails/safety_hold_alert.txt", context)
    subject = " ".join(
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Urgent: a resident's post at {pcn.name} "
        "may need someone to act now".split()
    )
    queued = sum(
        email_enqueue(key=f"safety-hold:{hold.pk}:{suffix}", subject=subject, body=body, to=[to])
        for suffix, to in recipients
    )
    if route == AlertRoute.NOBODY:
        logger.error(
            "Urgent safety hold %s at PCN %s: no safeguarding contact, moderator or contact "
            "address to email.",
            hold.pk,
            pcn.pk,
        )
    SafetyHold.objects.filter(pk=hold.pk, alerted_at__isnull=True).update(
        alerted_at=timezone.now(), alert_route=route
    )
    return queued
