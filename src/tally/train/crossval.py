"""Grouped k-fold cross-validation of the decision layer, beside the rules alone.

Folds are by article and per language: each language's articles, sorted by name and
shuffled with a fixed seed, are dealt round-robin into the folds, so every fold holds
every language and no article is in both the training and the test part of a fold.
Each fold's test articles are decided by models fitted on the other folds; the pooled
predictions are scored by the shared scorer (`../shared/eval/score.py`), per language.
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from types import ModuleType
from typing import Any

from tally.extract import decide
from tally.train.corpus import Article
from tally.train.fit import fit_all

FOLDS = 5
SEED = 0


def folds(articles: list[Article], k: int = FOLDS, seed: int = SEED) -> list[int]:
    """The fold of each article."""
    out = [0] * len(articles)
    for lang in sorted({a.lang for a in articles}):
        idx = sorted((i for i, a in enumerate(articles) if a.lang == lang), key=lambda i: articles[i].doc_id)
        random.Random(seed).shuffle(idx)
        for n, i in enumerate(idx):
            out[i] = n % k
    return out


def scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("tally_shared_score", shared / "eval" / "score.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def predictions(
    articles: list[Article], k: int = FOLDS, seed: int = SEED
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(learned, rules alone) predictions for every article, each from a model that never saw it."""
    which = folds(articles, k, seed)
    learned: list[dict[str, Any]] = []
    rules: list[dict[str, Any]] = []
    for fold in range(k):
        train = [a for a, f in zip(articles, which, strict=True) if f != fold]
        test = [a for a, f in zip(articles, which, strict=True) if f == fold]
        models = decide.Models(fit_all(train))
        for art in test:
            learned.extend(f.as_dict() for f in decide.figures(art.cands, art.doc, models))
            rules.extend(f.as_dict() for f in decide.figures(art.cands, art.doc, decide.Models({})))
    return learned, rules


def report(
    shared: Path, articles: list[Article], k: int = FOLDS, seed: int = SEED
) -> dict[str, dict[str, Any]]:
    """Scores per language for the learned layer and the rules alone on the same folds."""
    score = scorer(shared)
    learned, rules = predictions(articles, k, seed)
    out: dict[str, dict[str, Any]] = {}
    for lang in sorted({a.lang for a in articles}):
        docs = {a.doc_id for a in articles if a.lang == lang}
        gold = [g for a in articles if a.lang == lang for g in a.gold]
        for name, preds in (("learned", learned), ("rules", rules)):
            summary, _ = score.score(gold, [p for p in preds if p["doc"] in docs])
            out[f"{lang}/{name}"] = summary
    return out


def split_reports(
    shared: Path,
    articles: list[Article],
    seeds: list[int],
    k: int = FOLDS,
    known: dict[int, dict[str, dict[str, Any]]] | None = None,
) -> dict[int, dict[str, dict[str, Any]]]:
    """The report of each fold split, by seed (`known`: reports already made)."""
    known = known or {}
    return {seed: known[seed] if seed in known else report(shared, articles, k, seed) for seed in seeds}


def mean_of(runs: dict[int, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """The learned layer's scores averaged over the reports of several fold splits.

    Retraining after a change that touches a few figures moves unrelated decisions by a
    figure or two, so one split cannot tell a gain below about half a point from noise;
    a change that holds on every split can be trusted."""
    reports = list(runs.values())
    return {name: _mean([r[name] for r in reports]) for name in reports[0] if name.endswith("/learned")}


def _mean(summaries: list[Any]) -> Any:
    first = summaries[0]
    if isinstance(first, dict):
        return {key: _mean([s[key] for s in summaries]) for key in first}
    if isinstance(first, (int, float)) and not isinstance(first, bool):
        return round(sum(summaries) / len(summaries), 4)
    return first


# The attributes `errors` compares, as the scorer names them.
COMPARED = ("status", "scope", "role", "origin", "group", "source", "population", "part_of")


def errors(shared: Path, articles: list[Article], k: int = FOLDS) -> list[dict[str, Any]]:
    """Every attribute the learned layer got wrong on a figure the scorer matched, one row
    each (document, language, span, attribute, gold, predicted, rules' value): the list a
    developer reads to see which attribute fails how, without tuning to any one sentence."""
    score = scorer(shared)
    learned, rules = predictions(articles, k)
    rows: list[dict[str, Any]] = []
    for art in articles:
        mine = [p for p in learned if p["doc"] == art.doc_id]
        base = [p for p in rules if p["doc"] == art.doc_id]
        matched = score.match_doc(art.gold, mine)
        by_rules = score.match_doc(art.gold, base)
        for gi, pj in sorted(matched.items()):
            g, p = art.gold[gi], mine[pj]
            r = base[by_rules[gi]] if gi in by_rules else {}
            for name in COMPARED:
                if not score.attr_right(name, g, p):
                    rows.append(
                        {
                            "doc": art.doc_id,
                            "lang": art.lang,
                            "span": g.get("span", ""),
                            "attribute": name,
                            "gold": g.get(name),
                            "predicted": p.get(name),
                            "rules": r.get(name),
                        }
                    )
    return rows


# A score moved by less than this is unchanged (scores are kept to four places).
MOVED = 0.0005


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What a change did to the learned layer, from two `--cv --json` reports: per language,
    each score that moved, from its mean over the fold splits both reports share (else
    from the one split), and on how many of those splits it moved the same way. A gain
    below half a point that holds on every split is a gain; one that holds on half of
    them is retraining noise (see `mean_of`)."""
    out: list[str] = []
    for name in sorted(k for k in after if k.endswith("/learned") and k in before):
        key, splits = _common(before, after, name)
        was, now = _scores(before[key]), _scores(after[key])
        moved = [
            _moved(
                score,
                was[score],
                now[score],
                [_delta(before, after, f"{name}/split{s}", score) for s in splits],
            )
            for score in now
            if score in was and abs(now[score] - was[score]) >= MOVED
        ]
        label = f"mean of {key.rsplit('/mean', 1)[1]} splits" if "/mean" in key else "one split"
        out.append(f"{name} ({label}): " + (f"{len(moved)} scores moved" if moved else "unchanged"))
        out.extend(moved)
    return out


def _common(before: dict[str, Any], after: dict[str, Any], name: str) -> tuple[str, list[int]]:
    """The summary both reports hold for `name` (the mean over their common splits, else
    their largest common mean, else the one split) and the splits behind it."""
    splits = sorted(_numbered(before, f"{name}/split") & _numbered(after, f"{name}/split"))
    key = f"{name}/mean{len(splits)}"
    if len(splits) > 1 and key in before and key in after:
        return key, splits
    means = sorted(_numbered(before, f"{name}/mean") & _numbered(after, f"{name}/mean"))
    return (f"{name}/mean{means[-1]}" if means else name), []


def _delta(before: dict[str, Any], after: dict[str, Any], key: str, score: str) -> float:
    return float(_scores(after[key])[score] - _scores(before[key])[score])


def _moved(score: str, was: float, now: float, deltas: list[float]) -> str:
    line = f"  {score} {was:.4f} -> {now:.4f} ({now - was:+.4f}"
    if deltas:
        up = now > was
        same = sum(1 for d in deltas if (d > 0 if up else d < 0))
        line += f"; {'up' if up else 'down'} on {same} of {len(deltas)} splits"
    return line + ")"


def _numbered(report: dict[str, Any], prefix: str) -> set[int]:
    """The numbers N of a report's keys `prefix`N ('en/learned/split3', 'en/learned/mean4')."""
    return {int(k[len(prefix) :]) for k in report if k.startswith(prefix) and k[len(prefix) :].isdigit()}


def _scores(summary: dict[str, Any]) -> dict[str, float]:
    """A summary's scores by name, flat: F1, attribute mean, record exact, each attribute
    and each accounting field."""
    out = {"f1": summary["f1"], "attr": summary["attribute_mean"], "exact": summary["record_exact"]}
    out.update(summary.get("attributes", {}))
    out.update(summary.get("accounting", {}))
    return out
