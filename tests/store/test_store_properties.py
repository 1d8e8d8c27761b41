"""Properties of the write path: writing a corpus again, in any order, changes nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import tally.store as store_mod
from tally.model import Doc, Figure
from tally.store import Entry, document_key

_TEXTS = st.lists(st.sampled_from(["alpha", "beta", "Alpha", "gamma  delta", "gamma delta", "x"]), min_size=1)
_VALUES = st.lists(st.integers(min_value=0, max_value=10_000), max_size=4)


def _entry(text: str, values: list[int]) -> Entry:
    figs = [
        Figure(
            doc="d",
            quote=text,
            span=str(v),
            value=v,
            low=None,
            high=None,
            qualifier="exact",
            kind="count",
            role="militants",
            counted=None,
            origin="FR",
            status="joined",
            group=None,
            place=None,
            period=None,
            source=None,
            scope=None,
            start=0,
            end=1,
        )
        for v in values
    ]
    doc = Doc(doc_id="d", source="s", text=text, outlet=None)
    return Entry(key=document_key(text), doc=doc, figures=figs, version="1.0.0", outlet="o")


def _snapshot(store: store_mod.Store) -> tuple[dict[str, int], list[tuple[str, float | None]]]:
    return store.counts(), sorted((sf.document, sf.figure.value) for sf in store.figures())


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(_TEXTS.map(" ".join), _VALUES), min_size=1, max_size=6), st.randoms())
def test_writing_everything_again_in_any_order_changes_nothing(
    corpus: list[tuple[str, list[int]]], rnd: object
) -> None:
    with tempfile.TemporaryDirectory() as tmp, store_mod.open(str(Path(tmp) / "p.db")) as store:
        for text, values in corpus:
            store.write(None, _entry(text, values))
        once = _snapshot(store)
        again = list(corpus)
        rnd.shuffle(again)  # type: ignore[attr-defined]
        assert {store.write(None, _entry(t, v)) for t, v in again} == {"unchanged"}
        assert _snapshot(store) == once
        assert once[0]["documents"] == len({document_key(t) for t, _ in corpus})
