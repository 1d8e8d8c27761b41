"""`tally ingest` refuses 64 KB of random bytes, from a file or from a URL that labels them
as Latin-1 HTML, with one line naming the input, and stores nothing for it."""

from __future__ import annotations

import http.server
import os
import random
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import tally.store as store_mod
from tally.cli import main

NOISE = random.Random(64).randbytes(64 * 1024)
ARTICLE = "Some 120 Danish nationals have returned from Syria, the security service said on Monday.\n"


@pytest.fixture
def noise_site() -> Iterator[str]:
    """A loopback server answering /noise with the random bytes as ISO-8859-1 HTML."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = self.path == "/noise"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html; charset=iso-8859-1")
            self.send_header("Content-Length", str(len(NOISE) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(NOISE)

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_random_bytes_are_refused_in_one_line_each_and_nothing_of_them_is_stored(
    tmp_path: Path, noise_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.startswith("TALLY_")]:
        monkeypatch.delenv(name)
    noise = tmp_path / "noise.txt"
    noise.write_bytes(NOISE)
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    db = str(tmp_path / "ledger.db")
    url = f"{noise_site}/noise"

    result = CliRunner().invoke(main, ["ingest", "--db", db, "--no-progress", str(noise), url, str(good)])

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"tally: {noise}: binary file (contains NUL bytes): not a text document" in lines
    assert f"tally: {url}: binary file (contains NUL bytes): not a text document" in lines
    assert "3 documents (1 new, 0 updated, 0 unchanged, 0 skipped, 2 failed)" in result.stderr
    with store_mod.open(db) as s, s.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT source FROM documents").scalars().all()
    assert stored == [str(good)]
