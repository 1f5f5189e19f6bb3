"""CSV that is safe to open in a spreadsheet."""

import csv

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value) -> str | int:
    """Quote text that a spreadsheet would otherwise run as a formula (CSV injection)."""
    if isinstance(value, int):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class Echo:
    """A file-like object whose write returns the line, for streaming responses."""

    def write(self, value):
        return value


def csv_lines(header, rows):
    writer = csv.writer(Echo())
    yield "\ufeff"  # a byte-order mark, so spreadsheets read the text as UTF-8
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])
