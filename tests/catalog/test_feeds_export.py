"""Follow and take away: Atom feeds, and the search results as CSV."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest

from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization, resource

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")
CNC = organization("5b7e1a2f3c4d5e6f7a8b9c0d", "CNC", slug="cnc")


@pytest.fixture
def catalogue(tmp_path, sample_licenses):
    datasets = [
        dataset("a" * 24, "Musées de France", slug="musees", tags=("musee", "architecture"), org=MC, views=10,
                last_update="2026-05-01T00:00:00+00:00",
                resources=[resource("r-a1"), resource("r-a2", fmt="pdf", type="documentation")]),
        dataset("b" * 24, "=HYPERLINK(\"http://evil\") Entrées cinéma", slug="cinema", tags=("cinema",), org=CNC,
                last_update="2026-06-01T00:00:00+00:00", license="odc-odbl"),
        dataset("c" * 24, "Musées de Rennes", slug="musees-rennes", tags=("musee",), org=CNC,
                last_update="2026-04-01T00:00:00+00:00"),
    ]  # fmt: skip
    payloads.load(tmp_path, datasets, [MC, CNC], sample_licenses)


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.getvalue())
    return feed, [(entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}link").get("href"))
                  for entry in feed.findall(f"{ATOM}entry")]  # fmt: skip


def test_atom_feed_of_all_datasets_newest_update_first(client, catalogue):
    feed, items = entries(client, "/feeds/datasets.atom")
    assert feed.find(f"{ATOM}title").text.startswith("Jeux de données de la culture")
    assert [title for title, _ in items] == ['=HYPERLINK("http://evil") Entrées cinéma', "Musées de France",
                                             "Musées de Rennes"]  # fmt: skip
    assert items[1][1] == "http://testserver/datasets/musees/"
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}updated").text.startswith("2026-06-01")
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "CNC"


def test_category_and_organization_feeds(client, catalogue):
    _, items = entries(client, "/feeds/categories/musee.atom")
    assert [title for title, _ in items] == ["Musées de France", "Musées de Rennes"]
    _, items = entries(client, "/feeds/organisations/cnc.atom")
    assert len(items) == 2 and "Musées de France" not in [title for title, _ in items]
    assert client.get("/feeds/categories/inconnue.atom").status_code == 404
    assert client.get("/feeds/organisations/inconnu.atom").status_code == 404


def test_pages_point_to_their_feed(client, catalogue):
    category = client.get("/datasets/?category=musee").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in category
    assert re.search(r'href="/feeds/categories/musee.atom">Suivre les nouveautés de cette catégorie', category)
    assert 'href="/feeds/datasets.atom"' in client.get("/datasets/").content.decode()
    organization = client.get("/organisations/cnc/").content.decode()
    assert re.search(r'href="/feeds/organisations/cnc.atom">Suivre ses nouveautés', organization)


def test_the_dcat_catalogue_is_announced_and_explained(client, catalogue):
    home = client.get("/").content.decode()
    about = client.get("/a-propos/").content.decode()
    for kind, url in (("application/ld+json", "/catalogue.jsonld"), ("text/turtle", "/catalogue.ttl")):
        assert f'<link rel="alternate" type="{kind}" title="Catalogue DCAT-AP' in home and f'href="{url}"' in home
        assert f'<a href="{url}" type="{kind}">' in about
        response = client.get(url)
        assert response.status_code == 200
        response.getvalue()  # read to the end, which closes the file it is served from


FILES = "https://www.data.gouv.fr/api/1/datasets/r/"


def test_search_results_as_csv(client, catalogue):
    page = client.get("/datasets/", {"q": "musées"}).content.decode()
    assert 'href="/datasets.csv?q=mus%C3%A9es"' in page
    response = client.get("/datasets.csv", {"q": "musées"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["titre", "producteur", "page_data_gouv_fr", "licence", "derniere_mise_a_jour", "formats",
                       "categories", "identifiant_data_gouv_fr", "fichiers"]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["Musées de France", "Musées de Rennes"]  # same order as the page
    assert rows[1][1:] == ["Ministère de la Culture", "https://www.data.gouv.fr/datasets/musees",
                           "Licence Ouverte v2.0 (Etalab)", "2026-05-01", "csv pdf", "Architecture, Musées", "a" * 24,
                           f"{FILES}r-a1 {FILES}r-a2"]  # fmt: skip
    assert rows[2][6:] == ["Musées", "c" * 24, f"{FILES}{'c' * 24}-r1"]


def test_csv_cells_never_become_formulas(client, catalogue):
    response = client.get("/datasets.csv", {"category": "cinema"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][0] == '\'=HYPERLINK("http://evil") Entrées cinéma'


def atom_problems(feed: ET.Element) -> list[str]:
    """What RFC 4287 requires of a feed and of its entries (section 4.1)."""
    from datetime import datetime

    found = []

    def check(element, name, children):
        for child in children:
            if len(element.findall(f"{ATOM}{child}")) != 1:
                found.append(f"{name} needs exactly one {child}")
        for stamp in element.findall(f"{ATOM}updated"):
            try:
                datetime.fromisoformat(stamp.text)
            except (TypeError, ValueError):
                found.append(f"{name} updated is not RFC 3339: {stamp.text!r}")

    check(feed, "feed", ("id", "title", "updated"))
    if not feed.findall(f"{ATOM}link[@rel='self']"):
        found.append("feed has no self link")
    feed_author = feed.find(f"{ATOM}author") is not None
    for number, entry in enumerate(feed.findall(f"{ATOM}entry")):
        check(entry, f"entry {number}", ("id", "title", "updated"))
        if not feed_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            found.append(f"entry {number} has no author")
        alternate = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        if entry.find(f"{ATOM}content") is None and not alternate:
            found.append(f"entry {number} has neither content nor an alternate link")
    return found


def test_feeds_are_valid_atom_even_with_hostile_text(client, tmp_path, sample_licenses):
    hostile = organization("6f" * 12, "Orga \x0b<b>\ud800", slug="orga")
    datasets = [
        dataset("d" * 24, "Titre\x0b\x1f <script>x</script> \ud800 & fin", slug="hostile", tags=("musee",),
                org=hostile, description="Texte\x00 \x1b[31m <iframe>", last_update="2026-06-01T00:00:00+00:00"),
        dataset("e" * 24, "Sans producteur", slug="seul", tags=("musee",), last_update="not a date"),
    ]  # fmt: skip
    payloads.load(tmp_path, datasets, [hostile], sample_licenses)
    for url in ("/feeds/datasets.atom", "/feeds/categories/musee.atom", "/feeds/organisations/orga.atom"):
        response = client.get(url)
        assert response.status_code == 200, url
        feed = ET.fromstring(response.getvalue())  # well-formed XML 1.0, or this raises
        assert atom_problems(feed) == [], url
        titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
        assert any(title.startswith("Titre") and "<script>x</script>" in title for title in titles), url
        if "orga" not in url:
            assert titles[-1] == "Sans producteur", url  # undated: last, on PostgreSQL as on SQLite
