"""Tests of the data.gouv.fr stand-in (tests/fakes/datagouv.py), with httpx against the live server."""

from __future__ import annotations

import gzip
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.fakes.datagouv import DEFAULT_TOPIC_ID, StandinAPI

TOPIC_ID = DEFAULT_TOPIC_ID
UNKNOWN_TOPIC_ID = "0123456789abcdef01234567"
ORG_ID = "5a83f81fc751df6f8573eb8a"
OTHER_ORG_ID = "5a83f81fc751df6f8573eb8b"
ENVELOPE_KEYS = {"data", "page", "page_size", "total", "next_page", "previous_page"}
REPO_ROOT = Path(__file__).resolve().parent.parent


def dataset_id(n: int) -> str:
    return f"64f1{n:020x}"


def make_dataset(
    n: int,
    *,
    title: str | None = None,
    tags: tuple[str, ...] = ("culture",),
    org_id: str | None = ORG_ID,
    created_at: str | None = None,
    archived: str | None = None,
    spatial: dict | None = None,
    resources: int = 1,
    **extra,
) -> dict:
    """A minimal v1 dataset payload (the keys our code reads, in the API's shapes)."""
    did = dataset_id(n)
    slug = f"jeu-de-donnees-{n}"
    created = created_at or f"2020-01-01T00:00:{n % 60:02d}+00:00"
    if created_at is None and n >= 60:
        created = f"2020-01-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}+00:00"
    organization = None
    if org_id:
        organization = {
            "id": org_id,
            "class": "Organization",
            "name": "Ministère de la Culture",
            "acronym": "MC",
            "slug": "ministere-de-la-culture",
            "logo": None,
            "logo_thumbnail": None,
            "badges": [],
            "page": "https://www.data.gouv.fr/organizations/ministere-de-la-culture",
            "uri": "https://www.data.gouv.fr/api/1/organizations/ministere-de-la-culture/",
        }
    payload = {
        "id": did,
        "slug": slug,
        "title": title or f"Jeu de données {n}",
        "acronym": None,
        "description": "Une description **Markdown**.",
        "description_short": None,
        "created_at": created,
        "last_modified": created,
        "last_update": created,
        "internal": {"created_at_internal": created, "last_modified_internal": created},
        "archived": archived,
        "deleted": None,
        "private": False,
        "featured": False,
        "tags": list(tags),
        "badges": [],
        "frequency": "annual",
        "frequency_date": None,
        "license": "lov2",
        "organization": organization,
        "owner": None,
        "resources": [
            {
                "id": f"00000000-0000-4000-8000-{n:08d}{r:04d}",
                "title": f"Fichier {r} du jeu {n}",
                "type": "main",
                "format": "csv",
                "url": f"https://example.org/{n}/{r}.csv",
            }
            for r in range(resources)
        ],
        "temporal_coverage": None,
        "spatial": spatial,
        "extras": {},
        "metrics": {"views": n, "followers": 0, "reuses": 0},
        "schema": None,
        "uri": f"https://www.data.gouv.fr/api/1/datasets/{slug}/",
        "page": f"https://www.data.gouv.fr/datasets/{slug}",
    }
    payload.update(extra)
    return payload


ORGANIZATION = {
    "id": ORG_ID,
    "name": "Ministère de la Culture",
    "acronym": "MC",
    "slug": "ministere-de-la-culture",
    "badges": [{"kind": "public-service"}, {"kind": "certified"}],
    "_old_slugs": ["ministere-culture"],
}
LICENSES = [
    {
        "id": "lov2",
        "title": "Licence Ouverte / Open Licence version 2.0",
        "url": None,
        "maintainer": None,
        "flags": [],
        "alternate_titles": [],
        "alternate_urls": [],
    },
]
TOPIC = {
    "id": TOPIC_ID,
    "name": "Univers culture",
    "slug": "univers-culture",
    "private": False,
    "elements": {"rel": "subsection", "href": "https://www.data.gouv.fr/x", "type": "GET", "total": 241},
}


@pytest.fixture
def serve():
    """serve(**kwargs) -> a started StandinAPI, stopped at teardown."""
    started = []

    def _serve(**kwargs):
        kwargs.setdefault("organizations", [ORGANIZATION])
        kwargs.setdefault("licenses", LICENSES)
        kwargs.setdefault("topic", TOPIC)
        api = StandinAPI(**kwargs).start()
        started.append(api)
        return api

    yield _serve
    for api in started:
        api.stop()
        assert api.errors == []


@pytest.fixture
def client():
    with httpx.Client(timeout=5) as c:
        yield c


def get_all(client: httpx.Client, url: str, **kwargs) -> tuple[list[dict], list[dict]]:
    """Follow next_page to the end; returns (items, pages)."""
    items, pages = [], []
    while url:
        response = client.get(url, **kwargs)
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(page)
        items.extend(page["data"])
        url = page["next_page"]
        kwargs.pop("params", None)  # next_page carries the query
    return items, pages


# ------------------------------------------------------------------------------------------ paging


def test_pages_to_the_end_by_following_next_page(serve, client):
    api = serve(datasets=[make_dataset(n) for n in range(45)])
    items, pages = get_all(client, f"{api.url}/api/1/datasets/", params={"topic": TOPIC_ID})

    assert [len(p["data"]) for p in pages] == [20, 20, 5]
    assert all(set(p) == ENVELOPE_KEYS for p in pages)
    assert [p["page"] for p in pages] == [1, 2, 3]
    assert {p["total"] for p in pages} == {45}
    assert {p["page_size"] for p in pages} == {20}
    # Default sort: newest first.
    assert [d["id"] for d in items] == [dataset_id(n) for n in reversed(range(45))]
    # Absolute URLs on the stand-in's own base, other query params kept.
    assert pages[0]["previous_page"] is None
    assert pages[0]["next_page"] == f"{api.url}/api/1/datasets/?topic={TOPIC_ID}&page=2"
    assert pages[1]["previous_page"] == f"{api.url}/api/1/datasets/?topic={TOPIC_ID}&page=1"
    assert pages[2]["next_page"] is None


def test_page_size_param_and_default_page_size(serve, client):
    api = serve(datasets=[make_dataset(n) for n in range(7)], page_size_default=3)
    body = client.get(f"{api.url}/api/1/datasets/").json()
    assert body["page_size"] == 3 and len(body["data"]) == 3 and body["total"] == 7
    body = client.get(f"{api.url}/api/1/datasets/", params={"page_size": 5, "page": 2}).json()
    assert body["page"] == 2 and len(body["data"]) == 2 and body["next_page"] is None
    assert body["previous_page"] == f"{api.url}/api/1/datasets/?page_size=5&page=1"


def test_page_past_the_end_is_404_but_empty_list_is_a_page(serve, client):
    api = serve(datasets=[make_dataset(n) for n in range(5)])
    url = f"{api.url}/api/1/datasets/"
    assert client.get(url, params={"page": 1, "page_size": 5}).status_code == 200
    response = client.get(url, params={"page": 2, "page_size": 5})
    assert response.status_code == 404
    assert "message" in response.json()

    api.set_datasets([])
    response = client.get(url, params={"topic": TOPIC_ID})
    assert response.status_code == 200
    assert response.json() == {
        "data": [],
        "page": 1,
        "page_size": 20,
        "total": 0,
        "next_page": None,
        "previous_page": None,
    }
    assert client.get(url, params={"topic": TOPIC_ID, "page": 2}).status_code == 404


@pytest.mark.parametrize(
    ("param", "value"),
    [("page", "0"), ("page", "-1"), ("page", "abc"), ("page", ""), ("page_size", "0"), ("page_size", "x")],
)
def test_bad_page_or_page_size_is_400(serve, client, param, value):
    api = serve(datasets=[make_dataset(1)])
    for path in ("/api/1/datasets/", "/api/2/datasets/", f"/api/2/topics/{TOPIC_ID}/elements/"):
        response = client.get(f"{api.url}{path}", params={param: value})
        assert response.status_code == 400, path
        body = response.json()
        assert body["message"] == "Input payload validation failed"
        assert set(body["errors"]) == {param}


def test_bad_sort_is_400_and_sorts_work(serve, client):
    datasets = [
        make_dataset(1, title="Bibliothèques", metrics={"views": 5}),
        make_dataset(2, title="Archives", metrics={"views": 50}),
        make_dataset(3, title="Cinémas", metrics={"views": 1}),
    ]
    api = serve(datasets=datasets)
    url = f"{api.url}/api/1/datasets/"

    def titles(sort):
        return [d["title"] for d in client.get(url, params={"sort": sort}).json()["data"]]

    assert titles("title") == ["Archives", "Bibliothèques", "Cinémas"]
    assert titles("-views") == ["Archives", "Bibliothèques", "Cinémas"]
    assert titles("created") == ["Bibliothèques", "Archives", "Cinémas"]
    assert titles("-created") == ["Cinémas", "Archives", "Bibliothèques"]
    assert titles("last_update") == ["Bibliothèques", "Archives", "Cinémas"]
    response = client.get(url, params={"sort": "last_modified"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"sort"}


# ----------------------------------------------------------------------------------- topic filter


def test_topic_filter_vs_unknown_topic_pitfall_vs_non_hex_topic(serve, client):
    api = serve(
        datasets=[make_dataset(n) for n in range(3)],
        other_datasets=[make_dataset(n) for n in range(100, 104)]
        + [make_dataset(200, archived="2025-01-01T00:00:00+00:00")],
    )
    url = f"{api.url}/api/1/datasets/"

    in_topic = client.get(url, params={"topic": TOPIC_ID}).json()
    assert in_topic["total"] == 3
    assert {d["id"] for d in in_topic["data"]} == {dataset_id(n) for n in range(3)}

    # THE PITFALL: a well-formed id that matches no topic is ignored -> whole national catalogue.
    for params in ({"topic": UNKNOWN_TOPIC_ID}, {}):
        everything = client.get(url, params=params).json()
        assert everything["total"] == 7
        assert dataset_id(200) not in {d["id"] for d in everything["data"]}  # archived

    response = client.get(url, params={"topic": "univers-culture"})
    assert response.status_code == 400
    assert response.json() == {"message": "Topic arg must be an identifier"}
    # Same on v2.
    assert client.get(f"{api.url}/api/2/datasets/", params={"topic": UNKNOWN_TOPIC_ID}).json()["total"] == 7
    assert client.get(f"{api.url}/api/2/datasets/", params={"topic": "nope"}).status_code == 400


def test_organization_tag_and_q_filters(serve, client):
    api = serve(
        datasets=[
            make_dataset(1, title="Musées de France", tags=("culture", "musee")),
            make_dataset(2, title="Fréquentation des musées nationaux", tags=("musee",)),
            make_dataset(3, title="Festivals", tags=("culture", "musique"), org_id=OTHER_ORG_ID),
        ]
    )
    url = f"{api.url}/api/1/datasets/"

    def ids(params):
        response = client.get(url, params=params)
        assert response.status_code == 200, response.text
        return sorted(d["id"] for d in response.json()["data"])

    assert ids({"organization": OTHER_ORG_ID}) == [dataset_id(3)]
    assert client.get(url, params={"organization": "ministere-de-la-culture"}).status_code == 400
    assert ids({"tag": "musee"}) == [dataset_id(1), dataset_id(2)]
    assert ids([("tag", "musee"), ("tag", "culture")]) == [dataset_id(1)]  # all tags required
    assert ids({"q": "MUSEES"}) == [dataset_id(1), dataset_id(2)]  # case/accent-insensitive
    assert ids({"q": "musées france"}) == [dataset_id(1)]  # all words required
    assert ids({"q": "opéra"}) == []


# --------------------------------------------------------------------------- datasets by id, slugs


def test_archived_hidden_from_lists_but_served_by_id(serve, client):
    archived = make_dataset(2, archived="2025-03-04T10:12:45.318000+00:00")
    api = serve(datasets=[make_dataset(1), archived])
    listed = client.get(f"{api.url}/api/1/datasets/", params={"topic": TOPIC_ID}).json()
    assert [d["id"] for d in listed["data"]] == [dataset_id(1)]
    assert listed["total"] == 1

    response = client.get(f"{api.url}/api/1/datasets/{dataset_id(2)}/")
    assert response.status_code == 200
    assert response.json()["archived"] == "2025-03-04T10:12:45.318000+00:00"
    assert client.get(f"{api.url}/api/1/datasets/{archived['slug']}/").json()["id"] == dataset_id(2)

    # ... and still a topic element.
    elements = client.get(f"{api.url}/api/2/topics/{TOPIC_ID}/elements/", params={"class": "Dataset"}).json()
    assert {e["element"]["id"] for e in elements["data"]} == {dataset_id(1), dataset_id(2)}

    # Archiving between two syncs.
    api.archive_dataset(dataset_id(1), "2026-01-01T00:00:00+00:00")
    assert client.get(f"{api.url}/api/1/datasets/", params={"topic": TOPIC_ID}).json()["total"] == 0
    assert client.get(f"{api.url}/api/1/datasets/{dataset_id(1)}/").json()["archived"] == ("2026-01-01T00:00:00+00:00")


def test_unknown_deleted_private_datasets(serve, client):
    api = serve(datasets=[make_dataset(1), make_dataset(2, private=True)])
    response = client.get(f"{api.url}/api/1/datasets/{dataset_id(99)}/")
    assert response.status_code == 404
    assert set(response.json()) == {"message"}
    assert client.get(f"{api.url}/api/1/datasets/{dataset_id(2)}/").status_code == 404  # private
    api.delete_dataset(dataset_id(1))
    response = client.get(f"{api.url}/api/1/datasets/{dataset_id(1)}/")
    assert response.status_code == 410
    assert response.json() == {"message": "Dataset has been deleted"}
    assert client.get(f"{api.url}/api/1/datasets/").json()["total"] == 0


def test_old_slug_answers_308_with_relative_location(serve, client):
    renamed = make_dataset(1, _old_slugs=["ancien-nom"])
    api = serve(datasets=[renamed])
    response = client.get(f"{api.url}/api/1/datasets/ancien-nom/")
    assert response.status_code == 308
    assert response.headers["location"] == f"/api/1/datasets/{renamed['slug']}/"
    assert response.headers["content-type"] == "application/json"

    with httpx.Client(follow_redirects=True, timeout=5) as follower:
        response = follower.get(f"{api.url}/api/1/datasets/ancien-nom/")
    assert response.status_code == 200
    assert response.json()["id"] == dataset_id(1)
    assert "_old_slugs" not in response.json()
    listed = client.get(f"{api.url}/api/1/datasets/").json()["data"]
    assert "_old_slugs" not in listed[0]

    # A rename through update_dataset keeps the former slug as a redirect.
    api.update_dataset(dataset_id(1), slug="nouveau-nom", title="Nouveau nom")
    response = client.get(f"{api.url}/api/1/datasets/{renamed['slug']}/")
    assert response.status_code == 308
    assert response.headers["location"] == "/api/1/datasets/nouveau-nom/"
    # Organizations too.
    response = client.get(f"{api.url}/api/1/organizations/ministere-culture/")
    assert response.status_code == 308
    assert response.headers["location"] == "/api/1/organizations/ministere-de-la-culture/"


def test_organizations_licenses_frequencies(serve, client):
    api = serve(datasets=[])
    for ident in (ORG_ID, "ministere-de-la-culture"):
        body = client.get(f"{api.url}/api/1/organizations/{ident}/").json()
        assert body["id"] == ORG_ID and "_old_slugs" not in body
    assert client.get(f"{api.url}/api/1/organizations/{OTHER_ORG_ID}/").status_code == 404
    assert client.get(f"{api.url}/api/1/datasets/licenses/").json() == LICENSES
    frequencies = client.get(f"{api.url}/api/1/datasets/frequencies/").json()
    assert {"id": "daily", "label": "Quotidienne"} in frequencies


# ------------------------------------------------------------------------------------------- topic


def test_topic_by_id_and_slug_and_its_elements(serve, client):
    api = serve(
        datasets=[make_dataset(n) for n in range(3)],
        topic_dataset_ids=[dataset_id(0), dataset_id(1), dataset_id(2), dataset_id(9)],  # 9: dangling
    )
    for ident in (TOPIC_ID, "univers-culture"):
        topic = client.get(f"{api.url}/api/2/topics/{ident}/").json()
        assert topic["id"] == TOPIC_ID
        assert topic["elements"]["total"] == 4
        assert topic["elements"]["href"].startswith(f"{api.url}/api/2/topics/{TOPIC_ID}/elements/")

    items, pages = get_all(
        client, f"{api.url}/api/2/topics/univers-culture/elements/", params={"class": "Dataset", "page_size": 3}
    )
    assert pages[0]["total"] == 4
    assert pages[0]["next_page"] == (
        f"{api.url}/api/2/topics/univers-culture/elements/?class=Dataset&page_size=3&page=2"
    )
    assert [e["element"]["id"] for e in items] == [dataset_id(n) for n in (0, 1, 2, 9)]
    first = items[0]
    assert set(first) == {"id", "title", "description", "tags", "extras", "element"}
    assert first["title"] is None and first["description"] is None
    assert first["tags"] == [] and first["extras"] == {}
    assert first["element"] == {"class": "Dataset", "id": dataset_id(0)}
    assert len(first["id"]) == 24 and len({e["id"] for e in items}) == 4

    reuses = client.get(f"{api.url}/api/2/topics/{TOPIC_ID}/elements/", params={"class": "Reuse"}).json()
    assert reuses["total"] == 0 and reuses["data"] == []
    assert client.get(f"{api.url}/api/2/topics/{UNKNOWN_TOPIC_ID}/").status_code == 404
    assert client.get(f"{api.url}/api/1/datasets/{dataset_id(9)}/").status_code == 404


def test_private_topic_is_404_but_the_list_filter_works(serve, client):
    api = serve(datasets=[make_dataset(1)], other_datasets=[make_dataset(2)], private_topic=True)
    for path in (f"/api/2/topics/{TOPIC_ID}/", "/api/2/topics/univers-culture/", f"/api/2/topics/{TOPIC_ID}/elements/"):
        response = client.get(f"{api.url}{path}", params={"class": "Dataset"})
        assert response.status_code == 404, path
        assert "message" in response.json()
    listed = client.get(f"{api.url}/api/1/datasets/", params={"topic": TOPIC_ID}).json()
    assert [d["id"] for d in listed["data"]] == [dataset_id(1)]


# ---------------------------------------------------------------------------------- v2 and headers


def test_v2_list_is_light(serve, client):
    api = serve(datasets=[make_dataset(1, resources=3)])
    body = client.get(f"{api.url}/api/2/datasets/", params={"topic": TOPIC_ID}).json()
    dataset = body["data"][0]
    assert dataset["resources"] == {
        "rel": "subsection",
        "href": f"{api.url}/api/2/datasets/{dataset_id(1)}/resources/?page=1&page_size=50",
        "type": "GET",
        "total": 3,
    }
    assert "schema" not in dataset
    resources = client.get(dataset["resources"]["href"]).json()
    assert resources["total"] == 3 and resources["page_size"] == 50
    assert len(resources["data"]) == 3
    rid = resources["data"][0]["id"]
    one = client.get(f"{api.url}/api/2/datasets/resources/{rid}/").json()
    assert one["dataset_id"] == dataset_id(1) and one["resource"]["id"] == rid
    assert client.get(f"{api.url}/api/2/datasets/{dataset_id(1)}/").json()["resources"]["total"] == 3


def test_x_fields_mask(serve, client):
    api = serve(datasets=[make_dataset(n) for n in range(25)])
    url = f"{api.url}/api/1/datasets/"
    body = client.get(url, headers={"X-Fields": "data{id,slug,last_modified},total,next_page"}).json()
    assert set(body) == {"data", "total", "next_page"}
    assert body["total"] == 25 and body["next_page"].endswith("page=2")
    assert all(set(d) == {"id", "slug", "last_modified"} for d in body["data"])

    body = client.get(url, headers={"X-Fields": "data{id,organization{name,slug},unknown},total"}).json()
    assert body["data"][0]["organization"] == {"name": "Ministère de la Culture", "slug": "ministere-de-la-culture"}
    assert set(body["data"][0]) == {"id", "organization"}  # unknown names are ignored

    body = client.get(url, headers={"X-Fields": "data{*,organization{slug}},total"}).json()
    assert body["data"][0]["organization"] == {"slug": "ministere-de-la-culture"}
    assert body["data"][0]["title"].startswith("Jeu de données")
    assert "resources" in body["data"][0]

    body = client.get(f"{url}{dataset_id(3)}/", headers={"X-Fields": "id,title"}).json()
    assert body == {"id": dataset_id(3), "title": "Jeu de données 3"}

    for bad in ("data{id,slug", "data{id}},total", "{id"):
        response = client.get(url, headers={"X-Fields": bad})
        assert response.status_code == 400, bad
        assert response.json()["message"].startswith("Mask parse error")


def test_full_objects_header(serve, client):
    spatial = {"geom": None, "zones": ["country:fr", "fr:region:53", "fr:commune:99999"], "granularity": "fr:commune"}
    api = serve(datasets=[make_dataset(1, spatial=spatial), make_dataset(2)])
    url = f"{api.url}/api/1/datasets/{dataset_id(1)}/"

    assert client.get(url).json()["spatial"] == spatial
    full = client.get(url, headers={"X-Get-Datasets-Full-Objects": "True"}).json()["spatial"]
    assert full["zones"] == [
        {"id": "country:fr", "name": "France", "code": "fr", "level": "country"},
        {"id": "fr:region:53", "name": "Bretagne", "code": "53", "level": "fr:region"},
        {"id": "fr:commune:99999", "name": "99999", "code": "99999", "level": "fr:commune"},
    ]
    assert full["granularity"] == {"id": "fr:commune", "name": "French town"}
    french = client.get(url, params={"lang": "fr"}, headers={"X-Get-Datasets-Full-Objects": "True"}).json()
    assert french["spatial"]["granularity"] == {"id": "fr:commune", "name": "Commune"}

    # Lists too; a dataset without spatial keeps null; v2 also expands frequency and license.
    listed = client.get(f"{api.url}/api/2/datasets/", headers={"X-Get-Datasets-Full-Objects": "True"}).json()
    by_id = {d["id"]: d for d in listed["data"]}
    assert by_id[dataset_id(2)]["spatial"] is None
    assert by_id[dataset_id(1)]["spatial"]["zones"][0]["name"] == "France"
    assert by_id[dataset_id(1)]["frequency"] == {"id": "annual", "label": "Annuelle"}
    assert by_id[dataset_id(1)]["license"] == LICENSES[0]


# ---------------------------------------------------------------------------------------- faults


def test_fault_status_and_times(serve, client):
    api = serve(datasets=[make_dataset(1)])
    fault = api.add_fault("/api/1/datasets/", status=503, times=2, headers={"Retry-After": "1"})
    url = f"{api.url}/api/1/datasets/"
    first, second, third = (client.get(url) for _ in range(3))
    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    assert first.headers["retry-after"] == "1"
    assert first.json() == {"message": "Service Unavailable", "status": 503}
    assert first.headers["content-type"] == "application/json"
    assert fault.hits == 2
    # Other paths are untouched.
    assert client.get(f"{api.url}/api/2/topics/{TOPIC_ID}/").status_code == 200


def test_fault_after_and_forever_then_clear(serve, client):
    api = serve(datasets=[make_dataset(n) for n in range(5)])
    api.add_fault("/api/1/datasets/", status=500, after=2)
    url = f"{api.url}/api/1/datasets/"
    statuses = [client.get(url, params={"page_size": 1, "page": p}).status_code for p in range(1, 6)]
    assert statuses == [200, 200, 500, 500, 500]
    api.clear_faults()
    assert client.get(url).status_code == 200


def test_fault_bodies_html_and_truncated_json(serve, client):
    api = serve(datasets=[make_dataset(1)])
    html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    api.add_fault("/api/2/topics/", status=502, body=html, content_type="text/html", times=1)
    api.add_fault("/api/1/datasets/?page=2", status=200, body='{"data": [{"id": "64f1', times=1)

    response = client.get(f"{api.url}/api/2/topics/{TOPIC_ID}/")
    assert response.status_code == 502
    assert response.headers["content-type"] == "text/html"
    assert response.text == html

    assert client.get(f"{api.url}/api/1/datasets/").status_code == 200  # query does not match
    response = client.get(f"{api.url}/api/1/datasets/?page=2")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_fault_delay_times_out_the_client(serve):
    api = serve(datasets=[make_dataset(1)])
    fault = api.add_fault("/api/1/datasets/", delay=1.0, times=1)
    with httpx.Client(timeout=0.2) as impatient:
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            impatient.get(f"{api.url}/api/1/datasets/")
        assert time.monotonic() - started < 0.9
        assert fault.hits == 1
        assert impatient.get(f"{api.url}/api/1/datasets/").status_code == 200

    # status=None: a slow but normal answer.
    api.add_fault("/api/1/datasets/", status=None, delay=0.3, times=1)
    with httpx.Client(timeout=5) as patient:
        started = time.monotonic()
        response = patient.get(f"{api.url}/api/1/datasets/")
    assert response.status_code == 200 and response.json()["total"] == 1
    assert time.monotonic() - started >= 0.3


def test_fault_disconnect(serve, client):
    api = serve(datasets=[make_dataset(1)])
    api.add_fault("/api/1/datasets/", disconnect=True, times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(f"{api.url}/api/1/datasets/")
    assert client.get(f"{api.url}/api/1/datasets/").status_code == 200


def test_stop_does_not_wait_for_a_hanging_fault(client):
    api = StandinAPI(datasets=[make_dataset(1)]).start()
    api.add_fault("/api/1/datasets/", delay=30)
    with httpx.Client(timeout=0.2) as impatient, pytest.raises(httpx.ReadTimeout):
        impatient.get(f"{api.url}/api/1/datasets/")
    started = time.monotonic()
    api.stop()
    assert time.monotonic() - started < 2


# ------------------------------------------------------------------------------------ request log


def test_request_log(serve, client):
    api = serve(datasets=[make_dataset(1)])
    client.get(
        f"{api.url}/api/1/datasets/",
        params=[("topic", TOPIC_ID), ("tag", "a"), ("tag", "b")],
        headers={"X-Fields": "total"},
    )
    client.get(f"{api.url}/api/2/topics/univers-culture/")
    client.post(f"{api.url}/api/1/datasets/", json={})

    method, path, query, headers = api.requests[0]
    assert (method, path) == ("GET", "/api/1/datasets/")
    assert query == {"topic": TOPIC_ID, "tag": ["a", "b"]}
    assert headers["X-Fields"] == "total" and headers["x-fields"] == "total"
    assert [(r.method, r.path) for r in api.requests] == [
        ("GET", "/api/1/datasets/"),
        ("GET", "/api/2/topics/univers-culture/"),
        ("POST", "/api/1/datasets/"),
    ]
    assert len(api.requests_to("/api/2/")) == 1
    api.reset_log()
    assert api.requests == []


# ------------------------------------------------------------------------------------ mutators


def test_mutators_between_two_syncs(serve, client):
    api = serve(datasets=[make_dataset(n) for n in range(3)])
    url = f"{api.url}/api/1/datasets/"

    def topic_ids():
        return sorted(d["id"] for d in client.get(url, params={"topic": TOPIC_ID}).json()["data"])

    api.update_dataset(dataset_id(0), title="Titre modifié", last_modified="2026-07-01T00:00:00+00:00")
    changed = client.get(f"{url}{dataset_id(0)}/").json()
    assert changed["title"] == "Titre modifié" and changed["last_modified"] == "2026-07-01T00:00:00+00:00"

    api.remove_dataset(dataset_id(1))
    assert client.get(f"{url}{dataset_id(1)}/").status_code == 404
    api.add_dataset(make_dataset(10))
    api.add_dataset(make_dataset(11), in_topic=False)
    assert topic_ids() == [dataset_id(0), dataset_id(2), dataset_id(10)]
    assert client.get(url).json()["total"] == 4
    assert client.get(f"{api.url}/api/2/topics/{TOPIC_ID}/").json()["elements"]["total"] == 3

    api.remove_from_topic(dataset_id(2))
    assert topic_ids() == [dataset_id(0), dataset_id(10)]
    assert client.get(f"{url}{dataset_id(2)}/").status_code == 200

    api.set_datasets([make_dataset(20)])
    assert topic_ids() == [dataset_id(20)]
    assert client.get(url).json()["total"] == 3  # 20 + those outside the topic: 11 and 2


# ------------------------------------------------------------------------------------ misc routes


def test_unknown_route_trailing_slash_and_content_type(serve, client, capfd):
    api = serve(datasets=[make_dataset(1)])
    response = client.get(f"{api.url}/api/1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["status"] == 404 and "error" in response.json()
    assert response.headers["content-type"] == "application/json"

    response = client.get(f"{api.url}/api/1/datasets", params={"page": 1})
    assert response.status_code == 308
    assert response.headers["location"] == "/api/1/datasets/?page=1"
    assert client.post(f"{api.url}/api/1/datasets/").status_code == 405
    assert client.head(f"{api.url}/api/1/datasets/").status_code == 200
    assert capfd.readouterr().err == ""  # the server logs nothing


# ------------------------------------------------------------------------------------ dumps & CLI


def write_dump(path: Path, *, with_topic: bool = True) -> Path:
    lines = [
        {
            "kind": "meta",
            "format": "culture-portal-dump",
            "version": 1,
            "source": "https://www.data.gouv.fr/api/",
            "topic": TOPIC_ID,
            "created_at": "2026-08-20T00:00:00+00:00",
            "sample": True,
        }
    ]
    if with_topic:
        lines.append({"kind": "topic", "data": TOPIC})
    lines.append({"kind": "license", "data": LICENSES[0]})
    lines.append({"kind": "organization", "data": ORGANIZATION})
    lines += [{"kind": "dataset", "data": make_dataset(n)} for n in range(3)]
    lines.append({"kind": "dataset", "data": make_dataset(3, archived="2025-01-01T00:00:00+00:00")})
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["dump.jsonl", "dump.jsonl.gz"])
def test_from_dump(tmp_path, client, name):
    path = write_dump(tmp_path / name)
    with StandinAPI.from_dump(path) as api:
        listed = client.get(f"{api.url}/api/1/datasets/", params={"topic": TOPIC_ID}).json()
        assert listed["total"] == 3
        topic = client.get(f"{api.url}/api/2/topics/univers-culture/").json()
        assert topic["elements"]["total"] == 4  # archived included
        assert client.get(f"{api.url}/api/1/datasets/{dataset_id(3)}/").status_code == 200
        assert client.get(f"{api.url}/api/1/organizations/{ORG_ID}/").status_code == 200
        assert client.get(f"{api.url}/api/1/datasets/licenses/").json() == LICENSES


def test_from_dump_without_topic_line_serves_a_private_topic(tmp_path, client):
    path = write_dump(tmp_path / "dump.jsonl", with_topic=False)
    with StandinAPI.from_dump(path, other_datasets=[make_dataset(50)]) as api:
        assert client.get(f"{api.url}/api/2/topics/{TOPIC_ID}/").status_code == 404
        assert client.get(f"{api.url}/api/1/datasets/", params={"topic": TOPIC_ID}).json()["total"] == 3
        assert client.get(f"{api.url}/api/1/datasets/", params={"topic": UNKNOWN_TOPIC_ID}).json()["total"] == 4
    with StandinAPI.from_dump(path, private_topic=False) as api:
        assert client.get(f"{api.url}/api/2/topics/{TOPIC_ID}/").json()["id"] == TOPIC_ID


def test_from_dump_refuses_other_files(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"kind": "meta", "format": "something-else"}\n', encoding="utf-8")
    with pytest.raises(ValueError):
        StandinAPI.from_dump(path)


def _ended(proc: subprocess.Popen) -> tuple[str, str]:
    """The output of a stand-in told to stop; if it is still running 10 s later, the test fails with the stacks of
    its threads (the stand-in prints them on SIGUSR1)."""
    try:
        return proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        status = Path(f"/proc/{proc.pid}/status").read_text()
        signals = "\n".join(line for line in status.splitlines() if line.startswith(("SigBlk", "SigIgn", "SigCgt")))
        proc.send_signal(signal.SIGUSR1)
        time.sleep(1)
        proc.kill()
        pytest.fail(f"the stand-in did not stop:\n{signals}\n{proc.communicate()[1]}")


@pytest.mark.slow
def test_command_line_serves_a_dump(tmp_path, client):
    path = write_dump(tmp_path / "dump.jsonl")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.datagouv", "--dump", str(path), "--port", "0", "--private-topic"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert client.get(f"{url}/api/1/datasets/", params={"topic": TOPIC_ID}).json()["total"] == 3
        assert client.get(f"{url}/api/2/topics/{TOPIC_ID}/").status_code == 404
        proc.send_signal(signal.SIGINT)
        stdout, stderr = _ended(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0
    assert stderr == ""


def test_command_line_serves_a_synthetic_catalogue_until_sigterm(client):
    """What bench/run.py starts: the URL on the first line, a counter, a clean exit on SIGTERM."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.datagouv", "--synthetic", "50", "--hostile", "3", "--latency-ms", "1"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        elements = client.get(f"{url}/api/2/topics/{TOPIC_ID}/elements/").json()
        assert elements["total"] == 53
        assert client.get(f"{url}/__bench__/requests").json() == {"requests": 1}
        proc.send_signal(signal.SIGTERM)
        _ended(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0


# ------------------------------------------------------------------------------------------ several topics

SECOND_TOPIC_ID = "69f2fca0f4f30af95d4bab8a"


def test_a_dataset_in_two_topics_is_listed_by_both_and_is_an_element_of_both(serve, client):
    both = make_dataset(1, _topics=[TOPIC_ID, SECOND_TOPIC_ID])
    second_only = make_dataset(2, _topics=[SECOND_TOPIC_ID])
    api = serve(
        datasets=[make_dataset(0), both, second_only],
        topics=[{**TOPIC, "id": SECOND_TOPIC_ID, "slug": "observer", "name": "Observer"}],
    )
    assert api.topics_of(dataset_id(1)) == [TOPIC_ID, SECOND_TOPIC_ID]

    def listed(topic):
        body = client.get(f"{api.url}/api/1/datasets/", params={"topic": topic}).json()
        return sorted(d["id"] for d in body["data"]), body["total"]

    assert listed(TOPIC_ID) == ([dataset_id(0), dataset_id(1)], 2)
    assert listed(SECOND_TOPIC_ID.upper()) == ([dataset_id(1), dataset_id(2)], 2)
    assert listed(UNKNOWN_TOPIC_ID) == ([dataset_id(n) for n in range(3)], 3)  # the pitfall still holds
    assert "_topics" not in client.get(f"{api.url}/api/1/datasets/{dataset_id(1)}/").json()

    topic = client.get(f"{api.url}/api/2/topics/observer/").json()
    assert topic["id"] == SECOND_TOPIC_ID and topic["elements"]["total"] == 2
    assert topic["elements"]["href"] == f"{api.url}/api/2/topics/{SECOND_TOPIC_ID}/elements/?page=1&page_size=20"
    elements = client.get(topic["elements"]["href"]).json()
    assert [e["element"]["id"] for e in elements["data"]] == [dataset_id(1), dataset_id(2)]


def test_topics_change_one_at_a_time(serve, client):
    api = serve(datasets=[make_dataset(0), make_dataset(1)])
    api.add_topic(SECOND_TOPIC_ID, dataset_ids=[dataset_id(1)])
    api.add_to_topic(dataset_id(0), SECOND_TOPIC_ID)
    api.remove_from_topic(dataset_id(1))  # from the primary topic only
    api.set_topic_private(SECOND_TOPIC_ID)

    assert api.topic_dataset_ids == [dataset_id(0)]
    assert api.topic_dataset_ids_of(SECOND_TOPIC_ID) == [dataset_id(1), dataset_id(0)]
    assert client.get(f"{api.url}/api/2/topics/{SECOND_TOPIC_ID}/").status_code == 404
    body = client.get(f"{api.url}/api/1/datasets/", params={"topic": SECOND_TOPIC_ID}).json()
    assert body["total"] == 2  # a private topic still filters the list, as on data.gouv.fr
    with pytest.raises(ValueError):
        api.add_topic(SECOND_TOPIC_ID)


# ------------------------------------------------------------------------------------------ synthetic catalogue


def test_serves_the_synthetic_catalogue_of_the_benchmark(client):
    from tests.fakes.synthetic import Catalogue

    catalogue = Catalogue(60, hostile=2)
    with StandinAPI(source=catalogue, log_requests=False) as api:
        url = f"{api.url}/api/1/datasets/"
        items, pages = get_all(client, url, params={"topic": TOPIC_ID, "page_size": 25})
        listed = len(catalogue.listed())
        assert len(items) == listed == pages[0]["total"] and listed < catalogue.total  # archived ones left out
        assert len({d["id"] for d in items}) == listed
        national = client.get(url, params={"topic": UNKNOWN_TOPIC_ID, "page_size": 1}).json()
        assert national["total"] == catalogue.national_total > listed

        light = client.get(
            url, params={"topic": TOPIC_ID, "sort": "-last_update"}, headers={"X-Fields": "data{id,last_update}"}
        ).json()
        assert set(light) == {"data"} and all(set(d) == {"id", "last_update"} for d in light["data"])
        dates = [d["last_update"] for d in light["data"]]
        assert dates == sorted(dates, reverse=True)

        first = items[0]
        assert client.get(f"{api.url}/api/1/datasets/{first['slug']}/").json()["id"] == first["id"]
        org = first["organization"] or items[1]["organization"]
        assert client.get(f"{api.url}/api/1/organizations/{org['slug']}/").json()["id"] == org["id"]
        elements = client.get(f"{api.url}/api/2/topics/univers-culture/elements/", params={"page_size": 100}).json()
        assert elements["total"] == catalogue.total
        assert client.get(f"{api.url}/api/1/datasets/licenses/").json()[0]["id"]

        counted = api.request_count
        assert client.get(f"{api.url}/__bench__/requests").json() == {"requests": counted}
        assert api.requests == []  # not logged, only counted

    with StandinAPI(source=Catalogue(30, private_topic=True), links_base="https://www.data.gouv.fr") as api:
        assert client.get(f"{api.url}/api/2/topics/{TOPIC_ID}/").status_code == 404
        page = client.get(f"{api.url}/api/1/datasets/", params={"topic": TOPIC_ID, "page_size": 5}).json()
        assert page["next_page"].startswith("https://www.data.gouv.fr/api/1/datasets/?")


def test_the_synthetic_catalogue_puts_a_share_of_its_datasets_in_the_observer_topic_too(client):
    from tests.fakes.synthetic import OBSERVER_THEMES, Catalogue

    catalogue = Catalogue(200, observer_share=0.25)
    with StandinAPI(source=catalogue) as api:
        url = f"{api.url}/api/1/datasets/"
        observer, _ = get_all(client, url, params={"topic": SECOND_TOPIC_ID, "page_size": 20})
        culture, _ = get_all(client, url, params={"topic": TOPIC_ID, "page_size": 100})
        elements, _ = get_all(client, f"{api.url}/api/2/topics/observer/elements/")

        assert 20 < len(observer) < 80
        assert {d["id"] for d in observer} <= {d["id"] for d in culture}  # in both topics, stored once
        assert {e["element"]["id"] for e in elements} >= {d["id"] for d in observer}
        assert all(set(d["tags"]) & set(OBSERVER_THEMES) for d in observer)
        created = [d["created_at"] for d in observer]
        assert created == sorted(created, reverse=True)  # the default sort, newest first
        topic = client.get(f"{api.url}/api/2/topics/{SECOND_TOPIC_ID}/").json()
        assert topic["name"] == "Observer" and topic["elements"]["total"] == len(elements)

    with StandinAPI(source=Catalogue(20)) as api:  # no share: no second topic, its id is ignored
        assert client.get(f"{api.url}/api/2/topics/{SECOND_TOPIC_ID}/").status_code == 404


def test_the_synthetic_catalogue_serves_another_theme_under_its_own_topic(client):
    from tests.fakes.synthetic import CULTURE, SPORT, Catalogue

    catalogue = Catalogue(80, theme=SPORT)
    with StandinAPI(source=catalogue) as api:
        url = f"{api.url}/api/1/datasets/"
        sport, _ = get_all(client, url, params={"topic": SPORT.topic_id, "page_size": 100})
        assert len(sport) == len(catalogue.listed()) and 70 < len(sport) < 80  # archived ones left out
        # Each carries a category tag of the theme; every category has datasets; not a word of culture.
        assert all(set(d["tags"]) & set(SPORT.category_tags) for d in sport)
        assert {tag for d in sport for tag in d["tags"]} >= set(SPORT.category_tags)
        publishers = {d["organization"]["name"] for d in sport if d["organization"]}
        assert "Ministère des Sports, de la Jeunesse et de la Vie associative" in publishers
        assert "cultur" not in json.dumps(sport, ensure_ascii=False).lower()
        topic = client.get(f"{api.url}/api/2/topics/{SPORT.topic_id}/").json()
        assert (topic["name"], topic["slug"], topic["elements"]["total"]) == ("Univers sport", "univers-sport", 80)
        assert client.get(f"{api.url}/api/2/topics/{CULTURE.topic_id}/").status_code == 404
    with pytest.raises(ValueError, match="Observer topic is culture's"):
        Catalogue(10, theme=SPORT, observer_share=0.1)


def test_latency_delays_every_api_answer(serve, client):
    api = serve(datasets=[make_dataset(0)], latency=0.3)
    started = time.monotonic()
    assert client.get(f"{api.url}/api/1/datasets/").status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    client.get(f"{api.url}/__bench__/requests")
    assert time.monotonic() - started < 0.3
