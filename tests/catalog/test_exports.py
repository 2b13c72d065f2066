"""Exports built once per catalogue version, served from files, bounded, and well-formed whatever the text.

CSV, DCAT-AP (JSON-LD and Turtle), sitemaps and Atom feeds: a second request costs no dataset query,
a new sync run rebuilds, ETag and Last-Modified answer 304, one build per key even when asked twice at
once, a 503 when every build slot is taken; characters XML 1.0 cannot hold never reach an XML output,
and no CSV cell starts a formula.
"""

import csv
import fcntl
import io
import threading
import time
import xml.etree.ElementTree as ET
from contextlib import ExitStack

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from rdflib import Graph
from rdflib.namespace import DCTERMS

from catalog.exports import store
from catalog.ingest.service import sync_catalog
from catalog.models import Dataset, DatasetText, License, Organization, Resource, SyncRun
from catalog.safe_text import FORMULA_STARTS
from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),  # rdflib's JSON-LD
]

MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")
URLS = {
    "csv": "/datasets.csv?q=mus%C3%A9es",
    "dcat-jsonld": "/catalogue.jsonld",
    "dcat-turtle": "/catalogue.ttl?page=1&page_size=10",
    "sitemap-index": "/sitemap.xml",
    "sitemap-datasets": "/sitemap-datasets.xml",
    "sitemap-organizations": "/sitemap-organizations.xml",
    "sitemap-pages": "/sitemap-pages.xml",
    "feed": "/feeds/datasets.atom",
    "feed-category": "/feeds/categories/musee.atom",
    "feed-organization": "/feeds/organisations/ministere-de-la-culture.atom",
}


def body(response) -> bytes:
    assert response.status_code == 200, (response.status_code, response.content if not response.streaming else "")
    return response.getvalue()


def catalogue_queries(queries) -> list[str]:
    """The queries that read the catalogue: everything but the catalogue version (the latest sync run)."""
    return [query["sql"] for query in queries if "catalog_syncrun" not in query["sql"]]


def load(tmp_path, title: str, slug: str = "musees") -> None:
    payloads.load(tmp_path, [dataset("a" * 24, title, slug=slug, tags=("musee",), org=MC)], [MC])


@pytest.fixture
def sample():
    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)


# Built once per catalogue version


@pytest.mark.parametrize("url", URLS.values(), ids=URLS.keys())
def test_a_second_request_reads_the_stored_export(client, sample, url):
    first = body(client.get(url))
    with CaptureQueriesContext(connection) as queries:
        again = body(client.get(url))
    assert catalogue_queries(queries) == []
    assert len(queries) <= 1  # the catalogue version
    assert again == first


def test_junk_parameters_share_one_csv_entry(client, sample):
    first = client.get("/datasets.csv", {"q": "musées", "category": "musee"})
    content = body(first)
    with CaptureQueriesContext(connection) as queries:
        junk = client.get(
            "/datasets.csv",
            {"category": "musee", "q": " musées ", "utm_source": "x", "page": "3", "sort": "pertinence",
             "organization": "<<pas un identifiant>>", "format": "", "zz": "\x00"},
        )  # fmt: skip
        assert body(junk) == content
    assert catalogue_queries(queries) == []
    assert junk["ETag"] == first["ETag"]
    assert len(list(settings.EXPORT_CACHE_DIR.glob("v*/csv-*"))) == 1
    # A different search is a different export.
    assert body(client.get("/datasets.csv", {"q": "musées"})) != content
    assert len(list(settings.EXPORT_CACHE_DIR.glob("v*/csv-*"))) == 2


@pytest.mark.parametrize("url", URLS.values(), ids=URLS.keys())
def test_a_new_catalogue_version_rebuilds(client, tmp_path, url):
    load(tmp_path, "Musées de France", slug="musees")
    before = client.get(url)
    body(before)
    load(tmp_path, "Monuments historiques", slug="monuments")
    with CaptureQueriesContext(connection) as queries:
        after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
        new = body(after)
    if url != "/sitemap-pages.xml":  # the only export that reads no more than the sync runs
        assert catalogue_queries(queries) != []  # built again
    assert after["ETag"] != before["ETag"]
    if url.startswith(("/datasets.csv", "/catalogue", "/feeds")):
        assert b"Monuments historiques" in new and "Musées de France".encode() not in new
    elif url == "/sitemap-datasets.xml":
        assert b"/datasets/monuments/" in new and b"/musees/" not in new
    # Only the current version's files are kept.
    run = SyncRun.objects.exclude(status=SyncRun.Status.RUNNING).latest("pk")
    current = f"v{run.pk}-{int(run.finished_at.timestamp() * 1e6)}"
    assert [folder.name for folder in settings.EXPORT_CACHE_DIR.glob("v*")] == [current]
    assert len(list((settings.EXPORT_CACHE_DIR / current).iterdir())) == 1


@pytest.mark.parametrize("url", URLS.values(), ids=URLS.keys())
def test_each_export_answers_not_modified(client, sample, url):
    first = client.get(url)
    body(first)
    assert first["ETag"].startswith('"v') and first["Last-Modified"]
    assert "must-revalidate" in first["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert catalogue_queries(queries) == []
    for response in (by_etag, by_date):
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == first["ETag"]


def test_feeds_and_sitemaps_use_the_site_url_not_the_host(client, sample, settings):
    settings.SITE_URL = "https://culture.data.gouv.fr"
    settings.ALLOWED_HOSTS = ["other.example", "testserver"]
    for url in ("/feeds/datasets.atom", "/feeds/categories/musee.atom", "/sitemap.xml", "/sitemap-datasets.xml"):
        content = body(client.get(url, HTTP_HOST="other.example"))
        assert b"https://culture.data.gouv.fr/" in content and b"other.example" not in content, url


def test_each_host_has_its_own_exports_without_a_site_url(client, sample, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["mirror.example", "testserver"]
    for url in ("/sitemap.xml", "/feeds/datasets.atom", "/catalogue.ttl"):
        mirror = body(client.get(url, HTTP_HOST="mirror.example"))
        here = body(client.get(url))
        assert b"http://mirror.example/" in mirror and b"mirror.example" not in here, url


def test_export_headers_stay(client, sample):
    response = client.get("/datasets.csv")
    body(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="jeux-de-donnees-culture.csv"'
    for url in ("/catalogue.jsonld", "/catalogue.ttl", "/sitemap.xml", "/feeds/datasets.atom"):
        response = client.get(url)
        body(response)
        assert "Content-Disposition" not in response, url
    assert client.get("/sitemap-datasets.xml?p=2").status_code == 404
    assert client.get("/sitemap-datasets.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_oldest_exports_go_beyond_the_cap(client, sample, settings):
    settings.EXPORT_CACHE_MAX_FILES = 2
    for query in ("musées", "archives", "cinéma"):
        body(client.get("/datasets.csv", {"q": query}))
        time.sleep(0.01)  # distinct modification times
    assert len(list(settings.EXPORT_CACHE_DIR.glob("v*/*"))) == 2
    with CaptureQueriesContext(connection) as queries:
        body(client.get("/datasets.csv", {"q": "cinéma"}))  # the newest stayed
    assert catalogue_queries(queries) == []
    with CaptureQueriesContext(connection) as queries:
        body(client.get("/datasets.csv", {"q": "musées"}))  # the oldest went: built again
    assert catalogue_queries(queries) != []


def test_an_export_over_the_size_cap_is_still_served(client, sample, settings):
    settings.EXPORT_CACHE_MAX_MB = 0.001
    content = body(client.get("/catalogue.ttl"))
    assert len(content) > 1024 and content.startswith(b"@prefix")
    assert list(settings.EXPORT_CACHE_DIR.glob("v*/*")) == []


# One build per key, a bounded number of builds


def entry(tmp_path, name="concurrent") -> store.Entry:
    return store.Entry(path=tmp_path / "exports" / "v1-0" / f"{name}.txt", etag='"x"', last_modified=None,
                         digest="ab" * 16)  # fmt: skip


def test_two_concurrent_builders_of_one_key_build_once(tmp_path, settings):
    builds, results, errors = [], [], []

    def write(out):
        builds.append(threading.get_ident())
        time.sleep(0.3)  # long enough for the other thread to arrive
        out.write("contenu é\n" * 1000)

    def request():
        try:
            with store.build(entry(tmp_path), write, wait=5) as handle:  # the second waits for the first's file
                results.append(handle.read())
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(builds) == 1
    assert results == ["contenu é\n".encode() * 1000] * 2


def test_a_build_without_a_wait_gives_up_at_once_when_the_same_export_is_being_built(tmp_path, settings):
    started, outcome = threading.Event(), []

    def write(out):
        started.set()
        time.sleep(1.0)
        out.write("contenu\n")

    first = threading.Thread(target=lambda: outcome.append(store.build(entry(tmp_path), write).read()))
    first.start()
    started.wait(5)
    begun = time.monotonic()
    with pytest.raises(store.ExportBusy):
        store.build(entry(tmp_path), write)
    assert time.monotonic() - begun < 0.5
    first.join()
    assert outcome == [b"contenu\n"]


def hold_slots(stack: ExitStack, kind: str, count: int) -> None:
    folder = settings.EXPORT_CACHE_DIR / kind
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        handle = stack.enter_context(open(folder / f"{number}.lock", "a+b"))  # noqa: SIM115
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_beyond_the_waiters_a_request_gets_503_at_once(client, sample, settings):
    """A waiting request holds a worker: only EXPORT_WAITERS of them wait, the next ones are told to come back."""
    assert settings.EXPORT_WAITERS == 1 and settings.EXPORT_WAIT_SECONDS == 5  # the defaults
    with ExitStack() as stack:
        hold_slots(stack, "slots", settings.EXPORT_CONCURRENCY)  # a build runs elsewhere
        hold_slots(stack, "waiters", settings.EXPORT_WAITERS)  # and someone already waits
        begun = time.monotonic()
        response = client.get("/datasets.csv")
        assert time.monotonic() - begun < 4  # not the 5 s a waiter may wait (slack for a busy machine)
        assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert body(client.get("/datasets.csv")).startswith(b"titre,")


def hold_every_slot(stack: ExitStack) -> None:
    hold_slots(stack, "slots", settings.EXPORT_CONCURRENCY)


def test_every_build_slot_taken_gives_503_but_built_exports_are_served(client, sample, settings):
    settings.EXPORT_WAIT_SECONDS = 0.3
    built = body(client.get("/catalogue.ttl"))
    with ExitStack() as stack:
        hold_every_slot(stack)
        started = time.monotonic()
        response = client.get("/datasets.csv")
        assert time.monotonic() - started >= 0.3  # it waited for a slot first
        assert response.status_code == 503
        assert int(response["Retry-After"]) > 0
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert "Réessayez" in response.content.decode()
        dcat = client.get("/catalogue.jsonld")
        assert dcat.status_code == 503 and dcat["Access-Control-Allow-Origin"] == "*"
        assert body(client.get("/catalogue.ttl")) == built  # no slot needed to serve
    assert body(client.get("/datasets.csv")).startswith(b"titre,")


def test_a_build_waits_for_a_slot_that_frees(client, sample, settings):
    settings.EXPORT_WAIT_SECONDS = 5
    stack = ExitStack()
    hold_every_slot(stack)
    threading.Timer(0.3, stack.close).start()
    assert body(client.get("/datasets.csv")).startswith(b"titre,")


# Well-formed whatever the publisher wrote

MARK = "\u2063"  # stored in the database, replaced as rows are read: NUL and lone surrogates cannot be stored
HOSTILE = "Titre \ufffe\uffff" + "".join(map(chr, range(0x20))) + "\ud800 fin \udfff"
CLEAN = "Titre \t\n\r fin "  # what XML 1.0 can hold of it


@pytest.fixture
def hostile_rows(monkeypatch):
    """Each model instance read from the database carries HOSTILE where MARK was stored."""
    for model in (Dataset, DatasetText, Organization, License):
        original = model.from_db.__func__

        def from_db(cls, db, field_names, values, original=original):
            values = [value.replace(MARK, HOSTILE) if isinstance(value, str) else value for value in values]
            return original(cls, db, field_names, values)

        monkeypatch.setattr(model, "from_db", classmethod(from_db))


@pytest.fixture
def hostile(sample, hostile_rows):
    Dataset.objects.update(title=MARK, description_short=MARK, owner_name=MARK)
    DatasetText.objects.update(description=MARK)
    Organization.objects.update(name=MARK)
    for license in License.objects.all():  # the label of a code we do not know is the licence's title
        License.objects.filter(pk=license.pk).update(code=f"inconnue-{license.pk}", title=MARK)


XML_URLS = ["/feeds/datasets.atom", "/feeds/categories/musee.atom",
            "/feeds/organisations/ministere-de-la-culture.atom", "/sitemap.xml", "/sitemap-datasets.xml",
            "/sitemap-organizations.xml", "/sitemap-pages.xml", "/opensearch.xml"]  # fmt: skip


def strict_xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # expat: XML 1.0, refuses every character it cannot hold


@pytest.mark.parametrize("url", XML_URLS[:3])
def test_feeds_are_well_formed_whatever_the_text(client, hostile, url):
    feed = strict_xml(body(client.get(url)))
    titles = [
        entry.findtext("{http://www.w3.org/2005/Atom}title")
        for entry in feed.findall("{http://www.w3.org/2005/Atom}entry")
    ]
    assert titles and all(title.replace("\n", "\r") == CLEAN.replace("\n", "\r") for title in titles), titles


@pytest.mark.parametrize("url", ["/catalogue.jsonld", "/catalogue.ttl"])
def test_dcat_is_parseable_and_xml_safe_whatever_the_text(client, hostile, url):
    graph = Graph().parse(data=body(client.get(url)).decode(), format="json-ld" if "jsonld" in url else "turtle")
    titles = {str(title) for title in graph.objects(None, DCTERMS.title)}
    assert CLEAN in titles
    strict_xml(graph.serialize(format="xml").encode())  # what harvesters convert it to


@pytest.mark.parametrize("url", [*XML_URLS, "/catalogue.jsonld", "/catalogue.ttl"])
def test_xml_outputs_are_well_formed_with_any_site_root(client, sample, settings, url):
    settings.SITE_URL = "https://culture\x01\ufffe.example"  # a misconfigured SITE_URL, say
    content = body(client.get(url))
    if url.startswith("/catalogue"):
        graph = Graph().parse(data=content.decode(), format="json-ld" if "jsonld" in url else "turtle")
        strict_xml(graph.serialize(format="xml").encode())
    else:
        strict_xml(content)
    assert b"https://culture.example/" in content


def test_every_csv_cell_is_neutralised(client, sample, hostile_rows):
    Dataset.objects.update(title="=HYPERLINK(1)", page="@SUM(1)", formats=" -2+3 csv ", owner_name="+1")
    Dataset.objects.update(remote_id=Concat(Value("=1+"), "remote_id"))  # unique, and a formula
    Resource.objects.update(download_url="-2+3")
    Organization.objects.update(name="\tcmd")
    for license in License.objects.all():
        License.objects.filter(pk=license.pk).update(code=f"inconnue-{license.pk}", title="\rcmd")
    Dataset.objects.filter(pk=Dataset.objects.order_by("pk").first().pk).update(title=MARK)
    rows = list(csv.reader(io.StringIO(body(client.get("/datasets.csv")).decode(), newline="")))
    assert len(rows) > 10
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), row
            assert "\x00" not in cell and "\ufffe" not in cell, row
        title, publisher, page, licence, _, formats, _, identifier, files = row  # date, categories: ours
        assert identifier.startswith("'=1+")
        assert files == "" or files.startswith("'-2+3")
        assert title in ("'=HYPERLINK(1)", CLEAN)
        assert publisher in ("'\tcmd", "'+1")
        assert (page, formats) == ("'@SUM(1)", "'-2+3 csv")
        assert licence in ("'\rcmd", "")
