"""The export builder: while it runs, a web request never builds an export; it queues one job per export
and serves the file the builder wrote. A new catalogue gets the exports asked of the last one built again."""

import json
import os
import threading
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.exports import builder as export_builder
from catalog.exports import store
from catalog.ingest.service import sync_catalog
from tests.catalog.test_exports import MC, URLS, body, catalogue_queries
from tests.fakes.payloads import dataset, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample():
    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)


@pytest.fixture
def builder(settings):
    """A builder holds the host's lock (as `manage.py build_exports` does); the test runs its steps."""
    settings.EXPORT_WAIT_SECONDS = 0
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "culture.example.org"]
    with export_builder.builder_lock():
        yield export_builder.Builder()


def queued() -> list[dict]:
    return [json.loads(path.read_text()) for path in export_builder.pending()]


def drain(builder: export_builder.Builder) -> None:
    while export_builder.pending():
        builder.step()


def test_without_a_builder_web_requests_build(client, sample):
    assert not store.builder_running()
    assert body(client.get("/catalogue.ttl")).startswith(b"@prefix")
    assert queued() == []


@pytest.mark.parametrize("url", URLS.values(), ids=URLS.keys())
def test_with_a_builder_the_request_queues_a_job_and_the_builder_builds_it(client, sample, builder, url):
    assert store.builder_running()
    waiting = client.get(url, HTTP_HOST="culture.example.org")
    assert waiting.status_code == 503 and int(waiting["Retry-After"]) > 0
    assert "en préparation" in waiting.content.decode()
    assert list(settings.EXPORT_CACHE_DIR.glob("v*/*")) == []  # the web worker built nothing
    path, _, query = url.partition("?")
    assert queued() == [{"path": path, "query": query, "root": "http://culture.example.org"}]

    drain(builder)
    with CaptureQueriesContext(connection) as queries:
        served = body(client.get(url, HTTP_HOST="culture.example.org"))
    assert catalogue_queries(queries) == []
    assert served and queued() == []
    if url.startswith(("/sitemap", "/feeds")):
        assert b"http://culture.example.org/" in served  # built for the host that asked


def test_a_thousand_requests_for_one_export_make_one_job(client, sample, builder):
    for number in range(50):
        assert client.get("/datasets.csv", {"q": "musées", "junk": number}).status_code == 503
    assert len(queued()) == 1


@pytest.mark.parametrize(
    "url", ["/catalogue.ttl?page=2&page_size=10", "/sitemap-datasets.xml", "/feeds/categories/musee.atom"]
)
def test_an_export_already_queued_is_refused_without_reading_the_catalogue(client, sample, builder, url):
    """Its request was checked (page number, slug) when it was queued: asking again costs no query."""
    assert client.get(url).status_code == 503
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.status_code == 503 and "en préparation" in again.content.decode()
    assert catalogue_queries(queries) == []
    assert len(queued()) == 1


def test_a_full_queue_turns_new_exports_away_without_a_job(client, sample, builder, settings):
    settings.EXPORT_QUEUE_MAX = 2
    for search in ("musées", "cinéma", "archives"):
        assert client.get("/datasets.csv", {"q": search}).status_code == 503
    assert [job["query"] for job in queued()] == ["q=mus%C3%A9es", "q=cin%C3%A9ma"]


@pytest.mark.django_db(transaction=True)  # the builder reads the catalogue from another thread
def test_a_request_that_may_wait_gets_the_file_the_builder_writes(client, sample, builder, settings, monkeypatch):
    settings.EXPORT_WAIT_SECONDS = 10
    monkeypatch.setattr(store, "_PICKUP_SECONDS", 10)  # the test's builder steps late on a busy machine
    monkeypatch.setattr(store, "machine_busy", lambda: False)  # and the test machine may be busy

    def build_once_queued() -> None:  # the request may take a while to get there on a busy machine
        deadline = time.monotonic() + 5
        while not export_builder.pending() and time.monotonic() < deadline:
            time.sleep(0.02)
        drain(builder)

    worker = threading.Timer(0.3, build_once_queued)
    worker.start()
    begun = time.monotonic()
    response = client.get("/feeds/datasets.atom")
    worker.join()
    assert body(response).startswith(b"<?xml")
    assert 0.3 <= time.monotonic() - begun < 10


def test_a_waiting_request_gives_up_when_the_builder_does_not_take_its_job(
    client, sample, builder, settings, monkeypatch
):
    """A builder busy with other jobs, or starved of CPU at its low priority, would hold a worker for nothing."""
    settings.EXPORT_WAIT_SECONDS = 10
    monkeypatch.setattr(store, "machine_busy", lambda: False)
    begun = time.monotonic()
    response = client.get("/feeds/datasets.atom")  # the builder never steps: the job stays queued
    waited = time.monotonic() - begun
    assert response.status_code == 503 and "en préparation" in response.content.decode()
    assert store._PICKUP_SECONDS <= waited < 6  # gave up once the job was not taken, not after 10 s
    assert len(queued()) == 1


def test_on_a_busy_machine_nobody_waits_for_the_builder(client, sample, builder, settings, monkeypatch):
    settings.EXPORT_WAIT_SECONDS = 10
    monkeypatch.setattr(store, "machine_busy", lambda: True)
    monkeypatch.setattr(store, "_PICKUP_SECONDS", 10)  # only the busy machine can stop the wait here
    begun = time.monotonic()
    assert client.get("/feeds/datasets.atom").status_code == 503
    assert time.monotonic() - begun < 5  # answered without waiting (10 s otherwise)
    assert len(queued()) == 1


def test_an_unknown_page_is_answered_at_once_and_queues_nothing(client, sample, builder):
    assert client.get("/catalogue.ttl", {"page": 999}).status_code == 404
    assert client.get("/feeds/categories/inconnue.atom").status_code == 404
    assert queued() == []


def test_the_builder_replays_export_views_only(sample, builder):
    for path in ("/datasets/", "/healthz", "/nowhere"):
        store.write_job(export_builder.queue_dir(), "job.json", {"path": path, "query": "", "root": "http://x"})
        assert builder.step() is True
        assert queued() == []
    assert list(settings.EXPORT_CACHE_DIR.glob("v*/*")) == []


def test_a_broken_job_is_dropped(sample, builder):
    folder = export_builder.queue_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.json").write_text("{pas du json")
    (folder / "b.json").write_text(json.dumps({"path": 3}))
    drain(builder)
    assert queued() == [] and list(settings.EXPORT_CACHE_DIR.glob("v*/*")) == []


def test_a_second_builder_on_the_host_stops(builder):
    with pytest.raises(export_builder.BuilderRunning):
        export_builder.run(stop=lambda: True)


def test_a_new_catalogue_gets_the_exports_asked_of_the_last_one(client, tmp_path, builder):
    load(tmp_path, [dataset("a" * 24, "Musées de France", slug="musees", tags=("musee",), org=MC)], [MC])
    assert builder.step() is False  # the first catalogue seen: nothing asked yet
    for url in ("/feeds/datasets.atom", "/datasets.csv?q=mus%C3%A9es"):
        assert client.get(url).status_code == 503
    drain(builder)
    assert body(client.get("/feeds/datasets.atom")).count(b"<entry>") == 1

    load(tmp_path, [dataset("b" * 24, "Monuments historiques", slug="monuments", tags=("monument",), org=MC)], [MC])
    builder.checked = 0  # the builder looks at the catalogue every few seconds; now
    assert builder.step() is True
    assert sorted(job["path"] for job in queued()) == ["/datasets.csv", "/feeds/datasets.atom"]
    drain(builder)
    with CaptureQueriesContext(connection) as queries:
        feed = body(client.get("/feeds/datasets.atom"))
    assert catalogue_queries(queries) == []
    assert b"Monuments historiques" in feed and "Musées de France".encode() not in feed


def test_with_a_site_url_the_common_exports_are_ready_before_anyone_asks(client, sample, builder, settings):
    settings.SITE_URL = "https://culture.example.org"
    builder.step()  # first look at the catalogue
    paths = {job["path"] for job in queued()}
    assert {"/sitemap.xml", "/sitemap-datasets.xml", "/feeds/datasets.atom", "/datasets.csv"} <= paths
    assert {"/catalogue.jsonld", "/catalogue.ttl"} <= paths
    drain(builder)
    with CaptureQueriesContext(connection) as queries:
        for url in ("/sitemap.xml", "/datasets.csv", "/catalogue.ttl", "/feeds/datasets.atom"):
            assert body(client.get(url))
    assert catalogue_queries(queries) == []


def test_only_the_request_that_queues_into_an_empty_queue_waits(client, sample, builder, settings):
    """Under a flood nobody waits behind other builds: a waiting request holds a worker."""
    settings.EXPORT_WAIT_SECONDS = 10
    store.write_job(export_builder.queue_dir(), "other.json", {"path": "/sitemap.xml", "query": "", "root": "http://x"})
    begun = time.monotonic()
    assert client.get("/datasets.csv").status_code == 503  # behind another job
    assert client.get("/datasets.csv").status_code == 503  # its job is queued already
    assert time.monotonic() - begun < 2
    assert len(queued()) == 2


def test_export_builder_0_keeps_the_builder_gunicorn_starts_from_running(settings):
    """gunicorn always starts `build_exports --parent`; with EXPORT_BUILDER=0 (environment or .env) it stops at once."""
    settings.EXPORT_BUILDER = False
    call_command("build_exports", parent=os.getpid())  # would loop until gunicorn goes, holding the lock
    assert not store.builder_running()
    assert not (settings.EXPORT_CACHE_DIR / store.BUILDER_LOCK).exists()
