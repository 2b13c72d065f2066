"""Read queries the pages need. Views call these; query tuning happens here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import islice
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from catalog import labels, search
from catalog.models import CatalogSummary, Dataset, License, Organization, Resource, SyncRun

SORTS = {
    "pertinence": "Pertinence",
    "recent": "Mise à jour la plus récente",
    "titre": "Titre (A → Z)",
    "populaire": "Popularité",
}
FACET_LIMIT = 30  # options of a long facet (producers, formats) offered without a search
VISIBLE_OPTIONS = 8  # a facet's first options; the others fold under « Voir plus »


def section_id(section: str = "") -> str:
    """The section a page shows: ``section``, else the universe's first (Explorer)."""
    return section or settings.UNIVERSE.main.id


def in_section(queryset: QuerySet[Dataset], section: str = "") -> QuerySet[Dataset]:
    """Only the datasets of one section (the first, Explorer, when not given): a dataset held by another
    section's topic alone is not part of this one's lists, counts, feeds or exports."""
    return queryset.in_section(section_id(section))


def section_datasets(section: str = "") -> QuerySet[Dataset]:
    """The published datasets of one section (see ``in_section``)."""
    return in_section(Dataset.objects.published(), section)


def _card_queryset(queryset: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return queryset.select_related("organization", "license").prefetch_related("tags")


@dataclass(frozen=True)
class DatasetFilters:
    """What the list page can ask for; every field optional."""

    query: str = ""
    tag: str = ""  # a keyword: one of the dataset's tags, exactly
    category: str = ""
    organization: str = ""
    organization_type: str = ""
    format: str = ""
    license: str = ""
    last_update_range: str = ""  # a key of labels.UPDATE_PERIODS
    granularity: str = ""  # the spatial granularity's code (``fr:commune``)
    archived: bool = False
    sort: str = ""
    # Set by ``resolve``, not by visitors: no dataset holds every word, so any word will do.
    any_term: bool = False

    @property
    def narrowed(self) -> bool:
        """Whether a filter besides the search itself (a keyword, a facet) narrows the results."""
        return bool(self.tag) or any(getattr(self, facet) for facet in FACETS)

    @property
    def active(self) -> bool:
        return bool(self.query or self.archived or self.narrowed)

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


def catalogue_date() -> datetime:
    """When the catalogue was written (its last sync), or now before any sync.

    The « Dernière mise à jour » periods count back from it rather than from the clock: a page is
    cached as long as the catalogue stays the same (catalog.caching), and its results and counts are
    those of that catalogue, not of the day it happens to be served.
    """
    latest = CatalogSummary.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    return latest or timezone.now()


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def _period_starts(as_of: datetime) -> dict[str, datetime]:
    """Where each period of labels.UPDATE_PERIODS starts, counting back from ``as_of``."""
    starts = {
        "last_30_days": as_of - timedelta(days=30),
        "last_12_months": _years_before(as_of, 1),
        "last_3_years": _years_before(as_of, 3),
    }
    return {value: starts[value] for value in labels.UPDATE_PERIODS}


# 1 for the shortest period, 2 for the next…: each period holds the ones before it.
_PERIOD_RANKS = {value: rank for rank, value in enumerate(labels.UPDATE_PERIODS, start=1)}


def _update_age(as_of: datetime) -> Case:
    """The rank of the shortest period holding a dataset's last update; 0 when none does (or no date)."""
    starts = _period_starts(as_of)
    whens = [When(last_update__gte=starts[value], then=Value(rank)) for value, rank in _PERIOD_RANKS.items()]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _filtered(filters: DatasetFilters, *, skip: str = "", as_of: datetime | None = None) -> QuerySet[Dataset]:
    """Datasets matching every filter except ``skip`` (the facet being counted).

    ``as_of`` is the date the update periods count back from (``catalogue_date`` when not given).
    """
    queryset = in_section(Dataset.objects.active() if filters.archived else Dataset.objects.published())
    if filters.tag:
        queryset = queryset.filter(tags__name=filters.tag)
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
    if filters.last_update_range and skip != "last_update_range":
        start = _period_starts(as_of or catalogue_date()).get(filters.last_update_range)
        queryset = queryset.filter(last_update__gte=start) if start else queryset.none()
    if filters.granularity and skip != "granularity":
        queryset = queryset.filter(spatial_granularity=filters.granularity)
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
    options: list[FacetOption]  # the selected one first, then the most results first (see ``_facet``)
    selected: FacetOption | None
    as_of: datetime | None = None  # the date the options count back from (the update periods)
    available: int = 0  # values with results, before the options were cut to FACET_LIMIT or searched
    searchable: bool = False  # the options can be searched by name (``query``): producers
    query: str = ""

    @property
    def shown(self) -> list[FacetOption]:
        """The first options with results (the selected one first, whatever its count)."""
        return [option for option in self.options if option.count or option.selected][:VISIBLE_OPTIONS]

    @property
    def more(self) -> list[FacetOption]:
        """What « Voir plus » unfolds: the other options, those without results last. Never the selected one."""
        return self.options[len(self.shown) :]

    @property
    def offers(self) -> bool:
        """Whether it offers something: an option with results, or the chosen one (to remove it)."""
        return any(option.count or option.selected for option in self.options)


# The counted facets, each with the dataset column its values come from (``update_age`` is computed).
FACETS = ("category", "organization_type", "organization", "format", "license", "last_update_range", "granularity")
_FACET_COLUMNS = ("category_slugs", "publisher_kind", "organization_id", "formats", "license_id", "update_age",
                  "spatial_granularity")  # fmt: skip
_LIST_FACETS = ("category", "format")  # space-separated lists of values


def _facet_values(queryset: QuerySet[Dataset], as_of: datetime, *extra: str) -> QuerySet:
    """``values_list`` of ``_FACET_COLUMNS`` (then ``extra``) over these datasets."""
    return queryset.annotate(update_age=_update_age(as_of)).values_list(*_FACET_COLUMNS, *extra)


def _count_columns(rows: list[tuple], facets: list[str]) -> dict[str, Counter]:
    """Counts of each facet's values over dataset rows whose first columns are ``_FACET_COLUMNS``."""
    counters: dict[str, Counter] = {}
    for position, facet in enumerate(FACETS):
        if facet not in facets:
            continue
        counter = Counter(map(itemgetter(position), rows))
        if facet in _LIST_FACETS:  # split each distinct list once
            words: Counter = Counter()
            for value, count in counter.items():
                for word in value.split():
                    words[word] += count
            counter = words
        elif facet == "last_update_range":  # a period holds the shorter ones
            counter = +Counter({value: sum(n for age, n in counter.items() if 0 < age <= rank)
                                for value, rank in _PERIOD_RANKS.items()})  # fmt: skip
        counter.pop(None, None)
        counter.pop("", None)
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
    as_of: datetime | None = None  # the date the update periods count back from


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
    counts = _listing_counts(filters, catalogue_date())
    if filters.tag:  # not a counted facet: its one option gives the results themselves
        counts.facets["tag"] = Counter({filters.tag: counts.total})
    return counts


def _listing_counts(filters: DatasetFilters, as_of: datetime) -> ListingCounts:
    chosen = [facet for facet in FACETS if getattr(filters, facet)]
    plain = not (filters.query or filters.archived or filters.tag)
    totals = summary()
    if plain and not chosen:
        facets = {facet: Counter(dict(totals["facets"][facet])) for facet in FACETS}
        return ListingCounts(total=totals["published"], archived=totals["archived"], facets=facets, as_of=as_of)
    if filters.query:
        return _search_counts(filters, chosen, as_of)
    matching = _filtered(replace(filters, archived=True), as_of=as_of).annotate(is_archived=_IS_ARCHIVED)
    rows = _rows(_facet_values(matching, as_of, "is_archived"))
    archived = sum(row[-1] for row in rows)
    if not filters.archived:  # archived datasets are counted, not shown
        rows = [row for row in rows if not row[-1]]
    facets = _count_columns(rows, [facet for facet in FACETS if facet not in chosen])
    for facet in chosen:
        if plain and len(chosen) == 1:
            facets[facet] = Counter(dict(totals["facets"][facet]))
        else:
            others = _rows(_facet_values(_filtered(filters, skip=facet, as_of=as_of), as_of))
            facets[facet] = _count_columns(others, [facet])[facet]
    return ListingCounts(total=len(rows), archived=archived, facets=facets, as_of=as_of)


def _search_counts(filters: DatasetFilters, chosen: list[str], as_of: datetime) -> ListingCounts:
    """``listing_counts`` for a search: one read of its matches, facet filters applied in Python."""
    unfiltered = replace(filters, **dict.fromkeys(FACETS, ""), archived=True)
    matching = _filtered(unfiltered, as_of=as_of).annotate(is_archived=_IS_ARCHIVED)
    rows = _rows(_facet_values(matching, as_of, "is_archived"))
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
    return ListingCounts(total=len(shown), archived=archived, facets=facets, as_of=as_of)


def _passes(facet: str, value: str, rows: list[tuple]) -> list[bool]:
    """For each row (``_FACET_COLUMNS`` first), whether it passes the filter ``facet=value``."""
    position = FACETS.index(facet)
    if facet in _LIST_FACETS:
        padded = f" {value} "
        return [padded in row[position] for row in rows]
    if facet == "last_update_range":
        rank = _PERIOD_RANKS.get(value, 0)
        return [0 < row[position] <= rank for row in rows]
    if facet == "organization":
        wanted = set(Organization.objects.filter(slug=value).values_list("pk", flat=True))
    elif facet == "license":
        wanted = set(License.objects.filter(code=value).values_list("pk", flat=True))
    else:
        wanted = {value}
    return [row[position] in wanted for row in rows]


def dataset_facets(
    filters: DatasetFilters,
    counts: dict[str, Counter] | None = None,
    *,
    as_of: datetime | None = None,
    organization_query: str = "",
) -> list[Facet]:
    """Each filter's options with the number of results they would give, other filters kept.

    Options come by number of results for the current search, the selected one first (see ``_facet``).
    ``organization_query`` keeps the producers whose name, acronym or slug hold all its words, accents
    and case aside: any producer of the results can be found, not only the ``FACET_LIMIT`` first.
    """
    if counts is None:
        listing = listing_counts(filters)
        counts, as_of = listing.facets, listing.as_of
    facets = []
    if filters.tag:
        facets.append(_facet("tag", "Mot-clé", counts.get("tag", Counter()), {}, filters.tag))

    category_labels = {category.slug: category.label for category in labels.CATEGORIES}
    # Every category is offered, even without results: the eleven of them say what the catalogue covers.
    facets.append(_facet("category", "Catégorie", counts["category"], category_labels, filters.category,
                         every=list(category_labels)))  # fmt: skip
    facets.append(_facet("organization_type", "Type de producteur", counts["organization_type"],
                         labels.ORGANIZATION_KINDS, filters.organization_type))  # fmt: skip
    facets.append(_organization_facet(filters, counts["organization"], organization_query))

    formats = counts["format"]
    facets.append(_facet("format", "Format de fichier", formats, {value: value.upper() for value in formats},
                         filters.format, limit=FACET_LIMIT))  # fmt: skip

    licenses = {license.pk: license for license in License.objects.all()}
    by_code: Counter = Counter()
    for pk, count in counts["license"].items():
        if pk in licenses:
            by_code[licenses[pk].code] += count
    license_labels = {license.code: license.label for license in licenses.values()}
    facets.append(_facet("license", "Licence", by_code, license_labels, filters.license))

    facet = _facet("last_update_range", "Dernière mise à jour", counts["last_update_range"], labels.UPDATE_PERIODS,
                   filters.last_update_range, ranked=False)  # fmt: skip
    facet.as_of = as_of or catalogue_date()
    facets.append(facet)

    granularities = counts["granularity"]
    facets.append(_facet("granularity", "Granularité géographique", granularities,
                         _granularity_labels(granularities, filters.granularity), filters.granularity))  # fmt: skip
    return [facet for facet in facets if facet.offers or facet.query]  # no column of zeros when nothing is found


def _organization_facet(filters: DatasetFilters, counts: Counter, query: str) -> Facet:
    """Producers by slug, the ``FACET_LIMIT`` with most results, or all those matching ``query``."""
    positive = {pk: n for pk, n in counts.items() if n}
    words = search.fold(query).split()[: search.MAX_TERMS]
    wanted = list(positive)
    if not words and len(positive) > FACET_LIMIT:  # read the names of the first ones only (ties included)
        threshold = sorted(positive.values(), reverse=True)[FACET_LIMIT - 1]
        wanted = [pk for pk, n in positive.items() if n >= threshold]
    by_slug: Counter = Counter()
    names: dict[str, str] = {}
    found = Organization.objects.filter(Q(pk__in=wanted) | Q(slug=filters.organization) if filters.organization
                                        else Q(pk__in=wanted))  # fmt: skip
    for pk, slug, name, acronym in found.values_list("pk", "slug", "name", "acronym"):
        if words and slug != filters.organization:
            haystack = search.fold(f"{name} {acronym} {slug}")
            if not all(word in haystack for word in words):
                continue
        by_slug[slug] += positive.get(pk, 0)
        names[slug] = name
    facet = _facet("organization", "Producteur", by_slug, names, filters.organization, limit=FACET_LIMIT)
    facet.available = len(positive)
    facet.searchable = facet.available > VISIBLE_OPTIONS or bool(query)
    facet.query = query
    return facet


def _granularity_labels(counts: Counter, selected: str) -> dict[str, str]:
    """French names of granularity codes: ours, else the one the API gave with the dataset (a new code)."""
    names = {code: labels.GRANULARITY_LABELS[code] for code in counts if code in labels.GRANULARITY_LABELS}
    unknown = [code for code in [*counts, selected] if code and code not in names]
    if unknown:
        rows = Dataset.objects.filter(spatial_granularity__in=unknown).exclude(spatial_granularity_label="")
        names.update(rows.values_list("spatial_granularity", "spatial_granularity_label").distinct()[:100])
    return names


def _facet(
    name: str,
    label: str,
    counts: Counter,
    names: dict[str, str],
    selected: str,
    *,
    every: Sequence[str] = (),
    limit: int | None = None,
    ranked: bool = True,
) -> Facet:
    """A facet's options: the values with results (and ``every`` one), labelled by ``names``.

    Ranked facets list the most results first, then by label, cut to ``limit``; their selected option
    comes first, so that « Voir plus » never hides it, whatever its count. Unranked ones (the update
    periods, each holding the one before) keep the order of ``names``.
    """
    values = [value for value, count in counts.items() if count and value]
    values += [value for value in [*every, selected] if value and value not in values]
    options = [FacetOption(value, names.get(value, value), counts.get(value, 0), value == selected) for value in values]
    if ranked:
        options.sort(key=lambda option: (not option.selected, -option.count, search.fold(option.label), option.value))
    else:
        order = list(names)
        options.sort(key=lambda option: order.index(option.value) if option.value in order else len(order))
    chosen = next((option for option in options if option.selected), None)
    if limit is not None:
        options = options[:limit]  # the selected option is first: always kept
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
    """Results of the same query without its keyword and facet filters."""
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
        "includedInDataCatalog": {"@type": "DataCatalog", "name": settings.UNIVERSE.name},
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
        Organization.objects.with_dataset_counts(section_id())
        .filter(Q(slug=slug) | Q(remote_id=slug))
        .order_by("-dataset_count")
        .first()
    )


def organization_datasets(organization: Organization) -> QuerySet[Dataset]:
    return _card_queryset(section_datasets().filter(organization=organization)).order_by(
        F("last_update").desc(nulls_last=True), "pk"
    )


def category_counts() -> list[tuple[labels.Category, int]]:
    counts = dict(summary()["facets"]["category"])
    return [(category, counts.get(category.slug, 0)) for category in labels.CATEGORIES]


def latest_datasets(limit: int = 6) -> QuerySet[Dataset]:
    return _card_queryset(section_datasets()).order_by(F("last_update").desc(nulls_last=True), "pk")[:limit]


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


def compute_summary(as_of: datetime | None = None, section: str = "") -> dict:
    """Counts over the published datasets of a section (stored by each sync, see ``summary``).

    ``as_of``: the date the update periods count back from, the sync's own (now when not given).
    """
    return compute_summaries([section_id(section)], as_of=as_of)[section_id(section)]


def compute_summaries(sections: Sequence[str], as_of: datetime | None = None) -> dict[str, dict]:
    """``compute_summary`` of each section, from one read of the published datasets (a sync stores them all)."""
    rows = _rows(_facet_values(Dataset.objects.published(), as_of or timezone.now(), "section_ids", "resource_count"))
    archived: Counter = Counter()
    for held in Dataset.objects.active().filter(archived_at__isnull=False).values_list("section_ids", flat=True):
        archived.update(held.split())
    summaries = {}
    for section in sections:
        padded = f" {section} "
        held = [row for row in rows if padded in row[-2]]
        counts = _count_columns(held, list(FACETS))
        summaries[section] = {
            "published": len(held),
            "resources": sum(row[-1] for row in held),
            "archived": archived[section],
            # JSON keys are strings: pairs keep organization and licence ids as integers.
            "facets": {
                facet: sorted(counter.items(), key=lambda row: str(row[0])) for facet, counter in counts.items()
            },
        }
    return summaries


_summary_memo: dict[str, Any] = {}


def summary(section: str = "") -> dict:
    """The counts of a section (the first by default) the last sync stored; computed on the spot when
    no sync stored any yet.

    Pages ask for it several times: the stored JSON is read once per sync, and reused while the
    latest summary row stays the same.
    """
    section = section_id(section)
    rows = CatalogSummary.objects.filter(section=section).order_by("-computed_at")
    latest = rows.values_list("pk", "computed_at").first()
    if latest is None:
        return compute_summary(section=section)
    if _summary_memo.get(section, {}).get("key") != latest:
        data = CatalogSummary.objects.filter(pk=latest[0]).values_list("data", flat=True).first()
        if not data or not set(FACETS) <= set(data.get("facets", ())):
            # Stored before a facet existed: counted again for this catalogue, until the next sync stores it.
            data = compute_summary(as_of=latest[1], section=section)
        _summary_memo[section] = {"key": latest, "data": data}
    return _summary_memo[section]["data"]


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
        empty=not section_datasets().exists(),
        skipped=success.skipped if success else 0,
        skipped_records=success.skipped_records if success else [],
    )
