"""Small template helpers for the catalogue pages."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from datetime import date, datetime
from typing import NamedTuple

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import Truncator

from catalog import facets, forms, labels, links, universe
from catalog.markdown import fold_html, plain_text

register = template.Library()


def _params(context) -> forms.Params:
    """The page's parameters as its view normalised them (``params``), never the request's query string:
    a made-up parameter in the address must not spread to every link of the page."""
    return dict(context.get("params") or {})


def _href(context, params: forms.Params) -> str:
    query = forms.query_string(params)
    if query:
        return "?" + query
    request = context.get("request")
    return request.path if request is not None else "?"


@register.simple_tag(takes_context=True)
def query_with(context, name: str, value) -> str:
    """The page's parameters with ``name`` set to ``value`` (back to page 1)."""
    return _href(context, _params(context) | {name: str(value)})


@register.simple_tag(takes_context=True)
def query_removing(context, name: str, value) -> str:
    """The page's parameters with ``value`` taken out of the values of the facet ``name`` (back to page 1)."""
    params = _params(context)
    values = params.get(name, [])
    values = [values] if isinstance(values, str) else list(values)
    kept = [item for item in values if item != str(value)]
    return _href(context, {key: item for key, item in params.items() if key != name} | ({name: kept} if kept else {}))


@register.filter
def param_pairs(params) -> list[tuple[str, str]]:
    """``(name, value)`` for each value of each parameter: hidden fields carrying a page's search."""
    pairs = []
    for name, value in (params or {}).items():
        pairs.extend((name, item) for item in ([value] if isinstance(value, str) else value))
    return pairs


@register.simple_tag(takes_context=True)
def query_without(context, *names: str) -> str:
    """The page's parameters without ``names`` (back to page 1)."""
    return _href(context, {key: value for key, value in _params(context).items() if key not in names})


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    return _href(context, _params(context) | forms.page_params(int(number)))


@register.simple_tag(takes_context=True)
def query_string(context) -> str:
    """``?…`` with the page's parameters (without the page number), or nothing: for links to other URLs."""
    query = forms.query_string(_params(context))
    return "?" + query if query else ""


@register.filter
def menu_current(entry, path: str) -> bool:
    """Whether a menu entry of the universe is the current page (``MenuEntry.is_current``)."""
    return entry.is_current(path)


def _page_section(context):
    """The section a page belongs to (its view's ``section``: a list's, a dataset's first), else the main one."""
    return context.get("section") or settings.UNIVERSE.main


@register.simple_tag(takes_context=True)
def header_search_url(context) -> str:
    """Where the header's search leads: the list of the page's section (on an Observer page, Observer's)."""
    return links.section_url(_page_section(context))


@register.simple_tag(takes_context=True)
def keyword_url(context, name: str) -> str:
    """The search for a keyword (a dataset's tag) in the page's section, every section reading ``tag``; ``""``
    when the list page could not read it back."""
    params = forms.keyword_params(str(name))
    return forms.list_url(_page_section(context), params) if params else ""


@register.simple_tag(takes_context=True)
def facet_url(context, name: str, value: str, dataset=None) -> str:
    """The list filtered by ``value`` of the facet ``name``: the page's section's when that section has the facet;
    else the first section (in the universe's order, the main one first) that has it and holds ``dataset``, so that
    the link leads to a list showing the dataset; else ``""``, no link (no list could show that filter)."""
    candidates = [_page_section(context)]
    if dataset is not None:
        candidates += links.dataset_sections(dataset.section_ids)
    for section in candidates:
        if any(spec.name == name for spec in facets.section_facets(section)):
            return forms.list_url(section, {name: str(value)})
    return ""


class DatasetTags(NamedTuple):
    """A dataset page's tags, each as ``(text, url)``, ``url`` empty when no list can show it."""

    labelled: list[tuple[str, str]]
    keywords: list[tuple[str, str]]


@register.simple_tag(takes_context=True)
def dataset_tags(context, dataset) -> DatasetTags:
    """A dataset page's tags.

    ``labelled``: the tags a section names (``Section.tag_labels``), the page's section's first, then those of
    the other sections holding the dataset and the main section's, each linked to the list filtered by its facet
    (``facet_url``). ``keywords``: its other tags, linked to the search by keyword (``keyword_url``)."""
    named: dict[str, universe.TagLabel] = {}
    sections = [_page_section(context), *links.dataset_sections(dataset.section_ids), settings.UNIVERSE.main]
    for section in sections:
        for tag, label in section.tag_labels.items():
            named.setdefault(tag, label)
    held = set(dataset.tag_names)
    labelled = [(label.label, facet_url(context, label.facet, label.value, dataset))
                for tag, label in named.items() if tag in held]  # fmt: skip
    keywords = [(name, keyword_url(context, name)) for name in dataset.tag_names if name not in named]
    return DatasetTags(labelled, keywords)


_SIZE_UNITS = ("ko", "Mo", "Go", "To", "Po")


@register.filter
def file_size(value) -> str:
    """A size in bytes in French decimal units: "512 octets", "46,9 ko", "1,3 Mo" (non-breaking space).

    French usage has ko/Mo/Go as powers of 1,000 (the Kio/Mio of Django's filesizeformat are powers of 1,024).
    """
    try:
        size = int(value)
    except (TypeError, ValueError):
        return ""
    if size < 0:
        return ""
    if size < 1000:
        return f"{size}\u00a0octet{'s' if size > 1 else ''}"
    amount = float(size)
    for unit in _SIZE_UNITS:
        amount /= 1000
        if round(amount, 1) < 1000 or unit == _SIZE_UNITS[-1]:
            break
    text = f"{amount:.1f}".removesuffix(".0").replace(".", ",")
    return f"{text}\u00a0{unit}"


@register.simple_tag
def fold_description(html: str) -> dict[str, str]:
    """``{"lead": …, "more": …}``: a long description's first blocks, and the rest that folds (``catalog.markdown``)."""
    lead, more = fold_html(html or "")
    return {"lead": mark_safe(lead), "more": mark_safe(more)}  # noqa: S308 (sanitised at sync time)


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> str:
    """A ``<script type="application/ld+json">`` block; publisher text cannot close the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


# French typography: small filters, so that every page says dates, counts and teasers the same way.

NBSP = labels.NBSP
ELLIPSIS = "\u2026"
_SPACE_BEFORE_PUNCTUATION = re.compile(r" +([:;?!»])")
_SPACE_AFTER_GUILLEMET = re.compile(r"« +")
# What a cut text should not end with before its ellipsis.
_TRAILING = " \t\n,;:.-\u2013\u2014(«'\u2019\"/"


# The months as Django's French locale writes them (``date:"F"``; tests/catalog/test_typography.py compares), here
# without a translation lookup for each of the twenty dates of a list page.
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
          "décembre")  # fmt: skip


@register.filter(expects_localtime=True)
def date_fr(value: date | datetime | None) -> str:
    """« 1er décembre 2026 », « 2 décembre 2026 »: the first day of a month is an ordinal in French."""
    if not isinstance(value, date):
        return ""
    day = f"{value.day}er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def _plural_parts(forms_: str) -> tuple[str, str, bool]:
    singular, _, rest = forms_.partition(",")
    plural, _, gender = rest.partition(",")
    return singular, plural or singular, gender.strip() == "f"


@register.filter
def plural_fr(count, forms_: str) -> str:
    """``"jeu,jeux"`` -> the word for ``count``: in French 0 and 1 take the singular, 2 and more the plural."""
    singular, plural, _ = _plural_parts(forms_)
    try:
        return singular if abs(int(count)) < 2 else plural
    except (TypeError, ValueError):
        return plural


@register.filter
def count_fr(count, forms_: str) -> str:
    """``"jeu de données,jeux de données"`` -> « Aucun jeu de données », « 1 jeu de données », « 2 jeux de données ».

    A third part ``f`` makes the zero feminine (« Aucune réutilisation »).
    """
    singular, plural, feminine = _plural_parts(forms_)
    try:
        number = int(count)
    except (TypeError, ValueError):
        number = 0
    if number == 0:
        return f"{'Aucune' if feminine else 'Aucun'} {singular}"
    return f"{labels.thousands(number)} {singular if abs(number) < 2 else plural}"


@register.filter(is_safe=True)
def fr_spaces(value) -> str:
    """Non-breaking spaces before « : ; ? ! » and inside « … », where the text had plain spaces.

    Safe text stays safe: only spaces change, and the markup is left as it was.
    """
    text = str(value)
    return _SPACE_AFTER_GUILLEMET.sub("«" + NBSP, _SPACE_BEFORE_PUNCTUATION.sub(NBSP + r"\1", text))


@register.filter
def shorten(value, limit: int = 200) -> str:
    """The text on one line, cut at a word boundary to at most ``limit`` characters, then « … »."""
    text = " ".join(str(value or "").split())
    limit = max(int(limit), 2)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # never in the middle of a word
    return cut.rstrip(_TRAILING) + ELLIPSIS


@register.filter
def excerpt(value, limit: int = 200) -> str:
    """A plain-text teaser of a Markdown text (``**musées**`` reads « musées »), cut as ``shorten`` does."""
    limit = max(int(limit), 2)
    return shorten(plain_text(str(value or ""), limit * 2), limit)


def after_sync(value: date | datetime | None, synced_at: datetime | None) -> bool:
    """Whether a date is later than the catalogue's last sync: data.gouv.fr cannot have known it then."""
    if not isinstance(value, date) or synced_at is None:
        return False
    if not isinstance(value, datetime):
        return value > timezone.localdate(synced_at)
    return value > synced_at


@register.simple_tag(takes_context=True)
def catalog_date(context, value) -> str:
    """A date from the catalogue (« 1er mars 2026 »), flagged when it is later than the last sync."""
    if not isinstance(value, date):
        return ""
    shown = date_fr(timezone.localtime(value) if isinstance(value, datetime) else value)
    status = context.get("catalog_status")
    if after_sync(value, getattr(status, "last_success_at", None)):
        return format_html(
            '{} <span class="cp-date-warning">(date postérieure à la dernière synchronisation)</span>', shown
        )
    return shown


def _chars(text: str, limit: int) -> str:
    """``truncatechars``, with its cost only for texts that may be longer than ``limit``."""
    if len(text) <= limit:
        return unicodedata.normalize("NFC", text)  # what the filter returns for a short text
    return Truncator(text).chars(limit)


# A dataset in a list: a horizontal DSFR card whose title link covers the whole card (``fr-enlarge-link``); its
# keywords link to the search by keyword, kept above the card's own link (``cp-keywords`` in portal.css).
_CARD = (
    '<div class="fr-card fr-enlarge-link fr-card--horizontal cp-dataset-card"> <div class="fr-card__body"> '
    '<div class="fr-card__content"> '
    '<{heading} class="fr-card__title"> <a href="{url}">{title}</a> </{heading}> '
    '<p class="fr-card__desc">{description}</p> '
    '<div class="fr-card__start"> {badges} <p class="fr-card__detail fr-icon-building-line">{publisher}</p> </div> '
    '<div class="fr-card__end"> <p class="fr-card__detail"> {details} </p> {late} {keywords} </div> '
    "</div> </div> </div>"
)
_BADGES = '<ul class="fr-badges-group"> {items} </ul>'
_ARCHIVED = '<li><p class="fr-badge fr-badge--sm fr-badge--warning">Archivé</p></li>'
_CATEGORY = '<li><p class="fr-badge fr-badge--sm fr-badge--blue-cumulus">{label}</p></li>'
_LATE = (
    '<p class="fr-card__detail cp-late"> '
    '<span class="fr-badge fr-badge--sm fr-badge--warning">Mise à jour en retard</span> '
    "<span>attendue le {due} (fréquence annoncée&nbsp;: {frequency})</span> </p>"
)
_KEYWORDS = '<ul class="fr-tags-group cp-keywords" aria-label="Mots-clés"> {items} </ul>'
_KEYWORD_LINK = '<li><a class="fr-tag fr-tag--sm" href="{url}">{label}</a></li>'
_KEYWORD = '<li><p class="fr-tag fr-tag--sm">{label}</p></li>'


@register.simple_tag(takes_context=True)
def dataset_card(context, dataset, heading: str = "h3") -> str:
    """One dataset in a list, ``heading`` its title's tag (h2 or h3): title and teaser cut, badges (archived, the
    page's section's categories), publisher, date, formats, licence, the late-update notice, and its first tags:
    those the section's tag groups name, by their labels, then the others, which link to the search by keyword in
    the page's section, or are plain text when the list could not read them back (``keyword_url``).

    Written in Python rather than as a template, as the facet options are: a list shows 20 cards, and the template
    language cost 5 ms a page placing their values (docs/adr/0013-hot-fragments-in-python.md).
    """
    section, held = _page_section(context), set(dataset.tag_names)
    named = section.tag_labels
    # Its tags the section's tag groups name (an Observer theme), by their labels, lead to the list filtered by that
    # option; its other tags to the search by keyword. Five at most.
    tags = [(label.label, forms.list_url(section, {label.facet: label.value}))
            for tag, label in named.items() if tag in held and label.facet != "category"]  # fmt: skip
    tags += [(_chars(name, 40), keyword_url(context, name)) for name in dataset.tag_names if name not in named]
    keywords = [_html(_KEYWORD_LINK, url=url, label=label) if url else _html(_KEYWORD, label=label)
                for label, url in tags[:5]]  # fmt: skip
    badges = [_html(_CATEGORY, label=category.label) for category in section.categories if category.tag in held]
    if dataset.is_archived:
        badges.insert(0, _ARCHIVED)
    updated = catalog_date(context, dataset.last_update)
    formats = _chars(", ".join(dataset.format_list).upper(), 60)
    license_label = dataset.license.label if dataset.license_id else ""
    details = [
        _html("Mis à jour le {date}", date=updated) if updated else "",
        _html(" · {formats}", formats=formats) if formats else "",
        _html(" · {license}", license=license_label) if license_label else "",
    ]
    late = ""
    if dataset.is_late:
        due = date_fr(timezone.localtime(dataset.update_due))
        late = _html(_LATE, due=due, frequency=dataset.frequency_label.lower())
    return _html(
        _CARD,
        heading=heading,
        url=links.dataset_url(dataset.slug),
        title=shorten(dataset.title, 160),
        description=excerpt(dataset.description_short, 220),
        badges=_html(_BADGES, items=mark_safe(" ".join(badges))) if badges else "",
        publisher=dataset.publisher_name or "Producteur non renseigné",
        details=mark_safe(" ".join(details)),
        late=late,
        keywords=_html(_KEYWORDS, items=mark_safe(" ".join(keywords))) if keywords else "",
    )


# One file on a dataset's page, the inside of its <li>: what it is, then its button and its page on data.gouv.fr.
_FILE = (
    '<div class="cp-resource__main"> '
    '<h4 class="fr-text--md fr-text--bold fr-mb-1v cp-break">{title}</h4> {description} '
    '<p class="fr-text--sm fr-mb-0 cp-resource__meta"> {meta} </p> </div> '
    '<div class="cp-resource__actions"> {button} {more} </div>'
)
_FILE_DESCRIPTION = '<p class="fr-text--sm fr-mb-1v cp-break">{text}</p>'
_FILE_FORMAT = '<span class="fr-badge fr-badge--sm">{format}</span>'
_FILE_UNAVAILABLE = (
    '<span class="fr-badge fr-badge--sm fr-badge--error">Lien indisponible lors de la dernière vérification</span>'
)
_FILE_BUTTON = (
    '<a class="fr-btn fr-btn--sm {icon} fr-btn--icon-left" href="{url}" rel="noopener nofollow"> '
    '{label}<span class="fr-sr-only"> «&nbsp;{title}&nbsp;»{details}</span> </a>'
)
_FILE_NO_LINK = '<p class="fr-text--sm fr-mb-0">Lien non disponible</p>'
_FILE_PAGE = (
    '<a class="fr-link fr-link--sm cp-resource__more" href="{url}" rel="noopener">Aperçu et détails'
    '<span class="fr-sr-only"> de «&nbsp;{title}&nbsp;»</span> sur data.gouv.fr</a>'
)


@register.simple_tag(takes_context=True)
def file_item(context, resource) -> str:
    """One file of a dataset's page: title, description, format, size, date, a warning when its link was down at
    the last check; its button (« Télécharger », « Consulter »…) names the file, its format and size for screen
    readers; and a link to its page on data.gouv.fr.

    Written in Python rather than as a template, as a list's cards are: a page shows up to 20 files, and the
    template language cost half a millisecond placing each (docs/adr/0013-hot-fragments-in-python.md).
    """
    title = resource.title or "Fichier sans titre"
    spoken_title = _chars(resource.title or "fichier sans titre", 100)
    size = file_size(resource.filesize)
    meta = []
    if resource.format:
        meta.append(_html(_FILE_FORMAT, format=_chars(resource.format.upper(), 20)))
    if resource.filesize is not None:
        meta.append(_html("<span>{size}</span>", size=size))
    if resource.last_modified:
        meta.append(_html("<span>Mis à jour le {date}</span>", date=catalog_date(context, resource.last_modified)))
    if resource.available is False:
        meta.append(_FILE_UNAVAILABLE)
    button = _FILE_NO_LINK
    if resource.download_url:
        label, icon = resource.action
        spoken = resource.spoken_format
        details = f" ({spoken}{', ' if spoken and size else ''}{size})" if spoken or size else ""
        button = _html(_FILE_BUTTON, icon=icon, url=resource.download_url, label=label, title=spoken_title,
                       details=details)  # fmt: skip
    page = resource.page_url
    return _html(
        _FILE,
        title=_chars(title, 200),
        description=_html(_FILE_DESCRIPTION, text=_chars(resource.description, 300)) if resource.description else "",
        meta=mark_safe(" ".join(meta)),
        button=mark_safe(button),
        more=_html(_FILE_PAGE, url=page, title=spoken_title) if page else "",
    )


# One option of a facet, the inside of its <li>. See ``facet_option``.
_CHECKBOX = (
    '<div class="fr-checkbox-group fr-checkbox-group--sm cp-facet__check"> '
    '<input type="checkbox" id="facet-{name}-{slug}" name="{name}" value="{value}"{checked}> '
    '<label class="cp-facet__option fr-label{selected}" for="facet-{name}-{slug}"> '
    '{label} <span class="cp-facet__count">{count}<span class="fr-sr-only"> {words}</span></span> '
    "</label> </div>"
)
_CHOSEN_LINK = (
    '<a class="cp-facet__option cp-facet__option--selected" id="facet-{name}-{slug}" href="{href}" aria-current="true" '
    'title="Retirer le filtre {facet}&nbsp;: {label}"> '
    '<span class="fr-icon-checkbox-circle-fill fr-icon--sm" aria-hidden="true"></span> {label} '
    '<span class="cp-facet__count">{count}</span> </a>'
)
_LINK = (
    '<a class="cp-facet__option" id="facet-{name}-{slug}" href="{href}"> '
    '{label} <span class="cp-facet__count">{count}<span class="fr-sr-only"> {words}</span></span> </a>'
)
_EMPTY = (
    '<span class="cp-facet__option cp-facet__option--empty"> '
    '{label} <span class="cp-facet__count">0<span class="fr-sr-only"> résultat</span></span> </span>'
)


def _html(template: str, **values) -> str:
    """``format_html`` without its checks for lazy text: each value escaped as Django escapes it, unless it is
    already HTML (``SafeData``)."""
    return mark_safe(template.format(**{name: _escaped(value) for name, value in values.items()}))


def _escaped(value) -> str:
    return value if isinstance(value, SafeData) else html.escape(str(value))


@register.simple_tag(takes_context=True)
def facet_option(context, facet, option) -> str:
    """One option of a facet on the list page: a checkbox in the facet's form when it takes several values, else a
    link (choosing it, or removing it when chosen); its name alone when it has no result and is not chosen. The
    element's id is ``facet-<name>-<slug>``.

    Written in Python rather than as a template: a list page shows some eighty options, and the template language
    costs several times this for each value it places (docs/adr/0013-hot-fragments-in-python.md).
    """
    if not (option.count or option.selected):
        return _html(_EMPTY, label=option.label)
    common = {"name": facet.name, "slug": option.slug, "label": option.label, "count": option.count_text}
    if option.selected and not facet.multiple:
        href = query_without(context, facet.name)
        return _html(_CHOSEN_LINK, href=href, facet=facet.label, **common)
    words = plural_fr(option.count, "résultat,résultats")
    if facet.multiple:
        checked, chosen = (" checked", " cp-facet__option--selected") if option.selected else ("", "")
        return _html(_CHECKBOX, value=option.value, checked=checked, selected=chosen, words=words, **common)
    return _html(_LINK, href=query_with(context, facet.name, option.value), words=words, **common)
