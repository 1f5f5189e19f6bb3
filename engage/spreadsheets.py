"""Spreadsheets that are safe to open: no cell a spreadsheet would run as a formula.

Excel, LibreOffice and Google Sheets run a CSV cell that starts with `=`, `+`, `-` or `@`
as a formula (and a tab or carriage return before one is skipped), so text someone typed,
such as an idea titled `=HYPERLINK("http://x","y")`, becomes a link or a command in the
spreadsheet of whoever downloads it: CSV injection (OWASP). `spreadsheet_safe()` puts a
single quote before such text, which spreadsheets show as text. Numbers are left alone:
a count of -1 is a number, not a formula.

Every CSV we offer goes through it:

- ours (the "what we heard" download) through `csv_lines()`;
- Wagtail's (the site history and other reports, and any listing a viewset exports) through
  `protect_wagtail_exports()`, called once from `EngageConfig.ready()`.

Wagtail 8 has no setting or hook for this. Its XLSX exports are safe already (a cell openpyxl
takes for a formula is written as text), but its CSV exports write cells as they are. The
views that export (`SpreadsheetExportMixin`: every report, form submissions, every model and
snippet viewset's index view) are Wagtail's own, registered by its URLconf, so a subclass
would have to replace each of them, and would miss the next one Wagtail adds. The one place
they all share is `SpreadsheetExportMixin` itself, so that is where the fix goes: its row
writer and its headings are wrapped, once, keeping Wagtail's behaviour otherwise.
`tests/engage/test_spreadsheets.py` checks that no export view of Wagtail's overrides them.
"""

import csv
from decimal import Decimal
from functools import wraps

from wagtail.admin.views.mixins import SpreadsheetExportMixin

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets,
# with their fullwidth forms, which some spreadsheets read the same way.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value):
    """`value` as a spreadsheet cell that cannot run: text that a spreadsheet would take for
    a formula gets a single quote before it; numbers, dates and None are left as they are."""
    if value is None or isinstance(value, int | float | Decimal):
        return value
    if not isinstance(value, str):
        return value
    if value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Echo:
    """A file-like object whose write returns the line, for streaming responses."""

    def write(self, value):
        return value


def csv_lines(header, rows):
    """The lines of a CSV file, each cell made safe, for a StreamingHttpResponse."""
    writer = csv.writer(Echo())
    yield "\ufeff"  # a byte-order mark, so spreadsheets read the text as UTF-8
    yield writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])


class _SafeRowWriter:
    """A `csv.DictWriter` whose rows are made safe as they are written."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row: dict):
        return self.writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})


def protect_wagtail_exports() -> None:
    """Make every CSV Wagtail exports safe, and every heading of its XLSX exports too.

    Wraps `SpreadsheetExportMixin.write_csv_row` (each CSV row, after Wagtail's own
    preprocessing) and `get_heading` (the heading row, of CSV and XLSX alike). Safe to call
    more than once.
    """
    write_csv_row = SpreadsheetExportMixin.write_csv_row
    if getattr(write_csv_row, "engage_spreadsheet_safe", False):
        return

    @wraps(write_csv_row)
    def safe_write_csv_row(self, writer, row_dict):
        return write_csv_row(self, _SafeRowWriter(writer), row_dict)

    get_heading = SpreadsheetExportMixin.get_heading

    @wraps(get_heading)
    def safe_get_heading(self, queryset, field):
        return spreadsheet_safe(get_heading(self, queryset, field))

    safe_write_csv_row.engage_spreadsheet_safe = True
    SpreadsheetExportMixin.write_csv_row = safe_write_csv_row
    SpreadsheetExportMixin.get_heading = safe_get_heading
