"""Small template helpers for the catalogue pages."""

from __future__ import annotations

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from catalog import forms
from catalog.markdown import fold_html

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


_SIZE_UNITS = ("ko", "Mo", "Go", "To", "Po")


@register.filter
def file_size(value) -> str:
    """A size in bytes in French decimal units: "512 octets", "46,9 ko", "1,3 Mo" (non-breaking space).

    French usage has ko/Mo/Go as powers of 1,000 (the Kio/Mio of Django's filesizeformat are powers of 1,024).
    """
    try:
        size = int(value)
    except (TypeError, ValueError):
        return ""
    if size < 0:
        return ""
    if size < 1000:
        return f"{size}\u00a0octet{'s' if size > 1 else ''}"
    amount = float(size)
    for unit in _SIZE_UNITS:
        amount /= 1000
        if round(amount, 1) < 1000 or unit == _SIZE_UNITS[-1]:
            break
    text = f"{amount:.1f}".removesuffix(".0").replace(".", ",")
    return f"{text}\u00a0{unit}"


@register.simple_tag
def fold_description(html: str) -> dict[str, str]:
    """``{"lead": …, "more": …}``: a long description's first blocks, and the rest that folds (``catalog.markdown``)."""
    lead, more = fold_html(html or "")
    return {"lead": mark_safe(lead), "more": mark_safe(more)}  # noqa: S308 (sanitised at sync time)


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> str:
    """A ``<script type="application/ld+json">`` block; publisher text cannot close the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
