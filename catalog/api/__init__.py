"""Stage 1, the network boundary: ``client.py`` reads the data.gouv.fr API and is the only module of the
project that speaks HTTP (httpx). Plain dicts come out; nothing here touches the database."""
