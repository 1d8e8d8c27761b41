"""The accounting's vocabulary, loaded once from `data/accounting.toml`.

Status groups an outlet may swap when it retells a figure, which populations hold which,
hedge classes, and the words that date something other than a figure: domain words
live in the data file, the reconciler holds the rules.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def _data() -> dict[str, Any]:
    raw = files("tally.reconcile").joinpath("data/accounting.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


@cache
def status_group(status: str) -> frozenset[str]:
    """The statuses a retelling of a `status` figure may use, itself included."""
    for group in _data()["restatement"]["status_groups"]:
        if status in group:
            return frozenset(group)
    return frozenset({status})


@cache
def vague_statuses() -> frozenset[str]:
    return frozenset(_data()["restatement"]["vague_statuses"])


@cache
def vague_roles() -> frozenset[str]:
    return frozenset(_data()["restatement"]["vague_roles"])


def may_overlap(a: str, b: str) -> bool:
    """Whether people of population `a` may also be counted in population `b`."""
    held = _data()["populations"]
    return a == b or b in held.get(a, ()) or a in held.get(b, ()) or "all" in (a, b)


def holds(a: str, b: str) -> bool:
    """Whether population `a` strictly holds population `b` (all holds men; adults hold women)."""
    return a != b and b in _data()["populations"].get(a, ())


@cache
def qualifier_class(qualifier: str) -> str:
    """The hedge class of a qualifier: approximate, lower, upper or range."""
    for name, members in _data()["qualifiers"].items():
        if qualifier in members:
            return str(name)
    return "approximate"


@cache
def other_event_words() -> tuple[str, ...]:
    return tuple(_data()["dates"]["other_event"])


@cache
def relative_years() -> dict[str, int]:
    return dict(_data()["dates"]["relative"])


@cache
def since_words() -> tuple[str, ...]:
    """Words that open a period naming where counting began ("since 2012", "seit 2012")."""
    return tuple(_data()["dates"]["since"])
