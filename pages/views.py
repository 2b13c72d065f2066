"""Home and editorial pages, plus the error pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from catalog import caching, links
from catalog.caching import catalog_page
from catalog.selectors import freshness, homepage

logger = logging.getLogger(__name__)


@require_safe
@catalog_page(params=caching.no_params)
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "categories": homepage.category_counts(),
        "latest": homepage.latest_datasets(),
        "figures": homepage.key_figures(),
        "sections": homepage.section_blocks(),
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


def _database_unavailable(check: str, exc: DatabaseError) -> JsonResponse:
    """503 for a probe: the cause goes to the log, never into the answer."""
    logger.error("%s: database error: %s", check, exc)
    return JsonResponse({"status": "error", "database": "unavailable"}, status=503)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For monitoring: 200 when the database answers and the catalogue was synced recently, else 503."""
    try:
        status = freshness.catalog_status()
    except DatabaseError as exc:
        return _database_unavailable("health check", exc)
    age = (timezone.now() - status.last_success_at).total_seconds() if status.last_success_at else None
    problems = []
    if age is None:
        problems.append("no successful sync")
    elif age > settings.HEALTH_MAX_SYNC_AGE.total_seconds():
        problems.append(f"last successful sync is {age / 3600:.1f} hours old")
    if status.is_sample:
        problems.append("sample data")
    body = {
        "status": "error" if problems else "ok",
        "database": "ok",
        "last_successful_sync": status.last_success_at.isoformat() if status.last_success_at else None,
        "last_successful_sync_age_seconds": round(age) if age is not None else None,
        "last_sync_failed": status.failed_at is not None,
        # Records the last successful sync left out (catalog.ingest): the site is whole but for them.
        "skipped_records": status.skipped,
        "skipped": status.skipped_records[:20],
        "problems": problems,
    }
    return JsonResponse(body, status=503 if problems else 200)


@require_safe
@never_cache
def liveness(request: HttpRequest) -> JsonResponse:
    """For a container's health check: 200 while this process serves and the database answers, whatever
    the catalogue's age (a site on its last good catalogue is still worth serving; /healthz says it is old)."""
    try:
        freshness.catalog_status()
    except DatabaseError as exc:
        return _database_unavailable("liveness check", exc)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = links.absolute(request, "/sitemap.xml")
    lines = ["User-agent: *", "Allow: /", "Disallow: /healthz", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def opensearch(request: HttpRequest) -> HttpResponse:
    """Lets browsers offer the site's search in their address bar."""
    context = {"search_url": links.absolute(request, "/datasets/"), "home": links.absolute(request, "/")}
    return render(request, "opensearch.xml", context, content_type="application/opensearchdescription+xml")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(loader.render_to_string("404.html", {"title": "Page introuvable"}, request))


def server_error(request: HttpRequest) -> HttpResponse:
    # Render without the context processors' database queries: the database may be the problem.
    try:
        context = {"title": "Erreur du serveur", "minimal": True, "UNIVERSE": settings.UNIVERSE,
                   "PAGES": links.site_pages()}  # fmt: skip
        body = loader.render_to_string("500.html", context)
    except Exception:  # the error page must never fail
        logger.exception("could not render the 500 page")
        body = "<!DOCTYPE html><html lang='fr'><title>Erreur</title><h1>Erreur du serveur</h1></html>"
    return HttpResponseServerError(body)
