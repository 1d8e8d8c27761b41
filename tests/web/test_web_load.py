"""Load: 200 concurrent clients on loopback for 30 s against `tally serve`, asking for the
overview and a series page, while `tally ingest` writes new articles into the same SQLite
store. No request may fail; p50 and p95 of each page are printed and written to
tests/artifacts/load.json.

WEB_LOAD_CLIENTS and WEB_LOAD_SECONDS shorten a local run; `make test` uses the defaults.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
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


def _documents(base: str) -> int:
    return int(httpx.get(base + "/documents.json", params={"limit": 1}, timeout=30).json()["page"]["total"])


async def _load(base: str, paths: dict[str, str], clients: int, seconds: float) -> dict[str, Any]:
    """`clients` coroutines, each on its own keep-alive connection, asking for the pages in
    turn until the time is up. Every answer but a 200, and every failed request, is an error."""
    latencies: dict[str, list[float]] = {name: [] for name in paths}
    errors: list[str] = []
    names = list(paths)
    # A client of its own per simulated user: one shared pool of 200 connections costs
    # httpx more than the server spends answering, and would measure the client. They
    # share one TLS context (unused on http://, but httpx builds one per client otherwise).
    tls = ssl.create_default_context()
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    https = [
        httpx.AsyncClient(base_url=base, limits=limits, timeout=REQUEST_TIMEOUT, verify=tls)
        for _ in range(clients)
    ]
    deadline = time.monotonic() + seconds

    async def client(n: int, http: httpx.AsyncClient) -> None:
        i = n
        while time.monotonic() < deadline:
            name = names[i % len(names)]
            i += 1
            t0 = time.perf_counter()
            try:
                r = await http.get(paths[name])
                if r.status_code != 200:
                    errors.append(f"{name}: HTTP {r.status_code}")
                    continue
            except httpx.HTTPError as exc:
                errors.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            latencies[name].append(time.perf_counter() - t0)

    try:
        await asyncio.gather(*(client(n, http) for n, http in enumerate(https)))
    finally:
        for http in https:
            await http.aclose()
    return {"latencies": latencies, "errors": errors}


def _quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def test_200_clients_for_30_seconds_while_an_ingest_writes(
    ledger_db: Path, tmp_path: Path, artifacts: Path, web: Any, fr_joined: str
) -> None:
    db = web.copy_db(ledger_db, tmp_path / "ledger.db")
    corpus = _corpus(tmp_path / "corpus.jsonl")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALLY_")}
    env["TALLY_DB"] = str(db)
    with web.serve_process(db, log=tmp_path / "serve.log") as base:
        paths = {"overview": "/", "series": fr_joined}
        for path in paths.values():  # warm: the first request reconciles the ledger
            assert httpx.get(base + path, timeout=60).status_code == 200
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


@pytest.mark.parametrize("q", [0.5, 0.95])
def test_quantile_of_a_known_sample(q: float) -> None:
    values = [i / 100 for i in range(1, 101)]
    assert _quantile(values, q) == pytest.approx(q, abs=0.011)
