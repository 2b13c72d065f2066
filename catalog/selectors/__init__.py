"""Stage 3, the read side: the queries the pages, the exports and the sync's summaries ask of the models.

One module per page family: ``listing.py`` (the dataset list: filters, search, ranking, facet counts, search
help, CSV rows, and the counts each sync stores per section), ``dataset_page.py`` (a dataset and its files),
``organizations.py`` (the producers' pages), ``homepage.py`` (the home page's blocks) and ``freshness.py``
(the banner on every page and ``/healthz``).
"""
