from catalog import search


def test_fold_removes_case_accents_and_punctuation():
    assert search.fold("Musée d'Orsay — ÉLÉMENTS") == "musee d orsay elements"
    assert search.fold("Œuvres") == "oeuvres"
    assert search.fold(None) == ""


def test_query_words_are_singular_and_skip_elisions():
    assert search.query_words("Musées de l'Opéra") == ["musee", "de", "opera"]
    assert search.query_words("MUSÉE musees") == ["musee"]


def test_operators_are_plain_text():
    assert search.query_words('"cinéma" OR (entrées* -2023)') == ["cinema", "or", "entree", "2023"]
    assert search.query_words("*** ((( ---") == []


def test_query_length_is_bounded():
    assert len(search.query_words(" ".join(f"mot{i}" for i in range(50)))) == search.MAX_QUERY_WORDS
