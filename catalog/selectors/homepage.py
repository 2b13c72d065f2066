"""The home page: categories with their counts, the latest datasets, the other sections' blocks, key figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from catalog import labels, universe
from catalog.models import Dataset
from catalog.selectors import listing


def category_counts() -> list[tuple[labels.Category, int]]:
    counts = dict(listing.summary()["facets"]["category"])
    return [(category, counts.get(category.slug, 0)) for category in labels.CATEGORIES]


def latest_datasets(limit: int = 6) -> list[Dataset]:
    """The first datasets of the main list, newest first: its order is the facet table's, no sort in the database."""
    return list(listing.dataset_list(listing.DatasetFilters())[:limit])


@dataclass(frozen=True)
class SectionBlock:
    """A home page block leading to a section other than the main one."""

    section: universe.Section
    url: str
    datasets: int


def section_blocks() -> list[SectionBlock]:
    """A block for each section after the main one, in the universe's order, with its number of datasets."""
    from catalog import links

    return [
        SectionBlock(section, links.section_url(section), listing.summary(section.id)["published"])
        for section in settings.UNIVERSE.sections[1:]
    ]


@dataclass
class KeyFigures:
    datasets: int
    organizations: int
    resources: int


def key_figures() -> KeyFigures:
    figures = listing.summary()
    return KeyFigures(
        datasets=figures["published"], organizations=len(figures["facets"]["organization"]),
        resources=figures["resources"],
    )  # fmt: skip
