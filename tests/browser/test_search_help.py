"""A search that forgives, in Chromium: « Essayez : bibliothèque » for a misspelt word, its link runs the
corrected search (the box says it too), acronyms are left alone, and an empty page shows no column of zeros."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

SUGGESTION = "#search-suggestion"


def test_a_misspelt_search_suggests_the_catalogue_s_word_and_its_link_runs_it(live_server, sample, page):
    page.goto(live_server.url + "/datasets/")
    page.fill("#search-q", "bibliotheqe")
    page.keyboard.press("Enter")  # htmx swaps the results in
    expect(page.locator("#results-count")).to_contain_text("Aucun jeu de données")
    expect(page.locator(SUGGESTION)).to_have_text(re.compile(r"Essayez\s*:\s*bibliothèque\s*\(\d+ résultats\)"))
    expect(page.locator("#facets .cp-facet")).to_have_count(0)  # no facet made of zeros
    expect(page.locator(".cp-listing__filters")).to_be_hidden()
    expect(page.get_by_role("link", name="«\u00a0bibliotheqe\u00a0» sur data.gouv.fr")).to_have_attribute(
        "href", "https://www.data.gouv.fr/datasets/?q=bibliotheqe"
    )
    page.locator(SUGGESTION).get_by_role("link", name="bibliothèque").click()
    expect(page).to_have_url(re.compile(r"/datasets/\?q=biblioth%C3%A8que$"))
    expect(page.locator("#search-q")).to_have_value("bibliothèque")
    expect(page.locator("#results-count")).to_have_text(re.compile(r"\d+ jeux de données pour «\s*bibliothèque\s*»"))
    expect(page.locator(".fr-card__title").first).to_contain_text(re.compile("biblioth", re.I))
    expect(page.locator(".cp-listing__filters")).to_be_visible()  # the facets came back with the results
    expect(page.locator(SUGGESTION)).to_have_count(0)


def test_the_suggestion_works_without_javascript_and_keeps_the_filters(live_server, sample, page_without_js):
    page = page_without_js
    page.goto(live_server.url + "/datasets/?q=Bibliotheqe+rennes&organization_type=local-authority")
    suggestion = page.locator(SUGGESTION)
    expect(suggestion).to_contain_text("Bibliothèque rennes")
    suggestion.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"\?q=Biblioth%C3%A8que\+rennes&organization_type=local-authority$"))
    expect(page.locator("#search-q")).to_have_value("Bibliothèque rennes")
    expect(page.locator(".fr-card__title").first).to_contain_text("Rennes")


@pytest.mark.parametrize("query", ["CNC", "DRAC", "INSEE", "cnv"])
def test_acronyms_get_no_suggestion(live_server, sample, page, query):
    page.goto(f"{live_server.url}/datasets/?q={query}")
    expect(page.locator("#results-count")).to_be_visible()
    expect(page.locator(SUGGESTION)).to_have_count(0)
