"""HTTP client for the data.gouv.fr API: the only module of the project that speaks HTTP.

Everything goes through one base URL (``DATAGOUV_URL``) so the site can follow another udata
instance or a local stand-in. Transient failures (timeouts, dropped connections, 429, 5xx) are
retried with exponential backoff; what still fails comes out as ``CatalogApiError`` with a message
naming the URL and the status.

The client trusts that base URL and nothing else: redirects are followed on its scheme and host
only, bodies are read up to a size limit, and ids are checked before they become part of a path.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
import orjson
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

USER_AGENT = "culture.data.gouv.fr-portal/0.1 (+https://culture.data.gouv.fr; catalogue sync)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_REDIRECTS = 5  # a renamed object answers one 308; a few more hops are a generous margin
ERROR_BODY_BYTES = 64 * 1024  # an error body is only read for its message
# What an id or slug may look like in a path: ObjectIds (24 hex) and udata slugs fit, while
# "../x", "a/b", "x?y=1", "%2e%2e", whitespace and non-ASCII letters do not.
_PATH_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,254}")


class CatalogApiError(Exception):
    """A call to the catalogue API failed; ``str(error)`` says which URL and why."""

    def __init__(self, message: str, *, url: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class CatalogNotFound(CatalogApiError):
    """The API answered 404 or 410 for this object."""


class CatalogInvalidId(CatalogNotFound):
    """An id or slug that cannot name an object of the API, refused before any request.

    No object has such an id, so it is "not found" (status 404): the sync skips the record that
    carried it, as it skips an object the API answers 404 for.
    """


class CatalogDeadlineExceeded(CatalogApiError):
    """The sync's time is up (``CatalogApiClient.stop_after``): nothing more is asked of the API."""


@dataclass
class Page:
    """One page of a paginated listing."""

    items: list[dict[str, Any]]
    total: int | None
    next_url: str | None


class CatalogApiClient:
    """Reads the data.gouv.fr API (v1 and v2) through one base URL."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 10.0,
        retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        max_retry_after: float = 120.0,
        max_response_bytes: int = 64 * 1024 * 1024,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url or not base_url.startswith(("http://", "https://")):
            raise ImproperlyConfigured(f"DATAGOUV_URL must be an http(s) URL, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.max_response_bytes = max_response_bytes
        self.sleep = sleep
        self.request_count = 0
        self.deadline: float | None = None  # time.monotonic() value after which no request starts
        self._count_lock = threading.Lock()  # the sync reads objects from a few threads at once
        base = httpx.URL(self.base_url)
        self._origin = (base.scheme, base.host, base.port)
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,  # followed by _send, on our own scheme and host only
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CatalogApiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- low level -------------------------------------------------------------------------

    def _absolute(self, url: str) -> str:
        """Keep every call on our base URL, even when the API hands out links on another host."""
        if url.startswith("/"):
            return f"{self.base_url}{url}"
        parts = urlsplit(url)
        base = urlsplit(self.base_url)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            parts = parts._replace(scheme=base.scheme, netloc=base.netloc)
        return urlunsplit(parts)

    def stop_after(self, seconds: float | None) -> None:
        """Refuse to start any request ``seconds`` from now: a sync never runs forever."""
        self.deadline = time.monotonic() + seconds if seconds else None

    def _check_deadline(self, target: str) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise CatalogDeadlineExceeded(
                f"GET {target} not attempted: the sync ran out of time (SYNC_DEADLINE_MINUTES)", url=target
            )

    def _retry_delay(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None and response.status_code == 429:
            retry_after = _parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is not None:
                return min(retry_after, self.max_retry_after)
        delay = min(self.backoff * (2**attempt), self.max_backoff)
        return delay * (0.75 + random.random() / 2)  # jitter, so parallel clients spread out

    def get_json(self, url: str, *, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Any:
        """GET a URL (path or absolute) and return its decoded JSON, retrying transient failures."""
        target = self._absolute(url)
        last_problem = ""
        for attempt in range(self.retries + 1):
            self._check_deadline(target)
            response: httpx.Response | None = None
            try:
                response, body = self._send(target, params=params, headers=headers)
            except httpx.TimeoutException:
                last_problem = f"no answer within {self._http.timeout.read:g} s"
            except httpx.TransportError as exc:
                last_problem = f"connection failed ({exc.__class__.__name__}: {exc})"
            except httpx.HTTPError as exc:  # invalid URL, protocol error...
                raise CatalogApiError(f"GET {target} failed: {exc}", url=target) from exc
            else:
                if response.status_code < 400:
                    return _decode(response, body)
                if response.status_code not in RETRY_STATUSES:
                    raise _status_error(response, body)
                last_problem = f"HTTP {response.status_code} {response.reason_phrase}".strip()
            if attempt < self.retries:
                delay = self._retry_delay(attempt, response)
                if self.deadline is not None and time.monotonic() + delay > self.deadline:
                    raise CatalogDeadlineExceeded(
                        f"GET {target} failed ({last_problem}) and the sync has no time left to retry "
                        "(SYNC_DEADLINE_MINUTES)",
                        url=target,
                        status=response.status_code if response is not None else None,
                    )
                logger.warning(
                    "GET %s: %s; retry %d/%d in %.1f s", target, last_problem, attempt + 1, self.retries, delay
                )
                self.sleep(delay)
        status = response.status_code if response is not None else None
        raise CatalogApiError(
            f"GET {target} failed after {self.retries + 1} attempts: {last_problem}", url=target, status=status
        )

    def _send(
        self, target: str, *, params: dict[str, Any] | None, headers: dict[str, str] | None
    ) -> tuple[httpx.Response, bytes]:
        """One GET and its body, following redirects that stay on the base URL's scheme and host.

        A renamed object answers 308 with a relative ``Location``: that is followed. A redirect
        elsewhere is refused, not retried: the API (or whatever answers at DATAGOUV_URL) is not
        where the setting says, and only an operator can tell which address is right.
        """
        request = self._http.build_request("GET", target, params=params, headers=headers)
        for _hop in range(MAX_REDIRECTS + 1):
            with self._count_lock:
                self.request_count += 1
            response = self._http.send(request, stream=True)
            try:
                if not response.has_redirect_location:
                    return response, self._read(response)
            finally:
                response.close()
            location = self._redirect_target(request.url, response)
            request = self._http.build_request("GET", location, headers=headers)
        raise CatalogApiError(
            f"GET {target}: more than {MAX_REDIRECTS} redirects (last to {request.url}): not followed further",
            url=target,
            status=response.status_code,
        )

    def _redirect_target(self, current: httpx.URL, response: httpx.Response) -> httpx.URL:
        location = response.headers["Location"]
        try:
            target = current.join(location)
        except httpx.InvalidURL as exc:
            message = f"GET {current} redirected to an invalid URL {location!r}"
            raise CatalogApiError(message, url=str(current), status=response.status_code) from exc
        if (target.scheme, target.host, target.port) != self._origin:
            raise CatalogApiError(
                f"GET {current} redirected (HTTP {response.status_code}) to {target}, outside {self.base_url}: "
                "not followed. Check DATAGOUV_URL (scheme and host of the API)",
                url=str(current),
                status=response.status_code,
            )
        return target

    def _read(self, response: httpx.Response) -> bytes:
        """The body, read chunk by chunk and refused once it is past ``max_response_bytes``.

        Error bodies only give a message: their first bytes are enough, and a long one is cut
        rather than refused, so a 503 stays a retried 503.
        """
        if response.status_code >= 400:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) >= ERROR_BODY_BYTES:
                    break
            return bytes(body[:ERROR_BODY_BYTES])
        limit = self.max_response_bytes
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(response, limit, f"announces {int(declared)} bytes")
        body = bytearray()
        for chunk in response.iter_bytes():  # decoded: the limit holds for compressed bodies too
            body += chunk
            if len(body) > limit:
                raise _too_large(response, limit, f"goes past {limit} bytes")
        return bytes(body)

    def iter_pages(
        self, path: str, *, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> Iterator[Page]:
        """Follow the API's own ``next_page`` links until the listing ends."""
        url: str | None = self._absolute(path)
        query = params
        seen: set[str] = set()
        while url:
            payload = self.get_json(url, params=query, headers=headers)
            if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
                raise CatalogApiError(f"GET {url}: not a paginated listing (no 'data' list)", url=url)
            items = [item for item in payload["data"] if isinstance(item, dict)]
            total = payload.get("total") if isinstance(payload.get("total"), int) else None
            next_url = payload.get("next_page") or None
            if next_url is not None and not isinstance(next_url, str):
                raise CatalogApiError(f"GET {url}: 'next_page' is not a URL: {next_url!r}", url=url)
            if next_url:
                # The API gives absolute links; relative ones are accepted too. Both stay on our base URL.
                next_url = self._absolute(urljoin(url, next_url))
            yield Page(items=items, total=total, next_url=next_url)
            if next_url:
                if next_url in seen:
                    raise CatalogApiError(f"pagination loops: {next_url} was already requested", url=next_url)
                seen.add(next_url)
                if not items:
                    raise CatalogApiError(f"GET {url}: empty page before the end of the listing", url=url)
            url, query = next_url, None  # next_page already carries the query string

    # --- endpoints -------------------------------------------------------------------------

    def get_topic(self, topic: str) -> dict[str, Any]:
        """The topic (``/api/2/topics/{id}/``); private topics answer 404 to anonymous callers."""
        return self.get_json(f"/api/2/topics/{_path_id(topic, 'topic')}/")

    def iter_topic_dataset_ids(self, topic: str, *, page_size: int = 1000) -> Iterator[str]:
        """Ids of every dataset element of the topic, archived ones included."""
        path = f"/api/2/topics/{_path_id(topic, 'topic')}/elements/"  # checked now, not at the first next()
        return self._element_ids(path, {"class": "Dataset", "page_size": page_size})

    def _element_ids(self, path: str, params: dict[str, Any]) -> Iterator[str]:
        for page in self.iter_pages(path, params=params):
            for item in page.items:
                element = item.get("element")
                if isinstance(element, dict) and element.get("class") == "Dataset" and element.get("id"):
                    yield str(element["id"])

    def iter_dataset_pages(self, *, topic: str, page_size: int = 100, **filters: Any) -> Iterator[Page]:
        """Pages of full datasets (v1, resources inline) of the topic."""
        params = {"topic": topic, "page_size": page_size, **filters}
        headers = {"X-Get-Datasets-Full-Objects": "True"}  # spatial zones with their names
        yield from self.iter_pages("/api/1/datasets/", params=params, headers=headers)

    def iter_dataset_ids(self, *, topic: str, page_size: int = 1000) -> Iterator[str]:
        """Ids of the datasets the topic listing shows, the cheapest way: a field mask, big pages."""
        params = {"topic": topic, "page_size": page_size}
        headers = {"X-Fields": "data{id},total,next_page"}
        for page in self.iter_pages("/api/1/datasets/", params=params, headers=headers):
            for item in page.items:
                if isinstance(item.get("id"), str) and item["id"]:
                    yield item["id"]

    def count_datasets(self, **filters: Any) -> int | None:
        """The ``total`` of a dataset listing, fetched as cheaply as the API allows."""
        payload = self.get_json("/api/1/datasets/", params={"page_size": 1, **filters}, headers={"X-Fields": "total"})
        total = payload.get("total") if isinstance(payload, dict) else None
        return total if isinstance(total, int) else None

    def get_dataset(self, dataset_id: str) -> dict[str, Any]:
        """One dataset by id or slug (v1, resources inline); ``CatalogInvalidId`` for anything else."""
        path = f"/api/1/datasets/{_path_id(dataset_id, 'dataset')}/"
        return self.get_json(path, headers={"X-Get-Datasets-Full-Objects": "True"})

    def get_organization(self, organization_id: str) -> dict[str, Any]:
        """One organization by id or slug; ``CatalogInvalidId`` for anything else."""
        return self.get_json(f"/api/1/organizations/{_path_id(organization_id, 'organization')}/")

    def list_licenses(self) -> list[dict[str, Any]]:
        payload = self.get_json("/api/1/datasets/licenses/")
        if not isinstance(payload, list):
            raise CatalogApiError("GET /api/1/datasets/licenses/: expected a list", url="/api/1/datasets/licenses/")
        return [item for item in payload if isinstance(item, dict)]


def _path_id(value: object, what: str) -> str:
    """``value`` if it is an ObjectId or a plain slug, safe to put in a path; else ``CatalogInvalidId``."""
    if isinstance(value, str) and _PATH_ID.fullmatch(value) and ".." not in value:
        return value
    raise CatalogInvalidId(f"{what} id {value!r:.80} is neither an ObjectId nor a slug: not requested", status=404)


def _too_large(response: httpx.Response, limit: int, how: str) -> CatalogApiError:
    url = str(response.request.url)
    return CatalogApiError(
        f"GET {url}: the response {how}, over the limit of {limit} bytes (DATAGOUV_MAX_RESPONSE_MB): refused",
        url=url,
        status=response.status_code,
    )


# Python refuses to read integers of more digits than this (CVE-2020-10735): a publisher's absurd
# number would otherwise make a whole listing page unreadable. It becomes null, i.e. unknown.
_MAX_DIGITS = 4000


def _bounded_int(digits: str) -> int | None:
    return int(digits) if len(digits) <= _MAX_DIGITS else None


def parse_json(text: str | bytes) -> Any:
    """JSON as the API sends it, numbers of thousands of digits read as null (dump files use it too).

    orjson reads what the API normally sends, several times faster; what it refuses (NaN, Infinity, lone
    surrogates, nesting deeper than 255) is read by the standard library's parser, so that a hostile record
    reads as it always did, and malformed JSON fails with its usual error. One difference remains: orjson
    reads an integer beyond 64 bits as a float, which the mapping clamps or drops exactly as the integer.
    """
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text, parse_int=_bounded_int)


def json_bytes(value: Any, *, sort_keys: bool = False, default: Any = None) -> bytes:
    """Compact JSON, the twin of ``parse_json``: by orjson, or, for what it refuses (a lone surrogate in a
    publisher's text, an integer beyond 64 bits), by the standard library with ASCII escapes, so that the bytes
    are always valid UTF-8."""
    try:
        return orjson.dumps(value, default=default, option=orjson.OPT_SORT_KEYS if sort_keys else None)
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(value, sort_keys=sort_keys, default=default, separators=(",", ":")).encode()


def _decode(response: httpx.Response, body: bytes) -> Any:
    try:
        return parse_json(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        snippet = body[:80].decode("utf-8", "replace").replace("\n", " ")
        raise CatalogApiError(
            f"GET {response.request.url}: HTTP {response.status_code} but the body is not JSON ({snippet!r}…)",
            url=str(response.request.url),
            status=response.status_code,
        ) from exc


def _status_error(response: httpx.Response, body: bytes) -> CatalogApiError:
    url = str(response.request.url)
    message = ""
    try:
        payload = json.loads(body)
        if isinstance(payload, dict):
            message = str(payload.get("message") or payload.get("error") or "")[:200]
    except (json.JSONDecodeError, UnicodeDecodeError):
        pass
    text = f"GET {url} failed: HTTP {response.status_code} {response.reason_phrase}".strip()
    if message:
        text += f" ({message})"
    error_class = CatalogNotFound if response.status_code in (404, 410) else CatalogApiError
    return error_class(text, url=url, status=response.status_code)


def _parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def get_client(**overrides: Any) -> CatalogApiClient:
    """A client configured from settings (``DATAGOUV_URL``, ``DATAGOUV_TIMEOUT``, ``DATAGOUV_MAX_RESPONSE_MB``...)."""
    base_url = getattr(settings, "DATAGOUV_URL", "")
    if not base_url:
        raise ImproperlyConfigured("DATAGOUV_URL is not set")
    options: dict[str, Any] = {
        "timeout": settings.DATAGOUV_TIMEOUT,
        "retries": settings.DATAGOUV_RETRIES,
        "backoff": settings.DATAGOUV_RETRY_BACKOFF,
        "max_response_bytes": int(settings.DATAGOUV_MAX_RESPONSE_MB * 1024 * 1024),
    }
    options.update(overrides)
    return CatalogApiClient(base_url, **options)
