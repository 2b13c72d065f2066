"""One view answering "ok", for the throughput baseline (bench.bare_settings)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", bare), path("<path:anything>", bare)]
