"""Builders of API-shaped payloads for tests, and a helper loading them through the real sync."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

TOPIC = "69aea5dff97ef1fc29836765"
BASE = "https://www.data.gouv.fr"


def organization(org_id: str, name: str, *, slug: str | None = None, badges: tuple[str, ...] = ("public-service",),
                 description: str = "", logo: str | None = None) -> dict[str, Any]:  # fmt: skip
    slug = slug or org_id
    return {
        "id": org_id,
        "name": name,
        "acronym": None,
        "slug": slug,
        "description": description,
        "url": None,
        "logo": logo,
        "logo_thumbnail": logo,
        "badges": [{"kind": kind} for kind in badges],
        "metrics": {"datasets": 1, "followers": 3, "views": 10},
        "created_at": "2015-01-01T00:00:00+00:00",
        "last_modified": "2026-01-01T00:00:00+00:00",
        "page": f"{BASE}/organizations/{slug}",
        "uri": f"{BASE}/api/1/organizations/{slug}/",
    }


def reference(org: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "acronym", "slug", "logo", "logo_thumbnail", "badges", "page", "uri")
    return {key: copy.deepcopy(org.get(key)) for key in keys} | {"class": "Organization"}


def resource(res_id: str, *, title: str = "Fichier", fmt: str | None = "csv", type: str = "main",
             filesize: int | None = 1024, url: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "id": res_id,
        "title": title,
        "description": None,
        "type": type,
        "filetype": "file",
        "format": fmt,
        "url": url or f"https://static.data.gouv.fr/resources/{res_id}.{fmt or 'bin'}",
        "latest": f"{BASE}/api/1/datasets/r/{res_id}",
        "checksum": None,
        "filesize": filesize,
        "mime": None,
        "created_at": "2024-01-01T00:00:00+00:00",
        "last_modified": "2025-06-01T00:00:00+00:00",
        "metrics": {},
        "extras": {},
        "harvest": None,
        "preview_url": None,
        "schema": None,
        "internal": {},
    }


def dataset(ds_id: str, title: str, *, tags: tuple[str, ...] = (), org: dict[str, Any] | None = None,
            resources: list[dict[str, Any]] | None = None, description: str = "Description.",
            last_update: str = "2025-06-01T00:00:00+00:00", license: str | None = "lov2", views: int = 0,
            archived: str | None = None, slug: str | None = None, **extra: Any) -> dict[str, Any]:  # fmt: skip
    slug = slug or ds_id
    payload = {
        "id": ds_id,
        "slug": slug,
        "title": title,
        "acronym": None,
        "description": description,
        "description_short": None,
        "created_at": "2020-01-01T00:00:00+00:00",
        "last_modified": last_update,
        "last_update": last_update,
        "archived": archived,
        "deleted": None,
        "private": False,
        "featured": False,
        "tags": list(tags),
        "badges": [],
        "frequency": "annual",
        "frequency_date": None,
        "license": license,
        "organization": reference(org) if org else None,
        "owner": None
        if org
        else {
            "first_name": "Camille",
            "last_name": "Martin",
            "slug": "camille-martin",
            "page": f"{BASE}/users/camille-martin",
            "class": "User",
        },  # fmt: skip
        "resources": resources if resources is not None else [resource(f"{ds_id}-r1")],
        "temporal_coverage": None,
        "spatial": None,
        "metrics": {"views": views, "followers": 0, "reuses": 0, "discussions": 1, "resources_downloads": 0},
        "quality": {},
        "extras": {},
        "harvest": None,
        "page": f"{BASE}/datasets/{slug}",
        "uri": f"{BASE}/api/1/datasets/{slug}/",
    }
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
    from catalog.sync import sync_catalog  # imported late: the builders above need no Django

    index = len(list(tmp_path.glob("dump-*.jsonl")))
    dump = write_dump(tmp_path / f"dump-{index}.jsonl", datasets, organizations, licenses, **kwargs)
    return sync_catalog(from_dump=dump)
