"""The reconciled series as plain records: Series, its Chains of Points, Conflicts, Estimates.

These are what `Ledger.series()` gives: the reconciler's account (`tally.reconcile`), as
`tally series` prints it, turned into frozen records with `as_dict()`. `Series.as_dict()`
is the JSON of `tally series --format json`, so both faces say the same thing.

The shape follows the ledger's reconciliation. As it grows (parts under their wholes,
source entities, echoes traced across languages) the records gain fields with defaults;
none is removed or renamed without a CHANGELOG entry. Read fields by name, build records
by keyword.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from tally._api.records import Records
from tally.reconcile import estimate as _estimate
from tally.reconcile.intervals import Interval
from tally.reconcile.points import Point as _Point
from tally.reconcile.report import figure_text, series_dict
from tally.store.records import StoredFigure

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _bounds(iv: Interval) -> tuple[float, float | None]:
    return iv.low, None if math.isinf(iv.high) else iv.high


@dataclass(frozen=True, slots=True)
class Point:
    """One statement of a figure in a series: what it says, when for, and who said it where.

    `chain` numbers the independent statement it belongs to; `echo` is False for the
    statement that started the chain and True for a restatement of it, whose changes are
    in `mutations`. `interval_low`/`interval_high` are what its hedge allows ("at least
    1,200" is 1,200 and None, no upper bound). `quote` is its sentence; `document`,
    `start` and `end` find the number in the stored text (`Ledger.document`).
    """

    figure_id: int
    origin: str | None
    status: str
    role: str
    scope: str | None
    chain: int
    echo: bool
    figure: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    span: str
    interval: str
    interval_low: float
    interval_high: float | None
    as_of: str | None
    year: int | None
    source: str | None
    outlet: str | None
    published: str | None
    url: str | None
    doc: str
    document: str
    story: str | None
    quote: str
    start: int | None = None
    end: int | None = None
    conflict: bool = False
    best: bool = False
    mutations: tuple[str, ...] = ()
    population: str = "all"
    part_of: str | None = None
    entity: str | None = None
    entity_name: str | None = None
    lang: str | None = None
    whole_id: int | None = None  # for a part: the figure id of its whole
    depth: int | None = None  # for a part: 1 under the chain's figure, 2 under one of its parts

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["mutations"] = list(self.mutations)
        return d


@dataclass(frozen=True, slots=True)
class Mutation:
    """A change a restatement made to the figure it echoes ('at least' became 'more than')."""

    figure_id: int
    kind: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Chain:
    """One independent statement: the point that made it and the points that echo it."""

    number: int
    origin: Point
    echoes: tuple[Point, ...] = ()
    mutations: tuple[Mutation, ...] = ()
    # Status or scope told differently by an echo (same number): kept apart from mutations.
    rewordings: tuple[Mutation, ...] = ()
    # The figures stated as parts of this chain's statements ("including 68 men"), each
    # with `whole_id`; `part` says this chain's own statement is a part of another figure
    # of the series, so it never competes with its whole for the best estimate.
    parts: tuple[Point, ...] = ()
    part: bool = False

    @property
    def points(self) -> Records[Point]:
        return Records([self.origin, *self.echoes], Point)

    def as_dict(self) -> dict[str, Any]:
        return {
            "chain": self.number,
            "part": self.part,
            "origin": self.origin.as_dict(),
            "echoes": [e.as_dict() for e in self.echoes],
            "mutations": [m.as_dict() for m in self.mutations],
            "rewordings": [m.as_dict() for m in self.rewordings],
            "parts": [p.as_dict() for p in self.parts],
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two independent statements about one series and year that cannot both be true."""

    year: int | None
    a: int
    b: int
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Estimate:
    """The statement chosen for a series and year, and the rule that chose it.

    `support` counts the independent statements from other documents that agree with it,
    `chains` those of the year; the rules are in order: most independent sources, latest
    report, narrowest interval, earliest report.
    """

    origin: str | None
    status: str
    role: str
    scope: str | None
    year: int | None
    chain: int
    figure_id: int
    figure: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    interval: str
    interval_low: float
    interval_high: float | None
    as_of: str | None
    source: str | None
    outlet: str | None
    rule: str
    support: int
    chains: int
    population: str = "all"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Overcount:
    """Parts of one whole that count different people and add up to more than it allows."""

    whole_id: int
    parts: tuple[int, ...]
    total: float
    detail: str

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["parts"] = list(self.parts)
        return d


@dataclass(frozen=True, slots=True)
class Series:
    """Everything the ledger reconciled about one series: who is counted (`origin`, `role`),
    what happened to them (`status`), over what time (`scope`), its chains of statements,
    the conflicts between them and the best estimate of each year. `population` says
    whom within them it counts (all, men, women, minors, adults, mixed); parts stated
    under a chain's figure are in `Chain.parts`, and parts that add up to more than their
    whole are in `overcounts`.

    `points` is every statement, flat, and `to_pandas()` makes it a table; `plot()` draws
    the series (with the `plot` extra).
    """

    origin: str | None
    status: str
    role: str
    scope: str | None
    label: str
    chains: tuple[Chain, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    estimates: Records[Estimate] = field(default_factory=lambda: Records((), Estimate))
    population: str = "all"
    overcounts: tuple[Overcount, ...] = ()

    @property
    def points(self) -> Records[Point]:
        """Every statement of the series: each chain's origin, then its echoes."""
        return Records([p for c in self.chains for p in c.points], Point)

    def to_pandas(self) -> Any:
        """The points as a `pandas.DataFrame` (needs the `pandas` extra)."""
        return self.points.to_pandas()

    def to_arrow(self) -> Any:
        """The points as a `pyarrow.Table`."""
        return self.points.to_arrow()

    def plot(self, ax: Axes | None = None, *, title: str | None = None) -> Axes:
        """Draw the series with matplotlib (the `plot` extra) and return the Axes.

        Each independent statement is a marker at the date it speaks for, with a bar over
        what its hedge allows (an arrow for an open top) and its source beside it; echoes
        are hollow markers joined to the statement they repeat; statements in conflict are
        red; the best estimate of each year is a star on a dashed line. Save it with
        `ax.figure.savefig("series.png", dpi=200)`.
        """
        from tally._api.plot import draw

        return draw(self, ax, title=title)

    def as_dict(self) -> dict[str, Any]:
        """The JSON of `tally series --format json`: `points` is the count of statements."""
        return {
            "origin": self.origin,
            "status": self.status,
            "role": self.role,
            "scope": self.scope,
            "population": self.population,
            "label": self.label,
            "points": sum(1 + len(c.echoes) for c in self.chains),
            "independent": len(self.chains),
            "chains": [c.as_dict() for c in self.chains],
            "overcounts": [o.as_dict() for o in self.overcounts],
            "conflicts": [k.as_dict() for k in self.conflicts],
            "estimates": [e.as_dict() for e in self.estimates],
        }


class SeriesList(Records[Series]):
    """The series `Ledger.series()` found. As a table, it is their points: one row per
    statement, with the series' `origin`, `status`, `role` and `scope` on each row."""

    __slots__ = ()

    def __init__(self, items: Iterable[Series] = (), kind: type | None = None) -> None:
        super().__init__(items, Series)

    @property
    def points(self) -> Records[Point]:
        return Records([p for s in self for p in s.points], Point)

    @property
    def estimates(self) -> Records[Estimate]:
        return Records([e for s in self for e in s.estimates], Estimate)

    def _rows(self) -> Iterable[Any]:
        return self.points

    def _row_kind(self) -> type | None:
        return Point


def build(series: _estimate.Series, figures: Mapping[int, StoredFigure]) -> Series:
    """The public record of one reconciled series; `figures` by id give URLs and offsets."""
    number = {id(c): n for n, c in enumerate(series.chains, 1)}
    conflicted = {id(c) for k in series.conflicts for c in (k.a, k.b)}
    chosen = {id(e.chain) for e in series.estimates}
    chains = []
    for c in series.chains:
        n = number[id(c)]
        flags: dict[int, list[str]] = {}
        for m in c.mutations:
            flags.setdefault(m.point.id, []).append(m.kind)
        marks = {"chain": n, "conflict": id(c) in conflicted}
        origin = _point(c.origin, figures, echo=False, best=id(c) in chosen, mutations=(), **marks)
        echoes = tuple(
            _point(e, figures, echo=True, best=False, mutations=tuple(flags.get(e.id, ())), **marks)
            for e in c.echoes
        )
        mutations = tuple(Mutation(m.point.id, m.kind, m.detail) for m in c.mutations)
        rewordings = tuple(Mutation(m.point.id, m.kind, m.detail) for m in c.rewordings)
        parts = tuple(
            _point(
                q,
                figures,
                echo=False,
                best=False,
                mutations=(),
                chain=n,
                conflict=False,
                whole_id=w.id,
                depth=d,
            )
            for p in c.points
            for q, w, d in series.parts_under(p)
        )
        chains.append(Chain(n, origin, echoes, mutations, rewordings, parts, series.is_part(c)))
    k = series.key
    return Series(
        origin=k.origin,
        status=k.status,
        role=k.role,
        scope=k.scope,
        label=k.label(),
        chains=tuple(chains),
        conflicts=tuple(
            Conflict(x["year"], x["a"], x["b"], x["detail"]) for x in series_dict(series)["conflicts"]
        ),
        estimates=Records(
            [_estimate_record(e, number[id(e.chain)], series) for e in series.estimates], Estimate
        ),
        population=k.population,
        overcounts=tuple(
            Overcount(o.whole.id, tuple(p.id for p in o.parts), o.total, o.detail())
            for o in series.overcounts
        ),
    )


def _point(p: _Point, figures: Mapping[int, StoredFigure], **marks: Any) -> Point:
    sf = figures.get(p.id)
    low, high = _bounds(p.interval)
    return Point(
        figure_id=p.id,
        origin=p.key.origin,
        status=p.key.status,
        role=p.key.role,
        scope=p.key.scope,
        figure=figure_text(p.qualifier, p.value, p.low, p.high),
        value=p.value,
        low=p.low,
        high=p.high,
        qualifier=p.qualifier,
        span=p.span,
        interval=str(p.interval),
        interval_low=low,
        interval_high=high,
        as_of=p.as_of,
        year=p.year,
        source=p.source,
        outlet=p.outlet,
        published=p.published,
        url=sf.figure.url if sf else None,
        doc=p.doc,
        document=p.document,
        story=p.story,
        quote=p.quote,
        start=sf.figure.start if sf else None,
        end=sf.figure.end if sf else None,
        population=p.key.population,
        part_of=p.part_of,
        entity=p.entity.id if p.entity else None,
        entity_name=p.entity.name if p.entity else None,
        lang=p.lang,
        **marks,
    )


def _estimate_record(e: _estimate.Estimate, chain: int, series: _estimate.Series) -> Estimate:
    o = e.chain.origin
    low, high = _bounds(o.interval)
    return Estimate(
        origin=series.key.origin,
        status=series.key.status,
        role=series.key.role,
        scope=series.key.scope,
        year=e.year,
        chain=chain,
        figure_id=o.id,
        figure=figure_text(o.qualifier, o.value, o.low, o.high),
        value=o.value,
        low=o.low,
        high=o.high,
        qualifier=o.qualifier,
        interval=str(o.interval),
        interval_low=low,
        interval_high=high,
        as_of=o.as_of,
        source=o.source,
        outlet=o.outlet,
        rule=e.rule,
        support=e.support,
        chains=e.chains,
        population=series.key.population,
    )
