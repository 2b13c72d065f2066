"""The list page when a search finds nothing or little: suggestion, fewer words, empty state without zeros."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.selectors import listing
from tests.catalog import test_views
from tests.catalog.test_views import text_of, titles
from tests.fakes import payloads
from tests.fakes.payloads import dataset

pytestmark = pytest.mark.django_db

catalogue = test_views.catalogue  # the list page tests' catalogue, as a fixture of this module too


def suggestion_link(html: str) -> tuple[str, str] | None:
    """(href, text) of the « Essayez » link, or None."""
    found = re.search(r'id="search-suggestion">\s*Essayez&nbsp;: <a [^>]*href="([^"]+)">(.*?)</a>', html, re.S)
    return (found.group(1), re.sub(r"<[^>]+>", "", found.group(2))) if found else None


def test_a_misspelt_search_suggests_the_catalogue_s_word(client, catalogue):
    response = client.get("/datasets/", {"q": "bibliotheqe"})
    html = response.content.decode()
    assert titles(response) == []
    assert suggestion_link(html) == ("?q=biblioth%C3%A8ques", "bibliothèques")
    assert "<strong>bibliothèques</strong>" in html  # the corrected word stands out
    assert "Essayez : bibliothèques (1 résultat)" in text_of(response).replace("&nbsp;", " ")
    # The link leads to what it promises.
    assert titles(client.get("/datasets/?q=biblioth%C3%A8ques")) == ["Bibliothèques de Rennes"]


def test_the_suggestion_keeps_the_other_filters_and_only_them(client, catalogue):
    html = client.get(
        "/datasets/", {"q": "bibliotheqe", "organization_type": "local-authority", "utm_source": "x", "page": "2"}
    ).content.decode()
    assert suggestion_link(html)[0] == "?q=biblioth%C3%A8ques&amp;organization_type=local-authority"


def test_no_suggestion_when_the_corrected_search_finds_nothing_more_with_the_filters(client, catalogue):
    html = client.get("/datasets/", {"q": "bibliotheqe", "category": "cinema"}).content.decode()
    assert suggestion_link(html) is None


def test_a_search_whose_words_are_right_gets_no_suggestion(client, catalogue):
    for query in ("musees", "rennes", "xylophone", "CNC"):
        assert suggestion_link(client.get("/datasets/", {"q": query}).content.decode()) is None


def test_the_suggestion_is_in_the_htmx_fragment_too(client, catalogue):
    html = client.get("/datasets/", {"q": "bibliotheqe"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html
    assert suggestion_link(html) == ("?q=biblioth%C3%A8ques", "bibliothèques")


def test_a_search_no_dataset_fully_matches_offers_fewer_words(client, catalogue):
    response = client.get("/datasets/", {"q": "fréquentation cinéma 2023"})
    html = response.content.decode()
    assert "Aucun jeu de données ne contient tous les mots" in text_of(response)
    wider = re.findall(r'<li>\s*<a href="([^"]+)">«&nbsp;([^<]+)&nbsp;»</a>, sans «&nbsp;([^&]+)&nbsp;» \(([^)]+)\)',
                       html)  # fmt: skip
    assert wider == [("?q=fr%C3%A9quentation+cin%C3%A9ma", "fréquentation cinéma", "2023", "1 résultat")]
    assert titles(client.get("/datasets/?q=fr%C3%A9quentation+cin%C3%A9ma")) == ["Fréquentation des cinémas"]


def test_a_search_with_few_results_offers_the_searches_that_find_more(client, tmp_path, sample_licenses):
    payloads.load(tmp_path, [
        dataset("1" * 24, "Musées de Rennes", slug="musees-rennes"),
        dataset("2" * 24, "Musées de Lyon", slug="musees-lyon"),
        dataset("3" * 24, "Bibliothèques de Rennes", slug="bibliotheques-rennes"),
        dataset("4" * 24, "Opéra de Lyon", slug="opera-lyon"),
    ], [], sample_licenses)  # fmt: skip
    html = client.get("/datasets/", {"q": "musées Rennes"}).content.decode()
    wider = re.findall(r"«&nbsp;([^<]+)&nbsp;»</a>, sans «&nbsp;([^&]+)&nbsp;» \(([^)]+)\)", html)
    assert wider == [("Rennes", "musées", "2 résultats"), ("musées", "Rennes", "2 résultats")]
    # A search that finds as many without one of its words offers nothing.
    html = client.get("/datasets/", {"q": "opéra Lyon"}).content.decode()
    assert re.findall(r"sans «&nbsp;([^&]+)&nbsp;»", html) == ["opéra"]  # « Lyon » alone finds 2, « opéra » 1


def test_a_search_that_finds_its_words_never_reads_the_vocabulary(client, catalogue):
    client.get("/datasets/", {"q": "rennes"})  # warm what every page reads once
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/datasets/", {"q": "musees"}).content.decode()
    assert "Essayez" not in html and "Avec moins de mots" not in html
    assert not any("catalog_searchword" in query["sql"] for query in queries.captured_queries)


def test_a_search_with_enough_results_computes_no_help(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("computed")

    monkeypatch.setattr(listing.search, "correct", fail)
    monkeypatch.setattr(listing.search, "without_each_word", fail)
    filters = listing.DatasetFilters(query="musées rennes")
    assert listing.search_help(filters, listing.FEW_RESULTS) == listing.SearchHelp()
    assert listing.search_help(listing.DatasetFilters(), 0) == listing.SearchHelp()


def test_the_empty_page_helps_instead_of_showing_a_column_of_zeros(client, catalogue):
    response = client.get("/datasets/", {"q": "zzyzx"})
    html = response.content.decode()
    body = text_of(response)
    assert "Aucun jeu de données ne correspond à votre recherche" in body
    assert "cp-facet__count" not in html and 'id="facets" class="cp-facets--none"' in html  # no facet of zeros
    assert "Aller aux résultats" not in body
    assert "Vérifiez l’orthographe des mots-clés, ou essayez des mots plus généraux ou moins nombreux." in body
    assert (
        '<a href="https://www.data.gouv.fr/datasets/?q=zzyzx" rel="noopener">«&nbsp;zzyzx&nbsp;» sur data.gouv.fr</a>'
        in html
    )


def test_an_empty_page_still_shows_the_chosen_filter_to_remove_it(client, catalogue):
    from tests.catalog.test_facets import facet_form

    html = client.get("/datasets/", {"q": "zzyzx", "format": "csv"}).content.decode()
    # Ticked in its facet (unticked with « Appliquer », the search stays), and a chip that removes it.
    assert facet_form(html, "format") == ([("q", "zzyzx")], [("csv", True)])
    assert re.search(r'href="\?q=zzyzx" aria-label="Retirer le filtre Format de fichier&nbsp;: CSV"', html)
    facets = re.search(r'<div id="facets".*?</section>', html, re.S).group(0)
    assert "Catégorie" not in facets and "cp-facets--none" not in facets


def test_facets_keep_zero_options_beside_options_with_results(client, catalogue):
    """Only a facet whose every option gives nothing is left out; the others keep their whole list."""
    body = client.get("/datasets/", {"organization": "ministere-de-la-culture"}).content.decode()
    assert re.search(r'<span class="cp-facet__option cp-facet__option--empty">\s*Cinéma et audiovisuel', body)
