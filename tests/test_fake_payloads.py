"""The payload builders of the fake data.gouv.fr (tests/fakes/payloads.py) against the API's own payloads.

tests/data/*.json are answers of the real API; every builder, and what the synthetic catalogue and
the sample catalogue build with them, must have exactly their key sets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes import payloads
from tests.fakes.synthetic import Catalogue

DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).resolve().parent.parent / "catalog" / "data" / "sample-catalog.jsonl"


def real(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


REAL_DATASET = real("datasets-page-1.json")["data"][0]
REAL_ORGANIZATION = real("organization.json")
REAL_TOPIC = real("topic.json")
REAL_LICENSE = real("licenses.json")[0]
REAL_ELEMENT = real("topic-elements-page.json")["data"][0]


def sample_lines(kind: str) -> list[dict]:
    lines = (json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines())
    return [line["data"] for line in lines if line["kind"] == kind]


def test_the_test_helpers_build_the_api_key_sets():
    org = payloads.organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture")
    ds = payloads.dataset("64f100000000000000000001", "Jeu", org=org)

    assert set(ds) == set(REAL_DATASET)
    assert set(ds["resources"][0]) == set(REAL_DATASET["resources"][0])
    assert set(ds["organization"]) == set(REAL_DATASET["organization"])
    assert set(org) == set(REAL_ORGANIZATION)
    assert set(payloads.license_payload(id="lov2", title="Licence Ouverte")) == set(REAL_LICENSE)
    assert set(payloads.topic_element_payload("e", "d")) == set(REAL_ELEMENT)
    topic = payloads.topic_payload(id="t", name="T", slug="t", created_at="", last_modified="", uri="")
    assert list(topic) == list(REAL_TOPIC)  # v2: the model's order, not sorted


def test_the_synthetic_and_the_sample_catalogues_build_the_api_key_sets():
    catalogue = Catalogue(40)
    synthetic = [catalogue.dataset(index) for index in range(40)]
    sample = sample_lines("dataset")
    for ds in synthetic + sample:
        assert set(ds) == set(REAL_DATASET), ds["slug"]
        assert all(set(r) == set(REAL_DATASET["resources"][0]) for r in ds["resources"]), ds["slug"]
    for org in [catalogue.organization(0), *sample_lines("organization")]:
        assert set(org) == set(REAL_ORGANIZATION)
    assert list(catalogue.topic(catalogue.topic_id)) == list(sample_lines("topic")[0]) == list(REAL_TOPIC)
    assert all(set(item) == set(REAL_LICENSE) for item in sample_lines("license") + catalogue.licenses())


@pytest.mark.parametrize(
    "build",
    [payloads.dataset_payload, payloads.resource_payload, payloads.organization_payload, payloads.topic_payload],
)
def test_a_key_the_api_does_not_have_or_a_missing_id_is_refused(build):
    with pytest.raises(TypeError, match="has no colour"):
        build(id="x", colour="rouge")
    with pytest.raises(TypeError, match=r"needs .*\bid\b"):
        build()
