"""What `make run` does before serving: sync when needed, never fail to start."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.ingest.service import ensure_catalog
from catalog.models import Dataset, SyncRun
from tests.fakes.datagouv import StandinAPI
from tests.fakes.memory import observer_topic
from tests.fakes.payloads import TOPIC, dataset, organization

pytestmark = pytest.mark.django_db

MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")
UNREACHABLE = "http://127.0.0.1:9"


@pytest.fixture
def api(settings):
    with StandinAPI(datasets=[dataset("a" * 24, "Musées de France", tags=("musee",), org=MC)],
                    organizations=[MC], topic_id=TOPIC, topics=[observer_topic()]) as server:  # fmt: skip
        settings.DATAGOUV_URL = server.url
        yield server


@pytest.fixture
def offline(settings):
    settings.DATAGOUV_URL = UNREACHABLE
    settings.DATAGOUV_TIMEOUT = 1.0


def test_empty_catalogue_and_no_network_loads_the_sample(offline, settings):
    settings.SAMPLE_FALLBACK = True
    outcome = ensure_catalog()
    assert "SAMPLE" in outcome and UNREACHABLE in outcome
    assert Dataset.objects.published().count() == 50  # the whole sample, one archived
    # Both sections are filled: 42 published in Explorer, 10 in Observer, two of them in both.
    published = Dataset.objects.published()
    assert (published.in_section("explorer").count(), published.in_section("observer").count()) == (42, 10)
    latest = SyncRun.objects.order_by("-started_at").first()
    assert latest.is_sample and latest.status == SyncRun.Status.SUCCESS
    failed = SyncRun.objects.get(status=SyncRun.Status.FAILED)
    assert UNREACHABLE in failed.error


def test_sample_fallback_can_be_turned_off(offline, settings):
    settings.SAMPLE_FALLBACK = False
    ensure_catalog()
    assert Dataset.objects.count() == 0


def test_empty_catalogue_is_synced(api):
    ensure_catalog()
    assert list(Dataset.objects.values_list("title", flat=True)) == ["Musées de France"]


def test_fresh_catalogue_is_not_synced_again(api):
    ensure_catalog()
    api.reset_log()
    outcome = ensure_catalog()
    assert "up to date" in outcome
    assert api.requests == []


def test_catalogue_older_than_a_day_is_synced(api):
    ensure_catalog()
    SyncRun.objects.update(finished_at=timezone.now() - timedelta(hours=25))
    api.reset_log()
    ensure_catalog()
    assert api.requests_to("/api/1/datasets/")


def test_a_new_source_is_synced_even_if_the_catalogue_is_fresh(api, settings, tmp_path):
    ensure_catalog()
    SyncRun.objects.update(source="https://demo.data.gouv.fr")
    api.reset_log()
    ensure_catalog()
    assert api.requests_to("/api/1/datasets/")


def test_sample_is_replaced_once_the_api_answers(offline, settings):
    ensure_catalog()
    assert Dataset.objects.count() == 51
    with StandinAPI(
        datasets=[dataset("a" * 24, "Musées de France", org=MC)],
        organizations=[MC],
        topic_id=TOPIC,
        topics=[observer_topic()],
    ) as api:
        settings.DATAGOUV_URL = api.url
        ensure_catalog()
    assert list(Dataset.objects.values_list("title", flat=True)) == ["Musées de France"]


def test_last_catalogue_is_kept_when_the_api_is_down(api, settings):
    ensure_catalog()
    SyncRun.objects.update(finished_at=timezone.now() - timedelta(days=2))
    settings.DATAGOUV_URL = UNREACHABLE
    settings.DATAGOUV_TIMEOUT = 1.0
    outcome = ensure_catalog()
    assert "serving the last catalogue" in outcome
    assert list(Dataset.objects.values_list("title", flat=True)) == ["Musées de France"]


def test_command_never_fails_for_the_network(offline, capsys):
    call_command("ensure_catalog")
    assert "SAMPLE" in capsys.readouterr().out


def test_any_exception_of_the_sync_still_starts_the_site_on_the_sample(settings, monkeypatch, client):
    from catalog.ingest import service

    real = service.sync_catalog

    def broken(**kwargs):
        if kwargs.get("client") is not None:
            raise KeyError("a bug no test foresaw")
        return real(**kwargs)

    monkeypatch.setattr(service, "sync_catalog", broken)
    outcome = ensure_catalog()
    assert "KeyError" in outcome and "SAMPLE" in outcome
    failed = SyncRun.objects.get(status=SyncRun.Status.FAILED)
    assert "a bug no test foresaw" in failed.error
    page = client.get("/").content.decode()
    assert 'id="sync-failed-banner"' in page and 'id="sample-banner"' in page


def test_a_misconfigured_api_url_still_starts_the_site_with_the_failure_banner(settings, client, api):
    ensure_catalog()
    SyncRun.objects.update(finished_at=timezone.now() - timedelta(days=2))
    settings.DATAGOUV_URL = "ftp://misconfigured.example"
    outcome = ensure_catalog()
    assert "DATAGOUV_URL must be an http(s) URL" in outcome and "serving the last catalogue" in outcome
    assert list(Dataset.objects.values_list("title", flat=True)) == ["Musées de France"]
    failed = SyncRun.objects.get(status=SyncRun.Status.FAILED)
    assert failed.source == "ftp://misconfigured.example"
    assert 'id="sync-failed-banner"' in client.get("/").content.decode()


def test_command_never_fails_whatever_the_sync_raises(settings, capsys):
    settings.DATAGOUV_URL = "not a url"
    call_command("ensure_catalog")
    assert "SAMPLE" in capsys.readouterr().out
