"""Keyword search over the local catalogue: the one interface views and selectors use.

A query is parsed into terms (catalog.search.text); ``matching`` keeps the datasets holding all
of them (or any of them), through the database's full-text index (catalog.search.backends);
``relevance`` scores each match by where its terms were found: title above tags, tags above
organization, organization above description. Callers break ties with popularity.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Expression

from catalog.search import backends
from catalog.search.text import BODY_LIMIT, MAX_TERMS, Query, document, fold, parse, searchable

__all__ = ["BODY_LIMIT", "MAX_TERMS", "Query", "document", "fold", "matching", "parse", "rebuild_index", "relevance",
           "searchable", "in_title"]  # fmt: skip

# Points for a term found in each field; a term counts once, for the best field it is in. The title
# weighs most, so only a title holding every term reaches the highest score (``in_title``).
FIELD_WEIGHTS = (("search_title", 10), ("search_tags", 5), ("search_organization", 4), ("search_body", 1))


def matching(queryset: QuerySet, query: Query, *, any_term: bool = False) -> QuerySet:
    """Datasets of ``queryset`` containing every term of ``query`` (or at least one)."""
    if not query:
        return queryset
    return queryset.filter(pk__in=backends.current().ids(query.terms, any_term=any_term))


def relevance(query: Query, *, any_term: bool = False) -> Expression:
    """How well each dataset matches: the sum over terms of the weight of the best field.

    When every term matched (``any_term`` off), a term found in none of the first fields is in
    the description: it gets the description's weight without asking the index again.
    """
    index = backends.current()
    *fields, (_, last_weight) = FIELD_WEIGHTS
    score: Expression = Value(0, output_field=IntegerField())
    for term in query.terms:
        whens = [When(pk__in=index.ids((term,), field=field), then=Value(weight)) for field, weight in fields]
        if any_term:
            whens.append(When(pk__in=index.ids((term,), field="search_body"), then=Value(last_weight)))
        default = Value(0 if any_term else last_weight)
        score = score + Case(*whens, default=default, output_field=IntegerField())
    return score


def in_title(query: Query) -> Q:
    """Datasets whose title holds every term of ``query`` (they have the highest ``relevance``): one index query."""
    return Q(pk__in=backends.current().ids(query.terms, field="search_title"))


def rebuild_index() -> int:
    """Re-index every dataset (after a restore, or if the index was tampered with)."""
    return backends.current().rebuild()


def index_size() -> int:
    return backends.current().size()
