"""Test settings: no network, no collectstatic, an in-memory database."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from culture_portal.settings import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATAGOUV_URL = "https://api.invalid"
# The culture universe whatever UNIVERSE says: tests that want another one load it themselves.
UNIVERSE = universe.load(universe.DEFAULT)  # noqa: F405
CATALOG_TOPIC = "69aea5dff97ef1fc29836765"
DATAGOUV_RETRY_BACKOFF = 0.01  # retries still happen, without the real waits
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
if os.environ.get("TEST_DATABASE_URL"):
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(os.environ["TEST_DATABASE_URL"])}
SYNC_LOCK_PATH = BASE_DIR / "var" / "test-sync.lock"  # noqa: F405
EXPORT_CACHE_DIR = BASE_DIR / "var" / "test-exports"  # noqa: F405 (tests/conftest.py gives each test its own)
