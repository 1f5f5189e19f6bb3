from django.core.management.base import BaseCommand

from home.imports.deprivation import deprivation_import
from home.management.commands._reference_data import run_import


class Command(BaseCommand):
    help = "Import File 1 (.xlsx) or File 7 (.csv) of the English Indices of Deprivation. Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file")

    def handle(self, *args, path, **options):
        run_import(self, deprivation_import, path=path)
