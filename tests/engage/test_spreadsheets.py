"""Every spreadsheet the site offers is safe to open: no cell runs as a formula.

An idea titled `=HYPERLINK("http://x","y")` must reach a moderator's spreadsheet as text, in
our own "what we heard" CSV and in every export of the Wagtail admin (the site history and the
other reports, and any viewset's listing). Numbers stay numbers, negative ones included.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import get_resolver, reverse
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from consultations import moderation, services
from consultations.models import ModerationAction, ModerationMode, ModerationReason
from engage.spreadsheets import csv_lines, spreadsheet_safe
from tests.factories import UserFactory, make_admin, make_consultation, make_moderator

FORMULA = '=HYPERLINK("http://x","y")'
SAFE = "'" + FORMULA


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (FORMULA, SAFE),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("  =1+1", "'  =1+1"),
        ("\uff1dSUM(1)", "'\uff1dSUM(1)"),
        ("Evening appointments", "Evening appointments"),
        ("1 + 1 = 2", "1 + 1 = 2"),
        ("", ""),
        (-3, -3),
        (0, 0),
        (-2.5, -2.5),
        (Decimal("-1.25"), Decimal("-1.25")),
        (None, None),
    ],
)
def test_a_cell_that_would_run_is_written_as_text_and_numbers_stay_numbers(cell, written):
    assert spreadsheet_safe(cell) == written


def read(lines) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines).removeprefix("\ufeff"))))


def test_our_csv_neutralises_text_and_leaves_counts_alone():
    rows = read(csv_lines(["Title", "=Supports"], [[FORMULA, -1], ["Plain", 4]]))
    assert rows == [["Title", "'=Supports"], [SAFE, "-1"], ["Plain", "4"]]


# The "what we heard" CSV, through the consultation's own route.


@pytest.fixture
def consultation(consultation_index):
    return make_consultation(
        consultation_index, phase="open", moderation_mode=ModerationMode.POST, title="Evenings"
    )


@pytest.fixture
def formula_idea(consultation):
    """An idea titled as a formula, posted through the service as a resident would."""
    return services.idea_submit(
        consultation=consultation,
        author=UserFactory(),
        title=FORMULA,
        body="-1 is my view of the opening hours",
        neighbourhood=consultation.neighbourhoods.first(),
    )


def test_the_what_we_heard_csv_neutralises_an_idea_titled_as_a_formula(
    client, home, consultation, formula_idea
):
    assert formula_idea.title == FORMULA  # stored as typed: it is only text
    client.force_login(make_moderator(home.pcn))
    url = consultation.url + consultation.reverse_subpage("what-we-heard-csv")
    response = client.get(url)
    assert response.status_code == 200
    rows = read(b.decode() for b in response.streaming_content)
    [row] = [row for row in rows[1:] if row[0] == str(formula_idea.pk)]
    assert row[1] == SAFE
    assert row[2] == "'-1 is my view of the opening hours"
    assert row[6:8] == ["0", "0"]  # supports and comments: numbers, untouched


# Wagtail's exports: the site history report, as an admin downloads it.


@pytest.fixture
def logged_formula_idea(home, formula_idea):
    """The idea in the site history, by a moderator's decision."""
    moderation.post_moderate(
        post=formula_idea,
        moderator=make_moderator(home.pcn),
        action=ModerationAction.HIDE,
        reason=ModerationReason.SPAM,
    )
    return formula_idea


def site_history(client, export: str):
    client.force_login(make_admin())
    response = client.get(reverse("wagtailadmin_reports:site_history"), {"export": export})
    assert response.status_code == 200
    return response


def test_the_site_history_csv_neutralises_an_idea_titled_as_a_formula(client, logged_formula_idea):
    response = site_history(client, "csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = read(b.decode() for b in response.streaming_content)
    assert rows[0] == ["ID", "Name", "Type", "Action type", "User", "Date/Time"]
    labels = [row[1] for row in rows[1:]]
    assert SAFE in labels
    assert FORMULA not in labels
    # The object's id is a number, written as it is.
    [row] = [row for row in rows[1:] if row[1] == SAFE]
    assert row[0] == str(logged_formula_idea.pk)


def test_the_site_history_xlsx_keeps_an_idea_titled_as_a_formula_as_text(
    client, logged_formula_idea
):
    response = site_history(client, "xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == FORMULA]
    assert cells, "the idea is not in the export"
    assert all(cell.data_type == "s" for cell in cells)


# Any export view: the fix is on the mixin they all share.


class PlainExport(SpreadsheetExportMixin):
    """The smallest export view: what a ModelViewSet or SnippetViewSet listing does."""

    list_export = ["name", "count"]
    export_headings = {"name": "=Name", "count": "Count"}


class Row:
    def __init__(self, name, count):
        self.name, self.count = name, count


def test_any_export_view_writes_safe_cells_and_headings():
    view = PlainExport()
    lines = [line.decode() for line in view.stream_csv([Row(FORMULA, -1), Row("Riverside", 3)])]
    assert read(lines) == [["'=Name", "Count"], [SAFE, "-1"], ["Riverside", "3"]]


def all_subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from all_subclasses(subclass)


def test_no_export_view_of_wagtails_writes_its_own_rows():
    """The fix wraps the mixin's row writer and headings; a view that overrode them would
    escape it. Every export view the admin's URLs load is checked."""
    get_resolver().url_patterns  # noqa: B018 (loads every admin view)
    assert getattr(SpreadsheetExportMixin.write_csv_row, "engage_spreadsheet_safe", False)
    views = [view for view in all_subclasses(SpreadsheetExportMixin) if view is not PlainExport]
    assert any(view.__name__ == "LogEntriesView" for view in views)
    for view in views:
        assert view.write_csv_row is SpreadsheetExportMixin.write_csv_row, view
        assert view.get_heading is SpreadsheetExportMixin.get_heading, view
