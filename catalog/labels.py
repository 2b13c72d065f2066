"""French labels for the codes the data.gouv.fr API hands out (facts from its reference lists), and the categories
the universe declares."""

import functools
import os
from datetime import timedelta

from django.conf import settings

from catalog import universe
from catalog.universe import Category  # noqa: F401 (labels.Category: the type of CATEGORIES' items)


def __getattr__(name: str):
    """``CATEGORIES`` and ``CATEGORY_BY_SLUG``: the main section's categories, read from the universe file
    (``settings.UNIVERSE``, culture_portal/universes/culture.toml by default) each time they are asked for."""
    if name == "CATEGORIES":
        return _universe().main.categories
    if name == "CATEGORY_BY_SLUG":
        return _universe().main.category_by_slug
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _universe() -> universe.Universe:
    if settings.configured or "DJANGO_SETTINGS_MODULE" in os.environ:
        return settings.UNIVERSE
    return _outside_django()


@functools.cache
def _outside_django() -> universe.Universe:
    """For the tools that use the labels without Django's settings (the benchmark's stand-in API)."""
    return universe.from_environment()


# Organization types offered as a filter, from the organization badges.
ORGANIZATION_KINDS = {
    "public-service": "Service public",
    "local-authority": "Collectivité territoriale",
    "association": "Association",
    "company": "Entreprise",
    "other": "Autre producteur",
    "user": "Particulier",
}

BADGE_LABELS = {
    "public-service": "Service public",
    "certified": "Certifié",
    "association": "Association",
    "company": "Entreprise",
    "local-authority": "Collectivité territoriale",
}

LICENSE_LABELS = {
    "lov2": "Licence Ouverte v2.0 (Etalab)",
    "fr-lo": "Licence Ouverte v1.0",
    "odc-odbl": "ODbL",
    "odc-by": "ODC-BY",
    "odc-pddl": "ODC-PDDL",
    "cc-by": "CC-BY",
    "cc-by-sa": "CC-BY-SA",
    "cc-zero": "CC0",
    "notspecified": "Licence non spécifiée",
    "other-at": "Autre (attribution)",
    "other-open": "Autre (ouverte)",
    "other-pd": "Autre (domaine public)",
}

# What each licence allows and requires, in one plain-French line shown under its name on a dataset page.
NBSP = "\u00a0"  # before « : ; ? ! » in French typography


def thousands(number: int) -> str:
    """« 12 345 »: an integer grouped by thousands as French writes it, what ``intcomma`` gives on this site (its
    locale's separator is a non-breaking space), without the locale lookups of a call made eighty times a page."""
    return f"{number:,}".replace(",", NBSP)


LICENSE_SUMMARIES = {
    "lov2": "Réutilisation libre, même commerciale, en citant la source (le producteur) et la date de mise à jour.",
    "fr-lo": "Réutilisation libre, même commerciale, en citant la source (le producteur) et la date de mise à jour.",
    "odc-odbl": f"Réutilisation libre, même commerciale, en citant la source{NBSP}; une base de données dérivée que"
    " vous diffusez doit être partagée sous la même licence.",
    "odc-by": "Réutilisation libre, même commerciale, à condition de citer la source.",
    "odc-pddl": f"Données versées au domaine public{NBSP}: réutilisation libre, sans condition.",
    "cc-by": "Réutilisation libre, même commerciale, à condition de citer l\u2019auteur et la licence.",
    "cc-by-sa": f"Réutilisation libre, même commerciale, en citant l\u2019auteur{NBSP}; ce que vous en tirez doit être"
    " partagé sous la même licence.",
    "cc-zero": f"Le producteur a renoncé à ses droits{NBSP}: réutilisation libre, sans condition, pas même de citer"
    " la source.",
    "other-at": f"Licence ouverte avec attribution{NBSP}: réutilisation libre en citant la source{NBSP}; ses conditions"
    " exactes sont à vérifier auprès du producteur.",
    "other-open": f"Licence ouverte{NBSP}: réutilisation libre{NBSP}; ses conditions exactes sont à vérifier auprès"
    " du producteur.",
    "other-pd": f"Domaine public{NBSP}: réutilisation libre, sans condition.",
}
# A licence the API lists but we have no line for (the list grows).
LICENSE_SUMMARY_UNKNOWN = "Lisez les conditions de cette licence avant de réutiliser les données."
# No licence, or "notspecified": reuse is not granted by default.
LICENSE_MISSING = "notspecified"
LICENSE_MISSING_ADVICE = (
    f"Le producteur n\u2019a pas indiqué sous quelles conditions réutiliser ces données{NBSP}: avant toute"
    " réutilisation, posez-lui la question sur data.gouv.fr."
)
# Where the API gives no URL for a licence it lists, the licence's official text.
LICENSE_URLS = {
    "lov2": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
    "fr-lo": "https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf",
    "odc-odbl": "https://opendatacommons.org/licenses/odbl/summary/",
    "odc-by": "https://opendatacommons.org/licenses/by/summary/",
    "odc-pddl": "https://opendatacommons.org/licenses/pddl/summary/",
    "cc-by": "https://creativecommons.org/licenses/by/4.0/deed.fr",
    "cc-by-sa": "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
    "cc-zero": "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
}

# Labels of « Fréquence de mise à jour » (feminine): data.gouv.fr's own, with the agreement fixed.
FREQUENCY_LABELS = {
    "continuous": "Temps réel",
    "oneMinute": "Toutes les minutes",
    "fiveMinutes": "Toutes les cinq minutes",
    "tenMinutes": "Toutes les dix minutes",
    "fifteenMinutes": "Toutes les quinze minutes",
    "thirtyMinutes": "Toutes les trente minutes",
    "hourly": "Toutes les heures",
    "bihourly": "Toutes les deux heures",
    "trihourly": "Toutes les trois heures",
    "twelveHours": "Toutes les douze heures",
    "severalTimesADay": "Plusieurs fois par jour",
    "threeTimesADay": "Trois fois par jour",
    "semidaily": "Deux fois par jour",
    "daily": "Quotidienne",
    "fiveTimesAWeek": "Cinq fois par semaine",
    "threeTimesAWeek": "Trois fois par semaine",
    "semiweekly": "Deux fois par semaine",
    "weekly": "Hebdomadaire",
    "biweekly": "Toutes les deux semaines",
    "threeTimesAMonth": "Trois fois par mois",
    "semimonthly": "Deux fois par mois",
    "monthly": "Mensuelle",
    "bimonthly": "Tous les deux mois",
    "quarterly": "Trimestrielle",
    "threeTimesAYear": "Trois fois par an",
    "semiannual": "Deux fois par an",
    "annual": "Annuelle",
    "biennial": "Tous les deux ans",
    "triennial": "Tous les trois ans",
    "quadrennial": "Tous les quatre ans",
    "quinquennial": "Tous les cinq ans",
    "decennial": "Tous les dix ans",
    "bidecennial": "Tous les vingt ans",
    "tridecennial": "Tous les trente ans",
    "punctual": "Ponctuelle",
    "irregular": "Sans régularité",
    "never": "Jamais",
    "notPlanned": "Non planifiée",
    "other": "Autre",
    "unknown": "Inconnue",
}

_DAY = timedelta(days=1)
_MONTH = timedelta(days=31)  # the longest, so that a month-long promise is never called broken too early
_YEAR = timedelta(days=366)

# The longest time a declared frequency allows between two updates, as data.gouv.fr counts it: « n times a
# period » allows the whole period. Frequencies without one (unknown, punctual, irregular, continuous, never,
# not planned, other) promise no date, so a dataset declaring them is never late.
FREQUENCY_PERIODS = {
    "oneMinute": timedelta(minutes=1),
    "fiveMinutes": timedelta(minutes=5),
    "tenMinutes": timedelta(minutes=10),
    "fifteenMinutes": timedelta(minutes=15),
    "thirtyMinutes": timedelta(minutes=30),
    "hourly": timedelta(hours=1),
    "bihourly": timedelta(hours=2),
    "trihourly": timedelta(hours=3),
    "twelveHours": timedelta(hours=12),
    "severalTimesADay": _DAY,
    "threeTimesADay": _DAY,
    "semidaily": _DAY,
    "daily": _DAY,
    "fiveTimesAWeek": 7 * _DAY,
    "threeTimesAWeek": 7 * _DAY,
    "semiweekly": 7 * _DAY,
    "weekly": 7 * _DAY,
    "biweekly": 14 * _DAY,
    "threeTimesAMonth": _MONTH,
    "semimonthly": _MONTH,
    "monthly": _MONTH,
    "bimonthly": 2 * _MONTH,
    "quarterly": 3 * _MONTH,
    "threeTimesAYear": _YEAR,
    "semiannual": _YEAR,
    "annual": _YEAR,
    "biennial": 2 * _YEAR,
    "triennial": 3 * _YEAR,
    "quadrennial": 4 * _YEAR,
    "quinquennial": 5 * _YEAR,
    "decennial": 10 * _YEAR,
    "bidecennial": 20 * _YEAR,
    "tridecennial": 30 * _YEAR,
}
# data.gouv.fr's « mise à jour dans les temps » allows one day past the expected date (harvesting delays).
UPDATE_TOLERANCE = _DAY

RESOURCE_TYPES = {
    "main": "Fichiers principaux",
    "documentation": "Documentation",
    "api": "API",
    "update": "Mises à jour",
    "code": "Code source",
    "other": "Autres fichiers",
}
# One line under each type's heading on a dataset page: what files of that type are for.
RESOURCE_TYPE_HELP = {
    "main": "Les données elles-mêmes, à télécharger.",
    "documentation": "Notices, dictionnaires des variables, méthodes\u00a0: pour comprendre et bien utiliser les"
    " données.",
    "api": "Des services pour interroger les données à distance, sans tout télécharger.",
    "update": "Des fichiers qui corrigent ou complètent les fichiers principaux.",
    "code": "Des programmes qui produisent ou exploitent ces données.",
    "other": "D\u2019autres ressources fournies par le producteur.",
}
# The action a file's button offers: an API is opened, not downloaded.
RESOURCE_ACTIONS = {
    "api": ("Accéder à l\u2019API", "fr-icon-code-s-slash-line"),
    "code": ("Voir le code", "fr-icon-code-s-slash-line"),
}
RESOURCE_ACTION_DEFAULT = ("Télécharger", "fr-icon-download-line")
RESOURCE_ACTION_LINK = ("Consulter", "fr-icon-external-link-line")

# The « Dernière mise à jour » filter: data.gouv.fr's own values (its search API's ``last_update_range``), each
# period counted back from the catalogue's date (catalog.selectors.listing.catalogue_date), the shortest first.
UPDATE_PERIODS = {
    "last_30_days": "Moins de 30\u00a0jours",
    "last_12_months": "Moins de 12\u00a0mois",
    "last_3_years": "Moins de 3\u00a0ans",
}

GRANULARITY_LABELS = {
    "country": "Pays",
    "country-group": "Groupe de pays",
    "country-subset": "Sous-ensemble de pays",
    "fr:region": "Région",
    "fr:departement": "Département",
    "fr:arrondissement": "Arrondissement",
    "fr:epci": "Intercommunalité (EPCI)",
    "fr:canton": "Canton",
    "fr:collectivite": "Collectivité d\u2019outre-mer",
    "fr:commune": "Commune",
    "fr:iris": "Iris (quartiers Insee)",
    "poi": "Point d\u2019intérêt",
    "other": "Autre",
}

ZONE_LABELS = {
    "country:fr": "France",
    "country-group:world": "Monde",
    "country-group:ue": "Union européenne",
    "country-subset:fr:metro": "France métropolitaine",
    "country-subset:fr:drom": "Départements et régions d\u2019outre-mer",
}
