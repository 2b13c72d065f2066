"""Pages cached and revalidated by catalogue version: never stale after a sync."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from catalog.models import CatalogSummary, SyncRun
from catalog.selectors import facet_table
from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization

pytestmark = pytest.mark.django_db

MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")


def load(tmp_path, title):
    payloads.load(tmp_path, [dataset("a" * 24, title, slug="musees", tags=("musee",), org=MC)], [MC])


@pytest.mark.parametrize("url", ["/", "/datasets/", "/datasets/?q=mus%C3%A9es", "/datasets/musees/",
                                 "/organisations/", "/organisations/ministere-de-la-culture/"])  # fmt: skip
def test_catalogue_pages_answer_304_to_a_browser_that_has_them(client, tmp_path, url):
    load(tmp_path, "Musées de France")
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert "must-revalidate" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_last_modified_is_the_end_of_the_latest_finished_sync(client, tmp_path):
    load(tmp_path, "Musées de France")
    finished = SyncRun.objects.exclude(finished_at=None).latest("pk").finished_at
    # A run still going is not a catalogue yet: it changes neither the date nor the ETag.
    before = client.get("/datasets/")
    SyncRun.objects.create(started_at=timezone.now(), status=SyncRun.Status.RUNNING, source="x")
    after = client.get("/datasets/")
    assert before["Last-Modified"] == after["Last-Modified"] == http_date(finished.timestamp())
    assert before["ETag"] == after["ETag"]
    assert client.get("/datasets/", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"]).status_code == 304


def test_a_sync_gives_new_content_and_a_new_etag(client, tmp_path):
    load(tmp_path, "Musées de France")
    before = client.get("/datasets/")
    assert "Musées de France" in before.content.decode()
    client.get("/datasets/")  # now served from the cache
    load(tmp_path, "Musées et monuments de France")
    after = client.get("/datasets/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "Musées et monuments de France" in after.content.decode()


def test_a_failed_sync_shows_its_banner_at_once(client, tmp_path):
    load(tmp_path, "Musées de France")
    assert "pas pu être synchronisé" not in client.get("/").content.decode()
    now = timezone.now()
    SyncRun.objects.create(started_at=now, finished_at=now, status=SyncRun.Status.FAILED, source="x", error="boom")
    assert "pas pu être synchronisé" in client.get("/").content.decode()


def test_the_freshness_banner_is_worked_out_once_per_catalogue_version(client, tmp_path):
    load(tmp_path, "Musées de France")
    client.get("/")
    cache.clear()  # the next page is rendered, not served from the cache
    with CaptureQueriesContext(connection) as queries:
        assert "Musées de France" in client.get("/datasets/").content.decode()
    runs = [query["sql"] for query in queries.captured_queries if "catalog_syncrun" in query["sql"]]
    # Only the version (id and end of the latest finished run); the banner's reading of the runs is known.
    assert len(runs) == 1 and "started_at" not in runs[0]


@pytest.mark.parametrize("url", ["/", "/datasets/", "/observer/?q=musees"])
def test_a_page_reads_the_catalogue_version_once(client, tmp_path, url):
    """The home page wants the counts of two sections and the latest datasets, each from the latest catalogue
    version: one query reads it for the whole page (catalog.snapshot), and the next page reads it again."""
    load(tmp_path, "Musées de France")
    for _ in range(2):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        summaries = [query["sql"] for query in queries.captured_queries if "catalog_catalogsummary" in query["sql"]]
        versions = [sql for sql in summaries if '"data"' not in sql]  # the counts' JSON is read once per version
        assert len(versions) == 1, versions


def test_the_catalogue_version_read_by_a_page_is_not_kept_after_it(client, tmp_path):
    load(tmp_path, "Musées de France")
    assert "Musées de France" in client.get("/").content.decode()
    load(tmp_path, "Musées et monuments de France")
    newest = CatalogSummary.objects.order_by("-computed_at", "-pk").values_list("pk", "computed_at").first()
    assert facet_table.latest_version() == newest  # outside a page: read at each call
    assert "Musées et monuments de France" in client.get("/").content.decode()


def test_producer_and_licence_names_are_read_once_per_catalogue_version(client, tmp_path):
    load(tmp_path, "Musées de France")
    assert "Ministère de la Culture" in client.get("/datasets/").content.decode()
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert "Ministère de la Culture" in client.get("/datasets/?q=musees").content.decode()
    read = " ".join(query["sql"] for query in queries.captured_queries)  # the cards join them: only reads of their own
    assert 'FROM "catalog_organization"' not in read and 'FROM "catalog_license"' not in read
    renamed = organization(MC["id"], "Ministère de la Culture et de la Communication", slug=MC["slug"])
    payloads.load(tmp_path, [dataset("a" * 24, "Musées de France", slug="musees", tags=("musee",), org=renamed)],
                  [renamed])  # fmt: skip
    html = client.get("/datasets/?q=musees").content.decode()
    option = re.search(r'for="facet-organization-[^"]*">\s*([^<]*?)\s*<span', html)
    assert option and option.group(1) == "Ministère de la Culture et de la Communication"


def test_htmx_fragment_and_full_page_are_cached_apart(client, tmp_path):
    load(tmp_path, "Musées de France")
    page = client.get("/datasets/?q=musees")
    fragment = client.get("/datasets/?q=musees", HTTP_HX_REQUEST="true")
    again = client.get("/datasets/?q=musees")
    assert "<html" in page.content.decode() and "<html" not in fragment.content.decode()
    assert again.content == page.content
    assert fragment["ETag"] != page["ETag"]
    assert "HX-Request" in page["Vary"]


# Keys: only what changes the page, so that made-up parameters and headers cannot fill the cache.


def cache_entries() -> int:
    from django.core.cache import caches

    return len(caches["default"]._cache)  # LocMemCache, the test settings' cache


def sample_catalogue():
    from django.conf import settings

    from catalog.ingest.service import sync_catalog

    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)  # 43 Explorer datasets, one archived: three pages of 20


def test_a_thousand_junk_parameters_and_htmx_header_values_add_no_cache_entry(client, tmp_path):
    load(tmp_path, "Musées de France")
    clean = client.get("/datasets/")
    assert cache_entries() == 1
    for number in range(1000):
        response = client.get(f"/datasets/?junk{number}=x&utm_source={number}")
        assert response.status_code == 200 and response["ETag"] == clean["ETag"]
    assert cache_entries() == 1
    for number in range(300):
        headers = {"HX-Request": "true", "HX-Target": f"target-{number}", "HX-Trigger": f"t{number}",
                   "HX-Trigger-Name": f"n{number}", "HX-Current-URL": f"http://testserver/{number}",
                   "HX-History-Restore-Request": f"junk{number}"}  # fmt: skip
        response = client.get(f"/datasets/?junk={number}", headers=headers)
        assert response.status_code == 200 and "<html" not in response.content.decode()
    assert cache_entries() == 2  # the page and its htmx fragment, nothing else


@pytest.mark.parametrize(
    ("clean", "equivalents"),
    [
        ("/datasets/", ["/datasets/?junk=1", "/datasets/?sort=recent", "/datasets/?page=1", "/datasets/?page=abc",
                        "/datasets/?page=0", "/datasets/?page=-3", "/datasets/?q=&category=&archived=&sort=",
                        "/datasets/?q=%20%20", "/datasets/?sort=pertinence", "/datasets/?category=inconnue",
                        "/datasets/?utm_source=x&fbclid=y"]),
        ("/datasets/?q=musees&category=musee", ["/datasets/?category=musee&q=musees",
                                                "/datasets/?q=musees&category=musee&sort=pertinence",
                                                "/datasets/?q=%20musees%20&category=musee&page=1&junk=1"]),
        ("/organisations/?q=culture", ["/organisations/?q=culture&page=1&x=1", "/organisations/?q=%20culture"]),
        ("/datasets/musees/", ["/datasets/musees/?junk=1", "/datasets/musees/?page=1", "/datasets/musees/?page=abc",
                               "/datasets/musees/?q=%20&format=&type=inconnu"]),
        ("/organisations/ministere-de-la-culture/", ["/organisations/ministere-de-la-culture/?junk=1&page=1"]),
        ("/", ["/?junk=1", "/?q=musees"]),
    ],
)  # fmt: skip
def test_equivalent_addresses_share_one_cache_entry_and_etag(client, tmp_path, clean, equivalents):
    load(tmp_path, "Musées de France")
    first = client.get(clean)
    for url in equivalents:
        response = client.get(url)
        assert response.status_code == 200
        assert response["ETag"] == first["ETag"], url
        assert response.content == first.content, url
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert cache_entries() == 1


def test_the_default_sort_and_no_sort_share_a_key_other_sorts_do_not(client, tmp_path):
    load(tmp_path, "Musées de France")
    urls = ["/datasets/", "/datasets/?sort=recent", "/datasets/?sort=titre", "/datasets/?q=musees",
            "/datasets/?q=musees&sort=pertinence", "/datasets/?q=musees&sort=recent"]  # fmt: skip
    etag = {url: client.get(url)["ETag"] for url in urls}
    assert etag["/datasets/"] == etag["/datasets/?sort=recent"] != etag["/datasets/?sort=titre"]
    assert etag["/datasets/?q=musees"] == etag["/datasets/?q=musees&sort=pertinence"]
    assert etag["/datasets/?q=musees"] != etag["/datasets/?q=musees&sort=recent"]
    assert cache_entries() == 4


LINK = re.compile(r'(?:href|action|hx-get|value|content)="([^"]*)"')


def without_random_ids(html: str) -> str:
    """The page without what differs on every rendering (CSP nonces, DSFR's breadcrumb ids)."""
    return re.sub(r"breadcrumb-[a-z]+", "breadcrumb-", re.sub(r' nonce="[^"]*"', "", html))


@pytest.mark.parametrize(
    "url",
    ["/datasets/?sort=titre&page=2&archived=1", "/datasets/?q=musee&format=csv&category=musee",
     "/datasets/?organization=ministere-de-la-culture", "/organisations/?q=ville"],
)  # fmt: skip
def test_junk_parameters_reach_no_link_and_change_nothing_on_the_page(client, url):
    sample_catalogue()
    junk = "&evil=JUNK1&utm_source=JUNK2&JUNK3=1&hx-get=JUNK4&" + "JUNK5=%3Cscript%3E" * 3
    dirty = client.get(url + junk).content.decode()
    assert "JUNK" not in dirty
    links = LINK.findall(dirty)
    assert any(link.startswith("?") for link in links) or 'value="ville"' in dirty  # it does link with parameters
    from django.core.cache import cache

    cache.clear()  # rendered again from the clean address, not served from the cache
    assert without_random_ids(client.get(url).content.decode()) == without_random_ids(dirty)


def test_pagination_and_csv_links_keep_only_the_page_parameters(client):
    sample_catalogue()
    body = client.get("/datasets/?sort=titre&page=2&archived=1&evil=1").content.decode()
    assert 'href="?archived=1&amp;sort=titre&amp;page=3"' in body  # next page (43 datasets with the archived one)
    assert 'href="?archived=1&amp;sort=titre"' in body  # previous page (page 1 has no number)
    assert 'href="/datasets.csv?archived=1&amp;sort=titre"' in body
    assert 'href="?sort=titre" aria-label="Retirer le filtre&nbsp;: archivés inclus"' in body


def test_page_numbers_past_the_last_page_add_no_cache_entry(client):
    sample_catalogue()  # 42 published Explorer datasets: three pages
    for number in [*range(1, 300), 10**9, 10**30, "1" + "0" * 5000]:
        response = client.get(f"/datasets/?page={number}")
        assert response.status_code == 200
    assert cache_entries() == 3
    last = client.get("/datasets/?page=3")
    assert without_random_ids(client.get("/datasets/?page=4").content.decode()) == without_random_ids(
        last.content.decode()
    )  # the last page, rendered again each time: it is not kept as page 4
    assert cache_entries() == 3


def test_the_key_holds_the_host_when_site_url_is_empty(client, tmp_path, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    settings.SITE_URL = ""
    load(tmp_path, "Musées de France")
    a = client.get("/datasets/", HTTP_HOST="a.example")
    b = client.get("/datasets/", HTTP_HOST="b.example")
    assert a["ETag"] != b["ETag"]
    assert '<link rel="canonical" href="http://b.example/datasets/">' in b.content.decode()
    assert "a.example" not in b.content.decode()
    again = client.get("/datasets/", HTTP_HOST="a.example")  # from the cache: still host A's page
    assert again.content == a.content and "b.example" not in again.content.decode()
    assert client.get("/datasets/", HTTP_HOST="b.example", HTTP_IF_NONE_MATCH=a["ETag"]).status_code == 200
    assert cache_entries() == 2


def test_with_site_url_every_host_shares_one_key(client, tmp_path, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    settings.SITE_URL = "https://culture.data.gouv.fr"
    load(tmp_path, "Musées de France")
    a = client.get("/datasets/", HTTP_HOST="a.example")
    b = client.get("/datasets/", HTTP_HOST="b.example")
    assert a["ETag"] == b["ETag"]
    assert '<link rel="canonical" href="https://culture.data.gouv.fr/datasets/">' in b.content.decode()
    assert cache_entries() == 1


@pytest.mark.parametrize("fragment_first", [True, False])
def test_htmx_fragment_and_full_page_are_never_mixed(client, tmp_path, fragment_first):
    load(tmp_path, "Musées de France")
    page_headers = [{}, {"HX-Request": "true", "HX-History-Restore-Request": "true"}]
    fragment_headers = [{"HX-Request": "true"}, {"HX-Request": "true", "HX-Target": "results", "HX-Boosted": "true"},
                        {"HX-Request": "true", "HX-History-Restore-Request": "false"}]  # fmt: skip
    order = [*fragment_headers, *page_headers] if fragment_first else [*page_headers, *fragment_headers]
    answers = {}
    for headers in order * 2:  # the second time round, everything comes from the cache
        for url in ("/datasets/?q=musees", "/organisations/"):
            html = client.get(url, headers=headers).content.decode()
            fragment = headers in fragment_headers
            assert ("<html" in html) != fragment, (url, headers)
            assert ('hx-swap-oob="innerHTML"' in html) == fragment, (url, headers)  # out-of-band updates: fragments
            answers.setdefault((url, fragment), set()).add(html)
    assert all(len(htmls) == 1 for htmls in answers.values())  # a history restore gets the plain page
    page = client.get("/datasets/?q=musees")
    fragment = client.get("/datasets/?q=musees", headers={"HX-Request": "true", "If-None-Match": page["ETag"]})
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()


def vary(response) -> set[str]:
    return {name.strip().lower() for name in response["Vary"].split(",")}


@pytest.mark.parametrize("url", ["/", "/datasets/", "/datasets/musees/", "/organisations/"])
def test_vary_names_the_headers_that_change_the_answer(client, tmp_path, settings, url):
    load(tmp_path, "Musées de France")
    settings.SITE_URL = ""
    first = client.get(url)
    assert vary(first) == {"hx-request", "hx-history-restore-request", "host"}
    assert vary(client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])) == vary(first)  # 304 too
    settings.SITE_URL = "https://culture.data.gouv.fr"  # the Host no longer changes anything
    again = client.get(url)
    assert vary(again) == {"hx-request", "hx-history-restore-request"}
    assert vary(client.get(url, HTTP_IF_NONE_MATCH=again["ETag"])) == vary(again)
