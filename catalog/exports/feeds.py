"""Atom feeds of the catalogue's datasets, newest update first: all, per category, per organization.

Each feed is built once per catalogue version (catalog.exports.store). Its links start with the site's
root (``links.site_root``: ``SITE_URL``, else the checked request host), and every text it holds
goes through ``SafeAtom1Feed``, which drops what XML 1.0 cannot hold.
"""

from __future__ import annotations

import copy
from typing import Any, TextIO

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from catalog import labels, links
from catalog.exports import store
from catalog.models import Dataset, Organization
from catalog.safe_text import xml_tree
from catalog.selectors import listing

FEED_SIZE = 50


class SafeAtom1Feed(Atom1Feed):
    """Atom, with every string of the feed and of its entries made XML-safe on the way in.

    Django's XML writer raises on most control characters (and encoding a lone surrogate fails):
    one publisher's title would otherwise break the whole feed.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*xml_tree(args), **xml_tree(kwargs))

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(*xml_tree(args), **xml_tree(kwargs))


class DatasetFeed(Feed):
    feed_type = SafeAtom1Feed
    export_view = True  # served by catalog.exports.store: the builder may replay it
    root = ""  # the site's root, set on the copy that serves a request
    path = ""
    section = ""  # the section listed, from the address (catalog/urls.py); "" for the main one

    def title(self, obj) -> str:
        universe = settings.UNIVERSE
        if self.section:
            return f"{links.section(self.section).list_title} — {universe.name}"
        return f"Jeux de données {universe.subject.of} — {universe.name}"

    def subtitle(self, obj) -> str:
        if self.section:
            title = links.section(self.section).title
            return f"{title}\u00a0: les jeux de données ajoutés ou mis à jour sur data.gouv.fr."
        return f"Les jeux de données publics {settings.UNIVERSE.subject.of} ajoutés ou mis à jour sur data.gouv.fr."

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The instance is shared by every request: each gets its own copy, with its site root and section.
        feed = copy.copy(self)
        feed.root, feed.path = links.site_root(request), request.path
        feed.section = kwargs.pop("section", "")
        found: list[Any] = []

        def check() -> None:
            found.append(feed.get_object(request, *args, **kwargs))  # Http404 for an unknown slug

        def write(out: TextIO) -> None:
            feed.get_feed(found[0], request).write(out, "utf-8")

        export = store.Export(
            kind=f"feed-{type(self).__name__.lower()}",
            key=repr(sorted(kwargs.items())) + (f":{feed.section}" if feed.section else ""),
            content_type=SafeAtom1Feed.content_type,
            build=write,
            check=check,
            extension="atom",
        )
        return store.serve(request, export)

    def feed_url(self) -> str:
        return self.root + self.path

    def link(self) -> str:
        return self.root + links.section_url(links.section(self.section))

    def datasets(self, obj):
        return listing.section_datasets(self.section)

    def items(self, obj=None):
        # Undated datasets last, on PostgreSQL too (it puts NULL first in a descending order).
        newest = F("last_update").desc(nulls_last=True)
        queryset = self.datasets(obj).with_publisher().order_by(newest, "pk")
        return queryset[:FEED_SIZE]

    def item_title(self, item: Dataset) -> str:
        return item.title

    def item_description(self, item: Dataset) -> str:
        return item.description_short

    def item_link(self, item: Dataset) -> str:
        return self.root + reverse("catalog:dataset_detail", args=[item.slug])

    def item_guid(self, item: Dataset) -> str:
        return f"urn:datagouv:dataset:{item.remote_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Dataset):
        return item.created_at

    def item_updateddate(self, item: Dataset):
        # Atom requires a date on every entry; a dataset whose dates did not parse has at least its sync's.
        return item.last_update or item.last_modified or item.created_at or item.last_synced_at

    def item_author_name(self, item: Dataset) -> str:
        return item.publisher_name


class CategoryFeed(DatasetFeed):
    def get_object(self, request, slug: str):
        if slug not in labels.CATEGORY_BY_SLUG:
            raise Http404("Catégorie inconnue")
        return labels.CATEGORY_BY_SLUG[slug]

    def title(self, obj) -> str:
        return f"{obj.label} — jeux de données {settings.UNIVERSE.subject.of}"

    def link(self, obj) -> str:
        return self.root + reverse("catalog:dataset_list") + f"?category={obj.slug}"

    def datasets(self, obj):
        return listing.section_datasets().in_category(obj.slug)


class OrganizationFeed(DatasetFeed):
    def get_object(self, request, slug: str):
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise Http404("Producteur inconnu")
        return organization

    def title(self, obj) -> str:
        return f"{obj.name} — jeux de données {settings.UNIVERSE.subject.of}"

    def link(self, obj) -> str:
        return self.root + reverse("catalog:organization_detail", args=[obj.slug])

    def datasets(self, obj):
        return listing.section_datasets().filter(organization=obj)
