"""Paths this site writes without ``reverse`` for each link, held equal to what ``reverse`` writes."""

import pytest
from django.test import override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog import links
from catalog.ingest import mapping

SLUGS = ["musees-de-france", "Musée-d-Orsay", "a.b~c_d", "données-2024", "x" * 255, "é" * 3, "~", "id-0123"]


@pytest.mark.parametrize("slug", SLUGS)
def test_a_dataset_path_is_what_reverse_writes(slug):
    assert mapping.slug(slug, "") == slug  # a slug the sync can store
    assert links.dataset_url(slug) == reverse("catalog:dataset_detail", args=[slug])


@settings(max_examples=200, derandomize=True, deadline=None)
@given(value=st.text(min_size=1, max_size=60))
def test_any_stored_slug_has_the_path_reverse_writes(value):
    slug = mapping.slug(value, "0" * 24)
    assert links.dataset_url(slug) == reverse("catalog:dataset_detail", args=[slug])


def test_a_dataset_path_follows_the_script_prefix():
    try:
        set_script_prefix("/culture/")
        assert (
            links.dataset_url("musees")
            == "/culture/datasets/musees/"
            == reverse("catalog:dataset_detail", args=["musees"])
        )
    finally:
        clear_script_prefix()
    assert links.dataset_url("musees") == "/datasets/musees/"


@override_settings(ROOT_URLCONF="culture_portal.urls")
def test_the_path_is_reversed_once_per_prefix():
    links._dataset_path.cache_clear()
    for slug in SLUGS:
        links.dataset_url(slug)
    assert links._dataset_path.cache_info().misses == 1


@pytest.mark.django_db
def test_the_site_pages_are_what_reverse_writes_and_every_page_links_them(client):
    assert links.site_pages() == {name: reverse(view) for name, view in links.SITE_PAGES.items()}
    html = client.get("/a-propos/").content.decode()
    for name in ("home", "about", "accessibility", "legal", "privacy", "opensearch", "feed", "datasets"):
        assert f'="{reverse(links.SITE_PAGES[name])}"' in html, name
