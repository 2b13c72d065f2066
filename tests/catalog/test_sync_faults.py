"""Faults injected for real, over a socket, by the stand-in API: the sync either succeeds after
bounded retries or fails with a one-line reason and a non-zero exit; either way the catalogue served
is complete and consistent (the old one or the new one, never a mix)."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.api.client import CatalogApiClient
from catalog.ingest import fetch
from catalog.ingest.run import SyncError
from catalog.ingest.service import sync_catalog
from catalog.models import Dataset, SyncRun
from tests.fakes.datagouv import StandinAPI
from tests.fakes.memory import observer_topic
from tests.fakes.payloads import TOPIC, dataset, organization

pytestmark = pytest.mark.django_db

MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")
PAGE = 5
LISTING = f"/api/1/datasets/?topic={TOPIC}"


def catalogue(version: int) -> list[dict]:
    """20 datasets; their titles say which version of the catalogue they belong to."""
    return [dataset(f"{i:024x}", f"Jeu {i} v{version}", tags=("musee",), org=MC) for i in range(1, 21)]


@pytest.fixture
def api(sample_licenses, monkeypatch):
    monkeypatch.setattr(fetch, "LISTING_PAGE_SIZE", PAGE)  # 4 pages of 5
    server = StandinAPI(
        datasets=catalogue(1), organizations=[MC], licenses=sample_licenses, topic_id=TOPIC, topics=[observer_topic()]
    )
    with server:
        yield server


@pytest.fixture
def synced(api):
    run(api)
    api.set_datasets(catalogue(2))  # what the next sync should bring
    api.reset_log()
    return api


def run(api, **options):
    client = CatalogApiClient(api.url, timeout=options.pop("timeout", 2.0), retries=3, backoff=0.01)
    with client:
        return sync_catalog(client=client, mode="full")


def served_versions() -> set[str]:
    """Which catalogue versions the site shows: exactly one, whole, is the only acceptable answer."""
    titles = list(Dataset.objects.published().values_list("title", flat=True))
    assert len(titles) == 20
    return {title.rsplit(" ", 1)[1] for title in titles}


def page_url(api, number: int) -> str:
    return f"{api.url}{LISTING}&page_size={PAGE}&page={number}"


def page_body(api, number: int, *, data=None, total=20, next_page: str | None = "auto") -> str:
    items = catalogue(2)[(number - 1) * PAGE : number * PAGE] if data is None else data
    following = page_url(api, number + 1) if next_page == "auto" and number < 4 else next_page
    return json.dumps({"data": items, "page": number, "page_size": PAGE, "total": total,
                       "next_page": None if following == "auto" else following})  # fmt: skip


def fails(api, match: str) -> None:
    with pytest.raises(SyncError, match=match) as caught:
        run(api)
    assert "\n" not in str(caught.value)
    assert served_versions() == {"v1"}
    assert SyncRun.objects.latest().status == SyncRun.Status.FAILED


def succeeds(api) -> None:
    report = run(api)
    assert report.datasets_total == 20
    assert served_versions() == {"v2"}


def test_500_on_page_3_fails_cleanly(synced):
    synced.add_fault(LISTING, status=500, after=2)
    fails(synced, "HTTP 500")


def test_500_once_on_page_3_is_retried(synced):
    synced.add_fault(LISTING, status=500, after=2, times=1)
    succeeds(synced)


def test_502_and_503_with_an_html_body(synced):
    synced.add_fault(LISTING, status=502, body="<html><h1>Bad gateway</h1></html>", content_type="text/html")
    fails(synced, "HTTP 502")


def test_flaky_503_every_few_requests_is_absorbed_by_retries(synced):
    for after in (0, 3, 6, 9):
        synced.add_fault("/api/", status=503, after=after, times=1, body="<p>busy</p>", content_type="text/html")
    succeeds(synced)


def test_429_waits_for_retry_after(synced, monkeypatch):
    waited: list[float] = []
    monkeypatch.setattr("time.sleep", waited.append)
    synced.add_fault(LISTING, status=429, headers={"Retry-After": "2"}, times=2)
    client = CatalogApiClient(synced.url, timeout=2.0, retries=3, backoff=0.01, sleep=waited.append)
    with client:
        sync_catalog(client=client, mode="full")
    assert waited[:2] == [2.0, 2.0]
    assert served_versions() == {"v2"}


def test_an_answer_that_never_comes(synced):
    synced.add_fault(LISTING, status=None, delay=1.0, after=1)
    with pytest.raises(SyncError, match="no answer within 0.3 s"):
        run(synced, timeout=0.3)
    assert served_versions() == {"v1"}


def test_a_slow_answer_once_is_retried(synced):
    synced.add_fault(LISTING, status=None, delay=1.0, after=1, times=1)
    report = run(synced, timeout=0.3)
    assert report.datasets_total == 20 and served_versions() == {"v2"}


@pytest.mark.parametrize("body", ['{"data": [{"id": "x"', "<!DOCTYPE html><html>maintenance</html>", ""])
def test_truncated_or_invalid_json(synced, body):
    synced.add_fault(LISTING, status=200, body=body, after=1)
    fails(synced, "not JSON")


def test_next_page_that_loops(synced):
    synced.add_fault(LISTING, status=200, after=2, times=1, body=page_body(synced, 3, next_page=page_url(synced, 2)))
    fails(synced, "pagination loops")


def test_total_that_lies_high(synced):
    synced.add_fault(LISTING, status=200, times=1, body=page_body(synced, 1, total=30))
    fails(synced, "announced 30 datasets but only 20 came back")


def test_total_that_lies_low_keeps_every_dataset(synced):
    synced.add_fault(LISTING, status=200, times=1, body=page_body(synced, 1, total=7))
    succeeds(synced)


def test_same_dataset_on_two_pages_with_one_missing(synced):
    shifted = catalogue(2)[4:9]  # page 2 starts one early: dataset 5 twice, dataset 10 never
    synced.add_fault(LISTING, status=200, after=1, times=1, body=page_body(synced, 2, data=shifted))
    fails(synced, "changed while it was read")


def test_a_page_suddenly_empty(synced):
    synced.add_fault(LISTING, status=200, after=1, times=1, body=page_body(synced, 2, data=[]))
    fails(synced, "empty page before the end")


def test_connection_reset(synced):
    synced.add_fault(LISTING, disconnect=True, after=1)
    fails(synced, "connection failed")


def test_connection_reset_once_is_retried(synced):
    synced.add_fault(LISTING, disconnect=True, after=1, times=1)
    succeeds(synced)


def test_the_command_exits_non_zero_with_one_line(synced, settings):
    settings.DATAGOUV_URL = synced.url
    settings.DATAGOUV_RETRIES = 1
    synced.add_fault(LISTING, status=500, after=2)
    with pytest.raises(CommandError) as caught:
        call_command("sync_catalog", "--full")
    assert "previous catalogue is unchanged" in str(caught.value) and "\n" not in str(caught.value)
    assert served_versions() == {"v1"}
