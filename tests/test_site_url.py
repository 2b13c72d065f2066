"""SITE_URL: absolute links of the site come from the setting, not from the request's Host header."""

import pytest

from tests.test_deploy_settings import manage


@pytest.mark.django_db
def test_canonical_link_uses_site_url_not_host_header(client, settings):
    settings.SITE_URL = "https://culture.data.gouv.fr"
    settings.ALLOWED_HOSTS = ["other.example", "testserver"]
    body = client.get("/a-propos/", HTTP_HOST="other.example").content.decode()
    assert '<link rel="canonical" href="https://culture.data.gouv.fr/a-propos/">' in body
    assert "other.example" not in body
    robots = client.get("/robots.txt", HTTP_HOST="other.example").content.decode()
    assert "Sitemap: https://culture.data.gouv.fr/sitemap.xml" in robots


@pytest.mark.django_db
def test_without_site_url_the_checked_request_host_is_used(client, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["mirror.example"]
    body = client.get("/a-propos/", HTTP_HOST="mirror.example").content.decode()
    assert '<link rel="canonical" href="http://mirror.example/a-propos/">' in body
    assert client.get("/a-propos/", HTTP_HOST="evil.example").status_code == 400


@pytest.mark.parametrize("value", ["culture.data.gouv.fr", "https://culture.data.gouv.fr/path", "ftp://x"])
def test_a_site_url_that_is_not_an_origin_refuses_to_start(value):
    result = manage("check", SITE_URL=value, DEBUG="1")
    assert result.returncode != 0
    assert "SITE_URL must be a scheme and a host" in result.stderr
