"""The export builder: the one process of a host that builds exports, at the lowest CPU priority.

A web request for an export not built yet leaves a job in ``EXPORT_CACHE_DIR/queue`` (catalog.exports.store):
the path, the query string and the site root of the request. The builder takes the jobs oldest first
and replays each request through the same view, which builds the file instead of queueing it again;
the web worker that waits, or the next request, serves it. Built at ``nice 19``, an export only takes
CPU the pages leave.

When a new catalogue comes out, the builder builds again what was asked of the previous one (the
``HOT_MAX`` exports asked last, in the order they were asked), and with ``SITE_URL`` set, the exports
everyone asks for: the sitemaps, the main feed, the whole CSV and the first DCAT page in both formats.

gunicorn starts it (culture_portal.gunicorn_conf, unless ``EXPORT_BUILDER=0``) and it stops with
gunicorn; ``manage.py build_exports`` runs one by hand, for instance in a container of its own. It holds
``EXPORT_CACHE_DIR/builder.lock`` while it runs: that is how web workers know it is there, and why a
second builder on the host stops at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import logging
import math
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections, connections
from django.http import Http404
from django.urls import Resolver404, resolve

from catalog import links
from catalog.exports import store

logger = logging.getLogger(__name__)

HOT_MAX = 200  # exports remembered to build again for the next catalogue
VERSION_CHECK_SECONDS = 2.0


def _recycle_connections() -> None:
    """Drop connections past their age or broken, as Django does around a request; never one inside a
    transaction (the builder's own steps run in none; a caller's, such as a test's, is left alone)."""
    if not any(connection.in_atomic_block for connection in connections.all(initialized_only=True)):
        close_old_connections()


class BuilderRunning(Exception):
    """Another builder holds the lock on this host."""


@contextlib.contextmanager
def builder_lock() -> Iterator[None]:
    path = store.cache_dir() / store.BUILDER_LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuilderRunning(str(path)) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def queue_dir() -> Path:
    return store.cache_dir() / store.QUEUE


def pending() -> list[Path]:
    """The queued jobs, oldest first."""
    folder = queue_dir()
    jobs = []
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            if entry.name.endswith(".json"):
                with contextlib.suppress(FileNotFoundError):
                    jobs.append((entry.stat().st_mtime, entry.path))
    return [Path(path) for _, path in sorted(jobs)]


def take(path: Path) -> dict[str, str] | None:
    """A job read and removed from the queue; None if it is gone or not a job."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    try:
        job = json.loads(text)
    except ValueError:
        return None
    if not isinstance(job, dict) or not all(isinstance(job.get(key), str) for key in ("path", "query", "root")):
        return None
    return job


def request_for(job: dict[str, str]) -> WSGIRequest:
    """The GET request a job describes, as a WSGI server would have handed it to Django."""
    root = urlsplit(job["root"])
    port = root.port or (443 if root.scheme == "https" else 80)
    return WSGIRequest({
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": job["path"].encode("utf-8").decode("latin-1"),  # WSGI strings are bytes as latin-1
        "QUERY_STRING": job["query"],
        "HTTP_HOST": root.netloc,
        "SERVER_NAME": root.hostname or "localhost",
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": root.scheme or "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    })  # fmt: skip


def replay(job: dict[str, str]) -> int | None:
    """Build the export a job asks for, through its view; the status the view answered (None: not an export)."""
    request = request_for(job)
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if getattr(match.func, "export_view", False) is not True:
        return None  # only export views are replayed, whatever a job says
    token = store.building_here.set(True)
    started = time.monotonic()
    try:
        response = match.func(request, *match.args, **match.kwargs)
        # The file is written; close it, not the response: that would signal the end of a request, and
        # Django would close the database connections then, a caller's transaction included.
        stream = getattr(response, "file_to_stream", None)
        if stream is not None:
            stream.close()
    except Http404:
        return 404
    except DisallowedHost:
        logger.warning("export job for a host not allowed any more: %s", job["root"])
        return 400
    finally:
        store.building_here.reset(token)
    logger.info("export_job path=%s status=%s seconds=%.2f", job["path"], response.status_code,
                time.monotonic() - started)  # fmt: skip
    return response.status_code


def common_jobs(root: str) -> list[dict[str, str]]:
    """The exports everyone asks for, to have ready when a catalogue comes out."""
    from catalog.exports.sitemaps import DatasetSitemap

    sitemap_pages = max(1, math.ceil(DatasetSitemap().paginator.count / DatasetSitemap.limit))
    paths = ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-organizations.xml"]
    paths += ["/sitemap-datasets.xml" + (f"?p={page}" if page > 1 else "") for page in range(1, sitemap_pages + 1)]
    paths += ["/feeds/datasets.atom", "/datasets.csv", "/catalogue.jsonld", "/catalogue.ttl"]  # DCAT: page 1
    for section in settings.UNIVERSE.sections[1:]:  # the other sections' own (/observer/feed.atom…)
        paths += [links.section_url(section, page) for page in links.SECTION_PAGES if page != "dataset_list"]
    return [{"path": path.partition("?")[0], "query": path.partition("?")[2], "root": root} for path in paths]


def _catalogue_version() -> int:
    from catalog.models import SyncRun

    latest = SyncRun.objects.exclude(status=SyncRun.Status.RUNNING).order_by("-pk").values_list("pk", flat=True)
    return latest.first() or 0


class Builder:
    """The loop: jobs first, then, when idle, a look at the catalogue's version."""

    def __init__(self) -> None:
        self.hot: OrderedDict[tuple[str, str, str], dict[str, str]] = OrderedDict()
        self.version: int | None = None
        self.checked = 0.0

    def step(self) -> bool:
        """Build one queued export, or queue the next catalogue's exports; whether there was work."""
        jobs = pending()
        if jobs:
            job = take(jobs[0])
            if job is not None:
                self.build(job)
            return True
        now = time.monotonic()
        if now - self.checked < VERSION_CHECK_SECONDS:
            return False
        self.checked = now
        _recycle_connections()
        version = _catalogue_version()
        if version != self.version:
            first = self.version is None
            self.version = version
            if version:
                return self.queue_again(first=first)
        return False

    def build(self, job: dict[str, str]) -> None:
        _recycle_connections()
        try:
            status = replay(job)
        except Exception:
            logger.exception("export job failed: %s?%s", job["path"], job["query"])
            return
        finally:
            _recycle_connections()
        if status == 200:
            key = (job["root"], job["path"], job["query"])
            self.hot[key] = job
            self.hot.move_to_end(key)
            while len(self.hot) > HOT_MAX:
                self.hot.popitem(last=False)

    def queue_again(self, *, first: bool) -> bool:
        """The exports to have ready for a new catalogue: the common ones, then those asked last time."""
        jobs = common_jobs(settings.SITE_URL) if settings.SITE_URL else []
        if not first:
            jobs += reversed(self.hot.values())  # the latest asked first
        folder = queue_dir()
        folder.mkdir(parents=True, exist_ok=True)
        for number, job in enumerate(jobs[: settings.EXPORT_QUEUE_MAX]):
            store.write_job(folder, f"next-{number:05d}.json", job)
            time.sleep(0.001)  # distinct modification times keep the order
        return bool(jobs)


def run(*, stop: Callable[[], bool] = lambda: False, idle_seconds: float = 0.2) -> None:
    """Build until ``stop()`` says so; raises BuilderRunning if another builder has the host."""
    with builder_lock():
        builder = Builder()
        logger.info("export builder started (pid %s)", os.getpid())
        while not stop():
            if not builder.step():
                time.sleep(idle_seconds)
