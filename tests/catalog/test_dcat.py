"""The DCAT-AP catalogue: valid JSON-LD and Turtle holding the same graph, complete, paged, robust to hostile text."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from catalog.exports import dcat
from catalog.ingest.service import sync_catalog
from catalog.models import Dataset, DatasetText, License, Organization, Resource, Tag
from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization

pytestmark = [
    pytest.mark.django_db,
    # rdflib's own JSON-LD parser still builds a ConjunctiveGraph (its warning, not ours).
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
JSONLD = "/catalogue.jsonld"
TURTLE = "/catalogue.ttl"
CATALOG = URIRef("http://testserver/catalogue.jsonld")
EDUC = URIRef("http://publications.europa.eu/resource/authority/data-theme/EDUC")
MUSEES = "56d6c34dca249300ef8ef0db"  # "Fréquentation des musées de France" in the sample catalogue


@pytest.fixture
def sample():
    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content).decode("utf-8")


def parse(response, url: str) -> Graph:
    kind = "json-ld" if urlsplit(url).path == JSONLD else "turtle"
    return Graph().parse(data=body(response), format=kind)


def fetch(client, url: str, **params) -> Graph:
    return parse(client.get(url, params), url)


def as_jsonld_links(graph: Graph) -> Graph:
    """The Turtle graph with its page links pointing to the JSON-LD pages (the only triples that differ)."""
    renamed = Graph()
    for triple in graph:
        renamed.add(tuple(
            URIRef(str(term).replace("/catalogue.ttl", JSONLD)) if isinstance(term, URIRef) else term
            for term in triple
        ))  # fmt: skip
    return renamed


def datasets_of(graph: Graph) -> set:
    return set(graph.subjects(RDF.type, DCAT.Dataset))


def literal(graph: Graph, subject, predicate) -> Literal:
    (value,) = graph.objects(subject, predicate)
    return value


# Both formats, one graph


def test_jsonld_and_turtle_hold_the_same_graph(client, sample):
    jsonld, turtle = fetch(client, JSONLD), fetch(client, TURTLE)
    assert len(jsonld) > 1000
    assert isomorphic(jsonld, as_jsonld_links(turtle))


def test_documents_are_served_as_json_ld_and_turtle_to_any_origin(client, sample):
    for url, content_type in ((JSONLD, "application/ld+json; charset=utf-8"), (TURTLE, "text/turtle; charset=utf-8")):
        response = client.get(url)
        assert response.streaming
        assert response["Content-Type"] == content_type
        assert response["Access-Control-Allow-Origin"] == "*"
        body(response)
        # catalog_page caches pages under their ETag; a streamed response must never be stored.
        assert cache.get("page:" + response["ETag"].strip('"')) is None


def test_unchanged_catalogue_answers_not_modified(client, sample):
    response = client.get(JSONLD)
    body(response)
    etag = response["ETag"]
    again = client.get(JSONLD, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"
    body(client.get(TURTLE, headers={"If-None-Match": etag}))  # 200: each URL has its own ETag
    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)  # a new catalogue version
    body(client.get(JSONLD, headers={"If-None-Match": etag}))  # 200


# DCAT-AP content


def test_catalog_has_its_mandatory_and_recommended_properties(client, sample):
    graph = fetch(client, JSONLD)
    assert set(graph.subjects(RDF.type, DCAT.Catalog)) == {CATALOG}
    assert literal(graph, CATALOG, DCTERMS.title) == Literal("culture.data.gouv.fr", lang="fr")
    assert literal(graph, CATALOG, DCTERMS.description).language == "fr"
    publisher = literal(graph, CATALOG, DCTERMS.publisher)
    assert literal(graph, publisher, FOAF.name) == Literal("Ministère de la Culture")
    assert literal(graph, CATALOG, FOAF.homepage) == URIRef("http://testserver/")
    assert literal(graph, CATALOG, DCTERMS.language) == URIRef(
        "http://publications.europa.eu/resource/authority/language/FRA"
    )
    assert literal(graph, CATALOG, DCTERMS.modified).datatype == XSD.dateTime
    assert set(graph.objects(CATALOG, DCAT.dataset)) == datasets_of(graph)


def test_every_published_dataset_and_file_is_described(client, sample):
    graph = fetch(client, TURTLE)
    published = Dataset.objects.published().in_section("explorer")  # the catalogue is Explorer's
    assert len(datasets_of(graph)) == published.count() == 42  # the sample's 43 Explorer datasets, one archived
    for subject in datasets_of(graph):
        for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.identifier, DCTERMS.publisher):
            assert literal(graph, subject, predicate), (subject, predicate)
        assert literal(graph, literal(graph, subject, DCTERMS.publisher), FOAF.name)
        assert EDUC in set(graph.objects(subject, DCAT.theme))
    without_files = {URIRef(page) for page in published.filter(resource_count=0).values_list("page", flat=True)}
    assert without_files and all(not list(graph.objects(s, DCAT.distribution)) for s in without_files)
    assert all(list(graph.objects(s, DCAT.distribution)) for s in datasets_of(graph) - without_files)

    distributions = set(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == Resource.objects.filter(dataset__in=published).count()
    assert distributions == set(graph.objects(None, DCAT.distribution))
    for distribution in distributions:
        assert str(literal(graph, distribution, DCAT.accessURL)).startswith(("https://", "http://"))


def test_known_dataset_comes_through(client, sample):
    graph = fetch(client, JSONLD)
    stored = Dataset.objects.get(remote_id=MUSEES)
    subject = URIRef(stored.page)
    assert literal(graph, subject, DCTERMS.identifier) == Literal(MUSEES)
    assert literal(graph, subject, DCTERMS.title) == Literal(stored.title, lang="fr")
    assert literal(graph, subject, DCTERMS.description) == Literal(stored.text.description, lang="fr")
    assert literal(graph, subject, DCAT.landingPage) == subject
    assert {str(tag) for tag in graph.objects(subject, DCAT.keyword)} == {tag.name for tag in stored.tags.all()}
    assert "musee" in {str(tag) for tag in graph.objects(subject, DCAT.keyword)}
    assert set(graph.objects(subject, DCAT.theme)) == {EDUC, URIRef("http://testserver/datasets/?category=musee")}
    assert literal(graph, URIRef("http://testserver/datasets/?category=musee"), SKOS.prefLabel) == Literal(
        "Musées", lang="fr"
    )
    licence = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")
    assert literal(graph, subject, DCTERMS.license) == licence
    assert (licence, RDF.type, DCTERMS.LicenseDocument) in graph
    publisher = literal(graph, subject, DCTERMS.publisher)
    assert publisher == URIRef("https://www.data.gouv.fr/organizations/ministere-de-la-culture")
    assert literal(graph, publisher, FOAF.name) == Literal("Ministère de la Culture")
    assert literal(graph, subject, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
    )
    period = literal(graph, subject, DCTERMS.temporal)
    assert literal(graph, period, DCAT.startDate) == Literal("2008-01-01", datatype=XSD.date)
    assert literal(graph, period, DCAT.endDate) == Literal("2025-12-31", datatype=XSD.date)
    assert literal(graph, subject, DCTERMS.issued).datatype == XSD.dateTime

    distributions = list(graph.objects(subject, DCAT.distribution))
    assert len(distributions) == stored.resources.count() == 26
    first = stored.resources.filter(format="csv").order_by("position").first()
    (distribution,) = graph.subjects(DCAT.accessURL, URIRef(first.url))
    assert distribution == URIRef(f"{stored.page}#resource-{first.remote_id}")
    assert literal(graph, distribution, DCAT.byteSize) == Literal(str(first.filesize), datatype=XSD.nonNegativeInteger)
    assert literal(graph, distribution, DCTERMS.title) == Literal(first.title, lang="fr")
    assert literal(graph, distribution, DCTERMS.license) == licence
    assert str(literal(graph, distribution, DCAT.downloadURL)).startswith("https://")
    csv = URIRef("http://publications.europa.eu/resource/authority/file-type/CSV")
    assert literal(graph, distribution, DCTERMS["format"]) == csv
    assert literal(graph, distribution, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/text/csv"
    )


def test_individual_publishers_and_unknown_licences(client, sample):
    graph = fetch(client, JSONLD)
    owned = Dataset.objects.get(organization__isnull=True, withdrawn_at__isnull=True)
    publisher = literal(graph, URIRef(owned.page), DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Person) in graph
    assert literal(graph, publisher, FOAF.name) == Literal(owned.owner_name)
    assert not list(graph.objects(URIRef(owned.page), DCTERMS.license))  # "notspecified" has no URL


# Hostile publisher text

NASTY = 'Il a dit """oui""" et "non" \\ fin\nligne 2\r\n\t<script>alert(1)</script> a > b \x0b\x1f\x7f 🎭 é'
NASTY_TAG = 'tag "q" \\ <b>\n🎭'


@pytest.fixture
def hostile(sample):
    stored = Dataset.objects.get(remote_id=MUSEES)
    Dataset.objects.filter(pk=stored.pk).update(title=NASTY, page="javascript:alert(1)")
    DatasetText.objects.filter(dataset=stored).update(description=NASTY * 2)
    stored.tags.add(Tag.objects.create(name=NASTY_TAG))
    Dataset.objects.filter(pk=stored.pk).update(tag_names=sorted([*stored.tag_names, NASTY_TAG]))
    Organization.objects.filter(pk=stored.organization_id).update(name=NASTY, page='https://x.org/"><script>')
    License.objects.filter(code="lov2").update(url="https://example.org/lic ence<1>")
    first, second, third, fourth = stored.resources.order_by("position")[:4]
    Resource.objects.filter(pk=first.pk).update(url="javascript:alert(1)", download_url="", title=NASTY)
    Resource.objects.filter(pk=second.pk).update(url="http://exa mple.org/a b<c>", download_url="")
    Resource.objects.filter(pk=third.pk).update(url='http://example.org/a b<c>{d}|e^f`g\\h"i\x01', mime="<x>/y")
    Resource.objects.filter(pk=fourth.pk).update(remote_id='id "with" <odd> chars', format="bizarre")
    return Dataset.objects.get(pk=stored.pk)


@pytest.mark.parametrize("url", [JSONLD, TURTLE])
def test_hostile_text_round_trips_in_both_documents(client, hostile, url):
    graph = fetch(client, url)
    subject = URIRef(f"http://testserver/datasets/{hostile.slug}/")  # its data.gouv.fr page is not a URL
    clean = NASTY.replace("\x0b", "").replace("\x1f", "")  # characters XML 1.0 cannot hold are dropped
    assert literal(graph, subject, DCTERMS.title) == Literal(clean, lang="fr")
    assert literal(graph, subject, DCTERMS.description) == Literal(clean * 2, lang="fr")
    assert Literal(NASTY_TAG) in set(graph.objects(subject, DCAT.keyword))
    assert not list(graph.objects(subject, DCAT.landingPage))
    publisher = literal(graph, subject, DCTERMS.publisher)
    assert literal(graph, publisher, FOAF.name) == Literal(clean)
    assert publisher == URIRef("https://x.org/%22%3E%3Cscript%3E")
    licence = URIRef("https://example.org/lic%20ence%3C1%3E")
    assert literal(graph, subject, DCTERMS.license) == licence

    access = {str(literal(graph, d, DCAT.accessURL)) for d in graph.objects(subject, DCAT.distribution)}
    assert str(subject) in access  # the javascript: and the broken-host URLs fall back to the dataset's page
    assert "http://example.org/a%20b%3Cc%3E%7Bd%7D%7Ce%5Ef%60g%5Ch%22i%01" in access
    assert not any("javascript" in value or "exa mple" in value for value in access)
    (odd_media,) = graph.subjects(
        DCAT.accessURL, URIRef("http://example.org/a%20b%3Cc%3E%7Bd%7D%7Ce%5Ef%60g%5Ch%22i%01")
    )
    assert not list(graph.objects(odd_media, DCAT.mediaType))  # "<x>/y" is no media type
    assert Literal("bizarre") in set(graph.objects(None, DCTERMS["format"]))
    odd = URIRef(f"{subject}#resource-id%20%22with%22%20%3Codd%3E%20chars")
    assert (subject, DCAT.distribution, odd) in graph


def test_hostile_documents_still_hold_the_same_graph(client, hostile):
    assert isomorphic(fetch(client, JSONLD), as_jsonld_links(fetch(client, TURTLE)))


def test_turtle_strings_escape_every_control_character():
    value = "".join(map(chr, range(0x00, 0xA0))) + '"""\\"' + "\u2028\U0001f3ad"
    document = f"<http://example.org/s> <http://example.org/p> {dcat.turtle_string(value)} ."
    assert "\n" not in dcat.turtle_string(value)
    (parsed,) = Graph().parse(data=document, format="turtle").objects()
    assert str(parsed) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.data.gouv.fr/datasets/x", "https://www.data.gouv.fr/datasets/x"),
        ("HTTP://Example.org/a b", "http://Example.org/a%20b"),
        ("https://example.org/é?q=<1>#f", "https://example.org/é?q=%3C1%3E#f"),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("ftp://example.org/file", None),
        ("//example.org/x", None),
        ("http://", None),
        ("http:///path", None),
        ("http://:80/", None),
        ("http://exa mple.org/", None),
        ('http://ex"ample.org/', None),
        ("", None),
        (None, None),
    ],
)
def test_iri_accepts_only_absolute_http_urls(value, expected):
    assert dcat.iri(value) == expected


# Paging


def follow(client, url: str, **params) -> tuple[list, list[Graph]]:
    """Every page from ``url`` on, following hydra:next; the datasets met, in order."""
    seen, pages = [], []
    next_url = client.get(url, params)
    current = url + "?" + "&".join(f"{key}={value}" for key, value in params.items())
    while True:
        graph = parse(next_url, current)
        pages.append(graph)
        (view,) = graph.subjects(RDF.type, HYDRA.PartialCollectionView)
        assert str(view) == "http://testserver" + current
        seen += sorted(datasets_of(graph))
        following = list(graph.objects(view, HYDRA.next))
        if not following:
            return seen, pages
        current = str(following[0]).removeprefix("http://testserver")
        next_url = client.get(current)


@pytest.mark.parametrize("url", [JSONLD, TURTLE])
def test_following_next_visits_every_dataset_once(client, sample, url):
    seen, pages = follow(client, url, page=1, page_size=8)
    assert len(seen) == len(set(seen)) == 42
    explorer = Dataset.objects.published().in_section("explorer")
    assert {str(s) for s in seen} == set(explorer.values_list("page", flat=True))
    assert len(pages) == 6  # 42 datasets, 8 a page: the last one holds 2
    first, last = pages[0], pages[-1]
    (view,) = first.subjects(RDF.type, HYDRA.PartialCollectionView)
    assert literal(first, view, HYDRA.totalItems) == Literal(42)
    assert literal(first, view, HYDRA.itemsPerPage) == Literal(8)
    assert not list(first.objects(view, HYDRA.previous))
    assert parse_qs(urlsplit(literal(first, view, HYDRA.last)).query) == {"page": ["6"], "page_size": ["8"]}
    (last_view,) = last.subjects(RDF.type, HYDRA.PartialCollectionView)
    assert str(literal(last, last_view, HYDRA.previous)).endswith("?page=5&page_size=8")
    assert len(datasets_of(last)) == 2


def test_default_page_size_links_without_page_size(client, sample):
    graph = fetch(client, JSONLD)
    (view,) = graph.subjects(RDF.type, HYDRA.PartialCollectionView)
    assert view == URIRef("http://testserver/catalogue.jsonld?page=1")
    assert literal(graph, view, HYDRA.itemsPerPage) == Literal(dcat.PAGE_SIZE)
    assert literal(graph, view, HYDRA.last) == view
    assert (CATALOG, HYDRA.view, view) in graph


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=0", "page=-1", "page=99999", "page=2", "page=1.5", "page=%EF%BC%91", "page=1_0",
     "page=99999999999999999999", "page_size=-1", "page_size=0", "page_size=1001", "page_size=abc", "page_size="],
)  # fmt: skip
@pytest.mark.parametrize("url", [JSONLD, TURTLE])
def test_bad_paging_parameters_are_refused(client, sample, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code in (400, 404)
    assert response["Access-Control-Allow-Origin"] == "*"


def test_page_queries_do_not_grow_with_the_page(client, sample):
    counts = []
    for size in (2, 40):
        with CaptureQueriesContext(connection) as queries:
            body(client.get(JSONLD, {"page_size": size}))
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12


# What is left out


def test_withdrawn_and_archived_datasets_are_left_out(client, tmp_path, sample_licenses):
    org = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="mc")
    kept = dataset("a" * 24, "Gardé", slug="garde", org=org)
    gone = dataset("b" * 24, "Retiré", slug="retire", org=org)
    archived = dataset("c" * 24, "Archivé", slug="archive", org=org, archived="2025-01-01T00:00:00+00:00")
    payloads.load(tmp_path, [kept, gone, archived], [org], sample_licenses)
    payloads.load(tmp_path, [kept, archived], [org], sample_licenses)
    assert Dataset.objects.get(remote_id="b" * 24).withdrawn_at is not None
    for url in (JSONLD, TURTLE):
        graph = fetch(client, url)
        assert datasets_of(graph) == {URIRef("https://www.data.gouv.fr/datasets/garde")}
        (view,) = graph.subjects(RDF.type, HYDRA.PartialCollectionView)
        assert literal(graph, view, HYDRA.totalItems) == Literal(1)


def test_empty_catalogue_is_one_empty_page(client):
    for url in (JSONLD, TURTLE):
        graph = fetch(client, url)
        assert not datasets_of(graph)
        assert not list(graph.objects(CATALOG, DCTERMS.modified))  # no sync yet
        (view,) = graph.subjects(RDF.type, HYDRA.PartialCollectionView)
        assert literal(graph, view, HYDRA.totalItems) == Literal(0)
        assert not list(graph.objects(view, HYDRA.next))
        assert client.get(url, {"page": 2}).status_code == 404
