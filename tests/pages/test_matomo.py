"""Matomo is off unless configured; configured, it is allowed by the CSP and nothing else is."""

import json
import subprocess

import pytest

from tests.test_deploy_settings import manage

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, str]:
    parts = [part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: value for name, value in parts}


def test_off_by_default(client):
    response = client.get("/a-propos/")
    assert b"matomo" not in response.content.lower()
    assert csp_directives(response)["script-src"] == "'self'"
    assert csp_directives(response)["connect-src"] == "'self'"


def test_on_when_configured(client, settings):
    settings.MATOMO_URL, settings.MATOMO_SITE_ID = "https://stats.example.org", "42"
    html = client.get("/a-propos/").content.decode()
    assert 'data-matomo-url="https://stats.example.org/"' in html and 'data-matomo-site="42"' in html


def production_settings(**env) -> subprocess.CompletedProcess:
    code = "import json; from django.conf import settings; "
    code += "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
    return manage("shell", "--verbosity", "0", "-c", code, SECRET_KEY="x" * 50, **env)


def test_the_policy_admits_the_matomo_server_and_no_other():
    result = production_settings(MATOMO_URL="https://stats.example.org/", MATOMO_SITE_ID="42")
    assert result.returncode == 0, result.stderr
    directives = json.loads(result.stdout)
    assert directives["script-src"] == ["'self'", "https://stats.example.org"]
    assert directives["connect-src"] == ["'self'", "https://stats.example.org"]
    assert directives["default-src"] == ["'self'"]


@pytest.mark.parametrize(
    "env",
    [
        {"MATOMO_URL": "https://stats.example.org"},  # no site
        {"MATOMO_SITE_ID": "42"},  # no server
        {"MATOMO_URL": "javascript:alert(1)", "MATOMO_SITE_ID": "42"},
        {"MATOMO_URL": "https://stats.example.org", "MATOMO_SITE_ID": "42; script-src *"},
    ],
)
def test_a_half_or_strange_configuration_is_refused_at_start(env):
    result = production_settings(**env)
    assert result.returncode != 0 and "MATOMO_URL" in result.stderr


def test_the_privacy_page_says_whether_audience_is_measured(client, settings):
    assert "ne mesure pas son audience" in client.get("/donnees-personnelles/").content.decode()
    settings.MATOMO_URL, settings.MATOMO_SITE_ID = "https://stats.example.org", "42"
    page = client.get("/donnees-personnelles/").content.decode()
    assert "Matomo, sans cookie" in page and "Do Not Track" in page
