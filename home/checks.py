"""System checks for how Engage is deployed (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def page_cache_is_shared(app_configs=None, **kwargs):
    """Whole pages cached in each server process's own memory go stale in the others: a
    post a moderator hides would still show from the other processes until it expires."""
    backend = settings.CACHES["default"]["BACKEND"]
    if getattr(settings, "ENGAGE_PAGE_CACHE_SECONDS", 0) and backend.endswith("LocMemCache"):
        return [
            checks.Warning(
                "Visitors' pages are cached in each process's own memory.",
                hint=(
                    "Set CACHE_URL to a Redis server shared by every process, or "
                    "ENGAGE_PAGE_CACHE_SECONDS=0 when the site runs in more than one process."
                ),
                id="engage.W001",
            )
        ]
    return []
