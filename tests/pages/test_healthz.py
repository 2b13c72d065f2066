"""/healthz: what monitoring reads."""

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone

from catalog.models import SyncRun
from tests.fakes import payloads
from tests.fakes.payloads import dataset

pytestmark = pytest.mark.django_db


def test_fresh_catalogue_is_healthy(client, tmp_path):
    payloads.load(tmp_path, [dataset("a" * 24, "Musées")])
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["problems"] == []
    assert 0 <= body["last_successful_sync_age_seconds"] < 60
    assert "no-cache" in response["Cache-Control"]


def test_no_sync_yet_is_unhealthy(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["problems"] == ["no successful sync"]


def test_old_catalogue_is_unhealthy(client, tmp_path, settings):
    payloads.load(tmp_path, [dataset("a" * 24, "Musées")])
    settings.HEALTH_MAX_SYNC_AGE = timedelta(hours=48)
    SyncRun.objects.update(finished_at=timezone.now() - timedelta(hours=49))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "49.0 hours old" in response.json()["problems"][0]


def test_sample_data_is_unhealthy(client, settings):
    from catalog.ingest.service import sync_catalog

    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)
    assert client.get("/healthz").json()["problems"] == ["sample data"]


def test_database_failure_gives_503_without_details(client, monkeypatch):
    from catalog.selectors import freshness

    def broken():
        raise DatabaseError("disk I/O error at /secret/path")

    monkeypatch.setattr(freshness, "catalog_status", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_liveness_ignores_the_catalogue_age_but_not_the_database(client, monkeypatch):
    """A container stays alive on an old or sample catalogue; it is not alive without its database."""
    assert client.get("/healthz").status_code == 503  # never synced
    response = client.get("/healthz/live")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    from catalog.selectors import freshness

    def broken():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(freshness, "catalog_status", broken)
    response = client.get("/healthz/live")
    assert response.status_code == 503 and response.json()["database"] == "unavailable"
