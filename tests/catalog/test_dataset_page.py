"""The dataset page leads with the data: licence and files first, files searchable and paged, plain French."""

import re
from html import unescape

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from catalog import forms
from catalog.models import Dataset, Resource
from catalog.templatetags.catalog_tags import file_item, file_size
from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization, resource

pytestmark = pytest.mark.django_db

MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")
YEARS = range(2001, 2041)  # 40 yearly files: two pages of main files, then the others
LONG_DESCRIPTION = "\n\n".join(
    [f"Paragraphe d’introduction numéro {n}, qui décrit les données en détail et sans se presser." for n in (1, 2)]
    + ["## Précautions d’usage"]
    + [f"Remarque {n} : les chiffres sont déclarés par les établissements eux-mêmes." for n in range(12)]
    + ["Phrase finale cachée derrière le pli."]
)


def many_files() -> list[dict]:
    files = [
        resource(f"r-{year}", title=f"Fréquentation des musées — {year}", fmt="csv" if year % 2 else "xlsx",
                 filesize=1_284_330 if year == 2001 else 48_000)
        for year in YEARS
    ]  # fmt: skip
    files += [
        resource("r-doc", title="Notice méthodologique", fmt="pdf", type="documentation", filesize=512_118),
        resource("r-api", title="API de consultation", fmt="json", type="api", filesize=None),
        resource("r-parquet", title="Série consolidée (PARQUET)", fmt="parquet", filesize=2_112_406_000),
        resource("r-geo", title="Localisation des musées", fmt="geojson", type="other", filesize=999),
    ]
    return files


@pytest.fixture
def catalogue(tmp_path, sample_licenses):
    datasets = [
        dataset("a" * 24, "Fréquentation des musées", slug="frequentation", org=MC, resources=many_files(),
                description=LONG_DESCRIPTION),
        dataset("b" * 24, "Cinémas", slug="cinemas", org=MC, license="odc-odbl", description="Court."),
        dataset("c" * 24, "Festivals", slug="festivals", org=MC, license=None),
        dataset("d" * 24, "Plaques", slug="plaques", org=MC, license="notspecified"),
        dataset("e" * 24, "Noms de lieux", slug="noms", org=MC, license="cc-by-sa"),
        dataset("f" * 24, "Chansons", slug="chansons", org=MC, license="other-pd"),
    ]  # fmt: skip
    payloads.load(tmp_path, datasets, [MC], sample_licenses)


def html_of(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def file_titles(html: str) -> list[str]:
    return re.findall(r'<h4 class="[^"]*">([^<]+)</h4>', html)


def download_links(html: str) -> list[str]:
    return re.findall(r'<a class="fr-btn[^"]*" href="https://www\.data\.gouv\.fr/api/1/datasets/r/[^"]+"', html)


# Files at scale: search, filters, pages.


def test_files_come_twenty_a_page_grouped_under_explained_type_headings(client, catalogue):
    first = html_of(client, "/datasets/frequentation/")
    assert len(file_titles(first)) == 20
    assert "Fichiers (44)" in first
    assert "Fichiers principaux (41)" in first
    assert "Les données elles-mêmes, à télécharger." in first
    assert 'href="?page=2#fichiers"' in first and 'href="?page=3#fichiers"' in first
    last = html_of(client, "/datasets/frequentation/", page="3")
    assert len(file_titles(last)) == 4
    assert "Documentation (1)" in last and "Notices, dictionnaires des variables" in last
    assert "API (1)" in last and "Des services pour interroger les données à distance" in last
    assert "Autres fichiers (1)" in last


def test_file_search_matches_title_and_format_without_accents_or_case(client, catalogue):
    assert file_titles(html_of(client, "/datasets/frequentation/", q="FREQUENTATION 2019")) == [
        "Fréquentation des musées — 2019"
    ]
    assert file_titles(html_of(client, "/datasets/frequentation/", q="notice")) == ["Notice méthodologique"]
    assert file_titles(html_of(client, "/datasets/frequentation/", q="geojson")) == ["Localisation des musées"]
    html = html_of(client, "/datasets/frequentation/", q="introuvable")
    assert file_titles(html) == [] and "Aucun fichier ne correspond à votre recherche." in html


def test_files_filter_by_format_and_type_and_links_keep_the_filters(client, catalogue):
    html = html_of(client, "/datasets/frequentation/", format="CSV")
    titles = file_titles(html)
    assert len(titles) == 20 and all(int(title[-4:]) % 2 for title in titles)
    assert "20 fichiers sur 44 correspondent à votre recherche." in html
    assert '<option value="csv" selected>CSV (20)</option>' in html
    assert file_titles(html_of(client, "/datasets/frequentation/", type="documentation")) == ["Notice méthodologique"]
    assert file_titles(html_of(client, "/datasets/frequentation/", type="api", format="json")) == [
        "API de consultation"
    ]
    paged = html_of(client, "/datasets/frequentation/", type="main", q="musées")
    assert 'href="?q=mus%C3%A9es&amp;type=main&amp;page=2#fichiers"' in paged


def test_file_search_parameters_are_normalised_and_junk_adds_no_cache_entry(client, catalogue):
    factory = RequestFactory()
    asked = {"q": "  notice   méthodologique ", "format": "PDF", "type": "inconnu", "page": "1", "utm_source": "x"}
    params = forms.dataset_detail_params(factory.get("/", asked))
    assert params == {"q": "notice méthodologique", "format": "pdf"}
    assert forms.dataset_detail_params(factory.get("/", {"format": "a b<script>", "page": "002"})) == {"page": "2"}
    cache = caches["default"]
    cache.clear()
    clean = client.get("/datasets/frequentation/", {"format": "csv"})
    for number in range(50):
        response = client.get(f"/datasets/frequentation/?format=csv&junk{number}=1&type=&page=1&q=%20")
        assert response["ETag"] == clean["ETag"]
        assert "junk" not in response.content.decode()
    assert len(cache._cache) == 1


def test_an_htmx_request_gets_the_file_list_alone(client, catalogue):
    response = client.get("/datasets/frequentation/", {"q": "notice"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and file_titles(html) == ["Notice méthodologique"]
    assert '<div id="files-status" hx-swap-oob="innerHTML">1 fichier trouvé</div>' in html


# Wording: sizes, actions, accessible names, licences.


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0\u00a0octet"), (999, "999\u00a0octets"), (1000, "1\u00a0ko"), (48_000, "48\u00a0ko"),
     (612_455, "612,5\u00a0ko"), (1_284_330, "1,3\u00a0Mo"), (2_112_406_000, "2,1\u00a0Go"), (None, ""), (-1, "")],
)  # fmt: skip
def test_sizes_are_in_french_units(size, text):
    assert file_size(size) == text


def test_file_sizes_on_the_page_are_french_and_names_say_each_thing_once(client, catalogue):
    html = html_of(client, "/datasets/frequentation/", page="3")
    assert "Kio" not in html and "Mio" not in html and "Gio" not in html
    assert "2,1\u00a0Go" in html and "999\u00a0octets" in html
    spoken = [unescape(text) for text in re.findall(r'<span class="fr-sr-only">([^<]*)</span>\s*</a>', html)]
    assert " «\u00a0Série consolidée (PARQUET)\u00a0» (2,1\u00a0Go)" in spoken  # format named once
    assert " «\u00a0Notice méthodologique\u00a0» (PDF, 512,1\u00a0ko)" in spoken


def test_a_file_without_title_link_or_page_says_so_and_escapes_what_it_shows():
    lost = Resource(dataset=Dataset(page=""), remote_id="r", title="", download_url="", available=False, format="csv")
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", file_item({}, lost))).split())
    assert text == "Fichier sans titre CSV Lien indisponible lors de la dernière vérification Lien non disponible"
    page = Dataset(page="https://www.data.gouv.fr/d/")
    hostile = Resource(dataset=page, remote_id="r", title="<b>x</b>", description="<img src=x onerror=alert(1)>",
                       download_url='https://ex.org/"><script>')  # fmt: skip
    html = file_item({}, hostile)
    assert "<b>" not in html and "<img" not in html and "<script>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and 'href="https://ex.org/&quot;&gt;&lt;script&gt;"' in html
    assert 'href="https://www.data.gouv.fr/d/?resource_id=r"' in html


def test_an_api_is_accessed_not_downloaded(client, catalogue):
    html = html_of(client, "/datasets/frequentation/", type="api")
    button = re.search(r'<a class="fr-btn[^"]*" href="[^"]*/r/r-api"[^>]*>(.*?)</a>', html, flags=re.S).group(1)
    assert "Accéder à l’API" in button and "Télécharger" not in button


def test_downloads_are_the_filled_action_and_data_gouv_links_are_secondary(client, catalogue):
    html = html_of(client, "/datasets/frequentation/")
    links = download_links(html)
    assert len(links) == 20 and not any("fr-btn--secondary" in link or "fr-btn--tertiary" in link for link in links)
    # Each is drawn twice, under the licence below the lg breakpoint and in the side column above it (one is
    # display: none at any width, which tests/browser/test_dataset_page.py checks).
    datagouv = re.findall(r'<a class="([^"]*)" href="https://www\.data\.gouv\.fr/datasets/frequentation"', html)
    assert len(datagouv) == 2 and all("fr-btn--secondary" in classes for classes in datagouv)
    discussions = re.findall(r'<a class="(fr-btn[^"]*)" href="[^"]*/discussions"', html)
    assert len(discussions) == 2
    assert all("fr-btn--secondary" in classes or "fr-btn--tertiary" in classes for classes in discussions)
    # Licence and files come before the description.
    assert html.index('id="licence"') < html.index('id="fichiers"') < html.index('id="description"')


@pytest.mark.parametrize(
    ("slug", "link", "line"),
    [
        ("frequentation", "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
         "Réutilisation libre, même commerciale, en citant la source (le producteur) et la date de mise à jour."),
        ("cinemas", "http://opendatacommons.org/licenses/odbl/summary/",
         "une base de données dérivée que vous diffusez doit être partagée sous la même licence"),
        ("noms", "http://www.opendefinition.org/licenses/cc-by-sa",
         "ce que vous en tirez doit être partagé sous la même licence"),
        ("chansons", None, "Domaine public\u00a0: réutilisation libre, sans condition."),
    ],
)  # fmt: skip
def test_the_licence_is_linked_and_says_what_it_allows(client, catalogue, slug, link, line):
    html = html_of(client, f"/datasets/{slug}/")
    licence = html[html.index('id="licence"') : html.index('id="fichiers"')]
    if link:
        assert f'href="{link}"' in licence
    assert line in licence


@pytest.mark.parametrize("slug", ["festivals", "plaques"])
def test_without_a_licence_the_page_advises_asking_the_producer(client, catalogue, slug):
    html = html_of(client, f"/datasets/{slug}/")
    licence = html[html.index('id="licence"') : html.index('id="fichiers"')]
    assert "Licence non spécifiée" in licence
    assert "avant toute réutilisation, posez-lui la question sur data.gouv.fr" in licence
    assert f'href="https://www.data.gouv.fr/datasets/{slug}/discussions"' in licence


# The description.


def test_a_long_description_folds_behind_read_more_without_javascript(client, catalogue):
    html = html_of(client, "/datasets/frequentation/")
    description = html[html.index('id="description"') :]
    fold = re.search(r'<details class="cp-fold">\s*<summary[^>]*>(.*?)</summary>(.*?)</details>', description, re.S)
    assert fold, "no <details> fold"
    assert "Lire la suite" in fold.group(1)
    assert "Phrase finale cachée derrière le pli." in fold.group(2)
    lead = description[: description.index('<details class="cp-fold">')]
    assert "Paragraphe d’introduction numéro 1" in lead and "Phrase finale" not in lead


def test_a_short_description_does_not_fold(client, catalogue):
    html = html_of(client, "/datasets/cinemas/")
    assert "Court." in html and "<details" not in html[html.index('id="description"') :]
