"""Production settings come from the environment and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "culture_portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), HTTPS="1", ALLOWED_HOSTS="culture.data.gouv.fr",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    result = manage("check", DEBUG="0", SECRET_KEY="", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_cache_url_chooses_the_page_cache():
    from culture_portal.settings import cache_settings

    local = cache_settings("", 123)["default"]
    assert local["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert local["OPTIONS"] == {"MAX_ENTRIES": 123}
    for url in ["redis://127.0.0.1:6379/0", "redis://cache", "rediss://:secret@cache.internal:6380/2"]:
        shared = cache_settings(url, 123)["default"]
        assert shared["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert shared["LOCATION"] == url
        assert shared["OPTIONS"]["socket_timeout"] <= 1 and shared["OPTIONS"]["socket_connect_timeout"] <= 1


@pytest.mark.parametrize(
    "url",
    ["memcached://127.0.0.1:11211", "locmem", "127.0.0.1:6379", "redis://", "redis://cache:port/0",
     "redis://cache:99999/0", "redis://cache:6379/zero", "redis://cache:6379/0/1", "redis://cache/0?db=3",
     "unix:///run/redis.sock"],
)  # fmt: skip
def test_an_invalid_cache_url_is_refused(url):
    from django.core.exceptions import ImproperlyConfigured

    from culture_portal.settings import cache_settings

    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be empty"):
        cache_settings(url, 10)


def test_refuses_to_start_with_an_invalid_cache_url_and_never_shows_its_password(tmp_path):
    result = manage("check", DEBUG="1", CACHE_URL="memcached://user:s3cret@cache:11211",
                    DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")  # fmt: skip
    assert result.returncode != 0
    assert "ImproperlyConfigured: CACHE_URL must be empty" in result.stderr
    assert "memcached://cache:11211" in result.stderr and "s3cret" not in result.stderr
