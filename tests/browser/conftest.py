"""Browser tests: Debian's Chromium driven by Playwright (never ``playwright install``: it downloads).

Without Chromium the tests are skipped, and the run ends with a warning saying so and how to install it:
a green run must not hide that the browser part did not happen.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
MISSING = "Chromium not found: the browser tests did NOT run (install it: apt-get install -y chromium)"


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        pytest.skip(MISSING)
    # Playwright's synchronous API runs an event loop in this thread; Django's ORM then refuses
    # to run here unless told that it is safe, which it is in tests.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def sample(live_server):
    """The sample catalogue, with its dataset of most files and its most followed publisher."""
    from django.conf import settings

    from catalog.ingest.service import sync_catalog
    from catalog.models import Dataset, Organization

    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)
    biggest = Dataset.objects.published().order_by("-resource_count").first()
    organization = Organization.objects.filter(datasets__isnull=False).order_by("-metric_followers").first()
    return {"dataset": biggest, "organization": organization}


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def page_without_js(browser):
    """A tab with JavaScript off: the site must work the same without it."""
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    yield context.new_page()
    context.close()


def pytest_terminal_summary(terminalreporter):
    if not chromium_available():
        terminalreporter.section("browser tests", sep="!", red=True, bold=True)
        terminalreporter.line(MISSING, red=True, bold=True)
