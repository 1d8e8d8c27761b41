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

# The gate's resolution: the same cross-validation scores one to two records lower inside
# a pytest process after other tests than from the command line (English record exact
# 0.3779 here, 0.3790 from `python -m tally.train --cv`; 0.379 against 0.3801 before
# German joined the training folds), so a floor is met within this much.
RESOLUTION = 0.003

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


def test_cross_validated_scores_meet_the_floors():
    """The learned layer judged the only honest way: grouped 5-fold cross-validation over
    every article with gold (folds by article), scored by the shared scorer."""
    from tally.train import corpus, crossval

    pairs = corpus.sources(SHARED.parent, corpus.OWN)
    scores = crossval.report(SHARED.parent, corpus.load(pairs))
    for lang in (k.removeprefix("cv_") for k in BASELINE if k.startswith("cv_")):
        got = scores[f"{lang}/learned"]
        flat = {**got, **got["attributes"], **got["accounting"]}
        for key, floor in BASELINE[f"cv_{lang}"].items():
            assert flat[key] >= floor - RESOLUTION, (lang, key, flat[key], floor)


def test_language_is_detected_right_on_every_eval_document():
    from tally import clean, ingest

    docs = sorted((SHARED / "docs").rglob("*.txt"))
    got = {d.name: clean.clean(r).lang for d in docs for r in ingest.read([str(d)])}
    # Article names start with their language: en_, ena_ ... fr_, fra_ ... dea_ ... (SOURCES.md).
    want = {d.name: d.name[:2] if d.name[:2] in ("fr", "de") else "en" for d in docs}
    assert got == want


def test_the_prefilter_loses_no_gold_figure_of_the_eval_documents():
    """The prefilter skips parsing sentences with no people word near them: a speed device
    that must cost no figure the gold holds (what else it changes is which candidates the
    rules see, so the sets of predictions may differ, never the figures found)."""
    score = _scorer()
    docs = sorted((SHARED / "docs").rglob("*.txt"))
    gold = [g for f in ("seeds.jsonl", "dev.jsonl", "train.jsonl") for g in score.load(SHARED / "gold" / f)]

    def found(prefilter: bool) -> set[tuple[str, str, str]]:
        preds = [
            f.as_dict()
            for item in pipeline.run([str(d) for d in docs], prefilter=prefilter)
            if hasattr(item, "figures")
            for f in item.figures
        ]
        out = set()
        for doc in {g["doc"] for g in gold}:
            gs = [g for g in gold if g["doc"] == doc]
            m = score.match_doc(gs, [p for p in preds if p["doc"] == doc])
            out |= {(doc, gs[i]["span"], gs[i]["quote"]) for i in m}
        return out

    assert found(False) - found(True) == set()
