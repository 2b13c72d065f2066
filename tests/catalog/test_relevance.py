"""Search relevance: what a visitor should find at the top of the results for typical queries.

The catalogue (tests/catalog/relevance_catalogue.py) is loaded once for the module through the
real sync and rolled back afterwards. Each case says which datasets must be among the first
results of the search page for a query (``listing.resolve`` then ``listing.dataset_list``, as
``catalog.views.dataset_list`` does). A change to the search engine that hurts relevance (field
weights, accents, plurals, prefixes, popularity, the "any word" fallback, query syntax handling)
makes some of them fail; the failure message shows the query and the actual top five results.
Misspelt queries must get the suggestion (``listing.search_help``) that finds the right datasets,
and acronyms must never get one.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from catalog.models import Dataset, Organization
from catalog.selectors import listing
from catalog.selectors.listing import DatasetFilters
from tests.catalog.relevance_catalogue import DATASETS, ORGANIZATIONS
from tests.fakes.payloads import load

pytestmark = pytest.mark.django_db

SLUGS = {payload["slug"] for payload in DATASETS}


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker, tmp_path_factory):
    """The relevance catalogue, loaded once through the real sync; the module's tests run inside
    this transaction (each in its own savepoint) and it is rolled back at the end."""
    directory = tmp_path_factory.mktemp("relevance")
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(SYNC_LOCK_PATH=directory / "sync.lock"):
            report = load(directory, DATASETS, ORGANIZATIONS)
        yield report
        transaction.set_rollback(True)


def search(query: str) -> list[Dataset]:
    """The first five results of the search page: ``resolve`` widens a query that no dataset fully
    matches to "any word", then ``dataset_list`` ranks."""
    return list(listing.dataset_list(listing.resolve(DatasetFilters(query=query)))[:5])


def describe(query: str, results: list[Dataset]) -> str:
    lines = [f"query {query!r}, actual top {len(results)}:"]
    lines += [f"  {rank}. {item.title} [{item.slug}]" for rank, item in enumerate(results, start=1)]
    return "\n".join(lines) if results else f"query {query!r}: no results"


def case(query: str, *slugs: str, top: int = 3, id: str | None = None):
    return pytest.param(query, slugs, top, id=id or query)


CASES = [
    # Accents and case.
    case("musees", "musees-de-france"),
    case("MUSÉE", "musees-de-france"),
    case("Musées", "musees-de-france"),
    case("musee de france", "musees-de-france"),
    case("cinemas", "cinemas-en-france"),
    case("CINÉMA", "cinemas-en-france"),
    case("oeuvre", "oeuvres-collections-municipales-paris", id="oeuvre (ligature in titles)"),
    case("chateau", "chateaux-ouverts-visite-gironde"),
    # Plurals.
    case("bibliothèques", "donnees-activite-bibliotheques-publiques"),
    case("bibliotheque", "donnees-activite-bibliotheques-publiques"),
    case("jeux vidéo", "entreprises-jeu-video"),
    case("journal", "aides-presse-journaux-magazines", id="journal (journaux in the title)"),
    case("conservatoires rennes", "conservatoire-rennes-effectifs"),
    case("festival cinéma", "festivals-de-cinema-aides"),
    # Several words.
    case("monument historique", "immeubles-proteges-monuments-historiques"),
    case("monuments historiques", "immeubles-proteges-monuments-historiques"),
    case("bibliotheque rennes", "bibliotheques-de-rennes-prets-inscriptions", top=1),
    case("fréquentation musées", "frequentation-des-musees-de-france"),
    # Titles holding every word come first, the one with fewest other words before more viewed, longer ones:
    # Strasbourg's museums are more viewed, one has Paris in its description, the other in a longer title.
    case("fréquentation musées Paris", "frequentation-musees-ville-de-paris", top=1),
    case("fréquentation des musées de Strasbourg", "frequentation-musees-strasbourg", top=1),
    case("art contemporain", "centres-art-contemporain"),
    case("aides presse", "aides-presse-journaux-magazines"),
    case("langue regionale", "enseignement-langues-regionales"),
    # Organization names and acronyms.
    case("cnc", "cinemas-en-france"),
    case("bnf", "catalogue-general-notices"),
    case("Bibliothèque nationale de France", "catalogue-general-notices"),
    case("centre national du cinéma", "cinemas-en-france"),
    case("Opéra national de Paris", "saisons-opera-national-de-paris"),
    case("pompidou", "collections-centre-pompidou"),
    # Prefixes, as typed in the search box.
    case("ciném", "cinemas-en-france"),
    case("biblioth", "donnees-activite-bibliotheques-publiques"),
    case("patrim", "atlas-des-patrimoines"),
    case("archéo", "operations-archeologiques"),
    case("bibliotheque ren", "bibliotheques-de-rennes-prets-inscriptions"),
    case("comédie-fran", "repertoire-comedie-francaise"),
    # Elisions, with a straight or a typographic apostrophe.
    case("l'opéra", "saisons-opera-national-de-paris"),
    case("l’opéra", "saisons-opera-national-de-paris"),
    case("d'art", "centres-art-contemporain"),
    # Title beats description: the query word is in many more viewed descriptions.
    case("photographie", "photographies-base-memoire", top=1),
    case("partitions", "partitions-musicales-numerisees", top=1),
    # Words spread over title and organization: the organization beats a description.
    case("conservatoire rennes", "conservatoire-rennes-effectifs", top=1),
    case("patrimoine bretagne", "inventaire-patrimoine-bretagne", top=1),
    # Tag only: "spectacle vivant" is in no title, only in spectacle-vivant tags (and in the description
    # of a ten times more viewed dataset); the expected one is the most viewed of the tagged datasets.
    case("spectacle vivant", "scenes-nationales"),
    # Popularity breaks ties between near-identical datasets: views, then followers.
    case("festivals musiques actuelles", "festivals-musiques-actuelles-bretagne", top=1),
    case("inventaire orgues", "inventaire-orgues-bretagne", top=1),
    # No dataset has every word: the datasets with most of them come first.
    case("cinéma entrées 2023", "entrees-salles-cinema-departement", top=1),
    case("bibliothèques rennes horaires", "bibliotheques-de-rennes-prets-inscriptions", top=1),
    case("musée louvre affluence", "collections-du-louvre"),
    # Query syntax (FTS5, tsquery, web search) is plain text: no error, no operator.
    case('"musée"', "musees-de-france"),
    case("musée*", "musees-de-france"),
    case("-musée", "musees-de-france"),
    case("!musée", "musees-de-france"),
    case("^musée", "musees-de-france"),
    case("musée:*", "musees-de-france"),
    case("title:musée", "musees-de-france"),
    case("musée OR cinéma", "affiches-cinema-musees-paris"),
    case("musée | cinéma", "affiches-cinema-musees-paris"),
    case("musée & cinéma", "affiches-cinema-musees-paris"),
    case("NEAR(musée cinéma)", "affiches-cinema-musees-paris"),
    case("cinéma AND entrées", "entrees-salles-cinema-departement"),
    case("archives NOT rennes", "archives-de-rennes-registres"),
    case("(archives", "instruments-de-recherche-archives-nationales"),
    case('"monuments historiques"', "immeubles-proteges-monuments-historiques"),
]


@pytest.mark.parametrize(("query", "expected", "top"), CASES)
def test_expected_datasets_come_first(catalogue, query, expected, top):
    assert set(expected) <= SLUGS, f"test bug: {set(expected) - SLUGS} not in the catalogue"
    results = search(query)
    first = [item.slug for item in results[:top]]
    missing = [slug for slug in expected if slug not in first]
    assert not missing, f"{missing} not in the top {top}; {describe(query, results)}"


def help_for(query: str) -> listing.SearchHelp:
    """What the search page offers for ``query``, as ``catalog.views.dataset_list`` asks for it."""
    filters = listing.resolve(DatasetFilters(query=query))
    return listing.search_help(filters, listing.listing_counts(filters).total)


# Misspelt words: the page suggests the catalogue's own words, accented as the catalogue writes them, and
# the suggested search finds what the right spelling finds.
SUGGESTIONS = [
    ("bibliotheqe", "bibliothèque", "donnees-activite-bibliotheques-publiques"),
    ("biblioteqe", "bibliothèque", "donnees-activite-bibliotheques-publiques"),  # two letters left out
    ("Bibliotheqe rennes", "Bibliothèque rennes", "bibliotheques-de-rennes-prets-inscriptions"),
    ("frequentaton musées", "fréquentation musées", "frequentation-des-musees-de-france"),
    ("monumants historiqes", "monuments historiques", "immeubles-proteges-monuments-historiques"),
    ("spectale vivant", "spectacle vivant", "scenes-nationales"),
    ("patrimione bretagne", "patrimoine bretagne", "inventaire-patrimoine-bretagne"),
]


@pytest.mark.parametrize(("query", "suggested", "expected"), SUGGESTIONS)
def test_misspelt_words_get_a_suggestion_that_finds_the_right_datasets(catalogue, query, suggested, expected):
    suggestion = help_for(query).suggestion
    assert suggestion is not None, f"no suggestion for {query!r}"
    assert suggestion.query == suggested
    results = search(suggestion.query)
    assert expected in [item.slug for item in results[:3]], describe(suggestion.query, results)
    filters = listing.resolve(DatasetFilters(query=suggested))
    assert suggestion.count == listing.listing_counts(filters).total == len(listing.dataset_list(filters))


# Acronyms are never "corrected": the catalogue's find their datasets, absent ones stay as typed, even one
# letter away from another acronym of the catalogue (« DRAC » from « FRAC », « CNV », the former Centre
# national des variétés, from « CNC »).
ACRONYMS_FOUND = [("CNC", "cinemas-en-france"), ("cnc", "cinemas-en-france"), ("BnF", "catalogue-general-notices"),
                  ("DGLFLF", "enseignement-langues-regionales"), ("FRAC", "collections-des-frac-depots")]  # fmt: skip
ACRONYMS_ABSENT = ["DRAC", "drac", "CNV", "cnv", "INSEE", "insee"]


@pytest.mark.parametrize(("query", "expected"), ACRONYMS_FOUND)
def test_acronyms_of_the_catalogue_find_their_datasets_without_suggestion(catalogue, query, expected):
    results = search(query)
    assert expected in [item.slug for item in results[:3]], describe(query, results)
    assert help_for(query) == listing.SearchHelp()


@pytest.mark.parametrize("query", ACRONYMS_ABSENT)
def test_absent_acronyms_are_not_corrected_into_other_words(catalogue, query):
    assert search(query) == []
    assert help_for(query).suggestion is None


def test_absent_acronyms_are_one_letter_away_from_acronyms_of_the_catalogue(catalogue):
    """Premise of the acronym cases: the vocabulary has a word one edit away from each."""
    from catalog.models import SearchWord
    from catalog.search import vocabulary

    near = {word: sorted(SearchWord.objects.filter(word__in=vocabulary.edits(word)).values_list("display", flat=True))
            for word in ("drac", "cnv")}  # fmt: skip
    assert near == {"drac": ["FRAC"], "cnv": ["CNC", "CNL", "CNM"]}


@pytest.mark.parametrize(
    ("query", "more_popular", "less_popular"),
    [
        ("festivals musiques actuelles", "festivals-musiques-actuelles-bretagne",
         "festivals-musiques-actuelles-normandie"),
        ("inventaire orgues", "inventaire-orgues-bretagne", "inventaire-orgues-normandie"),
    ],
)  # fmt: skip
def test_popularity_orders_equally_relevant_datasets(catalogue, query, more_popular, less_popular):
    results = search(query)
    slugs = [item.slug for item in results]
    assert more_popular in slugs and less_popular in slugs, describe(query, results)
    assert slugs.index(more_popular) < slugs.index(less_popular), describe(query, results)


def test_every_word_is_required_when_some_dataset_has_them_all(catalogue):
    """The "any word" fallback is for queries that nothing fully matches, not a looser search."""
    filters = listing.resolve(DatasetFilters(query="bibliotheque rennes"))
    found = {item.slug for item in listing.dataset_list(filters)}
    assert found == {
        "bibliotheques-de-rennes-prets-inscriptions",  # both in the title
        "frequentation-bibliotheques-bretagne",  # Rennes in the description
        "equipements-culturels-rennes",  # bibliothèques in the description
        "champs-libres-frequentation",  # Rennes as the organization, bibliothèque in the description
    }


def test_the_fallback_keeps_datasets_with_only_some_of_the_words(catalogue):
    filters = listing.resolve(DatasetFilters(query="cinéma entrées 2023"))
    found = {item.slug for item in listing.dataset_list(filters)}
    assert {"cinemas-en-france", "frequentation-des-musees-de-france"} <= found


def test_the_whole_catalogue_is_loaded(catalogue):
    assert catalogue.datasets_total == len(DATASETS) == 154
    assert set(Dataset.objects.published().values_list("slug", flat=True)) == SLUGS
    assert Organization.objects.publishing().count() == len(ORGANIZATIONS) == 26


def _words(text: str) -> set[str]:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return set(re.split(r"[^0-9a-zœæ]+", plain)) - {""}


def _searchable_words(payload: dict) -> set[str]:
    organization = payload["organization"] or {}
    parts = [payload["title"], payload["description"], " ".join(payload["tags"]),
             organization.get("name") or "", organization.get("acronym") or ""]  # fmt: skip
    return _words(" ".join(parts))


@pytest.mark.parametrize(
    "word", ["2023", "horaire", "affluence", "title", "not", "and", "or", "near", "xylophone", "zzyzx"]
)
def test_words_the_fallback_cases_rely_on_are_absent(word):
    """Premise of the "no dataset has every word" cases: this word (or, from 4 letters, a word
    starting with it) appears in no dataset."""
    for payload in DATASETS:
        words = _searchable_words(payload)
        found = [w for w in words if w == word or (len(word) >= 4 and w.startswith(word))]
        assert not found, f"{payload['slug']} contains {found}"


def test_no_match_gives_an_empty_queryset(catalogue):
    results = listing.dataset_list(listing.resolve(DatasetFilters(query="xylophone zzyzx")))
    assert results.count() == 0
    assert list(results) == []


@pytest.mark.parametrize(
    "query", ["*", '"', "()", "-", "(", ")", '""', "'", "’", ":", "^", "&", "|", "!", "*:*", "-*", "\\", "NEAR()",
              "AND", "OR", "NOT", "AND OR NOT", "« »", "  "],
)  # fmt: skip
def test_syntax_only_queries_do_not_raise(catalogue, query):
    filters = listing.resolve(DatasetFilters(query=query))
    results = list(listing.dataset_list(filters))
    counts = listing.listing_counts(filters)
    assert counts.total == len(results)
    listing.dataset_facets(filters, counts.facets)
    if not re.search(r"\w", query):
        # No word at all: either everything (no search) or nothing, never an arbitrary part.
        assert len(results) in (0, len(DATASETS)), describe(query, results[:5])


def test_the_fallback_is_decided_within_the_page_filters(catalogue):
    """Every word is required when a dataset of the page (its section, facets, archived or not) holds them all;
    a dataset outside those filters that has them does not count. The database's own filter is the reference; the
    list page's own widening (``listing_counts(widen=True)``) decides the same."""
    categories = [category.tag for category in settings.UNIVERSE.main.categories][:6]
    choices = [{}, *({"category": tag} for tag in categories), {"format": "csv"}, {"category": categories[:2]}]
    outcomes = set()
    for query in ("bibliotheque rennes", "cinéma entrées 2023", "frequentation musees", "festival musique"):
        for chosen in choices:
            for archived in (False, True):
                filters = DatasetFilters.of(query=query, archived=archived, **chosen)
                widened = listing.resolve(filters).any_term
                assert widened == (not listing._filtered(filters).exists()), (query, chosen, archived)
                # The list page widens on the selection it counts: the same decision, the same results.
                counts = listing.listing_counts(filters, widen=True)
                assert counts.filters == listing.resolve(filters), (query, chosen, archived)
                assert counts.total == listing.listing_counts(listing.resolve(filters)).total
                outcomes.add(widened)
    assert outcomes == {True, False}  # both cases were met


def ranked(query: str) -> listing._Ranked:
    return listing.dataset_list(listing.resolve(DatasetFilters(query=query)))


# Broad words with many titles holding them, several words, an unfinished one, and the "any word" fallback.
DEEP_QUERIES = ["musees", "patrimoine", "bibliotheque rennes", "monument historique", "festival cinéma", "ciném",
                "cinéma entrées 2023", "archives", "frequentation musees", "spectacle"]  # fmt: skip


@pytest.mark.parametrize("query", DEEP_QUERIES)
def test_a_page_ranked_partly_is_the_start_of_the_whole_ranking(catalogue, query):
    """The first pages of a search are ordered among titles holding every word, without scoring the rest of the
    results; what they show must be exactly the start of the full ranking, at every depth."""
    whole = ranked(query).ids.tolist()
    assert whole, f"test bug: {query!r} finds nothing"
    depths = {len(whole) + 1, *range(1, min(len(whole), 25) + 1)}
    for depth in sorted(depths):
        assert ranked(query).first(depth).tolist() == whole[:depth], (query, depth)


def test_a_first_page_among_titles_asks_the_index_for_titles_only(catalogue):
    """« musées » is in more than a page of titles: the first page needs no tag, publisher or description lookup;
    a page past those titles does."""
    results = ranked("musées")
    in_titles = int(results.in_title.sum())
    assert 1 < in_titles < len(results), "test bug: the page must start among titles and go past them"
    with CaptureQueriesContext(connection) as first_page:
        list(results[: in_titles - 1])
    with CaptureQueriesContext(connection) as deeper:
        list(results[in_titles - 1 : in_titles + 1])
    assert index_lookups(first_page) == []  # the titles were looked up when the search was ranked
    assert len(index_lookups(deeper)) >= 2 * len(results.query.terms)  # tags and publishers, at least


def index_lookups(captured: CaptureQueriesContext) -> list[str]:
    """The full-text index queries (SQLite's ``MATCH``, PostgreSQL's ``@@``) among ``captured``."""
    return [query["sql"] for query in captured.captured_queries if " MATCH " in query["sql"] or " @@ " in query["sql"]]
