"""Headers of every response: browser features the site never uses are off, and images come only
from the hosts IMAGE_HOSTS names (the CSP's img-src and the logos the templates show agree)."""

import json

import pytest
from django.test import Client
from django.urls import path

from catalog.models import Organization
from culture_portal import urls as site_urls
from culture_portal.middleware import PERMISSIONS_POLICY
from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization
from tests.test_deploy_settings import manage

pytestmark = pytest.mark.django_db

ON_STATIC = "https://static.data.gouv.fr/avatars/7c/2e41b0f5d83a4a6c9e17b2d4f08a3c-100.png"
ELSEWHERE = "https://tracker.example/pixel.png"
UNUSED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort", "browsing-topics")


def boom(request):
    raise RuntimeError("secret detail")


urlpatterns = [path("boom/", boom), *site_urls.urlpatterns]
handler500 = "pages.views.server_error"


def csp_directives(response) -> dict[str, str]:
    parts = [part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: value for name, value in parts}


# --- Permissions-Policy ------------------------------------------------------------------------


def test_the_policy_turns_off_the_features_we_never_use():
    features = dict(item.split("=", 1) for item in PERMISSIONS_POLICY.split(", "))
    assert set(UNUSED_FEATURES) <= set(features)
    assert set(features.values()) == {"()"}  # off for the site itself and for anything embedded


@pytest.mark.parametrize(("url", "status"), [("/", 200), ("/organisations/", 200), ("/nulle-part/", 404)])
def test_pages_and_errors_carry_the_permissions_policy(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_a_server_error_carries_it_too(settings):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_static_files_served_by_whitenoise_carry_it(settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve from static/ without collectstatic
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/portal.css")
    response.close()
    assert response.status_code == 200
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "Content-Security-Policy" not in response  # answered before the CSP middleware: ours is outermost


# --- img-src and IMAGE_HOSTS ------------------------------------------------------------------


def test_images_are_allowed_from_the_default_static_host_only(client):
    assert csp_directives(client.get("/"))["img-src"] == "'self' data: https://static.data.gouv.fr"


def production_csp(**env) -> dict[str, list[str]]:
    code = "import json; from django.conf import settings; "
    code += "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
    result = manage("shell", "--verbosity", "0", "-c", code, SECRET_KEY="x" * 50, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_img_src_lists_exactly_the_configured_hosts():
    directives = production_csp(IMAGE_HOSTS="static.data.gouv.fr, Images.Example.org")
    assert directives["img-src"] == ["'self'", "data:", "https://static.data.gouv.fr", "https://images.example.org"]


@pytest.mark.parametrize(
    "value", ["https://static.data.gouv.fr", "*", "static.data.gouv.fr/avatars", "example.org; script-src *", "a b"]
)
def test_a_malformed_image_hosts_value_is_refused_at_start(value):
    result = manage("check", SECRET_KEY="x" * 50, IMAGE_HOSTS=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured: IMAGE_HOSTS takes host names separated by commas" in result.stderr
    assert repr(value.split(",")[0].strip().lower()) in result.stderr


# --- logos --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("thumbnail", "logo", "shown"),
    [
        (ON_STATIC, "", ON_STATIC),
        (ELSEWHERE, ON_STATIC, ON_STATIC),  # the full-size logo, when only it is on an allowed host
        (ELSEWHERE, ELSEWHERE, ""),
        ("http://static.data.gouv.fr/a.png", "", ""),  # plain HTTP: not what img-src admits
        ("https://static.data.gouv.fr.tracker.example/a.png", "", ""),
        ("https://static.data.gouv.fr:8443/a.png", "", ""),
        ("https://static.data.gouv.fr:99999/a.png", "", ""),  # no valid port at all
        ("https://user@static.data.gouv.fr/a.png", "", ""),
        ("", "", ""),
    ],
)
def test_a_logo_is_shown_only_from_an_image_host(settings, thumbnail, logo, shown):
    settings.IMAGE_HOSTS = ["static.data.gouv.fr"]
    assert Organization(logo_thumbnail=thumbnail, logo=logo).logo_url == shown


@pytest.fixture
def publishers(tmp_path, sample_licenses):
    allowed = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="mc", logo=ON_STATIC)
    other = organization("5b7e1a2f3c4d5e6f7a8b9c0d", "Pisteur", slug="pisteur", logo=ELSEWHERE)
    datasets = [
        dataset("a" * 24, "Musées", slug="musees", tags=("musee",), org=allowed),
        dataset("b" * 24, "Cinémas", slug="cinemas", tags=("cinema",), org=other),
    ]
    payloads.load(tmp_path, datasets, [allowed, other], sample_licenses)


PAGES = ["/organisations/", "/organisations/{slug}/", "/datasets/{dataset}/"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_show_a_logo_on_an_image_host_and_no_other(client, publishers, page):
    allowed = client.get(page.format(slug="mc", dataset="musees")).content.decode()
    other = client.get(page.format(slug="pisteur", dataset="cinemas")).content.decode()
    assert f'src="{ON_STATIC}"' in allowed
    assert ELSEWHERE not in other and ELSEWHERE not in allowed
    if "{" in page:  # a page of the other publisher: no image at all, not a broken one
        assert "<img" not in other.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_hosts_come_from_the_setting(client, publishers, settings):
    settings.IMAGE_HOSTS = ["tracker.example"]
    html = client.get("/organisations/").content.decode()
    assert f'src="{ELSEWHERE}"' in html
    assert ON_STATIC not in html
