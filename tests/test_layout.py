"""The code's layout follows the data's way (docs/adr/0011-catalog-by-stage.md): the API client is the only
network code, it knows nothing of the rest, and the read side (selectors, exports, views, pages) never reaches
the API or the sync. Imports are read from the source, those inside functions included."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("catalog", "culture_portal", "pages")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, ``from catalog.x import y`` giving both ``catalog.x`` and ``catalog.x.y``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = {
    _module(path): _imports(path)
    for source in SOURCES
    for path in sorted((ROOT / source).rglob("*.py"))
    if "migrations" not in path.parts
}


def _importers(prefix: str) -> set[str]:
    return {
        module
        for module, imports in MODULES.items()
        if any(name == prefix or name.startswith(prefix + ".") for name in imports)
    }


def test_the_layout_is_read_from_the_source():
    assert "catalog.api.client" in MODULES and "catalog.ingest.service" in MODULES
    assert "catalog.selectors.listing" in MODULES and "catalog.exports.store" in MODULES
    assert "httpx" in MODULES["catalog.api.client"]


def test_only_the_api_client_speaks_http():
    assert _importers("httpx") == {"catalog.api.client"}


def test_the_api_client_knows_nothing_of_the_rest_of_the_catalogue():
    assert not {name for name in MODULES["catalog.api.client"] if name.startswith("catalog")}


@pytest.mark.parametrize("stage", ["catalog.api", "catalog.ingest"])
def test_the_read_side_never_reaches_the_api_or_the_sync(stage):
    """Only the sync and its commands reach the API; pages, selectors and exports read the database."""
    allowed = {module for module in MODULES if module.startswith(("catalog.ingest", "catalog.management.commands"))}
    assert _importers(stage) - allowed == set()
