"""The one fake data.gouv.fr: a stand-in of its read API for the tests, the benchmark and manual runs.

A real HTTP server (stdlib only) on 127.0.0.1 that answers the read calls our sync makes, with the
behaviours documented in /work/shared/datagouv-api/README.md: udata pagination envelope and its 404
past the last page, the ``topic=`` pitfall (a well-formed id that matches no topic is *ignored*),
archived datasets hidden from lists but served by id, 308 on an old slug and on a path without its
trailing slash, private topics, ``X-Fields`` masks, ``X-Get-Datasets-Full-Objects``. Faults can be
injected per path prefix, every request is logged, and it can serve several topics (a dataset may
be an element of more than one; ``?topic=`` filters on any of them).

What it serves is a *source*: a :class:`tests.fakes.memory.MemoryCatalogue` of payloads the tests
build and change (``tests.fakes.payloads``), or the lazy :class:`tests.fakes.synthetic.Catalogue` of
up to tens of thousands of datasets the benchmark syncs (``bench/``, which imports this package).

    with StandinAPI(datasets=[...], organizations=[...], licenses=[...]) as api:
        httpx.get(f"{api.url}/api/1/datasets/", params={"topic": api.topic_id})
        api.requests            # what the server received
        api.add_fault("/api/1/datasets/", status=503, times=2)

Command line (prints its URL on the first line of stdout, serves until Ctrl-C or SIGTERM)::

    python -m tests.fakes.datagouv --dump catalog/data/sample-catalog.jsonl [--port 8765] [--private-topic]
    python -m tests.fakes.datagouv --synthetic 60000 [--hostile 9] [--observer-share 0.1] [--latency-ms 100]
    python -m tests.fakes.datagouv --synthetic 2000 --theme sport    # the example universe's topic (UNIVERSE=sport)

``GET /__bench__/requests`` answers ``{"requests": n}``, the API requests served so far.
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import gzip
import json
import re
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from tests.fakes import payloads
from tests.fakes.memory import (
    DEFAULT_TOPIC_ID,
    TOPICS_KEY,
    ListingFilters,
    MemoryCatalogue,
    default_topic,
    matches_words,
    words,
)

__all__ = ["DEFAULT_TOPIC_ID", "Fault", "LoggedRequest", "MaskParseError", "MemoryCatalogue", "StandinAPI"]

BENCH_COUNTER_PATH = "/__bench__/requests"

NOT_FOUND_MESSAGE = (
    "The requested URL was not found on the server. If you entered the URL manually please check "
    "your spelling and try again."
)
VALIDATION_MESSAGE = "Input payload validation failed"
FULL_OBJECTS_HEADER = "X-Get-Datasets-Full-Objects"

_OBJECT_ID_RE = re.compile(r"[0-9a-fA-F]{24}\Z")

# udata DatasetApiParser.sorts; "created" really sorts on internal.created_at_internal.
_DATASET_SORTS = ("title", "created", "last_update", "reuses", "followers", "views")

# Small invented name table for X-Get-Datasets-Full-Objects (fallback name: the zone code).
ZONE_NAMES = {
    "country:fr": "France",
    "fr:region:11": "Île-de-France",
    "fr:region:24": "Centre-Val de Loire",
    "fr:region:27": "Bourgogne-Franche-Comté",
    "fr:region:28": "Normandie",
    "fr:region:32": "Hauts-de-France",
    "fr:region:44": "Grand Est",
    "fr:region:52": "Pays de la Loire",
    "fr:region:53": "Bretagne",
    "fr:region:75": "Nouvelle-Aquitaine",
    "fr:region:76": "Occitanie",
    "fr:region:84": "Auvergne-Rhône-Alpes",
    "fr:region:93": "Provence-Alpes-Côte d'Azur",
    "fr:region:94": "Corse",
    "fr:departement:13": "Bouches-du-Rhône",
    "fr:departement:29": "Finistère",
    "fr:departement:35": "Ille-et-Vilaine",
    "fr:departement:69": "Rhône",
    "fr:departement:75": "Paris",
    "fr:commune:13055": "Marseille",
    "fr:commune:29019": "Brest",
    "fr:commune:35238": "Rennes",
    "fr:commune:69123": "Lyon",
    "fr:commune:75056": "Paris",
}

# Granularity labels (English by default like udata, French with ?lang=fr).
GRANULARITY_LABELS = {
    "country": ("Country", "Pays"),
    "fr:region": ("French region", "Région"),
    "fr:departement": ("French county", "Département"),
    "fr:epci": ("French intermunicipal (EPCI)", "Intercommunalité (EPCI)"),
    "fr:commune": ("French town", "Commune"),
    "fr:iris": ("Iris (Insee districts)", "Iris (quartiers Insee)"),
    "poi": ("POI", "Point d'intérêt"),
    "other": ("Other", "Autre"),
}

# /api/1/datasets/frequencies/ (French labels, as with ?lang=fr, whatever the lang asked).
FREQUENCIES = [
    ("continuous", "Temps réel"),
    ("oneMinute", "Toutes les minutes"),
    ("fiveMinutes", "Toutes les cinq minutes"),
    ("tenMinutes", "Toutes les dix minutes"),
    ("fifteenMinutes", "Toutes les quinze minutes"),
    ("thirtyMinutes", "Toutes les trente minutes"),
    ("hourly", "Toutes les heures"),
    ("bihourly", "Toutes les deux heures"),
    ("trihourly", "Toutes les trois heures"),
    ("twelveHours", "Toutes les douze heures"),
    ("severalTimesADay", "Plusieurs fois par jour"),
    ("threeTimesADay", "Trois fois par jour"),
    ("semidaily", "Deux fois par jour"),
    ("daily", "Quotidienne"),
    ("fiveTimesAWeek", "Cinq fois par semaine"),
    ("threeTimesAWeek", "Trois fois par semaine"),
    ("semiweekly", "Deux fois par semaine"),
    ("weekly", "Hebdomadaire"),
    ("biweekly", "Toutes les deux semaines"),
    ("threeTimesAMonth", "Trois fois par mois"),
    ("semimonthly", "Deux fois par mois"),
    ("monthly", "Mensuelle"),
    ("bimonthly", "Tous les deux mois"),
    ("quarterly", "Trimestrielle"),
    ("threeTimesAYear", "Trois fois par an"),
    ("semiannual", "Deux fois par an"),
    ("annual", "Annuelle"),
    ("biennial", "Tous les deux ans"),
    ("triennial", "Tous les trois ans"),
    ("quadrennial", "Tous les quatre ans"),
    ("quinquennial", "Tous les cinq ans"),
    ("decennial", "Tous les dix ans"),
    ("bidecennial", "Tous les vingt ans"),
    ("tridecennial", "Tous les trente ans"),
    ("punctual", "Ponctuelle"),
    ("irregular", "Sans régularité"),
    ("never", "Jamais"),
    ("notPlanned", "Non planifié"),
    ("other", "Autre"),
    ("unknown", "Inconnu"),
]


# --------------------------------------------------------------------------------------------------
# Small public types


class Headers(dict):
    """Request headers: keys stored lower-case, lookups case-insensitive."""

    def __init__(self, items=()):
        super().__init__((k.lower(), v) for k, v in items)

    def __getitem__(self, key):
        return super().__getitem__(key.lower())

    def __contains__(self, key):
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key, default=None):
        return super().get(key.lower(), default)


class LoggedRequest(NamedTuple):
    """One request received. ``query``: name -> value, or a list of values when repeated."""

    method: str
    path: str
    query: dict[str, str | list[str]]
    headers: Headers


class Fault:
    """An injected answer; returned by :meth:`StandinAPI.add_fault`.

    ``seen`` counts the requests that matched the prefix, ``hits`` those this fault answered.
    """

    def __init__(
        self,
        path_prefix: str,
        *,
        status: int | None = 500,
        body: bytes | str | dict | list | None = None,
        content_type: str = "application/json",
        times: int | None = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        after: int = 0,
        disconnect: bool = False,
    ):
        self.path_prefix = path_prefix
        self.status = status
        self.body = body
        self.content_type = content_type
        self.times = times
        self.headers = dict(headers or {})
        self.delay = delay
        self.after = after
        self.disconnect = disconnect
        self.seen = 0
        self.hits = 0

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def matches(self, path: str, target: str) -> bool:
        # A prefix with a "?" is matched against path + query string.
        return (target if "?" in self.path_prefix else path).startswith(self.path_prefix)

    def body_bytes(self) -> bytes:
        body = self.body
        if body is None:
            if self.status is None or self.status < 400:
                return b""
            try:
                phrase = HTTPStatus(self.status).phrase
            except ValueError:
                phrase = "Error"
            body = {"message": phrase, "status": self.status}
        if isinstance(body, bytes):
            return body
        if isinstance(body, str):
            return body.encode("utf-8")
        return _json_bytes(body)

    def __repr__(self):
        return (
            f"Fault({self.path_prefix!r}, status={self.status}, times={self.times}, after={self.after}, "
            f"delay={self.delay}, seen={self.seen}, hits={self.hits})"
        )


class MaskParseError(ValueError):
    pass


class _MaskError(ValueError):
    pass


class _HTTPError(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


# --------------------------------------------------------------------------------------------------
# X-Fields masks (same grammar as flask-restx: name, name{…}, "*", commas; outer braces optional)

_MASK_LEXER = re.compile(r"\{|\}|,|[\w:\-*]+")


def parse_mask(mask: str) -> dict[str, Any]:
    """Parse an X-Fields mask into {name: True | nested dict}. Raises MaskParseError."""
    mask = mask.replace("\n", "").strip()
    if not mask:
        return {}
    if mask[0] == "{":
        if mask[-1] != "}":
            raise MaskParseError("Missing closing bracket")
        mask = mask[1:-1]
    root: dict[str, Any] = {}
    fields = root
    stack: list[dict[str, Any]] = []
    previous: str | None = None
    for token in _MASK_LEXER.findall(mask):
        if token == "{":
            if previous is None or previous in "{},":
                raise MaskParseError("Unexpected opening bracket")
            fields[previous] = {}
            stack.append(fields)
            fields = fields[previous]
        elif token == "}":
            if not stack:
                raise MaskParseError("Unexpected closing bracket")
            fields = stack.pop()
        elif token == ",":
            if previous in (",", "{", None):
                raise MaskParseError("Unexpected comma")
        else:
            fields[token] = True
        previous = token
    if stack:
        raise MaskParseError("Missing closing bracket")
    return root


def apply_mask(data: Any, mask: dict[str, Any]) -> Any:
    """Keep only the listed keys (``*`` keeps every other key); unknown names are ignored."""
    if not mask:
        return data
    if isinstance(data, list):
        return [apply_mask(item, mask) for item in data]
    if data is None:
        return None
    if not isinstance(data, dict):
        raise _MaskError("Mask is inconsistent with data")
    out = {}
    for name, sub in mask.items():
        if name == "*" or name not in data:
            continue
        out[name] = data[name] if sub is True else apply_mask(data[name], sub)
    if "*" in mask:
        for name, value in data.items():
            out.setdefault(name, value)
    return out


# --------------------------------------------------------------------------------------------------
# Helpers


def _json_bytes(body: Any) -> bytes:
    """UTF-8 JSON; a lone surrogate in a publisher's text goes out escaped, as udata sends it."""
    try:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(body, separators=(",", ":")).encode("ascii")


def _not_found() -> _HTTPError:
    return _HTTPError(404, {"message": NOT_FOUND_MESSAGE})


def _validation_error(name: str, message: str) -> _HTTPError:
    return _HTTPError(400, {"errors": {name: message}, "message": VALIDATION_MESSAGE})


_ROUTES = [
    (re.compile(r"/api/1/datasets/\Z"), "datasets_v1"),
    (re.compile(r"/api/2/datasets/\Z"), "datasets_v2"),
    (re.compile(r"/api/1/datasets/licenses/\Z"), "licenses"),
    (re.compile(r"/api/1/datasets/frequencies/\Z"), "frequencies"),
    (re.compile(r"/api/2/datasets/resources/(?P<rid>[^/]+)/\Z"), "resource_v2"),
    (re.compile(r"/api/1/datasets/(?P<ident>[^/]+)/\Z"), "dataset_v1"),
    (re.compile(r"/api/2/datasets/(?P<ident>[^/]+)/\Z"), "dataset_v2"),
    (re.compile(r"/api/2/datasets/(?P<ident>[^/]+)/resources/\Z"), "resources_v2"),
    (re.compile(r"/api/1/organizations/(?P<ident>[^/]+)/\Z"), "organization"),
    (re.compile(r"/api/2/topics/(?P<ident>[^/]+)/\Z"), "topic"),
    (re.compile(r"/api/2/topics/(?P<ident>[^/]+)/elements/\Z"), "topic_elements"),
]


def _match_route(path: str):
    for regex, name in _ROUTES:
        m = regex.match(path)
        if m:
            return name, m.groupdict()
    return None, {}


# --------------------------------------------------------------------------------------------------
# The server


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler, api: StandinAPI):
        self.api = api
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        # Client went away (timeouts in tests, faults with delay…): stay silent, keep a trace.
        if not isinstance(sys.exc_info()[1], OSError):
            self.api._record_error(traceback.format_exc())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # keep-alive + small writes: avoid 40 ms delayed-ACK stalls
    server_version = "standin-datagouv/1.0"
    sys_version = ""
    server: _Server

    def log_message(self, format, *args):
        pass  # silence the default access log on stderr

    def do_GET(self):
        self.server.api._handle(self)

    def do_HEAD(self):
        self.server.api._handle(self)

    def _not_allowed(self):
        self.server.api._handle(self)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _not_allowed

    def send_bytes(self, status: int, body: bytes, content_type: str, headers: dict[str, str]):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()


class StandinAPI:
    """A fake www.data.gouv.fr read API on 127.0.0.1 (OS-chosen port unless ``port`` is given).

    It serves a *source*: by default a :class:`~tests.fakes.memory.MemoryCatalogue` built from the
    keyword arguments (``datasets=``, ``organizations=``, ``licenses=``, ``topic=``, ``topics=``…,
    see that class), whose mutators (``add_dataset``, ``archive_dataset``, ``add_to_topic``…) are
    reachable on the server itself; or any object with the same read methods, such as the lazy
    :class:`~tests.fakes.synthetic.Catalogue` of tens of thousands of datasets the benchmark uses.
    Lists never show archived, deleted or private datasets; by id, archived ones answer 200,
    deleted 410, private 404; a former slug answers 308 to the current one.

    ``latency`` (seconds) delays every API answer, like a distant server; ``links_base`` is the
    host written in ``next_page`` and other links (default: this server); ``log_requests=False``
    keeps only the count of requests (``request_count``, also served at ``/__bench__/requests``).
    """

    def __init__(
        self,
        *,
        source: Any = None,
        page_size_default: int = 20,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        links_base: str | None = None,
        log_requests: bool = True,
        **catalogue: Any,
    ):
        if source is not None and catalogue:
            raise TypeError(f"give a source or catalogue arguments, not both: {sorted(catalogue)}")
        self.source = source if source is not None else MemoryCatalogue(**catalogue)
        self.page_size_default = page_size_default
        self.host = host
        self.port = port
        self.latency = latency
        self.log_requests = log_requests
        self.request_count = 0
        self._links_base = links_base.rstrip("/") if links_base else None

        self._lock = threading.RLock()  # the request log, the faults and the counter
        self._requests: list[LoggedRequest] = []
        self._faults: list[Fault] = []
        self._errors: list[str] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # The memory catalogue's helpers, on the server for the tests' convenience.
    _FORWARDED = frozenset(
        {"set_datasets", "add_dataset", "remove_dataset", "update_dataset", "archive_dataset", "delete_dataset",
         "add_to_topic", "remove_from_topic", "add_topic", "set_topic", "set_topic_private", "topics_of",
         "topic_dataset_ids_of", "add_organization", "remove_organization", "set_licenses", "dataset"}
    )  # fmt: skip

    def __getattr__(self, name: str) -> Any:
        if name in StandinAPI._FORWARDED:
            return getattr(self.source, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def topic_id(self) -> str:
        """The primary topic's id."""
        return self.source.topic_id

    @property
    def private_topic(self) -> bool:
        return self.source.private_topic

    @private_topic.setter
    def private_topic(self, value: bool) -> None:
        self.source.private_topic = value

    @property
    def topic_dataset_ids(self) -> list[str]:
        """Dataset ids of the primary topic's elements."""
        return [item["element"]["id"] for item in self.source.elements(self.topic_id)]

    # ---------------------------------------------------------------- construction from a dump

    @classmethod
    def from_dump(cls, path, **overrides) -> StandinAPI:
        """Build a stand-in from a dump file (docs/dump-format.md; gzip if the name ends in .gz).

        The ``end`` line is not required. Without a ``topic`` line the topic is served as private
        (404), since that is why a sync could not dump it; more ``topic`` lines are served as more
        topics. A dump of several sections (version 2) puts each dataset in the topics of the
        sections its ``dataset`` and ``member`` lines name. Keyword arguments override what the dump
        gives (``private_topic=False``, ``other_datasets=[...]``) or set the server's options
        (``port``, ``latency``…).
        """
        path = str(path)
        opener = gzip.open if path.endswith(".gz") else open
        meta = None
        topics: list[dict] = []
        licenses, organizations, datasets = [], [], []
        section_topics: dict[str, str] = {}  # version 2: section id -> topic id
        by_id: dict[str, dict] = {}
        with opener(path, "rt", encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{lineno}: invalid JSON ({exc})") from exc
                kind = obj.get("kind")
                if kind == "meta":
                    meta = obj
                    section_topics = {entry["id"]: entry["topic"] for entry in obj.get("sections") or []}
                elif kind == "topic":
                    topics.append(obj["data"])
                elif kind == "license":
                    licenses.append(obj["data"])
                elif kind == "organization":
                    organizations.append(obj["data"])
                elif kind == "dataset":
                    data = obj["data"]
                    if section_topics:
                        data = {**data, TOPICS_KEY: [section_topics[obj["section"]]]}
                        by_id[data["id"]] = data
                    datasets.append(data)
                elif kind == "member" and section_topics:
                    by_id[obj["id"]][TOPICS_KEY].append(section_topics[obj["section"]])
                # "end" and kinds added later are ignored.
        if meta is None or meta.get("format") != "culture-portal-dump":
            raise ValueError(f"{path}: not a culture-portal dump (missing or wrong 'meta' line)")
        topic = topics[0] if topics else None
        topic_id = meta.get("topic") or (topic or {}).get("id") or DEFAULT_TOPIC_ID
        if topic is not None and topic.get("id") != topic_id:
            raise ValueError(f"{path}: meta topic {topic_id!r} differs from the topic line's id")
        served = {item["id"] for item in topics}
        # A section whose topic the sync could not read (private): served under a default payload.
        extra = [default_topic(tid) for tid in section_topics.values() if tid not in served and tid != topic_id]
        kwargs: dict[str, Any] = {
            "datasets": datasets,
            "organizations": organizations,
            "licenses": licenses,
            "topic": topic,
            "topic_id": topic_id,
            "topics": topics[1:] + extra,
            "private_topic": topic is None,
        }
        kwargs.update(overrides)
        if overrides.get("topic") is not None and "topic_id" not in overrides:
            kwargs["topic_id"] = None  # take the id of the topic given
        return cls(**kwargs)

    # ---------------------------------------------------------------- life cycle

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("StandinAPI is not started")
        return f"http://{self.host}:{self._server.server_address[1]}"

    @property
    def links_base(self) -> str:
        return self._links_base or self.url

    def start(self) -> StandinAPI:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server((self.host, self.port), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"standin-api-{self._server.server_address[1]}",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()  # wakes requests sleeping in a fault delay
        server.shutdown()
        with server.connections_lock:
            connections = list(server.connections)
        for conn in connections:  # idle keep-alive connections: unblock their handler threads
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> StandinAPI:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # ---------------------------------------------------------------- request log

    @property
    def requests(self) -> list[LoggedRequest]:
        """A snapshot of every request received, oldest first: (method, path, query, headers)."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, path_prefix: str) -> list[LoggedRequest]:
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    def reset_log(self) -> None:
        with self._lock:
            self._requests.clear()

    @property
    def errors(self) -> list[str]:
        """Tracebacks of exceptions raised inside the stand-in itself (should stay empty)."""
        with self._lock:
            return list(self._errors)

    def _record_error(self, text: str) -> None:
        with self._lock:
            self._errors.append(text)

    # ---------------------------------------------------------------- faults

    def add_fault(self, path_prefix: str, **options: Any) -> Fault:
        """Answer the next ``times`` requests (None: all) whose path starts with ``path_prefix``,
        after letting ``after`` of them through, with ``status``/``body``/``headers``.

        ``delay`` seconds are waited first (a client with a shorter timeout sees a timeout);
        ``status=None`` then serves the normal answer (a slow response). ``disconnect=True`` closes
        the connection without answering. ``body``: bytes, str (HTML page, truncated JSON…) or a
        JSON-able object; default ``{"message": <reason>, "status": <status>}``. A prefix containing
        "?" is matched against path and query string. The first matching active fault wins.
        """
        fault = Fault(path_prefix, **options)  # options: status, body, content_type, times, headers, delay…
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _pick_fault(self, path: str, target: str) -> Fault | None:
        chosen = None
        with self._lock:
            for fault in self._faults:
                if fault.exhausted or not fault.matches(path, target):
                    continue
                fault.seen += 1
                if chosen is None and fault.seen > fault.after:
                    fault.hits += 1
                    chosen = fault
        return chosen

    # ---------------------------------------------------------------- request handling

    def _handle(self, handler: _Handler) -> None:
        split = urlsplit(handler.path)
        path = unquote(split.path)
        if path == BENCH_COUNTER_PATH:  # not an API request: neither counted, logged nor delayed
            handler.send_bytes(200, _json_bytes({"requests": self.request_count}), "application/json", {})
            return
        pairs = parse_qsl(split.query, keep_blank_values=True)
        headers = Headers(handler.headers.items())
        with self._lock:
            self.request_count += 1
            if self.log_requests:
                query: dict[str, str | list[str]] = {}
                for name, value in pairs:
                    if name in query:
                        prev = query[name]
                        query[name] = [*prev, value] if isinstance(prev, list) else [prev, value]
                    else:
                        query[name] = value
                self._requests.append(LoggedRequest(handler.command, path, query, headers))
        if self.latency > 0 and self._stopping.wait(self.latency):
            handler.close_connection = True
            return

        if handler.command not in ("GET", "HEAD"):
            # The body (if any) is not read: close the connection after answering.
            handler.close_connection = True
            body = {"message": "The method is not allowed for the requested URL."}
            handler.send_bytes(405, _json_bytes(body), "application/json", {"Allow": "GET, HEAD"})
            return

        target = split.path + (f"?{split.query}" if split.query else "")
        fault = self._pick_fault(path, target)
        if fault is not None:
            if fault.delay > 0 and self._stopping.wait(fault.delay):
                handler.close_connection = True
                return
            if fault.disconnect:
                handler.close_connection = True
                return
            if fault.status is not None:
                handler.send_bytes(fault.status, fault.body_bytes(), fault.content_type, fault.headers)
                return

        try:
            # Serialised under the source's lock: a test may change a stored payload right after.
            with self.source.read_lock:
                status, body, extra = self._route(path, pairs, headers)
                data = _json_bytes(body)
        except _HTTPError as exc:
            status, data, extra = exc.status, _json_bytes(exc.body), exc.headers
        except Exception:
            self._record_error(traceback.format_exc())
            status, data, extra = 500, _json_bytes({"message": "Internal Server Error (stand-in bug)"}), {}
        handler.send_bytes(status, data, "application/json", extra)

    def _route(self, path: str, pairs: list[tuple[str, str]], headers: Headers):
        name, params = _match_route(path)
        if name is None:
            if not path.endswith("/") and _match_route(path + "/")[0] is not None:
                # Werkzeug's strict-slashes redirect.
                query = urlencode(pairs)
                location = quote(path + "/") + (f"?{query}" if query else "")
                return 308, {"message": "Redirecting", "location": location}, {"Location": location}
            return 404, {"error": NOT_FOUND_MESSAGE, "status": 404}, {}

        args: dict[str, list[str]] = {}
        for key, value in pairs:
            args.setdefault(key, []).append(value)
        ctx = _Context(path, pairs, args, headers)
        body = getattr(self, f"_r_{name}")(ctx, **params)
        if ctx.mask_error is not None:
            raise ctx.mask_error
        if ctx.mask:
            try:
                body = apply_mask(body, ctx.mask)
            except _MaskError as exc:
                raise _HTTPError(400, {"message": f"Mask error: {exc}"}) from exc
        return 200, body, {}

    # ---- pagination

    def _page_args(self, ctx: _Context, default_page_size: int | None = None) -> tuple[int, int]:
        page = _positive_int(ctx, "page", 1, "The page to display")
        page_size = _positive_int(ctx, "page_size", default_page_size or self.page_size_default, "The page size")
        return page, page_size

    def _paginate(self, ctx: _Context, items: Sequence, default_page_size: int | None = None) -> dict:
        page, page_size = self._page_args(ctx, default_page_size)
        total = len(items)
        start = (page - 1) * page_size
        data = list(items[start : start + page_size])
        if not data and page != 1:
            raise _not_found()
        return {
            "data": data,
            "page": page,
            "page_size": page_size,
            "total": total,
            "next_page": self._page_url(ctx, page + 1) if start + page_size < total else None,
            "previous_page": self._page_url(ctx, page - 1) if page > 1 else None,
        }

    def _page_url(self, ctx: _Context, page: int) -> str:
        kept = [(k, v) for k, v in ctx.pairs if k != "page"]
        kept.append(("page", str(page)))
        return f"{self.links_base}{quote(ctx.path)}?{urlencode(kept)}"

    # ---- datasets

    def _get_dataset(self, ctx: _Context, ident: str) -> dict:
        dataset, new_slug = self.source.find_dataset(ident)
        if dataset is None and new_slug:
            raise _redirect(ctx, ident, new_slug)
        if dataset is None or dataset.get("private"):
            raise _not_found()
        if dataset.get("deleted"):
            raise _HTTPError(410, {"message": "Dataset has been deleted"})
        return dataset

    def _listing(self, ctx: _Context) -> Sequence[dict]:
        sort = ctx.first("sort")
        if sort and sort.lstrip("-") not in _DATASET_SORTS:
            raise _validation_error(
                "sort",
                f"The field (and direction) on which sorting apply The value '{sort}' is not a valid "
                "choice for 'sort'.",
            )
        topic = ctx.first("topic")
        key = None
        if topic:
            if not _OBJECT_ID_RE.match(topic):
                raise _HTTPError(400, {"message": "Topic arg must be an identifier"})
            key = self.source.topic_key(topic)  # None: THE PITFALL, an unknown topic id is ignored
        ids = {}
        for arg in ("organization", "owner"):
            value = ctx.first(arg)
            if value and not _OBJECT_ID_RE.match(value):
                raise _HTTPError(400, {"message": f"{arg.capitalize()} arg must be an identifier"})
            ids[arg] = value or None
        filters = ListingFilters(
            tags=tuple(t for t in ctx.all("tag") if t),
            license=ctx.first("license") or None,
            words=tuple(words(ctx.first("q") or "")),
            **ids,
        )
        item_mask = ctx.mask.get("data") if ctx.mask else None
        fields = frozenset(item_mask) if isinstance(item_mask, dict) and "*" not in item_mask else None
        return self.source.listing(topic=key, sort=sort or "-created", filters=filters, fields=fields)

    def _r_datasets_v1(self, ctx: _Context) -> dict:
        self._page_args(ctx)  # udata validates page/page_size/sort before the filters
        page = self._paginate(ctx, self._listing(ctx))
        page["data"] = [self._dataset_v1(ctx, d) for d in page["data"]]
        return page

    def _r_datasets_v2(self, ctx: _Context) -> dict:
        self._page_args(ctx)  # udata validates page/page_size/sort before the filters
        page = self._paginate(ctx, self._listing(ctx))
        page["data"] = [self._dataset_v2(ctx, d) for d in page["data"]]
        return page

    def _r_dataset_v1(self, ctx: _Context, ident: str) -> dict:
        return self._dataset_v1(ctx, self._get_dataset(ctx, ident))

    def _r_dataset_v2(self, ctx: _Context, ident: str) -> dict:
        return self._dataset_v2(ctx, self._get_dataset(ctx, ident))

    def _r_resources_v2(self, ctx: _Context, ident: str) -> dict:
        dataset = self._get_dataset(ctx, ident)
        resources = list(dataset.get("resources") or [])
        rtype = ctx.first("type")
        if rtype:
            resources = [r for r in resources if r.get("type") == rtype]
        wanted = words(ctx.first("q") or "")
        if wanted:
            resources = [r for r in resources if matches_words(r.get("title") or "", wanted)]
        return self._paginate(ctx, resources, default_page_size=50)

    def _r_resource_v2(self, ctx: _Context, rid: str) -> dict:
        found = self.source.find_resource(rid)
        if found is None:
            raise _not_found()
        resource, dataset_id = found
        return {"resource": resource, "dataset_id": dataset_id}

    def _dataset_v1(self, ctx: _Context, dataset: dict) -> dict:
        return self._expand_spatial(ctx, dataset) if ctx.full_objects else dataset

    def _dataset_v2(self, ctx: _Context, dataset: dict) -> dict:
        out = {k: v for k, v in dataset.items() if k != "schema"}
        did = dataset["id"]
        out["resources"] = payloads.subsection_link(
            f"{self.links_base}/api/2/datasets/{did}/resources/?page=1&page_size=50",
            len(dataset.get("resources") or []),
        )
        out["community_resources"] = payloads.subsection_link(
            f"{self.links_base}/api/1/datasets/community_resources/?dataset={did}&page=1&page_size=50", 0
        )
        if ctx.full_objects:
            out = self._expand_spatial(ctx, out)
            freq = out.get("frequency")
            if isinstance(freq, str):
                out["frequency"] = {"id": freq, "label": dict(FREQUENCIES).get(freq, freq)}
            lic = out.get("license")
            if isinstance(lic, str):
                out["license"] = next(
                    (x for x in self.source.licenses() if x.get("id") == lic),
                    payloads.license_payload(id=lic, title=lic),
                )
        return out

    def _expand_spatial(self, ctx: _Context, dataset: dict) -> dict:
        spatial = dataset.get("spatial")
        if not isinstance(spatial, dict):
            return dataset
        french = (ctx.first("lang") or "").lower().startswith("fr")
        names = getattr(self.source, "zone_names", ZONE_NAMES)
        # Hostile-content tests put values of any type here: what is not a zone id is served as it is.
        given = spatial.get("zones")
        zones = [] if isinstance(given, list) else given
        for zone in given if isinstance(given, list) else []:
            if not isinstance(zone, str):
                zones.append(zone)
                continue
            level, _, code = zone.rpartition(":")
            zones.append({"id": zone, "name": names.get(zone, code), "code": code, "level": level or "other"})
        granularity = spatial.get("granularity")
        if isinstance(granularity, (str, type(None))):
            gid = granularity or "other"
            labels = GRANULARITY_LABELS.get(gid)
            granularity = {"id": gid, "name": (labels[1] if french else labels[0]) if labels else gid}
        return {**dataset, "spatial": {**spatial, "zones": zones, "granularity": granularity}}

    # ---- reference lists, organizations

    def _r_licenses(self, ctx: _Context) -> list:
        return self.source.licenses()

    def _r_frequencies(self, ctx: _Context) -> list:
        return [{"id": fid, "label": label} for fid, label in FREQUENCIES]

    def _r_organization(self, ctx: _Context, ident: str) -> dict:
        org, new_slug = self.source.find_organization(ident)
        if org is None and new_slug:
            raise _redirect(ctx, ident, new_slug)
        if org is None:
            raise _not_found()
        if org.get("deleted"):
            raise _HTTPError(410, {"message": "Organization has been deleted"})
        return org

    # ---- topics

    def _get_topic(self, ident: str) -> dict:
        topic = self.source.topic(ident)
        if topic is None:  # unknown, or private: udata hides a private topic from anonymous readers
            raise _not_found()
        return topic

    def _r_topic(self, ctx: _Context, ident: str) -> dict:
        topic = dict(self._get_topic(ident))
        topic["elements"] = payloads.subsection_link(
            f"{self.links_base}/api/2/topics/{topic['id']}/elements/?page=1&page_size=20",
            len(self.source.elements(topic["id"])),
        )
        return topic

    def _r_topic_elements(self, ctx: _Context, ident: str) -> dict:
        topic = self._get_topic(ident)
        element_class = ctx.first("class")
        elements = self.source.elements(topic["id"]) if element_class in (None, "", "Dataset") else []
        return self._paginate(ctx, elements)


class _Context:
    def __init__(self, path: str, pairs: list[tuple[str, str]], args: dict[str, list[str]], headers):
        self.path = path
        self.pairs = pairs
        self.args = args
        self.headers = headers
        # udata reads the header with bool(value): any non-empty value, even "False", turns it on.
        self.full_objects = bool(headers.get(FULL_OBJECTS_HEADER))
        # A malformed mask is a 400, once the route had its say (an unknown path is still a 404).
        self.mask: dict[str, Any] | None = None
        self.mask_error: _HTTPError | None = None
        mask_header = headers.get("X-Fields")
        if mask_header:
            try:
                self.mask = parse_mask(mask_header) or None
            except MaskParseError as exc:
                self.mask_error = _HTTPError(400, {"message": f"Mask parse error: {exc}"})

    def first(self, name: str) -> str | None:
        values = self.args.get(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return self.args.get(name, [])


def _positive_int(ctx: _Context, name: str, default: int, help_text: str) -> int:
    raw = ctx.first(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _validation_error(name, f"{help_text} invalid literal for int() with base 10: '{raw}'") from None
    if value < 1:
        raise _validation_error(name, f"{help_text} must be a positive integer, got {value}")
    return value


def _redirect(ctx: _Context, old_slug: str, new_slug: str) -> _HTTPError:
    prefix = ctx.path[: len(ctx.path) - len(old_slug) - 1]  # path ends with "{old_slug}/"
    location = quote(f"{prefix}{new_slug}/")
    query = urlencode(ctx.pairs)
    if query:
        location += f"?{query}"
    return _HTTPError(308, {"message": "Redirecting", "location": location}, {"Location": location})


# --------------------------------------------------------------------------------------------------
# Command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.datagouv",
        description="Serve a dump, or a synthetic catalogue, as a stand-in of the data.gouv.fr read API.",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--dump", help="dump file (JSON Lines, .gz accepted)")
    what.add_argument("--synthetic", type=int, metavar="SIZE", help="a synthetic catalogue of SIZE datasets")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port (the default)")
    parser.add_argument("--private-topic", action="store_true", help="answer 404 on the topic, like a private one")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every API request (0)")
    parser.add_argument("--links-base", help="host of the next_page links, e.g. https://www.data.gouv.fr")
    synthetic = parser.add_argument_group("synthetic catalogue")
    synthetic.add_argument(
        "--theme", default="culture", help="culture (the default) or sport, the example universe's (UNIVERSE=sport)"
    )
    synthetic.add_argument("--seed", type=int, default=2026)
    synthetic.add_argument("--archived-share", type=float, default=0.01, help="share of archived datasets (0.01)")
    synthetic.add_argument("--hostile", type=int, default=0, help="hostile datasets mixed into the topic (0)")
    synthetic.add_argument(
        "--observer-share", type=float, default=0.0, help="share of datasets also in the Observer topic (0)"
    )
    synthetic.add_argument(
        "--base-time",
        help="newest last_update, ISO 8601 (default: 2026-08-20T06:00Z, or yesterday if the clock is earlier)",
    )
    args = parser.parse_args(argv)
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "latency": args.latency_ms / 1000,
        "links_base": args.links_base,
    }
    if args.dump:
        if args.private_topic:
            options["private_topic"] = True
        api = StandinAPI.from_dump(args.dump, **options)
        served = f"from {args.dump}"
    else:
        from tests.fakes import synthetic as synthetic_catalogue  # only the benchmark needs it

        if args.theme not in synthetic_catalogue.THEMES:
            parser.error(f"--theme: expected one of {', '.join(synthetic_catalogue.THEMES)}, got {args.theme!r}")

        base_time = synthetic_catalogue.default_base_time()
        if args.base_time:
            moment = datetime.fromisoformat(args.base_time)
            base_time = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
        source = synthetic_catalogue.Catalogue(
            args.synthetic, seed=args.seed, archived_share=args.archived_share, base_time=base_time,
            hostile=args.hostile, private_topic=args.private_topic, observer_share=args.observer_share,
            theme=synthetic_catalogue.THEMES[args.theme],
        )  # fmt: skip
        source.warm_up()  # the lazy tables now, not during the first (timed) requests
        api = StandinAPI(source=source, log_requests=False, **options)
        served = f"synthetic, {source.hostile} hostile"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Python leaves Ctrl-C ignored when the parent started it so (as some test runs do): here it always stops.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # a stack of every thread on stderr, should it hang
    # Ctrl-C may come as soon as the address is printed (tests send it then): it must always end cleanly.
    with api, contextlib.suppress(KeyboardInterrupt):
        print(api.url, flush=True)
        print(
            f"Stand-in data.gouv.fr API: {len(api.source.elements(api.topic_id))} topic elements, topic "
            f"{api.topic_id}{' (private)' if api.private_topic else ''}, {served}. Ctrl-C to stop.",
            flush=True,
        )
        # Woken often: the kernel may hand Ctrl-C or SIGTERM to a server thread, and Python runs the handler only
        # when the main thread runs again; a wait without timeout could then last forever.
        while True:
            time.sleep(0.1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
