"""The REST API under /api: the ledger's figures, series, documents, sources, search and
runs as JSON, with filters and pagination, and the one write, `POST /api/documents`.

Listings answer `{"items", "total", "limit", "offset", "next"}`; `next` is the URL of the
following page, or null on the last. Errors have the one shape of `tally.web.errors`.
The OpenAPI description is at /api/openapi.json and, for people, /api/docs.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

import tally
from tally.web import views_docs, views_ledger, writes
from tally.web.page import DEFAULT_LIMIT, Page, Table, paging, to_csv
from tally.web.present import unslug
from tally.web.queries import MAX_LIMIT
from tally.web.state import state

router = APIRouter(prefix="/api")

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]
Text = Annotated[str | None, Query(max_length=200)]
Year = Annotated[int | None, Query(ge=1900, le=2100, description="A year the figure speaks for.")]


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    detail: Any = None


class ErrorBody(BaseModel):
    """The one shape of every error."""

    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in [(404, "Not in the ledger"), (422, "Invalid request"), (503, "Store unavailable")]
}


def listing(
    items: list[Any], total: int, limit: int, offset: int, path: str, params: dict[str, Any]
) -> dict[str, Any]:
    where = paging(total, limit, offset, path, params)
    return {"items": items, "total": total, "limit": limit, "offset": offset, "next": where["next"]}


@router.get("", summary="What this API offers")
def index() -> dict[str, Any]:
    return {
        "version": tally.__version__,
        "docs": "/api/docs",
        "openapi": "/api/openapi.json",
        "endpoints": [
            "/api/overview",
            "/api/series",
            "/api/figures",
            "/api/documents",
            "/api/sources",
            "/api/search",
            "/api/runs",
            "/api/health",
        ],
    }


@router.get("/health", summary="Whether the store answers")
def health(request: Request) -> dict[str, Any]:
    s = state(request)
    return {
        "ok": True,
        "version": tally.__version__,
        "store": s.store.backend,
        "writable": s.token is not None,
    }


@router.get("/overview", summary="Origins by statuses: best estimates, sources, conflicts", responses=ERRORS)
def overview(
    request: Request, group: Text = None, role: Text = None, since: Year = None, until: Year = None
) -> dict[str, Any]:
    return views_ledger.overview(state(request).cache, group=group, role=role, since=since, until=until).data


@router.get("/series", summary="Reconciled series, each with its latest best estimate", responses=ERRORS)
def series_list(
    request: Request,
    origin: Annotated[
        str | None, Query(max_length=8, description="ISO code, e.g. FR; _ for unknown.")
    ] = None,
    status: Text = None,
    role: Text = None,
    scope: Text = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    rows = views_ledger.series_index(
        state(request).cache, origin=origin, status=status, role=role, scope=scope
    )
    items = rows.data["series"]
    params = {"origin": origin, "status": status, "role": role, "scope": scope}
    return listing(items[offset : offset + limit], len(items), limit, offset, "/api/series", params)


@router.get(
    "/series/{origin}/{status}/{role}/{scope}",
    summary="One series: chains with echoes, mutations, conflicts, best estimates, chart points",
    responses=ERRORS,
)
def series_one(request: Request, origin: str, status: str, role: str, scope: str) -> dict[str, Any]:
    o = unslug(origin)
    page = views_ledger.series_page(
        state(request).cache, o.upper() if o else None, status, role, unslug(scope)
    )
    return page.data


@router.get("/figures", summary="Stored figures with filters; CSV with format=csv", responses=ERRORS)
def figures(
    request: Request,
    origin: Annotated[str | None, Query(max_length=8, description="ISO code of the people counted.")] = None,
    status: Text = None,
    role: Text = None,
    scope: Text = None,
    group: Text = None,
    source: Annotated[str | None, Query(max_length=200, description="Text in the source, any case.")] = None,
    outlet: Text = None,
    document: Annotated[str | None, Query(max_length=64, description="A document key.")] = None,
    since: Year = None,
    until: Year = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    format: Literal["json", "csv"] = "json",
) -> Response:
    found = state(request).ledger.figures(
        origin=origin,
        status=status,
        role=role,
        scope=scope,
        group=group,
        source=source,
        outlet=outlet,
        document=document,
        since=since,
        until=until,
    )
    params = {
        "origin": origin,
        "status": status,
        "role": role,
        "scope": scope,
        "group": group,
        "source": source,
        "outlet": outlet,
        "document": document,
        "since": since,
        "until": until,
    }
    if format == "csv":  # every matching figure, not one page
        rows = [views_docs.figure_row(sf) for sf in found]
        cols = tuple(rows[0]) if rows else ("id", "document", "span", "figure")
        page = Page("figures.html", "Figures", {"figures": rows}, {"figures": Table(cols)})
        return Response(
            to_csv(page, "figures"),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="tally-figures.csv"'},
        )
    items = [views_docs.figure_row(sf) for sf in found[offset : offset + limit]]
    return JSONResponse(listing(items, len(found), limit, offset, "/api/figures", params))


@router.get("/documents", summary="Stored documents (without text), newest first", responses=ERRORS)
def documents(
    request: Request, outlet: Text = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> dict[str, Any]:
    page = views_docs.document_list(state(request).store, limit=limit, offset=offset, outlet=outlet)
    where = page.data["page"]
    return listing(
        page.data["documents"], where["total"], limit, offset, "/api/documents", {"outlet": outlet}
    )


@router.get("/documents/{key}", summary="One document: metadata, cleaned text, figures", responses=ERRORS)
def document(request: Request, key: str) -> dict[str, Any]:
    page = views_docs.document_page(state(request).store, key)
    text = "".join(seg["text"] for seg in page.data["segments"])
    return {"document": {**page.data["document"], "text": text}, "figures": page.data["figures"]}


@router.post(
    "/documents",
    summary="Store an article (text, HTML, or a URL to fetch); needs the bearer token",
    status_code=201,
    response_model=writes.Stored,
    responses={
        200: {"model": writes.Stored, "description": "Already stored (unchanged) or re-extracted (updated)"},
        401: {"model": ErrorBody, "description": "No or wrong bearer token"},
        403: {"model": ErrorBody, "description": "The server is read-only (no TALLY_TOKEN)"},
        422: {"model": ErrorBody, "description": "Invalid body, or an article Tally cannot use"},
        502: {"model": ErrorBody, "description": "The URL could not be fetched"},
    },
    dependencies=[Depends(writes.require_token)],
)
async def post_document(request: Request, body: Annotated[writes.NewDocument, Body()]) -> Response:
    s = state(request)

    def work() -> writes.Stored:
        raw = writes.raw_document(body, s)
        label = body.url if body.text is None and body.html is None else f"POST /api/documents ({raw.doc_id})"
        with s.write_lock:
            try:
                return writes.store_document(s.store, raw, label or "POST /api/documents")
            finally:
                s.cache.invalidate()  # the writer sees its document on its next read

    stored = await run_in_threadpool(work)
    return JSONResponse(stored.model_dump(), status_code=201 if stored.status == "new" else 200)


@router.get("/sources", summary="Attributed sources and origin reports with their echoes", responses=ERRORS)
def sources(request: Request, source: Text = None, origin: Text = None) -> dict[str, Any]:
    s = state(request)
    return views_ledger.sources_page(s.store, s.cache, source=source, origin=origin).data


@router.get("/search", summary="Full-text search over documents and figures", responses=ERRORS)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words to find (all must match).")],
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    s = state(request)
    data = views_docs.search_page(s.store, s.search, s.cache, q, limit=limit, offset=offset).data
    return {k: v for k, v in data.items() if k != "page"} | {"limit": limit, "offset": offset}


@router.get("/runs", summary="Ingest runs, newest first, with their error counts", responses=ERRORS)
def runs(request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    data = views_docs.runs_page(state(request).store, limit=limit, offset=offset).data
    return listing(data["runs"], data["page"]["total"], limit, offset, "/api/runs", {})


@router.get("/runs/{run_id}", summary="One run and a page of its per-input errors", responses=ERRORS)
def run(request: Request, run_id: int, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    data = views_docs.run_page(state(request).store, run_id, limit=limit, offset=offset).data
    errors = listing(data["errors"], data["page"]["total"], limit, offset, f"/api/runs/{run_id}", {})
    return {"run": data["run"], "errors": errors}
