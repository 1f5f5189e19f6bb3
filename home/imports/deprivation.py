"""The English Indices of Deprivation (Ministry of Housing, Communities and Local Government).

Read from File 1 (the Index of Multiple Deprivation, an .xlsx workbook whose data sheet
follows a notes sheet) or from File 7 (every rank, score and decile, a .csv). The columns
read, found by their headings, are:

    LSOA code (2021)   LSOA name (2021)   ... Index of Multiple Deprivation (IMD) Rank ...
    ... Index of Multiple Deprivation (IMD) Decile ...

IoD2025 is by 2021 LSOAs ("LSOA code (2021)"); IoD2019 by 2011 LSOAs ("LSOA code (2011)").
The edition is told by those headings. The rank and decile headings of File 7 go on with
"(where 1 is most deprived ...)"; both spellings are read.
"""

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from engage.text import validate_single_line
from home.imports.files import (
    BATCH_SIZE,
    ImportReport,
    LayoutError,
    cell_text,
    normalise_header,
    open_csv,
    sheet_rows,
    upsert,
)
from home.models import LsoaDeprivation

KIND = "an English Indices of Deprivation file (File 1 or File 7)"
EDITIONS = {
    "lsoa code (2021)": ("lsoa name (2021)", LsoaDeprivation.Edition.IOD2025),
    "lsoa code (2011)": ("lsoa name (2011)", LsoaDeprivation.Edition.IOD2019),
}
RANK = "index of multiple deprivation (imd) rank"
DECILE = "index of multiple deprivation (imd) decile"
ENGLISH_LSOA = re.compile(r"^E01[0-9]{6}$")


def _columns(headings: list[str]) -> dict[str, int] | None:
    for code_heading, (name_heading, _edition) in EDITIONS.items():
        if code_heading in headings and name_heading in headings:
            rank = next((i for i, h in enumerate(headings) if h.startswith(RANK)), None)
            decile = next((i for i, h in enumerate(headings) if h.startswith(DECILE)), None)
            if rank is None or decile is None:
                return None
            return {
                "code": headings.index(code_heading),
                "name": headings.index(name_heading),
                "rank": rank,
                "decile": decile,
            }
    return None


def _edition(headings: list[str]) -> str:
    return next(edition for code, (_n, edition) in EDITIONS.items() if code in headings)


@transaction.atomic
def deprivation_import(*, path: Path | str) -> ImportReport:
    """Store each LSOA's IMD rank and decile for the file's edition."""
    report = ImportReport()
    if str(path).lower().endswith((".xlsx", ".xlsm")):
        sheet, rows = sheet_rows(path, kind=KIND, is_header=lambda h: _columns(h) is not None)
        headings = [normalise_header(cell) for cell in next(rows)[1]]
        report.notes.append(f"Read the sheet {sheet!r}.")
        _read(rows, headings, report)
        return report
    handle, reader = open_csv(path)
    with handle:
        header = next(reader, None)
        headings = [normalise_header(cell) for cell in header or []]
        if _columns(headings) is None:
            raise LayoutError(
                f"The file is not {KIND}: its first line has no LSOA code, LSOA name, IMD rank "
                "and IMD decile columns."
            )
        _read(((reader.line_num, row) for row in reader), headings, report)
    return report


def _read(rows, headings: list[str], report: ImportReport) -> None:
    columns = _columns(headings)
    edition = _edition(headings)
    width = max(columns.values()) + 1
    batch: dict[tuple, dict] = {}
    for line, row in rows:
        cells = [cell_text(cell) for cell in row]
        if not any(cells):
            continue
        if len(cells) < width:
            report.problem(line, f"it has fewer than {width} columns")
            continue
        code = cells[columns["code"]].upper()
        name = cells[columns["name"]]
        rank, decile = cells[columns["rank"]], cells[columns["decile"]]
        if not ENGLISH_LSOA.match(code):
            report.problem(line, f"{code!r} is not the code of an English LSOA (E01 and 6 digits)")
        elif not name or len(name) > 100 or not _one_line(name):
            report.problem(
                line, "the LSOA name is blank, longer than 100 characters or not one line"
            )
        elif not rank.isdigit() or int(rank) < 1:
            report.problem(line, f"the IMD rank {rank!r} is not a whole number from 1")
        elif not decile.isdigit() or not 1 <= int(decile) <= 10:
            report.problem(line, f"the IMD decile {decile!r} is not a whole number from 1 to 10")
        else:
            batch[(edition, code)] = {
                "lsoa_name": name,
                "imd_rank": int(rank),
                "imd_decile": int(decile),
            }
            if len(batch) >= BATCH_SIZE:
                _write(batch, report)
                batch = {}
    _write(batch, report)


def _one_line(text: str) -> bool:
    try:
        validate_single_line(text)
    except ValidationError:
        return False
    return True


def _write(batch, report):
    upsert(model=LsoaDeprivation, rows=batch, key_fields=("edition", "lsoa_code"), report=report)
