"""The organisation tree ICS → Place → PCN → practice, from two ODS files.

- **ePCN** (`ePCN.xlsx`, monthly). Sheet "PCNDetails" (called "PCN Details" in ODS's
  specification): PCN Code, PCN Name, Current Sub ICB Loc Code, Sub ICB Location (its name,
  like "NHS WESSEX VALE ICB - 99X"), Open Date, Close Date, address. Sheet "PCN Core Partner
  Details": Partner Organisation Code (the practice), Partner Name, Practice Parent Sub ICB
  Loc Code and Name, PCN Code, PCN Name, PCN Parent Sub ICB Loc Code and Name, Practice to PCN
  Relationship Start Date and End Date (blank while the practice is a member). Headings break
  over lines in the workbook; sheets are found by their headings.
- **epraccur.csv** (GP practices and other prescribing cost centres): no header line, 27
  columns. Those read: 1 Organisation Code, 2 Name, 4 High Level Health Geography (the ICB
  code, like QWE), 13 Status Code (A active, C closed, D dormant, P proposed), 15
  Commissioner (the Sub ICB Location code, like 99X), 26 Prescribing Setting (4 is a GP
  practice).

How the tree maps: an ICS is an Integrated Care Board (its ODS code); a **Place is a Sub ICB
Location** (the former CCG area, which in most systems is the borough partnership; ODS gives
no other Place), named after it until someone renames it; a PCN sits in the Sub ICB
Location ODS gives it; a practice is in the PCN whose core partner it is now. The ICB of a
Sub ICB Location is the High Level Health Geography of its practices in epraccur.csv.

Scope: with `icb_code`, the ICS, Places, PCNs and practices of that ICB are created or
updated. Without it only what Engage already holds is updated (PCNs and practices matched by
ODS code, codes filled in on their Place and ICS, practices that joined a known PCN added):
an installation serves its own PCNs, not all 1,250 of England's.

Names are taken from the files only when a row is created (tidied from ODS's capitals);
a name someone gave in Engage is kept. A practice that moved to another PCN is moved, and
loses its neighbourhood (neighbourhoods belong to a PCN). A PCN whose Place stands for
another Sub ICB Location is not moved: the report says so. Nothing is deleted: closed PCNs
and practices are reported.
"""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from home.imports.files import (
    ImportReport,
    LayoutError,
    cell_text,
    normalise_header,
    open_csv,
    parse_date,
    sheet_rows,
)
from home.models import IntegratedCareSystem, Place, Practice, PrimaryCareNetwork
from home.services import pcn_create

EPCN = "ODS's ePCN workbook"
EPRACCUR = "ODS's epraccur.csv (GP practices, no header line)"
EPRACCUR_COLUMNS = 27
PRACTICE_CODE = re.compile(r"^[A-Z][0-9]{5}$")
PCN_CODE = re.compile(r"^U[0-9]{5}$")
THREE = re.compile(r"^[A-Z0-9]{3}$")

DETAIL_HEADINGS = {
    "code": ("pcn code",),
    "name": ("pcn name",),
    "sub_icb": ("current sub icb loc code", "current sub icb location code"),
    "sub_icb_name": ("sub icb location", "current sub icb loc name", "sub icb location name"),
    "close": ("close date",),
}
PARTNER_HEADINGS = {
    "practice": ("partner organisation code",),
    "practice_name": ("partner name",),
    "pcn": ("pcn code",),
    "end": ("practice to pcn relationship end date",),
}

UPPER_WORDS = {"NHS", "ICB", "PCN", "GP", "UK", "CIC", "LLP", "ICS"}
SMALL_WORDS = {"and", "of", "the", "on", "in", "at", "upon", "by", "for"}


def ods_name_tidy(name: str) -> str:
    """ODS writes names in capitals: "RIVERSIDE AND MEADOWBANK PCN" → "Riverside and
    Meadowbank PCN"."""
    words = []
    for index, word in enumerate(name.split()):
        if word.upper() in UPPER_WORDS or any(ch.isdigit() for ch in word):
            words.append(word.upper())
        elif index and word.lower() in SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


@dataclass
class PcnRow:
    line: int
    code: str
    name: str
    sub_icb: str
    sub_icb_name: str


@dataclass
class PracticeRow:
    code: str
    name: str
    icb: str
    sub_icb: str


def _headings_index(headings: list[str], wanted: dict) -> dict[str, int] | None:
    found = {}
    for key, choices in wanted.items():
        index = next((headings.index(c) for c in choices if c in headings), None)
        if index is None:
            return None
        found[key] = index
    return found


def _read_epraccur(path, report: ImportReport) -> dict[str, PracticeRow]:
    practices = {}
    handle, reader = open_csv(path)
    with handle:
        first = True
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if first:
                first = False
                if len(row) < EPRACCUR_COLUMNS - 1 or not PRACTICE_CODE.match(
                    row[0].strip().upper()
                ):
                    raise LayoutError(
                        f"The file is not {EPRACCUR}: its first line should be a practice "
                        f"with {EPRACCUR_COLUMNS} columns, code first (no header line)."
                    )
            if len(row) < EPRACCUR_COLUMNS - 1:
                report.problem(line, f"epraccur.csv: it has {len(row)} columns, not 27")
                continue
            cells = [cell.strip() for cell in row]
            code, name, icb, status = cells[0].upper(), cells[1], cells[3].upper(), cells[12]
            sub_icb, setting = cells[14].upper(), cells[25]
            if setting != "4":
                report.skip("epraccur.csv rows that are not GP practices")
                continue
            if status.upper() in {"C", "D"}:
                report.skip("closed or dormant practices in epraccur.csv")
                continue
            if not PRACTICE_CODE.match(code):
                report.problem(line, f"epraccur.csv: {cells[0]!r} is not a practice's code")
            elif not name or len(name) > 150:
                report.problem(line, "epraccur.csv: the name is blank or too long")
            elif not THREE.match(icb) or not THREE.match(sub_icb):
                report.problem(
                    line,
                    "epraccur.csv: the ICB (column 4) or Commissioner (column 15) code "
                    "is not three letters or digits",
                )
            else:
                practices[code] = PracticeRow(code, name, icb, sub_icb)
    return practices


def _read_pcns(path, report: ImportReport) -> list[PcnRow]:
    sheet, rows = sheet_rows(
        path,
        kind=f"{EPCN} (sheet PCNDetails)",
        is_header=lambda h: _headings_index(h, DETAIL_HEADINGS) is not None,
    )
    columns = _headings_index([normalise_header(c) for c in next(rows)[1]], DETAIL_HEADINGS)
    pcns = []
    for line, row in rows:
        cells = [cell_text(c) for c in row]
        if not any(cells):
            continue
        where = f"{sheet} row {line}"
        if len(cells) <= max(columns.values()):
            report.problem(line, f"{where}: too few columns")
            continue
        code, name = cells[columns["code"]].upper(), cells[columns["name"]]
        sub_icb = cells[columns["sub_icb"]].upper()
        if not PCN_CODE.match(code):
            report.problem(line, f"{where}: {code!r} is not a PCN code (U and 5 digits)")
            continue
        if not name or len(name) > 150:
            report.problem(line, f"{where}: the PCN name is blank or too long")
            continue
        if not THREE.match(sub_icb):
            report.problem(line, f"{where}: {sub_icb!r} is not a Sub ICB Location code")
            continue
        try:
            closed = parse_date(row[columns["close"]])
        except ValueError:
            report.problem(line, f"{where}: the Close Date is not a date")
            continue
        if closed is not None:
            report.skip("closed PCNs")
            continue
        pcns.append(PcnRow(line, code, name, sub_icb, cells[columns["sub_icb_name"]]))
    return pcns


def _read_members(path, report: ImportReport) -> dict[str, tuple[str, str]]:
    sheet, rows = sheet_rows(
        path,
        kind=f"{EPCN} (sheet PCN Core Partner Details)",
        is_header=lambda h: _headings_index(h, PARTNER_HEADINGS) is not None,
    )
    columns = _headings_index([normalise_header(c) for c in next(rows)[1]], PARTNER_HEADINGS)
    members = {}
    for line, row in rows:
        cells = [cell_text(c) for c in row]
        if not any(cells):
            continue
        where = f"{sheet} row {line}"
        if len(cells) <= max(columns.values()):
            report.problem(line, f"{where}: too few columns")
            continue
        practice, pcn = cells[columns["practice"]].upper(), cells[columns["pcn"]].upper()
        if not PRACTICE_CODE.match(practice):
            report.problem(line, f"{where}: {practice!r} is not a practice's code")
            continue
        if not PCN_CODE.match(pcn):
            report.problem(line, f"{where}: {pcn!r} is not a PCN code")
            continue
        try:
            ended = parse_date(row[columns["end"]])
        except ValueError:
            report.problem(line, f"{where}: the relationship end date is not a date")
            continue
        if ended is not None:
            report.skip("past memberships of a PCN")
            continue
        members[practice] = (pcn, cells[columns["practice_name"]])
    return members


@transaction.atomic
def ods_import(
    *, epcn_path: Path | str, epraccur_path: Path | str, icb_code: str | None = None
) -> ImportReport:
    """Create or update the organisation tree from ePCN and epraccur (see the module)."""
    report = ImportReport()
    # Read and check both files before anything is written.
    practices = _read_epraccur(epraccur_path, report)
    pcn_rows = _read_pcns(epcn_path, report)
    members = _read_members(epcn_path, report)
    icb_of_sub_icb = {}
    votes: dict[str, Counter] = {}
    for practice in practices.values():
        votes.setdefault(practice.sub_icb, Counter())[practice.icb] += 1
    for sub_icb, counter in votes.items():
        icb_of_sub_icb[sub_icb] = counter.most_common(1)[0][0]
    icb_code = icb_code.strip().upper() if icb_code else None
    if icb_code and icb_code not in icb_of_sub_icb.values():
        raise LayoutError(f"No practice in epraccur.csv belongs to the ICB {icb_code}.")

    known = {pcn.ods_code: pcn for pcn in PrimaryCareNetwork.objects.select_related("place")}
    in_scope: dict[str, PrimaryCareNetwork] = {}
    for row in pcn_rows:
        icb = icb_of_sub_icb.get(row.sub_icb)
        if icb is None:
            report.problem(
                row.line,
                f"PCN {row.code}: no practice in epraccur.csv is in its Sub ICB Location "
                f"{row.sub_icb}, so its ICB is not known",
            )
            continue
        pcn = known.get(row.code)
        if pcn is None and icb != icb_code:
            report.skip("PCNs not in Engage (name their ICB with --icb to add them)")
            continue
        icb_name = row.sub_icb_name.rsplit(" - ", 1)[0].strip() or f"ICB {icb}"
        if pcn is None:
            place = _place(row, icb, icb_name, report)
            pcn = _pcn_create(row, place, report)
            if pcn is None:
                continue
        else:
            _codes_of_known(pcn, row, icb, report)
            report.unchanged += 1
        in_scope[row.code] = pcn

    for code, (pcn_code, partner_name) in members.items():
        pcn = in_scope.get(pcn_code)
        if pcn is None:
            continue
        if code not in practices:
            report.skip("practices not open as GP practices in epraccur.csv")
            continue
        _practice(code, practices[code].name or partner_name, pcn, report)
    return report


def _place(row: PcnRow, icb: str, icb_name: str, report: ImportReport) -> Place:
    ics = IntegratedCareSystem.objects.filter(ods_code=icb).first()
    if ics is None:
        name = ods_name_tidy(icb_name)
        ics = IntegratedCareSystem.objects.filter(name=name, ods_code="").first()
        if ics is None:
            ics = IntegratedCareSystem.objects.create(name=name, ods_code=icb)
            report.created += 1
        else:
            ics.ods_code = icb
            ics.save(update_fields=["ods_code"])
            report.updated += 1
    place = Place.objects.filter(ods_code=row.sub_icb).first()
    if place is None:
        name = ods_name_tidy(row.sub_icb_name or f"Sub ICB Location {row.sub_icb}")
        place, created = Place.objects.get_or_create(
            integrated_care_system=ics, name=name, defaults={"ods_code": row.sub_icb}
        )
        if created:
            report.created += 1
        elif not place.ods_code:
            place.ods_code = row.sub_icb
            place.save(update_fields=["ods_code"])
            report.updated += 1
    return place


def _pcn_create(row: PcnRow, place: Place, report: ImportReport) -> PrimaryCareNetwork | None:
    name = ods_name_tidy(row.name)
    if PrimaryCareNetwork.objects.filter(name=name).exists():
        report.problem(row.line, f"PCN {row.code}: another PCN is already called {name!r}")
        return None
    report.created += 1
    return pcn_create(name=name, ods_code=row.code, place=place)


def _codes_of_known(pcn: PrimaryCareNetwork, row: PcnRow, icb: str, report: ImportReport):
    """Fill in the codes of a known PCN's Place and ICS; report a PCN whose Place stands for
    another Sub ICB Location, without moving it."""
    place = pcn.place
    if place.ods_code and place.ods_code != row.sub_icb:
        report.notes.append(
            f"PCN {row.code} is in Sub ICB Location {row.sub_icb} in the file, but its Place "
            f"{place.name!r} stands for {place.ods_code}: not moved."
        )
        return
    if not place.ods_code:
        if Place.objects.filter(ods_code=row.sub_icb).exists():
            report.notes.append(
                f"PCN {row.code}: another Place stands for {row.sub_icb}; the code of "
                f"{place.name!r} was left blank."
            )
        else:
            place.ods_code = row.sub_icb
            place.save(update_fields=["ods_code"])
            report.updated += 1
    ics = place.integrated_care_system
    if not ics.ods_code:
        if IntegratedCareSystem.objects.filter(ods_code=icb).exists():
            report.notes.append(
                f"PCN {row.code}: another ICS has the ICB code {icb}; the code of "
                f"{ics.name!r} was left blank."
            )
        else:
            ics.ods_code = icb
            ics.save(update_fields=["ods_code"])
            report.updated += 1
    elif ics.ods_code != icb:
        report.notes.append(
            f"PCN {row.code}: its practices' ICB is {icb} in epraccur.csv, but its ICS "
            f"{ics.name!r} has the code {ics.ods_code}."
        )


def _practice(code: str, name: str, pcn: PrimaryCareNetwork, report: ImportReport) -> None:
    practice = Practice.objects.filter(ods_code=code).first()
    if practice is None:
        Practice.objects.create(pcn=pcn, name=ods_name_tidy(name)[:150], ods_code=code)
        report.created += 1
    elif practice.pcn_id != pcn.pk:
        report.notes.append(f"Practice {code} moved to {pcn.name}; its neighbourhood was cleared.")
        practice.pcn = pcn
        practice.neighbourhood = None
        practice.save(update_fields=["pcn", "neighbourhood"])
        report.updated += 1
    else:
        report.unchanged += 1
