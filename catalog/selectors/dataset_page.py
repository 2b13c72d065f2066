"""A dataset's page: the dataset (``dataset_get``) and its files, searched and grouped by type (``dataset_files``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, Prefetch

from catalog import labels, search
from catalog.models import Dataset, Resource


def dataset_get(*, slug: str) -> Dataset | None:
    """A dataset by slug (or data.gouv.fr id), withdrawn ones included; None when unknown."""
    queryset = (
        Dataset.objects.with_publisher("license", "text")
        .prefetch_related(Prefetch("resources", queryset=Resource.objects.order_by("position")))
        .order_by(F("withdrawn_at").desc(nulls_first=True), "-last_update")
    )
    return queryset.filter(slug=slug).first() or queryset.filter(remote_id=slug).first()


@dataclass(frozen=True)
class ResourceFilters:
    """What a dataset page's file search can ask for; every field optional."""

    query: str = ""
    format: str = ""
    type: str = ""

    @property
    def active(self) -> bool:
        return bool(self.query or self.format or self.type)


@dataclass(frozen=True)
class FileOption:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class FileListing:
    """A dataset's files matching a search, in type order, and the choices its search form offers."""

    files: list[Resource]
    total: int
    formats: list[FileOption]
    types: list[FileOption]

    # Past this many files, a dataset page offers to search and filter them.
    SEARCH_FROM = 7

    @property
    def searchable(self) -> bool:
        return self.total >= self.SEARCH_FROM

    def groups(self, page: Sequence[Resource]) -> list[FileGroup]:
        """One page of ``files`` under the headings of their types, each with its number of matching files."""
        matching = Counter(resource.type_key for resource in self.files)
        groups: list[FileGroup] = []
        for resource in page:
            if not groups or groups[-1].type != resource.type_key:
                kind = resource.type_key
                groups.append(FileGroup(kind, labels.RESOURCE_TYPES[kind], labels.RESOURCE_TYPE_HELP[kind],
                                        matching[kind], []))  # fmt: skip
            groups[-1].files.append(resource)
        return groups


@dataclass(frozen=True)
class FileGroup:
    type: str
    label: str
    help: str
    count: int
    files: list[Resource]


_TYPE_ORDER = {kind: position for position, kind in enumerate(labels.RESOURCE_TYPES)}


def dataset_files(dataset: Dataset, filters: ResourceFilters = ResourceFilters()) -> FileListing:
    """The dataset's files matching ``filters``, grouped by type (the API's type order), then in its order.

    The files are the ones ``dataset_get`` prefetched (the JSON-LD lists them all): a few hundred at
    most, filtered here without another query. A search matches every word, accents and case aside, in
    a file's title or format.
    """
    everything = sorted(dataset.resources.all(), key=lambda r: (_TYPE_ORDER[r.type_key], r.position))
    words = search.fold(filters.query).split()[: search.MAX_TERMS]

    def matches(resource: Resource) -> bool:
        if filters.format and resource.format.lower() != filters.format:
            return False
        if filters.type and resource.type_key != filters.type:
            return False
        haystack = search.fold(f"{resource.title} {resource.format}") if words else ""
        return all(word in haystack for word in words)

    files = [resource for resource in everything if matches(resource)]
    formats = Counter(resource.format.lower() for resource in everything if resource.format)
    types = Counter(resource.type_key for resource in everything)
    return FileListing(
        files=files,
        total=len(everything),
        formats=[FileOption(value, value.upper(), count) for value, count in sorted(formats.items())],
        types=[FileOption(kind, label, types[kind]) for kind, label in labels.RESOURCE_TYPES.items() if kind in types],
    )
