"""One error shape for every JSON answer, and the same error as a page for a browser.

Every error is `{"error": {"status", "code", "message", "detail"?}}`: an API client
reads `code`, a person reads `message`, which says what to do. A page asked for as
HTML gets the same dict rendered in the error template.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from tally.errors import ArgumentError, InputError, TallyError
from tally.web.views_ledger import NotFound

log = logging.getLogger("tally.web")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    500: "internal",
    502: "bad_gateway",
    503: "unavailable",
}
_MESSAGES = {
    404: "nothing here: the overview at / links to every page, /api/docs lists the API",
    405: "this method is not allowed here",
}


class ApiError(Exception):
    """An error a route raises on purpose, with its status, code and message."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        detail: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.detail, self.headers = status, message, detail, headers
        self.code = code or CODES.get(status, "error")


def error_body(status: int, message: str, *, code: str | None = None, detail: Any = None) -> dict[str, Any]:
    err: dict[str, Any] = {"status": status, "code": code or CODES.get(status, "error"), "message": message}
    if detail is not None:
        err["detail"] = detail
    return {"error": err}


def wants_html(request: Request) -> bool:
    """A page, not the API or a twin: answer errors in HTML there."""
    path = request.url.path
    return (
        request.method in ("GET", "HEAD")
        and not path.startswith("/api")
        and not path.startswith("/static/")
        and not path.endswith((".json", ".csv"))
    )


def respond(request: Request, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    status = body["error"]["status"]
    if wants_html(request):
        from tally.web.render import render_error

        return render_error(request, body, headers)
    return JSONResponse(body, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Route every error through `respond`, so none escapes in another shape."""

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return respond(
            request, error_body(exc.status, exc.message, code=exc.code, detail=exc.detail), exc.headers
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = _MESSAGES.get(exc.status_code) or str(exc.detail)
        return respond(request, error_body(exc.status_code, message), dict(exc.headers or {}) or None)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        detail = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        problems = "; ".join(f"{d['where']}: {d['problem']}" for d in detail)
        return respond(request, error_body(422, f"invalid request: {problems}", detail=detail))

    async def not_found(request: Request, exc: Exception) -> Response:
        return respond(request, error_body(404, str(exc)))

    async def tally_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, InputError | ArgumentError):
            return respond(request, error_body(422, str(exc)))
        log.error("store error on %s: %s", request.url.path, exc)
        return respond(request, error_body(503, f"the ledger cannot be read right now: {exc}"))

    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path, exc_info=exc)
        return JSONResponse(
            error_body(500, "internal error; the server log has the details"), status_code=500
        )

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(TallyError, tally_error)
    app.add_exception_handler(Exception, crash)
