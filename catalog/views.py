"""Catalogue pages: read input through a form, call selectors, render."""

from __future__ import annotations

from dataclasses import replace
from functools import wraps
from typing import TextIO

from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_safe
from django_htmx.middleware import HtmxDetails

from catalog import caching, forms, labels, links
from catalog.caching import catalog_page
from catalog.exports import csv, dcat, schema_org, store
from catalog.forms import DatasetFilterForm, OrganizationSearchForm, ResourceFilterForm
from catalog.selectors import dataset_page, listing, organizations

PAGE_SIZE = 20
FILES_PAGE_SIZE = 20
PLAIN_TEXT = "text/plain; charset=utf-8"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def breadcrumb(current: str, *links: tuple[str, str]) -> dict:
    return {"links": [{"url": url, "title": title} for url, title in links], "current": current}


def list_title(section) -> str:
    """The name of a section's list: « Jeux de données » for the main one, its ``list_title`` for the others."""
    return "Jeux de données" if links.is_main(section) else section.list_title


class KnownCountPaginator(Paginator):
    """A paginator told the number of items when it is already known, saving a COUNT query."""

    def __init__(self, object_list, per_page, *, count: int | None = None) -> None:
        super().__init__(object_list, per_page)
        if count is not None:
            self.__dict__["count"] = count  # fills Paginator.count, a cached_property


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE, *, count: int | None = None):
    number = forms.page_number(request.GET)
    page = KnownCountPaginator(queryset, per_page, count=count).get_page(number)
    if page.number != number:
        # Past the last page: the last one is shown, but not kept under this number's key, so that
        # page=1…10⁹ adds no more entries to the cache than there are real pages.
        caching.do_not_store(request)
    page.pages_list = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return page


def render_listing(request: HtmxHttpRequest, template: str, context: dict) -> HttpResponse:
    """The whole page, or only its ``#results`` partial for an htmx swap (``caching.variant``)."""
    if caching.variant(request) == caching.FRAGMENT:
        return render(request, template + "#results", context | {"fragment": True})
    return render(request, template, context)


@require_safe
@catalog_page(params=forms.dataset_list_params)
def dataset_list(request: HtmxHttpRequest, section: str = "") -> HttpResponse:
    shown = links.section(section)
    form = DatasetFilterForm(request.GET, section=shown)
    counts = listing.listing_counts(form.filters(), widen=True)
    filters = counts.filters
    page = paginate(request, counts.results, count=counts.total)
    narrowed = filters.narrowed
    context = {
        "filters": filters,
        "params": DatasetFilterForm.params(filters),  # what links start from, never request.GET
        "page_obj": page,
        "unfiltered_count": listing.unfiltered_count(filters) if narrowed and not page.object_list else None,
        "facets": listing.dataset_facets(
            filters, counts.facets, as_of=counts.as_of, organization_query=form.organization_query()
        ),
        "search_help": listing.search_help(filters, counts.total),
        "archived_count": counts.archived,
        "sorts": listing.SORTS,
        "section": shown,
        "section_links": links.SectionLinks(shown),
        "list_title": list_title(shown),
        "breadcrumb_data": breadcrumb(list_title(shown)),
    }
    return render_listing(request, "catalog/dataset_list.html", context)


def _file_suffix(section) -> str:
    """``-observer`` in the file names of a section other than the main one."""
    return "" if links.is_main(section) else f"-{slugify(section.id)}"


@store.export_view
@require_safe
def dataset_export(request: HttpRequest, section: str = "") -> HttpResponse:
    """The current search's results as CSV (all of them, in the list's order), built once per catalogue."""
    shown = links.section(section)
    form = DatasetFilterForm(request.GET, section=shown)
    filters = form.filters()
    # The key is what the form understood: junk parameters, and the default order asked by name, share one file.
    filters = replace(filters, sort=filters.effective_sort)

    def write(out: TextIO) -> None:
        csv.write_datasets(out, listing.dataset_export(listing.resolve(filters)))

    export = store.Export(
        kind="csv",
        key=repr(filters),
        content_type="text/csv; charset=utf-8",
        build=write,
        filename=f"jeux-de-donnees-{slugify(settings.UNIVERSE.subject.name)}{_file_suffix(shown)}.csv",
        extension="csv",
        params=tuple(form.fields),
    )
    return store.serve(request, export)


@require_safe
@catalog_page(params=forms.dataset_detail_params)
def dataset_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    dataset = dataset_page.dataset_get(slug=slug)
    if dataset is None:
        raise Http404("Jeu de données inconnu")
    if dataset.slug != slug:
        return redirect("catalog:dataset_detail", slug=dataset.slug, permanent=True)
    # Stored once, listed in each section holding it: the breadcrumb leads to the first one's list.
    held = links.dataset_sections(dataset.section_ids)
    home = held[0] if held else settings.UNIVERSE.main
    file_filters = ResourceFilterForm(request.GET).filters()
    files = dataset_page.dataset_files(dataset, file_filters)
    page = paginate(request, files.files, per_page=FILES_PAGE_SIZE)
    context = {
        "dataset": dataset,
        "files": files,
        "file_filters": file_filters,
        "file_groups": files.groups(page.object_list),
        "license_missing_advice": labels.LICENSE_MISSING_ADVICE,
        "params": ResourceFilterForm.params(file_filters),  # what links start from, never request.GET
        "page_obj": page,
        "jsonld": schema_org.dataset_jsonld(dataset, links.absolute(request, request.path)),
        "sections": [(list_title(found), links.section_url(found)) for found in held],
        "section": home,  # where its keywords and categories lead (catalog_tags.keyword_url, facet_url)
        "menu_path": links.section_url(home),  # « Observer » is the current menu entry on an Observer dataset's page
        "breadcrumb_data": breadcrumb(dataset.title, (links.section_url(home), list_title(home))),
    }
    return render_listing(request, "catalog/dataset_detail.html", context)


@require_safe
@catalog_page(params=forms.organization_list_params)
def organization_list(request: HtmxHttpRequest) -> HttpResponse:
    form = OrganizationSearchForm(request.GET)
    listing = organizations.organization_list(query=form.query(), kind=form.kind())
    context = {
        "form": form,
        "params": form.params(),  # what links start from, never request.GET
        "kinds": listing.kinds,
        "page_obj": paginate(request, listing.organizations, per_page=30),
        "breadcrumb_data": breadcrumb("Producteurs"),
    }
    return render_listing(request, "catalog/organization_list.html", context)


@require_safe
@catalog_page(params=forms.page_only_params)
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organizations.organization_get(slug=slug)
    if organization is None:
        raise Http404("Producteur inconnu")
    if organization.slug != slug:
        return redirect("catalog:organization_detail", slug=organization.slug, permanent=True)
    # Its datasets in each section: the page lists the main one's, and says how many each other one holds.
    in_sections = [
        (found, list_title(found), listing.section_datasets(found.id).filter(organization=organization).count())
        for found in settings.UNIVERSE.sections
    ]
    context = {
        "organization": organization,
        "in_sections": in_sections if len(in_sections) > 1 else [],
        "elsewhere": sum(count for found, _, count in in_sections if not links.is_main(found)),
        "page_obj": paginate(request, organizations.organization_datasets(organization)),
        "breadcrumb_data": breadcrumb(organization.name, (reverse("catalog:organization_list"), "Producteurs")),
    }
    return render(request, "catalog/organization_detail.html", context)


# The DCAT-AP catalogue, for harvesters (data.gouv.fr, data.europa.eu) and browser tools.


def _open_to_all(view):
    """Any site may read these documents (CORS), 304 answers and errors included."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _dcat_catalogue(request: HttpRequest, kind: str, section: str) -> HttpResponse:
    """One page of a section's catalogue, built once per catalogue version, page and page size."""
    try:
        number, size = dcat.page_params(request.GET)
    except ValueError as error:
        return HttpResponseBadRequest(str(error), content_type=PLAIN_TEXT)
    shown = links.section(section)
    document_links = dcat.Links(
        site=links.site_root(request),
        catalog=links.absolute(request, links.section_url(shown, "dcat_jsonld")),
        document=links.absolute(request, links.section_url(shown, f"dcat_{kind}")),
        page_size=size,
        section=shown.id,
    )

    def check() -> HttpResponse | None:
        if number > dcat.page_count(dcat.dataset_count(shown.id), size):
            return HttpResponseNotFound("Cette page du catalogue n'existe pas.", content_type=PLAIN_TEXT)
        return None

    def write(out: TextIO) -> None:
        for chunk in dcat.DOCUMENTS[kind](document_links, number):
            out.write(chunk)

    export = store.Export(
        kind=f"dcat-{kind}",
        key=f"{number}:{size}" if links.is_main(shown) else f"{shown.id}:{number}:{size}",
        content_type=dcat.CONTENT_TYPES[kind],
        build=write,
        check=check,
        extension="jsonld" if kind == "jsonld" else "ttl",
        params=dcat.PAGE_PARAMS,
    )
    return store.serve(request, export)


@store.export_view
@require_safe
@_open_to_all
def dcat_jsonld(request: HttpRequest, section: str = "") -> HttpResponse:
    return _dcat_catalogue(request, "jsonld", section)


@store.export_view
@require_safe
@_open_to_all
def dcat_turtle(request: HttpRequest, section: str = "") -> HttpResponse:
    return _dcat_catalogue(request, "turtle", section)
