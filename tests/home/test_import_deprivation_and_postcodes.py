"""The English Indices of Deprivation by LSOA, and the ONS postcode to LSOA lookup."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from home.imports.deprivation import deprivation_import
from home.imports.files import LayoutError
from home.imports.postcodes import postcode_lookup_import
from home.models import LsoaDeprivation, PostcodeLsoa
from home.postcodes import postcode_normalise
from home.selectors import postcode_deprivation_decile

pytestmark = pytest.mark.django_db

FILE_1_2025 = [
    "LSOA code (2021)",
    "LSOA name (2021)",
    "Local Authority District code (2024)",
    "Local Authority District name (2024)",
    "Index of Multiple Deprivation (IMD) Rank",
    "Index of Multiple Deprivation (IMD) Decile",
]
LOOKUP_HEADER = (
    "pcd7,pcd8,pcds,dointr,doterm,usertype,oa21cd,lsoa21cd,msoa21cd,ladcd,lsoa21nm,msoa21nm,"
    "ladnm,ladnmw"
)


def workbook(path, header, rows, *, sheet="IMD2025"):
    book = Workbook()
    book.active.title = "Notes"
    data = book.create_sheet(sheet)
    data.append(header)
    for row in rows:
        data.append(row)
    book.save(path)
    return path


def deprivation():
    return sorted(
        LsoaDeprivation.objects.values_list(
            "edition", "lsoa_code", "lsoa_name", "imd_rank", "imd_decile"
        )
    )


def lookup_line(pcds, lsoa, doterm=""):
    return f"{pcds},{pcds},{pcds},198001,{doterm},0,E00000001,{lsoa},E02000001,E06000001,x,y,z,"


def lookup(path, lines, *, bom=True, encoding="utf-8"):
    text = "\n".join([LOOKUP_HEADER, *lines]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def postcodes():
    return sorted(PostcodeLsoa.objects.values_list("postcode", "lsoa_code", "terminated"))


# Deprivation


def test_file_1_of_iod2025_is_read_from_its_data_sheet(tmp_path):
    path = workbook(
        tmp_path / "File_1.xlsx",
        FILE_1_2025,
        [
            ["E01000001", "City of London 001A", "E09000001", "City of London", 29199, 9],
            ["E01000002", "City of London 001B", "E09000001", "City of London", 30379.0, 10],
        ],
    )
    report = deprivation_import(path=path)
    assert deprivation() == [
        ("IoD2025", "E01000001", "City of London 001A", 29199, 9),
        ("IoD2025", "E01000002", "City of London 001B", 30379, 10),
    ]
    assert report.notes == ["Read the sheet 'IMD2025'."]
    again = deprivation_import(path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_file_7_csv_of_iod2019_with_its_longer_headings_is_read(tmp_path):
    path = tmp_path / "File_7.csv"
    path.write_bytes(
        b"\xef\xbb\xbfLSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
        b"Local Authority District name (2019),Index of Multiple Deprivation (IMD) Score,"
        b"Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived),"
        b"Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)\n"
        b"E01000001,City of London 001A,E09000001,City of London,6.2,29199,9\n"
    )
    deprivation_import(path=path)
    assert deprivation() == [("IoD2019", "E01000001", "City of London 001A", 29199, 9)]


def test_bad_deprivation_lines_are_reported_and_the_rest_stored(tmp_path):
    path = workbook(
        tmp_path / "bad.xlsx",
        FILE_1_2025,
        [
            ["E01000001", "Good 001A", "E09000001", "City", 10, 1],
            ["W01000001", "Welsh 001A", "W06000001", "Wales", 10, 1],
            ["E01000003", "", "E09000001", "City", 10, 1],
            ["E01000004", "Rank 001A", "E09000001", "City", "high", 1],
            ["E01000005", "Decile 001A", "E09000001", "City", 10, 11],
            ["E01000006"],
            ["E01000007", "Line\u202ebreak", "E09000001", "City", 10, 1],
        ],
    )
    report = deprivation_import(path=path)
    assert [str(problem) for problem in report.problems] == [
        "line 3: 'W01000001' is not the code of an English LSOA (E01 and 6 digits)",
        "line 4: the LSOA name is blank, longer than 100 characters or not one line",
        "line 5: the IMD rank 'high' is not a whole number from 1",
        "line 6: the IMD decile '11' is not a whole number from 1 to 10",
        # A workbook pads a short row with blanks.
        "line 7: the LSOA name is blank, longer than 100 characters or not one line",
        "line 8: the LSOA name is blank, longer than 100 characters or not one line",
    ]
    assert [row[1] for row in deprivation()] == ["E01000001"]


def test_a_deprivation_file_without_the_columns_is_refused_and_nothing_changes(tmp_path):
    wrong_sheet = workbook(tmp_path / "w.xlsx", ["LSOA code (2021)", "Income Score (rate)"], [])
    with pytest.raises(LayoutError, match="No sheet of the workbook \\('Notes', 'IMD2025'\\)"):
        deprivation_import(path=wrong_sheet)
    wrong_csv = tmp_path / "w.csv"
    wrong_csv.write_text("LSOA code (2021),LSOA name (2021)\nE01000001,A\n")
    with pytest.raises(LayoutError, match="no LSOA code, LSOA name, IMD rank"):
        deprivation_import(path=wrong_csv)
    assert deprivation() == []


# Postcodes


def test_postcodes_are_stored_with_their_lsoa_and_terminated_ones_kept(tmp_path):
    path = lookup(
        tmp_path / "PCD_OA21_LSOA21_MSOA21_LAD_FEB24_UK_LU.csv",
        [
            lookup_line("RB1 1AA", "E01000001"),
            lookup_line("RB1 9ZZ", "E01000002", doterm="202103"),
            lookup_line("GY1 1AA", "L99999999"),
            lookup_line("EH1 1AA", "S01006506"),
        ],
    )
    report = postcode_lookup_import(path=path)
    assert postcodes() == [
        ("EH1 1AA", "S01006506", None),
        ("RB1 1AA", "E01000001", None),
        ("RB1 9ZZ", "E01000002", date(2021, 3, 1)),
    ]
    assert report.skipped == {"postcodes with no LSOA (Channel Islands, Isle of Man)": 1}
    again = postcode_lookup_import(path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_postcode_whose_lsoa_changed_is_updated(tmp_path):
    postcode_lookup_import(path=lookup(tmp_path / "a.csv", [lookup_line("RB1 1AA", "E01000001")]))
    report = postcode_lookup_import(
        path=lookup(tmp_path / "b.csv", [lookup_line("RB1 1AA", "E01000009", doterm="202401")])
    )
    assert report.updated == 1
    assert postcodes() == [("RB1 1AA", "E01000009", date(2024, 1, 1))]


def test_upper_case_headings_without_a_bom_and_windows_1252_names_are_read(tmp_path):
    path = tmp_path / "upper.csv"
    text = (
        LOOKUP_HEADER.upper()
        + "\n"
        + lookup_line("LL1 1AA", "W01000001").replace(",x,", ",Ynys Môn,")
    )
    path.write_bytes(text.encode("cp1252") + b"\n")
    postcode_lookup_import(path=path)
    assert postcodes() == [("LL1 1AA", "W01000001", None)]


def test_bad_postcode_lines_are_reported_with_their_numbers(tmp_path):
    path = lookup(
        tmp_path / "bad.csv",
        [
            lookup_line("RB1 1AA", "E01000001"),
            lookup_line("NOT A CODE", "E01000001"),
            lookup_line("RB1 1AB", "<b>"),
            lookup_line("RB1 1AC", "E01000001", doterm="2021-03"),
            "RB1 1AD,RB1 1AD",
        ],
    )
    report = postcode_lookup_import(path=path)
    assert [str(problem) for problem in report.problems] == [
        "line 3: pcds 'NOT A CODE' is not a UK postcode",
        "line 4: lsoa21cd '<b>' is not an area code",
        "line 5: doterm '2021-03' is not a year and month",
        "line 6: it has fewer than 14 columns",
    ]
    assert postcodes() == [("RB1 1AA", "E01000001", None)]


def test_a_lookup_of_2011_areas_is_refused_and_nothing_changes(tmp_path):
    path = tmp_path / "2011.csv"
    path.write_text(LOOKUP_HEADER.replace("21", "11") + "\n" + lookup_line("RB1 1AA", "E01000001"))
    with pytest.raises(LayoutError, match="no column lsoa21cd"):
        postcode_lookup_import(path=path)
    assert postcodes() == []


def test_a_postcode_turns_into_a_deprivation_decile_in_one_query(
    tmp_path, django_assert_num_queries
):
    postcode_lookup_import(path=lookup(tmp_path / "a.csv", [lookup_line("RB1 1AA", "E01000001")]))
    LsoaDeprivation.objects.create(
        edition="IoD2025", lsoa_code="E01000001", lsoa_name="A", imd_rank=5, imd_decile=1
    )
    with django_assert_num_queries(1):
        assert postcode_deprivation_decile(postcode=" rb11aa ") == 1
    assert postcode_deprivation_decile(postcode="RB1 1AA", edition="IoD2019") is None
    assert postcode_deprivation_decile(postcode="ZZ9 9ZZ") is None
    with django_assert_num_queries(0):
        assert postcode_deprivation_decile(postcode="<script>") is None


def test_postcodes_are_written_one_way():
    assert postcode_normalise("sw1a2aa") == "SW1A 2AA"
    assert postcode_normalise(" M1  1AE ") == "M1 1AE"
    with pytest.raises(ValueError):
        postcode_normalise("12345")


def test_the_commands_report_bad_lines_and_refuse_a_wrong_file(tmp_path):
    path = lookup(tmp_path / "a.csv", [lookup_line("RB1 1AA", "E01000001"), "x"])
    out, err = io.StringIO(), io.StringIO()
    call_command("import_postcode_lookup", str(path), stdout=out, stderr=err)
    assert "1 created" in out.getvalue()
    assert "Bad line 3: it has fewer than 14 columns" in err.getvalue()
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_deprivation", str(path), stdout=out)
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_registered_population", str(path), stdout=out)
