"""A page is one dict with three renderings: HTML (a template), JSON (the dict itself)
and CSV (any of its tables).

View functions build a `Page`; they never render. The HTML template reads only the
page's `data`, the JSON twin is that `data` verbatim, and each CSV table is a list of
flat rows taken from the same `data`, so the three can never disagree.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tally.web.present import with_query

DEFAULT_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV-downloadable table: its columns, and how to take its rows out of the page's data
    (by default the list at `data[name]`)."""

    columns: tuple[str, ...]
    rows: Callable[[dict[str, Any]], list[dict[str, Any]]] | None = None


@dataclass(slots=True)
class Page:
    """What a view returns: the template to render, the title, the data, and its tables."""

    template: str
    title: str
    data: dict[str, Any]
    tables: dict[str, Table] = field(default_factory=dict)

    def table_rows(self, name: str) -> list[dict[str, Any]]:
        table = self.tables[name]
        rows: list[dict[str, Any]] = table.rows(self.data) if table.rows else self.data.get(name, [])
        return rows


def paging(total: int, limit: int, offset: int, path: str, params: dict[str, Any]) -> dict[str, Any]:
    """Where a page of a listing stands, with links to its neighbours (None at the ends)."""
    nxt = offset + limit if offset + limit < total else None
    prev = max(0, offset - limit) if offset > 0 else None
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "next": None if nxt is None else with_query(path, {**params, "limit": limit, "offset": nxt}),
        "prev": None if prev is None else with_query(path, {**params, "limit": limit, "offset": prev}),
    }


def _cell(value: Any) -> Any:
    """A CSV cell: lists and dicts as JSON; a leading =, +, - or @ is prefixed with a quote
    so a spreadsheet does not run article text as a formula."""
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(page: Page, name: str) -> str:
    """One of the page's tables as CSV text with a header row."""
    table = page.tables[name]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(table.columns)
    for row in page.table_rows(name):
        writer.writerow([_cell(row.get(c)) for c in table.columns])
    return buf.getvalue()
