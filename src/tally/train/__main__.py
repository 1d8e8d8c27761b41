"""`python -m tally.train`: rebuild the decision layer's models, or cross-validate them.

python -m tally.train [--shared ../shared] [--out DIR]          write the models
python -m tally.train --cv [--json OUT] [--errors OUT.tsv]      grouped 5-fold CV
python -m tally.train --cv --splits 4                          ... and its mean over 4 fold splits
python -m tally.train --cv --splits 4 --json NEW --compare OLD  ... and what moved since OLD
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path
from typing import Any

from tally.extract import decide
from tally.extract.lexicon import LANGS
from tally.train import corpus, crossval
from tally.train.fit import fit_all

COMMAND = "make train"


def _articles(pairs: list[tuple[Path, Path]], cache: Path | None) -> list[corpus.Article]:
    if cache is not None and cache.is_file():
        with open(cache, "rb") as fh:
            arts: list[corpus.Article] = pickle.load(fh)
            return arts
    arts = corpus.load(pairs, LANGS)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with open(cache, "wb") as fh:
            pickle.dump(arts, fh)
    return arts


def _line(name: str, s: dict[str, Any]) -> str:
    a = s["attributes"]
    acc = s.get("accounting", {})
    return (
        f"{name:<14} F1 {s['f1']:.3f}  P {s['precision']:.3f}  R {s['recall']:.3f}  "
        f"attr {s['attribute_mean']:.3f}  exact {s['record_exact']:.3f}  "
        + " ".join(f"{k[:6]} {v:.2f}" for k, v in a.items())
        + "  | "
        + " ".join(f"{k} {v:.2f}" for k, v in acc.items())
    )


def _write_errors(path: Path, rows: list[dict[str, Any]]) -> None:
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["doc"], delimiter="\t")
        out.writeheader()
        out.writerows(rows)
    print(f"{path}: {len(rows)} attribute errors", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tally.train", description=__doc__)
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--out", type=Path, default=decide.models_dir())
    ap.add_argument("--cv", action="store_true", help="grouped 5-fold cross-validation, no models written")
    ap.add_argument("--json", type=Path, help="with --cv: write the scores here")
    ap.add_argument(
        "--errors", type=Path, help="with --cv: write the learned layer's attribute errors here (TSV)"
    )
    ap.add_argument("--own", type=Path, default=corpus.OWN, help="Tally's own articles with gold.jsonl")
    ap.add_argument("--cache", type=Path, help="read or write the aligned candidates here (development)")
    ap.add_argument(
        "--splits",
        type=int,
        default=1,
        help="with --cv: also average the learned layer over this many fold splits (seeds 0..N-1)",
    )
    ap.add_argument(
        "--compare",
        type=Path,
        help="with --cv: an earlier --json report; print each score that moved since, split by split",
    )
    args = ap.parse_args(argv)
    if not (args.shared / "eval" / "gold").is_dir():
        print(f"tally.train: {args.shared}/eval/gold not found", file=sys.stderr)
        return 2
    pairs = corpus.sources(args.shared, args.own)
    articles = _articles(pairs, args.cache)
    if args.cv:
        scores = crossval.report(args.shared, articles)
        for name, s in scores.items():
            print(_line(name, s))
        if args.splits > 1:
            seeds = list(range(args.splits))
            runs = crossval.split_reports(args.shared, articles, seeds, known={crossval.SEED: scores})
            means = crossval.mean_of(runs)
            for name, s in means.items():
                print(_line(f"{name} (mean of {args.splits} splits)", s))
            splits = {
                f"{name}/split{seed}": s for seed, r in runs.items() for name, s in r.items() if name in means
            }
            scores = {**scores, **{f"{name}/mean{args.splits}": s for name, s in means.items()}, **splits}
        if args.json:
            args.json.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
        if args.compare:
            before = json.loads(args.compare.read_text(encoding="utf-8"))
            print(f"against {args.compare}:")
            for line in crossval.compare(before, scores):
                print(line)
        if args.errors:
            _write_errors(args.errors, crossval.errors(args.shared, articles))
        return 0
    meta = {
        "data_sha256": corpus.data_hash(pairs),
        "command": COMMAND,
        "articles": len(articles),
        "languages": list(LANGS),
    }
    models = fit_all(articles, meta)
    args.out.mkdir(parents=True, exist_ok=True)
    for task, model in models.items():
        path = args.out / f"{task}.json.gz"
        model.save(path)
        print(f"{path}: {model.meta['examples']} examples, {len(model.weights)} features")
    return 0


if __name__ == "__main__":
    sys.exit(main())
