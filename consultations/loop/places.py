"""A Place's decisions cascade down: the PCN themes behind a Place priority, and the
one step each person behind a Place's "You said, we did" update is owed."""

from django.db import transaction
from django.db.models import Q, QuerySet

from consultations.loop.steps import journey_letters_for, wants_emails
from consultations.models import (
    ConsultationPage,
    Follow,
    Idea,
    IdeaTheme,
    Notice,
    OfflineContributor,
    PlacePriorityLink,
    PlaceUpdatePage,
    PostStatus,
    Theme,
)
from engage.models import User
from home.boundary import in_place
from home.models import VisionPage

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
        letters = journey_letters_for(posted)
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


def place_citations(links):
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
    for priority_id, _, theme_id, _ in place_citations(links):
        behind.setdefault(priority_id, set()).add(theme_id)
    return behind
