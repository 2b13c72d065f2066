"""The queued-export gate (catalog.exports.gate): while the builder has an export's job, the requests for that
export get Django's « en préparation » again without going through Django; anything else goes to Django."""

import io
import logging
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from catalog.exports import builder as export_builder
from catalog.exports import gate as export_gate
from tests.catalog import test_export_builder as builder_tests
from tests.catalog.test_export_builder import drain, queued

sample, builder = builder_tests.sample, builder_tests.builder  # the same fixtures

pytestmark = pytest.mark.django_db


class Counting:
    """Django's WSGI handler, counting the requests that reach it."""

    def __init__(self) -> None:
        self.django = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


@pytest.fixture
def site():
    """The gate around Django, as culture_portal.wsgi builds it (the test's connection kept, as the test client
    does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)  # closing a response would end the test's transaction
    try:
        django = Counting()
        yield export_gate.QueuedExportGate(django), django
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def get(application, path, params=None, method="GET", **headers):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": urlencode(params or {}, doseq=True),
               "HTTP_HOST": "testserver", "wsgi.input": io.BytesIO()}  # fmt: skip
    environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    setup_testing_defaults(environ)
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, response_headers

    chunks = application(environ, start_response)
    content = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    return int(seen["status"].split()[0]), dict(seen["headers"]), content


def test_a_queued_export_is_answered_again_without_django(site, sample, builder):
    gate, django = site
    first = get(gate, "/catalogue.ttl", {"page": 1, "page_size": 10})
    assert first[0] == 503 and "en préparation" in first[2].decode()
    assert django.calls == 1 and len(queued()) == 1
    for _ in range(20):
        again = get(gate, "/catalogue.ttl", {"page": 1, "page_size": 10})
        assert again == first  # the same status, headers (Retry-After, security headers) and text
    assert django.calls == 1
    assert first[1]["Retry-After"] and "no-store" in first[1]["Cache-Control"]
    assert first[1]["Permissions-Policy"] and first[1]["X-Content-Type-Options"] == "nosniff"


def test_junk_parameters_share_the_answer_but_another_search_goes_to_django(site, sample, builder):
    gate, django = site
    assert get(gate, "/datasets.csv", {"q": "musées", "junk": 0})[0] == 503
    for number in range(1, 30):
        assert get(gate, "/datasets.csv", {"q": "musées", "junk": number, "utm_source": "x"})[0] == 503
    assert django.calls == 1
    assert get(gate, "/datasets.csv", {"q": "cinéma"})[0] == 503
    assert django.calls == 2 and len(queued()) == 2


def test_another_host_is_not_answered_from_the_gate(site, sample, builder, settings):
    gate, django = site
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "culture.example.org"]
    assert get(gate, "/sitemap.xml")[0] == 503
    assert get(gate, "/sitemap.xml", host="culture.example.org")[0] == 503
    assert django.calls == 2 and len(queued()) == 2  # one job per site root: each gets its own links


@pytest.mark.django_db(transaction=True)  # the builder reads the catalogue from another connection
def test_once_built_the_export_is_served_by_django(site, sample, builder):
    gate, django = site
    assert get(gate, "/feeds/datasets.atom")[0] == 503
    drain(builder)
    status, headers, content = get(gate, "/feeds/datasets.atom")
    assert status == 200 and content.startswith(b"<?xml") and headers["ETag"]
    assert django.calls == 2


def test_without_a_builder_django_builds_the_export_itself(site, sample, settings):
    gate, django = site
    with export_builder.builder_lock():
        assert get(gate, "/sitemap.xml")[0] == 503
    # The builder stopped with the job still queued: the gate lets Django build it.
    status, _, content = get(gate, "/sitemap.xml")
    assert status == 200 and content.startswith(b"<?xml")
    assert django.calls == 2


def test_conditional_and_other_methods_go_to_django(site, sample, builder):
    gate, django = site
    assert get(gate, "/sitemap.xml")[0] == 503
    assert get(gate, "/sitemap.xml", if_none_match='"v1-abc"')[0] == 503
    assert get(gate, "/sitemap.xml", method="POST")[0] in (403, 405)  # CSRF or method: Django's answer
    assert django.calls == 3
    status, headers, content = get(gate, "/sitemap.xml", method="HEAD")
    assert (status, content) == (503, b"") and headers["Retry-After"]
    assert django.calls == 3  # HEAD replayed, without the body


def test_pages_are_never_answered_by_the_gate(site, sample, builder):
    gate, django = site
    for _ in range(3):
        status, _, content = get(gate, "/datasets/")
        assert status == 200 and b"<html" in content
    assert django.calls == 3


def test_the_gate_remembers_a_bounded_number_of_answers(site, sample, builder, settings, monkeypatch):
    gate, _ = site
    settings.EXPORT_QUEUE_MAX = 1000
    monkeypatch.setattr(export_gate, "MAX_ENTRIES", 5)
    for number in range(12):
        assert get(gate, "/datasets.csv", {"q": f"recherche {number}"})[0] == 503
    assert len(gate._queued) == 5


def test_shed_requests_do_not_fill_the_error_log(client, sample, builder, caplog):
    logger = logging.getLogger("django.request")  # "django" does not propagate to the root logger
    logger.addHandler(caplog.handler)
    try:
        for _ in range(5):
            assert client.get("/sitemap.xml").status_code == 503
        assert client.get("/datasets.csv", {"q": "musées"}).status_code == 503
        assert [record.getMessage() for record in caplog.records] == []
        assert client.get("/sitemap-inconnu.xml").status_code == 404
        # Other answers are still logged.
        assert {record.getMessage() for record in caplog.records} == {"Not Found: /sitemap-inconnu.xml"}
    finally:
        logger.removeHandler(caplog.handler)


def test_the_served_application_has_the_gate():
    from culture_portal import wsgi

    assert isinstance(wsgi.application, export_gate.QueuedExportGate)
