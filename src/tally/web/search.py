"""Full-text search over documents and figures, with SQLite FTS5, on either backend.

The index lives beside the server, in a private temporary SQLite database that FTS5
fills from the store: the ledger's schema (and its contract that the migrations
create exactly its tables) stays as it is, and one implementation serves a SQLite
and a PostgreSQL ledger alike. Before each search the index takes in what was stored
since the last one; a document re-extracted by a newer Tally is re-indexed, and a
figure that was replaced simply no longer resolves.

Queries are reduced to words and quoted, so nothing a reader types is FTS5 syntax;
all SQL is parameterised.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from tally.store import Store
from tally.store.schema import documents, figures, outlets
from tally.web.queries import read

# Rows written just before the last refresh may commit just after it (a writer holds
# its timestamp while it waits for the lock), so each refresh looks back this far.
LOOKBACK = timedelta(minutes=2)
# Documents read from the store per query while indexing.
BATCH = 200
# Words of a query kept; the rest are ignored.
MAX_TERMS = 12
# Words of context either side of a hit in a document snippet.
SNIPPET_WORDS = 18
HIT_OPEN, HIT_CLOSE = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)
_MARK = re.compile(f"({HIT_OPEN}.*?{HIT_CLOSE})", re.DOTALL)
_TOKENIZER = "unicode61 remove_diacritics 2"


def terms(query: str) -> list[str]:
    """The words of a query, as the index tokenises them."""
    return _WORD.findall(query or "")[:MAX_TERMS]


def match_expression(words: list[str]) -> str:
    """An FTS5 query: every word required, the last one also as a prefix (search as you type)."""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


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


@dataclass(slots=True)
class Hits:
    """One page of hits: (document key, snippet) or (figure id, quote), and the total."""

    rows: list[tuple[Any, str]] = field(default_factory=list)
    total: int = 0


class SearchIndex:
    """An FTS5 index over one store's documents (title, text) and figures (quote, source,
    outlet, counted, group). Thread-safe: searches and refreshes take a lock."""

    def __init__(self, store: Store) -> None:
        self.store = store
        # "" opens a private temporary database on disk: large ledgers do not sit in memory.
        self._db = sqlite3.connect("", check_same_thread=False)
        self._db.executescript(
            f"""
            CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='{_TOKENIZER}');
            CREATE TABLE doc_keys (rowid INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, ingested TEXT);
            CREATE VIRTUAL TABLE figs USING fts5(quote, source, outlet, counted, grp, tokenize='{_TOKENIZER}');
            CREATE TABLE fig_docs (id INTEGER PRIMARY KEY, doc INTEGER NOT NULL);
            CREATE INDEX fig_docs_doc ON fig_docs (doc);
            """
        )
        self._lock = threading.Lock()
        self._mark: datetime | None = None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- keeping up with the store ---------------------------------------------------
    def refresh(self) -> None:
        """Index what was stored (or re-extracted) since the last refresh. A document and
        its figures are written in one transaction, so they are indexed together."""
        with self._lock:
            q = select(documents.c.id, documents.c.ingested)
            if self._mark is not None:
                q = q.where(documents.c.ingested >= self._mark - LOOKBACK)
            recent = read(self.store, "documents", lambda c: c.execute(q).all())
            if not recent:
                return
            known = dict(self._db.execute("SELECT key, ingested FROM doc_keys").fetchall())
            stale = [key for key, at in recent if known.get(key) != _stamp(at)]
            for start in range(0, len(stale), BATCH):
                self._index(stale[start : start + BATCH])
            self._db.commit()
            newest = max(at for _k, at in recent)
            self._mark = newest if self._mark is None else max(self._mark, newest)

    def _index(self, keys: list[str]) -> None:
        dq = select(documents.c.id, documents.c.title, documents.c.text, documents.c.ingested).where(
            documents.c.id.in_(keys)
        )
        fq = select(
            figures.c.id,
            figures.c.document_id,
            figures.c.quote,
            figures.c.source,
            figures.c.outlet,
            figures.c.counted,
            figures.c.group,
        ).where(figures.c.document_id.in_(keys))

        def both(conn: Any) -> tuple[list[Any], list[Any]]:
            return conn.execute(dq).all(), conn.execute(fq).all()

        docs, figs = read(self.store, "documents", both)
        by_doc: dict[str, list[Any]] = {}
        for fid, key, *cols in figs:
            by_doc.setdefault(key, []).append((fid, *[c or "" for c in cols]))
        db = self._db
        for key, title, text, at in docs:
            old = db.execute("SELECT rowid FROM doc_keys WHERE key = ?", (key,)).fetchone()
            if old is not None:  # re-extracted: its old text and figures go
                db.execute("DELETE FROM docs WHERE rowid = ?", (old[0],))
                db.execute("DELETE FROM doc_keys WHERE rowid = ?", (old[0],))
                old_figs = db.execute("SELECT id FROM fig_docs WHERE doc = ?", (old[0],)).fetchall()
                db.executemany("DELETE FROM figs WHERE rowid = ?", old_figs)
                db.execute("DELETE FROM fig_docs WHERE doc = ?", (old[0],))
            rowid = db.execute(
                "INSERT INTO doc_keys (key, ingested) VALUES (?, ?)", (key, _stamp(at))
            ).lastrowid
            db.execute("INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)", (rowid, title or "", text))
            rows = by_doc.get(key, [])
            db.executemany(
                "INSERT INTO figs (rowid, quote, source, outlet, counted, grp) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            db.executemany("INSERT INTO fig_docs (id, doc) VALUES (?, ?)", [(r[0], rowid) for r in rows])

    # -- searching -------------------------------------------------------------------
    def documents(self, query: str, *, limit: int, offset: int) -> Hits:
        """Documents matching every word, best first, with a snippet of the text around hits."""
        words = terms(query)
        if not words:
            return Hits()
        self.refresh()
        expr = match_expression(words)
        with self._lock:
            total = self._db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (expr,)).fetchone()[0]
            rows = self._db.execute(
                "SELECT k.key, snippet(docs, 1, ?, ?, '…', ?) FROM docs JOIN doc_keys k ON k.rowid = docs.rowid "
                "WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ? OFFSET ?",
                (HIT_OPEN, HIT_CLOSE, SNIPPET_WORDS, expr, limit, offset),
            ).fetchall()
        return Hits([(k, s) for k, s in rows], int(total))

    def figures(self, query: str, *, limit: int, offset: int) -> Hits:
        """Figures whose quote, source, outlet, counted noun or group match every word."""
        words = terms(query)
        if not words:
            return Hits()
        self.refresh()
        expr = match_expression(words)
        with self._lock:
            total = self._db.execute("SELECT count(*) FROM figs WHERE figs MATCH ?", (expr,)).fetchone()[0]
            rows = self._db.execute(
                "SELECT rowid, highlight(figs, 0, ?, ?) FROM figs WHERE figs MATCH ? "
                "ORDER BY bm25(figs) LIMIT ? OFFSET ?",
                (HIT_OPEN, HIT_CLOSE, expr, limit, offset),
            ).fetchall()
        return Hits([(int(i), s) for i, s in rows], int(total))


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


def _stamp(at: Any) -> str:
    return at.isoformat() if isinstance(at, datetime) else str(at)
