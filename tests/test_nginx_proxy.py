"""The reference reverse proxy (scripts/nginx-site.conf) in front of a stand-in upstream, with a real nginx.

What the site counts on from it: every export URL the site has (any view the export builder may replay,
found in the URL configuration, for every section) is limited per client address, with a 429 that says
so in French and carries Retry-After; pages and static files are never limited; the upstream gets the
Host and X-Forwarded-* headers it needs. The rate and the burst are the benchmark's business (make bench,
« Abus »): here they are lowered so that the second export request is already over the limit.

nginx comes from apt (nginx-light). Without it the tests are skipped, except under CI (the CI variable
set), which installs it (.ci/run): there they fail.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests import nginx
from tests.net import free_port

MISSING = "nginx not found: the reverse proxy tests did NOT run (install it: apt-get install -y nginx-light)"


def _require_nginx() -> None:
    if nginx.executable() is None:
        if os.environ.get("CI"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), getattr(pattern.callback, "export_view", False) is True


def site_paths() -> tuple[list[str], list[str]]:
    """A concrete path for each route of the site (its parameters filled in): export views, and the rest."""
    exports, pages = set(), set()
    for route, is_export in _walk(get_resolver().url_patterns):
        if route.startswith("^") or "(?P" in route:
            continue  # regular-expression routes (none today but Django's own): no sample path to build
        path = "/" + re.sub(r"<(?:\w+:)?\w+>", "exemple", route)
        (exports if is_export else pages).add(path)
    return sorted(exports), sorted(pages)


class _Upstream(BaseHTTPRequestHandler):
    """Answers every GET with 200 and the headers it received, as JSON."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def proxy(tmp_path: Path):
    _require_nginx()
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = free_port()
    main = nginx.write(tmp_path, f"127.0.0.1:{upstream.server_address[1]}", port)
    site = (tmp_path / "site.conf").read_text(encoding="utf-8")
    # The shipped numbers, pinned here and lowered for the test: one export a minute, nothing held.
    assert "rate=2r/s;" in site and "burst=20;" in site
    (tmp_path / "site.conf").write_text(site.replace("rate=2r/s;", "rate=1r/m;").replace(" burst=20;", ";"))
    checked = nginx.check(main)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(nginx.command(main), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        nginx.wait_until_listening(port, process)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield client
    finally:
        process.terminate()
        process.wait(timeout=10)
        upstream.shutdown()
        upstream.server_close()


def test_the_shipped_configuration_is_valid_nginx(tmp_path):
    _require_nginx()
    checked = nginx.check(nginx.write(tmp_path, "127.0.0.1:8000", free_port()))
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_the_site_has_export_routes_to_protect():
    exports, pages = site_paths()
    # The routes found are the site's: each sample path resolves to an export view (or to a page).
    assert {"/datasets.csv", "/catalogue.jsonld", "/catalogue.ttl", "/sitemap.xml", "/observer/datasets.csv"} <= set(
        exports
    )
    for path in exports:
        assert getattr(resolve(path).func, "export_view", False) is True, path
    assert "/datasets/" in pages and "/observer/" in pages


def test_every_export_is_limited_per_address_and_pages_never_are(proxy):
    exports, pages = site_paths()
    first = proxy.get(exports[0])
    assert first.status_code == 200  # the first one is within the limit
    for path in exports:  # the zone is shared: one address, one allowance for all exports
        response = proxy.get(path)
        assert response.status_code == 429, path
        assert response.headers["Retry-After"] == "10"
        assert "no-store" in response.headers["Cache-Control"]
        assert "Trop de demandes d’exports" in response.text
        assert response.headers["Content-Type"].startswith("text/plain; charset=utf-8")
    for path in [*pages, "/static/dsfr/dsfr.min.css", "/static/exemple.xml", "/datasets/exemple/?format=csv"]:
        for _ in range(3):
            response = proxy.get(path)
            assert response.status_code == 200, path
            assert response.json()["path"] == path  # reached the site, untouched


def test_the_site_gets_the_headers_it_relies_on(proxy):
    seen = proxy.get("/datasets/", headers={"Host": "culture.example.org", "X-Forwarded-For": "203.0.113.9"}).json()
    assert seen["headers"]["host"] == "culture.example.org"
    assert seen["headers"]["x-forwarded-proto"] == "http"
    assert seen["headers"]["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
