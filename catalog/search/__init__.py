"""Keyword search over the local catalogue: the one interface views and selectors use.

A query is parsed into terms (catalog.search.text); ``matching`` keeps the datasets holding all
of them (or any of them), through the database's full-text index (catalog.search.backends);
``relevance`` scores each match by where its terms were found: title above tags, tags above
organization, organization above description. Callers break ties with popularity.
``correct`` rewrites a query whose words are found nowhere with the catalogue's own words
(catalog.search.vocabulary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import QuerySet

from catalog.search import backends, vocabulary
from catalog.search.text import (
    BODY_LIMIT,
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    Query,
    Term,
    document,
    fold,
    parse,
    searchable,
    singular,
    stem,
    without_each_word,
)

__all__ = ["BODY_LIMIT", "MAX_TERMS", "Correction", "Query", "correct", "document", "fold", "found",
           "matching", "members", "parse", "positions", "rebuild_index", "rebuild_vocabulary", "relevance",
           "searchable", "title_hits", "without_each_word"]  # fmt: skip

# Points for a term found in each field; a term counts once, for the best field it is in. The title
# weighs most, so only a title holding every term reaches the highest score (``title_hits``).
FIELD_WEIGHTS = (("search_title", 10), ("search_tags", 5), ("search_organization", 4), ("search_body", 1))
TITLE, TITLE_WEIGHT = FIELD_WEIGHTS[0]


def matching(queryset: QuerySet, query: Query, *, any_term: bool = False) -> QuerySet:
    """Datasets of ``queryset`` containing every term of ``query`` (or at least one)."""
    if not query:
        return queryset
    return queryset.filter(pk__in=backends.current().ids(query.terms, any_term=any_term))


def found(query: Query, *, any_term: bool = False, field: str = "") -> np.ndarray:
    """The ids of the datasets holding every term of ``query`` (or one), in ``field`` when given, straight from the
    index: withdrawn datasets and every section included, in no order."""
    return backends.current().found(query.terms, any_term=any_term, field=field)


def positions(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where each of ``wanted`` is in ``ids`` (sorted and distinct), by bisection, in ``wanted``'s order; those
    not in ``ids`` are left out."""
    if not len(ids):
        return np.empty(0, dtype=np.int64)
    at = np.searchsorted(ids, wanted).clip(max=len(ids) - 1)
    return at[ids[at] == wanted]


def members(ids: np.ndarray, found: np.ndarray) -> np.ndarray:
    """Which of ``ids`` are in ``found`` (``np.isin``). When ``ids`` are sorted and distinct, as a facet table's
    and its selections' are, ``found`` is looked up in them (``positions``): three times faster for thousands."""
    if len(ids) == 0 or len(found) == 0 or not np.all(ids[1:] > ids[:-1]):
        return np.isin(ids, found)
    held = np.zeros(len(ids), dtype=bool)
    held[positions(ids, found)] = True
    return held


def title_hits(query: Query, ids: np.ndarray) -> np.ndarray:
    """Which of ``ids`` hold each term of ``query`` in their title: a row per term. A dataset holding every term
    in its title has the highest ``relevance`` a dataset can have, ``TITLE_WEIGHT`` per term."""
    hits = np.zeros((len(query.terms), len(ids)), dtype=bool)
    for row, term in enumerate(query.terms):
        hits[row] = _holding(ids, term, TITLE)
    return hits


def _holding(ids: np.ndarray, term: Term, field: str) -> np.ndarray:
    """Which of ``ids`` hold ``term`` in ``field``."""
    return members(ids, found(Query(text=term.word, terms=(term,)), field=field))


def relevance(query: Query, ids: np.ndarray, *, any_term: bool = False, titles: np.ndarray | None = None) -> np.ndarray:
    """How well each dataset of ``ids`` matches: the sum over terms of the weight of the best field.

    When every term matched (``any_term`` off), a term found in none of the first fields is in
    the description: it gets the description's weight without asking the index again. ``titles`` are
    the ``title_hits`` of ``ids`` when already known.
    """
    _, *fields, (body, last_weight) = FIELD_WEIGHTS  # the title's from ``titles``
    if any_term:
        fields.append((body, last_weight))
    if titles is None:
        titles = title_hits(query, ids)
    score = np.zeros(len(ids), dtype=np.int64)
    for term, in_title in zip(query.terms, titles, strict=True):
        best = np.full(len(ids), 0 if any_term else last_weight, dtype=np.int64)
        for field, weight in reversed(fields):  # the heaviest field last: it wins
            best[_holding(ids, term, field)] = weight
        best[in_title] = TITLE_WEIGHT
        score += best
    return score


def rebuild_index() -> int:
    """Re-index every dataset (after a restore, or if the index was tampered with)."""
    return backends.current().rebuild()


def fill_vocabulary_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """``post_migrate`` handler: a catalogue that predates the vocabulary gets one without waiting for a sync."""
    from django.db import connections

    from catalog.models import Dataset, SearchWord

    if connections[using].vendor != connection.vendor:
        return
    if SearchWord._meta.db_table not in connection.introspection.table_names():
        return
    if vocabulary.is_empty() and Dataset.objects.published().exists():
        vocabulary.rebuild()


def index_size() -> int:
    return backends.current().size()


def rebuild_vocabulary() -> int:
    """Re-read the words suggestions are taken from (each sync that changes the catalogue does)."""
    return vocabulary.rebuild()


# Shorter words are never corrected: one edit away from many others, and the size of most acronyms, which
# people type in lower case too (« cnc », « drac », « insee », « adami »).
MIN_CORRECTED = 6
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Correction:
    text: str  # the query as typed, its misspelt words replaced
    parts: tuple[tuple[str, bool], ...]  # ``text`` in pieces, each with whether it is a replaced word


def correct(query: str) -> Correction | None:
    """The query with each word found nowhere replaced by the nearest word of the catalogue's vocabulary,
    as the catalogue spells it (« bibliotheqe » -> « bibliothèque »); None when no word changes.

    Left as typed: words found in some dataset, even only in a description (a rare word is not a typo),
    stop words, words of fewer than ``MIN_CORRECTED`` letters, words with digits, and short words typed
    in capitals, which are acronyms (« INSEE », « ADAMI »). The last word may be unfinished: it is found
    when a word of the catalogue starts with it. Costs one index query per word that could be corrected,
    and ``vocabulary.closest``'s queries for each word found nowhere.
    """
    text = (query or "")[:MAX_QUERY_LENGTH]
    terms = {term.stem: term for term in parse(text).terms}
    chosen: dict[str, str | None] = {}  # stem -> spelling that replaces it, None to keep the word
    parts: list[tuple[str, bool]] = []
    end = 0
    for match in _WORD.finditer(text):
        typed = match.group()
        folded = fold(typed)
        term = terms.get(stem(singular(folded))) if vocabulary.keeps(folded) else None
        if term is None or len(folded) < MIN_CORRECTED or _acronym(typed):
            continue
        if term.stem not in chosen:
            chosen[term.stem] = _replacement(term, folded)
        replacement = chosen[term.stem]
        if replacement is None:
            continue
        if typed.isupper():
            replacement = replacement.upper()
        elif typed[0].isupper() and replacement[0].islower():
            replacement = replacement[0].upper() + replacement[1:]
        parts += [(text[end : match.start()], False), (replacement, True)]
        end = match.end()
    if end == 0:
        return None
    parts.append((text[end:], False))
    parts = [part for part in parts if part[0]]
    return Correction(text="".join(piece for piece, _ in parts), parts=tuple(parts))


def _acronym(typed: str) -> bool:
    """« INSEE », « DRAC »: a short word in capitals. A longer one is shouted, and may be misspelt."""
    return typed.isupper() and 1 < len(typed) <= vocabulary.ACRONYM_LENGTH


def _replacement(term: Term, folded: str) -> str | None:
    from catalog.models import Dataset

    if matching(Dataset.objects.active(), Query(text=term.word, terms=(term,))).exists():
        return None
    candidate = vocabulary.closest(folded)
    return candidate.display if candidate else None
