"""The catalogue in DCAT-AP, as JSON-LD and as Turtle, written while it is read.

No RDF library at run time: the catalogue holds tens of thousands of datasets, and building a graph
in memory before writing it would cost far more than the page itself. Every node is built once as
a JSON-LD-shaped dict (``@id``, ``@type``, compact keys, ``{"@value": ...}`` literals, nested dicts
for blank nodes); JSON-LD is that dict through ``json.dumps``, Turtle is written from the same dict,
so both documents hold the same triples.

Publisher text is stored as published, and may hold anything. Literals keep it exactly, except the
characters XML 1.0 cannot hold (C0 controls other than tab, newline and carriage return, lone
surrogates, U+FFFE and U+FFFF): harvesters commonly convert DCAT to RDF/XML, so those are dropped.
``read_page`` passes every node both formats write through ``safe_text.xml_tree``, whatever built it.
IRIs are only absolute http(s) URLs; characters Turtle forbids in them are percent-encoded, and a
URL whose host holds such characters is not used.

Paging follows Hydra, as data.gouv.fr's own DCAT catalogue does: ``?page=N`` (from 1) and
``?page_size=``, datasets in id order, a ``hydra:PartialCollectionView`` linking the other pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from catalog import forms
from catalog import links as site_links
from catalog.models import Dataset, License, Resource, SyncRun
from catalog.safe_text import xml_text, xml_tree
from catalog.selectors import listing

PAGE_SIZE = 500
MAX_PAGE_SIZE = 1000

NAMESPACES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
CONTENT_TYPES = {"jsonld": "application/ld+json; charset=utf-8", "turtle": "text/turtle; charset=utf-8"}

EU = "http://publications.europa.eu/resource/authority/"
FRANCE = f"{EU}country/FRA"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


def _theme() -> str:
    """The EU data theme of every dataset, from the universe (``EDUC``: education, culture and sport)."""
    return f"{EU}data-theme/{settings.UNIVERSE.dcat.theme}"


def _catalog_publisher() -> dict[str, Any]:
    publisher = settings.UNIVERSE.dcat.publisher
    return {"@type": "foaf:Organization", "foaf:name": publisher.name, "foaf:homepage": {"@id": publisher.homepage}}


# data.gouv.fr frequencies -> EU frequency authority codes; the ones without an exact match are left out.
FREQUENCIES = {
    "continuous": "UPDATE_CONT",
    "oneMinute": "1MIN",
    "fiveMinutes": "5MIN",
    "tenMinutes": "10MIN",
    "fifteenMinutes": "15MIN",
    "thirtyMinutes": "30MIN",
    "hourly": "HOURLY",
    "bihourly": "BIHOURLY",
    "trihourly": "TRIHOURLY",
    "twelveHours": "12HRS",
    "semidaily": "DAILY_2",
    "daily": "DAILY",
    "fiveTimesAWeek": "WEEKLY_5",
    "threeTimesAWeek": "WEEKLY_3",
    "semiweekly": "WEEKLY_2",
    "weekly": "WEEKLY",
    "biweekly": "BIWEEKLY",
    "threeTimesAMonth": "MONTHLY_3",
    "semimonthly": "MONTHLY_2",
    "monthly": "MONTHLY",
    "bimonthly": "BIMONTHLY",
    "quarterly": "QUARTERLY",
    "threeTimesAYear": "ANNUAL_3",
    "semiannual": "ANNUAL_2",
    "annual": "ANNUAL",
    "biennial": "BIENNIAL",
    "triennial": "TRIENNIAL",
    "quadrennial": "QUADRENNIAL",
    "quinquennial": "QUINQUENNIAL",
    "decennial": "DECENNIAL",
    "bidecennial": "BIDECENNIAL",
    "tridecennial": "TRIDECENNIAL",
    "irregular": "IRREG",
    "never": "NEVER",
    "notPlanned": "NOT_PLANNED",
    "other": "OTHER",
}

# Our format codes -> EU file-type authority codes; other formats are written as plain literals.
FILE_TYPES = {
    "7z": "7Z",
    "csv": "CSV",
    "doc": "DOC",
    "docx": "DOCX",
    "epub": "EPUB",
    "geojson": "GEOJSON",
    "gml": "GML",
    "gpkg": "GPKG",
    "gpx": "GPX",
    "gtfs": "GTFS",
    "gz": "GZIP",
    "html": "HTML",
    "jpeg": "JPEG",
    "jpg": "JPEG",
    "json": "JSON",
    "jsonld": "JSON_LD",
    "kml": "KML",
    "kmz": "KMZ",
    "mp3": "MP3",
    "ods": "ODS",
    "odt": "ODT",
    "parquet": "PARQUET",
    "pdf": "PDF",
    "png": "PNG",
    "pptx": "PPTX",
    "rar": "RAR",
    "rdf": "RDF_XML",
    "shp": "SHP",
    "tar": "TAR",
    "tsv": "TSV",
    "ttl": "RDF_TURTLE",
    "txt": "TXT",
    "xls": "XLS",
    "xlsx": "XLSX",
    "xml": "XML",
    "zip": "ZIP",
}

# A registered top-level type and a subtype spelled as IANA's registered names are (RFC 6838, minus
# the rarely used "!#$&^" which would not even fit in an IRI unescaped).
_MEDIA_TYPE = re.compile(
    r"(application|audio|font|image|message|model|multipart|text|video)/[a-z0-9][a-z0-9_.+-]{0,126}"
)
# Characters Turtle forbids in an IRIREF, plus whitespace, C1 controls and what XML cannot hold.
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f\s\ud800-\udfff\ufffe\uffff]')
_PAGE_NUMBER = re.compile(r"[0-9]{1,9}")


# Values


def text(value: Any) -> str:
    """The string as a literal holds it: without the characters XML 1.0 cannot hold."""
    return xml_text(str(value)) if value else ""


def iri(value: Any) -> str | None:
    """An absolute http(s) IRI that Turtle and JSON-LD both accept, or None."""
    value = str(value).strip() if value else ""
    scheme, separator, rest = value.partition("://")
    if not separator or scheme.lower() not in ("http", "https"):
        return None
    end = next((index for index, char in enumerate(rest) if char in "/?#"), len(rest))
    authority, path = rest[:end], rest[end:]
    host = authority.rpartition("@")[2]
    if not host or host.startswith(":") or _IRI_UNSAFE.search(authority):
        return None
    path = _IRI_UNSAFE.sub(lambda match: quote(match.group().encode("utf-8", "surrogatepass"), safe=""), path)
    return f"{scheme.lower()}://{authority}{path}"


def french(value: Any) -> dict[str, str]:
    return {"@value": text(value), "@language": "fr"}


def moment(value: datetime | None) -> dict[str, str] | None:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"} if value else None


def day(value: date | None) -> dict[str, str] | None:
    return {"@value": value.isoformat(), "@type": "xsd:date"} if value else None


def ref(value: str | None) -> dict[str, str] | None:
    return {"@id": value} if value else None


def node(**properties: Any) -> dict[str, Any]:
    """A node without its empty properties (keys use ``__`` for ``:``, ``id``/``type`` for ``@id``/``@type``)."""
    result: dict[str, Any] = {}
    for key, value in properties.items():
        if value is None or value == "" or value == []:
            continue
        name = "@" + key if key in ("id", "type") else key.replace("__", ":", 1)
        result[name] = value
    return result


# Paging


@dataclass(frozen=True)
class Links:
    """The absolute URLs a page of the catalogue points to."""

    site: str  # the site's root, without the final slash
    catalog: str  # the catalogue's IRI, the same in both formats
    document: str  # this format's endpoint, for the page links
    page_size: int = PAGE_SIZE
    section: str = ""  # the section whose datasets the catalogue lists ("": the main one)

    def page(self, number: int) -> str:
        size = f"&page_size={self.page_size}" if self.page_size != PAGE_SIZE else ""
        return f"{self.document}?page={number}{size}"

    def dataset(self, slug: str) -> str:
        return self.site + reverse("catalog:dataset_detail", args=[slug])

    @cached_property
    def themes(self) -> dict[str, tuple[str, str]]:
        """The tags the section names (its categories, its tag groups' options), by tag: ``(IRI, label)`` of
        their concept, the IRI being the section's list filtered by that tag (``Section.tag_labels``)."""
        section = site_links.section(self.section)
        return {tag: (self.site + forms.list_url(section, {named.facet: named.value}), named.label)
                for tag, named in section.tag_labels.items()}  # fmt: skip

    @property
    def categories(self) -> str:
        """The IRI of the scheme of ``themes``."""
        return f"{self.catalog}#categories"


PAGE_PARAMS = ("page", "page_size")  # all a catalogue page reads from its query string


def page_params(params: Mapping[str, str]) -> tuple[int, int]:
    """(page, page size) from the query string; ValueError when either is not a number in range."""
    number, size = params.get("page", "1"), params.get("page_size", str(PAGE_SIZE))
    if not _PAGE_NUMBER.fullmatch(number) or int(number) < 1:
        raise ValueError("page doit être un entier à partir de 1")
    if not _PAGE_NUMBER.fullmatch(size) or not 1 <= int(size) <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size doit être un entier entre 1 et {MAX_PAGE_SIZE}")
    return int(number), int(size)


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


def dataset_count(section: str = "") -> int:
    return listing.section_datasets(section).count()


# Reading the catalogue

_RESOURCE_FIELDS = ("dataset", "remote_id", "position", "title", "description", "type", "filetype", "format",
                    "mime", "url", "download_url", "filesize", "created_at", "last_modified")  # fmt: skip
_DATASET_FIELDS = ("remote_id", "slug", "title", "description_short", "page", "owner_name", "owner_page",
                   "frequency", "temporal_start", "temporal_end", "spatial_zones", "created_at", "last_modified",
                   "last_update", "tag_names", "organization__name", "organization__page", "license__url",
                   "text__description")  # fmt: skip


def page_datasets(number: int, size: int, section: str = "") -> list[Dataset]:
    """One page of a section's published datasets in id order, with all that their description needs (two
    queries)."""
    resources = Resource.objects.only(*_RESOURCE_FIELDS).order_by("position", "pk")
    queryset = (
        listing.section_datasets(section)
        .order_by("pk")
        .select_related("organization", "license", "text")
        .only(*_DATASET_FIELDS)
        .prefetch_related(Prefetch("resources", queryset=resources))
    )
    return list(queryset[(number - 1) * size : number * size])


def _last_sync() -> datetime | None:
    run = SyncRun.objects.filter(status=SyncRun.Status.SUCCESS, finished_at__isnull=False).order_by("-pk").first()
    return run.finished_at if run else None


# Nodes


def catalog_node(links: Links, modified: datetime | None) -> dict[str, Any]:
    """The catalogue itself, without its datasets (written after it, one at a time). A section other than the
    main one is a catalogue of its own: its title, its landing text, its list as home page."""
    universe = settings.UNIVERSE
    section = next((found for found in universe.sections[1:] if found.id == links.section), None)
    title, description, homepage = universe.name, universe.dcat.description, links.site + "/"
    if section is not None:
        title, description = f"{section.title} — {universe.name}", section.landing_text
        homepage = links.site + section.url_prefix
    return node(
        id=links.catalog,
        type="dcat:Catalog",
        dct__title=french(title),
        dct__description=french(description),
        dct__publisher=_catalog_publisher(),
        foaf__homepage=ref(homepage),
        dct__language=ref(f"{EU}language/FRA"),
        dct__spatial=ref(FRANCE),
        dct__modified=moment(modified),
        dcat__themeTaxonomy=[ref(f"{EU}data-theme"), ref(links.categories)],
    )


def category_nodes(links: Links) -> list[dict[str, Any]]:
    """The section's named tags as a SKOS scheme: the themes its datasets are filed under (the main section's
    categories; Observer's themes and sub-themes)."""
    universe = settings.UNIVERSE
    section = site_links.section(links.section)
    name = f"Catégories {universe.subject.of}" if site_links.is_main(section) else f"Thèmes — {section.title}"
    scheme = node(id=links.categories, type="skos:ConceptScheme", dct__title=french(name))
    return [scheme] + [
        node(id=concept, type="skos:Concept", skos__prefLabel=french(label), skos__inScheme=ref(links.categories))
        for concept, label in links.themes.values()
    ]


def license_nodes(licenses: Iterable[License]) -> list[dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for license in licenses:
        url = iri(license.url)
        if url and url not in nodes:
            nodes[url] = node(id=url, type="dct:LicenseDocument", dct__title=text(license.label))
    return list(nodes.values())


def view_node(links: Links, number: int, total: int) -> dict[str, Any]:
    """The Hydra description of this page of the catalogue and of the pages next to it."""
    last = page_count(total, links.page_size)
    return node(
        id=links.page(number),
        type="hydra:PartialCollectionView",
        hydra__totalItems=total,
        hydra__itemsPerPage=links.page_size,
        hydra__first=ref(links.page(1)),
        hydra__last=ref(links.page(last)),
        hydra__next=ref(links.page(number + 1)) if number < last else None,
        hydra__previous=ref(links.page(number - 1)) if number > 1 else None,
    )


def _publisher(dataset: Dataset) -> dict[str, Any] | None:
    if dataset.organization_id:
        organization = dataset.organization
        return node(id=iri(organization.page), type="foaf:Organization", foaf__name=text(organization.name))
    if dataset.owner_name:
        return node(id=iri(dataset.owner_page), type="foaf:Person", foaf__name=text(dataset.owner_name))
    return None


def _places(zones: Any) -> list[dict[str, Any]]:
    places = []
    for zone in zones if isinstance(zones, list) else []:
        if not isinstance(zone, dict):
            continue
        if zone.get("id") == "country:fr":
            places.append(ref(FRANCE))
        elif text(zone.get("name")):
            places.append(node(type="dct:Location", skos__prefLabel=french(zone["name"])))
    return places


def _is_file(resource: Resource) -> bool:
    if resource.filetype == "file":
        return True
    return resource.type != "api" and resource.format not in ("", "html", "api")


def distribution_node(resource: Resource, dataset_iri: str, license_iri: str | None) -> dict[str, Any]:
    url, download = iri(resource.url), iri(resource.download_url)
    media_type = (resource.mime or "").strip().lower()
    file_type = FILE_TYPES.get(resource.format)
    identity = None
    if "#" not in dataset_iri:
        identity = iri(f"{dataset_iri}#resource-{quote(text(resource.remote_id), safe='')}")
    return node(
        id=identity,
        type="dcat:Distribution",
        dcat__accessURL=ref(url or download or dataset_iri),  # mandatory: the dataset's page at worst
        dcat__downloadURL=ref(download or url) if _is_file(resource) else None,
        dct__title=french(resource.title) if text(resource.title) else None,
        dct__description=french(resource.description) if text(resource.description) else None,
        dct__format=ref(f"{EU}file-type/{file_type}") if file_type else text(resource.format),
        dcat__mediaType=ref(iri(IANA_MEDIA_TYPES + media_type)) if _MEDIA_TYPE.fullmatch(media_type) else None,
        dcat__byteSize=(
            {"@value": str(resource.filesize), "@type": "xsd:nonNegativeInteger"}
            if resource.filesize is not None
            else None
        ),
        dct__issued=moment(resource.created_at),
        dct__modified=moment(resource.last_modified),
        dct__license=ref(license_iri),
    )


def dataset_node(dataset: Dataset, links: Links) -> dict[str, Any]:
    """A published dataset and its files; its IRI is its data.gouv.fr page (else ours)."""
    page = iri(dataset.page)
    identity = page or links.dataset(dataset.slug)
    markdown = dataset.text.description if hasattr(dataset, "text") else ""
    description = text(markdown).strip() or text(dataset.description_short).strip() or text(dataset.title)
    license_iri = iri(dataset.license.url) if dataset.license_id else None
    frequency = FREQUENCIES.get(dataset.frequency)
    held = set(dataset.tag_names)
    temporal = None
    if dataset.temporal_start or dataset.temporal_end:
        temporal = node(
            type="dct:PeriodOfTime",
            dcat__startDate=day(dataset.temporal_start),
            dcat__endDate=day(dataset.temporal_end),
        )
    return node(
        id=identity,
        type="dcat:Dataset",
        dct__identifier=text(dataset.remote_id),
        dct__title=french(dataset.title),
        dct__description=french(description),
        dcat__landingPage=ref(page),
        dct__publisher=_publisher(dataset),
        dcat__keyword=[name for name in (text(tag) for tag in dataset.tag_names) if name],
        dcat__theme=[ref(_theme())] + [ref(concept) for tag, (concept, _) in links.themes.items() if tag in held],
        dct__issued=moment(dataset.created_at),
        dct__modified=moment(dataset.last_update or dataset.last_modified),
        dct__accrualPeriodicity=ref(f"{EU}frequency/{frequency}") if frequency else None,
        dct__temporal=temporal,
        dct__spatial=_places(dataset.spatial_zones),
        dct__license=ref(license_iri),
        dcat__distribution=[distribution_node(resource, identity, license_iri) for resource in dataset.resources.all()],
    )


@dataclass
class CatalogPage:
    """What one page of the catalogue says: nodes before the datasets, the catalogue, its datasets."""

    header: list[dict[str, Any]]
    catalog: dict[str, Any]
    datasets: Iterator[dict[str, Any]]


def read_page(links: Links, number: int) -> CatalogPage:
    """Reads the catalogue (call it inside the snapshot the whole document is read from).

    Every node leaves through ``xml_tree``: both documents are written from these nodes only.
    """
    total = dataset_count(links.section)
    header = [view_node(links, number, total), *category_nodes(links), *license_nodes(License.objects.all())]
    catalog = catalog_node(links, _last_sync())
    catalog["hydra:view"] = ref(links.page(number))
    page = page_datasets(number, links.page_size, links.section)
    datasets = (xml_tree(dataset_node(dataset, links)) for dataset in page)
    return CatalogPage(header=[xml_tree(node) for node in header], catalog=xml_tree(catalog), datasets=datasets)


# JSON-LD


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def jsonld_document(links: Links, number: int) -> Iterator[str]:
    """The page as JSON-LD with an inline context, one dataset per chunk."""
    page = read_page(links, number)
    yield '{"@context":' + _json(NAMESPACES) + ',"@graph":[\n'
    for header_node in page.header:
        yield _json(header_node) + ",\n"
    yield _json(page.catalog)[:-1] + ',"dcat:dataset":[\n'  # the catalogue stays open for its datasets
    for index, dataset in enumerate(page.datasets):
        yield ("," if index else "") + _json(dataset) + "\n"
    yield "]}]}\n"


# Turtle

_TURTLE_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
_TURTLE_ESCAPES |= {
    code: f"\\u{code:04X}" for code in (*range(0x20), *range(0x7F, 0xA0)) if code not in _TURTLE_ESCAPES
}


def turtle_string(value: str) -> str:
    """A Turtle string literal: quotes, backslashes and control characters escaped, on one line."""
    return '"' + value.translate(_TURTLE_ESCAPES) + '"'


def _turtle_object(value: Any, later: list[dict[str, Any]], indent: str) -> str:
    if isinstance(value, bool):
        raise TypeError("booleans are not used in the catalogue")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return turtle_string(value)
    if "@value" in value:
        literal = turtle_string(value["@value"])
        if "@language" in value:
            return f"{literal}@{value['@language']}"
        return f"{literal}^^{value['@type']}" if "@type" in value else literal
    if "@id" in value:
        if len(value) > 1:  # a described node: its own statements follow
            later.append(value)
        return f"<{value['@id']}>"
    return f"[\n{indent}    {_turtle_properties(value, later, indent + '    ')}\n{indent}]"


def _turtle_properties(subject: dict[str, Any], later: list[dict[str, Any]], indent: str) -> str:
    lines = []
    for key, value in subject.items():
        if key == "@id":
            continue
        values = value if isinstance(value, list) else [value]
        if key == "@type":
            lines.append("a " + ", ".join(values))
        elif values:
            separator = ", " if len(values) < 3 else f",\n{indent}    "
            lines.append(f"{key} " + separator.join(_turtle_object(item, later, indent) for item in values))
    return f" ;\n{indent}".join(lines)


def turtle_statements(subject: dict[str, Any]) -> str:
    """Turtle statements about a named node, then about the named nodes it describes."""
    later: list[dict[str, Any]] = []
    statements = f"<{subject['@id']}> {_turtle_properties(subject, later, '    ')} .\n"
    return statements + "".join(turtle_statements(nested) for nested in later)


def turtle_document(links: Links, number: int) -> Iterator[str]:
    """The page as Turtle, one dataset per chunk."""
    page = read_page(links, number)
    yield "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in NAMESPACES.items()) + "\n"
    for subject in (*page.header, page.catalog):
        yield turtle_statements(subject) + "\n"
    for dataset in page.datasets:  # written from the nodes only, never from ``links`` directly
        yield f"<{page.catalog['@id']}> dcat:dataset <{dataset['@id']}> .\n" + turtle_statements(dataset) + "\n"


DOCUMENTS = {"jsonld": jsonld_document, "turtle": turtle_document}
