"""Writes the demo's fictional NHS reference files, in the published layouts.

Run from the repository root: `.venv/bin/python home/data/demo/build_demo_files.py`. The
files it writes are committed; `seed_demo` loads them through the import services. Every
code is fictional: ICB QZZ, Sub ICB Location Z9X, PCNs U99001 and U99002, practices Y99001
to Y99006, postcodes in the made-up area RB, LSOAs E01099001 to E01099008.
"""

import csv
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
SUB_ICB_NAME = "NHS WESSEX VALE ICB - Z9X"
PRACTICES = [
    # code, name, postcode, PCN, status, prescribing setting
    ("Y99001", "RIVERSIDE MEDICAL CENTRE", "RB1 1AA", "U99001", "A", "4"),
    ("Y99002", "MEADOWBANK SURGERY", "RB2 2AB", "U99001", "A", "4"),
    ("Y99003", "OLD TOWN HEALTH CENTRE", "RB3 3AD", "U99001", "A", "4"),
    ("Y99004", "HILLCREST FAMILY PRACTICE", "RB4 4AE", "U99001", "A", "4"),
    ("Y99005", "WILLOW LANE SURGERY", "RB5 5AF", "U99002", "A", "4"),
    ("Y99006", "STATION ROAD SURGERY", "RB5 6AG", "U99002", "C", "4"),
    ("Y99090", "RIVERBRIDGE OUT OF HOURS", "RB1 1AB", "", "A", "8"),
]
# Registered patients of each practice's women and men in the twenty bands, youngest first.
SHAPE = [5, 6, 6, 6, 6, 7, 8, 8, 7, 7, 7, 7, 6, 5, 5, 4, 3, 2, 1, 1]
SIZES = {"Y99001": 9.1, "Y99002": 6.4, "Y99003": 11.2, "Y99004": 4.8, "Y99005": 7.5}
BANDS = [f"{n}_{n + 4}" for n in range(0, 95, 5)] + ["95+"]
LSOAS = [
    ("E01099001", "Riverbridge 001A", 2114, 1),
    ("E01099002", "Riverbridge 001B", 5873, 2),
    ("E01099003", "Riverbridge 002A", 9120, 3),
    ("E01099004", "Riverbridge 002B", 14003, 5),
    ("E01099005", "Riverbridge 003A", 18750, 6),
    ("E01099006", "Riverbridge 003B", 24411, 8),
    ("E01099007", "Riverbridge 004A", 29876, 9),
    ("E01099008", "Riverbridge 004B", 33120, 10),
]
POSTCODES = [
    # pcds, doterm, LSOA
    ("RB1 1AA", "", "E01099001"),
    ("RB1 1AB", "", "E01099001"),
    ("RB1 2BA", "", "E01099002"),
    ("RB2 2AB", "", "E01099003"),
    ("RB2 3CD", "", "E01099004"),
    ("RB3 3AD", "", "E01099005"),
    ("RB3 9ZZ", "202103", "E01099005"),
    ("RB4 4AE", "", "E01099006"),
    ("RB5 5AF", "", "E01099007"),
    ("RB5 6AG", "", "E01099008"),
]


def epraccur():
    with open(HERE / "epraccur.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        for code, name, postcode, _pcn, status, setting in PRACTICES:
            row = [""] * 27
            row[0], row[1], row[2], row[3] = code, name, "Y99", "QZZ"
            row[4], row[7], row[9] = "1 HIGH STREET", "RIVERBRIDGE", postcode
            row[10], row[12], row[13], row[14] = "19740401", status, "B", "Z9X"
            row[15], row[17], row[23], row[25] = "20130401", "01632 960000", "Z9X", setting
            if status == "C":
                row[11] = "20240331"
            writer.writerow(row)


def epcn():
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Fictional ePCN file for the Engage demo, in ODS's layout."])
    details = book.create_sheet("PCNDetails")
    details.append(
        [
            "PCN Code",
            "PCN Name",
            "Current Sub ICB Loc Code",
            "Sub ICB Location",
            "Open Date",
            "Close Date",
            "Address Line 1",
            "Address Line 2",
            "Address Line 3",
            "Address Line 4",
            "Postcode",
        ]
    )
    details.append(
        ["U99001", "RIVERSIDE AND MEADOWBANK PCN", "Z9X", SUB_ICB_NAME, "20190701", None]
        + ["1 HIGH STREET", None, "RIVERBRIDGE", None, "RB1 1AA"]
    )
    details.append(
        ["U99002", "WILLOW AND STATION PCN", "Z9X", SUB_ICB_NAME, "20190701", None]
        + ["2 WILLOW LANE", None, "RIVERBRIDGE", None, "RB5 5AF"]
    )
    partners = book.create_sheet("PCN Core Partner Details")
    partners.append(
        [
            "Partner\nOrganisation\nCode",
            "Partner\nName",
            "Practice\nParent\nSub ICB Loc Code",
            "Practice\nParent\nSub ICB Loc Name",
            "PCN Code",
            "PCN Name",
            "PCN\nParent\nSub ICB Loc Code",
            "PCN\nParent\nSub ICB Loc Name",
            "Practice to PCN\nRelationship\nStart Date",
            "Practice to PCN\nRelationship\nEnd Date",
        ]
    )
    pcn_names = {"U99001": "RIVERSIDE AND MEADOWBANK PCN", "U99002": "WILLOW AND STATION PCN"}
    for code, name, _postcode, pcn, _status, setting in PRACTICES:
        if setting != "4":
            continue
        end = "20240331" if code == "Y99006" else None
        partners.append(
            [code, name, "Z9X", SUB_ICB_NAME, pcn, pcn_names[pcn], "Z9X", SUB_ICB_NAME]
            + ["20190701", end]
        )
    book.save(HERE / "ePCN.xlsx")


def population():
    header = "PUBLICATION,EXTRACT_DATE,TYPE,CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS"
    lines = [header]
    for code, _name, postcode, _pcn, status, setting in PRACTICES:
        if status != "A" or setting != "4":
            continue
        size = SIZES[code]
        for sex, lean in (("FEMALE", 1.04), ("MALE", 0.96)):
            counts = [round(share * size * lean * 10) for share in SHAPE]
            lines.append(f"GP_PRAC_PAT_LIST,01JUL2025,GP,{code},{postcode},{sex},ALL,{sum(counts)}")
            for band, count in zip(BANDS, counts, strict=True):
                lines.append(
                    f"GP_PRAC_PAT_LIST,01JUL2025,GP,{code},{postcode},{sex},{band},{count}"
                )
    lines.append("GP_PRAC_PAT_LIST,01JUL2025,ICB,QZZ,,FEMALE,0_4,9999")
    (HERE / "gp-reg-pat-prac-quin-age.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def deprivation():
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Fictional Index of Multiple Deprivation for the Engage demo."])
    sheet = book.create_sheet("IoD2025 IMD")
    sheet.append(
        [
            "LSOA code (2021)",
            "LSOA name (2021)",
            "Local Authority District code (2024)",
            "Local Authority District name (2024)",
            "Index of Multiple Deprivation (IMD) Rank",
            "Index of Multiple Deprivation (IMD) Decile",
        ]
    )
    for code, name, rank, decile in LSOAS:
        sheet.append([code, name, "E06099001", "Riverbridge", rank, decile])
    book.save(HERE / "File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx")


def postcodes():
    header = (
        "pcd7,pcd8,pcds,dointr,doterm,usertype,oa21cd,lsoa21cd,msoa21cd,ladcd,"
        "lsoa21nm,msoa21nm,ladnm,ladnmw"
    )
    names = {code: name for code, name, _r, _d in LSOAS}
    lines = [header]
    for index, (pcds, doterm, lsoa) in enumerate(POSTCODES):
        outward, inward = pcds.split()
        pcd7 = f"{outward:<4}{inward}"
        lines.append(
            f"{pcd7},{pcds:<8},{pcds},198001,{doterm},0,E00999{index:03d},{lsoa},E02099001,"
            f"E06099001,{names[lsoa]},Riverbridge 001,Riverbridge,"
        )
    lines.append("GY1 1AA,GY1  1AA,GY1 1AA,198001,,0,L99999999,L99999999,L99999999,L99999999,,,,")
    text = "\n".join(lines) + "\n"
    (HERE / "PCD_OA21_LSOA21_MSOA21_LAD_DEMO_UK_LU.csv").write_bytes(
        b"\xef\xbb\xbf" + text.encode("utf-8")
    )


if __name__ == "__main__":
    epraccur()
    epcn()
    population()
    deprivation()
    postcodes()
