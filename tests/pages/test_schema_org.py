"""Every dataset page's JSON-LD speaks schema.org: known types, properties those types have (their own or
inherited from CreativeWork and Thing), and values of the kinds schema.org expects (URLs, ISO 8601 dates,
booleans), as Google's Dataset rich results ask (name, description of 50 to 5,000 characters).

The vocabulary below is taken from schema.org's type pages, restricted to the types we emit.
"""

import json
import re
from datetime import date, datetime
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from catalog.ingest.service import sync_catalog
from catalog.models import Dataset

THING = {"name", "description", "url", "sameAs", "identifier", "alternateName", "image"}
CREATIVE_WORK = THING | {
    "keywords", "isAccessibleForFree", "publisher", "creator", "license", "dateCreated", "dateModified",
    "datePublished", "temporalCoverage", "spatialCoverage", "inLanguage",
}  # fmt: skip
VOCABULARY = {
    "Dataset": CREATIVE_WORK | {"distribution", "includedInDataCatalog", "variableMeasured", "measurementTechnique"},
    "DataDownload": CREATIVE_WORK | {"contentUrl", "encodingFormat", "contentSize", "uploadDate"},
    "DataCatalog": CREATIVE_WORK | {"dataset"},
    "CreativeWork": CREATIVE_WORK,
    "Organization": THING | {"logo", "email"},
    "Person": THING | {"email"},
    "Place": THING | {"geo", "address"},
}
URL_VALUED = {"url", "sameAs", "contentUrl", "logo", "image"}
DATE_VALUED = {"dateCreated", "dateModified", "datePublished", "uploadDate"}


def is_url(value) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return bool(parts and parts.scheme in {"http", "https"} and parts.netloc)


def is_iso_date(value) -> bool:
    try:
        (datetime if "T" in value else date).fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def problems(node, where: str = "") -> list[str]:
    found = []
    kind = node.get("@type")
    if kind not in VOCABULARY:
        return [f"{where}: unknown type {kind!r}"]
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if key not in VOCABULARY[kind]:
            found.append(f"{where}{kind}.{key} is not a schema.org property of {kind}")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                found += problems(item, f"{where}{kind}.{key} > ")
            elif key in URL_VALUED and not is_url(item):
                found.append(f"{where}{kind}.{key}: not a URL: {item!r}")
            elif key in DATE_VALUED and not is_iso_date(item):
                found.append(f"{where}{kind}.{key}: not an ISO 8601 date: {item!r}")
            elif key == "license" and not is_url(item):
                found.append(f"{where}{kind}.license: neither a URL nor a CreativeWork: {item!r}")
            elif key == "isAccessibleForFree" and not isinstance(item, bool):
                found.append(f"{where}{kind}.isAccessibleForFree: not a boolean")
            elif key == "temporalCoverage" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}/(\d{4}-\d{2}-\d{2}|\.\.)", item):
                found.append(f"{where}{kind}.temporalCoverage: not an ISO 8601 interval: {item!r}")
    return found


@pytest.mark.django_db
def test_every_dataset_page_carries_valid_schema_org(client):
    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)
    datasets = list(Dataset.objects.published())
    assert len(datasets) >= 30
    found = {}
    for dataset in datasets:
        html = client.get(f"/datasets/{dataset.slug}/").content.decode()
        (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
        data = json.loads(block)
        assert data["@context"] == "https://schema.org"
        issues = problems(data)
        if not 50 <= len(data["description"]) <= 5000:
            issues.append(f"description of {len(data['description'])} characters")
        if issues:
            found[dataset.slug] = issues
    assert found == {}


def test_the_checker_catches_what_schema_org_would_refuse():
    bad = {"@type": "Dataset", "name": "x", "licence": "x", "license": "Licence Ouverte", "url": "javascript:x",
           "dateModified": "hier", "distribution": [{"@type": "Download", "contentUrl": "x"}]}  # fmt: skip
    assert len(problems(bad)) == 5
