"""`tally.open(...) -> Ledger`: ingest, then figures, sources, runs and documents, read
back as records and tables; bad filters and missing stores say what to do."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import tally

Inputs = Callable[[Path], list[Path]]


def test_ingesting_twice_stores_nothing_twice_and_a_missing_input_is_a_recorded_failure(
    store_url: str, tmp_path: Path, inputs: Inputs
) -> None:
    with tally.open(store_url) as ledger:
        first = ledger.ingest(inputs(tmp_path))
        again = ledger.ingest([*inputs(tmp_path), tmp_path / "missing.txt"])
        counts = len(ledger.figures())
        runs = ledger.runs()
    assert first.ok and first.new == 9 and first.figures == counts > 0
    assert (again.skipped, again.new, again.figures, again.ok) == (9, 0, 0, False)
    (failure,) = again.failures
    assert failure.source.endswith("missing.txt") and "no such file" in failure.reason
    assert [r.id for r in runs] == [first.id, again.id] and runs[-1].failures == again.failures
    assert runs[0].finished is not None and runs[0].inputs[-1].endswith("api_article.jsonl")


def test_a_single_path_is_one_input(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("About 70 Dutch jihadists have been killed in Syria.", encoding="utf-8")
    with tally.open(tmp_path / "ledger.db") as ledger:
        run = ledger.ingest(tmp_path / "a.txt")
    assert (run.documents, run.inputs) == (1, (str(tmp_path / "a.txt"),))


def test_open_without_a_url_is_the_configured_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TALLY_DB", raising=False)
    with tally.open() as ledger:
        assert ledger.url.endswith("tally.db")
    monkeypatch.setenv("TALLY_DB", str(tmp_path / "elsewhere.db"))
    with tally.open() as ledger:
        assert ledger.url.endswith("elsewhere.db")


def test_a_missing_store_is_an_error_that_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(tally.StoreError, match="create=True"):
        tally.open(tmp_path / "typo.db", create=False)
    assert not (tmp_path / "typo.db").exists()
    with pytest.raises(tally.StoreError, match="does not exist"):
        tally.open(tmp_path / "no" / "folder" / "ledger.db")


def test_figures_filter_by_origin_given_as_a_code_or_a_name(ledger: Any) -> None:
    french = ledger.figures(origin="FR")
    assert french and {sf.figure.origin for sf in french} == {"FR"}
    assert ledger.figures(origin="fr") == french == ledger.figures(origin="France")
    returned = ledger.figures(origin="France", status="returned", role="militants")
    assert sorted(sf.figure.value for sf in returned) == [255, 260, 323]


def test_figures_filter_by_year_source_outlet_and_population(ledger: Any) -> None:
    late = ledger.figures(origin="FR", since=2018, until=2018)
    assert late and all(sf.figure.published.startswith("2018") for sf in late)
    assert ledger.figures(since=2030) == []
    ours = ledger.figures(outlet="test wire")
    assert ours and {sf.figure.outlet for sf in ours} == {"Test Wire"}
    assert {sf.figure.source for sf in ledger.figures(source="MINISTRY", origin="FR")} <= {
        "the ministry",
        "the Interior Ministry",
    }
    assert all(sf.figure.population == "all" for sf in ledger.figures(population="all"))


@pytest.mark.parametrize(
    ("filters", "says"),
    [
        ({"status": "dead"}, "unknown status 'dead': use one of .*killed"),
        ({"origin": "Frnace"}, "unknown origin 'Frnace'.*'FR'"),
        ({"role": "fighters"}, "unknown role.*militants"),
        ({"scope": "total"}, "unknown scope.*cumulative"),
        ({"since": "2015"}, "since must be a year"),
        ({"since": 2019, "until": 2015}, "since \\(2019\\) is after until \\(2015\\)"),
    ],
)
def test_a_bad_filter_value_is_an_argument_error_listing_what_it_takes(
    ledger: Any, filters: dict[str, Any], says: str
) -> None:
    with pytest.raises(tally.ArgumentError, match=says):
        ledger.figures(**filters)


def test_stored_figures_become_a_table_with_their_identities_first(ledger: Any) -> None:
    frame = ledger.figures(origin="FR").to_pandas()
    assert list(frame.columns[:4]) == ["id", "document", "story", "doc"]
    assert set(frame["origin"]) == {"FR"}
    table = ledger.figures(origin="FR").to_arrow()
    assert table.num_rows == len(frame) and table.schema.field("id").type == "int64"


def test_sources_merge_spellings_and_count_documents(ledger: Any) -> None:
    sources = ledger.sources()
    assert sources[0].figures >= sources[-1].figures
    row = next(s for s in sources if s.source and "DGSI" in s.source)
    assert row.documents == 1 and row.outlets == 1
    frame = sources.to_pandas()
    assert list(frame.columns) == [
        "source",
        "figures",
        "documents",
        "stories",
        "outlets",
        "first",
        "last",
        "spellings",
        "entity",
        "entity_name",
        "kind",
        "languages",
    ]


def test_runs_are_a_table_with_their_failures(ledger: Any) -> None:
    table = ledger.runs().to_arrow()
    assert table.num_rows >= 1 and str(table.schema.field("failures").type).startswith("list<item: struct")


def test_a_document_is_found_by_its_key_with_the_text_figures_point_into(ledger: Any) -> None:
    sf = ledger.figures(outlet="Test Wire")[0]
    doc = ledger.document(sf.document)
    assert doc.text[sf.figure.start : sf.figure.end] == sf.figure.span
    assert doc.text[sf.figure.quote_start : sf.figure.quote_end] == sf.figure.quote
    assert (doc.outlet, doc.published, doc.title) == ("Test Wire", "2018-11-20", "A count")
    with pytest.raises(tally.ArgumentError, match="no document 'nope'"):
        ledger.document("nope")


def test_export_writes_every_table(ledger: Any, tmp_path: Path) -> None:
    written = ledger.export(tmp_path / "out", "json")
    assert {p.name for p in written} >= {"figures.json", "documents.json", "runs.json"}
    with pytest.raises(tally.ArgumentError, match="use one of csv, json, parquet"):
        ledger.export(tmp_path / "out", "xlsx")


def test_tables_without_pandas_say_which_extra_to_install(
    ledger: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)
    with pytest.raises(tally.MissingExtra, match=r"pip install 'tally\[pandas\]'"):
        ledger.figures().to_pandas()
    assert ledger.figures().to_arrow().num_rows > 0  # pyarrow is always there


def test_workers_must_be_a_whole_number(ledger: Any) -> None:
    with pytest.raises(tally.ArgumentError, match="workers"):
        ledger.ingest(os.devnull, workers=0)
