"""Stage 4, exports: what machines read, built from the selectors.

``csv.py`` (a search's results), ``dcat.py`` (DCAT-AP in JSON-LD and Turtle), ``schema_org.py`` (a dataset
page's JSON-LD), ``feeds.py`` (Atom), ``sitemaps.py``; ``store.py`` builds each export (CSV, DCAT, feeds,
sitemaps) once per catalogue version into a file and serves it, ``builder.py`` is the process that builds the
queued ones, and ``gate.py`` (a WSGI wrapper) answers a request for an export still queued before Django does.
"""
