"""`POST /api/documents`: store one article sent as text, HTML or a URL, through the same
per-document function as `tally ingest` (`tally.pipeline.process`) and the same store
writes, as a run of its own so the runs page shows what came in over the web.

Writes need `Authorization: Bearer <TALLY_TOKEN>`; a server started without a token
is read-only and says so. A URL is fetched with the injected `tally.ingest.url.Fetcher`
(polite: robots.txt, size cap, retries), so tests answer it with a mock transport.
"""

from __future__ import annotations

import hmac
from typing import Any, Literal
from urllib.parse import urlsplit

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

import tally
from tally import ledger
from tally.errors import InputError, StoreError
from tally.model import Failure, RawDoc
from tally.store import RunCounts, Store
from tally.web.errors import ApiError
from tally.web.present import document_path, series_path
from tally.web.state import AppState, state

# Largest article accepted in one request, in characters.
MAX_CHARS = 2_000_000
API_SOURCE = "api"


class NewDocument(BaseModel):
    """An article to store: `text` or `html` (with optional metadata), or only a `url` to fetch."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, max_length=MAX_CHARS, description="The article as plain text.")
    html: str | None = Field(None, max_length=MAX_CHARS, description="The article as an HTML page.")
    url: str | None = Field(
        None,
        max_length=2000,
        description="Where the article was published; fetched when no text or html is given.",
    )
    title: str | None = Field(None, max_length=1000)
    published: str | None = Field(None, max_length=32, description="Publication date, ISO 8601 (2016-03-10).")
    outlet: str | None = Field(None, max_length=200, description="Who published it; else the URL's host.")
    lang: Literal["en", "fr"] | None = Field(None, description="Force the language instead of detecting it.")
    id: str | None = Field(None, max_length=200, description="A name for the document; default 'api'.")

    @model_validator(mode="after")
    def _one_body(self) -> NewDocument:
        if self.text is not None and self.html is not None:
            raise ValueError("give the article as 'text' or as 'html', not both")
        if not (self.text or self.html or self.url):
            raise ValueError("give 'text', 'html', or a 'url' to fetch")
        if self.url is not None:
            parts = urlsplit(self.url)
            if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
                raise ValueError("'url' must be an http:// or https:// URL")
        return self


class Stored(BaseModel):
    """What a write did: its run, the document's status and key, and where to look at it."""

    run: int
    status: Literal["new", "updated", "unchanged"]
    document: str
    figures: int
    href: str
    api: str
    series: list[str]


def require_token(request: Request) -> None:
    """Let a write through only with the server's bearer token."""
    token = state(request).token
    if token is None:
        raise ApiError(
            403,
            "this server is read-only: restart `tally serve` with TALLY_TOKEN set to accept documents",
            code="read_only",
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise ApiError(
            401,
            "send 'Authorization: Bearer <token>' (the server's TALLY_TOKEN) to write",
            headers={"www-authenticate": "Bearer"},
        )
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, "wrong token", headers={"www-authenticate": 'Bearer error="invalid_token"'})


def raw_document(body: NewDocument, s: AppState) -> RawDoc:
    """The RawDoc the reader stage would have made: from the text or HTML, or fetched."""
    meta: dict[str, Any] = {
        "url": body.url,
        "title": body.title,
        "published": body.published,
        "outlet": body.outlet,
        "lang": body.lang,
    }
    name = body.id or API_SOURCE
    if body.text is not None or body.html is not None:
        content, fmt = (body.text, "text") if body.text is not None else (body.html, "html")
        assert content is not None
        return RawDoc(doc_id=name, source=API_SOURCE, content=content, fmt=fmt, **meta)
    assert body.url is not None
    return _fetch(body.url, s, body.id, meta)


def _fetch(url: str, s: AppState, name: str | None, meta: dict[str, Any]) -> RawDoc:
    try:
        from tally.ingest import url as url_reader
    except ImportError as exc:  # the fetcher ships with the URL reader
        raise ApiError(501, "this Tally cannot fetch URLs: send the article as 'text' or 'html'") from exc
    if s.fetcher is None:
        s.fetcher = url_reader.Fetcher()
    try:
        fetched = s.fetcher.fetch(url)
        raw = url_reader.page_doc(fetched, name or url_reader.doc_id(url), url)
    except InputError as exc:
        raise ApiError(502, f"cannot fetch {url}: {exc}", code="fetch_failed") from exc
    for key, value in meta.items():
        if value is not None and key != "url":
            setattr(raw, key, value)
    return raw


def store_document(store: Store, raw: RawDoc, label: str) -> Stored:
    """Process one RawDoc and store it as a run of one input; an unusable document is
    recorded as the run's failure and answered with 422."""
    version = tally.__version__
    run_id = store.start_run([label], version=version)
    summary = ledger.RunSummary(run_id, RunCounts())
    outcomes: list[tuple[str, Failure | None]] = []
    recorder = ledger.Recorder(
        store, summary, version, lambda status, failure: outcomes.append((status, failure))
    )
    result = ledger.processed(raw)  # the same per-document path as `tally ingest`
    if isinstance(result, Failure):
        recorder.failed(result)
    else:
        recorder.document(result.doc, result.figures, result.raw_hash)
    recorder.flush()
    store.finish_run(run_id, summary.counts)
    status, failure = outcomes[0]
    if failure is not None and failure.stage == "store":
        raise StoreError(failure.reason)
    if failure is not None:
        raise ApiError(
            422, f"the document cannot be used: {failure.reason}", code="unusable", detail={"run": run_id}
        )
    assert not isinstance(result, Failure)
    key = result.key
    series = sorted(
        {
            series_path({"origin": f.origin, "status": f.status, "role": f.role, "scope": f.scope})
            for f in result.figures
            if f.kind == "count"
        }
    )
    return Stored(
        run=run_id,
        status=status,  # type: ignore[arg-type]
        document=key,
        figures=len(result.figures),
        href=document_path(key),
        api=f"/api/documents/{key}",
        series=series,
    )
