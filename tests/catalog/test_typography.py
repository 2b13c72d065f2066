"""French typography filters of the catalogue pages (catalog/templatetags/catalog_tags.py)."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.utils.dateformat import format as date_format

from catalog import labels
from catalog.templatetags.catalog_tags import count_fr, date_fr, excerpt, fr_spaces, plural_fr, shorten

NBSP = "\u00a0"


def render(source: str, **context) -> str:
    return Template("{% load catalog_tags %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 12, 1), "1er décembre 2026"),
        (date(2026, 12, 2), "2 décembre 2026"),
        (date(2026, 3, 11), "11 mars 2026"),
        (date(2027, 1, 21), "21 janvier 2027"),
        (None, ""),
        ("", ""),
    ],
)
def test_date_fr_makes_the_first_of_the_month_an_ordinal(value, expected):
    assert date_fr(value) == expected


@pytest.mark.parametrize("month", range(1, 13))
def test_date_fr_names_the_month_as_django_french_locale_does(month):
    value = date(2026, month, 15)
    assert date_fr(value) == f"15 {date_format(value, 'F Y')}"


def test_date_fr_in_a_template_reads_the_date_in_paris():
    # 23:30 UTC on 30 November is already 1 December in Paris.
    assert render("{{ moment|date_fr }}", moment=datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == "1er décembre 2026"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "Aucun jeu de données"),
        (1, "1 jeu de données"),
        (2, "2 jeux de données"),
        (1234, "1\xa0234 jeux de données"),
        (None, "Aucun jeu de données"),
    ],
)
def test_count_fr_says_aucun_for_zero_and_agrees(count, expected):
    assert count_fr(count, "jeu de données,jeux de données") == expected


def test_count_fr_feminine_zero():
    assert count_fr(0, "réutilisation,réutilisations,f") == "Aucune réutilisation"
    assert count_fr(3, "réutilisation,réutilisations,f") == "3 réutilisations"


@pytest.mark.parametrize(("count", "expected"), [(0, "jeu"), (1, "jeu"), (2, "jeux"), ("x", "jeux")])
def test_plural_fr_uses_the_singular_below_two(count, expected):
    assert plural_fr(count, "jeu,jeux") == expected


def test_fr_spaces_puts_non_breaking_spaces_before_double_punctuation_and_inside_guillemets():
    assert fr_spaces("Fréquence : annuelle ; attendue ? oui ! « musées »") == (
        f"Fréquence{NBSP}: annuelle{NBSP}; attendue{NBSP}? oui{NBSP}! «{NBSP}musées{NBSP}»"
    )
    # Nothing else moves: addresses, times and spaces elsewhere stay as they were.
    assert fr_spaces("https://www.data.gouv.fr à 10:30, puis") == "https://www.data.gouv.fr à 10:30, puis"


def test_fr_spaces_keeps_safe_markup_safe():
    assert render("{% filter fr_spaces %}<b>Note :</b> ok{% endfilter %}") == f"<b>Note{NBSP}:</b> ok"


def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis():
    text = "Liste des musées de France labellisés par le ministère"
    assert shorten(text, 100) == text
    cut = shorten(text, 20)
    assert cut == "Liste des musées de\u2026"
    assert len(cut) <= 20
    assert shorten(text, 18) == "Liste des musées\u2026"  # "de" would not fit with its ellipsis
    # Punctuation is not left dangling before the ellipsis.
    assert shorten("Musées, monuments, archives et bibliothèques", 20) == "Musées, monuments\u2026"


@pytest.mark.parametrize("limit", range(15, 75))
def test_shorten_never_cuts_a_word(limit):
    words = ["Fréquentation", "annuelle", "des", "musées", "labellisés", "Musée", "de", "France", "depuis", "2008"]
    cut = shorten(" ".join(words), limit)
    assert len(cut) <= limit
    if cut.endswith("\u2026"):
        assert all(word in words for word in cut[:-1].split())


def test_shorten_cuts_a_single_word_longer_than_the_limit():
    assert shorten("Fréquentation", 8) == "Fréquen\u2026"  # nothing better to do


def test_excerpt_shows_markdown_as_plain_text():
    source = "Les **musées** labellisés *Musée de France* : voir [la liste](https://example.org).\n\n- un\n- deux"
    text = excerpt(source, 300)
    assert "*" not in text and "[" not in text and "](" not in text
    assert text.startswith("Les musées labellisés Musée de France : voir la liste.")
    assert excerpt("Les **musées** de France et leurs collections", 25) == "Les musées de France et\u2026"
    assert excerpt(None, 20) == ""


@pytest.mark.parametrize("number", [0, 7, 999, 1000, 12345, 999999, 1234567, 60000, -4321, 10**12])
def test_thousands_writes_numbers_as_intcomma_does_on_this_site(number):
    assert labels.thousands(number) == intcomma(number)
