"""The dataset page leads with the data: what a reuser needs is on the first screen (desktop) or the first two
(phone), and the description's fold opens without JavaScript."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

# (viewport, how far down the licence and the first download button must end: one screen, or two on a phone)
SCREENS = {
    "desktop": ({"width": 1280, "height": 800}, 800),
    "mobile": ({"width": 375, "height": 740}, 1480),
}
FIRST_DOWNLOAD = "main a.fr-btn[href*='/datasets/r/']"


def bottom(page, selector: str) -> float:
    """Where the element's box ends, from the top of the page (infinitely far when it is not displayed)."""
    locator = page.locator(selector).first
    box = locator.bounding_box() if locator.count() else None
    return box["y"] + box["height"] if box else float("inf")


@pytest.mark.parametrize("screen", SCREENS)
def test_title_publisher_update_licence_and_first_download_are_above_the_fold(live_server, sample, browser, screen):
    viewport, fold = SCREENS[screen]
    context = browser.new_context(locale="fr-FR", viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/datasets/{sample['dataset'].slug}/")
        page.wait_for_load_state("load")
        positions = {name: bottom(page, selector) for name, selector in [
            ("title", "h1"), ("publisher", "text=Publié par"), ("last update", "#last-update"),
            ("licence", "#licence"), ("first download", FIRST_DOWNLOAD),
        ]}  # fmt: skip
        late = {name: position for name, position in positions.items() if position > fold}
        assert late == {}, f"below {fold} px at {viewport['width']}×{viewport['height']}: {late}"
        # The filled button is the download; data.gouv.fr is a secondary action.
        assert "fr-btn--secondary" not in page.locator(FIRST_DOWNLOAD).first.get_attribute("class")
        assert "fr-btn--secondary" in page.get_by_role("link", name="Voir sur data.gouv.fr").get_attribute("class")
    finally:
        context.close()


def test_the_description_fold_opens_without_javascript(live_server, sample, page_without_js):
    page = page_without_js
    page.goto(f"{live_server.url}/datasets/{sample['dataset'].slug}/")
    fold = page.locator("details.cp-fold")
    assert fold.count() == 1
    hidden = fold.locator(".cp-markdown")
    assert not hidden.is_visible()
    summary = fold.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert hidden.is_visible()
    assert "Réduire la description" in summary.inner_text()


def test_the_file_search_works_without_javascript(live_server, sample, page_without_js):
    page = page_without_js
    page.goto(f"{live_server.url}/datasets/{sample['dataset'].slug}/")
    page.select_option("#files-format", "pdf")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**format=pdf**")
    formats = page.locator("#results .cp-resource .fr-badge").all_inner_texts()
    assert formats and set(formats) == {"PDF"}


@pytest.mark.parametrize("screen", SCREENS)
def test_data_gouv_fr_and_the_discussions_are_reached_within_the_first_screens(live_server, sample, browser, screen):
    """Secondary actions, drawn once: in the side column on a desktop; on a phone, where that column comes
    after every file and the description, under the licence (before the files, which stay in the first screens)."""
    viewport, fold = SCREENS[screen]
    context = browser.new_context(locale="fr-FR", viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/datasets/{sample['dataset'].slug}/")
        page.wait_for_load_state("load")
        for name in ("Voir sur data.gouv.fr", "Poser une question / commenter sur data.gouv.fr"):
            links = page.get_by_role("link", name=name)  # display: none copies are not in the accessibility tree
            assert links.count() == 1, name
            assert links.is_visible()
            box = links.bounding_box()
            assert box["y"] + box["height"] <= fold, f"{name} ends at {box['y'] + box['height']} px"
        first_download = page.locator(FIRST_DOWNLOAD).first.bounding_box()
        assert first_download["y"] + first_download["height"] <= fold
    finally:
        context.close()
