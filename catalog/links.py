"""Absolute URLs of this site: from ``SITE_URL`` when it is set, never from a header a client chose.

Without ``SITE_URL`` the request's scheme and host are used; Django has already checked the host
against ``ALLOWED_HOSTS``, and page caches put this root in their keys (catalog.caching), so one
host's canonical links are never served to another.
"""

from __future__ import annotations

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
    """The path of one of a section's pages (``SECTION_PAGES``)."""
    from django.urls import reverse

    if is_main(section):
        return reverse(f"catalog:{page}")
    return reverse(f"catalog:section_{page}", kwargs={"section": section.id})


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
