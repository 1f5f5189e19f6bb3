"""One laptop: DEBUG on, SQLite, email to the console, tasks run inline."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403

# ".localhost" is localhost and every name below it: the demo's second PCN and its Place
# have sites of their own (willow.localhost, riverbridge.localhost), which browsers send here.
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", ".localhost", "[::1]"]  # noqa: F405

# Links in emails go where `make run` serves the site: 127.0.0.1 on $PORT (8000 by default).
WAGTAILADMIN_BASE_URL = os.environ.get(
    "WAGTAILADMIN_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
)

# Serve source assets straight from static/ while developing.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# runserver and the test client find static files themselves.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
