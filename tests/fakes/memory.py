"""The catalogue the fake data.gouv.fr serves in tests: payloads held in memory, changed at will.

A dataset belongs to any number of topics: each topic keeps the ordered ids of its elements (ids
without a dataset are dangling elements: listed by ``elements/``, 404 by id), and
:meth:`MemoryCatalogue.topics_of` gives a dataset's topic ids. Datasets not in any topic are
still in the national catalogue (``?topic=`` absent or ignored). The first topic is the *primary*
one, the one the single-topic helpers (``topic_id``, ``add_to_topic``…) mean by default.

Payloads are stored as given; an optional ``_old_slugs`` key (former slugs, answered by a 308)
and an optional ``_topics`` key (topic ids, when a dataset is given to the constructor or to
``add_dataset``) are never served.
"""

from __future__ import annotations

import copy
import hashlib
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.fakes import payloads

DEFAULT_TOPIC_ID = "69aea5dff97ef1fc29836765"
DEFAULT_TOPIC_SLUG = "univers-culture"
# The culture universe's second section (Observer, the ministry's statistics): its sync reads this topic too.
OBSERVER_TOPIC_ID = "69f2fca0f4f30af95d4bab8a"
OLD_SLUGS_KEY = "_old_slugs"
TOPICS_KEY = "_topics"
_PRIVATE_KEYS = (OLD_SLUGS_KEY, TOPICS_KEY)


@dataclass(frozen=True)
class ListingFilters:
    """The dataset-list filters of ``/api/1/datasets/`` besides ``topic`` (already validated)."""

    organization: str | None = None
    owner: str | None = None
    tags: tuple[str, ...] = ()
    license: str | None = None
    words: tuple[str, ...] = ()  # the words of ``q``, folded


def words(text: str) -> list[str]:
    """Lower-cased, accent-free words (the stand-in's idea of udata's search)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.findall(r"\w+", text.casefold())


def matches_words(text: str, wanted: Iterable[str]) -> bool:
    """Every wanted word starts a word of ``text``."""
    have = words(text)
    return all(any(w.startswith(x) for w in have) for x in wanted)


def public(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k not in _PRIVATE_KEYS}


def listed(dataset: dict) -> bool:
    """What anonymous lists show: no archived, deleted or private dataset."""
    return not (dataset.get("archived") or dataset.get("deleted") or dataset.get("private"))


def parse_dt(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        # Compared with others in UTC: a date past year 9999 once there is no date for sorting.
        return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def iso(when: datetime | str | None) -> str:
    if when is None:
        when = datetime.now(UTC)
    if isinstance(when, datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.isoformat()
    return when


def element_id(topic_id: str, dataset_id: str) -> str:
    return hashlib.md5(f"{topic_id}:{dataset_id}".encode()).hexdigest()[:24]


def element(topic_id: str, dataset_id: str) -> dict:
    """A topic element pointing at a dataset (``/api/2/topics/{id}/elements/``)."""
    return payloads.topic_element_payload(element_id(topic_id, dataset_id), dataset_id)


def default_topic(topic_id: str, *, name: str = "Univers culture", slug: str | None = None) -> dict:
    """A topic payload (the server fills its ``elements`` link)."""
    slug = slug or (DEFAULT_TOPIC_SLUG if topic_id == DEFAULT_TOPIC_ID else f"topic-{topic_id}")
    return payloads.topic_payload(
        id=topic_id,
        created_at="2026-03-09T14:47:59.613000+00:00",
        last_modified="2026-03-09T14:47:59.613000+00:00",
        name=name,
        slug=slug,
        tags=["culture", "univers"],
        private=True,
        uri=f"https://www.data.gouv.fr/api/2/topics/{slug}/",
    )


def observer_topic(*, private: bool = False) -> dict:
    """The Observer topic's payload (``topics=[observer_topic()]``: served, empty until datasets join it)."""
    return {**default_topic(OBSERVER_TOPIC_ID, name="Observer", slug="observer"), "private": private}


def _sort_key(dataset: dict, sort_field: str):
    if sort_field == "title":
        value = dataset.get("title")
    elif sort_field == "created":
        internal = dataset.get("internal") or {}
        value = parse_dt(internal.get("created_at_internal")) or parse_dt(dataset.get("created_at"))
    elif sort_field == "last_update":
        value = parse_dt(dataset.get("last_update"))
    else:
        value = (dataset.get("metrics") or {}).get(sort_field)
    return (value is not None, value if value is not None else 0)


@dataclass
class _Topic:
    payload: dict
    private: bool = False
    ids: list[str] = field(default_factory=list)


class MemoryCatalogue:
    """Datasets, organizations, licences and topics held as payloads; every change is immediate."""

    def __init__(
        self,
        *,
        datasets: list[dict] | None = None,
        organizations: list[dict] | None = None,
        licenses: list[dict] | None = None,
        topic: dict | None = None,
        topic_id: str | None = None,
        topic_dataset_ids: list[str] | None = None,
        other_datasets: list[dict] | None = None,
        private_topic: bool = False,
        topics: list[dict] | None = None,
    ):
        """``datasets`` are the primary topic's (unless ``topic_dataset_ids`` says otherwise, or a
        dataset's ``_topics`` names its topics); ``other_datasets`` are only in the national
        catalogue; ``topics`` are more topic payloads (empty at first, see :meth:`add_topic`)."""
        if topic is not None and topic_id is not None and topic.get("id") != topic_id:
            raise ValueError(f"topic_id {topic_id!r} differs from topic['id'] {topic.get('id')!r}")
        primary = topic_id or (topic or {}).get("id") or DEFAULT_TOPIC_ID
        self.read_lock = threading.RLock()  # the server reads under it; every mutator takes it
        self._topics: dict[str, _Topic] = {}
        self._datasets: dict[str, dict] = {}
        self._organizations: dict[str, dict] = {}
        self._licenses: list[dict] = copy.deepcopy(licenses or [])
        self._orders: dict[tuple[str | None, str], list[dict]] = {}  # sorted listings, until the next change
        self.add_topic(topic if topic is not None else default_topic(primary), private=private_topic)
        for extra in topics or []:
            self.add_topic(extra)
        for org in organizations or []:
            self._organizations[org["id"]] = copy.deepcopy(org)
        for d in other_datasets or []:
            self._datasets[d["id"]] = copy.deepcopy(d)
        self._set_topic_datasets(datasets or [], topic_dataset_ids)

    # ---------------------------------------------------------------- topics

    @property
    def topic_id(self) -> str:
        """The primary topic's id."""
        return next(iter(self._topics))

    @property
    def topic_ids(self) -> list[str]:
        return list(self._topics)

    @property
    def private_topic(self) -> bool:
        return self._topics[self.topic_id].private

    @private_topic.setter
    def private_topic(self, value: bool) -> None:
        self._topics[self.topic_id].private = value

    def add_topic(self, topic: dict | str, *, dataset_ids: Iterable[str] = (), private: bool = False) -> str:
        """Serve one more topic (a payload, or an id for a default payload); returns its id."""
        payload = default_topic(topic) if isinstance(topic, str) else copy.deepcopy(topic)
        with self.read_lock:
            if payload["id"] in self._topics:
                raise ValueError(f"topic {payload['id']} is already served")
            self._topics[payload["id"]] = _Topic(payload, private, list(dict.fromkeys(dataset_ids)))
            self._changed()
        return payload["id"]

    def set_topic(self, topic: dict) -> None:
        """Replace a topic's payload (found by its id)."""
        if topic.get("id") not in self._topics:
            raise ValueError("the topic id cannot change")
        with self.read_lock:
            self._topics[topic["id"]].payload = copy.deepcopy(topic)

    def set_topic_private(self, topic_id: str, private: bool = True) -> None:
        with self.read_lock:
            self._topics[topic_id].private = private

    def topic_dataset_ids_of(self, topic_id: str) -> list[str]:
        with self.read_lock:
            return list(self._topics[topic_id].ids)

    @property
    def topic_dataset_ids(self) -> list[str]:
        return self.topic_dataset_ids_of(self.topic_id)

    def topics_of(self, dataset_id: str) -> list[str]:
        """The ids of the topics a dataset is an element of."""
        with self.read_lock:
            return [tid for tid, topic in self._topics.items() if dataset_id in topic.ids]

    def add_to_topic(self, dataset_id: str, topic_id: str | None = None) -> None:
        with self.read_lock:
            ids = self._topics[topic_id or self.topic_id].ids
            if dataset_id not in ids:
                ids.append(dataset_id)
            self._changed()

    def remove_from_topic(self, dataset_id: str, topic_id: str | None = None) -> None:
        """Take a dataset out of a topic; it stays in the national catalogue."""
        with self.read_lock:
            topic = self._topics[topic_id or self.topic_id]
            topic.ids = [i for i in topic.ids if i != dataset_id]
            self._changed()

    # ---------------------------------------------------------------- datasets

    def _store(self, dataset: dict) -> None:
        stored = copy.deepcopy(dataset)
        self._datasets[stored["id"]] = stored

    def _set_topic_datasets(self, datasets: list[dict], topic_dataset_ids: list[str] | None) -> None:
        for d in datasets:
            self._store(d)
        if topic_dataset_ids is not None:
            self._topics[self.topic_id].ids = list(dict.fromkeys(topic_dataset_ids))
        else:
            for d in datasets:
                for tid in d.get(TOPICS_KEY) or [self.topic_id]:
                    if d["id"] not in self._topics[tid].ids:
                        self._topics[tid].ids.append(d["id"])
        self._changed()

    def set_datasets(self, datasets: list[dict], *, topic_dataset_ids: list[str] | None = None) -> None:
        """Replace the datasets of every topic (datasets outside all topics are kept)."""
        with self.read_lock:
            members = {i for topic in self._topics.values() for i in topic.ids}
            self._datasets = {i: d for i, d in self._datasets.items() if i not in members}
            for topic in self._topics.values():
                topic.ids = []
            self._set_topic_datasets(datasets, topic_dataset_ids)

    def add_dataset(self, dataset: dict, in_topic: bool = True) -> None:
        """Add (or replace) a dataset, in its ``_topics`` (default: the primary topic) or only in
        the national catalogue (``in_topic=False``: it leaves every topic)."""
        with self.read_lock:
            did = dataset["id"]
            self._store(dataset)
            wanted = (dataset.get(TOPICS_KEY) or [self.topic_id]) if in_topic else []
            for tid, topic in self._topics.items():
                if tid in wanted and did not in topic.ids:
                    topic.ids.append(did)
                elif tid not in wanted and did in topic.ids and not in_topic:
                    topic.ids.remove(did)
            self._changed()

    def remove_dataset(self, dataset_id: str) -> None:
        """Make a dataset disappear completely (404 by id, gone from the topic elements)."""
        with self.read_lock:
            known = dataset_id in self._datasets or any(dataset_id in t.ids for t in self._topics.values())
            if not known:
                raise KeyError(dataset_id)
            self._datasets.pop(dataset_id, None)
            for topic in self._topics.values():
                topic.ids = [i for i in topic.ids if i != dataset_id]
            self._changed()

    def update_dataset(self, dataset_id: str, **fields: Any) -> dict:
        """Shallow-update a dataset payload (e.g. ``title=…, last_modified=…``).

        A new ``slug`` keeps the former one as an old slug (308), as udata does.
        Returns a copy of the updated payload.
        """
        with self.read_lock:
            dataset = self._datasets[dataset_id]
            new_slug = fields.get("slug")
            if new_slug is not None and dataset.get("slug") and new_slug != dataset["slug"]:
                old = [s for s in dataset.get(OLD_SLUGS_KEY, []) if s != new_slug]
                dataset[OLD_SLUGS_KEY] = [*old, dataset["slug"]]
            dataset.update(copy.deepcopy(fields))
            self._changed()
            return copy.deepcopy(public(dataset))

    def archive_dataset(self, dataset_id: str, when: datetime | str | None = None) -> None:
        """Set ``archived`` (datetime or ISO string; default now): hidden from lists, 200 by id."""
        self.update_dataset(dataset_id, archived=iso(when))

    def delete_dataset(self, dataset_id: str, when: datetime | str | None = None) -> None:
        """Set ``deleted``: hidden from lists, 410 by id, still a topic element."""
        self.update_dataset(dataset_id, deleted=iso(when))

    def dataset(self, dataset_id: str) -> dict:
        """A copy of a stored dataset payload (as served by id)."""
        with self.read_lock:
            return copy.deepcopy(public(self._datasets[dataset_id]))

    # ---------------------------------------------------------------- organizations, licences

    def add_organization(self, organization: dict) -> None:
        with self.read_lock:
            self._organizations[organization["id"]] = copy.deepcopy(organization)

    def remove_organization(self, organization_id: str) -> None:
        with self.read_lock:
            del self._organizations[organization_id]

    def set_licenses(self, licenses: list[dict]) -> None:
        with self.read_lock:
            self._licenses = copy.deepcopy(licenses)

    # ---------------------------------------------------------------- what the server reads

    def _changed(self) -> None:
        self._orders.clear()

    def topic(self, ident: str) -> dict | None:
        """A readable topic by id (any case) or slug; None when unknown or private."""
        for tid, topic in self._topics.items():
            if ident.lower() == tid.lower() or ident == topic.payload.get("slug"):
                return None if topic.private else public(topic.payload)
        return None

    def topic_key(self, value: str) -> str | None:
        """The served topic a ``?topic=`` id names (private ones too), None when it names none."""
        return next((tid for tid in self._topics if tid.lower() == value.lower()), None)

    def elements(self, topic_id: str) -> Sequence[dict]:
        return [element(topic_id, did) for did in self._topics[topic_id].ids]

    def listing(self, *, topic: str | None, sort: str, filters: ListingFilters, fields=None) -> Sequence[dict]:
        """Listed datasets (of a topic, or all), filtered, sorted by ``sort`` (``-`` descending)."""
        ordered = self._orders.get((topic, sort))
        if ordered is None:
            datasets = [d for d in self._datasets.values() if listed(d)]
            if topic is not None:
                members = set(self._topics[topic].ids)
                datasets = [d for d in datasets if d["id"] in members]
            sort_field = sort.lstrip("-")
            ordered = sorted(datasets, key=lambda d: _sort_key(d, sort_field), reverse=sort.startswith("-"))
            self._orders[(topic, sort)] = ordered
        found: Iterable[dict] = ordered
        if filters.organization:
            found = [d for d in found if (d.get("organization") or {}).get("id") == filters.organization]
        if filters.owner:
            found = [d for d in found if (d.get("owner") or {}).get("id") == filters.owner]
        if filters.tags:
            found = [d for d in found if set(filters.tags) <= set(d.get("tags") or ())]
        if filters.license:
            found = [d for d in found if d.get("license") == filters.license]
        if filters.words:
            found = [d for d in found if matches_words(d.get("title", ""), filters.words)]
        return [public(d) for d in found]

    @staticmethod
    def _find(ident: str, objects: dict[str, dict]) -> tuple[dict | None, str | None]:
        """(object, None) by id or slug; (None, new_slug) for an old slug; (None, None) otherwise."""
        if ident in objects:
            return objects[ident], None
        for obj in objects.values():
            if obj.get("slug") == ident:
                return obj, None
        for obj in objects.values():
            if ident in (obj.get(OLD_SLUGS_KEY) or ()):
                return None, obj.get("slug")
        return None, None

    def find_dataset(self, ident: str) -> tuple[dict | None, str | None]:
        found, new_slug = self._find(ident, self._datasets)
        return (public(found) if found is not None else None), new_slug

    def find_organization(self, ident: str) -> tuple[dict | None, str | None]:
        found, new_slug = self._find(ident, self._organizations)
        return (public(found) if found is not None else None), new_slug

    def find_resource(self, resource_id: str) -> tuple[dict, str] | None:
        for dataset in self._datasets.values():
            if dataset.get("private") or dataset.get("deleted"):
                continue
            for resource in dataset.get("resources") or []:
                if resource.get("id") == resource_id:
                    return resource, dataset["id"]
        return None

    def licenses(self) -> list[dict]:
        return self._licenses
