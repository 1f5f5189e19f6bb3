"""Roll-up snapshots (`consultations.models.RollupSnapshot`): working out a Place's or an
ICS's leads' screens' figures, storing them as plain JSON, and reading them back.

Four screens: a Place's and an ICS's charts (`consultations.charts`), for a number of months
("months=12"), and who took part across a Place and across an ICS (`consultations.rollup`),
over the default period only, the twelve months to the day they are worked out (""). Other
periods of "who took part" are worked out as they are asked for: any two dates can be
chosen, too many to keep.

What is stored is what the screen and its CSV show, and nothing more:

- a chart's cells as they are drawn, a practice's small count already "hidden" with no
  number behind it (`Cell(None, "hidden")`);
- who took part's counts as `{"value": n, "shown": true}`, or `{"value": null, "shown":
  false}` for a hidden one: the number a suppressed count stands for is not stored;
- the PCNs and Places by id, name and ODS code; periods and dates as ISO text.

`snapshot_refresh` works a snapshot out and stores it (the task `refresh_rollup` and a screen
with none yet call it); running it twice leaves one row with the later figures.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils import timezone

from consultations.charts import (
    Chart,
    ics_charts,
    ics_scope,
    place_charts,
    place_scope,
)
from consultations.evidence import Period, a_year_to
from consultations.models import RollupKind, RollupSnapshot
from consultations.representativeness import Breakdown, Share
from consultations.rollup import (
    PcnRow,
    PlaceRow,
    RollUp,
    ics_representation,
    place_representation,
)
from engage.charts import Cell, Series
from engage.suppression import Entry, SuppressedTable
from home.models import IntegratedCareSystem, Place

DEFAULT_PERIOD = ""  # who took part's parameters: its default period

CHARTS = (RollupKind.PLACE_CHARTS, RollupKind.ICS_CHARTS)
ICS_KINDS = (RollupKind.ICS_CHARTS, RollupKind.ICS_WHO_TOOK_PART)


def charts_parameters(months: int) -> str:
    return f"months={months}"


def _months_of(parameters: str) -> int:
    name, _, value = parameters.partition("=")
    if name != "months" or not value.isdigit():
        raise ValueError(f"Not a choice of months: {parameters!r}")
    return int(value)


def organisation_model(kind: str):
    return IntegratedCareSystem if kind in ICS_KINDS else Place


def _organisation_field(kind: str) -> str:
    return "integrated_care_system" if kind in ICS_KINDS else "place"


@dataclass
class Organisation:
    """A PCN or a Place as a stored screen names it (and links to it)."""

    pk: int
    name: str
    ods_code: str = ""
    pcns: list["Organisation"] = field(default_factory=list)  # a Place's, on an ICS's charts


# Working the figures out


def figures_of(*, kind: str, organisation, parameters: str, today: date | None = None) -> dict:
    """The figures of one screen for `organisation` (a Place or an ICS, as `kind` says), as
    plain JSON."""
    today = today or timezone.localdate()
    if kind == RollupKind.PLACE_CHARTS:
        months = _months_of(parameters)
        charts = place_charts(scope=place_scope(organisation), months=months, today=today)
        return {"charts": [asdict(chart) for chart in charts]}
    if kind == RollupKind.ICS_CHARTS:
        scope = ics_scope(organisation)
        charts = ics_charts(scope=scope, months=_months_of(parameters), today=today)
        return {
            "charts": [asdict(chart) for chart in charts],
            "places": [
                {
                    "pk": place.pk,
                    "name": place.name,
                    "pcns": [{"pk": pcn.pk, "name": pcn.name} for pcn in place.pcns.all()],
                }
                for place in scope.places
            ],
        }
    if parameters != DEFAULT_PERIOD:
        raise ValueError(f"Who took part is kept for its default period only: {parameters!r}")
    period = a_year_to(today)
    if kind == RollupKind.PLACE_WHO_TOOK_PART:
        return rollup_json(place_representation(place=organisation, period=period))
    if kind == RollupKind.ICS_WHO_TOOK_PART:
        return rollup_json(ics_representation(ics=organisation, period=period))
    raise ValueError(f"Not a kind of roll-up: {kind!r}")


def snapshot_refresh(*, kind: str, organisation_id: int, parameters: str) -> RollupSnapshot | None:
    """Work out the screen's figures now and store them over any older ones (None when the
    organisation is gone)."""
    organisation = organisation_model(kind).objects.filter(pk=organisation_id).first()
    if organisation is None:
        return None
    figures = figures_of(kind=kind, organisation=organisation, parameters=parameters)
    snapshot, _created = RollupSnapshot.objects.update_or_create(
        kind=kind,
        parameters=parameters,
        **{_organisation_field(kind): organisation},
        defaults={"figures": figures, "computed_at": timezone.now(), "refresh_requested_at": None},
    )
    return snapshot


def snapshot_read(*, kind: str, organisation, parameters: str) -> RollupSnapshot | None:
    """The stored snapshot, if there is one: one query."""
    return RollupSnapshot.objects.filter(
        kind=kind, parameters=parameters, **{_organisation_field(kind): organisation}
    ).first()


# Charts, back from JSON


def charts_from_json(figures: dict) -> list[Chart]:
    return [
        Chart(
            **{
                **chart,
                "series": [
                    Series(series["name"], [Cell(**cell) for cell in series["cells"]])
                    for series in chart["series"]
                ],
            }
        )
        for chart in figures["charts"]
    ]


def places_from_json(figures: dict) -> list[Organisation]:
    """An ICS's Places and their PCNs, as its charts list them."""
    return [
        Organisation(
            pk=place["pk"],
            name=place["name"],
            pcns=[Organisation(pk=pcn["pk"], name=pcn["name"]) for pcn in place["pcns"]],
        )
        for place in figures.get("places", [])
    ]


# Who took part, to JSON and back


def _entry_json(entry: Entry) -> dict:
    return {"value": entry.value if entry.shown else None, "shown": entry.shown}


def _entry(data: dict) -> Entry:
    # A hidden count's number was never stored; 0 stands in (every screen shows "hidden").
    return Entry(data["value"] if data["shown"] else 0, shown=data["shown"])


def _table_json(table: SuppressedTable | None) -> dict | None:
    if table is None:
        return None
    return {
        "cells": [[_entry_json(entry) for entry in row] for row in table.cells],
        "row_totals": [_entry_json(entry) for entry in table.row_totals],
        "column_totals": [_entry_json(entry) for entry in table.column_totals],
        "total": _entry_json(table.total),
        "hidden": table.hidden,
    }


def _table(data: dict | None) -> SuppressedTable | None:
    if data is None:
        return None
    return SuppressedTable(
        cells=[[_entry(entry) for entry in row] for row in data["cells"]],
        row_totals=[_entry(entry) for entry in data["row_totals"]],
        column_totals=[_entry(entry) for entry in data["column_totals"]],
        total=_entry(data["total"]),
        hidden=data["hidden"],
    )


def _share_json(share: Share) -> dict:
    return {
        "label": share.label,
        "contributors": _entry_json(share.contributors),
        "contributor_percent": share.contributor_percent,
        "population_percent": share.population_percent,
        "chart_label": share.chart_label,
    }


def _share(data: dict) -> Share:
    return Share(**{**data, "contributors": _entry(data["contributors"])})


def _breakdown_json(breakdown: Breakdown) -> dict:
    return {
        "title": breakdown.title,
        # How many answered is kept only where the breakdown is shown (it is its total).
        "answers": breakdown.answers if breakdown.shown else None,
        "shown": breakdown.shown,
        "why_not_shown": breakdown.why_not_shown,
        "row_labels": breakdown.row_labels,
        "column_labels": breakdown.column_labels,
        "table": _table_json(breakdown.table) if breakdown.shown else None,
        "rows": [_share_json(share) for share in breakdown.rows],
        "columns": [_share_json(share) for share in breakdown.columns],
        "gaps": breakdown.gaps,
        "note": breakdown.note,
    }


def _breakdown(data: dict) -> Breakdown:
    return Breakdown(
        **{
            **data,
            "answers": data["answers"] or 0,
            "table": _table(data["table"]),
            "rows": [_share(share) for share in data["rows"]],
            "columns": [_share(share) for share in data["columns"]],
        }
    )


def _pcn_json(pcn) -> dict:
    return {"pk": pcn.pk, "name": pcn.name, "ods_code": pcn.ods_code}


def _pcn_row_json(row: PcnRow) -> dict:
    return {
        "pcn": _pcn_json(row.pcn),
        "patients": row.patients,
        "contributors": _entry_json(row.contributors),
        "per_thousand": row.per_thousand,
    }


def _pcn_row(data: dict) -> PcnRow:
    return PcnRow(
        pcn=Organisation(**data["pcn"]),
        patients=data["patients"],
        contributors=_entry(data["contributors"]),
        per_thousand=data["per_thousand"],
    )


def rollup_json(rollup: RollUp) -> dict:
    """Who took part as plain JSON, every hidden count without its number."""
    return {
        "name": rollup.name,
        "level": rollup.level,
        "pcns": [_pcn_json(pcn) for pcn in rollup.pcns],
        "period": {"start": rollup.period.start.isoformat(), "end": rollup.period.end.isoformat()},
        "population_date": rollup.population_date.isoformat() if rollup.population_date else None,
        "population_total": rollup.population_total,
        "contributors": _entry_json(rollup.contributors),
        "breakdowns": [_breakdown_json(breakdown) for breakdown in rollup.breakdowns],
        "comparison": [_pcn_row_json(row) for row in rollup.comparison],
        "places": [
            {
                "place": {"pk": row.place.pk, "name": row.place.name},
                "patients": row.patients,
                "contributors": _entry_json(row.contributors),
                "per_thousand": row.per_thousand,
                "pcns": [_pcn_row_json(pcn_row) for pcn_row in row.pcns],
            }
            for row in rollup.places
        ],
    }


def rollup_from_json(figures: dict) -> RollUp:
    comparison = [_pcn_row(row) for row in figures["comparison"]]
    rows_of = {row.pcn.pk: row for row in comparison}
    population_date = figures["population_date"]
    return RollUp(
        name=figures["name"],
        level=figures["level"],
        pcns=[Organisation(**pcn) for pcn in figures["pcns"]],
        period=Period(
            start=date.fromisoformat(figures["period"]["start"]),
            end=date.fromisoformat(figures["period"]["end"]),
        ),
        population_date=date.fromisoformat(population_date) if population_date else None,
        population_total=figures["population_total"],
        contributors=_entry(figures["contributors"]),
        breakdowns=[_breakdown(breakdown) for breakdown in figures["breakdowns"]],
        comparison=comparison,
        places=[
            PlaceRow(
                place=Organisation(**row["place"]),
                patients=row["patients"],
                contributors=_entry(row["contributors"]),
                per_thousand=row["per_thousand"],
                # The same rows as the comparison's, as `ics_representation` shares them.
                pcns=[rows_of.get(pcn["pcn"]["pk"]) or _pcn_row(pcn) for pcn in row["pcns"]],
            )
            for row in figures["places"]
        ],
    )
