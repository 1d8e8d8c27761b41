"""The public names: what `tally.__all__` promises, that importing it stays light, and
that the library speaks through return values and errors, never on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import tally


def test_every_public_name_resolves_and_is_documented() -> None:
    for name in tally.__all__:
        obj = getattr(tally, name)
        if name != "__version__":
            assert (obj.__doc__ or "").strip(), f"tally.{name} has no docstring"
    assert set(tally.__all__) <= set(dir(tally))


def test_the_public_api_is_the_two_calls_and_their_records() -> None:
    assert callable(tally.extract) and callable(tally.open)
    for record in ("Figure", "StoredFigure", "Series", "Point", "Chain", "Estimate", "Source", "Run"):
        assert hasattr(getattr(tally, record), "as_dict"), record


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        tally.nope  # noqa: B018


def test_importing_tally_loads_neither_the_store_nor_the_language_models() -> None:
    code = (
        "import sys, tally; print(sorted(m for m in ('sqlalchemy', 'spacy', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.replace("'", '"')) == []


def test_tally_extract_stays_the_function_when_the_extract_stage_is_imported() -> None:
    import tally.extract.numbers

    assert callable(tally.extract) and tally.extract.__module__ == "tally._api.extract"


def test_the_library_prints_nothing(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    figs = tally.extract("Some 40 Belgian fighters have returned from Syria, officials said.")
    (tmp_path / "a.txt").write_text("About 70 Dutch jihadists have been killed in Syria.", encoding="utf-8")
    with tally.open(tmp_path / "ledger.db") as ledger:
        ledger.ingest([tmp_path / "a.txt", tmp_path / "missing.txt"])
        ledger.series().to_pandas()
        ledger.figures().to_arrow()
        ledger.sources()
        ledger.runs()
    assert figs
    assert capfd.readouterr().out == ""


def test_errors_are_one_tree_and_keep_their_python_kinds() -> None:
    assert issubclass(tally.ArgumentError, tally.TallyError) and issubclass(tally.ArgumentError, ValueError)
    assert issubclass(tally.MissingExtra, tally.TallyError) and issubclass(tally.MissingExtra, ImportError)
    for name in ("InputError", "ExtractionError", "StoreError", "ConfigError"):
        assert issubclass(getattr(tally, name), tally.TallyError)
