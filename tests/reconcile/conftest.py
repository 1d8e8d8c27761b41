"""A factory for stored figures, so reconcile tests state only what matters to them."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from tally.model import Figure
from tally.store.records import StoredFigure

MakeFigure = Callable[..., StoredFigure]


@pytest.fixture
def sf() -> MakeFigure:
    """sf(value, source=..., outlet=..., published=..., story=..., qualifier=..., ...) -> StoredFigure."""
    ids = itertools.count(1)

    def make(
        value: float | None = None, *, story: str | None = None, document: str | None = None, **kw: Any
    ) -> StoredFigure:
        n = next(ids)
        fields: dict[str, Any] = dict(
            doc=f"doc{n}",
            quote=f"Officials said {value} fighters had returned.",
            span=str(value),
            value=value,
            low=None,
            high=None,
            qualifier="exact",
            kind="count",
            role="militants",
            counted="fighters",
            origin="FR",
            status="returned",
            group=None,
            place=None,
            period=None,
            source=None,
            scope="cumulative",
            start=0,
            end=1,
            published="2018-03-01",
            outlet=f"outlet{n}",
        )
        fields.update(kw)
        doc_key = document or f"key{n}"
        return StoredFigure(id=n, document=doc_key, story=story or doc_key, figure=Figure(**fields))

    return make
