"""How text becomes search terms, the same way for datasets and for queries.

Pure functions, no Django. Text is folded (lower case, no accents, punctuation as spaces), French
function words are dropped, and the remaining words are stemmed with the Snowball French
algorithm, the one PostgreSQL's ``french_stem`` dictionary implements, so "Musées", "musee" and
"MUSÉE" are one term on both database backends.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

MAX_TERMS = 8
MAX_QUERY_LENGTH = 200
_NON_WORD = re.compile(r"[^0-9a-z]+")
_URL = re.compile(r"\S+://\S+")  # link targets in Markdown are not words of the description

# Words too common to tell datasets apart; single letters cover elisions (l', d', qu'…).
_STOPWORDS = """
    a au aux avec ce ces cet cette dans de des du elle elles en est et etre eux il ils je la le les leur
    leurs lui ma mais me mes moi mon ne ni nos notre nous on ont ou par pas pour qu que quel quelle qui sa
    sans se ses son sont sur ta te tes toi ton tu un une vos votre vous
"""
STOPWORDS = frozenset(_STOPWORDS.split())

_stemmer = Stemmer.Stemmer("french")

# Plurals the Snowball French stemmer leaves alone: nouns in -eu take an x, words in -o an s.
_PLURALS_IN_X = {"jeux", "enjeux", "lieux", "milieux", "feux", "voeux", "neveux", "cheveux", "dieux", "adieux"}


def singular(word: str) -> str:
    """ "jeux" -> "jeu", "videos" -> "video"; applied before stemming, to texts and queries alike."""
    if word in _PLURALS_IN_X:
        return word[:-1]
    if len(word) > 4 and word.endswith("os"):
        return word[:-1]
    return word


class _MarksOut(dict):
    """A ``str.translate`` table dropping combining marks (accents once decomposed), filled as characters come:
    each is looked up in C after its first time, where testing ``unicodedata.combining`` on every character of
    every description cost a sync seconds."""

    def __missing__(self, code: int) -> int | None:
        self[code] = None if unicodedata.combining(chr(code)) else code
        return self[code]


_WITHOUT_MARKS = _MarksOut()


def fold(text: str | None) -> str:
    """Lower-case, accent-free, punctuation-free text: "Musée d'Orsay" -> "musee d orsay"."""
    if not text:
        return ""
    stripped = unicodedata.normalize("NFKD", text.casefold()).translate(_WITHOUT_MARKS)
    stripped = stripped.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return " ".join(_NON_WORD.split(stripped)).strip()


def words(text: str | None) -> list[str]:
    """The folded words of ``text`` that carry meaning, in order (duplicates kept)."""
    return [
        singular(word) for word in fold(text).split() if word not in STOPWORDS and (len(word) > 1 or word.isdigit())
    ]


def searchable(text: str | None, limit: int | None = None) -> str:
    """What a dataset field stores for search: its meaningful folded words, space-padded.

    The padding lets "word starts with" be a plain substring test: ``" muse" in " musees lyon "``.
    """
    kept = " ".join(words(text[:limit] if text and limit else text))
    return f" {kept} " if kept else ""


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def stemmed(folded: str) -> str:
    """Stems of already folded words, for the SQLite index (PostgreSQL stems by itself)."""
    return " ".join(stem(word) for word in folded.split())


@dataclass(frozen=True)
class Term:
    """One word of a query: its stem, the folded word as typed, and whether it may be unfinished."""

    stem: str
    word: str
    prefix: bool  # the last word, maybe still being typed: also match words starting with it


@dataclass(frozen=True)
class Query:
    text: str  # the folded query, for phrase matching in titles
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse(query: str | None) -> Query:
    """A visitor's query as terms. Operators and quotes are plain text: nothing here can fail."""
    folded_words = words((query or "")[:MAX_QUERY_LENGTH])
    seen: dict[str, str] = {}
    for word in folded_words:
        seen.setdefault(stem(word), word)
    items = list(seen.items())[:MAX_TERMS]
    ends_with_word = bool(query) and not query[:MAX_QUERY_LENGTH][-1:].isspace()
    terms = tuple(
        Term(stem=term_stem, word=word, prefix=ends_with_word and index == len(items) - 1)
        for index, (term_stem, word) in enumerate(items)
    )
    return Query(text=" ".join(folded_words), terms=terms)


def without_each_word(query: str | None) -> list[tuple[str, str]]:
    """``(query without one of its words, the word left out)``, for each word of the query, in order.

    Words are what the visitor typed between spaces (« comédie-française » is one), kept as typed;
    words that are only stop words are never left out alone, and are dropped at either end.
    """
    chunks = (query or "")[:MAX_QUERY_LENGTH].split()
    meaningful = [bool(words(chunk)) for chunk in chunks]
    if sum(meaningful) < 2:
        return []
    found: dict[str, str] = {}
    for index, chunk in enumerate(chunks):
        if not meaningful[index]:
            continue
        kept = [(other, meaningful[position]) for position, other in enumerate(chunks) if position != index]
        while kept and not kept[0][1]:
            kept.pop(0)
        while kept and not kept[-1][1]:
            kept.pop()
        found.setdefault(" ".join(other for other, _ in kept), chunk)
    return list(found.items())


def document(*, title: str, acronym: str, tags: list[str], publisher: str, publisher_acronym: str,
             summary: str, description: str) -> dict[str, str]:  # fmt: skip
    """The four searchable fields of a dataset, weighed in that order by the ranking."""
    return {
        "search_title": searchable(f"{title} {acronym}"),
        "search_tags": searchable(" ".join(tags)),
        "search_organization": searchable(f"{publisher} {publisher_acronym}"),
        "search_body": searchable(_URL.sub(" ", f"{summary} {description[:BODY_LIMIT]}"), limit=BODY_LIMIT),
    }


BODY_LIMIT = 5000  # characters of description indexed: enough to describe, bounded for 1 MB texts
