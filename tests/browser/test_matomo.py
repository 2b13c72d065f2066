"""Matomo in Chromium: loaded with a page view when configured, nothing at all under Do Not Track or
Global Privacy Control. The Matomo server is faked by intercepting its requests."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

MATOMO = "https://stats.example.org"


@pytest.fixture
def matomo(settings):
    settings.MATOMO_URL, settings.MATOMO_SITE_ID = MATOMO, "42"
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "script-src": [*directives["script-src"], MATOMO],
                       "connect-src": [*directives["connect-src"], MATOMO]}
    }  # fmt: skip


def visit(browser, url: str, init_script: str = "") -> tuple[list[str], object]:
    context = browser.new_context()
    if init_script:
        context.add_init_script(init_script)
    requested: list[str] = []

    def fake_matomo(route):
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="application/javascript", body="window.matomoLoaded = true;")

    context.route(MATOMO + "/**", fake_matomo)
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        queue = page.evaluate("window._paq || null")
        return requested, queue
    finally:
        context.close()


def test_a_page_view_is_measured_when_configured(live_server, browser, matomo):
    requested, queue = visit(browser, live_server.url + "/a-propos/")
    assert requested == [MATOMO + "/matomo.js"]
    assert ["setSiteId", "42"] in queue and ["trackPageView"] in queue and ["disableCookies"] in queue
    assert ["setTrackerUrl", MATOMO + "/matomo.php"] in queue


@pytest.mark.parametrize(
    "refusal",
    [
        "Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'})",
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})",
    ],
)
def test_nothing_is_loaded_when_the_browser_refuses_tracking(live_server, browser, matomo, refusal):
    requested, queue = visit(browser, live_server.url + "/a-propos/", refusal)
    assert requested == [] and queue is None
