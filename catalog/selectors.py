"""Read queries the pages need. Views call these; query tuning happens here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

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


def dataset_list(filters: DatasetFilters = DatasetFilters()) -> QuerySet[Dataset]:
    """Datasets for the list page, filtered, searched and sorted."""
    sort = filters.effective_sort
    queryset = _card_queryset(_filtered(filters))
    query = filters.search
    if sort == "pertinence" and query:
        # Popularity breaks ties between datasets matching in the same fields.
        queryset = queryset.annotate(relevance=search.relevance(query))
        ordering = ["-relevance", "-metric_views", "-metric_followers", F("last_update").desc(nulls_last=True), "pk"]
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


FACETS = ("category", "organization_type", "organization", "format", "license")
_FACET_COLUMNS = ("category_slugs", "publisher_kind", "organization_id", "formats", "license_id")


def _values(facet: str, row: tuple) -> list:
    """The values a dataset row (``_FACET_COLUMNS``) has for one facet."""
    value = row[FACETS.index(facet)]
    if facet in ("category", "format"):
        return value.split()
    return [value] if value is not None else []


def _count_rows(filters: DatasetFilters, facets: list[str], *, skip: str = "") -> dict[str, Counter]:
    """Counts of the values of ``facets`` among the datasets matching ``filters`` (except ``skip``).

    One narrow query, counted here: a dataset row carries all of its facet values.
    """
    counters = {facet: Counter() for facet in facets}
    for row in _filtered(filters, skip=skip).values_list(*_FACET_COLUMNS).iterator(chunk_size=5000):
        for facet in facets:
            counters[facet].update(_values(facet, row))
    return counters


def _facet_counts(filters: DatasetFilters) -> dict[str, Counter]:
    """For each facet, how many results each of its values would give with the other filters kept.

    The whole catalogue's counts come from the summary the last sync computed; otherwise the
    datasets matching every filter are counted once for the facets not in use, and each facet
    in use is counted over the datasets matching the *other* filters.
    """
    chosen = [facet for facet in FACETS if getattr(filters, facet)]
    plain = not filters.query and not filters.archived
    totals = summary()["facets"] if plain else {}
    if plain and not chosen:
        return {facet: Counter(dict(totals[facet])) for facet in FACETS}
    counts = _count_rows(filters, [facet for facet in FACETS if facet not in chosen])
    for facet in chosen:
        if plain and len(chosen) == 1:
            counts[facet] = Counter(dict(totals[facet]))
        else:
            counts[facet] = _count_rows(filters, [facet], skip=facet)[facet]
    return counts


def _options(rows: list[tuple[str, int]], labels_by_value: dict[str, str], selected: str) -> list[FacetOption]:
    options = [
        FacetOption(value=value, label=labels_by_value.get(value, value), count=count, selected=value == selected)
        for value, count in rows
        if value
    ]
    if selected and not any(option.selected for option in options):
        options.append(FacetOption(selected, labels_by_value.get(selected, selected), 0, True))
    return options


def dataset_facets(filters: DatasetFilters) -> list[Facet]:
    """Each filter's options with the number of results they would give, other filters kept."""
    counts = _facet_counts(filters)

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
    return facets


def _top(counter: Counter, limit: int | None = FACET_LIMIT) -> list[tuple]:
    """The most frequent values first, ties in value order; zero counts left out."""
    rows = sorted(((value, n) for value, n in counter.items() if n), key=lambda row: (-row[1], str(row[0])))
    return rows[:limit] if limit else rows


def _facet(name: str, label: str, rows: list[tuple[str, int]], names: dict[str, str], selected: str) -> Facet:
    options = _options(rows, names, selected)
    chosen = next((option for option in options if option.selected), None)
    return Facet(name=name, label=label, options=options, selected=chosen)


def dataset_count(filters: DatasetFilters) -> int | None:
    """The number of results when it is known without counting (the whole catalogue), else None."""
    if filters.active:
        return None
    return summary()["published"]


def archived_count(filters: DatasetFilters) -> int:
    """How many archived datasets the current search would add if asked to."""
    if not filters.active or filters == DatasetFilters(archived=True):
        return summary()["archived"]
    return _filtered(replace(filters, archived=True)).filter(archived_at__isnull=False).count()


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


def resources_by_type(dataset: Dataset) -> list[tuple[str, str, list[Resource]]]:
    """The dataset's files grouped by type, in the API's type order: [(type, label, files)]."""
    groups: dict[str, list[Resource]] = {}
    for resource in dataset.resources.all():
        groups.setdefault(resource.type, []).append(resource)
    return [(kind, label, groups[kind]) for kind, label in labels.RESOURCE_TYPES.items() if kind in groups]


def organization_list(*, query: str = "") -> list[Organization]:
    """Publishing organizations, most datasets first, each with its ``dataset_count``."""
    counts = dict(summary()["facets"]["organization"])
    queryset = Organization.objects.filter(pk__in=list(counts))
    for word in search.fold(query).split()[: search.MAX_TERMS]:
        queryset = queryset.filter(Q(name__icontains=word) | Q(slug__icontains=word) | Q(acronym__icontains=word))
    organizations = list(queryset.only("pk", "slug", "name", "acronym", "logo_thumbnail", "kind", "badges"))
    for organization in organizations:
        organization.dataset_count = counts[organization.pk]
    return sorted(organizations, key=lambda item: (-item.dataset_count, item.name))


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
    counts = _count_rows(DatasetFilters(), list(FACETS))
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
    )
