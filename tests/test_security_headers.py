"""Headers of every response: browser features the site never uses are off."""

import pytest
from django.test import Client
from django.urls import path

from culture_portal import urls as site_urls
from culture_portal.middleware import PERMISSIONS_POLICY

pytestmark = pytest.mark.django_db

UNUSED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort", "browsing-topics")


def boom(request):
    raise RuntimeError("secret detail")


urlpatterns = [path("boom/", boom), *site_urls.urlpatterns]
handler500 = "pages.views.server_error"


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
