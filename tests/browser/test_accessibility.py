"""Accessibility in Chromium: axe-core on every page type, a keyboard-only journey, the live region,
and the site with JavaScript off. axe-core comes inside the axe-playwright-python package."""

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]]


def page_types(sample) -> dict[str, str]:
    return {
        "home": "/",
        "list with filters": "/datasets/?category=musee&sort=titre",
        "search": "/datasets/?q=mus%C3%A9es",
        "no results": "/datasets/?q=zzzzzz&category=cinema",
        "misspelt search": "/datasets/?q=Bibliotheqe+rennes",
        "dataset with many files": f"/datasets/{sample['dataset'].slug}/",
        "organizations": "/organisations/",
        "organization": f"/organisations/{sample['organization'].slug}/",
        "about": "/a-propos/",
        "accessibility statement": "/accessibilite/",
        "not found": "/nulle-part/",
    }


# What axe checks only loosely, checked by hand: the first Tab reaches a skip link to the content, the
# landmarks are there once each, headings never skip a level going down, every visible form control
# has a name.
STRUCTURE = """() => {
    const problems = [];
    const skip = document.querySelector('.fr-skiplinks a');
    if (!skip || skip.getAttribute('href') !== '#content' || !document.getElementById('content'))
        problems.push('no skip link to #content first');
    for (const [selector, label] of [['header[role=banner], body > header', 'banner'],
            ['nav[aria-label="Menu principal"]', 'main navigation'], ['main', 'main'],
            ['footer[role=contentinfo], body > footer', 'contentinfo']]) {
        if (document.querySelectorAll(selector).length !== 1) problems.push(`landmark ${label}`);
    }
    let previous = 0;
    for (const heading of document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')) {
        const level = Number(heading.tagName[1]);
        if (previous && level > previous + 1)
            problems.push(`h${previous} then h${level}: ${heading.textContent.trim()}`);
        previous = level;
    }
    for (const control of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
        const named = control.labels.length || control.getAttribute('aria-label')
            || control.getAttribute('aria-labelledby');
        if (!named) problems.push(`unlabelled ${control.outerHTML.slice(0, 80)}`);
    }
    return {problems};
}"""


def page_structure(page) -> dict:
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    found = page.evaluate(STRUCTURE)
    if first != "#content":
        found["problems"].append(f"first Tab reaches {first!r}, not the skip link")
    return found


def test_axe_finds_no_violation_on_any_page_type(live_server, sample, page):
    found = {}
    for name, path in page_types(sample).items():
        page.goto(live_server.url + path)
        assert page.get_attribute("html", "lang") == "fr", name
        assert page.locator("h1").count() == 1, name
        assert page.locator("main#content").count() == 1, name
        assert page_structure(page) == {"problems": []}, name
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


LIST_PAGES = ["/datasets/?q=mus%C3%A9es&category=musee", "/datasets/?tag=patrimoine&last_update_range=last_3_years"]


SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_axe_finds_no_violation_on_the_list_page_at_both_widths(live_server, sample, browser, screen):
    """The list page as a sidebar of filters (1280 px) and as results with a panel of filters (375 px), the
    panel closed and open."""
    context = browser.new_context(locale="fr-FR", viewport=screen)
    page = context.new_page()
    try:
        found = {}
        for path in LIST_PAGES:
            page.goto(live_server.url + path)
            assert page_structure(page) == {"problems": []}, path
            found[path] = axe_violations(page)
        if screen["width"] < 768:
            found["panel open"] = filter_panel_violations(page)
        assert {path: violations for path, violations in found.items() if violations} == {}
    finally:
        context.close()


def filter_panel_violations(page) -> list[str]:
    """axe on a list page at phone width with its « Filtrer » panel open (opened from the keyboard)."""
    page.get_by_role("button", name="Filtrer").focus()  # (a click right after the skip link's
    page.keyboard.press("Enter")  # focus lands on moving ground: DSFR folds the skip links away)
    page.get_by_role("dialog", name="Filtrer").wait_for(state="visible")
    page.wait_for_timeout(400)  # the panel's fade-in: axe reads colours
    return axe_violations(page)


def focus_until(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches the JavaScript ``predicate`` (on ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!(el && ({predicate})); }})()"):
            return
    raise AssertionError(f"never reached by keyboard: {predicate}")


def focus_is_visible(page) -> bool:
    """An outline (or focus ring) on the focused element, or on its ``::before`` box: a DSFR card draws
    the focus of its title link there, around the whole card; a DSFR checkbox, on its label's box."""
    return page.evaluate(
        """(() => {
            const ringed = (el, pseudo) => { const s = getComputedStyle(el, pseudo);
                return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; };
            const el = document.activeElement;
            const label = el.labels && el.labels[0];
            return ringed(el, null) || ringed(el, '::before') || (label && ringed(label, '::before'));
        })()"""
    )


def test_keyboard_only_search_filter_open_and_download(live_server, sample, page):
    page.goto(live_server.url + "/datasets/")
    focus_until(page, "el.id === 'search-q'")
    assert focus_is_visible(page)
    page.keyboard.type("musées")
    page.keyboard.press("Enter")
    page.wait_for_url("**/datasets/?q=*")
    focus_until(page, "el.matches('input[type=checkbox][name=\"organization_type\"]')")
    assert focus_is_visible(page)
    page.keyboard.press("Space")  # ticked: applied at once, the focus kept on the box
    page.wait_for_url("**organization_type=*")
    assert page.evaluate("document.activeElement.checked && document.activeElement.name") == "organization_type"
    focus_until(page, "el.matches('.fr-card__title a')")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/datasets/*/")
    requested: list[str] = []
    # The file lives on data.gouv.fr (unreachable here): record the request instead, in any tab.
    page.context.on("request", lambda request: requested.append(request.url))
    page.context.route("https://**", lambda route: route.abort())
    focus_until(page, "el.matches('a[href*=\"/datasets/r/\"], a[download], a.fr-link--download')")
    assert focus_is_visible(page)
    target = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_timeout(1000)
    assert target in requested, requested


def test_live_region_announces_the_count_after_an_htmx_update(live_server, sample, page):
    page.goto(live_server.url + "/datasets/")
    page.fill("#search-q", "musées")
    status = page.locator("#results-status")
    expect(status).to_contain_text("trouvé", timeout=5000)
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert "jeu" in status.inner_text()


def test_the_site_works_without_javascript(live_server, sample, page_without_js):
    page = page_without_js
    page.goto(live_server.url + "/")
    page.fill("#header-search-input", "musées")
    page.keyboard.press("Enter")
    page.wait_for_url("**/datasets/?q=*")
    assert "pour «\u00a0musées\u00a0»" in page.inner_text("#results-count")
    page.locator(".cp-facet__option[href]").first.click()
    page.wait_for_load_state("load")
    assert page.locator(".fr-card__title a").count() >= 1
    page.locator(".fr-card__title a").first.click()
    page.wait_for_url("**/datasets/*/")
    assert page.locator("h1").count() == 1
