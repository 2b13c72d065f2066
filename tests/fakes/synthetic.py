"""A deterministic synthetic catalogue, generated lazily by index: culture, or another theme.

``Catalogue(size)`` describes ``size`` culture datasets (the topic), about ``size / 25`` organizations,
the licence list, the topic and its elements, plus a larger "national" catalogue around them (for
the unfiltered listing). Every payload has the field set of the real API v1 objects (see
/work/shared/datagouv-api/datasets-page-1.json and organization.json) and is rebuilt from its index
on demand: the same index always gives the same payload, and nothing is held for the whole
catalogue except a few small arrays (sort orders, organization dataset counts).

Shape of the generated catalogue:

- ``last_update`` strictly decreases with the index, so ``sort=-last_update`` is index order;
- about 1 % of the topic's datasets are archived: they are topic elements, served by id, but left
  out of the listings (like the real API);
- about 4 % are published by a user (``owner``) instead of an organization;
- 3 to 12 resources per dataset, about 7 on average;
- metrics follow a skewed (Pareto-like) distribution;
- with ``hostile=N``, N more datasets join the topic after the ``size`` ordinary ones, each with
  values a careless or hostile publisher could send (``HOSTILE_KINDS``, in turn): dates past the
  range of a datetime once moved to UTC, a number of 401 digits, NaN and Infinity, NUL, lone
  surrogates and U+FFFE in texts, a tag that lengthens when lower-cased, 300 files of distinct
  formats, an owner of the wrong type, then all of them at once.

The fake data.gouv.fr (``tests.fakes.datagouv``) serves it as a source: ``listing``, ``find_dataset``,
``topic``, ``elements``… answer from the index arithmetic, so a page of 60,000 datasets costs the
payloads it shows. Only ``?topic=`` filters its listing (``tag``, ``organization``… are accepted and
ignored), and ``/api/2/datasets/resources/{id}/`` is a 404.

``Catalogue(size, theme=SPORT)`` does the same for the sport of the example universe
(culture_portal/universes/sport.toml): its topic, titles, texts, tags and publishers (see ``Theme``).

``python -m tests.fakes.synthetic --check /work/shared/datagouv-api`` compares the key sets with the
sample payloads; ``--show N`` prints dataset N.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import random
import re
import sys
import threading
import time
import unicodedata
import uuid
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from catalog import labels
from tests.fakes import payloads

SITE = "https://www.data.gouv.fr"
TOPIC_ID = "69aea5dff97ef1fc29836765"
TOPIC_SLUG = "univers-culture"
# The second universe of culture.data.gouv.fr, the statistics of the ministry (DEPS): a share of the
# culture datasets are in it too (``observer_share``), tagged with its « Thématique » and « Sous-thématique ».
OBSERVER_TOPIC_ID = "69f2fca0f4f30af95d4bab8a"
OBSERVER_TOPIC_SLUG = "observer"
OBSERVER_THEMES = {
    "economie-culturelle": ("financement", "entreprises-culturelles", "poids-economique-direct"),
    "formation-emploi-revenus": ("emploi-culturel", "artistes-auteurs"),
    "geographie-activites-culturelles": ("tourisme-et-culture", "festivals"),
    "pratiques-usages-consommations": ("pratiques-culturelles", "pass-culture"),
    "patrimoines": ("musees", "archives", "monuments-historiques-et-sites-patrimoniaux"),
    "creation-artistique": ("arts-visuels", "theatre-et-arts-associes", "danse"),
    "medias-industries-culturelles": ("cinema", "livre-et-lecture-publique", "presse-ecrite"),
}
CATEGORY_TAGS = tuple(category.slug for category in labels.CATEGORIES)  # the eleven culture category tags

# Default reference time ("now" of the catalogue): payloads must not depend on when the benchmark runs.
BASE_TIME = datetime(2026, 8, 20, 6, 0, tzinfo=UTC).timestamp()
UPDATE_STEP = 1200  # seconds between two consecutive datasets' last_update (plus jitter below it)
TOPIC_CREATED = datetime(2026, 3, 9, 14, 47, 59, 613000, tzinfo=UTC).timestamp()

_MASK64 = (1 << 64) - 1


def _mix(value: int) -> int:
    """splitmix64 finaliser: a cheap, well-spread hash of an integer."""
    value = (value + 0x9E3779B97F4A7C15) & _MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
    return value ^ (value >> 31)


def slugify(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "Oe"))
    ascii_text = decomposed.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def iso(timestamp: float) -> str:
    """udata's datetime format: ISO 8601 in UTC with offset, fraction only when not zero."""
    return datetime.fromtimestamp(round(timestamp, 3), UTC).isoformat()


def day(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def _weighted(rng: random.Random, table: tuple[tuple[Any, int], ...]) -> Any:
    total = sum(weight for _, weight in table)
    pick = rng.random() * total
    for value, weight in table:
        pick -= weight
        if pick < 0:
            return value
    return table[-1][0]


# --- places ---------------------------------------------------------------------------------
# (name, "à/en/dans le …" phrase, "de/du/des …" phrase, zone id, granularity)

_CITIES = (
    ("Paris", "75056"), ("Lyon", "69123"), ("Marseille", "13055"), ("Toulouse", "31555"), ("Nice", "06088"),
    ("Nantes", "44109"), ("Montpellier", "34172"), ("Strasbourg", "67482"), ("Bordeaux", "33063"),
    ("Lille", "59350"), ("Rennes", "35238"), ("Reims", "51454"), ("Toulon", "83137"), ("Saint-Étienne", "42218"),
    ("Le Havre", "76351"), ("Grenoble", "38185"), ("Dijon", "21231"), ("Angers", "49007"), ("Nîmes", "30189"),
    ("Villeurbanne", "69266"), ("Clermont-Ferrand", "63113"), ("Le Mans", "72181"), ("Aix-en-Provence", "13001"),
    ("Brest", "29019"), ("Tours", "37261"), ("Amiens", "80021"), ("Limoges", "87085"), ("Annecy", "74010"),
    ("Perpignan", "66136"), ("Metz", "57463"), ("Besançon", "25056"), ("Orléans", "45234"), ("Rouen", "76540"),
    ("Caen", "14118"), ("Nancy", "54395"), ("Avignon", "84007"), ("Poitiers", "86194"), ("La Rochelle", "17300"),
    ("Pau", "64445"), ("Arles", "13004"), ("Quimper", "29232"), ("Bayonne", "64102"), ("Ajaccio", "2A004"),
    ("Vannes", "56260"), ("Lorient", "56121"), ("Chartres", "28085"), ("Colmar", "68066"), ("Angoulême", "16015"),
    ("Nevers", "58194"), ("Albi", "81004"), ("Carcassonne", "11069"), ("Saint-Malo", "35288"), ("Bastia", "2B033"),
    ("Troyes", "10387"), ("Valence", "26362"), ("Chambéry", "73065"), ("Saint-Denis", "97411"),
    ("Fort-de-France", "97209"), ("Cherbourg-en-Cotentin", "50129"), ("Mulhouse", "68224"),
)  # fmt: skip
_DEPARTMENTS = (
    ("Finistère", "dans le", "du", "29"), ("Ille-et-Vilaine", "en", "d'", "35"), ("Rhône", "dans le", "du", "69"),
    ("Bouches-du-Rhône", "dans les", "des", "13"), ("Gironde", "en", "de la", "33"), ("Nord", "dans le", "du", "59"),
    ("Bas-Rhin", "dans le", "du", "67"), ("Haute-Garonne", "en", "de la", "31"),
    ("Loire-Atlantique", "en", "de la", "44"), ("Hérault", "dans l'", "de l'", "34"),
    ("Alpes-Maritimes", "dans les", "des", "06"), ("Isère", "en", "de l'", "38"), ("Côte-d'Or", "en", "de la", "21"),
    ("Puy-de-Dôme", "dans le", "du", "63"), ("Indre-et-Loire", "en", "d'", "37"), ("Somme", "dans la", "de la", "80"),
    ("Haute-Vienne", "en", "de la", "87"), ("Pyrénées-Atlantiques", "dans les", "des", "64"),
    ("Corse-du-Sud", "en", "de", "2A"), ("La Réunion", "à", "de", "974"), ("Guadeloupe", "en", "de la", "971"),
    ("Morbihan", "dans le", "du", "56"), ("Côtes-d'Armor", "dans les", "des", "22"),
    ("Seine-Maritime", "en", "de la", "76"), ("Calvados", "dans le", "du", "14"),
    ("Meurthe-et-Moselle", "en", "de", "54"), ("Moselle", "en", "de la", "57"), ("Vaucluse", "dans le", "du", "84"),
    ("Gard", "dans le", "du", "30"), ("Dordogne", "en", "de la", "24"), ("Haute-Savoie", "en", "de la", "74"),
    ("Doubs", "dans le", "du", "25"), ("Loiret", "dans le", "du", "45"),
    ("Pyrénées-Orientales", "dans les", "des", "66"),
)  # fmt: skip
_REGIONS = (
    ("Île-de-France", "en", "d'", "11"), ("Centre-Val de Loire", "en", "du", "24"),
    ("Bourgogne-Franche-Comté", "en", "de", "27"), ("Normandie", "en", "de", "28"),
    ("Hauts-de-France", "dans les", "des", "32"), ("Grand Est", "dans le", "du", "44"),
    ("Pays de la Loire", "dans les", "des", "52"), ("Bretagne", "en", "de", "53"),
    ("Nouvelle-Aquitaine", "en", "de", "75"), ("Occitanie", "en", "d'", "76"),
    ("Auvergne-Rhône-Alpes", "en", "d'", "84"), ("Provence-Alpes-Côte d'Azur", "en", "de", "93"),
    ("Corse", "en", "de", "94"),
)  # fmt: skip


def _join(preposition: str, name: str) -> str:
    return f"{preposition}{name}" if preposition.endswith("'") else f"{preposition} {name}"


def _build_places() -> tuple[tuple[str, str, str, str, str], ...]:
    places = [("France", "en France", "de France", "country:fr", "country")]
    for name, code in _CITIES:
        if name.startswith("Le "):
            at, of = f"au {name[3:]}", f"du {name[3:]}"
        else:
            at, of = f"à {name}", (f"d'{name}" if name[0] in "AEIOUÉÈÂ" else f"de {name}")
        places.append((name, at, of, f"fr:commune:{code}", "fr:commune"))
    for name, at, of, code in _DEPARTMENTS:
        places.append((name, _join(at, name), _join(of, name), f"fr:departement:{code}", "fr:departement"))
    for name, at, of, code in _REGIONS:
        places.append((name, _join(at, name), _join(of, name), f"fr:region:{code}", "fr:region"))
    return tuple(places)


PLACES = _build_places()
ZONE_NAMES = {place[3]: place[0] for place in PLACES}
YEARS = tuple(range(2008, 2026))

# --- dataset title templates: (category, title with {a} = "à Lyon", {de} = "de Lyon", {year}) ----------

TEMPLATES: tuple[tuple[str, str], ...] = (
    ("musee", "Fréquentation des musées de France {a} {year}"),
    ("musee", "Liste des musées de France {a} ({year})"),
    ("musee", "Collections du musée des Beaux-Arts {de} : inventaire {year}"),
    ("musee", "Acquisitions des musées {a} en {year}"),
    ("musee", "Expositions temporaires des musées {a} {year}"),
    ("musee", "Prêts et dépôts d'œuvres des musées {a} {year}"),
    ("musee", "Visiteurs scolaires dans les musées {a} {year}"),
    ("musee", "Muséums d'histoire naturelle {a} : fréquentation {year}"),
    ("architecture", "Immeubles protégés au titre des monuments historiques {a} ({year})"),
    ("architecture", "Monuments historiques classés et inscrits {a} {year}"),
    ("architecture", "Sites patrimoniaux remarquables {a} {year}"),
    ("architecture", "Label Architecture contemporaine remarquable {a} {year}"),
    ("architecture", "Patrimoine du XXe siècle {a} : édifices labellisés {year}"),
    ("architecture", "Fréquentation des monuments nationaux {a} {year}"),
    ("architecture", "Travaux de restauration des monuments historiques {a} {year}"),
    ("architecture", "Maisons des Illustres {a} {year}"),
    ("architecture", "Journées européennes du patrimoine {a} : lieux ouverts {year}"),
    ("archives", "Archives départementales {de} : fonds et collections {year}"),
    ("archives", "État civil numérisé {a} ({year})"),
    ("archives", "Registres paroissiaux numérisés {a} {year}"),
    ("archives", "Inventaire des archives municipales {de} {year}"),
    ("archives", "Fréquentation des salles de lecture des archives {a} {year}"),
    ("archives", "Cadastre napoléonien {a} : plans numérisés {year}"),
    ("archives", "Recensements de population anciens {a} ({year})"),
    ("archives", "Archives notariales {a} : répertoire {year}"),
    ("arts-plastiques", "Fonds régional d'art contemporain {de} : collection {year}"),
    ("arts-plastiques", "Œuvres du Centre national des arts plastiques déposées {a} {year}"),
    ("arts-plastiques", "Commandes publiques d'œuvres d'art {a} {year}"),
    ("arts-plastiques", "Ateliers d'artistes {a} {year}"),
    ("arts-plastiques", "Centres d'art contemporain {a} : expositions {year}"),
    ("arts-plastiques", "Dispositif du 1 % artistique {a} {year}"),
    ("arts-plastiques", "Galeries d'art et arts plastiques {a} {year}"),
    ("arts-plastiques", "Écoles supérieures d'art {a} : effectifs {year}"),
    ("cinema", "Entrées en salles de cinéma par commune {a} {year}"),
    ("cinema", "Établissements cinématographiques actifs {a} {year}"),
    ("cinema", "Tournages de films et de séries {a} {year}"),
    ("cinema", "Aides du CNC à la production {a} {year}"),
    ("cinema", "Cinémas classés art et essai {a} {year}"),
    ("cinema", "Festivals de cinéma {a} : programmation {year}"),
    ("cinema", "Fréquentation des cinémas {a} ({year})"),
    ("cinema", "Lieux de tournage {a} {year}"),
    ("spectacle-vivant", "Fréquentation des théâtres {a} {year}"),
    ("spectacle-vivant", "Programmation des scènes nationales {a} {year}"),
    ("spectacle-vivant", "Festivals de spectacle vivant {a} {year}"),
    ("spectacle-vivant", "Compagnies de théâtre et de danse subventionnées {a} {year}"),
    ("spectacle-vivant", "Représentations d'opéra et d'art lyrique {a} {year}"),
    ("spectacle-vivant", "Arts de la rue et du cirque {a} : spectacles {year}"),
    ("spectacle-vivant", "Licences d'entrepreneur de spectacles {a} {year}"),
    ("spectacle-vivant", "Théâtre : fréquentation des salles {a} {year}"),
    ("livre", "Bibliothèques publiques {a} : activité {year}"),
    ("livre", "Bibliothèque municipale {de} : prêts et inscrits {year}"),
    ("livre", "Librairies indépendantes labellisées {a} {year}"),
    ("livre", "Fréquentation des médiathèques {a} {year}"),
    ("livre", "Fonds patrimoniaux des bibliothèques {a} {year}"),
    ("livre", "Salons et fêtes du livre {a} {year}"),
    ("livre", "Dépôt légal des éditeurs {a} {year}"),
    ("livre", "Prix littéraires et résidences d'auteurs {a} {year}"),
    ("musique", "Festivals de musique {a} {year}"),
    ("musique", "Conservatoires de musique {a} : effectifs {year}"),
    ("musique", "Salles de musiques actuelles {a} : concerts {year}"),
    ("musique", "Fête de la musique {a} : événements déclarés {year}"),
    ("musique", "Orchestres et ensembles musicaux subventionnés {a} {year}"),
    ("musique", "Écoles de musique {a} {year}"),
    ("musique", "Fréquentation des concerts {a} {year}"),
    ("presse", "Titres de presse locale {a} {year}"),
    ("presse", "Aides à la presse : bénéficiaires {a} {year}"),
    ("presse", "Diffusion de la presse quotidienne régionale {a} {year}"),
    ("presse", "Points de vente de la presse {a} {year}"),
    ("presse", "Radios associatives et médias de proximité {a} {year}"),
    ("presse", "Kiosques à journaux {a} {year}"),
    ("langue", "Langues régionales : enseignement {a} {year}"),
    ("langue", "Locuteurs des langues régionales {a} ({year})"),
    ("langue", "Signalétique bilingue en langue régionale {a} {year}"),
    ("langue", "Actions en faveur de la langue française {a} {year}"),
    ("langue", "Toponymie en langues de France {a} {year}"),
    ("langue", "Cours de français langue étrangère {a} {year}"),
    ("industries-culturelles", "Emploi dans les industries culturelles et créatives {a} {year}"),
    ("industries-culturelles", "Entreprises culturelles {a} : chiffre d'affaires {year}"),
    ("industries-culturelles", "Jeu vidéo : studios de création {a} {year}"),
    ("industries-culturelles", "Dépenses culturelles des collectivités {a} {year}"),
    ("industries-culturelles", "Pass Culture : réservations {a} {year}"),
    ("industries-culturelles", "Marché de l'art et ventes aux enchères {a} {year}"),
    ("industries-culturelles", "Tiers-lieux culturels {a} {year}"),
)

# Datasets of the national catalogue outside the topic (only seen through the unfiltered listing).
OTHER_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("finances", "Budget primitif {de} {year}"),
    ("transport", "Horaires des lignes de bus {a} {year}"),
    ("environnement", "Qualité de l'air {a} {year}"),
    ("sante", "Pharmacies de garde {a} {year}"),
    ("urbanisme", "Permis de construire délivrés {a} {year}"),
    ("education", "Effectifs des écoles élémentaires {a} {year}"),
    ("energie", "Consommation d'électricité par commune {a} {year}"),
    ("sport", "Équipements sportifs {a} {year}"),
)

CATEGORY_TEXT: dict[str, dict[str, tuple[str, ...]]] = {
    "musee": {
        "intro": (
            "Ce jeu de données décrit l'activité des musées de France {a} : entrées payantes et gratuites, "
            "expositions temporaires et actions éducatives.",
            "Les établissements bénéficiant de l'appellation « Musée de France » {a} transmettent chaque année "
            "leurs données de fréquentation et de collections.",
        ),
        "columns": ("identifiant_museofile", "nom_du_musee", "commune", "code_insee", "entrees_payantes",
                    "entrees_gratuites", "scolaires", "expositions_temporaires", "latitude", "longitude"),
        "source": ("Les données proviennent de la base **Muséofile**, tenue par le service des musées de France.",
                   "Données déclarées par les musées via l'enquête annuelle de fréquentation."),
        "tags": ("musees-de-france", "patrimoine", "collections", "frequentation", "museofile"),
    },
    "architecture": {
        "intro": (
            "Liste des immeubles et édifices protégés ou labellisés {a}, avec leur date et leur nature de protection "
            "(classement, inscription).",
            "Ce jeu de données rassemble les informations patrimoniales de la base Mérimée pour les édifices "
            "situés {a}.",
        ),
        "columns": ("reference_merimee", "appellation", "commune", "departement", "date_protection",
                    "nature_protection", "siecle_construction", "statut_propriete", "latitude", "longitude"),
        "source": ("Extraction de la base **Mérimée** (Plateforme ouverte du patrimoine).",
                   "Données transmises par la direction régionale des affaires culturelles."),
        "tags": ("monuments-historiques", "patrimoine", "merimee", "urbanisme", "pop"),
    },
    "archives": {
        "intro": (
            "Description des fonds et collections conservés par les services d'archives {a}, avec les cotes, "
            "les dates extrêmes et le métrage linéaire.",
            "Registres et documents numérisés mis en ligne par les archives {a}, avec leurs métadonnées de "
            "description.",
        ),
        "columns": ("cote", "intitule", "dates_extremes", "metrage_lineaire", "commune", "type_document",
                    "nombre_vues", "communicabilite", "url_visionneuse"),
        "source": ("Instrument de recherche produit par le service d'archives au format EAD, converti en tableau.",
                   "Données issues du logiciel de gestion des archives."),
        "tags": ("archives-publiques", "genealogie", "etat-civil", "patrimoine", "numerisation"),
    },
    "arts-plastiques": {
        "intro": (
            "Inventaire des œuvres d'art contemporain conservées ou diffusées {a} : peintures, sculptures, "
            "photographies, installations et vidéos.",
            "Ce jeu de données recense les expositions et les acquisitions d'art contemporain {a}.",
        ),
        "columns": ("numero_inventaire", "titre_oeuvre", "artiste", "date_creation", "technique", "dimensions",
                    "date_acquisition", "lieu_de_depot", "mode_acquisition"),
        "source": ("Données issues de la base de gestion des collections du fonds d'art contemporain.",
                   "Saisie par les services de la direction régionale des affaires culturelles."),
        "tags": ("art-contemporain", "collections", "frac", "oeuvres", "creation"),
    },
    "cinema": {
        "intro": (
            "Nombre d'entrées, de séances et d'établissements cinématographiques {a}, par commune et par année.",
            "Ce jeu de données décrit l'offre et la fréquentation cinématographiques {a} : écrans, fauteuils, "
            "séances et entrées.",
        ),
        "columns": ("code_insee", "commune", "etablissement", "ecrans", "fauteuils", "seances", "entrees",
                    "recette_moyenne", "art_et_essai"),
        "source": ("Données du Centre national du cinéma et de l'image animée (CNC), issues de la billetterie.",
                   "Déclarations hebdomadaires des exploitants de salles."),
        "tags": ("cnc", "audiovisuel", "salles-de-cinema", "frequentation", "films"),
    },
    "spectacle-vivant": {
        "intro": (
            "Programmation et fréquentation des lieux de spectacle vivant {a} : théâtre, danse, cirque, arts de la "
            "rue et art lyrique.",
            "Ce jeu de données recense les représentations et les entrées des structures de spectacle vivant "
            "soutenues {a}.",
        ),
        "columns": ("structure", "label", "commune", "discipline", "representations", "entrees_payantes",
                    "jauge", "taux_de_remplissage", "saison"),
        "source": ("Données issues de l'observation du spectacle vivant (SIBIL).",
                   "Bilans d'activité transmis par les structures labellisées."),
        "tags": ("theatre", "danse", "cirque", "opera", "festival"),
    },
    "livre": {
        "intro": (
            "Activité des bibliothèques et des médiathèques {a} : collections, prêts, inscrits et horaires "
            "d'ouverture.",
            "Ce jeu de données recense les acteurs du livre et de la lecture {a} : librairies, éditeurs, salons et "
            "bibliothèques.",
        ),
        "columns": ("bibliotheque", "commune", "code_insee", "inscrits_actifs", "prets", "documents_imprimes",
                    "heures_ouverture", "surface", "reseau"),
        "source": ("Données de l'enquête annuelle sur les bibliothèques publiques (SCRIB).",
                   "Données du Centre national du livre et des agences régionales du livre."),
        "tags": ("bibliotheques", "lecture-publique", "mediatheques", "librairies", "edition"),
    },
    "musique": {
        "intro": (
            "Concerts, festivals et établissements d'enseignement musical {a}, avec leur fréquentation.",
            "Ce jeu de données décrit l'offre musicale {a} : salles de musiques actuelles, conservatoires et "
            "festivals.",
        ),
        "columns": ("nom", "commune", "esthetique", "concerts", "spectateurs", "eleves", "enseignants",
                    "date_debut", "date_fin"),
        "source": ("Données du Centre national de la musique.", "Déclarations des organisateurs de festivals."),
        "tags": ("festival", "concerts", "conservatoires", "musiques-actuelles", "orchestre"),
    },
    "presse": {
        "intro": (
            "Titres de presse, diffusion et aides publiques à la presse {a}.",
            "Ce jeu de données recense les éditeurs de presse et les médias de proximité {a}.",
        ),
        "columns": ("titre", "editeur", "periodicite", "diffusion_totale", "commune", "aide_attribuee",
                    "numero_cppap", "format"),
        "source": ("Données de la direction générale des médias et des industries culturelles.",
                   "Chiffres de diffusion déclarés par les éditeurs."),
        "tags": ("medias", "journaux", "aides-a-la-presse", "information", "radio"),
    },
    "langue": {
        "intro": (
            "Pratique et enseignement des langues de France {a} : breton, basque, occitan, alsacien, corse, créoles.",
            "Ce jeu de données rassemble les actions en faveur de la langue française et des langues régionales {a}.",
        ),
        "columns": ("langue", "commune", "etablissement", "niveau", "effectifs", "heures_hebdomadaires",
                    "annee_scolaire", "dispositif"),
        "source": ("Données de la délégation générale à la langue française et aux langues de France.",
                   "Données transmises par les offices publics des langues régionales."),
        "tags": ("langues-regionales", "francais", "enseignement", "linguistique", "bilinguisme"),
    },
    "industries-culturelles": {
        "intro": (
            "Emploi, entreprises et chiffre d'affaires des industries culturelles et créatives {a}.",
            "Ce jeu de données décrit l'économie de la culture {a} : dépenses, établissements et emplois.",
        ),
        "columns": ("secteur", "code_naf", "commune", "etablissements", "effectifs_salaries",
                    "chiffre_affaires", "annee", "source"),
        "source": ("Données du département des études, de la prospective et des statistiques (DEPS).",
                   "Exploitation des fichiers de l'Insee par le ministère de la Culture."),
        "tags": ("economie-de-la-culture", "emploi", "entreprises", "jeu-video", "marche-de-l-art"),
    },
}  # fmt: skip
_OTHER_TEXT = {
    "intro": ("Données publiées {a} dans le cadre de l'ouverture des données publiques.",),
    "columns": ("identifiant", "libelle", "commune", "valeur", "unite", "date"),
    "source": ("Données produites par la collectivité.",),
    "tags": ("donnees-publiques", "collectivite"),
}

# --- organizations ------------------------------------------------------------------------------

_PUBLIC_CERTIFIED = ("public-service", "certified")
# (name, acronym, category or "" for all, badges, domain)
NATIONAL_ORGS: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    ("Ministère de la Culture", "MC", "", _PUBLIC_CERTIFIED, "culture.gouv.fr"),
    ("Centre national du cinéma et de l'image animée", "CNC", "cinema", _PUBLIC_CERTIFIED, "cnc.fr"),
    ("Bibliothèque nationale de France", "BnF", "livre", _PUBLIC_CERTIFIED, "bnf.fr"),
    ("Centre des monuments nationaux", "CMN", "architecture", _PUBLIC_CERTIFIED, "monuments-nationaux.fr"),
    ("Archives nationales", "AN", "archives", _PUBLIC_CERTIFIED, "archives-nationales.culture.gouv.fr"),
    ("Centre national des arts plastiques", "Cnap", "arts-plastiques", _PUBLIC_CERTIFIED, "cnap.fr"),
    ("Centre national de la musique", "CNM", "musique", _PUBLIC_CERTIFIED, "cnm.fr"),
    ("Réunion des musées nationaux - Grand Palais", "RMN-GP", "musee", _PUBLIC_CERTIFIED, "grandpalais.fr"),
    ("Direction générale des médias et des industries culturelles", "DGMIC", "presse", _PUBLIC_CERTIFIED,
     "culture.gouv.fr"),
    ("Délégation générale à la langue française et aux langues de France", "DGLFLF", "langue", _PUBLIC_CERTIFIED,
     "culture.gouv.fr"),
    ("Centre national de la danse", "CND", "spectacle-vivant", ("public-service",), "cnd.fr"),
    ("Institut national de l'audiovisuel", "INA", "cinema", _PUBLIC_CERTIFIED, "ina.fr"),
    ("Pass Culture", "", "industries-culturelles", ("company",), "pass.culture.fr"),
    ("Cité de l'architecture et du patrimoine", "", "architecture", ("public-service",), "citedelarchitecture.fr"),
    ("Centre national du livre", "CNL", "livre", ("public-service",), "centrenationaldulivre.fr"),
)  # fmt: skip
# (name pattern, category, badges, place kinds it applies to)
LOCAL_ORGS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Ville {de}", "", ("local-authority",), ("fr:commune",)),
    ("Musée des Beaux-Arts {de}", "musee", ("public-service",), ("fr:commune",)),
    ("Bibliothèque municipale {de}", "livre", ("local-authority",), ("fr:commune",)),
    ("Conservatoire {de}", "musique", ("local-authority",), ("fr:commune",)),
    ("Théâtre municipal {de}", "spectacle-vivant", ("local-authority",), ("fr:commune",)),
    ("Cinémathèque {de}", "cinema", ("association",), ("fr:commune",)),
    ("Archives municipales {de}", "archives", ("local-authority",), ("fr:commune",)),
    ("Opéra {de}", "spectacle-vivant", ("public-service",), ("fr:commune",)),
    ("Département {de}", "", ("local-authority",), ("fr:departement",)),
    ("Archives départementales {de}", "archives", ("local-authority",), ("fr:departement",)),
    ("Bibliothèque départementale {de}", "livre", ("local-authority",), ("fr:departement",)),
    ("Conseil d'architecture, d'urbanisme et de l'environnement {de}", "architecture", ("association",),
     ("fr:departement",)),
    ("Région {nom}", "", ("local-authority",), ("fr:region",)),
    ("Direction régionale des affaires culturelles {de}", "", _PUBLIC_CERTIFIED, ("fr:region",)),
    ("Fonds régional d'art contemporain {de}", "arts-plastiques", ("association",), ("fr:region",)),
    ("Agence régionale du livre {de}", "livre", ("association",), ("fr:region",)),
    ("Pôle régional des musiques actuelles {de}", "musique", ("association",), ("fr:region",)),
    ("Office public de la langue régionale {de}", "langue", ("public-service",), ("fr:region",)),
)  # fmt: skip
_INVENTED_KINDS = (
    ("Compagnie", "spectacle-vivant", ("association",)),
    ("Festival", "musique", ("association",)),
    ("Éditions", "livre", ("company",)),
    ("Studio", "industries-culturelles", ("company",)),
    ("Galerie", "arts-plastiques", ("company",)),
    ("Collectif", "arts-plastiques", ("association",)),
    ("Les Amis du patrimoine", "architecture", ("association",)),
    ("Journal", "presse", ("company",)),
    ("Ciné-club", "cinema", ("association",)),
    ("Cercle généalogique", "archives", ("association",)),
)
_INVENTED_NAMES = (
    "La Lanterne", "Les Tréteaux", "L'Escale", "Le Fil d'Ariane", "La Boussole", "Le Grand Bleu", "Les Trois Coups",
    "La Fabrique", "L'Atelier du Nord", "Le Chêne", "La Mouette", "Les Saltimbanques", "La Rose des vents",
    "L'Hirondelle", "Le Phare", "La Sève", "Les Lucioles", "Le Bel Aujourd'hui", "La Traverse", "Le Moulin",
    "Les Vents d'Ouest", "La Clairière", "Le Carrousel", "Les Échappées", "La Source", "Le Kiosque",
    "L'Encre bleue", "Le Sillon", "La Marelle", "Les Arpenteurs",
)  # fmt: skip

FIRST_NAMES = ("Maëlle", "Yann", "Camille", "Lucas", "Chloé", "Hugo", "Inès", "Thomas", "Léa", "Mathieu", "Sarah",
               "Julien", "Manon", "Nicolas", "Élodie", "Romain", "Clémence", "Antoine", "Aurélie", "Kévin")  # fmt: skip
LAST_NAMES = ("Le Goff", "Martin", "Bernard", "Durand", "Lefèvre", "Moreau", "Garcia", "Roux", "Fournier",
              "Girard", "Morel", "Mercier", "Blanc", "Guérin", "Boyer", "Chevalier", "Lemaire", "Caron", "Perrin",
              "Rolland")  # fmt: skip

# --- licences, frequencies, formats -----------------------------------------------------------------

LICENSES: tuple[dict[str, Any], ...] = (
    {"alternate_titles": [], "alternate_urls": [], "flags": ["okd_compliant", "domain_content"], "id": "cc-by",
     "maintainer": None, "title": "Creative Commons Attribution",
     "url": "http://www.opendefinition.org/licenses/cc-by"},
    {"alternate_titles": [], "alternate_urls": [], "flags": ["okd_compliant", "domain_content"], "id": "cc-by-sa",
     "maintainer": None, "title": "Creative Commons Attribution Share-Alike",
     "url": "http://www.opendefinition.org/licenses/cc-by-sa"},
    {"alternate_titles": [], "alternate_urls": [],
     "flags": ["domain_data", "okd_compliant", "domain_content", "domain_software"], "id": "cc-zero",
     "maintainer": None, "title": "Creative Commons CCZero", "url": "http://www.opendefinition.org/licenses/cc-zero"},
    {"alternate_titles": ["LO/OL"], "alternate_urls": [], "flags": ["domain_data", "okd_compliant", "domain_content"],
     "id": "fr-lo", "maintainer": None, "title": "Licence Ouverte / Open Licence",
     "url": "https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf"},
    {"alternate_titles": ["Licence Ouverte v2.0", "Licence Ouverte version 2.0", "etalab-2.0"], "alternate_urls": [],
     "flags": ["domain_data", "okd_compliant", "domain_content"], "id": "lov2", "maintainer": None,
     "title": "Licence Ouverte / Open Licence version 2.0", "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence"},
    {"alternate_titles": [], "alternate_urls": [], "flags": ["generic"], "id": "notspecified", "maintainer": None,
     "title": "License Not Specified", "url": None},
    {"alternate_titles": [], "alternate_urls": [], "flags": ["domain_data", "okd_compliant"], "id": "odc-by",
     "maintainer": None, "title": "Open Data Commons Attribution License",
     "url": "http://opendatacommons.org/licenses/by/summary/"},
    {"alternate_titles": ["Open Database License (ODbL) 1.0"], "alternate_urls": [],
     "flags": ["domain_data", "okd_compliant"], "id": "odc-odbl", "maintainer": None,
     "title": "Open Data Commons Open Database License (ODbL)",
     "url": "http://opendatacommons.org/licenses/odbl/summary/"},
    {"alternate_titles": [], "alternate_urls": [], "flags": ["domain_data", "okd_compliant"], "id": "odc-pddl",
     "maintainer": None, "title": "Open Data Commons Public Domain Dedication and Licence (PDDL)",
     "url": "http://opendatacommons.org/licenses/pddl/summary/"},
    {"alternate_titles": [], "alternate_urls": [], "flags": ["okd_compliant", "generic", "domain_content"],
     "id": "other-at", "maintainer": None, "title": "Other (Attribution)", "url": None},
    {"alternate_titles": [], "alternate_urls": [], "flags": ["okd_compliant", "generic", "domain_content"],
     "id": "other-open", "maintainer": None, "title": "Other (Open)", "url": None},
    {"alternate_titles": [], "alternate_urls": [], "flags": ["okd_compliant", "generic", "domain_content"],
     "id": "other-pd", "maintainer": None, "title": "Other (Public Domain)", "url": None},
)  # fmt: skip
_LICENSE_WEIGHTS = (
    ("lov2", 50), ("fr-lo", 9), ("odc-odbl", 11), ("cc-by", 7), ("cc-by-sa", 3), ("cc-zero", 2),
    ("notspecified", 11), ("other-at", 2), ("other-open", 2), ("odc-by", 2), ("other-pd", 1),
)  # fmt: skip
_FREQUENCIES = (
    ("annual", 30), ("unknown", 18), ("punctual", 14), ("irregular", 8), ("monthly", 10), ("quarterly", 5),
    ("semiannual", 3), ("weekly", 4), ("daily", 6), ("biennial", 2),
)  # fmt: skip
_PERIOD_DAYS = {"annual": 365, "monthly": 30, "quarterly": 91, "semiannual": 182, "weekly": 7, "daily": 1,
                "biennial": 730}  # fmt: skip
_MAIN_FORMATS = (
    ("csv", 34), ("xlsx", 12), ("json", 10), ("geojson", 8), ("zip", 8), ("xml", 6), ("shp", 4), ("ods", 4),
    ("pdf", 6), ("parquet", 3), ("txt", 2), ("html", 2), ("kml", 1),
)  # fmt: skip
_DOC_FORMATS = (("pdf", 70), ("html", 15), ("docx", 10), ("odt", 5))
_RESOURCE_TYPES = (("main", 72), ("documentation", 14), ("update", 5), ("api", 4), ("code", 1), ("other", 4))
_RESOURCE_COUNTS = ((3, 7), (4, 10), (5, 12), (6, 13), (7, 13), (8, 12), (9, 10), (10, 9), (11, 8), (12, 6))
MIMES = {
    "csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json", "geojson": "application/geo+json", "zip": "application/zip",
    "xml": "application/xml", "shp": "application/x-shapefile", "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pdf": "application/pdf", "parquet": "application/vnd.apache.parquet", "txt": "text/plain", "html": "text/html",
    "kml": "application/vnd.google-earth.kml+xml", "png": "image/png", "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}  # fmt: skip
_TABULAR = frozenset({"csv", "xlsx", "ods"})
_HARVEST_DOMAINS = ("data.culture.gouv.fr", "opendata.paris.fr", "data.bnf.fr", "www.data.gouv.fr", "geo.data.gouv.fr")

# --- themes: what a catalogue is about ----------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """What a synthetic catalogue is about: its topic, its datasets' titles, texts and tags, its publishers.

    ``CULTURE`` is the tables above; ``SPORT`` serves the example universe (culture_portal/universes/sport.toml).
    A dataset carries its template's category tag (sometimes a second one), free tags of its category's texts,
    sometimes ``tag`` and its place.
    """

    name: str
    topic_id: str
    topic_slug: str
    topic_name: str
    topic_description: str
    topic_tags: tuple[str, ...]
    category_tags: tuple[str, ...]  # where a dataset's second category tag is drawn from, in this order
    templates: tuple[tuple[str, str], ...]  # (category tag, title with {a}, {de}, {nom}, {year})
    texts: dict[str, dict[str, tuple[str, ...]]]  # category tag -> intro, columns, source, tags
    national_orgs: tuple[tuple[str, str, str, tuple[str, ...], str], ...]
    local_orgs: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]
    invented_kinds: tuple[tuple[str, str, tuple[str, ...]], ...]
    tag: str  # the theme's own tag, on about 40 % of the datasets
    about: str  # « sur la culture »: what an organization's description says it publishes
    harvest_domains: tuple[str, ...]  # portals harvested datasets come from
    portal: str  # where the files neither hosted nor harvested are (``data.`` + the domain of its APIs)


CULTURE = Theme(
    name="culture",
    topic_id=TOPIC_ID,
    topic_slug=TOPIC_SLUG,
    topic_name="Univers culture",
    topic_description=(
        "**L'univers culture** rassemble sur data.gouv.fr les données publiques relatives au domaine de la "
        "culture : patrimoine et monuments historiques, musées, archives, architecture, arts plastiques, "
        "cinéma et audiovisuel, spectacle vivant, livre et lecture, musique, presse et industries culturelles."
    ),
    topic_tags=("culture", "univers"),
    category_tags=CATEGORY_TAGS,
    templates=TEMPLATES,
    texts=CATEGORY_TEXT,
    national_orgs=NATIONAL_ORGS,
    local_orgs=LOCAL_ORGS,
    invented_kinds=_INVENTED_KINDS,
    tag="culture",
    about="sur la culture",
    harvest_domains=_HARVEST_DOMAINS,
    portal="data.culture.gouv.fr",
)

_SPORT_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("equipements-sportifs", "Recensement des équipements sportifs {a} ({year})"),
    ("equipements-sportifs", "Piscines et bassins de natation {a} {year}"),
    ("equipements-sportifs", "Gymnases et salles multisports {a} {year}"),
    ("equipements-sportifs", "Stades et terrains de grands jeux {a} {year}"),
    ("equipements-sportifs", "Accessibilité des équipements sportifs {a} {year}"),
    ("licences-sportives", "Licences sportives par fédération {a} {year}"),
    ("licences-sportives", "Clubs sportifs affiliés {a} ({year})"),
    ("licences-sportives", "Licenciées et licenciés par âge et par sexe {a} {year}"),
    ("licences-sportives", "Licences des fédérations olympiques {a} {year}"),
    ("sport-de-haut-niveau", "Sportifs de haut niveau inscrits sur les listes ministérielles {a} {year}"),
    ("sport-de-haut-niveau", "Pôles espoirs et centres d'entraînement {a} {year}"),
    ("sport-de-haut-niveau", "Médailles aux championnats de France {a} {year}"),
    ("jeux-olympiques", "Sites de compétition des Jeux Olympiques et Paralympiques {a} ({year})"),
    ("jeux-olympiques", "Centres de préparation aux Jeux {a} {year}"),
    ("jeux-olympiques", "Terre de Jeux : collectivités labellisées {a} {year}"),
    ("jeux-olympiques", "Héritage des Jeux : équipements rénovés {a} {year}"),
    ("activite-physique", "Maisons sport-santé {a} {year}"),
    ("activite-physique", "Pratique sportive des jeunes {a} {year}"),
    ("activite-physique", "Activité physique adaptée : structures {a} {year}"),
    ("activite-physique", "Savoir nager : enfants formés {a} {year}"),
    ("sports-de-nature", "Itinéraires de randonnée balisés {a} {year}"),
    ("sports-de-nature", "Sites d'escalade et falaises équipées {a} {year}"),
    ("sports-de-nature", "Plans d'eau et bases nautiques {a} {year}"),
    ("sports-de-nature", "Espaces, sites et itinéraires de sports de nature {a} ({year})"),
    ("evenements-sportifs", "Manifestations sportives déclarées {a} {year}"),
    ("evenements-sportifs", "Courses sur route et trails {a} {year}"),
    ("evenements-sportifs", "Calendrier des compétitions régionales {a} {year}"),
    ("evenements-sportifs", "Fréquentation des grands événements sportifs {a} {year}"),
    ("vie-associative", "Associations sportives agréées {a} {year}"),
    ("vie-associative", "Bénévoles des clubs sportifs {a} {year}"),
    ("vie-associative", "Subventions aux associations sportives {a} {year}"),
    ("vie-associative", "Pass'Sport : bénéficiaires {a} {year}"),
)
_SPORT_TEXT: dict[str, dict[str, tuple[str, ...]]] = {
    "equipements-sportifs": {
        "intro": (
            "Liste des équipements sportifs {a} : type d'équipement, propriétaire, gestionnaire, accessibilité et "
            "activités pratiquées.",
            "Ce jeu de données décrit les installations sportives ouvertes au public {a}, avec leurs caractéristiques "
            "et leurs coordonnées.",
        ),
        "columns": ("numero_equipement", "nom_installation", "type_equipement", "commune", "code_insee",
                    "proprietaire", "gestionnaire", "accessibilite_handicap", "latitude", "longitude"),
        "source": ("Extraction du **Recensement des équipements sportifs** (RES).",
                   "Données déclarées par les propriétaires et les gestionnaires des équipements."),
        "tags": ("equipements", "piscines", "gymnases", "stades", "res"),
    },
    "licences-sportives": {
        "intro": (
            "Nombre de licences délivrées par les fédérations sportives {a}, par âge, par sexe et par discipline.",
            "Ce jeu de données recense les clubs affiliés aux fédérations sportives {a} et leurs licenciés.",
        ),
        "columns": ("code_federation", "federation", "commune", "code_insee", "licences_femmes", "licences_hommes",
                    "tranche_age", "clubs", "annee"),
        "source": ("Recensement annuel des licences et des clubs auprès des fédérations agréées.",
                   "Données de l'Institut national de la jeunesse et de l'éducation populaire (INJEP)."),
        "tags": ("licences", "clubs", "federations", "pratique-sportive", "statistiques"),
    },
    "sport-de-haut-niveau": {
        "intro": (
            "Sportives et sportifs inscrits sur les listes de haut niveau {a}, par discipline et par catégorie.",
            "Ce jeu de données décrit les structures du parcours de performance fédéral {a}.",
        ),
        "columns": ("discipline", "federation", "categorie", "sexe", "commune", "structure", "date_inscription",
                    "date_fin"),
        "source": ("Listes ministérielles des sportifs de haut niveau.",
                   "Données de l'Agence nationale du sport."),
        "tags": ("haut-niveau", "performance", "athletes", "entrainement", "competition"),
    },
    "jeux-olympiques": {
        "intro": (
            "Sites, centres de préparation et collectivités engagées dans les Jeux Olympiques et Paralympiques {a}.",
            "Ce jeu de données rassemble l'héritage des Jeux {a} : équipements, programmes et labels.",
        ),
        "columns": ("site", "commune", "discipline", "capacite", "label", "date_label", "investissement",
                    "latitude", "longitude"),
        "source": ("Données du comité d'organisation et de la Société de livraison des ouvrages olympiques.",
                   "Données du label Terre de Jeux."),
        "tags": ("paris-2024", "paralympiques", "heritage", "terre-de-jeux", "olympisme"),
    },
    "activite-physique": {
        "intro": (
            "Structures et programmes d'activité physique et sportive pour la santé {a}.",
            "Ce jeu de données décrit la pratique d'une activité physique {a}, par âge et par territoire.",
        ),
        "columns": ("structure", "commune", "public", "type_activite", "participants", "prescription",
                    "annee", "dispositif"),
        "source": ("Données du réseau des Maisons sport-santé.",
                   "Enquête sur la pratique physique et sportive."),
        "tags": ("sport-sante", "sante", "jeunesse", "savoir-nager", "prevention"),
    },
    "sports-de-nature": {
        "intro": (
            "Espaces, sites et itinéraires de sports de nature {a} : randonnée, escalade, canoë, vélo tout terrain.",
            "Ce jeu de données recense les itinéraires balisés et les sites de pratique en plein air {a}.",
        ),
        "columns": ("identifiant", "nom", "activite", "commune", "longueur_km", "denivele", "difficulte",
                    "gestionnaire", "latitude", "longitude"),
        "source": ("Plan départemental des espaces, sites et itinéraires (PDESI).",
                   "Données saisies par les comités départementaux."),
        "tags": ("randonnee", "escalade", "nautisme", "plein-air", "itineraires"),
    },
    "evenements-sportifs": {
        "intro": (
            "Manifestations et compétitions sportives déclarées {a}, avec leurs dates et leur nombre de participants.",
            "Ce jeu de données décrit les grands événements sportifs organisés {a} et leur fréquentation.",
        ),
        "columns": ("evenement", "discipline", "commune", "date_debut", "date_fin", "participants", "spectateurs",
                    "organisateur"),
        "source": ("Déclarations des organisateurs de manifestations sportives.",
                   "Données des fédérations et des ligues régionales."),
        "tags": ("competitions", "manifestations", "course", "trail", "calendrier"),
    },
    "vie-associative": {
        "intro": (
            "Associations sportives, bénévoles et aides publiques au mouvement sportif {a}.",
            "Ce jeu de données recense les associations sportives agréées {a} et les aides qu'elles reçoivent.",
        ),
        "columns": ("association", "numero_rna", "commune", "discipline", "benevoles", "salaries",
                    "subvention", "annee"),
        "source": ("Répertoire national des associations.", "Données des services départementaux."),
        "tags": ("associations", "benevolat", "subventions", "pass-sport", "mouvement-sportif"),
    },
}  # fmt: skip
SPORT = Theme(
    name="sport",
    topic_id="5b0000000000000000000001",  # the placeholder of culture_portal/universes/sport.toml
    topic_slug="univers-sport",
    topic_name="Univers sport",
    topic_description=(
        "**L'univers sport** rassemble sur data.gouv.fr les données publiques du sport : équipements sportifs, "
        "licences et clubs, sport de haut niveau, Jeux Olympiques et Paralympiques, activité physique, sports de "
        "nature, événements sportifs et vie associative."
    ),
    topic_tags=("sport", "univers"),
    category_tags=tuple(dict.fromkeys(category for category, _ in _SPORT_TEMPLATES)),
    templates=_SPORT_TEMPLATES,
    texts=_SPORT_TEXT,
    national_orgs=(
        ("Ministère des Sports, de la Jeunesse et de la Vie associative", "MSJVA", "", _PUBLIC_CERTIFIED,
         "sports.gouv.fr"),
        ("Agence nationale du Sport", "ANS", "sport-de-haut-niveau", _PUBLIC_CERTIFIED, "agencedusport.fr"),
        ("Institut national du sport, de l'expertise et de la performance", "INSEP", "sport-de-haut-niveau",
         _PUBLIC_CERTIFIED, "insep.fr"),
        ("Institut national de la jeunesse et de l'éducation populaire", "INJEP", "licences-sportives",
         _PUBLIC_CERTIFIED, "injep.fr"),
        ("Comité national olympique et sportif français", "CNOSF", "jeux-olympiques", ("association",),
         "franceolympique.com"),
        ("Comité paralympique et sportif français", "CPSF", "jeux-olympiques", ("association",),
         "france-paralympique.fr"),
        ("Fédération française de randonnée pédestre", "FFRandonnée", "sports-de-nature", ("association",),
         "ffrandonnee.fr"),
        ("Fédération française de natation", "FFN", "equipements-sportifs", ("association",), "ffnatation.fr"),
        ("Fédération française d'athlétisme", "FFA", "evenements-sportifs", ("association",), "athle.fr"),
        ("Réseau des Maisons sport-santé", "", "activite-physique", ("public-service",), "maisons-sport-sante.fr"),
    ),
    local_orgs=(
        ("Ville {de}", "", ("local-authority",), ("fr:commune",)),
        ("Office municipal des sports {de}", "vie-associative", ("association",), ("fr:commune",)),
        ("Piscine municipale {de}", "equipements-sportifs", ("local-authority",), ("fr:commune",)),
        ("Département {de}", "", ("local-authority",), ("fr:departement",)),
        ("Comité départemental olympique et sportif {de}", "licences-sportives", ("association",),
         ("fr:departement",)),
        ("Comité départemental de la randonnée pédestre {de}", "sports-de-nature", ("association",),
         ("fr:departement",)),
        ("Région {nom}", "", ("local-authority",), ("fr:region",)),
        ("Délégation régionale académique à la jeunesse, à l'engagement et aux sports {de}", "", _PUBLIC_CERTIFIED,
         ("fr:region",)),
        ("Centre de ressources, d'expertise et de performance sportive {de}", "sport-de-haut-niveau",
         ("public-service",), ("fr:region",)),
    ),
    invented_kinds=(
        ("Club", "licences-sportives", ("association",)),
        ("Association sportive", "vie-associative", ("association",)),
        ("Comité d'organisation", "evenements-sportifs", ("association",)),
        ("Base de loisirs", "sports-de-nature", ("company",)),
        ("Salle", "activite-physique", ("company",)),
    ),
    tag="sport",
    about="sur le sport",
    harvest_domains=("data.sports.gouv.fr", "equipements.sports.gouv.fr", "opendata.paris.fr", "www.data.gouv.fr"),
    portal="data.sports.gouv.fr",
)  # fmt: skip
THEMES = {theme.name: theme for theme in (CULTURE, SPORT)}

_KIND_CULTURE, _KIND_OTHER, _KIND_ORG, _KIND_ELEMENT, _KIND_USER, _KIND_CONTACT, _KIND_SOURCE = range(0xC1, 0xC8)

# What a hostile dataset carries (bench.abuse syncs a catalogue with one of each mixed in).
HOSTILE_KINDS = (
    "dates-after-9999",
    "dates-before-0001",
    "huge-quality-score",
    "nan-metrics",
    "long-folding-tag",
    "300-formats",
    "nul-characters",
    "lone-surrogates",
    "non-characters",
    "owner-wrong-type",
    "everything",
)


def _hostile(payload: dict[str, Any], kind: str) -> dict[str, Any]:
    """``payload`` with the hostile values of ``kind`` (see HOSTILE_KINDS); "everything" takes them all."""
    every = kind == "everything"
    if every or kind == "dates-after-9999":  # year 10000 once in UTC
        for key in ("created_at", "last_modified", "last_update"):
            payload[key] = "9999-12-31T23:59:59-05:00"
        payload["temporal_coverage"] = {"start": "9999-12-31", "end": "9999-12-31T23:59:59-05:00"}
        for resource in payload["resources"]:
            resource["created_at"] = resource["last_modified"] = "9999-12-31T23:59:59-05:00"
    if kind == "dates-before-0001":  # year 0 once in UTC
        for key in ("created_at", "last_modified", "last_update"):
            payload[key] = "0001-01-01T00:00:00+05:00"
        payload["temporal_coverage"] = {"start": "0001-01-01T00:00:00+05:00", "end": "0001-01-01"}
        for resource in payload["resources"]:
            resource["created_at"] = resource["last_modified"] = "0001-01-01T00:00:00+05:00"
    if every or kind == "huge-quality-score":
        payload["quality"] = {**payload["quality"], "score": 10**400}  # json writes its 401 digits
        payload["metrics"] = {**payload["metrics"], "resources_downloads": 10**400}
    if every or kind == "nan-metrics":
        payload["metrics"] = {**payload["metrics"], "views": math.nan, "followers": math.inf,
                              "reuses": -math.inf, "discussions": math.nan}  # fmt: skip
        payload["quality"] = {**payload["quality"], "score": math.nan}
        for resource in payload["resources"]:
            resource["filesize"] = math.inf
    if every or kind == "long-folding-tag":
        payload["tags"] = [*payload["tags"], "İ" * 255]  # 510 characters once lower-cased
    if every or kind == "300-formats":
        first, salt = payload["resources"][0], _mix(int(payload["id"], 16))
        payload["resources"] = [
            {**first, "id": str(uuid.UUID(int=(salt << 64) | number, version=4)), "format": f"fmt{number:03d}",
             "title": f"Fichier {number}", "mime": None}
            for number in range(300)
        ]  # fmt: skip
    if every or kind == "nul-characters":
        payload["title"] = payload["title"].replace(" ", "\x00 ", 1) + "\x00"
        payload["description"] = "Description\x00 avec NUL\x00" + payload["description"]
    # udata sends lone surrogates escaped (\ud800): valid JSON, not valid UTF-8 once decoded. Low before
    # high, or JSON would join them into one character.
    if every or kind == "lone-surrogates":
        payload["title"] = payload["title"] + " \udfff\ud800"
        payload["description"] = "\udfff" + payload["description"] + "\ud800"
        payload["description_short"] = "\ud83d court"
    if every or kind == "non-characters":
        payload["title"] = "\ufffe" + payload["title"] + "\uffff"
        payload["description"] = payload["description"] + "\ufffe\ufffe"
    if every or kind == "owner-wrong-type":
        payload["organization"] = None
        payload["owner"] = "utilisateur-sans-objet" if not every else ["un", "tableau"]
    return payload


def _object_id(timestamp: float, kind: int, seed: int, index: int) -> str:
    """A 24-hex ObjectId whose first 4 bytes are a timestamp (like MongoDB's) and last 5 the index."""
    return f"{int(timestamp) & 0xFFFFFFFF:08x}{kind:02x}{seed & 0xFFFF:04x}{index:010x}"


def _parse_object_id(value: str, kind: int, seed: int) -> int | None:
    if len(value) != 24 or not re.fullmatch(r"[0-9a-f]{24}", value):
        return None
    if int(value[8:10], 16) != kind or int(value[10:14], 16) != seed & 0xFFFF:
        return None
    return int(value[14:], 16)


class Catalogue:
    """Synthetic culture catalogue of ``size`` datasets; every payload is rebuilt from its index."""

    def __init__(
        self,
        size: int,
        *,
        seed: int = 2026,
        archived_share: float = 0.01,
        site: str = SITE,
        base_time: float = BASE_TIME,
        hostile: int = 0,
        private_topic: bool = False,
        observer_share: float = 0.0,
        theme: Theme = CULTURE,
    ) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        if observer_share and theme is not CULTURE:
            raise ValueError("the Observer topic is culture's: no observer_share with another theme")
        self.theme = theme
        self.size = size  # ordinary datasets of the topic: indexes 0 to size - 1
        self.hostile = max(0, hostile)  # hostile ones after them: size to total - 1
        self.total = size + self.hostile
        self.base_time = base_time  # the newest last_update; everything else is older
        self.seed = seed
        self.site = site.rstrip("/")
        self.archived_share = archived_share
        self.topic_id = theme.topic_id
        self.topic_slug = theme.topic_slug
        self.private_topic = private_topic  # the topic answers 404, as a private one does
        self.observer_share = observer_share
        self._observer: array | None = None
        self._observer_orders: dict[str, array] = {}
        self.read_lock = contextlib.nullcontext()  # nothing changes once built: no lock for the server
        self.zone_names = ZONE_NAMES
        self.organization_count = max(len(theme.national_orgs), round(size / 25))
        self.other_count = max(10_000, 3 * size)  # national datasets outside the topic
        self._combinations = len(theme.templates) * len(PLACES) * len(YEARS)
        self._multiplier = self._coprime(self._combinations, 7_919 * 13 + seed % 1000)
        self._lock = threading.RLock()  # lazy tables call each other
        self._listed: array | None = None
        self._orders: dict[str, array] = {}
        self._slugs: dict[str, int] | None = None
        self._organization_table: list[tuple[str, str, str, tuple[str, ...], str, int]] | None = None
        self._organization_slugs: dict[str, int] | None = None
        self._orgs_by_category: dict[str, list[int]] | None = None
        self._org_dataset_counts: array | None = None
        self.skeleton = lru_cache(maxsize=16_384)(self._skeleton)
        self.organization_info = lru_cache(maxsize=None)(self._organization_info)

    @staticmethod
    def _coprime(modulus: int, start: int) -> int:
        candidate = start
        while math.gcd(candidate, modulus) != 1:
            candidate += 1
        return candidate

    # --- cheap per-index values (hash based, no Random object) --------------------------------

    def _unit(self, index: int, salt: int) -> float:
        """A float in [0, 1) that depends only on (seed, index, salt)."""
        return _mix((self.seed << 40) ^ (salt << 32) ^ index) / 2.0**64

    def is_archived(self, index: int) -> bool:
        return 2 < index < self.size and self._unit(index, 1) < self.archived_share

    def is_hostile(self, index: int) -> bool:
        return self.size <= index < self.total

    def last_update_ts(self, index: int) -> float:
        jitter = self._unit(index, 2) * (UPDATE_STEP - 1)
        return self.base_time - index * UPDATE_STEP - jitter

    def created_ts(self, index: int) -> float:
        age_days = 2_900 * self._unit(index, 3) ** 1.5
        return self.last_update_ts(index) - age_days * 86_400 - 3_600 * self._unit(index, 4)

    def views(self, index: int) -> int:
        u = 1.0 - self._unit(index, 5)  # (0, 1]
        return min(int(15 * (u**-1.15 - 1) + 3 * self._unit(index, 6) * 10), 5_000_000)

    def followers(self, index: int) -> int:
        return int(self.views(index) / 400 + 6 * self._unit(index, 7) ** 3)

    def reuses(self, index: int) -> int:
        return int(self.views(index) / 6_000 + (1 if self._unit(index, 8) > 0.93 else 0))

    def _skeleton(self, index: int) -> dict[str, Any]:
        """Title, place, organization and dates of a culture dataset: what listings sort and mask on."""
        position = (index * self._multiplier + self.seed) % self._combinations
        templates = self.theme.templates
        template_index, rest = position % len(templates), position // len(templates)
        place_index, year_index = rest % len(PLACES), rest // len(PLACES)
        category, pattern = templates[template_index]
        place, year = PLACES[place_index], YEARS[year_index % len(YEARS)]
        title = pattern.format(a=place[1], de=place[2], nom=place[0], year=year)
        if index >= self._combinations:
            title += f" (série {index // self._combinations + 1})"
        slug = slugify(title)
        organization = None
        if self._unit(index, 9) >= 0.04:
            organization = self._organization_for(category, self._unit(index, 10))
        return {
            "index": index,
            "id": _object_id(self.created_ts(index), _KIND_CULTURE, self.seed, index),
            "title": title,
            "slug": slug,
            "category": category,
            "template": template_index,
            "place": place,
            "year": year,
            "organization": organization,
            "last_update": self.last_update_ts(index),
            "created": self.created_ts(index),
        }

    # --- organizations ------------------------------------------------------------------------

    def _organizations(self) -> list[tuple[str, str, str, tuple[str, ...], str, int]]:
        """(name, acronym, category, badges, domain, place index) of every organization, built once."""
        with self._lock:
            if self._organization_table is not None:
                return self._organization_table
            theme = self.theme
            table = [(name, acronym, category, badges, domain, 0) for name, acronym, category, badges, domain in
                     theme.national_orgs]  # fmt: skip
            local = [
                (pattern, category, badges, place_index)
                for pattern, category, badges, kinds in theme.local_orgs
                for place_index, place in enumerate(PLACES)
                if place[4] in kinds
            ]
            random.Random(self.seed).shuffle(local)
            invented = [
                (kind, name, category, badges)
                for kind, category, badges in theme.invented_kinds
                for name in _INVENTED_NAMES
            ]
            random.Random(self.seed + 1).shuffle(invented)
            for pattern, category, badges, place_index in local:
                if len(table) >= self.organization_count:
                    break
                place = PLACES[place_index]
                name = pattern.format(de=place[2], nom=place[0])
                table.append((name, "", category, badges, f"{slugify(place[0])}.fr", place_index))
            cities = [i for i, place in enumerate(PLACES) if place[4] == "fr:commune"]
            number = 0
            while len(table) < self.organization_count:
                kind, name, category, badges = invented[number % len(invented)]
                place_index = cities[(number // len(invented)) % len(cities)]
                full = f"{kind} {name} ({PLACES[place_index][0]})"
                if number >= len(invented) * len(cities):
                    full += f" {number // (len(invented) * len(cities)) + 1}"
                table.append((full, "", category, badges, f"{slugify(kind + ' ' + name)}.fr", place_index))
                number += 1
            by_category: dict[str, list[int]] = {category: [] for category in theme.category_tags}
            for org_index, (_, _, category, _, _, _) in enumerate(table):
                for target in theme.category_tags if not category else (category,):
                    by_category[target].append(org_index)
            self._orgs_by_category = by_category
            self._organization_table = table
            return table

    def _organization_for(self, category: str, u: float) -> int:
        self._organizations()
        assert self._orgs_by_category is not None
        candidates = self._orgs_by_category[category]
        return candidates[int(len(candidates) * u**2.2)]  # skewed: the first ones publish most

    def organization_id(self, org_index: int) -> str:
        created = self.base_time - 86_400 * (400 + 3_000 * self._unit(org_index, 40))
        return _object_id(created, _KIND_ORG, self.seed, org_index)

    def _organization_info(self, org_index: int) -> dict[str, Any]:
        name, acronym, category, badges, domain, place_index = self._organizations()[org_index]
        slug = slugify(name)
        has_logo = self._unit(org_index, 41) < 0.7
        logo_key = f"{_mix(org_index ^ self.seed) & ((1 << 120) - 1):030x}"
        logo = f"https://static.data.gouv.fr/avatars/{logo_key[:2]}/{logo_key[2:]}-original.png" if has_logo else None
        thumbnail = logo.replace("-original.png", "-100.png") if logo else None
        return {
            "id": self.organization_id(org_index),
            "name": name,
            "acronym": acronym or None,
            "slug": slug,
            "category": category,
            "badges": badges,
            "domain": domain,
            "place": PLACES[place_index],
            "logo": logo,
            "logo_thumbnail": thumbnail,
        }

    def organization_reference(self, org_index: int) -> dict[str, Any]:
        info = self.organization_info(org_index)
        return payloads.organization_reference(
            {
                **info,
                "badges": [{"kind": kind} for kind in info["badges"]],
                "page": f"{self.site}/organizations/{info['slug']}",
                "uri": f"{self.site}/api/1/organizations/{info['slug']}/",
            }
        )

    def organization_dataset_counts(self) -> array:
        with self._lock:
            if self._org_dataset_counts is None:
                counts = array("I", [0]) * self.organization_count
                for index in range(self.total):
                    org_index = self.skeleton(index)["organization"]
                    if org_index is not None and not self.is_archived(index):
                        counts[org_index] += 1
                self._org_dataset_counts = counts
            return self._org_dataset_counts

    def organization(self, org_index: int) -> dict[str, Any]:
        """``GET /api/1/organizations/{id}/``."""
        info = self.organization_info(org_index)
        rng = random.Random(_mix((self.seed << 20) ^ org_index ^ 0x0A6))
        datasets = self.organization_dataset_counts()[org_index]
        followers = int(datasets * 3 + rng.random() * 40)
        views = int(datasets * 900 * (0.5 + rng.random()))
        months = [f"{year}-{month:02d}" for year, month in _last_months(self.base_time, 13)]

        def series(final: int) -> dict[str, int]:
            return {month: max(0, final - (12 - k) * final // 40) for k, month in enumerate(months)}

        place = info["place"][0]
        description = (
            f"**{info['name']}** publie ici ses données {self.theme.about} {info['place'][1]}.\n\n"
            f"- Site internet : [{info['domain']}](https://{info['domain']})\n"
            "- Contact : via le formulaire du site\n"
        )
        if rng.random() < 0.3:
            description = ""
        created = int(info["id"][:8], 16) + 0.412
        member_first, member_last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        member_slug = slugify(f"{member_first} {member_last}")
        member_ts = created + 86_400 * 30
        return payloads.organization_payload(
            acronym=info["acronym"],
            badges=[{"kind": kind} for kind in info["badges"]],
            business_number_id=f"{rng.randrange(10**13, 10**14)}" if rng.random() < 0.8 else None,
            created_at=iso(created),
            deleted=None,
            description=description,
            ext={},
            extras={},
            id=info["id"],
            image_url=None,
            last_modified=iso(self.base_time - 86_400 * 2 - rng.random() * 86_400 * 200),
            logo=info["logo"],
            logo_thumbnail=info["logo_thumbnail"],
            members=[
                {
                    "label": "Administrateur",
                    "role": "admin",
                    "since": iso(member_ts),
                    "user": {
                        "avatar": None,
                        "avatar_thumbnail": None,
                        "class": "User",
                        "email": f"***@{info['domain']}",
                        "first_name": member_first,
                        "id": _object_id(member_ts, _KIND_USER, self.seed, 10**6 + org_index),
                        "last_login_at": None,
                        "last_name": member_last,
                        "page": f"{self.site}/users/{member_slug}",
                        "slug": member_slug,
                        "uri": f"{self.site}/api/1/users/{member_slug}/",
                    },
                }
            ],
            metrics={
                "dataservices": 0,
                "dataservices_by_months": series(0),
                "datasets": datasets,
                "datasets_by_months": series(datasets),
                "datasets_followers_by_months": series(followers * 3),
                "datasets_reuses_by_months": series(datasets // 20),
                "followers": followers,
                "members": 1 + rng.randrange(12),
                "reuses": datasets // 20,
                "reuses_by_months": series(datasets // 20),
                "reuses_followers_by_months": series(datasets // 10),
                "views": views,
            },
            name=info["name"],
            page=f"{self.site}/organizations/{info['slug']}",
            permissions={"delete": False, "edit": False, "harvest": False, "members": False, "private": False},
            presentation_blocs_published_at=None,
            slug=info["slug"],
            teams=[],
            uri=f"{self.site}/api/1/organizations/{info['slug']}/",
            url=f"https://www.{info['domain']}" if rng.random() < 0.85 else None,
            zone=None if place == "France" else info["place"][3],
        )

    def find_organization(self, key: str) -> tuple[dict[str, Any] | None, None]:
        """``(payload, None)`` for an id or a slug, ``(None, None)`` when unknown (no former slugs here)."""
        index = self.organization_index(key)
        return (None if index is None else self.organization(index)), None

    def organization_index(self, key: str) -> int | None:
        """Organization index for an id or a slug, None when unknown."""
        index = _parse_object_id(key, _KIND_ORG, self.seed)
        if index is not None:
            return index if index < self.organization_count and self.organization_id(index) == key else None
        with self._lock:
            if self._organization_slugs is None:
                slugs: dict[str, int] = {}
                for org_index in range(self.organization_count):
                    slugs.setdefault(self._organization_info(org_index)["slug"], org_index)
                self._organization_slugs = slugs
        return self._organization_slugs.get(key)

    # --- datasets -----------------------------------------------------------------------------

    def dataset_id(self, index: int) -> str:
        return self.skeleton(index)["id"]

    def dataset_light(self, index: int) -> dict[str, Any]:
        """The fields a listing can return without building the whole payload (for X-Fields masks)."""
        skeleton = self.skeleton(index)
        update = skeleton["last_update"]
        return {
            "archived": iso(update + 86_400 * 30) if self.is_archived(index) else None,
            "created_at": iso(skeleton["created"]),
            "deleted": None,
            "id": skeleton["id"],
            "last_modified": iso(update + 41.207),
            "last_update": iso(update),
            "page": f"{self.site}/datasets/{skeleton['slug']}",
            "private": False,
            "slug": skeleton["slug"],
            "title": skeleton["title"],
            "uri": f"{self.site}/api/1/datasets/{skeleton['slug']}/",
        }

    LIGHT_FIELDS = frozenset(
        {"archived", "created_at", "deleted", "id", "last_modified", "last_update", "page", "private", "slug",
         "title", "uri"}
    )  # fmt: skip

    def dataset(self, index: int) -> dict[str, Any]:
        """The full v1 payload of culture dataset ``index`` (``GET /api/1/datasets/{id}/``)."""
        skeleton = self.skeleton(index)
        text = self.theme.texts[skeleton["category"]]
        payload = self._build(index, skeleton, text, archived=self.is_archived(index))
        if self.is_observer(index):
            theme = tuple(OBSERVER_THEMES)[int(self._unit(index, 61) * len(OBSERVER_THEMES))]
            subthemes = OBSERVER_THEMES[theme]
            payload["tags"] = [*payload["tags"], theme, subthemes[int(self._unit(index, 62) * len(subthemes))]]
        if self.is_hostile(index):
            payload = _hostile(payload, HOSTILE_KINDS[(index - self.size) % len(HOSTILE_KINDS)])
        return payload

    def is_observer(self, index: int) -> bool:
        """Whether the dataset is also an element of the Observer topic."""
        return bool(self.observer_share) and index < self.size and self._unit(index, 60) < self.observer_share

    def _build(
        self, index: int, skeleton: dict[str, Any], text: dict[str, tuple[str, ...]], *, archived: bool
    ) -> dict[str, Any]:
        theme = self.theme
        rng = random.Random((self.seed << 32) ^ (index * 2 + (0 if skeleton["category"] in theme.texts else 1)))
        update = skeleton["last_update"]
        created = skeleton["created"]
        modified = update + 41.207
        place, year, slug, title = skeleton["place"], skeleton["year"], skeleton["slug"], skeleton["title"]
        category = skeleton["category"]
        org_index = skeleton["organization"]
        page = f"{self.site}/datasets/{slug}"

        organization = self.organization_reference(org_index) if org_index is not None else None
        owner = None
        if organization is None:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            user_slug = slugify(f"{first} {last}")
            avatar_key = f"{rng.getrandbits(120):030x}"
            has_avatar = rng.random() < 0.5
            owner = payloads.user_reference_payload(
                avatar=f"https://static.data.gouv.fr/avatars/{avatar_key[:2]}/{avatar_key[2:]}-original.jpeg"
                if has_avatar
                else None,
                avatar_thumbnail=f"https://static.data.gouv.fr/avatars/{avatar_key[:2]}/{avatar_key[2:]}-100.jpeg"
                if has_avatar
                else None,
                first_name=first,
                id=_object_id(created - 86_400 * 90, _KIND_USER, self.seed, index),
                last_name=last,
                page=f"{self.site}/users/{user_slug}",
                slug=user_slug,
                uri=f"{self.site}/api/1/users/{user_slug}/",
            )

        harvested = organization is not None and rng.random() < 0.35
        domain = rng.choice(theme.harvest_domains) if harvested else ""
        remote_url = f"https://{domain}/explore/dataset/{slug}/" if harvested else ""
        frequency = _weighted(rng, _FREQUENCIES)
        license_id = _weighted(rng, _LICENSE_WEIGHTS)

        # Tags: the category, sometimes a second one, a few free tags, sometimes the place.
        tags = [category] if category in theme.texts else []
        if tags and rng.random() < 0.15:
            tags.append(rng.choice(theme.category_tags))
        tags.extend(rng.sample(text["tags"], min(len(text["tags"]), rng.randint(1, 3))))  # national texts have 2
        if rng.random() < 0.4:
            tags.append(theme.tag)
        if rng.random() < 0.3 and place[0] != "France":
            tags.append(slugify(place[0]))
        tags = sorted(set(tags))

        # Description (Markdown) and its optional short version.
        columns = rng.sample(text["columns"], min(len(text["columns"]), rng.randint(4, 7)))
        intro = rng.choice(text["intro"]).format(a=place[1])
        paragraphs = [f"{intro} Les données couvrent l'année **{year}**."]
        if rng.random() < 0.5:
            paragraphs.append(
                "## Contenu\n\n" + "\n".join(f"- `{column}` : {column.replace('_', ' ')} ;" for column in columns)
            )
        else:
            rows = "\n".join(f"| `{column}` | {column.replace('_', ' ').capitalize()} |" for column in columns)
            paragraphs.append(f"| Colonne | Description |\n|---|---|\n{rows}")
        paragraphs.append("## Source\n\n" + rng.choice(text["source"]))
        if rng.random() < 0.4:
            paragraphs.append(
                f"> Les données {year - 1} ont été révisées lors de cette publication. Signalez toute erreur dans "
                "l'onglet Discussions."
            )
        if harvested:
            paragraphs.append(f"Moissonné depuis [{domain}]({remote_url}).")
        description = "\n\n".join(paragraphs)
        description_short = None
        if rng.random() < 0.35:
            description_short = intro[:200]

        # Spatial and temporal coverage.
        spatial = None
        if rng.random() < 0.8:
            granularity = place[4] if place[4] != "country" else rng.choice(("fr:region", "fr:departement", "other"))
            spatial = {"geom": None, "granularity": granularity, "zones": [place[3]]}
        temporal = {"end": f"{year}-12-31", "start": f"{year}-01-01"} if rng.random() < 0.6 else None

        resources = self._resources(rng, index, skeleton, harvested, domain, remote_url, created, update)
        formats = {resource["format"] for resource in resources}

        views = self.views(index)
        followers = self.followers(index)
        reuses = self.reuses(index)
        discussions = rng.choice((0, 0, 0, 0, 1, 1, 2, 3))
        by_months: Any = 0
        reuses_by_months: Any = 0
        if rng.random() < 0.6:
            months = [f"{y}-{m:02d}" for y, m in _last_months(self.base_time, 13)]
            by_months = {month: max(0, followers - (12 - k) // 4) for k, month in enumerate(months)}
            reuses_by_months = {month: max(0, reuses - (12 - k) // 6) for k, month in enumerate(months)}

        has_frequency = frequency != "unknown"
        quality: dict[str, Any] = {
            "all_resources_available": all(r["extras"].get("check:available", True) for r in resources),
            "dataset_description_quality": len(description) > 300,
            "has_open_format": bool(formats & {"csv", "json", "geojson", "xml", "ods", "parquet", "txt"}),
            "has_resources": True,
            "license": license_id != "notspecified",
            "resources_documentation": any(r["description"] for r in resources),
            "spatial": spatial is not None,
            "temporal_coverage": temporal is not None,
            "update_frequency": has_frequency,
        }
        if has_frequency:
            quality["update_fulfilled_in_time"] = rng.random() < 0.8
        quality["score"] = sum(1 for value in quality.values() if value is True) / 9
        quality = dict(sorted(quality.items()))

        period = _PERIOD_DAYS.get(frequency)
        contact_points = []
        if organization is not None and rng.random() < 0.3:
            contact_points.append(
                {
                    "contact_form": f"https://www.{self.organization_info(org_index)['domain']}/contact",
                    "email": f"donnees@{self.organization_info(org_index)['domain']}",
                    "id": _object_id(created, _KIND_CONTACT, self.seed, index),
                    "name": f"{organization['name']} : service des données",
                    "organization": organization,
                    "owner": None,
                    "role": "contact",
                }
            )
        harvest = None
        extras: dict[str, Any] = {}
        if harvested:
            harvest = {
                "backend": "DCAT",
                "created_at": iso(created),
                "dct_identifier": slug,
                "domain": domain,
                "issued_at": iso(created),
                "last_update": iso(modified),
                "modified_at": iso(update),
                "remote_id": slug,
                "remote_url": remote_url,
                "source_id": _object_id(
                    self.base_time - 86_400 * 900, _KIND_SOURCE, self.seed, theme.harvest_domains.index(domain)
                ),
                "uri": remote_url,
            }
            extras = {"dcat": {"landingPage": [remote_url]}}
        archived_at = update + 86_400 * 30 if archived else None
        if archived and harvest is not None:
            harvest = dict(sorted({**harvest, "archived": "not-on-remote", "archived_at": iso(archived_at)}.items()))
        acronym = None
        if rng.random() < 0.05:
            acronym = "".join(word[0] for word in title.split()[:4] if word[0].isalpha()).upper() or None

        return payloads.dataset_payload(
            access_audiences=[],
            access_type="open",
            access_type_reason=None,
            access_type_reason_category=None,
            acronym=acronym,
            archived=iso(archived_at) if archived_at else None,
            authorization_request_url=None,
            badges=[{"kind": "hvd"}] if rng.random() < 0.02 else [],
            contact_points=contact_points,
            created_at=iso(created),
            deleted=None,
            description=description,
            description_short=description_short,
            extras=extras,
            featured=rng.random() < 0.01,
            frequency=frequency,
            frequency_date=iso(update + period * 86_400) if period else None,
            harvest=harvest,
            id=skeleton["id"],
            internal={
                "created_at_internal": iso(created + 0.498),
                "last_modified_internal": iso(modified),
            },
            last_modified=iso(modified),
            last_update=iso(update),
            license=license_id,
            metrics={
                "dataservices": 0,
                "discussions": discussions,
                "discussions_open": discussions // 2,
                "followers": followers,
                "followers_by_months": by_months,
                "resources_downloads": int(views * (0.3 + rng.random())),
                "reuses": reuses,
                "reuses_by_months": reuses_by_months,
                "views": views,
            },
            organization=organization,
            owner=owner,
            page=page,
            quality=quality,
            resources=resources,
            slug=slug,
            spatial=spatial,
            tags=tags,
            temporal_coverage=temporal,
            title=title,
            uri=f"{self.site}/api/1/datasets/{slug}/",
        )

    def _resources(
        self,
        rng: random.Random,
        index: int,
        skeleton: dict[str, Any],
        harvested: bool,
        domain: str,
        remote_url: str,
        created: float,
        update: float,
    ) -> list[dict[str, Any]]:
        count = _weighted(rng, _RESOURCE_COUNTS)
        slug, year = skeleton["slug"], skeleton["year"]
        stem = slug.replace("-", "_")[:60]
        resources = []
        for position in range(count):
            kind = "main" if position == 0 else _weighted(rng, _RESOURCE_TYPES)
            if kind == "documentation":
                fmt: str | None = _weighted(rng, _DOC_FORMATS)
            elif kind == "api":
                fmt = rng.choice(("json", "json", "xml", None))
            elif kind == "code":
                fmt = "zip"
            elif kind == "other":
                fmt = rng.choice(("pdf", "zip", "png"))
            else:
                fmt = _weighted(rng, _MAIN_FORMATS)
            resource_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            r_created = created + position * 60 + rng.random() * 30
            r_modified = update - rng.random() * 86_400 * 20 if position else update
            r_modified = max(r_modified, r_created)
            hosted = not harvested and rng.random() < 0.7
            filesize = int(math.exp(rng.uniform(7, 18))) if fmt else None
            label = (fmt or "api").upper()
            if kind == "documentation":
                title = rng.choice(("Notice méthodologique", "Dictionnaire des variables", "Guide d'utilisation"))
                title = f"{title} {year}"
            elif kind == "api":
                title = "API d'accès aux données"
            elif kind == "update":
                title = f"Mise à jour du {day(r_modified)}"
            elif kind == "code":
                title = "Scripts de traitement"
            else:
                title = rng.choice((f"{skeleton['title']} ({label})", f"{stem}_{position}.{fmt or 'json'}",
                                    f"Millésime {year - rng.randrange(3)} ({label})"))  # fmt: skip
            stamp = datetime.fromtimestamp(r_created, UTC).strftime("%Y%m%d-%H%M%S")
            if hosted:
                url = f"https://static.data.gouv.fr/resources/{slug}/{stamp}/{stem}_{position}.{fmt or 'bin'}"
            elif kind == "api":
                url = f"https://api.{domain or self.theme.portal.removeprefix('data.')}/v1/{slug}"
            else:
                url = f"{remote_url or f'https://{self.theme.portal}/explore/dataset/{slug}/'}download?format={fmt}"
            extras: dict[str, Any] = {}
            available = rng.random() > 0.03
            if rng.random() < 0.9:
                extras = {
                    "check:available": available,
                    "check:date": iso(self.base_time - rng.random() * 86_400 * 20),
                    "check:status": 200 if available else rng.choice((404, 500, 403)),
                }
                if available and fmt:
                    extras["check:headers:content-type"] = MIMES.get(fmt, "application/octet-stream")
                    if not hosted:
                        extras["analysis:content-length"] = filesize
                        extras["analysis:last-modified-at"] = iso(r_modified)
                        extras["analysis:last-modified-detection"] = "last-modified-header"
                        extras["analysis:mime-type"] = MIMES.get(fmt, "application/octet-stream")
            parsed = available and fmt in _TABULAR and rng.random() < 0.7
            if parsed:
                table = f"{rng.getrandbits(128):032x}"
                extras["analysis:parsing:finished_at"] = iso(r_modified + 900)
                extras["analysis:parsing:parquet_size"] = (filesize or 1000) // 6
                extras["analysis:parsing:parquet_url"] = (
                    f"https://object.files.data.gouv.fr/hydra-parquet/hydra-parquet/{table}.parquet"
                )
                extras["analysis:parsing:parsing_table"] = table
                extras["analysis:parsing:started_at"] = iso(r_modified + 890)
            extras = dict(sorted(extras.items()))
            description = None
            if rng.random() < 0.5:
                description = rng.choice(
                    (
                        f"Export au format {label} (encodage UTF-8).",
                        f"Données {year}, une ligne par établissement.",
                        "Fichier mis à jour à chaque publication ; les colonnes sont décrites dans la documentation.",
                    )
                )
            resources.append(
                payloads.resource_payload(
                    checksum={"type": "sha1", "value": f"{rng.getrandbits(160):040x}"} if hosted else None,
                    created_at=iso(r_created),
                    description=description,
                    extras=extras,
                    filesize=filesize if hosted else None,
                    filetype="file" if hosted else "remote",
                    format=fmt,
                    harvest={
                        "issued_at": iso(created),
                        "last_update": iso(update + 41.207),
                        "modified_at": iso(r_modified),
                        "uri": url,
                    }
                    if harvested
                    else None,
                    id=resource_id,
                    internal={
                        "created_at_internal": iso(r_created + 0.512),
                        "last_modified_internal": iso(r_modified + 0.207),
                    },
                    last_modified=iso(r_modified),
                    latest=f"{self.site}/api/1/datasets/r/{resource_id}",
                    metrics={"views": int(self.views(index) * rng.random() / 3)} if rng.random() < 0.7 else {},
                    mime=MIMES.get(fmt or ""),
                    preview_url=f"https://explore.data.gouv.fr/fr/resources/{resource_id}" if parsed else None,
                    schema=None,
                    title=title,
                    type=kind,
                    url=url,
                )
            )
        return resources

    # --- listings -----------------------------------------------------------------------------

    def listed(self) -> array:
        """Indexes of the datasets the topic listing returns (archived ones are left out), in index order."""
        with self._lock:
            if self._listed is None:
                self._listed = array("I", (i for i in range(self.total) if not self.is_archived(i)))
            return self._listed

    def order(self, sort: str) -> array:
        """Listed indexes sorted by ``sort`` (``-last_update``, ``created``, ``title``, ``views``…)."""
        listed = self.listed()
        if sort == "-last_update":
            return listed
        with self._lock:
            if sort not in self._orders:
                descending = sort.startswith("-")
                field = sort.lstrip("-")
                keys = {
                    "last_update": self.last_update_ts,
                    "created": self.created_ts,
                    "title": lambda i: self.skeleton(i)["title"],
                    "views": self.views,
                    "followers": self.followers,
                    "reuses": self.reuses,
                }
                key = keys[field]
                ranked = sorted(listed, key=lambda i: (key(i), i), reverse=descending)
                self._orders[sort] = array("I", ranked)
            return self._orders[sort]

    def find_dataset(self, key: str) -> tuple[dict[str, Any] | None, None]:
        """``(payload, None)``: a dataset (culture or national) by id or slug, archived ones included."""
        return self.dataset_by_key(key), None

    def find_resource(self, resource_id: str) -> None:
        return None  # resources are only read inline, with their dataset

    def dataset_by_key(self, key: str) -> dict[str, Any] | None:
        """A dataset (culture or national) by id or slug, archived ones included; None when unknown."""
        index = _parse_object_id(key, _KIND_CULTURE, self.seed)
        if index is not None:
            return self.dataset(index) if index < self.total and self.dataset_id(index) == key else None
        other = _parse_object_id(key, _KIND_OTHER, self.seed)
        if other is not None:
            return self.other_dataset(other) if other < self.other_count and self.other_id(other) == key else None
        with self._lock:
            if self._slugs is None:
                slugs: dict[str, int] = {}
                for i in range(self.total):
                    slugs.setdefault(self.skeleton(i)["slug"], i)
                self._slugs = slugs
        index = self._slugs.get(key)
        return self.dataset(index) if index is not None else None

    # --- the national catalogue outside the topic ----------------------------------------------

    def other_id(self, index: int) -> str:
        return _object_id(self.base_time - 86_400 * 400 - index * 600, _KIND_OTHER, self.seed, index)

    def other_dataset(self, index: int) -> dict[str, Any]:
        template, rest = index % len(OTHER_TEMPLATES), index // len(OTHER_TEMPLATES)
        place, year = PLACES[rest % len(PLACES)], YEARS[(rest // len(PLACES)) % len(YEARS)]
        title = OTHER_TEMPLATES[template][1].format(a=place[1], de=place[2], nom=place[0], year=year)
        if index >= len(OTHER_TEMPLATES) * len(PLACES) * len(YEARS):
            title += f" ({index})"
        update = self.base_time - 86_400 * 3 - index * 600
        skeleton = {
            "index": index,
            "id": self.other_id(index),
            "title": title,
            "slug": slugify(title),
            "category": OTHER_TEMPLATES[template][0],
            "template": template,
            "place": place,
            "year": year,
            "organization": None,
            "last_update": update,
            "created": update - 86_400 * 200,
        }
        return self._build(10**7 + index, skeleton, _OTHER_TEXT, archived=False)

    @property
    def national_total(self) -> int:
        return len(self.listed()) + self.other_count

    # --- topic ----------------------------------------------------------------------------------

    def element_id(self, index: int) -> str:
        return _object_id(TOPIC_CREATED + 60 + index, _KIND_ELEMENT, self.seed, index)

    def element(self, index: int) -> dict[str, Any]:
        return payloads.topic_element_payload(self.element_id(index), self.dataset_id(index))

    def observer_element(self, index: int) -> dict[str, Any]:
        element_id = _object_id(TOPIC_CREATED + 120 + index, _KIND_ELEMENT, self.seed ^ 0x0B5, index)
        return payloads.topic_element_payload(element_id, self.dataset_id(index))

    def observer(self) -> array:
        """Indexes of the Observer topic's elements (archived ones included), in index order."""
        with self._lock:
            if self._observer is None:
                self._observer = array("I", (i for i in range(self.size) if self.is_observer(i)))
            return self._observer

    def topic_key(self, value: str) -> str | None:
        if value.lower() == OBSERVER_TOPIC_ID and self.observer_share:
            return OBSERVER_TOPIC_ID
        return self.topic_id if value.lower() == self.topic_id else None

    def topic(self, ident: str) -> dict[str, Any] | None:
        """``GET /api/2/topics/{id}/`` by id or slug (v2: model order, not sorted keys); None when private."""
        if ident in (OBSERVER_TOPIC_ID, OBSERVER_TOPIC_SLUG) and self.observer_share:
            return payloads.topic_payload(
                id=OBSERVER_TOPIC_ID,
                organization=self.organization_reference(0),
                created_at=iso(TOPIC_CREATED + 86_400 * 50),
                last_modified=iso(self.base_time - 5 * 3_600),
                name="Observer",
                slug=OBSERVER_TOPIC_SLUG,
                description="Les statistiques du ministère de la Culture (DEPS).",
                tags=["culture", "statistiques"],
                uri=f"{self.site}/api/2/topics/{OBSERVER_TOPIC_SLUG}/",
            )
        if ident not in (self.topic_id, self.topic_slug) or self.private_topic:
            return None
        elements_href = f"{self.site}/api/2/topics/{self.topic_id}/elements/?page=1&page_size=20"
        return payloads.topic_payload(
            id=self.topic_id,
            owner=None,
            organization=self.organization_reference(0),
            created_at=iso(TOPIC_CREATED),
            last_modified=iso(self.base_time - 3 * 3_600),
            name=self.theme.topic_name,
            slug=self.topic_slug,
            description=self.theme.topic_description,
            tags=list(self.theme.topic_tags),
            color=None,
            featured=False,
            private=False,
            extras={},
            spatial=None,
            uri=f"{self.site}/api/2/topics/{self.topic_slug}/",
            elements=payloads.subsection_link(elements_href, self.total),
        )

    def licenses(self) -> list[dict[str, Any]]:
        return [dict(license) for license in LICENSES]

    # --- what the fake data.gouv.fr reads ---------------------------------------------------------

    def elements(self, topic_id: str) -> Sequence[dict[str, Any]]:
        if topic_id == OBSERVER_TOPIC_ID:
            members = self.observer()
            return LazyList(len(members), lambda position: self.observer_element(members[position]))
        return LazyList(self.total, self.element)

    def _observer_order(self, sort: str) -> array:
        """The Observer topic's listed indexes, sorted like the culture listing."""
        with self._lock:
            if sort not in self._observer_orders:
                listed = self.listed()
                ranked = reversed(listed) if sort == "last_update" else self.order(sort)
                self._observer_orders[sort] = array("I", (i for i in ranked if self.is_observer(i)))
            return self._observer_orders[sort]

    def listing(self, *, topic: str | None, sort: str, filters: Any = None, fields: frozenset | None = None):
        """Listed datasets, of the topic or the national catalogue, sorted; built as they are read.

        With ``fields`` (the keys an ``X-Fields`` mask keeps) within ``LIGHT_FIELDS``, the light
        payloads are enough: an incremental sync's listing costs no resources.
        """
        light = fields is not None and fields <= self.LIGHT_FIELDS
        build = self.dataset_light if light else self.dataset
        if topic == OBSERVER_TOPIC_ID:
            ranked = self._observer_order(sort)
            return LazyList(len(ranked), lambda position: build(ranked[position]))
        listed = self.listed()
        order = None if sort == "last_update" else self.order(sort)  # None: reversed index order

        def item(position: int) -> dict[str, Any]:
            if position >= len(listed):
                return self.other_dataset(position - len(listed))
            return build(listed[len(listed) - 1 - position] if order is None else order[position])

        return LazyList(len(listed) if topic == self.topic_id else self.national_total, item)

    def warm_up(self) -> None:
        """Build the lazy tables now rather than during the first (timed) requests."""
        self.listed()
        self.order("-created")
        self.organization_dataset_counts()


class LazyList(Sequence):
    """``length`` items, each built by ``item(position)`` when read (slices give lists)."""

    def __init__(self, length: int, item: Callable[[int], Any]) -> None:
        self._length = length
        self._item = item

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self._item(position) for position in range(*key.indices(self._length))]
        if not -self._length <= key < self._length:
            raise IndexError(key)
        return self._item(key % self._length)


def default_base_time() -> float:
    """The catalogue's "now": a fixed date, or yesterday's midnight (UTC) if the clock is earlier.

    An incremental sync asks for what changed since its last run: with a catalogue dated in the
    future of the machine's clock, everything would look changed.
    """
    yesterday = (time.time() // 86_400 - 1) * 86_400
    return min(BASE_TIME, yesterday)


def _last_months(base_time: float, count: int) -> list[tuple[int, int]]:
    moment = datetime.fromtimestamp(base_time, UTC)
    year, month = moment.year, moment.month
    months = []
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


# --- command line: shape check against the sample payloads -------------------------------------------


def _key_paths(value: Any, prefix: str = "") -> set[str]:
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in {"followers_by_months", "reuses_by_months"} or key.endswith("_by_months"):
                paths.add(f"{prefix}{key}")
                continue
            if prefix.endswith("extras.") or key == "extras":
                paths.add(f"{prefix}{key}")
                continue
            paths.add(f"{prefix}{key}")
            paths |= _key_paths(item, f"{prefix}{key}.")
    elif isinstance(value, list):
        for item in value:
            paths |= _key_paths(item, f"{prefix}[].")
    return paths


def check_shapes(samples: Path, catalogue: Catalogue, count: int = 2_000) -> list[str]:
    """Differences between the key sets of generated payloads and of the sample payloads."""
    page = json.loads((samples / "datasets-page-1.json").read_text(encoding="utf-8"))
    expected: set[str] = set()
    for item in page["data"]:
        expected |= _key_paths(item)
    produced: set[str] = set()
    for index in range(min(count, catalogue.size)):
        produced |= _key_paths(catalogue.dataset(index))
    # Keys that only exist for some objects of the samples or of ours (null vs object, archived harvest…).
    problems = [f"dataset: missing {path}" for path in sorted(expected - produced)]
    # Documented in the API reference but empty in the samples.
    problems += [f"dataset: extra {path}" for path in sorted(produced - expected - {"badges.[].kind"})]
    organization = json.loads((samples / "organization.json").read_text(encoding="utf-8"))
    ours = catalogue.organization(0)
    problems += [f"organization: missing {path}" for path in sorted(_key_paths(organization) - _key_paths(ours))]
    problems += [f"organization: extra {path}" for path in sorted(_key_paths(ours) - _key_paths(organization))]
    top = set(page["data"][0])
    for index in range(min(count, catalogue.size)):
        if set(catalogue.dataset(index)) != top:
            problems.append(f"dataset {index}: top-level keys differ")
            break
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--show", type=int, metavar="INDEX", help="print the payload of dataset INDEX")
    parser.add_argument("--check", type=Path, metavar="DIR", help="compare key sets with the samples in DIR")
    parser.add_argument("--stats", action="store_true", help="print a few distributions")
    args = parser.parse_args(argv)
    catalogue = Catalogue(args.size, seed=args.seed)
    if args.show is not None:
        print(json.dumps(catalogue.dataset(args.show), ensure_ascii=False, indent=2))
    if args.check:
        problems = check_shapes(args.check, catalogue)
        print("\n".join(problems) if problems else "key sets match the samples")
        if problems:
            return 1
    if args.stats:
        sample = [catalogue.dataset(i) for i in range(0, args.size, max(1, args.size // 2000))]
        resources = [len(d["resources"]) for d in sample]
        slugs = {catalogue.skeleton(i)["slug"] for i in range(args.size)}
        print(f"datasets sampled: {len(sample)}; resources per dataset: mean {sum(resources) / len(sample):.2f}")
        print(f"unique slugs: {len(slugs)}/{args.size}; archived: {args.size - len(catalogue.listed())}")
        print(f"organizations: {catalogue.organization_count}; users: {sum(1 for d in sample if d['owner'])}")
        size = sum(len(json.dumps(d, ensure_ascii=False)) for d in sample) / len(sample)
        print(f"mean payload: {size / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
