"""Extract figures about people from a cleaned document: `figures(doc) -> list[Figure]`.

A pure, deterministic function of the cleaned text and its metadata.
"""

from __future__ import annotations

from tally.model import Doc, Figure


def figures(doc: Doc, *, prefilter: bool = True) -> list[Figure]:
    """Every figure about people in `doc`, in text order."""
    from tally.extract.document import extract

    return extract(doc, prefilter=prefilter)
