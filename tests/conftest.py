"""Shared fixtures.

Ledger: a throwaway PostgreSQL cluster on loopback (initdb + pg_ctl from
/usr/lib/postgresql/*/bin, in a temporary folder, on a free port, as the postgres
user when the tests run as root), a fresh database per test, a `store_url` that runs
a test on both backends, and the stand-in pipeline of tests/store/fake_pipeline.py.
When the PostgreSQL binaries are missing the tests that need them fail, never skip:
scripts/system-deps.sh installs them.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
PG_USER = "tally"
FAKE_PIPELINE = Path(__file__).parent / "store" / "fake_pipeline.py"


def _pg_bin() -> Path:
    found = [Path(d) for d in glob.glob(PG_BIN_GLOB) if (Path(d) / "initdb").exists()]
    if not found:
        pytest.fail(
            f"PostgreSQL server binaries not found in {PG_BIN_GLOB}: run scripts/system-deps.sh "
            "(installs the Debian package postgresql)",
            pytrace=False,
        )
    return max(found, key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(root: Path) -> list[str]:
    """The command prefix that runs PostgreSQL as a non-root user (it refuses root)."""
    if os.geteuid() != 0:
        return []
    for name in ("postgres", "nobody"):
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            continue
        os.chown(root, user.pw_uid, user.pw_gid)
        return ["runuser", "-u", name, "--"]
    pytest.fail("running as root and no 'postgres' or 'nobody' user to run PostgreSQL as", pytrace=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server for this test session; yields its base URL (no database)."""
    bindir = _pg_bin()
    root = Path(tempfile.mkdtemp(prefix="tally-pg-"))
    prefix = _as_owner(root)
    data, log = root / "data", root / "server.log"
    port = _free_port()

    def run(*args: str) -> None:
        proc = subprocess.run([*prefix, *args], cwd=root, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            detail = log.read_text() if log.exists() else ""
            pytest.fail(f"{args[0]} failed: {proc.stdout}{proc.stderr}{detail}", pytrace=False)

    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
    )
    try:
        run(
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            PG_USER,
            "--auth=trust",
            "--no-locale",
            "-E",
            "UTF8",
            "--no-sync",
        )
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options, "start")
        yield f"postgresql://{PG_USER}@127.0.0.1:{port}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                cwd=root,
                capture_output=True,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A new, empty database on the session's server, dropped after the test."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{pg_server}/{name}"
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on each backend: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def fake_stages() -> ModuleType:
    """The stand-in pipeline module (loaded by path: tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location("tally_fake_pipeline", FAKE_PIPELINE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fake_pipeline(fake_stages: ModuleType, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Route the ledger's reads and extraction through the stand-in for this test."""
    fake_stages.install(monkeypatch)
    return fake_stages
