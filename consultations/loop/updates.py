"""Who hears about an update ("You said, we did"), and about a consultation's phase:
the `Notice` and `Letter` rows owed to residents, online and offline."""

from django.db import transaction
from django.db.models import Prefetch, Q

from consultations.models import (
    ConsultationPage,
    Follow,
    Idea,
    Letter,
    Notice,
    OfflineContributor,
    Phase,
    PostStatus,
    UpdatePage,
)
from engage.models import User
from home.boundary import in_pcn

# Who hears about an update


def answered_ideas(update: UpdatePage):
    """Published ideas the update answers: in one of its themes, or named directly; only
    its own PCN's, whatever links were saved (`home.boundary` refuses the others)."""
    return in_pcn(
        Idea.objects.filter(status=PostStatus.PUBLISHED).filter(
            Q(themes__in=update.themes.all())
            | Q(pk__in=[link.idea_id for link in update.answered_ideas.all()])
        ),
        update.pcn,
    )


def update_recipients(update: UpdatePage):
    """Authors of published ideas the update answers, and everyone following them or the
    consultation, who still want emails. Authors of hidden or withdrawn ideas do not count."""
    ideas = answered_ideas(update)
    people = Q(pk__in=ideas.values("author_id")) | Q(
        pk__in=Follow.objects.filter(idea__in=ideas).values("user_id")
    )
    if update.consultation_id:
        people |= Q(
            pk__in=Follow.objects.filter(consultation_id=update.consultation_id).values("user_id")
        )
    return (
        User.objects.filter(people, is_active=True, email_updates=True).exclude(email="").distinct()
    )


def _offline_contributors_of(update: UpdatePage):
    return OfflineContributor.objects.filter(
        pk__in=answered_ideas(update).exclude(contributor=None).values("contributor_id")
    )


def update_offline_email_recipients(update: UpdatePage):
    """Residents who took part offline, gave an email address and have not asked us to stop,
    whose published idea the update answers."""
    return _offline_contributors_of(update).exclude(email="").filter(email_updates=True)


def update_letter_recipients(update: UpdatePage):
    """Residents who took part offline and gave a postal address (and no email address),
    whose published idea the update answers."""
    return _offline_contributors_of(update).filter(email="").exclude(postal_address="")


@transaction.atomic
def update_notices_create(*, update: UpdatePage) -> list[int]:
    """Owe each recipient one email for this update in its current state.

    Returns the ids of new notices. Republishing unchanged creates none; a change in any
    action's status is a new state, so everyone hears again. Offline contributors with an
    email address are recipients too, on the same terms.
    """
    key = update.action_signature()
    existing = Notice.objects.filter(update=update, key=key)
    already = set(existing.exclude(user=None).values_list("user_id", flat=True))
    already_offline = set(
        existing.exclude(contributor=None).values_list("contributor_id", flat=True)
    )
    new = [
        Notice(user_id=user_id, kind=Notice.Kind.UPDATE, update=update, key=key)
        for user_id in update_recipients(update).values_list("pk", flat=True)
        if user_id not in already
    ] + [
        Notice(contributor_id=contributor_id, kind=Notice.Kind.UPDATE, update=update, key=key)
        for contributor_id in update_offline_email_recipients(update).values_list("pk", flat=True)
        if contributor_id not in already_offline
    ]
    Notice.objects.bulk_create(new, ignore_conflicts=True)
    return list(
        Notice.objects.filter(
            update=update, key=key, status=Notice.Status.PENDING, attempts=0
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def update_letters_create(*, update: UpdatePage) -> list[int]:
    """Owe each offline contributor with a postal address one letter for this update in its
    current state, like `update_notices_create` does emails.

    Republishing unchanged creates none. A change in any action's status makes a new letter
    due, and a letter for the earlier statuses that was not sent yet is no longer needed.
    Returns the ids of the letters due for the current state.
    """
    key = update.action_signature()
    recipients = set(update_letter_recipients(update).values_list("pk", flat=True))
    already = set(
        Letter.objects.filter(update=update, key=key).values_list("contributor_id", flat=True)
    )
    Letter.objects.bulk_create(
        [
            Letter(contributor_id=contributor_id, update=update, key=key)
            for contributor_id in sorted(recipients - already)
        ],
        ignore_conflicts=True,
    )
    # Statuses changed back to what they were before the letter for them was printed.
    Letter.objects.filter(
        update=update, key=key, status=Letter.Status.SUPERSEDED, contributor_id__in=recipients
    ).update(status=Letter.Status.DUE)
    Letter.objects.filter(update=update, status=Letter.Status.DUE).exclude(key=key).update(
        status=Letter.Status.SUPERSEDED
    )
    return list(
        Letter.objects.filter(update=update, key=key, status=Letter.Status.DUE).values_list(
            "pk", flat=True
        )
    )


def letters_due(*, update: UpdatePage):
    """The letters to print for an update now: one per contributor whose idea it still
    answers, for the current statuses of its actions, not yet sent. Each letter has
    `contributor.answered_ideas` (their published ideas the update answers). Three queries,
    however many letters (four counting the update's actions)."""
    if not update.live:
        return Letter.objects.none()
    answered = answered_ideas(update)
    return (
        Letter.objects.filter(
            update=update,
            key=update.action_signature(),
            status=Letter.Status.DUE,
            contributor_id__in=answered.exclude(contributor=None).values("contributor_id"),
        )
        .select_related("contributor__communication_needs")
        .prefetch_related(
            Prefetch(
                "contributor__ideas",
                queryset=Idea.objects.filter(pk__in=answered.values("pk"))
                .select_related("consultation", "neighbourhood")
                .order_by("created_at", "pk"),
                to_attr="answered_ideas",
            )
        )
        .order_by("created_at", "pk")
    )


@transaction.atomic
def phase_notices_create(*, consultation: ConsultationPage) -> list[int]:
    """Tell followers when a consultation they follow opens, closes or is answered."""
    phase = consultation.phase
    if phase not in (Phase.OPEN, Phase.CLOSED, Phase.UNDER_REVIEW, Phase.RESPONDED):
        return []
    followers = User.objects.filter(
        follows__consultation=consultation, is_active=True, email_updates=True
    ).exclude(email="")
    already = set(
        Notice.objects.filter(consultation=consultation, key=phase).values_list(
            "user_id", flat=True
        )
    )
    Notice.objects.bulk_create(
        [
            Notice(user_id=user_id, kind=Notice.Kind.PHASE, consultation=consultation, key=phase)
            for user_id in followers.values_list("pk", flat=True).distinct()
            if user_id not in already
        ],
        ignore_conflicts=True,
    )
    return list(
        Notice.objects.filter(
            consultation=consultation, key=phase, status=Notice.Status.PENDING, attempts=0
        ).values_list("pk", flat=True)
    )
