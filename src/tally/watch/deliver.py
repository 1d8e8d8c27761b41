"""Delivering alerts: JSON Lines on standard output, and webhooks.

A webhook gets each alert as a POST of its JSON, signed so the receiver can tell it comes
from this Tally and was not replayed:

    X-Tally-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>
    X-Tally-Event: conflict
    X-Tally-Delivery: <alert id>     (the same on a retry: a receiver can drop a repeat)

The key is the `webhook_secret` setting, read from TALLY_WEBHOOK_SECRET only.
`verify` checks a signature as a receiver would. A failed POST (a 5xx, 408, 429, a
timeout, no connection) is tried again with exponential backoff; a 4xx otherwise, or the
last attempt, gives up, and the watcher logs it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import IO, Any

import httpx

from tally.ingest.url import USER_AGENT

SIGNATURE_HEADER = "X-Tally-Signature"
# Attempts of one delivery before giving up, and the waits between them: 5 s, doubling, at
# most 10 minutes apart (about 20 minutes in all), so a receiver restarting is not missed.
MAX_ATTEMPTS = 8
BACKOFF = 5.0
MAX_BACKOFF = 600.0
# Seconds one POST may take.
TIMEOUT = 10.0
# A signature older than this is refused by `verify` (a replay).
TOLERANCE = 300.0
_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def to_line(alert: dict[str, Any]) -> str:
    """An alert as one JSON line (no newline inside, non-ASCII kept)."""
    return json.dumps(alert, ensure_ascii=False, separators=(",", ":"))


def write_line(out: IO[str], alert: dict[str, Any]) -> None:
    out.write(to_line(alert) + "\n")
    out.flush()


def backoff(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failed attempt."""
    return min(BACKOFF * 2 ** (attempts - 1), MAX_BACKOFF)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(
    secret: str, body: bytes, header: str, *, now: float | None = None, tolerance: float = TOLERANCE
) -> bool:
    """Whether `header` (X-Tally-Signature) signs `body` with `secret`, recently enough."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    if not parts.get("t", "").isdigit() or "v1" not in parts:
        return False
    ts = int(parts["t"])
    if abs((time.time() if now is None else now) - ts) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, ts), f"t={ts},v1={parts['v1']}")


class Refused(Exception):
    """A POST that did not deliver: why, and whether trying again may help."""

    def __init__(self, reason: str, *, retry: bool) -> None:
        super().__init__(reason)
        self.retry = retry


class Webhook:
    """POSTs alerts to one URL through an injected httpx client (tests: a MockTransport or a
    loopback receiver); raises Refused when one is not delivered."""

    def __init__(self, url: str, secret: str, client: httpx.Client, *, clock: Any = time.time) -> None:
        self.url, self.secret, self.client, self._clock = url, secret, client, clock

    def post(self, alert: dict[str, Any]) -> None:
        body = to_line(alert).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: sign(self.secret, body, int(self._clock())),
            "X-Tally-Event": str(alert.get("event")),
            "X-Tally-Delivery": str(alert.get("id")),
        }
        try:
            resp = self.client.post(self.url, content=body, headers=headers, timeout=TIMEOUT)
        except httpx.TimeoutException as exc:
            raise Refused(f"timed out ({type(exc).__name__})", retry=True) from exc
        except httpx.TransportError as exc:
            raise Refused(f"connection failed: {exc or type(exc).__name__}", retry=True) from exc
        if resp.status_code >= 300:
            raise Refused(
                f"HTTP {resp.status_code} {resp.reason_phrase}", retry=resp.status_code in _RETRY_STATUS
            )
