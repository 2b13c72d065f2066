"""Observer, the universe's second section, end to end: its list at /observer/ with its own facets (Thématique,
Sous-thématique) and counts, its CSV, DCAT and Atom exports under its prefix, its datasets' pages at /datasets/<slug>/,
the sitemap, the home page; Explorer's pages unchanged. The catalogue is synced from the HTTP stand-in of the API,
with datasets in one topic, the other, or both."""

import csv
import io
import json
import re
from dataclasses import replace
from html import unescape

import pytest
from django.test import RequestFactory
from django.urls import resolve
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT

from catalog import caching, forms
from catalog.exports import builder, store
from catalog.ingest.service import sync_catalog
from catalog.models import Dataset
from catalog.selectors import listing
from catalog.selectors.listing import DatasetFilters
from tests.catalog.test_sync import CNC, MC, client_for
from tests.fakes.datagouv import StandinAPI
from tests.fakes.memory import OBSERVER_TOPIC_ID, observer_topic
from tests.fakes.payloads import TOPIC, dataset

pytestmark = pytest.mark.django_db

OBSERVER = [OBSERVER_TOPIC_ID]
BOTH_TOPICS = [TOPIC, OBSERVER_TOPIC_ID]
MUSEES, MONUMENTS, BOTH, EMPLOI, POIDS, AUTEURS, PRATIQUES, VISITES = (f"{n:024x}" for n in range(1, 9))


def in_observer(remote_id, title, org, *tags, **fields):
    """A dataset of Observer's topic alone, with its tags."""
    return dataset(remote_id, title, org=org, _topics=OBSERVER, tags=tags, **fields)


def catalogue():
    return [
        dataset(MUSEES, "Musées de France", tags=("musee",), org=MC),
        # Explorer only, with an Observer theme's tag: Observer never counts it.
        dataset(MONUMENTS, "Monuments historiques", tags=("patrimoines", "monuments"), org=MC),
        dataset(BOTH, "Fréquentation des cinémas", org=CNC, _topics=BOTH_TOPICS,
                tags=("cinema", "medias-industries-culturelles")),
        in_observer(EMPLOI, "Emploi dans le spectacle et le cinéma", MC,
                    "formation-emploi-revenus", "emploi-culturel", "cinema", "spectacle-vivant", "intermittents"),
        in_observer(POIDS, "Poids économique de la culture", MC, "economie-culturelle", "poids-economique-direct"),
        in_observer(AUTEURS, "Revenus des artistes-auteurs", CNC,
                    "formation-emploi-revenus", "economie-culturelle", "artistes-auteurs"),
        in_observer(PRATIQUES, "Pratiques culturelles des Français", MC,
                    "pratiques-usages-consommations", "pratiques-culturelles",
                    archived="2025-01-01T00:00:00+00:00"),
        in_observer(VISITES, "Fréquentation des musées nationaux", CNC, "patrimoines", "musees"),
    ]  # fmt: skip


OBSERVER_SHOWN = {BOTH, EMPLOI, POIDS, AUTEURS, VISITES}  # PRATIQUES is archived
EXPLORER_SHOWN = {MUSEES, MONUMENTS, BOTH}


def sync_observer_catalogue(licenses) -> None:
    """``catalogue()`` synced from the API stand-in, Explorer's topic and Observer's (here and in the browser tests)."""
    server = StandinAPI(datasets=catalogue(), organizations=[MC, CNC], licenses=licenses, topic_id=TOPIC,
                        topics=[observer_topic()])  # fmt: skip
    with server, client_for(server) as client:
        sync_catalog(client=client, mode="full")
    assert server.errors == []


@pytest.fixture
def synced(sample_licenses):
    sync_observer_catalogue(sample_licenses)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def titles(ids) -> set[str]:
    return set(Dataset.objects.filter(remote_id__in=ids).values_list("title", flat=True))


def listed(response) -> list[str]:
    """The titles of the result cards, in order (a dataset twice would show twice)."""
    return [unescape(title) for title in re.findall(r'<a href="/datasets/[^"]+/"[^>]*>([^<]+)</a>',
                                                    response.content.decode())]  # fmt: skip


# --- The list page ------------------------------------------------------------------------------------------


def test_the_observer_list_shows_its_datasets_its_landing_text_and_its_facets(client, synced):
    response = client.get("/observer/")
    page = text(response)
    assert "Les statistiques de la culture" in page and "Département des études, de la prospective" in page
    assert sorted(listed(response)) == sorted(titles(OBSERVER_SHOWN))
    assert "5 jeux de données" in page
    for absent in ("Musées de France", "Monuments historiques", "Pratiques culturelles des Français"):
        assert absent not in page
    assert "Thématique" in page and "Sous-thématique" in page
    assert "Catégorie" not in page and "Format de fichier" not in page  # Explorer's facets are Explorer's
    assert "Formation, emploi et revenus 2" in page  # EMPLOI and AUTEURS
    assert "Inclure les jeux de données archivés 1" in page


def test_a_dataset_in_both_sections_is_listed_once_in_each(client, synced):
    for url, expected in (("/observer/", OBSERVER_SHOWN), ("/datasets/", EXPLORER_SHOWN)):
        shown = listed(client.get(url))
        assert shown.count("Fréquentation des cinémas") == 1, url
        assert sorted(shown) == sorted(titles(expected)), url
    assert Dataset.objects.filter(remote_id=BOTH).count() == 1


def test_several_themes_are_ored_and_the_facets_anded(client, synced):
    response = client.get("/observer/?thematique=patrimoines&thematique=economie-culturelle")
    assert sorted(listed(response)) == sorted(titles({POIDS, AUTEURS, VISITES}))
    html = response.content.decode()
    assert re.search(r'name="thematique" value="patrimoines" checked', html)
    assert re.search(r'name="thematique" value="economie-culturelle" checked', html)
    assert "Thématique\u00a0: Patrimoines" in unescape(html)  # a chip to remove it
    narrowed = client.get("/observer/?thematique=economie-culturelle&sous_thematique=artistes-auteurs")
    assert listed(narrowed) == ["Revenus des artistes-auteurs"]


def test_searching_observer_finds_only_observer_datasets(client, synced):
    response = client.get("/observer/?q=musées")
    assert listed(response) == ["Fréquentation des musées nationaux"]
    assert listed(client.get("/datasets/?q=musées")) == ["Musées de France"]


def test_the_section_comes_from_the_address_and_foreign_parameters_are_ignored(client, synced):
    plain = listed(client.get("/observer/"))
    for query in ("section=explorer", "category=cinema", "thematique=inconnue", "sort=nimporte", "page=-3"):
        assert listed(client.get(f"/observer/?{query}")) == plain, query
    # An Observer facet on Explorer's list means nothing there either.
    assert sorted(listed(client.get("/datasets/?thematique=patrimoines"))) == sorted(titles(EXPLORER_SHOWN))


def test_the_htmx_swap_returns_the_observer_fragment(client, synced):
    response = client.get("/observer/?thematique=patrimoines", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert listed(response) == ["Fréquentation des musées nationaux"]
    assert 'action="/observer/' in body  # the facets' forms stay on Observer


def test_the_observer_page_links_stay_on_observer_and_offer_its_exports(client, synced):
    html = client.get("/observer/?thematique=patrimoines&utm=x").content.decode()
    assert 'href="/observer/datasets.csv?thematique=patrimoines"' in html
    assert 'href="/observer/feed.atom"' in html
    assert 'href="/observer/catalogue.jsonld"' in html and 'href="/observer/catalogue.ttl"' in html
    assert "/datasets/?thematique" not in html and "utm" not in html
    assert 'class="fr-link fr-link--sm" href="/observer/">Effacer tous les filtres' in html


def test_empty_observer_results_offer_wider_searches_without_explorer_categories(client, synced):
    page = text(client.get("/observer/?q=zzzzyx&thematique=patrimoines"))
    assert "Aucun jeu de données ne correspond à votre recherche" in page
    assert "Parcourez les catégories" not in page


# --- Counts proven against real queries -------------------------------------------------------------------

CASES = [
    {},
    {"thematique": "economie-culturelle"},
    {"thematique": ["economie-culturelle", "patrimoines"]},
    {"thematique": ["economie-culturelle", "formation-emploi-revenus"], "sous_thematique": "artistes-auteurs"},
    {"sous_thematique": ["emploi-culturel", "musees"], "thematique": "formation-emploi-revenus"},
    {"query": "fréquentation"},
    {"query": "revenus emploi", "thematique": ["formation-emploi-revenus", "patrimoines"]},
    {"archived": True},
    {"archived": True, "thematique": "pratiques-usages-consommations"},
]


def observer_rows(filters: DatasetFilters) -> list[set[str]]:
    """The tags of each Observer dataset the filters' search and archive choice keep, read without the selectors."""
    rows = []
    for item in Dataset.objects.filter(withdrawn_at__isnull=True).prefetch_related("tags"):
        if " observer " not in item.section_ids or (item.archived_at and not filters.archived):
            continue
        rows.append((item.pk, {tag.name for tag in item.tags.all()}))
    if filters.query:
        found = set(listing._filtered(replace(filters, choices=())).values_list("pk", flat=True))
        rows = [row for row in rows if row[0] in found]
    return [tags for _, tags in rows]


def expected_count(filters: DatasetFilters, rows: list[set[str]], facet: str = "", value: str = "") -> int:
    """Datasets matching every facet (any of its values), ``facet`` given ``value`` alone instead of its own."""
    choices = dict(filters.choices) | ({facet: (value,)} if facet else {})
    return sum(1 for tags in rows if all(tags & set(values) for values in choices.values()))


@pytest.mark.parametrize("chosen", CASES, ids=repr)
def test_observer_counts_match_counting_each_option(synced, chosen):
    filters = listing.resolve(DatasetFilters.of(section="observer", **chosen))
    counts = listing.listing_counts(filters)
    rows = observer_rows(filters)
    assert counts.total == expected_count(filters, rows) == listing._filtered(filters).count()
    facets_shown = listing.dataset_facets(filters, counts.facets, as_of=counts.as_of)
    assert [facet.name for facet in facets_shown] == ["thematique", "sous_thematique"]
    checked = 0
    for facet in facets_shown:
        for option in facet.options:
            assert option.count == expected_count(filters, rows, facet.name, option.value), (facet.name, option)
            checked += 1
    assert checked >= 4


def test_the_observer_page_shows_the_counts_it_computed(client, synced):
    page = text(client.get("/observer/?thematique=economie-culturelle"))
    assert "2 jeux de données" in page
    # Disjunctive: the other themes count what they would add with this facet left free.
    assert "Patrimoines 1" in page and "Formation, emploi et revenus 2" in page
    assert "Économie du champ culturel 2" in page


# --- Exports ------------------------------------------------------------------------------------------------


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return response.getvalue()  # (not ``close()``: that ends the "request" and closes the test's connection)


def test_the_observer_csv_lists_its_search_results(client, synced):
    rows = list(csv.DictReader(io.StringIO(body(client.get("/observer/datasets.csv")).decode("utf-8-sig"))))
    assert {row["identifiant_data_gouv_fr"] for row in rows} == OBSERVER_SHOWN
    narrowed = body(client.get("/observer/datasets.csv?thematique=patrimoines")).decode("utf-8-sig")
    assert [row["titre"] for row in csv.DictReader(io.StringIO(narrowed))] == ["Fréquentation des musées nationaux"]
    explorer = body(client.get("/datasets.csv")).decode("utf-8-sig")
    assert {row["identifiant_data_gouv_fr"] for row in csv.DictReader(io.StringIO(explorer))} == EXPLORER_SHOWN
    response = client.get("/observer/datasets.csv")
    body(response)
    assert "observer" in response["Content-Disposition"]


def test_the_observer_dcat_catalogue_holds_its_datasets(client, synced):
    document = json.loads(body(client.get("/observer/catalogue.jsonld")))
    catalog = next(node for node in document["@graph"] if node.get("@type") == "dcat:Catalog")
    assert {node["dct:identifier"] for node in catalog["dcat:dataset"]} == OBSERVER_SHOWN
    assert catalog["@id"].endswith("/observer/catalogue.jsonld")
    assert "Les statistiques de la culture" in json.dumps(catalog, ensure_ascii=False)
    turtle = body(client.get("/observer/catalogue.ttl")).decode()
    assert all(remote_id in turtle for remote_id in OBSERVER_SHOWN) and MUSEES not in turtle
    explorer = body(client.get("/catalogue.jsonld")).decode()
    assert EMPLOI not in explorer and MUSEES in explorer


def test_the_observer_dcat_catalogue_files_its_datasets_under_its_themes(client, synced):
    graph = {node["@id"]: node for node in json.loads(body(client.get("/observer/catalogue.jsonld")))["@graph"]}
    catalog = next(node for node in graph.values() if node.get("@type") == "dcat:Catalog")
    emploi = next(node for node in catalog["dcat:dataset"] if node["dct:identifier"] == EMPLOI)
    themes = {theme["@id"] for theme in emploi["dcat:theme"]}
    concepts = {
        "http://testserver/observer/?thematique=formation-emploi-revenus": "Formation, emploi et revenus",
        "http://testserver/observer/?sous_thematique=emploi-culturel": "Emploi culturel",
        "http://testserver/observer/?sous_thematique=cinema": "Cinéma",
    }
    assert set(concepts) <= themes
    assert not [theme for theme in themes if "category=" in theme]  # Explorer's categories are not Observer's
    for concept, label in concepts.items():  # each described in the catalogue's scheme of themes
        assert graph[concept]["skos:prefLabel"] == {"@value": label, "@language": "fr"}
        assert graph[concept]["skos:inScheme"]["@id"].endswith("/observer/catalogue.jsonld#categories")
    turtle = Graph().parse(data=body(client.get("/observer/catalogue.ttl")), format="turtle")
    assert {str(theme) for theme in turtle.objects(URIRef(emploi["@id"]), DCAT.theme)} == themes  # the same in Turtle
    explorer = json.loads(body(client.get("/catalogue.jsonld")))["@graph"]
    catalog = next(node for node in explorer if node.get("@type") == "dcat:Catalog")
    both = next(node for node in catalog["dcat:dataset"] if node["dct:identifier"] == BOTH)
    assert "http://testserver/datasets/?category=cinema" in {theme["@id"] for theme in both["dcat:theme"]}


def test_the_observer_feed_has_its_entries(client, synced):
    feed = body(client.get("/observer/feed.atom")).decode()
    entries = set(re.findall(r"urn:datagouv:dataset:([0-9a-f]{24})", feed))
    assert entries == OBSERVER_SHOWN
    assert "<title>Jeux de données statistiques — culture.data.gouv.fr</title>" in feed
    assert 'href="http://testserver/observer/"' in feed
    main = set(re.findall(r"urn:datagouv:dataset:([0-9a-f]{24})", body(client.get("/feeds/datasets.atom")).decode()))
    assert main == EXPLORER_SHOWN


def test_export_views_of_observer_are_replayed_by_the_builder(synced, settings):
    for path in ("/observer/datasets.csv", "/observer/catalogue.jsonld", "/observer/catalogue.ttl",
                 "/observer/feed.atom"):  # fmt: skip
        match = resolve(path)
        assert match.kwargs == {"section": "observer"} and getattr(match.func, "export_view", False) is True, path
        token = store.building_here.set(True)
        try:
            status = builder.replay({"path": path, "query": "", "root": "http://testserver"})
        finally:
            store.building_here.reset(token)
        assert status == 200, path
    common = {job["path"] for job in builder.common_jobs("http://testserver")}
    assert {"/observer/datasets.csv", "/observer/feed.atom", "/observer/catalogue.jsonld"} <= common


def test_page_cache_keys_and_etags_differ_per_section(client, synced):
    factory = RequestFactory()
    keys = set()
    for path in ("/datasets/", "/observer/"):
        request = factory.get(path)
        request.resolver_match = resolve(path)
        keys.add(caching.page_key(request, forms.dataset_list_params))
    assert len(keys) == 2
    explorer, observer = client.get("/datasets/"), client.get("/observer/")
    assert explorer["ETag"] != observer["ETag"]
    # Served again (from the page cache): each address keeps its own page.
    assert listed(client.get("/observer/")) == listed(observer) != listed(client.get("/datasets/"))


# --- Dataset pages, sitemap, home -------------------------------------------------------------------------


def breadcrumb(response) -> str:
    html = response.content.decode()
    return unescape(re.search(r'<nav[^>]*class="fr-breadcrumb".*?</nav>', html, re.S).group(0))


def test_an_observer_only_dataset_page_leads_to_observer(client, synced):
    response = client.get(f"/datasets/{EMPLOI}/")
    crumbs = breadcrumb(response)
    assert 'href="/observer/"' in crumbs and "Jeux de données statistiques" in crumbs
    assert 'href="/datasets/"' not in crumbs
    page = text(response)
    assert "Présent dans Jeux de données statistiques" in page
    menu = response.content.decode()
    assert re.search(r'href="/observer/"\s*aria-current="page"\s*>Observer</a>', menu)
    assert not re.search(r'href="/datasets/"\s*aria-current="page"', menu)


def header_search(response) -> str:
    """Where the header's search form sends its words."""
    found = re.search(r'<form class="fr-search-bar" role="search" method="get" action="([^"]*)">\s*'
                      r'<label class="fr-label" for="header-search-input">', response.content.decode())  # fmt: skip
    assert found, "no header search"
    return found.group(1)


@pytest.mark.parametrize(
    "url, searched",
    [("/observer/", "/observer/"), (f"/datasets/{EMPLOI}/", "/observer/"), (f"/datasets/{BOTH}/", "/datasets/"),
     ("/datasets/", "/datasets/"), ("/", "/datasets/"), ("/a-propos/", "/datasets/")],
)  # fmt: skip
def test_the_header_search_searches_the_section_of_the_page(client, synced, url, searched):
    assert header_search(client.get(url)) == searched


def test_a_dataset_in_both_sections_leads_to_the_first_and_names_both(client, synced):
    response = client.get(f"/datasets/{BOTH}/")
    assert 'href="/datasets/"' in breadcrumb(response)
    assert "Présent dans Jeux de données Jeux de données statistiques" in text(response)
    html = response.content.decode()
    assert 'class="fr-tag fr-tag--sm" href="/observer/"' in html
    assert re.search(r'href="/datasets/"\s*aria-current="page"\s*>Jeux de données</a>', html)


# --- Keywords and categories lead to a list of the section the page belongs to ------------------------------


def tag_links(page, selector_class: str = "fr-tag fr-tag--sm") -> dict[str, str]:
    """Each tag's text and where it leads ("" for a tag that is not a link)."""
    html = page if isinstance(page, str) else page.content.decode()
    found = {unescape(label): unescape(href) for href, label in
             re.findall(rf'<a class="{selector_class}" href="([^"]+)">([^<]+)</a>', html)}  # fmt: skip
    found |= {unescape(label): "" for label in re.findall(rf'<p class="{selector_class}">([^<]+)</p>', html)}
    return found


def card_of(response, remote_id) -> str:
    """The HTML of the card of one dataset in a list."""
    html = response.content.decode()
    start = html.index(f'href="/datasets/{Dataset.objects.get(remote_id=remote_id).slug}/"')
    end = html.find("cp-dataset-card", start)
    return html[start : end if end > 0 else len(html)]


def badges(card: str) -> list[str]:
    return [unescape(label) for label in re.findall(r'<p class="fr-badge fr-badge--sm[^"]*">([^<]+)</p>', card)]


def test_observer_cards_name_its_themes_and_link_them_to_its_filters(client, synced):
    response = client.get("/observer/?q=emploi")
    card = card_of(response, EMPLOI)
    assert badges(card) == []  # Observer has no categories: not Explorer's « Cinéma et audiovisuel »
    # Its theme and sub-themes by their labels, in the universe file's order, each to Observer's list filtered by
    # it; then its other tags, each to Observer's search by keyword.
    assert list(tag_links(card).items()) == [
        ("Formation, emploi et revenus", "/observer/?thematique=formation-emploi-revenus"),
        ("Emploi culturel", "/observer/?sous_thematique=emploi-culturel"),
        ("Cinéma", "/observer/?sous_thematique=cinema"),
        ("intermittents", "/observer/?tag=intermittents"),
        ("spectacle-vivant", "/observer/?tag=spectacle-vivant"),
    ]
    assert "/datasets/?" not in response.content.decode()  # never Explorer's list from Observer's
    followed = client.get("/observer/?sous_thematique=emploi-culturel")
    assert listed(followed) == [Dataset.objects.get(remote_id=EMPLOI).title]
    followed = client.get("/observer/?tag=intermittents")
    assert listed(followed) == [Dataset.objects.get(remote_id=EMPLOI).title]
    assert "Retirer le filtre Mot-clé&nbsp;: intermittents" in followed.content.decode()


def test_explorer_cards_name_its_categories_and_leave_observer_themes_as_keywords(client, synced):
    card = card_of(client.get("/datasets/?q=cinemas"), BOTH)
    assert badges(card) == ["Cinéma et audiovisuel"]
    assert tag_links(card) == {"medias-industries-culturelles": "/datasets/?tag=medias-industries-culturelles"}


def test_an_observer_only_dataset_page_links_its_themes_to_observer_and_leaves_a_category_unlinked(client, synced):
    links = tag_links(client.get(f"/datasets/{EMPLOI}/"))
    assert links["Formation, emploi et revenus"] == "/observer/?thematique=formation-emploi-revenus"
    assert links["Emploi culturel"] == "/observer/?sous_thematique=emploi-culturel"
    assert links["Cinéma"] == "/observer/?sous_thematique=cinema"  # Observer names « cinema » too: its label first
    # « spectacle-vivant » is one of Explorer's categories, but Observer has no such facet and Explorer does not
    # list the dataset: a label without a link.
    assert links["Spectacle vivant"] == ""
    assert links["intermittents"] == "/observer/?tag=intermittents"
    assert not {"formation-emploi-revenus", "emploi-culturel", "cinema", "spectacle-vivant"} & set(links)


def test_a_dataset_in_both_sections_links_each_named_tag_to_a_section_offering_it(client, synced):
    links = tag_links(client.get(f"/datasets/{BOTH}/"))
    assert links["Cinéma et audiovisuel"] == "/datasets/?category=cinema"
    # Explorer, its first section, has no theme facet; Observer holds it and has.
    assert links["Médias et industries culturelles"] == "/observer/?thematique=medias-industries-culturelles"


def test_an_explorer_only_dataset_keeps_an_observer_theme_tag_as_a_keyword(client, synced):
    links = tag_links(client.get(f"/datasets/{MONUMENTS}/"))
    assert links["patrimoines"] == "/datasets/?tag=patrimoines" and links["monuments"] == "/datasets/?tag=monuments"
    assert "Patrimoines" not in links  # Observer's label, for a dataset Observer does not hold


def test_a_category_link_from_a_section_without_categories_leads_to_a_section_holding_the_dataset(synced):
    from django.conf import settings
    from django.template import Context, Template

    observer = settings.UNIVERSE.sections[1]
    link = Template("{% load catalog_tags %}{% facet_url 'category' 'cinema' dataset as url %}{{ url }}")
    url = link.render(Context({"section": observer, "dataset": Dataset.objects.get(remote_id=BOTH)}))
    assert url == "/datasets/?category=cinema"  # Observer has no category facet; Explorer, holding it, has
    assert link.render(Context({"section": observer, "dataset": Dataset.objects.get(remote_id=EMPLOI)})) == ""
    on_explorer = link.render(Context({"dataset": Dataset.objects.get(remote_id=EMPLOI)}))
    assert on_explorer == "/datasets/?category=cinema"  # a page of the main section: its own facet


# --- A producer's page counts its datasets in each section ---------------------------------------------------


def section_lines(response) -> list[str]:
    html = response.content.decode()
    block = re.search(r'<ul[^>]*aria-labelledby="organization-sections">(.*?)</ul>', html, re.S).group(1)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", item)).split()) for item in re.findall(r"<li>(.*?)</li>", block)]


def section_hrefs(response) -> dict[str, str]:
    html = response.content.decode()
    block = re.search(r'<ul[^>]*aria-labelledby="organization-sections">(.*?)</ul>', html, re.S).group(1)
    return {unescape(label): unescape(href) for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)}


def test_a_producer_page_says_how_many_of_its_datasets_each_section_holds(client, synced):
    response = client.get(f"/organisations/{CNC['slug']}/")
    # Published ones only; BOTH counts in each section.
    assert section_lines(response) == ["Jeux de données : 1 jeu de données",
                                       "Jeux de données statistiques : 3 jeux de données"]  # fmt: skip
    # Explorer filters by producer: its line leads there. Observer has no producer facet: no link.
    assert section_hrefs(response) == {"Jeux de données": f"/datasets/?organization={CNC['slug']}"}
    followed = client.get(section_hrefs(response)["Jeux de données"])
    assert listed(followed) == list(titles({BOTH}))


def test_a_section_with_a_producer_facet_is_linked_from_the_producer_page(client, synced, settings):
    from catalog import universe

    main, observer = settings.UNIVERSE.sections
    with_producers = replace(observer, facets=(*observer.facets, universe.Facet("organization", "Producteur")))
    settings.UNIVERSE = replace(settings.UNIVERSE, sections=(main, with_producers))
    response = client.get(f"/organisations/{CNC['slug']}/")
    hrefs = section_hrefs(response)
    assert hrefs["Jeux de données statistiques"] == f"/observer/?organization={CNC['slug']}"
    assert sorted(listed(client.get(hrefs["Jeux de données statistiques"]))) == sorted(titles({BOTH, AUTEURS, VISITES}))


def test_a_producer_of_observer_alone_is_not_said_to_have_left_the_catalogue(client, synced):
    from catalog.models import Organization

    Dataset.objects.filter(remote_id__in=[MUSEES, MONUMENTS]).update(
        organization=Organization.objects.get(slug=CNC["slug"])
    )
    page = text(client.get(f"/organisations/{MC['slug']}/"))
    assert "Jeux de données : Aucun jeu de données" in page
    assert "Jeux de données statistiques : 2 jeux de données" in page
    assert "n’a plus de jeu de données" not in page


def test_the_sitemap_lists_every_dataset_once_and_the_observer_list(client, synced):
    sitemap = body(client.get("/sitemap-datasets.xml")).decode()
    locations = re.findall(r"<loc>[^<]*/datasets/([0-9a-f]{24})/</loc>", sitemap)
    assert sorted(locations) == sorted(EXPLORER_SHOWN | OBSERVER_SHOWN)  # published ones, as before
    pages = body(client.get("/sitemap-pages.xml")).decode()
    assert "http://testserver/observer/</loc>" in pages and "http://testserver/datasets/</loc>" in pages


def test_the_home_page_leads_to_observer_by_its_menu_entry_and_its_block(client, synced):
    html = client.get("/").content.decode()
    assert re.search(r'<a class="fr-nav__link" href="/observer/"\s*>Observer</a>', html)
    block = re.search(r"<section[^>]*cp-section-block.*?</section>", html, re.S).group(0)
    assert "Les statistiques de la culture" in block and "Département des études" in block
    assert '<a class="fr-btn fr-btn--secondary" href="/observer/">Jeux de données statistiques (5)</a>' in block
    menu = client.get("/observer/").content.decode()
    assert re.search(r'href="/observer/"\s*aria-current="page"\s*>Observer</a>', menu)


def search_placeholder(response) -> str:
    return unescape(re.search(r'id="search-q"[^>]*placeholder="([^"]*)"', response.content.decode()).group(1))


def test_each_section_search_box_offers_its_own_examples(client, synced):
    observer = search_placeholder(client.get("/observer/"))
    assert observer == "Rechercher (ex.\u00a0: emploi culturel, pratiques culturelles, fréquentation des musées)"
    explorer = search_placeholder(client.get("/datasets/"))
    assert explorer == "Rechercher (ex.\u00a0: musées de France, monuments historiques, cinéma)"
