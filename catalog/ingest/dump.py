"""The dump file between the two phases of a sync: the fetch writes it line by line (``DumpWriter``), the
apply reads it back, checked (``iter_dump``), after one pass that takes its measure (``scan``).
The format is described in docs/dump-format.md.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone

from catalog.api.client import json_bytes, parse_json
from catalog.ingest import mapping
from catalog.ingest.run import FULL, INCREMENTAL, SyncError, overall_mode

DUMP_FORMAT = "culture-portal-dump"
DUMP_VERSION = 2  # 2: several sections (``sections`` in meta, ``section`` on records); 1 is still read


def open_dump(path: Path, mode: str) -> IO[str]:
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
        self.handle.write(json_bytes(record).decode() + "\n")
        if kind == "dataset":
            self.datasets += 1

    def finish(self, total: int | None) -> None:
        self.write("end", datasets=self.datasets, total=total)


def iter_dump(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a dump file, checked: a known format first, an ``end`` line last."""
    try:
        with open_dump(path, "r") as handle:
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


@dataclass
class DumpContents:
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
        return overall_mode(section.get("mode", FULL) for section in self.sections.values())

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


def scan(path: Path) -> DumpContents:
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
    return DumpContents(
        meta=meta, organizations=organizations, licenses=licenses, datasets=datasets, sections=sections,
        members=members, withdrawn=withdrawn,
    )  # fmt: skip
