"""Incremental sync: only what changed since the last run, against the HTTP stand-in of the API."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog import search
from catalog.ingest import apply, fetch
from catalog.ingest.run import SyncError
from catalog.ingest.service import sync_catalog
from catalog.models import Dataset, SyncRun
from catalog.selectors import listing
from tests.catalog.test_sync import CNC, MC, VILLE, catalogue, client_for
from tests.fakes.datagouv import StandinAPI
from tests.fakes.memory import OBSERVER_TOPIC_ID, observer_topic
from tests.fakes.payloads import TOPIC, dataset, organization, write_dump

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(sample_licenses):
    server = StandinAPI(
        datasets=catalogue(),
        organizations=[MC, CNC, VILLE],
        licenses=sample_licenses,
        topic_id=TOPIC,
        topics=[observer_topic()],
        page_size_default=20,
    )
    with server:
        yield server
    assert server.errors == []


def run(api, mode="auto", **kwargs):
    with client_for(api) as client:
        return sync_catalog(client=client, mode=mode, **kwargs)


@pytest.fixture
def synced(api):
    report = run(api, mode="full")
    assert report.mode == "full"
    api.reset_log()
    return api


def now_iso(delta=timedelta()):
    return (timezone.now() + delta).isoformat()


def found(query):
    return sorted(item.title for item in listing.dataset_list(listing.DatasetFilters(query=query)))


def test_unchanged_catalogue_costs_one_request_per_section(synced):
    report = run(synced)
    assert report.mode == "incremental"
    assert [(r.path, r.query["sort"], r.query["topic"]) for r in synced.requests] == [
        ("/api/1/datasets/", "-last_update", TOPIC),
        ("/api/1/datasets/", "-last_update", OBSERVER_TOPIC_ID),
    ]
    assert (report.created, report.updated, report.withdrawn, report.datasets_total) == (0, 0, 0, 4)
    assert SyncRun.objects.latest().mode == "incremental"


def test_recently_updated_dataset_is_fetched_and_reindexed(synced):
    synced.update_dataset("b" * 24, title="Entrées en salles obscures", last_update=now_iso())
    report = run(synced)
    assert (report.mode, report.updated, report.unchanged) == ("incremental", 1, 0)
    assert found("obscures") == ["Entrées en salles obscures"]
    assert found("fréquentation") == []  # the old title left the index in the same transaction
    assert len(synced.requests) == 2  # one listing page per section


def test_dataset_joining_the_topic_with_an_old_date_is_found_by_the_membership_check(synced):
    synced.add_dataset(dataset("e" * 24, "Archives de la Culture", tags=("archives",), org=MC,
                               last_update="2020-01-01T00:00:00+00:00"))  # fmt: skip
    report = run(synced)
    assert (report.mode, report.created, report.datasets_total) == ("incremental", 1, 5)
    paths = [request.path for request in synced.requests]
    assert paths == ["/api/1/datasets/", "/api/1/datasets/", f"/api/1/datasets/{'e' * 24}/", "/api/1/datasets/"]
    assert synced.requests[1].headers.get("X-Fields") == "data{id},total,next_page"
    assert found("archives") == ["Archives de la Culture"]


def test_dataset_leaving_the_topic_is_withdrawn_and_archived_one_is_kept(synced):
    synced.remove_from_topic("c" * 24)
    synced.archive_dataset("a" * 24)
    report = run(synced)
    assert (report.mode, report.withdrawn, report.archived) == ("incremental", 1, 1)
    assert Dataset.objects.get(remote_id="c" * 24).withdrawn_at is not None
    kept = Dataset.objects.get(remote_id="a" * 24)
    assert kept.withdrawn_at is None and kept.archived_at is not None
    assert Dataset.objects.published().count() == 2


def test_only_new_publishers_are_requested(synced):
    louvre = organization("7d9f3c4b5e6f7a8b9c0d1e2f", "Musée du Louvre", slug="louvre")
    synced.add_organization(louvre)
    synced.add_dataset(dataset("f" * 24, "Collections du Louvre", tags=("musee",), org=louvre, last_update=now_iso()))
    synced.update_dataset("b" * 24, last_update=now_iso())
    run(synced)
    organization_requests = [r.path for r in synced.requests if r.path.startswith("/api/1/organizations/")]
    assert organization_requests == [f"/api/1/organizations/{louvre['id']}/"]


def test_too_many_newcomers_switch_to_a_full_sync(synced, monkeypatch):
    monkeypatch.setattr(fetch, "ADDED_LIMIT", 1)
    for letter in "ef":
        synced.add_dataset(dataset(letter * 24, f"Jeu {letter}", tags=("livre",), org=MC,
                                   last_update="2020-01-01T00:00:00+00:00"))  # fmt: skip
    report = run(synced)
    assert (report.sections["explorer"].mode, report.created, report.datasets_total) == ("full", 2, 6)
    assert report.sections["observer"].mode == "incremental"  # the other section stays cheap
    assert report.mode == "incremental"  # a run is full when every section was read in full


def test_a_full_sync_runs_when_the_last_one_is_too_old(synced, settings):
    settings.SYNC_FULL_EVERY = timedelta(hours=24)
    SyncRun.objects.update(started_at=timezone.now() - timedelta(hours=25))
    assert run(synced).mode == "full"
    assert run(synced).mode == "incremental"


def test_incremental_is_refused_when_most_datasets_leave(api):
    api.set_datasets([dataset(f"{i:024x}", f"Jeu {i}", tags=("archives",), org=MC) for i in range(1, 31)])
    run(api, mode="full")
    for i in range(1, 21):
        api.remove_from_topic(f"{i:024x}")
    with pytest.raises(SyncError, match="20 of the 30 datasets left"):
        run(api)
    assert Dataset.objects.published().count() == 30


def test_failed_apply_leaves_data_and_index_as_they_were(synced, monkeypatch):
    synced.update_dataset("b" * 24, title="Entrées en salles obscures", last_update=now_iso())
    original = apply._Applier._datasets

    def fail_after_saving(self, payloads):
        original(self, payloads)
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply._Applier, "_datasets", fail_after_saving)
    with pytest.raises(RuntimeError):
        run(synced)
    assert found("obscures") == []
    assert found("fréquentation") == ["Fréquentation des cinémas"]
    assert search.index_size() in (0, Dataset.objects.count())


def test_command_flags_choose_the_mode(synced, settings, capsys):
    settings.DATAGOUV_URL = synced.url
    call_command("sync_catalog")
    assert "incremental sync" in capsys.readouterr().out
    call_command("sync_catalog", "--full")
    assert "incremental" not in capsys.readouterr().out


def test_incremental_dump_does_not_apply_to_another_catalogue(tmp_path):
    path = write_dump(tmp_path / "changes.jsonl", [dataset("a" * 24, "Musées")])
    lines = path.read_text().splitlines()
    lines[0] = lines[0].replace('"sample": false', '"sample": false, "mode": "incremental"')
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SyncError, match="same source and topic"):
        sync_catalog(from_dump=path)


def test_every_keeps_syncing_and_survives_a_failed_run(api, settings, capsys, monkeypatch):
    settings.DATAGOUV_URL = api.url
    settings.DATAGOUV_RETRIES = 0
    waits: list[float] = []
    monkeypatch.setattr("time.sleep", waits.append)
    # The first run reads two listings (one per section) and the licences: the second run fails once.
    api.add_fault("/api/1/datasets/", status=500, after=3, times=1)
    call_command("sync_catalog", "--every", "30", "--times", "3")
    statuses = list(SyncRun.objects.order_by("started_at").values_list("mode", "status"))
    assert statuses == [("full", "success"), ("incremental", "failed"), ("incremental", "success")]
    assert waits == [1800.0, 1800.0]
    assert "Next sync in 30 minutes" in capsys.readouterr().out


def _stored_summaries():
    from catalog.models import CatalogSummary

    return {row.section: (row.computed_at, row.data) for row in CatalogSummary.objects.all()}


def _counting(monkeypatch):
    """Counts the full recounts of the summaries (selectors.listing.compute_summaries) from now on."""
    calls = []
    full = listing.compute_summaries

    def counted(*args, **kwargs):
        calls.append(args)
        return full(*args, **kwargs)

    monkeypatch.setattr(listing, "compute_summaries", counted)
    return calls


def test_an_unchanged_sync_recounts_only_the_update_periods_and_they_move_with_its_date(synced, monkeypatch):
    synced.update_dataset("b" * 24, last_update=now_iso())
    assert run(synced).updated == 1
    before = {section: dict(data["facets"]) for section, (_, data) in _stored_summaries().items()}
    assert dict(before["explorer"]["last_update_range"]).get("last_30_days", 0) >= 1
    # 35 days later, nothing changed, and « b » is no longer among the datasets updated in the last 30 days.
    later = timezone.now() + timedelta(days=35)
    monkeypatch.setattr(apply, "timezone", type("Clock", (), {"now": staticmethod(lambda: later)}))
    calls = _counting(monkeypatch)
    report = run(synced)
    assert (report.created, report.updated, report.withdrawn) == (0, 0, 0)
    assert calls == []  # no full recount of every dataset
    stored = _stored_summaries()
    assert set(stored) == set(before)
    for section, (computed_at, data) in stored.items():
        assert computed_at == later
        # Exactly what counting everything again at that date gives.
        assert data == json.loads(json.dumps(listing.compute_summaries([section], as_of=later)[section]))
    periods = dict(stored["explorer"][1]["facets"]["last_update_range"])
    recent = Dataset.objects.published().in_section("explorer").filter(last_update__gte=later - timedelta(days=30))
    assert periods.get("last_30_days", 0) == recent.count()
    assert periods.get("last_30_days", 0) < dict(before["explorer"]["last_update_range"])["last_30_days"]


def test_a_changed_dataset_or_another_set_of_facets_counts_everything_again(synced, monkeypatch):
    calls = _counting(monkeypatch)
    synced.update_dataset("b" * 24, title="Entrées en salles obscures", last_update=now_iso())
    assert run(synced).updated == 1
    assert len(calls) == 1
    previous = {section: data for section, (_, data) in _stored_summaries().items()}
    sections = list(previous)
    assert listing.refreshed_summaries(previous, sections, timezone.now()) is not None
    fewer = {**previous, "explorer": {**previous["explorer"], "facets": dict(previous["explorer"]["facets"])}}
    del fewer["explorer"]["facets"]["format"]  # counted before the universe had this facet
    assert listing.refreshed_summaries(fewer, sections, timezone.now()) is None
    other_groups = {**previous, "observer": {**previous["observer"], "tag_groups": {"thematique": ["autre"]}}}
    assert listing.refreshed_summaries(other_groups, sections, timezone.now()) is None
    assert listing.refreshed_summaries({"explorer": previous["explorer"]}, sections, timezone.now()) is None


def test_changed_tags_reach_the_dataset_page_and_the_cards_without_reading_the_tag_tables(synced, client):
    synced.update_dataset("b" * 24, tags=["Exploitation", "cinema", "salles"], last_update=now_iso())
    assert run(synced).updated == 1
    stored = Dataset.objects.get(remote_id="b" * 24)
    linked = sorted(stored.tags.values_list("name", flat=True))
    assert stored.tag_names == linked == ["cinema", "exploitation", "salles"]
    keyword = '<a class="fr-tag fr-tag--sm" href="/datasets/?tag=exploitation">exploitation</a>'
    for url in (f"/datasets/{stored.slug}/", "/datasets/?q=cinemas"):
        client.get(url)  # a list reads the tag groups' links once per catalogue version, for its facet table
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert keyword in html, url
        assert not [query for query in queries.captured_queries if "catalog_tag" in query["sql"]], url
