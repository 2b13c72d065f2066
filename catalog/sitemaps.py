"""sitemap.xml: every published dataset, every publishing organization, the site's pages."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from catalog import selectors
from catalog.models import Dataset, Organization, SyncRun


class DatasetSitemap(Sitemap):
    limit = 10_000  # URLs per sitemap file; the index lists the files

    def items(self):
        return Dataset.objects.published().order_by("pk").only("slug", "last_modified", "last_update")

    def location(self, item: Dataset) -> str:
        return reverse("catalog:dataset_detail", args=[item.slug])

    def lastmod(self, item: Dataset):
        return item.last_modified or item.last_update


class OrganizationSitemap(Sitemap):
    def items(self):
        publishing = [pk for pk, _ in selectors.summary()["facets"]["organization"]]
        return Organization.objects.filter(pk__in=publishing).order_by("pk").only("slug", "last_modified")

    def location(self, item: Organization) -> str:
        return reverse("catalog:organization_detail", args=[item.slug])

    def lastmod(self, item: Organization):
        return item.last_modified


class PageSitemap(Sitemap):
    CATALOGUE = ("pages:home", "catalog:dataset_list", "catalog:organization_list")
    EDITORIAL = ("pages:about", "pages:accessibility", "pages:legal", "pages:privacy")

    def items(self):
        return list(self.CATALOGUE + self.EDITORIAL)

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str):
        if item not in self.CATALOGUE:
            return None
        last = SyncRun.objects.filter(status=SyncRun.Status.SUCCESS).order_by("-started_at").first()
        return last.finished_at if last else None


SITEMAPS = {"pages": PageSitemap, "datasets": DatasetSitemap, "organizations": OrganizationSitemap}
