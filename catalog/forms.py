"""Forms validating the query strings of the catalogue pages."""

from __future__ import annotations

import re

from django import forms

from catalog import labels, selectors

_TOKEN = re.compile(r"^[\w.+:-]{1,100}$")
MAX_QUERY_LENGTH = 200


class DatasetFilterForm(forms.Form):
    q = forms.CharField(required=False, strip=True)
    category = forms.ChoiceField(required=False, choices=[(c.slug, c.label) for c in labels.CATEGORIES])
    organization = forms.CharField(required=False, max_length=255)
    organization_type = forms.ChoiceField(required=False, choices=list(labels.ORGANIZATION_KINDS.items()))
    format = forms.CharField(required=False, max_length=100)
    license = forms.CharField(required=False, max_length=100)
    archived = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False, choices=list(selectors.SORTS.items()))

    def clean_q(self) -> str:
        # Control characters out, long queries cut: a search box is not a document.
        value = "".join(char for char in self.cleaned_data["q"] if char.isprintable())
        return value[:MAX_QUERY_LENGTH].strip()

    def _token(self, name: str) -> str:
        value = self.cleaned_data[name].strip()
        if value and not _TOKEN.match(value):
            raise forms.ValidationError("Valeur inconnue.")
        return value

    def clean_organization(self) -> str:
        return self._token("organization")

    def clean_format(self) -> str:
        return self._token("format").lower()

    def clean_license(self) -> str:
        return self._token("license")

    def filters(self) -> selectors.DatasetFilters:
        """The valid filters; an invalid parameter is dropped alone, never the whole search."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return selectors.DatasetFilters(
            query=cleaned.get("q", ""),
            category=cleaned.get("category", ""),
            organization=cleaned.get("organization", ""),
            organization_type=cleaned.get("organization_type", ""),
            format=cleaned.get("format", ""),
            license=cleaned.get("license", ""),
            archived=bool(cleaned.get("archived", False)),
            sort=cleaned.get("sort", ""),
        )


class OrganizationSearchForm(forms.Form):
    q = forms.CharField(required=False, strip=True)

    def query(self) -> str:
        if not self.is_valid():
            return ""
        return "".join(char for char in self.cleaned_data["q"] if char.isprintable())[:MAX_QUERY_LENGTH]
