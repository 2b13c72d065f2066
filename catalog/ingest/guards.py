"""What stops a sync before it changes the catalogue: a section that lost most of its datasets
(``check_shrink``), a listing that looks like the whole national catalogue (``check_universe``), and the
quarantine of records that cannot be stored, with its limit (``Quarantine``, ``SYNC_MAX_SKIPPED_PERCENT``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction

from catalog.api.client import CatalogApiClient
from catalog.ingest import mapping
from catalog.ingest.run import SkippedRecord, SyncError

logger = logging.getLogger(__name__)


def check_shrink(before: int, listed: int, topic: str) -> None:
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


def check_universe(
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


def _reason(exc: BaseException) -> str:
    """One line, of bounded length, saying why a record could not be stored."""
    message = " ".join(str(exc).split())
    return f"{exc.__class__.__name__}: {message}"[:300]


class Quarantine:
    """Every record stored alone if it must be: one that still fails is left out (``report.skipped``), and the
    run fails when more than ``SYNC_MAX_SKIPPED_PERCENT`` of a kind are.

    Mixed into the applier (catalog.ingest.apply), which holds ``report``, ``contents`` and ``skipped`` and
    says with ``_state`` and ``_restore`` what a rolled-back savepoint takes back from its memory.
    """

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
