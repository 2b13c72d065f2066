"""Production settings for the concurrency test's gunicorn: static files without a manifest."""

from culture_portal.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
