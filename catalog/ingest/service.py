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

The stages live beside this module: ``fetch`` (phase 1), ``dump``, ``guards``, ``apply`` (phase 2),
``lock``; ``run`` holds what they share (plans, report, errors). This module runs them in order.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from catalog.api.client import CatalogApiClient, CatalogApiError
from catalog.ingest.apply import apply_dump
from catalog.ingest.dump import DumpWriter, open_dump
from catalog.ingest.fetch import fetch_sections
from catalog.ingest.lock import sync_lock
from catalog.ingest.run import (
    FULL,
    INCREMENTAL,
    SKIPPED_KEPT,
    NeedsFullSync,
    Progress,
    SectionCount,
    SectionPlan,
    SyncError,
    SyncReport,
    last_successful_run,
    overall_mode,
    quiet,
    section_record,
    sections_to_sync,
)
from catalog.models import Dataset, SyncRun

logger = logging.getLogger(__name__)

# Updates are looked for since the start of the last successful run, minus this margin.
CHANGES_OVERLAP = timedelta(hours=1)


def sync_catalog(
    *,
    client: CatalogApiClient | None = None,
    from_dump: Path | str | None = None,
    dump_to: Path | str | None = None,
    topic: str | None = None,
    force: bool = False,
    dry_run: bool = False,
    mode: str = "auto",
    progress: Progress = quiet,
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
                run.mode = overall_mode(plan.mode for plan in plans)  # what a failed run was trying
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
    last = last_successful_run()
    if last is None or last.is_sample or last.source != source[:1000]:
        return None
    record = section_record(last, plan.id)
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
        record = section_record(run, plan.id)
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
                with open_dump(staging, "w") as handle:
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


def ensure_catalog(*, max_age: timedelta = timedelta(days=1), progress: Progress = quiet) -> str:
    """Used by ``make run`` and the container: sync when the catalogue is empty, sample or older than ``max_age``.

    Never raises, whatever the sync raises (an unreachable API, a record no rule foresaw, a bug): the
    site must start anyway, with the last good catalogue, or the sample one when there is none and
    ``SAMPLE_FALLBACK`` is on, and the failure banner. Returns what happened.
    """
    from catalog.api.client import get_client

    last = last_successful_run()
    same_source = (
        last is not None
        and last.source == settings.DATAGOUV_URL
        and all((section_record(last, plan.id) or {}).get("topic") == plan.topic for plan in sections_to_sync())
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
