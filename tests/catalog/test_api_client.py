import httpx
import pytest
import respx
from django.core.exceptions import ImproperlyConfigured

from catalog.api.client import (
    MAX_REDIRECTS,
    USER_AGENT,
    CatalogApiClient,
    CatalogApiError,
    CatalogInvalidId,
    CatalogNotFound,
    get_client,
)
from catalog.ingest import fetch
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
    new = respx.get(f"{BASE}/api/1/datasets/new-slug/").respond(json={"id": "d1", "slug": "new-slug"})
    assert client.get_dataset("old-slug")["slug"] == "new-slug"
    assert new.calls.last.request.headers["X-Get-Datasets-Full-Objects"] == "True"  # same request, new place
    assert client.request_count == 2


@respx.mock
def test_a_chain_of_redirects_on_the_api_host_is_followed(client):
    respx.get(f"{BASE}/api/1/datasets/", params={"page": "1"}).respond(
        301, headers={"Location": f"{BASE}/api/1/datasets/?page=2"}
    )
    respx.get(f"{BASE}/api/1/datasets/", params={"page": "2"}).respond(302, headers={"Location": "?page=3"})
    respx.get(f"{BASE}/api/1/datasets/", params={"page": "3"}).respond(json={"total": 7})
    assert client.get_json("/api/1/datasets/", params={"page": 1}) == {"total": 7}


@pytest.mark.parametrize(
    ("location", "target"),
    [
        ("https://elsewhere.example/api/1/datasets/d1/", "https://elsewhere.example/api/1/datasets/d1/"),
        ("//elsewhere.example/d1/", "https://elsewhere.example/d1/"),  # scheme-relative: another host all the same
        ("https://api.test:8443/api/1/datasets/d1/", "https://api.test:8443/api/1/datasets/d1/"),  # another server
    ],
)
@respx.mock
def test_a_redirect_to_another_host_is_refused_naming_the_target(client, sleeps, location, target):
    origin = respx.get(f"{BASE}/api/1/datasets/d1/").respond(301, headers={"Location": location})
    elsewhere = respx.route().respond(json={"id": "d1"})
    with pytest.raises(CatalogApiError) as caught:
        client.get_dataset("d1")
    assert f"to {target}, outside {BASE}" in str(caught.value)
    assert "Check DATAGOUV_URL" in str(caught.value)
    assert caught.value.status not in fetch.UNREADABLE  # the sync stops: this is for an operator to fix
    assert origin.call_count == 1 and sleeps == []  # not retried
    assert elsewhere.call_count == 0


@respx.mock
def test_a_redirect_from_https_to_http_is_refused(client, sleeps):
    respx.get(f"{BASE}/api/1/datasets/d1/").respond(308, headers={"Location": "http://api.test/api/1/datasets/d1/"})
    plain = respx.get("http://api.test/api/1/datasets/d1/").respond(json={"id": "d1"})
    with pytest.raises(CatalogApiError, match=r"to http://api\.test/api/1/datasets/d1/.*Check DATAGOUV_URL"):
        client.get_dataset("d1")
    assert plain.call_count == 0 and sleeps == []


@respx.mock
def test_a_redirect_loop_stops_after_a_few_hops(client, sleeps):
    a = respx.get(f"{BASE}/api/1/datasets/a/").respond(308, headers={"Location": "/api/1/datasets/b/"})
    b = respx.get(f"{BASE}/api/1/datasets/b/").respond(308, headers={"Location": "/api/1/datasets/a/"})
    with pytest.raises(CatalogApiError, match=f"more than {MAX_REDIRECTS} redirects"):
        client.get_dataset("a")
    assert a.call_count + b.call_count == MAX_REDIRECTS + 1
    assert sleeps == []


# --- response size ---------------------------------------------------------------------------

LIMIT = 1000


@pytest.fixture
def small_client(sleeps):
    with CatalogApiClient(BASE, retries=3, sleep=sleeps.append, max_response_bytes=LIMIT) as api:
        yield api


def endless(pulled: list[int]):
    """A 10 MB body in 100-byte chunks (endless as far as the limit goes); ``pulled`` counts those read."""
    for _ in range(100_000):
        pulled.append(1)
        yield b" " * 100


@respx.mock
def test_a_response_announcing_a_size_over_the_limit_is_refused_unread(small_client, sleeps):
    pulled: list[int] = []
    respx.get(f"{BASE}/api/1/datasets/d1/").mock(
        return_value=httpx.Response(200, headers={"Content-Length": "5000"}, content=endless(pulled))
    )
    with pytest.raises(CatalogApiError, match=r"announces 5000 bytes, over the limit of 1000 bytes") as caught:
        small_client.get_dataset("d1")
    assert f"{BASE}/api/1/datasets/d1/" in str(caught.value)
    assert pulled == [] and sleeps == []


@respx.mock
def test_a_chunked_response_is_cut_once_past_the_limit(small_client, sleeps):
    pulled: list[int] = []
    route = respx.get(f"{BASE}/api/1/datasets/")
    route.mock(return_value=httpx.Response(200, content=endless(pulled)))  # no Content-Length
    with pytest.raises(CatalogApiError, match=r"goes past 1000 bytes.*DATAGOUV_MAX_RESPONSE_MB") as caught:
        small_client.get_json("/api/1/datasets/")
    assert caught.value.url == f"{BASE}/api/1/datasets/"
    assert len(pulled) == LIMIT // 100 + 1  # read up to the limit, not one chunk more
    assert route.call_count == 1 and sleeps == []


@respx.mock
def test_a_body_over_the_limit_with_its_length_is_refused(small_client):
    respx.get(f"{BASE}/api/1/datasets/d1/").respond(json={"id": "d1", "description": "x" * LIMIT})
    with pytest.raises(CatalogApiError, match="over the limit of 1000 bytes"):
        small_client.get_dataset("d1")


@respx.mock
def test_a_body_up_to_the_limit_is_read(small_client):
    body = b'{"id": "d1", "description": "' + b"x" * (LIMIT - 31) + b'"}'
    assert len(body) == LIMIT
    chunked = httpx.Response(200, content=iter([body[:500], body[500:]]))
    respx.get(f"{BASE}/api/1/datasets/d1/").mock(return_value=chunked)
    assert small_client.get_dataset("d1")["id"] == "d1"


@respx.mock
def test_a_long_error_body_is_cut_and_the_error_still_retried(small_client, sleeps):
    pulled: list[int] = []
    route = respx.get(f"{BASE}/api/1/datasets/d1/")
    route.side_effect = [httpx.Response(503, content=endless(pulled)), httpx.Response(200, json={"id": "d1"})]
    assert small_client.get_dataset("d1")["id"] == "d1"
    assert len(sleeps) == 1 and 0 < len(pulled) < 1000


def test_get_client_passes_the_size_limit(settings):
    settings.DATAGOUV_MAX_RESPONSE_MB = 2
    with get_client() as api:
        assert api.max_response_bytes == 2 * 1024 * 1024


# --- ids in paths ----------------------------------------------------------------------------

HOSTILE_IDS = ["../x", "..", ".", "a/b", "x?y=1", "x#y", "%2e%2e", "", "a" * 300, "jeu-données", "a b", "ok\n", None]
READS_BY_ID = {
    "get_dataset": lambda api, value: api.get_dataset(value),
    "get_organization": lambda api, value: api.get_organization(value),
    "get_topic": lambda api, value: api.get_topic(value),
    "iter_topic_dataset_ids": lambda api, value: api.iter_topic_dataset_ids(value),  # refused at the call
}


@pytest.mark.parametrize("method", READS_BY_ID)
@pytest.mark.parametrize("value", HOSTILE_IDS, ids=repr)
@respx.mock
def test_an_id_that_is_not_an_id_or_a_slug_is_refused_before_any_request(client, method, value):
    anything = respx.route().respond(json={"data": [], "next_page": None})
    with pytest.raises(CatalogInvalidId, match="neither an ObjectId nor a slug"):
        READS_BY_ID[method](client, value)
    assert anything.call_count == 0 and client.request_count == 0


@pytest.mark.parametrize("value", ["69aea5dff97ef1fc29836765", "univers-culture", "Jeu_de-donnees.v2", "a" * 255])
@respx.mock
def test_ids_and_slugs_go_into_the_path_as_they_are(client, value):
    route = respx.get(f"{BASE}/api/1/datasets/{value}/").respond(json={"id": value})
    assert client.get_dataset(value) == {"id": value}
    assert route.call_count == 1


@respx.mock
def test_the_sync_skips_an_object_whose_id_is_refused(client):
    # A hostile payload's id must cost that record only, like an object the API does not find.
    anything = respx.route().respond(json={})
    assert fetch._readable("dataset ../x", client.get_dataset, "../x") is None
    assert fetch._readable("organization a/b", client.get_organization, "a/b") is None
    assert anything.call_count == 0


def test_get_client_reads_settings(settings):
    settings.DATAGOUV_URL = "http://127.0.0.1:9/"
    settings.DATAGOUV_TIMEOUT = 3.5
    with get_client() as api:
        assert api.base_url == "http://127.0.0.1:9"


def test_a_base_url_that_is_not_http_is_refused():
    with pytest.raises(ImproperlyConfigured):
        CatalogApiClient("ftp://example.org")


@respx.mock
def test_an_absurdly_long_number_is_read_as_unknown_not_as_an_unreadable_page(client):
    body = '{"data": [{"id": "a", "metrics": {"views": ' + "9" * 5000 + ', "followers": 3}}], "total": 1}'
    respx.get(f"{BASE}/api/1/datasets/").mock(return_value=httpx.Response(200, text=body))
    payload = client.get_json("/api/1/datasets/")
    assert payload["data"][0]["metrics"] == {"views": None, "followers": 3}


@respx.mock
def test_json_nested_too_deep_is_an_api_error_not_a_crash(client):
    respx.get(f"{BASE}/api/1/datasets/").mock(return_value=httpx.Response(200, text="[" * 200_000 + "]" * 200_000))
    with pytest.raises(CatalogApiError, match="not JSON"):
        client.get_json("/api/1/datasets/")


# What orjson refuses and the API may still send: read as the standard library always read it.
ODD_DOCUMENTS = [
    '{"quality_score": NaN, "size": Infinity, "low": -Infinity}',
    '{"size": 1e999}',
    '{"title": "\\ud800 seul"}',
    '{"score": ' + "9" * 5000 + "}",  # beyond Python's int limit: unknown
    "[" * 300 + "]" * 300,
    '{"title": "Musée", "tags": ["a"], "n": 3, "x": 1.5}',  # and what orjson reads, read the same
]


@pytest.mark.parametrize("document", ODD_DOCUMENTS)
def test_json_reads_as_the_standard_library_does(document):
    import json

    from catalog.api.client import _bounded_int, parse_json

    expected = json.loads(document, parse_int=_bounded_int)
    assert repr(parse_json(document)) == repr(expected)
    assert repr(parse_json(document.encode())) == repr(expected)


def test_an_integer_beyond_64_bits_maps_as_the_integer_would():
    from catalog.api.client import parse_json
    from catalog.ingest import mapping

    read = parse_json('{"downloads": 1180591620717411303424, "filesize": 1180591620717411303424}')
    assert mapping.integer(read["downloads"]) == mapping.integer(2**70) == mapping.MAX_INT
    assert mapping._size(read["filesize"]) is None and mapping._size(2**70) is None


def test_malformed_json_still_fails_as_json():
    import json

    from catalog.api.client import parse_json

    with pytest.raises(json.JSONDecodeError):
        parse_json('{"title": ')


def test_dump_lines_keep_what_orjson_cannot_write(tmp_path):
    from catalog.ingest.dump import DumpWriter, iter_dump, open_dump

    path = tmp_path / "dump.jsonl"
    odd = {"id": "x", "title": "\ud800 seul", "downloads": 2**70, "label": "Musée"}
    with open_dump(path, "w") as handle:
        writer = DumpWriter(handle)
        writer.start(source="http://api.test", topic="t")
        writer.write("dataset", odd)
        writer.write("dataset", {"id": "y", "title": "Musée", "n": 3})
        writer.finish(2)
    path.read_bytes().decode("utf-8")  # valid UTF-8 all along
    datasets = [record["data"] for record in iter_dump(path) if record["kind"] == "dataset"]
    assert datasets == [odd, {"id": "y", "title": "Musée", "n": 3}]
