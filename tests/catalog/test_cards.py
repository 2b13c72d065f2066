"""Dataset cards and the French of the catalogue pages, on a catalogue loaded through the real sync."""

import html as html_lib
import re

import pytest

from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")
LONG = (
    "Les **musées** labellisés *Musée de France* par le ministère de la Culture, avec leur adresse, leurs "
    "collections, leurs horaires d’ouverture, leurs tarifs et la fréquentation annuelle de chaque établissement "
    "depuis l’année deux mille huit, région par région et département par département, mise à jour chaque année."
)


@pytest.fixture
def catalogue(tmp_path, sample_licenses):
    datasets = [
        dataset("a" * 24, "Liste des musées de France", slug="musees-de-france", tags=("musee",), org=MC,
                description_short=LONG, last_update="2026-03-01T10:00:00+00:00"),
        dataset("b" * 24, "Bibliothèques", slug="bibliotheques", tags=("livre",), org=MC,
                last_update="2026-02-02T10:00:00+00:00"),
    ]  # fmt: skip
    payloads.load(tmp_path, datasets, [MC], sample_licenses)


def card_text(html: str, slug: str) -> str:
    start = html.index(f'href="/datasets/{slug}/"')
    end = html.find('class="fr-card fr-enlarge-link', start)
    chunk = html[start : end if end != -1 else len(html)]
    return " ".join(re.sub(r"<[^>]+>", " ", chunk).split())


@pytest.mark.parametrize("url", ["/", "/datasets/", "/organisations/ministere-de-la-culture/"])
def test_cards_show_a_plain_text_excerpt_cut_at_a_word(client, catalogue, url):
    html = client.get(url).content.decode()
    text = card_text(html, "musees-de-france")
    assert "**" not in text and "*Musée" not in text
    assert "Les musées labellisés Musée de France par le ministère" in text
    teaser = re.search(r'<p class="fr-card__desc">([^<]*)</p>', html[html.index("musees-de-france") :]).group(1)
    assert teaser.endswith("\u2026") and len(teaser) <= 220
    last_word = teaser[:-1].split()[-1]
    assert last_word in LONG.replace("**", "").replace("*", "").split()  # a whole word, never half of one


@pytest.mark.parametrize("url", ["/", "/datasets/", "/organisations/ministere-de-la-culture/"])
def test_cards_say_1er_for_the_first_of_the_month(client, catalogue, url):
    html = client.get(url).content.decode()
    assert "Mis à jour le 1er mars 2026" in card_text(html, "musees-de-france")
    assert "Mis à jour le 2 février 2026" in card_text(html, "bibliotheques")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return html_lib.unescape(html)


# Attribute values people hear or see too: titles, labels, placeholders, descriptions.
SPOKEN_ATTRIBUTES = re.compile(r'(?:aria-label|title|placeholder|alt|content)="([^"]*)"')
PLAIN_SPACE = re.compile(r"\S ([:;?!»])(?=\s|$)|« ")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/datasets/",
        "/datasets/?q=mus%C3%A9es&category=musee&archived=1",
        "/datasets/?q=zzzz&category=cinema",
        "/organisations/",
        "/organisations/ministere-de-la-culture/",
        "/a-propos/",
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/nulle-part/",
    ],
)
def test_ui_strings_have_non_breaking_spaces_before_double_punctuation_and_in_guillemets(client, catalogue, url):
    html = client.get(url).content.decode()
    texts = [visible_text(html), *map(html_lib.unescape, SPOKEN_ATTRIBUTES.findall(html))]
    found = [match.group(0) for text in texts for match in PLAIN_SPACE.finditer(text)]
    assert found == [], url


def test_counts_say_aucun_and_agree(client, catalogue):
    body = " ".join(visible_text(client.get("/").content.decode()).split())
    assert "Aucun jeu de données" in body  # a category without datasets
    assert "0 jeux" not in body and "1 jeux" not in body
    body = " ".join(visible_text(client.get("/datasets/", {"q": "zzzz"}).content.decode()).split())
    assert "Aucun jeu de données pour" in body


def test_active_filter_chips_do_not_assume_a_mouse(client, catalogue):
    html = client.get("/datasets/", {"q": "musées", "category": "musee"}).content.decode()
    assert "cliquer" not in html.lower()
    assert f'aria-label="Retirer le filtre Catégorie{NBSP}: Musées"' in html_lib.unescape(html)
    assert f'aria-label="Retirer la recherche{NBSP}: musées"' in html_lib.unescape(html)


def test_removing_the_search_chip_keeps_the_sort_and_the_filters(client, catalogue):
    response = client.get("/datasets/", {"q": "musées", "category": "musee", "sort": "titre"})
    html = html_lib.unescape(response.content.decode())
    assert f'href="?category=musee&sort=titre" aria-label="Retirer la recherche{NBSP}: musées"' in html
    assert f'href="?q=mus%C3%A9es&sort=titre" aria-label="Retirer le filtre Catégorie{NBSP}: Musées"' in html
