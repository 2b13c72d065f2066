"""Values read once per page: a page reads one state of the catalogue (``caching.read_snapshot``), so what it asks
of that state twice has the same answer. The home page asked for the latest catalogue version four times."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, object] | None] = ContextVar("catalog_snapshot_memo", default=None)


@contextlib.contextmanager
def reading() -> Iterator[None]:
    """While a page is rendered: ``once`` keeps what it reads until the page is done."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def once(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, called once per page for ``key``; at each call outside a page (a sync, a command, a shell)."""
    memo = _memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]  # type: ignore[return-value]
