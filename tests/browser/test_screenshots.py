"""The main pages on a desktop screen and on a 375-pixel-wide phone: nothing wider than the screen,
the mobile menu and search open, and a screenshot of each page for the README.

Screenshots go to ``var/screenshots/`` (ignored by git); ``make screenshots`` writes them to
``docs/screenshots/``, where the README shows them.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = {"desktop": {"width": 1280, "height": 800}, "mobile": {"width": 375, "height": 740}}


def screenshots_dir() -> Path:
    path = Path(os.environ.get("SCREENSHOTS_DIR") or settings.BASE_DIR / "var" / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def pages(sample):
    return {
        "accueil": "/",
        "recherche": "/datasets/?q=mus%C3%A9es",
        "jeu-de-donnees": f"/datasets/{sample['dataset'].slug}/",
        "organisations": "/organisations/",
        "organisation": f"/organisations/{sample['organization'].slug}/",
        "a-propos": "/a-propos/",
    }


# Content whose right edge passes the screen: what a phone user would have to scroll sideways to read.
# Containers are left out: the DSFR header's navbar box pulls 4 px into the margin, with nothing in it.
CONTENT = "a, button, img, svg, input, select, textarea, label, p, h1, h2, h3, h4, h5, h6, li, dt, dd, th, td, pre"
OVERFLOWING = """(selector) => {
    const width = document.documentElement.clientWidth;
    const found = [];
    for (const el of document.querySelectorAll(selector)) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
        if (el.closest('.fr-modal:not(.fr-modal--opened), .fr-sr-only, [hidden]')) continue;
        if (box.right > width + 1) found.push(`${el.tagName.toLowerCase()}.${el.className}`.slice(0, 80));
    }
    return {scroll: document.documentElement.scrollWidth, width, found: found.slice(0, 5)};
}"""


@pytest.mark.parametrize("screen", SCREENS)
def test_main_pages_fit_the_screen_and_are_photographed(live_server, pages, browser, screen):
    context = browser.new_context(locale="fr-FR", viewport=SCREENS[screen], color_scheme="light")
    page = context.new_page()
    try:
        for name, path in pages.items():
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            layout = page.evaluate(OVERFLOWING, CONTENT)
            assert layout["scroll"] <= layout["width"], (name, screen, layout)
            assert layout["found"] == [], (name, screen, layout)
            assert page.locator("h1").is_visible(), (name, screen)
            if name == "recherche":  # on a phone the filters wait behind « Filtrer »; on a desktop, a sidebar
                assert page.get_by_role("button", name="Filtrer").is_visible() == (screen == "mobile")
                assert page.locator("#facets .cp-facet__option").first.is_visible() == (screen == "desktop")
            page.screenshot(path=screenshots_dir() / f"{name}-{screen}.png")
    finally:
        context.close()


def test_on_a_phone_the_menu_and_the_search_open(live_server, pages, browser):
    context = browser.new_context(locale="fr-FR", viewport=SCREENS["mobile"])
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        navigation = page.locator("#fr-menu-mobile")
        assert not navigation.get_by_role("link", name="Producteurs").is_visible()
        page.get_by_role("button", name="Menu").click()
        link = navigation.get_by_role("link", name="Producteurs")
        link.wait_for(state="visible")
        assert link.bounding_box()["width"] <= SCREENS["mobile"]["width"]
        navigation.get_by_role("button", name="Fermer").click()

        page.locator("button.fr-btn--search").click()
        search = page.locator("#header-search-input")
        search.wait_for(state="visible")
        search.fill("cinéma")
        search.press("Enter")
        page.wait_for_url("**/datasets/?q=*")
        assert "cinéma" in page.inner_text("#results-count")
        # The results come first on a phone (the filters open in a panel: tests/browser/test_filters.py).
        in_the_screen = "document.getElementById('results-count').getBoundingClientRect().bottom <= innerHeight"
        assert page.evaluate(in_the_screen)
    finally:
        context.close()


# Producers: a compact grid, not one long column (about thirty producers once took 9,500 pixels).
ROWS = """() => {
    const tiles = [...document.querySelectorAll('.cp-org-grid > li')];
    const tops = tiles.map((li) => Math.round(li.getBoundingClientRect().top));
    const perRow = {};
    for (const top of tops) perRow[top] = (perRow[top] || 0) + 1;
    return {count: tops.length, rows: Object.values(perRow), height: document.documentElement.scrollHeight};
}"""


def test_producers_are_a_grid_on_a_desktop_and_fit_a_phone(live_server, sample, browser):
    context = browser.new_context(locale="fr-FR", viewport=SCREENS["desktop"])
    page = context.new_page()
    try:
        page.goto(live_server.url + "/organisations/")
        grid = page.evaluate(ROWS)
        assert grid["count"] >= 6, grid
        assert min(grid["rows"][:-1] or grid["rows"]) >= 3, grid  # every full row holds three producers or more
        page.get_by_role("link", name=re.compile(r"^Collectivité territoriale")).click()
        page.wait_for_url("**/organisations/?type=local-authority")
        assert page.evaluate(ROWS)["count"] < grid["count"]
    finally:
        context.close()
    context = browser.new_context(locale="fr-FR", viewport=SCREENS["mobile"])
    page = context.new_page()
    try:
        for path in ("/organisations/", "/organisations/?type=local-authority&q=ville"):
            page.goto(live_server.url + path)
            layout = page.evaluate(OVERFLOWING, CONTENT)
            assert layout["scroll"] <= layout["width"], (path, layout)
            assert layout["found"] == [], (path, layout)
    finally:
        context.close()
