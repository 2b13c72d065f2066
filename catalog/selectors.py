"""Read queries the pages need. Views call these; query tuning happens here."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet

from catalog import labels, search
from catalog.models import Dataset, License, Organization, Resource, SyncRun

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
        queryset = queryset.filter(tags__name=filters.category)
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
    facets: list[Facet] = []

    base = _filtered(filters, skip="category")
    counts = dict(
        base.filter(tags__name__in=list(labels.CATEGORY_BY_SLUG))
        .values_list("tags__name")
        .annotate(n=Count("pk", distinct=True))
        .values_list("tags__name", "n")
    )
    rows = [(category.slug, counts.get(category.slug, 0)) for category in labels.CATEGORIES]
    category_labels = {category.slug: category.label for category in labels.CATEGORIES}
    facets.append(_facet("category", "Catégorie", rows, category_labels, filters.category))

    base = _filtered(filters, skip="organization_type")
    counts = dict(
        base.values_list("publisher_kind").annotate(n=Count("pk", distinct=True)).values_list("publisher_kind", "n")
    )
    rows = [(kind, counts.get(kind, 0)) for kind in labels.ORGANIZATION_KINDS if counts.get(kind)]
    facets.append(
        _facet(
            "organization_type",
            "Type de producteur",
            rows,
            labels.ORGANIZATION_KINDS,
            filters.organization_type,
        )
    )

    base = _filtered(filters, skip="organization")
    rows = list(
        base.filter(organization__isnull=False)
        .values_list("organization__slug")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "organization__name")
        .values_list("organization__slug", "n")[:FACET_LIMIT]
    )
    wanted = [slug for slug, _ in rows] + [filters.organization]
    names = dict(Organization.objects.filter(slug__in=wanted).values_list("slug", "name"))
    facets.append(_facet("organization", "Producteur", rows, names, filters.organization))

    base = _filtered(filters, skip="format")
    format_counts = (
        Resource.objects.filter(dataset__in=base.values("pk"))
        .exclude(format="")
        .values_list("format")
        .annotate(n=Count("dataset", distinct=True))
        .order_by("-n", "format")
        .values_list("format", "n")[:FACET_LIMIT]
    )
    format_labels = {value: value.upper() for value, _ in format_counts}
    facets.append(_facet("format", "Format de fichier", list(format_counts), format_labels, filters.format))

    base = _filtered(filters, skip="license")
    rows = list(
        base.filter(license__isnull=False)
        .values_list("license__code")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "license__code")
        .values_list("license__code", "n")
    )
    license_labels = {license.code: license.label for license in License.objects.all()}
    facets.append(_facet("license", "Licence", rows, license_labels, filters.license))
    return facets


def _facet(name: str, label: str, rows: list[tuple[str, int]], names: dict[str, str], selected: str) -> Facet:
    options = _options(rows, names, selected)
    chosen = next((option for option in options if option.selected), None)
    return Facet(name=name, label=label, options=options, selected=chosen)


def archived_count(filters: DatasetFilters) -> int:
    """How many archived datasets the current search would add if asked to."""
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


def organization_list(*, query: str = "") -> QuerySet[Organization]:
    queryset = Organization.objects.publishing()
    for word in search.fold(query).split()[: search.MAX_TERMS]:
        queryset = queryset.filter(Q(name__icontains=word) | Q(slug__icontains=word) | Q(acronym__icontains=word))
    return queryset.order_by("-dataset_count", "name")


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
    counts = dict(
        Dataset.objects.published()
        .filter(tags__name__in=list(labels.CATEGORY_BY_SLUG))
        .values_list("tags__name")
        .annotate(n=Count("pk", distinct=True))
        .values_list("tags__name", "n")
    )
    return [(category, counts.get(category.slug, 0)) for category in labels.CATEGORIES]


def latest_datasets(limit: int = 6) -> QuerySet[Dataset]:
    return _card_queryset(Dataset.objects.published()).order_by(F("last_update").desc(nulls_last=True), "pk")[:limit]


@dataclass
class KeyFigures:
    datasets: int
    organizations: int
    resources: int


def key_figures() -> KeyFigures:
    published = Dataset.objects.published()
    return KeyFigures(
        datasets=published.count(),
        organizations=Organization.objects.publishing().count(),
        resources=Resource.objects.filter(dataset__in=published.values("pk")).count(),
    )


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
