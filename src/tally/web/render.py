"""Render a `Page` as HTML, its JSON twin, or one of its tables as CSV.

The Jinja environment escapes everything (autoescape on for every template, whatever
its name) and fails on an undefined name, so a typo in a template is an error, not a
silent blank. Templates get the page's data and a few URL helpers, nothing else.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

import tally
from tally.web import present
from tally.web.errors import ApiError
from tally.web.page import Page, to_csv
from tally.web.security import PLOTLY_CSS_PATH, PLOTLY_PATH, plotly_style_ids

FORMATS = ("json", "csv")
# A kept page at least this large is also kept gzipped; smaller ones gain too little.
GZIP_MIN_BYTES = 1024
# zlib's level 6: most of level 9's gain for a third of its time, paid once per rendering.
GZIP_LEVEL = 6
NAV = (
    ("/", "Overview"),
    ("/series", "Series"),
    ("/sources", "Sources"),
    ("/documents", "Documents"),
    ("/search", "Search"),
    ("/runs", "Runs"),
    ("/whats-new", "What's new"),
    ("/api/docs", "API"),
)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("tally.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        series_path=present.series_path,
        document_path=present.document_path,
        with_query=present.with_query,
        country_name=present.country_name,
        nav=NAV,
        version=tally.__version__,
        plotly_path=PLOTLY_PATH,
        plotly_css_path=PLOTLY_CSS_PATH,
        plotly_style_ids=plotly_style_ids,
    )
    return env


def page_format(request: Request) -> str:
    """'json', 'csv' or 'html', from the suffix of the path asked for."""
    path = request.url.path
    for fmt in FORMATS:
        if path.endswith("." + fmt):
            return fmt
    return "html"


def twin_path(request: Request, fmt: str) -> str:
    """The same page in another format: /series/FR/... -> /series/FR/....json; / -> /index.json."""
    path = request.url.path
    for suffix in FORMATS:
        path = path.removesuffix("." + suffix)
    base = "/index" if path in ("", "/") else path.rstrip("/")
    query = request.url.query
    return f"{base}.{fmt}" + (f"?{query}" if query else "")


def csv_path(request: Request, table: str) -> str:
    """The CSV of one table of this page (the query string kept, `table` set)."""
    params = {k: v for k, v in request.query_params.items() if k != "table"}
    base = twin_path(request, "csv").split("?", 1)[0]
    return present.with_query(base, {**params, "table": table})


def respond(request: Request, page: Page) -> Response:
    fmt = page_format(request)
    if fmt == "json":
        return JSONResponse(page.data)
    if fmt == "csv":
        name = request.query_params.get("table") or (
            next(iter(page.tables)) if len(page.tables) == 1 else None
        )
        if name not in page.tables:
            choices = ", ".join(page.tables) or "none"
            raise ApiError(404, f"name a table of this page with ?table=: {choices}", code="no_such_table")
        filename = f"tally-{page.template.removesuffix('.html')}-{name}.csv"
        return Response(
            to_csv(page, name),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{filename}"'},
        )
    html = (
        environment()
        .get_template(page.template)
        .render(
            title=page.title,
            page=page.data,
            path=request.url.path,
            twin=twin_path(request, "json"),
            csv={name: csv_path(request, name) for name in page.tables},
        )
    )
    return HTMLResponse(html)


def render_error(request: Request, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    err = body["error"]
    html = (
        environment()
        .get_template("error.html")
        .render(title=f"{err['status']} {err['code']}", page=body, path=request.url.path, twin=None, csv={})
    )
    return HTMLResponse(html, status_code=err["status"], headers=headers)


class ResponseCache:
    """Rendered pages (HTML, JSON twin or CSV), kept per URL with the ledger state
    (`version`) they were rendered from.

    A page is a function of the stored ledger and its URL alone, so while no ingest
    writes, a reader under load costs a dictionary look-up. When the ledger moves, one
    thread renders the page afresh while the others go on answering with the last
    rendering (as `LedgerCache` does with reconciliations): a crowd of readers never queues
    behind, nor repeats, one rendering. Only a URL never rendered makes its readers wait.
    A large page is also kept gzipped, compressed once per rendering and sent to every
    client that accepts gzip (the sources page of a 500-article ledger is 0.8 MB of HTML).
    Each worker process of `tally serve` keeps its own.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, str], tuple[Any, _Rendered]] = OrderedDict()
        self._renderers: dict[tuple[str, str], threading.Lock] = {}

    def respond(self, request: Request, version: Any, make: Callable[[], Page]) -> Response:
        key = (request.url.path, request.url.query)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            renderer = self._renderers.setdefault(key, threading.Lock())
        if found is not None:
            if found[0] == version or not renderer.acquire(blocking=False):
                return _response(found[1], request)  # current, or another thread renders the new one
        else:
            renderer.acquire()  # nothing to answer with yet: wait for the first rendering
        try:
            with self._lock:
                current = self._items.get(key)
            if current is not None and current[0] == version:
                return _response(current[1], request)
            response = respond(request, make())
            body = bytes(response.body)
            packed = gzip.compress(body, GZIP_LEVEL, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
            rendered = _Rendered(response.status_code, body, packed, dict(response.headers))
            with self._lock:
                self._items[key] = (version, rendered)
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    old, _ = self._items.popitem(last=False)
                    self._renderers.pop(old, None)
            return _response(rendered, request)
        finally:
            renderer.release()


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header takes gzip ('gzip', 'gzip;q=0.8', '*'; not 'gzip;q=0')."""
    for item in header.lower().split(","):
        name, _, params = item.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            q = params.strip().removeprefix("q=")
            try:
                return not params or float(q) > 0
            except ValueError:
                return True
    return False


@dataclass(frozen=True, slots=True)
class _Rendered:
    status: int
    body: bytes
    gzipped: bytes | None
    headers: dict[str, str]


def _response(rendered: _Rendered, request: Request) -> Response:
    headers = {k: v for k, v in rendered.headers.items() if k != "content-length"}
    if rendered.gzipped is None:
        return Response(rendered.body, status_code=rendered.status, headers=headers)
    headers["vary"] = "accept-encoding"
    if not accepts_gzip(request.headers.get("accept-encoding", "")):
        return Response(rendered.body, status_code=rendered.status, headers=headers)
    headers["content-encoding"] = "gzip"
    return Response(rendered.gzipped, status_code=rendered.status, headers=headers)
