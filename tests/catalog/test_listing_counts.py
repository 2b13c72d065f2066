"""The list page's counts, however computed, equal what counting each option's results gives.

With several values in a facet (OR within it, AND across facets), an option's count is disjunctive: the
results it would give with the other facets applied and the other values of its own facet left out."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import facets
from catalog.selectors import listing
from catalog.selectors.listing import DatasetFilters
from tests.catalog.test_views import CNC, MC, RENNES, catalogue  # noqa: F401 (catalogue: a fixture)
from tests.fakes import payloads
from tests.fakes.payloads import dataset, resource

pytestmark = pytest.mark.django_db

CASES = [
    DatasetFilters.of(),
    DatasetFilters.of(category="musee"),
    DatasetFilters.of(category="cinema", license="odc-odbl"),
    DatasetFilters.of(organization_type="public-service", format="csv"),
    DatasetFilters.of(query="musées"),
    DatasetFilters.of(query="musées", organization="ministere-de-la-culture"),
    DatasetFilters.of(query="de", format="csv", category="musee"),
    DatasetFilters.of(query="fréquentation cinéma bibliothèques", any_term=True, license="lov2"),
    DatasetFilters.of(query="immeubles", archived=True),
    DatasetFilters.of(archived=True, organization="ministere-de-la-culture"),
    # Several values in a facet.
    DatasetFilters.of(category=["cinema", "musee"]),
    DatasetFilters.of(category=["cinema", "musee"], license="odc-odbl"),
    DatasetFilters.of(category=["cinema", "musee"], organization=["cnc", "ministere-de-la-culture"]),
    DatasetFilters.of(format=["csv", "json"], organization_type=["public-service", "other"]),
    DatasetFilters.of(query="musées", category=["archives", "musee"], format=["csv", "pdf"]),
    DatasetFilters.of(query="de", license=["lov2", "odc-odbl"], archived=True),
]


def brute_force(filters: DatasetFilters, facet: str, value: str) -> int:
    if facet == "tag":
        return listing._filtered(replace(filters, tag=value)).count()
    return listing._filtered(filters.choosing(facet, [value])).count()


def check_counts(filters: DatasetFilters) -> dict[str, int]:
    """Every count the page would show, checked against the query of its option; the options checked per facet."""
    counts = listing.listing_counts(filters)
    assert counts.total == listing._filtered(filters).count()
    with_archived = listing._filtered(replace(filters, archived=True))
    assert counts.archived == with_archived.filter(archived_at__isnull=False).count()
    checked = {}
    for facet in listing.dataset_facets(filters, counts.facets, as_of=counts.as_of):
        assert facet.name in (*(spec.name for spec in facets.section_facets()), "tag")
        for option in facet.options:
            assert option.count == brute_force(filters, facet.name, option.value), (facet.name, option.value)
        checked[facet.name] = len(facet.options)
    return checked


@pytest.mark.parametrize("filters", CASES, ids=repr)
def test_counts_match_counting_each_option(catalogue, filters):  # noqa: F811
    check_counts(filters)


def ago(days: int) -> str:
    return (timezone.now() - timedelta(days=days)).isoformat()


def spatial(granularity: str) -> dict:
    return {"geom": None, "zones": ["country:fr"], "granularity": granularity}


@pytest.fixture
def spread(tmp_path, sample_licenses):
    """Keywords, update dates on both sides of each period's start, and spatial granularities."""
    rows = [
        # title, tags, organization, days since the last update, granularity, archived
        ("Musées de France", ("musee", "patrimoine"), MC, 3, "fr:commune", None),
        ("Musées de Rennes", ("musee", "patrimoine", "bretagne"), RENNES, 29, "fr:commune", None),
        ("Monuments de Rennes", ("architecture", "patrimoine", "bretagne"), RENNES, 31, "poi", None),
        ("Cinémas de Bretagne", ("cinema", "bretagne"), CNC, 200, "fr:departement", None),
        ("Fréquentation des cinémas", ("cinema",), CNC, 364, "country", None),
        ("Archives du cinéma", ("cinema", "archives", "patrimoine"), CNC, 366, "country", None),
        ("Bibliothèques de Rennes", ("livre", "bretagne"), RENNES, 1000, "fr:commune", None),
        ("Immeubles protégés", ("architecture", "patrimoine"), MC, 1200, "", "2025-03-04T10:12:45+00:00"),
        ("Anciens musées", ("musee",), MC, 3000, "", None),
    ]
    datasets = [
        dataset(f"{index:024x}", title, tags=tags, org=org, last_update=ago(days), archived=archived,
                spatial=spatial(granularity) if granularity else None,
                resources=[resource(f"r{index}", fmt="csv" if index % 2 else "json")])
        for index, (title, tags, org, days, granularity, archived) in enumerate(rows, start=1)
    ]  # fmt: skip
    payloads.load(tmp_path, datasets, [MC, CNC, RENNES], sample_licenses)


NEW_CASES = [
    DatasetFilters.of(),
    DatasetFilters.of(tag="patrimoine"),
    DatasetFilters.of(tag="bretagne", category="cinema"),
    DatasetFilters.of(last_update_range="last_30_days"),
    DatasetFilters.of(last_update_range="last_12_months", granularity="fr:commune"),
    DatasetFilters.of(granularity="country"),
    DatasetFilters.of(query="musées", last_update_range="last_3_years"),
    DatasetFilters.of(query="rennes", tag="bretagne", granularity="poi"),
    DatasetFilters.of(query="cinéma", last_update_range="last_12_months", organization="cnc", archived=True),
    DatasetFilters.of(tag="patrimoine", archived=True, last_update_range="last_3_years"),
    DatasetFilters.of(query="patrimoine", granularity="fr:commune", category="musee", format="csv"),
    DatasetFilters.of(granularity=["country", "poi"], last_update_range="last_12_months"),
    DatasetFilters.of(tag="bretagne", category=["cinema", "musee", "livre"], granularity=["fr:commune", "poi"]),
    DatasetFilters.of(query="rennes", organization=["cnc", "ville-de-rennes"], category=["livre", "musee"]),
    DatasetFilters.of(category=["architecture", "cinema"], archived=True, last_update_range="last_3_years"),
]


@pytest.mark.parametrize("filters", NEW_CASES, ids=repr)
def test_keyword_period_and_granularity_counts_match_counting_each_option(spread, filters):
    checked = check_counts(filters)
    assert checked["last_update_range"] and checked["granularity"]  # every case offers some of both
    assert ("tag" in checked) == bool(filters.tag)


def test_each_period_holds_the_shorter_ones(spread):
    counts = listing.listing_counts(DatasetFilters.of()).facets["last_update_range"]
    # 3 and 29 days; then 31, 200 and 364 days; then 366 and 1,000 days (1,200: archived; 3,000: too old).
    assert dict(counts) == {"last_30_days": 2, "last_12_months": 5, "last_3_years": 7}


def test_several_values_of_a_facet_match_any_of_them_and_facets_all_apply(spread):
    from django.db.models import Q

    from catalog.models import Dataset

    filters = DatasetFilters.of(category=["cinema", "musee"], format="csv", organization=["cnc", "ville-de-rennes"])
    # Written out here as the ORM says it, independently of the facet registry.
    expected = set(
        Dataset.objects.published()
        .filter(Q(category_slugs__contains=" cinema ") | Q(category_slugs__contains=" musee "))
        .filter(formats__contains=" csv ")
        .filter(organization__slug__in=["cnc", "ville-de-rennes"])
        .values_list("title", flat=True)
    )
    # Musées de Rennes and two CNC datasets have JSON files only; Musées de France is the ministry's.
    assert expected == {"Fréquentation des cinémas"}
    assert {dataset.title for dataset in listing.dataset_list(filters)} == expected
    counts = listing.listing_counts(filters)
    assert counts.total == 1
    shown = {facet.name: {option.value: option.count for option in facet.options}
             for facet in listing.dataset_facets(filters, counts.facets, as_of=counts.as_of)}  # fmt: skip
    # Disjunctive: a category counts what it would give with the format and producers kept, whatever else is
    # chosen among the categories (Bibliothèques de Rennes has a CSV file)…
    assert (shown["category"]["cinema"], shown["category"]["musee"], shown["category"]["livre"]) == (1, 0, 1)
    # …a producer, what it would give with the categories and the format kept…
    assert shown["organization"] == {"ministere-de-la-culture": 2, "cnc": 1, "ville-de-rennes": 0}
    # …and a format, what it would give with the categories and producers kept.
    assert shown["format"] == {"csv": 1, "json": 3}
    check_counts(filters)
