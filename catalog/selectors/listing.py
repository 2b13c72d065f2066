"""The dataset list: filters, search and its ranking, facet counts, search help, the CSV rows, and the counts each
sync stores per section (``summary``). Views call these; query tuning happens here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from catalog import facets, search, universe
from catalog.facets import FACET_LIMIT, VISIBLE_OPTIONS, Facet, FacetOption  # noqa: F401 (the pages' types)
from catalog.models import CatalogSummary, Dataset, Resource
from catalog.selectors import facet_table

SORTS = {
    "pertinence": "Pertinence",
    "recent": "Mise à jour la plus récente",
    "titre": "Titre (A → Z)",
    "populaire": "Popularité",
}


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


# What a dataset's card shows (catalog_tags.dataset_card): the rest of its row is left unread.
CARD_FIELDS = (
    "slug", "title", "description_short", "organization__name", "owner_name", "license__code", "license__title",
    "formats", "last_update", "frequency", "frequency_date", "archived_at", "withdrawn_at", "tag_names",
)  # fmt: skip


def card_queryset(queryset: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """Datasets read for their cards, their tags' names with their rows (``Dataset.tag_names``)."""
    return queryset.select_related("organization", "license").only(*CARD_FIELDS)


def cards(ids: list[int]) -> list[Dataset]:
    """The datasets of ``ids`` in that order, read for their cards in one query."""
    found = card_queryset(Dataset.objects.all()).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


Choices = tuple[tuple[str, tuple[str, ...]], ...]


def _choices(values: dict[str, str | Sequence[str]]) -> Choices:
    """``(facet, values)`` pairs in one form: facets by name, values sorted and distinct, no empty ones."""
    pairs = []
    for name, chosen in sorted(values.items()):
        chosen = (chosen,) if isinstance(chosen, str) else tuple(chosen)
        if kept := tuple(sorted({value for value in chosen if value})):
            pairs.append((name, kept))
    return tuple(pairs)


@dataclass(frozen=True)
class DatasetFilters:
    """What the list page can ask for; every field optional.

    ``choices``: the values chosen in each facet (catalog.facets), as ``_choices`` writes them, so that equal
    searches are equal objects (the CSV export is keyed by their ``repr``). Build with ``DatasetFilters.of``.
    """

    query: str = ""
    tag: str = ""  # a keyword: one of the dataset's tags, exactly
    choices: Choices = ()
    archived: bool = False
    sort: str = ""
    # The section listed: set by the view from the address, never from the query string; "" for the main one.
    section: str = ""
    # Set by ``resolve``, not by visitors: no dataset holds every word, so any word will do.
    any_term: bool = False

    @classmethod
    def of(cls, *, query: str = "", tag: str = "", archived: bool = False, sort: str = "", any_term: bool = False,
           section: str = "", **chosen: str | Sequence[str]) -> DatasetFilters:  # fmt: skip
        """Filters from facet values by facet name: ``DatasetFilters.of(category=["cinema", "musee"])``."""
        if section == settings.UNIVERSE.main.id:
            section = ""  # one search, one object: the main section is spelt ""
        return cls(query=query, tag=tag, choices=_choices(chosen), archived=archived, sort=sort, any_term=any_term,
                   section=section)  # fmt: skip

    @property
    def universe_section(self) -> universe.Section:
        """The universe's section these filters list."""
        return _section(section_id(self.section)) or settings.UNIVERSE.main

    def values(self, facet: str) -> tuple[str, ...]:
        """The values chosen in ``facet``, sorted; ``()`` for none."""
        return next((values for name, values in self.choices if name == facet), ())

    def choosing(self, facet: str, values: str | Sequence[str]) -> DatasetFilters:
        """The same filters with ``facet``'s values replaced by ``values`` (none: the facet left free)."""
        return replace(self, choices=_choices(dict(self.choices) | {facet: values}))

    @property
    def feed_category(self) -> str:
        """The category whose Atom feed the page offers: the one chosen, when exactly one is."""
        chosen = self.values("category")
        return chosen[0] if len(chosen) == 1 else ""

    @property
    def narrowed(self) -> bool:
        """Whether a filter besides the search itself (a keyword, a facet) narrows the results."""
        return bool(self.tag or self.choices)

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
    """The filters to run: when no dataset matches every word of a query, match any word instead.

    The list page has it done by ``listing_counts(filters, widen=True)``, on the selection it counts.
    """
    if len(filters.search.terms) > 1:
        table, _ = _table()
        if _widens(filters, _Selection(filters, table)):
            return replace(filters, any_term=True)
    return filters


def _table() -> tuple[facet_table.FacetTable, datetime]:
    """The latest catalogue's facet table, and the date its update periods count back from."""
    version = facet_table.latest_version()
    return facet_table.current(version), facet_table.date_of(version)


def _widens(filters: DatasetFilters, selected: _Selection) -> bool:
    """Whether ``resolve`` widens a search: several words, and no result holding them all."""
    return len(filters.search.terms) > 1 and not filters.any_term and not selected.results.any()


def catalogue_date() -> datetime:
    """When the catalogue was written (its last sync), or now before any sync.

    The « Dernière mise à jour » periods count back from it rather than from the clock: a page is
    cached as long as the catalogue stays the same (catalog.caching), and its results and counts are
    those of that catalogue, not of the day it happens to be served.
    """
    return facet_table.date_of(facet_table.latest_version())


def _filtered(filters: DatasetFilters, *, skip: str = "", as_of: datetime | None = None) -> QuerySet[Dataset]:
    """Datasets matching every filter except the facet ``skip`` (the facet being counted, all its values).

    Within a facet, a dataset matches any of the chosen values; across facets, it must match each.
    ``as_of`` is the date the update periods count back from (``catalogue_date`` when not given).
    """
    queryset = Dataset.objects.active() if filters.archived else Dataset.objects.published()
    queryset = in_section(queryset, filters.section)
    if filters.tag:
        queryset = queryset.filter(tags__name=filters.tag)
    for name, values in filters.choices:
        if name == skip:
            continue
        source = facets.spec(name, filters.universe_section).source
        if isinstance(source, facets.Period) and as_of is None:
            as_of = catalogue_date()
        queryset = queryset.filter(source.q(values, as_of))
    return search.matching(queryset, filters.search, any_term=filters.any_term)


class _Ranked(Sequence):
    """Datasets in a given order (their ids), read from the database when sliced, as the paginator does: only
    the page shown is read, with its cards' relations."""

    ordered = True  # for the paginator: the order is total (``pk`` last)

    def __init__(self, ids: np.ndarray) -> None:
        self.ids = ids

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, step = index.indices(self.count())
        return cards(self.first(stop)[start:stop:step].tolist())

    def first(self, number: int) -> np.ndarray:
        """The ids of the first ``number`` datasets."""
        return self.ids[:number]


class _ByRelevance(_Ranked):
    """The rows of a search by relevance (``_ordered``), ranked only as deep as a page asks.

    A dataset holding every word in its title scores highest (catalog.search.relevance), and the title lookups
    say which do: while a page stays among them, they are the only ones ordered, and the other fields are
    never looked up (two index queries per word fewer for the first pages of a broad search).
    """

    def __init__(self, filters: DatasetFilters, table: facet_table.FacetTable, rows: np.ndarray) -> None:
        self.query, self.any_term, self.table, self.rows = filters.search, filters.any_term, table, rows

    def count(self) -> int:
        return len(self.rows)

    @cached_property
    def titles(self) -> np.ndarray:
        return search.title_hits(self.query, self.table.ids[self.rows])  # looked up when a page is first read

    @cached_property
    def in_title(self) -> np.ndarray:
        return self.titles.all(axis=0)

    @cached_property
    def closeness(self) -> np.ndarray:
        """With several words, among titles holding them all, the one with fewest other words is about just that
        (« Fréquentation des musées de Paris » before a longer, more viewed title that names Paris)."""
        if len(self.query.terms) > 1 and not self.any_term:
            return np.where(self.in_title, self.table.title_words[self.rows], 0)
        return np.zeros(len(self.rows), dtype=np.int64)

    @cached_property
    def ids(self) -> np.ndarray:
        scores = search.relevance(self.query, self.table.ids[self.rows], any_term=self.any_term, titles=self.titles)
        return self.table.ids[self.table.by_relevance(self.rows, scores, self.closeness)]

    def first(self, number: int) -> np.ndarray:
        if "ids" in self.__dict__ or number > np.count_nonzero(self.in_title):
            return self.ids[:number]
        top = np.flatnonzero(self.in_title)  # every one scores the most there is: only closeness and ties differ
        rows = self.table.by_relevance(self.rows[top], np.zeros(len(top), dtype=np.int64), self.closeness[top])
        return self.table.ids[rows[:number]]


def dataset_list(filters: DatasetFilters = DatasetFilters()) -> _Ranked:
    """Datasets for the list page, filtered, searched and sorted (without the counts of ``listing_counts``)."""
    table, _ = _table()
    return _ordered(filters, table, _Selection(filters, table).results)


EXPORT_BATCH = 2000


def dataset_export(filters: DatasetFilters) -> Iterator[tuple[Dataset, list[str]]]:
    """Every result of a search, in the list's order, with its files' download links, for the CSV export.

    The links (436,000 at 60,000 datasets) are read as plain values, a batch of datasets at a time: as
    model instances they cost several times the rest of the export.
    """
    ordered = dataset_list(filters).ids.tolist()
    for start in range(0, len(ordered), EXPORT_BATCH):
        ids = ordered[start : start + EXPORT_BATCH]
        found = Dataset.objects.with_publisher("license").in_bulk(ids)
        batch = [found[pk] for pk in ids if pk in found]
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


# The table's order of each sort but relevance (catalog.selectors.facet_table.ORDERS).
_ORDERS = {"recent": "recent", "titre": "title", "populaire": "popular"}


def _ordered(filters: DatasetFilters, table: facet_table.FacetTable, shown: np.ndarray) -> _Ranked:
    """The datasets of the rows ``shown`` (a mask of the table) in the order the page asks for. By relevance,
    popularity breaks ties between datasets matching in the same fields (``_ByRelevance``)."""
    sort = filters.effective_sort
    if sort == "pertinence" and filters.search:
        return _ByRelevance(filters, table, np.flatnonzero(shown))
    return _Ranked(table.ids[table.sort(shown, _ORDERS.get(sort, "recent"))])


# The counted facets the list page knows (catalog.facets.KINDS); a section shows those its universe file names.
FACETS = tuple(facets.KINDS)


@dataclass
class ListingCounts:
    total: int  # results on the page's terms
    archived: int  # archived datasets the same search would add
    facets: dict[str, Counter]  # per facet, results each value would give with the other filters kept
    as_of: datetime | None = None  # the date the update periods count back from
    results: _Ranked = _Ranked(np.empty(0, dtype=np.int64))  # the results, in the page's order (read when sliced)
    filters: DatasetFilters = DatasetFilters()  # the filters counted (``resolve``d with ``widen``)


def listing_counts(filters: DatasetFilters, *, widen: bool = False) -> ListingCounts:
    """The results of the list page and every count it shows, from the catalogue's facet table
    (catalog.selectors.facet_table) and, for a search, the full-text index.

    Within a facet a dataset matches any of the chosen values; across facets, it must match each; a facet's
    counts are what each of its options would give with the *other* facets applied (disjunctive). The whole
    section without a filter takes its counts from the summary stored by the last sync.

    With ``widen``, the filters are ``resolve``d first, on the same selection (one full-text lookup fewer than
    calling ``resolve``): ``counts.filters`` are the ones run.
    """
    table, as_of = _table()
    selected = _Selection(filters, table)
    if widen and _widens(filters, selected):
        filters = replace(filters, any_term=True)
        selected = _Selection(filters, table)
    counts = _listing_counts(filters, table, selected, as_of)
    if filters.tag:  # not a counted facet: its one option gives the results themselves
        counts.facets["tag"] = Counter({filters.tag: counts.total})
    return counts


class _Selection:
    """The rows of the facet table a list page's filters select, as masks. The candidates are the rows of the
    section, keyword and search; ``visible``, those of them a page shows (archived ones only when asked);
    ``passes``, per chosen facet, the rows holding one of its values; ``everywhere``, the candidates passing every
    facet; ``results``, the visible ones among them."""

    def __init__(self, filters: DatasetFilters, table: facet_table.FacetTable) -> None:
        section = filters.universe_section
        self.within = section_id(filters.section)
        self.chosen = [facets.spec(name, section) for name, _ in filters.choices]
        candidates = table.in_section(self.within)
        if filters.tag:
            tagged = Dataset.tags.through.objects.filter(tag__name=filters.tag).values_list("dataset_id", flat=True)
            candidates = candidates & table.rows_of(np.fromiter(tagged, dtype=np.int64))
        if filters.search:
            candidates = candidates & table.rows_of(search.found(filters.search, any_term=filters.any_term))
        # Archived datasets are counted (« Inclure les jeux de données archivés »), shown only when asked.
        self.visible = candidates if filters.archived else candidates & ~table.archived
        self.passes = {
            spec.name: table.cells(spec, self.within).passing(spec.source, spec.source.keys(filters.values(spec.name)))
            for spec in self.chosen
        }
        self.everywhere = np.logical_and.reduce([candidates, *self.passes.values()])
        self.results = self.visible & self.everywhere


def _listing_counts(
    filters: DatasetFilters, table: facet_table.FacetTable, selected: _Selection, as_of: datetime
) -> ListingCounts:
    chosen = selected.chosen
    shown = facets.section_facets(filters.universe_section)
    involved = list({spec.name: spec for spec in (*shown, *chosen)}.values())
    if not (filters.query or filters.archived or filters.tag or chosen):
        totals = summary(filters.section)
        counts = {spec.name: Counter(dict(totals["facets"][spec.name])) for spec in involved}
    else:
        rows = np.flatnonzero(selected.results)
        counts = {spec.name: table.count(spec, selected.within, rows) for spec in involved if spec not in chosen}
        for spec in chosen:
            others = [selected.passes[other.name] for other in chosen if other.name != spec.name]
            rows = np.flatnonzero(np.logical_and.reduce([selected.visible, *others]))
            counts[spec.name] = table.count(spec, selected.within, rows)
    return ListingCounts(
        total=int(selected.results.sum()),
        archived=int((selected.everywhere & table.archived).sum()),
        facets=counts,
        as_of=as_of,
        results=_ordered(filters, table, selected.results),
        filters=filters,
    )


def dataset_facets(
    filters: DatasetFilters,
    counts: dict[str, Counter] | None = None,
    *,
    as_of: datetime | None = None,
    organization_query: str = "",
) -> list[Facet]:
    """The section's facets (its universe file says which, in which order), each option with the number of
    results it would give: the other facets kept, the other values of its own facet left out.

    Options come by number of results for the current search, the selected ones first (``facets.build``).
    ``organization_query`` keeps the producers whose name, acronym or slug hold all its words, accents
    and case aside: any producer of the results can be found, not only the ``FACET_LIMIT`` first.
    """
    if counts is None:
        listing = listing_counts(filters)
        counts, as_of = listing.facets, listing.as_of
    context = facets.Context(as_of=as_of or catalogue_date(), organization_query=organization_query,
                             version=facet_table.latest_version())  # fmt: skip
    shown = []
    if filters.tag:
        shown.append(facets.build("tag", "Mot-clé", counts.get("tag", Counter()), {}, [filters.tag]))
    for spec in facets.section_facets(filters.universe_section):
        shown.append(spec.present(counts.get(spec.name, Counter()), filters.values(spec.name), context))
    return [facet for facet in shown if facet.offers or facet.query]  # no column of zeros when nothing is found


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
    plain = DatasetFilters(query=filters.query, archived=filters.archived, section=filters.section)
    return _filtered(resolve(plain)).count()


def compute_summary(as_of: datetime | None = None, section: str = "") -> dict:
    """Counts over the published datasets of a section (stored by each sync, see ``summary``).

    ``as_of``: the date the update periods count back from, the sync's own (now when not given).
    """
    return compute_summaries([section_id(section)], as_of=as_of)[section_id(section)]


def compute_summaries(sections: Sequence[str], as_of: datetime | None = None) -> dict[str, dict]:
    """``compute_summary`` of each section, from one read of the active datasets (a sync stores them all)."""
    # Each section its own facets: two sections may name a tag group alike with other tags.
    counted = {section: facets.counted(_section(section)) for section in sections}
    table = facet_table.FacetTable(as_of or timezone.now(), counted)
    summaries = {}
    for section in sections:
        held = table.in_section(section)
        rows = np.flatnonzero(held & ~table.archived)
        counts = {spec.name: table.count(spec, section, rows) for spec in counted[section]}
        summaries[section] = {
            "published": len(rows),
            "resources": section_datasets(section).aggregate(files=Sum("resource_count"))["files"] or 0,
            "archived": int((held & table.archived).sum()),
            "facets": _stored_counts(counts),
            "tag_groups": _tag_groups(section),
        }
    return summaries


def refreshed_summaries(previous: dict[str, dict], sections: Sequence[str], as_of: datetime) -> dict[str, dict] | None:
    """The summaries of a catalogue whose datasets have not changed since ``previous`` was counted: the same
    figures, but for the update periods, which count back from this sync's date ``as_of`` (one read of one
    column, instead of every column of every dataset). None when one of them cannot serve: a section it did not
    count, or another set of facets or tag groups than the universe's now."""
    summaries = {}
    for section in sections:
        data = previous.get(section)
        counted = facets.counted(_section(section))
        if (
            not data
            or {spec.name for spec in counted} != set(data.get("facets", ()))
            or data.get("tag_groups") != _tag_groups(section)
        ):
            return None
        recounted: dict[str, Counter] = {}
        periods = [spec for spec in counted if isinstance(spec.source, facets.Period)]
        if periods:
            ages = (
                section_datasets(section).annotate(update_age=facet_table.update_age(as_of)).values_list("update_age")
            )
            cells = Counter(age for (age,) in ages.order_by().iterator(chunk_size=5000))
            recounted = {spec.name: +spec.source.cell_values(cells) for spec in periods}
        summaries[section] = {
            **data,
            "facets": {**data["facets"], **_stored_counts(recounted)},
        }
    return summaries


def _stored_counts(counts: dict[str, Counter]) -> dict[str, list]:
    """Facet counts as a summary stores them: JSON keys are strings, so (value, count) pairs keep organization and
    licence ids as integers; in the order of the values' text."""
    return {facet: sorted(counter.items(), key=lambda row: str(row[0])) for facet, counter in counts.items()}


def _section(section: str) -> universe.Section | None:
    """The universe's section of this id (None for one it no longer declares: counted with the main one's facets)."""
    return next((found for found in settings.UNIVERSE.sections if found.id == section), None)


def _tag_groups(section: str = "") -> dict[str, list[str]]:
    """A section's tag-group facets and their tags: a summary counted for others is counted again."""
    specs = facets.counted(_section(section_id(section)))
    return {spec.name: [option.tag for option in spec.tags] for spec in specs if spec.tags}


_summary_memo: dict[str, Any] = {}


def summary(section: str = "") -> dict:
    """The counts of a section (the first by default) the last sync stored; computed on the spot when
    no sync stored any yet.

    Pages ask for it several times: the stored JSON is read once per sync, and reused while the
    latest summary row stays the same (``facet_table.latest_rows``).
    """
    section = section_id(section)
    latest = facet_table.latest_rows().get(section)
    if latest is None:
        return compute_summary(section=section)
    key = (*latest, repr(_tag_groups(section)))
    if _summary_memo.get(section, {}).get("key") != key:
        data = CatalogSummary.objects.filter(pk=latest[0]).values_list("data", flat=True).first()
        counted = {spec.name for spec in facets.counted(_section(section))}
        stale = data and data.get("tag_groups", {}) != _tag_groups(section)
        if not data or not counted <= set(data.get("facets", ())) or stale:
            # Stored before a facet existed (or for other tag groups): counted again for this catalogue, until
            # the next sync stores it.
            data = compute_summary(as_of=latest[1], section=section)
        _summary_memo[section] = {"key": key, "data": data}
    return _summary_memo[section]["data"]
