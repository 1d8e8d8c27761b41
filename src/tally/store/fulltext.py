"""Full-text search in the store: documents (title, text) and figures (quote, source,
outlet, counted, group), on either backend.

The index is part of the ledger (migration 0004), so every server, worker and command
over one store shares it, and it is kept in step by the database itself, whoever writes:

- SQLite: FTS5 tables `search_documents` and `search_figures` filled by triggers on
  `documents` and `figures`, queried with MATCH, ranked by bm25, cut by snippet().
  A document's FTS row is keyed through `search_keys` (a stable integer per document
  key): the rowid of `documents` itself is not stable (VACUUM may renumber a table
  whose key is not an integer), a figure's id is.
- PostgreSQL: GIN indexes on the `to_tsvector` expressions below, queried with
  `@@ to_tsquery`, ranked by ts_rank, cut by ts_headline. The 'simple' configuration:
  a ledger holds several languages, so words are not stemmed (nor, unlike SQLite,
  stripped of their accents).

A query is reduced to its words, every one required and the last also as a prefix
(search as you type); nothing a reader types is ever FTS5 or tsquery syntax, and all
SQL is parameterised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

# Words of a query kept; the rest are ignored.
MAX_TERMS = 12
# Words of context either side of a hit in a document snippet.
SNIPPET_WORDS = 18
# Marks around each hit in a snippet; the web layer turns them into pieces to escape.
HIT_OPEN, HIT_CLOSE = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)

# The PostgreSQL index expressions: migration 0004 creates GIN indexes on exactly these,
# and a query uses an index only when it spells the same expression.
PG_CONFIG = "simple"
PG_DOCUMENT = "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || text)"
PG_FIGURE = (
    "to_tsvector('simple'::regconfig, quote || ' ' || coalesce(source, '') || ' ' || "
    "coalesce(outlet, '') || ' ' || coalesce(counted, '') || ' ' || coalesce(\"group\", ''))"
)


@dataclass(slots=True)
class Hits:
    """One page of hits, best first: (document key, snippet) or (figure id, marked quote),
    and how many there are in all."""

    rows: list[tuple[Any, str]] = field(default_factory=list)
    total: int = 0


def terms(query: str) -> list[str]:
    """The words of a query, as the index tokenises them."""
    return _WORD.findall(query or "")[:MAX_TERMS]


def match_expression(words: list[str]) -> str:
    """An FTS5 query: every word required (quoted), the last one also as a prefix."""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(words: list[str]) -> str:
    """The same query for PostgreSQL's to_tsquery: quoted words joined by &, the last a prefix."""
    quoted = [f"'{w}'" for w in words]  # \\w+ holds no quote, backslash or operator
    quoted[-1] += ":*"
    return " & ".join(quoted)


def documents(conn: Connection, query: str, *, limit: int, offset: int) -> Hits:
    """Documents matching every word of `query`, best first, each with a snippet of its text."""
    words = terms(query)
    if not words:
        return Hits()
    if conn.dialect.name == "postgresql":
        params = {"q": tsquery(words), "limit": limit, "offset": offset}
        total = conn.execute(text(_PG_COUNT.format(expr=PG_DOCUMENT, table="documents")), params).scalar_one()
        rows = conn.execute(text(_PG_DOCUMENTS), {**params, "options": _headline_options()}).all()
    else:
        params = {"q": match_expression(words), "limit": limit, "offset": offset}
        total = conn.execute(text(_LITE_COUNT.format(table="search_documents")), params).scalar_one()
        rows = conn.execute(
            text(_LITE_DOCUMENTS), {**params, "open": HIT_OPEN, "close": HIT_CLOSE, "words": SNIPPET_WORDS}
        ).all()
    return Hits([(key, snippet or "") for key, snippet in rows], int(total))


def figures(conn: Connection, query: str, *, limit: int, offset: int) -> Hits:
    """Figures whose quote, source, outlet, counted noun or group hold every word, best
    first, each with its quote's hits marked."""
    words = terms(query)
    if not words:
        return Hits()
    if conn.dialect.name == "postgresql":
        params = {"q": tsquery(words), "limit": limit, "offset": offset}
        total = conn.execute(text(_PG_COUNT.format(expr=PG_FIGURE, table="figures")), params).scalar_one()
        options = _headline_options(whole=True)
        rows = conn.execute(text(_PG_FIGURES), {**params, "options": options}).all()
    else:
        params = {"q": match_expression(words), "limit": limit, "offset": offset}
        total = conn.execute(text(_LITE_COUNT.format(table="search_figures")), params).scalar_one()
        rows = conn.execute(text(_LITE_FIGURES), {**params, "open": HIT_OPEN, "close": HIT_CLOSE}).all()
    return Hits([(int(fid), marked or "") for fid, marked in rows], int(total))


def _headline_options(*, whole: bool = False) -> str:
    """ts_headline's options: the same marks as SQLite's snippet, about as many words."""
    marks = f'StartSel="{HIT_OPEN}", StopSel="{HIT_CLOSE}"'
    if whole:
        return marks + ", HighlightAll=true"
    return marks + f", MaxFragments=1, MaxWords={2 * SNIPPET_WORDS}, MinWords={SNIPPET_WORDS}"


_LITE_COUNT = "SELECT count(*) FROM {table} WHERE {table} MATCH :q"
_LITE_DOCUMENTS = (
    "SELECT k.document_id, snippet(search_documents, 1, :open, :close, '…', :words) "
    "FROM search_documents JOIN search_keys k ON k.id = search_documents.rowid "
    "WHERE search_documents MATCH :q ORDER BY bm25(search_documents), k.id LIMIT :limit OFFSET :offset"
)
_LITE_FIGURES = (
    "SELECT rowid, highlight(search_figures, 0, :open, :close) FROM search_figures "
    "WHERE search_figures MATCH :q ORDER BY bm25(search_figures), rowid LIMIT :limit OFFSET :offset"
)
_PG_COUNT = "SELECT count(*) FROM {table} WHERE {expr} @@ to_tsquery('simple', :q)"
_PG_DOCUMENTS = (
    "SELECT d.id, ts_headline('simple', d.text, q, :options) "
    "FROM documents d, to_tsquery('simple', :q) q "
    f"WHERE {PG_DOCUMENT} @@ q ORDER BY ts_rank({PG_DOCUMENT}, q) DESC, d.id "
    "LIMIT :limit OFFSET :offset"
)
_PG_FIGURES = (
    "SELECT f.id, ts_headline('simple', f.quote, q, :options) "
    "FROM figures f, to_tsquery('simple', :q) q "
    f"WHERE {PG_FIGURE} @@ q ORDER BY ts_rank({PG_FIGURE}, q) DESC, f.id "
    "LIMIT :limit OFFSET :offset"
)
