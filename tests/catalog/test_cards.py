"""Dataset cards and the French of the catalogue pages, on a catalogue loaded through the real sync."""

import re

import pytest

from tests import payloads
from tests.payloads import dataset, organization

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
