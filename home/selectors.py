"""Reads of the NHS reference data: registered populations and deprivation."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery, Sum

from home.models import LsoaDeprivation, Place, PostcodeLsoa, PracticePopulation
from home.postcodes import postcode_normalise


@dataclass
class PopulationTable:
    """Registered patients by sex and five-year age band on one extract date.

    `counts[(sex, age_band)]` is a number of patients; bands with no row are absent.
    """

    extract_date: date | None = None
    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def by_sex(self, sex: str) -> int:
        return sum(count for (row_sex, _band), count in self.counts.items() if row_sex == sex)

    def rows(self) -> list[tuple[str, int, int]]:
        """(age band label, female, male), youngest first, every band listed."""
        return [
            (
                label,
                self.counts.get((PracticePopulation.Sex.FEMALE, band), 0),
                self.counts.get((PracticePopulation.Sex.MALE, band), 0),
            )
            for band, label in PracticePopulation.AgeBand.choices
        ]


def _population(rows: QuerySet) -> PopulationTable:
    """Sum `rows` by sex and band on the latest extract date they hold: one query, whatever
    the number of practices. A practice missing from the latest extract counts nothing."""
    latest = rows.order_by("-extract_date").values("extract_date")[:1]
    summed = (
        rows.filter(extract_date=Subquery(latest))
        .values("extract_date", "sex", "age_band")
        .annotate(patients=Sum("count"))
        .order_by()
    )
    table = PopulationTable()
    for row in summed:
        table.extract_date = row["extract_date"]
        table.counts[(row["sex"], row["age_band"])] = row["patients"]
    return table


def practice_population(*, practice) -> PopulationTable:
    return _population(PracticePopulation.objects.filter(practice=practice))


def pcn_population(*, pcn) -> PopulationTable:
    return _population(PracticePopulation.objects.filter(practice__pcn=pcn))


def place_population(*, place: Place) -> PopulationTable:
    return _population(PracticePopulation.objects.filter(practice__pcn__place=place))


def pcns_population(*, pcns) -> tuple[PopulationTable, dict[int, int]]:
    """The registered patients of `pcns` (a Place's, or an ICS's: any list of PCNs) summed,
    and each PCN's own total, both on the latest extract date any of them holds (so the
    PCNs' totals add up to the whole). Two queries, whatever the number of PCNs or practices.
    For a Place's PCNs the whole equals `place_population`."""
    rows = PracticePopulation.objects.filter(practice__pcn__in=[pcn.pk for pcn in pcns])
    latest = rows.order_by("-extract_date").values("extract_date")[:1]
    by_pcn = dict(
        rows.filter(extract_date=Subquery(latest))
        .values_list("practice__pcn")
        .annotate(patients=Sum("count"))
        .order_by()
    )
    return _population(rows), by_pcn


def postcode_deprivation_decile(
    *, postcode: str, edition: str = LsoaDeprivation.Edition.IOD2025
) -> int | None:
    """The IMD decile (1 most deprived) of the LSOA a postcode lies in, or None when the
    postcode is malformed, unknown, or its LSOA has no rank in that edition. One query.

    The postcode is only looked up, never stored.
    """
    try:
        normalised = postcode_normalise(postcode)
    except ValueError:
        return None
    decile = LsoaDeprivation.objects.filter(
        edition=edition, lsoa_code=OuterRef("lsoa_code")
    ).values("imd_decile")[:1]
    return (
        PostcodeLsoa.objects.filter(postcode=normalised)
        .annotate(decile=Subquery(decile))
        .values_list("decile", flat=True)
        .first()
    )
