"""Absolute URLs of this site: from ``SITE_URL`` when it is set, never from a header a client chose.

Without ``SITE_URL`` the request's scheme and host are used; Django has already checked the host
against ``ALLOWED_HOSTS``, and page caches put this root in their keys (catalog.caching), so one
host's canonical links are never served to another.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site_root(request: HttpRequest) -> str:
    """``https://culture.data.gouv.fr``: scheme and host, no trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    return f"{request.scheme}://{request.get_host()}"


def absolute(request: HttpRequest, path: str) -> str:
    """The absolute URL of a path of this site (``path`` starts with ``/``)."""
    return site_root(request) + path
