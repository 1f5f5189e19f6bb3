"""manage.py update_database_statistics: the planner statistics searches depend on."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import make_consultation, make_pcn_site


@pytest.mark.django_db
def test_update_database_statistics_gives_the_search_index_statistics():
    _, index, _ = make_pcn_site()
    make_consultation(index, phase="open")
    out = io.StringIO()

    call_command("update_database_statistics", stdout=out)

    assert "Planner statistics refreshed" in out.getvalue()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            analysed = {row[0] for row in cursor.fetchall()}
            assert "wagtailsearch_indexentry" in analysed, analysed
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"
            )
            assert cursor.fetchone()[0] > 0
