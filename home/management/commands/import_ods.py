from django.core.management.base import BaseCommand

from home.imports.ods import ods_import
from home.management.commands._reference_data import run_import


class Command(BaseCommand):
    help = (
        "Import the organisation tree (ICS, Place, PCN, practice) from ODS's ePCN.xlsx and "
        "epraccur.csv. Without --icb, only PCNs already in Engage are updated. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("epcn", help="ODS's ePCN.xlsx")
        parser.add_argument("epraccur", help="ODS's epraccur.csv")
        parser.add_argument(
            "--icb", help="Also add the PCNs and practices of this ICB (its ODS code, like QWE)"
        )

    def handle(self, *args, epcn, epraccur, icb=None, **options):
        run_import(self, ods_import, epcn_path=epcn, epraccur_path=epraccur, icb_code=icb)
