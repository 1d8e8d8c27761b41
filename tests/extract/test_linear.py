"""A trained model file: written the same for the same weights, read back to the same scores."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tally.extract.linear import LinearModel

MODEL = LinearModel(
    "status",
    ["joined", "returned"],
    [0.25, -0.5],
    {"verb~return": [-1.25, 2.5], "lang=fr": [0.125, 0.0], "cw=fighters": [0.75, -0.0625]},
    {"command": "make train"},
)


def test_a_saved_model_scores_as_it_did_when_read_back(tmp_path: Path) -> None:
    path = tmp_path / "status.json.gz"
    MODEL.save(path)
    loaded = LinearModel.load(path)
    for features in ({"verb~return": 1.0}, {"lang=fr": 1.0, "cw=fighters": 1.0}, {"unknown": 1.0}, {}):
        assert loaded.scores(features) == MODEL.scores(features)
    assert loaded.weights == MODEL.weights and loaded.meta == MODEL.meta


def test_the_same_weights_write_the_same_bytes_however_read(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    MODEL.save(first)
    LinearModel.load(first).save(second)
    assert first.read_bytes() == second.read_bytes()


def test_a_file_with_its_weights_as_numbers_still_reads(tmp_path: Path) -> None:
    """Files written before the weights went as one encoded string."""
    path = tmp_path / "old.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(MODEL.as_dict(), fh)
    assert LinearModel.load(path).scores({"verb~return": 1.0}) == MODEL.scores({"verb~return": 1.0})
