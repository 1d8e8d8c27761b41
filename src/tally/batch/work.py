"""What a worker does with one split: read it, and map `tally.pipeline.process` over it.

This is the only per-document code of the batch engines, and it holds no extraction logic:
`pipeline.process` is the function `tally extract` and `tally ingest` call. Both engines
call `work` (the local pool per split, Spark per partition), after `warm` has built the
pipeline (spaCy model, trafilatura) once in the worker process.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass, field

from tally import pipeline
from tally.batch.splits import Split
from tally.model import Doc, Failure, Figure, RawDoc
from tally.store.records import document_key, raw_key

# A page that passes the prefilter and the parser: processing it loads every model a
# worker needs before the first real document, so timings and memory are honest.
_WARM_UP = RawDoc(
    doc_id="warm-up",
    source="<warm-up>",
    content="<html><body><article><p>At least 1,100 Tajik nationals have travelled to Iraq and Syria, "
    "the Interior Ministry says.</p></article></body></html>",
    fmt="html",
)


@dataclass(slots=True)
class Done:
    """One processed document: the cleaned text and metadata, its figures, and the two keys
    the store uses (the hash of the normalised text, and of the raw input)."""

    doc: Doc
    figures: list[Figure]
    text_hash: str
    raw_hash: str


Outcome = Done | Failure


@dataclass(slots=True)
class SplitResult:
    """A split's outcomes in input order, and who did it (for the run's worker statistics)."""

    outcomes: list[Outcome] = field(default_factory=list)
    pid: int = 0
    peak_rss: int = 0


def warm() -> None:
    """Build the pipeline in this process (cached there): the first document costs no more."""
    pipeline.process(_WARM_UP)


def process(raw: RawDoc, *, prefilter: bool = True) -> Outcome:
    """One document through the shared pipeline; even a bug in it is one failed document."""
    try:
        result = pipeline.process(raw, prefilter=prefilter)
    except Exception as exc:
        return Failure(source=raw.source, reason=f"internal error: {exc!r}", stage="extract")
    if isinstance(result, Failure):
        return result
    result.doc.segments = []  # offsets back into the raw page: not kept in the batch output
    return Done(result.doc, result.figures, document_key(result.doc.text), raw_key(raw.content, raw.fmt))


def work(split: Split, *, prefilter: bool, max_bytes: int) -> SplitResult:
    """Read one split and process each of its documents, in order."""
    out = SplitResult(pid=os.getpid())
    for item in split.items(max_bytes):
        out.outcomes.append(item if isinstance(item, Failure) else process(item, prefilter=prefilter))
    out.peak_rss = peak_rss()
    return out


def peak_rss() -> int:
    """This process's peak resident memory so far, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
