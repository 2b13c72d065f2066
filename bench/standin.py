"""A local HTTP stand-in of the data.gouv.fr read API, serving a synthetic catalogue (bench.catalogue).

Written for the benchmark: it answers the calls a catalogue sync makes, with the behaviours
documented in /work/shared/datagouv-api/README.md, and it is fast enough to serve 60,000 datasets.

- ``GET /api/2/topics/{id-or-slug}/``: the topic, or 404 like a private topic (``--private-topic``);
- ``GET /api/2/topics/{id-or-slug}/elements/?class=Dataset``: every dataset of the topic, archived ones
  included (404 too when the topic is private);
- ``GET /api/1/datasets/``: ``topic`` (ids only: anything else is a 400; a well-formed id that is not
  the topic is *ignored* and the whole national catalogue comes back), ``page``, ``page_size``
  (integers ≥ 1, else 400; past the end of a non-empty list, 404), ``sort`` (``title``, ``created``,
  ``last_update``, ``reuses``, ``followers``, ``views``, ``-`` for descending; default newest first).
  Archived datasets are left out. Other filters are accepted and ignored;
- ``GET /api/1/datasets/{id-or-slug}/`` (archived ones too; 404 when unknown),
  ``GET /api/1/organizations/{id-or-slug}/``, ``GET /api/1/datasets/licenses/``;
- headers ``X-Fields`` (a field mask, ``*`` = every other key; malformed → 400) and
  ``X-Get-Datasets-Full-Objects`` (zones and granularity as objects);
- paths without their trailing slash answer 308, like Flask;
- ``GET /__bench__/requests``: ``{"requests": n}``, the number of API requests served so far;
- ``--latency-ms`` adds a delay to every API request (the real API is ~0.1 s away; default 0);
- ``--hostile N`` mixes N hostile datasets into the topic (``bench.catalogue.HOSTILE_KINDS``).

Run it alone::

    python -m bench.standin --size 10000 --port 0     # prints its URL, serves until Ctrl-C
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from bench.catalogue import BASE_TIME, ZONE_NAMES, Catalogue

NOT_FOUND = (
    "The requested URL was not found on the server. If you entered the URL manually please check your spelling "
    "and try again."
)
VALIDATION = "Input payload validation failed"
DATASET_SORTS = ("title", "created", "last_update", "reuses", "followers", "views")
DEFAULT_PAGE_SIZE = 20
_OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")
_GRANULARITY_NAMES = {
    "country": "Country",
    "fr:region": "French region",
    "fr:departement": "French county",
    "fr:commune": "French town",
    "other": "Other",
}


# --- X-Fields masks ---------------------------------------------------------------------------


class MaskError(ValueError):
    pass


Mask = dict[str, "Mask | None"]


def parse_mask(text: str) -> Mask | None:
    """Parse ``data{id,last_update},total`` into ``{"data": {"id": None, "last_update": None}, "total": None}``.

    An empty mask means no mask. ``*`` stands for every key not named. Raises ``MaskError``.
    """
    text = text.strip()
    if not text:
        return None
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    tokens = re.findall(r"[{},]|[^{},\s]+|\s+", text)
    tokens = [token for token in tokens if not token.isspace()]
    mask, position = _parse_fields(tokens, 0, depth=0)
    if position != len(tokens):
        raise MaskError(f"unexpected {tokens[position]!r}")
    if not mask:
        raise MaskError("empty mask")
    return mask


def _parse_fields(tokens: list[str], position: int, *, depth: int) -> tuple[Mask, int]:
    fields: Mask = {}
    expect_name = True
    while position < len(tokens):
        token = tokens[position]
        if token == "}":
            if depth == 0:
                raise MaskError("unbalanced '}'")
            if expect_name:
                raise MaskError("empty field list or trailing comma")
            return fields, position + 1
        if token == ",":
            if expect_name:
                raise MaskError("unexpected ','")
            expect_name, position = True, position + 1
            continue
        if token == "{":
            raise MaskError("'{' without a field name")
        if not expect_name:
            raise MaskError(f"missing ',' before {token!r}")
        position += 1
        nested = None
        if position < len(tokens) and tokens[position] == "{":
            nested, position = _parse_fields(tokens, position + 1, depth=depth + 1)
        fields[token] = nested
        expect_name = False
    if depth:
        raise MaskError("missing '}'")
    if expect_name and fields:
        raise MaskError("trailing comma")
    return fields, position


def apply_mask(value: Any, mask: Mask | None) -> Any:
    """Keep the keys the mask names (all of them with ``*``); unknown names are ignored."""
    if mask is None:
        return value
    if isinstance(value, list):
        return [apply_mask(item, mask) for item in value]
    if not isinstance(value, dict):
        return value
    if "*" in mask:
        return {key: apply_mask(item, mask.get(key)) for key, item in value.items()}
    return {key: apply_mask(value[key], nested) for key, nested in mask.items() if key in value}


# --- the server ---------------------------------------------------------------------------------


class HttpError(Exception):
    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def _not_found() -> HttpError:
    return HttpError(404, {"message": NOT_FOUND})


def _invalid(name: str, message: str) -> HttpError:
    return HttpError(400, {"errors": {name: message}, "message": VALIDATION})


def _positive_int(query: dict[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise _invalid(name, f"Invalid argument: {raw}. invalid literal for int() with base 10: {raw!r}") from None
    if value < 1:
        raise _invalid(name, f"Invalid argument: {raw}. Must be at least 1")
    return value


class StandinServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        topic_readable: bool = True,
        links_base: str | None = None,
        latency: float = 0.0,
    ) -> None:
        super().__init__((host, port), StandinHandler)
        self.catalogue = catalogue
        self.latency = latency  # seconds added to every API request, to imitate the network
        self.topic_readable = topic_readable
        self.url = f"http://{host}:{self.server_address[1]}"
        self.links_base = (links_base or self.url).rstrip("/")
        self.requests = 0
        self._count_lock = threading.Lock()

    def count(self) -> None:
        with self._count_lock:
            self.requests += 1

    def warm_up(self) -> None:
        """Build the lazy tables now rather than during the first (timed) requests."""
        self.catalogue.listed()
        self.catalogue.order("-created")
        self.catalogue.organization_dataset_counts()


class StandinHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API behind its proxy
    # Headers and body leave in two writes: with Nagle's algorithm and the client's delayed ACK,
    # every small response would wait ~40 ms.
    disable_nagle_algorithm = True
    server: StandinServer
    server_version = "bench-standin/1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        query = dict(pairs)
        if path.startswith("/__bench__/"):
            if path == "/__bench__/requests":
                self._send(200, {"requests": self.server.requests})
            else:
                self._send(404, {"error": "unknown bench endpoint", "status": 404})
            return
        self.server.count()
        if self.server.latency:
            time.sleep(self.server.latency)
        try:
            mask = parse_mask(self.headers.get("X-Fields", ""))
        except MaskError as exc:
            self._send(400, {"message": f"Mask parse error: {exc}"})
            return
        try:
            handler, arguments = self._route(path)
            if handler is None:
                if not path.endswith("/") and self._route(path + "/")[0] is not None:
                    location = path + "/" + (f"?{parts.query}" if parts.query else "")
                    raise HttpError(308, {"message": "Permanent redirect"}, {"Location": location})
                raise HttpError(404, {"error": "The requested URL was not found on the server.", "status": 404})
            payload = handler(*arguments, query=query, pairs=pairs, path=path, mask=mask)
        except HttpError as error:
            self._send(error.status, error.body, error.headers)
            return
        except Exception as exc:  # a bug of the stand-in must show, not hang the client
            self._send(500, {"message": f"stand-in error: {exc.__class__.__name__}: {exc}", "status": 500})
            raise
        self._send(200, apply_mask(payload, mask))

    def _route(self, path: str) -> tuple[Callable[..., Any] | None, tuple[str, ...]]:
        routes: tuple[tuple[str, Callable[..., Any]], ...] = (
            (r"/api/1/datasets/", self._datasets),
            (r"/api/1/datasets/licenses/", self._licenses),
            (r"/api/1/datasets/([^/]+)/", self._dataset),
            (r"/api/1/organizations/([^/]+)/", self._organization),
            (r"/api/2/topics/([^/]+)/", self._topic),
            (r"/api/2/topics/([^/]+)/elements/", self._elements),
        )
        for pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if match:
                return handler, match.groups()
        return None, ()

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        try:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate in a publisher's text goes out escaped, as udata sends it
            data = json.dumps(body, separators=(",", ":")).encode("ascii")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # --- helpers ------------------------------------------------------------------------------

    def _link(self, path: str, pairs: list[tuple[str, str]], page: int) -> str:
        kept = [(key, value) for key, value in pairs if key != "page"]
        return f"{self.server.links_base}{path}?{urlencode([*kept, ('page', str(page))])}"

    def _page_bounds(self, query: dict[str, str], total: int, default_size: int) -> tuple[int, int, int, int]:
        page = _positive_int(query, "page", 1)
        page_size = _positive_int(query, "page_size", default_size)
        start = (page - 1) * page_size
        if total and start >= total:
            raise _not_found()
        return page, page_size, start, min(start + page_size, total)

    def _links(self, path: str, pairs: list[tuple[str, str]], page: int, end: int, total: int) -> tuple[Any, Any]:
        next_page = self._link(path, pairs, page + 1) if end < total else None
        previous_page = self._link(path, pairs, page - 1) if page > 1 else None
        return next_page, previous_page

    def _is_topic(self, key: str) -> bool:
        catalogue = self.server.catalogue
        return key in (catalogue.topic_id, catalogue.topic_slug)

    # --- endpoints ----------------------------------------------------------------------------

    def _datasets(self, *, query: dict[str, str], pairs: list[tuple[str, str]], path: str, mask: Mask | None) -> Any:
        catalogue = self.server.catalogue
        topic = query.get("topic")
        if topic is not None and not _OBJECT_ID.fullmatch(topic):
            raise HttpError(400, {"message": "Topic arg must be an identifier"})
        in_topic = topic is not None and topic.lower() == catalogue.topic_id  # an unknown id is ignored
        sort = query.get("sort") or "-created"
        if sort.lstrip("-") not in DATASET_SORTS:
            raise _invalid("sort", f"The value '{sort}' is not a valid choice for 'sort'.")
        order = None if sort == "last_update" else catalogue.order(sort)  # None: reversed index order
        listed = catalogue.listed()
        total = len(listed) if in_topic else catalogue.national_total
        page, page_size, start, end = self._page_bounds(query, total, DEFAULT_PAGE_SIZE)

        wanted = mask is None or "*" in mask or "data" in mask
        item_mask = mask.get("data") if mask else None
        light = item_mask is not None and "*" not in item_mask and set(item_mask) <= Catalogue.LIGHT_FIELDS
        full_objects = self.headers.get("X-Get-Datasets-Full-Objects", "").strip().lower() in {"true", "1", "yes"}
        data: list[Any] = []
        if wanted:
            for position in range(start, end):
                if position < len(listed):
                    index = listed[len(listed) - 1 - position] if order is None else order[position]
                    item = catalogue.dataset_light(index) if light else catalogue.dataset(index)
                else:
                    item = catalogue.other_dataset(position - len(listed))
                if full_objects and not light:
                    item = _full_objects(item)
                data.append(item)
        next_page, previous_page = self._links(path, pairs, page, end, total)
        return {
            "data": data,
            "next_page": next_page,
            "page": page,
            "page_size": page_size,
            "previous_page": previous_page,
            "total": total,
        }

    def _licenses(self, **_: Any) -> Any:
        return self.server.catalogue.licenses()

    def _dataset(self, key: str, **_: Any) -> Any:
        payload = self.server.catalogue.find_dataset(key)
        if payload is None:
            raise _not_found()
        if self.headers.get("X-Get-Datasets-Full-Objects", "").strip().lower() in {"true", "1", "yes"}:
            payload = _full_objects(payload)
        return payload

    def _organization(self, key: str, **_: Any) -> Any:
        catalogue = self.server.catalogue
        index = catalogue.find_organization(key)
        if index is None:
            raise _not_found()
        return catalogue.organization(index)

    def _topic(self, key: str, **_: Any) -> Any:
        if not self._is_topic(key) or not self.server.topic_readable:
            raise _not_found()
        catalogue = self.server.catalogue
        href = f"{self.server.links_base}/api/2/topics/{catalogue.topic_id}/elements/?page=1&page_size=20"
        return catalogue.topic(href)

    def _elements(self, key: str, *, query: dict[str, str], pairs: list[tuple[str, str]], path: str, **_: Any) -> Any:
        if not self._is_topic(key) or not self.server.topic_readable:
            raise _not_found()
        catalogue = self.server.catalogue
        wanted_class = query.get("class")
        total = catalogue.total if wanted_class in (None, "", "Dataset") else 0
        page, page_size, start, end = self._page_bounds(query, total, DEFAULT_PAGE_SIZE)
        next_page, previous_page = self._links(path, pairs, page, end, total)
        return {
            "data": [catalogue.element(index) for index in range(start, end)],
            "page": page,
            "page_size": page_size,
            "total": total,
            "next_page": next_page,
            "previous_page": previous_page,
        }


def _full_objects(dataset: dict[str, Any]) -> dict[str, Any]:
    """What ``X-Get-Datasets-Full-Objects: True`` does to a v1 dataset: zones and granularity as objects."""
    spatial = dataset.get("spatial")
    if not isinstance(spatial, dict):
        return dataset
    zones = []
    for zone in spatial.get("zones") or []:
        level, _, code = zone.rpartition(":")
        zones.append({"code": code, "id": zone, "level": level, "name": ZONE_NAMES.get(zone, code)})
    granularity = spatial.get("granularity") or "other"
    return {
        **dataset,
        "spatial": {
            "geom": spatial.get("geom"),
            "granularity": {"id": granularity, "name": _GRANULARITY_NAMES.get(granularity, granularity)},
            "zones": zones,
        },
    }


def default_base_time() -> float:
    """The catalogue's "now": a fixed date, or yesterday's midnight (UTC) if the clock is earlier.

    An incremental sync asks for what changed since its last run: with a catalogue dated in the
    future of the machine's clock, everything would look changed.
    """
    yesterday = (time.time() // 86_400 - 1) * 86_400
    return min(BASE_TIME, yesterday)


def serve(catalogue: Catalogue, **options: Any) -> StandinServer:
    """Start a stand-in in a background thread; ``server.shutdown()`` stops it."""
    server = StandinServer(catalogue, **options)
    server.warm_up()
    threading.Thread(target=server.serve_forever, name="bench-standin", daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a synthetic culture catalogue like the data.gouv.fr API.")
    parser.add_argument("--size", type=int, default=1000, help="number of datasets in the topic (default 1000)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--archived-share", type=float, default=0.01, help="share of archived datasets (0.01)")
    parser.add_argument(
        "--base-time",
        help="newest last_update, ISO 8601 (default: 2026-08-20T06:00Z, or yesterday if the clock is earlier)",
    )
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every API request (0)")
    parser.add_argument("--private-topic", action="store_true", help="answer 404 on the topic, like a private one")
    parser.add_argument("--hostile", type=int, default=0, help="hostile datasets mixed into the topic (0)")
    parser.add_argument(
        "--links-base", help="host of the next_page links, e.g. https://www.data.gouv.fr (default: this server)"
    )
    args = parser.parse_args(argv)
    base_time = default_base_time()
    if args.base_time:
        moment = datetime.fromisoformat(args.base_time)
        base_time = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    catalogue = Catalogue(
        args.size, seed=args.seed, archived_share=args.archived_share, base_time=base_time, hostile=args.hostile
    )
    server = StandinServer(
        catalogue,
        host=args.host,
        port=args.port,
        topic_readable=not args.private_topic,
        links_base=args.links_base,
        latency=args.latency_ms / 1000,
    )
    server.warm_up()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(server.url, flush=True)
    print(
        f"serving {catalogue.total} datasets ({len(catalogue.listed())} listed, {catalogue.hostile} hostile), "
        f"topic {catalogue.topic_id}"
        f"{' (private)' if args.private_topic else ''}; Ctrl-C to stop",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
