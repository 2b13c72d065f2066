"""sitemap.xml: every published dataset, every publishing organization, the site's pages.

Served by the two views below rather than django.contrib.sitemaps' own: those take the host from
the request and rebuild the whole file on every request. Here each file is built once per catalogue
version (catalog.exports.store), its URLs start with ``links.site_root`` (``SITE_URL``, else the checked
request host), and the written document goes through ``safe_text.xml_text``.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import TextIO

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import Http404, HttpRequest, HttpResponse
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_safe

from catalog import links
from catalog.exports import store
from catalog.models import Dataset, Organization, SyncRun
from catalog.safe_text import xml_text
from catalog.selectors import listing

CONTENT_TYPE = "application/xml"
_PAGE = re.compile(r"[0-9]{1,9}")


class DatasetSitemap(Sitemap):
    limit = 10_000  # URLs per sitemap file; the index lists the files

    def items(self):
        # Every section's: a dataset has one page (/datasets/<slug>/) whichever sections list it.
        return Dataset.objects.published().order_by("pk").only("slug", "last_modified", "last_update")

    def location(self, item: Dataset) -> str:
        return reverse("catalog:dataset_detail", args=[item.slug])

    def lastmod(self, item: Dataset):
        return item.last_modified or item.last_update


class OrganizationSitemap(Sitemap):
    def items(self):
        publishing = [pk for pk, _ in listing.summary()["facets"]["organization"]]
        return Organization.objects.filter(pk__in=publishing).order_by("pk").only("slug", "last_modified")

    def location(self, item: Organization) -> str:
        return reverse("catalog:organization_detail", args=[item.slug])

    def lastmod(self, item: Organization):
        return item.last_modified


class PageSitemap(Sitemap):
    CATALOGUE = ("pages:home", "catalog:dataset_list", "catalog:organization_list")
    EDITORIAL = ("pages:about", "pages:accessibility", "pages:legal", "pages:privacy")

    def items(self):
        return list(self.CATALOGUE + self.sections() + self.EDITORIAL)

    @staticmethod
    def sections() -> tuple[str, ...]:
        """The lists of the sections other than the main one (``/observer/``), as paths."""
        return tuple(links.section_url(section) for section in settings.UNIVERSE.sections[1:])

    def location(self, item: str) -> str:
        return item if item.startswith("/") else reverse(item)

    def lastmod(self, item: str):
        if item not in self.CATALOGUE + self.sections():
            return None
        last = SyncRun.objects.filter(status=SyncRun.Status.SUCCESS).order_by("-started_at").first()
        return last.finished_at if last else None


SITEMAPS = {"pages": PageSitemap, "datasets": DatasetSitemap, "organizations": OrganizationSitemap}


def _site(request: HttpRequest) -> tuple[str, SimpleNamespace]:
    """(protocol, site) for ``Sitemap.get_urls``, from the site's root instead of the request."""
    protocol, _, domain = links.site_root(request).partition("://")
    return protocol, SimpleNamespace(domain=domain)


def _serve(request: HttpRequest, key: str, write, check=lambda: None) -> HttpResponse:
    export = store.Export(
        kind="sitemap", key=key, content_type=CONTENT_TYPE, build=write, check=check, extension="xml", params=("p",)
    )
    response = store.serve(request, export)
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as django.contrib.sitemaps does
    return response


@store.export_view
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """sitemap.xml: the list of the section files (and of their further pages)."""

    def write(out: TextIO) -> None:
        protocol, site = _site(request)
        items = []
        for section, sitemap_class in SITEMAPS.items():
            sitemap = sitemap_class()
            location = f"{protocol}://{site.domain}{reverse('sitemap-section', kwargs={'section': section})}"
            last = sitemap.get_latest_lastmod()
            items.append(SitemapIndexItem(location, last))
            items += [SitemapIndexItem(f"{location}?p={page}", last) for page in sitemap.paginator.page_range[1:]]
        out.write(xml_text(loader.render_to_string("sitemap_index.xml", {"sitemaps": items})))

    return _serve(request, "index", write)


@store.export_view
@require_safe
def section(request: HttpRequest, section: str) -> HttpResponse:
    """sitemap-<section>.xml, page ``?p=`` (from 1)."""
    if section not in SITEMAPS:
        raise Http404("Section de plan du site inconnue")
    raw_page = request.GET.get("p", "1")
    if not _PAGE.fullmatch(raw_page) or int(raw_page) < 1:
        raise Http404("Page de plan du site inconnue")
    page = int(raw_page)
    sitemap = SITEMAPS[section]()

    def check() -> None:
        if page > sitemap.paginator.num_pages:
            raise Http404("Page de plan du site vide")

    def write(out: TextIO) -> None:
        protocol, site = _site(request)
        urls = sitemap.get_urls(page=page, site=site, protocol=protocol)
        out.write(xml_text(loader.render_to_string("sitemap.xml", {"urlset": urls})))

    return _serve(request, f"{section}:{page}", write, check)
