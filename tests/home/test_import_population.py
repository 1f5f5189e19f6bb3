"""Registered patients by five-year age band, and their sums for a practice, PCN and Place."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.imports.files import LayoutError
from home.imports.population import registered_population_import
from home.models import Practice, PracticePopulation
from home.selectors import pcn_population, place_population, practice_population
from tests.factories import make_pcn_site

pytestmark = pytest.mark.django_db

HEADER = "PUBLICATION,EXTRACT_DATE,TYPE,CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS"


def line(code, sex, band, count, date="01JUL2025", kind="GP"):
    return f"GP_PRAC_PAT_LIST,{date},{kind},{code},RB1 1AA,{sex},{band},{count}"


@pytest.fixture
def practices():
    pcn_a = make_pcn_site(name="PCN A")[0].pcn
    pcn_b = make_pcn_site(name="PCN B", hostname="b.example.org", default=False)[0].pcn
    return (
        Practice.objects.create(pcn=pcn_a, name="One", ods_code="T90001"),
        Practice.objects.create(pcn=pcn_a, name="Two", ods_code="T90002"),
        Practice.objects.create(pcn=pcn_b, name="Three", ods_code="T90003"),
    )


def write(path, lines, *, bom=False):
    text = "\n".join([HEADER, *lines]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def stored():
    return sorted(
        PracticePopulation.objects.values_list(
            "practice__ods_code", "extract_date", "sex", "age_band", "count"
        )
    )


def test_known_practices_bands_are_stored_and_the_rest_skipped(practices, tmp_path):
    path = write(
        tmp_path / "gp-reg-pat-prac-quin-age.csv",
        [
            line("T90001", "FEMALE", "ALL", 30),
            line("T90001", "FEMALE", "0_4", 10),
            line("T90001", "FEMALE", "95+", 20),
            line("T90001", "MALE", "0_4", 7),
            line("T90001", "ALL", "ALL", 37),
            line("A81001", "MALE", "0_4", 99),
            line("QWE", "MALE", "0_4", 5000, kind="ICB"),
        ],
        bom=True,
    )
    report = registered_population_import(path=path)
    day = date(2025, 7, 1)
    assert stored() == [
        ("T90001", day, "female", "0_4", 10),
        ("T90001", day, "female", "95+", 20),
        ("T90001", day, "male", "0_4", 7),
    ]
    assert report.created == 3
    assert report.skipped["rows of practices not in Engage"] == 1
    assert report.skipped["rows that sum to an area, not a practice"] == 1
    assert report.notes == []


def test_importing_the_same_file_twice_changes_nothing_and_a_new_figure_updates(
    practices, tmp_path
):
    lines = [line("T90001", "FEMALE", "0_4", 10), line("T90002", "MALE", "5_9", 4)]
    path = write(tmp_path / "a.csv", lines)
    registered_population_import(path=path)
    before = stored()
    again = registered_population_import(path=path)
    assert stored() == before
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = registered_population_import(
        path=write(tmp_path / "b.csv", [line("T90001", "FEMALE", "0_4", 11)])
    )
    assert (changed.created, changed.updated) == (0, 1)


def test_bad_lines_are_reported_with_their_numbers(practices, tmp_path):
    path = write(
        tmp_path / "bad.csv",
        [
            line("T90001", "FEMALE", "0_4", 10),
            line("T90001", "OTHER", "0_4", 10),
            line("T90001", "FEMALE", "0_3", 10),
            line("T90001", "FEMALE", "5_9", "ten"),
            line("T90001", "FEMALE", "5_9", 3, date="yesterday"),
            line("<script>", "FEMALE", "5_9", 3),
            "GP_PRAC_PAT_LIST,01JUL2025,GP",
            line("T90001", "FEMALE", "ALL", 99),
        ],
    )
    report = registered_population_import(path=path)
    assert [str(problem) for problem in report.problems] == [
        "line 3: SEX 'OTHER' is not MALE, FEMALE or ALL",
        "line 4: AGE_GROUP_5 '0_3' is not a five-year band",
        "line 5: NUMBER_OF_PATIENTS 'ten' is not a whole number",
        "line 6: EXTRACT_DATE 'yesterday' is not a date",
        "line 7: '<script>' is not a practice's ODS code",
        "line 8: it has fewer than 8 columns",
    ]
    assert len(stored()) == 1
    assert report.notes == [
        "Line 9: the file's total for female patients (99) is not the sum of its age bands (10)."
    ]


def test_a_file_of_another_layout_is_refused_and_nothing_changes(practices, tmp_path):
    path = tmp_path / "single-age.csv"
    path.write_text(
        "PUBLICATION,EXTRACT_DATE,TYPE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n"
        + line("T90001", "FEMALE", "3", 10)
        + "\n"
    )
    with pytest.raises(LayoutError, match="no column AGE_GROUP_5"):
        registered_population_import(path=path)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(LayoutError, match="empty"):
        registered_population_import(path=empty)
    assert stored() == []


def test_the_older_layout_with_org_type_and_org_code_is_read(practices, tmp_path):
    path = tmp_path / "2019.csv"
    path.write_text(
        "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,"
        "NUMBER_OF_PATIENTS\nGP_PRAC_PAT_LIST,01Apr2019,GP,T90001,E38000001,RB1 1AA,MALE,"
        "0_4,12\n"
    )
    registered_population_import(path=path)
    assert [row[-1] for row in stored()] == [12]


def test_populations_sum_for_a_practice_a_pcn_and_a_place_on_the_latest_date(practices, tmp_path):
    one, _two, three = practices
    lines = [
        line("T90001", "FEMALE", "0_4", 10),
        line("T90001", "MALE", "0_4", 5),
        line("T90002", "FEMALE", "0_4", 1),
        line("T90002", "FEMALE", "20_24", 2),
        line("T90003", "MALE", "95+", 4),
        # An older extract is not added in.
        line("T90001", "FEMALE", "0_4", 1000, date="01APR2025"),
    ]
    registered_population_import(path=write(tmp_path / "p.csv", lines))
    practice = practice_population(practice=one)
    assert practice.counts == {("female", "0_4"): 10, ("male", "0_4"): 5}
    assert str(practice.extract_date) == "2025-07-01"
    pcn = pcn_population(pcn=one.pcn)
    assert pcn.counts == {("female", "0_4"): 11, ("male", "0_4"): 5, ("female", "20_24"): 2}
    assert (pcn.total, pcn.by_sex("female"), pcn.by_sex("male")) == (18, 13, 5)
    assert pcn.rows()[0] == ("0 to 4", 11, 5)
    assert pcn.rows()[-1] == ("95 and over", 0, 0)
    place = place_population(place=one.pcn.place)
    assert place.total == 22
    assert practice_population(practice=three).counts == {("male", "95+"): 4}


def test_a_pcn_or_place_total_takes_one_query_however_many_practices(practices, tmp_path):
    one = practices[0]
    for number in range(4, 14):
        Practice.objects.create(pcn=one.pcn, name=f"P{number}", ods_code=f"T900{number:02d}")
    lines = [line(f"T900{n:02d}", "FEMALE", "0_4", n) for n in range(1, 14)]
    registered_population_import(path=write(tmp_path / "many.csv", lines))
    with CaptureQueriesContext(connection) as queries:
        total = pcn_population(pcn=one.pcn).total
    assert len(queries) == 1
    assert total == sum(n for n in range(1, 14) if n != 3)
    with CaptureQueriesContext(connection) as queries:
        place_population(place=one.pcn.place)
    assert len(queries) == 1


def test_a_practice_with_no_figures_has_an_empty_table(practices):
    table = practice_population(practice=practices[0])
    assert (table.extract_date, table.total) == (None, 0)
