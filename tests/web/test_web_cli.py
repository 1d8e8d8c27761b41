"""`tally serve` as a user runs it: the store from TALLY_DB, writes only with TALLY_TOKEN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner

from tally.cli import main


def test_serve_is_a_command_with_host_and_port() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output and "TALLY_TOKEN" in result.output


def test_a_bad_store_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "missing" / "x.db")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_a_short_token_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "x.db")], env={"TALLY_TOKEN": "short"})
    assert result.exit_code == 2
    assert "TALLY_TOKEN" in result.output


def test_with_tally_token_the_server_takes_writes_with_it_only(
    ledger_copy: Path, web: Any, tmp_path: Path
) -> None:
    with web.serve_process(ledger_copy, token=web.TOKEN, log=tmp_path / "serve.log") as base:
        assert httpx.get(base + "/api/health").json()["writable"] is True
        denied = httpx.post(base + "/api/documents", json={"text": "About 40 Irish nationals left."})
        assert denied.status_code == 401
        body = {"text": "About 40 Irish nationals have joined jihadist groups in Syria, officials said."}
        ok = httpx.post(
            base + "/api/documents", json=body, headers={"Authorization": f"Bearer {web.TOKEN}"}, timeout=120
        )
        assert ok.status_code == 201, ok.text
    assert "serving" in (tmp_path / "serve.log").read_text()


def test_workers_default_to_one_per_core_from_two_to_eight() -> None:
    from tally.cli_web import worker_count

    assert worker_count(3) == 3 and worker_count(1) == 1
    assert 2 <= worker_count(0) <= 8


def test_several_workers_serve_one_store_and_take_writes_one_at_a_time(
    ledger_copy: Path, web: Any, tmp_path: Path
) -> None:
    with web.serve_process(ledger_copy, token=web.TOKEN, log=tmp_path / "serve.log", workers=2) as base:
        auth = {"Authorization": f"Bearer {web.TOKEN}"}
        bodies = [
            {"text": f"About {n} Irish nationals have joined jihadist groups in Syria, officials said."}
            for n in (41, 42)
        ]
        with httpx.Client(base_url=base, timeout=120) as c:
            stored = [c.post("/api/documents", json=b, headers=auth) for b in bodies]
            assert [r.status_code for r in stored] == [201, 201]
            for r in stored:  # every worker reads the one store, and its search
                assert c.get(r.json()["href"]).status_code == 200
            found = c.get("/search.json", params={"q": "Irish nationals"}).json()
            assert found["totals"]["documents"] >= 2
    assert "with 2 worker processes" in (tmp_path / "serve.log").read_text()
