"""One bad record never freezes the catalogue: clamped when it can be, left out alone when it cannot."""

import json
import logging

import pytest
from django.core.management import call_command

from catalog.ingest import mapping
from catalog.ingest.run import SyncError
from catalog.ingest.service import sync_catalog
from catalog.models import Dataset, Organization, SyncRun
from tests.fakes.datagouv import StandinAPI
from tests.fakes.memory import observer_topic
from tests.fakes.payloads import TOPIC, dataset, load, organization, resource

pytestmark = pytest.mark.django_db

ORG = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")


def neighbours(count: int = 12) -> list[dict]:
    return [dataset(f"{index:024x}", f"Jeu voisin {index}", tags=("musee",), org=ORG) for index in range(1, count + 1)]


def hostile_records() -> list[dict]:
    """Each of these froze every sync before: valid for the API, refused by a database once mapped."""
    return [
        # Valid ISO 8601, past year 9999 once the offset is applied (and before year 1).
        dataset("b" * 24, "Date au bout du calendrier", org=ORG, last_update="9999-12-31T23:59:59-05:00",
                created_at="0001-01-01T00:00:00+05:00", frequency_date="9999-12-31T22:00:00-12:00"),
        # Numbers larger than the database or float() accepts.
        dataset("c" * 24, "Nombres absurdes", org=ORG, quality={"score": 10**400},
                metrics={"views": 10**30, "followers": -(10**20), "reuses": 1e308, "discussions": "9" * 50}),
        # A tag longer than its column once lower-cased ("İ" becomes two characters).
        dataset("d" * 24, "Mot-clé qui s'allonge", org=ORG, tags=("İ" * 255, "musee")),
        # Three hundred files of distinct formats: their list is longer than its column.
        dataset("e" * 24, "Trois cents formats", org=ORG,
                resources=[resource(f"{'e' * 20}-{index:03d}", fmt=f"format{index:03d}") for index in range(300)]),
    ]  # fmt: skip


def test_records_that_froze_the_sync_are_clamped_and_stored_through_the_api(settings, tmp_path):
    with StandinAPI(
        datasets=neighbours() + hostile_records(), organizations=[ORG], topic_id=TOPIC, topics=[observer_topic()]
    ) as api:
        settings.DATAGOUV_URL = api.url
        from catalog.api.client import get_client

        with get_client() as client:
            report = sync_catalog(client=client)
    assert report.skipped == []
    assert Dataset.objects.published().count() == 16
    dates = Dataset.objects.get(remote_id="b" * 24)
    assert (dates.last_update, dates.created_at, dates.frequency_date) == (None, None, None)
    numbers = Dataset.objects.get(remote_id="c" * 24)
    assert numbers.quality_score is None
    assert (numbers.metric_views, numbers.metric_followers) == (mapping.MAX_INT, 0)
    tags = list(Dataset.objects.get(remote_id="d" * 24).tags.values_list("name", flat=True))
    assert all(len(name) <= 255 for name in tags) and "musee" in tags
    formats = Dataset.objects.get(remote_id="e" * 24)
    assert formats.resources.count() == 300
    assert len(formats.formats) <= 500 and formats.formats.startswith(" format000 format001 ")
    assert Dataset.objects.filter(title__startswith="Jeu voisin", withdrawn_at__isnull=True).count() == 12


def _failing(monkeypatch, function_name: str, bad_ids: set[str], **override):
    """Make the mapper return a value the database refuses (a negative count) for some records."""
    real = getattr(mapping, function_name)

    def wrapped(payload, *args, **kwargs):
        fields = real(payload, *args, **kwargs)
        if payload.get("id") in bad_ids:
            fields.update(override)
        return fields

    monkeypatch.setattr(mapping, function_name, wrapped)


def test_a_dataset_the_database_refuses_is_left_out_alone(monkeypatch, tmp_path, settings):
    settings.SYNC_MAX_SKIPPED_PERCENT = 10
    records = neighbours(20)
    bad = records[7]["id"]
    _failing(monkeypatch, "dataset_fields", {bad}, metric_followers=-1)
    report = load(tmp_path, records, [ORG])
    assert [(record.kind, record.id) for record in report.skipped] == [("dataset", bad)]
    assert "IntegrityError" in report.skipped[0].reason
    assert Dataset.objects.published().count() == 19
    assert not Dataset.objects.filter(remote_id=bad).exists()
    run = SyncRun.objects.get(status=SyncRun.Status.SUCCESS)
    assert run.skipped == 1 and run.skipped_records[0]["id"] == bad
    # Every neighbour is whole: its file, its tag, its publisher.
    for record in records:
        if record["id"] != bad:
            stored = Dataset.objects.get(remote_id=record["id"])
            assert stored.resources.count() == 1 and stored.organization.name == ORG["name"]
            assert list(stored.tags.values_list("name", flat=True)) == ["musee"]


def test_a_left_out_dataset_keeps_its_previous_version(monkeypatch, tmp_path, settings):
    settings.SYNC_MAX_SKIPPED_PERCENT = 10
    records = neighbours(20)
    load(tmp_path, records, [ORG])
    changed = [dict(record, title=record["title"] + " (nouveau titre)") for record in records]
    bad = records[3]["id"]
    _failing(monkeypatch, "dataset_fields", {bad}, metric_views=-5)
    report = load(tmp_path, changed, [ORG])
    assert [record.id for record in report.skipped] == [bad]
    kept = Dataset.objects.get(remote_id=bad)
    assert kept.withdrawn_at is None and kept.title == records[3]["title"]
    assert Dataset.objects.filter(title__endswith="(nouveau titre)").count() == 19


def test_a_file_the_database_refuses_is_left_out_and_its_dataset_kept(monkeypatch, tmp_path):
    files = [resource(f"file-{index}") for index in range(5)]
    records = [dataset("f" * 24, "Jeu aux cinq fichiers", org=ORG, resources=files), *neighbours(3)]
    real = mapping.resource_fields

    def negative_size(payload, position):
        fields = real(payload, position)
        return fields | {"filesize": -1} if payload["id"] == "file-2" else fields

    monkeypatch.setattr(mapping, "resource_fields", negative_size)
    report = load(tmp_path, records, [ORG])
    assert [(record.kind, record.id) for record in report.skipped] == [("resource", f"{'f' * 24}/file-2")]
    stored = Dataset.objects.get(remote_id="f" * 24)
    assert sorted(stored.resources.values_list("remote_id", flat=True)) == ["file-0", "file-1", "file-3", "file-4"]
    assert stored.resource_count == 4
    assert Dataset.objects.published().count() == 4


def test_a_mapper_that_raises_leaves_out_that_record_only(monkeypatch, tmp_path, settings):
    settings.SYNC_MAX_SKIPPED_PERCENT = 10
    records = neighbours(20)
    real = mapping.dataset_fields

    def explode(payload, **kwargs):
        if payload["id"] == records[0]["id"]:
            raise RecursionError("maximum recursion depth exceeded")
        return real(payload, **kwargs)

    monkeypatch.setattr(mapping, "dataset_fields", explode)
    report = load(tmp_path, records, [ORG])
    assert [(record.id, record.reason) for record in report.skipped] == [
        (records[0]["id"], "RecursionError: maximum recursion depth exceeded")
    ]
    assert Dataset.objects.published().count() == 19


def test_an_organization_the_database_refuses_leaves_its_datasets_without_publisher(monkeypatch, tmp_path):
    other = organization("6" * 24, "Musée refusé", slug="musee-refuse")
    records = [*neighbours(3), dataset("7" * 24, "Jeu du musée refusé", org=other)]
    _failing(monkeypatch, "organization_fields", {other["id"]}, metric_followers=-1)
    report = load(tmp_path, records, [ORG, other])
    assert [(record.kind, record.id) for record in report.skipped] == [("organization", other["id"])]
    orphan = Dataset.objects.get(remote_id="7" * 24)
    assert orphan.organization is None and orphan.withdrawn_at is None
    assert Organization.objects.filter(remote_id=ORG["id"]).exists()


def test_too_many_left_out_fails_and_keeps_the_previous_catalogue(monkeypatch, tmp_path, settings):
    settings.SYNC_MAX_SKIPPED_PERCENT = 1
    records = neighbours(20)
    load(tmp_path, records, [ORG])
    before = set(Dataset.objects.values_list("remote_id", "title"))
    bad = {records[0]["id"], records[1]["id"]}
    _failing(monkeypatch, "dataset_fields", bad, metric_followers=-1)
    renamed = [dict(record, title="Renommé") for record in records]
    with pytest.raises(SyncError, match=r"2 of 20 dataset records could not be stored .*SYNC_MAX_SKIPPED_PERCENT=1%"):
        load(tmp_path, renamed, [ORG])
    assert set(Dataset.objects.values_list("remote_id", "title")) == before
    failed = SyncRun.objects.order_by("-pk").first()
    assert failed.status == SyncRun.Status.FAILED and failed.skipped == 2
    assert {record["id"] for record in failed.skipped_records} == bad
    # A larger share allowed: the same records are left out, the rest is stored.
    settings.SYNC_MAX_SKIPPED_PERCENT = 10
    report = load(tmp_path, renamed, [ORG])
    assert {record.id for record in report.skipped} == bad
    assert Dataset.objects.filter(title="Renommé").count() == 18


def test_operator_sees_what_was_left_out_in_command_healthz_and_logs(monkeypatch, tmp_path, settings, client, caplog):
    settings.SYNC_MAX_SKIPPED_PERCENT = 10
    records = neighbours(20)
    bad = records[5]["id"]
    _failing(monkeypatch, "dataset_fields", {bad}, metric_followers=-1)
    from tests.fakes.payloads import write_dump

    dump = write_dump(tmp_path / "dump.jsonl", records, [ORG])
    output = []
    with caplog.at_level(logging.INFO, logger="catalog.ingest"):
        call_command("sync_catalog", from_dump=str(dump), stdout=_Lines(output))
    text = "".join(output)
    assert "1 records left out" in text
    assert f"left out: dataset {bad}: IntegrityError" in text
    skipped_logs = [record for record in caplog.records if getattr(record, "event", "") == "sync_record_skipped"]
    assert [record.record["id"] for record in skipped_logs] == [bad]
    finished = next(record for record in caplog.records if getattr(record, "event", "") == "sync_finished")
    assert finished.sync["skipped"] == 1 and finished.sync["skipped_records"][0]["id"] == bad
    health = json.loads(client.get("/healthz").content)
    assert health["skipped_records"] == 1
    assert health["skipped"][0]["id"] == bad and health["skipped"][0]["kind"] == "dataset"


class _Lines:
    def __init__(self, sink: list[str]):
        self.sink = sink

    def write(self, text: str) -> None:
        self.sink.append(text)

    def flush(self) -> None:
        pass


def test_a_dump_with_an_absurdly_long_number_loads_with_the_number_unknown(tmp_path):
    from tests.fakes.payloads import write_dump

    dump = write_dump(tmp_path / "dump.jsonl", neighbours(3), [ORG])
    text = dump.read_text(encoding="utf-8").replace('"views": 0', '"views": ' + "9" * 5000, 1)
    dump.write_text(text, encoding="utf-8")
    report = sync_catalog(from_dump=dump)
    assert report.skipped == [] and Dataset.objects.published().count() == 3
    assert sorted(Dataset.objects.values_list("metric_views", flat=True)) == [0, 0, 0]
