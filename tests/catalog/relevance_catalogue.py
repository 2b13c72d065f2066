"""A fixed catalogue of culture datasets for the search relevance tests (tests/catalog/test_relevance.py).

About 150 datasets from 26 organizations, written as data.gouv.fr API payloads. Titles, tags and
descriptions are realistic but invented; they were chosen so that ranking matters: most queries of
the relevance tests also match distractors, datasets that carry the query words only in their
description, only in their organization's name, in a similar word, or that are much more viewed.

Some tests rely on words being absent from the whole catalogue ("2023", "horaire", "affluence",
"title", "not", "and", "or", "near", "xylophone", "zzyzx"; checked by
``test_words_the_fallback_cases_rely_on_are_absent``). Keep them out when adding datasets, and check
that the relevance tests still pass. The acronym tests rely on « FRAC » in a title and « CNC » as a
publisher's acronym, one letter away from the absent acronyms « DRAC » and « CNV ».
"""

from __future__ import annotations

import hashlib
from typing import Any

from tests.payloads import dataset, organization, resource


def _hex_id(kind: str, key: str) -> str:
    """A stable 24-hex id, like the data.gouv.fr ones, derived from a readable key."""
    return hashlib.sha1(f"{kind}:{key}".encode()).hexdigest()[:24]


def _organization(slug: str, name: str, *, acronym: str | None = None,
                  badges: tuple[str, ...] = ("public-service",)) -> dict[str, Any]:  # fmt: skip
    payload = organization(_hex_id("organization", slug), name, slug=slug, badges=badges)
    payload["acronym"] = acronym
    return payload


LOCAL = ("local-authority",)

MC = _organization("ministere-de-la-culture", "Ministère de la Culture", badges=("public-service", "certified"))
CNC = _organization("cnc", "Centre national du cinéma et de l’image animée", acronym="CNC")
BNF = _organization("bibliotheque-nationale-de-france", "Bibliothèque nationale de France", acronym="BnF")
RENNES = _organization("ville-de-rennes", "Ville de Rennes", badges=LOCAL)
ARCHIVES_NATIONALES = _organization("archives-nationales", "Archives nationales")
BRETAGNE = _organization("region-bretagne", "Région Bretagne", badges=LOCAL)
PARIS_MUSEES = _organization("paris-musees", "Paris Musées")
CNM = _organization("centre-national-de-la-musique", "Centre national de la musique", acronym="CNM")
OPERA = _organization("opera-national-de-paris", "Opéra national de Paris")
CMN = _organization("centre-des-monuments-nationaux", "Centre des monuments nationaux", acronym="CMN")
POMPIDOU = _organization("centre-pompidou", "Centre Pompidou")
LOUVRE = _organization("musee-du-louvre", "Musée du Louvre")
PARIS = _organization("ville-de-paris", "Ville de Paris", badges=LOCAL)
LYON = _organization("ville-de-lyon", "Ville de Lyon", badges=LOCAL)
ILE_DE_FRANCE = _organization("region-ile-de-france", "Région Île-de-France", badges=LOCAL)
GIRONDE = _organization("departement-de-la-gironde", "Département de la Gironde", badges=LOCAL)
CNL = _organization("centre-national-du-livre", "Centre national du livre", acronym="CNL")
INA = _organization("ina", "Institut national de l’audiovisuel", acronym="INA")
DGLFLF = _organization("dglflf", "Délégation générale à la langue française et aux langues de France",
                       acronym="DGLFLF")  # fmt: skip
RMN = _organization("rmn-grand-palais", "Réunion des musées nationaux - Grand Palais", acronym="RMN-GP")
NANTES = _organization("ville-de-nantes", "Ville de Nantes", badges=LOCAL)
NORMANDIE = _organization("region-normandie", "Région Normandie", badges=LOCAL)
COMEDIE_FRANCAISE = _organization("comedie-francaise", "Comédie-Française")
PHILHARMONIE = _organization("philharmonie-de-paris", "Philharmonie de Paris")
DGMIC = _organization("dgmic", "Direction générale des médias et des industries culturelles", acronym="DGMIC")
STRASBOURG = _organization("ville-de-strasbourg", "Ville et Eurométropole de Strasbourg", badges=LOCAL)

ORGANIZATIONS = [MC, CNC, BNF, RENNES, ARCHIVES_NATIONALES, BRETAGNE, PARIS_MUSEES, CNM, OPERA, CMN, POMPIDOU,
                 LOUVRE, PARIS, LYON, ILE_DE_FRANCE, GIRONDE, CNL, INA, DGLFLF, RMN, NANTES, NORMANDIE,
                 COMEDIE_FRANCAISE, PHILHARMONIE, DGMIC, STRASBOURG]  # fmt: skip


def _dataset(slug: str, title: str, org: dict[str, Any] | None, tags: tuple[str, ...], views: int,
             description: str, *, followers: int = 0, updated: str = "2025-06-01",
             formats: tuple[str, ...] = ("csv",)) -> dict[str, Any]:  # fmt: skip
    dataset_id = _hex_id("dataset", slug)
    files = [resource(f"{dataset_id}-{index}", title=f"{title} ({fmt.upper()})", fmt=fmt)
             for index, fmt in enumerate(formats, start=1)]  # fmt: skip
    metrics = {"views": views, "followers": followers, "reuses": 0, "discussions": 0, "resources_downloads": 0}
    return dataset(dataset_id, title, slug=slug, org=org, tags=tags, views=views, description=description,
                   last_update=f"{updated}T08:00:00+00:00", resources=files, metrics=metrics)  # fmt: skip


MUSEES_DE_FRANCE_DESCRIPTION = """\
Liste des musées bénéficiant de l’appellation « Musée de France », issue de la base Muséofile.

## Contenu

- nom officiel et adresse de chaque musée ;
- coordonnées géographiques ;
- thématiques des collections (beaux-arts, archéologie, sciences, ethnologie…).

Voir aussi [Muséofile](https://www.culture.gouv.fr) pour les notices détaillées.
"""

MERIMEE_DESCRIPTION = """\
Base Mérimée : immeubles classés ou inscrits au titre des monuments historiques.

Chaque notice donne la commune, l’adresse, le propriétaire, la date et la nature de la protection
(classement ou inscription) ainsi que l’époque de construction.

| Champ | Contenu |
|---|---|
| `ref` | référence de la notice |
| `dpt` | département |
| `prot` | type de protection |
"""

CHIFFRES_CLES_DESCRIPTION = """\
Statistiques de référence sur les secteurs culturels : patrimoine, livre, presse, cinéma, musique,
spectacle vivant, arts visuels.

Les tableaux rassemblent des sources publiques : CNC, BnF, Centre national de la musique, enquêtes
du département des études, de la prospective et des statistiques (DEPS).
"""

GALLICA_DESCRIPTION = """\
Bibliothèque numérique de la BnF et de ses partenaires.

**Types de documents** : livres, manuscrits, cartes, estampes, photographies, partitions, revues.

Les métadonnées sont exposées en Dublin Core ; les documents en mode image ou texte.
"""

ATLAS_DESCRIPTION = """\
Carte interactive des protections patrimoniales : sites patrimoniaux remarquables, abords des
monuments historiques, zones de présomption de prescription archéologique, sites classés.

## Usages

Instruction des demandes d’autorisation de travaux, information des propriétaires et des communes.
"""

PRATIQUES_CULTURELLES_DESCRIPTION = """\
Résultats de l’enquête nationale sur les pratiques culturelles des Français : lecture, fréquentation
des bibliothèques, des musées et des cinémas, écoute de musique, sorties au concert.

Les résultats sont ventilés par âge, sexe, diplôme et taille de commune.
"""

DATASETS = [
    # --- Ministère de la Culture ---------------------------------------------------------------------
    _dataset(
        "musees-de-france",
        "Liste des musées de France",
        MC,
        ("musee", "musees-de-france", "patrimoine"),
        45000,
        MUSEES_DE_FRANCE_DESCRIPTION,
        followers=120,
        updated="2025-11-02",
        formats=("csv", "json"),
    ),
    _dataset(
        "frequentation-des-musees-de-france",
        "Fréquentation des musées de France",
        MC,
        ("musee", "frequentation"),
        40000,
        "Nombre annuel d’entrées payantes et gratuites de chaque musée de France depuis 2001.",
        followers=95,
        updated="2025-09-15",
    ),
    _dataset(
        "donnees-activite-bibliotheques-publiques",
        "Données d’activité des bibliothèques publiques",
        MC,
        ("livre", "bibliotheques", "lecture-publique"),
        38000,
        "Collections, prêts, inscrits et surfaces des bibliothèques municipales et intercommunales, "
        "d’après le rapport annuel de l’Observatoire de la lecture publique.",
        followers=85,
        updated="2025-07-28",
    ),
    _dataset(
        "frequentation-des-musees-nationaux",
        "Fréquentation des musées nationaux",
        MC,
        ("musee", "frequentation"),
        8000,
        "Visiteurs des musées nationaux rattachés au ministère, par établissement et par mois.",
        updated="2025-10-01",
    ),
    _dataset(
        "immeubles-proteges-monuments-historiques",
        "Immeubles protégés au titre des monuments historiques",
        MC,
        ("architecture", "patrimoine", "monuments-historiques"),
        70000,
        MERIMEE_DESCRIPTION,
        followers=210,
        updated="2025-12-01",
        formats=("csv", "json", "geojson"),
    ),
    _dataset(
        "objets-mobiliers-proteges-monuments-historiques",
        "Objets mobiliers protégés au titre des monuments historiques",
        MC,
        ("patrimoine", "monuments-historiques"),
        12000,
        "Base Palissy : objets classés ou inscrits, du retable à la cloche, avec leur lieu de conservation.",
        updated="2025-12-01",
    ),
    _dataset(
        "atlas-des-patrimoines",
        "Atlas des patrimoines",
        MC,
        ("patrimoine", "architecture"),
        30000,
        ATLAS_DESCRIPTION,
        followers=60,
        updated="2025-08-20",
        formats=("geojson", "shp"),
    ),
    _dataset(
        "journees-europeennes-du-patrimoine",
        "Journées européennes du patrimoine : programme",
        MC,
        ("patrimoine", "monuments-historiques"),
        20000,
        "Lieux ouverts et animations des Journées européennes du patrimoine dans toutes les régions, de la "
        "Bretagne à la Corse, avec les visites exceptionnelles de bâtiments publics.",
        updated="2025-09-10",
    ),
    _dataset(
        "centres-art-contemporain",
        "Centres d’art contemporain",
        MC,
        ("arts-plastiques",),
        7000,
        "Centres d’art contemporain d’intérêt national labellisés par le ministère.",
        updated="2025-03-12",
    ),
    _dataset(
        "collections-des-frac-depots",
        "Collections des FRAC : œuvres en dépôt",
        MC,
        ("arts-plastiques",),
        2500,
        "Œuvres des fonds régionaux prêtées à des musées, des écoles ou des mairies, avec le lieu et la durée.",
        updated="2025-02-10",
    ),
    _dataset(
        "fonds-regionaux-art-contemporain",
        "Fonds régionaux d’art contemporain : acquisitions",
        MC,
        ("arts-plastiques",),
        3000,
        "Œuvres acquises chaque année par les FRAC, avec l’artiste, la technique et la date d’acquisition.",
        updated="2025-04-03",
    ),
    _dataset(
        "villes-et-pays-art-histoire",
        "Villes et Pays d’art et d’histoire",
        MC,
        ("patrimoine", "architecture"),
        4500,
        "Communes et territoires labellisés, avec leur convention et leur service d’animation.",
        updated="2024-11-18",
    ),
    _dataset(
        "scenes-nationales",
        "Scènes nationales",
        MC,
        ("spectacle-vivant", "frequentation"),
        9000,
        "Les scènes labellisées et leur nombre de spectateurs.",
        updated="2025-05-05",
    ),
    _dataset(
        "festivals-soutenus-ministere",
        "Festivals soutenus par le ministère de la Culture",
        MC,
        ("spectacle-vivant", "musique"),
        8500,
        "Manifestations de théâtre, de danse, de cirque et de musique aidées par les directions régionales "
        "des affaires culturelles, avec le montant de la subvention.",
        updated="2025-07-07",
    ),
    _dataset(
        "operations-archeologiques",
        "Opérations archéologiques : diagnostics et fouilles",
        MC,
        ("patrimoine", "archeologie"),
        6000,
        "Diagnostics et fouilles préventives prescrits par les services régionaux de l’archéologie.",
        updated="2025-02-14",
    ),
    _dataset(
        "chiffres-cles-de-la-culture",
        "Chiffres clés de la culture et de la communication",
        MC,
        ("industries-culturelles",),
        90000,
        CHIFFRES_CLES_DESCRIPTION,
        followers=300,
        updated="2025-06-30",
        formats=("xlsx", "pdf"),
    ),
    _dataset(
        "conservatoires-classes",
        "Conservatoires classés par l’État",
        MC,
        ("musique", "enseignement-artistique"),
        4000,
        "Conservatoires à rayonnement régional, départemental ou communal, dont ceux de Rennes, Nantes "
        "et Lyon, avec les disciplines enseignées.",
        updated="2025-01-20",
    ),
    _dataset(
        "maisons-des-illustres",
        "Maisons des Illustres",
        MC,
        ("patrimoine",),
        5000,
        "Demeures d’écrivains, d’artistes ou de savants labellisées, ouvertes au public.",
        updated="2024-10-02",
    ),
    _dataset(
        "architecture-contemporaine-remarquable",
        "Architecture contemporaine remarquable",
        MC,
        ("architecture", "patrimoine"),
        3500,
        "Édifices de moins de cent ans distingués par le label, avec leur architecte.",
        updated="2024-09-12",
    ),
    _dataset(
        "inventaire-orgues-normandie",
        "Inventaire des orgues de Normandie",
        MC,
        ("musique", "orgues"),
        1200,
        "Instruments recensés par commune : facteur, date de construction, nombre de jeux.",
        followers=2,
        updated="2025-03-01",
    ),
    _dataset(
        "inventaire-orgues-bretagne",
        "Inventaire des orgues de Bretagne",
        MC,
        ("musique", "orgues"),
        1200,
        "Instruments recensés par commune : facteur, date de construction, nombre de jeux.",
        followers=40,
        updated="2024-03-01",
    ),
    _dataset(
        "pratiques-culturelles-des-francais",
        "Enquête sur les pratiques culturelles des Français",
        MC,
        ("industries-culturelles", "livre", "musique"),
        25000,
        PRATIQUES_CULTURELLES_DESCRIPTION,
        updated="2024-07-01",
        formats=("csv", "pdf"),
    ),
    _dataset(
        "jardins-remarquables",
        "Jardins remarquables",
        MC,
        ("patrimoine",),
        6000,
        "Parcs et jardins labellisés, avec leurs jours d’ouverture et leurs conditions de visite.",
        updated="2025-04-22",
    ),
    _dataset(
        "photographies-base-memoire",
        "Photographies de la base Mémoire",
        MC,
        ("patrimoine", "architecture"),
        3000,
        "Clichés anciens conservés par la Médiathèque de l’architecture : auteur, date, lieu, sujet.",
        updated="2024-12-05",
    ),
    _dataset(
        "annuaire-services-archives",
        "Annuaire des services d’archives",
        MC,
        ("archives",),
        15000,
        "Coordonnées des services publics d’archives, nationaux, départementaux et municipaux.",
        updated="2025-10-10",
    ),
    _dataset(
        "monuments-aux-morts",
        "Monuments aux morts de la Grande Guerre",
        MC,
        ("patrimoine",),
        2000,
        "Recensement participatif des monuments commémoratifs ; certains sont inscrits au titre des monuments "
        "historiques.",
        updated="2024-11-11",
    ),
    _dataset(
        "sites-patrimoniaux-remarquables",
        "Sites patrimoniaux remarquables",
        MC,
        ("patrimoine", "architecture"),
        5000,
        "Périmètres des sites protégés et documents de gestion approuvés.",
        updated="2025-01-08",
        formats=("geojson",),
    ),
    _dataset(
        "depenses-culturelles-collectivites",
        "Dépenses culturelles des collectivités territoriales",
        MC,
        ("industries-culturelles",),
        3000,
        "Dépenses de fonctionnement et d’investissement par domaine culturel.",
        updated="2024-06-15",
    ),
    _dataset(
        "emploi-professions-culturelles",
        "Emploi dans les professions culturelles",
        MC,
        ("industries-culturelles",),
        4000,
        "Effectifs, statut et revenus des actifs des métiers de la culture.",
        updated="2024-05-20",
    ),
    _dataset(
        "ecoles-architecture-effectifs",
        "Écoles nationales supérieures d’architecture : effectifs",
        MC,
        ("architecture",),
        2000,
        "Étudiants inscrits par école, par cycle et par sexe.",
        updated="2025-02-01",
    ),
    _dataset(
        "cathedrales-etat",
        "Cathédrales appartenant à l’État",
        MC,
        ("patrimoine", "monuments-historiques"),
        2500,
        "Les 87 cathédrales dont l’État est propriétaire et leur affectataire.",
        updated="2024-04-16",
    ),
    _dataset(
        "tresors-nationaux",
        "Trésors nationaux et certificats d’exportation",
        MC,
        ("musee",),
        700,
        "Biens culturels refusés à l’exportation et certificats délivrés.",
        updated="2023-12-01",
    ),
    _dataset(
        "allocations-installation-atelier",
        "Allocations d’installation d’atelier",
        MC,
        ("arts-plastiques",),
        600,
        "Aides aux artistes plasticiens pour équiper un atelier, par région.",
        updated="2024-02-02",
    ),
    _dataset(
        "residences-artistes",
        "Résidences d’artistes",
        MC,
        ("arts-plastiques",),
        1100,
        "Lieux d’accueil en résidence de création, avec leur durée et leurs disciplines.",
        updated="2024-08-08",
    ),
    _dataset(
        "pass-culture-reservations",
        "Pass Culture : réservations par catégorie",
        MC,
        ("livre", "musique"),
        16000,
        "Réservations des jeunes par catégorie d’offre : livres, places de cinéma, concerts, instruments.",
        updated="2025-11-20",
    ),
    _dataset(
        "theatres-lyriques-interet-national",
        "Théâtres lyriques d’intérêt national",
        MC,
        ("musique",),
        800,
        "Maisons d’opéra labellisées en région, avec leur orchestre et leur chœur.",
        updated="2024-01-30",
    ),
    # --- Centre national du cinéma et de l’image animée ----------------------------------------------
    _dataset(
        "entrees-salles-cinema-departement",
        "Entrées en salles de cinéma par département",
        CNC,
        ("cinema", "frequentation"),
        15000,
        "Nombre d’entrées et recettes des salles, par département et par année depuis 1992, d’après la "
        "billetterie déclarée par les exploitants.",
        updated="2025-04-30",
    ),
    _dataset(
        "frequentation-cinematographique-mensuelle",
        "Fréquentation cinématographique mensuelle",
        CNC,
        ("cinema", "frequentation"),
        30000,
        "Estimation mensuelle des entrées en salles en France, avec la part des films français et américains.",
        updated="2025-12-05",
    ),
    _dataset(
        "box-office-hebdomadaire",
        "Box-office : entrées hebdomadaires par film",
        CNC,
        ("cinema", "frequentation"),
        25000,
        "Classement de la semaine, nombre de copies et cumul depuis la sortie de chaque film.",
        updated="2025-12-09",
    ),
    _dataset(
        "entrees-films-francais-etranger",
        "Entrées des films français à l’étranger",
        CNC,
        ("cinema", "industries-culturelles"),
        6000,
        "Spectateurs des films d’initiative française sortis hors de France, par pays et par film.",
        updated="2025-03-18",
    ),
    _dataset(
        "films-agrees-visas",
        "Films agréés : visas d’exploitation",
        CNC,
        ("cinema",),
        8000,
        "Visas délivrés aux longs métrages, avec le producteur délégué et la nationalité de l’œuvre.",
        updated="2025-09-09",
    ),
    _dataset(
        "aides-selectives-production",
        "Aides sélectives à la production cinématographique",
        CNC,
        ("cinema",),
        5000,
        "Avances sur recettes et aides à l’écriture attribuées aux projets de films, par commission.",
        updated="2025-06-12",
    ),
    _dataset(
        "cinemas-en-france",
        "Cinémas en France",
        CNC,
        ("cinema", "equipements"),
        52000,
        "Salles actives, écrans et fauteuils.",
        followers=150,
        updated="2025-10-20",
    ),
    _dataset(
        "credit-impot-jeu-video",
        "Crédit d’impôt jeu vidéo : projets agréés",
        CNC,
        ("industries-culturelles",),
        2500,
        "Projets de création de jeux agréés provisoirement ou définitivement, avec le studio.",
        updated="2025-05-27",
    ),
    _dataset(
        "festivals-de-cinema-aides",
        "Festivals de cinéma aidés",
        CNC,
        ("cinema",),
        3000,
        "Manifestations cinématographiques soutenues, avec leur ville et leur montant d’aide.",
        updated="2024-12-12",
    ),
    _dataset(
        "oeuvres-audiovisuelles-aidees",
        "Séries et œuvres audiovisuelles aidées",
        CNC,
        ("cinema", "audiovisuel"),
        2000,
        "Documentaires, fictions et animations soutenus par le fonds de soutien.",
        updated="2025-02-25",
    ),
    _dataset(
        "salles-art-et-essai",
        "Salles classées Art et Essai",
        CNC,
        ("cinema",),
        4000,
        "Établissements classés, avec leurs labels jeune public, patrimoine et recherche.",
        updated="2025-01-31",
    ),
    _dataset(
        "films-restaures",
        "Patrimoine cinématographique : films restaurés",
        CNC,
        ("cinema", "patrimoine"),
        1800,
        "Œuvres anciennes restaurées et numérisées avec une aide, avec le laboratoire.",
        updated="2024-10-28",
    ),
    _dataset(
        "parc-de-salles-commune",
        "Parc de salles : écrans et fauteuils par commune",
        CNC,
        ("cinema",),
        2000,
        "Nombre d’établissements, d’écrans et de fauteuils actifs dans chaque commune équipée, mis à jour "
        "chaque année à partir des déclarations des exploitants.",
        updated="2025-07-15",
    ),
    _dataset(
        "courts-metrages-aides",
        "Courts métrages aidés",
        CNC,
        ("cinema",),
        700,
        "Films courts soutenus avant ou après réalisation, avec la durée et le réalisateur.",
        updated="2024-09-30",
    ),
    _dataset(
        "films-diffuses-television",
        "Films diffusés à la télévision",
        CNC,
        ("cinema", "audiovisuel"),
        2600,
        "Diffusions de longs métrages par chaîne, avec l’audience et le créneau de diffusion.",
        updated="2025-08-01",
    ),
    _dataset(
        "video-a-la-demande-catalogues",
        "Vidéo à la demande : catalogues des services",
        CNC,
        ("cinema", "industries-culturelles"),
        1800,
        "Nombre de films et de séries proposés par chaque service de vidéo à la demande.",
        updated="2025-04-04",
    ),
    # --- Bibliothèque nationale de France ------------------------------------------------------------
    _dataset(
        "gallica-documents-numerises",
        "Gallica : documents numérisés",
        BNF,
        ("livre", "patrimoine"),
        22000,
        GALLICA_DESCRIPTION,
        updated="2025-10-15",
        formats=("xml",),
    ),
    _dataset(
        "depot-legal-statistiques",
        "Dépôt légal : statistiques annuelles",
        BNF,
        ("livre", "presse"),
        3000,
        "Livres, périodiques, documents sonores, vidéos et sites web reçus chaque année au titre du dépôt "
        "légal, par type d’éditeur et par support, avec l’évolution sur dix ans.",
        updated="2025-03-03",
    ),
    _dataset(
        "frequentation-salles-de-lecture",
        "Fréquentation des salles de lecture",
        BNF,
        ("livre", "frequentation"),
        2000,
        "Lecteurs accueillis par jour sur les sites Richelieu, François-Mitterrand et Arsenal, avec les "
        "réservations de places et les communications de documents.",
        updated="2025-06-06",
    ),
    _dataset(
        "partitions-musicales-numerisees",
        "Partitions musicales numérisées",
        BNF,
        ("musique", "livre"),
        1500,
        "Fonds numérisés du département de la Musique : compositeur, éditeur, date, cote.",
        updated="2024-11-22",
    ),
    _dataset(
        "periodiques-numerises-retronews",
        "Périodiques de presse numérisés",
        BNF,
        ("presse",),
        2500,
        "Quotidiens et journaux anciens numérisés, avec leurs dates de parution disponibles.",
        updated="2025-01-14",
    ),
    _dataset(
        "manuscrits-enlumines",
        "Manuscrits enluminés",
        BNF,
        ("livre", "patrimoine"),
        1800,
        "Manuscrits médiévaux décorés, avec leur cote et la description de leurs peintures.",
        updated="2024-07-19",
    ),
    _dataset(
        "catalogue-general-notices",
        "Catalogue général : notices bibliographiques",
        BNF,
        ("livre",),
        25000,
        "Notices bibliographiques et d’autorité, en RDF et en Unimarc.",
        followers=90,
        updated="2025-11-30",
        formats=("xml", "rdf"),
    ),
    # --- Ville de Rennes -----------------------------------------------------------------------------
    _dataset(
        "bibliotheques-de-rennes-prets-inscriptions",
        "Bibliothèques de Rennes : prêts et inscriptions",
        RENNES,
        ("livre", "lecture-publique"),
        900,
        "Prêts de documents et inscrits, par établissement du réseau municipal et par mois.",
        updated="2025-12-10",
    ),
    _dataset(
        "equipements-culturels-rennes",
        "Équipements culturels de Rennes",
        RENNES,
        ("equipements-culturels",),
        5000,
        "Localisation des bibliothèques, musées, salles de spectacle et lieux d’exposition de la ville.",
        updated="2025-09-01",
        formats=("csv", "geojson"),
    ),
    _dataset(
        "conservatoire-rennes-effectifs",
        "Conservatoire à rayonnement régional : effectifs des élèves",
        RENNES,
        ("musique", "enseignement-artistique"),
        300,
        "Élèves inscrits par discipline, par cycle et par année.",
        updated="2025-10-05",
    ),
    _dataset(
        "archives-de-rennes-registres",
        "Archives de Rennes : registres paroissiaux et d’état civil",
        RENNES,
        ("archives",),
        1100,
        "Registres numérisés des paroisses et de l’état civil, avec leurs cotes.",
        updated="2024-06-20",
    ),
    _dataset(
        "trans-musicales-programmation",
        "Trans Musicales : programmation des éditions",
        RENNES,
        ("musique",),
        2000,
        "Artistes programmés à chaque édition, avec la salle et la date du concert.",
        updated="2024-12-20",
    ),
    _dataset(
        "frequentation-musee-beaux-arts-rennes",
        "Fréquentation du musée des Beaux-Arts de Rennes",
        RENNES,
        ("musee", "frequentation"),
        700,
        "Visiteurs par mois, gratuits ou payants, et visites de groupes.",
        updated="2025-11-05",
    ),
    _dataset(
        "lieux-repetition-musicale",
        "Lieux de répétition musicale",
        RENNES,
        ("musique",),
        300,
        "Studios municipaux et associatifs ouverts aux groupes amateurs.",
        updated="2024-02-28",
    ),
    _dataset(
        "champs-libres-frequentation",
        "Champs Libres : fréquentation",
        RENNES,
        ("frequentation", "livre"),
        1500,
        "Visiteurs de l’équipement qui réunit une bibliothèque, le Musée de Bretagne et l’Espace des sciences.",
        updated="2025-07-21",
    ),
    # --- Archives nationales -------------------------------------------------------------------------
    _dataset(
        "instruments-de-recherche-archives-nationales",
        "Instruments de recherche des Archives nationales",
        ARCHIVES_NATIONALES,
        ("archives",),
        11000,
        "Inventaires et répertoires décrivant les fonds conservés à Paris et à Pierrefitte-sur-Seine.",
        updated="2025-10-25",
        formats=("xml",),
    ),
    _dataset(
        "minutier-central-notaires",
        "Minutier central des notaires de Paris",
        ARCHIVES_NATIONALES,
        ("archives",),
        3000,
        "Actes notariés parisiens du XVe au XXe siècle, décrits par étude.",
        updated="2024-05-05",
    ),
    _dataset(
        "base-leonore-legion-honneur",
        "Base Léonore : dossiers de la Légion d’honneur",
        ARCHIVES_NATIONALES,
        ("archives",),
        9000,
        "Dossiers des personnes nommées ou promues dans l’ordre depuis 1802.",
        updated="2025-02-11",
    ),
    _dataset(
        "salle-des-inventaires-consultation",
        "Salle des inventaires virtuelle : consultations",
        ARCHIVES_NATIONALES,
        ("archives", "frequentation"),
        1000,
        "Recherches et documents consultés en ligne par mois.",
        updated="2025-08-18",
    ),
    _dataset(
        "cartes-et-plans-archives-nationales",
        "Cartes et plans des Archives nationales",
        ARCHIVES_NATIONALES,
        ("archives", "architecture"),
        1500,
        "Plans d’édifices, cartes routières et atlas de l’Ancien Régime.",
        updated="2024-10-10",
    ),
    _dataset(
        "archives-presidents-republique",
        "Archives des présidents de la République",
        ARCHIVES_NATIONALES,
        ("archives",),
        2000,
        "Fonds des services de l’Élysée versés depuis 1958, avec leurs conditions d’accès.",
        updated="2024-03-27",
    ),
    # --- Région Bretagne -----------------------------------------------------------------------------
    _dataset(
        "frequentation-bibliotheques-bretagne",
        "Fréquentation des bibliothèques en Bretagne",
        BRETAGNE,
        ("livre", "frequentation"),
        2500,
        "Entrées et inscrits dans les établissements de lecture publique des quatre départements bretons, y "
        "compris dans les grandes villes comme Rennes, Brest et Quimper.",
        updated="2025-05-15",
    ),
    _dataset(
        "inventaire-patrimoine-bretagne",
        "Inventaire du patrimoine culturel",
        BRETAGNE,
        ("patrimoine", "architecture"),
        1500,
        "Dossiers des édifices et objets étudiés par le service régional de l’Inventaire.",
        updated="2025-04-11",
    ),
    _dataset(
        "aides-regionales-cinema-audiovisuel",
        "Aides régionales au cinéma et à l’audiovisuel",
        BRETAGNE,
        ("cinema",),
        900,
        "Projets de films et de documentaires soutenus par le fonds régional.",
        updated="2025-02-19",
    ),
    _dataset(
        "langue-bretonne-enseignement-bilingue",
        "Langue bretonne : offre d’enseignement bilingue",
        BRETAGNE,
        ("langue",),
        1300,
        "Écoles et collèges proposant une filière bilingue ; le breton est une langue "
        "régionale enseignée dans les trois réseaux.",
        updated="2025-09-25",
    ),
    _dataset(
        "festou-noz-calendrier",
        "Festoù-noz : calendrier",
        BRETAGNE,
        ("musique",),
        1700,
        "Bals traditionnels annoncés par les associations, avec la commune et les sonneurs.",
        updated="2025-11-11",
    ),
    _dataset(
        "cinemas-itinerants",
        "Circuits de cinémas itinérants",
        BRETAGNE,
        ("cinema",),
        600,
        "Communes desservies par les projections itinérantes et nombre de séances.",
        updated="2024-09-09",
    ),
    # --- Paris Musées --------------------------------------------------------------------------------
    _dataset(
        "oeuvres-collections-municipales-paris",
        "Œuvres des collections municipales de Paris",
        PARIS_MUSEES,
        ("musee", "arts-plastiques"),
        14000,
        "Peintures, sculptures, photographies, dessins et objets d’art conservés dans les quatorze musées de "
        "la Ville de Paris.",
        updated="2025-10-30",
        formats=("json",),
    ),
    _dataset(
        "expositions-temporaires-frequentation",
        "Expositions temporaires : fréquentation",
        PARIS_MUSEES,
        ("musee", "frequentation", "arts-plastiques"),
        3000,
        "Visiteurs de chaque exposition, avec ses dates et son commissariat.",
        updated="2025-08-25",
    ),
    _dataset(
        "frequentation-musees-ville-de-paris",
        "Fréquentation des musées de la Ville de Paris",
        PARIS_MUSEES,
        ("musee", "frequentation"),
        2500,
        "Entrées annuelles des quatorze musées municipaux : Petit Palais, musée Carnavalet, maisons de Victor "
        "Hugo et de Balzac.",
        updated="2025-09-30",
    ),
    _dataset(
        "affiches-cinema-musees-paris",
        "Affiches de cinéma dans les musées de la Ville de Paris",
        PARIS_MUSEES,
        ("cinema", "musee"),
        1500,
        "Affiches de films conservées, avec le film, l’illustrateur et l’année.",
        updated="2024-08-30",
    ),
    _dataset(
        "maison-victor-hugo-collections",
        "Maison de Victor Hugo : collections",
        PARIS_MUSEES,
        ("musee", "livre"),
        2000,
        "Dessins, manuscrits et souvenirs de l’écrivain, place des Vosges et à Guernesey.",
        updated="2024-04-04",
    ),
    # --- Centre national de la musique ---------------------------------------------------------------
    _dataset(
        "festivals-musiques-actuelles-normandie",
        "Festivals de musiques actuelles en Normandie",
        CNM,
        ("musique", "festivals"),
        400,
        "Dates, lieux, jauge et esthétiques des manifestations recensées.",
        updated="2025-10-01",
    ),
    _dataset(
        "festivals-musiques-actuelles-bretagne",
        "Festivals de musiques actuelles en Bretagne",
        CNM,
        ("musique", "festivals"),
        9000,
        "Dates, lieux, jauge et esthétiques des manifestations recensées.",
        updated="2024-10-01",
    ),
    _dataset(
        "scenes-de-musiques-actuelles",
        "Scènes de musiques actuelles (SMAC)",
        CNM,
        ("musique",),
        3000,
        "Salles labellisées, avec leur jauge, leurs studios et leur projet artistique.",
        updated="2025-03-21",
    ),
    _dataset(
        "billetterie-concerts",
        "Billetterie des concerts et spectacles de variétés",
        CNM,
        ("musique",),
        4000,
        "Billets vendus et recettes déclarées à la taxe sur les spectacles, par genre et par région.",
        updated="2025-06-18",
    ),
    _dataset(
        "ecoute-musique-streaming",
        "Écoute de musique en streaming : titres les plus écoutés",
        CNM,
        ("musique", "industries-culturelles"),
        12000,
        "Classement hebdomadaire des titres et des artistes sur les plateformes d’abonnement.",
        updated="2025-12-08",
    ),
    _dataset(
        "aides-cnm-editeurs-musique",
        "Aides aux éditeurs de musique",
        CNM,
        ("musique",),
        900,
        "Programmes soutenus, avec le montant et la catégorie d’aide.",
        updated="2024-11-29",
    ),
    _dataset(
        "disquaires-independants",
        "Disquaires indépendants",
        CNM,
        ("musique", "industries-culturelles"),
        800,
        "Boutiques de disques neufs et d’occasion, avec leur adresse.",
        updated="2025-04-19",
    ),
    # --- Opéra national de Paris ---------------------------------------------------------------------
    _dataset(
        "saisons-opera-national-de-paris",
        "Saisons de l’Opéra national de Paris : programmation",
        OPERA,
        ("spectacle-vivant", "musique", "opera"),
        4000,
        "Ouvrages lyriques et chorégraphiques de chaque saison, au palais Garnier et à Bastille.",
        updated="2025-09-03",
    ),
    _dataset(
        "frequentation-opera-de-paris",
        "Fréquentation de l’Opéra national de Paris",
        OPERA,
        ("musique", "frequentation"),
        2000,
        "Places vendues et taux de remplissage par représentation.",
        updated="2025-07-30",
    ),
    _dataset(
        "ballet-opera-danseurs-etoiles",
        "Ballet de l’Opéra : danseurs étoiles",
        OPERA,
        ("spectacle-vivant",),
        1500,
        "Danseuses et danseurs nommés étoiles depuis 1940, avec le rôle de leur nomination.",
        updated="2024-05-16",
    ),
    # --- Centre des monuments nationaux --------------------------------------------------------------
    _dataset(
        "frequentation-monuments-nationaux",
        "Fréquentation des monuments nationaux",
        CMN,
        ("patrimoine", "monuments-historiques", "frequentation"),
        10000,
        "Visiteurs des cent monuments ouverts au public : châteaux, abbayes, forteresses, sites archéologiques.",
        updated="2025-10-12",
    ),
    _dataset(
        "editions-du-patrimoine",
        "Éditions du patrimoine : catalogue",
        CMN,
        ("livre", "patrimoine"),
        800,
        "Ouvrages publiés par l’éditeur public des monuments, avec leur collection et leur prix.",
        updated="2024-12-02",
    ),
    # --- Centre Pompidou -----------------------------------------------------------------------------
    _dataset(
        "collections-centre-pompidou",
        "Collections du Centre Pompidou",
        POMPIDOU,
        ("arts-plastiques", "musee"),
        8000,
        "Œuvres du Musée national d’art moderne : peintures, photographies, vidéos, design.",
        updated="2025-09-19",
        formats=("json", "csv"),
    ),
    _dataset(
        "frequentation-centre-pompidou",
        "Fréquentation du Centre Pompidou",
        POMPIDOU,
        ("frequentation",),
        2500,
        "Visiteurs des collections, des expositions et des salles de spectacle.",
        updated="2024-12-31",
    ),
    _dataset(
        "bibliotheque-publique-information",
        "Bibliothèque publique d’information : fréquentation",
        POMPIDOU,
        ("livre", "frequentation"),
        4000,
        "Lecteurs accueillis par jour et temps d’attente à l’entrée.",
        updated="2025-06-25",
    ),
    # --- Musée du Louvre -----------------------------------------------------------------------------
    _dataset(
        "collections-du-louvre",
        "Collections du Louvre : œuvres et notices",
        LOUVRE,
        ("musee", "arts-plastiques"),
        20000,
        "Plus de 480 000 notices d’œuvres conservées au musée du Louvre et au musée Delacroix, avec "
        "leurs photographies.",
        followers=70,
        updated="2025-11-25",
        formats=("json",),
    ),
    _dataset(
        "frequentation-du-louvre",
        "Fréquentation du Louvre par jour",
        LOUVRE,
        ("musee", "frequentation"),
        6000,
        "Visiteurs accueillis chaque jour, par entrée et par type de billet.",
        updated="2025-10-18",
    ),
    # --- Ville de Paris ------------------------------------------------------------------------------
    _dataset(
        "prets-bibliotheques-ville-de-paris",
        "Prêts dans les bibliothèques de la Ville de Paris",
        PARIS,
        ("livre",),
        12000,
        "Documents empruntés par établissement et par type de support.",
        updated="2025-11-15",
    ),
    _dataset(
        "salles-de-theatre-paris",
        "Salles de théâtre à Paris",
        PARIS,
        ("spectacle-vivant", "theatre"),
        3000,
        "Théâtres publics et privés, avec leur jauge et leur adresse.",
        updated="2025-03-30",
    ),
    _dataset(
        "oeuvres-art-espace-public",
        "Œuvres d’art dans l’espace public parisien",
        PARIS,
        ("arts-plastiques",),
        2000,
        "Sculptures, fontaines et fresques installées dans les rues et les jardins.",
        updated="2024-07-07",
        formats=("csv", "geojson"),
    ),
    _dataset(
        "archives-de-paris-etat-civil",
        "Archives de Paris : état civil numérisé",
        PARIS,
        ("archives",),
        7000,
        "Actes de naissance, de mariage et de décès reconstitués ou numérisés.",
        updated="2025-05-09",
    ),
    _dataset(
        "conservatoires-municipaux-paris",
        "Conservatoires municipaux d’arrondissement",
        PARIS,
        ("musique", "enseignement-artistique"),
        1800,
        "Établissements, disciplines et nombre d’élèves.",
        updated="2025-01-25",
    ),
    # --- Ville de Lyon -------------------------------------------------------------------------------
    _dataset(
        "bibliotheque-municipale-lyon-numerique",
        "Bibliothèque municipale de Lyon : documents numérisés",
        LYON,
        ("livre",),
        3000,
        "Livres anciens, estampes et affiches numérisés, avec leur cote.",
        updated="2025-02-07",
    ),
    _dataset(
        "opera-de-lyon-frequentation",
        "Opéra de Lyon : fréquentation",
        LYON,
        ("musique",),
        600,
        "Places vendues et abonnés par saison.",
        updated="2024-09-17",
    ),
    _dataset(
        "fete-des-lumieres",
        "Fête des Lumières : installations",
        LYON,
        ("arts-plastiques",),
        4000,
        "Œuvres lumineuses présentées chaque décembre, avec l’artiste et le lieu.",
        updated="2024-12-15",
    ),
    _dataset(
        "biennale-de-la-danse",
        "Biennale de la danse : programmation",
        LYON,
        ("spectacle-vivant",),
        2200,
        "Compagnies invitées, chorégraphes et lieux de représentation.",
        updated="2024-09-20",
    ),
    _dataset(
        "institut-lumiere-films",
        "Institut Lumière : rétrospectives",
        LYON,
        ("cinema",),
        1500,
        "Films projetés lors des rétrospectives, avec le réalisateur et l’année.",
        updated="2025-01-03",
    ),
    # --- Région Île-de-France ------------------------------------------------------------------------
    _dataset(
        "tournages-ile-de-france",
        "Tournages de films en Île-de-France",
        ILE_DE_FRANCE,
        ("cinema",),
        3500,
        "Lieux de tournage autorisés de longs métrages, de séries et de films publicitaires.",
        updated="2025-08-12",
        formats=("csv", "geojson"),
    ),
    _dataset(
        "equipements-culturels-franciliens",
        "Équipements culturels franciliens",
        ILE_DE_FRANCE,
        ("equipements-culturels",),
        2500,
        "Localisation des cinémas, théâtres, bibliothèques et musées de la région.",
        updated="2025-04-17",
    ),
    _dataset(
        "fonds-soutien-musiques-actuelles-idf",
        "Fonds de soutien aux lieux de diffusion",
        ILE_DE_FRANCE,
        ("musique",),
        700,
        "Subventions régionales aux salles de concert, par département.",
        updated="2024-06-06",
    ),
    # --- Département de la Gironde -------------------------------------------------------------------
    _dataset(
        "chateaux-ouverts-visite-gironde",
        "Châteaux ouverts à la visite en Gironde",
        GIRONDE,
        ("patrimoine", "architecture"),
        1800,
        "Domaines et demeures historiques accessibles au public.",
        updated="2025-05-28",
        formats=("csv", "geojson"),
    ),
    _dataset(
        "archives-departementales-gironde",
        "Archives départementales de la Gironde : fonds numérisés",
        GIRONDE,
        ("archives",),
        2200,
        "Cadastres, registres matricules et presse locale numérisés.",
        updated="2025-03-08",
    ),
    _dataset(
        "festivals-en-gironde",
        "Festivals en Gironde",
        GIRONDE,
        ("musique",),
        700,
        "Manifestations soutenues par le département, avec leurs dates et leur commune.",
        updated="2025-03-29",
    ),
    _dataset(
        "mediatheque-departementale-gironde",
        "Médiathèque départementale : réseau de lecture",
        GIRONDE,
        ("livre",),
        900,
        "Points de lecture desservis et documents prêtés aux communes rurales.",
        updated="2024-11-14",
    ),
    # --- Centre national du livre --------------------------------------------------------------------
    _dataset(
        "bourses-ecriture-auteurs",
        "Bourses d’écriture attribuées aux auteurs",
        CNL,
        ("livre",),
        2500,
        "Bénéficiaires, genre littéraire et montant de chaque bourse.",
        updated="2025-07-02",
    ),
    _dataset(
        "librairies-independantes-reference",
        "Librairies indépendantes de référence",
        CNL,
        ("livre", "industries-culturelles"),
        3500,
        "Librairies labellisées LIR, avec leur adresse et leur surface de vente.",
        updated="2025-06-09",
        formats=("csv", "geojson"),
    ),
    _dataset(
        "prix-litteraires-soutenus",
        "Prix littéraires soutenus",
        CNL,
        ("livre",),
        1200,
        "Prix aidés, jurys et lauréats, dont certains sont remis dans les salles de la BnF.",
        updated="2024-10-21",
    ),
    _dataset(
        "traductions-aidees",
        "Traductions aidées",
        CNL,
        ("livre", "langue"),
        800,
        "Ouvrages traduits du français ou vers le français avec une aide, par langue.",
        updated="2024-08-16",
    ),
    # --- Institut national de l’audiovisuel ----------------------------------------------------------
    _dataset(
        "temps-de-parole-femmes",
        "Temps de parole des femmes à la radio et à la télévision",
        INA,
        ("presse", "audiovisuel"),
        9000,
        "Part de la parole féminine mesurée automatiquement, par chaîne.",
        updated="2025-09-29",
    ),
    _dataset(
        "journaux-televises-sujets",
        "Journaux télévisés : sujets traités",
        INA,
        ("presse", "audiovisuel"),
        4000,
        "Sujets des éditions du soir classés par thème, avec leur durée.",
        updated="2025-07-11",
    ),
    _dataset(
        "archives-audiovisuelles-collections",
        "Collections audiovisuelles du dépôt légal",
        INA,
        ("audiovisuel",),
        1600,
        "Heures de programmes de radio et de télévision conservées, par chaîne.",
        updated="2024-05-31",
    ),
    # --- Délégation générale à la langue française et aux langues de France -----------------------------
    _dataset(
        "enseignement-langues-regionales",
        "Enseignement des langues régionales",
        DGLFLF,
        ("langue",),
        2000,
        "Élèves apprenant une langue régionale (basque, breton, catalan, corse, créole, occitan), par académie.",
        updated="2025-02-22",
    ),
    _dataset(
        "franceterme-termes-recommandes",
        "FranceTerme : termes recommandés",
        DGLFLF,
        ("langue",),
        5000,
        "Termes publiés au Journal officiel par la Commission d’enrichissement de la langue française.",
        updated="2025-12-03",
        formats=("xml", "csv"),
    ),
    _dataset(
        "barometre-langue-francaise",
        "Baromètre de la langue française au travail",
        DGLFLF,
        ("langue",),
        1500,
        "Enquête sur l’usage du français et de l’anglais dans les entreprises.",
        updated="2024-03-14",
    ),
    # --- Réunion des musées nationaux - Grand Palais -------------------------------------------------
    _dataset(
        "expositions-grand-palais",
        "Expositions du Grand Palais",
        RMN,
        ("arts-plastiques", "musee"),
        4000,
        "Expositions présentées depuis 1966, avec leurs dates et leur fréquentation.",
        updated="2024-12-18",
    ),
    _dataset(
        "agence-photo-collections-nationales",
        "Agence photo : images des collections nationales",
        RMN,
        ("musee",),
        6000,
        "Clichés des œuvres, avec leurs droits de reproduction.",
        updated="2025-05-21",
    ),
    # --- Ville de Nantes -----------------------------------------------------------------------------
    _dataset(
        "mediatheques-de-nantes-frequentation",
        "Médiathèques de Nantes : fréquentation",
        NANTES,
        ("livre", "frequentation"),
        1600,
        "Entrées et prêts par médiathèque et par mois.",
        updated="2025-10-02",
    ),
    _dataset(
        "salles-de-spectacle-nantes",
        "Salles de spectacle à Nantes",
        NANTES,
        ("musique",),
        1200,
        "Jauges, équipements scéniques et contacts des salles municipales.",
        updated="2024-10-24",
    ),
    _dataset(
        "voyage-a-nantes-oeuvres",
        "Le Voyage à Nantes : œuvres pérennes",
        NANTES,
        ("arts-plastiques",),
        2000,
        "Installations permanentes du parcours estival, avec leur artiste.",
        updated="2025-06-21",
    ),
    _dataset(
        "chateau-des-ducs-de-bretagne",
        "Château des ducs de Bretagne : fréquentation",
        NANTES,
        ("musee", "frequentation"),
        3000,
        "Visiteurs du monument et du musée d’histoire de la ville, par mois.",
        updated="2025-08-05",
    ),
    # --- Région Normandie ----------------------------------------------------------------------------
    _dataset(
        "inventaire-patrimoine-normandie",
        "Inventaire du patrimoine culturel",
        NORMANDIE,
        ("patrimoine", "architecture"),
        1400,
        "Dossiers des édifices et objets étudiés par le service régional de l’Inventaire.",
        updated="2025-04-10",
    ),
    _dataset(
        "abbayes-normandes",
        "Abbayes normandes",
        NORMANDIE,
        ("patrimoine", "architecture"),
        2400,
        "Abbayes ouvertes à la visite, de Jumièges au Mont-Saint-Michel.",
        updated="2025-05-02",
    ),
    _dataset(
        "fonds-aide-courts-metrages-normandie",
        "Fonds d’aide aux courts métrages",
        NORMANDIE,
        ("cinema",),
        500,
        "Films aidés, sociétés de production et communes de tournage.",
        updated="2024-07-25",
    ),
    # --- Comédie-Française ---------------------------------------------------------------------------
    _dataset(
        "repertoire-comedie-francaise",
        "Répertoire de la Comédie-Française depuis 1680",
        COMEDIE_FRANCAISE,
        ("spectacle-vivant", "theatre"),
        3500,
        "Pièces jouées, auteurs et nombre de représentations, d’après les registres de la troupe.",
        updated="2025-02-10",
    ),
    _dataset(
        "comedie-francaise-troupe",
        "Sociétaires et pensionnaires de la Comédie-Française",
        COMEDIE_FRANCAISE,
        ("theatre",),
        1200,
        "Comédiens de la troupe depuis sa fondation, avec leurs dates d’entrée.",
        updated="2024-06-01",
    ),
    # --- Philharmonie de Paris -----------------------------------------------------------------------
    _dataset(
        "concerts-philharmonie",
        "Concerts de la Philharmonie de Paris",
        PHILHARMONIE,
        ("musique", "spectacle-vivant"),
        5000,
        "Programme des concerts symphoniques, jazz et musiques du monde, avec les interprètes.",
        updated="2025-09-26",
    ),
    _dataset(
        "instruments-collections-philharmonie",
        "Instruments de musique des collections de la Philharmonie",
        PHILHARMONIE,
        ("musique", "musee"),
        2500,
        "Près de 8 000 instruments conservés au Musée de la musique, avec leurs photographies et des partitions.",
        updated="2025-01-17",
    ),
    # --- Direction générale des médias et des industries culturelles ---------------------------------
    _dataset(
        "aides-presse-journaux-magazines",
        "Aides à la presse : journaux et magazines bénéficiaires",
        DGMIC,
        ("presse",),
        6000,
        "Montants des aides directes versées aux éditeurs, par titre et par an.",
        updated="2025-08-28",
    ),
    _dataset(
        "entreprises-jeu-video",
        "Entreprises du jeu vidéo",
        DGMIC,
        ("industries-culturelles",),
        3500,
        "Studios et éditeurs implantés en France, avec leurs effectifs.",
        updated="2025-04-26",
    ),
    _dataset(
        "kiosques-points-de-vente-presse",
        "Kiosques et points de vente de la presse",
        DGMIC,
        ("presse",),
        1500,
        "Diffuseurs de quotidiens et de magazines, par commune.",
        updated="2024-12-09",
        formats=("csv", "geojson"),
    ),
    _dataset(
        "cartes-de-presse",
        "Cartes de presse attribuées",
        DGMIC,
        ("presse",),
        1000,
        "Nombre de journalistes titulaires de la carte, par forme d’emploi.",
        updated="2024-04-24",
    ),
    _dataset(
        "radios-associatives-aidees",
        "Radios associatives aidées",
        DGMIC,
        ("presse", "audiovisuel"),
        1100,
        "Fonds de soutien à l’expression radiophonique locale : radios et montants.",
        updated="2025-03-25",
    ),
    _dataset(
        "edition-livre-chiffres",
        "Édition de livres : chiffres de l’édition",
        DGMIC,
        ("livre", "industries-culturelles"),
        4500,
        "Titres publiés, exemplaires vendus et chiffre d’affaires.",
        updated="2025-07-04",
    ),
    # --- Ville et Eurométropole de Strasbourg -------------------------------------------------------
    # More viewed than the Paris museums' figures, and their titles name museums and attendance too: one
    # with Paris only in its description, one with Paris in a longer title (the visitors' origins).
    _dataset(
        "frequentation-musees-strasbourg",
        "Fréquentation des musées de Strasbourg",
        STRASBOURG,
        ("musee", "frequentation"),
        12000,
        "Entrées par musée et par mois, comparées à celles des grands musées de Paris et de Lyon.",
        updated="2025-10-15",
    ),
    _dataset(
        "origine-visiteurs-musees-strasbourg",
        "Fréquentation des musées de Strasbourg : origine des visiteurs (Alsace, Paris, Allemagne, Suisse)",
        STRASBOURG,
        ("musee", "frequentation", "tourisme"),
        9000,
        "Enquête auprès des visiteurs : lieu de résidence, âge et motif de la visite.",
        updated="2025-06-20",
    ),
    # --- Published by people rather than organizations -----------------------------------------------
    _dataset(
        "cinemas-disparus-paris",
        "Cinémas disparus de Paris",
        None,
        ("cinema", "patrimoine"),
        400,
        "Anciennes salles de quartier, avec leurs dates d’ouverture et de fermeture.",
        updated="2023-10-10",
    ),
    _dataset(
        "discographie-groupes-bretons",
        "Discographie des groupes bretons",
        None,
        ("musique",),
        150,
        "Albums et singles publiés par des groupes de la région.",
        updated="2023-05-05",
    ),
    _dataset(
        "street-art-rennes",
        "Street art à Rennes",
        None,
        ("arts-plastiques",),
        200,
        "Fresques murales photographiées dans les quartiers.",
        updated="2024-01-15",
    ),
    _dataset(
        "lavoirs-du-morbihan",
        "Lavoirs du Morbihan",
        None,
        ("patrimoine",),
        120,
        "Petit patrimoine rural recensé par des bénévoles.",
        updated="2023-08-08",
    ),
    _dataset(
        "kiosques-a-musique",
        "Kiosques à musique de France",
        None,
        ("musique", "patrimoine"),
        100,
        "Kiosques de jardins publics photographiés et localisés, avec leur date de construction.",
        updated="2023-04-04",
    ),
]
