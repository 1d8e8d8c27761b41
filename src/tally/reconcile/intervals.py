"""What a hedged number allows: each qualifier read as an interval of possible counts.

"at least 27,000" is [27,000, inf); "about 170" is [153, 187]. Two figures conflict
only when their intervals share no value, so hedges are honoured before anyone is
accused of disagreeing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# "about/around/some/roughly N": within 10% either side of N.
APPROX_TOLERANCE = 0.10
# "nearly/almost/close to N": up to 10% below N, and not above it.
NEARLY_TOLERANCE = 0.10

INF = math.inf


@dataclass(frozen=True, slots=True)
class Interval:
    """A set of counts between `low` and `high`; an open end excludes its bound."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def overlaps(self, other: Interval) -> bool:
        """Whether some count lies in both intervals."""
        return _below(self.low, self.low_open, other.high, other.high_open) and _below(
            other.low, other.low_open, self.high, self.high_open
        )

    @property
    def width(self) -> float:
        return self.high - self.low

    def __contains__(self, x: float) -> bool:
        above = x > self.low or (x == self.low and not self.low_open)
        below = x < self.high or (x == self.high and not self.high_open)
        return above and below

    def __str__(self) -> str:
        lo = "(" if self.low_open else "["
        hi = ")" if self.high_open else "]"
        return f"{lo}{fmt_number(self.low)}, {fmt_number(self.high)}{hi}"


def _below(low: float, low_open: bool, high: float, high_open: bool) -> bool:
    """Whether a lower bound sits at or under an upper bound, with both ends counted."""
    return low < high or (low == high and not low_open and not high_open)


def fmt_number(x: float) -> str:
    if math.isinf(x):
        return "∞"
    if abs(x - round(x)) < 1e-6:  # 170 * 1.1 is 187.00000000000003
        return f"{round(x):,}"
    return f"{x:,.1f}"


def interval(
    qualifier: str, value: float | None, low: float | None = None, high: float | None = None
) -> Interval | None:
    """The interval a figure states, or None when it gives no number to read.

    exact [v, v]; approx [v(1-t), v(1+t)]; nearly [v(1-t), v]; at_least [v, inf);
    more_than (v, inf); at_most [0, v]; less_than [0, v); range [low, high];
    vague [low, inf), or [low, high] when the text bounds it.
    """
    if qualifier in ("range", "vague"):
        lo = low if low is not None else value
        if lo is None:
            return None
        hi = high if high is not None else (INF if qualifier == "vague" or value is None else value)
        return Interval(lo, hi, high_open=math.isinf(hi))
    v = value if value is not None else (low if low is not None else high)
    if v is None:
        return None
    match qualifier:
        case "approx":
            return Interval(v * (1 - APPROX_TOLERANCE), v * (1 + APPROX_TOLERANCE))
        case "nearly":
            return Interval(v * (1 - NEARLY_TOLERANCE), v)
        case "at_least":
            return Interval(v, INF, high_open=True)
        case "more_than":
            return Interval(v, INF, low_open=True, high_open=True)
        case "at_most":
            return Interval(0, v)
        case "less_than":
            return Interval(0, v, high_open=True)
        case _:  # exact, and any qualifier this version does not know: take the number as said
            return Interval(v, v)
