"""The list page's counts, however computed, equal what counting each option's results gives."""

from dataclasses import replace

import pytest

from catalog import selectors
from catalog.selectors import FACETS, DatasetFilters
from tests.catalog.test_views import catalogue  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

CASES = [
    DatasetFilters(),
    DatasetFilters(category="musee"),
    DatasetFilters(category="cinema", license="odc-odbl"),
    DatasetFilters(organization_type="public-service", format="csv"),
    DatasetFilters(query="musées"),
    DatasetFilters(query="musées", organization="ministere-de-la-culture"),
    DatasetFilters(query="de", format="csv", category="musee"),
    DatasetFilters(query="fréquentation cinéma bibliothèques", any_term=True, license="lov2"),
    DatasetFilters(query="immeubles", archived=True),
    DatasetFilters(archived=True, organization="ministere-de-la-culture"),
]


def brute_force(filters: DatasetFilters, facet: str, value: str) -> int:
    return selectors._filtered(replace(filters, **{facet: value})).count()


@pytest.mark.parametrize("filters", CASES, ids=repr)
def test_counts_match_counting_each_option(catalogue, filters):  # noqa: F811
    counts = selectors.listing_counts(filters)
    assert counts.total == selectors._filtered(filters).count()
    with_archived = selectors._filtered(replace(filters, archived=True))
    assert counts.archived == with_archived.filter(archived_at__isnull=False).count()
    for facet in selectors.dataset_facets(filters, counts.facets):
        assert facet.name in FACETS
        for option in facet.options:
            assert option.count == brute_force(filters, facet.name, option.value), (facet.name, option.value)
