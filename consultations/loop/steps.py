"""The steps of an idea's journey owed to the people behind it: put in a theme, its theme
linked to a priority of the shared vision; the journey letters that gather them for
residents with only a postal address."""

from django.db import transaction
from django.db.models import F, Prefetch, Q, QuerySet

from consultations.models import (
    Follow,
    Idea,
    IdeaTheme,
    Letter,
    Notice,
    OfflineContributor,
    PostStatus,
    Theme,
)
from engage.models import User

# The steps of an idea's journey: put in a theme, its theme linked to a priority


def wants_emails(prefix: str) -> Q:
    """People (reached through `prefix`) who still want these emails and can get them."""
    return Q(**{f"{prefix}is_active": True, f"{prefix}email_updates": True}) & ~Q(
        **{f"{prefix}email": ""}
    )


@transaction.atomic
def theme_step_notices_create(*, theme: Theme, idea_ids=None, themed: bool = True) -> int:
    """Owe the steps of the theme's published ideas (or of those of `idea_ids` now in it):
    put in this theme (unless `themed` is False: only its priority changed), and fed into
    the theme's priority of the shared vision, if it has one.

    Told: each idea's author, and those following the idea, who still want emails; a
    resident who took part offline by email, or on their next journey letter when they gave
    only a postal address. Once per idea per step: putting an idea in the same theme again,
    or unlinking and relinking the same priority, owes nothing new; another theme or another
    priority is a new step. Hidden, pending and withdrawn ideas owe nothing. Returns how many
    steps are newly owed. A fixed number of queries, however many ideas and people.
    """
    placements = IdeaTheme.objects.filter(theme=theme, idea__status=PostStatus.PUBLISHED)
    if idea_ids is not None:
        placements = placements.filter(idea_id__in=list(idea_ids))
    idea_ids = list(placements.values_list("idea_id", flat=True))
    steps = []
    if themed:
        steps.append((Notice.Kind.THEMED, f"theme:{theme.pk}", None))
    if theme.priority_id:
        steps.append((Notice.Kind.PRIORITY, f"priority:{theme.priority_id}", theme.priority_id))
    if not idea_ids or not steps:
        return 0

    people: set[tuple[int, int]] = set(  # (idea, user)
        Idea.objects.filter(Q(pk__in=idea_ids) & wants_emails("author__")).values_list(
            "pk", "author_id"
        )
    )
    people |= set(
        Follow.objects.filter(Q(idea_id__in=idea_ids) & wants_emails("user__")).values_list(
            "idea_id", "user_id"
        )
    )
    emailed: set[tuple[int, int]] = set()  # (idea, offline contributor)
    posted: set[tuple[int, int]] = set()
    for idea_id, contributor_id, email, email_updates, address in (
        Idea.objects.filter(pk__in=idea_ids)
        .exclude(contributor=None)
        .values_list(
            "pk",
            "contributor_id",
            "contributor__email",
            "contributor__email_updates",
            "contributor__postal_address",
        )
    ):
        if email and email_updates:
            emailed.add((idea_id, contributor_id))
        elif not email and address:
            posted.add((idea_id, contributor_id))

    keys = [key for _, key, _ in steps]
    owed = set(
        Notice.objects.filter(idea_id__in=idea_ids, key__in=keys).values_list(
            "user_id", "contributor_id", "idea_id", "key"
        )
    )

    def step_notices(idea_id, **recipient):
        user_id, contributor_id = recipient.get("user_id"), recipient.get("contributor_id")
        return [
            Notice(
                kind=kind,
                idea_id=idea_id,
                theme=theme,
                priority_id=priority_id,
                key=key,
                **recipient,
            )
            for kind, key, priority_id in steps
            if (user_id, contributor_id, idea_id, key) not in owed
        ]

    new = [n for idea_id, user_id in sorted(people) for n in step_notices(idea_id, user_id=user_id)]
    new += [
        n
        for idea_id, contributor_id in sorted(emailed)
        for n in step_notices(idea_id, contributor_id=contributor_id)
    ]
    by_letter = [
        n
        for idea_id, contributor_id in sorted(posted)
        for n in step_notices(idea_id, contributor_id=contributor_id)
    ]
    if by_letter:
        letters = journey_letters_for({n.contributor_id for n in by_letter})
        for notice in by_letter:
            notice.letter_id = letters[notice.contributor_id]
        new += by_letter
    Notice.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def decision_notices_create(*, ideas: QuerySet, field: str, update, kind: str) -> list[int]:
    """Owe each person behind a decision above the PCN (a Place's or an ICS's update, named
    by the `Notice` field `field`) one step of `kind`: once per person and update, however
    many of their ideas it reaches, and never again when it is republished or edited.

    Told: the authors of `ideas` (published ideas only: the caller's selector) and those
    following them, who still want emails; residents who took part offline by email when
    they gave one (and still want them), or on their next journey letter when they gave
    only a postal address (the PCN that holds their address prints it). Returns the ids of
    the new notices sent by email (in their next journey digest). A fixed number of
    queries, however many ideas and people.
    """
    users = set(
        User.objects.filter(
            Q(pk__in=ideas.values("author_id"))
            | Q(pk__in=Follow.objects.filter(idea__in=ideas).values("user_id")),
            wants_emails(""),
        ).values_list("pk", flat=True)
    )
    emailed, posted = set(), set()
    for contributor_id, email, email_updates, address in OfflineContributor.objects.filter(
        pk__in=ideas.exclude(contributor=None).values("contributor_id")
    ).values_list("pk", "email", "email_updates", "postal_address"):
        if email and email_updates:
            emailed.add(contributor_id)
        elif not email and address:
            posted.add(contributor_id)
    told = Notice.objects.filter(**{field: update})
    users -= set(told.exclude(user=None).values_list("user_id", flat=True))
    already = set(told.exclude(contributor=None).values_list("contributor_id", flat=True))
    emailed -= already
    posted -= already

    def step(**recipient):
        return Notice(kind=kind, key=str(kind), **{field: update}, **recipient)

    new = [step(user_id=user_id) for user_id in sorted(users)]
    new += [step(contributor_id=contributor_id) for contributor_id in sorted(emailed)]
    by_email = len(new)
    if posted:
        letters = journey_letters_for(posted)
        new += [
            step(contributor_id=contributor_id, letter_id=letters[contributor_id])
            for contributor_id in sorted(posted)
        ]
    Notice.objects.bulk_create(new, ignore_conflicts=True)
    return list(
        Notice.objects.filter(
            **{field: update},
            letter=None,
            status=Notice.Status.PENDING,
            attempts=0,
        )
        .filter(
            Q(user_id__in=[n.user_id for n in new[:by_email] if n.user_id])
            | Q(contributor_id__in=[n.contributor_id for n in new[:by_email] if n.contributor_id])
        )
        .values_list("pk", flat=True)
    )


def journey_letters_for(contributor_ids: set[int]) -> dict[int, int]:
    """The journey letter due to each contributor (made when none is due): {contributor:
    letter}. The steps owed since the last letter was posted gather on one letter."""
    due = dict(
        Letter.objects.filter(
            contributor_id__in=contributor_ids, update=None, status=Letter.Status.DUE
        ).values_list("contributor_id", "pk")
    )
    missing = sorted(contributor_ids - set(due))
    if missing:
        Letter.objects.bulk_create(
            [Letter(contributor_id=contributor_id) for contributor_id in missing],
            ignore_conflicts=True,
        )
        due = dict(
            Letter.objects.filter(
                contributor_id__in=contributor_ids, update=None, status=Letter.Status.DUE
            ).values_list("contributor_id", "pk")
        )
    return due


def journey_steps_current(notices) -> tuple[list, list]:
    """Split steps (journey `Notice` rows, with `idea__consultation`, `theme`,
    `place_update` and `ics_update` read) into those still true and those undone before
    anyone was told: an idea no longer published (or its consultation unpublished), taken
    out of the theme, or no longer in a theme of the priority; a Place's or an ICS's update
    no longer published. One query,
    however many steps."""
    notices = list(notices)
    idea_ids = {n.idea_id for n in notices if n.idea_id}
    placed = set()
    fed = set()
    for idea_id, theme_id, priority_id in IdeaTheme.objects.filter(
        idea_id__in=idea_ids
    ).values_list("idea_id", "theme_id", "theme__priority_id"):
        placed.add((idea_id, theme_id))
        fed.add((idea_id, priority_id))
    current, undone = [], []
    for notice in notices:
        if notice.kind == Notice.Kind.PLACE:  # still true while the Place's update is live
            (current if notice.place_update.live else undone).append(notice)
            continue
        if notice.kind == Notice.Kind.ICS:  # and the ICS's
            (current if notice.ics_update.live else undone).append(notice)
            continue
        idea = notice.idea
        if notice.kind == Notice.Kind.THEMED:
            still = (notice.idea_id, notice.theme_id) in placed
        else:
            still = (notice.idea_id, notice.priority_id) in fed
        still = still and idea.status == PostStatus.PUBLISHED and idea.consultation.live
        (current if still else undone).append(notice)
    return current, undone


def journey_letters_due(*, pcns) -> QuerySet:
    """The journey letters to print for these PCNs: one per contributor, not yet sent, with
    at least one step still true. Each has `current_steps` (its steps, in order, with the
    idea, its consultation, the theme and the priority, or the Place's update and its
    Place, or the ICS's update and its ICS). Two queries, however many letters."""
    idea_still_public = Q(idea__status=PostStatus.PUBLISHED, idea__consultation__live=True)
    steps = Notice.objects.filter(status=Notice.Status.PENDING).filter(
        (
            idea_still_public
            & (
                Q(kind=Notice.Kind.THEMED, idea__ideatheme__theme=F("theme"))
                | Q(kind=Notice.Kind.PRIORITY, idea__themes__priority=F("priority"))
            )
        )
        | Q(kind=Notice.Kind.PLACE, place_update__live=True)
        | Q(kind=Notice.Kind.ICS, ics_update__live=True)
    )
    return (
        Letter.objects.filter(
            update=None,
            status=Letter.Status.DUE,
            contributor__pcn__in=pcns,
            pk__in=steps.values("letter_id"),
        )
        .select_related("contributor__pcn", "contributor__communication_needs")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=steps.select_related(
                    "idea__consultation",
                    "theme",
                    "priority",
                    "place_update__place",
                    "ics_update__ics",
                )
                .distinct()
                .order_by("created_at", "pk"),
                to_attr="current_steps",
            )
        )
        .order_by("created_at", "pk")
    )
