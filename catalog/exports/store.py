"""Exports (CSV, DCAT-AP, sitemaps, Atom feeds) built once per catalogue version and served from files.

An export only changes when a sync run finishes, yet costs up to seconds of queries at 60,000 datasets.
Each one is written once per *catalogue version* (catalog.caching.catalog_version), site root and
normalised parameters, to a file under ``EXPORT_CACHE_DIR``, then served from that file (no query, a
sendfile-friendly stream, nothing held in a worker's memory) with an ETag and a Last-Modified that
answer 304.

Who builds: the export builder (catalog.exports.builder), a process of its own started beside gunicorn
at the lowest CPU priority. A request for an export not built yet writes a job to the builder's queue
(one file per export, so the same export asked a thousand times is one job) and waits for the file; a
web worker never builds while the builder runs, so a flood of exports never takes the CPU or the
workers that serve the pages from the people browsing them. Without a builder (tests, ``runserver``,
``EXPORT_BUILDER=0`` and no builder started elsewhere), a request builds the export itself, at most
``EXPORT_CONCURRENCY`` at once on the host (slot files tried without blocking) and one build per key
(a file lock per key, one of 256 lock files chosen by the key's digest).

A waiting request holds a gunicorn worker: at most ``EXPORT_WAITERS`` requests on the host wait, each
for at most ``EXPORT_WAIT_SECONDS``, and with a builder only the request that queued a job into an empty
queue waits (the first visitor of a quiet site gets the export; under a flood nobody waits behind other
builds); the others, and those whose wait runs out, get a 503 with ``Retry-After`` at once. Serving a
built export needs no slot and no wait. The queue holds at most ``EXPORT_QUEUE_MAX`` jobs; past it, a
request for another export gets the 503 without a job.

Files are written to a temporary name and renamed, so a reader never sees half a file. After each
build the files of older versions go, then the oldest files while there are more than
``EXPORT_CACHE_MAX_FILES`` of them or more than ``EXPORT_CACHE_MAX_MB`` in all. A file removed while
it is served keeps being served: the reader holds it open.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from catalog import links
from catalog.caching import catalog_version, read_snapshot
from catalog.exports import gate

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
BUSY_MESSAGE = "Trop d’exports sont en préparation en ce moment. Réessayez dans quelques secondes.\n"
QUEUED_MESSAGE = "Cet export est en préparation. Réessayez dans quelques secondes.\n"
QUEUE = "queue"
BUILDER_LOCK = "builder.lock"
# Set by the builder while it replays a request: this request builds, instead of queueing a job.
building_here: ContextVar[bool] = ContextVar("building_here", default=False)
_POLL_SECONDS = 0.05
_BUILDER_WAIT_SECONDS = 120  # the builder waits its turn: it serves no one while it waits
_TEMPORARY_MAX_AGE_SECONDS = 3600  # a temporary file this old was left by a killed worker
# A waiting request gives up when the builder has not taken its job by then: a builder that busy (or starved of
# CPU at its low priority by the traffic) would keep a gunicorn worker waiting for nothing.
_PICKUP_SECONDS = 0.5


def machine_busy() -> bool:
    """Whether the runnable processes outnumber the cores (1-minute load average): then the builder, at the lowest
    priority, gets little CPU and a request that waited for its file would hold a worker for nothing."""
    try:
        return os.getloadavg()[0] >= (os.cpu_count() or 1)
    except OSError:
        return False


class ExportBusy(Exception):
    """No build slot (or the same build elsewhere) became free in time."""


@dataclass(frozen=True)
class Export:
    """One export: what it is (``kind``, normalised ``key``), how to write it, how to serve it."""

    kind: str  # "csv", "dcat-jsonld", "sitemap", "feed-category"...: part of the file name
    key: str  # the normalised parameters; never a raw query string
    content_type: str
    build: Callable[[TextIO], None]  # writes the whole document (runs inside the request's snapshot)
    # Runs before a build only, in the same snapshot: an error answer (or raises Http404), else None.
    check: Callable[[], HttpResponse | None] = lambda: None
    filename: str = ""  # served as an attachment under this name
    extension: str = "txt"
    # The query parameters the view reads for this export: the others never change it (catalog.exports.gate).
    params: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    """Where one export of one catalogue version lives, and its validators."""

    path: Path
    etag: str
    last_modified: float | None
    digest: str


def export_view(view: Callable) -> Callable:
    """Marks a view that answers with ``serve``: the only views the builder replays."""
    view.export_view = True
    return view


def cache_dir() -> Path:
    return Path(settings.EXPORT_CACHE_DIR)


def _entry(request: HttpRequest, export: Export) -> Entry:
    version, finished = catalog_version(request)
    stamp = f"{finished.timestamp():.6f}" if finished else "-"
    universe = settings.UNIVERSE.fingerprint
    identity = f"{version}|{stamp}|{universe}|{links.site_root(request)}|{export.kind}|{export.key}"
    digest = hashlib.blake2b(identity.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    # The end of the run is in the folder's name too: a database rebuilt from scratch reuses run ids.
    folder = cache_dir() / f"v{version}-{int(finished.timestamp() * 1e6) if finished else 0}"
    return Entry(
        path=folder / f"{export.kind}-{digest}.{export.extension}",
        etag=quote_etag(f"v{version}-{digest[:24]}"),
        last_modified=finished.timestamp() if finished else None,
        digest=digest,
    )


def serve(request: HttpRequest, export: Export) -> HttpResponse:
    """The export from its file, built first if this catalogue version does not have it yet."""
    with read_snapshot():  # the version read here is the catalogue the build reads
        entry = _entry(request, export)
        last_modified = int(entry.last_modified) if entry.last_modified is not None else None
        not_modified = get_conditional_response(request, etag=entry.etag, last_modified=last_modified)
        if not_modified is not None:
            return _validators(not_modified, entry)
        handle, wait = _open(entry.path), 0.0
        if handle is None:
            queueing = not building_here.get() and builder_running()
            if queueing and _job(entry).exists():
                # Checked when it was queued: a flood of the same export costs no query.
                return _queued(request, export, entry)
            refusal = export.check()
            if refusal is not None:
                return refusal
            try:
                if queueing:
                    wait = _queue(request, entry)
                else:
                    handle = _build_here(entry, export)
            except ExportBusy:
                return busy(request)
    if handle is None:  # the builder has the job: wait for its file, out of the snapshot
        handle = _await(entry.path, wait, _job(entry))
        if handle is None:
            return _queued(request, export, entry)
    response = FileResponse(handle, content_type=export.content_type)
    if export.filename:
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    else:
        del response["Content-Disposition"]  # FileResponse would name the cache file
    return _validators(response, entry)


def _build_here(entry: Entry, export: Export) -> BinaryIO:
    """The export built by this process: the builder, or a web worker when no builder runs."""
    if building_here.get():
        return build(entry, export.build, wait=_BUILDER_WAIT_SECONDS)
    try:
        return build(entry, export.build)  # a free slot at once: no wait
    except ExportBusy:
        with _slot("waiters", settings.EXPORT_WAITERS, wait=0):
            return build(entry, export.build, wait=settings.EXPORT_WAIT_SECONDS)


def _queue(request: HttpRequest, entry: Entry) -> float:
    """The builder's job for this export; how long this request may wait for the file.

    Only the request that queued the job waits, and only when nothing else is queued and the machine is not
    busy: on a quiet site the first visitor gets the export, under a flood nobody waits behind other builds.
    """
    queued = enqueue(request, entry)
    if queued is None:
        raise ExportBusy("the builder's queue is full")
    return settings.EXPORT_WAIT_SECONDS if queued == 1 and not machine_busy() else 0.0


def _await(path: Path, wait: float, job: Path) -> BinaryIO | None:
    """The file the builder writes, if it comes within ``wait`` (and a waiter's slot is free), and if the builder
    takes the ``job`` within ``_PICKUP_SECONDS``."""
    if wait <= 0:
        return _open(path)
    try:
        with _slot("waiters", settings.EXPORT_WAITERS, wait=0):
            started = time.monotonic()
            while (handle := _open(path)) is None and time.monotonic() < started + wait:
                if time.monotonic() > started + _PICKUP_SECONDS and job.exists():
                    return _open(path)  # not taken: the builder is busy with others, or has no CPU to spare
                time.sleep(_POLL_SECONDS)
            return handle
    except ExportBusy:
        return _open(path)


def builder_running() -> bool:
    """Whether a builder holds its lock on this host (catalog.exports.builder)."""
    return lock_held(cache_dir() / BUILDER_LOCK)


def lock_held(path: Path) -> bool:
    """Whether some process holds an exclusive flock on ``path``."""
    try:
        with open(path, "rb") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False
    except FileNotFoundError:
        return False


def enqueue(request: HttpRequest, entry: Entry) -> int | None:
    """A job for the builder: the request to replay. One file per export: asking again adds nothing.

    The number of jobs queued once this one is added, 0 if it was there already, None if the queue is full.
    """
    job = _job(entry)
    folder = job.parent
    if job.exists():
        return 0
    try:
        queued = sum(1 for name in os.listdir(folder) if name.endswith(".json"))
    except FileNotFoundError:
        queued = 0
    if queued >= settings.EXPORT_QUEUE_MAX:
        return None
    write_job(folder, job.name, {
        "path": request.path_info,
        "query": request.META.get("QUERY_STRING", ""),
        "root": links.site_root(request),
    })  # fmt: skip
    return queued + 1


def _job(entry: Entry) -> Path:
    return cache_dir() / QUEUE / f"{entry.digest}.json"


def write_job(folder: Path, name: str, job: dict[str, str]) -> None:
    """Written aside, then renamed: the builder never reads half a job."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False, encoding="utf-8")  # noqa: SIM115
    with handle:
        json.dump(job, handle)
    os.replace(handle.name, folder / name)


def busy(request: HttpRequest, message: str = BUSY_MESSAGE) -> HttpResponse:
    """503 + Retry-After: load shedding, which the error log does not report one request at a time."""
    request.META[gate.SHED] = True
    response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    return response


def _queued(request: HttpRequest, export: Export, entry: Entry) -> HttpResponse:
    """« En préparation »: the builder has this export's job. The gate replays this answer while it does."""
    request.META[gate.QUEUED_JOB] = str(_job(entry))
    request.META[gate.QUEUED_PARAMS] = export.params
    request.META[gate.BUILDER_LOCK_PATH] = str(cache_dir() / BUILDER_LOCK)
    return busy(request, QUEUED_MESSAGE)


def _validators(response: HttpResponse, entry: Entry) -> HttpResponse:
    response["ETag"] = entry.etag
    if entry.last_modified is not None:
        response["Last-Modified"] = http_date(entry.last_modified)
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


def _open(path: Path) -> BinaryIO | None:
    try:
        return open(path, "rb")  # noqa: SIM115 (the response closes it)
    except FileNotFoundError:
        return None


def build(entry: Entry, write: Callable[[TextIO], None], *, wait: float = 0) -> BinaryIO:
    """The export's file, open for reading: built here, or by whoever held its lock before us.

    Waits at most ``wait`` seconds for the same export built elsewhere, then for a build slot.
    """
    root = cache_dir()
    with _locked(root / "locks" / f"{entry.digest[:2]}.lock", wait=wait):
        handle = _open(entry.path)
        if handle is not None:  # built while we waited
            return handle
        with _slot("slots", settings.EXPORT_CONCURRENCY, wait=wait):
            handle = _write(entry.path, write, root / "tmp")
    _prune(entry.path.parent)
    return handle


def _write(path: Path, write: Callable[[TextIO], None], temporary_dir: Path) -> BinaryIO:
    temporary_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    handle = tempfile.NamedTemporaryFile(dir=temporary_dir, prefix=f"{path.stem}-", delete=False)  # noqa: SIM115
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    try:
        write(text)
        text.flush()
    except BaseException:
        text.close()
        os.unlink(handle.name)
        raise
    text.detach()
    handle.seek(0)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(handle.name, path)
    except FileNotFoundError:
        # The version's folder went since the line above: a newer catalogue is out. Serve this, keep nothing.
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
    logger.info("export %s built in %.2f s", path.name, time.monotonic() - started)
    return handle


@contextlib.contextmanager
def _locked(path: Path, *, wait: float) -> Iterator[None]:
    """An exclusive flock on ``path``, waited for at most ``wait`` seconds (then ExportBusy)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    with open(path, "a+b") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ExportBusy(path.name) from None
                time.sleep(_POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _slot(kind: str, count: int, *, wait: float) -> Iterator[None]:
    """One of the host's ``count`` slots of a kind (build, wait), waited for at most ``wait`` seconds."""
    folder = cache_dir() / kind
    folder.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        for number in range(count):
            handle = open(folder / f"{number}.lock", "a+b")  # noqa: SIM115
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise ExportBusy(f"every {kind} slot is taken")
        time.sleep(_POLL_SECONDS)


def _version_of(folder: Path) -> int:
    try:
        return int(folder.name[1:].split("-", 1)[0])
    except ValueError:
        return -1


def _prune(current: Path) -> None:
    """Older versions' files out, then the oldest files beyond the caps."""
    root = current.parent
    files: list[tuple[float, int, Path]] = []
    for folder in root.iterdir():
        if folder.name in ("tmp", QUEUE):
            for leftover in folder.iterdir():
                with contextlib.suppress(OSError):
                    if time.time() - leftover.stat().st_mtime > _TEMPORARY_MAX_AGE_SECONDS:
                        leftover.unlink()
            continue
        if not folder.name.startswith("v") or not folder.is_dir():
            continue
        # A newer version's folder stays: a request still on the old snapshot must not remove it.
        if folder != current and _version_of(folder) <= _version_of(current):
            shutil.rmtree(folder, ignore_errors=True)
            continue
        for path in folder.iterdir():
            with contextlib.suppress(FileNotFoundError):
                stat = path.stat()
                files.append((stat.st_mtime, stat.st_size, path))
    files.sort()
    total = sum(size for _, size, _ in files)
    max_bytes = settings.EXPORT_CACHE_MAX_MB * 1024 * 1024
    while files and (len(files) > settings.EXPORT_CACHE_MAX_FILES or total > max_bytes):
        _, size, path = files.pop(0)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        total -= size
