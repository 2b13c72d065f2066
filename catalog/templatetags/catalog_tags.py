"""Small template helpers for the catalogue pages."""

from __future__ import annotations

import json

from django import template
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_RESET_ON_CHANGE = ("page",)


def _query(request) -> QueryDict:
    return request.GET.copy() if request is not None else QueryDict(mutable=True)


@register.simple_tag(takes_context=True)
def query_with(context, name: str, value) -> str:
    """The current query string with ``name`` set to ``value`` (back to page 1)."""
    query = _query(context.get("request"))
    for key in _RESET_ON_CHANGE:
        query.pop(key, None)
    query[name] = str(value)
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def query_without(context, *names: str) -> str:
    """The current query string without ``names`` (back to page 1)."""
    query = _query(context.get("request"))
    for key in (*names, *_RESET_ON_CHANGE):
        query.pop(key, None)
    encoded = query.urlencode()
    return "?" + encoded if encoded else "?"


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    query = _query(context.get("request"))
    query["page"] = str(number)
    return "?" + query.urlencode()


@register.filter
def file_size(value) -> str:
    if value is None or value == "":
        return ""
    return filesizeformat(value)


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> str:
    """A ``<script type="application/ld+json">`` block; publisher text cannot close the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
