"""The example universe (culture_portal/universes/sport.toml) runs the whole site with no code change.

The sync command reads the sport topic from the fake data.gouv.fr over HTTP; then the pages, the feeds, the
sitemap, DCAT and the CSV show the sport universe's name, brand, categories and datasets, and nothing of culture.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace
from html import unescape

import pytest
from django.core.management import call_command

from catalog import universe
from tests.fakes.datagouv import StandinAPI
from tests.fakes.synthetic import SPORT, Catalogue

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Culture wording anywhere in a page, a feed or an export: « culture », « culturel(le)s », culture.data.gouv.fr,
# the ministry's name, its sites.
CULTURE = re.compile(r"cultur|ministère de la culture", re.IGNORECASE)


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def text(html: str) -> str:
    """What a reader sees (and hears: attributes such as placeholders stay out, the HTML is checked apart)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def no_culture(content: str, where: str) -> None:
    found = CULTURE.search(content)
    assert found is None, f"{where}: {content[max(0, found.start() - 80) : found.end() + 80]!r}"


@pytest.fixture
def sport(settings):
    """The site under UNIVERSE=sport, its catalogue synced by ``manage.py sync_catalog`` from the stand-in."""
    settings.UNIVERSE = universe.load("sport")
    settings.CATALOG_TOPIC = settings.UNIVERSE.main.topic
    catalogue = Catalogue(60, theme=SPORT)
    with StandinAPI(source=catalogue) as api:
        settings.DATAGOUV_URL = api.url
        out = io.StringIO()
        call_command("sync_catalog", "--full", stdout=out)
        assert api.errors == []
        topic_requests = {request.query.get("topic") for request in api.requests if request.path == "/api/1/datasets/"}
    assert topic_requests == {SPORT.topic_id}, topic_requests  # the universe's topic, and only it
    listed = [catalogue.dataset(index) for index in catalogue.listed()]
    archived = catalogue.total - len(listed)  # topic elements the listing leaves out, read one by one
    # « 60 datasets (sport 60): 60 new »: the section's count, then what the run did.
    assert archived and f"{catalogue.total} datasets (sport {catalogue.total}): {catalogue.total} new" in out.getvalue()
    assert f"{archived} archived" in out.getvalue()
    return listed


def test_the_example_universe_is_shipped_and_declares_another_theme():
    sport = universe.load("sport")
    assert sport.source == "culture_portal/universes/sport.toml"
    assert sport.main.topic == SPORT.topic_id  # the placeholder the stand-in serves
    # Its categories are the tags the stand-in's sport datasets carry.
    assert [category.tag for category in sport.main.categories] == list(SPORT.category_tags)
    no_culture(repr(replace(sport, source="")), "the universe")  # its values (it lives in culture_portal/)


def test_the_site_runs_under_the_example_universe_from_sync_to_exports(client, sport):
    listed = sport
    sport_universe = universe.load("sport")
    labels = {category.tag: category.label for category in sport_universe.main.categories}
    newest = listed[0]  # the listing is newest first (-last_update), as is the home page's
    organization = newest["organization"]
    assert organization is not None
    organization_datasets = [d for d in listed if (d["organization"] or {}).get("id") == organization["id"]]

    # Home: the universe's name, brand, landing text, categories (counted), the latest datasets.
    html = body(client.get("/"))
    page = text(html)
    assert "<title>sport.data.gouv.fr — les données publiques du sport</title>" in html
    assert '<p class="fr-header__service-title">sport.data.gouv.fr</p>' in html
    assert html.count('<p class="fr-logo">Ministère<br>des Sports, de la Jeunesse<br>et de la Vie associative</p>') == 2
    assert "<h1>Les données publiques du sport</h1>" in html
    counts = Counter(tag for d in listed for tag in set(d["tags"]) if tag in labels)
    assert len(counts) == len(labels)  # every category has datasets to show
    for tag, label in labels.items():
        count = counts[tag]
        assert f"{label} {count} jeu{'x' if count > 1 else ''} de données" in page
    assert "?category=licences-et-clubs" in html  # linked by its slug, counted by its tag
    assert newest["title"] in page
    assert 'placeholder="Rechercher un jeu de données (ex.&nbsp;: piscines)"' in html
    no_culture(html, "home")

    # The list, filtered by a category whose slug is not its tag: its datasets, and only them.
    members = [d for d in listed if "licences-sportives" in d["tags"]]
    others = [d for d in listed if "licences-sportives" not in d["tags"]]
    html = body(client.get("/datasets/", {"category": "licences-et-clubs"}))
    page = text(html)
    assert f"{len(members)} jeux de données" in page
    assert all(d["title"] in page for d in members)
    assert not any(d["title"] in page for d in others)
    assert "Rechercher dans les jeux de données du sport" in page
    assert "Licences et clubs" in page
    no_culture(html, "list")

    # A dataset page: its title, its publisher, its categories by the universe's labels.
    html = body(client.get(f"/datasets/{newest['slug']}/"))
    page = text(html)
    assert newest["title"] in page and organization["name"] in page
    assert all(labels[tag] in page for tag in newest["tags"] if tag in labels)
    no_culture(html, "dataset page")

    # The publisher's page: its datasets of this catalogue.
    html = body(client.get(f"/organisations/{organization['slug']}/"))
    page = text(html)
    assert organization["name"] in page
    count = len(organization_datasets)
    assert f"{count} jeu{'x' if count > 1 else ''} de données du sport" in page
    no_culture(html, "organization page")

    # The Atom feed: its title, the datasets newest first.
    atom = body(client.get("/feeds/datasets.atom"))
    feed = ET.fromstring(atom)
    assert feed.find(f"{ATOM}title").text == "Jeux de données du sport — sport.data.gouv.fr"
    entries = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert entries == [d["title"] for d in listed][: len(entries)] and entries
    no_culture(atom, "Atom feed")

    # The sitemap: its files list the datasets' and the publishers' pages.
    index = ET.fromstring(body(client.get("/sitemap.xml")))
    locations = []
    for sitemap in index.findall(f"{SITEMAP}sitemap"):
        path = re.sub(r"^https?://[^/]+", "", sitemap.find(f"{SITEMAP}loc").text)
        xml = body(client.get(path))
        no_culture(xml, path)
        locations += [loc.text for loc in ET.fromstring(xml).iter(f"{SITEMAP}loc")]
    dataset_pages = {match[1] for loc in locations if (match := re.search(r"/datasets/([^/]+)/$", loc))}
    assert dataset_pages == {d["slug"] for d in listed}
    assert any(loc.endswith(f"/organisations/{organization['slug']}/") for loc in locations)

    # The CSV export: one row per dataset, the universe's category labels, a file named after the theme.
    response = client.get("/datasets.csv")
    assert response["Content-Disposition"] == 'attachment; filename="jeux-de-donnees-sport.csv"'
    rows = list(csv.reader(io.StringIO(body(response).lstrip("\ufeff"))))
    assert len(rows) - 1 == len(listed)
    assert {d["title"] for d in listed} <= {cell for row in rows[1:] for cell in row}
    assert any("Licences et clubs" in cell for row in rows[1:] for cell in row)
    no_culture("\n".join(",".join(row) for row in rows), "CSV")


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_the_dcat_catalogue_under_the_example_universe(client, sport):
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

    listed = sport
    jsonld = body(client.get("/catalogue.jsonld"))
    no_culture(jsonld, "DCAT JSON-LD")
    graph = Graph().parse(data=jsonld, format="json-ld")
    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert graph.value(catalog, DCTERMS.title) == Literal("sport.data.gouv.fr", lang="fr")
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert graph.value(publisher, FOAF.name) == Literal("Ministère des Sports, de la Jeunesse et de la Vie associative")
    assert graph.value(publisher, FOAF.homepage) == URIRef("https://www.sports.gouv.fr/")
    titles = {str(graph.value(dataset, DCTERMS.title)) for dataset in graph.objects(catalog, DCAT.dataset)}
    assert titles == {d["title"] for d in listed}
    schemes = list(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert [str(graph.value(scheme, DCTERMS.title)) for scheme in schemes] == ["Catégories du sport"]
    concepts = {str(graph.value(concept, SKOS.prefLabel)) for concept in graph.subjects(RDF.type, SKOS.Concept)}
    assert concepts == {category.label for category in universe.load("sport").main.categories}
