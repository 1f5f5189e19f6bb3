"""Small NHS reference files in the published layouts, written for one test."""

import csv

from openpyxl import Workbook

SUB_ICB_NAME = "NHS TEST VALE ICB - T1X"


def epraccur_row(code, name, *, icb="QTT", sub_icb="T1X", status="A", setting="4"):
    row = [""] * 27
    row[0], row[1], row[3], row[9] = code, name, icb, "RB1 1AA"
    row[12], row[14], row[23], row[25] = status, sub_icb, sub_icb, setting
    return row


def write_epraccur(path, rows, *, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(rows)
    return path


DETAIL_HEADER = [
    "PCN Code",
    "PCN Name",
    "Current Sub ICB Loc Code",
    "Sub ICB Location",
    "Open Date",
    "Close Date",
]
PARTNER_HEADER = [
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


def write_epcn(path, pcns, members, *, detail_header=DETAIL_HEADER, detail_sheet="PCNDetails"):
    """pcns: (code, name, sub_icb, close date); members: (practice, name, pcn, end date)."""
    book = Workbook()
    book.active.title = "Notes"
    details = book.create_sheet(detail_sheet)
    details.append(detail_header)
    for code, name, sub_icb, closed in pcns:
        details.append([code, name, sub_icb, SUB_ICB_NAME, 20190701, closed])
    partners = book.create_sheet("PCN Core Partner Details")
    partners.append(PARTNER_HEADER)
    for practice, name, pcn, ended in members:
        partners.append(
            [practice, name, "T1X", SUB_ICB_NAME, pcn, "", "T1X", SUB_ICB_NAME, "20190701", ended]
        )
    book.save(path)
    return path
