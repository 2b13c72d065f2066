"""Publisher content is untrusted: it is stored, never executed, and never breaks a page."""

import json
import re

import pytest

from catalog.models import Dataset
from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization, resource

pytestmark = pytest.mark.django_db

EVIL = organization(
    "6f" * 12, '<img src=x onerror="alert(1)">Orga', slug="orga/../evil", description="<script>x()</script>"
)


@pytest.fixture
def hostile(tmp_path):
    nasty = dataset(
        "9" * 24,
        'Titre <script>alert("t")</script> \ud800 \u202etxt.exe \u200b',
        slug="../a/b c",
        org=EVIL,
        tags=("musee", "<b>tag</b>", "x" * 1000),
        description=(
            "[clic](javascript:alert(1)) <iframe src=//evil></iframe> <svg onload=alert(2)>"
            "[data](data:text/html;base64,PHNjcmlwdD4=)\x00 " + "long " * 250_000
        ),
        resources=[
            resource(
                "r-js",
                title="<script>alert(3)</script>",
                fmt="CSV; DROP TABLE",
                url="javascript:alert(4)",
                filesize=10**30,
            ),  # fmt: skip
            resource("r-ok", title="Fichier sain", fmt="csv"),
        ],
        page="javascript:alert(5)",
        metrics={"views": 10**40, "followers": -5, "reuses": "12", "discussions": None, "resources_downloads": 1.5},
        temporal_coverage={"start": "0000-99-99", "end": "2024-02-30"},
        last_update="not a date",
    )
    nasty["resources"][0]["latest"] = "data:text/html,<script>alert(6)</script>"
    payloads.load(tmp_path, [nasty], [EVIL])
    return Dataset.objects.get(remote_id="9" * 24)


def test_hostile_dataset_is_stored_with_safe_values(hostile):
    assert "/" not in hostile.slug and " " not in hostile.slug
    assert hostile.metric_views == 2_147_483_647
    assert hostile.metric_followers == 0
    assert hostile.last_update is None and hostile.temporal_start is None
    bad, good = hostile.resources.order_by("position")
    assert bad.url == "" and bad.download_url == ""
    assert bad.filesize is None
    assert " " not in bad.format and ";" not in bad.format
    assert good.download_url.startswith("https://")
    assert hostile.page.startswith("https://www.data.gouv.fr/datasets/")


def test_hostile_dataset_page_renders_without_any_active_content(client, hostile):
    response = client.get(f"/datasets/{hostile.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<iframe" not in html and "<svg" not in html and 'onerror="' not in html
    assert 'href="javascript:' not in html and 'href="data:' not in html
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in html  # the title is shown, as text
    assert "Lien non disponible" in html  # the non-http file is not a link
    scripts = re.findall(r"<script[^>]*>", html)
    # Only our own script files, and the JSON-LD data block (not executable; checked below).
    assert all("src=" in tag or tag == '<script type="application/ld+json">' for tag in scripts), scripts
    (data,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    assert json.loads(data)["@type"] == "Dataset"


def test_hostile_dataset_in_lists_and_organization_pages(client, hostile):
    for url in (
        "/",
        "/datasets/",
        "/datasets/?q=titre",
        f"/organisations/{hostile.organization.slug}/",
        "/organisations/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<script>alert" not in html and 'onerror="alert' not in html, url
