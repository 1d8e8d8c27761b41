"""What `tally watch` is told in tally.toml: its sources, how often, and the subscriptions.

```toml
[watch]
sources = ["https://news.example/world.rss", "feeds.urls"]
every = "30m"
dashboard = "https://tally.example.org"

[[alerts]]
name = "fr-returnees"
origin = "FR"
status = ["returned", "detained"]
events = ["new_report", "conflict", "best_changed"]
webhook = "https://hooks.example.org/tally"
```

These functions read raw values for the rows of `tally.settings.SETTINGS`; they raise
ValueError, which the settings loader turns into a ConfigError naming the file and key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# The changes the watcher alerts on; see tally.watch.events for what each means.
EVENTS = ("new_point", "new_report", "conflict", "best_changed")
# The shortest pause between rounds: a second (tests); real feeds want minutes.
MIN_EVERY = 1.0
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SUBSCRIPTION_KEYS = ("name", "events", "origin", "status", "population", "source", "webhook")


@dataclass(frozen=True, slots=True)
class Subscription:
    """One `[[alerts]]` table: which events, about which figures, and where else they go.

    A filter left out matches everything; a list matches any of its values. `source`
    matches when its text occurs in the figure's attributed source (any case).
    """

    name: str
    events: frozenset[str] = frozenset(EVENTS)
    origin: frozenset[str] | None = None
    status: frozenset[str] | None = None
    population: frozenset[str] | None = None
    source: str | None = None
    webhook: str | None = None

    @property
    def channel(self) -> str | None:
        """The delivery channel of its webhook, if it has one."""
        return f"webhook:{self.name}" if self.webhook else None


# Every alert goes to standard output, the Atom feed and the What's new page; with no
# [[alerts]] table, every event is an alert.
EVERYTHING = Subscription(name="all")


def duration(raw: Any) -> float:
    """Seconds from '30m', '1h30m', '45s', '2d' or a plain number of seconds."""
    if isinstance(raw, bool):
        raise ValueError("expected a duration such as '30m'")
    if isinstance(raw, int | float):
        seconds = float(raw)
    else:
        text = str(raw).strip().lower().replace(" ", "")
        if re.fullmatch(r"\d+(\.\d+)?", text):
            seconds = float(text)
        elif text and _DURATION.sub("", text) == "":
            seconds = sum(float(n) * _UNITS[u] for n, u in _DURATION.findall(text))
        else:
            raise ValueError("expected a duration such as '30m', '1h', '90s' or '1h30m'")
    if seconds < MIN_EVERY:
        raise ValueError(f"expected at least {MIN_EVERY:g} second")
    return seconds


def sources(raw: Any) -> list[str]:
    """A list of feed URLs, sitemap URLs and URL-list files (from the environment: a
    space- or comma-separated string)."""
    items = re.split(r"[\s,]+", raw) if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise ValueError("expected a list of URLs or files")
    return [x.strip() for x in items if x.strip()]


def http_url(raw: Any) -> str:
    if not isinstance(raw, str) or not re.match(r"^https?://[^\s/]+", raw.strip()):
        raise ValueError("expected an http:// or https:// URL")
    return raw.strip().rstrip("/")


def subscriptions(raw: Any) -> list[Subscription]:
    """The `[[alerts]]` array of tables; names must be unique (a webhook's deliveries are
    kept under its subscription's name)."""
    if isinstance(raw, str):
        raise ValueError("alerts are [[alerts]] tables in the config file, not an environment variable")
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise ValueError("expected [[alerts]] tables")
    out: list[Subscription] = []
    for n, table in enumerate(raw, start=1):
        sub = _subscription(n, table)
        if any(s.name == sub.name for s in out):
            raise ValueError(f"two [[alerts]] are named {sub.name!r}; give each its own name")
        out.append(sub)
    return out


def _subscription(n: int, table: dict[str, Any]) -> Subscription:
    where = f"[[alerts]] number {n}"
    unknown = sorted(set(table) - set(_SUBSCRIPTION_KEYS))
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r}; known keys: {', '.join(_SUBSCRIPTION_KEYS)}")
    name = str(table.get("name", f"alert-{n}"))
    if not _NAME.match(name):
        raise ValueError(f"{where}: name {name!r} must be letters, digits, '-', '_' or '.'")
    events = _words(table.get("events"), f"{where}: events") or frozenset(EVENTS)
    bad = sorted(events - set(EVENTS))
    if bad:
        raise ValueError(f"{where}: unknown event {bad[0]!r}; events are {', '.join(EVENTS)}")
    origin = _words(table.get("origin"), f"{where}: origin")
    source = table.get("source")
    if source is not None and (not isinstance(source, str) or not source.strip()):
        raise ValueError(f"{where}: source must be a non-empty string")
    webhook = table.get("webhook")
    try:
        webhook = http_url(webhook) if webhook is not None else None
    except ValueError as exc:
        raise ValueError(f"{where}: webhook: {exc}") from exc
    return Subscription(
        name=name,
        events=events,
        origin=frozenset(o.upper() for o in origin) if origin else None,
        status=_words(table.get("status"), f"{where}: status"),
        population=_words(table.get("population"), f"{where}: population"),
        source=source.strip() if source else None,
        webhook=webhook,
    )


def _words(raw: Any, where: str) -> frozenset[str] | None:
    if raw is None:
        return None
    items: Iterable[Any] = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple | str) or not all(isinstance(x, str) and x.strip() for x in items):
        raise ValueError(f"{where}: expected a word or a list of words")
    return frozenset(x.strip() for x in items) or None
