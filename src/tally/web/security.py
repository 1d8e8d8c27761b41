"""Headers every response carries, and the static files Tally serves itself.

Article text is untrusted, so the browser is told to run no script but Tally's own
files (`script-src 'self'`: no inline script, no inline event handler, no eval) and to
apply no inline style. The templates escape everything; the policy is the second wall,
for the day a template forgets.

Static files come from two places only: this package's `static/` folder (Starlette's
StaticFiles, which resolves every path and refuses any that leaves the folder) and
plotly.js from the installed plotly package, at one fixed path. Nothing is fetched
from a CDN, so the dashboard works offline.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
# Static assets change only with a new Tally; their URLs carry the version (?v=).
STATIC_MAX_AGE = 86_400
PLOTLY_PATH = "/static/vendor/plotly.min.js"
PLOTLY_CSS_PATH = "/static/vendor/plotly.css"
# plotly.js injects its stylesheet with a <style> element, which the policy forbids; a
# page tells it not to (an element with this id and class) and links the same rules,
# read once out of plotly.min.js, as a file.
PLOTLY_STYLE_ID = "plotly.js-style-global"


class SecurityHeaders:
    """ASGI middleware: set the policy headers on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if scope["path"].startswith("/static/"):
                    headers.setdefault("cache-control", f"public, max-age={STATIC_MAX_AGE}")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def static_dir() -> Path:
    return Path(str(files("tally.web").joinpath("static")))


def static_files() -> StaticFiles:
    """Tally's own CSS and JS; symlinks are resolved, so a link out of the folder is refused too."""
    return StaticFiles(directory=static_dir(), follow_symlink=False)


def plotly_file() -> Path:
    """plotly.min.js as shipped in the plotly package (the chart library, bundled)."""
    return Path(str(files("plotly").joinpath("package_data", "plotly.min.js")))


async def plotly_js() -> FileResponse:
    return FileResponse(plotly_file(), media_type="text/javascript")


_STRING = r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'"
_RULE = re.compile(r"\s*(" + _STRING + r"|[A-Za-z_$][\w$]*)\s*:\s*(" + _STRING + r")\s*([,}])")
# The first selector of plotly.js's stylesheet object, and what its placeholders stand for.
_FIRST_RULE = '"X,X div"'
_PLACEHOLDERS = (("X", ".js-plotly-plot .plotly"), ("Y", ".plotly-notifier"))


def _js_string(literal: str) -> str:
    if literal[0] not in "\"'":
        return literal
    body = literal[1:-1]
    return json.loads('"' + body.replace('\\"', '"').replace('"', '\\"') + '"')


@cache
def plotly_css() -> str:
    """plotly.js's own stylesheet, read out of plotly.min.js: the object of selector ->
    declarations it would have inserted, with its placeholders expanded. Rules are written
    last-first, as plotly inserts each at the top of its sheet."""
    source = plotly_file().read_text(encoding="utf-8")
    start = source.find(_FIRST_RULE)
    if start < 0:
        raise RuntimeError("plotly.min.js has no stylesheet object where Tally expects one")
    pos = source.rfind("{", 0, start) + 1
    rules: list[str] = []
    while True:
        m = _RULE.match(source, pos)
        if m is None:
            raise RuntimeError(f"cannot read plotly.js's stylesheet near {source[pos : pos + 60]!r}")
        selector = _js_string(m.group(1))
        if selector.startswith(","):
            selector = " " + selector
        for mark, expansion in _PLACEHOLDERS:
            selector = selector.replace(mark, expansion)
        rules.append(f"{selector}{{{_js_string(m.group(2))}}}")
        pos = m.end()
        if m.group(3) == "}":
            break
    return "/* plotly.js stylesheet, from the bundled plotly.min.js */\n" + "\n".join(reversed(rules)) + "\n"


# Bundled libraries in plotly.min.js that add their stylesheet unless an element with
# their id is already in the page (maplibre, for map traces Tally does not draw).
_GUARDED_STYLE = re.compile(
    r'document\.getElementById\("([0-9a-f]{64})"\)\)\{var \w+=document\.createElement\("style"\)'
)


@cache
def plotly_style_ids() -> tuple[str, ...]:
    """The ids a page declares so that plotly.js inserts no <style> element of its own."""
    source = plotly_file().read_text(encoding="utf-8")
    return (PLOTLY_STYLE_ID, *dict.fromkeys(_GUARDED_STYLE.findall(source)))


async def plotly_stylesheet() -> Response:
    return Response(plotly_css(), media_type="text/css")
