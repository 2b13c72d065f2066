"""A stand-in for the data.gouv.fr read API, for the test suite and for manual runs.

A real HTTP server (stdlib only) on 127.0.0.1 that answers the read calls our sync makes, with the
behaviours documented in /work/shared/datagouv-api/README.md: udata pagination envelope and its 404
past the last page, the ``topic=`` pitfall (a well-formed id that matches no topic is *ignored*),
archived datasets hidden from lists but served by id, 308 on an old slug, private topic, ``X-Fields``
masks, ``X-Get-Datasets-Full-Objects``. Faults can be injected per path prefix.

    with StandinAPI(datasets=[...], organizations=[...], licenses=[...]) as api:
        httpx.get(f"{api.url}/api/1/datasets/", params={"topic": api.topic_id})
        api.requests            # what the server received
        api.add_fault("/api/1/datasets/", status=503, times=2)

Manual run (serves a dump, see docs/dump-format.md, until Ctrl-C)::

    python -m tests.standin_api --dump catalog/data/sample.jsonl [--port 8765] [--private-topic]

Payloads are served as given (``_old_slugs`` removed); only the pagination URLs and the link
objects the server builds itself (v2 ``resources``, topic ``elements``…) use the stand-in's own URL.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import gzip
import hashlib
import json
import re
import socket
import sys
import threading
import traceback
import unicodedata
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

__all__ = ["DEFAULT_TOPIC_ID", "Fault", "LoggedRequest", "MaskParseError", "StandinAPI"]

DEFAULT_TOPIC_ID = "69aea5dff97ef1fc29836765"
DEFAULT_TOPIC_SLUG = "univers-culture"

NOT_FOUND_MESSAGE = (
    "The requested URL was not found on the server. If you entered the URL manually please check "
    "your spelling and try again."
)
VALIDATION_MESSAGE = "Input payload validation failed"
FULL_OBJECTS_HEADER = "X-Get-Datasets-Full-Objects"
OLD_SLUGS_KEY = "_old_slugs"

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


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.findall(r"\w+", text.casefold())


def _parse_dt(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        # Compared with others in UTC: a date past year 9999 once there is no date for sorting.
        return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def _iso(when: datetime | str | None) -> str:
    if when is None:
        when = datetime.now(UTC)
    if isinstance(when, datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.isoformat()
    return when


def _json_bytes(body: Any) -> bytes:
    """UTF-8 JSON; a lone surrogate in a publisher's text goes out escaped, as udata sends it."""
    try:
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(body).encode("ascii")


def _public(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k != OLD_SLUGS_KEY}


def _listed(dataset: dict) -> bool:
    """What anonymous lists show: no archived, deleted or private dataset."""
    return not (dataset.get("archived") or dataset.get("deleted") or dataset.get("private"))


def _link(href: str, total: int) -> dict:
    return {"rel": "subsection", "href": href, "type": "GET", "total": total}


def _not_found() -> _HTTPError:
    return _HTTPError(404, {"message": NOT_FOUND_MESSAGE})


def _validation_error(name: str, message: str) -> _HTTPError:
    return _HTTPError(400, {"errors": {name: message}, "message": VALIDATION_MESSAGE})


def _element_id(topic_id: str, dataset_id: str) -> str:
    return hashlib.md5(f"{topic_id}:{dataset_id}".encode()).hexdigest()[:24]


def _default_topic(topic_id: str) -> dict:
    return {
        "id": topic_id,
        "owner": None,
        "organization": None,
        "created_at": "2026-03-09T14:47:59.613000+00:00",
        "last_modified": "2026-03-09T14:47:59.613000+00:00",
        "name": "Univers culture",
        "slug": DEFAULT_TOPIC_SLUG,
        "description": "",
        "tags": ["culture", "univers"],
        "color": None,
        "featured": False,
        "private": True,
        "extras": {},
        "spatial": None,
        "uri": f"https://www.data.gouv.fr/api/2/topics/{DEFAULT_TOPIC_SLUG}/",
        "elements": None,
    }


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

    Datasets are v1 payloads (resources inline). ``datasets`` are the topic's datasets unless
    ``topic_dataset_ids`` says otherwise (ids there without a dataset are dangling topic elements:
    listed by ``elements/``, 404 by id). ``other_datasets`` are in the national catalogue but not in
    the topic. Datasets with ``archived``, ``deleted`` or ``private`` set never appear in lists; by id,
    archived ones answer 200, deleted 410, private 404. An optional ``_old_slugs`` key (list of
    former slugs) makes those slugs answer 308 to the current one; it is never served.
    """

    def __init__(
        self,
        *,
        datasets: list[dict] | None = None,
        organizations: list[dict] | None = None,
        licenses: list[dict] | None = None,
        topic: dict | None = None,
        topic_id: str | None = None,
        topic_dataset_ids: list[str] | None = None,
        other_datasets: list[dict] | None = None,
        private_topic: bool = False,
        page_size_default: int = 20,
        host: str = "127.0.0.1",
        port: int = 0,
    ):
        if topic is not None and topic_id is not None and topic.get("id") != topic_id:
            raise ValueError(f"topic_id {topic_id!r} differs from topic['id'] {topic.get('id')!r}")
        self.topic_id: str = topic_id or (topic or {}).get("id") or DEFAULT_TOPIC_ID
        self.private_topic = private_topic
        self.page_size_default = page_size_default
        self.host = host
        self.port = port

        self._lock = threading.RLock()
        self._topic = copy.deepcopy(topic) if topic is not None else _default_topic(self.topic_id)
        self._datasets: dict[str, dict] = {}
        self._topic_ids: list[str] = []
        self._other_ids: list[str] = []
        self._organizations: dict[str, dict] = {}
        self._licenses: list[dict] = copy.deepcopy(licenses or [])
        self._requests: list[LoggedRequest] = []
        self._faults: list[Fault] = []
        self._errors: list[str] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

        for org in organizations or []:
            self._organizations[org["id"]] = copy.deepcopy(org)
        for d in other_datasets or []:
            self._datasets[d["id"]] = copy.deepcopy(d)
            self._other_ids.append(d["id"])
        self._set_topic_datasets(datasets or [], topic_dataset_ids)

    # ---------------------------------------------------------------- construction from a dump

    @classmethod
    def from_dump(cls, path, **overrides) -> StandinAPI:
        """Build a stand-in from a dump file (docs/dump-format.md; gzip if the name ends in .gz).

        The ``end`` line is not required. Without a ``topic`` line the topic is served as private
        (404), since that is why a sync could not dump it. Keyword arguments override what the dump
        gives (e.g. ``private_topic=False``, ``other_datasets=[...]``).
        """
        path = str(path)
        opener = gzip.open if path.endswith(".gz") else open
        meta = None
        topic = None
        licenses, organizations, datasets = [], [], []
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
                elif kind == "topic":
                    topic = obj["data"]
                elif kind == "license":
                    licenses.append(obj["data"])
                elif kind == "organization":
                    organizations.append(obj["data"])
                elif kind == "dataset":
                    datasets.append(obj["data"])
                # "end" and kinds added later are ignored.
        if meta is None or meta.get("format") != "culture-portal-dump":
            raise ValueError(f"{path}: not a culture-portal dump (missing or wrong 'meta' line)")
        topic_id = meta.get("topic") or (topic or {}).get("id") or DEFAULT_TOPIC_ID
        if topic is not None and topic.get("id") != topic_id:
            raise ValueError(f"{path}: meta topic {topic_id!r} differs from the topic line's id")
        kwargs: dict[str, Any] = {
            "datasets": datasets,
            "organizations": organizations,
            "licenses": licenses,
            "topic": topic,
            "topic_id": topic_id,
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

    def add_fault(
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
    ) -> Fault:
        """Answer the next ``times`` requests (None: all) whose path starts with ``path_prefix``,
        after letting ``after`` of them through, with ``status``/``body``/``headers``.

        ``delay`` seconds are waited first (a client with a shorter timeout sees a timeout);
        ``status=None`` then serves the normal answer (a slow response). ``disconnect=True`` closes
        the connection without answering. ``body``: bytes, str (HTML page, truncated JSON…) or a
        JSON-able object; default ``{"message": <reason>, "status": <status>}``. A prefix containing
        "?" is matched against path and query string. The first matching active fault wins.
        """
        fault = Fault(
            path_prefix,
            status=status,
            body=body,
            content_type=content_type,
            times=times,
            headers=headers,
            delay=delay,
            after=after,
            disconnect=disconnect,
        )
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

    # ---------------------------------------------------------------- mutators

    def _set_topic_datasets(self, datasets: list[dict], topic_dataset_ids: list[str] | None) -> None:
        for d in datasets:
            self._datasets[d["id"]] = copy.deepcopy(d)
        ids = [d["id"] for d in datasets] if topic_dataset_ids is None else list(topic_dataset_ids)
        self._topic_ids = list(dict.fromkeys(ids))

    def set_datasets(self, datasets: list[dict], *, topic_dataset_ids: list[str] | None = None) -> None:
        """Replace the topic's datasets (``other_datasets`` are kept)."""
        with self._lock:
            others = {i: self._datasets[i] for i in self._other_ids if i in self._datasets}
            self._datasets = dict(others)
            self._set_topic_datasets(datasets, topic_dataset_ids)

    def add_dataset(self, dataset: dict, in_topic: bool = True) -> None:
        """Add (or replace) a dataset, in the topic or only in the national catalogue."""
        with self._lock:
            did = dataset["id"]
            self._datasets[did] = copy.deepcopy(dataset)
            if in_topic:
                if did not in self._topic_ids:
                    self._topic_ids.append(did)
                if did in self._other_ids:
                    self._other_ids.remove(did)
            else:
                if did in self._topic_ids:
                    self._topic_ids.remove(did)
                if did not in self._other_ids:
                    self._other_ids.append(did)

    def remove_dataset(self, dataset_id: str) -> None:
        """Make a dataset disappear completely (404 by id, gone from the topic elements)."""
        with self._lock:
            known = dataset_id in self._datasets or dataset_id in self._topic_ids
            if not known:
                raise KeyError(dataset_id)
            self._datasets.pop(dataset_id, None)
            self._topic_ids = [i for i in self._topic_ids if i != dataset_id]
            self._other_ids = [i for i in self._other_ids if i != dataset_id]

    def update_dataset(self, dataset_id: str, **fields: Any) -> dict:
        """Shallow-update a dataset payload (e.g. ``title=…, last_modified=…``).

        A new ``slug`` keeps the former one as an old slug (308), as udata does.
        Returns a copy of the updated payload.
        """
        with self._lock:
            dataset = self._datasets[dataset_id]
            new_slug = fields.get("slug")
            if new_slug is not None and dataset.get("slug") and new_slug != dataset["slug"]:
                old = [s for s in dataset.get(OLD_SLUGS_KEY, []) if s != new_slug]
                dataset[OLD_SLUGS_KEY] = [*old, dataset["slug"]]
            dataset.update(copy.deepcopy(fields))
            return copy.deepcopy(_public(dataset))

    def archive_dataset(self, dataset_id: str, when: datetime | str | None = None) -> None:
        """Set ``archived`` (datetime or ISO string; default now): hidden from lists, 200 by id."""
        with self._lock:
            self._datasets[dataset_id]["archived"] = _iso(when)

    def delete_dataset(self, dataset_id: str, when: datetime | str | None = None) -> None:
        """Set ``deleted``: hidden from lists, 410 by id, still a topic element."""
        with self._lock:
            self._datasets[dataset_id]["deleted"] = _iso(when)

    def add_to_topic(self, dataset_id: str) -> None:
        with self._lock:
            if dataset_id not in self._topic_ids:
                self._topic_ids.append(dataset_id)
            self._other_ids = [i for i in self._other_ids if i != dataset_id]

    def remove_from_topic(self, dataset_id: str) -> None:
        """Take a dataset out of the topic; it stays in the national catalogue."""
        with self._lock:
            self._topic_ids = [i for i in self._topic_ids if i != dataset_id]
            if dataset_id in self._datasets and dataset_id not in self._other_ids:
                self._other_ids.append(dataset_id)

    def add_organization(self, organization: dict) -> None:
        with self._lock:
            self._organizations[organization["id"]] = copy.deepcopy(organization)

    def remove_organization(self, organization_id: str) -> None:
        with self._lock:
            del self._organizations[organization_id]

    def set_licenses(self, licenses: list[dict]) -> None:
        with self._lock:
            self._licenses = copy.deepcopy(licenses)

    def set_topic(self, topic: dict) -> None:
        """Replace the topic payload (its id must stay ``topic_id``)."""
        if topic.get("id") != self.topic_id:
            raise ValueError("the topic id cannot change")
        with self._lock:
            self._topic = copy.deepcopy(topic)

    def dataset(self, dataset_id: str) -> dict:
        """A copy of a stored dataset payload (as served by id)."""
        with self._lock:
            return copy.deepcopy(_public(self._datasets[dataset_id]))

    @property
    def topic_dataset_ids(self) -> list[str]:
        with self._lock:
            return list(self._topic_ids)

    # ---------------------------------------------------------------- request handling

    def _handle(self, handler: _Handler) -> None:
        split = urlsplit(handler.path)
        path = unquote(split.path)
        pairs = parse_qsl(split.query, keep_blank_values=True)
        query: dict[str, str | list[str]] = {}
        for name, value in pairs:
            if name in query:
                prev = query[name]
                query[name] = [*prev, value] if isinstance(prev, list) else [prev, value]
            else:
                query[name] = value
        headers = Headers(handler.headers.items())
        with self._lock:
            self._requests.append(LoggedRequest(handler.command, path, query, headers))

        if handler.command not in ("GET", "HEAD"):
            # The body (if any) is not read: close the connection after answering.
            handler.close_connection = True
            body = {"message": "The method is not allowed for the requested URL."}
            self._send_json(handler, 405, body, {"Allow": "GET, HEAD"})
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
            status, body, extra = self._route(path, pairs, headers)
        except _HTTPError as exc:
            status, body, extra = exc.status, exc.body, exc.headers
        except Exception:
            self._record_error(traceback.format_exc())
            status, body, extra = 500, {"message": "Internal Server Error (stand-in bug)"}, {}
        self._send_json(handler, status, body, extra)

    def _send_json(self, handler: _Handler, status: int, body: Any, headers: dict[str, str]) -> None:
        data = _json_bytes(body)
        handler.send_bytes(status, data, "application/json", headers)

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
        with self._lock:
            body = getattr(self, f"_r_{name}")(ctx, **params)
            mask_header = headers.get("X-Fields")
            if mask_header:
                try:
                    body = apply_mask(body, parse_mask(mask_header))
                except MaskParseError as exc:
                    raise _HTTPError(400, {"message": f"Mask parse error: {exc}"}) from exc
                except _MaskError as exc:
                    raise _HTTPError(400, {"message": f"Mask error: {exc}"}) from exc
            # Serialize while holding the lock: stored payloads may be mutated right after.
            return 200, json.loads(json.dumps(body)), {}

    # ---- pagination

    def _page_args(self, ctx: _Context, default_page_size: int | None = None) -> tuple[int, int]:
        page = _positive_int(ctx, "page", 1, "The page to display")
        page_size = _positive_int(ctx, "page_size", default_page_size or self.page_size_default, "The page size")
        return page, page_size

    def _paginate(self, ctx: _Context, items: list, default_page_size: int | None = None) -> dict:
        page, page_size = self._page_args(ctx, default_page_size)
        total = len(items)
        start = (page - 1) * page_size
        data = items[start : start + page_size]
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
        return f"{self.url}{quote(ctx.path)}?{urlencode(kept)}"

    # ---- datasets

    def _find(self, ident: str, objects: dict[str, dict]) -> tuple[dict | None, str | None]:
        """(object, None) by id or slug; (None, new_slug) for an old slug; (None, None) otherwise."""
        if ident in objects:
            return objects[ident], None
        for obj in objects.values():
            if obj.get("slug") == ident:
                return obj, None
        for obj in objects.values():
            if ident in (obj.get(OLD_SLUGS_KEY) or ()):
                return None, obj.get("slug")
        return None, None

    def _get_dataset(self, ctx: _Context, ident: str) -> dict:
        dataset, new_slug = self._find(ident, self._datasets)
        if dataset is None and new_slug:
            raise _redirect(ctx, ident, new_slug)
        if dataset is None or dataset.get("private"):
            raise _not_found()
        if dataset.get("deleted"):
            raise _HTTPError(410, {"message": "Dataset has been deleted"})
        return dataset

    def _filtered_datasets(self, ctx: _Context) -> list[dict]:
        sort = ctx.first("sort")
        if sort and sort.lstrip("-") not in _DATASET_SORTS:
            raise _validation_error(
                "sort",
                f"The field (and direction) on which sorting apply The value '{sort}' is not a valid "
                "choice for 'sort'.",
            )
        datasets = [d for d in self._datasets.values() if _listed(d)]

        topic = ctx.first("topic")
        if topic:
            if not _OBJECT_ID_RE.match(topic):
                raise _HTTPError(400, {"message": "Topic arg must be an identifier"})
            if topic.lower() == self.topic_id.lower():
                members = set(self._topic_ids)
                datasets = [d for d in datasets if d["id"] in members]
            # else: THE PITFALL, an unknown topic id is ignored (whole catalogue).
        for arg, key in (("organization", "organization"), ("owner", "owner")):
            value = ctx.first(arg)
            if value:
                if not _OBJECT_ID_RE.match(value):
                    raise _HTTPError(400, {"message": f"{arg.capitalize()} arg must be an identifier"})
                datasets = [d for d in datasets if (d.get(key) or {}).get("id") == value]
        tags = [t for t in ctx.all("tag") if t]
        if tags:
            datasets = [d for d in datasets if set(tags) <= set(d.get("tags") or ())]
        license_id = ctx.first("license")
        if license_id:
            datasets = [d for d in datasets if d.get("license") == license_id]
        q = ctx.first("q")
        if q and _words(q):
            wanted = _words(q)
            datasets = [
                d for d in datasets if all(any(w.startswith(x) for w in _words(d.get("title", ""))) for x in wanted)
            ]
        return _sort_datasets(datasets, sort or "-created")

    def _r_datasets_v1(self, ctx: _Context) -> dict:
        self._page_args(ctx)  # udata validates page/page_size/sort before the filters
        datasets = self._filtered_datasets(ctx)
        page = self._paginate(ctx, datasets)
        page["data"] = [self._dataset_v1(ctx, d) for d in page["data"]]
        return page

    def _r_datasets_v2(self, ctx: _Context) -> dict:
        self._page_args(ctx)  # udata validates page/page_size/sort before the filters
        datasets = self._filtered_datasets(ctx)
        page = self._paginate(ctx, datasets)
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
        q = ctx.first("q")
        if q and _words(q):
            wanted = _words(q)
            resources = [
                r for r in resources if all(any(w.startswith(x) for w in _words(r.get("title") or "")) for x in wanted)
            ]
        return self._paginate(ctx, resources, default_page_size=50)

    def _r_resource_v2(self, ctx: _Context, rid: str) -> dict:
        for dataset in self._datasets.values():
            if dataset.get("private") or dataset.get("deleted"):
                continue
            for resource in dataset.get("resources") or []:
                if resource.get("id") == rid:
                    return {"resource": resource, "dataset_id": dataset["id"]}
        raise _not_found()

    def _dataset_v1(self, ctx: _Context, dataset: dict) -> dict:
        out = _public(dataset)
        if ctx.full_objects:
            out = self._expand_spatial(ctx, out)
        return out

    def _dataset_v2(self, ctx: _Context, dataset: dict) -> dict:
        out = {k: v for k, v in _public(dataset).items() if k != "schema"}
        did = dataset["id"]
        out["resources"] = _link(
            f"{self.url}/api/2/datasets/{did}/resources/?page=1&page_size=50",
            len(dataset.get("resources") or []),
        )
        out["community_resources"] = _link(
            f"{self.url}/api/1/datasets/community_resources/?dataset={did}&page=1&page_size=50", 0
        )
        if ctx.full_objects:
            out = self._expand_spatial(ctx, out)
            freq = out.get("frequency")
            if isinstance(freq, str):
                out["frequency"] = {"id": freq, "label": dict(FREQUENCIES).get(freq, freq)}
            lic = out.get("license")
            if isinstance(lic, str):
                out["license"] = next(
                    (x for x in self._licenses if x.get("id") == lic),
                    {
                        "id": lic,
                        "title": lic,
                        "url": None,
                        "maintainer": None,
                        "flags": [],
                        "alternate_titles": [],
                        "alternate_urls": [],
                    },
                )
        return out

    def _expand_spatial(self, ctx: _Context, dataset: dict) -> dict:
        spatial = dataset.get("spatial")
        if not isinstance(spatial, dict):
            return dataset
        french = (ctx.first("lang") or "").lower().startswith("fr")
        # Hostile-content tests put values of any type here: what is not a zone id is served as it is.
        given = spatial.get("zones")
        zones = [] if isinstance(given, list) else given
        for zone in given if isinstance(given, list) else []:
            if not isinstance(zone, str):
                zones.append(zone)
                continue
            level, _, code = zone.rpartition(":")
            zones.append({"id": zone, "name": ZONE_NAMES.get(zone, code), "code": code, "level": level or "other"})
        granularity = spatial.get("granularity")
        if isinstance(granularity, (str, type(None))):
            gid = granularity or "other"
            labels = GRANULARITY_LABELS.get(gid)
            granularity = {"id": gid, "name": (labels[1] if french else labels[0]) if labels else gid}
        return {**dataset, "spatial": {**spatial, "zones": zones, "granularity": granularity}}

    # ---- reference lists, organizations

    def _r_licenses(self, ctx: _Context) -> list:
        return self._licenses

    def _r_frequencies(self, ctx: _Context) -> list:
        return [{"id": fid, "label": label} for fid, label in FREQUENCIES]

    def _r_organization(self, ctx: _Context, ident: str) -> dict:
        org, new_slug = self._find(ident, self._organizations)
        if org is None and new_slug:
            raise _redirect(ctx, ident, new_slug)
        if org is None:
            raise _not_found()
        if org.get("deleted"):
            raise _HTTPError(410, {"message": "Organization has been deleted"})
        return _public(org)

    # ---- topic

    def _get_topic(self, ident: str) -> dict:
        topic = self._topic
        if self.private_topic:
            raise _not_found()
        if ident.lower() == self.topic_id.lower() or ident == topic.get("slug"):
            return topic
        raise _not_found()

    def _r_topic(self, ctx: _Context, ident: str) -> dict:
        topic = _public(self._get_topic(ident))
        topic["elements"] = _link(
            f"{self.url}/api/2/topics/{self.topic_id}/elements/?page=1&page_size=20",
            len(self._topic_ids),
        )
        return topic

    def _r_topic_elements(self, ctx: _Context, ident: str) -> dict:
        self._get_topic(ident)
        element_class = ctx.first("class")
        ids = self._topic_ids if element_class in (None, "", "Dataset") else []
        elements = [
            {
                "id": _element_id(self.topic_id, did),
                "title": None,
                "description": None,
                "tags": [],
                "extras": {},
                "element": {"class": "Dataset", "id": did},
            }
            for did in ids
        ]
        return self._paginate(ctx, elements)


class _Context:
    def __init__(self, path: str, pairs: list[tuple[str, str]], args: dict[str, list[str]], headers):
        self.path = path
        self.pairs = pairs
        self.args = args
        self.headers = headers
        # udata reads the header with bool(value): any non-empty value, even "False", turns it on.
        self.full_objects = bool(headers.get(FULL_OBJECTS_HEADER))

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


def _sort_key(dataset: dict, field: str):
    if field == "title":
        value = dataset.get("title")
    elif field == "created":
        internal = dataset.get("internal") or {}
        value = _parse_dt(internal.get("created_at_internal")) or _parse_dt(dataset.get("created_at"))
    elif field == "last_update":
        value = _parse_dt(dataset.get("last_update"))
    else:
        value = (dataset.get("metrics") or {}).get(field)
    return (value is not None, value if value is not None else 0)


def _sort_datasets(datasets: list[dict], sort: str) -> list[dict]:
    field = sort.lstrip("-")
    return sorted(datasets, key=lambda d: _sort_key(d, field), reverse=sort.startswith("-"))


# --------------------------------------------------------------------------------------------------
# Command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.standin_api",
        description="Serve a culture-portal dump as a stand-in of the data.gouv.fr read API.",
    )
    parser.add_argument("--dump", required=True, help="dump file (JSON Lines, .gz accepted)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 = any free port (default 8765)")
    parser.add_argument(
        "--private-topic", action="store_true", help="answer 404 on /api/2/topics/… like a private topic"
    )
    args = parser.parse_args(argv)
    overrides: dict[str, Any] = {"host": args.host, "port": args.port}
    if args.private_topic:
        overrides["private_topic"] = True
    api = StandinAPI.from_dump(args.dump, **overrides)
    # Ctrl-C may come as soon as the address is printed (tests send it then): it must always end cleanly.
    with api, contextlib.suppress(KeyboardInterrupt):
        print(api.url, flush=True)
        print(
            f"Stand-in data.gouv.fr API: {len(api.topic_dataset_ids)} topic elements, topic "
            f"{api.topic_id}{' (private)' if api.private_topic else ''}, from {args.dump}. Ctrl-C to stop.",
            flush=True,
        )
        threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
