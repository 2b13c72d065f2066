"""Bring the culture catalogue from the data.gouv.fr API into the database.

The universe declares sections (Explorer, Observer…), each a data.gouv.fr topic; one run reads every
section's topic. A dataset held by several topics is fetched and stored once and knows its sections
(``Dataset.section_ids``); a dataset that leaves every topic is withdrawn.

A sync has two phases so that a failure never leaves half a catalogue:

1. *fetch*: page through each topic's datasets, look up archived ones and the publishing
   organizations, and stream every payload, untouched, into a dump file (docs/dump-format.md);
2. *apply*: read that file back and replace the catalogue in one database transaction.

Any error in phase 1, or in phase 2 before the commit, leaves the previous catalogue exactly as it
was. ``--from-dump`` runs phase 2 alone on a saved file, through the same parsing code.

Each section is synced *in full* (everything above) or *incrementally*: only the datasets updated
since the last successful run, newest first until an older one shows up, plus a membership check
that costs one request when the topic's size is what we expect (``fetch_changes``). Incremental is
the default for a section once a full sync of the same source and topic succeeded less than
``SYNC_FULL_EVERY`` ago; a section new to the universe, or whose topic changed, is read in full.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import gzip
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone

from catalog import search
from catalog.api.client import CatalogApiClient, CatalogApiError, CatalogDeadlineExceeded, parse_json
from catalog.ingest import mapping
from catalog.models import CatalogSummary, Dataset, DatasetText, License, Organization, Resource, SyncRun, Tag
from catalog.selectors import listing as selectors

logger = logging.getLogger(__name__)

DUMP_FORMAT = "culture-portal-dump"
DUMP_VERSION = 2  # 2: several sections (``sections`` in meta, ``section`` on records); 1 is still read
BATCH_SIZE = 200
# Private topics answer one of these to anonymous callers; the topic read is then optional.
UNREADABLE = frozenset({401, 403, 404, 410})
# Full datasets per listing page (the API has no maximum; 100 keeps responses around a megabyte).
LISTING_PAGE_SIZE = 100
# Newest datasets fetched per request by an incremental sync: an unchanged catalogue costs one page.
CHANGES_PAGE_SIZE = 50
# Beyond this many changed or added datasets, one-by-one requests cost more than a full sync.
CHANGES_LIMIT = 2000
ADDED_LIMIT = 200
# Updates are looked for since the start of the last successful run, minus this margin.
CHANGES_OVERLAP = timedelta(hours=1)
_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")

FULL = "full"
INCREMENTAL = "incremental"

Progress = Callable[[str], None]


class SyncError(Exception):
    """The sync did not happen; the message says why in one line. The old catalogue is intact."""


class NeedsFullSync(Exception):
    """An incremental sync found more change than it can handle cheaply; a full sync of the section takes over."""

    def __init__(self, message: str, section: str = "") -> None:
        super().__init__(message)
        self.section = section


@dataclass(frozen=True)
class SectionPlan:
    """A section of the universe as one run syncs it: its topic, and where its changes start (None: in full)."""

    id: str
    topic: str
    since: datetime | None = None

    @property
    def mode(self) -> str:
        return FULL if self.since is None else INCREMENTAL

    def meta(self) -> dict[str, str]:
        entry = {"id": self.id, "topic": self.topic, "mode": self.mode}
        if self.since is not None:
            entry["since"] = self.since.isoformat()
        return entry


def sections_to_sync(topic: str | None = None) -> list[SectionPlan]:
    """Every section of the universe with its topic; ``topic`` (or ``CATALOG_TOPIC``) replaces the first's."""
    sections = settings.UNIVERSE.sections
    first = topic or settings.CATALOG_TOPIC or sections[0].topic
    return [SectionPlan(section.id, first if index == 0 else section.topic) for index, section in enumerate(sections)]


def _overall_mode(modes: Iterable[str]) -> str:
    """A run is full when every section was read in full; its ``sections`` record says which were not."""
    return FULL if all(mode == FULL for mode in modes) else INCREMENTAL


@dataclass
class SkippedRecord:
    """A record a sync left out: its kind (dataset, organization, resource, license), id and why."""

    kind: str
    id: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "reason": self.reason}


# A run keeps this many left-out records in the database (the count is always exact).
SKIPPED_KEPT = 100


@dataclass
class SectionCount:
    """What a run did for one section: its topic, how it was read, its datasets afterwards (archived included)."""

    topic: str
    mode: str
    datasets: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"topic": self.topic, "mode": self.mode, "datasets": self.datasets}


@dataclass
class SyncReport:
    source: str = ""
    mode: str = FULL
    is_sample: bool = False
    dry_run: bool = False
    datasets_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    archived: int = 0
    organizations: int = 0
    resources: int = 0
    requests: int = 0
    seconds: float = 0.0
    skipped: list[SkippedRecord] = field(default_factory=list)
    sections: dict[str, SectionCount] = field(default_factory=dict)

    def summary(self) -> str:
        prefix = "Dry run, nothing saved: " if self.dry_run else ""
        prefix += "incremental sync, " if self.mode == INCREMENTAL else ""
        sample = " (sample data)" if self.is_sample else ""
        # Each section's datasets, and how it was read when the sections were not all read the same way.
        mixed = len({count.mode for count in self.sections.values()}) > 1
        parts = [
            f"{name} {count.datasets}" + (f" {count.mode}" if mixed else "") for name, count in self.sections.items()
        ]
        per_section = f" ({', '.join(parts)})" if parts else ""
        text = (
            f"{prefix}{self.datasets_total} datasets{sample}{per_section}: {self.created} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.withdrawn} withdrawn, {self.archived} archived; "
            f"{self.organizations} organizations, {self.resources} files; "
            f"{self.requests} API requests in {self.seconds:.1f} s"
        )
        if self.skipped:
            text += f"; {len(self.skipped)} records left out"
        return text

    def skipped_lines(self) -> list[str]:
        """One line per record left out, for the command's output."""
        return [f"left out: {record.kind} {record.id or '(no id)'}: {record.reason}" for record in self.skipped]


def _quiet(_: str) -> None:
    pass


# --- dump files -----------------------------------------------------------------------------


def _open_dump(path: Path, mode: str) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, mode + "t", encoding="utf-8")  # type: ignore[return-value]
    return open(path, mode, encoding="utf-8")


class DumpWriter:
    """Writes a dump line by line; the ``end`` line is only written by ``finish``."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.datasets = 0

    def start(self, *, source: str, topic: str, **extra: Any) -> None:
        """The ``meta`` line that opens a dump of the API (``extra``: mode and since, for incremental ones)."""
        self.write("meta", format=DUMP_FORMAT, version=DUMP_VERSION, source=source, topic=topic,
                   created_at=timezone.now().isoformat(), sample=False, **extra)  # fmt: skip

    def write(self, kind: str, data: Any = None, **extra: Any) -> None:
        record: dict[str, Any] = {"kind": kind, **extra}
        if data is not None:
            record["data"] = data
        # ASCII escapes: a lone surrogate in a publisher's text must not break the file.
        self.handle.write(json.dumps(record, separators=(",", ":")) + "\n")
        if kind == "dataset":
            self.datasets += 1

    def finish(self, total: int | None) -> None:
        self.write("end", datasets=self.datasets, total=total)


def iter_dump(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a dump file, checked: a known format first, an ``end`` line last."""
    try:
        with _open_dump(path, "r") as handle:
            first = True
            ended = False
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = parse_json(line)
                except json.JSONDecodeError as exc:
                    raise SyncError(f"{path}: line {number} is not valid JSON ({exc.msg})") from exc
                except RecursionError as exc:
                    raise SyncError(f"{path}: line {number} is nested too deep") from exc
                if not isinstance(record, dict):
                    raise SyncError(f"{path}: line {number} is not a JSON object")
                if first:
                    if record.get("kind") != "meta" or record.get("format") != DUMP_FORMAT:
                        raise SyncError(
                            f"{path}: not a catalogue dump (first line must be a '{DUMP_FORMAT}' meta line)"
                        )
                    if record.get("version") not in (1, DUMP_VERSION):
                        raise SyncError(f"{path}: dump version {record.get('version')!r} is not supported")
                    first = False
                if ended:
                    raise SyncError(f"{path}: data after the 'end' line (line {number})")
                if record.get("kind") == "end":
                    ended = True
                yield record
            if first:
                raise SyncError(f"{path}: the file is empty")
            if not ended:
                raise SyncError(f"{path}: the dump is truncated (no 'end' line)")
    except OSError as exc:
        raise SyncError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (EOFError, gzip.BadGzipFile, UnicodeDecodeError) as exc:
        raise SyncError(f"cannot read {path}: {exc}") from exc


# --- phase 1: fetch -------------------------------------------------------------------------


@dataclass
class _SectionState:
    """One section of the real catalogue we have now."""

    active_ids: set[str] = field(default_factory=set)
    published_ids: set[str] = field(default_factory=set)
    last_total: int | None = None  # its datasets at the last successful run


@dataclass
class _Previous:
    sections: dict[str, _SectionState] = field(default_factory=dict)
    organization_ids: set[str] = field(default_factory=set)
    license_codes: set[str] = field(default_factory=set)

    def section(self, section_id: str) -> _SectionState:
        return self.sections.get(section_id) or _SectionState()


def _last_success() -> SyncRun | None:
    return SyncRun.objects.filter(status=SyncRun.Status.SUCCESS).order_by("-started_at").first()


def _section_record(run: SyncRun, section_id: str) -> dict[str, Any] | None:
    """What ``run`` recorded of a section; runs from before sections recorded their one topic as the first's."""
    if run.sections:
        entry = run.sections.get(section_id)
        return entry if isinstance(entry, dict) else None
    if section_id == settings.UNIVERSE.main.id:
        return {"topic": run.topic, "mode": run.mode, "datasets": run.datasets_total}
    return None


def _previous_state() -> _Previous:
    """The real catalogue we have now, section by section (none when it is the sample data)."""
    last = _last_success()
    if last is None or last.is_sample:
        return _Previous()
    previous = _Previous(
        organization_ids=set(Organization.objects.values_list("remote_id", flat=True)),
        license_codes=set(License.objects.values_list("code", flat=True)),
    )
    for remote_id, archived_at, section_ids in (
        Dataset.objects.active().values_list("remote_id", "archived_at", "section_ids").iterator(chunk_size=5000)
    ):
        for section_id in section_ids.split():
            state = previous.sections.setdefault(section_id, _SectionState())
            state.active_ids.add(remote_id)
            if archived_at is None:
                state.published_ids.add(remote_id)
    for section_id, state in previous.sections.items():
        record = _section_record(last, section_id)
        state.last_total = record.get("datasets") if record else None
    return previous


def _check_shrink(before: int, listed: int, topic: str) -> None:
    """An API hiccup must not empty the site: refuse a section that lost most of its datasets."""
    if before and (listed == 0 or (before >= 20 and listed < before / 2)):
        raise SyncError(
            f"topic {topic} now lists {listed} datasets against {before} in the current catalogue: "
            "refusing to withdraw so many at once (use --force if this is really what happened)"
        )


def _section_tags(section_id: str) -> set[str]:
    """The tags that say a dataset belongs to a section: its categories' and its tag facets' options."""
    section = next((section for section in settings.UNIVERSE.sections if section.id == section_id), None)
    if section is None:
        return set()
    tags = {category.tag for category in section.categories}
    return tags | {option.tag for facet in section.facets for option in facet.tags}


def _tag_share(items: list[dict[str, Any]], tags: set[str]) -> float:
    """Share of datasets carrying one of ``tags``."""
    if not items:
        return 1.0
    tagged = sum(1 for item in items if tags & set(mapping.tag_names(item)))
    return tagged / len(items)


def _check_universe(
    client: CatalogApiClient,
    *,
    listed_total: int,
    first_items: list[dict[str, Any]],
    topic_size: int | None,
    last_total: int | None,
    topic: str,
    section: str,
) -> None:
    """Refuse a listing that looks like the whole national catalogue (the API ignores unknown topics)."""
    if topic_size is not None:
        if listed_total > topic_size * 1.1 + 10:
            raise SyncError(
                f"the API lists {listed_total} datasets for topic {topic}, which holds only {topic_size}: "
                "the topic filter was ignored; nothing was imported"
            )
        return
    # The topic is not readable (private topics answer 404 to anonymous calls): compare the
    # filtered listing with the unfiltered one. Equal sizes mean either an ignored filter or an
    # instance holding culture data only; the datasets' own tags tell the two apart.
    national = client.count_datasets()
    if national is None or listed_total < national:
        return
    if last_total and listed_total <= last_total * 1.1 + 2:
        return
    share = _tag_share(first_items, _section_tags(section))
    if share >= 0.5:
        return
    setting = " (CATALOG_TOPIC)" if section == settings.UNIVERSE.main.id else ""
    raise SyncError(
        f"the listing for topic {topic} of section {section} has {listed_total} datasets, as many as the whole "
        f"catalogue, and only {share:.0%} of them carry a tag of that section: the topic id is probably unknown to "
        f"the API{setting}. Nothing was imported; use --force to import it anyway"
    )


def _read_many(what: str, function: Callable[[str], Any], ids: list[str]) -> Iterator[tuple[str, Any]]:
    """``(id, function(id) or None)`` for each id, in order, read by SYNC_CONCURRENCY threads.

    Objects one by one (archived datasets, organizations) are most of a full sync's requests;
    against a remote API their latency adds up, so a few run at once (the API asks for modest
    concurrency). Results are yielded in order, in the calling thread, which alone writes the dump.
    """
    workers = max(1, min(settings.SYNC_CONCURRENCY, len(ids)))
    if workers == 1:
        for item in ids:
            yield item, _readable(f"{what} {item}", function, item)
        return
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sync")
    try:
        yield from zip(ids, pool.map(lambda item: _readable(f"{what} {item}", function, item), ids), strict=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # a failure stops the reads not yet started


def _readable(what: str, function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)``, or None when the API answers that the object is private or gone."""
    try:
        return function(*args)
    except CatalogApiError as exc:
        if exc.status not in UNREADABLE:
            raise
        logger.info("%s not readable (%s): going on without it", what, exc)
        return None  # callers say what they use instead


@dataclass
class _Collected:
    """Datasets written to the dump so far (each once, in the first section met), the sections holding
    them, and the organizations publishing them."""

    writer: DumpWriter
    section: str = ""  # the section being read
    datasets: set[str] = field(default_factory=set)
    members: dict[str, set[str]] = field(default_factory=dict)  # section -> datasets of its topic met
    organizations: dict[str, None] = field(default_factory=dict)  # ordered set
    licenses: set[str] = field(default_factory=set)
    repeated: int = 0  # datasets met a second time in the section being read

    def begin(self, section: str) -> None:
        self.section = section
        self.members.setdefault(section, set())
        self.repeated = 0

    @property
    def listed(self) -> set[str]:
        """The datasets of the section being read."""
        return self.members[self.section]

    def add(self, payload: dict[str, Any]) -> None:
        dataset_id = mapping.text(payload.get("id"), 64)
        if not dataset_id:
            return
        if dataset_id in self.listed:
            self.repeated += 1
            return
        self.listed.add(dataset_id)
        if dataset_id in self.datasets:  # already written for another section: only its membership
            self.writer.write("member", section=self.section, id=dataset_id)
            return
        self.datasets.add(dataset_id)
        self.writer.write("dataset", payload, section=self.section)
        organization = payload.get("organization")
        organization_id = mapping.text(organization.get("id"), 64) if isinstance(organization, dict) else ""
        if organization_id:
            self.organizations[organization_id] = None
        self.licenses.add(mapping.text(payload.get("license"), 100) or "notspecified")


def fetch_sections(
    client: CatalogApiClient,
    writer: DumpWriter,
    *,
    plans: list[SectionPlan],
    force: bool = False,
    progress: Progress = _quiet,
) -> int:
    """Phase 1: write every section's payloads to ``writer``, each dataset once; returns how many.

    A section with a ``since`` gets its changes only (``fetch_changes``), the others their whole topic
    (``fetch_catalog``). Raises ``NeedsFullSync`` naming the section an incremental read gave up on.
    """
    previous = _previous_state()
    writer.start(source=client.base_url, topic=plans[0].topic, sections=[plan.meta() for plan in plans],
                 mode=_overall_mode(plan.mode for plan in plans))  # fmt: skip
    collected = _Collected(writer)
    announced: list[int | None] = []
    for plan in plans:
        collected.begin(plan.id)
        try:
            if plan.since is None:
                announced.append(fetch_catalog(client, collected, plan=plan, previous=previous, force=force,
                                               progress=progress))  # fmt: skip
            else:
                announced.append(fetch_changes(client, collected, plan=plan, previous=previous, force=force,
                                               progress=progress))  # fmt: skip
        except NeedsFullSync as exc:
            exc.section = plan.id
            raise
        except CatalogApiError as exc:
            raise SyncError(f"section {plan.id} (topic {plan.topic}): {exc}") from exc

    organization_ids = list(collected.organizations)
    if all(plan.since is not None for plan in plans):
        # Only publishers we have never seen need a request; the others come with each dataset.
        organization_ids = [org for org in organization_ids if org not in previous.organization_ids]
    reads = _read_many("organization", client.get_organization, organization_ids)
    for index, (organization_id, organization) in enumerate(reads, start=1):
        if organization is not None:
            writer.write("organization", organization)
        else:
            logger.warning("organization %s: keeping the reference data its datasets carry", organization_id)
        progress(f"Organizations: {index}/{len(organization_ids)}")

    if any(plan.since is None for plan in plans) or any(code not in previous.license_codes
                                                         for code in collected.licenses):  # fmt: skip
        _write_licenses(client, writer)
    known = [total for total in announced if total is not None]
    writer.finish(sum(known) if len(known) == len(announced) else None)
    return len(collected.datasets)


def fetch_catalog(
    client: CatalogApiClient,
    collected: _Collected,
    *,
    plan: SectionPlan,
    previous: _Previous,
    force: bool = False,
    progress: Progress = _quiet,
) -> int | None:
    """Every dataset of one section's topic, written through ``collected``; returns the total the listing announced."""
    writer = collected.writer
    topic = plan.topic
    state = previous.section(plan.id)
    # Private topics answer 404 to anonymous callers: the topic and its elements are then unknown.
    topic_payload = _readable(f"topic {topic}", client.get_topic, topic)
    element_ids: set[str] | None = None
    topic_size: int | None = None
    if isinstance(topic_payload, dict):
        writer.write("topic", topic_payload, section=plan.id)
        if mapping.text(topic_payload.get("id")):
            topic = mapping.text(topic_payload.get("id"), 64)  # list filters take ids only, not slugs
        element_ids = _readable(f"elements of topic {topic}", lambda: set(client.iter_topic_dataset_ids(topic)))
        elements = topic_payload.get("elements")
        if element_ids is not None:
            topic_size = len(element_ids)
        elif isinstance(elements, dict) and isinstance(elements.get("total"), int):
            topic_size = elements["total"]
    listed = collected.listed
    announced: int | None = None
    for number, page in enumerate(client.iter_dataset_pages(topic=topic, page_size=LISTING_PAGE_SIZE), start=1):
        if number == 1:
            announced = page.total
            if not force:
                _check_universe(
                    client,
                    listed_total=announced if announced is not None else len(page.items),
                    first_items=page.items,
                    topic_size=topic_size,
                    last_total=state.last_total,
                    topic=topic,
                    section=plan.id,
                )
        for payload in page.items:
            collected.add(payload)
        progress(f"Datasets of {plan.id}: page {number}, {len(listed)}"
                 + (f"/{announced}" if announced is not None else ""))  # fmt: skip
    if announced is not None and len(listed) < announced - max(5, announced // 100):
        raise SyncError(f"the listing announced {announced} datasets but only {len(listed)} came back: incomplete")
    if collected.repeated and announced is not None and len(listed) < announced:
        # Items moved between pages while they were read: some were seen twice, others not at all.
        raise SyncError(
            f"the listing changed while it was read ({collected.repeated} datasets seen twice, "
            f"{announced - len(listed)} missing): nothing was changed, try again later"
        )

    # Archived datasets are left out of lists but still belong to the topic.
    if element_ids is not None:
        candidates, archived_only = element_ids - listed, False
    else:
        candidates, archived_only = state.active_ids - listed, True
    reads = _read_many("dataset", client.get_dataset, sorted(candidates))
    for index, (dataset_id, payload) in enumerate(reads, start=1):
        progress(f"Datasets of {plan.id} not in the listing: {index}/{len(candidates)}")
        if not isinstance(payload, dict) or mapping.text(payload.get("id"), 64) != dataset_id:
            continue
        if archived_only and not payload.get("archived"):
            continue  # still published, but no longer in the topic
        if payload.get("private") or payload.get("deleted"):
            continue
        collected.add(payload)

    if not force:
        _check_shrink(len(state.active_ids), len(listed), topic)
    return announced


def _write_licenses(client: CatalogApiClient, writer: DumpWriter) -> None:
    """The licence list; without it the known labels are used, so only running out of time stops the sync."""
    try:
        for license_payload in client.list_licenses():
            writer.write("license", license_payload)
    except CatalogDeadlineExceeded:
        raise
    except CatalogApiError as exc:
        logger.warning("licences not fetched (%s); known labels are used", exc)


def _updated_at(payload: dict[str, Any]) -> datetime | None:
    return mapping.moment(payload.get("last_update")) or mapping.moment(payload.get("last_modified"))


def fetch_changes(
    client: CatalogApiClient,
    collected: _Collected,
    *,
    plan: SectionPlan,
    previous: _Previous,
    force: bool = False,
    progress: Progress = _quiet,
) -> int:
    """Phase 1 of an incremental sync of one section: what changed in its topic since ``plan.since``.

    Writes the datasets updated since then (the listing sorted by ``-last_update``, read until a
    dataset older than ``since``), and reconciles membership: when the listing's ``total`` is not
    the number of datasets we expect, the ids of the whole listing are fetched (one light request
    per thousand datasets); newcomers are fetched, and datasets gone from the listing are either
    archived (kept, with their new state) or leave the section (``withdraw`` lines). Raises
    ``NeedsFullSync`` when a full sync is the cheaper or safer way. Returns the listing's total.
    """
    writer = collected.writer
    topic, since = plan.topic, plan.since
    assert since is not None
    state = previous.section(plan.id)
    published_ids = state.published_ids
    if not published_ids and state.last_total:
        raise NeedsFullSync("no previous catalogue to update")  # an empty section synced before has nothing to lose
    if not _OBJECT_ID.match(topic):
        # List filters take ids only: a slug needs the topic read first.
        topic_payload = _readable(f"topic {topic}", client.get_topic, topic)
        topic_id = mapping.text(topic_payload.get("id"), 64) if isinstance(topic_payload, dict) else ""
        if not topic_id:
            raise NeedsFullSync(f"topic {topic} is not readable by its slug")
        topic = topic_id

    total: int | None = None
    pages = client.iter_dataset_pages(topic=topic, page_size=CHANGES_PAGE_SIZE, sort="-last_update")
    for number, page in enumerate(pages, start=1):
        if number == 1:
            total = page.total
            if total is None:
                raise NeedsFullSync("the listing gives no total")
            if not force and total > len(published_ids) * 1.5 + 20:
                raise NeedsFullSync(f"the topic lists {total} datasets against {len(published_ids)}")
        reached_older = False
        for payload in page.items:
            updated = _updated_at(payload)
            if updated is not None and updated < since:
                reached_older = True
                break
            collected.add(payload)
        progress(f"Changed datasets of {plan.id}: {len(collected.listed)}")
        if reached_older:
            break
        if len(collected.listed) > CHANGES_LIMIT:
            raise NeedsFullSync(f"more than {CHANGES_LIMIT} datasets changed")
    assert total is not None
    changed = set(collected.listed)

    expected = published_ids | changed
    withdrawn: list[str] = []
    if total != len(expected):
        # Datasets joined or left the topic (or were archived): find out which ones.
        listed = set(client.iter_dataset_ids(topic=topic))
        added = sorted(listed - expected)
        gone = sorted(published_ids - listed - changed)
        if len(added) > ADDED_LIMIT:
            raise NeedsFullSync(f"{len(added)} datasets joined the topic")
        before = len(published_ids)
        if not force and before >= 20 and len(gone) > before / 2:
            raise SyncError(
                f"{len(gone)} of the {before} datasets left the topic listing at once: refusing to withdraw so "
                "many (use --force if this is really what happened)"
            )
        reads = _read_many("dataset", client.get_dataset, added + gone)
        for index, (dataset_id, payload) in enumerate(reads, start=1):
            progress(f"Datasets joining or leaving {plan.id}: {index}/{len(added) + len(gone)}")
            usable = (
                isinstance(payload, dict)
                and mapping.text(payload.get("id"), 64) == dataset_id
                and not payload.get("private")
                and not payload.get("deleted")
            )
            if usable and (dataset_id in listed or payload.get("archived")):
                collected.add(payload)  # a newcomer, or an archived dataset still in the topic
            elif dataset_id not in listed:
                withdrawn.append(dataset_id)
    for dataset_id in withdrawn:
        writer.write("withdraw", id=dataset_id, section=plan.id)  # it left this section's topic
    return total


# --- phase 2: apply -------------------------------------------------------------------------


@dataclass
class _DumpContents:
    meta: dict[str, Any]
    organizations: dict[str, dict[str, Any]]
    licenses: dict[str, dict[str, Any]]
    datasets: int
    sections: dict[str, dict[str, Any]]  # id -> {"topic", "mode"}, in the dump's order
    members: dict[str, set[str]]  # section -> the datasets its topic holds (incremental: those the dump names)
    withdrawn: dict[str, set[str]]  # section -> datasets that left its topic (incremental sections only)

    @property
    def incremental(self) -> bool:
        return self.meta.get("mode") == INCREMENTAL or any(
            section.get("mode") == INCREMENTAL for section in self.sections.values()
        )

    @property
    def mode(self) -> str:
        return _overall_mode(section.get("mode", FULL) for section in self.sections.values())

    def sections_of(self, remote_id: str, current: str) -> str:
        """A dataset's sections after this dump, from ``current`` (its ``section_ids``), space-padded.

        A section read in full holds exactly the datasets the dump lists for it; an incremental one
        keeps what it held, plus the datasets named, minus those that left; a section the dump does not
        cover (gone from the universe) holds nothing any more.
        """
        held = set(current.split())
        kept = [
            section_id
            for section_id, section in self.sections.items()
            if remote_id in self.members[section_id]
            or (section.get("mode") == INCREMENTAL and section_id in held
                and remote_id not in self.withdrawn[section_id])
        ]  # fmt: skip
        return f" {' '.join(kept)} " if kept else ""


def _dump_sections(path: Path, meta: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The sections a dump covers: its ``sections`` (version 2), or the first section's topic (version 1).

    Also the section each of the dump's section ids stands for: itself, except that a dump without the
    universe's first section gives its own first to it (the first section is the main one, whatever its
    id, as for ``CATALOG_TOPIC``: the sample catalogue serves any universe).
    """
    main = settings.UNIVERSE.main.id
    if meta.get("version") == 1 or "sections" not in meta:
        mode = INCREMENTAL if meta.get("mode") == INCREMENTAL else FULL
        return {main: {"topic": mapping.text(meta.get("topic"), 64), "mode": mode}}, {}
    declared = meta.get("sections")
    sections: dict[str, dict[str, Any]] = {}
    for entry in declared if isinstance(declared, list) else [None]:
        section_id = mapping.text(entry.get("id"), 64) if isinstance(entry, dict) else ""
        if not section_id or section_id in sections or entry.get("mode", FULL) not in (FULL, INCREMENTAL):
            raise SyncError(f"{path}: the meta line's 'sections' must list each section once, with its id and mode")
        sections[section_id] = {"topic": mapping.text(entry.get("topic"), 64), "mode": entry.get("mode", FULL)}
    if not sections:
        raise SyncError(f"{path}: the meta line's 'sections' is empty")
    first = next(iter(sections))
    if main in sections:
        return sections, {section_id: section_id for section_id in sections}
    aliases = {section_id: section_id for section_id in sections} | {first: main}
    return {aliases[section_id]: section for section_id, section in sections.items()}, aliases


def _scan(path: Path) -> _DumpContents:
    meta: dict[str, Any] = {}
    organizations: dict[str, dict[str, Any]] = {}
    licenses: dict[str, dict[str, Any]] = {}
    sections: dict[str, dict[str, Any]] = {}
    members: dict[str, set[str]] = {}
    withdrawn: dict[str, set[str]] = {}
    aliases: dict[str, str] = {}
    datasets = 0
    declared: int | None = None
    first = ""
    for record in iter_dump(path):
        kind, data = record.get("kind"), record.get("data")
        if kind == "meta":
            meta = record
            sections, aliases = _dump_sections(path, meta)
            members = {section_id: set() for section_id in sections}
            withdrawn = {section_id: set() for section_id in sections}
            first = next(iter(sections))
            continue
        # Version 1 records carry no section: they are the first's (the only one).
        named = record.get("section", first) if kind in ("dataset", "member", "withdraw") else first
        section_id = aliases.get(named, named) if aliases else first
        if section_id not in members:
            raise SyncError(f"{path}: a {kind} line names section {section_id!r}, which the meta line does not list")
        if kind == "organization" and isinstance(data, dict) and mapping.text(data.get("id")):
            organizations[mapping.text(data.get("id"), 64)] = data
        elif kind == "license" and isinstance(data, dict) and mapping.text(data.get("id")):
            licenses[mapping.text(data.get("id"), 100)] = data
        elif kind == "dataset":
            datasets += 1
            if isinstance(data, dict) and mapping.text(data.get("id")):
                members[section_id].add(mapping.text(data.get("id"), 64))
        elif kind == "member" and mapping.text(record.get("id")):
            members[section_id].add(mapping.text(record.get("id"), 64))
        elif kind == "withdraw" and mapping.text(record.get("id")):
            if sections[section_id]["mode"] != INCREMENTAL:
                raise SyncError(f"{path}: 'withdraw' lines only belong to a section synced incrementally")
            withdrawn[section_id].add(mapping.text(record.get("id"), 64))
        elif kind == "end":
            declared = record.get("datasets") if isinstance(record.get("datasets"), int) else None
    if declared is not None and declared != datasets:
        raise SyncError(f"{path}: the 'end' line announces {declared} datasets but the file holds {datasets}")
    return _DumpContents(
        meta=meta, organizations=organizations, licenses=licenses, datasets=datasets, sections=sections,
        members=members, withdrawn=withdrawn,
    )  # fmt: skip


@dataclass
class _Changed:
    """A dataset saved by this run, with what its related rows are made of."""

    dataset: Dataset
    payload: dict[str, Any]
    resources: list[dict[str, Any]]
    texts: dict[str, str]


def _reason(exc: BaseException) -> str:
    """One line, of bounded length, saying why a record could not be stored."""
    message = " ".join(str(exc).split())
    return f"{exc.__class__.__name__}: {message}"[:300]


class _Applier:
    """Writes one dump into the database; runs inside a transaction.

    Every record is stored alone if it must be: a batch of datasets is written inside a savepoint,
    and when it fails, each dataset of the batch is written again inside its own savepoint, then,
    if it still fails, without its files, which are then tried one by one. What still fails is
    left out (``report.skipped``) and the rest of the catalogue is stored in the same transaction.
    A dataset left out keeps its previous version, if it had one.
    """

    def __init__(self, path: Path, contents: _DumpContents, run: SyncRun, report: SyncReport, progress: Progress):
        self.path = path
        self.contents = contents
        self.run = run
        self.report = report
        self.progress = progress
        self.now = timezone.now()
        self.base_url = str(contents.meta.get("source") or settings.DATAGOUV_URL).rstrip("/")
        self.licenses: dict[str, License] = {}
        self.organizations: dict[str, Organization] = {}
        self.tags: dict[str, int] = dict(Tag.objects.values_list("name", "id"))
        self.refreshed: set[str] = set()  # organizations saved during this run
        self.skipped: dict[tuple[str, str], SkippedRecord] = {}

    def apply(self) -> None:
        if connection.vendor == "postgresql":
            # Foreign keys are checked at each statement, not at the commit: a record that breaks one
            # fails inside its own savepoint, where it can be left out, instead of failing the commit.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self._licenses()
        self._organizations()
        batch: list[dict[str, Any]] = []
        done = 0
        for record in iter_dump(self.path):
            if record.get("kind") != "dataset" or not isinstance(record.get("data"), dict):
                continue
            batch.append(record["data"])
            if len(batch) >= BATCH_SIZE:
                done += self._datasets(batch)
                self.progress(f"Saving datasets: {done}/{self.contents.datasets}")
                batch = []
        if batch:
            done += self._datasets(batch)
        self._check_skipped()
        self.report.withdrawn = self._memberships()
        active = Dataset.objects.active()
        self.report.datasets_total = active.count()
        self.report.archived = active.filter(archived_at__isnull=False).count()
        # Figures and facet counts of each section, for its pages (catalog.selectors.summary).
        CatalogSummary.objects.all().delete()
        organizations: set[int] = set()
        universe = [section.id for section in settings.UNIVERSE.sections]
        summaries = selectors.compute_summaries(list(dict.fromkeys([*universe, *self.contents.sections])), self.now)
        for section_id, totals in summaries.items():
            CatalogSummary.objects.create(computed_at=self.now, section=section_id, data=totals)
            organizations.update(pk for pk, _ in totals["facets"]["organization"])
        for section_id, section in self.contents.sections.items():
            count = SectionCount(topic=section["topic"], mode=section["mode"])
            count.datasets = active.in_section(section_id).count()
            self.report.sections[section_id] = count
        if self.report.created or self.report.updated or self.report.withdrawn or search.vocabulary.is_empty():
            # The words suggestions are taken from (catalog.search.vocabulary); an unchanged catalogue keeps its own.
            search.rebuild_vocabulary()
        self.report.organizations = len(organizations)
        self.report.resources = Resource.objects.filter(dataset__withdrawn_at__isnull=True).count()

    def _memberships(self) -> int:
        """Give each dataset its sections after this dump; withdraw those left in none. Returns how many were.

        Datasets stored by this run already have theirs (``_store``); this pass changes the others: those
        the dump names in another section, or that left a section, or that a full read did not find.
        """
        changes: dict[str, list[int]] = {}
        rows = Dataset.objects.active().values_list("pk", "remote_id", "section_ids")
        for pk, remote_id, current in rows.iterator(chunk_size=5000):
            after = self.contents.sections_of(remote_id, current)
            if after != current:
                changes.setdefault(after, []).append(pk)
        withdrawn = 0
        for value, pks in changes.items():
            for start in range(0, len(pks), 500):
                chosen = Dataset.objects.filter(pk__in=pks[start : start + 500])
                if value:
                    chosen.update(section_ids=value)
                else:  # in no topic any more: withdrawn (its page says so), in no section
                    withdrawn += chosen.update(section_ids="", withdrawn_at=self.now, last_synced_at=self.now)
        return withdrawn

    # --- quarantine ---------------------------------------------------------------------------

    def _skip(self, kind: str, remote_id: str, exc: BaseException | str) -> None:
        reason = exc if isinstance(exc, str) else _reason(exc)
        key = (kind, remote_id)
        if key in self.skipped:
            return
        record = SkippedRecord(kind=kind, id=remote_id, reason=reason)
        self.skipped[key] = record
        self.report.skipped.append(record)
        logger.warning("%s %s left out of this sync: %s", kind, remote_id or "(no id)", reason,
                       extra={"event": "sync_record_skipped", "record": record.as_dict()})  # fmt: skip

    def _check_skipped(self) -> None:
        """Too many records left out means something is wrong with the source, not with a few records."""
        percent = settings.SYNC_MAX_SKIPPED_PERCENT
        for kind, total in (("dataset", self.contents.datasets), ("organization", len(self.contents.organizations))):
            count = sum(1 for record in self.report.skipped if record.kind == kind)
            allowed = max(1, int(total * percent / 100))
            if count > allowed:
                first = next(record for record in self.report.skipped if record.kind == kind)
                raise SyncError(
                    f"{count} of {total} {kind} records could not be stored (first: {first.id}: {first.reason}); "
                    f"more than SYNC_MAX_SKIPPED_PERCENT={percent:g}% of them: nothing was changed"
                )

    def _state(self) -> tuple:
        """What a rolled-back savepoint must take back from the run's memory."""
        counts = (self.report.created, self.report.updated, self.report.unchanged)
        return dict(self.tags), dict(self.organizations), set(self.refreshed), dict(self.licenses), counts

    def _restore(self, state: tuple) -> None:
        self.tags, self.organizations, self.refreshed, self.licenses, counts = state
        self.report.created, self.report.updated, self.report.unchanged = counts

    def _guarded(self, kind: str, remote_id: str, write: Callable[[], Any]) -> Any:
        """``write()`` inside a savepoint; when it fails, nothing of it stays and the record is left out."""
        state = self._state()
        try:
            with transaction.atomic():
                return write()
        except Exception as exc:
            self._restore(state)
            self._skip(kind, remote_id, exc)
            return None

    # --- licences and organizations ---------------------------------------------------------

    def _licenses(self) -> None:
        self.licenses = {license.code: license for license in License.objects.all()}
        for code, payload in self.contents.licenses.items():
            self._guarded("license", code, functools.partial(self._save_license, code, payload))

    def _save_license(self, code: str, payload: dict[str, Any]) -> None:
        license = self.licenses.get(code) or License(code=code)
        license.title = mapping.text(payload.get("title"), 500)
        license.url = mapping.http_url(payload.get("url"), 1000)
        license.save()
        self.licenses[code] = license

    def _license(self, code: str) -> License:
        if code not in self.licenses:
            self.licenses[code] = License.objects.create(code=code, title=code)
        return self.licenses[code]

    def _organizations(self) -> None:
        self.organizations = {organization.remote_id: organization for organization in Organization.objects.all()}
        for remote_id, payload in self.contents.organizations.items():
            save = functools.partial(self._save_organization, remote_id, payload, detailed=True)
            self._guarded("organization", remote_id, save)

    def _save_organization(self, remote_id: str, payload: dict[str, Any], *, detailed: bool) -> Organization:
        organization = self.organizations.get(remote_id) or Organization(remote_id=remote_id)
        fields = mapping.organization_fields(payload)
        if not detailed and organization.pk:
            # A dataset's reference lacks description and metrics: keep what we know.
            for key in ("description", "description_html", "website", "metric_followers", "metric_views",
                        "created_at", "last_modified"):  # fmt: skip
                fields.pop(key, None)
        for key, value in fields.items():
            setattr(organization, key, value)
        if detailed:
            organization.raw = mapping.clean_json(payload)
        organization.last_synced_at = self.now
        organization.save()
        self.organizations[remote_id] = organization
        self.refreshed.add(remote_id)
        return organization

    def _organization_for(self, payload: dict[str, Any]) -> Organization | None:
        """The dataset's publisher; a publisher that cannot be stored leaves its datasets without one."""
        reference = payload.get("organization")
        if not isinstance(reference, dict):
            return None
        remote_id = mapping.text(reference.get("id"), 64)
        if not remote_id or ("organization", remote_id) in self.skipped:
            return self.organizations.get(remote_id) if remote_id else None
        if remote_id not in self.refreshed:
            save = functools.partial(self._save_organization, remote_id, reference, detailed=False)
            saved = self._guarded("organization", remote_id, save)
            return saved or self.organizations.get(remote_id)
        return self.organizations[remote_id]

    # --- datasets -----------------------------------------------------------------------------

    def _datasets(self, payloads: list[dict[str, Any]]) -> int:
        """Store a batch; returns how many datasets it held. A failing batch is stored one by one."""
        by_id: dict[str, dict[str, Any]] = {}
        for payload in payloads:
            remote_id = mapping.text(payload.get("id"), 64)
            if remote_id and remote_id not in by_id:
                by_id[remote_id] = payload
        state = self._state()
        try:
            with transaction.atomic():
                self._store(by_id)
        except Exception:
            self._restore(state)
            if len(by_id) == 1:
                self._store_alone(*next(iter(by_id.items())))
            else:
                for item in by_id.items():
                    self._datasets([item[1]])
        return len(by_id)

    def _store_alone(self, remote_id: str, payload: dict[str, Any]) -> None:
        """One dataset that failed with its files: store it without them, then each file on its own."""
        self._guarded("dataset", remote_id, functools.partial(self._store, {remote_id: payload}, files_one_by_one=True))
        if ("dataset", remote_id) in self.skipped:
            # Left out, but not withdrawn: its previous version, if any, stays in the catalogue.
            Dataset.objects.filter(remote_id=remote_id).update(seen_in_run=self.run)

    def _store(self, by_id: dict[str, dict[str, Any]], *, files_one_by_one: bool = False) -> None:
        existing = {dataset.remote_id: dataset for dataset in Dataset.objects.filter(remote_id__in=list(by_id))}
        changed: list[_Changed] = []
        created: list[Dataset] = []
        for remote_id, payload in by_id.items():
            digest = mapping.payload_hash(payload)
            dataset = existing.get(remote_id)
            if dataset is not None and dataset.payload_hash == digest and dataset.withdrawn_at is None:
                self.report.unchanged += 1
                continue
            try:
                mapped = self._map(remote_id, payload)
            except Exception as exc:  # a value no rule of the mapper foresaw: this dataset alone is left out
                self._skip("dataset", remote_id, exc)
                continue
            resources, fields, texts = mapped
            if dataset is None:
                dataset = Dataset(remote_id=remote_id)
                created.append(dataset)
            for key, value in fields.items():
                setattr(dataset, key, value)
            dataset.organization = self._organization_for(payload)
            dataset.publisher_kind = (
                dataset.organization.kind if dataset.organization else ("user" if dataset.owner_name else "other")
            )
            license_code = mapping.text(payload.get("license"), 100) or "notspecified"
            dataset.license = self._license(license_code)
            dataset.withdrawn_at = None
            dataset.section_ids = self.contents.sections_of(remote_id, dataset.section_ids)
            dataset.payload_hash = digest
            dataset.last_synced_at = self.now
            dataset.seen_in_run = self.run
            if dataset.pk:
                dataset.save()
                self.report.updated += 1
            changed.append(_Changed(dataset, payload, resources, texts))
        Dataset.objects.bulk_create(created)  # sets their primary keys (RETURNING, SQLite ≥ 3.35 and PostgreSQL)
        self.report.created += len(created)
        if changed:
            self._replace_children(changed, files_one_by_one=files_one_by_one)
        Dataset.objects.filter(remote_id__in=list(by_id)).update(seen_in_run=self.run)

    def _map(self, remote_id: str, payload: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any], dict]:
        errors: list[tuple[str, str]] = []
        resources = mapping.resources_of(payload, errors)
        for resource_id, reason in errors:
            self._skip("resource", f"{remote_id}/{resource_id}", reason)
        fields = mapping.dataset_fields(payload, base_url=self.base_url, resources=resources)
        texts = {name: fields.pop(name) for name in DatasetText.FIELDS}
        return resources, fields, texts

    def _replace_children(self, changed: list[_Changed], *, files_one_by_one: bool = False) -> None:
        dataset_ids = [item.dataset.pk for item in changed]
        # Deleting and inserting the texts also updates the full-text index (catalog.search).
        DatasetText.objects.filter(dataset_id__in=dataset_ids).delete()
        DatasetText.objects.bulk_create(
            [
                # The raw payload without its files: they are stored, field by field, as Resource rows.
                DatasetText(
                    dataset=item.dataset,
                    raw=mapping.clean_json({key: value for key, value in item.payload.items() if key != "resources"}),
                    **item.texts,
                )
                for item in changed
            ],
            batch_size=500,
        )
        Resource.objects.filter(dataset_id__in=dataset_ids).delete()
        Through = Dataset.tags.through
        Through.objects.filter(dataset_id__in=dataset_ids).delete()
        resources: list[Resource] = []
        links: list[Any] = []
        for item in changed:
            resources.extend(Resource(dataset=item.dataset, **fields) for fields in item.resources)
            for name in mapping.tag_names(item.payload):
                if name not in self.tags:
                    self.tags[name] = Tag.objects.create(name=name).pk
                links.append(Through(dataset_id=item.dataset.pk, tag_id=self.tags[name]))
        Through.objects.bulk_create(links, batch_size=500)
        if not files_one_by_one:
            Resource.objects.bulk_create(resources, batch_size=500)
            return
        for resource in resources:
            remote_id = f"{resource.dataset.remote_id}/{resource.remote_id}"
            self._guarded("resource", remote_id, resource.save)
        stored = Resource.objects.filter(dataset_id__in=dataset_ids).count()
        Dataset.objects.filter(pk__in=dataset_ids).update(resource_count=stored)


def apply_dump(
    path: Path, *, run: SyncRun, report: SyncReport, dry_run: bool = False, progress: Progress = _quiet
) -> None:
    """Phase 2: replace the catalogue with the dump's content, in one transaction."""
    contents = _scan(path)
    report.is_sample = bool(contents.meta.get("sample"))
    report.mode = run.mode = contents.mode
    run.is_sample = report.is_sample
    last_success = _last_success()
    source = contents.meta.get("source")
    for section_id, section in contents.sections.items():
        if section["mode"] != INCREMENTAL:
            continue
        record = _section_record(last_success, section_id) if last_success and not last_success.is_sample else None
        if record is None or last_success.source != source or record.get("topic") != section["topic"]:
            raise SyncError(f"{path}: an incremental dump only applies to a catalogue from the same source and topic "
                            f"(section {section_id})")  # fmt: skip
    with transaction.atomic():
        if last_success is not None and last_success.is_sample != report.is_sample:
            # Sample data and the real catalogue never mix.
            Dataset.objects.all().delete()
            Organization.objects.all().delete()
        _Applier(path, contents, run, report, progress).apply()
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        _refresh_statistics()


def _refresh_statistics() -> None:
    """Table statistics for the query planner: without them SQLite may pick a slow index."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE catalog_dataset, catalog_datasettext, catalog_resource, catalog_dataset_tags")


# --- the whole sync ---------------------------------------------------------------------------


# The key of the PostgreSQL advisory lock a sync holds; any number no other program on the database uses.
PG_LOCK_KEY = 7_261_030_516


@contextlib.contextmanager
def sync_lock() -> Iterator[None]:
    """One sync at a time. flock covers one host and is released by the kernel if the process dies; on
    PostgreSQL an advisory lock also covers every host sharing the database."""
    path = Path(settings.SYNC_LOCK_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise SyncError(f"another sync is already running (lock held on {path})") from exc
        try:
            with _database_lock():
                yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _database_lock() -> Iterator[None]:
    """A session advisory lock on a connection of its own, so that nothing the sync does to its
    connection can drop it; the server releases it when that session ends, process death included."""
    if connection.vendor != "postgresql":
        yield
        return
    holder = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [PG_LOCK_KEY])
            (taken,) = cursor.fetchone()
        if not taken:
            raise SyncError("another sync is already running (it holds the lock in the PostgreSQL database)")
        try:
            yield
        finally:
            # Released now, not when the server notices the closed session a moment later: a sync that
            # follows at once would otherwise find the lock still held.
            with holder.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [PG_LOCK_KEY])
    finally:
        holder.close()


def sync_catalog(
    *,
    client: CatalogApiClient | None = None,
    from_dump: Path | str | None = None,
    dump_to: Path | str | None = None,
    topic: str | None = None,
    force: bool = False,
    dry_run: bool = False,
    mode: str = "auto",
    progress: Progress = _quiet,
) -> SyncReport:
    """Fetch every section's topic from the API (or read ``from_dump``) and replace the local catalogue.

    ``topic`` replaces the first section's topic (``CATALOG_TOPIC`` by default). ``mode`` is ``full``,
    ``incremental`` (a section falls back to full when there is nothing to build on, or too much
    change), or ``auto``: each section incremental after a recent full sync of its source and topic.

    Raises ``SyncError`` (with a one-line reason) when nothing was changed. Every run, failed or
    not, is recorded as a ``SyncRun``.
    """
    if (client is None) == (from_dump is None):
        raise ValueError("pass exactly one of client or from_dump")
    plans = sections_to_sync(topic)
    started = timezone.now()
    source = str(from_dump) if from_dump is not None else client.base_url  # type: ignore[union-attr]
    report = SyncReport(source=source, dry_run=dry_run)
    with sync_lock():
        run = SyncRun.objects.create(started_at=started, source=source[:1000], topic=plans[0].topic[:64])
        temporary: Path | None = None
        try:
            if from_dump is not None:
                path = Path(from_dump)
            else:
                assert client is not None
                client.stop_after(settings.SYNC_DEADLINE.total_seconds())
                plans = [_plan(plan, client.base_url, mode) for plan in plans]
                run.mode = _overall_mode(plan.mode for plan in plans)  # what a failed run was trying
                run.sections = {plan.id: SectionCount(plan.topic, plan.mode).as_dict() for plan in plans}
                path, temporary = _fetch_to_file(client, plans=plans, force=force, dump_to=dump_to,
                                                 progress=progress)  # fmt: skip
            apply_dump(path, run=run, report=report, dry_run=dry_run, progress=progress)
        except (SyncError, CatalogApiError) as exc:
            _finish(run, report, client, started, error=str(exc))
            raise SyncError(str(exc)) from exc
        except Exception as exc:
            _finish(run, report, client, started, error=f"unexpected error: {exc.__class__.__name__}: {exc}")
            raise
        finally:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
        _finish(run, report, client, started)
    return report


def _plan(plan: SectionPlan, source: str, mode: str) -> SectionPlan:
    """How a section is read this run: incremental when asked (or ``auto`` after a recent full sync)
    and an earlier successful sync of the same source and topic gives a starting point."""
    since = _changes_since(source, plan) if mode != FULL else None
    if since is None and mode == INCREMENTAL:
        logger.info("no earlier sync of %s (topic %s) from %s to build on: reading it in full", plan.id, plan.topic,
                    source)  # fmt: skip
    elif since is not None and mode == "auto" and not _recent_full_sync(source, plan):
        since = None
    return replace(plan, since=since)


def _changes_since(source: str, plan: SectionPlan) -> datetime | None:
    """Where a section's incremental sync starts: the last successful real sync, when it read this
    section's topic from this source (a section new to the universe, or a new topic, starts in full)."""
    last = _last_success()
    if last is None or last.is_sample or last.source != source[:1000]:
        return None
    record = _section_record(last, plan.id)
    if record is None or record.get("topic") != plan.topic[:64]:
        return None
    return last.started_at - CHANGES_OVERLAP


def _recent_full_sync(source: str, plan: SectionPlan) -> bool:
    """A sync that read this section's topic in full from this source succeeded less than SYNC_FULL_EVERY ago."""
    runs = SyncRun.objects.filter(
        status=SyncRun.Status.SUCCESS,
        is_sample=False,
        source=source[:1000],
        started_at__gte=timezone.now() - settings.SYNC_FULL_EVERY,
    )
    for run in runs.only("sections", "topic", "mode", "datasets_total"):
        record = _section_record(run, plan.id)
        if record is not None and record.get("mode") == FULL and record.get("topic") == plan.topic[:64]:
            return True
    return False


def _fetch_to_file(
    client: CatalogApiClient,
    *,
    plans: list[SectionPlan],
    force: bool,
    dump_to: Path | str | None,
    progress: Progress,
) -> tuple[Path, Path | None]:
    target = Path(dump_to) if dump_to else None
    directory = target.parent if target else Path(tempfile.gettempdir())
    directory.mkdir(parents=True, exist_ok=True)
    suffix = ".jsonl.gz" if target and target.suffix == ".gz" else ".jsonl"
    descriptor, name = tempfile.mkstemp(prefix="catalog-", suffix=suffix, dir=directory)
    os.close(descriptor)
    staging = Path(name)
    try:
        while True:
            try:
                with _open_dump(staging, "w") as handle:
                    fetch_sections(client, DumpWriter(handle), plans=plans, force=force, progress=progress)
                break
            except NeedsFullSync as exc:
                # The file is written again from the start, that section in full (the others stay cheap).
                logger.info("incremental sync of %s not possible (%s): reading it in full", exc.section, exc)
                plans = [replace(plan, since=None) if plan.id == exc.section else plan for plan in plans]
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    if target is None:
        return staging, staging
    os.replace(staging, target)
    return target, None


_COUNTS = ("datasets_total", "created", "updated", "unchanged", "withdrawn", "archived", "organizations", "resources",
           "requests")  # fmt: skip


def _finish(
    run: SyncRun, report: SyncReport, client: CatalogApiClient | None, started: datetime, error: str = ""
) -> None:
    finished = timezone.now()
    report.seconds = (finished - started).total_seconds()
    report.requests = client.request_count if client is not None else 0
    if report.dry_run and not error:
        run.delete()  # a rehearsal is not part of the catalogue's history
        return
    run.finished_at = finished
    run.status = SyncRun.Status.FAILED if error else SyncRun.Status.SUCCESS
    run.error = error
    run.is_sample = report.is_sample
    for name in _COUNTS:
        setattr(run, name, getattr(report, name))
    run.skipped = len(report.skipped)
    run.skipped_records = [record.as_dict() for record in report.skipped[:SKIPPED_KEPT]]
    if report.sections:
        run.sections = {section_id: count.as_dict() for section_id, count in report.sections.items()}
    run.save()
    # The figures travel as fields too, for LOG_FORMAT=json and whatever collects the logs.
    fields = {"run": run.pk, "source": run.source, "topic": run.topic, "mode": run.mode, "seconds": report.seconds}
    fields.update({name: getattr(report, name) for name in (*_COUNTS, "is_sample")})
    fields.update(skipped=run.skipped, skipped_records=run.skipped_records, sections=run.sections)
    if error:
        logger.error("catalogue sync from %s failed: %s", run.source, error,
                     extra={"event": "sync_failed", "sync": fields | {"error": error}})  # fmt: skip
    else:
        logger.info("catalogue sync from %s: %s", run.source, report.summary(),
                    extra={"event": "sync_finished", "sync": fields})  # fmt: skip


def ensure_catalog(*, max_age: timedelta = timedelta(days=1), progress: Progress = _quiet) -> str:
    """Used by ``make run`` and the container: sync when the catalogue is empty, sample or older than ``max_age``.

    Never raises, whatever the sync raises (an unreachable API, a record no rule foresaw, a bug): the
    site must start anyway, with the last good catalogue, or the sample one when there is none and
    ``SAMPLE_FALLBACK`` is on, and the failure banner. Returns what happened.
    """
    from catalog.api.client import get_client

    last = _last_success()
    same_source = (
        last is not None
        and last.source == settings.DATAGOUV_URL
        and all((_section_record(last, plan.id) or {}).get("topic") == plan.topic for plan in sections_to_sync())
    )
    if same_source and not last.is_sample and last.finished_at and timezone.now() - last.finished_at < max_age:
        return f"catalogue is up to date (last sync {last.finished_at:%Y-%m-%d %H:%M} UTC)"
    started = timezone.now()
    try:
        with get_client() as client:
            report = sync_catalog(client=client, progress=progress)
        return report.summary()
    except Exception as exc:  # starting the site matters more than any one sync
        if isinstance(exc, SyncError):
            reason = f"could not sync the catalogue from {settings.DATAGOUV_URL}: {exc}"
            logger.error(reason)
        else:
            reason = f"could not sync the catalogue from {settings.DATAGOUV_URL}: {exc.__class__.__name__}: {exc}"
            logger.exception(reason)
        _record_failure(started, reason)
    if Dataset.objects.exists() or not settings.SAMPLE_FALLBACK:
        return reason + "; serving the last catalogue" if Dataset.objects.exists() else reason
    try:
        report = sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH, progress=progress)
    except Exception as exc:
        logger.exception("the sample catalogue could not be loaded either")
        return reason + f"; the sample catalogue could not be loaded either ({exc.__class__.__name__}: {exc})"
    return reason + f"; loaded the SAMPLE catalogue instead ({report.datasets_total} invented datasets)"


def _record_failure(started: datetime, reason: str) -> None:
    """A failed run for the banner, when the failure came before the sync could record one itself
    (a malformed DATAGOUV_URL, a database error at the start)."""
    try:
        if not SyncRun.objects.filter(started_at__gte=started).exists():
            SyncRun.objects.create(
                started_at=started, finished_at=timezone.now(), status=SyncRun.Status.FAILED,
                source=settings.DATAGOUV_URL[:1000], topic=settings.CATALOG_TOPIC[:64], error=reason,
            )  # fmt: skip
    except DatabaseError:
        logger.exception("the failed sync could not be recorded")
