"""The address holds the state of a list: Back and Forward bring back the search box, the filters and the sort
together with their results, the sort applies when picked, a removed chip keeps the rest, and htmx pushes clean
addresses. Without JavaScript the same forms work by plain navigation."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

MUSEES, CINEMA = "musées", "cinéma"


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


def heading(page):
    return page.locator("#results-count")


def card_titles(page) -> list[str]:
    return page.locator("#results .cp-card-list h3").all_inner_texts()


def expect_search(page, words: str, sort: str | None = None) -> None:
    """The box, the results' heading and the sort menu all say the same search as the address."""
    expect(page.locator("#search-q")).to_have_value(words)
    if words:
        expect(heading(page)).to_contain_text(f"pour «\u00a0{words}\u00a0»")
    else:
        expect(heading(page)).not_to_contain_text("pour «")
    assert query(page).get("q", [""]) == [words]
    if sort is not None:
        expect(page.locator("#sort-select")).to_have_value(sort)


def search(page, words: str) -> None:
    page.fill("#search-q", words)
    expect(heading(page)).to_contain_text(f"pour «\u00a0{words}\u00a0»")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == [words])


def test_back_and_forward_bring_back_the_search_box_with_its_results(live_server, sample, page):
    page.goto(f"{live_server.url}/datasets/")
    search(page, MUSEES)
    search(page, CINEMA)
    page.go_back()
    expect_search(page, MUSEES)
    page.go_back()
    expect_search(page, "")
    page.go_forward()
    expect_search(page, MUSEES)
    page.go_forward()
    expect_search(page, CINEMA)


def test_back_and_forward_from_a_search_page_opened_directly(live_server, sample, page):
    """The box of the page first loaded is drawn with its words: the later pages must not show them."""
    page.goto(f"{live_server.url}/datasets/?q={MUSEES}")
    search(page, CINEMA)
    page.go_back()
    expect_search(page, MUSEES)
    page.go_forward()
    expect_search(page, CINEMA)


def test_back_and_forward_bring_back_filters_and_sort_with_the_results(live_server, sample, page):
    page.goto(f"{live_server.url}/datasets/?q={MUSEES}")
    first_facet = page.locator("#facets .cp-facet__check label").first  # a checkbox: applied when ticked
    facet_label = first_facet.inner_text().split("\n")[0].strip()
    chips = page.locator(".cp-active-filters a.fr-tag")
    first_facet.click()
    page.wait_for_url(lambda url: len(parse_qs(urlsplit(url).query)) == 2)
    expect(chips).to_have_count(2)
    filtered = query(page)
    expect(page.locator(".cp-active-filters")).to_contain_text(facet_label)
    page.select_option("#sort-select", "titre")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("sort") == ["titre"])
    by_title = card_titles(page)
    search(page, CINEMA)  # a new search keeps the filter and the order
    assert query(page)["sort"] == ["titre"]

    page.go_back()
    expect_search(page, MUSEES, sort="titre")
    assert card_titles(page) == by_title
    page.go_back()
    expect_search(page, MUSEES, sort="pertinence")
    assert query(page) == filtered
    expect(page.locator(".cp-active-filters")).to_contain_text(facet_label)
    page.go_back()
    expect_search(page, MUSEES, sort="pertinence")
    expect(chips).to_have_count(1)  # the search's own
    page.go_forward()
    expect(chips).to_have_count(2)
    page.go_forward()
    expect_search(page, MUSEES, sort="titre")
    page.go_forward()
    expect_search(page, CINEMA, sort="titre")
    expect(page.locator(".cp-active-filters")).to_contain_text(facet_label)


def test_several_values_of_a_facet_come_and_go_with_the_address(live_server, sample, page):
    page.goto(f"{live_server.url}/datasets/")
    boxes = page.locator('#facets input[type="checkbox"][name="category"]')
    first, second = boxes.nth(0).get_attribute("value"), boxes.nth(1).get_attribute("value")
    chips = page.locator(".cp-active-filters a.fr-tag")

    def chosen(url: str) -> list[str]:
        return sorted(parse_qs(urlsplit(url).query).get("category", []))

    def expect_ticked(*values: str) -> None:
        for value in (first, second):
            box = page.locator(f"#facet-category-{value}")
            expect(box).to_be_checked() if value in values else expect(box).not_to_be_checked()
        expect(chips).to_have_count(len(values))

    page.locator(f'label[for="facet-category-{first}"]').click()  # ticked: applied at once
    page.wait_for_url(lambda url: chosen(url) == [first])
    page.locator(f'label[for="facet-category-{second}"]').click()  # a second value of the same facet
    page.wait_for_url(lambda url: chosen(url) == sorted([first, second]))
    expect_ticked(first, second)
    page.go_back()
    page.wait_for_url(lambda url: chosen(url) == [first])
    expect_ticked(first)
    page.go_forward()
    page.wait_for_url(lambda url: chosen(url) == sorted([first, second]))
    expect_ticked(first, second)
    chips.first.click()  # a chip removes its value only
    page.wait_for_url(lambda url: len(chosen(url)) == 1)
    expect(chips).to_have_count(1)


def test_back_and_forward_bring_back_the_file_filters_of_a_dataset(live_server, sample, page):
    url = f"{live_server.url}/datasets/{sample['dataset'].slug}/"
    page.goto(url)
    every_file = page.locator("#results .cp-resource").count()
    page.select_option("#files-format", "csv")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("format") == ["csv"])
    csv_files = page.locator("#results .cp-resource").count()
    page.fill("#files-q", "2022")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == ["2022"])
    expect(page.locator("#results .cp-resource")).not_to_have_count(csv_files)
    searched = page.locator("#results .cp-resource").count()
    assert 0 < searched < csv_files < every_file

    page.go_back()
    expect(page.locator("#files-q")).to_have_value("")
    expect(page.locator("#files-format")).to_have_value("csv")
    expect(page.locator("#results .cp-resource")).to_have_count(csv_files)
    page.go_back()
    expect(page.locator("#files-format")).to_have_value("")
    expect(page.locator("#results .cp-resource")).to_have_count(every_file)
    page.go_forward()
    expect(page.locator("#files-format")).to_have_value("csv")
    expect(page.locator("#results .cp-resource")).to_have_count(csv_files)
    page.go_forward()
    expect(page.locator("#files-q")).to_have_value("2022")
    expect(page.locator("#files-format")).to_have_value("csv")
    expect(page.locator("#results .cp-resource")).to_have_count(searched)


def test_the_sort_applies_when_picked(live_server, sample, page, browser):
    page.goto(f"{live_server.url}/datasets/?q={MUSEES}")
    page.click("#sort-select")  # opens the list; Playwright then picks as a pointer would
    page.select_option("#sort-select", "titre")  # no button pressed
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("sort") == ["titre"])
    expect(page.locator("#sort-select")).to_have_value("titre")
    expect(page.locator("#sort-select")).to_be_focused()  # the swap did not lose the user's place
    reference = browser.new_page()
    try:
        reference.goto(f"{live_server.url}/datasets/?q={MUSEES}&sort=titre")
        assert card_titles(page) == card_titles(reference) != []
    finally:
        reference.close()


def test_arrow_keys_on_the_sort_wait_for_enter(live_server, sample, page):
    """Chromium fires "change" at each arrow key on a closed select: moving through the options must not
    reload the results (RGAA 7.4); Enter applies the choice, and the « Trier » button stays visible."""
    page.goto(f"{live_server.url}/datasets/?q={MUSEES}")
    page.evaluate("window.cpChanges = 0; document.addEventListener('change', () => window.cpChanges++)")
    page.focus("#sort-select")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("window.cpChanges") == 2  # the browser did fire them
    page.wait_for_timeout(700)
    assert "sort" not in query(page)
    expect(page.locator("#sort-select")).to_have_value("titre")
    expect(page.get_by_role("button", name="Trier", exact=True)).to_be_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("sort") == ["titre"])
    expect(page.locator("#sort-select")).to_be_focused()


def test_without_javascript_the_sort_button_applies_the_sort(live_server, sample, page_without_js):
    page = page_without_js
    page.goto(f"{live_server.url}/datasets/?q={MUSEES}")
    page.select_option("#sort-select", "titre")
    assert "sort" not in query(page)
    page.get_by_role("button", name="Trier", exact=True).click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("sort") == ["titre"])
    assert query(page)["q"] == [MUSEES]
    expect(page.locator("#sort-select")).to_have_value("titre")


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_removing_a_chip_keeps_the_sort_and_the_rest(live_server, sample, page, page_without_js, javascript):
    page = page if javascript else page_without_js
    page.goto(f"{live_server.url}/datasets/?q={MUSEES}&sort=titre")
    page.locator("#facets .cp-facet__check label").first.click()  # a checkbox…
    if not javascript:  # …applied by its facet's button without JavaScript
        page.locator(".cp-facet__form").first.get_by_role("button", name=re.compile("^Appliquer")).click()
    page.wait_for_url(lambda url: len(parse_qs(urlsplit(url).query)) == 3)
    facet = next(name for name in query(page) if name not in ("q", "sort"))

    page.get_by_role("link", name="Retirer la recherche").click()
    page.wait_for_url(lambda url: "q" not in parse_qs(urlsplit(url).query))
    assert set(query(page)) == {facet, "sort"} and query(page)["sort"] == ["titre"]
    expect(page.locator("#sort-select")).to_have_value("titre")
    expect(page.locator("#search-q")).to_have_value("")

    page.locator(".cp-active-filters a.fr-tag").first.click()  # the facet's chip, the only one left
    page.wait_for_url(lambda url: facet not in parse_qs(urlsplit(url).query))
    assert query(page) == {"sort": ["titre"]}
    expect(page.locator("#sort-select")).to_have_value("titre")


def test_file_filtering_pushes_clean_addresses(live_server, sample, page):
    url = f"{live_server.url}/datasets/{sample['dataset'].slug}/"
    page.goto(url)
    page.select_option("#files-format", "csv")
    page.wait_for_url("**format=csv")
    assert urlsplit(page.url).query == "format=csv"
    page.fill("#files-q", "2022")
    page.wait_for_url("**q=2022**")
    assert query(page) == {"q": ["2022"], "format": ["csv"]}
    page.select_option("#files-format", "")
    page.wait_for_url(lambda current: "format" not in parse_qs(urlsplit(current).query, keep_blank_values=True))
    assert urlsplit(page.url).query == "q=2022"
    page.fill("#files-q", "")
    page.wait_for_url(url)
    assert urlsplit(page.url).query == ""


def test_emptying_the_search_box_pushes_the_bare_list_address(live_server, sample, page):
    page.goto(f"{live_server.url}/datasets/?q={MUSEES}")
    page.fill("#search-q", "")
    page.wait_for_url(f"{live_server.url}/datasets/")
    expect_search(page, "")


def test_back_and_forward_bring_back_the_producer_search(live_server, sample, page):
    page.goto(f"{live_server.url}/organisations/")
    box = page.locator("#organization-q")
    for words, producer in (("ville", "Ville de Lyon"), ("centre", "Centre national du livre")):
        page.fill("#organization-q", words)
        page.wait_for_url(lambda url, words=words: parse_qs(urlsplit(url).query).get("q") == [words])
        expect(page.locator("#results")).to_contain_text(producer)
    page.go_back()
    expect(box).to_have_value("ville")
    expect(page.locator("#results")).to_contain_text("Ville de Lyon")
    page.go_back()
    expect(box).to_have_value("")
    page.go_forward()
    page.go_forward()
    expect(box).to_have_value("centre")
    expect(page.locator("#results")).not_to_contain_text("Ville de Lyon")
