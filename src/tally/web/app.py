"""The web face of the ledger: `create_app(store, token=None)` builds the ASGI app that
`tally serve` runs under uvicorn (`from_settings` builds it in each worker process).

One app holds the dashboard pages (HTML, each with a JSON twin and CSV tables), the
REST API under /api with its OpenAPI description, and the static files, all from the
one store it is given. The app never opens or closes the store: whoever made it does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from starlette.responses import HTMLResponse

import tally
from tally import Ledger
from tally.store import Store
from tally.web import api, errors, pages, views_watch
from tally.web.queries import LedgerCache
from tally.web.render import environment
from tally.web.search import SearchIndex
from tally.web.security import (
    PLOTLY_CSS_PATH,
    PLOTLY_PATH,
    SecurityHeaders,
    plotly_js,
    plotly_stylesheet,
    static_files,
)
from tally.web.state import AppState, WriteLock

if TYPE_CHECKING:
    from tally.ingest.url import Fetcher

log = logging.getLogger("tally.web")


def _warm_pipeline() -> None:
    """Load the extraction models once, off the request path, so the first write is not
    the one that waits for spaCy."""
    from tally import pipeline
    from tally.model import RawDoc

    try:
        pipeline.process(
            RawDoc(doc_id="warm-up", source="warm-up", content="Some 10 fighters returned home.")
        )
    except Exception:  # a failed warm-up only means the first write loads the models itself
        log.warning("could not preload the extraction pipeline", exc_info=True)


def create_app(
    store: Store | Ledger,
    token: str | None = None,
    *,
    fetcher: Fetcher | None = None,
    warm: bool = False,
    owns_store: bool = False,
) -> FastAPI:
    """The dashboard and API over `store`, a `tally.Ledger` (what `tally.open` gives) or its store.

    `token`: the bearer token writes need; None makes the server read-only. `fetcher`: the
    `tally.ingest.url.Fetcher` that fetches posted URLs (tests pass one on a mock transport;
    None makes a real one on first use). `warm`: preload the extraction models at start-up
    (when writes are allowed, `tally serve` does). `owns_store`: close the store when the
    app shuts down (a worker process that opened it for the app).
    """
    token = token or None
    ledger = store if isinstance(store, Ledger) else Ledger(store)
    store = ledger._store

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm and token:
            threading.Thread(target=_warm_pipeline, name="tally-warm-up", daemon=True).start()
        yield
        if owns_store:
            store.close()

    app = FastAPI(
        title="Tally",
        version=tally.__version__,
        summary="A sourced ledger of figures about foreign fighters, read from the news.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.tally = AppState(
        store=store,
        ledger=ledger,
        token=token,
        cache=LedgerCache(store),
        search=SearchIndex(store),
        write_lock=WriteLock(store.url),
        fetcher=fetcher,
    )
    errors.install(app)
    app.add_middleware(SecurityHeaders)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        """The OpenAPI description as a page: served by Tally, no CDN, no inline script."""
        spec = app.openapi()
        html = (
            environment()
            .get_template("api_docs.html")
            .render(
                title="API", page=_endpoints(spec), path=request.url.path, twin="/api/openapi.json", csv={}
            )
        )
        return HTMLResponse(html)

    app.include_router(api.router)
    app.add_api_route(PLOTLY_PATH, plotly_js, include_in_schema=False)
    app.add_api_route(PLOTLY_CSS_PATH, plotly_stylesheet, include_in_schema=False)
    app.mount("/static", static_files(), name="static")
    app.include_router(views_watch.router)
    app.include_router(pages.router)
    return app


def from_settings() -> FastAPI:
    """The app of one worker process of `tally serve` with several workers: uvicorn starts
    each process afresh and calls this by name. The store and token come from the settings,
    which the command resolved and left in the environment (TALLY_DB, TALLY_TOKEN,
    TALLY_CONFIG), so every worker serves what one process would."""
    from tally import settings

    conf = settings.load()
    return create_app(tally.open(conf.db), token=conf.token, warm=True, owns_store=True)


def _endpoints(spec: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI paths as rows for the docs page: method, path, summary, parameters."""
    rows = []
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            params = [
                {
                    "name": p.get("name"),
                    "in": p.get("in"),
                    "required": bool(p.get("required")),
                    "description": p.get("description") or "",
                }
                for p in op.get("parameters", [])
            ]
            body = "requestBody" in op
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "params": params,
                    "body": body,
                }
            )
    return {
        "title": spec.get("info", {}).get("title"),
        "version": spec.get("info", {}).get("version"),
        "endpoints": rows,
    }
