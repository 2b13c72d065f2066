"""Keyword search over the local catalogue.

Text is folded once at sync time (lower case, no accents, punctuation as spaces) into the
``search_*`` columns; a query is folded the same way and every word must match somewhere.
Views only call ``apply``: the storage behind it can change without touching them.
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Case, IntegerField, QuerySet, Value, When

MAX_QUERY_WORDS = 8
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Plural and elided forms: "musées" ~ "musee", "l'opéra" ~ "opera".
_ELISIONS = ("l", "d", "j", "qu", "n", "s", "c", "m", "t")


def fold(text: str | None) -> str:
    """Lower-case, accent-free, punctuation-free text: "Musée d'Orsay" -> "musee d orsay"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    stripped = stripped.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return " ".join(_NON_WORD.split(stripped)).strip()


def _stem(word: str) -> str:
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def query_words(query: str | None) -> list[str]:
    """The words a query searches for, folded and de-pluralised; operators are plain text."""
    words: list[str] = []
    for word in fold(query).split():
        if word in _ELISIONS:
            continue
        stem = _stem(word)
        if stem not in words:
            words.append(stem)
    return words[:MAX_QUERY_WORDS]


def apply(queryset: QuerySet, query: str | None) -> QuerySet:
    """Keep datasets matching every word of ``query`` and annotate a ``relevance`` score."""
    words = query_words(query)
    if not words:
        return queryset.annotate(relevance=Value(0, output_field=IntegerField()))
    score = Value(0, output_field=IntegerField())
    for word in words:
        queryset = queryset.filter(search_body__contains=word)
        score = (
            score
            + Case(When(search_title__contains=word, then=Value(10)), default=Value(0))
            + Case(When(search_tags__contains=word, then=Value(5)), default=Value(0))
            + Case(When(search_organization__contains=word, then=Value(4)), default=Value(0))
        )
    return queryset.annotate(relevance=score)
