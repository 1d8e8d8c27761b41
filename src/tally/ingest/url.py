"""URLs in: a polite HTTP fetcher, and readers for URL arguments and URL-list files.

Fetching goes through one `Fetcher`, which takes its `httpx.Client` (or transport) from the
caller, so tests answer with `httpx.MockTransport` or a loopback server and nothing here
decides where bytes come from. The fetcher behaves as a crawler should toward news sites:
it names itself (`USER_AGENT`), reads robots.txt before a host's pages (RFC 9309), waits
between requests to one host, retries only what may succeed later (5xx, 429, timeouts,
refused connections) with exponential backoff, and stops reading a response past a size cap.
A URL that cannot be used is a `Failure` naming it; the run goes on with the next one.
"""

from __future__ import annotations

import hashlib
import time
import urllib.robotparser
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tally import __version__
from tally.errors import InputError
from tally.ingest.decode import decode
from tally.ingest.files import read_bytes
from tally.model import Failure, RawDoc

if TYPE_CHECKING:
    import httpx

# Placeholder contact page for site owners who see Tally in their logs: set it to the
# project's public page before fetching at scale.
CONTACT_URL = "https://example.org/tally/crawler"
# The token robots.txt rules are matched against ("User-agent: Tally").
ROBOTS_AGENT = "Tally"
USER_AGENT = f"Tally/{__version__} (+{CONTACT_URL}; reads news for aggregate figures)"

# Seconds for connecting and for each read; a server slower than this is retried, then given up.
TIMEOUT = 15.0
# Attempts after the first for 5xx, 429 and connection errors; 4xx others fail at once.
RETRIES = 3
# First wait before a retry; it doubles each time, up to MAX_BACKOFF (Retry-After is obeyed
# up to the same ceiling).
BACKOFF = 1.0
MAX_BACKOFF = 30.0
# Least seconds between two requests to one host (robots.txt Crawl-delay may ask for more,
# up to MAX_CRAWL_DELAY, past which the host is served at that pace anyway).
HOST_INTERVAL = 1.0
MAX_CRAWL_DELAY = 30.0
# Largest response body read (after content decoding, so a gzip bomb stops here too).
MAX_BYTES = 20_000_000
# RFC 9309 asks crawlers to parse at least 500 KiB of robots.txt; more is ignored.
ROBOTS_MAX_BYTES = 512_000
MAX_REDIRECTS = 5

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_TEXT_TYPES = ("text/plain",)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


class FetchError(InputError):
    """A URL could not be fetched, or its answer cannot be used as an article."""


class Unavailable(FetchError):
    """The server did not answer usefully (5xx, 429, timeout, no connection) even after the
    retries: asking again later may succeed, unlike for a 404 or a page that is no article."""


@dataclass(slots=True)
class Page:
    """One fetched response: the final URL (after redirects), its media type and body."""

    url: str
    status: int
    content: bytes
    media_type: str
    charset: str | None = None
    # The validators a conditional request sends back next time (RFC 9110 section 13).
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """A 304: the resource is as it was when the validators were given."""
        return self.status == 304


def is_url(arg: str) -> bool:
    return arg.lower().startswith(("http://", "https://"))


def doc_id(url: str) -> str:
    """A stable name for a fetched page: its host and a short hash of the URL."""
    return f"{_host(url)}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:10]}"


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "url").removeprefix("www.")


class Fetcher:
    """Fetch URLs politely through an injected httpx client; `fetch` raises FetchError.

    Pass `client` (used as given, not closed here) or `transport` (a client is built on
    it); with neither, a real network client is built. `sleep` and `clock` are injected
    so tests of backoff and rate limits take no time.
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = TIMEOUT,
        retries: int = RETRIES,
        backoff: float = BACKOFF,
        host_interval: float = HOST_INTERVAL,
        max_bytes: int = MAX_BYTES,
        robots: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        import httpx  # here, not at the top: a run that reads only files never pays its import

        self._own = client is None
        self.client = client or httpx.Client(
            transport=transport,
            timeout=timeout,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT},
        )
        self.retries = retries
        self.backoff = backoff
        self.host_interval = host_interval
        self.max_bytes = max_bytes
        self.robots = robots
        self._sleep = sleep
        self._clock = clock
        self._next_slot: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}
        self._rules: dict[str, urllib.robotparser.RobotFileParser] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._own:
            self.client.close()

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Page:
        """The page at `url` (2xx only), after robots.txt allowed it; FetchError otherwise.

        With `etag` or `last_modified` (from an earlier Page) the request is conditional: a
        server that has nothing new answers 304, returned as a Page with no content whose
        `not_modified` is true.
        """
        if not is_url(url):
            raise FetchError("not an http:// or https:// URL")
        if self.robots and not self._allowed(url):
            raise FetchError(f"disallowed by {_origin(url)}/robots.txt for {ROBOTS_AGENT}; skipped")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, self.max_bytes, self.retries, headers=headers)

    # -- politeness ---------------------------------------------------------------
    def _allowed(self, url: str) -> bool:
        origin = _origin(url)
        rules = self._rules.get(origin)
        if rules is None:
            rules = self._rules[origin] = self._load_robots(origin)
        return rules.can_fetch(ROBOTS_AGENT, url)

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser:
        """The host's rules, by RFC 9309: a 4xx means no rules; a server or network error
        means everything is disallowed until a later run finds the file."""
        rules = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        try:
            page = self._get(f"{origin}/robots.txt", ROBOTS_MAX_BYTES, self.retries, truncate=True)
        except _ClientError:
            rules.parse([])  # no rules: everything allowed
            return rules
        except FetchError:
            rules.parse(["User-agent: *", "Disallow: /"])
            return rules
        rules.parse(page.content.decode("utf-8", "replace").splitlines())
        delay = rules.crawl_delay(ROBOTS_AGENT)
        if delay:
            self._crawl_delay[urlsplit(origin).netloc] = min(float(delay), MAX_CRAWL_DELAY)
        return rules

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        now = self._clock()
        ready = self._next_slot.get(host, now)
        if ready > now:
            self._sleep(ready - now)
        interval = max(self.host_interval, self._crawl_delay.get(host, 0.0))
        self._next_slot[host] = max(ready, now) + interval

    # -- one request, with retries -------------------------------------------------
    def _get(
        self,
        url: str,
        cap: int,
        retries: int,
        *,
        truncate: bool = False,
        headers: dict[str, str] | None = None,
    ) -> Page:
        last = _Retry("not attempted")
        for attempt in range(retries + 1):
            if attempt:
                # Exponential backoff, or longer when the server said how long to wait.
                wait = max(self.backoff * 2 ** (attempt - 1), last.after)
                self._sleep(min(wait, MAX_BACKOFF))
            self._wait_turn(url)
            try:
                return self._once(url, cap, truncate, headers or {})
            except _Retry as exc:
                last = exc
        tries = "attempt" if retries == 0 else "attempts"
        raise Unavailable(f"{last} (gave up after {retries + 1} {tries})")

    def _once(self, url: str, cap: int, truncate: bool, headers: dict[str, str]) -> Page:
        import httpx

        try:
            with self.client.stream("GET", url, headers={"User-Agent": USER_AGENT, **headers}) as resp:
                status = resp.status_code
                if status == 304 and headers:
                    return Page(str(resp.url), status, b"", "", None, *_validators(resp))
                if status in _RETRY_STATUS:
                    after = resp.headers.get("retry-after", "")
                    raise _Retry(f"HTTP {status} {resp.reason_phrase}", after)
                if status >= 400:
                    raise _ClientError(f"HTTP {status} {resp.reason_phrase}")
                if status >= 300:
                    raise FetchError(f"HTTP {status}: redirect without a usable Location")
                body = _read_capped(resp, cap, truncate)
                media, charset = _content_type(resp.headers.get("content-type", ""))
                return Page(str(resp.url), status, body, media, charset, *_validators(resp))
        except httpx.TimeoutException as exc:
            raise _Retry(f"timed out ({type(exc).__name__})") from exc
        except httpx.TooManyRedirects as exc:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects") from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise FetchError(f"bad URL: {exc}") from exc
        except httpx.TransportError as exc:
            raise _Retry(f"connection failed: {exc or type(exc).__name__}") from exc


class _Retry(Exception):
    """An answer worth asking again for (5xx, 429, timeout, connection error)."""

    def __init__(self, reason: str, retry_after: str = "") -> None:
        super().__init__(reason)
        # Retry-After in seconds; the HTTP-date form is rare for news sites and ignored.
        self.after = float(retry_after) if retry_after.strip().isdigit() else 0.0


class _ClientError(FetchError):
    """A 4xx answer: asking again will not help."""


def _read_capped(resp: httpx.Response, cap: int, truncate: bool) -> bytes:
    declared = resp.headers.get("content-length", "")
    if not truncate and declared.isdigit() and int(declared) > cap:
        raise FetchError(f"response larger than {cap:,} bytes ({int(declared):,} declared); skipped")
    chunks: list[bytes] = []
    total = 0
    for chunk in resp.iter_bytes():
        chunks.append(chunk)
        total += len(chunk)
        if total > cap:
            if truncate:
                return b"".join(chunks)[:cap]
            raise FetchError(f"response larger than {cap:,} bytes; skipped")
    return b"".join(chunks)


def _validators(resp: httpx.Response) -> tuple[str | None, str | None]:
    return resp.headers.get("etag"), resp.headers.get("last-modified")


def _content_type(header: str) -> tuple[str, str | None]:
    msg = Message()
    msg["content-type"] = header or "application/octet-stream"
    return msg.get_content_type(), msg.get_param("charset")  # type: ignore[return-value]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class FetcherSlot:
    """A fetcher made on first use (most runs fetch nothing) and closed if made here."""

    def __init__(self, fetcher: Fetcher | None = None) -> None:
        self._given = fetcher
        self._made: Fetcher | None = None

    def get(self) -> Fetcher:
        if self._given is not None:
            return self._given
        if self._made is None:
            self._made = Fetcher()
        return self._made

    def close(self) -> None:
        if self._made is not None:
            self._made.close()
            self._made = None


# -- readers -------------------------------------------------------------------------


def read_url(url: str, slot: FetcherSlot, max_bytes: int) -> Iterator[RawDoc | Failure]:
    """The document at one URL: a page, or every entry of a feed; a Failure if unusable."""
    from tally.ingest import feed  # feed fetches linked pages through this module

    try:
        page = fetch_page(url, slot, max_bytes)
        if page.media_type in _FEED_TYPES or (page.media_type.endswith("xml") and feed.sniff(page.content)):
            yield from feed.parse(page.content, url, _host(url), slot, max_bytes)
            return
        yield page_doc(page, doc_id(url), url)
    except InputError as exc:
        yield Failure(source=url, reason=str(exc))


def fetch_page(url: str, slot: FetcherSlot, max_bytes: int) -> Page:
    """Fetch one URL within the reader's size cap; FetchError if it cannot be had."""
    page = slot.get().fetch(url)
    if len(page.content) > max_bytes:
        raise FetchError(f"response larger than {max_bytes:,} bytes; skipped")
    return page


def page_doc(page: Page, name: str, source: str) -> RawDoc:
    """A fetched HTML or plain-text page as a RawDoc; InputError for anything else."""
    if page.media_type not in _HTML_TYPES + _TEXT_TYPES:
        raise FetchError(f"not an article: content type {page.media_type}; skipped")
    text, encoding = page_text(page)
    fmt = "text" if page.media_type in _TEXT_TYPES else "html"
    return RawDoc(doc_id=name, source=source, content=text, fmt=fmt, url=page.url, encoding=encoding)


def page_text(page: Page) -> tuple[str, str]:
    """The body as text: the declared charset when it decodes cleanly, else guessed; binary
    bodies are refused whatever charset they are labelled with."""
    if not page.content.strip():
        raise FetchError("empty page: the server sent no text")
    return decode(page.content, page.charset)


def read_list(path: str, slot: FetcherSlot, max_bytes: int) -> Iterator[RawDoc | Failure]:
    """Every URL of a `.urls` file (one a line; blank lines and `#` comments skipped)."""
    try:
        text, _encoding = decode(read_bytes(path, max_bytes))
    except InputError as exc:
        yield Failure(source=path, reason=str(exc))
        return
    for n, line in enumerate(text.splitlines(), start=1):
        arg = line.strip()
        if not arg or arg.startswith("#"):
            continue
        if not is_url(arg):
            yield Failure(source=f"{path}:{n}", reason=f"not an http:// or https:// URL: {arg[:80]!r}")
            continue
        yield from read_url(arg, slot, max_bytes)
