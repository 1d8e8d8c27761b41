"""Full-text search over documents and figures, as the dashboard and the API ask it.

The index is the store's own (`tally.store.fulltext`: FTS5 on SQLite, tsvector on
PostgreSQL), kept in step by the database on every write, so each server and worker
process over one store reads the same index and none builds or refreshes one of its own.
What is left here is the web's side: hits as pieces to escape, and the cards of the
documents hit.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from tally.store import Store
from tally.store.fulltext import HIT_CLOSE, HIT_OPEN, Hits, match_expression, terms
from tally.store.schema import documents, outlets
from tally.web.queries import read

__all__ = ["Hits", "SearchIndex", "document_cards", "match_expression", "pieces", "terms"]

_MARK = re.compile(f"({HIT_OPEN}.*?{HIT_CLOSE})", re.DOTALL)


def pieces(marked: str) -> list[dict[str, Any]]:
    """A snippet with hit markers as [{"text", "hit"}], for escaping-safe highlighting."""
    out = []
    for part in _MARK.split(marked):
        if not part:
            continue
        hit = part.startswith(HIT_OPEN) and part.endswith(HIT_CLOSE)
        text = part[1:-1] if hit else part
        out.append({"text": text.replace(HIT_OPEN, "").replace(HIT_CLOSE, ""), "hit": hit})
    return out


class SearchIndex:
    """The store's full-text index, for one app: stateless, so any thread may use it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def documents(self, query: str, *, limit: int, offset: int) -> Hits:
        """Documents matching every word, best first, with a snippet of the text around hits."""
        return self.store.search_documents(query, limit=limit, offset=offset)

    def figures(self, query: str, *, limit: int, offset: int) -> Hits:
        """Figures whose quote, source, outlet, counted noun or group match every word."""
        return self.store.search_figures(query, limit=limit, offset=offset)


def document_cards(store: Store, keys: list[str]) -> dict[str, dict[str, Any]]:
    """Title, name, outlet and date of the documents with these keys (for result lists)."""
    if not keys:
        return {}
    q = (
        select(
            documents.c.id,
            documents.c.name,
            documents.c.title,
            documents.c.published,
            documents.c.url,
            outlets.c.name.label("outlet"),
        )
        .select_from(documents.outerjoin(outlets, documents.c.outlet_id == outlets.c.id))
        .where(documents.c.id.in_(keys))
    )
    rows = read(store, "documents", lambda c: c.execute(q).mappings().all())
    return {r["id"]: dict(r) for r in rows}
