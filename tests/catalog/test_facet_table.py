"""The facet table (catalog.selectors.facet_table): the list's orders are the database's, and each catalogue
version is read once, never served after the next sync."""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import F

from catalog.selectors import facet_table, listing
from catalog.selectors.listing import DatasetFilters
from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization

SQL_ORDERS = {
    "recent": (F("last_update").desc(nulls_last=True), "pk"),
    "titre": ("sort_title", "pk"),
    "populaire": ("-metric_views", "-metric_followers", "pk"),
}


@pytest.fixture
def catalogue(db, tmp_path):
    # Ties everywhere: same dates, same views, titles equal once folded; archived datasets among them.
    museum = organization("org-musee", "Musée de la ville")
    items = []
    for number in range(24):
        items.append(
            dataset(
                f"d-{number:02}",
                ("Musée" if number % 3 else "MUSEE") + f" n°{number % 5} collections",
                tags=("musee",) if number % 2 else ("patrimoine",),
                views=(number * 7) % 4,
                last_update=f"2025-0{1 + number % 4}-01T00:00:00+00:00",
                archived="2025-10-01T00:00:00+00:00" if number % 7 == 0 else None,
                org=museum if number % 2 else None,
            )
        )
    payloads.load(tmp_path, items, [museum])


def ids(results) -> list[int]:
    return [item.pk for item in results]


@pytest.mark.parametrize("sort", list(SQL_ORDERS))
@pytest.mark.parametrize("archived", [False, True])
@pytest.mark.parametrize("query", ["", "musee", "collections patrimoine"])
def test_each_sort_gives_the_databases_order(catalogue, sort, archived, query):
    filters = listing.resolve(DatasetFilters.of(query=query, sort=sort, archived=archived))
    expected = listing._filtered(filters).order_by(*SQL_ORDERS[sort]).values_list("pk", flat=True)
    shown = ids(listing.dataset_list(filters))
    assert len(shown) > 5
    assert shown == list(expected)


def test_relevance_breaks_ties_by_popularity_then_date(catalogue):
    # Every match holds « collections » in its title: equal relevance, so the most viewed come first, then the newest.
    results = listing.dataset_list(DatasetFilters.of(query="collections"))
    keys = [(-item.metric_views, -item.metric_followers, -item.last_update.timestamp(), item.pk) for item in results]
    assert len(keys) > 5
    assert keys == sorted(keys)


def test_one_table_per_catalogue_version_and_a_new_one_after_a_sync(db, tmp_path, client):
    first = [dataset(f"d-{number}", f"Musée {number}", tags=("musee",)) for number in range(3)]
    payloads.load(tmp_path, first)
    version = facet_table.latest_version()
    table = facet_table.current(version)
    assert facet_table.current(version) is table  # read once, then shared
    assert "3 jeux de données" in client.get("/datasets/", {"q": "musée"}).content.decode()

    payloads.load(tmp_path, [*first, dataset("d-new", "Musée nouveau", tags=("musee",))])
    assert facet_table.latest_version() != version
    page = client.get("/datasets/", {"q": "musée"}).content.decode()
    assert "4 jeux de données" in page
    assert "Musée nouveau" in page
    newer = facet_table.latest_version()
    assert len(facet_table.current(newer)) == 4


def test_a_catalogue_without_summary_is_read_for_each_call(db):
    # No sync stored a summary (rows written by hand, a fresh database): no table outlives the call.
    assert facet_table.latest_version() is None
    assert facet_table.current(None) is not facet_table.current(None)


def test_other_processes_load_the_copy_the_first_one_left(db, tmp_path, django_assert_num_queries):
    payloads.load(tmp_path, [dataset(f"d-{number}", f"Musée {number}", tags=("musee",)) for number in range(3)])
    version = facet_table.latest_version()
    table = facet_table.current(version)
    facet_table._memo = None  # as in another worker
    with django_assert_num_queries(0):
        loaded = facet_table.current(version)
    assert loaded is not table
    assert loaded.ids.tolist() == table.ids.tolist()
    assert ids(listing.dataset_list(DatasetFilters.of(query="musée", sort="titre"))) == loaded.ids.tolist()


def test_an_unreadable_copy_is_read_again_from_the_database(db, tmp_path):
    payloads.load(tmp_path, [dataset(f"d-{number}", f"Musée {number}", tags=("musee",)) for number in range(3)])
    version = facet_table.latest_version()
    facet_table.current(version)
    (copy,) = (Path(settings.EXPORT_CACHE_DIR) / "facet-table").glob("*.pickle")
    copy.write_bytes(b"not a table")
    facet_table._memo = None
    assert len(facet_table.current(version)) == 3


@pytest.mark.django_db(transaction=True)
def test_a_gunicorn_worker_reads_the_table_before_its_first_request(tmp_path, client):
    from culture_portal import gunicorn_conf

    payloads.load(tmp_path, [dataset(f"d-{number}", f"Musée {number}", tags=("musee",)) for number in range(3)])
    facet_table._memo = None

    class Worker:
        log = logging.getLogger("gunicorn.error")

    gunicorn_conf.post_worker_init(Worker())
    assert facet_table._memo is not None
    table = facet_table._memo[1]
    assert len(table) == 3
    page = client.get("/datasets/", {"q": "musée"}).content.decode()
    assert "3 jeux de données" in page
    assert facet_table._memo[1] is table  # the page used it, not a table of its own
