"""Suggestions for misspelt words: the catalogue's vocabulary, edit distance, and ``search.correct``."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog import search
from catalog.models import SearchWord
from catalog.search import vocabulary
from tests.fakes.payloads import dataset, load, organization

# --- pure functions ---------------------------------------------------------------------------


def reference_distance(a: str, b: str) -> int:
    """The whole table, no shortcut: insertions, deletions, replacements and swaps of two neighbours."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        for j in range(len(b) + 1):
            if not i or not j:
                table[i][j] = i + j
                continue
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[len(a)][len(b)]


@settings(derandomize=True, database=None, max_examples=400, deadline=None)
@given(st.text("abcd", max_size=9), st.text("abcd", max_size=9), st.sampled_from([1, 2]))
def test_banded_distance_agrees_with_the_whole_table(a, b, limit):
    expected = reference_distance(a, b)
    assert vocabulary.distance(a, b, limit) == (expected if expected <= limit else limit + 1)


@pytest.mark.parametrize(
    ("a", "b", "edits"),
    [("bibliotheqe", "bibliotheque", 1), ("bibliotheuqe", "bibliotheque", 1), ("biblioteqe", "bibliotheque", 2),
     ("musee", "musees", 1), ("cinema", "cinema", 0), ("archives", "archive", 1), ("cnv", "cnc", 1)],
)  # fmt: skip
def test_distance_counts_typing_mistakes(a, b, edits):
    assert vocabulary.distance(a, b, 2) == edits


def test_edits_are_every_string_one_edit_away():
    found = vocabulary.edits("musee")
    assert {"muse", "mussee", "umsee", "mosee", "musees", "amusee"} <= found  # delete, insert, swap, replace
    assert "musee" not in found
    assert all(reference_distance("musee", other) == 1 for other in found)
    # 5 deletions, 4 swaps, 5 x 25 replacements, 6 x 26 insertions, less the strings two ways give.
    assert 250 < len(found) <= 5 + 4 + 5 * 25 + 6 * 26


def test_spellings_keep_what_a_title_means_not_how_it_starts():
    pairs = list(vocabulary.spellings("Fréquentation des musées de la Ville de Paris (CNC, BnF, 2023)", sentence=True))
    assert pairs == [("frequentation", "fréquentation"), ("musees", "musées"), ("ville", "Ville"),
                     ("paris", "Paris"), ("cnc", "CNC"), ("bnf", "BnF")]  # fmt: skip
    assert list(vocabulary.spellings("Paris Musées", sentence=False)) == [("paris", "Paris"), ("musees", "Musées")]
    # A long word in capitals is shouted, not an acronym; stop words, short words and numbers are left out.
    assert list(vocabulary.spellings("CATALOGUE de la BnF : xx 12e", sentence=True)) == [
        ("catalogue", "catalogue"), ("bnf", "BnF")
    ]  # fmt: skip


def test_collect_counts_datasets_and_shows_the_usual_spelling():
    words = vocabulary.collect([
        ("Bibliothèques de Rennes", "Ville de Rennes", ["BM"], ["bibliotheques", "lecture-publique"]),
        ("Prêts des bibliothèques, bibliothèques", "Ville de Paris", [], ["bibliotheques"]),
        ("Bibliotheques municipales", "", [], []),  # written without its accent once
        ("Lecture publique", "", [], []),
    ])  # fmt: skip
    assert words["bibliotheques"] == ("bibliothèques", 3)  # per dataset, not per occurrence
    assert words["rennes"] == ("Rennes", 1)
    assert words["lecture"] == ("lecture", 2)  # the tag counts
    assert words["publique"] == ("publique", 2)
    assert "bm" not in words and "de" not in words


def test_a_word_only_tags_have_is_shown_as_the_tag_writes_it():
    assert vocabulary.collect([("Salles", "", [], ["cinema"])])["cinema"] == ("cinema", 1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fréquentation musées Paris", [("musées Paris", "fréquentation"), ("fréquentation Paris", "musées"),
                                        ("fréquentation musées", "Paris")]),
        ("musée de France", [("France", "musée"), ("musée", "France")]),  # no stop word left alone at an end
        ("l'opéra comédie-française", [("comédie-française", "l'opéra"), ("l'opéra", "comédie-française")]),
        ("cinéma", []),
        ("cinéma de la", []),
        ("", []),
    ],
)  # fmt: skip
def test_without_each_word(query, expected):
    assert search.without_each_word(query) == expected


# --- the vocabulary of a catalogue, and corrections -------------------------------------------

RENNES = organization("org-rennes", "Ville de Rennes")
CNC = organization("org-cnc", "Centre national du cinéma et de l’image animée") | {"acronym": "CNC"}
CNSMDP = organization("org-cnsmdp", "Conservatoire national supérieur de musique et de danse de Paris") | {
    "acronym": "CNSMDP"
}


@pytest.fixture
def catalogue(db, tmp_path):
    return load(
        tmp_path,
        [
            dataset("d-biblio", "Bibliothèques de Rennes : prêts", org=RENNES, tags=("livre", "bibliotheques")),
            dataset("d-activite", "Activité des bibliothèques", tags=("livre",), views=50),
            dataset("d-bm", "Bibliothèque municipale : fonds anciens", tags=("livre",)),
            dataset("d-cinema", "Entrées en salles de cinéma", org=CNC, tags=("cinema",)),
            dataset("d-concerts", "Concerts des élèves : partitions", org=CNSMDP, tags=("musique",)),
            dataset("d-muse", "Inventaire", description="Notices de la base Muséofile.", tags=("musee",)),
        ],
        [RENNES, CNC, CNSMDP],
    )


def test_the_sync_fills_the_vocabulary_from_titles_tags_and_publishers(catalogue):
    words = {row[0]: row[1:] for row in SearchWord.objects.values_list("word", "display", "frequency")}
    assert words["bibliotheques"] == ("bibliothèques", 2)
    assert words["bibliotheque"] == ("bibliothèque", 1)
    assert words["rennes"] == ("Rennes", 1)
    assert words["cnc"] == ("CNC", 1)  # the publisher's acronym
    assert words["livre"] == ("livre", 3)  # a tag
    assert "museofile" not in words  # descriptions are left out
    row = SearchWord.objects.get(word="bibliotheques")
    assert (row.head, row.length) == ("bib", 13)


def test_the_vocabulary_follows_the_catalogue_and_an_unchanged_sync_keeps_it(catalogue, tmp_path):
    kept = [
        dataset("d-biblio", "Bibliothèques de Rennes : prêts", org=RENNES, tags=("livre", "bibliotheques")),
        dataset("d-cinema", "Entrées en salles de cinéma", org=CNC, tags=("cinema",)),
    ]
    load(tmp_path, kept, [RENNES, CNC])
    assert not SearchWord.objects.filter(word="partitions").exists()  # its dataset left the catalogue
    assert SearchWord.objects.get(word="bibliotheques").frequency == 1
    SearchWord.objects.filter(word="rennes").update(display="marked")
    load(tmp_path, kept, [RENNES, CNC])  # nothing changed: the vocabulary is not rebuilt
    assert SearchWord.objects.get(word="rennes").display == "marked"


def test_rebuild_command_rebuilds_the_vocabulary(catalogue, capsys):
    from django.core.management import call_command

    SearchWord.objects.all().delete()
    call_command("rebuild_search_index")
    assert SearchWord.objects.filter(word="bibliotheque").exists()
    assert "Vocabulary of suggestions rebuilt" in capsys.readouterr().out


def corrected(query: str) -> str | None:
    correction = search.correct(query)
    return correction.text if correction else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bibliotheqe", "bibliothèque"),  # one letter left out; shown with its accent
        ("bibliotheuqe", "bibliothèque"),  # two letters swapped
        ("biblioteqe", "bibliothèque"),  # two letters left out, in a long word
        ("Bibliotheqe de Rennes", "Bibliothèque de Rennes"),  # the rest is kept as typed, capital included
        ("BIBLIOTHEQE", "BIBLIOTHÈQUE"),  # shouted, not an acronym: too long
        ("bibliotheqes rennes", "bibliothèques rennes"),
        ("prêts bibliotheqe rennes", "prêts bibliothèque rennes"),
        ("cinemaa", "cinéma"),
    ],
)
def test_misspelt_words_are_replaced_by_the_catalogue_s_own(catalogue, query, expected):
    assert corrected(query) == expected


def test_a_correction_says_which_words_changed(catalogue):
    assert search.correct("Bibliotheqe de Rennes").parts == (("Bibliothèque", True), (" de Rennes", False))


@pytest.mark.parametrize(
    "query",
    [
        "bibliothèque",  # right
        "biblioth",  # the last word, being typed: words start with it
        "museofile",  # found, in a description only: a rare word, not a typo
        "CNC",  # an acronym of the catalogue
        "CNV",  # absent acronym, one letter away from « CNC »
        "cnv",  # too short to be corrected: the size of most acronyms, which people type in lower case too
        "CNSMDL",  # the Lyon conservatoire, absent, one letter away from « CNSMDP », the Paris one
        "cnsmdl",  # never an acronym as a correction, however it is typed
        "zzyzx",  # nothing near
        "bibliotheqe2",  # digits: a code, not a word
        "",
    ],
)
def test_words_that_are_not_corrected(catalogue, query):
    assert corrected(query) is None


def test_the_acronym_cases_are_near_a_word_of_the_vocabulary(catalogue):
    """Premise of the acronym cases above: without the acronym rules, they would be corrected."""
    assert vocabulary.distance("cnsmdl", "cnsmdp", 1) == 1
    assert SearchWord.objects.get(word="cnsmdp").display == "CNSMDP"
    assert SearchWord.objects.filter(word__in=vocabulary.edits("cnv")).get().display == "CNC"


def test_without_a_vocabulary_there_is_no_suggestion(catalogue):
    SearchWord.objects.all().delete()
    assert corrected("bibliotheqe") is None
