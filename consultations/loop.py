"""Closing the loop: who hears about an update, each idea's journey, and the PCN's record.

Reads are selectors (each a fixed number of queries); `update_notices_create` and
`phase_notices_create` write the outbox rows (`Notice`) whose emails
`notifications.send_notice` hands to the mail queue. Residents who took part offline hear
back too: by email when they gave an address (a `Notice` to their `OfflineContributor`),
otherwise by a printed letter (`update_letters_create` writes the `Letter` rows that the
admin's "Letters to print" lists).

A Place's decisions cascade down the same way: `place_update_notices_create` owes one
`Notice` per person for each published `PlaceUpdatePage`, to everyone behind the PCN themes
its priorities cite (a step on a journey `Letter` for those with only a postal address).

The steps of an idea's journey are owed the same way: `theme_step_notices_create` writes a
`Notice` for each person to tell when a published idea is put in a theme or its theme is
linked to a priority of the shared vision (a step on a journey `Letter` for a resident with
only a postal address). Update and journey notices are sent together, one email per person,
by `notifications.send_journey_digest`; `journey_letters_due` lists the letters to print.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Sum

from consultations.models import (
    ActionStatus,
    ConsultationPage,
    Follow,
    Idea,
    IdeaTheme,
    Letter,
    Notice,
    OfflineContributor,
    OutreachAction,
    Phase,
    PlacePriorityLink,
    PlaceUpdateAction,
    PlaceUpdatePage,
    PostStatus,
    Theme,
    UpdateAction,
    UpdateIdea,
    UpdatePage,
)
from engage.models import User
from home.boundary import in_pcn, in_place
from home.models import HomePage, VisionPage

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


# The steps of an idea's journey: put in a theme, its theme linked to a priority


def _wants_emails(prefix: str) -> Q:
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
        Idea.objects.filter(Q(pk__in=idea_ids) & _wants_emails("author__")).values_list(
            "pk", "author_id"
        )
    )
    people |= set(
        Follow.objects.filter(Q(idea_id__in=idea_ids) & _wants_emails("user__")).values_list(
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
        letters = _journey_letters_for({n.contributor_id for n in by_letter})
        for notice in by_letter:
            notice.letter_id = letters[notice.contributor_id]
        new += by_letter
    Notice.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _journey_letters_for(contributor_ids: set[int]) -> dict[int, int]:
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
    """Split steps (journey `Notice` rows, with `idea__consultation`, `theme` and
    `place_update` read) into those still true and those undone before anyone was told: an
    idea no longer published (or its consultation unpublished), taken out of the theme, or
    no longer in a theme of the priority; a Place's update no longer published. One query,
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
    Place). Two queries, however many letters."""
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
                    "idea__consultation", "theme", "priority", "place_update__place"
                )
                .distinct()
                .order_by("created_at", "pk"),
                to_attr="current_steps",
            )
        )
        .order_by("created_at", "pk")
    )


# A Place's decisions: who hears, once


def themes_behind_place_priorities(priority_ids) -> QuerySet:
    """The PCN themes behind these Place priorities: those they cite, and those that feed a
    PCN vision priority they cite (on a live, public vision page), of live consultations
    everyone may read. The chain a Place priority's "heard in N of M PCNs" counts
    (`selectors.place_vision_heard`). An ICS priority citing Place priorities reaches its
    residents through the same function, given the Place priorities it cites."""
    public = ConsultationPage.objects.live().public()
    public_visions = VisionPage.objects.live().public()
    return Theme.objects.filter(
        Q(place_links__priority_id__in=priority_ids)
        | Q(
            priority__place_links__priority_id__in=priority_ids,
            priority__page__in=public_visions,
        ),
        consultation__in=public,
    )


def place_update_ideas(update: PlaceUpdatePage):
    """Published ideas behind a Place's update: in a PCN theme behind one of the priorities
    it acts on, of the Place's own PCNs only (`home.boundary.in_place`). Pending, hidden and
    withdrawn ideas are never behind anything."""
    priority_ids = [priority.pk for priority in update.priorities.all()]
    themes = in_place(themes_behind_place_priorities(priority_ids), update.place)
    return Idea.objects.filter(
        status=PostStatus.PUBLISHED,
        pk__in=IdeaTheme.objects.filter(theme__in=themes).values("idea_id"),
    )


@transaction.atomic
def place_update_notices_create(*, update: PlaceUpdatePage) -> list[int]:
    """Owe each person behind a Place's update one step: once per person and update, however
    many of their ideas it reaches, and never again when it is republished or edited.

    Told: the authors of the published ideas behind it and those following those ideas, who
    still want emails; residents who took part offline by email when they gave one (and
    still want them), or on their next journey letter when they gave only a postal address
    (the PCN that holds their address prints it). Returns the ids of the new notices sent
    by email (in their next journey digest). A fixed number of queries, however many ideas
    and people.
    """
    if not update.live:
        return []
    ideas = place_update_ideas(update)
    users = set(
        User.objects.filter(
            Q(pk__in=ideas.values("author_id"))
            | Q(pk__in=Follow.objects.filter(idea__in=ideas).values("user_id")),
            _wants_emails(""),
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
    told = Notice.objects.filter(place_update=update)
    users -= set(told.exclude(user=None).values_list("user_id", flat=True))
    already = set(told.exclude(contributor=None).values_list("contributor_id", flat=True))
    emailed -= already
    posted -= already

    def step(**recipient):
        return Notice(kind=Notice.Kind.PLACE, place_update=update, key="place", **recipient)

    new = [step(user_id=user_id) for user_id in sorted(users)]
    new += [step(contributor_id=contributor_id) for contributor_id in sorted(emailed)]
    by_email = len(new)
    if posted:
        letters = _journey_letters_for(posted)
        new += [
            step(contributor_id=contributor_id, letter_id=letters[contributor_id])
            for contributor_id in sorted(posted)
        ]
    Notice.objects.bulk_create(new, ignore_conflicts=True)
    return list(
        Notice.objects.filter(
            place_update=update,
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


def _place_citations(links):
    """(Place priority id, its Place's id, PCN theme id, when cited) for each PCN theme
    behind these links (`themes_behind_place_priorities`' chain): one query."""
    public = ConsultationPage.objects.live().public()
    fields = ("priority_id", "priority__page__place_id")
    links = links.order_by()  # a part of a union takes no order
    direct = links.filter(theme__consultation__in=public).values_list(
        *fields, "theme_id", "confirmed_at"
    )
    through = links.filter(
        vision_priority__page__in=VisionPage.objects.live().public(),
        vision_priority__themes__consultation__in=public,
    ).values_list(*fields, "vision_priority__themes__id", "confirmed_at")
    return direct.union(through, all=True)


def place_themes_of(priority_ids) -> dict[int, set[int]]:
    """{Place priority id: the ids of the PCN themes behind it} (the chain of
    `themes_behind_place_priorities`). One query, however many priorities and themes."""
    behind: dict[int, set[int]] = {}
    links = PlacePriorityLink.objects.filter(priority_id__in=list(priority_ids))
    for priority_id, _, theme_id, _ in _place_citations(links):
        behind.setdefault(priority_id, set()).add(theme_id)
    return behind


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


# Each idea's journey


@dataclass
class Stage:
    name: str
    done: bool
    when: datetime | None = None
    details: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, url)


def _live_updates_for(theme_ids, idea_ids, *, with_targets: bool = True):
    """Live updates that answer any of these themes or ideas; `with_targets` also reads
    which themes and ideas each answers (not needed for one idea: all of them answer it)."""
    updates = (
        UpdatePage.objects.live()
        .public()
        .filter(Q(themes__in=theme_ids) | Q(answered_ideas__idea__in=idea_ids))
        .distinct()
        .prefetch_related(
            Prefetch("actions", queryset=UpdateAction.objects.order_by("sort_order")),
        )
        .order_by("first_published_at")
    )
    if with_targets:
        updates = updates.prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("pk")),
            Prefetch("answered_ideas", queryset=UpdateIdea.objects.only("page_id", "idea_id")),
        )
    return updates


def idea_journeys(ideas) -> dict[int, list[Stage]]:
    """The journey of each idea: submitted → published → themed → priority → acted on,
    and acted on by the Place when a Place's update acts on a priority citing its theme
    (or the PCN priority its theme feeds).

    Works on a list of ideas in six queries, whatever its length; in three for one idea
    whose `placements` are read already (`selectors.idea_for_page`); one fewer for ideas
    in no theme.
    """
    ideas = list(ideas)
    ids = [idea.pk for idea in ideas]
    placements: dict[int, list[IdeaTheme]] = {}
    if all(hasattr(idea, "placements") for idea in ideas):
        placements = {idea.pk: idea.placements for idea in ideas}
    else:
        queryset = IdeaTheme.objects.filter(idea_id__in=ids).select_related("theme__priority")
        for placement in queryset:
            placements.setdefault(placement.idea_id, []).append(placement)
    theme_ids = {p.theme_id for items in placements.values() for p in items}
    one_idea = len(ideas) == 1
    updates = list(_live_updates_for(theme_ids, ids, with_targets=not one_idea))
    place_updates = _place_updates_for(placements)
    journeys = {}
    for idea in ideas:
        mine = placements.get(idea.pk, [])
        my_themes = {p.theme_id for p in mine}
        acting = [
            update
            for update in updates
            if one_idea
            or my_themes & {t.pk for t in update.themes.all()}
            or idea.pk in {link.idea_id for link in update.answered_ideas.all()}
        ]
        priorities = {p.theme.priority for p in mine if p.theme.priority_id}
        if idea.is_offline:
            # Sent on paper, by phone or at a meeting: typed up and published for them.
            submitted = Stage(f"Submitted {idea.channel_phrase}", True, idea.created_at)
            published_details = ["Typed up and published for the resident by the PCN"]
        else:
            submitted = Stage("Submitted", True, idea.created_at)
            published_details = []
        if idea.status == PostStatus.PENDING:
            published_details = ["Waiting for a moderator"]
        journeys[idea.pk] = [
            submitted,
            Stage(
                "Published",
                idea.status == PostStatus.PUBLISHED or idea.published_at is not None,
                idea.published_at,
                published_details,
            ),
            Stage(
                "Grouped into a theme",
                bool(mine),
                min((p.added_at for p in mine), default=None),
                [p.theme.name for p in mine],
            ),
            Stage(
                "Fed into a priority of our shared vision",
                bool(priorities),
                None,
                sorted(priority.title for priority in priorities),
            ),
            Stage(
                "Acted on",
                bool(acting),
                acting[0].first_published_at if acting else None,
                [
                    f"{update.title}: "
                    + ", ".join(
                        f"{a.description} ({a.get_status_display().lower()})"
                        for a in update.actions.all()
                    )
                    for update in acting
                ],
                [(update.title, update.url) for update in acting],
            ),
        ]
        by_place = [
            update
            for update, (cited_themes, cited_priorities) in place_updates
            if my_themes & cited_themes
            or {p.theme.priority_id for p in mine if p.theme.priority_id} & cited_priorities
        ]
        if by_place:
            journeys[idea.pk].append(
                Stage(
                    "Acted on by the Place",
                    True,
                    by_place[0].first_published_at,
                    [
                        f"{update.place.name} Place acted on this: {update.title}"
                        for update in by_place
                    ],
                    [(update.title, update.url) for update in by_place],
                )
            )
    return journeys


def _place_updates_for(placements) -> list[tuple[PlaceUpdatePage, tuple[set, set]]]:
    """Live, public Place updates acting on a Place priority that cites one of these
    placements' themes, or the PCN priority one of them feeds: each with (the theme ids,
    the PCN priority ids) its priorities cite. One query, none for ideas in no theme."""
    theme_ids = {p.theme_id for items in placements.values() for p in items}
    vision_ids = {
        p.theme.priority_id for items in placements.values() for p in items if p.theme.priority_id
    }
    if not theme_ids:
        return []
    found: dict[int, tuple[PlaceUpdatePage, tuple[set, set]]] = {}
    for update in (
        PlaceUpdatePage.objects.live()
        .public()
        .filter(
            Q(priorities__links__theme_id__in=theme_ids)
            | Q(priorities__links__vision_priority_id__in=vision_ids)
        )
        .select_related("place")
        .annotate(
            cited_theme=F("priorities__links__theme_id"),
            cited_priority=F("priorities__links__vision_priority_id"),
        )
        .order_by("first_published_at", "pk")
    ):
        _, (themes, priorities) = found.setdefault(update.pk, (update, (set(), set())))
        if update.cited_theme:
            themes.add(update.cited_theme)
        if update.cited_priority:
            priorities.add(update.cited_priority)
    return list(found.values())


# The PCN's record


@dataclass
class Accountability:
    themes: int
    themes_answered: int
    median_days_to_response: float | None
    actions: int
    actions_done: int
    # What the PCN did to hear from groups it was not hearing from. Counts of activities
    # (sessions) and of the contributions they brought in, not of people: no answer about
    # anyone is behind them, so small-number suppression does not apply to them.
    outreach_sessions: int = 0
    outreach_contributions: int = 0

    @property
    def themes_answered_percent(self) -> int | None:
        return round(100 * self.themes_answered / self.themes) if self.themes else None

    @property
    def actions_done_percent(self) -> int | None:
        return round(100 * self.actions_done / self.actions) if self.actions else None


def accountability(*, home) -> Accountability:
    """Share of themes with a published response, median days from close to response,
    share of actions done, and the outreach sessions held and the contributions they
    brought in, for one PCN's site."""
    # What everyone may read: a private consultation or update (a view restriction) adds
    # nothing to the public figures.
    consultations = ConsultationPage.objects.live().public().descendant_of(home)
    live_updates = UpdatePage.objects.live().public().descendant_of(home)
    themes = Theme.objects.filter(consultation__in=consultations)
    answered = themes.filter(updates__in=live_updates).distinct().count()
    first_responses = (
        live_updates.filter(consultation__in=consultations)
        .order_by()  # page querysets sort by tree path, which would split the groups
        .values("consultation_id", "consultation__closes_at")
        .annotate(first=Min("first_published_at"))
    )
    # A response published before the consultation closed counts as a same-day response.
    days = [
        max(0, (row["first"] - row["consultation__closes_at"]).days)
        for row in first_responses
        if row["first"]
    ]
    actions = UpdateAction.objects.filter(page__in=live_updates).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=ActionStatus.DONE))
    )
    outreach = OutreachAction.objects.filter(consultation__in=consultations).aggregate(
        sessions=Count("pk"), contributions=Sum("contributions")
    )
    return Accountability(
        themes=themes.count(),
        themes_answered=answered,
        median_days_to_response=statistics.median(days) if days else None,
        actions=actions["total"],
        actions_done=actions["done"],
        outreach_sessions=outreach["sessions"],
        outreach_contributions=outreach["contributions"] or 0,
    )


# A Place's record


def place_accountability(*, places) -> dict[int, Accountability]:
    """Each Place's record (by id), for its own "You said, we did" updates, in the PCNs'
    terms (`accountability`): of the PCN themes its live vision's priorities cite (from
    public consultations, directly or through a PCN priority), how many stand behind a
    priority a live, public Place update acts on; the median days from a priority's first
    citation to the first update acting on it (0 if the same day); and its updates'
    actions done. Three queries (and the request's view restrictions), however many Places,
    PCNs, priorities, themes and updates."""
    place_ids = [place.pk for place in places]
    updates = PlaceUpdatePage.objects.live().public().filter(place_id__in=place_ids)
    acted: dict[int, object] = {}  # Place priority id -> first update's publication
    place_of_priority: dict[int, int] = {}
    for priority_id, first in (
        PlaceUpdatePage.priorities.through.objects.filter(placeupdatepage__in=updates)
        .values("placepriority_id")
        .annotate(first=Min("placeupdatepage__first_published_at"))
        .values_list("placepriority_id", "first")
    ):
        acted[priority_id] = first
    priorities: dict[int, object] = {}  # Place priority id -> its first citation
    themes: dict[int, set[int]] = {}
    answered: dict[int, set[int]] = {}
    for priority_id, place_id, theme_id, cited_at in _place_citations(
        PlacePriorityLink.objects.filter(
            priority__page__place_id__in=place_ids, priority__page__live=True
        )
    ):
        if priority_id not in priorities or cited_at < priorities[priority_id]:
            priorities[priority_id] = cited_at
        place_of_priority[priority_id] = place_id
        themes.setdefault(place_id, set()).add(theme_id)
        if priority_id in acted:
            answered.setdefault(place_id, set()).add(theme_id)
    days: dict[int, list[int]] = {}
    for priority_id, first in acted.items():
        if priority_id in priorities and first is not None:
            days.setdefault(place_of_priority[priority_id], []).append(
                max(0, (first - priorities[priority_id]).days)
            )
    actions = {
        row["page__place_id"]: row
        for row in PlaceUpdateAction.objects.filter(page__in=updates)
        .values("page__place_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=ActionStatus.DONE)))
    }
    return {
        place_id: Accountability(
            themes=len(themes.get(place_id, ())),
            themes_answered=len(answered.get(place_id, ())),
            median_days_to_response=(
                statistics.median(days[place_id]) if days.get(place_id) else None
            ),
            actions=actions.get(place_id, {}).get("total", 0),
            actions_done=actions.get(place_id, {}).get("done", 0),
        )
        for place_id in place_ids
    }


def accountability_of_pcns(pcns=None, *, homes=None) -> dict[int, Accountability]:
    """`consultations.loop.accountability` for each of these PCNs (by id) that has a site,
    in five queries however many PCNs, consultations, themes and updates there are (four
    given their home pages, `homes`): the same figures, each row placed in its PCN by the
    path of the PCN's home page."""
    if homes is None:
        homes = HomePage.objects.filter(pcn__in=pcns).only("path", "pcn_id")
    homes = {home.path: home.pcn_id for home in homes}
    if not homes:
        return {}
    lengths = sorted({len(path) for path in homes})

    def pcn_at(path: str) -> int | None:
        for length in lengths:
            pcn_id = homes.get(path[:length])
            if pcn_id is not None:
                return pcn_id
        return None

    below = Q()
    for path in homes:
        below |= Q(path__startswith=path)
    # What everyone may read: a private consultation or update adds nothing.
    consultations = ConsultationPage.objects.live().public().filter(below)
    updates = UpdatePage.objects.live().public().filter(below)

    themes = defaultdict(lambda: [0, 0])  # PCN id -> [themes, answered]
    for path, total, answered in (
        Theme.objects.filter(consultation__in=consultations)
        .annotate(answered=Exists(updates.filter(themes=OuterRef("pk"))))
        .order_by()
        .values("consultation__path")
        .annotate(total=Count("pk"), answered_count=Count("pk", filter=Q(answered=True)))
        .values_list("consultation__path", "total", "answered_count")
    ):
        figures = themes[pcn_at(path)]
        figures[0] += total
        figures[1] += answered

    days = defaultdict(list)  # PCN id -> days from close to first response, per consultation
    for path, closes_at, first in (
        updates.filter(consultation__in=consultations)
        .order_by()  # page querysets sort by tree path, which would split the groups
        .values("consultation_id", "consultation__path", "consultation__closes_at")
        .annotate(first=Min("first_published_at"))
        .values_list("consultation__path", "consultation__closes_at", "first")
    ):
        if first:
            # A response published before the consultation closed counts as same-day.
            days[pcn_at(path)].append(max(0, (first - closes_at).days))

    actions = defaultdict(lambda: [0, 0])  # PCN id -> [actions, done]
    for path, total, done in (
        UpdateAction.objects.filter(page__in=updates)
        .order_by()
        .values("page__path")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=ActionStatus.DONE)))
        .values_list("page__path", "total", "done")
    ):
        figures = actions[pcn_at(path)]
        figures[0] += total
        figures[1] += done

    return {
        pcn_id: Accountability(
            themes=themes[pcn_id][0],
            themes_answered=themes[pcn_id][1],
            median_days_to_response=statistics.median(days[pcn_id]) if days[pcn_id] else None,
            actions=actions[pcn_id][0],
            actions_done=actions[pcn_id][1],
        )
        for pcn_id in homes.values()
    }
