"""The search backend: Wagtail's database backend, with its SQLite full-text search made safe
for whatever a person types (`engage.search_sqlite`, which says what it fixes and why).

On PostgreSQL (production) and MySQL this is Wagtail's database backend, unchanged.
"""

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_search_backend


def SearchBackend(params):
    """Wagtail's database backend for this database, the SQLite one made safe (Wagtail looks
    for a callable of this name in a backend module)."""
    backend = database_search_backend(params)
    if connection.vendor != "sqlite":
        return backend
    # Only on SQLite: its backend module looks up SQLite-only search models when imported.
    from engage import search_sqlite

    if isinstance(backend, search_sqlite.SQLiteSearchBackend):
        return search_sqlite.SafeSQLiteSearchBackend(params)
    return backend
