"""A PostgreSQL index on what Wagtail's database search backend filters by.

Searching every field (as the idea list does) matches `title || body` of each index entry:
an expression the per-column GIN indexes the backend makes cannot serve, so PostgreSQL
read every entry (225 ms for one word among 100,000 ideas). An index on the expression
itself lets it start from the matches. SQLite's backend uses FTS5 and needs nothing.
Built CONCURRENTLY, so a large site keeps taking posts while it builds.
"""

from django.db import migrations

INDEX = "engage_search_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry "
            "USING gin ((title || body))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("consultations", "0004_offline_contributors_and_letters"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
