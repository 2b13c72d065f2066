"""Hypothesis strategies for API-shaped payloads with hostile values in every field.

Shaped like the data.gouv.fr API (shared/datagouv-api: datasets, organizations, resources), each
field either keeps a well-formed value or takes one a hostile or careless publisher could send:
extreme dates and offsets, huge and negative numbers, NaN and Infinity, NUL, lone surrogates,
non-characters, strings that lengthen when folded, long strings, lists of hundreds of items, and
values of the wrong type. Ids stay ObjectIds: the API makes them, publishers do not.
"""

from __future__ import annotations

import operator
from datetime import datetime

from hypothesis import strategies as st

from tests.fakes.payloads import dataset, organization, resource

# Characters that have broken something somewhere: NUL, non-characters, lone surrogates, bidi
# overrides, and letters that lengthen when lower-cased or folded (İ, ß, ﬃ, ΐ).
_TRAPS = ["\x00", "\x0b", "\x1f", "\x7f", "\ufffe", "\uffff", "\ud800", "\udfff", "\u202e", "\u200b", "\ufeff",
          "İ", "ß", "ﬃ", "ΐ", "ǅ", "<", "&", "]", ">", "=", "@", "\r", "\n", "\t"]  # fmt: skip
_CHAR = st.one_of(st.characters(exclude_categories=()), st.sampled_from(_TRAPS))

text = st.one_of(
    st.text(_CHAR, max_size=30),
    # Long strings, often made of characters that lengthen once normalised.
    st.builds(operator.mul, st.text(_CHAR, min_size=1, max_size=3), st.integers(100, 2500)),
)

_OFFSET = st.builds(
    lambda sign, hours, minutes: f"{sign}{hours:02d}:{minutes:02d}",
    st.sampled_from("+-"),
    st.integers(0, 23),
    st.integers(0, 59),
)
date = st.one_of(
    st.builds(
        lambda moment, offset: moment.isoformat() + offset,
        st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
        _OFFSET,
    ),
    st.sampled_from(
        [
            "9999-12-31T23:59:59-23:59",
            "0001-01-01T00:00:00+23:59",
            "9999-12-31",
            "0001-01-01",
            "0000-00-00",
            "2026-02-30",
            "+10000-01-01T00:00:00",
            "2026-06-30T04:12:55.482000+00:00",
            "2026-06-30T25:61:61",
            "99999999999999999999-01-01",
            "",
        ]
    ),  # fmt: skip
    text,
)

number = st.one_of(
    st.integers(-(10**30), 10**30),
    st.builds(lambda digits, sign: sign * 10**digits, st.integers(15, 4000), st.sampled_from([1, -1])),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(st.sampled_from("0123456789-+e."), max_size=40),
)

anything = st.one_of(text, date, number, st.none(), st.lists(text, max_size=5), st.dictionaries(text, text, max_size=3))


def _maybe(payload: dict, draw, fields: dict) -> dict:
    """Each field keeps its good value or takes a hostile one."""
    for key, strategy in fields.items():
        if draw(st.booleans()):
            payload[key] = draw(strategy)
    return payload


_RESOURCE_FIELDS = {
    "id": st.one_of(text, st.uuids().map(str), anything),
    "title": st.one_of(text, anything),
    "description": st.one_of(text, anything),
    "type": st.one_of(st.sampled_from(["main", "documentation", "update", "api", "code", "other"]), text),
    "filetype": st.one_of(st.sampled_from(["file", "remote"]), text),
    "format": st.one_of(text, anything),
    "url": st.one_of(text, st.just("javascript:alert(1)"), anything),
    "latest": st.one_of(text, anything),
    "filesize": number,
    "mime": st.one_of(text, anything),
    "created_at": date,
    "last_modified": date,
    "extras": st.one_of(
        st.fixed_dictionaries({"check:available": anything, "analysis:content-length": number}), anything
    ),
}


@st.composite
def hostile_resource(draw) -> dict:
    return _maybe(resource(str(draw(st.uuids()))), draw, _RESOURCE_FIELDS)


_ORGANIZATION_FIELDS = {
    "name": st.one_of(text, anything),
    "acronym": st.one_of(text, anything),
    "slug": st.one_of(text, anything),
    "description": st.one_of(text, anything),
    "url": st.one_of(text, anything),
    "logo": st.one_of(text, anything),
    "logo_thumbnail": st.one_of(text, anything),
    "badges": st.one_of(st.lists(st.fixed_dictionaries({"kind": st.one_of(text, anything)}), max_size=300), anything),
    "metrics": st.one_of(st.fixed_dictionaries({"followers": number, "views": number}), anything),
    "created_at": date,
    "last_modified": date,
    "page": st.one_of(text, anything),
}


@st.composite
def hostile_organization(draw, organization_id: str) -> dict:
    return _maybe(organization(organization_id, "Producteur"), draw, _ORGANIZATION_FIELDS)


_METRICS = ("views", "followers", "reuses", "discussions", "resources_downloads")
_DATASET_FIELDS = {
    "title": st.one_of(text, anything),
    "slug": st.one_of(text, anything),
    "acronym": st.one_of(text, anything),
    "description": st.one_of(text, anything),
    "description_short": st.one_of(text, anything),
    "created_at": date,
    "last_modified": date,
    "last_update": date,
    "archived": st.one_of(st.none(), date),
    "frequency": st.one_of(text, anything),
    "frequency_date": date,
    "license": st.one_of(text, anything),
    "tags": st.one_of(st.lists(text, max_size=300), st.lists(anything, max_size=20), anything),
    "badges": st.one_of(st.lists(st.fixed_dictionaries({"kind": text}), max_size=50), anything),
    "metrics": st.one_of(st.fixed_dictionaries({name: number for name in _METRICS}), anything),
    "quality": st.one_of(st.fixed_dictionaries({"score": number}), anything),
    "spatial": st.one_of(
        st.fixed_dictionaries(
            {
                "zones": st.one_of(
                    st.lists(st.one_of(text, st.fixed_dictionaries({"id": text, "name": text})), max_size=100), anything
                ),
                "granularity": st.one_of(text, st.fixed_dictionaries({"id": text, "name": text}), anything),
            }
        ),
        anything,
    ),  # fmt: skip
    "temporal_coverage": st.one_of(st.fixed_dictionaries({"start": date, "end": date}), anything),
    "page": st.one_of(text, anything),
    "owner": st.one_of(
        st.fixed_dictionaries({"first_name": text, "last_name": text, "slug": text, "page": text}), anything
    ),
    "resources": st.one_of(st.lists(hostile_resource(), max_size=40), anything),
    "extras": st.one_of(st.dictionaries(text, anything, max_size=5), anything),
}


@st.composite
def hostile_dataset(draw, dataset_id: str, publisher: dict | None = None) -> dict:
    """A dataset of the culture topic; ``publisher`` (an organization payload) becomes its reference."""
    payload = dataset(dataset_id, "Jeu hostile", tags=("musee",), org=publisher)
    return _maybe(payload, draw, _DATASET_FIELDS)
