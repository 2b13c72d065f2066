"""Small template helpers for the catalogue pages."""

from __future__ import annotations

import json

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from catalog import forms

register = template.Library()


def _params(context) -> dict[str, str]:
    """The page's parameters as its view normalised them (``params``), never the request's query string:
    a made-up parameter in the address must not spread to every link of the page."""
    return dict(context.get("params") or {})


def _href(context, params: dict[str, str]) -> str:
    query = forms.query_string(params)
    if query:
        return "?" + query
    request = context.get("request")
    return request.path if request is not None else "?"


@register.simple_tag(takes_context=True)
def query_with(context, name: str, value) -> str:
    """The page's parameters with ``name`` set to ``value`` (back to page 1)."""
    return _href(context, _params(context) | {name: str(value)})


@register.simple_tag(takes_context=True)
def query_without(context, *names: str) -> str:
    """The page's parameters without ``names`` (back to page 1)."""
    return _href(context, {key: value for key, value in _params(context).items() if key not in names})


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    return _href(context, _params(context) | forms.page_params(int(number)))


@register.simple_tag(takes_context=True)
def query_string(context) -> str:
    """``?…`` with the page's parameters (without the page number), or nothing: for links to other URLs."""
    query = forms.query_string(_params(context))
    return "?" + query if query else ""


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
