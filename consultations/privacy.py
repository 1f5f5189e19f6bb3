"""What consultations hold about a person: their part of the data download and the erasure.

Registered with `engage.privacy.personal_data_register` in `ConsultationsConfig.ready()`.
`participation_data` reads the person's ideas, comments, supports, follows, reports, the
emails owed to them and the safety check's holds of their posts in a fixed number of queries; `participation_erase` deletes what belongs
to them alone and deletes their posts, or keeps the posts linked to nobody ("A resident").
"""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from consultations.models import (
    QUESTIONS,
    Comment,
    CommunicationNeeds,
    EqualityAnswers,
    Flag,
    Follow,
    Idea,
    ModerationAction,
    ModerationDecision,
    Notice,
    SafetyHold,
    Support,
    ThemeSuggestion,
)
from consultations.services.participation import comment_count_refresh
from engage.models import User
from engage.privacy import log_entries_scrub, search_index_purge, when

# Reading: their part of the download


def _decisions(post) -> list[dict]:
    """What moderators decided about a post and why; never who the moderator was."""
    return [
        {
            "action": ModerationAction(decision.action).label,
            "reason": decision.reason_label,
            "note": decision.note,
            "date": when(decision.created_at),
        }
        for decision in post.decisions.all()
    ]


def _prefetch_decisions(queryset):
    return Prefetch("decisions", queryset=queryset)


def participation_data(*, user) -> dict:
    """Their ideas (with status, channel, themes and the moderation decisions about them),
    comments, supports, follows, the reports they made and the emails sent to them."""
    decisions = ModerationDecision.objects.order_by("created_at", "pk")
    ideas = (
        Idea.objects.filter(author=user)
        .select_related("consultation", "neighbourhood", "practice")
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
    holds = (
        SafetyHold.objects.filter(Q(idea__author=user) | Q(comment__author=user))
        .select_related("idea", "comment")
        .order_by("created_at", "pk")
    )
    notices = (
        Notice.objects.filter(user=user)
        .select_related("consultation", "update", "idea", "place_update", "ics_update")
        .order_by("created_at", "pk")
    )
    return {
        "ideas": [
            {
                "id": idea.pk,
                "consultation": idea.consultation.title,
                "url": idea.get_full_url(),
                "title": idea.title,
                "body": idea.body,
                "neighbourhood": idea.neighbourhood.name if idea.neighbourhood else None,
                "gp_practice": idea.practice.name if idea.practice else None,
                "shown_as": idea.get_attribution_display(),
                "status": idea.get_status_display(),
                "channel": idea.get_channel_display(),
                "themes": [theme.name for theme in idea.themes.all()],
                "supports": idea.support_count,
                "comments": idea.comment_count,
                "created": when(idea.created_at),
                "updated": when(idea.updated_at),
                "published": when(idea.published_at),
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
                "created": when(comment.created_at),
                "updated": when(comment.updated_at),
                "moderation": _decisions(comment),
            }
            for comment in comments
        ],
        "supports": [
            {
                "idea": {"id": support.idea_id, "title": support.idea.title},
                "date": when(support.created_at),
            }
            for support in supports
        ],
        "follows": [
            {
                "consultation": follow.consultation.title if follow.consultation_id else None,
                "idea": {"id": follow.idea_id, "title": follow.idea.title}
                if follow.idea_id
                else None,
                "date": when(follow.created_at),
            }
            for follow in follows
        ],
        "reports": [
            {
                "idea": flag.idea_id,
                "comment": flag.comment_id,
                "reason": flag.get_reason_display(),
                "details": flag.details,
                "date": when(flag.created_at),
                "resolved": when(flag.resolved_at),
            }
            for flag in flags
        ],
        # Why the safety check held a post of theirs, and what it held: never who resolved it.
        "safety_holds": [
            {
                "idea": hold.idea_id,
                "comment": hold.comment_id,
                "held_for": hold.reasons,
                "found": hold.urgent_categories + hold.personal_kinds,
                "original_title": hold.original_title,
                "original_text": hold.original_body,
                "held": when(hold.created_at),
                "resolved": when(hold.resolved_at),
            }
            for hold in holds
        ],
        "emails": [
            {
                "kind": notice.get_kind_display(),
                "about": (
                    notice.update
                    or notice.consultation
                    or notice.idea
                    or notice.place_update
                    or notice.ics_update
                ).title
                if (
                    notice.update_id
                    or notice.consultation_id
                    or notice.idea_id
                    or notice.place_update_id
                    or notice.ics_update_id
                )
                else None,
                "status": notice.get_status_display(),
                "created": when(notice.created_at),
                "sent": when(notice.sent_at),
            }
            for notice in notices
        ],
    }


# Erasing: what is theirs goes, their posts go or stay linked to nobody


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


def participation_erase(*, user, keep_posts: bool) -> dict[str, int]:
    """Delete their supports, follows, reports and emails owed; unlink them from moderation
    records; delete their ideas and comments (with the replies and supports others gave
    them), or with `keep_posts` keep them with no author. Returns how many of each."""
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

    # What the safety check held of theirs: the original words a moderator replaced go, and
    # nobody can resolve a hold in their name.
    SafetyHold.objects.filter(Q(idea_id__in=idea_ids) | Q(comment_id__in=comment_ids)).update(
        original_title="", original_body=""
    )
    SafetyHold.objects.filter(resolved_by=user).update(resolved_by=None)

    if keep_posts:
        # Kept linked to nobody, and without the practice they named: with the date and
        # neighbourhood, a small practice could still point to them.
        Idea.objects.filter(pk__in=idea_ids).update(author=None, practice=None)
        Comment.objects.filter(pk__in=comment_ids).update(author=None)
        # A moderator's note was written to them and may name them; the reason code stays.
        ModerationDecision.objects.filter(
            Q(idea_id__in=idea_ids) | Q(comment_id__in=comment_ids)
        ).update(note="")
        log_entries_scrub(model=Idea, ids=idea_ids, removed=False)
        log_entries_scrub(model=Comment, ids=comment_ids, removed=False)
    else:
        log_entries_scrub(model=Idea, ids=idea_ids, removed=True)
        log_entries_scrub(model=Comment, ids=comment_ids, removed=True)
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
        search_index_purge()
    return {"ideas": len(idea_ids), "comments": len(comment_ids)}


# Equality answers ("About you") and communication needs: kept apart from the rest, so a
# download and an erasure of their own


def equality_data(*, user) -> dict:
    """Their answers to "About you", in words, as they would see them on the form, and the
    formats they need (the Accessible Information Standard): one query for both. Each is
    null when there is none; every answer empty when they chose to skip "About you"."""
    person = (
        User.objects.filter(pk=user.pk)
        .select_related("equality_answers", "communication_needs")
        .first()
    )
    record = getattr(person, "equality_answers", None) if person else None
    needs = getattr(person, "communication_needs", None) if person else None
    data = {
        "communication_needs": (
            {"formats": needs.described, "updated": when(needs.updated_at)}
            if needs is not None
            else None
        )
    }
    if record is None:
        return {"about_you": None, **data}
    answers = {
        name: getattr(record, f"get_{name}_display")() or None for name, _choices in QUESTIONS
    }
    return {
        "about_you": {
            **answers,
            "deprivation_decile": record.deprivation_decile,
            "created": when(record.created_at),
            "updated": when(record.updated_at),
        },
        **data,
    }


def equality_erase(*, user, keep_posts: bool) -> dict[str, int]:
    """Their answers and the formats they need go, whatever happens to their posts."""
    deleted, _by_model = EqualityAnswers.objects.filter(user=user).delete()
    needs, _by_model = CommunicationNeeds.objects.filter(user=user).delete()
    return {"equality_answers": deleted, "communication_needs": needs}
