"""The page cache shared through a real Redis server, and the site without it when Redis fails.

Each test starts its own ``redis-server`` (apt-get install -y redis-server) on a free port, without
persistence. Without the program the tests are skipped, the run ends with a warning saying so
(tests/conftest.py), and under CI (the CI variable set), which installs it (.ci/run), they fail.
"""

import os
import shutil
import socket
import subprocess
import time

import pytest
from django.utils import timezone

from catalog import caching
from catalog.models import Dataset, SyncRun
from culture_portal.settings import cache_settings
from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization
from tests.net import free_port

pytestmark = pytest.mark.django_db

REDIS_SERVER = shutil.which("redis-server")
MISSING = "redis-server not found: the Redis page cache tests did NOT run (install it: apt-get install -y redis-server)"
MC = organization("5a83f81fc751df6f8573eb8a", "Ministère de la Culture", slug="ministere-de-la-culture")


class RedisServer:
    def __init__(self, directory) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(directory),
             "--save", "", "--appendonly", "no", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        self.client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)
        for _ in range(100):
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def keys(self) -> list[bytes]:
        return self.client.keys("*")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture(autouse=True)
def _cache_errors_forgotten():
    caching._cache_down_until = 0.0
    yield
    caching._cache_down_until = 0.0


@pytest.fixture
def redis_server(tmp_path):
    if REDIS_SERVER is None:
        if os.environ.get("CI"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    server = RedisServer(tmp_path)
    yield server
    server.stop()


def use_cache(settings, url: str) -> None:
    """What an instance started with CACHE_URL=url has: the settings' own CACHES, a new connection pool."""
    settings.CACHES = cache_settings(url, 10)


def load(tmp_path, title):
    payloads.load(tmp_path, [dataset("a" * 24, title, slug="musees", tags=("musee",), org=MC)], [MC])


def test_two_instances_share_a_rendered_page_until_the_catalogue_changes(client, tmp_path, settings, redis_server):
    from django.core.cache import caches

    load(tmp_path, "Musées de France")
    use_cache(settings, redis_server.url)
    first_instance = caches["default"]
    assert type(first_instance).__name__ == "RedisCache"
    rendered = client.get("/datasets/?q=musees&junk=1")
    assert "Musées de France" in rendered.content.decode()
    assert len(redis_server.keys()) == 1

    # Behind the cache's back (no sync run): only a page served from the cache still shows the old title.
    Dataset.objects.update(title="Titre changé sans synchronisation")
    use_cache(settings, redis_server.url)  # the second instance: its own cache object and connections
    assert caches["default"] is not first_instance
    served = client.get("/datasets/?q=musees")
    assert served.content == rendered.content
    assert served["ETag"] == rendered["ETag"]
    assert len(redis_server.keys()) == 1

    # A finished sync run is a new catalogue version: a new key, a new page, for both instances.
    now = timezone.now()
    SyncRun.objects.create(started_at=now, finished_at=now, status=SyncRun.Status.SUCCESS, source="x")
    fresh = client.get("/datasets/?q=musees")
    assert "Titre changé sans synchronisation" in fresh.content.decode()
    assert fresh["ETag"] != rendered["ETag"]
    assert len(redis_server.keys()) == 2
    use_cache(settings, redis_server.url)
    assert client.get("/datasets/?q=musees").content == fresh.content


def test_the_site_answers_without_its_cache_when_redis_stops(client, tmp_path, settings, redis_server, caplog):
    load(tmp_path, "Musées de France")
    use_cache(settings, redis_server.url)
    assert client.get("/datasets/").status_code == 200
    assert len(redis_server.keys()) == 1
    redis_server.stop()

    started = time.monotonic()
    for url in ["/datasets/", "/datasets/?q=musees", "/", "/datasets/musees/", "/organisations/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Musées de France" in client.get("/datasets/?q=musees").content.decode()
    assert time.monotonic() - started < 5
    warnings = [record for record in caplog.records if record.name == "catalog.caching"]
    assert len(warnings) == 1  # one warning, then the cache is left alone for a while
    assert warnings[0].levelname == "WARNING" and "page cache unavailable" in warnings[0].getMessage()


def test_a_redis_that_never_answers_costs_one_short_timeout(client, tmp_path, settings):
    """A server that accepts connections and says nothing (overloaded, or not Redis at all)."""
    load(tmp_path, "Musées de France")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        use_cache(settings, f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        started = time.monotonic()
        for _ in range(5):
            assert client.get("/datasets/").status_code == 200
        assert time.monotonic() - started < 3  # one timeout (0.5 s), then pages skip the cache
