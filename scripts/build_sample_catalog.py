#!/usr/bin/env python3
"""Build the sample catalogue shipped in ``catalog/data/sample-catalog.jsonl``.

The site loads this file when data.gouv.fr is unreachable. Everything in it is
invented (realistic French culture open data written by us) and flagged as such:
``"sample": true`` on the meta line, ``extras["culture_portal:sample"]`` on every
dataset and a sentence at the end of every non-empty dataset description.

The file follows docs/dump-format.md (version 2): a ``meta`` line naming the culture
universe's two sections (Explorer, the culture topic; Observer, the DEPS statistics),
a ``topic`` line per section, the ``license`` list, one ``organization`` per
publisher, the ``dataset`` lines section by section (a dataset in both topics is
written once, for Explorer, and Observer names it in a ``member`` line) and the
``end`` line. Payloads are shaped by ``tests/fakes/payloads.py``, with the
exact key sets of the data.gouv.fr API.

What the catalogue says (titles, descriptions, publishers, files, dates, metrics)
is data, in ``scripts/sample_catalog/*.yaml`` (each file's header lists its keys);
this script only turns it into API payloads (ids, URLs, checks, monthly metrics…).

The output is deterministic: no clock, no randomness. Ids, checksums and small
numbers are derived from SHA-1 hashes of fixed strings.

Usage: .venv/bin/python scripts/build_sample_catalog.py [output path]   (needs PyYAML, a dev dependency)
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tomllib
import unicodedata
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the API's payload shapes come from the fake data.gouv.fr

from tests.fakes import payloads  # noqa: E402

OUTPUT = ROOT / "catalog" / "data" / "sample-catalog.jsonl"
CONTENT = Path(__file__).resolve().parent / "sample_catalog"  # what the datasets and publishers say

SITE = "https://www.data.gouv.fr"
API = f"{SITE}/api/1"
STATIC = "https://static.data.gouv.fr"
TOPIC_ID = "69aea5dff97ef1fc29836765"
OBSERVER_TOPIC_ID = "69f2fca0f4f30af95d4bab8a"  # the culture universe's second section
# The culture universe's sections, in its order, and their topics: what a sync of it reads.
SECTIONS = {"explorer": TOPIC_ID, "observer": OBSERVER_TOPIC_ID}
UNIVERSE = ROOT / "culture_portal" / "universes" / "culture.toml"  # Observer's tag groups, checked by ``check``

# The moment the dump pretends to have been taken. Every date is before it.
NOW = datetime(2026, 8, 20, 6, 0, 0, tzinfo=UTC)
# Months of the "*_by_months" metrics (the last 13 months, like the API).
MONTHS = [f"{2025 + (7 + i) // 12}-{(7 + i) % 12 + 1:02d}" for i in range(13)]

SAMPLE_FLAG = (
    "\n\n*Données d'exemple inventées pour culture.data.gouv.fr : ce jeu de données n'existe pas sur data.gouv.fr.*"
)
ORG_FLAG = "\n\n*Organisation d'exemple inventée pour culture.data.gouv.fr.*"

CATEGORIES = [
    "archives",
    "architecture",
    "arts-plastiques",
    "cinema",
    "spectacle-vivant",
    "livre",
    "musique",
    "presse",
    "musee",
    "langue",
    "industries-culturelles",
]

MIME = {
    "csv": "text/csv",
    "json": "application/json",
    "geojson": "application/geo+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "parquet": "application/vnd.apache.parquet",
    "xml": "application/xml",
    "shp": "application/zip",
    "html": "text/html",
}
EXTENSION = {"shp": "zip"}
# Formats udata considers closed (quality "has_open_format").
CLOSED_FORMATS = {"pdf", "doc", "docx", "word", "xls", "excel", "xlsx"}
# Delay before the next expected update (udata Dataset.next_update).
FREQUENCY_DELTA = {
    "daily": timedelta(days=1),
    "weekly": timedelta(weeks=1),
    "monthly": timedelta(days=31),
    "quarterly": timedelta(days=365 / 4),
    "semiannual": timedelta(days=365),
    "annual": timedelta(days=365),
}
QUALITY_DESCRIPTION_LENGTH = 100


# --------------------------------------------------------------------------- helpers


def slugify(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("’", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def sha1(*parts: object) -> str:
    return hashlib.sha1("/".join(str(p) for p in parts).encode()).hexdigest()


def number(seed: str, low: int, high: int) -> int:
    """A deterministic integer in [low, high]."""
    return low + int(sha1(seed), 16) % (high - low + 1)


def object_id(when: datetime, seed: str) -> str:
    """A MongoDB ObjectId: creation timestamp followed by 8 bytes derived from the seed."""
    return f"{int(when.timestamp()):08x}{sha1('oid', seed)[:16]}"


def resource_uuid(seed: str) -> str:
    return str(uuid.UUID(hex=sha1("resource", seed)[:32], version=4))


def d(text: str) -> datetime:
    """'2024-05-22 14:09:47.301' -> aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat()  # "+00:00" offset, fraction only when non-zero, like the API


def by_months(total: int, since: datetime) -> dict[str, int]:
    """Monthly cumulative values growing to ``total`` (0 before ``since``)."""
    values = {}
    for i, month in enumerate(MONTHS):
        if month < since.strftime("%Y-%m"):
            values[month] = 0
        else:
            values[month] = int(total * (0.82 + 0.18 * i / 12))
    values[MONTHS[-1]] = total
    return values


# --------------------------------------------------------------------------- users


def user_ref(first_name: str, last_name: str, since: str, avatar: bool = True) -> dict:
    slug = slugify(f"{first_name} {last_name}")
    ref = payloads.user_reference_payload(
        avatar=None,
        avatar_thumbnail=None,
        first_name=first_name,
        id=object_id(d(since), f"user/{slug}"),
        last_name=last_name,
        page=f"{SITE}/users/{slug}",
        slug=slug,
        uri=f"{API}/users/{slug}/",
    )
    if avatar:
        h = sha1("avatar", slug)
        ref["avatar"] = f"{STATIC}/avatars/{h[:2]}/{h[2:32]}-original.jpeg"
        ref["avatar_thumbnail"] = f"{STATIC}/avatars/{h[:2]}/{h[2:32]}-100.jpeg"
    return ref


# --------------------------------------------------------------------------- organizations


def build_organization(spec: dict) -> dict:
    slug = slugify(spec["name"])
    created = d(spec["created"])
    # Invented avatar URLs would show as broken images: sample organizations have no logo
    # unless an entry asks for one explicitly.
    logo = logo_thumbnail = None
    if spec.get("logo", False):
        h = sha1("logo", slug)
        logo = f"{STATIC}/avatars/{h[:2]}/{h[2:32]}-original.png"
        logo_thumbnail = f"{STATIC}/avatars/{h[:2]}/{h[2:32]}-100.png"
    first_name, last_name, since = spec["member"]
    user = user_ref(first_name, last_name, since, avatar=False)
    user["email"] = f"***@{spec['email_domain']}"
    user["last_login_at"] = None
    m = spec["metrics"]
    description = spec["description"] + (ORG_FLAG if spec.get("invented") else "")
    return payloads.organization_payload(
        acronym=spec["acronym"],
        badges=[{"kind": kind} for kind in spec["badges"]],
        business_number_id=None,
        created_at=iso(created),
        deleted=None,
        description=description,
        ext={},
        extras={},
        id=object_id(created, f"organization/{slug}"),
        image_url=None,
        last_modified=iso(d(spec["modified"])),
        logo=logo,
        logo_thumbnail=logo_thumbnail,
        members=[{"label": "Administrateur", "role": "admin", "since": iso(d(since)), "user": user}],
        metrics={
            "dataservices": m["dataservices"],
            "dataservices_by_months": by_months(m["dataservices"], created),
            "datasets": m["datasets"],
            "datasets_by_months": by_months(m["datasets"], created),
            "datasets_followers_by_months": by_months(m["followers"] * 3 // 2, created),
            "datasets_reuses_by_months": by_months(m["reuses"] * 3, created),
            "followers": m["followers"],
            "members": 1,
            "reuses": m["reuses"],
            "reuses_by_months": by_months(m["reuses"], created),
            "reuses_followers_by_months": by_months(m["reuses"] * 5, created),
            "views": m["views"],
        },
        name=spec["name"],
        page=f"{SITE}/organizations/{slug}",
        presentation_blocs_published_at=None,
        slug=slug,
        teams=[],
        uri=f"{API}/organizations/{slug}/",
        url=spec["url"],
        zone=spec.get("zone"),
    )


# --------------------------------------------------------------------------- resources


def build_resource(spec: dict, index: int, ds: dict) -> dict:
    slug = ds["slug"]
    rid = resource_uuid(f"{slug}/{index}/{spec['title']}")
    fmt = spec["format"]
    last_modified = d(spec["date"]) if "date" in spec else ds["_updated"]
    if "created" in spec:
        created = d(spec["created"])
    elif ds["_harvest"]:
        created = ds["_created"]
    else:
        created = ds["_created"] + timedelta(seconds=41 * (index + 1), microseconds=number(rid, 0, 999) * 1000)
    created = min(created, last_modified)
    remote = "url" in spec
    mime = MIME.get(fmt) if fmt else None

    if remote:
        url = spec["url"]
    else:
        name = spec.get("name") or f"{slugify(spec['title'])}.{EXTENSION.get(fmt, fmt)}"
        url = f"{STATIC}/resources/{slug}/{created.strftime('%Y%m%d-%H%M%S')}/{name}"

    extras: dict = {}
    checked = remote or number(rid, 0, 2) > 0
    if checked:
        check_date = NOW - timedelta(
            days=number(rid + "d", 1, 12), seconds=number(rid + "s", 0, 86399), microseconds=number(rid, 1, 999999)
        )
        check_date = max(check_date, last_modified + timedelta(hours=2, microseconds=number(rid, 1, 999999)))
        broken = spec.get("broken", False)
        extras.update(
            {
                "check:available": not broken,
                "check:date": iso(check_date),
                "check:status": 404 if broken else 200,
            }
        )
        if not broken and mime:
            extras["check:headers:content-type"] = mime
    if remote and spec.get("length"):
        extras.update(
            {
                "analysis:checksum": sha1("analysis", rid),
                "analysis:content-length": spec["length"],
                "analysis:last-modified-at": iso(last_modified),
                "analysis:last-modified-detection": "last-modified-header",
                "analysis:mime-type": "application/json" if fmt == "geojson" else mime,
            }
        )

    harvest = None
    if ds["_harvest"]:
        harvest = {
            "issued_at": iso(created),
            "last_update": iso(ds["_internal_modified"]),
            "modified_at": iso(last_modified),
        }
        if not ds["_archived"]:
            harvest["uri"] = url
        internal_created = ds["_internal_created"] + timedelta(milliseconds=14 * (index + 1))
        internal_modified = ds["_internal_modified"]
    else:
        internal_created, internal_modified = created, last_modified

    views = spec.get("views")
    if views is None:
        weight = 6 if spec.get("type", "main") == "main" else 1
        views = ds["_downloads"] * weight // (6 * max(ds["_resource_count"], 1)) + number(rid, 0, 40)
    return payloads.resource_payload(
        checksum=None if remote else {"type": "sha1", "value": sha1("file", rid)},
        created_at=iso(created),
        description=spec.get("desc") or None,
        extras=extras,
        filesize=None if remote else spec.get("size", number(rid, 8_000, 2_400_000)),
        filetype="remote" if remote else "file",
        format=fmt,
        harvest=harvest,
        id=rid,
        internal={"created_at_internal": iso(internal_created), "last_modified_internal": iso(internal_modified)},
        last_modified=iso(last_modified),
        latest=f"{API}/datasets/r/{rid}",
        metrics={"views": views} if views else {},
        mime=mime,
        preview_url=f"https://explore.data.gouv.fr/fr/resources/{rid}" if spec.get("preview") else None,
        schema=None,
        title=spec["title"],
        type=spec.get("type", "main"),
        url=url,
    )


def is_available(resource: dict) -> bool:
    return resource["filetype"] != "remote" or resource["extras"].get("check:available", True) is not False


# --------------------------------------------------------------------------- datasets


def build_dataset(entry: dict, orgs: dict[str, dict], contacts: dict[str, list]) -> dict:
    title = entry["title"]
    slug = entry.get("slug") or slugify(title)
    created = d(entry["created"])
    harvest_spec = entry.get("harvest")
    archived = d(entry["archived"]) if entry.get("archived") else None
    resources_spec = entry["resources"]

    # Dates. Non-harvested: created_at/last_modified are the platform dates. Harvested:
    # they come from the source; the platform dates are those of the import and last harvest.
    updated = d(entry["updated"]) if entry.get("updated") else None
    if harvest_spec:
        modified = updated
        internal_created = d(entry["imported"])
        internal_modified = archived or updated + timedelta(
            minutes=number(slug, 20, 75), seconds=number(slug + "s", 0, 59), microseconds=number(slug, 1, 999) * 1000
        )
    else:
        modified = d(entry["modified"]) if entry.get("modified") else updated + timedelta(seconds=257)
        internal_created, internal_modified = created, modified

    views, followers, reuses, discussions, discussions_open = entry["metrics"]
    downloads = views * number(slug + "dl", 25, 85) // 100 if resources_spec else 0
    ds = {
        "slug": slug,
        "_created": created,
        "_updated": updated,
        "_harvest": bool(harvest_spec),
        "_archived": archived,
        "_internal_created": internal_created,
        "_internal_modified": internal_modified,
        "_downloads": downloads,
        "_resource_count": len(resources_spec),
    }
    resources = [build_resource(spec, i, ds) for i, spec in enumerate(resources_spec)]
    # udata: last_update is the most recent resource change, else last_modified.
    last_update = max(d(r["last_modified"]) for r in resources) if resources else modified

    frequency = entry["frequency"]
    delta = FREQUENCY_DELTA.get(frequency)
    next_update = last_update + delta if delta else None

    description = entry["description"]
    if description:
        description += SAMPLE_FLAG

    # Quality, computed like udata's Dataset.quality.
    quality: dict = {
        "license": bool(entry["license"]),
        "temporal_coverage": bool(entry["temporal"]),
        "spatial": bool(entry["spatial"]),
        "update_frequency": frequency != "unknown",
    }
    if next_update:
        quality["update_fulfilled_in_time"] = (next_update - NOW).days >= -1
    elif frequency in ("continuous", "irregular", "punctual"):
        quality["update_fulfilled_in_time"] = True
    quality["dataset_description_quality"] = len(description) > QUALITY_DESCRIPTION_LENGTH
    if resources:
        quality["has_resources"] = True
        quality["has_open_format"] = not all(r["format"] is None or r["format"] in CLOSED_FORMATS for r in resources)
        quality["all_resources_available"] = all(is_available(r) for r in resources)
        quality["resources_documentation"] = any(r["type"] == "documentation" or r["description"] for r in resources)
    quality["score"] = sum(1 for k, v in quality.items() if v is True and k != "has_resources") / 9

    org = orgs[entry["org"]] if entry.get("org") else None
    owner = user_ref(*entry["owner"]) if entry.get("owner") else None

    harvest = None
    extras: dict = {"culture_portal:sample": True}
    if harvest_spec:
        remote_url = f"https://{harvest_spec['domain']}/explore/dataset/{entry['remote_id']}/"
        harvest = {
            "backend": harvest_spec["backend"],
            "domain": harvest_spec["domain"],
            "issued_at": iso(created),
            "last_update": iso(internal_modified),
            "modified_at": iso(modified),
            "remote_id": entry["remote_id"],
            "source_id": harvest_spec["source_id"],
        }
        if archived:
            harvest.update({"archived": "not-on-remote", "archived_at": iso(archived)})
        else:
            harvest.update(
                {
                    "created_at": iso(created),
                    "dct_identifier": entry["remote_id"],
                    "remote_url": remote_url,
                    "uri": remote_url,
                }
            )
            extras["dcat"] = {"landingPage": [remote_url]}

    contact_points = []
    if entry.get("contact") and org:
        name, form = contacts[entry["org"]]
        contact_points.append(
            {
                "contact_form": form,
                "email": None,
                "id": object_id(created, f"contact/{org['slug']}"),
                "name": name,
                "organization": payloads.organization_reference(org),
                "owner": None,
                "role": "contact",
            }
        )

    if entry.get("flat_metrics"):
        followers_by_months = reuses_by_months = 0
    else:
        followers_by_months = by_months(followers, created)
        reuses_by_months = by_months(reuses, created)

    temporal = None
    if entry["temporal"]:
        start, end = entry["temporal"]
        temporal = {"end": end, "start": start}

    frequency_date = None
    if next_update and not archived:
        frequency_date = iso(next_update.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1))

    return payloads.dataset_payload(
        access_audiences=[],
        access_type="open",
        access_type_reason=None,
        access_type_reason_category=None,
        acronym=entry.get("acronym"),
        archived=iso(archived),
        authorization_request_url=None,
        badges=[{"kind": kind} for kind in entry.get("badges", [])],
        contact_points=contact_points,
        created_at=iso(created),
        deleted=None,
        description=description,
        description_short=entry["short"],
        extras=extras,
        featured=entry.get("featured", False),
        frequency=frequency,
        frequency_date=frequency_date,
        harvest=harvest,
        id=object_id(internal_created, f"dataset/{slug}"),
        internal={
            "created_at_internal": iso(internal_created),
            "last_modified_internal": iso(internal_modified),
        },
        last_modified=iso(modified),
        last_update=iso(last_update),
        license=entry["license"],
        metrics={
            "dataservices": entry.get("dataservices", 0),
            "discussions": discussions,
            "discussions_open": discussions_open,
            "followers": followers,
            "followers_by_months": followers_by_months,
            "resources_downloads": downloads,
            "reuses": reuses,
            "reuses_by_months": reuses_by_months,
            "views": views,
        },
        organization=payloads.organization_reference(org) if org else None,
        owner=owner,
        page=f"{SITE}/datasets/{slug}",
        quality=quality,
        resources=resources,
        slug=slug,
        spatial=entry["spatial"],
        tags=sorted(set(entry["tags"])),
        temporal_coverage=temporal,
        title=title,
        uri=f"{API}/datasets/{slug}/",
    )


# --------------------------------------------------------------------------- topic


def build_topic(mc: dict, dataset_count: int, *, topic_id: str = TOPIC_ID, content: str = "topic") -> dict:
    """GET /api/2/topics/{id}/ (v2 keeps the model order)."""
    spec = load(content)
    return payloads.topic_payload(
        id=topic_id,
        owner=None,
        organization=payloads.organization_reference(mc),
        created_at=spec["created_at"],
        last_modified=spec["last_modified"],
        name=spec["name"],
        slug=spec["slug"],
        description=spec["description"],
        tags=spec["tags"],
        color=None,
        featured=False,
        private=False,
        extras={},
        spatial=None,
        uri=f"{SITE}/api/2/topics/{spec['slug']}/",
        # Elements point to datasets whatever their state, archived ones included.
        elements=payloads.subsection_link(
            f"{SITE}/api/2/topics/{topic_id}/elements/?page=1&page_size=20", dataset_count
        ),
    )


# --------------------------------------------------------------------------- main


def sections_of(entry: dict) -> list[str]:
    """The sections whose topic holds a datasets.yaml entry: Explorer's (the culture topic) unless it says."""
    return entry.get("sections", ["explorer"])


def load(name: str):
    """One of the content files in scripts/sample_catalog/."""
    return yaml.safe_load((CONTENT / f"{name}.yaml").read_text(encoding="utf-8"))


def build() -> list[dict]:
    specs = load("organizations")
    organizations = [build_organization(spec) for spec in specs]
    by_key = {spec["key"]: org for spec, org in zip(specs, organizations, strict=True)}
    contacts = {spec["key"]: spec.get("contact") for spec in specs}
    entries = load("datasets")
    datasets = [build_dataset(entry, by_key, contacts) for entry in entries]
    # section -> the datasets its topic holds, in file order.
    held = {
        section: [ds for entry, ds in zip(entries, datasets, strict=True) if section in sections_of(entry)]
        for section in SECTIONS
    }

    check(organizations, datasets, entries, held)

    lines: list[dict] = [
        {
            "kind": "meta",
            "format": "culture-portal-dump",
            "version": 2,
            "source": SITE,
            "topic": TOPIC_ID,
            "sections": [{"id": section, "topic": topic, "mode": "full"} for section, topic in SECTIONS.items()],
            "created_at": iso(NOW),
            "sample": True,
        },
        {"kind": "topic", "section": "explorer", "data": build_topic(by_key["mc"], len(held["explorer"]))},
        {"kind": "topic", "section": "observer",
         "data": build_topic(by_key["mc"], len(held["observer"]), topic_id=OBSERVER_TOPIC_ID,
                             content="observer_topic")},
    ]  # fmt: skip
    lines += [{"kind": "license", "data": payloads.license_payload(**spec)} for spec in load("licenses")]
    lines += [{"kind": "organization", "data": org} for org in organizations]
    written: set[str] = set()
    for section, members in held.items():
        for dataset in members:
            if dataset["id"] in written:  # in an earlier section's topic too: stored once, named again
                lines.append({"kind": "member", "section": section, "id": dataset["id"]})
            else:
                written.add(dataset["id"])
                lines.append({"kind": "dataset", "section": section, "data": dataset})
    lines.append(
        {
            "kind": "end",
            "datasets": len(datasets),
            # What the anonymous topic listings announce, summed over the sections like a sync's dump:
            # archived datasets are left out, a dataset in both topics is in both listings.
            "total": sum(1 for members in held.values() for dataset in members if not dataset["archived"]),
        }
    )
    return lines


def observer_tag_groups() -> dict[str, set[str]]:
    """Observer's tag-group facets in the culture universe file: facet name -> its tags."""
    universe = tomllib.loads(UNIVERSE.read_text(encoding="utf-8"))
    (observer,) = (section for section in universe["sections"] if section["id"] == "observer")
    return {facet["name"]: {item["tag"] for item in facet["tags"]} for facet in observer["facets"] if "tags" in facet}


def check(organizations: list[dict], datasets: list[dict], entries: list[dict], held: dict[str, list[dict]]) -> None:
    """Cheap consistency checks; the generator refuses to write a broken sample."""
    ids = [o["id"] for o in organizations] + [ds["id"] for ds in datasets]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert all(re.fullmatch(r"[0-9a-f]{24}", i) for i in ids), "bad ObjectId"
    slugs = [ds["slug"] for ds in datasets]
    assert len(slugs) == len(set(slugs)), "duplicate slugs"
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs), "bad slug"
    rids = [r["id"] for ds in datasets for r in ds["resources"]]
    assert len(rids) == len(set(rids)), "duplicate resource ids"
    for ds in datasets:
        assert not ds["description_short"] or len(ds["description_short"]) <= 200, ds["slug"]
        assert "<" not in ds["description"], f"HTML in {ds['slug']}"
        dates = [ds["created_at"], ds["last_modified"], ds["last_update"], ds["internal"]["last_modified_internal"]]
        assert all(datetime.fromisoformat(x) <= NOW for x in dates), f"date after NOW in {ds['slug']}"
    for entry in entries:
        sections = sections_of(entry)
        assert sections and len(set(sections)) == len(sections) <= len(SECTIONS), f"sections of {entry['title']}"
        assert set(sections) <= set(SECTIONS), f"unknown section in {entry['title']}"
    for category in CATEGORIES:  # the culture categories are Explorer's (an Observer tag may look alike)
        count = sum(1 for ds in held["explorer"] if category in ds["tags"])
        assert count >= 3, f"category {category} on {count} datasets"
    # Observer's datasets are found by its facets: one or two « Thématique », one to three « Sous-thématique ».
    groups = observer_tag_groups()
    for ds in held["observer"]:
        tags = set(ds["tags"])
        assert 1 <= len(tags & groups["thematique"]) <= 2, f"Thématique tags of {ds['slug']}"
        assert 1 <= len(tags & groups["sous_thematique"]) <= 3, f"Sous-thématique tags of {ds['slug']}"


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    lines = build()
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="\n") as fh:
        for line in lines:
            # v1 payloads have alphabetically sorted keys; the topic (v2) keeps its order.
            sort = line["kind"] != "topic"
            fh.write(json.dumps(line, ensure_ascii=False, sort_keys=sort, separators=(",", ":")) + "\n")
    kinds = [line["kind"] for line in lines]
    datasets = [line for line in lines if line["kind"] == "dataset"]
    archived = sum(1 for line in datasets if line["data"]["archived"])
    sections = {
        section: sum(1 for line in lines if line["kind"] in ("dataset", "member") and line["section"] == section)
        for section in SECTIONS
    }
    try:
        shown = output.relative_to(ROOT)
    except ValueError:
        shown = output
    print(
        f"wrote {shown}: {len(datasets)} datasets ({archived} archived; "
        + ", ".join(f"{count} in {section}" for section, count in sections.items())
        + f"), {kinds.count('organization')} organizations, {kinds.count('license')} licenses"
    )


if __name__ == "__main__":
    main()
