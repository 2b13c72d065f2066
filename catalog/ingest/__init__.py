"""Stage 2, ingest: bring the sections' topics from the API (``catalog.api``) into the database.

``service.py`` runs a sync (``sync_catalog``, ``ensure_catalog``); ``mapping.py`` turns payloads into
field values (pure functions).
"""
