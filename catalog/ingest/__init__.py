"""Stage 2, ingest: bring the sections' topics from the API (``catalog.api``) into the database.

``service.py`` runs a sync (``sync_catalog``, ``ensure_catalog``) through the stages beside it: ``fetch.py``
(phase 1: the API into a dump file), ``dump.py`` (that file: written, read back, checked), ``guards.py`` (what
refuses a run: a section that shrank, a listing as big as the national catalogue, too many records left out),
``apply.py`` (phase 2: the dump into the database in one transaction, summaries, search vocabulary),
``lock.py`` (one sync at a time); ``run.py`` holds what they share (plans, report, errors) and
``mapping.py`` turns payloads into field values (pure functions).
"""
