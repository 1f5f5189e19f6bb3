"""Importers for the NHS and ONS reference files, one module a kind of file.

- `ods`: the organisation tree from ODS's ePCN workbook and `epraccur.csv`;
- `population`: NHS England's "Patients registered at a GP practice" five-year age bands;
- `deprivation`: the English Indices of Deprivation, File 1 (or File 7) by LSOA;
- `postcodes`: the ONS postcode to OA, LSOA, MSOA and LAD lookup.

Each reads its file as a stream, checks the layout before it changes anything (a file of
another layout is refused with `LayoutError`), checks every line (a bad line is reported with
its number and reason and skipped), and upserts: importing the same file twice changes
nothing. The README's "NHS reference data" says where each file is published.
"""
