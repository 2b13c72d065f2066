"""The answer to an export already in the builder's queue, given before Django handles the request.

Under a flood of export requests (a harvester looping on the DCAT pages, a scraper on the CSV), the
builder takes the jobs one at a time and every other request for a queued export gets the same 503
« en préparation ». Through Django that answer costs as much CPU as a cached page (middlewares, the
view's form, the catalogue version query; measured at 10,000 datasets: 3.1 ms of worker CPU against
0.5 ms through the gate): the flood then takes the CPU the people browsing need.

This WSGI wrapper remembers, per worker, the 503 Django gave for a queued export (catalog.exports.store
marks it in the request's environ) and replays it, byte for byte, to the next requests for the same
export while its job is still queued and the builder still runs: two ``stat``-sized checks instead of
a request through Django. Anything else goes to Django untouched.

"The same export" is the same path, the same site root (the Host and forwarding headers) and the same
values of the parameters the view reads (given by the view, in the order sent): junk parameters do
not make a new entry, and a request the gate does not know goes to Django, which records it. Requests
with validators (If-None-Match, If-Modified-Since) always go to Django: they may deserve a 304.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

# Set in the request's environ by catalog.exports.store when it answers « en préparation » for a queued job.
QUEUED_JOB = "culture.export_job"  # the job file's path
QUEUED_PARAMS = "culture.export_params"  # the names of the query parameters the view reads
BUILDER_LOCK_PATH = "culture.export_builder_lock"  # the lock the builder holds while it runs
SHED = "culture.export_shed"  # any 503 of load shedding (catalog.exports.store.busy)
MAX_ENTRIES = 256  # per worker: a few kilobytes each, however many URLs a flood invents
MAX_QUERY_LENGTH = 4096  # longer query strings go to Django (its own limits answer them)
# What, besides the path and the parameters read, decides an export's content: the site's root.
_ROOT_KEYS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "HTTP_X_FORWARDED_HOST",
              "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_PORT", "SCRIPT_NAME")  # fmt: skip
_VALIDATORS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")

StartResponse = Callable[..., Any]
Application = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class _Queued:
    job: str
    builder_lock: str
    status: str
    headers: list[tuple[str, str]]
    body: bytes


def relevant_query(query_string: str, names: Iterable[str]) -> str:
    """The parts of ``query_string`` whose name is in ``names``, raw and in the order sent."""
    wanted = set(names)
    return "&".join(part for part in query_string.split("&") if part and unquote_plus(part.split("=", 1)[0]) in wanted)


class QueuedExportGate:
    """WSGI middleware: a queued export's 503 replayed without Django (see the module's docstring)."""

    def __init__(self, application: Application, *, is_locked: Callable[[str], bool] | None = None) -> None:
        from catalog.exports.store import lock_held  # after Django's set-up: the wrapper is built with it

        self.application = application
        self.is_locked = is_locked or lock_held
        self._params: dict[str, tuple[str, ...]] = {}  # per path: the parameter names its export reads
        self._queued: OrderedDict[tuple, _Queued] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers share one gate between threads

    def __call__(self, wsgi_env: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        key = self._key(wsgi_env)
        if key is not None:
            answer = self._replay(key)
            if answer is not None:
                start_response(answer.status, list(answer.headers))
                return [] if wsgi_env.get("REQUEST_METHOD") == "HEAD" else [answer.body]
        return self._through_django(wsgi_env, start_response)

    def _key(self, wsgi_env: dict[str, Any]) -> tuple | None:
        if wsgi_env.get("REQUEST_METHOD") not in ("GET", "HEAD") or any(wsgi_env.get(name) for name in _VALIDATORS):
            return None
        path = wsgi_env.get("PATH_INFO", "")
        names = self._params.get(path)
        query = wsgi_env.get("QUERY_STRING", "")
        if names is None or len(query) > MAX_QUERY_LENGTH:
            return None
        return (path, relevant_query(query, names), *(wsgi_env.get(name, "") for name in _ROOT_KEYS))

    def _replay(self, key: tuple) -> _Queued | None:
        with self._lock:
            answer = self._queued.get(key)
        if answer is None:
            return None
        # Still queued, and someone to build it: else Django decides (it may build the export itself).
        if answer.builder_lock and os.path.exists(answer.job) and self.is_locked(answer.builder_lock):
            return answer
        with self._lock:
            self._queued.pop(key, None)
        return None

    def _through_django(self, wsgi_env: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        body = self.application(wsgi_env, remember)
        job = wsgi_env.get(QUEUED_JOB)
        if not job or not str(seen.get("status", "")).startswith("503"):
            return body
        try:
            content = b"".join(body)  # a few dozen bytes of text
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        headers = [(name, value) for name, value in seen["headers"] if name.lower() != "set-cookie"]
        if len(headers) == len(seen["headers"]):  # an answer with a cookie is never replayed
            self._remember(wsgi_env, job, seen["status"], headers, content)
        return [content]

    def _remember(self, wsgi_env: dict[str, Any], job: str, status: str, headers: list, body: bytes) -> None:
        path = wsgi_env.get("PATH_INFO", "")
        with self._lock:
            if path not in self._params and len(self._params) >= MAX_ENTRIES:
                return  # a flood of distinct paths (unknown section names…) adds nothing
            self._params[path] = tuple(wsgi_env.get(QUEUED_PARAMS, ()))
        key = self._key(wsgi_env)
        if key is None:
            return
        answer = _Queued(job, str(wsgi_env.get(BUILDER_LOCK_PATH, "")), status, headers, body)
        with self._lock:
            self._queued[key] = answer
            self._queued.move_to_end(key)
            while len(self._queued) > MAX_ENTRIES:
                self._queued.popitem(last=False)


class ShedFilter(logging.Filter):
    """Keeps Django's « Service Unavailable » error line out of the log for load shedding (a 503 with
    Retry-After by design): under a flood it would be one error line per request. The access log still
    has each of them."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        return not (getattr(record, "status_code", None) == 503 and getattr(request, "META", {}).get(SHED))
