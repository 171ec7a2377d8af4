"""Test settings: the real settings, with fast password hashing and plain static storage."""

import os
from urllib.parse import urlsplit, urlunsplit

from portal.settings import *  # noqa: F403
from portal.settings import REDIS_URL, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Sign-in rate limits and used TOTP codes live in this process for tests, not in shared Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Parallel test runs (pytest-xdist): each worker gets its own Redis database, so Celery
# queues and purges of one worker never touch another's. PostgreSQL test databases are
# already per worker (pytest-django suffixes them).
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker.startswith("gw"):
    _redis = urlsplit(REDIS_URL)
    _base = int(_redis.path.lstrip("/") or 0)
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{_base + 1 + int(_xdist_worker[2:])}"))
    CELERY_BROKER_URL = REDIS_URL
