import copy
import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def load_payload(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def sample_datasets():
    """The three v1 datasets of the API reference sample (a complete, an archived, a user's)."""
    return copy.deepcopy(load_payload("datasets-page-1.json")["data"])


@pytest.fixture
def sample_organization():
    return copy.deepcopy(load_payload("organization.json"))


@pytest.fixture
def sample_licenses():
    return copy.deepcopy(load_payload("licenses.json"))


@pytest.fixture(autouse=True)
def _sync_lock_in_tmp(settings, tmp_path):
    settings.SYNC_LOCK_PATH = tmp_path / "sync.lock"


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings, tmp_path):
    settings.EXPORT_CACHE_DIR = tmp_path / "exports"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
