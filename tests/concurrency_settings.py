"""Production settings for the concurrency test's gunicorn: static files without a manifest, no page cache.

Pages would otherwise come from the cache between two syncs: every request must render, reading the
database while syncs commit.
"""

from culture_portal.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
