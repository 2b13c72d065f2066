#!/usr/bin/env python3
"""Build the sample catalogue shipped in ``catalog/data/sample-catalog.jsonl``.

The site loads this file when data.gouv.fr is unreachable. Everything in it is
invented (realistic French culture open data written by us) and flagged as such:
``"sample": true`` on the meta line, ``extras["culture_portal:sample"]`` on every
dataset and a sentence at the end of every non-empty dataset description.

The file follows docs/dump-format.md: a ``meta`` line, the ``topic``, the
``license`` list, one ``organization`` per publisher, the ``dataset`` lines and
the ``end`` line. Payloads have the exact key sets of the data.gouv.fr API
(see the sample payloads of the API reference).

The output is deterministic: no clock, no randomness. Ids, checksums and small
numbers are derived from SHA-1 hashes of fixed strings.

Usage: python3 scripts/build_sample_catalog.py [output path]
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import textwrap
import unicodedata
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "catalog" / "data" / "sample-catalog.jsonl"

SITE = "https://www.data.gouv.fr"
API = f"{SITE}/api/1"
STATIC = "https://static.data.gouv.fr"
TOPIC_ID = "69aea5dff97ef1fc29836765"

# The moment the dump pretends to have been taken. Every date is before it.
NOW = datetime(2026, 8, 20, 6, 0, 0, tzinfo=UTC)
# Months of the "*_by_months" metrics (the last 13 months, like the API).
MONTHS = [f"{2025 + (7 + i) // 12}-{(7 + i) % 12 + 1:02d}" for i in range(13)]

SAMPLE_FLAG = (
    "\n\n*Données d'exemple inventées pour culture.data.gouv.fr : ce jeu de données n'existe pas sur data.gouv.fr.*"
)
ORG_FLAG = "\n\n*Organisation d'exemple inventée pour culture.data.gouv.fr.*"

CATEGORIES = [
    "archives",
    "architecture",
    "arts-plastiques",
    "cinema",
    "spectacle-vivant",
    "livre",
    "musique",
    "presse",
    "musee",
    "langue",
    "industries-culturelles",
]

# Same items as GET /api/1/datasets/licenses/.
LICENSES = [
    {
        "alternate_titles": [],
        "alternate_urls": [],
        "flags": ["okd_compliant", "domain_content"],
        "id": "cc-by",
        "maintainer": None,
        "title": "Creative Commons Attribution",
        "url": "http://www.opendefinition.org/licenses/cc-by",
    },
    {
        "alternate_titles": [],
        "alternate_urls": [],
        "flags": ["okd_compliant", "domain_content"],
        "id": "cc-by-sa",
        "maintainer": None,
        "title": "Creative Commons Attribution Share-Alike",
        "url": "http://www.opendefinition.org/licenses/cc-by-sa",
    },
    {
        "alternate_titles": [],
        "alternate_urls": [],
        "flags": ["domain_data", "okd_compliant", "domain_content", "domain_software"],
        "id": "cc-zero",
        "maintainer": None,
        "title": "Creative Commons CCZero",
        "url": "http://www.opendefinition.org/licenses/cc-zero",
    },
    {
        "alternate_titles": ["LO/OL"],
        "alternate_urls": ["https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Open_Licence.pdf"],
        "flags": ["domain_data", "okd_compliant", "domain_content"],
        "id": "fr-lo",
        "maintainer": None,
        "title": "Licence Ouverte / Open Licence",
        "url": "https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf",
    },
    {
        "alternate_titles": [
            "Licence Ouverte v2.0",
            "Licence Ouverte version 2.0",
            "Open Licence version 2.0",
            "etalab-2.0",
        ],
        "alternate_urls": ["https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf"],
        "flags": ["domain_data", "okd_compliant", "domain_content"],
        "id": "lov2",
        "maintainer": None,
        "title": "Licence Ouverte / Open Licence version 2.0",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
    },
    {
        "alternate_titles": [],
        "alternate_urls": [],
        "flags": ["generic"],
        "id": "notspecified",
        "maintainer": None,
        "title": "License Not Specified",
        "url": None,
    },
    {
        "alternate_titles": [],
        "alternate_urls": [],
        "flags": ["domain_data", "okd_compliant"],
        "id": "odc-by",
        "maintainer": None,
        "title": "Open Data Commons Attribution License",
        "url": "http://opendatacommons.org/licenses/by/summary/",
    },
    {
        "alternate_titles": ["Open Database License (ODbL) 1.0", "Open Database License"],
        "alternate_urls": ["https://opendefinition.org/licenses/odc-odbl"],
        "flags": ["domain_data", "okd_compliant"],
        "id": "odc-odbl",
        "maintainer": None,
        "title": "Open Data Commons Open Database License (ODbL)",
        "url": "http://opendatacommons.org/licenses/odbl/summary/",
    },
    {
        "alternate_titles": [],
        "alternate_urls": [],
        "flags": ["domain_data", "okd_compliant"],
        "id": "odc-pddl",
        "maintainer": None,
        "title": "Open Data Commons Public Domain Dedication and Licence (PDDL)",
        "url": "http://opendatacommons.org/licenses/pddl/summary/",
    },
    {
        "alternate_titles": [],
        "alternate_urls": [],
        "flags": ["okd_compliant", "generic", "domain_content"],
        "id": "other-at",
        "maintainer": None,
        "title": "Other (Attribution)",
        "url": None,
    },
    {
        "alternate_titles": [],
        "alternate_urls": [],
        "flags": ["okd_compliant", "generic", "domain_content"],
        "id": "other-open",
        "maintainer": None,
        "title": "Other (Open)",
        "url": None,
    },
    {
        "alternate_titles": [],
        "alternate_urls": [],
        "flags": ["okd_compliant", "generic", "domain_content"],
        "id": "other-pd",
        "maintainer": None,
        "title": "Other (Public Domain)",
        "url": None,
    },
]

MIME = {
    "csv": "text/csv",
    "json": "application/json",
    "geojson": "application/geo+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "parquet": "application/vnd.apache.parquet",
    "xml": "application/xml",
    "shp": "application/zip",
    "html": "text/html",
}
EXTENSION = {"shp": "zip"}
# Formats udata considers closed (quality "has_open_format").
CLOSED_FORMATS = {"pdf", "doc", "docx", "word", "xls", "excel", "xlsx"}
# Delay before the next expected update (udata Dataset.next_update).
FREQUENCY_DELTA = {
    "daily": timedelta(days=1),
    "weekly": timedelta(weeks=1),
    "monthly": timedelta(days=31),
    "quarterly": timedelta(days=365 / 4),
    "semiannual": timedelta(days=365),
    "annual": timedelta(days=365),
}
QUALITY_DESCRIPTION_LENGTH = 100


# --------------------------------------------------------------------------- helpers


def md(text: str) -> str:
    """Dedent a Markdown block; a line indented by two more spaces continues the previous one."""
    out: list[str] = []
    for line in textwrap.dedent(text).strip("\n").split("\n"):
        if line.startswith("  ") and out:
            out[-1] += " " + line.strip()
        else:
            out.append(line.rstrip())
    return "\n".join(out)


def slugify(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("’", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def sha1(*parts: object) -> str:
    return hashlib.sha1("/".join(str(p) for p in parts).encode()).hexdigest()


def number(seed: str, low: int, high: int) -> int:
    """A deterministic integer in [low, high]."""
    return low + int(sha1(seed), 16) % (high - low + 1)


def object_id(when: datetime, seed: str) -> str:
    """A MongoDB ObjectId: creation timestamp followed by 8 bytes derived from the seed."""
    return f"{int(when.timestamp()):08x}{sha1('oid', seed)[:16]}"


def resource_uuid(seed: str) -> str:
    return str(uuid.UUID(hex=sha1("resource", seed)[:32], version=4))


def d(text: str) -> datetime:
    """'2024-05-22 14:09:47.301' -> aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat()  # "+00:00" offset, fraction only when non-zero, like the API


def by_months(total: int, since: datetime) -> dict[str, int]:
    """Monthly cumulative values growing to ``total`` (0 before ``since``)."""
    values = {}
    for i, month in enumerate(MONTHS):
        if month < since.strftime("%Y-%m"):
            values[month] = 0
        else:
            values[month] = int(total * (0.82 + 0.18 * i / 12))
    values[MONTHS[-1]] = total
    return values


# --------------------------------------------------------------------------- users


def user_ref(first_name: str, last_name: str, since: str, avatar: bool = True) -> dict:
    slug = slugify(f"{first_name} {last_name}")
    ref = {
        "avatar": None,
        "avatar_thumbnail": None,
        "class": "User",
        "first_name": first_name,
        "id": object_id(d(since), f"user/{slug}"),
        "last_name": last_name,
        "page": f"{SITE}/users/{slug}",
        "slug": slug,
        "uri": f"{API}/users/{slug}/",
    }
    if avatar:
        h = sha1("avatar", slug)
        ref["avatar"] = f"{STATIC}/avatars/{h[:2]}/{h[2:32]}-original.jpeg"
        ref["avatar_thumbnail"] = f"{STATIC}/avatars/{h[:2]}/{h[2:32]}-100.jpeg"
    return ref


# --------------------------------------------------------------------------- organizations

# Hand-written organizations. "datasets" is the publisher's whole catalogue on
# data.gouv.fr, not only what is in this sample.
ORGANIZATIONS = [
    {
        "key": "mc",
        "name": "Ministère de la Culture",
        "acronym": "MC",
        "badges": ["public-service", "certified"],
        "url": "https://www.culture.gouv.fr",
        "created": "2013-12-04 16:27:11.562",
        "modified": "2026-08-18 05:41:09.771",
        "member": ("Hélène", "Marchand", "2018-09-03 10:22:51.003"),
        "email_domain": "culture.gouv.fr",
        "metrics": {"datasets": 312, "dataservices": 4, "reuses": 41, "followers": 1342, "views": 1873466},
        "contact": ("Département des programmes numériques", "https://www.culture.gouv.fr/Nous-contacter"),
        "description": """
            Le **ministère de la Culture** conçoit et met en œuvre la politique de l'État dans les domaines du
              patrimoine, de la création artistique, de la transmission des savoirs et des industries culturelles.

            Ses directions générales (patrimoines et architecture, création artistique, médias et industries
              culturelles) et ses services à compétence nationale publient ici leurs données de référence.

            - Site institutionnel : [culture.gouv.fr](https://www.culture.gouv.fr)
            - Plateforme de données : [data.culture.gouv.fr](https://data.culture.gouv.fr)
        """,
    },
    {
        "key": "dglflf",
        "name": "Délégation générale à la langue française et aux langues de France",
        "acronym": "DGLFLF",
        "badges": ["public-service", "certified"],
        "url": "https://www.culture.gouv.fr/Thematiques/langue-francaise-et-langues-de-france",
        "created": "2016-06-28 09:12:40.118",
        "modified": "2026-08-14 07:51:22.604",
        "member": ("Julien", "Ferrand", "2016-06-28 09:12:40.118"),
        "email_domain": "culture.gouv.fr",
        "metrics": {"datasets": 9, "dataservices": 1, "reuses": 6, "followers": 118, "views": 96204},
        "contact": ("Mission de l'enrichissement de la langue", "https://www.culture.gouv.fr/Nous-contacter"),
        "description": """
            La **Délégation générale à la langue française et aux langues de France** (DGLFLF) anime et coordonne
              la politique linguistique de l'État.

            Elle veille à l'emploi du français, soutient l'enrichissement de la langue et valorise les **langues
              régionales** et les langues non territoriales parlées en France. Elle publie notamment la base des
              termes recommandés au *Journal officiel*.
        """,
    },
    {
        "key": "cnc",
        "name": "Centre national du cinéma et de l'image animée",
        "acronym": "CNC",
        "badges": ["public-service"],
        "url": "https://www.cnc.fr",
        "created": "2014-02-11 11:03:27.840",
        "modified": "2026-08-12 16:20:03.215",
        "member": ("Sophie", "Lemaire", "2017-01-16 14:40:09.377"),
        "email_domain": "cnc.fr",
        "metrics": {"datasets": 47, "dataservices": 1, "reuses": 29, "followers": 604, "views": 688125},
        "contact": ("Direction des études, des statistiques et de la prospective", "https://www.cnc.fr/contact"),
        "description": """
            Le **Centre national du cinéma et de l'image animée** (CNC) est un établissement public administratif
              placé sous l'autorité du ministère de la Culture. Il soutient la création, la production et la
              diffusion des œuvres cinématographiques, audiovisuelles et du jeu vidéo.

            Il publie des statistiques de référence sur la fréquentation des salles, le parc de cinémas et les
              aides qu'il attribue. Études et chiffres clés : [cnc.fr](https://www.cnc.fr/professionnels/etudes-et-rapports).
        """,
    },
    {
        "key": "bnf",
        "name": "Bibliothèque nationale de France",
        "acronym": "BnF",
        "badges": ["public-service"],
        "url": "https://www.bnf.fr",
        "created": "2014-05-07 10:18:55.031",
        "modified": "2026-08-01 02:14:37.908",
        "member": ("Camille", "Roussel", "2019-11-05 09:47:12.260"),
        "email_domain": "bnf.fr",
        "metrics": {"datasets": 28, "dataservices": 2, "reuses": 17, "followers": 412, "views": 251730},
        "description": """
            La **Bibliothèque nationale de France** collecte, conserve et communique le patrimoine documentaire
              national, notamment au titre du **dépôt légal**.

            Elle publie ici des données sur ses collections, sa bibliothèque numérique
              [Gallica](https://gallica.bnf.fr) et ses activités. Voir aussi [data.bnf.fr](https://data.bnf.fr).
        """,
    },
    {
        "key": "cnm",
        "name": "Centre national de la musique",
        "acronym": "CNM",
        "badges": ["public-service"],
        "url": "https://cnm.fr",
        "created": "2020-03-02 15:31:08.774",
        "modified": "2026-01-29 17:52:40.119",
        "member": ("Nicolas", "Garnier", "2020-03-02 15:31:08.774"),
        "email_domain": "cnm.fr",
        "metrics": {"datasets": 16, "dataservices": 0, "reuses": 5, "followers": 157, "views": 64388},
        "description": """
            Le **Centre national de la musique** (CNM) est l'établissement public au service de la filière
              musicale et des variétés : soutien financier, observation économique, information et formation des
              professionnels.

            Son observatoire publie des données sur la diffusion des spectacles, le marché de la musique et les
              aides attribuées. Site : [cnm.fr](https://cnm.fr).
        """,
    },
    {
        "key": "cnl",
        "name": "Centre national du livre",
        "acronym": "CNL",
        "badges": ["public-service"],
        "url": "https://centrenationaldulivre.fr",
        "created": "2015-10-14 08:30:02.447",
        "modified": "2026-07-09 10:31:16.002",
        "member": ("Claire", "Vasseur", "2015-10-14 08:30:02.447"),
        "email_domain": "centrenationaldulivre.fr",
        "metrics": {"datasets": 7, "dataservices": 0, "reuses": 3, "followers": 96, "views": 41570},
        "description": """
            Le **Centre national du livre** (CNL) soutient l'ensemble de la chaîne du livre : auteurs, éditeurs,
              libraires, bibliothèques et manifestations littéraires.

            Il instruit notamment les demandes de label **Librairie indépendante de référence** (LIR).
              Site : [centrenationaldulivre.fr](https://centrenationaldulivre.fr).
        """,
    },
    {
        "key": "bretagne",
        "name": "Région Bretagne",
        "acronym": None,
        "badges": ["local-authority"],
        "url": "https://www.bretagne.bzh",
        "zone": "fr:region:53",
        "created": "2014-09-22 13:05:44.610",
        "modified": "2026-06-12 15:48:30.553",
        "member": ("Gwenaëlle", "Le Bihan", "2016-04-18 11:26:37.914"),
        "email_domain": "bretagne.bzh",
        "metrics": {"datasets": 184, "dataservices": 3, "reuses": 22, "followers": 287, "views": 312904},
        "contact": ("Service de la donnée et de l'open data", "https://www.bretagne.bzh/contact"),
        "description": """
            La **Région Bretagne** accompagne la vie culturelle de son territoire : spectacle vivant, arts
              plastiques, cinéma, livre et **langues de Bretagne** (breton et gallo).

            Elle publie en open data les aides qu'elle attribue et les données de ses partenaires, dont le Fonds
              régional d'art contemporain. Portail : [data.bretagne.bzh](https://data.bretagne.bzh).
        """,
    },
    {
        "key": "ille-et-vilaine",
        "name": "Département d'Ille-et-Vilaine",
        "acronym": "CD35",
        "badges": ["local-authority"],
        "url": "https://www.ille-et-vilaine.fr",
        "zone": "fr:departement:35",
        "created": "2015-03-30 09:44:18.205",
        "modified": "2025-05-27 10:40:02.771",
        "member": ("Erwan", "Guillou", "2015-03-30 09:44:18.205"),
        "email_domain": "ille-et-vilaine.fr",
        "metrics": {"datasets": 63, "dataservices": 0, "reuses": 8, "followers": 74, "views": 58212},
        "description": """
            Le **Département d'Ille-et-Vilaine** gère les Archives départementales et la Médiathèque
              départementale, qui accompagne le réseau de lecture publique des communes.

            Les données publiées ici portent sur les fonds d'archives, les documents numérisés et l'action
              culturelle départementale. Site : [ille-et-vilaine.fr](https://www.ille-et-vilaine.fr).
        """,
    },
    {
        "key": "rennes",
        "name": "Rennes Métropole",
        "acronym": None,
        "badges": ["local-authority"],
        "url": "https://metropole.rennes.fr",
        "zone": "fr:commune:35238",
        "created": "2013-11-06 08:52:31.447",
        "modified": "2026-08-04 06:33:29.580",
        "member": ("Pierre", "Morvan", "2014-01-09 16:02:55.318"),
        "email_domain": "rennesmetropole.fr",
        "metrics": {"datasets": 412, "dataservices": 6, "reuses": 95, "followers": 538, "views": 947311},
        "contact": ("Service Open Data de Rennes Métropole", "https://data.rennesmetropole.fr/page/contact/"),
        "description": """
            **Rennes Métropole** et la Ville de Rennes publient leurs données ouvertes sur
              [data.rennesmetropole.fr](https://data.rennesmetropole.fr).

            Les jeux de données culturels présentés ici sont moissonnés depuis ce portail : équipements
              culturels, bibliothèques et fréquentation.
        """,
    },
    {
        "key": "lyon",
        "name": "Ville de Lyon",
        "acronym": None,
        "badges": ["local-authority"],
        "url": "https://www.lyon.fr",
        "zone": "fr:commune:69123",
        "created": "2014-06-17 14:11:09.926",
        "modified": "2026-08-05 07:42:51.034",
        "member": ("Amélie", "Chabert", "2019-10-07 10:05:43.481"),
        "email_domain": "mairie-lyon.fr",
        "metrics": {"datasets": 137, "dataservices": 1, "reuses": 31, "followers": 203, "views": 274560},
        "description": """
            La **Ville de Lyon** publie ses données culturelles : musées municipaux, œuvres d'art dans l'espace
              public, subventions aux acteurs culturels.

            La plupart des jeux de données sont diffusés sur la plateforme
              [data.grandlyon.com](https://data.grandlyon.com) et moissonnés ici.
        """,
    },
    {
        "key": "bordeaux",
        "name": "Ville de Bordeaux",
        "acronym": None,
        "badges": ["local-authority"],
        "url": "https://www.bordeaux.fr",
        "zone": "fr:commune:33063",
        "created": "2014-10-01 10:37:26.118",
        "modified": "2026-08-19 05:14:07.392",
        "member": ("Thomas", "Lacoste", "2016-01-19 15:21:08.004"),
        "email_domain": "mairie-bordeaux.fr",
        "metrics": {"datasets": 221, "dataservices": 2, "reuses": 44, "followers": 266, "views": 405117},
        "description": """
            La **Ville de Bordeaux** diffuse ses données ouvertes en lien avec Bordeaux Métropole : agenda
              culturel, équipements, archives.

            Portail : [opendata.bordeaux-metropole.fr](https://opendata.bordeaux-metropole.fr).
        """,
    },
    {
        "key": "festivals-go",
        "name": "Collectif Festivals Grand Ouest",
        "acronym": None,
        "badges": ["association"],
        "url": None,
        "invented": True,
        "created": "2022-03-14 17:48:02.336",
        "modified": "2025-12-02 20:51:44.017",
        "member": ("Léa", "Tanguy", "2022-03-14 17:48:02.336"),
        "email_domain": "gmail.com",
        "metrics": {"datasets": 2, "dataservices": 0, "reuses": 0, "followers": 11, "views": 2984},
        "description": """
            Le **Collectif Festivals Grand Ouest** est une association qui fédère des festivals de musiques
              actuelles et de spectacle vivant en Bretagne, Pays de la Loire et Normandie.

            Ses membres mettent en commun leurs bilans pour documenter la vie des festivals :

            - nombre d'éditions et de spectateurs ;
            - part des artistes émergents ;
            - actions en faveur de l'accessibilité.
        """,
    },
    {
        "key": "oalr",
        "name": "Observatoire associatif des langues régionales",
        "acronym": "OALR",
        "badges": ["association"],
        "url": None,
        "logo": False,
        "invented": True,
        "created": "2021-09-09 20:58:13.702",
        "modified": "2026-06-28 22:10:05.226",
        "member": ("Maialen", "Etcheverry", "2021-09-09 20:58:13.702"),
        "email_domain": "laposte.net",
        "metrics": {"datasets": 4, "dataservices": 0, "reuses": 2, "followers": 39, "views": 8817},
        "description": """
            L'**Observatoire associatif des langues régionales** (OALR) réunit des bénévoles, des enseignants et
              des chercheurs qui documentent l'usage des langues régionales de France : breton, occitan, basque,
              alsacien, corse, catalan, picard...

            L'association publie des corpus sous licence libre, construits de manière collaborative.
        """,
    },
    {
        "key": "scene-data",
        "name": "Scène Data SAS",
        "acronym": None,
        "badges": ["company"],
        "url": None,
        "invented": True,
        "created": "2022-05-03 09:12:40.551",
        "modified": "2026-07-16 08:49:12.300",
        "member": ("Romain", "Delorme", "2022-05-03 09:12:40.551"),
        "email_domain": "outlook.fr",
        "metrics": {"datasets": 3, "dataservices": 0, "reuses": 0, "followers": 14, "views": 5120},
        "description": """
            **Scène Data** est une société spécialisée dans l'analyse des données de billetterie du spectacle
              vivant.

            Elle publie chaque trimestre un baromètre **agrégé et anonymisé**, construit à partir des ventes de
              ses clients (théâtres, salles de concert, festivals).
        """,
    },
    {
        "key": "openpatrimoine",
        "name": "OpenPatrimoine",
        "acronym": None,
        "badges": [],
        "url": None,
        "logo": False,
        "invented": True,
        "created": "2020-07-21 19:02:37.145",
        "modified": "2024-11-03 18:02:11.860",
        "member": ("Bastien", "Royer", "2020-07-21 19:02:37.145"),
        "email_domain": "free.fr",
        "metrics": {"datasets": 5, "dataservices": 0, "reuses": 1, "followers": 27, "views": 6402},
        "description": """
            **OpenPatrimoine** est un collectif de passionnés qui recense de manière participative des éléments
              du patrimoine culturel peu documentés.

            Les contributions sont vérifiées par les membres du collectif avant publication. Toute correction est
              bienvenue dans l'onglet *Discussions* des jeux de données.
        """,
    },
]

PERMISSIONS_ORG = {"delete": False, "edit": False, "harvest": False, "members": False, "private": False}


def build_organization(spec: dict) -> dict:
    slug = slugify(spec["name"])
    created = d(spec["created"])
    # Invented avatar URLs would show as broken images: sample organizations have no logo
    # unless an entry asks for one explicitly.
    logo = logo_thumbnail = None
    if spec.get("logo", False):
        h = sha1("logo", slug)
        logo = f"{STATIC}/avatars/{h[:2]}/{h[2:32]}-original.png"
        logo_thumbnail = f"{STATIC}/avatars/{h[:2]}/{h[2:32]}-100.png"
    first_name, last_name, since = spec["member"]
    user = user_ref(first_name, last_name, since, avatar=False)
    user["email"] = f"***@{spec['email_domain']}"
    user["last_login_at"] = None
    m = spec["metrics"]
    description = md(spec["description"]) + (ORG_FLAG if spec.get("invented") else "")
    return {
        "acronym": spec["acronym"],
        "badges": [{"kind": kind} for kind in spec["badges"]],
        "business_number_id": None,
        "created_at": iso(created),
        "deleted": None,
        "description": description,
        "ext": {},
        "extras": {},
        "id": object_id(created, f"organization/{slug}"),
        "image_url": None,
        "last_modified": iso(d(spec["modified"])),
        "logo": logo,
        "logo_thumbnail": logo_thumbnail,
        "members": [{"label": "Administrateur", "role": "admin", "since": iso(d(since)), "user": user}],
        "metrics": {
            "dataservices": m["dataservices"],
            "dataservices_by_months": by_months(m["dataservices"], created),
            "datasets": m["datasets"],
            "datasets_by_months": by_months(m["datasets"], created),
            "datasets_followers_by_months": by_months(m["followers"] * 3 // 2, created),
            "datasets_reuses_by_months": by_months(m["reuses"] * 3, created),
            "followers": m["followers"],
            "members": 1,
            "reuses": m["reuses"],
            "reuses_by_months": by_months(m["reuses"], created),
            "reuses_followers_by_months": by_months(m["reuses"] * 5, created),
            "views": m["views"],
        },
        "name": spec["name"],
        "page": f"{SITE}/organizations/{slug}",
        "permissions": dict(PERMISSIONS_ORG),
        "presentation_blocs_published_at": None,
        "slug": slug,
        "teams": [],
        "uri": f"{API}/organizations/{slug}/",
        "url": spec["url"],
        "zone": spec.get("zone"),
    }


def organization_ref(org: dict) -> dict:
    """The organization reference embedded in datasets and topics."""
    return {
        "acronym": org["acronym"],
        "badges": [dict(badge) for badge in org["badges"]],
        "class": "Organization",
        "id": org["id"],
        "logo": org["logo"],
        "logo_thumbnail": org["logo_thumbnail"],
        "name": org["name"],
        "page": org["page"],
        "permissions": dict(PERMISSIONS_ORG),
        "slug": org["slug"],
        "uri": org["uri"],
    }


# --------------------------------------------------------------------------- resources


def res(title: str, fmt: str | None, **spec) -> dict:
    """A resource spec. Keys: type, url (remote link; otherwise a file hosted on
    static.data.gouv.fr), name (file name), size (bytes, files), length (analysed
    content-length, remote), desc, date (last change), created, views, preview,
    broken (remote link answering 404)."""
    return {"title": title, "format": fmt, **spec}


def build_resource(spec: dict, index: int, ds: dict) -> dict:
    slug = ds["slug"]
    rid = resource_uuid(f"{slug}/{index}/{spec['title']}")
    fmt = spec["format"]
    last_modified = d(spec["date"]) if "date" in spec else ds["_updated"]
    if "created" in spec:
        created = d(spec["created"])
    elif ds["_harvest"]:
        created = ds["_created"]
    else:
        created = ds["_created"] + timedelta(seconds=41 * (index + 1), microseconds=number(rid, 0, 999) * 1000)
    created = min(created, last_modified)
    remote = "url" in spec
    mime = MIME.get(fmt) if fmt else None

    if remote:
        url = spec["url"]
    else:
        name = spec.get("name") or f"{slugify(spec['title'])}.{EXTENSION.get(fmt, fmt)}"
        url = f"{STATIC}/resources/{slug}/{created.strftime('%Y%m%d-%H%M%S')}/{name}"

    extras: dict = {}
    checked = remote or number(rid, 0, 2) > 0
    if checked:
        check_date = NOW - timedelta(
            days=number(rid + "d", 1, 12), seconds=number(rid + "s", 0, 86399), microseconds=number(rid, 1, 999999)
        )
        check_date = max(check_date, last_modified + timedelta(hours=2, microseconds=number(rid, 1, 999999)))
        broken = spec.get("broken", False)
        extras.update(
            {
                "check:available": not broken,
                "check:date": iso(check_date),
                "check:status": 404 if broken else 200,
            }
        )
        if not broken and mime:
            extras["check:headers:content-type"] = mime
    if remote and spec.get("length"):
        extras.update(
            {
                "analysis:checksum": sha1("analysis", rid),
                "analysis:content-length": spec["length"],
                "analysis:last-modified-at": iso(last_modified),
                "analysis:last-modified-detection": "last-modified-header",
                "analysis:mime-type": "application/json" if fmt == "geojson" else mime,
            }
        )

    harvest = None
    if ds["_harvest"]:
        harvest = {
            "issued_at": iso(created),
            "last_update": iso(ds["_internal_modified"]),
            "modified_at": iso(last_modified),
        }
        if not ds["_archived"]:
            harvest["uri"] = url
        internal_created = ds["_internal_created"] + timedelta(milliseconds=14 * (index + 1))
        internal_modified = ds["_internal_modified"]
    else:
        internal_created, internal_modified = created, last_modified

    views = spec.get("views")
    if views is None:
        weight = 6 if spec.get("type", "main") == "main" else 1
        views = ds["_downloads"] * weight // (6 * max(ds["_resource_count"], 1)) + number(rid, 0, 40)
    return {
        "checksum": None if remote else {"type": "sha1", "value": sha1("file", rid)},
        "created_at": iso(created),
        "description": md(spec["desc"]) if spec.get("desc") else None,
        "extras": extras,
        "filesize": None if remote else spec.get("size", number(rid, 8_000, 2_400_000)),
        "filetype": "remote" if remote else "file",
        "format": fmt,
        "harvest": harvest,
        "id": rid,
        "internal": {"created_at_internal": iso(internal_created), "last_modified_internal": iso(internal_modified)},
        "last_modified": iso(last_modified),
        "latest": f"{API}/datasets/r/{rid}",
        "metrics": {"views": views} if views else {},
        "mime": mime,
        "preview_url": f"https://explore.data.gouv.fr/fr/resources/{rid}" if spec.get("preview") else None,
        "schema": None,
        "title": spec["title"],
        "type": spec.get("type", "main"),
        "url": url,
    }


def is_available(resource: dict) -> bool:
    return resource["filetype"] != "remote" or resource["extras"].get("check:available", True) is not False


# --------------------------------------------------------------------------- datasets


def dcat_harvest(domain: str, backend: str = "DCAT") -> dict:
    return {"backend": backend, "domain": domain, "source_id": object_id(d("2016-01-04 09:00:00"), domain)}


HARVEST_CULTURE = dcat_harvest("data.culture.gouv.fr")
HARVEST_RENNES = dcat_harvest("data.rennesmetropole.fr", "OpenDataSoft")
HARVEST_LYON = dcat_harvest("data.grandlyon.com")
HARVEST_BORDEAUX = dcat_harvest("opendata.bordeaux-metropole.fr", "OpenDataSoft")

ODS_RENNES = "https://data.rennesmetropole.fr/api/explore/v2.1/catalog/datasets"
ODS_BORDEAUX = "https://opendata.bordeaux-metropole.fr/api/explore/v2.1/catalog/datasets"
DATA_CULTURE = "https://data.culture.gouv.fr/api/explore/v2.1/catalog/datasets"
GRANDLYON = "https://data.grandlyon.com/fr/datapusher/ws/grandlyon"


def spatial(granularity: str | None, *zones: str) -> dict:
    return {"geom": None, "granularity": granularity, "zones": list(zones)}


def museum_year_files() -> list[dict]:
    """One file per year of collection: Excel until 2015, CSV since."""
    files = []
    for year in range(2008, 2026):
        fmt = "xlsx" if year < 2016 else "csv"
        if year < 2015:
            date = f"2016-03-02 10:{44 + (year - 2008) // 3:02d}:{(year * 7) % 60:02d}"
        else:
            date = f"{year + 1}-06-{(year % 20) + 5:02d} 09:{(year * 7) % 60:02d}:{(year * 13) % 60:02d}"
        files.append(
            res(
                f"Fréquentation des musées de France — {year}",
                fmt,
                name=f"frequentation-musees-de-france-{year}.{fmt}",
                date=date,
                created=date,
                size=48_000 + (year - 2008) * 2_150,
                desc=None if year < 2020 else f"Entrées {year} déclarées par les musées, une ligne par établissement.",
            )
        )
    return files


# Hand-written dataset entries. Keys:
#   title, org (organization key) or owner (user), tags, description (Markdown; "" kept as is)
#   short (description_short), acronym, frequency, license, spatial, temporal (start, end)
#   created, updated (data change), modified (metadata change, defaults to shortly after updated)
#   harvest (+ remote_id, remote_url, imported), archived, resources, metrics (views, followers,
#   reuses, discussions, discussions_open), dataservices, flat_metrics (by_months = 0), featured,
#   badges, contact
DATASETS = [
    # ---------------------------------------------------------------- Ministère de la Culture
    {
        "title": "Fréquentation des musées de France",
        "acronym": "Muséostat",
        "org": "mc",
        "tags": ["musee", "musees-de-france", "frequentation", "patrimoine", "culture"],
        "short": "Nombre annuel de visiteurs des musées de France, établissement par établissement, depuis 2008.",
        "description": """
            Ce jeu de données présente la **fréquentation annuelle des musées de France**, établissement par
              établissement, telle que déclarée chaque année par les musées au service des musées de France.

            ## Contenu

            Un fichier par année de collecte, puis une série consolidée :

            - identifiant Muséofile, nom du musée, commune et région ;
            - entrées **payantes** et **gratuites**, total des entrées ;
            - part des moins de 26 ans et des scolaires (depuis 2016).

            ## Précautions d'usage

            Les musées fermés pour travaux une année donnée n'apparaissent pas dans le fichier correspondant. Les
              chiffres 2020 et 2021 reflètent les fermetures liées à la crise sanitaire.

            Pour en savoir plus : [culture.gouv.fr](https://www.culture.gouv.fr/Thematiques/Musees).
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("poi", "country:fr"),
        "temporal": ("2008-01-01", "2025-12-31"),
        "created": "2016-03-02 10:41:17.208",
        "updated": "2026-07-07 09:30:12",
        "modified": "2026-07-07 09:41:55.617",
        "featured": True,
        "contact": True,
        "metrics": (84210, 156, 7, 5, 1),
        "dataservices": 1,
        "resources": [
            res(
                "Série consolidée 2008-2025 (Parquet)",
                "parquet",
                size=1_284_330,
                desc="Toutes les années dans un seul fichier, colonnes harmonisées.",
            ),
            res(
                "Série consolidée 2008-2025 (tableur ODS)",
                "ods",
                size=2_112_406,
            ),
            *museum_year_files(),
            res(
                "Correctif des données 2022",
                "csv",
                type="update",
                date="2024-02-12 15:03:48",
                created="2024-02-12 15:03:48",
                size=3_912,
                desc="Corrige les entrées gratuites de douze musées mal ventilées dans le fichier 2022.",
            ),
            res(
                "Notice méthodologique",
                "pdf",
                type="documentation",
                date="2026-07-07 09:28:40",
                size=512_118,
                desc="Définitions, mode de collecte et règles de consolidation des données de fréquentation.",
            ),
            res(
                "Chiffres clés de la fréquentation des musées",
                "html",
                type="documentation",
                url="https://www.culture.gouv.fr/Thematiques/Musees/Les-musees-en-France/Chiffres-cles-frequentation",
            ),
            res(
                "API de consultation de la fréquentation",
                "json",
                type="api",
                url=f"{DATA_CULTURE}/frequentation-des-musees-de-france/records",
                desc="Interrogation par musée, commune ou année (API Explore v2.1).",
            ),
            res(
                "Scripts de consolidation",
                None,
                type="code",
                url="https://www.culture.gouv.fr/Thematiques/Musees/Outils/scripts-frequentation-musees",
            ),
            res(
                "Localisation des musées (GeoJSON)",
                "geojson",
                type="other",
                size=1_874_302,
                desc="Points WGS84 permettant de cartographier les chiffres de fréquentation.",
            ),
        ],
    },
    {
        "title": "Immeubles protégés au titre des monuments historiques",
        "acronym": "Mérimée",
        "org": "mc",
        "tags": ["architecture", "patrimoine", "monuments-historiques", "merimee"],
        "short": "Liste des immeubles classés ou inscrits au titre des monuments historiques (base Mérimée).",
        "description": """
            Liste des **immeubles protégés au titre des monuments historiques**, classés ou inscrits, issue de la
              base **Mérimée** du ministère de la Culture.

            Chaque notice indique :

            - la référence Mérimée et l'appellation de l'édifice ;
            - la commune, le département et la région ;
            - la nature et la date de la protection (classement, inscription, inscription partielle) ;
            - les siècles de construction et, quand elle est connue, la géolocalisation.

            Les données sont moissonnées depuis [data.culture.gouv.fr](https://data.culture.gouv.fr). Les
              périmètres de protection (abords) font l'objet d'un jeu de données distinct.
        """,
        "frequency": "monthly",
        "license": "lov2",
        "spatial": spatial("fr:commune", "country:fr"),
        "temporal": ("1840-01-01", None),
        "created": "2017-05-18 08:00:00",
        "imported": "2019-03-12 08:14:03.498",
        "updated": "2026-08-03 04:12:55",
        "harvest": HARVEST_CULTURE,
        "remote_id": "immeubles-proteges-au-titre-des-monuments-historiques",
        "badges": ["inspire"],
        "contact": True,
        "metrics": (61200, 143, 9, 4, 1),
        "dataservices": 1,
        "resources": [
            res(
                "Immeubles protégés MH (CSV)",
                "csv",
                url=f"{DATA_CULTURE}/immeubles-proteges-au-titre-des-monuments-historiques/exports/csv",
                length=21_604_882,
                preview=True,
                desc="Export CSV (séparateur `;`, UTF-8), une ligne par édifice protégé.",
            ),
            res(
                "Immeubles protégés MH (GeoJSON)",
                "geojson",
                url=f"{DATA_CULTURE}/immeubles-proteges-au-titre-des-monuments-historiques/exports/geojson",
                length=38_910_247,
            ),
            res(
                "Immeubles protégés MH (Shapefile)",
                "shp",
                url=f"{DATA_CULTURE}/immeubles-proteges-au-titre-des-monuments-historiques/exports/shp",
            ),
            res(
                "Guide de lecture des notices Mérimée",
                "pdf",
                type="documentation",
                date="2024-11-05 14:20:31.552",
                created="2024-11-05 14:20:31.552",
                size=733_904,
            ),
        ],
    },
    {
        "title": "Maisons des Illustres",
        "org": "mc",
        "tags": ["architecture", "musee", "label", "maisons-des-illustres", "patrimoine"],
        "short": "Liste et localisation des maisons labellisées « Maisons des Illustres » par le ministère.",
        "description": """
            Créé en 2011, le label **Maisons des Illustres** signale des lieux dont la vocation est de conserver
              et de transmettre la mémoire de femmes et d'hommes qui se sont illustrés dans l'histoire politique,
              sociale et culturelle de la France.

            Le fichier recense les maisons labellisées avec leur nom, la personnalité concernée, l'adresse, les
              coordonnées géographiques, l'année de labellisation et les conditions de visite. Le label est
              attribué pour cinq ans renouvelables.

            En savoir plus : [culture.gouv.fr](https://www.culture.gouv.fr/Aides-demarches/Protections-labels-et-appellations).
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("poi", "country:fr"),
        "temporal": None,
        "created": "2017-09-26 15:02:44",
        "updated": "2026-01-20 11:18:03.442",
        "metrics": (9340, 41, 2, 1, 0),
        "resources": [
            res("maisons-des-illustres.csv", "csv", size=96_412, name="maisons-des-illustres.csv"),
            res("maisons-des-illustres.geojson", "geojson", size=241_877, name="maisons-des-illustres.geojson"),
        ],
    },
    {
        "title": "Jardins remarquables",
        "org": "mc",
        "tags": ["architecture", "jardins", "jardins-remarquables", "label", "patrimoine"],
        "short": None,
        "description": """
            Le label **Jardin remarquable** distingue des parcs et jardins, publics ou privés, présentant un
              intérêt culturel, esthétique, historique ou botanique et ouverts à la visite.

            ### Critères d'attribution

            - la composition et l'intégration dans le site ;
            - la présence d'éléments remarquables (architecture, eau, végétaux) ;
            - l'intérêt botanique et la qualité de l'entretien ;
            - l'ouverture au public au moins 40 jours par an.

            Le fichier donne pour chaque jardin sa commune, son département, son statut (public ou privé) et
              l'année d'obtention du label.
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("poi", "country:fr"),
        "temporal": None,
        "created": "2015-06-11 09:27:31",
        "updated": "2025-12-04 16:45:10",
        "metrics": (7120, 33, 1, 0, 0),
        "resources": [
            res("Jardins remarquables (CSV)", "csv", size=88_310),
            res("Jardins remarquables (ODS)", "ods", size=61_044),
        ],
    },
    {
        "title": "Villes et Pays d'art et d'histoire",
        "acronym": "VPAH",
        "org": "mc",
        "tags": ["architecture", "label", "patrimoine", "vpah", "mediation"],
        "short": "Collectivités labellisées Villes et Pays d'art et d'histoire et leurs centres d'interprétation.",
        "description": """
            Le label **Villes et Pays d'art et d'histoire** est attribué par le ministère de la Culture aux
              collectivités qui s'engagent dans une démarche active de connaissance, de conservation, de
              médiation et de soutien à la qualité architecturale et du cadre de vie.

            Le jeu de données recense les villes et pays labellisés au 31 décembre 2025 : nom, type (ville ou
              pays), région, date de la convention et présence d'un **centre d'interprétation de l'architecture
              et du patrimoine** (CIAP).
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("fr:commune", "country:fr"),
        "temporal": ("1985-01-01", "2025-12-31"),
        "created": "2018-10-02 14:20:05.119",
        "updated": "2026-02-17 10:05:48",
        "metrics": (5480, 22, 1, 1, 1),
        "resources": [
            res("vpah-2025.csv", "csv", size=31_225, name="vpah-2025.csv"),
            res(
                "Carte du réseau des Villes et Pays d'art et d'histoire",
                "pdf",
                type="documentation",
                size=2_841_003,
            ),
        ],
    },
    {
        "title": "Aides à la presse : montants attribués par titre",
        "org": "mc",
        "tags": ["presse", "aides-a-la-presse", "medias", "pluralisme"],
        "short": "Montants des aides directes de l'État à la presse, titre par titre, depuis 2012.",
        "description": """
            Montants des **aides directes à la presse** attribuées par l'État, titre par titre, depuis 2012. Les
              données sont publiées par la direction générale des médias et des industries culturelles.

            | Aide | Objet |
            |---|---|
            | Aide au pluralisme | Quotidiens à faibles ressources publicitaires |
            | Aide à la distribution | Portage et vente au numéro |
            | Fonds stratégique pour le développement de la presse | Projets d'innovation et de modernisation |
            | Aide à l'émergence | Nouveaux titres d'information politique et générale |

            Les montants sont exprimés en euros courants. Un titre peut bénéficier de plusieurs aides la même
              année.
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("country", "country:fr"),
        "temporal": ("2012-01-01", "2024-12-31"),
        "created": "2015-11-23 11:12:40",
        "updated": "2025-11-28 15:30:00",
        "metrics": (15630, 58, 3, 6, 2),
        "resources": [
            res("aides-presse-2012-2024.csv", "csv", size=402_881, name="aides-presse-2012-2024.csv"),
            res("aides-presse-2012-2024.xlsx", "xlsx", size=377_410, name="aides-presse-2012-2024.xlsx"),
            res(
                "Guide des aides à la presse",
                "pdf",
                type="documentation",
                date="2023-03-01 10:00:00",
                created="2023-03-01 10:00:00",
                size=1_205_882,
            ),
        ],
    },
    {
        "title": "Conservatoires classés par l'État",
        "org": "mc",
        "tags": ["musique", "spectacle-vivant", "conservatoire", "enseignement-artistique", "danse", "theatre"],
        "short": "Conservatoires à rayonnement régional, départemental, communal ou intercommunal classés par l'État.",
        "description": """
            Le ministère de la Culture **classe** les établissements d'enseignement artistique (musique, danse,
              théâtre, cirque) en trois catégories :

            1. conservatoires à rayonnement régional (**CRR**) ;
            2. conservatoires à rayonnement départemental (**CRD**) ;
            3. conservatoires à rayonnement communal ou intercommunal (**CRC** et **CRI**).

            Pour chaque établissement : catégorie, commune, collectivité de rattachement, disciplines enseignées
              et date de l'arrêté de classement. Le classement est accordé pour sept ans.
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("fr:commune", "country:fr"),
        "temporal": ("2025-09-01", "2026-08-31"),
        "created": "2019-04-08 08:55:19",
        "updated": "2025-10-06 14:12:37.905",
        "metrics": (6210, 19, 0, 2, 0),
        "resources": [
            res("conservatoires-classes.csv", "csv", size=74_018, name="conservatoires-classes.csv"),
            res("conservatoires-classes.json", "json", size=201_556, name="conservatoires-classes.json"),
        ],
    },
    {
        "title": "Lieux labellisés du spectacle vivant",
        "org": "mc",
        "tags": ["spectacle-vivant", "labels", "theatre", "scenes-nationales", "smac", "cdn"],
        "short": "Scènes nationales, centres dramatiques et chorégraphiques, SMAC et autres lieux labellisés.",
        "description": """
            Ce jeu de données recense les structures bénéficiant d'un **label** ou d'une **appellation** du
              ministère de la Culture dans le domaine du spectacle vivant :

            - centres dramatiques nationaux et régionaux ;
            - centres chorégraphiques nationaux ;
            - scènes nationales ;
            - scènes de musiques actuelles (SMAC) ;
            - pôles nationaux du cirque, centres nationaux des arts de la rue et de l'espace public ;
            - opéras nationaux en région.

            Les coordonnées géographiques permettent de cartographier le réseau. Les structures en cours de
              labellisation ne figurent pas dans le fichier.
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("poi", "country:fr"),
        "temporal": None,
        "created": "2020-01-15 10:03:26",
        "updated": "2026-03-11 09:47:21",
        "metrics": (11870, 47, 2, 1, 0),
        "resources": [
            res("lieux-labellises-spectacle-vivant.csv", "csv", size=58_904, name="lieux-labellises.csv"),
            res("lieux-labellises-spectacle-vivant.geojson", "geojson", size=164_230, name="lieux-labellises.geojson"),
            res(
                "Textes de référence des labels",
                "pdf",
                type="documentation",
                size=918_276,
                desc="Décret et arrêtés fixant les missions et le cahier des charges de chaque label.",
            ),
        ],
    },
    {
        "title": "Annuaire des services d'archives publics",
        "org": "mc",
        "tags": ["archives", "annuaire", "archives-departementales", "archives-municipales"],
        "short": None,
        "description": """
            Annuaire des **services d'archives publics** en France : Archives nationales, archives régionales,
              départementales, communales et intercommunales, archives des ministères.

            Pour chaque service : nom, adresse postale, coordonnées, horaires de la salle de lecture et lien vers
              le site internet. Les données sont tenues à jour par le **Service interministériel des Archives de
              France** à partir des déclarations des services.

            Voir aussi le portail [FranceArchives](https://francearchives.gouv.fr).
        """,
        "frequency": "annual",
        "license": "fr-lo",
        "spatial": spatial("fr:departement", "country:fr"),
        "temporal": None,
        "created": "2015-02-19 13:44:02",
        "updated": "2022-09-30 08:21:45",
        "metrics": (8930, 36, 1, 3, 0),
        "resources": [
            res("annuaire-services-archives.csv", "csv", size=412_776, name="annuaire-services-archives.csv"),
            res(
                "Annuaire au format EAC-CPF",
                "xml",
                size=1_903_145,
                desc="Notices d'autorité des services d'archives (format XML EAC-CPF).",
            ),
        ],
    },
    {
        "title": "Activité des bibliothèques municipales et intercommunales",
        "org": "mc",
        "tags": ["livre", "bibliotheque", "lecture-publique", "mediatheque"],
        "short": "Données annuelles d'activité des bibliothèques : collections, prêts, inscrits, horaires.",
        "description": """
            Chaque année, les bibliothèques municipales et intercommunales renseignent un questionnaire d'activité
              exploité par l'**Observatoire de la lecture publique**.

            ## Indicateurs disponibles

            - surface, horaires d'ouverture et personnel ;
            - collections imprimées et numériques, acquisitions ;
            - inscrits actifs, prêts, animations ;
            - budget d'acquisition.

            Les indicateurs sont publiés avec un décalage de deux ans. Une **table de correspondance** permet de
              suivre les bibliothèques d'une année à l'autre malgré les fusions de communes.
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("fr:commune", "country:fr"),
        "temporal": ("2010-01-01", "2023-12-31"),
        "created": "2017-12-05 09:10:00",
        "updated": "2026-04-22 13:37:09.331",
        "metrics": (12480, 64, 4, 2, 1),
        "resources": [
            res("Données d'activité 2023", "csv", size=2_304_118),
            res("Données d'activité 2022", "csv", size=2_288_940, date="2025-04-15 10:02:33"),
            res("Séries 2010-2021", "zip", size=19_880_412, date="2024-05-02 16:40:09"),
            res("Questionnaire annuel d'activité", "pdf", type="documentation", size=655_302),
            res(
                "Table de correspondance des bibliothèques",
                "csv",
                type="other",
                size=318_027,
                desc="Identifiants successifs des bibliothèques après fusions de communes.",
            ),
        ],
    },
    {
        "title": "Fréquentation des monuments nationaux (2010-2018)",
        "org": "mc",
        "tags": ["architecture", "patrimoine", "monuments-historiques", "monuments-nationaux", "frequentation"],
        "short": None,
        "description": """
            Fréquentation annuelle des **monuments nationaux** ouverts à la visite (châteaux, abbayes, sites
              archéologiques), de 2010 à 2018. Les entrées sont ventilées entre visiteurs payants et gratuits.

            ⚠️ *Ce jeu de données n'est plus mis à jour* : il est conservé pour les séries historiques.
        """,
        "frequency": "punctual",
        "license": "lov2",
        "spatial": spatial("poi", "country:fr"),
        "temporal": ("2010-01-01", "2018-12-31"),
        "created": "2019-06-03 09:00:00",
        "imported": "2019-06-04 01:10:22.097",
        "updated": "2019-06-03 09:00:00",
        "archived": "2025-11-17 10:12:45.318",
        "harvest": HARVEST_CULTURE,
        "remote_id": "frequentation-des-monuments-nationaux-2010-2018",
        "metrics": (7650, 12, 0, 1, 0),
        "resources": [
            res(
                "Fréquentation des monuments nationaux 2010-2018 (CSV)",
                "csv",
                url="https://data.culture.gouv.fr/explore/dataset/frequentation-des-monuments-nationaux/download?format=csv",
                broken=True,
                desc="Extraction figée de 2019, retirée du portail source.",
            ),
        ],
    },
    {
        "title": "Collections des musées de France : base Joconde (extrait)",
        "acronym": "Joconde",
        "org": "mc",
        "tags": ["musee", "arts-plastiques", "collections", "joconde", "patrimoine", "beaux-arts"],
        "short": None,
        "description": """
            Extrait de la base **Joconde**, catalogue collectif des collections des musées de France : peintures,
              sculptures, dessins, estampes, photographies, objets d'art et d'archéologie.

            Chaque notice décrit une œuvre : numéro d'inventaire, musée de conservation, auteur, titre ou
              dénomination, date de création, domaine, technique, dimensions et statut juridique. Les images ne
              sont pas incluses ; elles sont consultables sur la
              [Plateforme ouverte du patrimoine](https://pop.culture.gouv.fr).

            **Attention :** les notices sont rédigées par les musées et leur niveau de détail est variable.
        """,
        "frequency": "weekly",
        "license": "lov2",
        "spatial": None,
        "temporal": None,
        "created": "2018-02-14 12:00:00",
        "imported": "2018-02-15 02:31:47.662",
        "updated": "2026-08-16 03:05:12",
        "harvest": HARVEST_CULTURE,
        "remote_id": "base-joconde-extrait",
        "metrics": (23940, 118, 6, 7, 2),
        "dataservices": 1,
        "resources": [
            res(
                "Notices Joconde (CSV)",
                "csv",
                url=f"{DATA_CULTURE}/base-joconde-extrait/exports/csv",
                length=412_733_190,
            ),
            res(
                "Notices Joconde (JSON)",
                "json",
                url=f"{DATA_CULTURE}/base-joconde-extrait/exports/json",
                length=988_104_522,
            ),
            res(
                "Notices Joconde (Parquet)",
                "parquet",
                url=f"{DATA_CULTURE}/base-joconde-extrait/exports/parquet",
                length=96_215_008,
            ),
            res(
                "Dictionnaire des champs Joconde",
                "pdf",
                type="documentation",
                url="https://pop.culture.gouv.fr/documentation/joconde-champs.pdf",
            ),
        ],
    },
    # ---------------------------------------------------------------- DGLFLF
    {
        "title": "FranceTerme : termes recommandés au Journal officiel",
        "acronym": "FranceTerme",
        "org": "dglflf",
        "tags": ["langue", "langue-francaise", "terminologie", "neologie", "vocabulaire"],
        "short": "Termes français recommandés par la Commission d'enrichissement de la langue française.",
        "description": """
            Base des **termes recommandés** par la Commission d'enrichissement de la langue française et publiés
              au *Journal officiel* : équivalents français de termes techniques, souvent empruntés à l'anglais.

            Pour chaque terme : domaine, définition, équivalent étranger, date de publication et, le cas échéant,
              notes et renvois.

            - Consultation en ligne : [FranceTerme](https://www.culture.fr/franceterme)
            - Le fichier XML est mis à jour après chaque publication au *Journal officiel*.
        """,
        "frequency": "weekly",
        "license": "lov2",
        "spatial": None,
        "temporal": ("1973-01-01", None),
        "created": "2016-09-13 10:22:10",
        "updated": "2026-08-14 07:45:03.120",
        "contact": True,
        "metrics": (18320, 91, 5, 3, 1),
        "dataservices": 1,
        "resources": [
            res("FranceTerme (XML)", "xml", size=14_880_231, name="FranceTerme.xml"),
            res("FranceTerme (JSON)", "json", size=19_442_806, name="franceterme.json"),
            res("FranceTerme (CSV)", "csv", size=9_631_447, name="franceterme.csv"),
            res(
                "Description du schéma XML",
                "pdf",
                type="documentation",
                date="2021-06-02 11:30:00",
                created="2021-06-02 11:30:00",
                size=286_114,
            ),
        ],
    },
    {
        "title": "Langues de France : liste et aires de pratique",
        "org": "dglflf",
        "tags": ["langue", "langues-regionales", "langues-de-france", "patrimoine-linguistique"],
        "short": "Langues de France et régions, y compris ultramarines, dans lesquelles elles sont pratiquées.",
        "description": """
            L'expression **langues de France** désigne les langues régionales ou minoritaires parlées
              traditionnellement sur le territoire de la République, ainsi que les langues non territoriales
              (arabe dialectal, berbère, yiddish, romani, arménien occidental...).

            Le fichier associe chaque langue à sa famille linguistique et aux régions, y compris ultramarines, où
              elle est pratiquée.

            Les aires de pratique sont indicatives : elles ne préjugent pas du nombre de locuteurs.
        """,
        "frequency": "punctual",
        "license": "lov2",
        "spatial": spatial("fr:region", "country:fr"),
        "temporal": ("1999-01-01", "2017-12-31"),
        "created": "2016-11-25 16:40:33",
        "updated": "2018-03-19 10:02:57",
        "metrics": (4310, 27, 1, 2, 1),
        "resources": [
            res("langues-de-france.csv", "csv", size=12_406, name="langues-de-france.csv"),
            res("langues-de-france.json", "json", size=27_913, name="langues-de-france.json"),
        ],
    },
    # ---------------------------------------------------------------- CNC
    {
        "title": "Fréquentation cinématographique par commune",
        "org": "cnc",
        "tags": ["cinema", "box-office", "frequentation", "salles-de-cinema"],
        "short": "Entrées en salles de cinéma par commune équipée, de 2015 à 2025.",
        "description": """
            Nombre d'**entrées en salles de cinéma** par commune équipée d'au moins un établissement actif, de
              2015 à 2025.

            | Colonne | Description |
            |---|---|
            | `code_insee` | Code officiel géographique de la commune |
            | `commune` | Nom de la commune |
            | `annee` | Année |
            | `etablissements` | Nombre d'établissements actifs |
            | `ecrans` | Nombre d'écrans |
            | `entrees` | Entrées de l'année |

            Pour respecter le secret statistique, les entrées des communes comptant un seul établissement sont
              agrégées au niveau départemental lorsque l'exploitant n'a pas donné son accord. Méthodologie :
              [cnc.fr](https://www.cnc.fr/professionnels/etudes-et-rapports/statistiques).
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("fr:commune", "country:fr"),
        "temporal": ("2015-01-01", "2025-12-31"),
        "created": "2017-06-29 09:33:12.556",
        "updated": "2026-05-13 10:18:44",
        "contact": True,
        "metrics": (29870, 102, 8, 4, 0),
        "resources": [
            res("Entrées par commune 2015-2025 (CSV)", "csv", size=1_840_557, preview=True),
            res("Entrées par commune 2015-2025 (Excel)", "xlsx", size=1_402_983),
            res("Entrées par commune 2015-2025 (Parquet)", "parquet", size=402_116),
            res("Méthodologie de la géographie du cinéma", "pdf", type="documentation", size=388_071),
        ],
    },
    {
        "title": "Établissements cinématographiques actifs",
        "org": "cnc",
        "tags": ["cinema", "salles-de-cinema", "art-et-essai", "equipements-culturels"],
        "short": "Localisation et caractéristiques des cinémas en activité : écrans, fauteuils, classement.",
        "description": """
            Liste géolocalisée des **établissements cinématographiques** en activité au 31 décembre : cinémas de
              centre-ville, multiplexes, circuits itinérants (points de projection).

            Attributs : nombre d'écrans et de fauteuils, classement **Art et Essai** et labels (Jeune public,
              Patrimoine et répertoire, Recherche et découverte), programmateur, propriétaire et équipement en
              accessibilité.
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("poi", "country:fr"),
        "temporal": None,
        "created": "2016-05-10 14:05:59",
        "updated": "2026-02-05 09:00:31",
        "metrics": (21450, 88, 5, 2, 0),
        "resources": [
            res("etablissements-cinematographiques.geojson", "geojson", size=1_320_665),
            res("etablissements-cinematographiques.csv", "csv", size=544_120),
        ],
    },
    {
        "title": "Entrées hebdomadaires des films en salles",
        "org": "cnc",
        "tags": ["cinema", "industries-culturelles", "box-office", "films"],
        "short": "Entrées France entière des films en exploitation, par semaine cinématographique.",
        "description": """
            Chaque semaine, le CNC publie les **entrées réalisées par les films** en exploitation en France, à
              partir des déclarations de recettes des salles.

            - semaine cinématographique (du mercredi au mardi) ;
            - visa d'exploitation, titre, nationalité, distributeur ;
            - nombre d'établissements, entrées de la semaine et entrées cumulées.

            Les chiffres de la dernière semaine sont **provisoires** et peuvent être révisés la semaine suivante.
        """,
        "frequency": "weekly",
        "license": "lov2",
        "spatial": spatial("country", "country:fr"),
        "temporal": ("2019-01-02", None),
        "created": "2019-01-09 17:12:00",
        "updated": "2026-08-12 16:04:27.871",
        "metrics": (35120, 97, 3, 6, 1),
        "dataservices": 1,
        "resources": [
            res("Entrées de la dernière semaine", "csv", size=41_880),
            res(
                "API des entrées hebdomadaires",
                "json",
                type="api",
                url="https://www.cnc.fr/api/statistiques/entrees-hebdomadaires",
                desc="Interrogation par semaine, par film ou par distributeur.",
            ),
            res("Historique depuis 2019", "zip", size=12_306_442, date="2026-01-07 09:12:51"),
            res("Note de lecture des entrées hebdomadaires", "pdf", type="documentation", size=201_334),
        ],
    },
    {
        "title": "Aides sélectives du CNC : œuvres et bénéficiaires",
        "org": "cnc",
        "tags": ["cinema", "industries-culturelles", "audiovisuel", "aides", "jeu-video"],
        "short": None,
        "description": """
            Liste des **aides sélectives** attribuées par le CNC après avis de commissions : avance sur recettes,
              aide à l'écriture et au développement, aide aux cinémas du monde, fonds d'aide à l'innovation
              audiovisuelle, aide aux projets de jeu vidéo.

            Pour chaque aide : dispositif, commission, titre de l'œuvre, bénéficiaire (société ou auteur), montant
              accordé et date de décision.

            Les aides automatiques (soutien généré par les entrées ou la diffusion) ne figurent pas dans ce jeu de
              données.
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": None,
        "temporal": ("2016-01-01", "2025-12-31"),
        "created": "2017-03-21 11:47:08",
        "updated": "2026-04-02 12:10:55",
        "metrics": (9860, 40, 1, 1, 0),
        "resources": [
            res("aides-selectives-cnc-2016-2025.csv", "csv", size=3_120_998),
            res("aides-selectives-cnc-2016-2025.xlsx", "xlsx", size=2_410_775),
        ],
    },
    # ---------------------------------------------------------------- BnF
    {
        "title": "Dépôt légal : statistiques annuelles",
        "org": "bnf",
        "tags": ["livre", "presse", "depot-legal", "edition", "bibliotheque"],
        "short": "Documents reçus chaque année par la BnF au titre du dépôt légal, par type de document.",
        "description": """
            Volumes de documents reçus chaque année par la BnF au titre du **dépôt légal** : livres, périodiques,
              partitions, documents cartographiques, vidéogrammes, phonogrammes, logiciels et sites web collectés.

            Les livres sont ventilés par type d'éditeur (commercial, auto-édition, administratif) et par langue.
              Les périodiques sont comptés en titres vivants et en fascicules reçus.
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("country", "country:fr"),
        "temporal": ("2000-01-01", "2025-12-31"),
        "created": "2021-02-08 10:15:44",
        "updated": "2026-03-26 14:33:02",
        "metrics": (3920, 18, 0, 0, 0),
        "resources": [
            res("statistiques-depot-legal.xlsx", "xlsx", size=184_330),
            res("statistiques-depot-legal.csv", "csv", size=96_715),
        ],
    },
    {
        "title": "Titres de presse numérisés dans Gallica",
        "org": "bnf",
        "tags": ["presse", "archives", "gallica", "numerisation", "patrimoine-ecrit"],
        "short": None,
        "description": """
            Liste des **titres de presse** (quotidiens, hebdomadaires, revues) numérisés et consultables dans
              [Gallica](https://gallica.bnf.fr), la bibliothèque numérique de la BnF et de ses partenaires.

            Pour chaque titre : identifiant ARK, titre, lieu de publication, périodicité, dates de début et de fin
              de la collection numérisée, nombre de fascicules et institution partenaire.

            Les fascicules eux-mêmes se consultent dans Gallica ; une interface de programmation permet
              d'interroger le détail des numéros.
        """,
        "frequency": "monthly",
        "license": "lov2",
        "spatial": None,
        "temporal": ("1631-05-30", "1950-12-31"),
        "created": "2018-07-04 09:12:30",
        "updated": "2026-08-01 02:00:14.503",
        "metrics": (14760, 72, 3, 2, 1),
        "resources": [
            res("titres-presse-gallica.csv", "csv", size=5_402_331),
            res("titres-presse-gallica.xlsx", "xlsx", size=4_118_090),
            res(
                "Documentation de l'API Gallica",
                "html",
                type="api",
                url="https://api.bnf.fr/fr/api-gallica-de-recherche",
            ),
        ],
    },
    # ---------------------------------------------------------------- CNM
    {
        "title": "Diffusion des spectacles de musiques actuelles et de variétés",
        "org": "cnm",
        "tags": ["musique", "spectacle-vivant", "billetterie", "concerts", "varietes"],
        "short": "Représentations, fréquentation et recettes de billetterie par région et par genre musical.",
        "description": """
            Données issues de l'**observation de la billetterie** des spectacles de musiques actuelles et de
              variétés déclarés au CNM au titre de la taxe sur les spectacles.

            ## Indicateurs par région et par genre

            - nombre de représentations payantes ;
            - fréquentation payante ;
            - recettes de billetterie hors taxes ;
            - prix moyen du billet.

            Les genres suivent la nomenclature du CNM (chanson, rock, rap, électro, jazz, musiques du monde...).
              Les années 2020 et 2021 sont fortement affectées par la crise sanitaire.
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("fr:region", "country:fr"),
        "temporal": ("2017-01-01", "2024-12-31"),
        "created": "2019-09-17 15:26:41",
        "updated": "2025-11-14 11:02:19",
        "metrics": (8240, 37, 2, 1, 0),
        "resources": [
            res("diffusion-spectacles-2017-2024.xlsx", "xlsx", size=611_204),
            res("diffusion-spectacles-2017-2024.csv", "csv", size=402_887),
            res("Méthodologie de l'observation de la billetterie", "pdf", type="documentation", size=1_044_391),
        ],
    },
    {
        "title": "Aides financières du Centre national de la musique",
        "org": "cnm",
        "tags": ["musique", "industries-culturelles", "aides", "edition-musicale", "production-phonographique"],
        "short": "Aides attribuées par le CNM depuis 2020 : bénéficiaire, programme, montant, date de commission.",
        "description": """
            Liste des **aides attribuées par le CNM** depuis sa création en 2020 : production phonographique,
              édition musicale, spectacle vivant, export, structuration professionnelle.

            Chaque ligne correspond à une décision : programme, bénéficiaire, catégorie de bénéficiaire, région du
              siège, montant accordé et date de la commission. Les aides d'urgence versées en 2020 et 2021 sont
              identifiées par un indicateur spécifique.
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("other"),
        "temporal": ("2020-01-01", "2025-12-31"),
        "created": "2021-06-30 10:00:03.774",
        "updated": "2026-01-29 17:45:36",
        "metrics": (5670, 21, 0, 0, 0),
        "resources": [
            res("aides-cnm-2020-2025.csv", "csv", size=2_706_119),
            res("aides-cnm-2020-2025.json", "json", size=6_015_470),
        ],
    },
    # ---------------------------------------------------------------- CNL
    {
        "title": "Librairies labellisées Librairie indépendante de référence",
        "acronym": "LIR",
        "org": "cnl",
        "tags": ["livre", "industries-culturelles", "librairie", "label"],
        "short": "Liste géolocalisée des librairies titulaires du label LIR.",
        "description": """
            Le label **Librairie indépendante de référence** (LIR) reconnaît les librairies qui proposent une
              offre diversifiée et un travail qualitatif d'animation culturelle. Il ouvre droit, sur délibération
              des collectivités, à une exonération de contribution économique territoriale.

            Le fichier indique la raison sociale, le nom d'enseigne, l'adresse, la spécialité (générale, jeunesse,
              bande dessinée...) et la date de labellisation. Dossier et critères :
              [centrenationaldulivre.fr](https://centrenationaldulivre.fr).
        """,
        "frequency": "semiannual",
        "license": "lov2",
        "spatial": spatial("poi", "country:fr"),
        "temporal": ("2009-01-01", "2026-06-30"),
        "created": "2015-10-14 08:37:22",
        "updated": "2026-07-09 10:24:13",
        "metrics": (10230, 45, 2, 3, 1),
        "resources": [
            res("librairies-lir.csv", "csv", size=151_208),
            res("librairies-lir.geojson", "geojson", size=402_315),
            res("librairies-lir.ods", "ods", size=118_776),
        ],
    },
    # ---------------------------------------------------------------- Région Bretagne
    {
        "title": "Collection du Fonds régional d'art contemporain de Bretagne",
        "acronym": "FRAC Bretagne",
        "org": "bretagne",
        "tags": ["arts-plastiques", "art-contemporain", "frac", "collections", "bretagne"],
        "short": "Inventaire des œuvres de la collection du FRAC Bretagne, constituée depuis 1981.",
        "description": """
            Inventaire des **œuvres de la collection du FRAC Bretagne**, constituée depuis 1981 : peintures,
              sculptures, photographies, installations, vidéos et œuvres sur papier.

            Chaque notice indique l'artiste, le titre, la date, la technique, les dimensions, l'année
              d'acquisition et les prêts en cours. La collection circule dans les communes bretonnes grâce aux
              expositions et aux prêts aux établissements scolaires.

            > Les visuels des œuvres sont soumis au droit d'auteur et ne sont pas diffusés ici.
        """,
        "frequency": "monthly",
        "license": "lov2",
        "spatial": spatial("other", "fr:region:53"),
        "temporal": ("1981-01-01", None),
        "created": "2020-10-20 13:58:17",
        "updated": "2026-06-12 15:41:09.214",
        "metrics": (4150, 23, 1, 0, 0),
        "resources": [
            res("collection-frac-bretagne.csv", "csv", size=1_204_660),
            res("collection-frac-bretagne.json", "json", size=3_318_042),
        ],
    },
    {
        "title": "Aides de la Région Bretagne au spectacle vivant",
        "org": "bretagne",
        "tags": ["spectacle-vivant", "aides", "theatre", "danse", "cirque", "bretagne"],
        "short": None,
        "description": """
            Subventions attribuées par la **Région Bretagne** aux équipes artistiques et aux lieux de spectacle
              vivant : aide à la création, à la diffusion, aux résidences et aux festivals.

            Chaque ligne précise le bénéficiaire, sa commune, la discipline (théâtre, danse, cirque, arts de la
              rue, musique), le dispositif, le montant voté et la date de la commission permanente.
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("fr:commune", "fr:region:53"),
        "temporal": ("2018-01-01", "2025-12-31"),
        "created": "2019-03-05 09:21:40",
        "updated": "2026-02-10 08:56:12",
        "contact": True,
        "metrics": (2980, 9, 0, 1, 1),
        "resources": [
            res("aides-spectacle-vivant-bretagne.csv", "csv", size=388_214),
            res("aides-spectacle-vivant-bretagne.xlsx", "xlsx", size=297_506),
        ],
    },
    {
        "title": "Effectifs de l'enseignement bilingue français-breton",
        "org": "bretagne",
        "tags": ["langue", "breton", "langues-regionales", "enseignement", "bretagne"],
        "short": "Élèves des filières bilingues français-breton par commune et par année scolaire.",
        "description": """
            Nombre d'élèves scolarisés dans les filières **bilingues français-breton**, de la maternelle au lycée,
              par commune et par année scolaire.

            | Filière | Description |
            |---|---|
            | Public | Classes bilingues à parité horaire |
            | Privé | Classes bilingues de l'enseignement catholique |
            | Immersif | Écoles associatives pratiquant l'immersion |

            Les effectifs sont comptés à la rentrée de septembre.
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("fr:commune", "fr:region:53"),
        "temporal": ("2010-09-01", "2025-08-31"),
        "created": "2018-01-17 10:40:52",
        "updated": "2025-10-21 09:14:38",
        "metrics": (3540, 14, 1, 0, 0),
        "resources": [
            res("effectifs-bilingue-breton.csv", "csv", size=206_880),
            res("effectifs-bilingue-breton.xlsx", "xlsx", size=174_312),
        ],
    },
    # ---------------------------------------------------------------- Département d'Ille-et-Vilaine
    {
        "title": "Inventaires des fonds des Archives départementales d'Ille-et-Vilaine",
        "org": "ille-et-vilaine",
        "tags": ["archives", "archives-departementales", "inventaires", "ead", "ille-et-vilaine"],
        "short": "Instruments de recherche des Archives d'Ille-et-Vilaine au format EAD.",
        "description": """
            Instruments de recherche des **Archives départementales d'Ille-et-Vilaine** encodés au format **EAD**
              (*Encoded Archival Description*) : séries anciennes, séries modernes, fonds privés et archives
              contemporaines.

            ## Contenu

            - un fichier XML par instrument de recherche, réunis dans une archive ZIP ;
            - un index CSV des instruments (cote, intitulé, dates extrêmes, métrage) ;
            - la liste des producteurs d'archives.

            Les instruments sont également consultables sur le [site des Archives](https://archives.ille-et-vilaine.fr).
        """,
        "frequency": "irregular",
        "license": "fr-lo",
        "spatial": spatial("other", "fr:departement:35"),
        "temporal": ("1190-01-01", None),
        "created": "2015-04-07 11:05:29",
        "updated": "2021-06-14 14:27:51.008",
        "metrics": (2710, 16, 0, 1, 0),
        "resources": [
            res("Instruments de recherche EAD", "zip", size=148_306_552, name="ad35-instruments-ead.zip"),
            res("Index des instruments de recherche", "csv", size=602_117, name="ad35-index-instruments.csv"),
            res("Producteurs d'archives", "xml", size=2_480_913, name="ad35-producteurs.xml"),
        ],
    },
    {
        "title": "Registres paroissiaux et d'état civil numérisés d'Ille-et-Vilaine",
        "org": "ille-et-vilaine",
        "tags": ["archives", "etat-civil", "genealogie", "numerisation", "ille-et-vilaine"],
        "short": None,
        "description": """
            Liste des **registres paroissiaux et d'état civil** numérisés et mis en ligne par les Archives
              départementales : baptêmes, mariages et sépultures avant 1792, naissances, mariages et décès
              ensuite.

            Pour chaque registre : commune, paroisse, type d'actes, dates extrêmes, cote et nombre de vues. Les
              registres de naissances et de mariages de moins de 75 ans ne sont pas diffusés en ligne.
        """,
        "frequency": "irregular",
        "license": "lov2",
        "spatial": spatial("fr:commune", "fr:departement:35"),
        "temporal": ("1530-01-01", "1925-12-31"),
        "created": "2016-11-30 15:48:06",
        "updated": "2025-05-27 10:33:20",
        "metrics": (6890, 31, 2, 2, 1),
        "resources": [
            res("registres-numerises-ad35.csv", "csv", size=9_805_411),
            res("registres-numerises-ad35.json", "json", size=21_377_059),
        ],
    },
    # ---------------------------------------------------------------- Rennes Métropole
    {
        "title": "Équipements culturels de Rennes Métropole",
        "org": "rennes",
        "tags": ["spectacle-vivant", "equipements-culturels", "salles-de-spectacle", "bibliotheque", "rennes"],
        "short": "Salles de spectacle, cinémas, bibliothèques, musées et lieux d'exposition de la métropole.",
        "description": """
            Localisation des **équipements culturels** de la métropole rennaise : salles de spectacle, cinémas,
              bibliothèques, musées, conservatoires, lieux d'exposition et tiers-lieux culturels.

            Chaque équipement est décrit par son nom, son type, son adresse, sa commune, sa jauge quand elle est
              connue et son site internet. Données moissonnées depuis
              [data.rennesmetropole.fr](https://data.rennesmetropole.fr).
        """,
        "frequency": "monthly",
        "license": "odc-odbl",
        "spatial": spatial("poi", "fr:commune:35238"),
        "temporal": None,
        "created": "2015-02-09 10:30:00",
        "imported": "2016-02-11 03:15:42.871",
        "updated": "2026-07-28 05:12:40",
        "harvest": HARVEST_RENNES,
        "remote_id": "equipements-culturels-rennes-metropole",
        "contact": True,
        "metrics": (5320, 19, 2, 0, 0),
        "resources": [
            res(
                "Export CSV",
                "csv",
                url=f"{ODS_RENNES}/equipements-culturels-rennes-metropole/exports/csv",
                length=187_402,
            ),
            res(
                "Export GeoJSON",
                "geojson",
                url=f"{ODS_RENNES}/equipements-culturels-rennes-metropole/exports/geojson",
                length=455_106,
            ),
            res("Export Shapefile", "shp", url=f"{ODS_RENNES}/equipements-culturels-rennes-metropole/exports/shp"),
            res(
                "API Explore v2.1",
                "json",
                type="api",
                url=f"{ODS_RENNES}/equipements-culturels-rennes-metropole/records",
            ),
        ],
    },
    {
        "title": "Fréquentation des bibliothèques de Rennes",
        "org": "rennes",
        "tags": ["livre", "bibliotheque", "lecture-publique", "frequentation", "rennes"],
        "short": None,
        "description": """
            Nombre mensuel d'**entrées** et de **prêts** dans les bibliothèques du réseau de la Ville de Rennes,
              dont la bibliothèque des Champs Libres.

            Les entrées sont mesurées par des compteurs placés aux accès publics ; les prêts incluent les
              renouvellements. Les fermetures exceptionnelles (travaux, crise sanitaire) sont signalées dans une
              colonne de commentaire.
        """,
        "frequency": "monthly",
        "license": "odc-odbl",
        "spatial": spatial("poi", "fr:commune:35238"),
        "temporal": ("2017-01-01", "2026-07-31"),
        "created": "2017-04-03 08:00:00",
        "imported": "2017-04-04 03:02:19.340",
        "updated": "2026-08-04 05:30:02",
        "harvest": HARVEST_RENNES,
        "remote_id": "frequentation-bibliotheques-rennes",
        "metrics": (2140, 7, 0, 0, 0),
        "resources": [
            res(
                "Export CSV",
                "csv",
                url=f"{ODS_RENNES}/frequentation-bibliotheques-rennes/exports/csv",
                length=96_118,
            ),
            res(
                "Export JSON",
                "json",
                url=f"{ODS_RENNES}/frequentation-bibliotheques-rennes/exports/json",
                length=311_724,
            ),
        ],
    },
    # ---------------------------------------------------------------- Ville de Lyon
    {
        "title": "Œuvres d'art dans l'espace public à Lyon",
        "org": "lyon",
        "tags": ["arts-plastiques", "architecture", "art-public", "sculptures", "lyon", "patrimoine"],
        "short": "Statues, monuments, fontaines, fresques et commandes contemporaines de l'espace public lyonnais.",
        "description": """
            Inventaire des **œuvres d'art installées dans l'espace public** lyonnais : statues, monuments
              commémoratifs, fontaines, fresques murales et commandes contemporaines.

            Chaque œuvre est décrite par son titre, son ou ses auteurs, sa date d'installation, ses matériaux,
              son adresse et ses coordonnées. Les fresques murales privées ne sont recensées que lorsqu'elles ont
              fait l'objet d'une convention avec la Ville.
        """,
        "frequency": "irregular",
        "license": "lov2",
        "spatial": spatial("poi", "fr:commune:69123"),
        "temporal": None,
        "created": "2016-06-20 09:00:00",
        "imported": "2019-10-08 02:44:51.105",
        "updated": "2025-09-15 07:20:00",
        "harvest": HARVEST_LYON,
        "remote_id": "ville-de-lyon-oeuvres-art-espace-public",
        "metrics": (4620, 25, 1, 1, 0),
        "resources": [
            res(
                "Œuvres d'art dans l'espace public (GeoJSON)",
                "geojson",
                url=f"{GRANDLYON}/adr_voie_lieu.oeuvres_art_espace_public/all.geojson",
                length=702_915,
            ),
            res(
                "Œuvres d'art dans l'espace public (CSV)",
                "csv",
                url=f"{GRANDLYON}/adr_voie_lieu.oeuvres_art_espace_public/all.csv",
                length=233_480,
            ),
            res(
                "Œuvres d'art dans l'espace public (Shapefile)",
                "shp",
                url=f"{GRANDLYON}/adr_voie_lieu.oeuvres_art_espace_public/all.shp",
            ),
        ],
    },
    {
        "title": "Subventions culturelles de la Ville de Lyon",
        "org": "lyon",
        "tags": ["spectacle-vivant", "subventions", "budget-culturel", "associations", "lyon"],
        "short": None,
        "description": """
            Subventions de **fonctionnement** et d'**investissement** votées par le conseil municipal en faveur des
              acteurs culturels lyonnais.

            | Secteur | Part du total 2025 |
            |---|---|
            | Spectacle vivant | 46 % |
            | Musique et enseignement artistique | 18 % |
            | Arts visuels | 14 % |
            | Patrimoine et mémoire | 9 % |
            | Livre et lecture | 7 % |
            | Autres | 6 % |

            Les montants sont exprimés en euros et rattachés à la délibération correspondante. Les aides en nature
              (mise à disposition de locaux) ne sont pas valorisées.
        """,
        "frequency": "annual",
        "license": "lov2",
        "spatial": spatial("other", "fr:commune:69123"),
        "temporal": ("2019-01-01", "2025-12-31"),
        "created": "2020-02-26 14:09:33",
        "updated": "2026-01-08 11:25:47",
        "metrics": (3310, 11, 0, 2, 1),
        "resources": [
            res("subventions-culture-lyon-2019-2025.csv", "csv", size=512_904),
            res("subventions-culture-lyon-2019-2025.xlsx", "xlsx", size=433_017),
        ],
    },
    {
        "title": "Fréquentation des musées municipaux de Lyon",
        "org": "lyon",
        "tags": ["musee", "frequentation", "beaux-arts", "lyon"],
        "short": "Entrées mensuelles des musées de la Ville de Lyon depuis 2012.",
        "description": """
            Fréquentation mensuelle des **musées municipaux** de Lyon : musée des Beaux-Arts, musée d'Art
              contemporain, musées Gadagne, Centre d'histoire de la résistance et de la déportation, musée de
              l'Imprimerie et de la communication graphique, musée Henri-Malartre.

            Les entrées sont ventilées entre visiteurs individuels, groupes et scolaires, entrées payantes et
              gratuites.
        """,
        "frequency": "monthly",
        "license": "lov2",
        "spatial": spatial("poi", "fr:commune:69123"),
        "temporal": ("2012-01-01", "2026-07-31"),
        "created": "2015-01-30 09:00:00",
        "imported": "2019-10-08 02:45:03.712",
        "updated": "2026-08-05 06:40:18",
        "harvest": HARVEST_LYON,
        "remote_id": "ville-de-lyon-frequentation-musees",
        "metrics": (2870, 12, 1, 0, 0),
        "resources": [
            res(
                "Fréquentation des musées (CSV)",
                "csv",
                url=f"{GRANDLYON}/culture.frequentation_musees/all.csv",
                length=88_415,
            ),
            res(
                "Fréquentation des musées (JSON)",
                "json",
                url=f"{GRANDLYON}/culture.frequentation_musees/all.json",
                length=240_337,
            ),
        ],
    },
    # ---------------------------------------------------------------- Ville de Bordeaux
    {
        "title": "Agenda des événements culturels à Bordeaux",
        "org": "bordeaux",
        "tags": ["spectacle-vivant", "musique", "agenda", "festival", "evenements", "bordeaux"],
        "short": "Concerts, spectacles, expositions et festivals à venir à Bordeaux, mis à jour chaque jour.",
        "description": """
            Agenda des **événements culturels** programmés à Bordeaux : concerts, spectacles, expositions,
              festivals, rencontres et visites.

            Chaque événement comporte un titre, un résumé, les dates et horaires, le lieu, la catégorie, le tarif
              et un lien vers la billetterie. L'agenda est alimenté par les structures culturelles et relu par les
              services de la Ville.

            Les événements passés sont retirés du fichier au bout de 30 jours.
        """,
        "frequency": "daily",
        "license": "lov2",
        "spatial": spatial("poi", "fr:commune:33063"),
        "temporal": None,
        "created": "2015-03-16 10:00:00",
        "imported": "2016-01-20 04:11:09.556",
        "updated": "2026-08-19 04:10:33",
        "harvest": HARVEST_BORDEAUX,
        "remote_id": "bor_agenda_culturel",
        "metrics": (7940, 28, 3, 1, 0),
        "dataservices": 1,
        "resources": [
            res("Export CSV", "csv", url=f"{ODS_BORDEAUX}/bor_agenda_culturel/exports/csv", length=1_402_556),
            res("Export JSON", "json", url=f"{ODS_BORDEAUX}/bor_agenda_culturel/exports/json", length=3_911_208),
            res("API Explore v2.1", "json", type="api", url=f"{ODS_BORDEAUX}/bor_agenda_culturel/records"),
        ],
    },
    {
        "title": "Fonds photographiques des Archives de Bordeaux Métropole",
        "org": "bordeaux",
        "tags": ["archives", "photographie", "patrimoine", "bordeaux"],
        "short": None,
        "description": """
            Description des **fonds photographiques** conservés par les Archives de Bordeaux Métropole : plaques de
              verre, tirages, négatifs et diapositives, du milieu du XIXe siècle aux années 1990.

            Le jeu de données a été créé en vue de la publication de l'inventaire : **les fichiers seront ajoutés
              prochainement**, après vérification des droits de diffusion.
        """,
        "frequency": "punctual",
        "license": "lov2",
        "spatial": spatial("other", "fr:commune:33063"),
        "temporal": ("1860-01-01", "1990-12-31"),
        "created": "2026-05-12 14:22:08.450",
        "modified": "2026-05-12 14:31:40.118",
        "updated": None,
        "metrics": (310, 2, 0, 0, 0),
        "flat_metrics": True,
        "resources": [],
    },
    # ---------------------------------------------------------------- associations, company, others
    {
        "title": "Festivals du Grand Ouest : éditions et fréquentation",
        "org": "festivals-go",
        "tags": ["musique", "spectacle-vivant", "festival", "musiques-actuelles", "bretagne", "pays-de-la-loire"],
        "short": None,
        "description": """
            Données déclaratives des **festivals membres du Collectif Festivals Grand Ouest** : dates, commune,
              nombre de jours, jauge, fréquentation payante et gratuite, nombre d'artistes programmés.

            - les éditions annulées (2020, parfois 2021) figurent avec une fréquentation nulle et un indicateur
              d'annulation ;
            - la part d'artistes **émergents** suit la définition commune adoptée par le collectif en 2019.

            Les données sont saisies par chaque festival après son édition et relues par le collectif.
        """,
        "frequency": "annual",
        "license": "odc-odbl",
        "spatial": spatial("fr:commune", "fr:region:53", "fr:region:52", "fr:region:28"),
        "temporal": ("2015-01-01", "2025-12-31"),
        "created": "2022-03-14 18:03:25",
        "updated": "2025-12-02 20:47:13.660",
        "metrics": (1460, 6, 0, 1, 0),
        "flat_metrics": True,
        "resources": [
            res("festivals-grand-ouest-2015-2025.csv", "csv", size=64_902),
            res("festivals-grand-ouest-2015-2025.xlsx", "xlsx", size=58_337),
        ],
    },
    {
        "title": "Noms des communes en langues régionales",
        "org": "oalr",
        "tags": ["langue", "toponymie", "langues-regionales", "breton", "occitan", "basque", "alsacien"],
        "short": "Forme officielle et formes en langues régionales des noms de communes, avec leurs sources.",
        "description": """
            Corpus collaboratif des **noms de communes en langues régionales** : breton, gallo, occitan, basque,
              catalan, corse, alsacien, flamand occidental, francoprovençal...

            Pour chaque commune : code INSEE, nom officiel, forme(s) en langue régionale, graphie utilisée et
              **source** de l'attestation (signalisation bilingue, ouvrage de référence, délibération municipale).

            Le corpus est diffusé sous licence CC-BY-SA : toute réutilisation doit être partagée dans les mêmes
              conditions.
        """,
        "frequency": "irregular",
        "license": "cc-by-sa",
        "spatial": spatial("fr:commune", "country:fr"),
        "temporal": None,
        "created": "2021-09-09 21:14:56",
        "updated": "2026-06-28 22:08:41",
        "metrics": (2260, 15, 1, 2, 1),
        "resources": [
            res("noms-communes-langues-regionales.csv", "csv", size=2_918_406),
            res("noms-communes-langues-regionales.json", "json", size=6_744_120),
        ],
    },
    {
        "title": "Baromètre trimestriel de la billetterie du spectacle vivant",
        "org": "scene-data",
        "tags": ["spectacle-vivant", "industries-culturelles", "billetterie", "theatre", "concerts"],
        "short": "Billets vendus, prix moyen et délai d'achat par département et par discipline, chaque trimestre.",
        "description": """
            Indicateurs **agrégés et anonymisés** de vente de billets pour le spectacle vivant (théâtre, concerts,
              humour, danse, cirque), calculés chaque trimestre à partir d'un panel de lieux et de festivals.

            ### Indicateurs par département et par discipline

            1. nombre de billets vendus ;
            2. prix moyen payé ;
            3. délai moyen d'achat avant la représentation ;
            4. part des billets vendus en ligne.

            Le panel n'est pas exhaustif : les évolutions sont plus fiables que les niveaux.
        """,
        "frequency": "quarterly",
        "license": "cc-by",
        "spatial": spatial("fr:departement", "country:fr"),
        "temporal": ("2022-01-01", "2026-06-30"),
        "created": "2022-05-03 09:30:00",
        "updated": "2026-07-16 08:45:30",
        "metrics": (1830, 8, 0, 0, 0),
        "flat_metrics": True,
        "resources": [
            res("barometre-billetterie-2026-t2.csv", "csv", size=377_018),
            res("barometre-billetterie-2022-2026.parquet", "parquet", size=1_102_445),
            res("Méthodologie du baromètre", "pdf", type="documentation", size=243_907),
        ],
    },
    {
        "title": "Cinémas disparus de France",
        "org": "openpatrimoine",
        "tags": ["cinema", "architecture", "patrimoine", "salles-de-cinema", "memoire"],
        "short": "Recensement participatif des salles de cinéma fermées, démolies ou transformées.",
        "description": """
            Recensement participatif des **salles de cinéma disparues** : cinémas de quartier, salles
              paroissiales, palaces des années 1930, fermés, démolis ou transformés.

            Pour chaque salle : nom(s) successif(s), adresse, commune, dates d'ouverture et de fermeture connues,
              nombre de places, architecte et devenir du bâtiment (commerce, logement, démolition...).

            La licence de diffusion n'a pas encore été choisie par le collectif.
        """,
        "frequency": "punctual",
        "license": None,
        "spatial": spatial("poi", "country:fr"),
        "temporal": None,
        "created": "2020-07-21 19:26:48.902",
        "updated": "2024-11-03 17:55:20",
        "metrics": (3150, 21, 1, 3, 2),
        "resources": [
            res("cinemas-disparus.csv", "csv", size=803_115),
            res("cinemas-disparus.geojson", "geojson", size=1_960_442),
        ],
    },
    {
        "title": "Plaques commémoratives d'écrivains à Paris",
        "org": "openpatrimoine",
        "tags": ["livre", "ecrivains", "plaques-commemoratives", "paris", "patrimoine"],
        "short": None,
        "description": "",
        "frequency": "irregular",
        "license": "cc-by",
        "spatial": spatial("poi", "fr:commune:75056"),
        "temporal": None,
        "created": "2023-02-18 15:07:33",
        "updated": "2023-02-18 15:12:09",
        "metrics": (640, 3, 0, 0, 0),
        "flat_metrics": True,
        "resources": [
            res("plaques-ecrivains-paris.csv", "csv", size=48_771, views=0),
        ],
    },
    {
        "title": "Recensement des titres de presse ancienne en Bretagne",
        "owner": ("Yann", "Kerhervé", "2023-11-02 20:15:37.664"),
        "tags": ["presse", "presse-ancienne", "periodiques", "patrimoine-ecrit", "bretagne"],
        "short": None,
        "description": """
            Liste des **journaux et périodiques** publiés en Bretagne entre 1789 et 1944, recensés à partir des
              catalogues de bibliothèques et des fonds d'archives.

            Pour chaque titre : ville de publication, dates connues, périodicité, orientation politique quand elle
              est connue et lieux de conservation. Le travail est en cours : les compléments sont bienvenus.
        """,
        "frequency": "unknown",
        "license": "notspecified",
        "spatial": None,
        "temporal": None,
        "created": "2024-10-07 21:36:15.482",
        "updated": "2024-10-07 21:44:02.917",
        "metrics": (970, 3, 0, 0, 0),
        "flat_metrics": True,
        "resources": [
            res("presse_ancienne_bretagne.ods", "ods", size=92_415, name="presse_ancienne_bretagne.ods"),
            res(
                "Sources consultées",
                None,
                type="documentation",
                size=6_120,
                name="sources-consultees.txt",
                views=0,
            ),
        ],
    },
]


def build_dataset(entry: dict, orgs: dict[str, dict]) -> dict:
    title = entry["title"]
    slug = entry.get("slug") or slugify(title)
    created = d(entry["created"])
    harvest_spec = entry.get("harvest")
    archived = d(entry["archived"]) if entry.get("archived") else None
    resources_spec = entry["resources"]

    # Dates. Non-harvested: created_at/last_modified are the platform dates. Harvested:
    # they come from the source; the platform dates are those of the import and last harvest.
    updated = d(entry["updated"]) if entry.get("updated") else None
    if harvest_spec:
        modified = updated
        internal_created = d(entry["imported"])
        internal_modified = archived or updated + timedelta(
            minutes=number(slug, 20, 75), seconds=number(slug + "s", 0, 59), microseconds=number(slug, 1, 999) * 1000
        )
    else:
        modified = d(entry["modified"]) if entry.get("modified") else updated + timedelta(seconds=257)
        internal_created, internal_modified = created, modified

    views, followers, reuses, discussions, discussions_open = entry["metrics"]
    downloads = views * number(slug + "dl", 25, 85) // 100 if resources_spec else 0
    ds = {
        "slug": slug,
        "_created": created,
        "_updated": updated,
        "_harvest": bool(harvest_spec),
        "_archived": archived,
        "_internal_created": internal_created,
        "_internal_modified": internal_modified,
        "_downloads": downloads,
        "_resource_count": len(resources_spec),
    }
    resources = [build_resource(spec, i, ds) for i, spec in enumerate(resources_spec)]
    # udata: last_update is the most recent resource change, else last_modified.
    last_update = max(d(r["last_modified"]) for r in resources) if resources else modified

    frequency = entry["frequency"]
    delta = FREQUENCY_DELTA.get(frequency)
    next_update = last_update + delta if delta else None

    description = md(entry["description"])
    if description:
        description += SAMPLE_FLAG

    # Quality, computed like udata's Dataset.quality.
    quality: dict = {
        "license": bool(entry["license"]),
        "temporal_coverage": bool(entry["temporal"]),
        "spatial": bool(entry["spatial"]),
        "update_frequency": frequency != "unknown",
    }
    if next_update:
        quality["update_fulfilled_in_time"] = (next_update - NOW).days >= -1
    elif frequency in ("continuous", "irregular", "punctual"):
        quality["update_fulfilled_in_time"] = True
    quality["dataset_description_quality"] = len(description) > QUALITY_DESCRIPTION_LENGTH
    if resources:
        quality["has_resources"] = True
        quality["has_open_format"] = not all(r["format"] is None or r["format"] in CLOSED_FORMATS for r in resources)
        quality["all_resources_available"] = all(is_available(r) for r in resources)
        quality["resources_documentation"] = any(r["type"] == "documentation" or r["description"] for r in resources)
    quality["score"] = sum(1 for k, v in quality.items() if v is True and k != "has_resources") / 9

    org = orgs[entry["org"]] if entry.get("org") else None
    owner = user_ref(*entry["owner"]) if entry.get("owner") else None

    harvest = None
    extras: dict = {"culture_portal:sample": True}
    if harvest_spec:
        remote_url = f"https://{harvest_spec['domain']}/explore/dataset/{entry['remote_id']}/"
        harvest = {
            "backend": harvest_spec["backend"],
            "domain": harvest_spec["domain"],
            "issued_at": iso(created),
            "last_update": iso(internal_modified),
            "modified_at": iso(modified),
            "remote_id": entry["remote_id"],
            "source_id": harvest_spec["source_id"],
        }
        if archived:
            harvest.update({"archived": "not-on-remote", "archived_at": iso(archived)})
        else:
            harvest.update(
                {
                    "created_at": iso(created),
                    "dct_identifier": entry["remote_id"],
                    "remote_url": remote_url,
                    "uri": remote_url,
                }
            )
            extras["dcat"] = {"landingPage": [remote_url]}

    contact_points = []
    if entry.get("contact") and org:
        spec = next(o for o in ORGANIZATIONS if o["key"] == entry["org"])
        name, form = spec["contact"]
        contact_points.append(
            {
                "contact_form": form,
                "email": None,
                "id": object_id(created, f"contact/{org['slug']}"),
                "name": name,
                "organization": organization_ref(org),
                "owner": None,
                "role": "contact",
            }
        )

    if entry.get("flat_metrics"):
        followers_by_months = reuses_by_months = 0
    else:
        followers_by_months = by_months(followers, created)
        reuses_by_months = by_months(reuses, created)

    temporal = None
    if entry["temporal"]:
        start, end = entry["temporal"]
        temporal = {"end": end, "start": start}

    frequency_date = None
    if next_update and not archived:
        frequency_date = iso(next_update.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1))

    return {
        "access_audiences": [],
        "access_type": "open",
        "access_type_reason": None,
        "access_type_reason_category": None,
        "acronym": entry.get("acronym"),
        "archived": iso(archived),
        "authorization_request_url": None,
        "badges": [{"kind": kind} for kind in entry.get("badges", [])],
        "contact_points": contact_points,
        "created_at": iso(created),
        "deleted": None,
        "description": description,
        "description_short": entry["short"],
        "extras": extras,
        "featured": entry.get("featured", False),
        "frequency": frequency,
        "frequency_date": frequency_date,
        "harvest": harvest,
        "id": object_id(internal_created, f"dataset/{slug}"),
        "internal": {
            "created_at_internal": iso(internal_created),
            "last_modified_internal": iso(internal_modified),
        },
        "last_modified": iso(modified),
        "last_update": iso(last_update),
        "license": entry["license"],
        "metrics": {
            "dataservices": entry.get("dataservices", 0),
            "discussions": discussions,
            "discussions_open": discussions_open,
            "followers": followers,
            "followers_by_months": followers_by_months,
            "resources_downloads": downloads,
            "reuses": reuses,
            "reuses_by_months": reuses_by_months,
            "views": views,
        },
        "organization": organization_ref(org) if org else None,
        "owner": owner,
        "page": f"{SITE}/datasets/{slug}",
        "permissions": {"delete": False, "edit": False, "edit_resources": False},
        "private": False,
        "quality": quality,
        "resources": resources,
        "schema": None,
        "slug": slug,
        "spatial": entry["spatial"],
        "tags": sorted(set(entry["tags"])),
        "temporal_coverage": temporal,
        "title": title,
        "uri": f"{API}/datasets/{slug}/",
    }


# --------------------------------------------------------------------------- topic


def build_topic(mc: dict, dataset_count: int) -> dict:
    """GET /api/2/topics/{id}/ (v2 keeps the model order)."""
    description = md(
        """
        **L'univers culture** rassemble sur data.gouv.fr les données publiques relatives au domaine de la culture :
          patrimoine et monuments historiques, musées, archives, architecture, arts plastiques, cinéma, spectacle
          vivant, livre et lecture, musique, presse, langues et industries culturelles.

        Cette sélection est maintenue par le ministère de la Culture et ses partenaires. Elle alimente le portail
          thématique culture.data.gouv.fr.

        *Catalogue d'exemple : les jeux de données et les organisations décrits ici sont en partie inventés, pour
          faire fonctionner culture.data.gouv.fr lorsque data.gouv.fr est injoignable.*
        """
    )
    return {
        "id": TOPIC_ID,
        "owner": None,
        "organization": organization_ref(mc),
        "created_at": "2026-03-09T14:47:59.613000+00:00",
        "last_modified": "2026-08-19T03:15:02.940000+00:00",
        "name": "Univers culture",
        "slug": "univers-culture",
        "description": description,
        "tags": ["culture", "univers"],
        "color": None,
        "featured": False,
        "private": False,
        "extras": {},
        "spatial": None,
        "uri": "https://www.data.gouv.fr/api/2/topics/univers-culture/",
        "elements": {
            "rel": "subsection",
            "href": f"https://www.data.gouv.fr/api/2/topics/{TOPIC_ID}/elements/?page=1&page_size=20",
            "type": "GET",
            # Elements point to datasets whatever their state, archived ones included.
            "total": dataset_count,
        },
    }


# --------------------------------------------------------------------------- main


def build() -> list[dict]:
    organizations = [build_organization(spec) for spec in ORGANIZATIONS]
    by_key = {spec["key"]: org for spec, org in zip(ORGANIZATIONS, organizations, strict=True)}
    datasets = [build_dataset(entry, by_key) for entry in DATASETS]

    check(organizations, datasets)

    lines: list[dict] = [
        {
            "kind": "meta",
            "format": "culture-portal-dump",
            "version": 1,
            "source": SITE,
            "topic": TOPIC_ID,
            "created_at": iso(NOW),
            "sample": True,
        },
        {"kind": "topic", "data": build_topic(by_key["mc"], len(datasets))},
    ]
    lines += [{"kind": "license", "data": license_} for license_ in LICENSES]
    lines += [{"kind": "organization", "data": org} for org in organizations]
    lines += [{"kind": "dataset", "data": dataset} for dataset in datasets]
    lines.append(
        {
            "kind": "end",
            "datasets": len(datasets),
            # What the anonymous topic listing announces: archived datasets are left out.
            "total": sum(1 for dataset in datasets if not dataset["archived"]),
        }
    )
    return lines


def check(organizations: list[dict], datasets: list[dict]) -> None:
    """Cheap consistency checks; the generator refuses to write a broken sample."""
    ids = [o["id"] for o in organizations] + [ds["id"] for ds in datasets]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert all(re.fullmatch(r"[0-9a-f]{24}", i) for i in ids), "bad ObjectId"
    slugs = [ds["slug"] for ds in datasets]
    assert len(slugs) == len(set(slugs)), "duplicate slugs"
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs), "bad slug"
    rids = [r["id"] for ds in datasets for r in ds["resources"]]
    assert len(rids) == len(set(rids)), "duplicate resource ids"
    for ds in datasets:
        assert not ds["description_short"] or len(ds["description_short"]) <= 200, ds["slug"]
        assert "<" not in ds["description"], f"HTML in {ds['slug']}"
        dates = [ds["created_at"], ds["last_modified"], ds["last_update"], ds["internal"]["last_modified_internal"]]
        assert all(datetime.fromisoformat(x) <= NOW for x in dates), f"date after NOW in {ds['slug']}"
    for category in CATEGORIES:
        count = sum(1 for ds in datasets if category in ds["tags"])
        assert count >= 3, f"category {category} on {count} datasets"


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    lines = build()
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="\n") as fh:
        for line in lines:
            # v1 payloads have alphabetically sorted keys; the topic (v2) keeps its order.
            sort = line["kind"] != "topic"
            fh.write(json.dumps(line, ensure_ascii=False, sort_keys=sort, separators=(",", ":")) + "\n")
    end = lines[-1]
    kinds = [line["kind"] for line in lines]
    try:
        shown = output.relative_to(ROOT)
    except ValueError:
        shown = output
    print(
        f"wrote {shown}: {end['datasets']} datasets ({end['datasets'] - end['total']} archived), "
        f"{kinds.count('organization')} organizations, {kinds.count('license')} licenses"
    )


if __name__ == "__main__":
    main()
