"""The organisation tree from ODS's ePCN workbook and epraccur.csv."""

import io

import pytest
from django.core.management import CommandError, call_command

from home.imports.files import LayoutError
from home.imports.ods import ods_import, ods_name_tidy
from home.models import IntegratedCareSystem, Neighbourhood, Place, Practice, PrimaryCareNetwork
from home.services import pcn_create
from tests.home.reference_files import epraccur_row, write_epcn, write_epraccur

pytestmark = pytest.mark.django_db

PCNS = [
    ("U91001", "NORTH BANK PCN", "T1X", None),
    ("U91002", "SOUTH BANK PCN", "T1X", None),
    ("U91003", "OLD PCN", "T1X", "20230331"),
]
MEMBERS = [
    ("T91001", "NORTH SURGERY", "U91001", None),
    ("T91002", "BRIDGE STREET MEDICAL CENTRE", "U91001", None),
    ("T91003", "SOUTH SURGERY", "U91002", None),
    ("T91004", "GONE SURGERY", "U91002", "20240101"),
]
PRACTICES = [
    epraccur_row("T91001", "NORTH SURGERY"),
    epraccur_row("T91002", "BRIDGE STREET MEDICAL CENTRE"),
    epraccur_row("T91003", "SOUTH SURGERY"),
    epraccur_row("T91004", "GONE SURGERY", status="C"),
    epraccur_row("T91090", "OUT OF HOURS", setting="8"),
    epraccur_row("T92001", "ELSEWHERE SURGERY", icb="QOO", sub_icb="O1X"),
]


@pytest.fixture
def files(tmp_path):
    epcn = write_epcn(tmp_path / "ePCN.xlsx", PCNS, MEMBERS)
    epraccur = write_epraccur(tmp_path / "epraccur.csv", PRACTICES)
    return epcn, epraccur


def tree():
    return (
        sorted(IntegratedCareSystem.objects.values_list("name", "ods_code")),
        sorted(Place.objects.values_list("name", "ods_code", "integrated_care_system__ods_code")),
        sorted(PrimaryCareNetwork.objects.values_list("ods_code", "name", "place__ods_code")),
        sorted(Practice.objects.values_list("ods_code", "name", "pcn__ods_code")),
    )


def test_an_icb_is_imported_as_its_tree_of_ics_place_pcns_and_practices(files):
    report = ods_import(epcn_path=files[0], epraccur_path=files[1], icb_code="qtt")
    icss, places, pcns, practices = tree()
    assert icss == [("NHS Test Vale ICB", "QTT")]
    assert places == [("NHS Test Vale ICB - T1X", "T1X", "QTT")]
    assert pcns == [
        ("U91001", "North Bank PCN", "T1X"),
        ("U91002", "South Bank PCN", "T1X"),
    ]
    assert practices == [
        ("T91001", "North Surgery", "U91001"),
        ("T91002", "Bridge Street Medical Centre", "U91001"),
        ("T91003", "South Surgery", "U91002"),
    ]
    # New PCNs get their groups and collection, as any PCN does.
    assert all(pcn.staff_group_id and pcn.collection_id for pcn in PrimaryCareNetwork.objects.all())
    assert report.created == 1 + 1 + 2 + 3
    assert report.skipped["closed PCNs"] == 1
    assert report.skipped["past memberships of a PCN"] == 1
    assert report.skipped["epraccur.csv rows that are not GP practices"] == 1
    assert report.problem_count == 0


def test_importing_the_same_files_again_changes_nothing(files):
    ods_import(epcn_path=files[0], epraccur_path=files[1], icb_code="QTT")
    before = tree()
    report = ods_import(epcn_path=files[0], epraccur_path=files[1], icb_code="QTT")
    assert tree() == before
    assert (report.created, report.updated) == (0, 0)


def test_without_an_icb_only_known_pcns_are_updated_and_their_codes_filled_in(files):
    ics = IntegratedCareSystem.objects.create(name="Test Vale")
    place = Place.objects.create(name="Bankside", integrated_care_system=ics)
    pcn = pcn_create(name="North Bank", ods_code="U91001", place=place)
    ods_import(epcn_path=files[0], epraccur_path=files[1])
    icss, places, pcns, practices = tree()
    assert icss == [("Test Vale", "QTT")]
    assert places == [("Bankside", "T1X", "QTT")]
    # Names given in Engage are kept; the unknown PCN is not added.
    assert pcns == [("U91001", "North Bank", "T1X")]
    assert [row[0] for row in practices] == ["T91001", "T91002"]
    assert Practice.objects.filter(pcn=pcn).count() == 2


def test_a_practice_that_moved_pcn_is_moved_and_loses_its_neighbourhood(files):
    ods_import(epcn_path=files[0], epraccur_path=files[1], icb_code="QTT")
    south = PrimaryCareNetwork.objects.get(ods_code="U91002")
    practice = Practice.objects.get(ods_code="T91001")
    practice.pcn = south
    practice.neighbourhood = Neighbourhood.objects.create(pcn=south, name="Southside")
    practice.save()
    report = ods_import(epcn_path=files[0], epraccur_path=files[1], icb_code="QTT")
    practice.refresh_from_db()
    assert practice.pcn.ods_code == "U91001"
    assert practice.neighbourhood is None
    assert report.updated == 1
    assert any("T91001 moved" in note for note in report.notes)


def test_bad_lines_are_reported_with_their_numbers_and_skipped(tmp_path):
    epcn = write_epcn(
        tmp_path / "ePCN.xlsx",
        PCNS[:2] + [("X123", "BAD CODE PCN", "T1X", None), ("U91009", "", "T1X", None)],
        MEMBERS[:3] + [("NOTACODE", "SOMEWHERE", "U91001", None)],
    )
    epraccur = write_epraccur(
        tmp_path / "epraccur.csv",
        PRACTICES[:3] + [["T91005", "TOO SHORT"], epraccur_row("bad", "X")],
    )
    report = ods_import(epcn_path=epcn, epraccur_path=epraccur, icb_code="QTT")
    reasons = [str(problem) for problem in report.problems]
    assert "line 4: epraccur.csv: it has 2 columns, not 27" in reasons
    assert "line 5: epraccur.csv: 'bad' is not a practice's code" in reasons
    assert "line 4: PCNDetails row 4: 'X123' is not a PCN code (U and 5 digits)" in reasons
    assert "line 5: PCNDetails row 5: the PCN name is blank or too long" in reasons
    assert any("'NOTACODE' is not a practice's code" in reason for reason in reasons)
    # The good lines are imported all the same.
    assert PrimaryCareNetwork.objects.count() == 2
    assert Practice.objects.count() == 3


def test_a_workbook_without_the_pcn_sheet_is_refused_and_nothing_changes(tmp_path):
    epcn = write_epcn(
        tmp_path / "ePCN.xlsx", PCNS, MEMBERS, detail_header=["PCN Code", "PCN Name", "Other"]
    )
    epraccur = write_epraccur(tmp_path / "epraccur.csv", PRACTICES)
    with pytest.raises(LayoutError, match="No sheet of the workbook"):
        ods_import(epcn_path=epcn, epraccur_path=epraccur, icb_code="QTT")
    assert tree() == ([], [], [], [])


def test_an_epraccur_with_a_header_line_or_another_layout_is_refused(tmp_path, files):
    with_header = write_epraccur(
        tmp_path / "header.csv", [["Organisation Code", "Name"] + [""] * 25] + PRACTICES
    )
    with pytest.raises(LayoutError, match="no header line"):
        ods_import(epcn_path=files[0], epraccur_path=with_header, icb_code="QTT")
    not_a_workbook = tmp_path / "ePCN.xlsx.csv"
    not_a_workbook.write_text("PCN Code,PCN Name\n")
    with pytest.raises(LayoutError, match="not an Excel workbook"):
        ods_import(epcn_path=not_a_workbook, epraccur_path=files[1], icb_code="QTT")
    assert tree() == ([], [], [], [])


def test_an_icb_no_practice_belongs_to_is_refused(files):
    with pytest.raises(LayoutError, match="ICB QXX"):
        ods_import(epcn_path=files[0], epraccur_path=files[1], icb_code="QXX")


def test_epraccur_in_windows_1252_is_read(tmp_path, files):
    rows = [epraccur_row("T91001", "ST JOSÉ SURGERY")] + PRACTICES[1:]
    epraccur = write_epraccur(tmp_path / "cp1252.csv", rows, encoding="cp1252")
    ods_import(epcn_path=files[0], epraccur_path=epraccur, icb_code="QTT")
    assert Practice.objects.get(ods_code="T91001").name == "St José Surgery"


def test_the_command_reports_and_refuses_in_plain_english(files, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_ods", *map(str, files), "--icb", "QTT", stdout=out, stderr=err)
    assert "7 created, 0 updated, 0 unchanged." in out.getvalue()
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("import_ods", str(tmp_path / "missing.xlsx"), str(files[1]))
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_ods", str(files[1]), str(files[1]), stdout=out)


def test_ods_names_are_tidied_from_capitals():
    assert ods_name_tidy("RIVERSIDE AND MEADOWBANK PCN") == "Riverside and Meadowbank PCN"
    assert ods_name_tidy("THE ST. JOHN'S SURGERY") == "The St. John's Surgery"
    assert ods_name_tidy("NHS SOUTH EAST LONDON ICB - 72Q") == "NHS South East London ICB - 72Q"
    assert ods_name_tidy("ASHTON-UNDER-LYNE PCN") == "Ashton-Under-Lyne PCN"


def test_seed_demo_loads_the_demo_files_through_the_imports(settings):
    from home.models import LsoaDeprivation, PostcodeLsoa, PracticePopulation
    from home.selectors import pcn_population, postcode_deprivation_decile

    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    pcn = PrimaryCareNetwork.objects.get(ods_code="U99001")
    assert (pcn.place.ods_code, pcn.place.integrated_care_system.ods_code) == ("Z9X", "QZZ")
    # The ICB's other fictional PCN is the demo Place's second PCN, in the same Place.
    assert PrimaryCareNetwork.objects.get(ods_code="U99002").place_id == pcn.place_id
    assert pcn_population(pcn=pcn).total > 30_000
    assert (
        len({row.practice_id for row in PracticePopulation.objects.filter(practice__pcn=pcn)}) == 4
    )
    assert LsoaDeprivation.objects.count() == 8
    assert PostcodeLsoa.objects.count() == 10
    assert postcode_deprivation_decile(postcode="RB1 1AA") == 1
