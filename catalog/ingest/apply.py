"""Phase 2 of a sync: read the dump back and replace the catalogue in one database transaction (``apply_dump``):
licences, organizations, datasets with their files and texts, sections, withdrawals, then the summaries of each
section and the search vocabulary; a record that cannot be stored is left out (catalog.ingest.guards).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from catalog import search
from catalog.ingest import mapping
from catalog.ingest.dump import DumpContents, iter_dump, scan
from catalog.ingest.guards import Quarantine
from catalog.ingest.run import (
    INCREMENTAL,
    Progress,
    SectionCount,
    SkippedRecord,
    SyncError,
    SyncReport,
    last_successful_run,
    quiet,
    section_record,
)
from catalog.models import CatalogSummary, Dataset, DatasetText, License, Organization, Resource, SyncRun, Tag
from catalog.selectors import listing

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass
class _Changed:
    """A dataset saved by this run, with what its related rows are made of."""

    dataset: Dataset
    payload: dict[str, Any]
    resources: list[dict[str, Any]]
    texts: dict[str, str]


class _Insert:
    """``INSERT`` of many rows of one model from plain values: the texts, keywords and files of a batch of datasets.

    ``bulk_create`` builds a model instance per row and passes every value through its field; at 60,000 datasets
    (436,000 files) that cost more than the database's own work. Here the statement is written once, the values a
    database driver takes as they are (text, numbers, booleans, None) go straight in, aware dates and times through
    the backend's adapter, the others (JSON) through their field's ``get_db_prep_save``, and a column a row leaves
    out takes its field's default, as with ``bulk_create``. Rows are dicts keyed by attribute name (``dataset_id``);
    no primary key is returned. Each column's way in is chosen once (``_preparer``), not for each value.
    """

    PLAIN = (str, int, float, bool, type(None))

    def __init__(self, model: type[models.Model]) -> None:
        self.fields = [field for field in model._meta.concrete_fields if field is not model._meta.auto_field]
        self.prepared = [(field.attname, field.get_default, self._preparer(field)) for field in self.fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"

    def __call__(self, rows: Iterable[dict[str, Any]]) -> None:
        values = self.values(rows)
        if values:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, values)

    def values(self, rows: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
        """The statement's parameters for ``rows``."""
        prepared = self.prepared
        return [
            tuple(prepare(row[name] if name in row else default()) for name, default, prepare in prepared)
            for row in rows
        ]

    @classmethod
    def _preparer(cls, field: models.Field) -> Callable[[Any], Any]:
        """How a value of ``field`` reaches the driver. An aware date and time goes straight to the backend's
        adapter, which is where Django's own path ends for one (436,000 files have three each)."""
        plain = cls.PLAIN

        def through_field(value: Any) -> Any:
            return field.get_db_prep_save(value, connection)

        def as_is(value: Any) -> Any:
            return value if isinstance(value, plain) else through_field(value)

        if isinstance(field, models.JSONField):
            return through_field
        if isinstance(field, models.DateTimeField):
            adapt = connection.ops.adapt_datetimefield_value

            def moment(value: Any) -> Any:
                if isinstance(value, datetime) and value.tzinfo is not None:
                    return adapt(value)
                return as_is(value)

            return moment
        return as_is


class _Applier(Quarantine):
    """Writes one dump into the database; runs inside a transaction.

    Every record is stored alone if it must be: a batch of datasets is written inside a savepoint,
    and when it fails, each dataset of the batch is written again inside its own savepoint, then,
    if it still fails, without its files, which are then tried one by one. What still fails is
    left out (``report.skipped``) and the rest of the catalogue is stored in the same transaction.
    A dataset left out keeps its previous version, if it had one.
    """

    def __init__(self, path: Path, contents: DumpContents, run: SyncRun, report: SyncReport, progress: Progress):
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
        self.moved = 0  # datasets whose sections changed without their record changing (_memberships)

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
        # Figures and facet counts of each section, for its pages (catalog.selectors.listing.summary).
        universe = [section.id for section in settings.UNIVERSE.sections]
        sections = list(dict.fromkeys([*universe, *self.contents.sections]))
        summaries = None
        if not self.changed:
            # Nothing changed in the datasets: the last counts hold, but for the update periods (recounted).
            previous = dict(CatalogSummary.objects.values_list("section", "data"))
            summaries = listing.refreshed_summaries(previous, sections, self.now)
        if summaries is None:
            summaries = listing.compute_summaries(sections, self.now)
        CatalogSummary.objects.all().delete()
        organizations: set[int] = set()
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

    @property
    def changed(self) -> bool:
        """Whether this run changed any dataset or its sections (known once ``apply`` has run)."""
        return bool(self.report.created or self.report.updated or self.report.withdrawn or self.moved)

    def _memberships(self) -> int:
        """Give each dataset its sections after this dump; withdraw those left in none. Returns how many were.

        Datasets stored by this run already have theirs (``_store``); this pass changes the others: those
        the dump names in another section, or that left a section, or that a full read did not find.
        """
        changes: dict[str, list[int]] = {}
        for pk, remote_id, current in self._membership_rows():
            after = self.contents.sections_of(remote_id, current)
            if after != current:
                changes.setdefault(after, []).append(pk)
        withdrawn = 0
        self.moved = sum(len(pks) for pks in changes.values())
        for value, pks in changes.items():
            for start in range(0, len(pks), 500):
                chosen = Dataset.objects.filter(pk__in=pks[start : start + 500])
                if value:
                    chosen.update(section_ids=value)
                else:  # in no topic any more: withdrawn (its page says so), in no section
                    withdrawn += chosen.update(section_ids="", withdrawn_at=self.now, last_synced_at=self.now)
        return withdrawn

    def _membership_rows(self) -> Iterable[tuple[int, str, str]]:
        """``(pk, remote_id, section_ids)`` of the stored datasets whose sections this dump may change.

        When every section is read incrementally and the last run had no section this dump lacks, only the datasets
        the dump names (in a section or withdrawn from one) can change: a dataset holds only sections of the run
        that last wrote it. An unchanged catalogue then reads none of its 60,000 rows. Otherwise, every row.
        """
        rows = Dataset.objects.active().values_list("pk", "remote_id", "section_ids")
        sections = self.contents.sections
        last = last_successful_run()
        before = set(last.sections or {settings.UNIVERSE.main.id: None}) if last and not last.is_sample else None
        if before is None or not before <= set(sections) or any(s["mode"] != INCREMENTAL for s in sections.values()):
            yield from rows.iterator(chunk_size=5000)
            return
        named = sorted(set().union(*self.contents.members.values(), *self.contents.withdrawn.values()))
        for start in range(0, len(named), 500):
            yield from rows.filter(remote_id__in=named[start : start + 500])

    def _state(self) -> tuple:
        """What a rolled-back savepoint must take back from the run's memory."""
        counts = (self.report.created, self.report.updated, self.report.unchanged)
        return dict(self.tags), dict(self.organizations), set(self.refreshed), dict(self.licenses), counts

    def _restore(self, state: tuple) -> None:
        self.tags, self.organizations, self.refreshed, self.licenses, counts = state
        self.report.created, self.report.updated, self.report.unchanged = counts

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
        # Their payloads (kilobytes of JSON each) are left unread: a detailed record sets it again, a dataset's
        # reference to its publisher leaves it as it is (a model saves only the fields it has).
        organizations = Organization.objects.defer("raw")
        self.organizations = {organization.remote_id: organization for organization in organizations}
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
        _Insert(DatasetText)(
            # The raw payload without its files: they are stored, field by field, as Resource rows.
            {
                "dataset_id": item.dataset.pk,
                "raw": mapping.clean_json({key: value for key, value in item.payload.items() if key != "resources"}),
                **item.texts,
            }
            for item in changed
        )
        Resource.objects.filter(dataset_id__in=dataset_ids).delete()
        Through = Dataset.tags.through
        Through.objects.filter(dataset_id__in=dataset_ids).delete()
        links: list[dict[str, int]] = []
        for item in changed:
            for name in mapping.tag_names(item.payload):
                if name not in self.tags:
                    self.tags[name] = Tag.objects.create(name=name).pk
                links.append({"dataset_id": item.dataset.pk, "tag_id": self.tags[name]})
        _Insert(Through)(links)
        if not files_one_by_one:
            _Insert(Resource)({"dataset_id": item.dataset.pk, **row} for item in changed for row in item.resources)
            return
        for item in changed:
            for fields in item.resources:
                resource = Resource(dataset=item.dataset, **fields)
                self._guarded("resource", f"{item.dataset.remote_id}/{resource.remote_id}", resource.save)
        stored = Resource.objects.filter(dataset_id__in=dataset_ids).count()
        Dataset.objects.filter(pk__in=dataset_ids).update(resource_count=stored)


def apply_dump(
    path: Path, *, run: SyncRun, report: SyncReport, dry_run: bool = False, progress: Progress = quiet
) -> None:
    """Phase 2: replace the catalogue with the dump's content, in one transaction."""
    contents = scan(path)
    report.is_sample = bool(contents.meta.get("sample"))
    report.mode = run.mode = contents.mode
    run.is_sample = report.is_sample
    last_success = last_successful_run()
    source = contents.meta.get("source")
    for section_id, section in contents.sections.items():
        if section["mode"] != INCREMENTAL:
            continue
        record = section_record(last_success, section_id) if last_success and not last_success.is_sample else None
        if record is None or last_success.source != source or record.get("topic") != section["topic"]:
            raise SyncError(f"{path}: an incremental dump only applies to a catalogue from the same source and topic "
                            f"(section {section_id})")  # fmt: skip
    with transaction.atomic():
        if last_success is not None and last_success.is_sample != report.is_sample:
            # Sample data and the real catalogue never mix.
            Dataset.objects.all().delete()
            Organization.objects.all().delete()
        applier = _Applier(path, contents, run, report, progress)
        applier.apply()
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run and applier.changed:  # an unchanged catalogue keeps its statistics
        _refresh_statistics()


def _refresh_statistics() -> None:
    """Table statistics for the query planner: without them SQLite may pick a slow index."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE catalog_dataset, catalog_datasettext, catalog_resource, catalog_dataset_tags")
