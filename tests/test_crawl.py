"""Follow every internal link of the site on the sample catalogue: no page may fail."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings

from catalog.ingest.service import sync_catalog

pytestmark = pytest.mark.django_db

MAX_PAGES = 400


def test_every_internal_link_answers(client):
    sync_catalog(from_dump=settings.SAMPLE_CATALOG_PATH)
    seen: set[str] = set()
    # Pages first, then their variants (a query string: filters, keywords, pages of results), so that the
    # page budget reaches every dataset and producer however many filter links a list page offers.
    pages, variants = deque(["/"]), deque()
    failures = []
    while (pages or variants) and len(seen) < MAX_PAGES:
        url = (pages or variants).popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.streaming:  # exports are served from files: read to the end, which closes the file
            response.getvalue()
        if response.status_code != 200:
            failures.append((url, response.status_code))
            continue
        if "text/html" not in response["Content-Type"]:
            continue
        for href in re.findall(r'href="([^"#]*)"', response.content.decode()):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or parts.path.startswith("/static/"):
                continue  # external links and static files are checked elsewhere
            (variants if parts.query else pages).append(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert failures == []
    dataset_pages = {url for url in seen if re.fullmatch(r"/datasets/[^/?]+/", url)}
    organization_pages = {url for url in seen if re.fullmatch(r"/organisations/[^/?]+/", url)}
    assert len(dataset_pages) >= 42  # every published Explorer sample dataset is reachable by links
    assert len(organization_pages) == 16  # every publisher of Explorer's datasets (the DEPS through the shared ones)
