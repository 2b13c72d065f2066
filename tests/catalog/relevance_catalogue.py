"""A fixed catalogue of culture datasets for the search relevance tests (tests/catalog/test_relevance.py).

About 150 datasets from 26 organizations, written in ``relevance_catalogue.yaml`` and turned here
into data.gouv.fr API payloads. Titles, tags and descriptions are realistic but invented; they were
chosen so that ranking matters: most queries of the relevance tests also match distractors,
datasets that carry the query words only in their description, only in their organization's name,
in a similar word, or that are much more viewed.

Some tests rely on words being absent from the whole catalogue ("2023", "horaire", "affluence",
"title", "not", "and", "or", "near", "xylophone", "zzyzx"; checked by
``test_words_the_fallback_cases_rely_on_are_absent``). Keep them out when adding datasets to the YAML file,
and check that the relevance tests still pass. The acronym tests rely on « FRAC » in a title and « CNC » as a
publisher's acronym, one letter away from the absent acronyms « DRAC » and « CNV ».
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from tests.fakes.payloads import dataset, organization, resource


def _hex_id(kind: str, key: str) -> str:
    """A stable 24-hex id, like the data.gouv.fr ones, derived from a readable key."""
    return hashlib.sha1(f"{kind}:{key}".encode()).hexdigest()[:24]


def _organization(slug: str, name: str, *, acronym: str | None = None,
                  badges: tuple[str, ...] = ("public-service",)) -> dict[str, Any]:  # fmt: skip
    payload = organization(_hex_id("organization", slug), name, slug=slug, badges=badges)
    payload["acronym"] = acronym
    return payload


def _dataset(slug: str, title: str, org: dict[str, Any] | None, tags: tuple[str, ...], views: int,
             description: str, *, followers: int = 0, updated: str = "2025-06-01",
             formats: tuple[str, ...] = ("csv",)) -> dict[str, Any]:  # fmt: skip
    dataset_id = _hex_id("dataset", slug)
    files = [resource(f"{dataset_id}-{index}", title=f"{title} ({fmt.upper()})", fmt=fmt)
             for index, fmt in enumerate(formats, start=1)]  # fmt: skip
    metrics = {"views": views, "followers": followers, "reuses": 0, "discussions": 0, "resources_downloads": 0}
    return dataset(dataset_id, title, slug=slug, org=org, tags=tags, views=views, description=description,
                   last_update=f"{updated}T08:00:00+00:00", resources=files, metrics=metrics)  # fmt: skip


def _load() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    content = yaml.safe_load(Path(__file__).with_suffix(".yaml").read_text(encoding="utf-8"))
    organizations = {
        spec["slug"]: _organization(spec["slug"], spec["name"], acronym=spec.get("acronym"),
                                    badges=tuple(spec.get("badges", ("public-service",))))
        for spec in content["organizations"]
    }  # fmt: skip
    datasets = [
        _dataset(spec["slug"], spec["title"], organizations[spec["org"]] if spec["org"] else None,
                 tuple(spec["tags"]), spec["views"], spec["description"], followers=spec.get("followers", 0),
                 updated=spec.get("updated", "2025-06-01"), formats=tuple(spec.get("formats", ("csv",))))
        for spec in content["datasets"]
    ]  # fmt: skip
    return list(organizations.values()), datasets


ORGANIZATIONS, DATASETS = _load()
