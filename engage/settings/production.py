"""Production: the same code, configured by the environment.

Refuses to start without SECRET_KEY (base) and ALLOWED_HOSTS (here). Passes
`manage.py check --deploy` when served over HTTPS as intended.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, env_bool, env_int

if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set in production: a comma-separated list of the site's "
        "host names, for example ALLOWED_HOSTS=engage.example.nhs.uk"
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Several server processes, each with a cache of its own, would go on serving a page a
# moderator has just hidden: whole pages are kept only in a shared cache (CACHE_URL).
ENGAGE_PAGE_CACHE_SECONDS = env_int(
    "ENGAGE_PAGE_CACHE_SECONDS", 60 if os.environ.get("CACHE_URL") else 0
)
