"""Observer in Chromium, with the checks Explorer's pages pass: axe (desktop and a 375-pixel phone, the filters'
panel open), the page structure, a keyboard-only journey, the site without JavaScript, and the phone's panel of
filters. The catalogue holds Observer datasets (tests/catalog/test_observer.py), synced from the API stand-in."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import (
    SCREENS,
    axe_violations,
    filter_panel_violations,
    focus_is_visible,
    focus_until,
    page_structure,
)
from tests.browser.test_filters import apply, box, new_tab
from tests.catalog.test_observer import EMPLOI, sync_observer_catalogue

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = SCREENS["phone"]
PAGES = {
    "observer list": "/observer/",
    "observer filtered search": "/observer/?q=fr%C3%A9quentation&thematique=patrimoines"
    "&thematique=medias-industries-culturelles",
    "observer no results": "/observer/?q=zzzzzz&thematique=patrimoines",
    "observer-only dataset": f"/datasets/{EMPLOI}/",
}


@pytest.fixture
def observer(live_server, sample_licenses):
    sync_observer_catalogue(sample_licenses)


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_axe_finds_no_violation_on_observer_pages(live_server, observer, browser, screen):
    context = browser.new_context(locale="fr-FR", viewport=screen)
    page = context.new_page()
    try:
        found = {}
        for name, path in PAGES.items():
            page.goto(live_server.url + path)
            assert page.get_attribute("html", "lang") == "fr", name
            assert page.locator("h1").count() == 1, name
            assert page_structure(page) == {"problems": []}, name
            found[name] = axe_violations(page)
        if screen["width"] < 768:
            page.goto(live_server.url + PAGES["observer list"])
            found["panel open"] = filter_panel_violations(page)
        assert {name: violations for name, violations in found.items() if violations} == {}
    finally:
        context.close()


def test_keyboard_only_observer_search_theme_and_dataset(live_server, observer, page):
    page.goto(live_server.url + "/")
    focus_until(page, "el.matches('a.fr-nav__link[href=\"/observer/\"]')")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/observer/")
    focus_until(page, "el.id === 'search-q'")
    page.keyboard.type("fréquentation")
    page.keyboard.press("Enter")
    page.wait_for_url("**/observer/?q=*")
    expect(page.locator("#results-count")).to_contain_text("2 jeux de données")
    focus_until(page, 'el.matches(\'input[type=checkbox][name="thematique"][value="patrimoines"]\')')
    assert focus_is_visible(page)
    page.keyboard.press("Space")  # applied at once, on Observer's address
    page.wait_for_url("**/observer/?*thematique=patrimoines*")
    expect(page.locator("#results-count")).to_contain_text("1 jeu de données")
    focus_until(page, "el.matches('.fr-card__title a')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/datasets/*/")
    expect(page.locator("h1")).to_have_text("Fréquentation des musées nationaux")
    crumb = page.locator(".fr-breadcrumb a", has_text="Jeux de données statistiques")
    assert crumb.get_attribute("href") == "/observer/"


def test_observer_works_without_javascript(live_server, observer, browser):
    context, page = new_tab(browser, {"width": 1280, "height": 800}, javascript=False)
    try:
        page.goto(live_server.url + "/observer/")
        page.fill("#search-q", "fréquentation")
        page.keyboard.press("Enter")
        page.wait_for_url("**/observer/?q=*")
        assert "pour «\u00a0fréquentation\u00a0»" in page.inner_text("#results-count")
        page.locator('#facets label[for="facet-thematique-patrimoines"]').click()
        apply(page, "thematique")
        page.wait_for_url("**/observer/?*thematique=patrimoines*")
        assert page.locator(".fr-card__title a").all_inner_texts() == ["Fréquentation des musées nationaux"]
        page.locator(".fr-card__title a").first.click()
        page.wait_for_url("**/datasets/*/")
        page.locator(".fr-breadcrumb a", has_text="Jeux de données statistiques").click()
        page.wait_for_url("**/observer/")
        assert page.locator(".fr-card__title a").count() == 5
    finally:
        context.close()


def test_on_a_phone_observer_results_come_first_and_its_filters_open_in_a_panel(live_server, observer, browser):
    context, tab = new_tab(browser, PHONE)
    try:
        tab.goto(live_server.url + "/observer/?q=fr%C3%A9quentation")
        assert not tab.locator("#facets .cp-facet__option").first.is_visible()
        assert box(tab, "#results-count")["y"] < box(tab, ".cp-card-list")["y"]
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]  # nothing wider than the phone (the landing text wraps)
        tab.get_by_role("button", name="Filtrer").focus()
        tab.keyboard.press("Enter")
        panel = tab.get_by_role("dialog", name="Filtrer")
        expect(panel).to_be_visible()
        option = tab.locator('#facets input[type="checkbox"][name="thematique"][value="patrimoines"]')
        option.focus()
        tab.keyboard.press("Space")
        tab.wait_for_url(re.compile(r".*/observer/\?.*thematique=patrimoines.*"))
        expect(tab.locator(".cp-active-filters")).to_contain_text("Thématique\u00a0: Patrimoines")
        expect(panel).to_be_visible()
        tab.keyboard.press("Escape")
        expect(panel).to_be_hidden()
    finally:
        context.close()


def test_on_a_phone_without_javascript_observer_filters_follow_the_results(live_server, observer, browser):
    context, tab = new_tab(browser, PHONE, javascript=False)
    try:
        tab.goto(live_server.url + "/observer/")
        link = tab.get_by_role("link", name="Filtrer", exact=True)
        assert link.is_visible()
        assert box(tab, ".cp-card-list")["y"] < box(tab, "#filters-title")["y"]
        link.click()
        tab.locator('#facets label[for="facet-thematique-formation-emploi-revenus"]').click()
        apply(tab, "thematique")
        tab.wait_for_url("**/observer/?thematique=formation-emploi-revenus*")
        assert tab.locator(".fr-card__title a").count() == 2
    finally:
        context.close()


FIRST_SCREEN = {"width": 375, "height": 667}  # a small phone's first screen


def test_on_a_phone_observer_shows_its_first_result_on_the_first_screen(live_server, observer, browser):
    context, tab = new_tab(browser, FIRST_SCREEN)
    try:
        tab.goto(live_server.url + "/observer/")
        title = tab.locator(".cp-card-list .fr-card__title").first
        expect(title).to_have_text("Fréquentation des cinémas")
        found = title.bounding_box()
        assert found["y"] + found["height"] <= FIRST_SCREEN["height"], found  # the first result's title, whole
        # The landing text and the section's feeds follow the results, in a region of their own.
        about = tab.get_by_role("region", name="À propos de ces données")
        expect(about).to_contain_text("Département des études, de la prospective")
        expect(about.get_by_role("link", name=re.compile("Suivre les nouveautés"))).to_be_visible()
        assert box(tab, ".cp-card-list")["y"] < about.bounding_box()["y"]
        assert tab.get_by_text("Département des études, de la prospective").count() == 2  # one copy shown:
        expect(tab.get_by_text("Département des études, de la prospective").first).to_be_hidden()  # the head's
    finally:
        context.close()


def test_on_a_desktop_observer_heads_its_search_with_its_landing_text(live_server, observer, browser):
    context, tab = new_tab(browser, {"width": 1280, "height": 800})
    try:
        tab.goto(live_server.url + "/observer/")
        landing = tab.locator(".cp-section-head").get_by_text("Département des études, de la prospective")
        expect(landing).to_be_visible()
        assert landing.bounding_box()["y"] < box(tab, "#search-form")["y"]
        expect(tab.get_by_role("region", name="À propos de ces données")).to_be_hidden()
    finally:
        context.close()
