"""Pages keyed by the catalogue version: cached while the catalogue stays the same, never after.

Every page shows the catalogue (and its sync status banner), and the catalogue only changes when a
sync run finishes. The *catalogue version* is the id of the latest finished run: a new run gives
new cache keys and new ETags, so nothing cached before it can be served after it. Between runs,
a page is rendered once per cache (per process, or once for all instances with Redis) and key, and
browsers revalidate it with a 304.

A key holds only what changes the page, each in a fixed form: the parameters its view understands,
normalised by catalog.forms (never the raw query string), the rendering variant (whole page or htmx
fragment, never a header's value), the site's root (links.site_root), the release and the catalogue
version. Junk parameters and headers thus add no entry, and ``?junk=1`` shares the clean URL's ETag.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition

from catalog import links, snapshot
from catalog.models import SyncRun

logger = logging.getLogger(__name__)

CACHE_SECONDS = 3600
# After a cache error (Redis down or not answering), pages skip the cache for this long: one slow
# call per process and period, not one per request, and one warning in the log.
CACHE_RETRY_SECONDS = 10.0
PAGE, FRAGMENT = "page", "fragment"
# The request headers a catalogue page's answer depends on (plus Host when SITE_URL is empty).
VARY = ("HX-Request", "HX-History-Restore-Request")

ParamsOf = Callable[[HttpRequest], Mapping[str, str]]


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
        request._catalog_version = _latest_run()
    return request._catalog_version


def _latest_run() -> tuple[int, datetime | None]:
    sql, params = _latest_run_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return 0, None
    field = SyncRun._meta.get_field("finished_at")
    column = field.get_col(SyncRun._meta.db_table)
    finished = row[1]
    for converter in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
        finished = converter(finished, column, connection)
    return row[0], finished


@functools.cache
def _latest_run_sql(vendor: str) -> tuple[str, tuple]:
    """The query of ``catalog_version``, built once per database engine: building it through the ORM at each
    request was a third of the time a page served from the cache takes."""
    latest = SyncRun.objects.exclude(status=SyncRun.Status.RUNNING).order_by("-pk").values_list("pk", "finished_at")
    return latest[:1].query.sql_with_params()


def variant(request: HttpRequest) -> str:
    """How a page is rendered: the ``#results`` fragment for an htmx swap, else the whole page.

    A history restore (htmx asking again for a page it no longer has) gets the whole page, the same
    as a plain visit. Only these fixed values reach a key, never a header's value.
    """
    htmx = getattr(request, "htmx", None)
    return FRAGMENT if htmx and not htmx.history_restore_request else PAGE


def vary_headers() -> tuple[str, ...]:
    """Headers to name in ``Vary``: the htmx ones choose page or fragment; without ``SITE_URL``, the
    canonical links come from the Host. A shared cache keys on the whole URL, host included, but a
    proxy cache may not (nginx's default ``proxy_cache_key`` has the upstream's name, not the Host)."""
    return VARY if settings.SITE_URL else (*VARY, "Host")


_RENDERING_SUFFIXES = {".py", ".html", ".xml", ".txt", ".css", ".js", ".svg"}


@functools.cache
def release() -> str:
    """A fingerprint of what renders the pages: code, templates, static files, pinned packages.

    In a key, it keeps instances of two releases that share a cache (during a rolling deploy) from
    serving each other's pages, which could name static files the other release does not have.
    """
    base = settings.BASE_DIR
    files = [base / "requirements.txt"] + sorted(
        path
        for folder in ("catalog", "pages", "culture_portal", "templates", "static")
        for path in (base / folder).rglob("*")
        if path.suffix in _RENDERING_SUFFIXES and path.is_file()
    )
    digest = hashlib.blake2b(digest_size=6)
    for path in files:
        digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def no_params(request: HttpRequest) -> Mapping[str, str]:
    """For pages that read nothing from their query string."""
    return {}


def do_not_store(request: HttpRequest) -> None:
    """Render this answer without keeping it: it is not what its key says (a page past the last one)."""
    request._page_not_stored = True


def page_key(request: HttpRequest, params_of: ParamsOf | None = None) -> str:
    """``v<catalogue version>-<digest>``: the page's cache key and ETag, computed once per request.

    ``params_of`` gives the parameters the view reads, normalised. Without it the view is taken to
    read its whole query string, which then goes into the key as it came, in sorted order.
    """
    if not hasattr(request, "_page_key"):
        version, _ = catalog_version(request)
        params = sorted(request.GET.lists()) if params_of is None else sorted(params_of(request).items())
        identity = [release(), settings.UNIVERSE.fingerprint, links.site_root(request), request.path, params,
                    variant(request)]  # fmt: skip
        digest = hashlib.blake2b(json.dumps(identity).encode(), digest_size=16).hexdigest()
        request._page_key = f"v{version}-{digest}"
    return request._page_key


_cache_down_until = 0.0


def _cache_call(operation: Callable, *args):
    """A call to the cache, or None when the cache fails: a page cache that is down costs time, never a page."""
    global _cache_down_until
    if time.monotonic() < _cache_down_until:
        return None
    try:
        return operation(*args)
    except Exception as exc:  # any backend error (connection refused, timeout, bad data): render uncached
        _cache_down_until = time.monotonic() + CACHE_RETRY_SECONDS
        logger.warning(
            "page cache unavailable (%s: %s): pages are rendered without it for %.0f s",
            type(exc).__name__, exc, CACHE_RETRY_SECONDS,
        )  # fmt: skip
        return None


def _last_modified(request: HttpRequest, *args, **kwargs) -> datetime | None:
    return catalog_version(request)[1]


def _headers(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, vary_headers())
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


def catalog_page(view: Callable[..., HttpResponse] | None = None, *, params: ParamsOf | None = None):
    """ETag/Last-Modified with 304 answers, and the rendered page cached under its ETag.

    ``@catalog_page(params=forms.dataset_list_params)``: the view's query parameters, normalised,
    are all of the query string that reaches the key (``no_params`` for a view reading none). A bare
    ``@catalog_page`` keys on the whole query string, for ETags, and then stores only the answers
    to URLs without one, so that no visitor can fill the cache with made-up parameters.
    """
    if view is None:
        return functools.partial(catalog_page, params=params)

    def etag(request: HttpRequest, *args, **kwargs) -> str:
        return page_key(request, params)

    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = f"page:{page_key(request, params)}"
        response = _cache_call(cache.get, key)
        if response is None:
            response = view(request, *args, **kwargs)
            storable = (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not getattr(request, "_page_not_stored", False)
                and (params is not None or not request.GET)
            )
            if storable:
                _cache_call(cache.set, key, response, CACHE_SECONDS)
        return _headers(response)

    conditional = condition(etag_func=etag, last_modified_func=_last_modified)(cached_view)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with read_snapshot(), snapshot.reading():
            response = conditional(request, *args, **kwargs)
        if response.status_code == 304:
            _headers(response)
        return response

    return wrapper
