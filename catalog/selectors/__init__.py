"""Stage 3, the read side: the queries the pages, the exports and the sync's summaries ask of the models.

``listing.py``: the dataset list, search, facet counts, dataset pages, organizations, home and summaries.
"""
