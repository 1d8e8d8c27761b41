"""The per-document function every runner maps: read -> clean -> language -> extract.

`tally extract`, `tally ingest` and the batch engines all call `process`, so there is
one copy of the logic whatever runs it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tally import clean as clean_stage
from tally import ingest
from tally.errors import TallyError
from tally.model import Doc, Failure, Figure, RawDoc

# The extract stage. `tally.extract` is also the name of the public function (see
# tally/__init__.py), so the package is taken from the import system, not the attribute.
extract_stage = importlib.import_module("tally.extract")


@dataclass(slots=True)
class Result:
    """What one document gave: the cleaned document and its figures."""

    doc: Doc
    figures: list[Figure] = field(default_factory=list)


def process(raw: RawDoc, *, lang: str | None = None, prefilter: bool = True) -> Result | Failure:
    """Clean one raw document and extract its figures; a bad document comes back as a Failure."""
    try:
        doc = clean_stage.clean(raw)
        if lang:
            doc.lang = lang
        figs = extract_stage.figures(doc, prefilter=prefilter)
    except TallyError as exc:
        return Failure(source=raw.source, reason=str(exc), stage="extract")
    except Exception as exc:  # a bug must cost one document, not the run
        reason = f"internal error while extracting ({type(exc).__name__}: {exc}); please report it"
        return Failure(source=raw.source, reason=reason, stage="extract")
    return Result(doc=doc, figures=figs)


def run(
    paths: Iterable[str], *, lang: str | None = None, prefilter: bool = True
) -> Iterator[Result | Failure]:
    """Read every input and process it, yielding results and failures in input order."""
    for item in ingest.read(paths):
        if isinstance(item, Failure):
            yield item
        else:
            yield process(item, lang=lang, prefilter=prefilter)
