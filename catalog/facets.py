"""The list page's facets, each kind declared once; the universe file chooses a section's facets.

A *kind* says where a facet's values come from and how a dataset matches one: a dataset column
(``publisher_kind``), a space-separated list column (``" csv json "``), the update period (a bucket computed
from ``last_update``), or a *tag group* (data.gouv.fr tags the universe file lists, with their labels). The form
(catalog.forms), the query and the counts (catalog.selectors), the chips, the template loop and the covering
index (tests/catalog/test_facets_registry.py) all iterate over ``section_facets()``: adding a facet to a section
is one entry in the universe file, and a new kind of source is one class here.

Values: several per facet (OR within a facet, AND across facets) unless the facet is single; the form keeps
them cleaned, de-duplicated, sorted and at most ``MAX_VALUES``, so that equal searches have one address.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.text import slugify

from catalog import labels, universe

MAX_VALUES = 20  # values kept per facet; more are dropped (an address is not a database dump)
FACET_LIMIT = 30  # options of a long facet (producers, formats) offered without a search
VISIBLE_OPTIONS = 8  # a facet's first options; the others fold under « Voir plus »
_TOKEN = re.compile(r"^[\w.+:-]{1,100}$")


# --- What a page shows -----------------------------------------------------------------------------


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool

    @cached_property
    def slug(self) -> str:
        """The value in the option's element id (``facet-<name>-<slug>``), which links and labels point to."""
        return slugify(self.value)

    @cached_property
    def count_text(self) -> str:
        """The count as shown (« 1 234 »): worked out once, a list page shows some eighty options."""
        return labels.thousands(self.count)


@dataclass
class Facet:
    name: str  # the query parameter
    label: str
    options: list[FacetOption]  # the selected ones first, then the most results first (see ``build``)
    selected: list[FacetOption] = field(default_factory=list)
    multiple: bool = False  # options add to the chosen ones (checkboxes) rather than replace it
    as_of: datetime | None = None  # the date the options count back from (the update periods)
    available: int = 0  # values with results, before the options were cut to FACET_LIMIT or searched
    searchable: bool = False  # the options can be searched by name (``query``): producers
    query: str = ""

    @cached_property
    def shown(self) -> list[FacetOption]:
        """The first options with results (the selected ones first, whatever their count)."""
        offered = [option for option in self.options if option.count or option.selected]
        return offered[: max(VISIBLE_OPTIONS, len(self.selected))]

    @cached_property
    def more(self) -> list[FacetOption]:
        """What « Voir plus » unfolds: the other options, those without results last. Never a selected one."""
        return self.options[len(self.shown) :]

    @property
    def offers(self) -> bool:
        """Whether it offers something: an option with results, or a chosen one (to remove it)."""
        return any(option.count or option.selected for option in self.options)


def build(name: str, label: str, counts: Counter, names: dict, selected: Sequence[str], *,
          every: Sequence[str] = (), limit: int | None = None, ranked: bool = True,
          multiple: bool = False) -> Facet:  # fmt: skip
    """A facet's options: the values with results (and ``every`` one), labelled by ``names``.

    Ranked facets list the most results first, then by label, cut to ``limit``; their selected options
    come first, so that « Voir plus » never hides them, whatever their count. Unranked ones (the update
    periods, each holding the one before) keep the order of ``names``.
    """
    from catalog import search

    chosen = set(selected)
    with_results = [value for value, count in counts.items() if count and value]
    values = list(dict.fromkeys(value for value in [*with_results, *every, *selected] if value))  # each once
    options = [FacetOption(value, names.get(value, value), counts.get(value, 0), value in chosen) for value in values]
    if ranked:
        options.sort(key=lambda option: (not option.selected, -option.count, search.fold(option.label), option.value))
    else:
        order = list(names)
        options.sort(key=lambda option: order.index(option.value) if option.value in order else len(order))
    if limit is not None:
        options = options[: max(limit, len(chosen))]  # the selected options are first: always kept
    picked = [option for option in options if option.selected]
    return Facet(name=name, label=label, options=options, selected=picked, multiple=multiple)


@dataclass(frozen=True)
class Context:
    """What presenting a facet may need besides its counts. ``version``: the catalogue version the counts are of,
    under which the names of producers and licences are read once per process (``_names``)."""

    as_of: datetime | None = None
    organization_query: str = ""
    version: Hashable = None


_names_memo: dict[str, tuple[Hashable, Any]] = {}  # what -> (catalogue version, names), each replaced whole


def _names(what: str, version: Hashable, read: Callable[[], Any]) -> Any:
    """``read()`` once per catalogue version (a sync may rename producers and add licences); at each call without
    a version (no sync stored one yet)."""
    if version is None:
        return read()
    memo = _names_memo.get(what)
    if memo is None or memo[0] != version:
        memo = _names_memo[what] = (version, read())
    return memo[1]


def _producers() -> tuple[dict[int, tuple[str, str, str]], dict[str, int]]:
    """Every producer's slug, name and acronym by primary key, and the primary key by slug."""
    from catalog.models import Organization

    by_pk = {pk: (slug, name, acronym) for pk, slug, name, acronym in
             Organization.objects.values_list("pk", "slug", "name", "acronym")}  # fmt: skip
    return by_pk, {slug: pk for pk, (slug, _, _) in by_pk.items()}


def _licenses() -> dict[int, tuple[str, str]]:
    """Every licence's code and label by primary key."""
    from catalog.models import License

    return {license.pk: (license.code, license.label) for license in License.objects.all()}


# --- Sources: where values come from and how a dataset matches ----------------------------------------


class Source:
    """How a kind of facet reads datasets. ``column``: what ``values_list`` reads for counting."""

    column = ""

    def q(self, values: Sequence[str], as_of: datetime) -> Q:
        raise NotImplementedError

    def values_of(self, cell: Any) -> Iterable[Any]:
        """The values a cell (one dataset's value of ``column``) is counted for."""
        return (cell,)

    def cell_values(self, counter: Counter) -> Counter:
        """Counts of values from counts of cells."""
        values: Counter = Counter()
        for cell, count in counter.items():  # each distinct cell read once
            for value in self.values_of(cell):
                values[value] += count
        return values

    def keys(self, values: Sequence[str]) -> Iterable[Any]:
        """What a filter on ``values`` asks for in ``values_of``'s terms: a dataset passes when its cell is counted for
        one of them. The values themselves, unless they name a related object (``Column.model``)."""
        return values


class Column(Source):
    """A dataset column; ``lookup`` the field a value names when it is not the column's (a slug, a code)."""

    def __init__(self, column: str, lookup: str = "", model: str = "", key: str = "") -> None:
        self.column = column
        self.lookup = lookup or column
        self.model, self.key = model, key  # the related model's value field, for ``keys``

    def q(self, values: Sequence[str], as_of: datetime) -> Q:
        return Q(**{f"{self.lookup}__in": list(values)})

    def keys(self, values: Sequence[str]) -> Iterable[Any]:
        if not self.model:
            return values
        from catalog import models

        related = getattr(models, self.model).objects.filter(**{f"{self.key}__in": list(values)})
        return related.values_list("pk", flat=True)


class Words(Source):
    """A column of space-separated values, padded (``" csv json "``)."""

    def __init__(self, column: str) -> None:
        self.column = column

    def q(self, values: Sequence[str], as_of: datetime) -> Q:
        condition = Q()
        for value in values:
            condition |= Q(**{f"{self.column}__contains": f" {value} "})
        return condition

    def values_of(self, cell: str | None) -> Iterable[str]:
        return (cell or "").split()


# 1 for the shortest period, 2 for the next…: each period holds the ones before it.
PERIOD_RANKS = {value: rank for rank, value in enumerate(labels.UPDATE_PERIODS, start=1)}


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def period_starts(as_of: datetime) -> dict[str, datetime]:
    """Where each period of labels.UPDATE_PERIODS starts, counting back from ``as_of``."""
    starts = {
        "last_30_days": as_of - timedelta(days=30),
        "last_12_months": _years_before(as_of, 1),
        "last_3_years": _years_before(as_of, 3),
    }
    return {value: starts[value] for value in labels.UPDATE_PERIODS}


class Period(Source):
    """The update period: ``update_age`` (annotated by the selectors) is the rank of the shortest period
    holding a dataset's last update, 0 when none does."""

    column = "update_age"

    def q(self, values: Sequence[str], as_of: datetime) -> Q:
        starts = period_starts(as_of)
        known = [starts[value] for value in values if value in starts]
        return Q(last_update__gte=min(known)) if known else Q(pk__in=[])

    def values_of(self, cell: int) -> Iterable[str]:
        return [value for value, rank in PERIOD_RANKS.items() if 0 < cell <= rank]


class Tags(Source):
    """A group of data.gouv.fr tags. The cell is the dataset's id; ``membership`` turns it into the set of the
    group's tags the dataset has (one query per group, when the facet table is read)."""

    column = "id"

    def __init__(self, tags: Sequence[str]) -> None:
        self.tags = tuple(tags)

    def q(self, values: Sequence[str], as_of: datetime) -> Q:
        from catalog.models import Dataset

        holding = Dataset.tags.through.objects.filter(tag__name__in=list(values)).values("dataset_id")
        return Q(pk__in=holding)

    def membership(self, section_id: str = "") -> dict[int, frozenset[str]]:
        """The group's tags of each dataset holding one, within the section ``section_id`` when given (a tag of
        the group may be common elsewhere: « architecture », « archives »)."""
        from catalog.models import Dataset, Tag

        names = dict(Tag.objects.filter(name__in=self.tags).values_list("pk", "name"))
        rows = Dataset.tags.through.objects.filter(tag_id__in=list(names))
        if section_id:
            rows = rows.filter(dataset__section_ids__contains=f" {section_id} ")
        found: dict[int, list[str]] = {}
        for dataset_id, tag_id in rows.values_list("dataset_id", "tag_id").iterator(chunk_size=5000):
            found.setdefault(dataset_id, []).append(names[tag_id])
        return {dataset_id: frozenset(tags) for dataset_id, tags in found.items()}

    def values_of(self, cell: frozenset[str] | None) -> Iterable[str]:
        return cell or ()


# --- Kinds: the facets the list page knows, and tag groups ----------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A kind of facet: its source, its default label, whether it takes several values, how a value from an
    address is cleaned (``None``: refused) and how its options are presented."""

    name: str
    label: str
    source: Source
    clean: Callable[[str], str | None]
    present: Callable[[FacetSpec, Counter, Sequence[str], Context], Facet]
    multiple: bool = True


@dataclass(frozen=True)
class FacetSpec:
    """A facet as a section shows it: a kind with the universe's label, choice of values and options."""

    kind: Kind
    name: str
    label: str
    multiple: bool
    tags: tuple[universe.FacetTag, ...] = ()

    @property
    def source(self) -> Source:
        return self.kind.source

    def clean_values(self, raw: Iterable[str]) -> tuple[str, ...]:
        """The values an address gives, cleaned: unknown ones dropped, sorted, at most ``MAX_VALUES``;
        a single facet keeps the last valid one (as a form field would)."""
        cleaned = [value for value in (self.kind.clean(item) for item in raw) if value]
        if not self.multiple:
            return tuple(cleaned[-1:])
        return tuple(sorted(set(cleaned))[:MAX_VALUES])

    def present(self, counts: Counter, selected: Sequence[str], context: Context) -> Facet:
        return self.kind.present(self, counts, selected, context)


def _token(value: str) -> str | None:
    value = value.strip()
    return value if _TOKEN.match(value) else None


def _choice(choices: Callable[[], Iterable[str]]) -> Callable[[str], str | None]:
    def clean(value: str) -> str | None:
        value = value.strip()
        return value if value in set(choices()) else None

    return clean


def _present_category(spec: FacetSpec, counts: Counter, selected: Sequence[str], context: Context) -> Facet:
    names = {category.slug: category.label for category in labels.CATEGORIES}
    # Every category is offered, even without results: they say what the catalogue covers.
    return build(spec.name, spec.label, counts, names, selected, every=list(names), multiple=spec.multiple)


def _present_plain(names: Callable[[], dict]) -> Callable:
    def present(spec: FacetSpec, counts: Counter, selected: Sequence[str], context: Context) -> Facet:
        return build(spec.name, spec.label, counts, names(), selected, multiple=spec.multiple)

    return present


def _present_format(spec: FacetSpec, counts: Counter, selected: Sequence[str], context: Context) -> Facet:
    names = {value: value.upper() for value in [*counts, *selected]}
    return build(spec.name, spec.label, counts, names, selected, limit=FACET_LIMIT, multiple=spec.multiple)


def _present_license(spec: FacetSpec, counts: Counter, selected: Sequence[str], context: Context) -> Facet:
    licenses = _names("licenses", context.version, _licenses)
    by_code: Counter = Counter()
    for pk, count in counts.items():
        if pk in licenses:
            by_code[licenses[pk][0]] += count
    names = dict(licenses.values())
    return build(spec.name, spec.label, by_code, names, selected, multiple=spec.multiple)


def _present_period(spec: FacetSpec, counts: Counter, selected: Sequence[str], context: Context) -> Facet:
    facet = build(spec.name, spec.label, counts, labels.UPDATE_PERIODS, selected, ranked=False,
                  multiple=spec.multiple)  # fmt: skip
    facet.as_of = context.as_of
    return facet


def _present_granularity(spec: FacetSpec, counts: Counter, selected: Sequence[str], context: Context) -> Facet:
    """French names of granularity codes: ours, else the one the API gave with the dataset (a new code)."""
    from catalog.models import Dataset

    names = {code: labels.GRANULARITY_LABELS[code] for code in counts if code in labels.GRANULARITY_LABELS}
    unknown = [code for code in [*counts, *selected] if code and code not in names]
    if unknown:
        rows = Dataset.objects.filter(spatial_granularity__in=unknown).exclude(spatial_granularity_label="")
        names.update(rows.values_list("spatial_granularity", "spatial_granularity_label").distinct()[:100])
    return build(spec.name, spec.label, counts, names, selected, multiple=spec.multiple)


def _present_organization(spec: FacetSpec, counts: Counter, selected: Sequence[str], context: Context) -> Facet:
    """Producers by slug, the ``FACET_LIMIT`` with most results, or all those matching the facet's search."""
    from catalog import search

    positive = {pk: n for pk, n in counts.items() if n}
    words = search.fold(context.organization_query).split()[: search.MAX_TERMS]
    wanted = list(positive)
    if not words and len(positive) > FACET_LIMIT:  # the first ones only (ties included)
        threshold = sorted(positive.values(), reverse=True)[FACET_LIMIT - 1]
        wanted = [pk for pk, n in positive.items() if n >= threshold]
    by_slug: Counter = Counter()
    names: dict[str, str] = {}
    producers, by_slug_pk = _names("producers", context.version, _producers)
    found = dict.fromkeys([*wanted, *(by_slug_pk[slug] for slug in selected if slug in by_slug_pk)])
    for pk in found:
        if pk not in producers:
            continue
        slug, name, acronym = producers[pk]
        if words and slug not in selected:
            haystack = search.fold(f"{name} {acronym} {slug}")
            if not all(word in haystack for word in words):
                continue
        by_slug[slug] += positive.get(pk, 0)
        names[slug] = name
    facet = build(spec.name, spec.label, by_slug, names, selected, limit=FACET_LIMIT, multiple=spec.multiple)
    facet.available = len(positive)
    facet.searchable = facet.available > VISIBLE_OPTIONS or bool(context.organization_query)
    facet.query = context.organization_query
    return facet


def _present_tags(spec: FacetSpec, counts: Counter, selected: Sequence[str], context: Context) -> Facet:
    names = {option.tag: option.label for option in spec.tags}
    return build(spec.name, spec.label, counts, names, selected, multiple=spec.multiple)


def _category_slugs() -> Iterable[str]:
    return labels.CATEGORY_BY_SLUG


def _format(value: str) -> str | None:
    return _token(value.lower())


# The facets the list page knows, in the order of the summary's counts. A universe file names them by ``name``.
KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("category", "Catégorie", Words("category_slugs"), _choice(_category_slugs), _present_category),
    Kind("organization_type", "Type de producteur", Column("publisher_kind"),
         _choice(lambda: labels.ORGANIZATION_KINDS), _present_plain(lambda: labels.ORGANIZATION_KINDS)),
    Kind("organization", "Producteur", Column("organization_id", "organization__slug", "Organization", "slug"),
         _token, _present_organization),
    Kind("format", "Format de fichier", Words("formats"), _format, _present_format),
    Kind("license", "Licence", Column("license_id", "license__code", "License", "code"), _token, _present_license),
    Kind("last_update_range", "Dernière mise à jour", Period(), _choice(lambda: labels.UPDATE_PERIODS),
         _present_period, multiple=False),
    Kind("granularity", "Granularité géographique", Column("spatial_granularity"), _token, _present_granularity),
)}  # fmt: skip
SINGLE = tuple(name for name, kind in KINDS.items() if not kind.multiple)
# Parameters of the list page that are not facets: a tag group cannot take their names.
RESERVED = ("q", "tag", "archived", "sort", "page", "organization_q", "type")


def _spec(declared: universe.Facet) -> FacetSpec:
    if declared.tags:
        tags = tuple(option.tag for option in declared.tags)
        kind = Kind(declared.name, declared.label, Tags(tags), _choice(lambda: tags), _present_tags)
    else:
        kind = KINDS[declared.name]
    multiple = kind.multiple if declared.multiple is None else declared.multiple
    return FacetSpec(kind, declared.name, declared.label, multiple, declared.tags)


def default_specs() -> tuple[FacetSpec, ...]:
    """Every kind the list page knows, with its own label: what the summary counts."""
    return tuple(FacetSpec(kind, kind.name, kind.label, kind.multiple) for kind in KINDS.values())


_memo: dict[int, tuple[universe.Section, tuple[FacetSpec, ...]]] = {}


def section_facets(section: universe.Section | None = None) -> tuple[FacetSpec, ...]:
    """The facets of a section (the universe's main one by default), in the order its file declares them."""
    section = section or settings.UNIVERSE.main
    known = _memo.get(id(section))
    if known is None or known[0] is not section:
        known = _memo[id(section)] = (section, tuple(_spec(declared) for declared in section.facets))
    return known[1]


def counted(section: universe.Section | None = None) -> tuple[FacetSpec, ...]:
    """What a section's summary counts: every known kind, and the section's tag groups (the main one's by default)."""
    return default_specs() + tuple(spec for spec in section_facets(section) if spec.name not in KINDS)


def spec(name: str, section: universe.Section | None = None) -> FacetSpec:
    """The facet named ``name``: the section's (the main one's by default), else a known kind with its own label."""
    for found in (*section_facets(section), *default_specs()):
        if found.name == name:
            return found
    raise KeyError(name)


def check(declared: universe.Universe) -> None:
    """What the universe file's facets must be (checked when the catalog app is ready)."""
    universe.check_facets(declared, tuple(KINDS), single=SINGLE, reserved=RESERVED)
