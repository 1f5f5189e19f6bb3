from django.core.management.base import BaseCommand

from home.imports.postcodes import postcode_lookup_import
from home.management.commands._reference_data import run_import


class Command(BaseCommand):
    help = "Import ONS's PCD_OA21_LSOA21_MSOA21_LAD lookup (.csv). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file")

    def handle(self, *args, path, **options):
        run_import(self, postcode_lookup_import, path=path)
