"""The records the watcher passes between its stages: what a source lists (Listing, Item),
what it remembers of a source (SourceState), and a delivery of an alert."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tally.ingest.feed import Entry


@dataclass(slots=True)
class Item:
    """One thing a source lists that may be an article: a feed entry, a sitemap URL, a line
    of a URL list. `entry` carries its identity, metadata and any content of its own."""

    source: str
    entry: Entry

    @property
    def key(self) -> str:
        """The item's identity within its source: SHA-1 of the entry's id (or link)."""
        return hashlib.sha1(self.entry.ident.encode("utf-8")).hexdigest()

    @property
    def where(self) -> str:
        """How log lines and failures name it: its link, else its place in the source."""
        return self.entry.link or f"{self.source} entry {self.entry.n}"


@dataclass(slots=True)
class Listing:
    """What one source lists now, with the validators to send next time.

    `not_modified`: the source answered that nothing changed (a 304, or the same bytes).
    `problem`: items were read but the source is broken after them (a truncated feed).
    """

    items: list[Item] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    digest: str | None = None
    not_modified: bool = False
    problem: str | None = None


@dataclass(slots=True)
class SourceState:
    """What the store remembers of one source between rounds (and restarts)."""

    source: str
    etag: str | None = None
    last_modified: str | None = None
    digest: str | None = None
    checked: datetime | None = None
    ok: datetime | None = None
    failures: int = 0
    next_try: datetime | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "digest": self.digest,
            "checked": self.checked,
            "ok": self.ok,
            "failures": self.failures,
            "next_try": self.next_try,
            "error": self.error,
        }


@dataclass(slots=True)
class Delivery:
    """One alert due on one channel (`stdout`, `webhook:<subscription>`)."""

    event_id: int
    channel: str
    attempts: int
    alert: dict[str, Any]
