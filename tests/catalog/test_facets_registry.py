"""Facets declared once (catalog.facets): a facet added in a universe file alone is shown, counted and filters;
every facet takes several values, cleaned into one address; the covering index holds every facet column."""

import html as html_lib
import re
from pathlib import Path

import pytest
from django.test import RequestFactory

from catalog import facets, forms, universe
from catalog.models import Dataset
from catalog.selectors import listing
from catalog.selectors.listing import DatasetFilters
from tests.catalog.test_facets import facet_block, facet_form, options, visible_and_folded
from tests.catalog.test_listing_counts import check_counts, spread  # noqa: F401 (spread: a fixture)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
THEMATIQUES = Path(__file__).resolve().parent.parent / "universes" / "thematiques.toml"


@pytest.fixture
def thematiques(settings):
    """The culture universe plus a « Thématique » tag group (patrimoine, bretagne, occitanie), declared only in
    tests/universes/thematiques.toml."""
    settings.UNIVERSE = universe.load(str(THEMATIQUES))
    return settings.UNIVERSE


@pytest.fixture
def catalogue(thematiques, spread):  # noqa: F811 (the universe first: the sync's summary counts its facets)
    return spread


def titles(response) -> set[str]:
    found = re.findall(r'class="fr-card__title">\s*<a href="[^"]+">([^<]+)</a>', response.content.decode())
    return {html_lib.unescape(title) for title in found}


def published_with(*tags: str) -> set[str]:
    """Written out with the ORM, apart from the registry: published datasets holding any of ``tags``."""
    return set(Dataset.objects.published().filter(tags__name__in=tags).distinct().values_list("title", flat=True))


def test_a_tag_group_declared_only_in_the_universe_file_is_a_facet_with_counts(client, thematiques, catalogue):
    facets.check(thematiques)  # what start-up checks: the file is accepted
    html = client.get("/datasets/").content.decode()
    # In the declared place (after « Catégorie »), with its label and its options' labels; an option without
    # results (occitanie: no dataset has the tag) is not offered.
    headings = re.findall(r'<h3 class="fr-h6 fr-mb-1w" id="facet-([a-z_]+)">', html)
    assert headings[:3] == ["category", "thematique", "organization_type"]
    assert 'id="facet-thematique">Thématique</h3>' in html
    assert visible_and_folded(html, "thematique") == (
        [("Bretagne", len(published_with("bretagne"))), ("Patrimoine", len(published_with("patrimoine")))],
        [],
    )
    assert len(published_with("patrimoine")) == 4 and len(published_with("bretagne")) == 4  # the archived one aside

    # One value, then two (either tag), then with another facet (and both).
    assert titles(client.get("/datasets/?thematique=bretagne")) == published_with("bretagne")
    both = client.get("/datasets/?thematique=patrimoine&thematique=bretagne")
    assert titles(both) == published_with("bretagne", "patrimoine")
    assert f"Thématique{NBSP}: Bretagne" in html_lib.unescape(both.content.decode())  # one chip per value
    assert f"Thématique{NBSP}: Patrimoine" in html_lib.unescape(both.content.decode())
    narrowed = client.get("/datasets/?thematique=patrimoine&thematique=bretagne&category=cinema")
    assert titles(narrowed) == {"Cinémas de Bretagne", "Archives du cinéma"}
    # Disjunctive counts on the page: each theme with the category kept, whatever the other theme chosen.
    assert visible_and_folded(narrowed.content.decode(), "thematique")[0] == [("Bretagne", 1), ("Patrimoine", 1)]


@pytest.mark.parametrize(
    "filters",
    [
        DatasetFilters.of(thematique="bretagne"),
        DatasetFilters.of(thematique=["bretagne", "patrimoine"], category=["musee", "cinema"]),
        DatasetFilters.of(thematique=["patrimoine"], format="csv", archived=True),
        DatasetFilters.of(query="rennes", thematique=["bretagne", "occitanie"], organization="ville-de-rennes"),
        DatasetFilters.of(query="musées", category="musee"),
        DatasetFilters.of(tag="cinema", thematique="patrimoine", last_update_range="last_3_years"),
    ],
    ids=repr,
)
def test_a_tag_group_facet_counts_match_counting_each_option(catalogue, filters):
    checked = check_counts(filters)
    assert checked.get("thematique")  # every case offers some of the group's tags, each count checked


def test_a_summary_stored_for_other_tag_groups_is_counted_again(client, settings, spread):  # noqa: F811
    # The catalogue was synced under the culture universe: its summary has no « Thématique ».
    assert "thematique" not in listing.summary()["facets"]
    settings.UNIVERSE = universe.load(str(THEMATIQUES))
    assert dict(listing.summary()["facets"]["thematique"]) == {"bretagne": 4, "patrimoine": 4}


def test_the_address_keeps_a_facet_s_values_cleaned_sorted_distinct_and_capped(client, catalogue):
    request = RequestFactory().get(
        "/datasets/?format=JSON&format=csv&format=csv&format=%3Cb%3E&last_update_range=last_3_years"
        "&last_update_range=never&last_update_range=last_30_days&thematique=occitanie&thematique=nowhere"
        "&category=musee&category=cinema&category=unknown&junk=1"
    )
    assert forms.dataset_list_params(request) == {
        "category": ["cinema", "musee"],  # unknown category dropped, sorted
        "thematique": ["occitanie"],  # a tag of the group; a tag outside it dropped
        "format": ["csv", "json"],  # lower case, once each, the unreadable one dropped
        "last_update_range": ["last_30_days"],  # single: the last valid value
    }
    many = "&".join(f"format=f{index:02d}" for index in range(40, 0, -1))
    params = forms.dataset_list_params(RequestFactory().get(f"/datasets/?{many}"))
    assert params == {"format": [f"f{index:02d}" for index in range(1, facets.MAX_VALUES + 1)]}
    # Equal searches, one page: the same ETag whatever the order, the repeats or the junk.
    first = client.get("/datasets/?category=musee&category=cinema&format=csv")
    again = client.get("/datasets/?format=csv&category=cinema&category=musee&category=cinema&junk=2")
    assert first.status_code == 200 and first["ETag"] == again["ETag"]
    assert client.get(f"/datasets/?{many}").status_code == 200


def test_checkboxes_and_chips_add_and_remove_one_value_at_a_time(client, catalogue):
    html = client.get("/datasets/?category=musee&thematique=bretagne").content.decode()
    # Without JavaScript: a facet's form carries the rest of the search, its own values are its ticked boxes.
    hidden, boxes = facet_form(html, "category")
    assert hidden == [("thematique", "bretagne")]
    assert ("musee", True) in boxes and ("cinema", False) in boxes
    assert facet_form(html, "thematique") == ([("category", "musee")], [("bretagne", True), ("patrimoine", False)])
    chip = re.search(r'href="([^"]+)"[^>]*aria-label="Retirer le filtre Thématique&nbsp;: Bretagne"', html).group(1)
    assert html_lib.unescape(chip) == "?category=musee"
    # The search form carries each value as its own hidden field; a chip removes its value only.
    two = client.get("/datasets/?category=musee&category=cinema").content.decode()
    hidden = '<input type="hidden" name="category" value="cinema"><input type="hidden" name="category" value="musee">'
    assert hidden in two
    chip = re.search(r'href="([^"]+)"[^>]*aria-label="Retirer le filtre Catégorie&nbsp;: Musées"', two).group(1)
    assert html_lib.unescape(chip) == "?category=cinema"
    assert options(facet_block(two, "category"))[:2] == [("Cinéma et audiovisuel", 3), ("Musées", 3)]


def test_every_facet_column_is_in_the_search_covering_index():
    index = next(index for index in Dataset._meta.indexes if index.name == "dataset_search_columns")
    read = {kind.source.column for kind in facets.KINDS.values()} - {"update_age"} | {"last_update"}
    assert read <= set(index.fields), read - set(index.fields)


def test_a_chosen_option_without_results_is_offered_once(client, catalogue):
    # A category is offered even without results, and a chosen one too: once, not once for each reason.
    html = client.get("/datasets/?q=zzzzzz&category=cinema").content.decode()
    assert html.count('id="facet-category-cinema"') == 1
    assert facet_form(html, "category")[1] == [("cinema", True)]


def test_counting_costs_no_query_per_value_or_option(catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(filters: DatasetFilters) -> int:
        with CaptureQueriesContext(connection) as captured:
            counts = listing.listing_counts(filters)
            listing.dataset_facets(filters, counts.facets, as_of=counts.as_of)
        return len(captured)

    queries(DatasetFilters())  # the stored summary, read once per catalogue
    for query in ("", "musées"):  # both find Musées de Rennes, with one value per facet or several
        one = queries(DatasetFilters.of(query=query, category="musee", thematique="bretagne", format="json"))
        many = queries(
            DatasetFilters.of(
                query=query,
                category=["archives", "cinema", "livre", "musee"],
                thematique=["bretagne", "occitanie", "patrimoine"],
                format=["csv", "json"],
            )
        )
        assert many == one, query


def test_the_csv_export_holds_the_same_results_as_the_page(client, catalogue):
    import csv
    import io

    address = "category=musee&category=cinema&thematique=bretagne&thematique=patrimoine"
    page = client.get(f"/datasets/?{address}")
    # The page links to its export with the normalised values, and the export lists the page's results.
    link = "/datasets.csv?category=cinema&amp;category=musee&amp;thematique=bretagne&amp;thematique=patrimoine"
    assert f'href="{link}"' in page.content.decode()
    response = client.get(html_lib.unescape(link))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    expected = {"Musées de France", "Musées de Rennes", "Cinémas de Bretagne", "Archives du cinéma"}
    assert titles(page) == expected  # a museum or a cinema, and in Brittany or heritage
    assert {row[0] for row in rows[1:]} == expected
