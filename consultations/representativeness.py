"""Who took part, against who the PCN serves: a consultation's (or a theme's) contributors
by age band and sex, against the PCN's registered patients; and by their area's deprivation,
ethnic group (the ONS 2021 high-level groups), disability or long-term condition, and unpaid
care, with nothing to compare these with (GP registration files carry only age and sex).

Contributors are distinct people who posted a published idea or a published comment (on a
published idea): residents by their account; residents who took part offline, or online
without an account, by their record (`OfflineContributor`: a moderator's for someone on
paper, by phone or at a meeting; one per PCN and confirmed email address; one per post sent
with no email address). `contributor_count` counts them all, each once. The breakdowns count
only those who gave equality answers (nobody's answers are guessed; people who took part
without an account gave none, so they are among those who did not say), and only in
aggregate: every table goes through `engage.suppression`, so no
count from 1 to 9 is shown and none can be worked out from what is; a breakdown fewer than
`ENGAGE_EQUALITY_MINIMUM_ANSWERS` people answered is not shown at all.

"Prefer not to say" and unanswered questions are left out of each breakdown, as for age and
sex: every share is of the people who told us, and no extra small group is made to suppress.

Religion, sexual orientation and gender identity are not broken down: they are optional
questions with the smallest groups (a trans or a Jewish contributor may be one of a handful
in a PCN), where a shown count carries the highest risk of picking someone out, and nothing
a PCN does with them needs a breakdown per consultation. They are kept for the person only.

`public_summary(home=...)` is what a PCN that chooses to (`show_who_took_part`) shows on its
public record: the same figures for all its public consultations, age bands and ethnic
groups only, each breakdown left out below the minimum of answers.

`representation(consultation=..., theme=None)` reads it in a constant number of queries
(five: the population, the PCN, the people who took part (accounts, then records), and one
count of every breakdown's groups at once), however many ideas, comments and answers there
are.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q

from consultations.models import (
    AGE_BAND_POPULATION,
    AgeBand,
    Comment,
    ConsultationPage,
    EqualityAnswers,
    Idea,
    OfflineContributor,
    PostStatus,
    Theme,
)
from consultations.models.equality import Disability, EthnicGroup, Sex, UnpaidCare
from engage.models import User
from engage.suppression import Entry, SuppressedTable, table_suppress
from home.models import HomePage
from home.selectors import pcn_population

AGE_BANDS = [band for band in AgeBand if band != AgeBand.PREFER]
SEXES = [Sex.FEMALE, Sex.MALE]
QUINTILES = [
    (1, "Most deprived fifth"),
    (2, "Second fifth"),
    (3, "Middle fifth"),
    (4, "Fourth fifth"),
    (5, "Least deprived fifth"),
]

# The one-way breakdowns: (title, field, [(answer, label)], what people told us). Labels say
# what the group is, in the third person (the choices are worded for the person answering).
# The chart beside each table labels a group by its first words (CHART_LABELS).
ONE_WAY = [
    (
        "Ethnic group",
        "ethnic_group",
        [(group, group.label) for group in EthnicGroup if group != EthnicGroup.PREFER],
        "their ethnic group",
    ),
    (
        "Disability or long-term condition",
        "disability",
        [
            (Disability.LIMITED_A_LOT, "Day-to-day activities limited a lot"),
            (Disability.LIMITED_A_LITTLE, "Day-to-day activities limited a little"),
            (Disability.NOT_LIMITED, "Long-term condition, activities not limited"),
            (Disability.NO, "No long-term condition or disability"),
        ],
        "whether they have a disability or long-term condition",
    ),
    (
        "Unpaid carers",
        "unpaid_care",
        [
            (UnpaidCare.UP_TO_19, "Carer, 19 hours a week or less"),
            (UnpaidCare.FROM_20_TO_49, "Carer, 20 to 49 hours a week"),
            (UnpaidCare.FROM_50, "Carer, 50 or more hours a week"),
            (UnpaidCare.NO, "Not an unpaid carer"),
        ],
        "whether they are an unpaid carer",
    ),
]

CHART_LABELS = {
    "Asian, Asian British or Asian Welsh": "Asian",
    "Black, Black British, Black Welsh, Caribbean or African": "Black",
    "Mixed or Multiple ethnic groups": "Mixed or Multiple",
    "Long-term condition, activities not limited": "Condition, not limited",
    "No long-term condition or disability": "No condition",
    "Day-to-day activities limited a lot": "Limited a lot",
    "Day-to-day activities limited a little": "Limited a little",
}

NO_POPULATION_FIGURES = (
    "GP registration files count patients by age and sex only, so there are no registered "
    "patient figures to compare these with: they are the contributors alone."
)


@dataclass
class Share:
    """One group (a row or a column of a breakdown): its contributors (an `Entry`, perhaps
    hidden) and, where known, its share of registered patients."""

    label: str
    contributors: object  # engage.suppression.Entry
    contributor_percent: int | None  # None when hidden
    population_percent: int | None  # None when there is nothing to compare with
    chart_label: str = ""  # a shorter label for the chart, where `label` is long

    @property
    def short_label(self) -> str:
        return self.chart_label or self.label


@dataclass
class Breakdown:
    title: str
    answers: int
    shown: bool
    why_not_shown: str = ""
    row_labels: list[str] = field(default_factory=list)
    column_labels: list[str] = field(default_factory=list)
    table: SuppressedTable | None = None
    rows: list[Share] = field(default_factory=list)
    columns: list[Share] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Representation:
    consultation: ConsultationPage
    theme: Theme | None
    population_date: object
    population_total: int
    contributors: Entry  # everyone who took part, answers or not, each once (perhaps hidden)
    breakdowns: list[Breakdown]


def answers_of(*, ideas, comments) -> Q:
    """Which equality answers belong to the people behind `ideas` and `comments` (querysets
    of published posts): a filter of subqueries, run inside the one query that counts them."""
    return (
        Q(user_id__in=ideas.filter(author__isnull=False).values("author_id"))
        | Q(user_id__in=comments.filter(author__isnull=False).values("author_id"))
        | Q(contributor_id__in=ideas.filter(contributor__isnull=False).values("contributor_id"))
        | Q(contributor_id__in=comments.filter(contributor__isnull=False).values("contributor_id"))
    )


def accounts_of(*, ideas, comments):
    """The accounts behind `ideas` and `comments` (querysets of published posts), each once."""
    return User.objects.filter(
        Q(pk__in=ideas.filter(author__isnull=False).values("author_id"))
        | Q(pk__in=comments.filter(author__isnull=False).values("author_id"))
    )


def records_of(*, ideas, comments):
    """The people without an account behind `ideas` and `comments`, each once, by their
    record (`OfflineContributor`): on paper, by phone or at a meeting; online with a confirmed
    email address (one record per PCN and address); online with no email address (one record
    per post). A post with neither an author nor a record (an erased account's post kept
    without its author, or a paper idea whose sender left no details) counts nobody: it cannot
    be told apart from another post by the same person."""
    return OfflineContributor.objects.filter(
        Q(
            pk__in=ideas.filter(author__isnull=True, contributor__isnull=False).values(
                "contributor_id"
            )
        )
        | Q(
            pk__in=comments.filter(author__isnull=True, contributor__isnull=False).values(
                "contributor_id"
            )
        )
    )


def contributor_count(*, ideas, comments) -> int:
    """How many people are behind `ideas` and `comments`, each once: accounts and records
    (`accounts_of`, `records_of`). Two queries."""
    return accounts_of(ideas=ideas, comments=comments).count() + (
        records_of(ideas=ideas, comments=comments).count()
    )


def _posts(consultation, theme):
    """This consultation's (or theme's) published ideas, and the published comments on them."""
    ideas = Idea.objects.filter(consultation=consultation, status=PostStatus.PUBLISHED)
    if theme is not None:
        ideas = ideas.filter(themes=theme)
    comments = Comment.objects.filter(idea__in=ideas.values("pk"), status=PostStatus.PUBLISHED)
    return ideas, comments


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _too_few(what: str, minimum: int) -> str:
    return (
        f"Fewer than {minimum} of the people who took part told us {what}, so this breakdown "
        "is not shown: with so few answers, people could be recognised from it, and the "
        "figures would not say much."
    )


def _gap_sentence(group: str, share: Share, whom: str) -> str:
    return (
        f"{group} are {share.population_percent}% of registered patients aged 15 and over, "
        f"and {share.contributor_percent}% of the people who {whom}."
    )


def _gaps(shares: list[Share], describe, whom: str) -> list[str]:
    ratio = settings.ENGAGE_EQUALITY_GAP_PERCENT / 100
    return [
        _gap_sentence(describe(share.label), share, whom)
        for share in shares
        if share.contributor_percent is not None
        and share.population_percent
        and share.contributor_percent < share.population_percent * ratio
    ]


def _age_sex(counts, population, minimum: int, whose: str) -> Breakdown:
    cells = [[counts[("age_sex", band, sex)] for sex in SEXES] for band in AGE_BANDS]
    answered = sum(map(sum, cells))
    breakdown = Breakdown(title="Age and sex", answers=answered, shown=answered >= minimum)
    if not breakdown.shown:
        breakdown.why_not_shown = _too_few("both their age and their sex", minimum)
        return breakdown
    table = table_suppress(cells)
    breakdown.table = table
    breakdown.row_labels = [band.label for band in AGE_BANDS]
    breakdown.column_labels = [sex.label for sex in SEXES]
    patients = {
        (band, sex): sum(population.counts.get((sex, five), 0) for five in fives)
        for band, fives in AGE_BAND_POPULATION.items()
        for sex in SEXES
    }
    patients_total = sum(patients.values())
    total = table.total.value if table.total.shown else None

    def share(label, entry, patients_in_group):
        return Share(
            label=label,
            contributors=entry,
            contributor_percent=_percent(entry.value, total) if entry.shown and total else None,
            population_percent=_percent(patients_in_group, patients_total),
        )

    breakdown.rows = [
        share(band.label, entry, sum(patients[(band, sex)] for sex in SEXES))
        for band, entry in zip(AGE_BANDS, table.row_totals, strict=True)
    ]
    breakdown.columns = [
        share(sex.label, entry, sum(patients[(band, sex)] for band in AGE_BANDS))
        for sex, entry in zip(SEXES, table.column_totals, strict=True)
    ]
    whom = "told us their age and sex"
    if patients_total:
        breakdown.gaps = _gaps(breakdown.rows, lambda label: f"People aged {label}", whom)
        breakdown.gaps += _gaps(
            breakdown.columns, lambda label: f"People whose sex is {label.lower()}", whom
        )
    else:
        breakdown.note = (
            f"There are no registered patient figures for {whose} practices yet, so there "
            "is nothing to compare with. An admin can import them (see the README)."
        )
    return breakdown


def _deprivation(counts, minimum: int, whose: str) -> Breakdown:
    cells = [[counts[("deprivation", q)] for q, _label in QUINTILES]]
    answered = sum(cells[0])
    breakdown = Breakdown(
        title="How deprived their area is", answers=answered, shown=answered >= minimum
    )
    if not breakdown.shown:
        breakdown.why_not_shown = _too_few("their postcode", minimum)
        return breakdown
    table = table_suppress(cells)
    breakdown.table = table
    breakdown.row_labels = ["People"]
    breakdown.column_labels = [label for _q, label in QUINTILES]
    total = table.total.value if table.total.shown else None
    # A one-row table: each column's total is its cell.
    breakdown.columns = [
        Share(
            label=label,
            contributors=entry,
            contributor_percent=_percent(entry.value, total) if entry.shown and total else None,
            population_percent=None,
        )
        for (_q, label), entry in zip(QUINTILES, table.cells[0], strict=True)
    ]
    breakdown.note = (
        "Fifths of England's neighbourhoods by the English Indices of Deprivation 2025: each "
        "fifth holds a fifth of England's neighbourhoods. How "
        f"{whose} own patients are spread across them is not known yet, so there is no "
        "comparison here."
    )
    return breakdown


def _one_way(counts, title: str, name: str, groups, what: str, minimum: int) -> Breakdown:
    """A one-row breakdown of the answers to one question, by `groups` (answer, label),
    with nothing to compare with: the registered-population file has no such figures."""
    cells = [[counts[(name, answer)] for answer, _label in groups]]
    answered = sum(cells[0])
    breakdown = Breakdown(title=title, answers=answered, shown=answered >= minimum)
    if not breakdown.shown:
        breakdown.why_not_shown = _too_few(what, minimum)
        return breakdown
    table = table_suppress(cells)
    breakdown.table = table
    breakdown.row_labels = ["People"]
    breakdown.column_labels = [label for _answer, label in groups]
    total = table.total.value if table.total.shown else None
    breakdown.columns = [
        Share(
            label=label,
            contributors=entry,
            contributor_percent=_percent(entry.value, total) if entry.shown and total else None,
            population_percent=None,
            chart_label=CHART_LABELS.get(label, ""),
        )
        for (_answer, label), entry in zip(groups, table.cells[0], strict=True)
    ]
    breakdown.note = NO_POPULATION_FIGURES
    return breakdown


def representation(*, consultation: ConsultationPage, theme: Theme | None = None) -> Representation:
    """Who took part in `consultation` (or in one of its themes), against the PCN's
    registered population. Five queries: the population, the PCN, the people who took part
    (two), and one count of every breakdown's groups."""
    population = pcn_population(pcn=consultation.pcn)
    ideas, comments = _posts(consultation, theme)
    return Representation(
        consultation=consultation,
        theme=theme,
        population_date=population.extract_date,
        population_total=population.total,
        contributors=table_suppress([[contributor_count(ideas=ideas, comments=comments)]]).total,
        breakdowns=breakdowns(
            answers=answers_of(ideas=ideas, comments=comments), population=population
        ),
    )


def _groups() -> dict[tuple, Q]:
    """Every group any breakdown counts, by a key of its own: ("age_sex", band, sex),
    ("deprivation", fifth) and (field, answer) for each one-way breakdown."""
    groups = {
        ("age_sex", band, sex): Q(age_band=band, sex=sex) for band in AGE_BANDS for sex in SEXES
    }
    groups |= {
        ("deprivation", q): Q(deprivation_decile__in=(2 * q - 1, 2 * q)) for q, _label in QUINTILES
    }
    for _title, name, choices, _what in ONE_WAY:
        groups |= {(name, answer): Q(**{name: answer}) for answer, _label in choices}
    return groups


GROUPS = _groups()


def breakdowns(*, answers: Q, population, whose: str = "this PCN's") -> list[Breakdown]:
    """Every breakdown of the equality answers `answers` selects (`answers_of`), against
    `population` (a `home.selectors.PopulationTable`: a PCN's, one practice's or a Place's
    registered patients; `whose` names them in the notes). One query: a filtered count of
    each group, side by side."""
    minimum = settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS
    keys = list(GROUPS)
    figures = EqualityAnswers.objects.filter(answers).aggregate(
        **{f"g{i}": Count("pk", filter=GROUPS[key]) for i, key in enumerate(keys)}
    )
    counts = {key: figures[f"g{i}"] or 0 for i, key in enumerate(keys)}
    return [
        _age_sex(counts, population, minimum, whose),
        _deprivation(counts, minimum, whose),
        *(
            _one_way(counts, title, name, choices, what, minimum)
            for title, name, choices, what in ONE_WAY
        ),
    ]


@dataclass
class PublicSummary:
    """Who took part in a PCN's public consultations, for its public record: the age
    breakdown (its age bands' totals, as the staff screen hides them, against registered
    patients) and the ethnic groups, each None when fewer than the minimum answered."""

    age: Breakdown | None
    ethnic_group: Breakdown | None
    population_date: object

    @property
    def shown(self) -> bool:
        return self.age is not None or self.ethnic_group is not None


def public_summary(*, home) -> PublicSummary | None:
    """What the PCN whose site's home page is `home` shows of who took part on its public
    record, or None when it chose not to (`PrimaryCareNetwork.show_who_took_part`, off by
    default). Everyone who posted a published idea, or a published comment on one, in its
    live, public consultations (never a private one's), counted and hidden exactly as on
    the staff screen (`breakdowns`). One query when off; four when on (the PCN, the view
    restrictions, the population, and the count of every group), whatever the data size."""
    pcn = (
        HomePage.objects.filter(pk=home.pk, pcn__show_who_took_part=True)
        .values_list("pcn_id", flat=True)
        .first()
    )
    if pcn is None:
        return None
    consultations = ConsultationPage.objects.live().public().descendant_of(home)
    ideas = Idea.objects.filter(consultation__in=consultations, status=PostStatus.PUBLISHED)
    comments = Comment.objects.filter(idea__in=ideas.values("pk"), status=PostStatus.PUBLISHED)
    population = pcn_population(pcn=pcn)
    figures = {
        breakdown.title: breakdown
        for breakdown in breakdowns(
            answers=answers_of(ideas=ideas, comments=comments), population=population
        )
    }
    age, ethnic_group = figures["Age and sex"], figures["Ethnic group"]
    return PublicSummary(
        age=age if age.shown else None,
        ethnic_group=ethnic_group if ethnic_group.shown else None,
        population_date=population.extract_date,
    )
