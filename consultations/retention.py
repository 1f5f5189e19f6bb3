"""How long participation records are kept (see `engage.retention` for the rules' shape,
`ENGAGE_RETENTION_DAYS` to change any of them, and the README's table of defaults).

Published ideas and comments are the public record of a consultation and are kept; what
goes is what nobody can see or needs: posts withdrawn or hidden long ago, reports already
dealt with, offline contributors' contact details once nothing is owed to them, and the
records of emails and letters long since sent.
"""

from django.db.models import Exists, OuterRef, Q

from consultations.models import (
    Comment,
    Flag,
    Idea,
    Letter,
    ModerationDecision,
    NoAccountPost,
    Notice,
    OfflineContributor,
    PostStatus,
    SafetyHold,
)
from consultations.services.participation import comment_count_refresh
from engage.privacy import log_entries_scrub, search_index_purge
from engage.retention import RetentionRule


def _posts(status, *, cutoff):
    ideas = Idea.objects.filter(status=status, updated_at__lt=cutoff)
    comments = Comment.objects.filter(status=status, updated_at__lt=cutoff).exclude(idea__in=ideas)
    return ideas, comments


def _posts_count(status, *, cutoff) -> int:
    ideas, comments = _posts(status, cutoff=cutoff)
    return ideas.count() + comments.count()


def _posts_delete(status, *, cutoff) -> int:
    """Delete them one by one (Wagtail takes each out of the search index), with the
    comments under an idea; their audit entries keep what was done, not what was said."""
    ideas, comments = _posts(status, cutoff=cutoff)
    idea_ids = list(ideas.values_list("pk", flat=True))
    comment_ids = list(comments.values_list("pk", flat=True))
    if not idea_ids and not comment_ids:
        return 0
    commented_on = set(
        Comment.objects.filter(pk__in=comment_ids).values_list("idea_id", flat=True)
    ) - set(idea_ids)
    under_ideas = list(Comment.objects.filter(idea_id__in=idea_ids).values_list("pk", flat=True))
    log_entries_scrub(model=Comment, ids=comment_ids + under_ideas, removed=True)
    log_entries_scrub(model=Idea, ids=idea_ids, removed=True)
    for comment in Comment.objects.filter(pk__in=comment_ids):
        comment.delete()
    for idea in Idea.objects.filter(pk__in=idea_ids):
        idea.delete()
    for idea_id in commented_on:
        comment_count_refresh(idea_id)
    search_index_purge()
    return len(idea_ids) + len(comment_ids)


def _reports(*, cutoff):
    return Flag.objects.filter(resolved_at__lt=cutoff)


def _contacts(*, cutoff):
    """Contributors without an account (offline, or online with only an email address)
    entered before the cutoff with contact details still held, nothing posted since, and
    nothing owed to them: no letter to print, no email waiting to go."""
    letter_due = Letter.objects.filter(contributor=OuterRef("pk"), status=Letter.Status.DUE)
    email_waiting = Notice.objects.filter(contributor=OuterRef("pk"), status=Notice.Status.PENDING)
    # Someone without an account who posts again with the same address keeps one record.
    idea_since = Idea.objects.filter(contributor=OuterRef("pk"), created_at__gte=cutoff)
    comment_since = Comment.objects.filter(contributor=OuterRef("pk"), created_at__gte=cutoff)
    return (
        OfflineContributor.objects.filter(created_at__lt=cutoff)
        .exclude(name="", postal_address="", email="")
        .exclude(Exists(letter_due))
        .exclude(Exists(email_waiting))
        .exclude(Exists(idea_since))
        .exclude(Exists(comment_since))
    )


def _contacts_anonymise(*, cutoff) -> int:
    return _contacts(cutoff=cutoff).update(name="", postal_address="", email="")


def _no_account_posts(*, cutoff):
    """Posts sent without an account, kept for their sender to confirm (with the text and
    the email address), or confirmed (keeping only what the rate limits count)."""
    return NoAccountPost.objects.filter(created_at__lt=cutoff)


def _sent_notices(*, cutoff):
    return Notice.objects.filter(status=Notice.Status.SENT, sent_at__lt=cutoff)


def _done_letters(*, cutoff):
    return Letter.objects.filter(
        Q(status=Letter.Status.SENT, sent_at__lt=cutoff)
        | Q(status=Letter.Status.SUPERSEDED, created_at__lt=cutoff)
    )


def _resolved_holds(*, cutoff):
    return SafetyHold.objects.filter(resolved_at__lt=cutoff)


def _decisions(*, cutoff):
    return ModerationDecision.objects.filter(created_at__lt=cutoff)


PARTICIPATION_RULES = [
    RetentionRule(
        key="withdrawn_posts",
        label="Ideas and comments their authors withdrew",
        action="deleted",
        default_days=90,
        why="The author took them back; three months leaves time to answer a question about them.",
        count=lambda *, cutoff: _posts_count(PostStatus.WITHDRAWN, cutoff=cutoff),
        apply=lambda *, cutoff: _posts_delete(PostStatus.WITHDRAWN, cutoff=cutoff),
    ),
    RetentionRule(
        key="hidden_posts",
        label="Ideas and comments hidden by a moderator",
        action="deleted",
        default_days=365,
        why="Kept a year after they were hidden, for a complaint about the decision.",
        count=lambda *, cutoff: _posts_count(PostStatus.HIDDEN, cutoff=cutoff),
        apply=lambda *, cutoff: _posts_delete(PostStatus.HIDDEN, cutoff=cutoff),
    ),
    RetentionRule(
        key="resolved_reports",
        label="Residents' reports of posts, once a moderator dealt with them",
        action="deleted",
        default_days=365,
        why="A report names who made it; once decided it is only needed for a complaint.",
        count=lambda *, cutoff: _reports(cutoff=cutoff).count(),
        apply=lambda *, cutoff: _reports(cutoff=cutoff).delete()[0],
    ),
    RetentionRule(
        key="offline_contact_details",
        label="Names, postal and email addresses of residents who took part offline, and "
        "email addresses of residents who took part online without an account",
        action="anonymised",
        default_days=2 * 365,
        why="Kept to tell them what happened; two years covers a consultation and its "
        "'You said, we did'. Never while a letter or email is still owed to them.",
        count=lambda *, cutoff: _contacts(cutoff=cutoff).count(),
        apply=_contacts_anonymise,
    ),
    RetentionRule(
        key="no_account_posts",
        label="Ideas and comments sent without an account and never confirmed, with the "
        "email address they were sent with; and the record of those confirmed",
        action="deleted",
        default_days=2,
        why="The link that confirms one works for a day; a day more lets its sender still "
        "find what they wrote after it expired. A confirmed one holds only keyed hashes of "
        "the sender's addresses, for the rate limits.",
        count=lambda *, cutoff: _no_account_posts(cutoff=cutoff).count(),
        apply=lambda *, cutoff: _no_account_posts(cutoff=cutoff).delete()[0],
    ),
    RetentionRule(
        key="sent_notices",
        label="Records of update and phase emails sent",
        action="deleted",
        default_days=2 * 365,
        why="They stop an email being sent twice. An update republished more than two years "
        "on may tell its contributors again.",
        count=lambda *, cutoff: _sent_notices(cutoff=cutoff).count(),
        apply=lambda *, cutoff: _sent_notices(cutoff=cutoff).delete()[0],
    ),
    RetentionRule(
        key="sent_letters",
        label="Records of letters printed and sent, or no longer needed",
        action="deleted",
        default_days=2 * 365,
        why="As for emails: they stop a letter being printed twice.",
        count=lambda *, cutoff: _done_letters(cutoff=cutoff).count(),
        apply=lambda *, cutoff: _done_letters(cutoff=cutoff).delete()[0],
    ),
    RetentionRule(
        key="resolved_safety_holds",
        label="The safety check's holds of posts, with any original text a moderator "
        "replaced, once a moderator decided",
        action="deleted",
        default_days=6 * 365,
        why="Part of the moderation audit trail, kept as long as it; the original words of a "
        "post published with personal information taken out go with the hold.",
        count=lambda *, cutoff: _resolved_holds(cutoff=cutoff).count(),
        apply=lambda *, cutoff: _resolved_holds(cutoff=cutoff).delete()[0],
    ),
    RetentionRule(
        key="moderation_decisions",
        label="Moderators' decisions on posts, with their notes",
        action="deleted",
        default_days=6 * 365,
        why="The moderation audit trail, kept as long as the rest of the audit log.",
        count=lambda *, cutoff: _decisions(cutoff=cutoff).count(),
        apply=lambda *, cutoff: _decisions(cutoff=cutoff).delete()[0],
    ),
]
