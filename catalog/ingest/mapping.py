"""Pure functions turning API payloads into model field values (no database, easy to test).

Publishers' data is messy: any field may be missing, null or of the wrong type. Mappers never
raise on odd values; they clamp them, so a strange record is stored, not dropped: a date that
overflows once its offset is applied becomes unknown, and so does an absurd number; every string
is cut to its column's length *after* normalisation (lower-casing can lengthen a string), in
characters, which is how PostgreSQL measures ``varchar(n)`` (SQLite does not enforce lengths).
What still fails (a bug, or a value no rule foresaw) is left out by the sync alone (catalog.ingest).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from datetime import UTC, date, datetime
from typing import Any

import orjson
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime

from catalog import labels, search
from catalog.api.client import json_bytes
from catalog.markdown import html_to_text, plain_text, render_markdown
from catalog.models import Dataset, Organization, Resource, Tag

ORGANIZATION_KIND_ORDER = ("local-authority", "public-service", "association", "company")
_CONTROL = (
    {i: None for i in range(32) if i not in (9, 10, 13)}
    | {0x7F: None}
    # Invisible characters that can disguise text: bidi overrides and isolates, zero-width space, marks, BOM.
    | dict.fromkeys([0x200B, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF])
)


MAX_INT = 2_147_483_647  # the largest value every database accepts in an integer column
MAX_FILESIZE = 10**15  # a petabyte: anything larger is a broken value, not a file
_SLUG = re.compile(r"^[\w.~-]{1,255}$")
_FORMAT_JUNK = re.compile(r"[^\w.+-]+")


def _valid_unicode(value: str) -> str:
    # Lone surrogates (valid in JSON, not in UTF-8) would make the database refuse the row.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


_CONTROL_CHARACTER = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_CONTROL)) + "]")
_SPACE = re.compile(r"\s")


def text(value: Any, limit: int | None = None) -> str:
    """A clean string: non-strings and nulls become "", control characters go."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    value = str(value)
    if _CONTROL_CHARACTER.search(value):
        value = value.translate(_CONTROL)  # a table lookup per character: only for the texts that need it
    result = (value if value.isascii() else _valid_unicode(value)).strip()
    return result[:limit] if limit else result


def slug(value: Any, fallback: Any) -> str:
    """A slug usable in our URLs (no slash, no space); else the id, else a digest of it."""
    for candidate in (text(value), text(fallback)):
        if _SLUG.match(candidate) and candidate.strip("."):
            return candidate
    return "id-" + hashlib.sha1(text(fallback).encode()).hexdigest()[:24]


def clean_json(value: Any) -> Any:
    """The payload as stored in ``raw``: strings without NUL or lone surrogates (PostgreSQL refuses both),
    no NaN or Infinity (valid for Python's JSON reader, refused by both databases' JSON columns).

    Through orjson when it can: it refuses lone surrogates and writes NaN and Infinity as null, so a payload it
    writes without a NUL reads back clean, several times faster than walking 60,000 payloads in Python.
    """
    try:
        encoded = orjson.dumps(value)
    except (orjson.JSONEncodeError, TypeError):  # a lone surrogate, an integer beyond 64 bits, deep nesting
        return _cleaned(value)
    return _cleaned(value) if b"\\u0000" in encoded else orjson.loads(encoded)


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        if value.isascii() and "\x00" not in value:
            return value
        return _valid_unicode(value.replace("\x00", ""))
    if isinstance(value, dict):
        return {_cleaned(key): _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def fit(model: type[models.Model], fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` with every string cut to its column's ``max_length``, in characters.

    The last guard of the mappers: each one ends with it, so no publisher string, however it was
    built, can be longer than its column (PostgreSQL would refuse the row, and the whole sync with it).
    """
    for name, value in fields.items():
        if isinstance(value, str):
            limit = _max_lengths(model).get(name)
            if limit is not None and len(value) > limit:
                fields[name] = value[:limit].rstrip()
    return fields


_MAX_LENGTHS: dict[type, dict[str, int]] = {}


def _max_lengths(model: type[models.Model]) -> dict[str, int]:
    if model not in _MAX_LENGTHS:
        _MAX_LENGTHS[model] = {
            field.name: field.max_length
            for field in model._meta.get_fields()
            if getattr(field, "max_length", None) and not field.is_relation
        }
    return _MAX_LENGTHS[model]


def http_url(value: Any, limit: int = 2000) -> str:
    """The value if it is an http(s) URL of sane length, else "" (never a javascript: link)."""
    url = text(value)
    if not url or len(url) > limit or _SPACE.search(url):
        return ""
    return url if url.lower().startswith(("https://", "http://")) else ""


def fraction(value: Any) -> float | None:
    """A score between 0 and 1, else None (NaN, Infinity, a number too large for a float, a string)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return None
    return number if 0.0 <= number <= 1.0 else None


def integer(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return min(max(value, 0), MAX_INT)
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return min(max(int(value), 0), MAX_INT)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 12:
        return min(int(value.strip()), MAX_INT)
    return 0


def moment(value: Any) -> datetime | None:
    """An aware UTC datetime, or None when the value is not a date the databases can hold.

    ``9999-12-31T23:59:59-05:00`` is valid ISO 8601 but lies past year 9999 once in UTC (and
    ``0001-01-01T00:00:00+01:00`` before year 1): the conversion happens here, where it can fail
    quietly, not when the row is written.
    """
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value.strip()[:64])
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        only_date = day(value)
        if only_date is None:
            return None
        parsed = datetime(only_date.year, only_date.month, only_date.day)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_date(value.strip()[:10])
    except (ValueError, OverflowError):
        return None


# Bump when the mapping or the Markdown rendering changes: every dataset is then mapped again by the
# next full sync (incremental ones only re-read what changed), even if the payload is the same.
MAPPING_VERSION = 4  # 4: the payload hashed as orjson writes it


def payload_hash(payload: dict[str, Any]) -> str:
    """What a sync compares to know whether a dataset must be mapped and saved again: the payload, the mapping's
    version and the universe's categories (a category added to or renamed in the universe file files every
    dataset again at the next full sync)."""
    encoded = json_bytes(payload, sort_keys=True, default=str)
    return hashlib.sha256(b"mapping-%d:" % MAPPING_VERSION + _categories_key(labels.CATEGORIES) + encoded).hexdigest()


@functools.lru_cache(maxsize=8)
def _categories_key(categories: tuple[labels.Category, ...]) -> bytes:
    return json.dumps([[category.tag, category.slug, category.label] for category in categories]).encode() + b":"


def badge_kinds(badges: Any) -> list[str]:
    if not isinstance(badges, list):
        return []
    kinds = []
    for badge in badges:
        kind = badge.get("kind") if isinstance(badge, dict) else badge
        kind = text(kind, 64)
        if kind and kind not in kinds:
            kinds.append(kind)
    return kinds


def organization_kind(badges: list[str]) -> str:
    for kind in ORGANIZATION_KIND_ORDER:
        if kind in badges:
            return kind
    return "other"


def organization_fields(payload: dict[str, Any]) -> dict[str, Any]:
    """Fields of an Organization from ``GET /api/1/organizations/{id}/`` or from a reference."""
    badges = badge_kinds(payload.get("badges"))
    metrics = payload.get("metrics") if isinstance(payload.get("metrics"), dict) else {}
    description = text(payload.get("description"))
    name = text(payload.get("name"), 500) or text(payload.get("slug"), 500) or "Organisation sans nom"
    fields = {
        "slug": slug(payload.get("slug"), payload.get("id")),
        "name": name,
        "acronym": text(payload.get("acronym"), 100),
        "description": description,
        "description_html": render_markdown(description),
        "logo": http_url(payload.get("logo"), 1000),
        "logo_thumbnail": http_url(payload.get("logo_thumbnail"), 1000) or http_url(payload.get("logo"), 1000),
        "website": http_url(payload.get("url"), 1000),
        "page": http_url(payload.get("page"), 1000),
        "badges": badges,
        "kind": organization_kind(badges),
        "created_at": moment(payload.get("created_at")),
        "last_modified": moment(payload.get("last_modified")),
        "metric_followers": integer(metrics.get("followers")),
        "metric_views": integer(metrics.get("views")),
    }
    return fit(Organization, fields)


def tag_names(payload: dict[str, Any]) -> list[str]:
    tags = payload.get("tags") if isinstance(payload.get("tags"), list) else []
    names: list[str] = []
    for tag in tags:
        # Cut after lower-casing, which can lengthen a string ("İ" becomes two characters).
        name = text(text(tag, 1000).lower(), _max_lengths(Tag)["name"])
        if name and name not in names:
            names.append(name)
    return names


def _zones(spatial: dict[str, Any]) -> list[dict[str, str]]:
    zones = spatial.get("zones") if isinstance(spatial.get("zones"), list) else []
    result = []
    for zone in zones[:50]:
        if isinstance(zone, dict):  # X-Get-Datasets-Full-Objects gives {id, name, ...}
            zone_id = text(zone.get("id"), 200)
            name = text(zone.get("name"), 200) or labels.ZONE_LABELS.get(zone_id, zone_id)
        else:
            zone_id = text(zone, 200)
            name = labels.ZONE_LABELS.get(zone_id, zone_id)
        if zone_id or name:
            result.append({"id": zone_id, "name": name})
    return result


def _granularity(spatial: dict[str, Any]) -> tuple[str, str]:
    granularity = spatial.get("granularity")
    if isinstance(granularity, dict):
        code = text(granularity.get("id"), 100)
        return code, labels.GRANULARITY_LABELS.get(code) or text(granularity.get("name"), 200) or code
    code = text(granularity, 100)
    return code, labels.GRANULARITY_LABELS.get(code, code)


def owner_name(owner: Any) -> str:
    if not isinstance(owner, dict):
        return ""
    name = " ".join(part for part in (text(owner.get("first_name")), text(owner.get("last_name"))) if part)
    return (name or text(owner.get("slug")))[:500]


def _size(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_FILESIZE:
        return value
    return None


def resource_fields(payload: dict[str, Any], position: int) -> dict[str, Any]:
    extras = payload.get("extras") if isinstance(payload.get("extras"), dict) else {}
    filesize = _size(payload.get("filesize"))
    if filesize is None:
        filesize = _size(extras.get("analysis:content-length"))
    resource_type = text(payload.get("type"), 32)
    available = extras.get("check:available")
    url = http_url(payload.get("url"))
    fields = {
        "remote_id": text(payload.get("id"), 64) or f"position-{position}",
        "position": position,
        "title": text(payload.get("title"), 1000),
        "description": plain_text(text(payload.get("description"), 5000), 500),
        "type": resource_type if resource_type in labels.RESOURCE_TYPES else "other",
        "filetype": text(payload.get("filetype"), 32),
        "format": _FORMAT_JUNK.sub("-", text(payload.get("format"), 100).lower()).strip(".-")[:30],
        "mime": text(payload.get("mime"), 200),
        "url": url,
        "download_url": http_url(payload.get("latest")) or url,
        "filesize": filesize,
        "created_at": moment(payload.get("created_at")),
        "last_modified": moment(payload.get("last_modified")),
        "available": available if isinstance(available, bool) else None,
    }
    return fit(Resource, fields)


def resources_of(payload: dict[str, Any], errors: list[tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    """The dataset's files, mapped. With ``errors``, a file whose mapping raises is left out and
    recorded there as ``(id, reason)`` (the sync's quarantine); without it, the exception goes up."""
    resources = payload.get("resources") if isinstance(payload.get("resources"), list) else []
    mapped: list[dict[str, Any]] = []
    seen: set[str] = set()
    for payload_resource in resources:
        if not isinstance(payload_resource, dict):
            continue
        try:
            fields = resource_fields(payload_resource, len(mapped))
        except Exception as exc:
            if errors is None:
                raise
            errors.append((text(payload_resource.get("id"), 64), f"{exc.__class__.__name__}: {exc}"))
            continue
        if fields["remote_id"] in seen:
            continue
        seen.add(fields["remote_id"])
        mapped.append(fields)
    return mapped


def _padded(words, limit: int) -> str:
    """ " a b c " within ``limit`` characters: words that do not fit are left out whole."""
    kept: list[str] = []
    length = 1
    for word in words:
        if length + len(word) + 1 > limit:
            break
        kept.append(word)
        length += len(word) + 1
    return f" {' '.join(kept)} " if kept else ""


def dataset_fields(
    payload: dict[str, Any], *, base_url: str, resources: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The Dataset and DatasetText fields of a payload; ``resources`` when already mapped."""
    metrics = payload.get("metrics") if isinstance(payload.get("metrics"), dict) else {}
    spatial = payload.get("spatial") if isinstance(payload.get("spatial"), dict) else {}
    temporal = payload.get("temporal_coverage") if isinstance(payload.get("temporal_coverage"), dict) else {}
    quality = payload.get("quality") if isinstance(payload.get("quality"), dict) else {}
    organization = payload.get("organization") if isinstance(payload.get("organization"), dict) else None
    slug_value = slug(payload.get("slug"), payload.get("id"))
    title = text(payload.get("title"), 1000) or slug_value  # slug() never returns ""
    description = text(payload.get("description"))
    description_html = render_markdown(description)
    short = text(payload.get("description_short"), 1000) or html_to_text(description_html, 300)
    granularity, granularity_label = _granularity(spatial)
    tags = tag_names(payload)
    organization_name = text(organization.get("name")) if organization else ""
    organization_acronym = text(organization.get("acronym")) if organization else ""
    owner = payload.get("owner") if isinstance(payload.get("owner"), dict) else {}
    publisher = organization_name or owner_name(owner)
    if resources is None:
        resources = resources_of(payload)
    formats = sorted({resource["format"] for resource in resources if resource["format"]})
    acronym = text(payload.get("acronym"), 200)
    document = search.document(
        title=title,
        acronym=acronym,
        tags=tags + [category.label for category in labels.CATEGORIES if category.tag in tags] + formats,
        publisher=publisher,
        publisher_acronym=organization_acronym,
        summary=text(payload.get("description_short"), 1000),
        description=description,
    )
    fields = {
        "slug": slug_value,
        "title": title,
        "acronym": acronym,
        "description": description,
        "description_html": description_html,
        "description_short": short,
        "page": http_url(payload.get("page"), 1000) or f"{base_url}/datasets/{slug_value}",
        "owner_name": "" if organization else owner_name(owner),
        "owner_page": "" if organization else http_url(owner.get("page"), 1000),
        "frequency": text(payload.get("frequency"), 64) or "unknown",
        "frequency_date": moment(payload.get("frequency_date")),
        "temporal_start": day(temporal.get("start")),
        "temporal_end": day(temporal.get("end")),
        "spatial_zones": _zones(spatial),
        "spatial_granularity": granularity,
        "spatial_granularity_label": granularity_label,
        "created_at": moment(payload.get("created_at")),
        "last_modified": moment(payload.get("last_modified")),
        "last_update": moment(payload.get("last_update")) or moment(payload.get("last_modified")),
        "archived_at": moment(payload.get("archived")),
        "metric_views": integer(metrics.get("views")),
        "metric_followers": integer(metrics.get("followers")),
        "metric_reuses": integer(metrics.get("reuses")),
        "metric_discussions": integer(metrics.get("discussions")),
        "metric_downloads": integer(metrics.get("resources_downloads")),
        "quality_score": fraction(quality.get("score")),
        "formats": _padded(formats, _max_lengths(Dataset)["formats"]),
        "category_slugs": _padded(
            (c.slug for c in labels.CATEGORIES if c.tag in tags), _max_lengths(Dataset)["category_slugs"]
        ),
        "tag_names": sorted(tags),
        "resource_count": len(resources),
        "sort_title": search.fold(title)[:200],
        "title_words": min(len(document["search_title"].split()), 32767),
        **document,
    }
    return fit(Dataset, fields)
