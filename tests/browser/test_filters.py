"""The list page's filters in Chromium, on the sample catalogue: options that follow the search, the chosen
one in sight, producers found by name without JavaScript, keywords as links; on a 375-pixel phone, results
first and the filters in a panel (a DSFR modal) that the keyboard opens, uses and closes, or, without
JavaScript, after the results; on a desktop, a sidebar."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
SEARCH = "/datasets/?q=mus%C3%A9es"


def new_tab(browser, viewport: dict, javascript: bool = True):
    context = browser.new_context(locale="fr-FR", viewport=viewport, java_script_enabled=javascript)
    return context, context.new_page()


@pytest.fixture
def tab(browser):
    """A desktop tab."""
    context, page = new_tab(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def tab_without_js(browser):
    context, page = new_tab(browser, DESKTOP, javascript=False)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context, page = new_tab(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def phone_without_js(browser):
    context, page = new_tab(browser, PHONE, javascript=False)
    yield page
    context.close()


def visible_options(page, facet: str) -> list[str]:
    """The labels of a facet's options a visitor sees without unfolding « Voir plus »."""
    options = page.locator(f'#facets [aria-labelledby="facet-{facet}"] .cp-facet__option')
    return [
        " ".join(re.sub(r"\s\d[\d\s\u202f\u00a0]*(résultats?)?$", "", option.inner_text()).split())
        for option in options.all()
        if option.is_visible()
    ]


def apply(page, facet: str) -> None:
    """Press the « Appliquer » button of a facet's checkboxes."""
    block = page.locator(".cp-facet", has=page.locator(f"#facet-{facet}"))
    block.get_by_role("button", name=re.compile("^Appliquer")).click()


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_after_a_search_the_options_follow_its_results(live_server, sample, tab):
    tab.goto(live_server.url + "/datasets/")
    tab.fill("#search-q", "musées")  # htmx updates the results and, out of band, the filters
    expect(tab.locator("#results-count")).to_contain_text("musées", timeout=5000)
    shown = visible_options(tab, "category")
    # Once a fixed order put Archives (no result here) first and folded Musées, the ninth, under « Voir plus ».
    assert shown[0] == "Musées", shown
    assert "Archives" not in shown
    assert visible_options(tab, "format")[0] == "CSV"


def test_a_chosen_producer_with_few_results_stays_in_sight(live_server, sample, tab):
    from catalog.models import Organization

    rarest = Organization.objects.publishing().order_by("dataset_count", "-name").first()
    tab.goto(live_server.url + "/datasets/")
    assert rarest.name not in visible_options(tab, "organization")  # folded under « Voir plus »
    tab.goto(live_server.url + f"/datasets/?organization={rarest.slug}")
    assert visible_options(tab, "organization")[0] == rarest.name
    assert tab.locator(f"#facet-organization-{rarest.slug}").is_checked()


def test_a_producer_is_found_by_name_without_javascript(live_server, sample, tab_without_js):
    from catalog.models import Dataset, Organization

    tab = tab_without_js
    rarest = Organization.objects.publishing().order_by("dataset_count", "-name").first()
    tab.goto(live_server.url + "/datasets/")
    assert rarest.name not in visible_options(tab, "organization")
    word = max(rarest.name.split(), key=len)
    tab.get_by_label("Chercher un producteur par son nom").fill(word.upper())
    tab.get_by_role("button", name="Chercher", exact=True).click()
    tab.wait_for_url("**organization_q=*")
    assert rarest.name in visible_options(tab, "organization")
    tab.locator(f'label[for="facet-organization-{rarest.slug}"]').click()  # a checkbox, then « Appliquer »
    apply(tab, "organization")
    tab.wait_for_url(f"**organization={rarest.slug}*")
    assert "organization_q" not in tab.url
    expected = Dataset.objects.published().filter(organization=rarest).count()
    assert tab.locator(".fr-card__title").count() == expected


def test_a_keyword_of_a_card_leads_to_the_search_by_that_keyword(live_server, sample, tab):
    from catalog.models import Dataset

    tab.goto(live_server.url + "/datasets/")
    keyword = tab.locator(".cp-dataset-card .cp-keywords a").first
    name = keyword.inner_text()
    keyword.click()  # a link of its own, inside a card that is a link as a whole
    tab.wait_for_url("**tag=*")
    assert parse_qs(urlsplit(tab.url).query)["tag"] == [name]
    expected = Dataset.objects.published().filter(tags__name=name).count()
    assert tab.locator(".fr-card__title").count() == min(expected, 20)
    expect(tab.locator(".cp-active-filters")).to_contain_text(f"Mot-clé\u00a0: {name}")


def test_on_a_phone_the_results_come_first_and_the_filters_open_in_a_panel(live_server, sample, phone):
    tab = phone
    tab.goto(live_server.url + SEARCH + "&category=musee")
    count = box(tab, "#results-count")
    assert count["y"] + count["height"] <= PHONE["height"]  # the results begin in the first screen
    assert not tab.locator("#facets .cp-facet__option").first.is_visible()  # the filters wait in their panel
    assert box(tab, ".cp-active-filters")["y"] < box(tab, ".cp-card-list")["y"]  # chips above the results
    expect(tab.locator(".cp-active-filters")).not_to_contain_text("cliquer")

    button = tab.get_by_role("button", name="Filtrer")
    assert button.bounding_box()["y"] + button.bounding_box()["height"] <= PHONE["height"]
    for _ in range(60):  # the keyboard reaches it, and opens it
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.getAttribute('aria-controls') === 'filters'"):
            break
    tab.keyboard.press("Enter")
    panel = tab.get_by_role("dialog", name="Filtrer")
    expect(panel).to_be_visible()
    assert panel.get_attribute("aria-modal") == "true"
    inside = "document.getElementById('filters').contains(document.activeElement)"
    assert tab.evaluate(inside)
    for _ in range(80):  # focus stays in the panel however far one tabs
        tab.keyboard.press("Tab")
        assert tab.evaluate(inside)

    # An option ticked in the panel updates the results behind it; the panel stays, focus on the option (ticked),
    # so that another can be ticked next.
    option = tab.locator('#facets input[type="checkbox"][name="organization_type"]').first
    option.focus()
    tab.keyboard.press("Space")
    tab.wait_for_url("**organization_type=*")
    expect(tab.locator(".cp-active-filters")).to_contain_text("Type de producteur")
    expect(panel).to_be_visible()
    assert tab.evaluate("document.activeElement.name") == "organization_type"
    assert tab.evaluate("document.activeElement.checked") is True
    assert tab.evaluate(inside)

    tab.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert tab.evaluate("document.activeElement.textContent.trim()") == "Filtrer"  # focus back on the button
    button.click()
    expect(panel).to_be_visible()
    tab.get_by_role("button", name="Voir les résultats").click()
    expect(panel).to_be_hidden()


def test_on_a_phone_without_javascript_the_filters_follow_the_results(live_server, sample, phone_without_js):
    tab = phone_without_js
    tab.goto(live_server.url + SEARCH)
    assert not tab.get_by_role("button", name="Filtrer").is_visible()  # it needs JavaScript to open a panel
    link = tab.get_by_role("link", name="Filtrer", exact=True)
    assert link.is_visible()
    results, filters = box(tab, "#results-count"), box(tab, "#filters-title")
    assert results["y"] < box(tab, ".cp-card-list")["y"] < filters["y"]
    link.click()  # leads to the filters, shown in the page
    in_screen = "(el) => { const r = el.getBoundingClientRect(); return r.top >= -1 && r.bottom <= innerHeight + 1; }"
    assert tab.locator("#filters-title").evaluate(in_screen)
    tab.locator('#facets label[for^="facet-category-"]').first.click()
    apply(tab, "category")
    tab.wait_for_url("**category=*")
    tab.get_by_role("link", name=re.compile("^Aller aux résultats")).click()
    assert tab.locator("#results-count").evaluate(in_screen)


def test_on_a_desktop_the_filters_are_a_sidebar(live_server, sample, tab):
    tab.goto(live_server.url + SEARCH)
    assert not tab.get_by_role("button", name="Filtrer").is_visible()
    assert tab.get_by_role("dialog").count() == 0
    assert tab.locator("#facets .cp-facet__option").first.is_visible()
    sidebar, results = box(tab, "#filters"), box(tab, "#results")
    assert sidebar["x"] + sidebar["width"] <= results["x"] and sidebar["y"] < PHONE["height"]
