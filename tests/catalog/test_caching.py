"""Pages cached and revalidated by catalogue version: never stale after a sync."""

import pytest
from django.utils import timezone

from catalog.models import SyncRun
from tests import payloads
from tests.payloads import dataset, organization

pytestmark = pytest.mark.django_db

MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")


def load(tmp_path, title):
    payloads.load(tmp_path, [dataset("a" * 24, title, slug="musees", tags=("musee",), org=MC)], [MC])


@pytest.mark.parametrize("url", ["/", "/datasets/", "/datasets/?q=mus%C3%A9es", "/datasets/musees/",
                                 "/organisations/", "/organisations/ministere-de-la-culture/"])  # fmt: skip
def test_catalogue_pages_answer_304_to_a_browser_that_has_them(client, tmp_path, url):
    load(tmp_path, "Musées de France")
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert "must-revalidate" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_a_sync_gives_new_content_and_a_new_etag(client, tmp_path):
    load(tmp_path, "Musées de France")
    before = client.get("/datasets/")
    assert "Musées de France" in before.content.decode()
    client.get("/datasets/")  # now served from the cache
    load(tmp_path, "Musées et monuments de France")
    after = client.get("/datasets/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "Musées et monuments de France" in after.content.decode()


def test_a_failed_sync_shows_its_banner_at_once(client, tmp_path):
    load(tmp_path, "Musées de France")
    assert "pas pu être synchronisé" not in client.get("/").content.decode()
    now = timezone.now()
    SyncRun.objects.create(started_at=now, finished_at=now, status=SyncRun.Status.FAILED, source="x", error="boom")
    assert "pas pu être synchronisé" in client.get("/").content.decode()


def test_htmx_fragment_and_full_page_are_cached_apart(client, tmp_path):
    load(tmp_path, "Musées de France")
    page = client.get("/datasets/?q=musees")
    fragment = client.get("/datasets/?q=musees", HTTP_HX_REQUEST="true")
    again = client.get("/datasets/?q=musees")
    assert "<html" in page.content.decode() and "<html" not in fragment.content.decode()
    assert again.content == page.content
    assert fragment["ETag"] != page["ETag"]
    assert "HX-Request" in page["Vary"]
