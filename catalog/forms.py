"""Forms validating the query strings of the catalogue pages.

Each page reads its query string through here and nothing else: the parameters it understands,
cleaned, defaults left out (``normalised``). Its page cache key and every link it draws (facets,
chips, sorts, pagination, CSV) are built from them, never by copying ``request.GET``: an unknown
parameter changes neither what the page shows nor where its links lead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import HttpRequest, QueryDict

from catalog import facets, labels, links, universe
from catalog.selectors import dataset_page, listing, organizations

_TOKEN = re.compile(r"^[\w.+:-]{1,100}$")
MAX_QUERY_LENGTH = 200
# Far above any real page count (20 datasets a page); a bigger number asks for the last page.
MAX_PAGE = 1_000_000


def _search_text(value: str) -> str:
    """Control characters out, runs of spaces made one, long queries cut: a search box is not a document."""
    return " ".join("".join(char for char in value if char.isprintable()).split())[:MAX_QUERY_LENGTH].strip()


def keyword(value: str) -> str:
    """A keyword as the list page reads it: the search box's cleaning, lower case (tags are stored so)."""
    return _search_text(value).lower()


def keyword_params(name: str) -> dict[str, str]:
    """The list page's parameters searching for the keyword ``name``; ``{}`` when the page would not
    read it back as the same keyword (a tag with control characters, or longer than a query)."""
    return {"tag": name} if name and keyword(name) == name else {}


Params = dict[str, "str | list[str]"]  # a parameter's value, or its values (a facet's, repeated in addresses)


class DatasetFilterForm(forms.Form):
    """The list page's query string. Its facets are the section's (catalog.facets), each read with all its
    values (``?category=cinema&category=musee``), cleaned by its kind."""

    q = forms.CharField(required=False, strip=True)
    tag = forms.CharField(required=False)
    archived = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False, choices=list(listing.SORTS.items()))
    # The producer facet's own search box: it changes which producers the facet offers, not the results,
    # so the page's links (``params``) leave it out.
    organization_q = forms.CharField(required=False, strip=True)

    def __init__(self, data=None, *args, section: universe.Section | None = None, **kwargs) -> None:
        """``section``: the section listed (the universe's main one by default), from the page's address."""
        super().__init__(data, *args, **kwargs)
        self.section = section or settings.UNIVERSE.main

    def clean_q(self) -> str:
        return _search_text(self.cleaned_data["q"])

    def clean_tag(self) -> str:
        return keyword(self.cleaned_data["tag"])

    def clean_organization_q(self) -> str:
        return _search_text(self.cleaned_data["organization_q"])

    def _values(self, name: str) -> list[str]:
        if hasattr(self.data, "getlist"):
            return self.data.getlist(name)
        value = self.data.get(name)
        return [] if value is None else [value] if isinstance(value, str) else list(value)

    def filters(self) -> listing.DatasetFilters:
        """The valid filters; an invalid parameter (or value) is dropped alone, never the whole search.

        A sort that orders like the default one is dropped too (``sort=recent`` without a query,
        ``sort=pertinence`` with one or, where it does nothing, without one): one list, one address.
        """
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        specs = facets.section_facets(self.section)
        chosen = {spec.name: spec.clean_values(self._values(spec.name)) for spec in specs}
        filters = listing.DatasetFilters.of(
            query=cleaned.get("q", ""),
            tag=cleaned.get("tag", ""),
            archived=bool(cleaned.get("archived", False)),
            section=self.section.id,
            **chosen,
        )
        sort = cleaned.get("sort", "")
        if sort == "pertinence" and not filters.search:
            sort = ""  # nothing to rank: the list falls back to the default order
        if sort and sort != filters.effective_sort:
            filters = replace(filters, sort=sort)
        return filters

    @classmethod
    def params(cls, filters: listing.DatasetFilters) -> Params:
        """The query parameters asking for ``filters`` (as ``filters()`` gives them), empty ones left out;
        a facet's values as a sorted list."""
        values: Params = {"q": filters.query, "tag": filters.tag}
        for name, chosen in filters.choices:
            values[name] = list(chosen)
        values |= {"archived": "1" if filters.archived else "", "sort": filters.sort}
        return {name: value for name, value in values.items() if value}

    def organization_query(self) -> str:
        """What the producer facet's search box asks for (cleaned), or ``""``."""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("organization_q", "")


class ResourceFilterForm(forms.Form):
    """The file search of a dataset page: words of a title or format, a format, a type."""

    q = forms.CharField(required=False, strip=True)
    format = forms.CharField(required=False, max_length=100)
    type = forms.ChoiceField(required=False, choices=list(labels.RESOURCE_TYPES.items()))

    def filters(self) -> dataset_page.ResourceFilters:
        """The valid filters; an invalid parameter is dropped alone."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        fmt = (cleaned.get("format") or "").strip().lower()
        return dataset_page.ResourceFilters(
            query=_search_text(cleaned.get("q") or ""),
            format=fmt if _TOKEN.match(fmt) else "",
            type=cleaned.get("type") or "",
        )

    @classmethod
    def params(cls, filters: dataset_page.ResourceFilters) -> dict[str, str]:
        values = {"q": filters.query, "format": filters.format, "type": filters.type}
        return {name: values[name] for name in cls.base_fields if values[name]}


class OrganizationSearchForm(forms.Form):
    # The fields' order is the order of the parameters in the links of the producers page.
    q = forms.CharField(required=False, strip=True)
    type = forms.ChoiceField(required=False, choices=list(organizations.ORGANIZATION_KINDS.items()))

    def _cleaned(self, name: str) -> str:
        """One field's clean value; an invalid parameter is dropped alone, never the whole search."""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get(name, "")

    def query(self) -> str:
        return _search_text(self._cleaned("q"))

    def kind(self) -> str:
        return self._cleaned("type")

    def params(self) -> dict[str, str]:
        values = {"q": self.query(), "type": self.kind()}
        return {name: value for name, value in values.items() if value}


def page_number(query: QueryDict) -> int:
    """The page asked for: a positive integer (at most ``MAX_PAGE``); anything else is page 1."""
    value = query.get("page") or ""
    if not (value.isascii() and value.isdigit()):
        return 1
    digits = value.lstrip("0") or "0"
    return max(1, min(int(digits) if len(digits) <= 7 else MAX_PAGE, MAX_PAGE))


def page_params(number: int) -> dict[str, str]:
    return {"page": str(number)} if number > 1 else {}


_order_memo: tuple[object, dict[str, int]] | None = None  # (universe, its order), replaced whole


def parameter_order() -> dict[str, int]:
    """Every parameter of the catalogue pages, in the order links spell them: the search, the keyword, the
    sections' facets in their order (the main section's first), then the rest. Worked out once per universe."""
    global _order_memo
    declared = settings.UNIVERSE
    memo = _order_memo
    if memo is None or memo[0] is not declared:
        names = dict.fromkeys([
            "q", "tag", *(spec.name for section in declared.sections for spec in facets.section_facets(section)),
            *DatasetFilterForm.base_fields,
            *OrganizationSearchForm.base_fields, *ResourceFilterForm.base_fields, "page",
        ])  # fmt: skip
        memo = _order_memo = (declared, {name: position for position, name in enumerate(names)})
    return memo[1]


def query_string(params: Mapping[str, str | list[str]]) -> str:
    """``q=…&category=…&category=…``, the parameters always in the same order; ``""`` for none."""
    if len(params) < 2:  # nothing to order (a card's keyword links)
        return urlencode(list(params.items()), doseq=True)
    order = parameter_order()
    ordered = sorted(params.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    return urlencode(ordered, doseq=True)


def list_url(section: universe.Section, params: Mapping[str, str | list[str]]) -> str:
    """The path of ``section``'s list with ``params``: a filter's link on a page, a theme's IRI in DCAT."""
    return f"{links.section_url(section)}?{query_string(params)}"


# What each list page reads from its query string, normalised: its page cache key (catalog.caching)
# is made of this, and its view renders from the same functions, so equal keys mean equal pages.


def list_section(request: HttpRequest) -> universe.Section:
    """The section a list page (or its export) shows: the one its address names (catalog/urls.py), else the
    main one."""
    match = getattr(request, "resolver_match", None)
    return links.section(match.kwargs.get("section", "") if match else "")


def dataset_list_params(request: HttpRequest) -> Params:
    form = DatasetFilterForm(request.GET, section=list_section(request))
    search = {"organization_q": query} if (query := form.organization_query()) else {}
    return DatasetFilterForm.params(form.filters()) | search | page_params(page_number(request.GET))


def dataset_detail_params(request: HttpRequest) -> dict[str, str]:
    return ResourceFilterForm.params(ResourceFilterForm(request.GET).filters()) | page_params(page_number(request.GET))


def organization_list_params(request: HttpRequest) -> dict[str, str]:
    return OrganizationSearchForm(request.GET).params() | page_params(page_number(request.GET))


def page_only_params(request: HttpRequest) -> dict[str, str]:
    return page_params(page_number(request.GET))
