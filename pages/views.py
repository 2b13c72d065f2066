"""Home and editorial pages, plus the error pages."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from catalog import selectors
from catalog.caching import catalog_page

logger = logging.getLogger(__name__)


@require_safe
@catalog_page
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "categories": selectors.category_counts(),
        "latest": selectors.latest_datasets(),
        "figures": selectors.key_figures(),
    }
    return render(request, "pages/home.html", context)


class EditorialPage(TemplateView):
    """A page of text; ``title`` feeds the <title>, the <h1> and the breadcrumb."""

    title = ""
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["breadcrumb_data"] = {"links": [], "current": self.title}
        return context


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(loader.render_to_string("404.html", {"title": "Page introuvable"}, request))


def server_error(request: HttpRequest) -> HttpResponse:
    # Render without the context processors' database queries: the database may be the problem.
    try:
        body = loader.render_to_string("500.html", {"title": "Erreur du serveur", "minimal": True})
    except Exception:  # the error page must never fail
        logger.exception("could not render the 500 page")
        body = "<!DOCTYPE html><html lang='fr'><title>Erreur</title><h1>Erreur du serveur</h1></html>"
    return HttpResponseServerError(body)
