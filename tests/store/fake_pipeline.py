"""A stand-in for the read/clean/extract stages, so ledger tests need no real extractor.

Inputs are JSON files: {"text", "published", "outlet", "url", "figures": [...],
"fail": reason}. `install()` puts `read` and `process` where the ledger calls them
(`tally.ingest.read`, `tally.pipeline.process`). Run as a script, it installs them and
then runs the `tally` command line: the SIGKILL tests start it as a subprocess.
FAKE_PIPELINE_DELAY (seconds per document) makes a run slow enough to kill mid-way.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tally.model import Doc, Failure, Figure, RawDoc
from tally.pipeline import Result

DELAY_ENV = "FAKE_PIPELINE_DELAY"

FIGURE_DEFAULTS: dict[str, Any] = {
    "value": None,
    "low": None,
    "high": None,
    "qualifier": "exact",
    "kind": "count",
    "role": "militants",
    "counted": "fighters",
    "origin": "FR",
    "status": "joined",
    "group": None,
    "place": None,
    "period": None,
    "source": None,
    "scope": "cumulative",
}


def read(paths: Iterable[str]) -> Iterator[RawDoc | Failure]:
    """Every *.json file under the paths as a RawDoc; a missing path is a Failure."""
    for p in map(Path, paths):
        if not p.exists():
            yield Failure(source=str(p), reason="no such file or folder")
            continue
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            try:
                content = f.read_text(encoding="utf-8")
                meta = json.loads(content)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield Failure(source=str(f), reason=f"cannot read: {exc.__class__.__name__}")
                continue
            yield RawDoc(
                doc_id=f.stem,
                source=str(f),
                content=content,
                url=meta.get("url"),
                title=meta.get("title"),
                published=meta.get("published"),
                outlet=meta.get("outlet"),
            )


def process(raw: RawDoc, **_: Any) -> Result | Failure:
    """The document's text and the figures its JSON lists, each located in the text."""
    data = json.loads(raw.content)
    if data.get("fail"):
        return Failure(source=raw.source, reason=data["fail"], stage="extract")
    time.sleep(float(os.environ.get(DELAY_ENV, "0")))
    text = data["text"]
    doc = Doc(
        doc_id=raw.doc_id,
        source=raw.source,
        text=text,
        title=raw.title,
        url=raw.url,
        published=raw.published,
        outlet=raw.outlet,
        lang="en",
    )
    figs = []
    for spec in data.get("figures", []):
        f = {**FIGURE_DEFAULTS, **spec}
        span = f.pop("span", None) or str(f["value"] if f["value"] is not None else f["low"])
        start = max(text.find(span), 0)
        quote = f.pop("quote", None) or text
        figs.append(Figure(doc=raw.doc_id, quote=quote, span=span, start=start, end=start + len(span), **f))
    return Result(doc=doc, figures=figs)


def install(target: Any = None) -> None:
    """Put the fakes in place; `target` is a pytest monkeypatch (undone after the test) or None."""
    import tally.ingest
    import tally.pipeline

    if target is None:
        tally.ingest.read = read  # type: ignore[attr-defined]
        tally.pipeline.process = process  # type: ignore[assignment]
    else:
        target.setattr(tally.ingest, "read", read, raising=False)
        target.setattr(tally.pipeline, "process", process)


def write_doc(folder: Path, name: str, **data: Any) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


_WORDS = [f"w{i}" for i in range(2000)]


def write_corpus(folder: Path, n: int, *, seed: int = 7) -> int:
    """`n` unrelated documents with one to three figures each; returns the figure count."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    total = 0
    for i in range(n):
        words = rng.sample(_WORDS, 60)
        k = 1 + i % 3
        figs = []
        for j in range(k):
            value = 100 + 10 * i + j
            words.append(f"{value} fighters")
            figs.append(
                {"value": value, "status": ["joined", "returned", "killed"][j], "source": f"agency {i}"}
            )
        total += k
        write_doc(
            folder,
            f"doc{i:04d}",
            text=" ".join(words),
            published=f"2016-01-{1 + i % 28:02d}",
            outlet=f"outlet{i % 5}",
            figures=figs,
        )
    return total


if __name__ == "__main__":
    import faulthandler

    # A run that hangs shows where: every thread's stack goes to stderr after a minute.
    faulthandler.dump_traceback_later(float(os.environ.get("FAKE_PIPELINE_STACKS_AFTER", "60")))
    install()
    from tally.cli import main

    sys.exit(main())
