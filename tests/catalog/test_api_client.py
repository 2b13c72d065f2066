import httpx
import pytest
import respx
from django.core.exceptions import ImproperlyConfigured

from catalog.api_client import USER_AGENT, CatalogApiClient, CatalogApiError, CatalogNotFound, get_client
from tests.conftest import load_payload

BASE = "https://api.test"


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sleeps):
    with CatalogApiClient(BASE, timeout=2.0, retries=3, backoff=0.5, sleep=sleeps.append) as api:
        yield api


def page(items, *, next_page=None, total=None, number=1):
    return {
        "data": items,
        "page": number,
        "page_size": 2,
        "total": total if total is not None else len(items),
        "next_page": next_page,
        "previous_page": None,
    }


@respx.mock
def test_pagination_follows_next_page_to_the_end(client):
    route = respx.get(f"{BASE}/api/1/datasets/")
    route.side_effect = [
        httpx.Response(
            200, json=page([{"id": "a"}, {"id": "b"}], next_page=f"{BASE}/api/1/datasets/?topic=t&page=2", total=3)
        ),
        httpx.Response(200, json=page([{"id": "c"}], total=3, number=2)),
    ]
    pages = list(client.iter_dataset_pages(topic="t", page_size=2))
    assert [item["id"] for p in pages for item in p.items] == ["a", "b", "c"]
    assert pages[0].total == 3
    first, second = route.calls
    assert first.request.url.params["topic"] == "t"
    assert first.request.url.params["page_size"] == "2"
    assert second.request.url.params["page"] == "2"


@respx.mock
def test_next_page_on_another_host_is_fetched_through_the_base_url(client):
    # The API builds absolute links on its public hostname; we stay on DATAGOUV_URL.
    respx.get(f"{BASE}/api/1/datasets/", params={"page": "2"}).respond(json=page([{"id": "b"}]))
    respx.get(f"{BASE}/api/1/datasets/").respond(
        json=page([{"id": "a"}], next_page="https://www.data.gouv.fr/api/1/datasets/?topic=t&page=2")
    )
    items = [item["id"] for p in client.iter_dataset_pages(topic="t") for item in p.items]
    assert items == ["a", "b"]


@respx.mock
def test_every_request_names_the_portal_and_asks_for_json(client):
    route = respx.get(f"{BASE}/api/1/organizations/o1/").respond(json={"id": "o1"})
    client.get_organization("o1")
    request = route.calls.last.request
    assert request.headers["User-Agent"] == USER_AGENT
    assert "culture.data.gouv.fr" in request.headers["User-Agent"]
    assert request.headers["Accept"] == "application/json"


@respx.mock
def test_server_errors_are_retried_with_growing_backoff(client, sleeps):
    route = respx.get(f"{BASE}/api/1/datasets/licenses/")
    route.side_effect = [httpx.Response(503), httpx.Response(502), httpx.Response(200, json=[{"id": "lov2"}])]
    assert client.list_licenses() == [{"id": "lov2"}]
    assert route.call_count == 3
    assert len(sleeps) == 2
    assert sleeps[1] > sleeps[0] > 0


@respx.mock
def test_429_waits_for_retry_after(client, sleeps):
    route = respx.get(f"{BASE}/api/1/datasets/d1/")
    route.side_effect = [httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={"id": "d1"})]
    assert client.get_dataset("d1") == {"id": "d1"}
    assert sleeps == [7.0]


@respx.mock
def test_timeouts_are_retried_then_reported_with_the_url(client, sleeps):
    respx.get(f"{BASE}/api/1/datasets/d1/").mock(side_effect=httpx.ReadTimeout("too slow"))
    with pytest.raises(CatalogApiError) as caught:
        client.get_dataset("d1")
    message = str(caught.value)
    assert f"{BASE}/api/1/datasets/d1/" in message
    assert "4 attempts" in message
    assert "no answer within 2 s" in message
    assert len(sleeps) == 3


@respx.mock
def test_persistent_500_gives_the_status_in_the_message(client):
    respx.get(f"{BASE}/api/1/datasets/d1/").respond(500)
    with pytest.raises(CatalogApiError, match=r"HTTP 500 Internal Server Error") as caught:
        client.get_dataset("d1")
    assert caught.value.status == 500


@respx.mock
def test_connection_errors_are_retried(client, sleeps):
    route = respx.get(f"{BASE}/api/1/datasets/d1/")
    route.side_effect = [httpx.ConnectError("refused"), httpx.Response(200, json={"id": "d1"})]
    assert client.get_dataset("d1")["id"] == "d1"
    assert len(sleeps) == 1


@respx.mock
def test_404_is_not_retried_and_raises_not_found(client, sleeps):
    respx.get(f"{BASE}/api/1/datasets/nope/").respond(404, json=load_payload("error-404.json"))
    with pytest.raises(CatalogNotFound) as caught:
        client.get_dataset("nope")
    assert caught.value.status == 404
    assert "HTTP 404" in str(caught.value)
    assert sleeps == []


@respx.mock
def test_a_body_that_is_not_json_is_a_clear_error(client):
    respx.get(f"{BASE}/api/1/datasets/d1/").respond(200, text="<html>maintenance</html>")
    with pytest.raises(CatalogApiError, match="not JSON"):
        client.get_dataset("d1")


@respx.mock
def test_a_listing_without_data_is_rejected(client):
    respx.get(f"{BASE}/api/1/datasets/").respond(json={"message": "oops"})
    with pytest.raises(CatalogApiError, match="not a paginated listing"):
        list(client.iter_dataset_pages(topic="t"))


@respx.mock
def test_a_looping_next_page_is_detected(client):
    loop = f"{BASE}/api/1/datasets/?topic=t&page=2"
    respx.get(f"{BASE}/api/1/datasets/").respond(json=page([{"id": "a"}], next_page=loop, total=10))
    with pytest.raises(CatalogApiError, match="pagination loops"):
        list(client.iter_dataset_pages(topic="t"))


@respx.mock
def test_an_empty_page_before_the_end_is_an_error(client):
    respx.get(f"{BASE}/api/1/datasets/", params={"page": "2"}).respond(
        json=page([], next_page=f"{BASE}/api/1/datasets/?page=3", total=10, number=2)
    )
    respx.get(f"{BASE}/api/1/datasets/").respond(json=page([{"id": "a"}], next_page=f"{BASE}/api/1/datasets/?page=2"))
    with pytest.raises(CatalogApiError, match="empty page"):
        list(client.iter_dataset_pages(topic="t"))


@respx.mock
def test_empty_listing_is_one_empty_page(client):
    respx.get(f"{BASE}/api/1/datasets/").respond(json=page([], total=0))
    pages = list(client.iter_dataset_pages(topic="t"))
    assert len(pages) == 1
    assert pages[0].items == []
    assert pages[0].total == 0


@respx.mock
def test_topic_elements_give_dataset_ids(client):
    respx.get(f"{BASE}/api/2/topics/t/elements/").respond(
        json=load_payload("topic-elements-page.json") | {"next_page": None}
    )
    assert list(client.iter_topic_dataset_ids("t")) == [
        "64f1c2a8e5b7d93c1a0b4e21",
        "5d8a3f6b634f4162a2c1b9e7",
        "66a0e4c1f2d83b7a9c5e1d08",
    ]


@respx.mock
def test_count_uses_a_field_mask(client):
    route = respx.get(f"{BASE}/api/1/datasets/").respond(json={"total": 61234})
    assert client.count_datasets() == 61234
    assert route.calls.last.request.headers["X-Fields"] == "total"


@respx.mock
def test_renamed_objects_are_followed(client):
    respx.get(f"{BASE}/api/1/datasets/old-slug/").respond(308, headers={"Location": "/api/1/datasets/new-slug/"})
    respx.get(f"{BASE}/api/1/datasets/new-slug/").respond(json={"id": "d1", "slug": "new-slug"})
    assert client.get_dataset("old-slug")["slug"] == "new-slug"


def test_get_client_reads_settings(settings):
    settings.DATAGOUV_URL = "http://127.0.0.1:9/"
    settings.DATAGOUV_TIMEOUT = 3.5
    with get_client() as api:
        assert api.base_url == "http://127.0.0.1:9"


def test_a_base_url_that_is_not_http_is_refused():
    with pytest.raises(ImproperlyConfigured):
        CatalogApiClient("ftp://example.org")
