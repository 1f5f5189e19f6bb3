"""The test suite: fast hashing, mail kept in memory, tasks run inline."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-real-site")

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# runserver and the test client find static files themselves.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
ENGAGE_PAGE_CACHE_SECONDS = (
    60  # on, so every test that reads a page after a change checks its invalidation
)

# Journey emails go at once, as the update email tests expect; the tests of the digest's
# settle time set it themselves.
ENGAGE_DIGEST_SETTLE_MINUTES = 0
