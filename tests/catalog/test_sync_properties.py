"""Property-based: no payload shaped like the API can make the mapper raise or the sync lose a record.

Hypothesis generates datasets, organizations and files with hostile values in every field
(tests/catalog/hostile.py). The mapper must turn each into values every column accepts; the real
sync, fed through the API client by a local stand-in of data.gouv.fr, must store them next to
well-formed neighbours without an exception, without leaving anything out, and without touching
the neighbours. Runs on SQLite and, in CI, on PostgreSQL (which measures and refuses more).
"""

import json
import math
import os
from datetime import datetime

import pytest
from django.db import models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.api.client import get_client
from catalog.ingest import mapping
from catalog.ingest.service import sync_catalog
from catalog.models import Dataset, DatasetText, Organization, Resource
from tests.catalog.hostile import hostile_dataset, hostile_organization, hostile_resource
from tests.fakes.datagouv import StandinAPI
from tests.fakes.memory import observer_topic
from tests.fakes.payloads import BASE, TOPIC, dataset, organization

# Derandomized, so that CI never turns red by chance. HYPOTHESIS_EXAMPLES=N searches N random examples
# per test instead (a local exploration; the sync test takes a tenth of them).
EXPLORE = int(os.environ.get("HYPOTHESIS_EXAMPLES", "0"))
PROPERTY = settings(
    derandomize=not EXPLORE, max_examples=EXPLORE or 100, deadline=None, suppress_health_check=list(HealthCheck)
)

HOSTILE_ORG_ID = "6" * 24
NEIGHBOUR_ORG = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")
NEIGHBOURS = [
    dataset(f"{index:024x}", f"Jeu voisin {index}", tags=("musee",), org=NEIGHBOUR_ORG) for index in range(1, 6)
]


def _storable(model: type[models.Model], fields: dict) -> None:
    """Every value fits its column as both databases measure and refuse."""
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if isinstance(value, str):
            assert "\x00" not in value, name  # PostgreSQL refuses NUL in text
            value.encode("utf-8")  # no lone surrogate: UTF-8 databases refuse them
            if getattr(field, "max_length", None):
                assert len(value) <= field.max_length, (name, len(value))
        elif isinstance(value, datetime):
            assert value.tzinfo is not None and 1 <= value.year <= 9999, name
        elif isinstance(value, float):
            assert math.isfinite(value), name
        elif isinstance(value, int) and not isinstance(value, bool):
            assert 0 <= value <= 2**63 - 1, name
            if isinstance(field, models.PositiveIntegerField):
                assert value <= mapping.MAX_INT, name
        elif isinstance(value, (list, dict)):
            json.dumps(value, allow_nan=False).encode("utf-8")


@PROPERTY
@given(payload=hostile_dataset("a" * 24, organization("b" * 24, "Producteur")))
def test_the_dataset_mapper_never_raises_and_every_value_fits_its_column(payload):
    resources = mapping.resources_of(payload)
    fields = mapping.dataset_fields(payload, base_url=BASE, resources=resources)
    texts = {name: fields.pop(name) for name in DatasetText.FIELDS}
    _storable(Dataset, fields)
    _storable(DatasetText, texts)
    for resource in resources:
        _storable(Resource, resource)
    for name in mapping.tag_names(payload):
        assert 0 < len(name) <= 255 and "\x00" not in name
        name.encode("utf-8")
    json.dumps(mapping.clean_json(payload), allow_nan=False).encode("utf-8")


@PROPERTY
@given(payload=hostile_dataset("a" * 24, organization("b" * 24, "Producteur")))
def test_the_stored_payload_is_cleaned_alike_through_orjson_and_walked_in_python(payload):
    """``clean_json`` lets orjson clean what it can; walking the payload value by value is the reference."""
    assert mapping.clean_json(payload) == mapping._cleaned(payload)


@PROPERTY
@given(
    value=st.text()
    | st.lists(st.sampled_from([*map(chr, mapping._CONTROL), "a", "é", " ", "\u00a0", "\ud800"])).map("".join)
    | st.binary().map(lambda raw: raw.decode("utf-8", "surrogateescape"))
)
def test_text_is_cleaned_as_defined_whatever_its_characters(value):
    """``text`` takes shortcuts (ASCII, no control character, valid UTF-8); its definition: the control and invisible
    characters removed, lone surrogates replaced, outer spaces stripped."""
    defined = value.translate(mapping._CONTROL).encode("utf-8", "replace").decode("utf-8").strip()
    assert mapping.text(value) == defined


@PROPERTY
@given(payload=hostile_organization("b" * 24))
def test_the_organization_mapper_never_raises(payload):
    _storable(Organization, mapping.organization_fields(payload))
    json.dumps(mapping.clean_json(payload), allow_nan=False).encode("utf-8")


@PROPERTY
@given(payload=hostile_resource(), position=st.integers(0, 10_000))
def test_the_file_mapper_never_raises(payload, position):
    _storable(Resource, mapping.resource_fields(payload, position))


@pytest.fixture
def api(settings):
    """One stand-in of data.gouv.fr for all the examples of a test; each example sets its datasets."""
    with StandinAPI(
        datasets=NEIGHBOURS, organizations=[NEIGHBOUR_ORG], topic_id=TOPIC, topics=[observer_topic()]
    ) as server:
        settings.DATAGOUV_URL = server.url
        settings.DATAGOUV_RETRIES = 0
        yield server


def _neighbours_are_whole() -> None:
    for payload in NEIGHBOURS:
        stored = Dataset.objects.get(remote_id=payload["id"])
        assert stored.withdrawn_at is None and stored.title == payload["title"]
        assert stored.organization.name == NEIGHBOUR_ORG["name"]
        assert list(stored.resources.values_list("remote_id", flat=True)) == [payload["resources"][0]["id"]]
        assert list(stored.tags.values_list("name", flat=True)) == stored.tag_names == ["musee"]


@pytest.mark.django_db
@settings(PROPERTY, max_examples=EXPLORE // 10 or 40)
@given(data=st.data())
def test_the_real_sync_stores_hostile_records_and_loses_no_neighbour(api, data):
    publisher = data.draw(hostile_organization(HOSTILE_ORG_ID), label="organization")
    hostile = [
        data.draw(hostile_dataset(f"{number:024x}", publisher if number % 2 else None), label=f"dataset {number}")
        for number in (0xABC1, 0xABC2)
    ]
    api.set_datasets(NEIGHBOURS + hostile)
    api.add_organization(publisher)
    with get_client() as client:
        try:
            report = sync_catalog(client=client, mode="full", force=True)
        finally:
            assert api.errors == []  # the stand-in served every payload as the API would
    assert report.skipped == [], report.skipped_lines()
    _neighbours_are_whole()
    for payload in hostile:
        stored = Dataset.objects.get(remote_id=payload["id"], withdrawn_at__isnull=True)
        assert stored.tag_names == sorted(stored.tags.values_list("name", flat=True))  # shown as filtered
