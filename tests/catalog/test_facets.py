"""The list page's filters follow the results: options by count for the current search, the chosen one always
in sight, every producer within reach (without JavaScript), keywords as links, update periods and spatial
granularity. Catalogues are loaded through the real sync."""

import html as html_lib
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import CatalogSummary
from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization, resource

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")
ARCHIVES = organization("5a83f81fc751df6f8573eb8b", "Archives nationales", slug="archives-nationales")


def facet_block(html: str, name: str) -> str:
    """The markup of one facet, from its heading to the next facet."""
    start = html.index(f'id="facet-{name}"')
    end = html.find('<div class="cp-facet">', start)
    return html[start : end if end != -1 else html.index("</section>", start)]


def options(block: str) -> list[tuple[str, int]]:
    """(label, count) of each option of a facet block, in order."""
    found = re.findall(r'class="cp-facet__option[^"]*"[^>]*>(.*?)<span class="cp-facet__count">([^<]*)', block,
                       flags=re.S)  # fmt: skip
    return [(" ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", label)).split()), int(re.sub(r"\D", "", count)))
            for label, count in found]  # fmt: skip


def facet_form(html: str, name: str) -> tuple[list[tuple[str, str]], list[tuple[str, bool]]]:
    """The no-JavaScript form of a facet taking several values: the parameters it carries (hidden), and its
    checkboxes as (value, checked)."""
    block = facet_block(html, name)
    form = re.search(r'<form class="cp-facet__form" method="get" action="/datasets/#facet-[a-z_]+"(.*?)</form>', block,
                     flags=re.S).group(1)  # fmt: skip
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    boxes = re.findall(rf'<input type="checkbox" id="[^"]+" name="{name}" value="([^"]+)"( checked)?>', form)
    return ([(key, html_lib.unescape(value)) for key, value in hidden],
            [(html_lib.unescape(value), bool(checked)) for value, checked in boxes])  # fmt: skip


def text(markup: str) -> str:
    """The words of some markup, non-breaking spaces kept."""
    return re.sub(r"[ \t\n]+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def visible_and_folded(html: str, name: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """A facet's options shown at once, and those « Voir plus » folds."""
    block = facet_block(html, name)
    shown, _, folded = block.partition('<details class="cp-facet__more">')
    return options(shown), options(folded)


@pytest.fixture
def museums(tmp_path, sample_licenses):
    """A search for « musées » finds 12 museum datasets and 2 archives datasets; CSV is their commonest format,
    whose name comes late in the alphabet."""
    datasets = [
        dataset(f"{index:024x}", f"Musées de la région {index}", tags=("musee",), org=MC,
                resources=[resource(f"m{index}-1", fmt="csv"),
                           resource(f"m{index}-2", fmt="xlsx" if index < 4 else "pdf")])
        for index in range(1, 13)
    ] + [
        dataset(f"{index:024x}", f"Archives des musées {index}", tags=("archives",), org=ARCHIVES,
                resources=[resource(f"a{index}", fmt="ods")])
        for index in range(13, 15)
    ]  # fmt: skip
    payloads.load(tmp_path, datasets, [MC, ARCHIVES], sample_licenses)


def test_after_a_search_the_options_come_by_number_of_results(client, museums):
    html = client.get("/datasets/", {"q": "musées"}).content.decode()
    shown, folded = visible_and_folded(html, "category")
    # Once Archives came first and Musées folded under « Voir plus », as the ninth of a fixed order.
    assert shown == [("Musées", 12), ("Archives", 2)]
    assert ("Musées", 12) not in folded
    assert all(count == 0 for _, count in folded)  # categories without results wait under « Voir plus »
    shown, _ = visible_and_folded(html, "format")
    assert shown == [("CSV", 12), ("PDF", 9), ("XLSX", 3), ("ODS", 2)]
    shown, _ = visible_and_folded(html, "organization")
    assert shown == [("Ministère de la Culture", 12), ("Archives nationales", 2)]


def test_the_selected_option_is_always_in_sight_whatever_its_count(client, tmp_path, sample_licenses):
    # Nine producers: the one with a single dataset would be the ninth, under « Voir plus ».
    producers = [organization(f"{index:024x}", f"Producteur {index:02d}", slug=f"producteur-{index:02d}")
                 for index in range(1, 10)]  # fmt: skip
    datasets = [
        dataset(f"{index:03d}{copy:021x}", f"Jeu {index}-{copy}", tags=("livre",), org=producer)
        for index, producer in enumerate(producers, start=1)
        for copy in range(11 - index if index < 9 else 1)
    ]
    payloads.load(tmp_path, datasets, producers, sample_licenses)
    html = client.get("/datasets/").content.decode()
    assert ("Producteur 09", 1) in visible_and_folded(html, "organization")[1]  # folded while not chosen

    html = client.get("/datasets/", {"organization": "producteur-09", "category": "livre"}).content.decode()
    shown, folded = visible_and_folded(html, "organization")
    assert shown[0] == ("Producteur 09", 1)
    assert "Producteur 09" not in [label for label, _ in folded]
    assert ("producteur-09", True) in facet_form(html, "organization")[1][:1]  # ticked, first


def test_a_producer_of_the_results_can_be_found_by_name_without_javascript(client, tmp_path, sample_licenses):
    producers = [organization(f"{index:024x}", f"Commune numéro {index:02d}", slug=f"commune-{index:02d}")
                 for index in range(1, 36)]  # fmt: skip
    producers.append(organization("f" * 24, "Musée des Beaux-Arts d’Étampes", slug="mba-etampes"))
    datasets = [dataset(f"{index:024x}", f"Équipements {index}", tags=("musee",), org=producer, views=index)
                for index, producer in enumerate(producers, start=1)]  # fmt: skip
    # The 35 communes have two datasets each, the museum one.
    datasets += [dataset(f"{index:024x}", f"Lieux {index}", tags=("musee",), org=producers[index - 100])
                 for index in range(100, 135)]  # fmt: skip
    payloads.load(tmp_path, datasets, producers, sample_licenses)

    html = client.get("/datasets/", {"category": "musee"}).content.decode()
    shown, folded = visible_and_folded(html, "organization")
    assert len(shown) + len(folded) == 30  # the producers with most results…
    assert "Musée des Beaux-Arts d’Étampes" not in [label for label, _ in shown + folded]
    assert "30 producteurs sur 36 ci-dessus" in text(facet_block(html, "organization"))  # …and how to reach the others
    form = re.search(r'<form class="cp-facet__search" method="get" action="([^"]+)"(.*?)</form>', html, flags=re.S)
    assert form.group(1) == "/datasets/#facet-organization"  # a plain GET form: no JavaScript needed
    assert '<input type="hidden" name="category" value="musee">' in form.group(2)  # the search is kept
    assert 'name="organization_q"' in form.group(2)
    assert re.search(r'<label class="fr-label" for="facet-organization-q">', form.group(2))

    html = client.get("/datasets/", {"category": "musee", "organization_q": "beaux arts ETAMPES"}).content.decode()
    assert visible_and_folded(html, "organization") == ([("Musée des Beaux-Arts d’Étampes", 1)], [])
    # Ticking it and « Appliquer » sends the search and the producer; the search box is not carried.
    assert facet_form(html, "organization") == ([("category", "musee")], [("mba-etampes", False)])
    assert 'value="beaux arts ETAMPES"' in html  # the box says what was searched
    chosen = client.get("/datasets/?category=musee&organization=mba-etampes").content.decode()
    assert re.findall(r'class="fr-card__title">\s*<a href="/datasets/([^/]+)/"', chosen) == [f"{36:024x}"]

    # A chosen producer stays offered, with its count, whatever the search.
    html = client.get("/datasets/", {"category": "musee", "organization": "commune-07", "organization_q": "étampes"})
    assert visible_and_folded(html.content.decode(), "organization")[0] == [
        ("Commune numéro 07", 2), ("Musée des Beaux-Arts d’Étampes", 1)]  # fmt: skip

    html = client.get("/datasets/", {"category": "musee", "organization_q": "zzz"}).content.decode()
    expected = f"Aucun producteur de ces résultats ne correspond à «{NBSP}zzz{NBSP}»"
    assert expected in text(facet_block(html, "organization"))


def test_the_producer_search_is_a_declared_parameter_left_out_of_the_links(client, museums):
    from django.test import RequestFactory

    from catalog import forms

    request = RequestFactory().get("/datasets/", {"organization_q": "  Culture   ministère ", "junk": "1"})
    assert forms.dataset_list_params(request) == {"organization_q": "Culture ministère"}
    first = client.get("/datasets/?organization_q=culture")
    assert first["ETag"] == client.get("/datasets/?organization_q=%20culture%20&junk=2")["ETag"]
    assert first["ETag"] != client.get("/datasets/")["ETag"]
    html = first.content.decode()
    links = re.findall(r'(?:href|hx-get)="([^"]*)"', html)
    assert links and not [link for link in links if "organization_q" in link]


def test_keywords_on_cards_and_dataset_pages_link_to_the_search_by_keyword(client, tmp_path, sample_licenses):
    datasets = [
        dataset("a" * 24, "Musées de France", slug="musees", tags=("musee", "patrimoine", "collections"), org=MC),
        dataset("b" * 24, "Monuments historiques", slug="monuments", tags=("architecture", "patrimoine"), org=MC),
        dataset("c" * 24, "Salles de cinéma", slug="cinemas", tags=("cinema",), org=MC),
    ]
    payloads.load(tmp_path, datasets, [MC], sample_licenses)
    listing = client.get("/datasets/").content.decode()
    card = listing[listing.index('href="/datasets/musees/"') :]
    card = card[: card.index("</ul>", card.index("cp-keywords"))]
    assert '<a class="fr-tag fr-tag--sm" href="/datasets/?tag=patrimoine">patrimoine</a>' in card
    assert '<a class="fr-tag fr-tag--sm" href="/datasets/?tag=collections">collections</a>' in card
    page = client.get("/datasets/musees/").content.decode()
    assert '<a class="fr-tag fr-tag--sm" href="/datasets/?tag=patrimoine">patrimoine</a>' in page

    response = client.get("/datasets/?tag=patrimoine")
    html = response.content.decode()
    assert re.findall(r'class="fr-card__title">\s*<a href="/datasets/([^/]+)/"', html) == ["musees", "monuments"]
    assert f"Mot-clé{NBSP}: patrimoine" in html_lib.unescape(html)  # a chip, removable like the others
    assert '<input type="hidden" name="tag" value="patrimoine">' in html  # a new search keeps it
    assert visible_and_folded(html, "tag") == ([("patrimoine", 2)], [])
    assert visible_and_folded(html, "category")[0] == [("Architecture", 1), ("Musées", 1)]
    # One address per keyword: the case and spaces of a typed address change nothing.
    assert client.get("/datasets/?tag=%20PATRIMOINE%20")["ETag"] == response["ETag"]
    assert "Aucun jeu de données" in client.get("/datasets/?tag=inconnu").content.decode()


def test_a_keyword_the_page_could_not_read_back_is_shown_without_a_link(client, tmp_path, sample_licenses):
    odd = "x" * 250  # longer than the search box takes
    payloads.load(tmp_path, [dataset("a" * 24, "Jeu", slug="jeu", tags=("patrimoine", odd), org=MC)], [MC],
                  sample_licenses)  # fmt: skip
    page = client.get("/datasets/jeu/").content.decode()
    assert 'href="/datasets/?tag=patrimoine"' in page
    assert "tag=xxx" not in page and f'<p class="fr-tag fr-tag--sm">{odd[:59]}' in page


def days_ago(days: int) -> str:
    return (timezone.now() - timedelta(days=days)).isoformat()


@pytest.fixture
def dated(tmp_path, sample_licenses):
    """Datasets last updated 10 days, 100 days, 2 years and 5 years before the sync, with their granularity."""
    spatial = {"geom": None, "zones": ["country:fr"]}
    datasets = [
        dataset("a" * 24, "Dix jours", slug="dix-jours", tags=("musee",), org=MC, last_update=days_ago(10),
                spatial=spatial | {"granularity": "fr:commune"}),
        dataset("b" * 24, "Cent jours", slug="cent-jours", tags=("musee",), org=MC, last_update=days_ago(100),
                spatial=spatial | {"granularity": "fr:commune"}),
        dataset("c" * 24, "Deux ans", slug="deux-ans", tags=("livre",), org=MC, last_update=days_ago(730),
                spatial=spatial | {"granularity": "country"}),
        dataset("d" * 24, "Cinq ans", slug="cinq-ans", tags=("livre",), org=MC, last_update=days_ago(5 * 365),
                spatial=spatial | {"granularity": "fr:iris-2030"}),
        dataset("e" * 24, "Sans granularité", slug="sans", tags=("livre",), org=MC, last_update=days_ago(400)),
    ]  # fmt: skip
    payloads.load(tmp_path, datasets, [MC], sample_licenses)


def slugs(response) -> set[str]:
    return set(re.findall(r'class="fr-card__title">\s*<a href="/datasets/([^/]+)/"', response.content.decode()))


def test_update_periods_count_back_from_the_catalogue_date(client, dated):
    html = client.get("/datasets/").content.decode()
    assert visible_and_folded(html, "last_update_range") == (
        [("Moins de 30 jours", 1), ("Moins de 12 mois", 2), ("Moins de 3 ans", 4)], [])  # fmt: skip
    # The catalogue's date as the page reads it, in Paris (after 23:00 UTC in winter, already the next day).
    synced = timezone.localtime(CatalogSummary.objects.get(section="explorer").computed_at)
    assert f"À la date du catalogue, le {synced.day}" in html_lib.unescape(facet_block(html, "last_update_range"))
    assert slugs(client.get("/datasets/?last_update_range=last_30_days")) == {"dix-jours"}
    assert slugs(client.get("/datasets/?last_update_range=last_12_months")) == {"dix-jours", "cent-jours"}
    assert slugs(client.get("/datasets/?last_update_range=last_3_years")) == {"dix-jours", "cent-jours",
                                                                              "deux-ans", "sans"}  # fmt: skip
    html = client.get("/datasets/?last_update_range=last_12_months&category=livre").content.decode()
    assert "Aucun jeu de données" in html
    # The chosen period stays offered, with its count (0), and the others keep theirs among the books.
    assert visible_and_folded(html, "last_update_range")[0] == [("Moins de 12 mois", 0), ("Moins de 3 ans", 2)]
    assert f"Dernière mise à jour{NBSP}: Moins de 12{NBSP}mois" in html_lib.unescape(html)
    assert slugs(client.get("/datasets/?last_update_range=tomorrow")) == slugs(client.get("/datasets/"))


def test_the_periods_follow_the_catalogue_date_not_the_clock(client, dated):
    # A catalogue written two months ago: what was 10 days old then is still « Moins de 30 jours » for it.
    CatalogSummary.objects.update(computed_at=timezone.now() + timedelta(days=60))
    html = client.get("/datasets/", {"category": "musee"}).content.decode()  # counted on the spot
    assert visible_and_folded(html, "last_update_range")[0] == [("Moins de 12 mois", 2), ("Moins de 3 ans", 2)]
    assert slugs(client.get("/datasets/?last_update_range=last_30_days")) == set()


def test_spatial_granularity_is_a_facet(client, dated):
    html = client.get("/datasets/").content.decode()
    # Known codes in French; a code we have no name for keeps the API's own (here none: the code itself).
    assert visible_and_folded(html, "granularity") == ([("Commune", 2), ("fr:iris-2030", 1), ("Pays", 1)], [])
    assert slugs(client.get("/datasets/?granularity=fr:commune")) == {"dix-jours", "cent-jours"}
    html = client.get("/datasets/?granularity=fr:commune&category=livre").content.decode()
    assert visible_and_folded(html, "granularity")[0] == [("Commune", 0), ("fr:iris-2030", 1), ("Pays", 1)]
    assert f"Granularité géographique{NBSP}: Commune" in html_lib.unescape(html)


@pytest.mark.parametrize(
    "equivalent",
    ["/datasets/?tag=&last_update_range=&granularity=&organization_q=",
     "/datasets/?granularity=%3Cscript%3E", "/datasets/?last_update_range=last_100_years",
     "/datasets/?organization_q=%20%20&tag=%20"],
)  # fmt: skip
def test_empty_or_invalid_new_parameters_change_nothing(client, dated, equivalent):
    clean = client.get("/datasets/")
    response = client.get(equivalent)
    assert response.status_code == 200 and response["ETag"] == clean["ETag"]
