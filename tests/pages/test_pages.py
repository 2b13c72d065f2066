import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

from catalog import links
from culture_portal import urls as site_urls
from tests.catalog.test_views import text_of

pytestmark = pytest.mark.django_db


def test_about_answers_the_faq(client, settings):
    settings.FEEDBACK_URL = "https://tally.so/r/wQ7y47"
    response = client.get("/a-propos/")
    assert response.status_code == 200
    body = text_of(response)
    html = response.content.decode()
    for question in (
        "Qu’est-ce que culture.data.gouv.fr ?",
        "À qui s’adresse-t-elle ?",
        "Qu’est-ce que l’open data ?",
        "Encore un portail de plus ?",
        "Qui est derrière ce site ?",
        "Une question, une remarque ?",
    ):
        assert question in body
    assert "transport.data.gouv.fr" in body
    assert "Direction interministérielle du numérique" in body and "ministère de la Culture" in body
    assert "C’est le producteur du jeu de données" in body
    assert 'href="https://tally.so/r/wQ7y47"' in html
    assert 'href="https://support.data.gouv.fr"' in html


def test_feedback_url_comes_from_settings(client, settings):
    settings.FEEDBACK_URL = "https://example.org/avis"
    assert 'href="https://example.org/avis"' in client.get("/a-propos/").content.decode()


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accessibilite/", "Déclaration d’accessibilité"),
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles et cookies"),
    ],
)
def test_editorial_pages(client, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    assert heading in text_of(response)


def test_footer_has_the_usual_links(client):
    html = client.get("/").content.decode()
    for href in ("https://data.gouv.fr", "https://www.culture.gouv.fr", "/accessibilite/", "/mentions-legales/",
                 "/donnees-personnelles/", "https://github.com/etalab/licence-ouverte/blob/master/LO.md"):  # fmt: skip
        assert f'href="{href}"' in html, href


def test_menu_search_and_breadcrumb_stay_usable_without_javascript(client):
    html = client.get("/datasets/").content.decode()
    assert '<noscript><link rel="stylesheet" href="/static/css/nojs.css"></noscript>' in html
    assert 'action="/datasets/"' in html  # header search is a plain GET form


def test_every_page_is_french_with_one_h1(client):
    for url in ("/", "/datasets/", "/organisations/", "/a-propos/", "/accessibilite/", "/nope/"):
        html = client.get(url).content.decode()
        assert '<html lang="fr"' in html, url
        assert html.count("<h1") == 1, url


def boom(request):
    raise RuntimeError("secret detail")


urlpatterns = [path("boom/", boom), *site_urls.urlpatterns]
handler500 = "pages.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_in_the_site_look_without_details():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur inattendue" in html
    assert "fr-header" in html
    assert "secret detail" not in html
    # Rendered without the context processors: the footer still leads to the site's pages.
    for name in ("home", "about", "accessibility", "legal", "privacy"):
        assert f'href="{reverse(links.SITE_PAGES[name])}"' in html, name


def test_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_accessibility_statement_gives_the_level_and_how_it_is_tested(client):
    import re
    from pathlib import Path

    import axe_playwright_python

    page = text_of(client.get("/accessibilite/"))
    assert "RGAA" in page and "non conforme" in page  # no audit yet: the RGAA's word for it
    assert "clavier seul" in page and "sans JavaScript" in page and "375 pixels" in page
    shipped = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()[:500]
    major_minor = re.search(r"axe v(\d+\.\d+)", shipped).group(1)
    assert f"axe-core (version {major_minor})" in page  # the version the browser tests really run
