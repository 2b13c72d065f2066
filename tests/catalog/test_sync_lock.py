"""One sync at a time, across processes; a crashed sync does not block the next one."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from catalog.ingest.lock import PG_LOCK_KEY, sync_lock
from catalog.ingest.run import SyncError

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import django, sys, time
django.setup()
from django.conf import settings
from catalog.ingest.lock import sync_lock
settings.SYNC_LOCK_PATH = sys.argv[1]
with sync_lock():
    print("locked", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def holder(settings, tmp_path):
    """Another process in the middle of a sync (it holds the lock), which can be killed."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "culture_portal.settings_test", "PYTHONPATH": str(ROOT)}
    if connection.vendor == "postgresql":  # the holder takes its advisory lock in the test database
        env["TEST_DATABASE_URL"] = env["TEST_DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    command = [sys.executable, "-c", HOLDER, str(settings.SYNC_LOCK_PATH)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "locked"
        yield process
    finally:
        process.kill()
        process.wait()
        process.stdout.close()


def test_a_second_sync_in_another_process_is_refused(holder, settings):
    with pytest.raises(SyncError, match="another sync is already running"), sync_lock():
        pass


def test_the_lock_of_a_killed_sync_is_released(holder, settings):
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    started = time.monotonic()
    with sync_lock():
        assert time.monotonic() - started < 1


def test_on_postgresql_a_sync_from_another_host_is_refused(settings):
    """Another host shares the database but not the lock file: the advisory lock stops it."""
    if connection.vendor != "postgresql":
        pytest.skip("an advisory lock exists on PostgreSQL only; SQLite is one host by nature")
    other_host = connections.create_connection("default")
    try:
        with other_host.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [PG_LOCK_KEY])
        with pytest.raises(SyncError, match="PostgreSQL"), sync_lock():
            pass
    finally:
        other_host.close()
    with sync_lock():  # its session ended: the lock went with it
        pass
