"""Text made safe for the documents machines read: XML 1.0 for feeds, sitemaps, DCAT, OpenSearch; CSV cells.

Publisher text is stored as published and may hold anything. Each export passes everything it writes
through one of these functions at a single place of its output path, whatever the mapper cleaned before.
"""

from __future__ import annotations

import csv
import re
from typing import Any, TextIO

# What XML 1.0 cannot hold (https://www.w3.org/TR/xml/#charsets): C0 controls other than tab, newline
# and carriage return, lone surrogates, U+FFFE and U+FFFF. A parser refuses the whole document for one.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xml_text(value: str) -> str:
    """The string without the characters XML 1.0 cannot hold."""
    return NOT_XML.sub("", value) if NOT_XML.search(value) else value


def xml_tree(value: Any) -> Any:
    """Every string of a structure of dicts, lists and tuples through ``xml_text``; other values as they are."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {key: xml_tree(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(xml_tree(item) for item in value)
    return value


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows and never runs: a leading formula character gets a quote before it.

    Characters XML cannot hold go first (a NUL or a lone surrogate has no place in a text file), so that
    none of them can hide a leading ``=``.
    """
    text = xml_text("" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class CsvWriter:
    """``csv.writer`` whose every cell goes through ``csv_cell``: no column can be forgotten."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: list[Any]) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])  # what ``out.write`` returned
