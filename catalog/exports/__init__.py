"""Stage 4, exports: what machines read, built from the selectors once per catalogue version.

``dcat.py`` (DCAT-AP in JSON-LD and Turtle), ``feeds.py`` (Atom), ``sitemaps.py``; ``store.py`` builds each
export once per catalogue version into a file and serves it, ``builder.py`` is the process that builds the
queued ones, and ``gate.py`` (a WSGI wrapper) answers a request for an export still queued before Django.
"""
