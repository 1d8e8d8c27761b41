"""Fixtures for the dashboard tests: a ledger ingested from small test articles, and real
servers over it (uvicorn in a thread for the API tests, `tally serve` in a subprocess for
the browser and load tests).

The articles in data/articles.jsonl were written for these tests: nine short news-style
items on France, Belgium and Germany, where three outlets restate one Interior Ministry
figure (an origin with its echoes, one echo turning 'at least' into 'more than'), a
research institute gives a figure that conflicts with it, and other years give the
chart its time axis. They go through the real pipeline, as `tally ingest` would.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

HERE = Path(__file__).parent
ARTICLES = HERE / "data" / "articles.jsonl"
ARTIFACTS = HERE.parent / "artifacts"
TOKEN = "test-token-0123456789"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ingest_into(path: Path, inputs: list[Path]) -> Path:
    """A SQLite ledger at `path` holding `inputs`, ingested through the real pipeline."""
    from tally import ledger, store

    with store.open(str(path)) as s:
        summary = ledger.ingest([str(p) for p in inputs], s)
    assert summary.counts.documents > 0
    return path


def copy_db(src: Path, dest: Path) -> Path:
    """A copy of a closed SQLite ledger (with its WAL, should one be left)."""
    shutil.copy(src, dest)
    for suffix in ("-wal", "-shm"):
        side = Path(str(src) + suffix)
        if side.exists():
            shutil.copy(side, Path(str(dest) + suffix))
    return dest


@pytest.fixture(scope="session")
def ledger_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test articles ingested once per session into a SQLite ledger (do not write to it)."""
    return ingest_into(tmp_path_factory.mktemp("web-ledger") / "ledger.db", [ARTICLES])


@pytest.fixture
def ledger_copy(ledger_db: Path, tmp_path: Path) -> Path:
    """A private copy of the session ledger, for tests that write."""
    return copy_db(ledger_db, tmp_path / "ledger.db")


@contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Run an ASGI app under a real uvicorn server in a thread; yield its base URL."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def serve_process(
    db: Path, *, token: str | None = None, log: Path | None = None, workers: int | None = None
) -> Iterator[str]:
    """Run `tally serve` over `db` in a subprocess on a free loopback port; yield its URL.
    `workers` None leaves the command its default (several processes)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALLY_")}
    env["TALLY_DB"] = str(db)
    if token:
        env["TALLY_TOKEN"] = token
    cmd = [
        sys.executable,
        "-c",
        "from tally.cli import main; main()",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        *(["--workers", str(workers)] if workers is not None else []),
    ]
    out = log.open("w") if log else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                detail = log.read_text() if log else ""
                raise RuntimeError(f"tally serve exited with {proc.returncode}: {detail}")
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("tally serve did not answer in time")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log and out is not subprocess.DEVNULL:
            out.close()  # type: ignore[union-attr]


@pytest.fixture(scope="session")
def site(ledger_db: Path) -> Iterator[str]:
    """A read-only server over the session ledger (no token): base URL."""
    from tally import store
    from tally.web import create_app

    with store.open(str(ledger_db)) as s, serve_app(create_app(s)) as base:
        yield base


@pytest.fixture
def client(site: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site, timeout=30) as c:
        yield c


def all_series(base: str) -> list[dict[str, Any]]:
    """Every series page's JSON twin."""
    with httpx.Client(base_url=base, timeout=60) as c:
        return [c.get(s["href"] + ".json").json() for s in c.get("/series.json").json()["series"]]


@pytest.fixture(scope="session")
def fr_joined(site: str) -> str:
    """The series the overview's France x joined cell opens. Which scope it is (cumulative,
    or not stated) is the extractor's reading of the articles, so the tests follow the
    link as a reader would instead of spelling the path out."""
    data = httpx.get(site + "/index.json", timeout=60).json()
    row = next(r for r in data["rows"] if r["origin"] == "FR")
    href: str = row["cells"][data["statuses"].index("joined")]["href"]
    return href


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium; the tests fail (never skip) without it: scripts/system-deps.sh installs it."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} not found: run scripts/system-deps.sh (installs Debian chromium)", pytrace=False
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def web() -> Any:
    """The helpers and constants above, for test modules (tests/ is not a package)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        TOKEN=TOKEN,
        ARTICLES=ARTICLES,
        serve_app=serve_app,
        serve_process=serve_process,
        ingest_into=ingest_into,
        copy_db=copy_db,
        free_port=free_port,
        all_series=all_series,
    )
