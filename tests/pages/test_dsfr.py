"""The DSFR done properly: the State's brand block for the Ministry of Culture, the site's name, and the
official components (header, search bar, breadcrumb, cards, tags, pagination, footer) where expected."""

import re

import pytest
from django.conf import settings

from catalog.ingest.service import sync_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample():
    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)


def test_the_brand_block_is_the_ministry_of_culture_and_the_site_is_named(client, sample):
    html = client.get("/").content.decode()
    assert re.search(r'<p class="fr-logo">\s*Ministère<br>de la Culture\s*</p>', html)
    assert html.count('class="fr-logo"') == 2  # header and footer
    assert re.search(r'<p class="fr-header__service-title">\s*culture\.data\.gouv\.fr\s*</p>', html)
    assert re.search(r"<title>culture\.data\.gouv\.fr — [^<]+</title>", html)
    # The footer's mandatory links to the State's sites and the accessibility status.
    for href in ("https://www.info.gouv.fr", "https://service-public.gouv.fr", "https://legifrance.gouv.fr",
                 "https://data.gouv.fr"):  # fmt: skip
        assert f'href="{href}' in html, href
    assert "Accessibilité&nbsp;: non conforme" in html


@pytest.mark.parametrize(
    ("path", "components"),
    [
        ("/", ["fr-header", "fr-search-bar", "fr-card", "fr-badge", "fr-tile", "fr-footer", "fr-skiplinks"]),
        ("/datasets/", ["fr-breadcrumb", "fr-search-bar", "fr-card", "fr-pagination", "fr-select"]),
        ("/datasets/?category=musee", ["fr-tag"]),  # the active filters
        ("/datasets/frequentation-des-musees-de-france/", ["fr-breadcrumb", "fr-tag", "fr-btns-group", "fr-badge"]),
        ("/organisations/", ["fr-breadcrumb", "fr-search-bar", "fr-grid-row", "fr-tile", "fr-tag"]),
        ("/a-propos/", ["fr-breadcrumb", "fr-footer", "fr-modal"]),
    ],
)
def test_pages_are_built_from_dsfr_components(client, sample, path, components):
    html = client.get(path).content.decode()
    classes = set(re.findall(r'class="([^"]+)"', html))
    used = {name for value in classes for name in value.split()}
    assert set(components) <= used, set(components) - used


def test_dsfr_assets_come_from_the_package(client, sample):
    html = client.get("/").content.decode()
    assert re.search(r'href="/static/dsfr/dist/dsfr/dsfr\.min(\.[0-9a-f]{12})?\.css"', html)
    assert re.search(r'src="/static/dsfr/dist/dsfr/dsfr\.module\.min(\.[0-9a-f]{12})?\.js"', html)
