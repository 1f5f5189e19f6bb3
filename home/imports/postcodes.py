"""The ONS postcode to Output Area, LSOA, MSOA and local authority lookup (2021 Census areas).

Layout (`PCD_OA21_LSOA21_MSOA21_LAD_<month>_UK_LU.csv`, one header line; ONS writes the
headings in lower or upper case):

    pcd7,pcd8,pcds,dointr,doterm,usertype,oa21cd,lsoa21cd,msoa21cd,ladcd,lsoa21nm,...

pcds is the postcode as it is written ("RB1 1AA"); dointr and doterm are the year and month
the postcode was brought in and ended (YYYYMM, doterm blank while it is live). ONS keeps a
terminated postcode in the file, best-fitted to the areas it had when it ended, so it is
stored too, with the month it ended: residents still give old postcodes. Postcodes of the
Channel Islands and the Isle of Man carry pseudo codes (L99999999, M99999999) and no LSOA:
they are skipped. The file has some 2.7 million lines; it is read line by line and written
in batches.
"""

import re
from datetime import date
from pathlib import Path

from django.db import transaction

from home.imports.files import BATCH_SIZE, CsvRows, ImportReport, upsert
from home.models import PostcodeLsoa
from home.postcodes import postcode_normalise

KIND = "the ONS postcode to OA, LSOA, MSOA and LAD lookup (PCD_OA21_LSOA21_MSOA21_LAD)"
COLUMNS = {"pcds": ("pcds",), "doterm": ("doterm",), "lsoa": ("lsoa21cd",)}
AREA_CODE = re.compile(r"^[A-Z][0-9]{8}$")
PSEUDO_CODE = re.compile(r"^[A-Z]99999999$")
YEAR_MONTH = re.compile(r"^([12][0-9]{3})(0[1-9]|1[0-2])$")


@transaction.atomic
def postcode_lookup_import(*, path: Path | str) -> ImportReport:
    """Store the 2021 LSOA of every postcode in the lookup."""
    report = ImportReport()
    batch: dict[tuple, dict] = {}
    with CsvRows(path, required=COLUMNS, kind=KIND) as rows:
        for line, row in rows:
            if row is None:
                report.problem(line, f"it has fewer than {rows.width} columns")
                continue
            try:
                postcode = postcode_normalise(row["pcds"])
            except ValueError:
                report.problem(line, f"pcds {row['pcds']!r} is not a UK postcode")
                continue
            lsoa = row["lsoa"].upper()
            if not lsoa or PSEUDO_CODE.match(lsoa):
                report.skip("postcodes with no LSOA (Channel Islands, Isle of Man)")
                continue
            if not AREA_CODE.match(lsoa):
                report.problem(line, f"lsoa21cd {row['lsoa']!r} is not an area code")
                continue
            terminated = None
            if row["doterm"]:
                match = YEAR_MONTH.match(row["doterm"])
                if not match:
                    report.problem(line, f"doterm {row['doterm']!r} is not a year and month")
                    continue
                terminated = date(int(match.group(1)), int(match.group(2)), 1)
            batch[(postcode,)] = {"lsoa_code": lsoa, "terminated": terminated}
            if len(batch) >= BATCH_SIZE:
                _write(batch, report)
                batch = {}
    _write(batch, report)
    return report


def _write(batch, report):
    upsert(model=PostcodeLsoa, rows=batch, key_fields=("postcode",), report=report)
