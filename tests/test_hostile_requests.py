"""Hostile query strings: random parameters on every public URL never give a server error.

Property-based (hypothesis): thousands of generated query strings, known parameter names with absurd
values and unknown ones, repeated parameters, control characters, huge values, broken percent-encoding.
"""

import string
from urllib.parse import urlencode

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from catalog.ingest.service import sync_catalog

pytestmark = pytest.mark.django_db

NAMES = ["q", "page", "sort", "category", "organization", "organization_type", "format", "license", "archived",
         "page_size", "tag", "last_update_range", "granularity", "organization_q"]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["", "0", "-1", "1e9", "99999999999999999999", "last", "2", "musee", "cinema", "csv", "lov2",
                     "pertinence", "titre", "populaire", "recent", "1", "true", "\x00", "\u202e", "%", "<script>",
                     "last_30_days", "last_3_years", "fr:commune", "patrimoine"]),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.builds(lambda size: "a" * size, st.integers(min_value=1000, max_value=20000)),
)  # fmt: skip
PARAMS = st.lists(st.tuples(st.one_of(st.sampled_from(NAMES), st.text(max_size=20)), VALUES), max_size=8)
# A raw query string as a WSGI server hands it over (bytes read as latin-1): maybe broken encoding.
RAW = st.one_of(
    st.text(alphabet=string.printable + "%", max_size=200),
    st.binary(max_size=200).map(lambda raw: raw.decode("latin-1")),
)


@pytest.fixture(scope="module")
def sample_catalogue(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(SYNC_LOCK_PATH=tmp_path_factory.mktemp("lock") / "sync.lock"):
            sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)
        yield
        transaction.set_rollback(True)


URLS = ["/", "/datasets/", "/organisations/", "/organisations/ministere-de-la-culture/",
        "/datasets/liste-des-musees-de-france/", "/a-propos/", "/datasets.csv", "/catalogue.jsonld", "/catalogue.ttl",
        "/feeds/datasets.atom", "/sitemap.xml"]  # fmt: skip
SETTINGS = hypothesis_settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check(client, url: str, query_string: str) -> None:
    response = client.get(url, QUERY_STRING=query_string)
    if response.streaming:  # a streamed body fails while it is read, after its status was sent
        b"".join(response.streaming_content)
    assert response.status_code < 500, (url, query_string[:200], response.status_code)
    assert response.status_code in (200, 301, 302, 304, 400, 404), (url, query_string[:200], response.status_code)


@pytest.mark.parametrize("url", URLS)
@SETTINGS
@given(params=PARAMS)
def test_random_parameters_never_give_a_server_error(client, sample_catalogue, url, params):
    check(client, url, urlencode(params))


@hypothesis_settings(SETTINGS, max_examples=800)
@given(params=PARAMS, htmx=st.booleans())
def test_random_searches_and_filters_on_the_list_page(client, sample_catalogue, params, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get("/datasets/", QUERY_STRING=urlencode(params), **headers)
    assert response.status_code == 200, (params, response.status_code)
    assert "jeu" in response.content.decode()  # a result count, even when it is zero


@pytest.mark.parametrize("url", ["/datasets/", "/organisations/", "/catalogue.ttl"])
@SETTINGS
@given(raw=RAW)
def test_broken_query_strings(client, sample_catalogue, url, raw):
    check(client, url, raw)
