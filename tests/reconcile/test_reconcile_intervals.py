"""Each qualifier read as the interval of counts it allows."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tally.reconcile import APPROX_TOLERANCE, NEARLY_TOLERANCE, Interval, interval

INF = math.inf


@pytest.mark.parametrize(
    ("qualifier", "value", "low", "high", "expected"),
    [
        ("exact", 390, None, None, Interval(390, 390)),
        ("approx", 170, None, None, Interval(153, 187)),
        ("nearly", 300, None, None, Interval(270, 300)),
        ("at_least", 27000, None, None, Interval(27000, INF, high_open=True)),
        ("more_than", 5000, None, None, Interval(5000, INF, low_open=True, high_open=True)),
        ("at_most", 200, None, None, Interval(0, 200)),
        ("less_than", 50, None, None, Interval(0, 50, high_open=True)),
        ("range", None, 2000, 2500, Interval(2000, 2500)),
        ("vague", None, 24, None, Interval(24, INF, high_open=True)),
        ("vague", None, 36, 99, Interval(36, 99)),
    ],
)
def test_each_qualifier_means_its_interval(
    qualifier: str, value: float | None, low: float | None, high: float | None, expected: Interval
) -> None:
    got = interval(qualifier, value, low, high)
    assert got is not None
    assert got.low == pytest.approx(expected.low) and got.high == pytest.approx(expected.high)
    assert (got.low_open, got.high_open) == (expected.low_open, expected.high_open)


def test_the_tolerances_are_ten_percent() -> None:
    assert APPROX_TOLERANCE == NEARLY_TOLERANCE == 0.10


def test_open_and_closed_ends_decide_a_touching_overlap() -> None:
    at_least = interval("at_least", 5000)
    more_than = interval("more_than", 5000)
    exactly = interval("exact", 5000)
    assert at_least and more_than and exactly
    assert exactly.overlaps(at_least)
    assert not exactly.overlaps(more_than)
    assert not interval("less_than", 50).overlaps(interval("exact", 50))  # type: ignore[union-attr]
    assert interval("at_most", 50).overlaps(interval("exact", 50))  # type: ignore[union-attr]
    assert 5000 in exactly and 5000 not in more_than and 10**9 in more_than


def test_a_figure_with_no_number_has_no_interval() -> None:
    assert interval("exact", None) is None
    assert interval("range", None, None, None) is None


def test_intervals_print_with_their_ends() -> None:
    assert str(interval("more_than", 5000)) == "(5,000, ∞)"
    assert str(interval("range", None, 2000, 2500)) == "[2,000, 2,500]"


_QUALIFIERS = st.sampled_from(["exact", "approx", "nearly", "at_least", "more_than", "at_most", "less_than"])
_VALUES = st.integers(min_value=1, max_value=100_000)


@given(_QUALIFIERS, _VALUES, _QUALIFIERS, _VALUES)
def test_overlap_is_symmetric(qa: str, va: int, qb: str, vb: int) -> None:
    a, b = interval(qa, va), interval(qb, vb)
    assert a is not None and b is not None
    assert a.overlaps(b) == b.overlaps(a)


@given(_QUALIFIERS, _VALUES)
def test_a_figure_never_conflicts_with_itself(q: str, v: int) -> None:
    a = interval(q, v)
    assert a is not None and a.overlaps(a)
