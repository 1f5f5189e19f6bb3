"""What every importer shares: reading published files and reporting on them."""

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

# Lines reported one by one; past this only counted, so a file of bad lines cannot fill memory.
PROBLEMS_KEPT = 200
# Rows written to the database at a time.
BATCH_SIZE = 2000


class LayoutError(Exception):
    """The file is not of the layout the importer reads: nothing was changed."""


@dataclass
class Problem:
    line: int
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did: rows created, updated, unchanged, skipped with why, bad lines."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notes: list[str] = field(default_factory=list)

    def problem(self, line: int, reason: str) -> None:
        self.problem_count += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(Problem(line, reason))

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def summary(self) -> str:
        parts = [f"{self.created} created", f"{self.updated} updated"]
        parts.append(f"{self.unchanged} unchanged")
        text = ", ".join(parts) + "."
        for reason, count in sorted(self.skipped.items()):
            text += f"\nSkipped {count}: {reason}."
        if self.problem_count:
            text += f"\n{self.problem_count} bad line(s) skipped."
        return text


def normalise_header(text) -> str:
    """A column heading as one line of lower-case words: the ODS workbooks break their
    headings over lines ("Partner\\nOrganisation\\nCode")."""
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def decoded_lines(binary: Iterable[bytes]) -> Iterator[str]:
    """Lines of a published CSV as text. The files come as UTF-8 (ONS's often with a byte
    order mark) or, older ones, Windows-1252; each line is read as UTF-8 and, failing that,
    as Windows-1252, so one odd line deep in a 2.7-million-line file does not stop it."""
    first = True
    for raw in binary:
        if first:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
            first = False
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw.decode("cp1252", errors="replace")


def open_csv(path: Path | str) -> tuple[io.BufferedReader, Iterator[list[str]]]:
    """The open file and a csv reader over it (close the file when done)."""
    handle = open(path, "rb")  # noqa: SIM115 - the caller closes it
    return handle, csv.reader(decoded_lines(handle))


class CsvRows:
    """Rows of a CSV with a header, as dicts keyed by normalised heading, with line numbers.

    `required` maps a name the importer uses to the headings a file may give it (old and new
    layouts name some columns differently); a file missing any is refused.
    """

    def __init__(self, path: Path | str, *, required: dict[str, tuple[str, ...]], kind: str):
        self.path = path
        self.required = required
        self.kind = kind

    def __enter__(self):
        self.handle, self.reader = open_csv(self.path)
        try:
            header = next(self.reader)
        except StopIteration:
            self.handle.close()
            raise LayoutError(f"The file is empty: it is not {self.kind}.") from None
        headings = [normalise_header(h) for h in header]
        self.columns = {}
        missing = []
        for name, choices in self.required.items():
            found = next(
                (headings.index(c.lower()) for c in choices if c.lower() in headings), None
            )
            if found is None:
                missing.append(choices[0])
            else:
                self.columns[name] = found
        if missing:
            self.handle.close()
            raise LayoutError(
                f"The file is not {self.kind}: it has no column {', '.join(missing)} "
                "in its first line."
            )
        self.width = len(header)
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def __iter__(self) -> Iterator[tuple[int, dict[str, str] | None]]:
        """(line number, values by name); values is None for a line with too few columns."""
        for row in self.reader:
            line = self.reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < self.width:
                yield line, None
                continue
            yield line, {name: row[index].strip() for name, index in self.columns.items()}


def parse_date(value) -> date | None:
    """A date as the NHS files write it: 01JUL2026, 20240401, 2024-04-01, 01/04/2024,
    01-Jul-24, or an Excel date cell. Blank is None; anything else raises ValueError."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if isinstance(value, int | float):
        text = str(int(value))
    for pattern in ("%d%b%Y", "%Y%m%d", "%Y-%m-%d", "%d/%m/%Y", "%d-%b-%y", "%d-%b-%Y"):
        try:
            return datetime.strptime(text.title() if "b" in pattern else text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date")


def batched(items: Iterable, size: int = BATCH_SIZE) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def upsert(*, model, rows: dict[tuple, dict], key_fields: tuple[str, ...], report: ImportReport):
    """Create the rows not yet stored and update those that differ, in one batch.

    `rows` maps each row's key (the values of `key_fields`) to its other fields. Rows whose
    stored values are the same are left alone, so a second import of a file writes nothing.
    """
    if not rows:
        return
    lookup = {f"{name}__in": {key[i] for key in rows} for i, name in enumerate(key_fields)}
    stored = {
        tuple(getattr(obj, name) for name in key_fields): obj
        for obj in model.objects.filter(**lookup)
    }
    to_create, to_update, changed_fields = [], [], set()
    for key, values in rows.items():
        obj = stored.get(key)
        if obj is None:
            to_create.append(model(**dict(zip(key_fields, key, strict=True)), **values))
            continue
        differs = [name for name, value in values.items() if getattr(obj, name) != value]
        if not differs:
            report.unchanged += 1
            continue
        for name in differs:
            setattr(obj, name, values[name])
        changed_fields.update(differs)
        to_update.append(obj)
    if to_create:
        model.objects.bulk_create(to_create)
        report.created += len(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields))
        report.updated += len(to_update)


def sheet_rows(path: Path | str, *, kind: str, is_header) -> tuple[str, Iterator[tuple]]:
    """The rows of the first sheet of a workbook whose first row `is_header` accepts, as
    (sheet name, iterator of (row number, values)), read in openpyxl's streaming mode."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise LayoutError(f"The file is not an Excel workbook (.xlsx): it is not {kind}.") from (
            error
        )
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is not None and is_header([normalise_header(cell) for cell in first]):
            return sheet.title, _numbered(first, rows, workbook)
    names = ", ".join(repr(sheet.title) for sheet in workbook.worksheets)
    workbook.close()
    raise LayoutError(f"No sheet of the workbook ({names}) has the columns of {kind}.")


def _numbered(first, rows, workbook):
    yield 1, first
    try:
        yield from enumerate(rows, start=2)
    finally:
        workbook.close()


def cell_text(value) -> str:
    """A cell as text: Excel gives whole numbers as floats, and blanks as None."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
