"""What one sync run is made of: the sections it reads and how (``SectionPlan``: in full or from a date),
what it reports (``SyncReport``, the records it left out), how it fails (``SyncError``, ``NeedsFullSync``), and
the runs before it (``last_successful_run``, ``section_record``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings

from catalog.models import SyncRun

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


def overall_mode(modes: Iterable[str]) -> str:
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


def quiet(_: str) -> None:
    pass


def last_successful_run() -> SyncRun | None:
    return SyncRun.objects.filter(status=SyncRun.Status.SUCCESS).order_by("-started_at").first()


def section_record(run: SyncRun, section_id: str) -> dict[str, Any] | None:
    """What ``run`` recorded of a section; runs from before sections recorded their one topic as the first's."""
    if run.sections:
        entry = run.sections.get(section_id)
        return entry if isinstance(entry, dict) else None
    if section_id == settings.UNIVERSE.main.id:
        return {"topic": run.topic, "mode": run.mode, "datasets": run.datasets_total}
    return None
