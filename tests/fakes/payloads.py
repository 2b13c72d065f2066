"""The one builder of data.gouv.fr API payloads, for the tests, the synthetic catalogue and the sample builder.

Each ``*_payload(**fields)`` function returns an object with exactly the key set of the real API
(see /work/shared/datagouv-api/: v1 dataset, resource, organization, organization reference,
user reference, licence; v2 topic and topic element), in the API's order: alphabetical for v1,
model order for the topic. A key the API does not have is a ``TypeError``; a key not given takes
an empty value (``None``, ``[]``, ``{}``, ``False``), except the few with no sensible default.
Callers compute the values (hashed ids, invented texts…); the shape is decided here only.

Below them, short helpers for tests (``dataset(id, title, …)``, ``organization(id, name)``,
``resource(id)``), and ``write_dump``/``load`` to put payloads in the database through the real sync.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

TOPIC = "69aea5dff97ef1fc29836765"
BASE = "https://www.data.gouv.fr"

# What an anonymous reader is allowed on an object (the API always sends the dict).
NO_PERMISSIONS = {"delete": False, "edit": False, "harvest": False, "members": False, "private": False}
NO_DATASET_PERMISSIONS = {"delete": False, "edit": False, "edit_resources": False}

_DATASET = {
    "access_audiences": [], "access_type": "open", "access_type_reason": None, "access_type_reason_category": None,
    "acronym": None, "archived": None, "authorization_request_url": None, "badges": [], "contact_points": [],
    "created_at": ..., "deleted": None, "description": "", "description_short": None, "extras": {},
    "featured": False, "frequency": "unknown", "frequency_date": None, "harvest": None, "id": ..., "internal": {},
    "last_modified": ..., "last_update": ..., "license": None, "metrics": {}, "organization": None, "owner": None,
    "page": ..., "permissions": NO_DATASET_PERMISSIONS, "private": False, "quality": {}, "resources": [],
    "schema": None,
    "slug": ..., "spatial": None, "tags": [], "temporal_coverage": None, "title": ..., "uri": ...,
}  # fmt: skip
_RESOURCE = {
    "checksum": None, "created_at": ..., "description": None, "extras": {}, "filesize": None, "filetype": "file",
    "format": None, "harvest": None, "id": ..., "internal": {}, "last_modified": ..., "latest": ..., "metrics": {},
    "mime": None, "preview_url": None, "schema": None, "title": ..., "type": "main", "url": ...,
}  # fmt: skip
_ORGANIZATION = {
    "acronym": None, "badges": [], "business_number_id": None, "created_at": ..., "deleted": None,
    "description": "", "ext": {}, "extras": {}, "id": ..., "image_url": None, "last_modified": ..., "logo": None,
    "logo_thumbnail": None, "members": [], "metrics": {}, "name": ..., "page": ..., "permissions": NO_PERMISSIONS,
    "presentation_blocs_published_at": None, "slug": ..., "teams": [], "uri": ..., "url": None, "zone": None,
}  # fmt: skip
_ORGANIZATION_REFERENCE = ("acronym", "badges", "class", "id", "logo", "logo_thumbnail", "name", "page",
                           "permissions", "slug", "uri")  # fmt: skip
_USER_REFERENCE = {
    "avatar": None, "avatar_thumbnail": None, "class": "User", "first_name": ..., "id": ..., "last_name": ...,
    "page": ..., "slug": ..., "uri": ...,
}  # fmt: skip
_LICENSE = {
    "alternate_titles": [], "alternate_urls": [], "flags": [], "id": ..., "maintainer": None, "title": ..., "url": None,
}  # fmt: skip
_TOPIC = {  # v2: the model's order
    "id": ..., "owner": None, "organization": None, "created_at": ..., "last_modified": ..., "name": ..., "slug": ...,
    "description": "", "tags": [], "color": None, "featured": False, "private": False, "extras": {}, "spatial": None,
    "uri": ..., "elements": None,
}  # fmt: skip


def _shape(kind: str, template: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(template)
    if unknown:
        raise TypeError(f"the API's {kind} has no {', '.join(sorted(unknown))}")
    missing = [key for key, default in template.items() if default is ... and key not in fields]
    if missing:
        raise TypeError(f"a {kind} needs {', '.join(missing)}")
    return {key: fields[key] if key in fields else copy.deepcopy(default) for key, default in template.items()}


def dataset_payload(**fields: Any) -> dict[str, Any]:
    """``GET /api/1/datasets/{id}/``; needs id, slug, title, created_at, last_modified, last_update, page, uri."""
    return _shape("dataset", _DATASET, fields)


def resource_payload(**fields: Any) -> dict[str, Any]:
    """A resource inline in a v1 dataset; needs id, title, url, latest, created_at, last_modified."""
    return _shape("resource", _RESOURCE, fields)


def organization_payload(**fields: Any) -> dict[str, Any]:
    """``GET /api/1/organizations/{id}/``; needs id, name, slug, created_at, last_modified, page, uri."""
    return _shape("organization", _ORGANIZATION, fields)


def organization_reference(organization: dict[str, Any]) -> dict[str, Any]:
    """The organization as a dataset or a topic embeds it."""
    reference = {key: copy.deepcopy(organization.get(key)) for key in _ORGANIZATION_REFERENCE}
    reference["class"] = "Organization"
    reference["permissions"] = reference["permissions"] or dict(NO_PERMISSIONS)
    return reference


def user_reference_payload(**fields: Any) -> dict[str, Any]:
    """A user as a dataset's ``owner`` or an organization member embeds it."""
    return _shape("user reference", _USER_REFERENCE, fields)


def license_payload(**fields: Any) -> dict[str, Any]:
    """An item of ``GET /api/1/datasets/licenses/``."""
    return _shape("licence", _LICENSE, fields)


def topic_payload(**fields: Any) -> dict[str, Any]:
    """``GET /api/2/topics/{id}/``; needs id, name, slug, created_at, last_modified, uri."""
    return _shape("topic", _TOPIC, fields)


def subsection_link(href: str, total: int) -> dict[str, Any]:
    """A v2 link object, as in a topic's ``elements`` or a dataset's ``resources``."""
    return {"rel": "subsection", "href": href, "type": "GET", "total": total}


def topic_element_payload(element_id: str, dataset_id: str) -> dict[str, Any]:
    """An item of ``GET /api/2/topics/{id}/elements/`` pointing at a dataset."""
    return {
        "id": element_id,
        "title": None,
        "description": None,
        "tags": [],
        "extras": {},
        "element": {"class": "Dataset", "id": dataset_id},
    }


# --------------------------------------------------------------------------------------------------
# Short helpers for tests


def organization(org_id: str, name: str, *, slug: str | None = None, badges: tuple[str, ...] = ("public-service",),
                 description: str = "", logo: str | None = None) -> dict[str, Any]:  # fmt: skip
    slug = slug or org_id
    return organization_payload(
        id=org_id,
        name=name,
        slug=slug,
        description=description,
        logo=logo,
        logo_thumbnail=logo,
        badges=[{"kind": kind} for kind in badges],
        metrics={"datasets": 1, "followers": 3, "views": 10},
        created_at="2015-01-01T00:00:00+00:00",
        last_modified="2026-01-01T00:00:00+00:00",
        page=f"{BASE}/organizations/{slug}",
        uri=f"{BASE}/api/1/organizations/{slug}/",
    )


def reference(org: dict[str, Any]) -> dict[str, Any]:
    return organization_reference(org)


def resource(res_id: str, *, title: str = "Fichier", fmt: str | None = "csv", type: str = "main",
             filesize: int | None = 1024, url: str | None = None) -> dict[str, Any]:  # fmt: skip
    return resource_payload(
        id=res_id,
        title=title,
        type=type,
        format=fmt,
        url=url or f"https://static.data.gouv.fr/resources/{res_id}.{fmt or 'bin'}",
        latest=f"{BASE}/api/1/datasets/r/{res_id}",
        filesize=filesize,
        created_at="2024-01-01T00:00:00+00:00",
        last_modified="2025-06-01T00:00:00+00:00",
    )


def dataset(ds_id: str, title: str, *, tags: tuple[str, ...] = (), org: dict[str, Any] | None = None,
            resources: list[dict[str, Any]] | None = None, description: str = "Description.",
            last_update: str = "2025-06-01T00:00:00+00:00", license: str | None = "lov2", views: int = 0,
            archived: str | None = None, slug: str | None = None, **extra: Any) -> dict[str, Any]:  # fmt: skip
    """A dataset payload; ``extra`` keys replace the built values (any key, hostile tests need that)."""
    slug = slug or ds_id
    owner = None
    if not org:
        owner = {"first_name": "Camille", "last_name": "Martin", "slug": "camille-martin",
                 "page": f"{BASE}/users/camille-martin", "class": "User"}  # fmt: skip
    payload = dataset_payload(
        id=ds_id,
        slug=slug,
        title=title,
        description=description,
        created_at="2020-01-01T00:00:00+00:00",
        last_modified=last_update,
        last_update=last_update,
        archived=archived,
        tags=list(tags),
        frequency="annual",
        license=license,
        organization=reference(org) if org else None,
        owner=owner,
        resources=resources if resources is not None else [resource(f"{ds_id}-r1")],
        metrics={"views": views, "followers": 0, "reuses": 0, "discussions": 1, "resources_downloads": 0},
        page=f"{BASE}/datasets/{slug}",
        uri=f"{BASE}/api/1/datasets/{slug}/",
    )
    payload.update(extra)
    return payload


def write_dump(path: Path, datasets: list[dict], organizations: list[dict] = (), licenses: list[dict] = (),
               *, sample: bool = False) -> Path:  # fmt: skip
    lines = [{"kind": "meta", "format": "culture-portal-dump", "version": 1, "source": BASE, "topic": TOPIC,
              "created_at": "2026-11-01T00:00:00+00:00", "sample": sample}]  # fmt: skip
    lines += [{"kind": "license", "data": item} for item in licenses]
    lines += [{"kind": "organization", "data": item} for item in organizations]
    lines += [{"kind": "dataset", "data": item} for item in datasets]
    lines.append({"kind": "end", "datasets": len(datasets), "total": len(datasets)})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def load(tmp_path: Path, datasets: list[dict], organizations: list[dict] = (), licenses: list[dict] = (),
         **kwargs: Any):  # fmt: skip
    """Put these payloads in the database through the real sync (``--from-dump`` path)."""
    from catalog.ingest.service import sync_catalog  # imported late: the builders above need no Django

    index = len(list(tmp_path.glob("dump-*.jsonl")))
    dump = write_dump(tmp_path / f"dump-{index}.jsonl", datasets, organizations, licenses, **kwargs)
    return sync_catalog(from_dump=dump)
