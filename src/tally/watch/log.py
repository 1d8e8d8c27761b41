"""Structured log lines for a watcher that runs as a service: one event a line on stderr,
`key=value` pairs after the time, level and event name (logfmt), so journald, grep and
log shippers all read them:

    2026-12-05T09:30:02Z warning source.failed source=https://news.example/feed.xml failures=2 retry_in=1h problem="HTTP 404 Not Found"
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import IO, Any

LOGGER = "tally.watch"
log = logging.getLogger(LOGGER)
_BARE = re.compile(r"^[\w.:/@+-]+$")


def event(level: int, name: str, **fields: Any) -> None:
    """Log one event with its fields (None values left out)."""
    log.log(level, name, extra={"fields": {k: v for k, v in fields.items() if v is not None}})


def _value(v: Any) -> str:
    if isinstance(v, float):
        v = f"{v:g}"
    text = str(v)
    if _BARE.match(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class Logfmt(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        fields = getattr(record, "fields", {})
        pairs = " ".join(f"{k}={_value(v)}" for k, v in fields.items())
        line = f"{when} {record.levelname.lower()} {record.getMessage()}"
        return f"{line} {pairs}" if pairs else line


@contextmanager
def to_stream(stream: IO[str], level: int = logging.INFO) -> Iterator[None]:
    """Send the watcher's log lines to `stream` while the block runs (a command's lifetime)."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(Logfmt())
    was = (log.level, log.propagate)
    log.addHandler(handler)
    log.setLevel(level)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(was[0])
        log.propagate = was[1]


def duration(seconds: float) -> str:
    """'45s', '30m', '2h', '1h30m' for a log line."""
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    h, m = divmod(s // 60, 60)
    return f"{h}h{m}m" if h and m else (f"{h}h" if h else f"{m}m")
