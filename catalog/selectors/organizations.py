"""The producers' pages: the list, searchable by name and filtered by type, and one producer with its datasets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from catalog import labels, search
from catalog.facets import FacetOption
from catalog.models import Dataset, Organization
from catalog.selectors.listing import card_queryset, section_datasets, section_id, summary


class _Organizations(Sequence):
    """Organizations in a given order of ids, read from the database one page at a time."""

    ordered = True

    def __init__(self, ids: list[int], counts: dict[int, int]) -> None:
        self.ids = ids
        self.counts = counts

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.ids[index]
        found = Organization.objects.in_bulk(ids)
        page = [found[pk] for pk in ids if pk in found]
        for organization in page:
            organization.dataset_count = self.counts[organization.pk]
        return page


# The organization types the producers page filters on (a dataset's publisher may also be a person).
ORGANIZATION_KINDS = {kind: label for kind, label in labels.ORGANIZATION_KINDS.items() if kind != "user"}


@dataclass
class OrganizationListing:
    organizations: Sequence[Organization]  # the page's producers, most datasets first
    kinds: list[FacetOption]  # each type with the number of producers the search finds of it


def organization_list(*, query: str = "", kind: str = "") -> OrganizationListing:
    """Publishing organizations, most datasets first, each with its ``dataset_count``, and their types.

    ``query`` words must all appear in the name, acronym or slug, accents and case aside; ``kind`` keeps
    one type. The types are counted over the search's matches, whatever the chosen type.
    """
    counts = dict(summary()["facets"]["organization"])
    rows = Organization.objects.filter(pk__in=list(counts)).values_list("pk", "name", "kind", "acronym", "slug")
    words = search.fold(query).split()[: search.MAX_TERMS]
    if words:
        rows = [row for row in rows if all(word in search.fold(" ".join(row[3:]) + " " + row[1]) for word in words)]
    by_kind = Counter(row[2] if row[2] in ORGANIZATION_KINDS else "other" for row in rows)
    if kind:
        rows = [row for row in rows if (row[2] if row[2] in ORGANIZATION_KINDS else "other") == kind]
    ids = [row[0] for row in sorted(rows, key=lambda row: (-counts[row[0]], row[1]))]
    kinds = [
        FacetOption(value=value, label=label, count=by_kind[value], selected=value == kind)
        for value, label in ORGANIZATION_KINDS.items()
        if by_kind[value] or value == kind
    ]
    return OrganizationListing(organizations=_Organizations(ids, counts), kinds=kinds)


def organization_get(*, slug: str) -> Organization | None:
    return (
        Organization.objects.with_dataset_counts(section_id())
        .filter(Q(slug=slug) | Q(remote_id=slug))
        .order_by("-dataset_count")
        .first()
    )


def organization_datasets(organization: Organization) -> QuerySet[Dataset]:
    return card_queryset(section_datasets().filter(organization=organization)).order_by(
        F("last_update").desc(nulls_last=True), "pk"
    )
