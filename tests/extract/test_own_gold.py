"""Tally's own annotated articles (tests/data/heldout) follow the shared gold's record:
every figure carries the accounting fields, so the grouped cross-validation scores and
trains `population` and `part_of` on them as on the shared articles."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from tally._api.checks import POPULATIONS  # the schema's population vocabulary

GOLD = Path(__file__).resolve().parents[1] / "data" / "heldout" / "gold.jsonl"


def _rows() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_figure_says_whom_it_counts_and_what_it_is_part_of():
    for row in _rows():
        assert row["population"] in POPULATIONS, row
        assert "part_of" in row, row


def test_a_part_names_the_span_of_another_figure_of_its_article():
    spans: dict[str, list[str]] = defaultdict(list)
    rows = _rows()
    for row in rows:
        spans[row["doc"]].append(row["span"])
    for row in rows:
        if row["part_of"] is not None:
            assert row["part_of"] in spans[row["doc"]], row
