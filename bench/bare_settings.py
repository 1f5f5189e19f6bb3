"""A bare Django site: no apps, no middleware, one view. The floor the site is measured
against in `make bench`, served in its own gunicorn process with the same configuration."""

import os

SECRET_KEY = os.environ.get("SECRET_KEY", "bench-only-secret-key-for-the-bare-view")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.bare_urls"
DATABASES: dict = {}
USE_TZ = True
