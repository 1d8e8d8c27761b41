"""A run killed with SIGKILL keeps what it committed; running it again finishes the rest.

`tally ingest` runs as a real subprocess (through the stand-in pipeline, slowed down),
is killed with SIGKILL once some documents are committed, then run again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

import tally.store as store_mod

FAKE_PIPELINE = Path(__file__).with_name("fake_pipeline.py")
DOCS = 60
KILL_AFTER = 8  # committed documents before the kill
DEADLINE_S = 180  # generous: CI machines have two cores and may be busy


def _tally(url: str, folder: Path, *extra: str, delay: float) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALLY_")}
    env["FAKE_PIPELINE_DELAY"] = str(delay)
    return subprocess.Popen(
        [sys.executable, str(FAKE_PIPELINE), "ingest", "--db", url, "--no-progress", *extra, str(folder)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so the kill takes the workers too, like an OOM kill of the group
    )


def _documents(url: str) -> int:
    with store_mod.open(url, upgrade=False) as s:
        try:
            return s.counts()["documents"]
        except store_mod.StoreError:
            return 0  # not migrated yet


def _kill_after_commits(proc: subprocess.Popen[str], url: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    committed = 0
    while committed < KILL_AFTER:
        assert proc.poll() is None, f"ingest ended before it could be killed: {proc.communicate()}"
        assert time.monotonic() < deadline, "ingest committed too little in time"
        time.sleep(0.05)
        committed = _documents(url)
    os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigkill_mid_ingest_then_resume_stores_everything_once(
    fake_stages: ModuleType, tmp_path: Path, store_url: str, workers: str
) -> None:
    folder = tmp_path / "in"
    n_figs = fake_stages.write_corpus(folder, DOCS)
    proc = _tally(store_url, folder, "--workers", workers, delay=0.1)
    try:
        _kill_after_commits(proc, store_url)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=DEADLINE_S)
    assert proc.returncode == -signal.SIGKILL

    kept = _documents(store_url)
    assert KILL_AFTER <= kept < DOCS, "the kill must land mid-run for this test to mean anything"

    rerun = _tally(store_url, folder, "--workers", workers, delay=0)
    try:
        _out, err = rerun.communicate(timeout=DEADLINE_S)
    except subprocess.TimeoutExpired:
        os.killpg(rerun.pid, signal.SIGKILL)
        pytest.fail(f"the resumed ingest hung; its stacks: {rerun.communicate()[1]}")
    assert rerun.returncode == 0, err

    with store_mod.open(store_url) as s:
        counts = s.counts()
        killed, finished = s.runs()
    assert (counts["documents"], counts["figures"], counts["seen_inputs"]) == (DOCS, n_figs, DOCS)
    assert killed["finished"] is None and finished["finished"] is not None
    assert finished["skipped"] >= kept and finished["new"] + finished["skipped"] == DOCS
    assert finished["failed"] == 0
