"""The universe file: the shipped one declares today's site, a wrong one stops the site, another one changes it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings

from catalog import labels, universe
from catalog.ingest.service import sync_catalog
from catalog.selectors import listing
from catalog.universe import UniverseError

ROOT = Path(__file__).resolve().parents[2]
CULTURE = ROOT / "culture_portal" / "universes" / "culture.toml"
PATRIMOINE = ROOT / "tests" / "universes" / "patrimoine.toml"


def culture_data() -> dict:
    return tomllib.loads(CULTURE.read_text(encoding="utf-8"))


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(unescape(html).split())


# The shipped universe


def test_culture_is_the_default_and_declares_todays_site():
    culture = universe.load()
    assert culture == universe.load("culture") == universe.load(str(CULTURE))
    assert culture.source == "culture_portal/universes/culture.toml"  # how messages name it
    assert culture.name == "culture.data.gouv.fr"
    assert culture.brand.lines == ("Ministère", "de la Culture")
    assert [section.id for section in culture.sections] == ["explorer", "observer"]
    explorer = culture.main
    assert explorer.topic == "69aea5dff97ef1fc29836765" == settings.CATALOG_TOPIC
    assert explorer.url_prefix == "/datasets/"
    assert [c.slug for c in explorer.categories] == [
        "archives", "architecture", "arts-plastiques", "cinema", "spectacle-vivant", "livre", "musique", "presse",
        "musee", "langue", "industries-culturelles",
    ]  # fmt: skip
    assert all(c.tag == c.slug for c in explorer.categories)
    assert explorer.category_by_slug["langue"].icon == "fr-icon-translate-2"
    # The facets the list page shows today, in its order, declared with their labels.
    assert tuple(facet.name for facet in explorer.facets) == listing.FACETS
    assert explorer.facets[0] == universe.Facet("category", "Catégorie")  # ``multiple``: the facet's default
    assert culture.dcat.publisher == universe.Publisher("Ministère de la Culture", "https://www.culture.gouv.fr/")
    assert culture.subject == universe.Subject("culture", "de la culture")
    assert explorer.search_examples == ("musées de France", "monuments historiques", "cinéma")


def test_culture_declares_observer_and_its_two_tag_facets():
    observer = universe.load().sections[1]
    assert (observer.id, observer.topic, observer.url_prefix) == ("observer", "69f2fca0f4f30af95d4bab8a", "/observer/")
    assert "DEPS" in observer.landing_text and observer.categories == ()
    assert observer.search_examples == ("emploi culturel", "pratiques culturelles", "fréquentation des musées")
    thematique, sous_thematique = observer.facets
    assert (thematique.name, thematique.label, thematique.multiple) == ("thematique", "Thématique", True)
    assert [(option.tag, option.label) for option in thematique.tags] == [
        ("economie-culturelle", "Économie du champ culturel"),
        ("formation-emploi-revenus", "Formation, emploi et revenus"),
        ("geographie-activites-culturelles", "Géographie des activités culturelles"),
        ("pratiques-usages-consommations", "Pratiques, usages et consommations"),
        ("patrimoines", "Patrimoines"),
        ("creation-artistique", "Création artistique"),
        ("medias-industries-culturelles", "Médias et industries culturelles"),
    ]
    assert (sous_thematique.name, sous_thematique.label) == ("sous_thematique", "Sous-thématique")
    options = {option.tag: option.label for option in sous_thematique.tags}
    assert len(options) == len(sous_thematique.tags) == 37  # every sub-theme the live site lists
    assert options["droits-d-auteurs-et-droits-voisins"] == "Droits d’auteurs et droits voisins"
    assert options["monuments-historiques-et-sites-patrimoniaux"] == "Monuments historiques et sites patrimoniaux"
    assert options["theatre-et-arts-associes"] == "Théâtre et arts associés"
    universe.check_facets(universe.load(), listing.FACETS)  # tag groups need no code to be counted


def test_labels_keep_their_api_and_read_the_universe(settings):
    assert labels.CATEGORIES is settings.UNIVERSE.main.categories
    assert labels.CATEGORY_BY_SLUG["cinema"].label == "Cinéma et audiovisuel"
    settings.UNIVERSE = universe.load(str(PATRIMOINE))
    assert [c.slug for c in labels.CATEGORIES] == ["patrimoine", "lieux-de-musee", "bretagne"]
    assert labels.CATEGORY_BY_SLUG["lieux-de-musee"].tag == "musee"
    with pytest.raises(AttributeError):
        labels.NOT_A_LABEL  # noqa: B018


# Wrong files, each refused with the file, the key and what was expected


def _set(data: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    for key in parents:
        data = data[int(key)] if isinstance(data, list) else data[key]
    if value is DELETE:
        del data[last]
    elif isinstance(data, list):
        data[int(last)] = value
    else:
        data[last] = value


DELETE = object()
SECOND_SECTION = {
    "id": "observer", "topic": "69f2fca0f4f30af95d4bab8a", "url_prefix": "/observer/", "title": "Observer",
    "list_title": "Statistiques", "landing_text": "Les statistiques de la culture.", "search_examples": ["emploi"],
}  # fmt: skip


def _dump(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_dump(item) for item in value) + "]"
    return "{" + ", ".join(f"{key} = {_dump(item)}" for key, item in value.items()) + "}"


def write_toml(data: dict, path: Path) -> Path:
    """A TOML file of ``data`` (inline tables: enough for the loader, which never sees the layout)."""
    path.write_text("\n".join(f"{key} = {_dump(value)}" for key, value in data.items()) + "\n", encoding="utf-8")
    return path


def test_write_toml_gives_back_the_culture_universe(tmp_path):
    assert universe.load(str(write_toml(culture_data(), tmp_path / "copy.toml"))) == universe.load()


@pytest.mark.parametrize(
    ("change", "where", "expected"),
    [
        ({"nmae": "x"}, "nmae", "unknown key (expected one of: name, tagline"),
        ({"sections.0.categories.2.colour": "red"}, "sections[0].categories[2].colour", "unknown key"),
        ({"brand.logo": "x.svg"}, "brand.logo", "unknown key"),
        ({"name": DELETE}, "name", "missing; expected a string"),
        ({"sections.0.topic": DELETE}, "sections[0].topic", "missing; expected a string"),
        ({"dcat.publisher": DELETE}, "dcat.publisher", "missing; expected a table (Publisher)"),
        ({"sections": DELETE}, "sections", "missing; expected an array of tables"),
        ({"name": 3}, "name", "expected a string, got 3"),
        ({"tagline": "  "}, "tagline", "expected a non-empty string"),
        ({"description": ""}, "description", "expected a non-empty string"),
        ({"sections.0.categories.0.label": ""}, "sections[0].categories[0].label", "expected a non-empty string"),
        ({"sections.0.facets.1.multiple": "yes"}, "sections[0].facets[1].multiple", "expected true or false"),
        ({"sections.0.categories": {"tag": "x"}}, "sections[0].categories", "expected an array of tables"),
        ({"brand.lines": "Ministère"}, "brand.lines", "expected an array of strings"),
        ({"links": ["https://x.fr"]}, "links", "expected a table (Links), got list"),
        ({"sections.0.categories.3.tag": "archives"}, "sections[0].categories[3].tag",
         "duplicate 'archives' (already at sections[0].categories[0])"),
        ({"sections.0.categories.4.slug": "cinema"}, "sections[0].categories[4].slug",
         "duplicate 'cinema' (already at sections[0].categories[3])"),
        ({"sections.0.categories.1.tag": "Architecture"}, "sections[0].categories[1].tag", "expected a slug"),
        ({"sections.0.categories.1.icon": "building"}, "sections[0].categories[1].icon", "expected a DSFR icon"),
        ({"sections.0.facets.5.name": "format"}, "sections[0].facets[5].name",
         "duplicate 'format' (already at sections[0].facets[3])"),
        ({"sections.0.facets.6.tags": [{"tag": "musee", "label": "A"}, {"tag": "musee", "label": "B"}]},
         "sections[0].facets[6].tags[1].tag", "duplicate 'musee' (already at sections[0].facets[6].tags[0])"),
        ({"sections.0.facets.6.tags": [{"tag": "Musée d’art", "label": "A"}]},
         "sections[0].facets[6].tags[0].tag", "expected a data.gouv.fr tag"),
        ({"sections.0.facets.6.tags": [{"tag": "musee"}]}, "sections[0].facets[6].tags[0].label", "missing"),
        ({"sections.0.topic": "culture"}, "sections[0].topic", "expected a data.gouv.fr topic id (24 hexadecimal"),
        ({"sections.0.topic": "69AEA5DFF97EF1FC29836765"}, "sections[0].topic", "expected a data.gouv.fr topic id"),
        ({"sections.0.topic": "69aea5dff97ef1fc2983676"}, "sections[0].topic", "expected a data.gouv.fr topic id"),
        ({"sections.0.url_prefix": "datasets"}, "sections[0].url_prefix", "expected a path such as /datasets/"),
        ({"sections.1.url_prefix": "/datasets/"}, "sections[1].url_prefix",
         "duplicate '/datasets/' (already at sections[0])"),
        ({"sections.1.topic": "69aea5dff97ef1fc29836765"}, "sections[1].topic",
         "duplicate '69aea5dff97ef1fc29836765'"),
        ({"sections.1.id": "explorer"}, "sections[1].id", "duplicate 'explorer'"),
        ({"sections.1.facets.0.tags.3.tag": "patrimoines"}, "sections[1].facets[0].tags[4].tag",
         "duplicate 'patrimoines' (already at sections[1].facets[0].tags[3])"),
        ({"sections.1.facets.1.tags.0.tag": "Financement"}, "sections[1].facets[1].tags[0].tag",
         "expected a data.gouv.fr tag"),
        ({"sections.1.facets.1.tags.0.label": ""}, "sections[1].facets[1].tags[0].label", "a non-empty string"),
        ({"sections.1.facets.0.tags.2.colour": "red"}, "sections[1].facets[0].tags[2].colour", "unknown key"),
        ({"sections.1.facets.0.tags": "patrimoines"}, "sections[1].facets[0].tags", "an array of tables (FacetTag)"),
        ({"sections": []}, "sections", "expected at least one section"),
        ({"menu.1.url": "datasets"}, "menu[1].url", "expected a path of the site ending with / or an http(s) URL"),
        ({"menu.2.url": "/"}, "menu[2].url", "duplicate '/' (already at menu[0])"),
        ({"links.feedback": "tally.so/r/wQ7y47"}, "links.feedback", "expected an http(s) URL"),
        ({"dcat.theme": "culture"}, "dcat.theme", "expected an EU data theme code"),
        ({"subject": DELETE}, "subject", "missing; expected a table (Subject)"),
        ({"subject.of": "la culture"}, "subject.of", "expected a complement starting with de, du, des or d’"),
        ({"subject.search_examples": ["musées"]}, "subject.search_examples", "unknown key"),
        ({"sections.0.search_examples": DELETE}, "sections[0].search_examples",
         "missing; expected an array of strings"),
        ({"sections.1.search_examples": []}, "sections[1].search_examples", "expected at least one example"),
        ({"sections.1.search_examples": ["emploi", " "]}, "sections[1].search_examples[1]",
         "expected a non-empty string"),
    ],
)  # fmt: skip
def test_a_wrong_file_is_refused_naming_the_key_and_what_is_expected(tmp_path, change, where, expected):
    data = culture_data()
    for path, value in change.items():
        if path == "sections.1":
            data["sections"].append(value)
        else:
            _set(data, path, value)
    file = write_toml(data, tmp_path / "wrong.toml")
    with pytest.raises(UniverseError) as caught:
        universe.load(str(file))
    assert str(caught.value).startswith(f"{file}: {where}: "), str(caught.value)
    assert expected in str(caught.value)


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    file = tmp_path / "broken.toml"
    file.write_text('name = "culture.data.gouv.fr\n', encoding="utf-8")
    with pytest.raises(UniverseError, match=f"^{re.escape(str(file))}: not a readable TOML file"):
        universe.load(str(file))


def test_an_unknown_name_or_path_is_refused(tmp_path):
    shipped = r"\(shipped: culture, sport\)"  # the example universe ships too
    with pytest.raises(UniverseError, match=rf"^UNIVERSE='cultur': no universe of that name {shipped}"):
        universe.load("cultur")
    with pytest.raises(UniverseError, match="no such file"):
        universe.load(str(tmp_path / "absent.toml"))


def test_a_facet_the_list_page_does_not_know_is_refused(tmp_path):
    data = culture_data()
    data["sections"][0]["facets"][2]["name"] = "colour"
    loaded = universe.load(str(write_toml(data, tmp_path / "facet.toml")))  # well-formed...
    with pytest.raises(UniverseError) as caught:
        universe.check_facets(loaded, listing.FACETS)  # ...but the list page cannot count it
    assert str(caught.value).startswith(f"{tmp_path / 'facet.toml'}: sections[0].facets[2].name: unknown facet")
    universe.check_facets(universe.load(), listing.FACETS)


@pytest.mark.parametrize(
    ("facet", "where", "expected"),
    [
        ({"name": "last_update_range", "label": "Mise à jour", "multiple": True}, "multiple", "takes one value only"),
        ({"name": "format", "label": "Mots", "tags": [{"tag": "musee", "label": "Musées"}]}, "name", "is taken"),
        ({"name": "sort", "label": "Ordre", "tags": [{"tag": "musee", "label": "Musées"}]}, "name", "is taken"),
    ],
)  # fmt: skip
def test_a_facet_the_registry_cannot_serve_is_refused(tmp_path, facet, where, expected):
    from catalog import facets

    data = culture_data()
    data["sections"][0]["facets"] = [facet]
    loaded = universe.load(str(write_toml(data, tmp_path / "facet.toml")))
    with pytest.raises(UniverseError, match=f"sections\\[0\\].facets\\[0\\].{where}: .*{expected}"):
        facets.check(loaded)


def test_optional_texts_may_be_empty_or_left_out(tmp_path):
    data = culture_data()
    data["links"]["forum"] = ""
    data["sections"][0]["categories"][0] |= {"slug": "", "description": ""}
    assert "multiple" not in data["sections"][0]["facets"][0]
    loaded = universe.load(str(write_toml(data, tmp_path / "optional.toml")))
    assert loaded.links.forum == ""
    assert loaded.main.categories[0].slug == "archives" and loaded.main.categories[0].description == ""
    assert loaded.main.facets[0].multiple is None  # catalog.facets gives the kind's default


def test_several_sections_load_in_their_order(tmp_path):
    data = culture_data()
    data["sections"][1:] = [SECOND_SECTION]
    loaded = universe.load(str(write_toml(data, tmp_path / "two.toml")))
    assert [section.id for section in loaded.sections] == ["explorer", "observer"]
    assert loaded.main.id == "explorer"
    assert loaded.sections[1].categories == () and loaded.sections[1].facets == ()


# Start-up: UNIVERSE chooses the file, a wrong file stops the site


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """``manage.py`` with the production settings (``DEBUG=1`` for want of a secret key) and this environment."""
    base = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "culture_portal.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW = ("-v", "0", "-c", "from django.conf import settings; print(settings.UNIVERSE.name, settings.CATALOG_TOPIC)")


@pytest.mark.slow
def test_universe_chooses_the_file_and_catalog_topic_overrides_its_topic(tmp_path):
    db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert manage("shell", *SHOW, DATABASE_URL=db).stdout.split() == [
        "culture.data.gouv.fr", "69aea5dff97ef1fc29836765"]  # fmt: skip
    chosen = manage("shell", *SHOW, DATABASE_URL=db, UNIVERSE=str(PATRIMOINE))
    assert chosen.stdout.split() == ["patrimoine.exemple.fr", "0123456789abcdef01234567"], chosen.stderr
    override = manage("shell", *SHOW, DATABASE_URL=db, UNIVERSE=str(PATRIMOINE),
                      CATALOG_TOPIC="aaaaaaaaaaaaaaaaaaaaaaaa")  # fmt: skip
    assert override.stdout.split() == ["patrimoine.exemple.fr", "aaaaaaaaaaaaaaaaaaaaaaaa"]


@pytest.mark.slow
def test_a_wrong_universe_stops_manage_py_check_with_its_message(tmp_path):
    data = culture_data()
    data["sections"][0]["facets"][3]["name"] = "category"
    file = write_toml(data, tmp_path / "wrong.toml")
    result = manage("check", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", UNIVERSE=str(file))
    assert result.returncode != 0
    assert f"{file}: sections[0].facets[3].name: duplicate 'category' (already at sections[0].facets[0])" in (
        result.stderr
    )
    # A facet only the running code can judge stops it too (checked when the catalog app is ready).
    data = culture_data()
    data["sections"][0]["facets"][3]["name"] = "colour"
    file = write_toml(data, tmp_path / "facet.toml")
    result = manage("check", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", UNIVERSE=str(file))
    assert result.returncode != 0
    assert f"{file}: sections[0].facets[3].name: unknown facet 'colour'" in result.stderr
    good = manage("check", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", UNIVERSE="culture")
    assert good.returncode == 0, good.stderr


# Another universe, the same code


@pytest.fixture
def patrimoine(settings):
    settings.UNIVERSE = universe.load(str(PATRIMOINE))
    settings.CATALOG_TOPIC = settings.UNIVERSE.main.topic
    return settings.UNIVERSE


@pytest.mark.django_db
def test_another_universe_changes_the_home_page(client, patrimoine):
    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)
    response = client.get("/")
    page = text(response)
    html = response.content.decode()
    assert "<title>patrimoine.exemple.fr — le patrimoine en données</title>" in html
    assert '<p class="fr-header__service-title">patrimoine.exemple.fr</p>' in html
    assert "Le patrimoine en données" in page
    assert html.count('<p class="fr-logo">Ministère<br>de l’Exemple</p>') == 2  # header and footer
    assert "<h1>Tout le patrimoine en données</h1>" in html
    assert "Monuments, musées et archives de Bretagne et d’ailleurs." in page
    # The universe's categories, counted by their tag, linked by their slug.
    assert "Patrimoine bâti 10 jeux de données" in page  # 11 tagged, one archived
    assert "Lieux de musée 4 jeux de données" in page
    assert "Bretagne 5 jeux de données" in page
    assert "?category=lieux-de-musee" in html
    assert "Une autre vue de data.gouv.fr" in page
    assert "Cinéma et audiovisuel" not in page and "culture.data.gouv.fr" not in html
    # Menu and links.
    assert re.findall(r'class="fr-nav__link" href="([^"]+)"', html) == ["/", "/datasets/"]
    assert "Trouver des données" in page and "Producteurs" not in page
    assert 'href="https://avis.exemple.fr/formulaire"' in html and 'href="https://aide.exemple.fr"' in html
    assert 'href="https://ministere.exemple.fr" rel="noopener external">ministere.exemple.fr</a>' in html


@pytest.mark.django_db
def test_another_universe_filters_by_its_categories(client, patrimoine):
    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)
    page = text(client.get("/datasets/", {"category": "lieux-de-musee"}))
    assert "4 jeux de données" in page
    assert "Lieux de musée" in page
    # A culture category is no category here: the filter is ignored, as any unknown value.
    assert "42 jeux de données" in text(client.get("/datasets/", {"category": "cinema"}))  # and one archived


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_another_universe_changes_the_dcat_catalogue(client, patrimoine):
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)
    response = client.get("/catalogue.jsonld")
    graph = Graph().parse(data=b"".join(response.streaming_content).decode(), format="json-ld")
    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert graph.value(catalog, DCTERMS.title) == Literal("patrimoine.exemple.fr", lang="fr")
    description = graph.value(catalog, DCTERMS.description)
    assert description == Literal("Le catalogue du patrimoine, pour les tests.", lang="fr")
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert graph.value(publisher, FOAF.name) == Literal("Office du patrimoine d’exemple")
    assert graph.value(publisher, FOAF.homepage) == URIRef("https://office.exemple.fr/")
    concepts = {str(graph.value(concept, SKOS.prefLabel)) for concept in graph.subjects(RDF.type, SKOS.Concept)}
    assert concepts == {"Patrimoine bâti", "Lieux de musée", "Bretagne"}
    themes = {str(theme) for theme in graph.objects(None, DCAT.theme)}
    assert "http://publications.europa.eu/resource/authority/data-theme/GOVE" in themes
    assert not any(theme.endswith("/EDUC") for theme in themes)


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_pages_and_exports_cached_under_one_universe_are_not_served_under_another(client, settings):
    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)
    home, dcat = client.get("/"), client.get("/catalogue.ttl")
    assert "<h1>Les données publiques de la culture</h1>" in home.content.decode()
    assert "<https://www.culture.gouv.fr/>" in b"".join(dcat.streaming_content).decode()  # its publisher
    settings.UNIVERSE = universe.load(str(PATRIMOINE))  # same catalogue version, same cache, same export folder
    again = client.get("/")
    assert "<h1>Tout le patrimoine en données</h1>" in again.content.decode()
    assert again["ETag"] != home["ETag"]
    assert client.get("/", headers={"if-none-match": home["ETag"]}).status_code == 200
    turtle = b"".join(client.get("/catalogue.ttl").streaming_content).decode()
    assert "Office du patrimoine d’exemple" in turtle and "<https://www.culture.gouv.fr/>" not in turtle


@pytest.mark.django_db
def test_a_sync_after_the_categories_change_files_every_dataset_again(client, settings):
    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)
    assert sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH).unchanged == 51  # same payloads, same universe
    settings.UNIVERSE = universe.load(str(PATRIMOINE))
    report = sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)
    assert (report.updated, report.unchanged) == (51, 0)
    page = text(client.get("/"))
    assert "Lieux de musée 4 jeux de données" in page and "Bretagne 5 jeux de données" in page


@pytest.mark.slow
def test_labels_read_the_universe_without_django_settings_too():
    """The benchmark's stand-in API builds its catalogue from the categories, outside Django."""
    show = "from catalog import labels; print(' '.join(category.tag for category in labels.CATEGORIES))"
    base = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    for env, expected in [({}, "archives architecture"), ({"UNIVERSE": str(PATRIMOINE)}, "patrimoine musee bretagne")]:
        result = subprocess.run([sys.executable, "-c", show], cwd=ROOT, env=base | env, capture_output=True, text=True,
                                timeout=60)  # fmt: skip
        assert result.stdout.startswith(expected), result.stderr
