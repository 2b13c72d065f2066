"""Findable: sitemap, robots.txt, canonical and OpenGraph tags, schema.org JSON-LD, OpenSearch."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization, resource

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")


@pytest.fixture
def catalogue(tmp_path, sample_licenses):
    datasets = [
        dataset("a" * 24, "Musées de France", slug="musees-de-france", tags=("musee",), org=MC, license="lov2",
                description="Liste des **musées** labellisés « Musée de France », avec </script><script>alert(1)",
                temporal_coverage={"start": "2019-01-01", "end": None},
                resources=[resource("r-a1", title="Liste CSV", fmt="csv")]),
        dataset("b" * 24, "Archives départementales", slug="archives-dep", tags=("archives",), org=MC,
                archived="2025-01-01T00:00:00+00:00"),
    ]  # fmt: skip
    payloads.load(tmp_path, datasets, [MC], sample_licenses)


def locations(client, url):
    tree = ET.fromstring(client.get(url).getvalue())
    return tree, [element.text for element in tree.iter(f"{SITEMAP}loc")]


def test_sitemap_lists_pages_datasets_and_organizations_with_dates(client, catalogue):
    _, sections = locations(client, "/sitemap.xml")
    assert sorted(sections) == [f"http://testserver/sitemap-{name}.xml" for name in
                                ("datasets", "organizations", "pages")]  # fmt: skip
    tree, urls = locations(client, "/sitemap-datasets.xml")
    assert urls == ["http://testserver/datasets/musees-de-france/"]  # archived ones are left out
    assert tree.find(f"{SITEMAP}url/{SITEMAP}lastmod").text.startswith("2025-06-01")
    _, urls = locations(client, "/sitemap-organizations.xml")
    assert urls == ["http://testserver/organisations/ministere-de-la-culture/"]
    _, urls = locations(client, "/sitemap-pages.xml")
    assert "http://testserver/" in urls and "http://testserver/a-propos/" in urls


def test_robots_txt_points_to_the_sitemap(client, catalogue):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_pages_have_canonical_url_description_and_opengraph(client, catalogue):
    html = client.get("/datasets/musees-de-france/?utm=x").content.decode()
    assert '<link rel="canonical" href="http://testserver/datasets/musees-de-france/">' in html
    assert '<meta property="og:title" content="Musées de France">' in html
    assert re.search(r'<meta name="description" content="Liste des musées', html)
    assert '<link rel="search" type="application/opensearchdescription+xml"' in html


def test_dataset_page_carries_a_schema_org_dataset(client, catalogue):
    html = client.get("/datasets/musees-de-france/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["name"] == "Musées de France"
    assert "musées labellisés" in data["description"] and len(data["description"]) >= 50
    assert data["url"] == "http://testserver/datasets/musees-de-france/"
    assert data["sameAs"].startswith("https://www.data.gouv.fr/datasets/")
    assert data["publisher"] == {"@type": "Organization", "name": "Ministère de la Culture",
                                 "url": "https://www.data.gouv.fr/organizations/ministere-de-la-culture"}  # fmt: skip
    assert data["license"].startswith("http")
    assert data["keywords"] == ["musee"]
    assert data["temporalCoverage"] == "2019-01-01/.."
    assert data["dateModified"].startswith("2025-06-01")
    assert data["distribution"] == [{"@type": "DataDownload", "name": "Liste CSV", "encodingFormat": "csv",
                                     "contentUrl": "https://www.data.gouv.fr/api/1/datasets/r/r-a1"}]  # fmt: skip
    assert "</script><script>" not in blocks[0]  # publisher text cannot end the block


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response["Content-Type"] == "application/opensearchdescription+xml"
    tree = ET.fromstring(response.content)
    url = tree.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert url.get("template") == "http://testserver/datasets/?q={searchTerms}"
