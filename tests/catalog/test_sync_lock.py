"""One sync at a time, across processes; a crashed sync does not block the next one."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from catalog.sync import SyncError, sync_lock

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import django, sys, time
django.setup()
from django.conf import settings
from catalog.sync import sync_lock
settings.SYNC_LOCK_PATH = sys.argv[1]
with sync_lock():
    print("locked", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def holder(settings, tmp_path):
    """Another process in the middle of a sync (it holds the lock), which can be killed."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "culture_portal.settings_test", "PYTHONPATH": str(ROOT)}
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
