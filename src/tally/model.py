"""The records passed between stages: RawDoc -> Doc -> Figure, and Failure for bad input.

Every stage takes and returns one of these; nothing passes tuples or loose dicts.
`as_dict`/`from_dict` give the JSON shape used by the CLI, the store and the batch engine.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field, fields
from typing import Any, TypeVar

T = TypeVar("T")


def _from_dict(cls: type[T], data: dict[str, Any]) -> T:
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(slots=True)
class RawDoc:
    """One input document as read, before cleaning.

    `doc_id` is the input file's name without extension (the eval's `doc`), or the
    file name plus a line number for JSON Lines inputs. `fmt` says how to clean it.
    """

    doc_id: str
    source: str
    content: str
    fmt: str = "text"  # "text" | "html"
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    encoding: str | None = None
    lang: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RawDoc:
        return _from_dict(cls, data)


@dataclass(slots=True)
class Doc:
    """A cleaned document: the text figures point into, and its metadata.

    `segments` maps the cleaned text back to the raw content: each triple is
    (clean_start, raw_start, length) of a run copied unchanged. For HTML the raw
    side is trafilatura's text, since the page itself has no offsets worth keeping.
    """

    doc_id: str
    source: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    lang: str | None = None
    segments: list[tuple[int, int, int]] = field(default_factory=list)

    def raw_offset(self, clean_offset: int) -> int | None:
        """Where a cleaned-text offset stands in the raw content, or None if it was inserted."""
        starts = [s[0] for s in self.segments]
        i = bisect.bisect_right(starts, clean_offset) - 1
        if i < 0:
            return None
        c, r, n = self.segments[i]
        if clean_offset - c <= n:
            return r + (clean_offset - c)
        return None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Doc:
        doc = _from_dict(cls, data)
        doc.segments = [tuple(s) for s in doc.segments]  # type: ignore[misc]
        return doc


@dataclass(slots=True)
class Quantity:
    """A parsed number expression: exact value, or bounds, with its hedge.

    `value` is set for every qualifier but `range` and `vague`; `low`/`high` bound
    ranges and vague amounts ("dozens" is low 24, high None). Percentages are in
    percent units, fractions as a percentage of the whole (a third is 33.3).
    """

    value: float | None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    kind: str = "count"  # count | percent | fraction

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class NumberMention:
    """A number expression found in running text, with offsets into that text."""

    start: int
    end: int
    text: str
    quantity: Quantity
    # The core token span (digits or words) without the hedge, e.g. "27,000" in "at least 27,000".
    core_start: int = 0
    core_end: int = 0


@dataclass(slots=True)
class Figure:
    """One figure about people, with what it counts, who says so, and where it stands.

    The fields are those of ../shared/eval/SCHEMA.md plus provenance.
    """

    doc: str
    quote: str
    span: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    kind: str
    role: str
    counted: str | None
    origin: str | None
    status: str
    group: str | None
    place: str | None
    period: str | None
    source: str | None
    scope: str | None
    start: int
    end: int
    quote_start: int = 0
    quote_end: int = 0
    # Who within the counted people the number is restricted to (SCHEMA.md): all, men,
    # women, minors, adults or mixed; and the span of the figure this one is a part of.
    population: str = "all"
    part_of: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None
    lang: str | None = None
    version: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("value", "low", "high"):
            v = d[k]
            if isinstance(v, float) and v.is_integer():
                d[k] = int(v)
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figure:
        return _from_dict(cls, data)


@dataclass(slots=True)
class Failure:
    """An input that could not be used, and why: data, not a crash."""

    source: str
    reason: str
    stage: str = "read"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        return f"tally: {self.source}: {self.reason}"
