"""The accuracy gate: extraction scored on the real articles of ../shared/eval.

Floors live in eval_baseline.json and only move up. Skipped when ../shared is absent
(a checkout without the shared data); CI has it.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tally import pipeline

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(not (SHARED / "score.py").exists(), reason="../shared/eval not present")


def _scorer():
    spec = importlib.util.spec_from_file_location("tally_eval_score", SHARED / "score.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _predict(paths: list[Path]) -> list[dict]:
    out = []
    for item in pipeline.run([str(p) for p in paths]):
        assert hasattr(item, "figures"), item
        out.extend(f.as_dict() for f in item.figures)
    return out


def test_english_seeds_and_dev_meet_the_floors():
    score = _scorer()
    docs = sorted((SHARED / "docs" / "seeds").glob("*.txt")) + sorted((SHARED / "docs" / "dev").glob("en_*.txt"))
    gold = [g for f in ("seeds.jsonl", "dev.jsonl") for g in score.load(SHARED / "gold" / f) if not g["doc"].startswith("fr_")]
    summary, _ = score.score(gold, _predict(docs))
    for key, floor in BASELINE["en"].items():
        assert summary[key] >= floor, (key, summary[key], floor)
