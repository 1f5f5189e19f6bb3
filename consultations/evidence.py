"""Evidence packs: one PCN's (or one of its practices') record of involving people over a
period, for the PPG representativeness duty and the duty to involve, as a printable page and
a CSV of the same figures (`consultations.viewsets.evidence_pack`).

Four parts:

1. **How people were involved**: the consultations open in the period; published ideas (by
   how they reached us: online, paper, phone, meeting) and published comments made in the
   period, by consultation; the number of people behind them; outreach sessions held.
2. **Who took part against the registered population**: the contributors' equality answers
   by age band and sex, deprivation, ethnic group, disability or long-term condition and
   unpaid care (`consultations.representativeness`), against the registered patients of the
   PCN (or of the practice) where there are such figures, with the gaps in words.
3. **Outreach done for the gaps**: the outreach actions held in the period.
4. **What changed**: the "You said, we did" updates published in the period and each action's
   status; themes of the period's consultations answered; median days to respond.

**Small numbers.** Every breakdown of people or of what they sent (contributions by
consultation and channel, the number of contributors, the equality breakdowns, the ideas of
the practice's neighbourhood) goes through `engage.suppression.table_suppress`: no count from
1 to 9 is shown, and none can be worked out from the totals; an equality breakdown fewer than
`ENGAGE_EQUALITY_MINIMUM_ANSWERS` people answered is not shown at all. Counts of the PCN's
own work (consultations, outreach sessions and the contributions they brought in, updates,
themes, actions) say nothing about any person and are shown as they are, as on the public
pages and in "Who took part".

**Per practice.** An idea may name its author's GP practice (`Idea.practice`, optional). A
practice's pack counts the published ideas that named the practice: by consultation and how
they reached us, the people behind them, and those people's equality answers against *the
practice's* registered patients. Comments record no practice, so they are left out of a
practice's pack (they are in the PCN's), and people who did not name a practice are in the
PCN's pack only. The ideas that named the practice's neighbourhood are shown too (shared with
any other practice there). Outreach and what changed are the PCN's; the pack says all this
plainly (`EvidencePack.about_practice`).

`evidence_pack(...)` reads a fixed number of queries, however many ideas, comments, answers
and consultations there are.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from consultations.models import (
    ActionStatus,
    Channel,
    Comment,
    ConsultationPage,
    Idea,
    OutreachAction,
    PostStatus,
    Theme,
    UpdatePage,
)
from consultations.representativeness import (
    Breakdown,
    answers_of,
    breakdowns,
    contributor_count,
)
from engage.suppression import Entry, SuppressedTable, table_suppress
from home.boundary import in_pcn
from home.models import Practice, PrimaryCareNetwork
from home.selectors import pcn_population, practice_population

# The columns of "contributions by consultation": ideas by how they reached us, then comments
# (always sent online).
IDEA_CHANNELS = [
    (Channel.ONLINE, "Ideas sent online"),
    (Channel.PAPER, "Ideas on paper"),
    (Channel.PHONE, "Ideas by phone"),
    (Channel.MEETING, "Ideas at a meeting"),
]
CONTRIBUTION_COLUMNS = [label for _channel, label in IDEA_CHANNELS] + ["Comments"]


@dataclass
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends_before(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


def a_year_to(end: date) -> Period:
    """The twelve months up to `end`: from the day after the same date a year before."""
    try:
        year_before = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        year_before = end.replace(year=end.year - 1, day=28)
    return Period(start=year_before + timedelta(days=1), end=end)


@dataclass
class CountTable:
    """A table of counts, small numbers hidden: `table` is None when it has no rows."""

    title: str
    row_labels: list[str]
    column_labels: list[str]
    table: SuppressedTable | None

    def rows(self):
        """(label, cells, row total) for each row."""
        if self.table is None:
            return []
        return list(zip(self.row_labels, self.table.cells, self.table.row_totals, strict=True))


def _count_table(title, row_labels, column_labels, cells) -> CountTable:
    return CountTable(
        title=title,
        row_labels=row_labels,
        column_labels=column_labels,
        table=table_suppress(cells) if cells else None,
    )


@dataclass
class ConsultationRow:
    consultation: ConsultationPage
    open_in_period: bool


@dataclass
class EvidencePack:
    pcn: PrimaryCareNetwork
    practice: Practice | None
    period: Period
    made_on: date
    private_left_out: bool  # a place lead's pack: the PCN's private consultations left out
    # 1. How people were involved
    consultations: list[ConsultationRow]
    contributions: CountTable
    contributors: Entry
    neighbourhood_ideas: CountTable | None
    # 2. Who took part, against the registered population
    population_date: date | None
    population_total: int
    breakdowns: list[Breakdown]
    # 3. Outreach
    outreach: list[OutreachAction]
    # 4. What changed
    updates: list[UpdatePage]
    themes: int
    themes_answered: int
    median_days_to_response: float | None
    actions_by_status: list[tuple[str, int]]
    about_practice: list[str] = field(default_factory=list)

    @property
    def consultations_open(self) -> int:
        return sum(1 for row in self.consultations if row.open_in_period)

    @property
    def outreach_contributions(self) -> int:
        return sum(action.contributions for action in self.outreach)

    @property
    def gaps(self) -> list[str]:
        return [gap for breakdown in self.breakdowns for gap in breakdown.gaps]

    @property
    def actions(self) -> int:
        return sum(count for _label, count in self.actions_by_status)

    @property
    def themes_answered_percent(self) -> int | None:
        return round(100 * self.themes_answered / self.themes) if self.themes else None

    @property
    def title(self) -> str:
        if self.practice is not None:
            return f"{self.practice.name} ({self.practice.ods_code}), {self.pcn.name}"
        return self.pcn.name


ABOUT_PRACTICE = [
    "The contributions, the people who took part and who they are count the ideas whose "
    "authors named this practice as their GP practice, compared with this practice's own "
    "registered patients.",
    "Naming a practice is optional: people who did not are in the PCN's pack only.",
    "Comments do not record a GP practice, so they are not counted here: they are in the "
    "PCN's pack.",
    "Outreach and what changed are the PCN's: they are not recorded per practice.",
]


def evidence_pack(
    *,
    pcn: PrimaryCareNetwork,
    consultations,
    period: Period,
    practice: Practice | None = None,
    public_only: bool = False,
) -> EvidencePack:
    """The evidence pack of `pcn` (or of one of its `practice`s) for `period`.

    `consultations` are the PCN's live consultations the reader may see
    (`who_took_part_consultations`); `public_only` leaves out the PCN's private updates too
    (a place lead's pack). About fifteen queries, whatever the amount of data.
    """
    if practice is not None and practice.pcn_id != pcn.pk:
        raise ValueError("The practice is not one of the PCN's.")
    consultations = in_pcn(consultations, pcn)
    starts_at, ends_before = period.starts_at, period.ends_before
    open_in_period = Q(opens_at__lt=ends_before, closes_at__gte=starts_at)

    ideas = Idea.objects.filter(
        consultation__in=consultations,
        status=PostStatus.PUBLISHED,
        created_at__gte=starts_at,
        created_at__lt=ends_before,
    )
    comments = Comment.objects.filter(
        idea__consultation__in=consultations,
        idea__status=PostStatus.PUBLISHED,
        status=PostStatus.PUBLISHED,
        created_at__gte=starts_at,
        created_at__lt=ends_before,
    )
    neighbourhood_ideas_of = ideas
    if practice is not None:
        # A practice's pack: the ideas that named it. Comments record no practice.
        ideas = ideas.filter(practice=practice)
        comments = Comment.objects.none()

    # 1. How people were involved: every consultation open in the period, and any other
    # that had contributions in it (paper entered after it closed).
    involved = list(
        consultations.filter(
            open_in_period
            | Q(pk__in=ideas.values("consultation_id"))
            | Q(pk__in=comments.values("idea__consultation_id"))
        ).order_by("opens_at", "pk")
    )
    for consultation in involved:
        consultation.in_period = (
            consultation.opens_at < ends_before and consultation.closes_at >= starts_at
        )
    by_channel = {
        (row["consultation_id"], row["channel"]): row["n"]
        for row in ideas.values("consultation_id", "channel").annotate(n=Count("pk")).order_by()
    }
    if practice is None:
        by_comments = {
            row["idea__consultation_id"]: row["n"]
            for row in comments.values("idea__consultation_id").annotate(n=Count("pk")).order_by()
        }
        contributions = _count_table(
            "Contributions by consultation and how they reached us",
            [consultation.title for consultation in involved],
            CONTRIBUTION_COLUMNS,
            [
                [by_channel.get((c.pk, channel), 0) for channel, _label in IDEA_CHANNELS]
                + [by_comments.get(c.pk, 0)]
                for c in involved
            ],
        )
    else:
        contributions = _count_table(
            "Contributions by consultation and how they reached us: ideas that named the practice",
            [consultation.title for consultation in involved],
            [label for _channel, label in IDEA_CHANNELS],
            [
                [by_channel.get((c.pk, channel), 0) for channel, _label in IDEA_CHANNELS]
                for c in involved
            ],
        )
    people = _contributor_count(ideas, comments)

    neighbourhood_ideas = None
    if practice is not None and practice.neighbourhood_id:
        counts = dict(
            neighbourhood_ideas_of.filter(neighbourhood_id=practice.neighbourhood_id)
            .values_list("channel")
            .annotate(n=Count("pk"))
            .order_by()
        )
        neighbourhood_ideas = _count_table(
            f"Ideas that named {practice.neighbourhood.name}, the practice's neighbourhood",
            ["Ideas"],
            [label for _channel, label in IDEA_CHANNELS],
            [[counts.get(channel, 0) for channel, _label in IDEA_CHANNELS]],
        )

    # 2. Who took part, against the registered population.
    population = (
        practice_population(practice=practice) if practice is not None else pcn_population(pcn=pcn)
    )
    figures = breakdowns(answers=answers_of(ideas=ideas, comments=comments), population=population)

    # 3. Outreach held in the period.
    outreach = list(
        OutreachAction.objects.filter(
            consultation__in=consultations, held_on__gte=period.start, held_on__lte=period.end
        )
        .select_related("consultation")
        .order_by("held_on", "pk")
    )

    # 4. What changed.
    # Updates the reader may see, about consultations they may see (or about none).
    live_updates = in_pcn(UpdatePage.objects.live(), pcn).filter(
        Q(consultation__isnull=True) | Q(consultation__in=consultations)
    )
    if public_only:
        live_updates = live_updates.public()
    updates = list(
        live_updates.filter(first_published_at__gte=starts_at, first_published_at__lt=ends_before)
        .select_related("consultation")
        .prefetch_related("actions")
        .order_by("first_published_at", "pk")
    )
    statuses = dict.fromkeys(ActionStatus, 0)
    for update in updates:
        for action in update.actions.all():
            statuses[action.status] = statuses.get(action.status, 0) + 1
    period_consultations = [row.pk for row in involved if row.in_period]
    themes = Theme.objects.filter(consultation_id__in=period_consultations)
    answered = themes.filter(updates__in=live_updates).distinct().count()
    first_responses = (
        live_updates.filter(consultation_id__in=period_consultations)
        .order_by()
        .values("consultation_id", "consultation__closes_at")
        .annotate(first=Min("first_published_at"))
    )
    days = [
        max(0, (row["first"] - row["consultation__closes_at"]).days)
        for row in first_responses
        if row["first"]
    ]
    return EvidencePack(
        pcn=pcn,
        practice=practice,
        period=period,
        made_on=timezone.localdate(),
        private_left_out=public_only,
        consultations=[ConsultationRow(c, c.in_period) for c in involved],
        contributions=contributions,
        contributors=people,
        neighbourhood_ideas=neighbourhood_ideas,
        population_date=population.extract_date,
        population_total=population.total,
        breakdowns=figures,
        outreach=outreach,
        updates=updates,
        themes=themes.count(),
        themes_answered=answered,
        median_days_to_response=statistics.median(days) if days else None,
        actions_by_status=[(ActionStatus(s).label, n) for s, n in statuses.items()],
        about_practice=ABOUT_PRACTICE if practice is not None else [],
    )


def _contributor_count(ideas, comments) -> Entry:
    """The people behind `ideas` and `comments`, each once: residents by their account,
    people without one (offline, or online without an account) by their record
    (`representativeness.contributor_count`). Two queries. Hidden when from 1 to 9."""
    return table_suppress([[contributor_count(ideas=ideas, comments=comments)]]).total


# The CSV: one row per figure, so a spreadsheet can sort and filter it.

CSV_HEADER = ["Section", "Figure", "Row", "Column", "Value"]


def _table_rows(section, table: CountTable, *, row_total="All", column_total="All"):
    if table.table is None:
        yield [section, table.title, "", "", "none"]
        return
    for label, cells, total in table.rows():
        for column, entry in zip(table.column_labels, cells, strict=True):
            yield [section, table.title, label, column, entry.display]
        yield [section, table.title, label, column_total, total.display]
    for column, entry in zip(table.column_labels, table.table.column_totals, strict=True):
        yield [section, table.title, row_total, column, entry.display]
    yield [section, table.title, row_total, column_total, table.table.total.display]


def _percent(value) -> str:
    return "hidden" if value is None else f"{value}%"


def breakdown_csv_rows(section: str, breakdowns: list[Breakdown]):
    """The rows of every equality breakdown under `CSV_HEADER`: each cell, its totals and
    each group's shares, as the page shows them ("hidden" where it hides one)."""
    for breakdown in breakdowns:
        if not breakdown.shown:
            yield [section, breakdown.title, "", "", "not shown: " + breakdown.why_not_shown]
            continue
        table = breakdown.table
        for label, cells, total in zip(
            breakdown.row_labels, table.cells, table.row_totals, strict=True
        ):
            for column, entry in zip(breakdown.column_labels, cells, strict=True):
                yield [section, breakdown.title, label, column, entry.display]
            if len(breakdown.row_labels) > 1:
                yield [section, breakdown.title, label, "All", total.display]
        if len(breakdown.row_labels) > 1:
            for column, entry in zip(breakdown.column_labels, table.column_totals, strict=True):
                yield [section, breakdown.title, "All", column, entry.display]
        yield [section, breakdown.title, "All", "All", table.total.display]
        for share in [*breakdown.rows, *breakdown.columns]:
            yield [
                section,
                f"{breakdown.title}: share of contributors",
                share.label,
                "",
                _percent(share.contributor_percent),
            ]
            if share.population_percent is not None:
                yield [
                    section,
                    f"{breakdown.title}: share of registered patients",
                    share.label,
                    "",
                    f"{share.population_percent}%",
                ]


def evidence_pack_csv_rows(pack: EvidencePack):
    """The figures of the pack, as rows under `CSV_HEADER`: counts as the page shows them
    ("hidden" where the page hides one), nothing the page does not show."""
    about = "About this pack"
    yield [about, "Primary care network", "", "", f"{pack.pcn.name} ({pack.pcn.ods_code})"]
    if pack.practice is not None:
        yield [about, "Practice", "", "", f"{pack.practice.name} ({pack.practice.ods_code})"]
    yield [about, "From", "", "", pack.period.start.isoformat()]
    yield [about, "To", "", "", pack.period.end.isoformat()]
    yield [about, "Made on", "", "", pack.made_on.isoformat()]
    for sentence in pack.about_practice:
        yield [about, "What the practice's figures count", "", "", sentence]
    if pack.private_left_out:
        yield [about, "Left out", "", "", "The PCN's private consultations and updates"]

    section = "How people were involved"
    yield [section, "Consultations open in the period", "", "", pack.consultations_open]
    for row in pack.consultations:
        yield [
            section,
            "Consultation",
            row.consultation.title,
            "Open in the period" if row.open_in_period else "Contributions only",
            f"{row.consultation.opens_at:%Y-%m-%d} to {row.consultation.closes_at:%Y-%m-%d}",
        ]
    yield from _table_rows(section, pack.contributions, row_total="All consultations")
    yield [section, "People who took part", "", "", pack.contributors.display]
    if pack.neighbourhood_ideas is not None:
        yield from _table_rows(section, pack.neighbourhood_ideas)
    yield [section, "Outreach sessions", "", "", len(pack.outreach)]
    yield [section, "Contributions outreach brought in", "", "", pack.outreach_contributions]

    section = "Who took part"
    if pack.population_date:
        yield [section, "Registered patients on", "", "", pack.population_date.isoformat()]
    yield from breakdown_csv_rows(section, pack.breakdowns)
    for gap in pack.gaps:
        yield [section, "Heard less from", "", "", gap]

    section = "Outreach for the gaps"
    for action in pack.outreach:
        yield [
            section,
            "Outreach",
            action.description,
            "; ".join(action.group_labels),
            f"{action.held_on.isoformat()}, {action.get_channel_display()}, "
            f"{action.contributions} contributions",
        ]

    section = "What changed"
    yield [section, "Updates published", "", "", len(pack.updates)]
    for update in pack.updates:
        for action in update.actions.all():
            yield [section, "Action", update.title, action.description, action.get_status_display()]
    for label, count in pack.actions_by_status:
        yield [section, "Actions by status", label, "", count]
    yield [section, "Themes of the period's consultations", "", "", pack.themes]
    yield [section, "Themes answered", "", "", pack.themes_answered]
    yield [
        section,
        "Median days from closing to a response",
        "",
        "",
        "none yet" if pack.median_days_to_response is None else pack.median_days_to_response,
    ]
