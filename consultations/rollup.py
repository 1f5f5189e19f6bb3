"""Who took part, rolled up above the PCN: the contributors to the public consultations of
several PCNs over a period, by every breakdown `consultations.representativeness` has,
against those PCNs' registered patients, with the PCNs side by side.

`place_representation(place=..., period=...)` is a Place's roll-up (its PCNs');
`ics_representation(ics=..., period=...)` an integrated care system's, the same call over
all its Places' PCNs, with its Places side by side as well as its PCNs.

- **Each person once.** The breakdowns count equality answers (one row per person) of
  everyone who posted a published idea, or a published comment on one, in the period, in any
  of the PCNs: a resident who took part in two PCNs is one person here (and one in each
  PCN's row of the comparison, which is why those rows add up to more than the whole).
  Contributors are counted as in the evidence packs (`consultations.evidence`): people who
  took part without an account by their record (`representativeness.records_of`), with no
  equality answers, so among those who did not say.
- **Public consultations only.** A private consultation stays its PCN's, even for an admin
  reading a roll-up: nothing of it is counted.
- **Small numbers** as everywhere (`engage.suppression`): the breakdowns exactly as a
  consultation's; the comparison's contributors per PCN as one table, so no PCN's hidden
  count can be worked out from the others and the whole. A rate is hidden with its count.
  An ICS's comparison is two levels: each Place's PCNs as one table whose total is the
  Place's row (its PCNs' rows added up), and the Places as one table whose total is the
  ICS's; a Place's row hidden to protect one of its PCNs is hidden among the Places too.
- **Queries**: a fixed number (about eight), whatever the number of PCNs, consultations,
  ideas, comments or answers: the per-PCN figures are filtered counts in one query each.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from consultations.evidence import Period, breakdown_csv_rows
from consultations.models import Comment, ConsultationPage, Idea, PostStatus
from consultations.representativeness import Breakdown, answers_of, breakdowns, records_of
from engage.models import User
from engage.suppression import SMALL, Entry, SuppressedTable, table_suppress
from home.boundary import home_paths_of, with_home_path
from home.models import HomePage, IntegratedCareSystem, Place, PrimaryCareNetwork
from home.selectors import pcns_population


@dataclass
class PcnRow:
    """One PCN in the comparison: its registered patients, the people who took part in its
    public consultations (perhaps hidden), and those per 1,000 patients (None when hidden or
    when there are no patient figures)."""

    pcn: object
    patients: int
    contributors: Entry
    per_thousand: float | None


@dataclass
class PlaceRow:
    """One Place in an ICS's comparison: its PCNs' registered patients and their rows of
    people who took part added up (a person in two of its PCNs counts twice), perhaps
    hidden, and its PCNs' rows."""

    place: object
    patients: int
    contributors: Entry
    per_thousand: float | None
    pcns: list[PcnRow]


@dataclass
class RollUp:
    name: str
    pcns: list
    period: Period
    population_date: object
    population_total: int
    contributors: Entry  # the people who took part across all the PCNs, each once
    breakdowns: list[Breakdown]
    comparison: list[PcnRow] = field(default_factory=list)
    comparison_table: SuppressedTable | None = None
    level: str = "Place"  # what `name` names: a "Place" or an "ICS"
    places: list[PlaceRow] = field(default_factory=list)  # an ICS's Places side by side

    @property
    def gaps(self) -> list[str]:
        return [gap for breakdown in self.breakdowns for gap in breakdown.gaps]


def _per_thousand(entry: Entry, patients: int) -> float | None:
    if not entry.shown or not patients:
        return None
    return round(1000 * entry.value / patients, 1)


def representation_across(*, pcns, period: Period, name: str, whose: str) -> RollUp:
    """Who took part in the public, live consultations of `pcns` in `period`, each person
    once, against the PCNs' registered patients (see the module's docstring). `name` is the
    roll-up's (a Place's), `whose` names its patients in the notes ("the Place's")."""
    pcns = list(pcns)
    if all(hasattr(pcn, "home_path") for pcn in pcns):
        homes = home_paths_of(pcns)  # read with the PCNs (`with_home_path`)
    else:
        homes = dict(HomePage.objects.filter(pcn__in=pcns).values_list("pcn_id", "path"))

    def under(lookup: str, pcn_ids) -> Q:
        query = Q(pk__in=[])
        for pcn_id in pcn_ids:
            if pcn_id in homes:
                query |= Q(**{f"{lookup}__startswith": homes[pcn_id]})
        return query

    # Public (no view restriction), live consultations of the PCNs' sites: `public()` reads
    # the restrictions once, here.
    consultations = ConsultationPage.objects.live().public().filter(under("path", homes))
    in_period = Q(created_at__gte=period.starts_at, created_at__lt=period.ends_before)
    ideas = Idea.objects.filter(
        in_period, consultation__in=consultations.values("pk"), status=PostStatus.PUBLISHED
    )
    comments = Comment.objects.filter(
        in_period,
        idea__consultation__in=consultations.values("pk"),
        idea__status=PostStatus.PUBLISHED,
        status=PostStatus.PUBLISHED,
    )

    # The people, each once: accounts across all the PCNs, and per PCN in the same query.
    def account_filter(pcn_id) -> Q:
        return Q(
            pk__in=ideas.filter(under("consultation__path", [pcn_id]), author__isnull=False).values(
                "author_id"
            )
        ) | Q(
            pk__in=comments.filter(
                under("idea__consultation__path", [pcn_id]), author__isnull=False
            ).values("author_id")
        )

    accounts = User.objects.filter(
        Q(pk__in=ideas.filter(author__isnull=False).values("author_id"))
        | Q(pk__in=comments.filter(author__isnull=False).values("author_id"))
    ).aggregate(
        all=Count("pk"),
        **{f"pcn{pk}": Count("pk", filter=account_filter(pk)) for pk in homes},
    )
    # People without an account (offline, or online with a confirmed email address or
    # none): each record belongs to one PCN.
    offline = dict(
        records_of(ideas=ideas, comments=comments)
        .values_list("pcn_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_pcn = [accounts.get(f"pcn{pcn.pk}", 0) + offline.get(pcn.pk, 0) for pcn in pcns]
    everyone = accounts["all"] + sum(offline.values())

    population, patients = pcns_population(pcns=pcns)
    figures = breakdowns(
        answers=answers_of(ideas=ideas, comments=comments), population=population, whose=whose
    )

    rollup = RollUp(
        name=name,
        pcns=pcns,
        period=period,
        population_date=population.extract_date,
        population_total=population.total,
        contributors=table_suppress([[everyone]]).total,
        breakdowns=figures,
    )
    if pcns:
        table = table_suppress([[count] for count in per_pcn])
        rollup.comparison_table = table
        rollup.comparison = [
            PcnRow(
                pcn=pcn,
                patients=patients.get(pcn.pk, 0),
                contributors=cells[0],
                per_thousand=_per_thousand(cells[0], patients.get(pcn.pk, 0)),
            )
            for pcn, cells in zip(pcns, table.cells, strict=True)
        ]
        # The whole is not the PCNs' sum (a person in two PCNs is one), but near it: hide it
        # whenever the sum would be hidden, so it cannot uncover a PCN's hidden count.
        if not table.total.shown:
            rollup.contributors = Entry(everyone, shown=False)
    return rollup


def place_representation(*, place: Place, period: Period) -> RollUp:
    """Who took part across `place`'s PCNs in `period` (`representation_across`)."""
    return representation_across(
        pcns=with_home_path(place.pcns.order_by("name")),
        period=period,
        name=place.name,
        whose="the Place's",
    )


def ics_representation(*, ics: IntegratedCareSystem, period: Period) -> RollUp:
    """Who took part across the PCNs of every Place of `ics` in `period`
    (`representation_across`), with its Places side by side and each Place's PCNs."""
    places = list(
        ics.places.order_by("name").prefetch_related(
            Prefetch("pcns", queryset=with_home_path(PrimaryCareNetwork.objects.order_by("name")))
        )
    )
    rollup = representation_across(
        pcns=[pcn for place in places for pcn in place.pcns.all()],
        period=period,
        name=ics.name,
        whose="the ICS's",
    )
    rollup.level = "ICS"
    _places_side_by_side(rollup, places)
    return rollup


def _places_side_by_side(rollup: RollUp, places: list) -> None:
    """Suppress the PCNs' rows a Place at a time, then the Places' rows (see the module's
    docstring); the whole is hidden whenever the Places' sum is."""
    if not places:
        return
    rows_of = {row.pcn.pk: row for row in rollup.comparison}
    grouped = []
    for place in places:
        rows = [rows_of[pcn.pk] for pcn in place.pcns.all()]
        total = Entry(0)
        if rows:
            table = table_suppress([[row.contributors.value] for row in rows])
            for row, cells in zip(rows, table.cells, strict=True):
                row.contributors = cells[0]
                row.per_thousand = _per_thousand(cells[0], row.patients)
            total = table.total
        grouped.append((place, rows, total))
    top = table_suppress(
        [[total.value] for _place, _rows, total in grouped],
        hide=[(n, 0) for n, (_place, _rows, total) in enumerate(grouped) if not total.shown],
    )
    rollup.places = []
    for (place, rows, _total), cells in zip(grouped, top.cells, strict=True):
        patients = sum(row.patients for row in rows)
        rollup.places.append(
            PlaceRow(
                place=place,
                patients=patients,
                contributors=cells[0],
                per_thousand=_per_thousand(cells[0], patients),
                pcns=rows,
            )
        )
    everyone = rollup.contributors.value
    rollup.contributors = Entry(everyone, shown=top.total.shown and not 0 < everyone < SMALL)


# The CSV: one row per figure, under `consultations.evidence.CSV_HEADER`.


def rollup_csv_rows(rollup: RollUp, *, computed_at=None):
    """The figures of the roll-up as the page shows them ("hidden" where it hides one), and
    when they were worked out (`computed_at`, for stored figures)."""
    about = "About these figures"
    yield [about, rollup.level, "", "", rollup.name]
    yield [about, "From", "", "", rollup.period.start.isoformat()]
    yield [about, "To", "", "", rollup.period.end.isoformat()]
    if computed_at is not None:
        worked_out = timezone.localtime(computed_at).isoformat(timespec="seconds")
        yield [about, "Worked out at", "", "", worked_out]
    yield [about, "Left out", "", "", "Private consultations"]
    section = "Who took part"
    yield [section, "People who took part, each counted once", "", "", rollup.contributors.display]
    if rollup.population_date:
        yield [section, "Registered patients on", "", "", rollup.population_date.isoformat()]
    yield from breakdown_csv_rows(section, rollup.breakdowns)
    for gap in rollup.gaps:
        yield [section, "Heard less from", "", "", gap]
    section = "Places side by side"
    for row in rollup.places:
        yield from _comparison_csv_rows(
            section, row.place.name, row, people="People who took part in its PCNs, added up"
        )
    section = "PCNs side by side"
    for row in rollup.comparison:
        yield from _comparison_csv_rows(section, f"{row.pcn.name} ({row.pcn.ods_code})", row)


def _comparison_csv_rows(section, label, row, *, people="People who took part"):
    if not row.contributors.shown:
        rate = "hidden"
    else:
        rate = "not known" if row.per_thousand is None else row.per_thousand
    yield [section, "Registered patients", label, "", row.patients]
    yield [section, people, label, "", row.contributors.display]
    yield [section, "People who took part per 1,000 registered patients", label, "", rate]
