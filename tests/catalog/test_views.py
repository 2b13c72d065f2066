"""Catalogue pages, on a catalogue loaded through the real sync."""

import re

import pytest
from django.utils import timezone

from catalog.models import Dataset, SyncRun
from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization, resource

pytestmark = pytest.mark.django_db

MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture",
                  badges=("public-service", "certified"), description="Le ministère publie ses données.")  # fmt: skip
CNC = organization("5b7e1a2f3c4d5e6f7a8b9c0d", "Centre national du cinéma et de l’image animée", slug="cnc")
RENNES = organization(
    "6c8f2b3a4d5e6f7a8b9c0d1e", "Ville de Rennes", slug="ville-de-rennes", badges=("local-authority",)
)


@pytest.fixture
def catalogue(tmp_path, sample_licenses):
    datasets = [
        dataset("a" * 24, "Liste des musées de France", slug="musees-de-france", tags=("musee", "patrimoine"), org=MC,
                views=900, description="Les **musées** labellisés.", last_update="2026-06-30T00:00:00+00:00",
                resources=[resource("r-a1", title="Liste CSV", fmt="csv", filesize=612455),
                           resource("r-a2", title="Notice", fmt="pdf", type="documentation"),
                           resource("r-a3", title="API Muséofile", fmt=None, type="api", filesize=None)]),
        dataset("b" * 24, "Fréquentation des cinémas", slug="frequentation-cinemas", tags=("cinema",), org=CNC,
                license="odc-odbl", views=500, last_update="2026-01-15T00:00:00+00:00",
                resources=[resource("r-b1", fmt="xlsx")]),
        dataset("c" * 24, "Bibliothèques de Rennes", slug="bibliotheques-rennes", tags=("livre",), org=RENNES,
                views=50, last_update="2025-03-01T00:00:00+00:00"),
        dataset("d" * 24, "Immeubles protégés 2019", slug="immeubles-2019", tags=("architecture",), org=MC,
                archived="2025-03-04T10:12:45+00:00"),
        dataset("e" * 24, "Festivals de musique en Bretagne", slug="festivals-bretagne", tags=("musique",),
                org=None, license=None, resources=[], description=""),
    ]  # fmt: skip
    payloads.load(tmp_path, datasets, [MC, CNC, RENNES], sample_licenses)
    return datasets


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def titles(response) -> list[str]:
    return re.findall(r'<h3 class="fr-card__title">\s*<a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_home_shows_categories_counts_latest_and_figures(client, catalogue):
    response = client.get("/")
    assert response.status_code == 200
    body = text_of(response)
    assert "Les données publiques de la culture" in body
    assert "4 jeux de données" in body  # archived one left out of the figures
    assert "3 producteurs" in body
    assert "Musées 1 jeu de données" in body
    assert "Catalogue synchronisé avec data.gouv.fr le" in body
    assert titles(response)[0] == "Liste des musées de France"
    assert 'action="/datasets/"' in response.content.decode()


def test_dataset_list_shows_count_and_cards(client, catalogue):
    response = client.get("/datasets/")
    assert response.status_code == 200
    body = text_of(response)
    assert "4 jeux de données" in body
    assert "Immeubles protégés 2019" not in body  # archived: out of default results
    assert titles(response) == [
        "Liste des musées de France", "Fréquentation des cinémas", "Festivals de musique en Bretagne",
        "Bibliothèques de Rennes",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "query",
    ["musees", "MUSÉES", "musée", "Musées de France", "ministere culture", "patrimoine"],
)
def test_search_is_accent_and_case_insensitive(client, catalogue, query):
    response = client.get("/datasets/", {"q": query})
    assert titles(response) == ["Liste des musées de France"]


def test_search_over_organization_names(client, catalogue):
    assert titles(client.get("/datasets/", {"q": "rennes"})) == ["Bibliothèques de Rennes"]
    assert titles(client.get("/datasets/", {"q": "centre national cinema"})) == ["Fréquentation des cinémas"]


def test_filters_combine(client, catalogue):
    response = client.get("/datasets/", {"organization_type": "public-service", "format": "csv"})
    assert titles(response) == ["Liste des musées de France"]
    response = client.get("/datasets/", {"category": "cinema", "license": "odc-odbl"})
    assert titles(response) == ["Fréquentation des cinémas"]
    response = client.get("/datasets/", {"category": "cinema", "organization": "ministere-de-la-culture"})
    assert titles(response) == []
    assert "Aucun jeu de données ne correspond à votre recherche" in text_of(response)


def test_no_result_page_offers_the_search_without_filters_and_its_count(client, catalogue):
    response = client.get("/datasets/", {"q": "cinéma", "category": "musee"})
    body = text_of(response)
    assert "Aucun jeu de données ne correspond à votre recherche" in body
    assert "chercher «&nbsp;cinéma&nbsp;» sans filtre (1 résultat)" in body
    assert 'href="/datasets/?q=cin%C3%A9ma"' in response.content.decode()


def test_query_whose_words_are_never_together_shows_datasets_with_some_of_them(client, catalogue):
    response = client.get("/datasets/", {"q": "fréquentation cinéma 2023"})
    assert titles(response) == ["Fréquentation des cinémas"]
    assert "Aucun jeu de données ne contient tous les mots de votre recherche" in text_of(response)
    response = client.get("/datasets/", {"q": "fréquentation cinéma"})
    assert "ne contient tous les mots" not in text_of(response)


def test_facets_show_counts_for_the_current_results(client, catalogue):
    from tests.catalog.test_facets import facet_block, facet_form, options

    body = client.get("/datasets/", {"organization": "ministere-de-la-culture"}).content.decode()
    # Category counts follow the organization filter; zero-count options are not checkboxes. The category's
    # form carries the rest of the search.
    assert facet_form(body, "category") == ([("organization", "ministere-de-la-culture")], [("musee", False)])
    assert ("Musées", 1) in options(facet_block(body, "category"))
    assert re.search(r'<span class="cp-facet__option cp-facet__option--empty">\s*Cinéma et audiovisuel', body)
    # The organization facet itself still offers the others, with their own counts; ticking one adds it to the
    # chosen producers (either of them).
    hidden, boxes = facet_form(body, "organization")
    assert hidden == [] and ("ministere-de-la-culture", True) in boxes and ("cnc", False) in boxes
    assert ("Centre national du cinéma et de l’image animée", 1) in options(facet_block(body, "organization"))


def test_active_filters_are_shown_and_removable_one_by_one(client, catalogue):
    body = client.get("/datasets/", {"q": "musees", "category": "musee", "format": "csv"}).content.decode()
    assert "Catégorie&nbsp;: Musées" in body
    assert "Format de fichier&nbsp;: CSV" in body
    chip = r'href="(\?[^"]+)"[^>]*aria-label="Retirer le filtre Catégorie&nbsp;: Musées"'
    remove_category = re.search(chip, body).group(1)
    assert "category" not in remove_category
    assert "q=musees" in remove_category and "format=csv" in remove_category


@pytest.mark.parametrize(
    ("sort", "expected_first"),
    [("titre", "Bibliothèques de Rennes"), ("populaire", "Liste des musées de France"),
     ("recent", "Liste des musées de France")],
)  # fmt: skip
def test_sorts(client, catalogue, sort, expected_first):
    assert titles(client.get("/datasets/", {"sort": sort}))[0] == expected_first


def test_archived_datasets_can_be_included(client, catalogue):
    body = text_of(client.get("/datasets/", {"archived": "1"}))
    assert "Immeubles protégés 2019" in body
    assert "Archivé" in body


def test_pagination(client, tmp_path, sample_licenses):
    many = [dataset(f"{i:024x}", f"Jeu numéro {i:02d}", tags=("archives",), org=MC) for i in range(1, 46)]
    payloads.load(tmp_path, many, [MC], sample_licenses)
    first = client.get("/datasets/", {"sort": "titre"})
    assert len(titles(first)) == 20
    assert "Page suivante" in first.content.decode()
    third = client.get("/datasets/", {"sort": "titre", "page": "3"})
    assert titles(third) == [f"Jeu numéro {i:02d}" for i in range(41, 46)]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "999999"},
        {"page": "-1"},
        {"sort": "nope"},
        {"category": "inconnue"},
        {"organization": "<script>"},
        {"format": "x" * 500},
        {"q": "x" * 5000},
        {"q": "\x00\x1f"},
        {"q": '"( OR * -'},
        {"archived": "peut-être"},
    ],
)
def test_strange_query_strings_give_a_normal_page(client, catalogue, params):
    response = client.get("/datasets/", params)
    assert response.status_code == 200
    assert "jeu" in text_of(response)


def test_htmx_request_gets_only_the_results_fragment(client, catalogue):
    response = client.get("/datasets/", {"q": "musees"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="results"' in html
    assert 'id="results-status" hx-swap-oob="innerHTML">1 jeu de données trouvé' in html
    assert "Liste des musées de France" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]
    full = client.get("/datasets/", {"q": "musees"})
    assert "<html" in full.content.decode()


def test_htmx_history_restore_gets_the_full_page(client, catalogue):
    response = client.get("/datasets/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_search_form_works_without_javascript(client, catalogue):
    html = client.get("/datasets/").content.decode()
    assert re.search(r'<form id="search-form"[^>]*method="get" action="/datasets/"', html)
    assert '<label class="fr-label" for="search-q">' in html


def test_dataset_page_shows_everything_a_reuser_needs(client, catalogue):
    response = client.get("/datasets/musees-de-france/")
    assert response.status_code == 200
    html = response.content.decode()
    body = text_of(response)
    assert "<h1" in html and "Liste des musées de France" in body
    assert "Publié par Ministère de la Culture" in body
    assert 'href="/organisations/ministere-de-la-culture/"' in html
    assert "<strong>musées</strong>" in html
    assert "Licence Ouverte v2.0 (Etalab)" in body
    assert "Annuelle" in body
    assert "Fichiers principaux (1)" in body and "Documentation (1)" in body and "API (1)" in body
    assert "612,5\u00a0ko" in html  # 612455 bytes: French units (powers of 1,000), comma, non-breaking space
    assert 'href="https://www.data.gouv.fr/api/1/datasets/r/r-a1"' in html
    assert 'href="https://www.data.gouv.fr/datasets/musees-de-france"' in html
    assert 'href="https://www.data.gouv.fr/datasets/musees-de-france/discussions"' in html
    assert "Poser une question / commenter sur data.gouv.fr (1 discussion)" in body
    assert "Musées" in body and "patrimoine" in body


def test_dataset_without_organization_licence_files_or_description(client, catalogue):
    body = text_of(client.get("/datasets/festivals-bretagne/"))
    assert "Publié par Camille Martin (particulier)" in body
    assert "Licence non spécifiée" in body
    assert "ne contient aucun fichier" in body
    assert "pas fourni de description" in body


def test_archived_dataset_page_has_a_banner(client, catalogue):
    body = text_of(client.get("/datasets/immeubles-2019/"))
    assert "Ce jeu de données est archivé" in body


def test_withdrawn_dataset_page_says_it_left_and_links_to_datagouv(client, catalogue):
    Dataset.objects.filter(slug="bibliotheques-rennes").update(withdrawn_at=timezone.now())
    response = client.get("/datasets/bibliotheques-rennes/")
    assert response.status_code == 200
    body = text_of(response)
    assert "ne fait plus partie du catalogue culture" in body
    assert 'href="https://www.data.gouv.fr/datasets/bibliotheques-rennes"' in response.content.decode()
    assert "Bibliothèques de Rennes" not in text_of(client.get("/datasets/"))
    assert "Bibliothèques de Rennes" not in text_of(client.get("/datasets/", {"q": "rennes"}))


def test_dataset_by_datagouv_id_redirects_to_its_slug(client, catalogue):
    response = client.get(f"/datasets/{'a' * 24}/")
    assert response.status_code == 301
    assert response["Location"] == "/datasets/musees-de-france/"


def test_unknown_dataset_is_a_404_in_the_site_look(client, catalogue):
    response = client.get("/datasets/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in text_of(response)
    assert "fr-header" in response.content.decode()


def test_organization_list_with_counts(client, catalogue):
    response = client.get("/organisations/")
    body = text_of(response)
    assert response.status_code == 200
    assert "3 producteurs" in body
    assert "Ministère de la Culture 1 jeu de données" in body  # its archived dataset is not counted
    assert "Ville de Rennes" in body


def test_organization_search(client, catalogue):
    body = text_of(client.get("/organisations/", {"q": "rennes"}))
    assert "1 producteur" in body and "Ville de Rennes" in body
    assert "Ministère de la Culture 1 jeu de données" not in body


def test_organization_search_ignores_accents_and_case(client, catalogue):
    body = text_of(client.get("/organisations/", {"q": "MINISTERE culture"}))
    assert "Ministère de la Culture" in body
    assert "Ville de Rennes" not in body


def test_organization_page_lists_its_culture_datasets(client, catalogue):
    response = client.get("/organisations/ministere-de-la-culture/")
    body = text_of(response)
    assert response.status_code == 200
    assert "Service public certifié" in body
    assert "Le ministère publie ses données." in body
    assert titles(response) == ["Liste des musées de France"]
    assert 'href="https://www.data.gouv.fr/organizations/ministere-de-la-culture"' in response.content.decode()


def test_unknown_organization_is_a_404(client, catalogue):
    assert client.get("/organisations/inconnue/").status_code == 404


def test_failed_sync_banner_on_every_page(client, catalogue):
    SyncRun.objects.create(started_at=timezone.now(), finished_at=timezone.now(), status=SyncRun.Status.FAILED,
                           error="GET https://www.data.gouv.fr/api/1/datasets/ failed: HTTP 503")  # fmt: skip
    for url in ("/", "/datasets/", "/datasets/musees-de-france/", "/organisations/", "/a-propos/"):
        body = text_of(client.get(url))
        assert "Le catalogue n’a pas pu être synchronisé avec data.gouv.fr" in body, url
        assert "les informations affichées datent du" in body, url


def test_sample_banner(client, tmp_path):
    payloads.load(tmp_path, [dataset("f" * 24, "Jeu inventé", org=MC)], [MC], sample=True)
    body = text_of(client.get("/datasets/"))
    assert "Données d’exemple" in body
    assert "Catalogue synchronisé" not in text_of(client.get("/"))


def test_empty_catalogue_says_so(client):
    body = text_of(client.get("/"))
    assert "pas encore été synchronisé" in body
    assert "Aucun jeu de données n’est disponible" in body
    assert client.get("/datasets/").status_code == 200


def test_head_requests_are_answered(client, catalogue):
    assert client.head("/datasets/").status_code == 200
    assert client.post("/datasets/").status_code == 405


def test_dataset_page_cost_does_not_grow_with_its_files(client, tmp_path, django_assert_max_num_queries):
    files = [resource(f"r-{i}", title=f"Fichier {i}", fmt="csv") for i in range(60)]
    payloads.load(tmp_path, [dataset("f" * 24, "Beaucoup de fichiers", slug="beaucoup", org=MC, resources=files)], [MC])
    with django_assert_max_num_queries(12):
        response = client.get("/datasets/beaucoup/", {"page": "3"})
    body = text_of(response)
    assert "Fichiers principaux (60)" in body
    assert body.count("Aperçu et détails") == 20  # one page of files
    assert 'href="https://www.data.gouv.fr/datasets/beaucoup?resource_id=r-59"' in response.content.decode()


LISTS = ["/datasets/", "/datasets/?q=musee", "/datasets/?q=musee&sort=titre", "/datasets/?sort=populaire"]


@pytest.mark.parametrize("url", LISTS)
def test_list_cost_does_not_grow_with_its_publishers(client, tmp_path, django_assert_max_num_queries, url):
    # Each dataset of another producer: reading a card's publisher must not cost a query per card.
    producers = [organization(f"{i:024x}", f"Musée numéro {i}", slug=f"musee-{i}") for i in range(25)]
    datasets = [dataset(f"{i:024x}", f"Collections du musée {i}", slug=f"collections-{i}", tags=("musee",),
                        org=producers[i]) for i in range(25)]  # fmt: skip
    payloads.load(tmp_path, datasets, producers)
    with django_assert_max_num_queries(20):  # the facet table read included; a query per card would be 25 more
        response = client.get(url)
    assert response.status_code == 200
    assert "Musée numéro 24" in response.content.decode()
