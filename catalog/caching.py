"""Pages keyed by the catalogue version: cached while the catalogue stays the same, never after.

Every page shows the catalogue (and its sync status banner), and the catalogue only changes when a
sync run finishes. The *catalogue version* is the id of the latest finished run: a new run gives
new cache keys and new ETags, so nothing cached before it can be served after it. Between runs,
a page is rendered once per worker and URL, and browsers revalidate it with a 304.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import wraps

from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition

from catalog.models import SyncRun

CACHE_SECONDS = 3600
_HTMX_HEADERS = ("HX-Request", "HX-History-Restore-Request", "HX-Target")


@contextlib.contextmanager
def read_snapshot() -> Iterator[None]:
    """Every query of a page reads the same state of the catalogue, even while a sync commits.

    Without it each query sees the latest commit, and a page rendered during a sync's commit
    could count one catalogue and list the other. SQLite (WAL): a deferred transaction keeps
    the snapshot of its first read; the project's atomic blocks are IMMEDIATE (write locks), so it
    is opened directly. PostgreSQL: a read-only REPEATABLE READ transaction.
    """
    if connection.in_atomic_block:  # already in a transaction (tests, nested use): keep it
        yield
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")  # nothing was written: only ends the snapshot
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    else:
        yield


def catalog_version(request: HttpRequest) -> tuple[int, datetime | None]:
    """(id, end) of the latest finished sync run, read once per request."""
    if not hasattr(request, "_catalog_version"):
        latest = (
            SyncRun.objects.exclude(status=SyncRun.Status.RUNNING)
            .order_by("-pk")
            .values_list("pk", "finished_at")
            .first()
        )
        request._catalog_version = latest or (0, None)
    return request._catalog_version


def _etag(request: HttpRequest, *args, **kwargs) -> str:
    version, _ = catalog_version(request)
    variant = "|".join(request.headers.get(name, "") for name in _HTMX_HEADERS)
    digest = hashlib.blake2b(f"{request.get_full_path()}|{variant}".encode(), digest_size=12).hexdigest()
    return f"v{version}-{digest}"


def _last_modified(request: HttpRequest, *args, **kwargs) -> datetime | None:
    return catalog_version(request)[1]


def catalog_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ETag/Last-Modified with 304 answers, and the rendered page cached under its ETag."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = f"page:{_etag(request)}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, response, CACHE_SECONDS)
        patch_vary_headers(response, _HTMX_HEADERS[:1])
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(cached_view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with read_snapshot():
            response = conditional(request, *args, **kwargs)
        if response.status_code == 304:
            patch_vary_headers(response, _HTMX_HEADERS[:1])
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return wrapper
