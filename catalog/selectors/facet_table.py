"""The catalogue's facet cells and sort keys held in memory as arrays: the list page filters, counts and orders here.

A broad search matches a third of the catalogue (18,000 of 60,000 datasets). Reading those rows from the database
for every page cost more than the rest of the page; the full-text index alone finds them in a few milliseconds.
So each process reads every active dataset once per catalogue version (the summary row each sync writes, see
``listing.summary``): one cell per dataset and facet, coded as a small integer (``Cells``), and the columns the
sorts need. Filters then become boolean masks, counts ``numpy.bincount`` over the codes, orders ``numpy.lexsort``.

What a cell is and which values it counts for stays the facet's business (``catalog.facets.Source``): a table asks
the source once per *distinct* cell (a few thousand at most: the combinations of formats), never once per dataset,
and a filter keeps the rows its options count. A catalogue without a summary (before its first sync, in tests) gets
a table per call: never one that outlived the data it was read from.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from catalog import facets, search, snapshot
from catalog.models import CatalogSummary, Dataset

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cells:
    """One facet's cell for each row of a table: ``values[codes[row]]``."""

    codes: np.ndarray
    values: list
    _expansions: dict = field(default_factory=dict, compare=False, repr=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_expansions": {}}  # keyed by the sources' ids: this process's only

    @classmethod
    def of(cls, cells: Sequence[Hashable]) -> Cells:
        values = list(dict.fromkeys(cells))
        index = {cell: code for code, cell in enumerate(values)}
        return cls(np.fromiter(map(index.__getitem__, cells), dtype=np.int32, count=len(cells)), values)

    def counts(self, rows: np.ndarray, source: facets.Source) -> Counter:
        """How many of ``rows`` (indices) count for each of ``source``'s values (``Source.values_of``)."""
        cells, values, names, _ = self._expansion(source)
        per_cell = np.bincount(self.codes[rows], minlength=len(self.values))
        found = np.bincount(values, weights=per_cell[cells], minlength=len(names))
        return Counter({names[code]: int(found[code]) for code in np.flatnonzero(found)})

    def _expansion(self, source: facets.Source) -> tuple[np.ndarray, np.ndarray, list, dict]:
        """Each (distinct cell, value it counts for) pair as two arrays of codes, the values and their codes; built
        once per source."""
        found = self._expansions.get(id(source))
        if found is None:
            pairs = [(code, value) for code, cell in enumerate(self.values) for value in source.values_of(cell)]
            names = list(dict.fromkeys(value for _, value in pairs))
            index = {value: code for code, value in enumerate(names)}
            cells = np.fromiter((code for code, _ in pairs), dtype=np.int64, count=len(pairs))
            values = np.fromiter((index[value] for _, value in pairs), dtype=np.int64, count=len(pairs))
            found = self._expansions[id(source)] = (cells, values, names, index)
        return found

    def passing(self, source: facets.Source, keys: Iterable[Hashable]) -> np.ndarray:
        """A mask of the rows counted for one of ``keys`` (``Source.keys``): the rows a filter keeps are those its
        options count, by construction. A format is in thousands of distinct cells (« csv json pdf »…): they are
        found through the expansion, not asked one by one."""
        cells, values, _, index = self._expansion(source)
        wanted = [index[key] for key in keys if key in index]
        held = np.zeros(len(self.values), dtype=bool)
        held[cells[np.isin(values, wanted)]] = True
        return held[self.codes]

    def where(self, holds: Callable[[Hashable], bool]) -> np.ndarray:
        """A mask of the rows whose cell ``holds``: each distinct cell is asked once."""
        verdicts = np.fromiter((bool(holds(cell)) for cell in self.values), dtype=bool, count=len(self.values))
        return verdicts[self.codes]


# Read for every table besides the facets' own columns: the ranking's and the sorts' keys, the summary's sums.
# All held by the index ``dataset_search_columns`` (catalog.models.Dataset), with the facets' columns: the table is read
# from that index alone, never from the datasets' rows.
_COLUMNS = ("id", "is_archived", "section_ids", "metric_views", "metric_followers", "title_words")
_IS_ARCHIVED = Case(When(archived_at__isnull=False, then=Value(1)), default=Value(0), output_field=IntegerField())


def update_age(as_of: datetime) -> Case:
    """The rank of the shortest update period holding a dataset's last update, counted back from ``as_of``
    (``facets.Period``'s cell); 0 when none does (or no date)."""
    starts = facets.period_starts(as_of)
    whens = [When(last_update__gte=starts[value], then=Value(rank)) for value, rank in facets.PERIOD_RANKS.items()]
    return Case(*whens, default=Value(0), output_field=IntegerField())


class FacetTable:
    """Every active dataset (archived ones included) of one catalogue version, a row each, in ``ids`` order."""

    def __init__(self, as_of: datetime, specs: Mapping[str, Sequence[facets.FacetSpec]]) -> None:
        """``as_of``: the date the update periods count back from; ``specs``: the facets read for each section id."""
        columns = list(dict.fromkeys(spec.source.column for found in specs.values() for spec in found))
        queryset = (
            Dataset.objects.active()
            .annotate(update_age=update_age(as_of), is_archived=_IS_ARCHIVED)
            .order_by("pk")
            .values_list(*_COLUMNS, *columns)
        )
        rows = _fetch(queryset)
        by_column = dict(zip([*_COLUMNS, *columns], zip(*rows, strict=True), strict=True)) if rows else {}
        empty = ()
        self.ids = np.fromiter(by_column.get("id", empty), dtype=np.int64)
        self.archived = np.fromiter(by_column.get("is_archived", empty), dtype=bool)
        self.views = np.fromiter(by_column.get("metric_views", empty), dtype=np.int64)
        self.followers = np.fromiter(by_column.get("metric_followers", empty), dtype=np.int64)
        self.title_words = np.fromiter(by_column.get("title_words", empty), dtype=np.int64)
        held = Cells.of(by_column.get("section_ids", empty))
        self.sections = {section: held.where(lambda cell, padded=f" {section} ": padded in cell) for section in specs}
        self._columns = {column: Cells.of(by_column.get(column, empty)) for column in columns if column != "id"}
        self._tags: dict[tuple[str, str], Cells] = {}
        for section, found in specs.items():
            for spec in found:
                if isinstance(spec.source, facets.Tags):
                    membership = spec.source.membership(section)
                    self._tags[section, spec.name] = Cells.of(list(map(membership.get, by_column.get("id", empty))))
        self._orders: dict[str, np.ndarray] = {}
        self._lock = threading.RLock()  # an order may be built from another (``_compute_order``)

    def __len__(self) -> int:
        return len(self.ids)

    def __getstate__(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != "_lock"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()

    def cells(self, spec: facets.FacetSpec, section: str) -> Cells:
        if isinstance(spec.source, facets.Tags):
            return self._tags[section, spec.name]
        return self._columns[spec.source.column]

    def count(self, spec: facets.FacetSpec, section: str, rows: np.ndarray) -> Counter:
        """The counts of ``spec``'s values over ``rows``, as a summary stores them (no empty value)."""
        counter = self.cells(spec, section).counts(rows, spec.source)
        counter.pop(None, None)
        counter.pop("", None)
        return counter

    def in_section(self, section: str) -> np.ndarray:
        """A mask of the section's rows (none for a section the table was not read for)."""
        found = self.sections.get(section)
        return found if found is not None else np.zeros(len(self.ids), dtype=bool)

    def rows_of(self, ids: np.ndarray) -> np.ndarray:
        """A mask of the rows of these dataset ids (ids not in the table, withdrawn datasets, are ignored)."""
        return search.members(self.ids, ids)

    def sort(self, mask: np.ndarray, order: str) -> np.ndarray:
        """The positions of the rows of ``mask`` in one of the table's ``ORDERS``."""
        full = self._order(order)
        return full[mask[full]]

    def by_relevance(self, rows: np.ndarray, relevance: np.ndarray, closeness: np.ndarray) -> np.ndarray:
        """``rows`` (positions) by relevance, the closest title first, then in the ``"popular_recent"`` order."""
        ties = self._rank("popular_recent")[rows]
        return rows[np.lexsort((ties, closeness, -relevance))]

    def _order(self, name: str) -> np.ndarray:
        """Every position in the order ``name``, computed the first time it is asked (then shared by threads)."""
        found = self._orders.get(name)
        if found is None:
            with self._lock:
                found = self._orders.get(name)
                if found is None:
                    found = self._orders[name] = self._compute_order(name)
        return found

    def _rank(self, name: str) -> np.ndarray:
        """Each row's place in the order ``name``."""
        key = f"rank:{name}"
        found = self._orders.get(key)
        if found is None:
            order = self._order(name)
            found = np.empty(len(order), dtype=np.int64)
            found[order] = np.arange(len(order))
            self._orders[key] = found
        return found

    def _compute_order(self, name: str) -> np.ndarray:
        # numpy.lexsort reads its keys last first; the id breaks ties.
        if name == "popular":
            return np.lexsort((self.ids, -self.followers, -self.views))
        if name == "popular_recent":
            return np.lexsort((self._rank("recent"), -self.followers, -self.views))
        # Dates and titles: the database's order (its collation for the folded titles, as on every other page),
        # read through its index over every dataset; withdrawn ones, not in the table, are left out.
        ordering = {"recent": (F("last_update").desc(nulls_last=True), "pk"), "title": ("sort_title", "pk")}[name]
        ordered = np.fromiter((pk for (pk,) in _fetch(Dataset.objects.order_by(*ordering).values_list("pk"))),
                              dtype=np.int64)  # fmt: skip
        return search.positions(self.ids, ordered)


ORDERS = ("recent", "popular", "popular_recent", "title")


def _fetch(queryset) -> list[tuple]:
    """The rows of a ``values_list`` query as the database driver gives them: tens of thousands are read, and
    Django's conversions would double the time. The cyclic garbage collector is held meanwhile: the rows are
    plain tuples, and a collection every few hundred of them would scan the whole process each time."""
    sql, params = queryset.query.sql_with_params()
    collecting = gc.isenabled()
    gc.disable()
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        if collecting:
            gc.enable()


_memo: tuple[tuple, FacetTable] | None = None  # (catalogue version, its table), replaced whole
_building = threading.Lock()
KEPT_FILES = 2  # tables kept on disk: the latest version's, and the one before for requests still on it


def date_of(version: tuple[int, datetime] | None) -> datetime:
    """The date a catalogue version's update periods count back from: when it was written, now before any sync."""
    return version[1] if version else timezone.now()


def current(version: tuple | None) -> FacetTable:
    """The table of the universe's sections for the catalogue version ``version`` (the latest summary row), read
    once per process, its update periods counted back from ``date_of(version)``. Without a version (no sync stored a
    summary yet), a table read for this call only.

    The first process to read a version leaves a copy in ``EXPORT_CACHE_DIR/facet-table`` (every order computed):
    the other workers, and those gunicorn starts to replace recycled ones, load it in milliseconds instead of
    reading the database for a second.
    """
    global _memo
    specs = {section.id: facets.counted(section) for section in settings.UNIVERSE.sections}
    if version is None:
        return FacetTable(date_of(version), specs)
    declared = tuple((section, tuple((spec.name, spec.tags) for spec in found)) for section, found in specs.items())
    key = (*version, declared, connection.settings_dict["NAME"])
    memo = _memo
    if memo is not None and memo[0] == key:
        return memo[1]
    with _building:  # one thread reads it; the others wait for it rather than read it too
        memo = _memo
        if memo is None or memo[0] != key:
            table = _stored(key)  # not ``or``: an empty table is falsy (``__len__``), and a copy all the same
            if table is None:
                table = _store(key, FacetTable(date_of(version), specs))
            memo = _memo = (key, table)
    return memo[1]


def _path(key: tuple) -> Path:
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
    return Path(settings.EXPORT_CACHE_DIR) / "facet-table" / f"{digest}.pickle"


def _stored(key: tuple) -> FacetTable | None:
    """The copy another process left for ``key``, if any (and readable)."""
    try:
        with _path(key).open("rb") as handle:
            stored_key, table = pickle.load(handle)  # noqa: S301 (a file this site wrote, beside its exports)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None
    return table if stored_key == key else None


def _store(key: tuple, table: FacetTable) -> FacetTable:
    """Leave a copy of ``table`` for the other processes (written whole, then renamed); older ones removed."""
    for order in ORDERS:
        table._order(order)
    path = _path(key)
    written = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as handle:
            written = handle.name
            pickle.dump((key, table), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(written, path)
        copies = sorted(path.parent.glob("*.pickle"), key=lambda found: found.stat().st_mtime, reverse=True)
        for old in copies[KEPT_FILES:]:
            old.unlink(missing_ok=True)
    except OSError:
        logger.warning("could not keep a copy of the facet table in %s", path.parent, exc_info=True)
        if written:
            Path(written).unlink(missing_ok=True)
    return table


def warm() -> FacetTable | None:
    """The latest version's table, read now (gunicorn's ``post_worker_init``); None before any sync."""
    version = latest_version()
    return current(version) if version else None


def latest_version() -> tuple[int, datetime] | None:
    """The catalogue version a table is read for: the newest summary row (id, date), None before any."""
    rows = latest_rows().values()
    return max(rows, key=lambda row: (row[1], row[0])) if rows else None


def latest_rows() -> dict[str, tuple[int, datetime]]:
    """The newest summary row (id, date) of each section: one query, once per page (catalog.snapshot); a page asked
    for a section's counts and the catalogue version up to four times."""
    return snapshot.once("summary_rows", _latest_rows)


def _latest_rows() -> dict[str, tuple[int, datetime]]:
    rows: dict[str, tuple[int, datetime]] = {}
    for section, pk, computed_at in CatalogSummary.objects.order_by("-computed_at", "-pk").values_list(
        "section", "pk", "computed_at"
    ):
        rows.setdefault(section, (pk, computed_at))
    return rows
