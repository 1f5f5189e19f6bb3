from django.core.management.base import BaseCommand

from home.imports.population import registered_population_import
from home.management.commands._reference_data import run_import


class Command(BaseCommand):
    help = "Import NHS England's gp-reg-pat-prac-quin-age.csv (registered patients by five-year age band). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file")

    def handle(self, *args, path, **options):
        run_import(self, registered_population_import, path=path)
