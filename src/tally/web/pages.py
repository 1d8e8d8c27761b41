"""The dashboard's pages. Each is served three ways from one view: as HTML at its path,
as JSON at the path + `.json`, and each of its tables as CSV at the path + `.csv`
(`?table=` names one when there are several).

Every page but the runs' is kept rendered per state of the ledger (`ResponseCache`), so a
reader under load costs a dictionary look-up; the runs pages are read afresh (a run's
counts move while it goes on, which the ledger's fingerprint does not follow).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from tally.web import views_docs, views_ledger, views_reports
from tally.web.page import DEFAULT_LIMIT, Page
from tally.web.present import unslug
from tally.web.queries import MAX_LIMIT
from tally.web.render import respond
from tally.web.state import state

router = APIRouter(include_in_schema=False)

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, description="Rows to skip.")]
# A year box left empty in a form arrives as '', which means no filter, not an error.
Year = Annotated[str | None, Query(max_length=4, pattern=r"^(\d{4})?$", description="A year, e.g. 2016.")]
Text = Annotated[str | None, Query(max_length=200)]


def page(path: str, name: str) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Register a view at `path` and its twins; the suffixed routes come first, so
    '/x.json' is never read as '/x' with a parameter ending in '.json'."""
    base = "/index" if path == "/" else path

    def deco(fn: Callable[..., Response]) -> Callable[..., Response]:
        for suffix in (".json", ".csv"):
            router.add_api_route(base + suffix, fn, methods=["GET"], name=f"{name}{suffix}")
        router.add_api_route(path, fn, methods=["GET"], name=name)
        return fn

    return deco


def _year(raw: str | None) -> int | None:
    return int(raw) if raw else None


def _kept(request: Request, make: Callable[[], Page]) -> Response:
    """A page kept rendered per state of the reconciled ledger (`LedgerCache`): every page
    of one worker moves to a new state of the store together, at the pace the cache
    reconciles, so a steady ingest costs a rendering per page per reconciliation, not per
    commit. Pages read straight from the store (documents, search) follow the same pace."""
    s = state(request)
    return s.pages.respond(request, s.cache.get().fingerprint, make)


@page("/", "overview")
def overview(
    request: Request, group: Text = None, role: Text = None, since: Year = None, until: Year = None
) -> Response:
    s = state(request)
    return _kept(
        request,
        lambda: views_ledger.overview(
            s.cache, group=group or None, role=role or None, since=_year(since), until=_year(until)
        ),
    )


# /overview is the same page under its name (for links that spell it out).
page("/overview", "overview_named")(overview)


@page("/series", "series_index")
def series_index(
    request: Request, origin: Text = None, status: Text = None, role: Text = None, scope: Text = None
) -> Response:
    s = state(request)
    return _kept(
        request,
        lambda: views_ledger.series_index(
            s.cache, origin=origin or None, status=status or None, role=role or None, scope=scope or None
        ),
    )


@page("/series/{origin}/{status}/{role}/{scope}", "series")
def series(
    request: Request, origin: str, status: str, role: str, scope: str, population: Text = None
) -> Response:
    o = unslug(origin)
    s = state(request)
    return _kept(
        request,
        lambda: views_ledger.series_page(
            s.cache, o.upper() if o else None, status, role, unslug(scope), population or "all"
        ),
    )


@page("/sources", "sources")
def sources(request: Request, source: Text = None, origin: Text = None) -> Response:
    s = state(request)
    return _kept(
        request,
        lambda: views_ledger.sources_page(s.store, s.cache, source=source or None, origin=origin or None),
    )


@page("/reports/{report_id}", "report")
def report(request: Request, report_id: str) -> Response:
    view = views_reports.report_page(state(request).cache.get().series, report_id)
    if view is None:
        raise views_ledger.NotFound("no such report in the ledger; /sources lists those there are")
    return respond(request, view)


@page("/documents", "documents")
def documents(
    request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0, outlet: Text = None
) -> Response:
    store = state(request).store
    return _kept(
        request, lambda: views_docs.document_list(store, limit=limit, offset=offset, outlet=outlet or None)
    )


@page("/documents/{key}", "document")
def document(
    request: Request,
    key: str,
    figure: Annotated[int | None, Query(ge=0, description="Figure to single out.")] = None,
) -> Response:
    store = state(request).store
    return _kept(request, lambda: views_docs.document_page(store, key, selected=figure))


@page("/search", "search")
def search(
    request: Request,
    q: Annotated[str, Query(max_length=500, description="Words to find.")] = "",
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    s = state(request)
    return _kept(
        request, lambda: views_docs.search_page(s.store, s.search, s.cache, q, limit=limit, offset=offset)
    )


@page("/runs", "runs")
def runs(request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
    return respond(request, views_docs.runs_page(state(request).store, limit=limit, offset=offset))


@page("/runs/{run_id}", "run")
def run(request: Request, run_id: int, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
    return respond(request, views_docs.run_page(state(request).store, run_id, limit=limit, offset=offset))
