"""Read queries the pages need. Views call these; query tuning happens here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import islice
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When

from catalog import labels, search
from catalog.models import CatalogSummary, Dataset, License, Organization, Resource, SyncRun

SORTS = {
    "pertinence": "Pertinence",
    "recent": "Mise à jour la plus récente",
    "titre": "Titre (A → Z)",
    "populaire": "Popularité",
}
FACET_LIMIT = 30


def _card_queryset(queryset: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return queryset.select_related("organization", "license").prefetch_related("tags")


@dataclass(frozen=True)
class DatasetFilters:
    """What the list page can ask for; every field optional."""

    query: str = ""
    category: str = ""
    organization: str = ""
    organization_type: str = ""
    format: str = ""
    license: str = ""
    archived: bool = False
    sort: str = ""
    # Set by ``resolve``, not by visitors: no dataset holds every word, so any word will do.
    any_term: bool = False

    @property
    def active(self) -> bool:
        return any((self.query, self.category, self.organization, self.organization_type, self.format,
                    self.license, self.archived))  # fmt: skip

    @property
    def effective_sort(self) -> str:
        return self.sort or ("pertinence" if self.search else "recent")

    @property
    def search(self) -> search.Query:
        return search.parse(self.query)


def resolve(filters: DatasetFilters) -> DatasetFilters:
    """The filters to run: when no dataset matches every word of a query, match any word instead."""
    query = filters.search
    if len(query.terms) > 1 and not _filtered(filters).exists():
        return replace(filters, any_term=True)
    return filters


def _filtered(filters: DatasetFilters, *, skip: str = "") -> QuerySet[Dataset]:
    """Datasets matching every filter except ``skip`` (the facet being counted)."""
    queryset = Dataset.objects.active() if filters.archived else Dataset.objects.published()
    if filters.category and skip != "category":
        queryset = queryset.in_category(filters.category)
    if filters.organization and skip != "organization":
        queryset = queryset.filter(organization__slug=filters.organization)
    if filters.organization_type and skip != "organization_type":
        queryset = queryset.filter(publisher_kind=filters.organization_type)
    if filters.format and skip != "format":
        queryset = queryset.filter(formats__contains=f" {filters.format} ")
    if filters.license and skip != "license":
        queryset = queryset.filter(license__code=filters.license)
    return search.matching(queryset, filters.search, any_term=filters.any_term)


class _Ranked(Sequence):
    """Datasets in a given order, fetched in two steps when sliced (as the paginator does).

    Ordering thousands of matches needs only a few columns, which an index holds; the full rows
    (and their tags) are then read for the one page shown.
    """

    ordered = True  # for the paginator: the order is total (``pk`` last)

    def __init__(self, queryset: QuerySet[Dataset]) -> None:
        self._queryset = queryset

    def count(self) -> int:
        return self._queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = list(self._queryset.values_list("pk", flat=True)[index])
        cards = _card_queryset(Dataset.objects.all()).in_bulk(ids)
        return [cards[pk] for pk in ids if pk in cards]


def dataset_list(filters: DatasetFilters = DatasetFilters()) -> Sequence[Dataset]:
    """Datasets for the list page, filtered, searched and sorted."""
    return _Ranked(_ordered(filters))


EXPORT_BATCH = 2000


def dataset_export(filters: DatasetFilters) -> Iterator[tuple[Dataset, list[str]]]:
    """Every result of a search, in the list's order, with its files' download links, for the CSV export.

    The links (436,000 at 60,000 datasets) are read as plain values, a batch of datasets at a time: as
    model instances they cost several times the rest of the export.
    """
    datasets = _ordered(filters).select_related("organization", "license").iterator(chunk_size=EXPORT_BATCH)
    while batch := list(islice(datasets, EXPORT_BATCH)):
        links: dict[int, list[str]] = {dataset.pk: [] for dataset in batch}
        files = (
            Resource.objects.filter(dataset_id__in=list(links))
            .exclude(download_url="")
            .order_by("dataset_id", "position", "pk")
            .values_list("dataset_id", "download_url")
        )
        for dataset_id, url in files:
            links[dataset_id].append(url)
        for dataset in batch:
            yield dataset, links[dataset.pk]


def _ordered(filters: DatasetFilters) -> QuerySet[Dataset]:
    sort = filters.effective_sort
    queryset = _filtered(filters)
    query = filters.search
    if sort == "pertinence" and query:
        # Popularity breaks ties between datasets matching in the same fields. With several words, titles
        # holding them all score highest; among them, the one with fewest other words is about just that
        # (« Fréquentation des musées de Paris » before a longer, more viewed title that also names Paris).
        queryset = queryset.annotate(relevance=search.relevance(query, any_term=filters.any_term))
        ordering = ["-relevance", "-metric_views", "-metric_followers", F("last_update").desc(nulls_last=True), "pk"]
        if len(query.terms) > 1 and not filters.any_term:
            closeness = Case(When(search.in_title(query), then=F("title_words")), default=Value(0))
            ordering.insert(1, closeness.asc())
    elif sort == "titre":
        ordering = ["sort_title", "pk"]
    elif sort == "populaire":
        ordering = ["-metric_views", "-metric_followers", "pk"]
    else:
        ordering = [F("last_update").desc(nulls_last=True), "pk"]
    return queryset.order_by(*ordering)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str  # the query parameter
    label: str
    options: list[FacetOption]
    selected: FacetOption | None

    @property
    def shown(self) -> bool:
        """Whether it offers something: an option with results, or the chosen one (to remove it)."""
        return any(option.count or option.selected for option in self.options)


FACETS = ("category", "organization_type", "organization", "format", "license")
_FACET_COLUMNS = ("category_slugs", "publisher_kind", "organization_id", "formats", "license_id")


def _count_columns(rows: list[tuple], facets: list[str]) -> dict[str, Counter]:
    """Counts of each facet's values over dataset rows whose first columns are ``_FACET_COLUMNS``."""
    counters: dict[str, Counter] = {}
    for position, facet in enumerate(FACETS):
        if facet not in facets:
            continue
        counter = Counter(map(itemgetter(position), rows))
        if facet in ("category", "format"):  # space-separated lists: split each distinct list once
            words: Counter = Counter()
            for value, count in counter.items():
                for word in value.split():
                    words[word] += count
            counter = words
        counter.pop(None, None)
        counters[facet] = counter
    return counters


def _rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a ``values_list`` query as the database driver returns them, for counting.

    Thousands of rows are read per search: Django's per-value conversions would cost more than
    the query itself, and these columns (text, integers) need none.
    """
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass
class ListingCounts:
    total: int  # results on the page's terms
    archived: int  # archived datasets the same search would add
    facets: dict[str, Counter]  # per facet, results each value would give with the other filters kept


_IS_ARCHIVED = Case(When(archived_at__isnull=False, then=Value(1)), default=Value(0), output_field=IntegerField())


def listing_counts(filters: DatasetFilters) -> ListingCounts:
    """Every count the list page shows, from as few queries as possible.

    - The whole catalogue: the summary stored by the last sync.
    - A search: its matches are read once, narrow (facet values, archived or not), and the facet
      filters are applied here, so that each facet in use can be counted over the datasets
      matching the *other* filters without another query.
    - Filters without a search: the datasets matching all filters are read once for the facets
      not in use; a facet in use is counted from the summary when it is the only filter, else
      over the datasets matching the other filters, one more narrow read each.
    """
    chosen = [facet for facet in FACETS if getattr(filters, facet)]
    plain = not filters.query and not filters.archived
    totals = summary()
    if plain and not chosen:
        facets = {facet: Counter(dict(totals["facets"][facet])) for facet in FACETS}
        return ListingCounts(total=totals["published"], archived=totals["archived"], facets=facets)
    if filters.query:
        return _search_counts(filters, chosen)
    matching = _filtered(replace(filters, archived=True)).annotate(is_archived=_IS_ARCHIVED)
    rows = _rows(matching.values_list(*_FACET_COLUMNS, "is_archived"))
    archived = sum(row[-1] for row in rows)
    if not filters.archived:  # archived datasets are counted, not shown
        rows = [row for row in rows if not row[-1]]
    facets = _count_columns(rows, [facet for facet in FACETS if facet not in chosen])
    for facet in chosen:
        if plain and len(chosen) == 1:
            facets[facet] = Counter(dict(totals["facets"][facet]))
        else:
            others = _rows(_filtered(filters, skip=facet).values_list(*_FACET_COLUMNS))
            facets[facet] = _count_columns(others, [facet])[facet]
    return ListingCounts(total=len(rows), archived=archived, facets=facets)


def _search_counts(filters: DatasetFilters, chosen: list[str]) -> ListingCounts:
    """``listing_counts`` for a search: one read of its matches, facet filters applied in Python."""
    unfiltered = replace(filters, **dict.fromkeys(FACETS, ""), archived=True)
    rows = _rows(_filtered(unfiltered).annotate(is_archived=_IS_ARCHIVED).values_list(*_FACET_COLUMNS, "is_archived"))
    passes = {facet: _passes(facet, getattr(filters, facet), rows) for facet in chosen}
    everywhere = [all(flags) for flags in zip(*passes.values(), strict=True)] if chosen else [True] * len(rows)
    archived = sum(1 for row, ok in zip(rows, everywhere, strict=True) if ok and row[-1])
    visible = [filters.archived or not row[-1] for row in rows]
    shown = [row for row, ok, seen in zip(rows, everywhere, visible, strict=True) if ok and seen]
    facets = _count_columns(shown, [facet for facet in FACETS if facet not in chosen])
    for facet in chosen:
        others = [passes[other] for other in chosen if other != facet]
        kept = [row for index, row in enumerate(rows) if visible[index] and all(flags[index] for flags in others)]
        facets[facet] = _count_columns(kept, [facet])[facet]
    return ListingCounts(total=len(shown), archived=archived, facets=facets)


def _passes(facet: str, value: str, rows: list[tuple]) -> list[bool]:
    """For each row (``_FACET_COLUMNS`` first), whether it passes the filter ``facet=value``."""
    position = FACETS.index(facet)
    if facet in ("category", "format"):
        padded = f" {value} "
        return [padded in row[position] for row in rows]
    if facet == "organization":
        wanted = set(Organization.objects.filter(slug=value).values_list("pk", flat=True))
    elif facet == "license":
        wanted = set(License.objects.filter(code=value).values_list("pk", flat=True))
    else:
        wanted = {value}
    return [row[position] in wanted for row in rows]


def _options(rows: list[tuple[str, int]], labels_by_value: dict[str, str], selected: str) -> list[FacetOption]:
    options = [
        FacetOption(value=value, label=labels_by_value.get(value, value), count=count, selected=value == selected)
        for value, count in rows
        if value
    ]
    if selected and not any(option.selected for option in options):
        options.append(FacetOption(selected, labels_by_value.get(selected, selected), 0, True))
    return options


def dataset_facets(filters: DatasetFilters, counts: dict[str, Counter] | None = None) -> list[Facet]:
    """Each filter's options with the number of results they would give, other filters kept; a filter
    whose options would all give nothing is left out, unless one of them is chosen."""
    counts = counts if counts is not None else listing_counts(filters).facets

    rows = [(category.slug, counts["category"][category.slug]) for category in labels.CATEGORIES]
    category_labels = {category.slug: category.label for category in labels.CATEGORIES}
    facets = [_facet("category", "Catégorie", rows, category_labels, filters.category)]

    kinds = counts["organization_type"]
    rows = [(kind, kinds[kind]) for kind in labels.ORGANIZATION_KINDS if kinds[kind]]
    facets.append(
        _facet("organization_type", "Type de producteur", rows, labels.ORGANIZATION_KINDS, filters.organization_type)
    )

    top = dict(_top(counts["organization"]))
    found = Organization.objects.filter(pk__in=list(top)).values_list("pk", "slug", "name")
    ranked = sorted(found, key=lambda row: (-top[row[0]], row[2]))
    rows = [(slug, top[pk]) for pk, slug, _ in ranked]
    names = {slug: name for _, slug, name in ranked}
    if filters.organization and filters.organization not in names:
        names.update(Organization.objects.filter(slug=filters.organization).values_list("slug", "name")[:1])
    facets.append(_facet("organization", "Producteur", rows, names, filters.organization))

    rows = _top(counts["format"])
    facets.append(
        _facet("format", "Format de fichier", rows, {value: value.upper() for value, _ in rows}, filters.format)
    )

    licenses = {license.pk: license for license in License.objects.all()}
    rows = _top(Counter({licenses[pk].code: n for pk, n in counts["license"].items() if pk in licenses}), limit=None)
    license_labels = {license.code: license.label for license in licenses.values()}
    facets.append(_facet("license", "Licence", rows, license_labels, filters.license))
    return [facet for facet in facets if facet.shown]  # no column of zeros when nothing is found


def _top(counter: Counter, limit: int | None = FACET_LIMIT) -> list[tuple]:
    """The most frequent values first, ties in value order; zero counts left out."""
    rows = sorted(((value, n) for value, n in counter.items() if n), key=lambda row: (-row[1], str(row[0])))
    return rows[:limit] if limit else rows


def _facet(name: str, label: str, rows: list[tuple[str, int]], names: dict[str, str], selected: str) -> Facet:
    options = _options(rows, names, selected)
    chosen = next((option for option in options if option.selected), None)
    return Facet(name=name, label=label, options=options, selected=chosen)


# At most this many results (or none holding every word): the list page offers searches that find more.
FEW_RESULTS = 5
WIDER_SEARCHES = 3


@dataclass(frozen=True)
class Suggestion:
    """The search with its misspelt words corrected (« Essayez : bibliothèque »)."""

    query: str
    parts: tuple[tuple[str, bool], ...]  # ``query`` in pieces, each with whether it is a corrected word
    count: int


@dataclass(frozen=True)
class WiderSearch:
    """The search without one of its words, when that finds more (or finds datasets holding every word)."""

    query: str
    dropped: str
    count: int


@dataclass(frozen=True)
class SearchHelp:
    suggestion: Suggestion | None = None
    wider: tuple[WiderSearch, ...] = ()


def search_help(filters: DatasetFilters, total: int) -> SearchHelp:
    """What the list page offers when a search finds nothing, little, or no dataset holding all its words.

    Nothing is computed for a search that finds ``FEW_RESULTS`` datasets or more holding every word: the
    common case costs no query. Otherwise, at most: one index query per word that could be misspelt, two
    vocabulary lookups per word found nowhere, two queries to count the corrected search, and one count
    per word of the query (``search.MAX_TERMS`` at most) for the searches without it.
    """
    if not filters.query or (total >= FEW_RESULTS and not filters.any_term):
        return SearchHelp()
    return SearchHelp(suggestion=_suggestion(filters, total), wider=_wider(filters, total))


def _suggestion(filters: DatasetFilters, total: int) -> Suggestion | None:
    # A word found nowhere means no dataset holds every word: nothing to correct in a search that has some.
    if total and not filters.any_term:
        return None
    correction = search.correct(filters.query)
    if correction is None:
        return None
    corrected = resolve(replace(filters, query=correction.text, any_term=False))
    count = _filtered(corrected).count()
    if not count or (corrected.any_term and count <= total):
        return None
    return Suggestion(query=correction.text, parts=correction.parts, count=count)


def _wider(filters: DatasetFilters, total: int) -> tuple[WiderSearch, ...]:
    # Nothing found even with any of the words (``resolve``): no word is in any dataset that passes the
    # filters, and a search with fewer of them cannot find more.
    if not total:
        return ()
    found = []
    for query, dropped in search.without_each_word(filters.query):
        count = _filtered(replace(filters, query=query, any_term=False)).count()
        if count and (filters.any_term or count > total):
            found.append(WiderSearch(query=query, dropped=dropped, count=count))
    found.sort(key=lambda wider: -wider.count)
    return tuple(found[:WIDER_SEARCHES])


def unfiltered_count(filters: DatasetFilters) -> int:
    """Results of the same query without the category, publisher, format and licence filters."""
    return _filtered(resolve(DatasetFilters(query=filters.query, archived=filters.archived))).count()


def dataset_get(*, slug: str) -> Dataset | None:
    """A dataset by slug (or data.gouv.fr id), withdrawn ones included; None when unknown."""
    queryset = (
        Dataset.objects.select_related("organization", "license", "text")
        .prefetch_related("tags", Prefetch("resources", queryset=Resource.objects.order_by("position")))
        .order_by(F("withdrawn_at").desc(nulls_first=True), "-last_update")
    )
    return queryset.filter(slug=slug).first() or queryset.filter(remote_id=slug).first()


def dataset_jsonld(dataset: Dataset, url: str) -> dict[str, Any]:
    """The schema.org ``Dataset`` describing a dataset page, for search engines (Google Dataset Search)."""
    from catalog.markdown import html_to_text

    publisher = None
    if dataset.organization_id:
        organization = dataset.organization
        publisher = {"@type": "Organization", "name": organization.name}
        if organization.page:
            publisher["url"] = organization.page
    elif dataset.owner_name:
        publisher = {"@type": "Person", "name": dataset.owner_name}
    description = html_to_text(dataset.description_html, 5000) or dataset.description_short or dataset.title
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": dataset.title,
        "description": description if len(description) >= 50 else f"{description} — {dataset.title}",
        "url": url,
        "sameAs": dataset.page,
        "identifier": dataset.remote_id,
        "keywords": [tag.name for tag in dataset.tags.all()],
        "isAccessibleForFree": True,
        "includedInDataCatalog": {"@type": "DataCatalog", "name": "culture.data.gouv.fr"},
    }
    if publisher:
        data["publisher"] = data["creator"] = publisher
    if dataset.license_id:  # schema.org wants a URL or a CreativeWork, never bare text
        license = dataset.license
        data["license"] = license.url if license.url else {"@type": "CreativeWork", "name": license.label}
    for key, value in (("dateCreated", dataset.created_at), ("dateModified", dataset.last_update)):
        if value:
            data[key] = value.isoformat()
    if dataset.temporal_start:
        end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
        data["temporalCoverage"] = f"{dataset.temporal_start.isoformat()}/{end}"
    zones = [zone.get("name") for zone in dataset.spatial_zones if isinstance(zone, dict) and zone.get("name")]
    if zones:
        data["spatialCoverage"] = [{"@type": "Place", "name": name} for name in zones]
    data["distribution"] = [
        {
            "@type": "DataDownload",
            "name": resource.title or resource.remote_id,
            "encodingFormat": resource.mime or resource.format or "application/octet-stream",
            "contentUrl": resource.download_url,
        }
        for resource in dataset.resources.all()
        if resource.download_url
    ]
    return data


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
        Organization.objects.with_dataset_counts()
        .filter(Q(slug=slug) | Q(remote_id=slug))
        .order_by("-dataset_count")
        .first()
    )


def organization_datasets(organization: Organization) -> QuerySet[Dataset]:
    return _card_queryset(Dataset.objects.published().filter(organization=organization)).order_by(
        F("last_update").desc(nulls_last=True), "pk"
    )


def category_counts() -> list[tuple[labels.Category, int]]:
    counts = dict(summary()["facets"]["category"])
    return [(category, counts.get(category.slug, 0)) for category in labels.CATEGORIES]


def latest_datasets(limit: int = 6) -> QuerySet[Dataset]:
    return _card_queryset(Dataset.objects.published()).order_by(F("last_update").desc(nulls_last=True), "pk")[:limit]


@dataclass
class KeyFigures:
    datasets: int
    organizations: int
    resources: int


def key_figures() -> KeyFigures:
    figures = summary()
    return KeyFigures(
        datasets=figures["published"], organizations=len(figures["facets"]["organization"]),
        resources=figures["resources"],
    )  # fmt: skip


def compute_summary() -> dict:
    """Counts over the whole published catalogue (stored by each sync, see ``summary``)."""
    published = Dataset.objects.published()
    figures = published.aggregate(datasets=Count("pk"), resources=Sum("resource_count"))
    counts = _count_columns(_rows(published.values_list(*_FACET_COLUMNS)), list(FACETS))
    return {
        "published": figures["datasets"],
        "resources": figures["resources"] or 0,
        "archived": Dataset.objects.active().filter(archived_at__isnull=False).count(),
        # JSON keys are strings: pairs keep organization and licence ids as integers.
        "facets": {facet: sorted(counter.items(), key=lambda row: str(row[0])) for facet, counter in counts.items()},
    }


_summary_memo: dict[str, Any] = {}


def summary() -> dict:
    """The counts the last sync stored; computed on the spot when no sync stored any yet.

    Pages ask for it several times: the stored JSON is read once per sync, and reused while the
    latest summary row stays the same.
    """
    latest = CatalogSummary.objects.order_by("-computed_at").values_list("pk", "computed_at").first()
    if latest is None:
        return compute_summary()
    if _summary_memo.get("key") != latest:
        data = CatalogSummary.objects.filter(pk=latest[0]).values_list("data", flat=True).first()
        if not data or "facets" not in data:
            return compute_summary()
        _summary_memo.update(key=latest, data=data)
    return _summary_memo["data"]


@dataclass
class CatalogStatus:
    last_success_at: datetime | None
    is_sample: bool
    failed_at: datetime | None  # the latest attempt to reach data.gouv.fr failed
    error: str
    empty: bool
    skipped: int = 0  # records the last successful sync left out
    skipped_records: list = field(default_factory=list)  # the first of them: {"kind", "id", "reason"}


def catalog_status() -> CatalogStatus:
    """What the banner on every page says about the freshness of the catalogue."""
    runs = SyncRun.objects.exclude(status=SyncRun.Status.RUNNING)
    success = runs.filter(status=SyncRun.Status.SUCCESS).order_by("-started_at").first()
    latest_real = runs.filter(is_sample=False).order_by("-started_at").first()
    failed = latest_real if latest_real and latest_real.status == SyncRun.Status.FAILED else None
    return CatalogStatus(
        last_success_at=success.finished_at if success else None,
        is_sample=bool(success and success.is_sample),
        failed_at=failed.finished_at if failed else None,
        error=failed.error if failed else "",
        empty=not Dataset.objects.published().exists(),
        skipped=success.skipped if success else 0,
        skipped_records=success.skipped_records if success else [],
    )
