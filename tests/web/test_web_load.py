"""Load: 200 concurrent clients on loopback for 30 s against `tally serve` (its default of
several worker processes) over a ledger of 500 real articles, asking in turn for the
overview, a series, the sources, a search, the documents and a series' JSON twin, while
`tally ingest` writes new articles into the same SQLite store.

The ledger: the articles of ../shared/eval/docs (dev and train: 241 about foreign
fighters, in English, French and German) and BBC articles of ../shared/corpora/bbc-fulltext
(every n-th file of the 2,225, to 500 in all), read in place and stored once per test
session by `tally ingest --workers 2` (about 25 s here). Without ../shared the test skips.

The clients are 200 keep-alive connections on asyncio streams in this process (see
`_Connection`: httpx cost more CPU per request than the server it measured).

Asserted: no request fails (every answer a 200), the ingest writes during the load, every
page is answered, and >= 200 requests/s in all (issue 13's target; measured at about 800
here, on a machine that others were loading too). Written to tests/artifacts/load.json:
p50, p95, max and requests/s per page. p95 <= 1 s for every page is asserted only with
WEB_LOAD_TARGETS=1: measured at 0.6-0.8 s, but with 200 clients and no think time a
page's latency is the clients over the rate the 2 cores leave the server beside the
ingest, the clients and whatever else runs, so it is not a margin a shared CI machine
keeps every time.

WEB_LOAD_CLIENTS and WEB_LOAD_SECONDS shorten a local run; `make test` uses the defaults.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

CLIENTS = int(os.environ.get("WEB_LOAD_CLIENTS", "200"))
SECONDS = float(os.environ.get("WEB_LOAD_SECONDS", "30"))
TARGETS = os.environ.get("WEB_LOAD_TARGETS") == "1"
# Issue 13's targets: every page's p95, and the requests answered per second in all.
P95_TARGET_S = 1.0
RPS_TARGET = 200.0
SHARED = Path(os.environ.get("SHARED") or Path(__file__).resolve().parents[2].parent / "shared")
LEDGER_ARTICLES = 500
EVAL_SETS = ("dev", "train")
# What readers search for, in turn: a search is rendered once per ledger state and query,
# as any page is, so a handful of common queries is what a crowd of readers costs.
QUERIES = ["foreign fighters", "Syria", "returned home", "ministry", "prison", "combattants"]
BUILD_TIMEOUT = 600
# Articles in the corpus the concurrent ingest works through: more than it can finish in
# the window, so it writes from the first second to the last.
CORPUS_SIZE = 3000
REQUEST_TIMEOUT = 60.0
OUTLETS = ["Wire One", "Daily Two", "The Third Post", "Radio Four", "Fifth Gazette", "Sixth Herald"]
# The ingest writes about other countries than the measured series: the series page keeps
# its size, while the overview grows by a row per country and every commit changes the
# ledger the pages are reconciled from.
COUNTRIES = [
    ("Spanish", "Spain"),
    ("Italian", "Italy"),
    ("Dutch", "the Netherlands"),
    ("Swedish", "Sweden"),
    ("Danish", "Denmark"),
    ("Austrian", "Austria"),
    ("Norwegian", "Norway"),
    ("Finnish", "Finland"),
]


def _corpus(path: Path) -> Path:
    """Distinct short articles (each number differs) in the style of the test articles."""
    with path.open("w", encoding="utf-8") as fh:
        for n in range(CORPUS_SIZE):
            people, country = COUNTRIES[n % len(COUNTRIES)]
            joined, back = 500 + n, 50 + n % 400
            year = 2014 + n % 6
            text = (
                f"{country}: new count of fighters ({n})\n\n"
                f"About {joined:,} {people} nationals have joined jihadist groups in Syria and Iraq, "
                f"the Interior Ministry said in {year}.\n\n"
                f"Officials said {back} of them have returned to {country}."
            )
            record = {
                "id": f"load-{n}",
                "text": text,
                "outlet": OUTLETS[n % len(OUTLETS)],
                "url": f"https://load.example/{n}",
                "published": f"{year}-0{1 + n % 9}-1{n % 10}",
            }
            fh.write(json.dumps(record) + "\n")
    return path


def _ledger_inputs(shared: Path) -> list[Path]:
    """The eval articles (dev, train), then every n-th BBC article, LEDGER_ARTICLES in all."""
    topical = [p for name in EVAL_SETS for p in sorted((shared / "eval" / "docs" / name).glob("*.txt"))]
    bbc = sorted((shared / "corpora" / "bbc-fulltext").glob("*/*.txt"))
    need = max(0, LEDGER_ARTICLES - len(topical))
    step = len(bbc) / need if need else 1
    return topical + [bbc[int(i * step)] for i in range(need)]


@pytest.fixture(scope="module")
def ledger_500(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """500 real articles stored by `tally ingest --workers 2`, once for this module."""
    if not (SHARED / "eval" / "docs").is_dir() or not (SHARED / "corpora" / "bbc-fulltext").is_dir():
        pytest.skip(f"the articles of {SHARED}/eval/docs and {SHARED}/corpora/bbc-fulltext are not here")
    inputs = _ledger_inputs(SHARED)
    folder = tmp_path_factory.mktemp("load-ledger")
    db = folder / "ledger.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALLY_")}
    env["TALLY_DB"] = str(db)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tally.cli import main; main()",
            "ingest",
            "--workers",
            "2",
            "--no-progress",
        ]
        + [str(p) for p in inputs],
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return db


def _documents(base: str) -> int:
    return int(httpx.get(base + "/documents.json", params={"limit": 1}, timeout=30).json()["page"]["total"])


class _Connection:
    """One simulated reader's keep-alive HTTP/1.1 connection, on asyncio streams.

    Not httpx: on this 2-core machine the load generator shares the cores with the server
    and the ingest it measures, and httpx spends about 1.4 ms of CPU per request (more
    than the server answering a kept page), which would measure the client. This reads
    what a browser reads: the status, the headers, and the whole body (gzipped when the
    server sends it so; not unpacked)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        """GET `path`; its status. Raises OSError, EOFError or ValueError on a broken answer."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept-Encoding: gzip\r\n\r\n"
        self.writer.write(head.encode("ascii"))
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise EOFError("connection closed before an answer")
        status = int(status_line.split()[1])
        length = None
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        if length is None:
            raise ValueError(f"no content-length in the answer to {path}")
        await self.reader.readexactly(length)
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
            self.reader = self.writer = None


async def _load(base: str, paths: dict[str, str | list[str]], clients: int, seconds: float) -> dict[str, Any]:
    """`clients` coroutines, each on its own keep-alive connection, asking for the pages in
    turn (a page given as a list: its URLs in turn) until the time is up. Every answer but
    a 200, and every failed or timed-out request, is an error (the connection is then opened
    again)."""
    latencies: dict[str, list[float]] = {name: [] for name in paths}
    errors: list[str] = []
    names = list(paths)
    url = httpx.URL(base)
    assert url.port is not None
    connections = [_Connection(url.host, url.port) for _ in range(clients)]
    deadline = time.monotonic() + seconds

    async def client(n: int, conn: _Connection) -> None:
        i = n
        while time.monotonic() < deadline:
            name = names[i % len(names)]
            each = paths[name]
            path = each if isinstance(each, str) else each[(i // len(names)) % len(each)]
            i += 1
            t0 = time.perf_counter()
            try:
                status = await asyncio.wait_for(conn.get(path), REQUEST_TIMEOUT)
            except (OSError, EOFError, ValueError, IndexError, TimeoutError) as exc:
                errors.append(f"{name}: {type(exc).__name__}: {exc}")
                await conn.close()
                continue
            if status != 200:
                errors.append(f"{name}: HTTP {status}")
                continue
            latencies[name].append(time.perf_counter() - t0)

    try:
        await asyncio.gather(*(client(n, c) for n, c in enumerate(connections)))
    finally:
        for conn in connections:
            await conn.close()
    return {"latencies": latencies, "errors": errors}


def _quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def _page_mix(base: str) -> dict[str, str | list[str]]:
    """The pages the clients ask for in turn: a search rotates over QUERIES. The series is
    the one the overview's France x joined cell opens, as a reader would follow it."""
    data = httpx.get(base + "/index.json", timeout=120).json()
    row = next(r for r in data["rows"] if r["origin"] == "FR")
    series: str = row["cells"][data["statuses"].index("joined")]["href"]
    return {
        "overview": "/",
        "series": series,
        "sources": "/sources",
        "search": [str(httpx.URL("/search", params={"q": q})) for q in QUERIES],
        "documents": "/documents",
        "series.json": series + ".json",
    }


def test_200_clients_for_30_seconds_on_500_articles_while_an_ingest_writes(
    ledger_500: Path, tmp_path: Path, artifacts: Path, web: Any
) -> None:
    db = web.copy_db(ledger_500, tmp_path / "ledger.db")
    corpus = _corpus(tmp_path / "corpus.jsonl")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALLY_")}
    env["TALLY_DB"] = str(db)
    with web.serve_process(db, log=tmp_path / "serve.log") as base:
        paths = _page_mix(base)
        for each in paths.values():  # warm: the first request of a worker reconciles the ledger
            for path in [each] if isinstance(each, str) else each:
                assert httpx.get(base + path, timeout=120).status_code == 200
        before = _documents(base)
        ingest_log = (tmp_path / "ingest.log").open("w")
        ingest = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from tally.cli import main; main()",
                "ingest",
                str(corpus),
                "--no-progress",
            ],
            env=env,
            stdout=ingest_log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while _documents(base) == before:  # the ingest has loaded its models and writes
                assert ingest.poll() is None, (tmp_path / "ingest.log").read_text()
                assert time.monotonic() < deadline, (
                    "the ingest wrote nothing in 120 s: " + (tmp_path / "ingest.log").read_text()
                )
                time.sleep(0.2)
            at_start = _documents(base)
            t0 = time.monotonic()
            # In a thread of its own: the browser tests' Playwright may hold this one's event loop.
            with ThreadPoolExecutor(1) as pool:
                result = pool.submit(lambda: asyncio.run(_load(base, paths, CLIENTS, SECONDS))).result()
            elapsed = time.monotonic() - t0
            at_end = _documents(base)
            still_writing = ingest.poll() is None
        finally:
            ingest.terminate()  # a killed ingest loses nothing it committed
            ingest.wait(timeout=30)
            ingest_log.close()

    lat = result["latencies"]
    requests = sum(len(v) for v in lat.values())
    report = {
        "ledger_documents_at_start": at_start,
        "workers": _workers(tmp_path / "serve.log"),
        "clients": CLIENTS,
        "seconds": SECONDS,
        "elapsed": round(elapsed, 2),
        "requests": requests,
        "requests_per_second": round(requests / elapsed, 1),
        "errors": len(result["errors"]),
        "error_samples": result["errors"][:10],
        "documents_written_during_load": at_end - at_start,
        "ingest_still_writing_at_end": still_writing,
        "pages": {
            name: {
                "path": paths[name],
                "requests": len(values),
                "requests_per_second": round(len(values) / elapsed, 1),
                "p50_ms": round(_quantile(values, 0.50) * 1000, 1),
                "p95_ms": round(_quantile(values, 0.95) * 1000, 1),
                "max_ms": round(max(values) * 1000, 1) if values else None,
            }
            for name, values in lat.items()
        },
    }
    (artifacts / "load.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print("\nload:", json.dumps(report, indent=2))
    assert result["errors"] == [], (result["errors"][:10], (tmp_path / "serve.log").read_text()[-2000:])
    assert report["documents_written_during_load"] > 0, "the ingest must write while the load runs"
    assert all(len(v) > 0 for v in lat.values())
    assert at_start >= LEDGER_ARTICLES - 10  # the ledger is the one measured (a few may be one text)
    assert report["requests_per_second"] >= RPS_TARGET, report["requests_per_second"]
    if TARGETS:
        slow = {n: p["p95_ms"] for n, p in report["pages"].items() if p["p95_ms"] > P95_TARGET_S * 1000}
        assert not slow, f"p95 above {P95_TARGET_S} s: {slow}"


def _workers(log: Path) -> int | None:
    """The worker processes `tally serve` said it started (its first line names them)."""
    import re

    m = re.search(r"with (\d+) worker process", log.read_text())
    return int(m.group(1)) if m else None


@pytest.mark.parametrize("q", [0.5, 0.95])
def test_quantile_of_a_known_sample(q: float) -> None:
    values = [i / 100 for i in range(1, 101)]
    assert _quantile(values, q) == pytest.approx(q, abs=0.011)
