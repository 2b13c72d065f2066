"""The producers page: a grid, one type label each, a type filter with counts and a search by name, without JS."""

import html as html_lib
import re

import pytest

from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization

pytestmark = pytest.mark.django_db

MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture",
                  badges=("public-service", "certified"))  # fmt: skip
BNF = organization("5b7e1a2f3c4d5e6f7a8b9c01", "Bibliothèque nationale de France", slug="bnf")
RENNES = organization("6c8f2b3a4d5e6f7a8b9c0d1e", "Ville de Rennes", slug="rennes", badges=("local-authority",))
LYON = organization("6c8f2b3a4d5e6f7a8b9c0d1f", "Ville de Lyon", slug="ville-de-lyon", badges=("local-authority",))
ACME = organization("7d9f2b3a4d5e6f7a8b9c0d1e", "Acme Culture", slug="acme", badges=("company",))
FESTIVALS = organization("8e9f2b3a4d5e6f7a8b9c0d1e", "Festivals de Bretagne", slug="festivals", badges=("association",))
ORGS = [MC, BNF, RENNES, LYON, ACME, FESTIVALS]


@pytest.fixture
def catalogue(tmp_path, sample_licenses):
    datasets = [dataset(f"{index:024x}", f"Jeu {index}", org=org, tags=("musee",)) for index, org in enumerate(ORGS)]
    datasets.append(dataset("f" * 24, "Autre jeu", org=RENNES, tags=("livre",)))
    payloads.load(tmp_path, datasets, ORGS, sample_licenses)


def text_of(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def names(response) -> list[str]:
    return re.findall(r'<h3 class="fr-tile__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def kind_links(response) -> dict[str, str]:
    nav = re.search(r'<nav class="cp-kinds.*?</nav>', response.content.decode(), re.S).group(0)
    found = re.findall(r'<a class="fr-tag[^"]*" href="([^"]*)"[^>]*>(.*?)</a>', nav, re.S)
    labels = [" ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", label)).split()) for _, label in found]
    return {label.replace(" )", ")"): href for label, (href, _) in zip(labels, found, strict=True)}


def test_producers_are_a_grid_of_tiles_with_one_type_label_each(client, catalogue):
    response = client.get("/organisations/")
    html = response.content.decode()
    assert 'class="fr-grid-row fr-grid-row--gutters cp-org-grid"' in html
    assert html.count('class="fr-col-12 fr-col-sm-6 fr-col-lg-4"') == 6
    assert names(response)[0] == "Ville de Rennes"  # most datasets first
    body = text_of(response)
    assert "Acme Culture 1 jeu de données Entreprise" in body
    assert "Entreprise · Entreprise" not in body and "Entreprise Entreprise" not in body
    assert "Ministère de la Culture 1 jeu de données Service public certifié" in body
    assert "Ville de Rennes 2 jeux de données Collectivité territoriale" in body


def test_type_filter_offers_each_type_with_its_count(client, catalogue):
    links = kind_links(client.get("/organisations/"))
    assert links == {
        "Tous les types": "/organisations/",
        "Service public (2 producteurs)": "?type=public-service",
        "Collectivité territoriale (2 producteurs)": "?type=local-authority",
        "Association (1 producteur)": "?type=association",
        "Entreprise (1 producteur)": "?type=company",
    }


def test_type_filter_keeps_one_type(client, catalogue):
    response = client.get("/organisations/", {"type": "local-authority"})
    assert sorted(names(response)) == ["Ville de Lyon", "Ville de Rennes"]
    assert "2 producteurs" in text_of(response)
    html = response.content.decode()
    selected = re.findall(r'<a class="fr-tag cp-tag--selected" href="[^"]*" aria-current="true">\s*([^<&]+)', html)
    assert [label.strip() for label in selected] == ["Collectivité territoriale"]
    links = kind_links(response)
    assert links["Collectivité territoriale (2 producteurs)"] == "/organisations/"  # chosen: the link removes it
    assert links["Association (1 producteur)"] == "?type=association"
    # Without JavaScript, a new search keeps the type.
    assert '<input type="hidden" name="type" value="local-authority">' in html


def test_search_by_name_and_type_combine_and_counts_follow_the_search(client, catalogue):
    response = client.get("/organisations/", {"q": "ville", "type": "local-authority"})
    assert sorted(names(response)) == ["Ville de Lyon", "Ville de Rennes"]
    response = client.get("/organisations/", {"q": "culture"})
    assert sorted(names(response)) == ["Acme Culture", "Ministère de la Culture"]
    links = kind_links(response)
    assert set(links) == {"Tous les types", "Service public (1 producteur)", "Entreprise (1 producteur)"}
    assert links["Entreprise (1 producteur)"] == "?q=culture&amp;type=company"
    response = client.get("/organisations/", {"q": "culture", "type": "association"})
    assert names(response) == []
    assert "Aucun producteur" in text_of(response)
    assert kind_links(response)["Association (0 producteur)"] == "?q=culture"


@pytest.mark.parametrize("junk", ["nonsense", "", "user", "<script>"])
def test_an_unknown_type_is_ignored_and_the_search_kept(client, catalogue, junk):
    response = client.get("/organisations/", {"q": "ville", "type": junk})
    assert sorted(names(response)) == ["Ville de Lyon", "Ville de Rennes"]
    assert 'name="type"' not in response.content.decode()


def test_htmx_swap_updates_the_hidden_type_of_the_search_form(client, catalogue):
    response = client.get("/organisations/", {"type": "company"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert '<div id="organization-filters" hx-swap-oob="true">' in html
    assert '<input type="hidden" name="type" value="company">' in html
    assert "1 producteur trouvé" in html


def cache_entries() -> int:
    from django.core.cache import caches

    return len(caches["default"]._cache)  # LocMemCache, the test settings' cache


def test_junk_parameters_add_no_cache_entry_and_reach_no_link(client, catalogue):
    client.get("/organisations/")
    client.get("/organisations/?type=association")
    assert cache_entries() == 2
    for url in ["/organisations/?type=nonsense", "/organisations/?type=", "/organisations/?junk=1&type=user",
                "/organisations/?type=association&utm_source=x", "/organisations/?page=1&type=association&evil=1",
                "/organisations/?type=%3Cscript%3E"]:  # fmt: skip
        html = client.get(url).content.decode()
        assert "utm_source" not in html and "evil" not in html and "junk" not in html
    assert cache_entries() == 2
    client.get("/organisations/?type=company")
    assert cache_entries() == 3
