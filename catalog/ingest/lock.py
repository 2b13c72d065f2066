"""One sync at a time: a file lock on the host and, on PostgreSQL, an advisory lock in the database."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections

from catalog.ingest.run import SyncError

# The key of the PostgreSQL advisory lock a sync holds; any number no other program on the database uses.
PG_LOCK_KEY = 7_261_030_516


@contextlib.contextmanager
def sync_lock() -> Iterator[None]:
    """One sync at a time. flock covers one host and is released by the kernel if the process dies; on
    PostgreSQL an advisory lock also covers every host sharing the database."""
    path = Path(settings.SYNC_LOCK_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise SyncError(f"another sync is already running (lock held on {path})") from exc
        try:
            with _database_lock():
                yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _database_lock() -> Iterator[None]:
    """A session advisory lock on a connection of its own, so that nothing the sync does to its
    connection can drop it; the server releases it when that session ends, process death included."""
    if connection.vendor != "postgresql":
        yield
        return
    holder = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [PG_LOCK_KEY])
            (taken,) = cursor.fetchone()
        if not taken:
            raise SyncError("another sync is already running (it holds the lock in the PostgreSQL database)")
        try:
            yield
        finally:
            # Released now, not when the server notices the closed session a moment later: a sync that
            # follows at once would otherwise find the lock still held.
            with holder.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [PG_LOCK_KEY])
    finally:
        holder.close()
