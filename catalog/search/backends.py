"""The full-text index, one implementation per database engine.

- SQLite: an FTS5 table fed by triggers on ``catalog_datasettext``; the triggers stem each word with
  ``culture_stem()``, a Python function registered on every connection (``catalog.apps``).
- PostgreSQL: a generated ``tsvector`` column over the same fields with a ``culture_fr`` text
  search configuration (unaccent, then the Snowball French stemmer), under a GIN index.

Both index the same folded text and stem with the same Snowball algorithm; a query is the same
list of terms on both (catalog.search.text). Anything else falls back to substring matching.
Only ``catalog.search`` uses this module; the schema is created by migration 0003.
"""

from __future__ import annotations

import numpy as np
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from catalog.search.text import Term, stemmed

TABLE = "catalog_datasettext"  # catalog.models.DatasetText, one row per dataset, key dataset_id
FTS_TABLE = "catalog_dataset_fts"
COLUMNS = ("search_title", "search_tags", "search_organization", "search_body")


class SQLiteIndex:
    vendor = "sqlite"

    FIELDS = dict(zip(COLUMNS, ("title", "tags", "organization", "body"), strict=True))

    @staticmethod
    def _term(term: Term) -> str:
        # Terms hold only [0-9a-z]: quoting makes FTS5 read them as words, never as operators.
        if term.prefix:
            return f'("{term.stem}" OR "{term.word}"*)'
        return f'"{term.stem}"'

    def ids(self, terms: tuple[Term, ...], *, any_term: bool = False, field: str = "") -> RawSQL:
        expression = (" OR " if any_term else " AND ").join(self._term(term) for term in terms)
        if field:
            expression = f"{self.FIELDS[field]} : ({expression})"
        return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])

    def found(self, terms: tuple[Term, ...], *, any_term: bool = False, field: str = "") -> np.ndarray:
        """``ids`` read at once: one text of ids rather than a row each (a broad word matches 18,000 datasets)."""
        return _packed(self.ids(terms, any_term=any_term, field=field), "group_concat(rowid)")

    def install(self) -> bool:
        """Create the index and its triggers when missing; True when something was created.

        Idempotent, and run after every ``migrate``: SQLite migrations that alter
        ``catalog_datasettext`` rebuild the table, which drops its triggers.
        """
        stem = ", ".join(f"culture_stem(new.{column})" for column in COLUMNS)
        old = ", ".join(f"culture_stem(old.{column})" for column in COLUMNS)
        names = ", ".join(self.FIELDS.values())
        statements = {
            FTS_TABLE: f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({names}, content='', "
            "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
            f"{FTS_TABLE}_insert": f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON {TABLE} BEGIN "
            f"INSERT INTO {FTS_TABLE}(rowid, {names}) VALUES (new.dataset_id, {stem}); END",
            f"{FTS_TABLE}_delete": f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON {TABLE} BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {names}) VALUES ('delete', old.dataset_id, {old}); END",
            f"{FTS_TABLE}_update": f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF {', '.join(COLUMNS)} "
            f"ON {TABLE} BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {names}) VALUES ('delete', old.dataset_id, {old}); "
            f"INSERT INTO {FTS_TABLE}(rowid, {names}) VALUES (new.dataset_id, {stem}); END",
        }
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE %s", [f"{FTS_TABLE}%"])
            existing = {row[0] for row in cursor.fetchall()}
            missing = [name for name in statements if name not in existing]
            for name in missing:
                cursor.execute(statements[name])
        if missing:
            self.rebuild()
        return bool(missing)

    def uninstall(self) -> None:
        with connection.cursor() as cursor:
            for name in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    def rebuild(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, title, tags, organization, body) SELECT dataset_id, "
                + ", ".join(f"culture_stem({column})" for column in COLUMNS)
                + f" FROM {TABLE}"
            )
            return cursor.rowcount

    def size(self) -> int:
        with connection.cursor() as cursor:
            # A contentless table keeps its row count in the "docsize" shadow table.
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize")
            return cursor.fetchone()[0]


class PostgresIndex:
    vendor = "postgresql"
    CONFIG = "culture_fr"

    WEIGHTS = dict(zip(COLUMNS, "ABCD", strict=True))

    def _term(self, term: Term, weight: str) -> tuple[str, list[str]]:
        # "word:B" only matches the word in fields of weight B; "word:*" is a prefix.
        exact = "to_tsquery('culture_fr', %s)"
        word = f"{term.word}:{weight}" if weight else term.word
        if term.prefix:
            # 'simple' keeps the typed word as is: "biblioth" then matches the stem "bibliothequ".
            return f"({exact} || to_tsquery('simple', %s))", [word, f"{term.word}:*{weight}"]
        return exact, [word]

    def ids(self, terms: tuple[Term, ...], *, any_term: bool = False, field: str = "") -> RawSQL:
        parts, params = [], []
        for term in terms:
            sql, term_params = self._term(term, self.WEIGHTS[field] if field else "")
            parts.append(sql)
            params += term_params
        tsquery = (" || " if any_term else " && ").join(parts)
        return RawSQL(f"SELECT dataset_id FROM {TABLE} WHERE search_document @@ ({tsquery})", params)

    def found(self, terms: tuple[Term, ...], *, any_term: bool = False, field: str = "") -> np.ndarray:
        return _packed(self.ids(terms, any_term=any_term, field=field), "string_agg(dataset_id::text, ',')")

    def install(self) -> bool:
        """Create the text search configuration, the column and its index when missing."""
        vector = " || ".join(
            f"setweight(to_tsvector('culture_fr', coalesce({column}, '')), '{weight}')"
            for column, weight in self.WEIGHTS.items()
        )
        created = False
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute("SELECT 1 FROM pg_ts_dict WHERE dictname = 'culture_fr_stem'")
            if cursor.fetchone() is None:
                # The Snowball French stemmer without its stop word list: catalog.search.text
                # drops stop words itself, so both engines index exactly the same words.
                cursor.execute("CREATE TEXT SEARCH DICTIONARY culture_fr_stem (TEMPLATE = snowball, Language = french)")
                created = True
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'culture_fr'")
            if cursor.fetchone() is None:
                cursor.execute("CREATE TEXT SEARCH CONFIGURATION culture_fr (COPY = french)")
                cursor.execute(
                    "ALTER TEXT SEARCH CONFIGURATION culture_fr ALTER MAPPING FOR asciiword, asciihword, "
                    "hword_asciipart, word, hword, hword_part WITH unaccent, culture_fr_stem"
                )
                created = True
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = 'search_document'",
                [TABLE],
            )
            if cursor.fetchone() is None:
                cursor.execute(
                    f"ALTER TABLE {TABLE} ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({vector}) STORED"
                )
                created = True
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS catalog_dataset_search_document ON {TABLE} USING gin (search_document)"
            )
        return created

    def uninstall(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS catalog_dataset_search_document")
            cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_document")
            cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS culture_fr")
            cursor.execute("DROP TEXT SEARCH DICTIONARY IF EXISTS culture_fr_stem")

    def rebuild(self) -> int:
        return 0  # a generated column is always up to date

    def size(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE search_document IS NOT NULL")
            return cursor.fetchone()[0]


class SubstringIndex:
    """Any other database: no index, every term a substring test on the stored fields."""

    vendor = ""

    def ids(self, terms: tuple[Term, ...], *, any_term: bool = False, field: str = "") -> QuerySet:
        from catalog.models import DatasetText

        condition = Q()
        for term in terms:
            found = Q()
            for column in (field,) if field else COLUMNS:
                found |= Q(**{f"{column}__contains": f" {term.stem}"})
            condition = (condition | found) if any_term else (condition & found)
        return DatasetText.objects.filter(condition).values("dataset_id")

    def found(self, terms: tuple[Term, ...], *, any_term: bool = False, field: str = "") -> np.ndarray:
        ids = self.ids(terms, any_term=any_term, field=field).values_list("dataset_id", flat=True)
        return np.fromiter(ids, dtype=np.int64)

    def install(self) -> bool:
        return False

    def uninstall(self) -> None:
        pass

    def rebuild(self) -> int:
        return 0

    def size(self) -> int:
        return 0


def _packed(ids: RawSQL, aggregate: str) -> np.ndarray:
    """The ids an index query finds, joined by commas in the database with ``aggregate``, as an array."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {aggregate} FROM ({ids.sql}) AS found", ids.params)
        text = cursor.fetchone()[0]
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.empty(0, dtype=np.int64)


def for_vendor(vendor: str):
    return {"sqlite": SQLiteIndex, "postgresql": PostgresIndex}.get(vendor, SubstringIndex)()


def current():
    return for_vendor(connection.vendor)


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """``post_migrate`` handler: make sure the index exists (see ``SQLiteIndex.install``)."""
    from django.db import connections

    if connections[using].vendor == connection.vendor and TABLE in connection.introspection.table_names():
        current().install()


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` handler: the triggers of the SQLite index call ``culture_stem``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("culture_stem", 1, _stem_column, deterministic=True)


def _stem_column(value: str | None) -> str:
    return stemmed(value) if value else ""
