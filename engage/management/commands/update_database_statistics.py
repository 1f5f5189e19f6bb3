"""Run once a day, and after loading many rows: refresh the database's planner statistics.

SQLite keeps no statistics until ANALYZE runs, and without them it plans a search of the
ideas by walking every search index entry and matching each one (minutes among 100,000
ideas, against well under a second with them). PostgreSQL's autovacuum keeps its own
statistics current; running ANALYZE there too is harmless and quick.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connections


class Command(BaseCommand):
    help = "Refresh the query planner's statistics (ANALYZE), so searches stay fast."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Which database (default).")

    def handle(self, *args, database, **options):
        connection = connections[database]
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(f"Planner statistics refreshed on {connection.vendor} in {seconds:.1f}s.")
