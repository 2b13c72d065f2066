"""The CSV export of a search's results: one row per dataset, every cell neutralised against formulas.

Served by catalog.exports.store like every export (``catalog.views.dataset_export`` builds its key).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from catalog import labels
from catalog.models import Dataset
from catalog.safe_text import CsvWriter

# New columns go last: spreadsheets and scripts reading the first ones by position keep working.
CSV_HEADER = ["titre", "producteur", "page_data_gouv_fr", "licence", "derniere_mise_a_jour", "formats",
              "categories", "identifiant_data_gouv_fr", "fichiers"]  # fmt: skip


def _category_labels(dataset) -> str:
    return ", ".join(labels.CATEGORY_BY_SLUG[slug].label for slug in dataset.category_slugs.split()
                     if slug in labels.CATEGORY_BY_SLUG)  # fmt: skip


def write_datasets(out: TextIO, rows: Iterable[tuple[Dataset, list[str]]]) -> None:
    """The header, then each ``(dataset, file links)`` of ``rows`` (catalog.selectors.listing.dataset_export)."""
    writer = CsvWriter(out)  # every cell neutralised against formulas
    writer.writerow(CSV_HEADER)
    for dataset, file_links in rows:
        writer.writerow([
            dataset.title,
            dataset.publisher_name,
            dataset.page,
            dataset.license.label if dataset.license_id else "",
            dataset.last_update.date().isoformat() if dataset.last_update else "",
            " ".join(dataset.format_list),
            _category_labels(dataset),
            dataset.remote_id,
            " ".join(file_links),
        ])  # fmt: skip
