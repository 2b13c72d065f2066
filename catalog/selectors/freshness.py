"""The catalogue's freshness, for the banner on every page and ``/healthz``: the last sync, sample data, failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from catalog.models import SyncRun
from catalog.selectors.listing import section_datasets


@dataclass
class CatalogStatus:
    last_success_at: datetime | None
    is_sample: bool
    failed_at: datetime | None  # the latest attempt to reach data.gouv.fr failed
    error: str
    empty: bool
    skipped: int = 0  # records the last successful sync left out
    skipped_records: list = field(default_factory=list)  # the first of them: {"kind", "id", "reason"}


_memo: tuple[tuple, CatalogStatus] | None = None  # (version, its status), replaced whole


def catalog_status(version: tuple | None = None) -> CatalogStatus:
    """What the banner on every page says about the freshness of the catalogue.

    ``version``: the catalogue version the page shows (catalog.caching.catalog_version, read once per request).
    The status depends on nothing else, since only a finished sync run changes it: given one, it is worked out
    once per version (three queries a page saved) rather than for every page. Without one (or before any run),
    it is read afresh.
    """
    global _memo
    if not version or not version[0]:
        return _read_status()
    memo = _memo
    if memo is None or memo[0] != version:
        memo = _memo = (version, _read_status())
    return memo[1]


def _read_status() -> CatalogStatus:
    runs = SyncRun.objects.exclude(status=SyncRun.Status.RUNNING)
    success = runs.filter(status=SyncRun.Status.SUCCESS).order_by("-started_at").first()
    latest_real = runs.filter(is_sample=False).order_by("-started_at").first()
    failed = latest_real if latest_real and latest_real.status == SyncRun.Status.FAILED else None
    return CatalogStatus(
        last_success_at=success.finished_at if success else None,
        is_sample=bool(success and success.is_sample),
        failed_at=failed.finished_at if failed else None,
        error=failed.error if failed else "",
        empty=not section_datasets().exists(),
        skipped=success.skipped if success else 0,
        skipped_records=success.skipped_records if success else [],
    )
