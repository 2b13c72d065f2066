"""One fake data.gouv.fr for the tests, the benchmark and the sample builder.

- ``datagouv``: the HTTP stand-in of the read API (faults, request log, several topics);
- ``memory``: the catalogue it serves in tests, held as payloads and changed at will;
- ``synthetic``: the lazy catalogue of up to tens of thousands of datasets the benchmark serves;
- ``payloads``: builders of API-shaped payloads (datasets, resources, organizations, licences, topics).

``bench/`` imports this package: it lives under ``tests/`` because the repository's top level is fixed.
"""
