import copy
import json
import shutil
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


def pytest_terminal_summary(terminalreporter):
    # A green run must not hide that the shared cache tests (tests/catalog/test_caching_redis.py) did not run.
    if shutil.which("redis-server") is None:
        terminalreporter.section("shared page cache tests", sep="!", red=True, bold=True)
        terminalreporter.line(
            "redis-server not found: the Redis page cache tests did NOT run (install it: apt-get install -y "
            "redis-server)",
            red=True,
            bold=True,
        )
    from tests import nginx

    if nginx.executable() is None:
        terminalreporter.section("reverse proxy tests", sep="!", red=True, bold=True)
        terminalreporter.line(
            "nginx not found: the reverse proxy tests did NOT run (install it: apt-get install -y nginx-light)",
            red=True,
            bold=True,
        )
