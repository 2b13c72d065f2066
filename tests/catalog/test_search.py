"""The search analyzer and index: folding, terms, and matching through the database's index."""

import unicodedata

import numpy as np
import pytest
from django.db import connection

from catalog import search
from catalog.models import Dataset, DatasetText
from catalog.search import backends
from tests.fakes.payloads import dataset, load, organization


def test_fold_removes_case_accents_and_punctuation():
    assert search.fold("Musée d'Orsay — ÉLÉMENTS") == "musee d orsay elements"
    assert search.fold("Œuvres") == "oeuvres"
    assert search.fold(None) == ""


def test_fold_drops_every_combining_mark_and_nothing_else():
    # Any script: a mark (combining class other than 0, once decomposed) goes, whatever it sits on.
    codes = (code for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    decomposed = (unicodedata.normalize("NFKD", chr(code).casefold()) for code in codes)
    marks = [chars for chars in decomposed if all(unicodedata.combining(char) for char in chars)]
    assert len(marks) > 800
    assert {search.fold(f"a{mark}b") for mark in marks} == {"ab"}
    # ø is a letter of its own, not an o with a mark.
    assert search.fold("x\u0301\u0327y ǅ Ærø straße ﬁ ½") == "xy dz aer strasse fi 1 2"


def test_accents_case_and_plurals_give_one_term():
    stems = {term.stem for text in ("musées", "MUSÉE", "Musee", "musees") for term in search.parse(text).terms}
    assert len(stems) == 1
    assert search.parse("bibliothèques").terms[0].stem == search.parse("bibliotheque").terms[0].stem


def test_stop_words_and_elisions_are_not_terms():
    assert [term.word for term in search.parse("Musées de l'Opéra").terms] == ["musees", "opera"]
    assert not search.parse("de la des")


def test_only_the_last_word_may_be_unfinished():
    assert [term.prefix for term in search.parse("cinéma entré").terms] == [False, True]
    assert [term.prefix for term in search.parse("cinéma entrées ").terms] == [False, False]


def test_operators_are_plain_text():
    words = [term.word for term in search.parse('"cinéma" OR (entrées* -2023)').terms]
    assert words == ["cinema", "or", "entrees", "2023"]
    assert not search.parse("*** ((( --- \" '")


def test_query_size_is_bounded():
    assert len(search.parse(" ".join(f"mot{i}" for i in range(50))).terms) == search.MAX_TERMS


@pytest.fixture
def catalogue(db, tmp_path):
    rennes = organization("org-rennes", "Ville de Rennes")
    load(
        tmp_path,
        [
            dataset("d-musees", "Fréquentation des musées de France", tags=("musee",), views=10),
            dataset("d-biblio", "Bibliothèques : prêts et inscriptions", org=rennes, tags=("livre",)),
            dataset("d-cinema", "Entrées en salles de cinéma", tags=("cinema",), description="Par commune."),
            dataset("d-opera", "Saison lyrique", description="Les spectacles de l'**Opéra** de Rennes.", org=rennes),
        ],
        [rennes],
    )


def titles(query, *, any_term=False):
    matched = search.matching(Dataset.objects.all(), search.parse(query), any_term=any_term)
    return sorted(matched.values_list("remote_id", flat=True))


@pytest.mark.parametrize("query", ["musées", "MUSÉE", "musee", "Musees", "mus", "fréquentation musée"])
def test_index_matches_whatever_the_accents_case_plural_or_unfinished_word(catalogue, query):
    assert titles(query) == ["d-musees"]


def test_every_word_must_match_unless_any_word_is_asked(catalogue):
    assert titles("bibliotheque rennes") == ["d-biblio"]
    assert titles("opéra") == ["d-opera"]  # found in the description
    assert titles("cinéma 2023") == []
    assert titles("cinéma 2023", any_term=True) == ["d-cinema"]


def scores(text: str, *, any_term: bool = False) -> dict[str, int]:
    query = search.parse(text)
    found = dict(search.matching(Dataset.objects.all(), query, any_term=any_term).values_list("pk", "remote_id"))
    ids = np.array(sorted(found), dtype=np.int64)
    scored = search.relevance(query, ids, any_term=any_term).tolist()
    return dict(zip([found[pk] for pk in ids.tolist()], scored, strict=True))


def test_relevance_counts_the_best_field_of_each_term(catalogue):
    assert scores("rennes") == {"d-biblio": 4, "d-opera": 4}  # organization, in both
    assert scores("opéra", any_term=True) == {"d-opera": 1}  # description only
    assert scores("salles") == {"d-cinema": 10}  # title (also in its description)
    assert scores("salles rennes", any_term=True) == {"d-cinema": 10, "d-biblio": 4, "d-opera": 4}


def test_index_follows_updates_and_deletions(catalogue):
    item = Dataset.objects.get(remote_id="d-cinema")
    item.text.search_title = search.searchable("Registre du patrimoine")
    item.text.save()
    assert titles("patrimoine") == ["d-cinema"]
    assert titles("salles") == []
    item.delete()
    assert titles("patrimoine") == []


def test_rebuild_gives_the_same_answers(catalogue):
    search.rebuild_index()
    assert titles("musée") == ["d-musees"]
    assert search.index_size() in (0, Dataset.objects.count())  # 0: an engine without a separate index


def test_user_syntax_never_reaches_the_engine(catalogue):
    for query in ['"musée', "musée*", "-musée", "musée OR cinéma", "(archives", "AND", "NOT", "NEAR(", "title:x", "^"]:
        titles(query)  # must not raise
    assert titles('"musée"') == ["d-musees"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL-specific check, run by .ci/run")
def test_postgresql_stems_like_the_python_analyzer(db):
    words = "musees bibliotheques historiques cinemas entrees monuments spectacles regionales frequentation archives"
    with connection.cursor() as cursor:
        for word in words.split():
            cursor.execute("SELECT to_tsvector('culture_fr', %s)::text", [word])
            assert cursor.fetchone()[0] == f"'{search.text.stem(word)}':1"


def test_the_index_matches_the_database_engine():
    assert backends.current().vendor == connection.vendor


def test_rebuild_command_reports_the_index_size(catalogue, capsys):
    from django.core.management import call_command

    call_command("rebuild_search_index")
    out = capsys.readouterr().out
    assert "Search index rebuilt" in out and "for 4 datasets" in out


def test_a_dataset_stores_the_number_of_words_of_its_indexed_title(catalogue):
    counts = dict(Dataset.objects.values_list("remote_id", "title_words"))
    # "Fréquentation des musées de France": stop words are not counted.
    assert counts == {"d-musees": 3, "d-biblio": 3, "d-cinema": 3, "d-opera": 2}
    for item in Dataset.objects.select_related("text"):
        assert item.title_words == len(item.text.search_title.split())


def test_the_migration_counts_the_words_of_titles_already_stored(catalogue):
    """Datasets stored before the column existed get their count from the stored title, on either database."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("catalog.migrations.0008_dataset_title_words")
    expected = dict(Dataset.objects.values_list("remote_id", "title_words"))
    Dataset.objects.update(title_words=0)
    migration.fill_title_words(apps, None)
    assert dict(Dataset.objects.values_list("remote_id", "title_words")) == expected
    DatasetText.objects.filter(dataset__remote_id="d-opera").update(search_title="")
    migration.fill_title_words(apps, None)
    assert Dataset.objects.get(remote_id="d-opera").title_words == 0  # an empty title: no word, not -1


@pytest.mark.parametrize("sorted_ids", [True, False])
def test_members_agrees_with_numpy_isin(sorted_ids):
    rng = np.random.default_rng(7)
    for size, found_size in ((0, 5), (5, 0), (1, 1), (300, 40), (3000, 2500)):
        ids = rng.choice(5000, size, replace=False)
        if sorted_ids:
            ids = np.sort(ids)
        found = rng.choice(6000, found_size, replace=False)  # some beyond every id, some below
        assert search.members(ids, found).tolist() == np.isin(ids, found).tolist()
