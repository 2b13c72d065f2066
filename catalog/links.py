"""Absolute URLs of this site: from ``SITE_URL`` when it is set, never from a header a client chose.

Without ``SITE_URL`` the request's scheme and host are used; Django has already checked the host
against ``ALLOWED_HOSTS``, and page caches put this root in their keys (catalog.caching), so one
host's canonical links are never served to another.
"""

from __future__ import annotations

import functools
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest


def site_root(request: HttpRequest) -> str:
    """``https://culture.data.gouv.fr``: scheme and host, no trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    return f"{request.scheme}://{request.get_host()}"


def absolute(request: HttpRequest, path: str) -> str:
    """The absolute URL of a path of this site (``path`` starts with ``/``)."""
    return site_root(request) + path


# A section's own pages: its list and its exports. The main section keeps the site's first addresses
# (``/datasets/``, ``/datasets.csv``…); every other one has them under its ``url_prefix`` (catalog/urls.py).
SECTION_PAGES = ("dataset_list", "dataset_export", "dcat_jsonld", "dcat_turtle", "feed")


def section(section_id: str = ""):
    """The universe's section of this id; the main one for ``""`` or an id the universe does not declare."""
    universe = settings.UNIVERSE
    return next((found for found in universe.sections if found.id == section_id), universe.main)


def is_main(section) -> bool:
    return section.id == settings.UNIVERSE.main.id


def section_url(section, page: str = "dataset_list") -> str:
    """The path of one of a section's pages (``SECTION_PAGES``).

    A card links each of its keywords to its section's list: the path is reversed once per section, page,
    URL prefix and script prefix, not once per link."""
    from django.urls import get_script_prefix, get_urlconf

    main = is_main(section)
    return _section_path(page, "" if main else section.id, section.url_prefix, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=256)
def _section_path(page: str, section_id: str, url_prefix: str, script_prefix: str, urlconf: str | None) -> str:
    from django.urls import reverse

    if not section_id:
        return reverse(f"catalog:{page}", urlconf=urlconf)
    return reverse(f"catalog:section_{page}", kwargs={"section": section_id}, urlconf=urlconf)


# The site's fixed pages by short name (``{{ PAGES.about }}``): every page links about a dozen of them.
SITE_PAGES = {
    "home": "pages:home", "about": "pages:about", "accessibility": "pages:accessibility", "legal": "pages:legal",
    "privacy": "pages:privacy", "opensearch": "pages:opensearch", "feed": "catalog:feed",
    "datasets": "catalog:dataset_list", "dcat_jsonld": "catalog:dcat_jsonld", "dcat_turtle": "catalog:dcat_turtle",
}  # fmt: skip


def site_pages() -> dict[str, str]:
    """The paths of ``SITE_PAGES``, reversed once per script prefix rather than a dozen times a page."""
    from django.urls import get_script_prefix, get_urlconf

    return _site_pages(get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=16)
def _site_pages(script_prefix: str, urlconf: str | None) -> dict[str, str]:
    from django.urls import reverse

    return {name: reverse(view, urlconf=urlconf) for name, view in SITE_PAGES.items()}


def dataset_url(slug: str) -> str:
    """A dataset page's path, as ``reverse`` writes it for a slug the sync stores (letters, digits, ``.~_-``:
    catalog.ingest.mapping.slug): the path around the slug is reversed once per script prefix, and ``quote`` then
    writes the slug as ``reverse`` does. A list shows 20 cards."""
    from django.urls import get_script_prefix, get_urlconf

    before, after = _dataset_path(get_script_prefix(), get_urlconf())
    return f"{before}{quote(slug)}{after}"


_SLUG_MARK = "slug-here"


@functools.lru_cache(maxsize=16)
def _dataset_path(script_prefix: str, urlconf: str | None) -> tuple[str, str]:
    from django.urls import reverse

    before, _, after = reverse("catalog:dataset_detail", args=[_SLUG_MARK], urlconf=urlconf).partition(_SLUG_MARK)
    return before, after


class SectionLinks:
    """A section's pages for templates: ``links.dataset_list``, ``links.feed``…"""

    def __init__(self, section) -> None:
        self.section = section
        self.is_main = is_main(section)
        for page in SECTION_PAGES:
            setattr(self, page, section_url(section, page))


def dataset_sections(section_ids: str) -> list:
    """The universe's sections holding a dataset (its padded ``section_ids``), in the universe's order."""
    held = set(section_ids.split())
    return [found for found in settings.UNIVERSE.sections if found.id in held]
