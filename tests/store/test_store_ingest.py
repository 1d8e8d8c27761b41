"""Ingest into a store: idempotent, re-extracting on a newer Tally, failures kept as data."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

import tally
import tally.store as store_mod
from tally import ledger
from tally.store import Store


@pytest.fixture
def store(store_url: str) -> Store:
    with store_mod.open(store_url) as s:
        yield s


def _tables(store: Store) -> dict[str, int]:
    counts = store.counts()
    counts.pop("runs")  # every ingest is a run, whatever it stores
    return counts


def test_ingesting_twice_stores_what_ingesting_once_does(
    fake_pipeline: ModuleType, tmp_path: Path, store: Store
) -> None:
    n_figs = fake_pipeline.write_corpus(tmp_path / "in", 12)
    first = ledger.ingest([str(tmp_path / "in")], store)
    once = _tables(store)
    second = ledger.ingest([str(tmp_path / "in")], store)
    assert _tables(store) == once
    assert (once["documents"], once["figures"]) == (12, n_figs)
    assert (first.counts.new, first.counts.figures) == (12, n_figs)
    assert (second.counts.skipped, second.counts.new, second.counts.figures) == (12, 0, 0)
    assert first.ok and second.ok


def test_the_same_text_under_two_names_is_one_document(
    fake_pipeline: ModuleType, tmp_path: Path, store: Store
) -> None:
    fig = [{"value": 390, "status": "returned"}]
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    fake_pipeline.write_doc(tmp_path, "a", text="Some 390 fighters returned.", figures=fig)
    fake_pipeline.write_doc(tmp_path, "b", text="some 390  fighters returned.", figures=fig, outlet="X")
    summary = ledger.ingest([str(tmp_path)], store)
    assert (summary.counts.new, summary.counts.unchanged) == (1, 1)
    assert store.counts()["figures"] == 1


def test_a_newer_tally_re_extracts_without_doubling(
    fake_pipeline: ModuleType, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    n_figs = fake_pipeline.write_corpus(tmp_path / "in", 5)
    ledger.ingest([str(tmp_path / "in")], store)
    monkeypatch.setattr(tally, "__version__", "999.0.0")
    again = ledger.ingest([str(tmp_path / "in")], store)
    assert (again.counts.updated, again.counts.skipped) == (5, 0)
    assert store.counts()["figures"] == n_figs
    assert {sf.figure.version for sf in store.figures()} == {"999.0.0"}
    assert ledger.ingest([str(tmp_path / "in")], store).counts.skipped == 5


def test_bad_inputs_are_recorded_in_the_run_and_the_rest_is_stored(
    fake_pipeline: ModuleType, tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "in"
    fake_pipeline.write_corpus(folder, 3)
    fake_pipeline.write_doc(folder, "broken", text="x", fail="extractor choked")
    (folder / "zz.bin").write_bytes(b"\xff\xfe\x00binary")
    seen: list[str] = []
    summary = ledger.ingest(
        [str(folder), str(tmp_path / "missing")], store, on_item=lambda status, _f: seen.append(status)
    )
    assert not summary.ok
    assert {f.reason for f in summary.failures} == {
        "extractor choked",
        "cannot read: UnicodeDecodeError",
        "no such file or folder",
    }
    assert store.run_errors(summary.run_id) == summary.failures
    assert seen.count("failed") == 3 and seen.count("new") == 3
    (run,) = store.runs()
    assert (run["failed"], run["new"], run["documents"]) == (3, 3, 6)


def test_a_crash_inside_the_extractor_is_one_failed_document(
    fake_pipeline: ModuleType, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_pipeline.write_corpus(tmp_path / "in", 2)

    def explode(raw: object, **_: object) -> object:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(tally.pipeline, "process", explode)
    summary = ledger.ingest([str(tmp_path / "in")], store)
    assert [f.stage for f in summary.failures] == ["extract", "extract"]
    assert "ZeroDivisionError" in summary.failures[0].reason


def test_workers_store_the_same_rows_as_one_process(
    fake_pipeline: ModuleType, tmp_path: Path, store_url: str
) -> None:
    fake_pipeline.write_corpus(tmp_path / "in", 20)
    with store_mod.open(store_url) as parallel:
        summary = ledger.ingest([str(tmp_path / "in")], parallel, workers=2)
        assert summary.counts.new == 20
        rows = sorted((sf.figure.doc, sf.figure.value, sf.story) for sf in parallel.figures())
    with store_mod.open(str(tmp_path / "serial.db")) as serial:
        ledger.ingest([str(tmp_path / "in")], serial, workers=1)
        assert sorted((sf.figure.doc, sf.figure.value, sf.story) for sf in serial.figures()) == rows


def test_near_duplicates_share_a_story_and_others_found_their_own(
    fake_pipeline: ModuleType, tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    base = " ".join(f"word{i}" for i in range(200))
    fig = [{"value": 300}]
    fake_pipeline.write_doc(
        folder, "a_wire", text=base + " 300 fighters", published="2018-01-01", figures=fig
    )
    fake_pipeline.write_doc(
        folder, "b_reprint", text="Reprinted: " + base + " 300 fighters today", figures=fig
    )
    fake_pipeline.write_doc(folder, "c_other", text=" ".join(f"other{i}" for i in range(200)), figures=fig)
    # A copy that counts no one takes no part in reconciliation: it is not indexed.
    fake_pipeline.write_doc(folder, "d_copy_without_figures", text="Copy: " + base + " 300 fighters")
    ledger.ingest([str(folder)], store)
    story = {r["name"]: r["story_id"] for r in store.rows("documents")}
    ids = {r["name"]: r["id"] for r in store.rows("documents")}
    assert story["a_wire"] == story["b_reprint"] == ids["a_wire"]
    assert story["c_other"] == ids["c_other"]
    assert story["d_copy_without_figures"] == ids["d_copy_without_figures"]
    assert store.counts()["stories"] == 3


def test_outlet_falls_back_to_the_url_host() -> None:
    from tally.model import Doc

    assert ledger.outlet_of(Doc("d", "s", "t", url="https://www.bbc.co.uk/news/1")) == "bbc.co.uk"
    assert ledger.outlet_of(Doc("d", "s", "t", url="https://x.org", outlet="Reuters")) == "Reuters"
    assert ledger.outlet_of(Doc("d", "s", "t")) is None


def test_count_inputs_counts_files_not_hidden_ones(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "1.txt").write_text("x")
    (tmp_path / "a" / ".hidden").write_text("x")
    (tmp_path / "2.txt").write_text("x")
    assert ledger.count_inputs([str(tmp_path / "a"), str(tmp_path / "2.txt")]) == 2
