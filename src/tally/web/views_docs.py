"""The evidence pages: documents (the list, and one document's cleaned text with each
figure marked), full-text search, and ingest runs with their per-input errors.

Article text is untrusted. Views hand the templates plain strings cut at figure
offsets and search hits as separate pieces; the templates escape every piece, so no
markup is ever built from text.
"""

from __future__ import annotations

from typing import Any

from tally.reconcile.points import as_of, to_point
from tally.reconcile.report import figure_text
from tally.store import Store, StoredFigure
from tally.web import queries
from tally.web.page import Page, Table, paging
from tally.web.present import country_name, document_path, safe_href, series_path
from tally.web.queries import LedgerCache
from tally.web.search import SearchIndex, document_cards, pieces
from tally.web.views_ledger import NotFound

_FIGURE_COLUMNS = (
    "id",
    "span",
    "figure",
    "qualifier",
    "counted",
    "role",
    "origin",
    "status",
    "scope",
    "group",
    "place",
    "period",
    "as_of",
    "source",
    "start",
    "end",
    "quote",
)


def figure_row(sf: StoredFigure) -> dict[str, Any]:
    """One stored figure as the pages and the API show it: the record, the figure as said,
    its as-of date, and links to its series (counts only) and to its place in the text."""
    f = sf.figure
    row = sf.as_dict()
    row["figure"] = figure_text(f.qualifier, f.value, f.low, f.high)
    row["as_of"] = as_of(f.period, f.published, f.quote)[0]
    row["country"] = country_name(f.origin)
    row["url"] = safe_href(f.url)
    row["href"] = document_path(sf.document, sf.id)
    point = to_point(sf)
    row["series_href"] = series_path(point.key) if point else None
    return row


def _segments(text: str, figs: list[dict[str, Any]], selected: int | None) -> list[dict[str, Any]]:
    """The text cut into plain runs and marked figures, in order. A figure whose offsets do
    not fit the text, or that overlaps one already marked, stays in the table unmarked."""
    out: list[dict[str, Any]] = []
    pos = 0
    for f in sorted(figs, key=lambda f: (f["start"], f["end"])):
        start, end = f["start"], f["end"]
        if not (0 <= start < end <= len(text)) or start < pos:
            f["marked"] = False
            continue
        f["marked"] = True
        if start > pos:
            out.append({"text": text[pos:start], "figure": None})
        out.append({"text": text[start:end], "figure": f["id"], "selected": f["id"] == selected})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:], "figure": None})
    return out


def document_page(store: Store, key: str, *, selected: int | None = None) -> Page:
    """One document: metadata, a safe link to the original, its text with every figure
    marked (the selected one singled out), and its figures as a table."""
    doc = queries.document(store, key)
    if doc is None:
        raise NotFound("no such document in the ledger; /documents lists those there are")
    figs = [figure_row(sf) for sf in store.figures(document=key)]
    text = doc.pop("text")
    segments = _segments(text, figs, selected)
    doc["url"] = safe_href(doc["url"])
    data = {
        "document": doc,
        "selected": selected,
        "segments": segments,
        "figures": figs,
        "length": len(text),
    }
    tables = {"figures": Table((*_FIGURE_COLUMNS, "marked", "href"))}
    return Page("document.html", doc["title"] or doc["name"], data, tables)


def document_list(store: Store, *, limit: int, offset: int, outlet: str | None = None) -> Page:
    rows, total = queries.document_list(store, limit=limit, offset=offset, outlet=outlet)
    for r in rows:
        r["url"] = safe_href(r["url"])
        r["href"] = document_path(r["id"])
    data = {
        "filters": {"outlet": outlet},
        "documents": rows,
        "page": paging(total, limit, offset, "/documents", {"outlet": outlet}),
    }
    cols = ("id", "name", "title", "outlet", "published", "lang", "figures", "url", "source", "ingested")
    return Page("documents.html", "Documents", data, {"documents": Table(cols)})


def search_page(
    store: Store, index: SearchIndex, cache: LedgerCache, q: str, *, limit: int, offset: int
) -> Page:
    """Documents and figures matching every word of `q`, hits marked in their snippets."""
    doc_hits = index.documents(q, limit=limit, offset=offset)
    fig_hits = index.figures(q, limit=limit, offset=offset)
    cards = document_cards(store, [k for k, _s in doc_hits.rows])
    docs = []
    for key, snippet in doc_hits.rows:
        card = cards.get(key)
        if card is None:
            continue
        docs.append(
            {
                "id": key,
                "name": card["name"],
                "title": card["title"],
                "outlet": card["outlet"],
                "published": card["published"],
                "url": safe_href(card["url"]),
                "href": document_path(key),
                "snippet": pieces(snippet),
            }
        )
    by_id = {sf.id: sf for sf in cache.get().figures}
    figs = []
    for fid, marked in fig_hits.rows:
        sf = by_id.get(fid)
        if sf is None:  # replaced by a re-extraction since it was indexed
            continue
        figs.append({**figure_row(sf), "quote_hits": pieces(marked)})
    data = {
        "q": q,
        "documents": docs,
        "figures": figs,
        "totals": {"documents": doc_hits.total, "figures": fig_hits.total},
        "page": paging(max(doc_hits.total, fig_hits.total), limit, offset, "/search", {"q": q}),
    }
    tables = {
        "documents": Table(
            ("id", "name", "title", "outlet", "published", "url", "href", "snippet_text"),
            lambda d: [
                {**r, "snippet_text": "".join(p["text"] for p in r["snippet"])} for r in d["documents"]
            ],
        ),
        "figures": Table((*_FIGURE_COLUMNS, "outlet", "doc", "href")),
    }
    return Page("search.html", f"Search: {q}" if q else "Search", data, tables)


def runs_page(store: Store, *, limit: int, offset: int) -> Page:
    rows, total = queries.run_list(store, limit=limit, offset=offset)
    for r in rows:
        r["href"] = f"/runs/{r['id']}"
    data = {"runs": rows, "page": paging(total, limit, offset, "/runs", {})}
    cols = ("id", "state", "started", "finished", "version", "inputs", "workers", "documents", "new")
    counts = ("updated", "unchanged", "skipped", "failed", "figures", "errors")
    return Page("runs.html", "Runs", data, {"runs": Table((*cols, *counts))})


def run_page(store: Store, run_id: int, *, limit: int, offset: int) -> Page:
    run, errors, total = queries.run_detail(store, run_id, limit=limit, offset=offset)
    if run is None:
        raise NotFound(f"no run {run_id} in the ledger; /runs lists those there are")
    data = {"run": run, "errors": errors, "page": paging(total, limit, offset, f"/runs/{run_id}", {})}
    return Page("run.html", f"Run {run_id}", data, {"errors": Table(("source", "stage", "reason", "at"))})
