"""Phase 1 of a sync: read every section's topic through the API client and write the payloads, untouched, to
the dump: datasets of the listing and archived ones (``fetch_catalog``, in full) or those changed since the last
run (``fetch_changes``, incremental), then the organizations publishing them and the licences
(``fetch_sections``). Nothing here writes to the database.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings

from catalog.api.client import CatalogApiClient, CatalogApiError, CatalogDeadlineExceeded
from catalog.ingest import mapping
from catalog.ingest.dump import DumpWriter
from catalog.ingest.guards import check_shrink, check_universe
from catalog.ingest.run import (
    NeedsFullSync,
    Progress,
    SectionPlan,
    SyncError,
    last_successful_run,
    overall_mode,
    quiet,
    section_record,
)
from catalog.models import Dataset, License, Organization

logger = logging.getLogger(__name__)

# Private topics answer one of these to anonymous callers; the topic read is then optional.
UNREADABLE = frozenset({401, 403, 404, 410})
# Full datasets per listing page (the API has no maximum; 100 keeps responses around a megabyte).
LISTING_PAGE_SIZE = 100
# Newest datasets fetched per request by an incremental sync: an unchanged catalogue costs one page.
CHANGES_PAGE_SIZE = 50
# Beyond this many changed or added datasets, one-by-one requests cost more than a full sync.
CHANGES_LIMIT = 2000
ADDED_LIMIT = 200
_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")


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


def _previous_state() -> _Previous:
    """The real catalogue we have now, section by section (none when it is the sample data)."""
    last = last_successful_run()
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
        record = section_record(last, section_id)
        state.last_total = record.get("datasets") if record else None
    return previous


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
    progress: Progress = quiet,
) -> int:
    """Phase 1: write every section's payloads to ``writer``, each dataset once; returns how many.

    A section with a ``since`` gets its changes only (``fetch_changes``), the others their whole topic
    (``fetch_catalog``). Raises ``NeedsFullSync`` naming the section an incremental read gave up on.
    """
    previous = _previous_state()
    writer.start(source=client.base_url, topic=plans[0].topic, sections=[plan.meta() for plan in plans],
                 mode=overall_mode(plan.mode for plan in plans))  # fmt: skip
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
    progress: Progress = quiet,
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
                check_universe(
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
        check_shrink(len(state.active_ids), len(listed), topic)
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
    progress: Progress = quiet,
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
