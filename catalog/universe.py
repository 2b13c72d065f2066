"""What a deployment shows, declared in one TOML file: the site, its brand, menu and links, its sections.

``UNIVERSE`` names the file: a name of a file shipped in ``culture_portal/universes/`` (``culture``) or a path
to a ``.toml`` file. Settings load it once at start-up (``settings.UNIVERSE``); a file that does not say exactly
what is expected (an unknown key, a missing one, a value of the wrong type, a duplicate, a topic that is not a
data.gouv.fr id) stops the site with one line naming the file, the key and what was expected, so that the site
never half-works. Stdlib only: settings import it before Django is set up.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

UNIVERSES_DIR = Path(__file__).resolve().parent.parent / "culture_portal" / "universes"
DEFAULT = "culture"

_TOPIC_ID = re.compile(r"[0-9a-f]{24}")  # a data.gouv.fr ObjectId
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_ICON = re.compile(r"fr-icon-[a-z0-9-]+")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*")
_PATH = re.compile(r"/(?:[a-z0-9._~-]+/)*")  # a site path ending with a slash
_OF = re.compile(r"(?:de |du |des |d’|d')\S.*")  # a French complement: « de la culture », « du sport »


class UniverseError(ImproperlyConfigured):
    """The universe file cannot be used; the message names the file, the key and what was expected."""


@dataclass(frozen=True)
class Brand:
    """The DSFR brand block (« Marianne » logo text), one item per line, and the ministry's own site."""

    lines: tuple[str, ...]
    homepage: str
    homepage_label: str


@dataclass(frozen=True)
class Subject:
    """How the pages name what the catalogue is about, in French, where the wording depends on the theme."""

    name: str  # « le catalogue culture », « la sélection culture », the CSV file's name
    of: str  # after « les jeux de données »: « de la culture », « du sport », « de l’environnement »


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url: str  # a path of the site (``/datasets/``: current on it and below) or an http(s) URL

    def is_current(self, path: str) -> bool:
        """On the entry's page, or below it (the home page only on itself)."""
        return path == self.url or (self.url != "/" and self.url.startswith("/") and path.startswith(self.url))


@dataclass(frozen=True)
class Home:
    """The home page's closing block: what the site is, linking to the « À propos » page."""

    about_title: str
    about_text: str


@dataclass(frozen=True)
class Links:
    feedback: str
    support: str
    forum: str = ""  # declared for the sections to come; no page links to it yet


@dataclass(frozen=True)
class Publisher:
    name: str
    homepage: str


@dataclass(frozen=True)
class Dcat:
    """The catalogue's own description in DCAT-AP (its title is the site's name)."""

    description: str
    theme: str  # an EU data theme code (``EDUC``), publications.europa.eu/resource/authority/data-theme
    publisher: Publisher


@dataclass(frozen=True)
class Category:
    """A data.gouv.fr tag shown as a category: ``slug`` in our URLs, ``icon`` a DSFR icon class."""

    tag: str
    label: str
    icon: str
    slug: str = ""  # the tag when empty
    description: str = ""

    def __post_init__(self) -> None:
        if not self.slug:
            object.__setattr__(self, "slug", self.tag)


@dataclass(frozen=True)
class FacetTag:
    """An option of a tag-group facet: a data.gouv.fr tag (the value in addresses) and its label."""

    tag: str
    label: str


@dataclass(frozen=True)
class TagLabel:
    """A data.gouv.fr tag a section names: shown as ``label``, filtered by ``?{facet}={value}``."""

    facet: str
    value: str
    label: str


@dataclass(frozen=True)
class Facet:
    """A filter of a section's list, by its parameter name, in the order shown (catalog.facets).

    Without ``tags`` it is one of the facets the list page knows (``category``, ``format``…); with them, a
    *tag group*: each option a tag, a dataset matching the option when data.gouv.fr gives it that tag.
    ``multiple`` left out: the facet's own default (several values, except the update period).
    """

    name: str
    label: str
    multiple: bool | None = None
    tags: tuple[FacetTag, ...] = ()


@dataclass(frozen=True)
class Section:
    """A data.gouv.fr topic shown as one part of the site, with its landing text, categories and facets."""

    id: str
    topic: str
    url_prefix: str
    title: str
    list_title: str
    landing_text: str
    search_examples: tuple[str, ...]  # its search box's examples (the main section's first: the home page's)
    categories: tuple[Category, ...] = ()
    facets: tuple[Facet, ...] = ()

    @cached_property
    def category_by_slug(self) -> dict[str, Category]:
        return {category.slug: category for category in self.categories}

    @cached_property
    def tag_labels(self) -> dict[str, TagLabel]:
        """The tags this section names, by tag: its categories' (the ``category`` facet), then its tag groups'
        options, in the file's order. A card shows the categories as badges and the options as labelled links to the
        filtered list; a dataset page shows them all as labelled links (catalog_tags.dataset_card, dataset_tags)."""
        named = {category.tag: TagLabel("category", category.slug, category.label) for category in self.categories}
        for facet in self.facets:
            for option in facet.tags:
                named.setdefault(option.tag, TagLabel(facet.name, option.tag, option.label))
        return named


@dataclass(frozen=True)
class Universe:
    name: str
    tagline: str
    title: str  # the home page's <title>
    description: str  # the pages' default meta description
    footer: str
    subject: Subject
    brand: Brand
    menu: tuple[MenuEntry, ...]
    home: Home
    links: Links
    dcat: Dcat
    sections: tuple[Section, ...]
    source: str = field(default="", compare=False)  # the file it was read from, for messages
    fingerprint: str = field(default="", compare=False)  # of the file's bytes: in page and export keys

    @property
    def main(self) -> Section:
        """The first section: the one the home page presents and ``CATALOG_TOPIC`` can override."""
        return self.sections[0]


def from_environment() -> Universe:
    """The universe ``UNIVERSE`` names (the culture one when it is empty): what settings load."""
    return load(os.environ.get("UNIVERSE", "") or DEFAULT)


def resolve(name_or_path: str) -> Path:
    """The file ``UNIVERSE`` names: ``culture`` is ``culture_portal/universes/culture.toml``, else a path."""
    value = name_or_path.strip() or DEFAULT
    if _NAME.fullmatch(value) or _SLUG.fullmatch(value):
        path = UNIVERSES_DIR / f"{value}.toml"
        if not path.is_file():
            shipped = ", ".join(sorted(p.stem for p in UNIVERSES_DIR.glob("*.toml")))
            raise UniverseError(f"UNIVERSE={value!r}: no universe of that name (shipped: {shipped}), nor a path")
        return path
    path = Path(value).expanduser()
    if not path.is_file():
        raise UniverseError(f"UNIVERSE={value!r}: no such file")
    return path


def load(name_or_path: str = DEFAULT) -> Universe:
    """Read and validate a universe file; ``UniverseError`` says what is wrong, where."""
    path = resolve(name_or_path)
    try:
        content = path.read_bytes()
        data = tomllib.loads(content.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UniverseError(f"{path}: not a readable TOML file: {exc}") from exc
    shown = path.resolve()
    repository = UNIVERSES_DIR.parent.parent
    universe = parse(data, source=str(shown.relative_to(repository) if shown.is_relative_to(repository) else path))
    # Cached pages and exports of another universe (or another version of this file) are never served.
    object.__setattr__(universe, "fingerprint", hashlib.blake2b(content, digest_size=8).hexdigest())
    return universe


def parse(data: Mapping[str, Any], *, source: str) -> Universe:
    """A ``Universe`` from the TOML's tables, every key checked (see ``load``)."""
    universe = _build(Universe, data, "", source)
    object.__setattr__(universe, "source", source)
    _check(universe, source)
    return universe


def _fail(source: str, path: str, message: str) -> typing.NoReturn:
    raise UniverseError(f"{source}: {path or 'top level'}: {message}")


def _optional(kind: Any) -> Any:
    """``X`` for ``X | None`` (a key that may be left out; TOML has no null), else ``kind``."""
    if isinstance(kind, types.UnionType):
        return next(arg for arg in typing.get_args(kind) if arg is not type(None))
    return kind


def _describe(kind: Any) -> str:
    kind = _optional(kind)
    if kind is str:
        return "a string"
    if kind is bool:
        return "true or false"
    if typing.get_origin(kind) is tuple:
        item = typing.get_args(kind)[0]
        return "an array of strings" if item is str else f"an array of tables ({item.__name__})"
    return f"a table ({kind.__name__})"


def _build(cls: type, data: Any, path: str, source: str) -> Any:
    """An instance of the dataclass ``cls`` from a TOML table, rejecting unknown, missing and mistyped keys."""
    if not isinstance(data, Mapping):
        _fail(source, path, f"expected {_describe(cls)}, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    declared = {f.name: f for f in fields(cls) if f.name not in ("source", "fingerprint")}
    unknown = sorted(set(data) - set(declared))
    if unknown:
        expected = ", ".join(declared)
        _fail(source, _join(path, unknown[0]), f"unknown key (expected one of: {expected})")
    values = {}
    for name, spec in declared.items():
        key = _join(path, name)
        if name not in data:
            if spec.default is MISSING and spec.default_factory is MISSING:
                _fail(source, key, f"missing; expected {_describe(hints[name])}")
            continue
        # A string may be empty only where leaving the key out means the same (an optional text).
        values[name] = _value(hints[name], data[name], key, source, may_be_empty=spec.default == "")
    return cls(**values)


def _value(kind: Any, value: Any, path: str, source: str, *, may_be_empty: bool = False) -> Any:
    kind = _optional(kind)
    if typing.get_origin(kind) is tuple:
        item = typing.get_args(kind)[0]
        if not isinstance(value, list):
            _fail(source, path, f"expected {_describe(kind)}, got {type(value).__name__}")
        return tuple(_value(item, element, f"{path}[{index}]", source) for index, element in enumerate(value))
    if kind is str or kind is bool:
        if type(value) is not kind:  # noqa: E721 (a bool is an int, neither is a str)
            _fail(source, path, f"expected {_describe(kind)}, got {value!r}")
        if kind is str and not value.strip() and not may_be_empty:
            _fail(source, path, "expected a non-empty string")
        return value
    if isinstance(kind, type):
        return _build(kind, value, path, source)
    raise TypeError(f"unsupported field type {kind!r}")  # pragma: no cover (a mistake in this module)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _check(universe: Universe, source: str) -> None:
    """What types alone cannot say: formats, and no duplicates."""
    for name in ("feedback", "support", "forum"):
        url = getattr(universe.links, name)
        if url and not _URL.fullmatch(url):
            _fail(source, f"links.{name}", f"expected an http(s) URL, got {url!r}")
    if not _URL.fullmatch(universe.brand.homepage):
        _fail(source, "brand.homepage", f"expected an http(s) URL, got {universe.brand.homepage!r}")
    if not universe.brand.lines:
        _fail(source, "brand.lines", "expected at least one line")
    if not _OF.fullmatch(universe.subject.of):
        _fail(source, "subject.of", f"expected a complement starting with de, du, des or d’ (« de la culture »), "
                                    f"got {universe.subject.of!r}")  # fmt: skip
    if not _URL.fullmatch(universe.dcat.publisher.homepage):
        _fail(source, "dcat.publisher.homepage", f"expected an http(s) URL, got {universe.dcat.publisher.homepage!r}")
    if not re.fullmatch(r"[A-Z]{4}", universe.dcat.theme):
        _fail(source, "dcat.theme", f"expected an EU data theme code such as EDUC, got {universe.dcat.theme!r}")
    if not universe.menu:
        _fail(source, "menu", "expected at least one entry")
    for index, entry in enumerate(universe.menu):
        if not (_PATH.fullmatch(entry.url) or _URL.fullmatch(entry.url)):
            _fail(source, f"menu[{index}].url", f"expected a path of the site ending with / or an http(s) URL, "
                                                 f"got {entry.url!r}")  # fmt: skip
    _unique(source, "menu", [entry.url for entry in universe.menu], "url")
    if not universe.sections:
        _fail(source, "sections", "expected at least one section")
    for index, section in enumerate(universe.sections):
        _check_section(section, f"sections[{index}]", source)
    _unique(source, "sections", [section.id for section in universe.sections], "id")
    _unique(source, "sections", [section.topic for section in universe.sections], "topic")
    _unique(source, "sections", [section.url_prefix for section in universe.sections], "url_prefix")


def _check_section(section: Section, path: str, source: str) -> None:
    if not _SLUG.fullmatch(section.id):
        _fail(source, f"{path}.id", f"expected a slug (lowercase letters, digits, hyphens), got {section.id!r}")
    if not _TOPIC_ID.fullmatch(section.topic):
        _fail(source, f"{path}.topic", f"expected a data.gouv.fr topic id (24 hexadecimal digits), "
                                       f"got {section.topic!r}")  # fmt: skip
    if not _PATH.fullmatch(section.url_prefix) or section.url_prefix == "/":
        _fail(source, f"{path}.url_prefix", f"expected a path such as /datasets/, got {section.url_prefix!r}")
    if not section.search_examples:
        _fail(source, f"{path}.search_examples", "expected at least one example")
    for index, category in enumerate(section.categories):
        where = f"{path}.categories[{index}]"
        if not _SLUG.fullmatch(category.slug):
            key = "slug" if category.slug != category.tag else "tag"
            _fail(source, f"{where}.{key}", f"expected a slug (lowercase letters, digits, hyphens), "
                                            f"got {category.slug!r}")  # fmt: skip
        if not _ICON.fullmatch(category.icon):
            _fail(source, f"{where}.icon", f"expected a DSFR icon class (fr-icon-…), got {category.icon!r}")
    _unique(source, f"{path}.categories", [category.tag for category in section.categories], "tag")
    _unique(source, f"{path}.categories", [category.slug for category in section.categories], "slug")
    for index, facet in enumerate(section.facets):
        if not _NAME.fullmatch(facet.name):
            _fail(source, f"{path}.facets[{index}].name", f"expected a parameter name (a-z, 0-9, _), "
                                                          f"got {facet.name!r}")  # fmt: skip
        for number, option in enumerate(facet.tags):
            if not option.tag.strip() or option.tag != option.tag.strip().lower() or " " in option.tag:
                where = f"{path}.facets[{index}].tags[{number}].tag"
                _fail(source, where, f"expected a data.gouv.fr tag (lower case, no spaces), got {option.tag!r}")
        _unique(source, f"{path}.facets[{index}].tags", [option.tag for option in facet.tags], "tag")
    _unique(source, f"{path}.facets", [facet.name for facet in section.facets], "name")


def check_facets(universe: Universe, known: tuple[str, ...], *, single: tuple[str, ...] = (),
                 reserved: tuple[str, ...] = ()) -> None:  # fmt: skip
    """Every declared facet is one the list page knows how to count (``known``, see catalog.facets) or a tag
    group (``tags``) under a name of its own; ``single`` facets cannot take several values."""
    for number, section in enumerate(universe.sections):
        for index, facet in enumerate(section.facets):
            where = f"sections[{number}].facets[{index}]"
            if facet.tags:
                if facet.name in known or facet.name in reserved:
                    _fail(universe.source, f"{where}.name",
                          f"{facet.name!r} is taken (a tag group needs a name of its own, not one of: "
                          f"{', '.join((*known, *reserved))})")  # fmt: skip
            elif facet.name not in known:
                _fail(universe.source, f"{where}.name",
                      f"unknown facet {facet.name!r} (expected one of: {', '.join(known)}, or a tag group "
                      f"with its tags)")  # fmt: skip
            elif facet.multiple and facet.name in single:
                _fail(universe.source, f"{where}.multiple", f"{facet.name!r} takes one value only")


def _unique(source: str, path: str, values: list[str], key: str) -> None:
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        if value in seen:
            _fail(source, f"{path}[{index}].{key}", f"duplicate {value!r} (already at {path}[{seen[value]}])")
        seen[value] = index
