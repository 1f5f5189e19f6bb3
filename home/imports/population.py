"""NHS England's "Patients registered at a GP practice": the five-year age band file.

Layout (`gp-reg-pat-prac-quin-age.csv`, one header line, comma separated):

    PUBLICATION,EXTRACT_DATE,TYPE,CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS
    GP_PRAC_PAT_LIST,01JUL2025,GP,Y99001,RB1 1AA,FEMALE,0_4,212

Files before 2021 call TYPE and CODE ORG_TYPE and ORG_CODE and add ONS_CODE; both are read.
Only rows of TYPE GP are practices (the file also sums to ICB, Sub ICB Location and region);
rows with SEX or AGE_GROUP_5 "ALL" are totals, and are checked, not stored. Practices Engage
does not know are counted and skipped: the file covers every practice in England.
"""

import re
from collections import defaultdict
from pathlib import Path

from django.db import transaction

from home.imports.files import BATCH_SIZE, CsvRows, ImportReport, parse_date, upsert
from home.models import Practice, PracticePopulation

KIND = "NHS England's registered patients by five-year age band (gp-reg-pat-prac-quin-age.csv)"
COLUMNS = {
    "extract_date": ("EXTRACT_DATE",),
    "type": ("TYPE", "ORG_TYPE"),
    "code": ("CODE", "ORG_CODE"),
    "sex": ("SEX",),
    "age": ("AGE_GROUP_5",),
    "count": ("NUMBER_OF_PATIENTS",),
}
SEXES = {"FEMALE": PracticePopulation.Sex.FEMALE, "MALE": PracticePopulation.Sex.MALE}
AGE_BANDS = set(PracticePopulation.AgeBand.values)
PRACTICE_CODE = re.compile(r"^[A-Z][0-9]{5}$")


@transaction.atomic
def registered_population_import(*, path: Path | str) -> ImportReport:
    """Store each known practice's registered patients by sex and age band."""
    report = ImportReport()
    practices = dict(Practice.objects.values_list("ods_code", "pk"))
    totals = defaultdict(int)  # (practice, date, sex) -> sum of its bands, to check the ALL rows
    stated = {}  # (practice, date, sex) -> (line, the file's ALL figure)
    batch: dict[tuple, dict] = {}
    with CsvRows(path, required=COLUMNS, kind=KIND) as rows:
        for line, row in rows:
            if row is None:
                report.problem(line, f"it has fewer than {rows.width} columns")
                continue
            if row["type"].upper() != "GP":
                report.skip("rows that sum to an area, not a practice")
                continue
            code = row["code"].upper()
            if not PRACTICE_CODE.match(code):
                report.problem(line, f"{row['code']!r} is not a practice's ODS code")
                continue
            try:
                extract_date = parse_date(row["extract_date"])
            except ValueError:
                extract_date = None
            if extract_date is None:
                report.problem(line, f"EXTRACT_DATE {row['extract_date']!r} is not a date")
                continue
            sex = row["sex"].upper()
            age = row["age"].upper()
            if sex not in SEXES and sex != "ALL":
                report.problem(line, f"SEX {row['sex']!r} is not MALE, FEMALE or ALL")
                continue
            if age not in AGE_BANDS and age != "ALL":
                report.problem(line, f"AGE_GROUP_5 {row['age']!r} is not a five-year band")
                continue
            if not row["count"].isdigit():
                report.problem(line, f"NUMBER_OF_PATIENTS {row['count']!r} is not a whole number")
                continue
            count = int(row["count"])
            if code not in practices:
                report.skip("rows of practices not in Engage")
                continue
            practice = practices[code]
            if sex == "ALL" or age == "ALL":
                if sex != "ALL" and age == "ALL":
                    stated[(practice, extract_date, sex)] = (line, count)
                else:
                    report.skip("rows that total both sexes")
                continue
            totals[(practice, extract_date, sex)] += count
            batch[(practice, extract_date, SEXES[sex], age)] = {"count": count}
            if len(batch) >= BATCH_SIZE:
                _write(batch, report)
                batch = {}
    _write(batch, report)
    for key, (line, count) in stated.items():
        if totals.get(key, 0) != count:
            report.notes.append(
                f"Line {line}: the file's total for {key[2].lower()} patients ({count}) is not "
                f"the sum of its age bands ({totals.get(key, 0)})."
            )
    return report


def _write(batch: dict[tuple, dict], report: ImportReport) -> None:
    upsert(
        model=PracticePopulation,
        rows=batch,
        key_fields=("practice_id", "extract_date", "sex", "age_band"),
        report=report,
    )
