"""The dashboard's reads on both backends: documents, runs, the reconciliation cache and
the search, over stores written through the store interface."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

import tally.store as store_mod
from tally.model import Doc, Failure, Figure
from tally.store import Entry, RunCounts, Store, document_key
from tally.web import queries
from tally.web.search import SearchIndex


def _fig(value: float, start: int, end: int, **kw: object) -> Figure:
    base: dict[str, object] = dict(
        doc="d1",
        quote=f"{value:g} fighters returned.",
        span=f"{value:g}",
        value=value,
        low=None,
        high=None,
        qualifier="exact",
        kind="count",
        role="militants",
        counted="fighters",
        origin="FR",
        status="returned",
        group="ISIS",
        place=None,
        period="in 2016",
        source="the Interior Ministry",
        scope="cumulative",
        start=start,
        end=end,
    )
    base.update(kw)
    return Figure(**base)  # type: ignore[arg-type]


def _entry(text: str, figs: list[Figure], version: str = "1.0.0", name: str = "d1") -> Entry:
    doc = Doc(
        doc_id=name, source=f"in/{name}.txt", text=text, title=f"Title of {name}", published="2016-05-01"
    )
    return Entry(key=document_key(text), doc=doc, figures=figs, version=version, outlet="Le Monde")


TEXT = "Officials said 390 fighters returned to France from Syria."


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with store_mod.open(store_url) as s:
        yield s


def test_a_document_comes_back_with_its_outlet_and_text(store: Store) -> None:
    store.write(None, _entry(TEXT, [_fig(390, 15, 18)]))
    doc = queries.document(store, document_key(TEXT))
    assert doc is not None
    assert doc["text"] == TEXT and doc["outlet"] == "Le Monde" and doc["title"] == "Title of d1"
    assert isinstance(doc["ingested"], str)  # times as ISO text, ready for JSON
    assert queries.document(store, "no-such-key") is None


def test_documents_page_with_their_figure_counts(store: Store) -> None:
    for n in range(5):
        store.write(None, _entry(f"{TEXT} Copy {n}.", [_fig(390, 15, 18)] * (n % 2), name=f"d{n}"))
    rows, total = queries.document_list(store, limit=2, offset=0)
    assert total == 5 and len(rows) == 2 and "text" not in rows[0]
    rest, _ = queries.document_list(store, limit=10, offset=2)
    assert len(rest) == 3
    assert sorted(r["figures"] for r in rows + rest) == [0, 0, 0, 1, 1]
    only, n = queries.document_list(store, limit=10, offset=0, outlet="Nobody")
    assert only == [] and n == 0


def test_runs_come_newest_first_with_their_errors(store: Store) -> None:
    first = store.start_run(["a/"], version="1.0.0")
    store.finish_run(first, RunCounts(documents=1, new=1))
    second = store.start_run(["b/", "c.txt"], version="1.0.0")
    for n in range(3):
        store.record_failure(second, Failure(source=f"b/{n}.txt", reason="empty file"))
    rows, total = queries.run_list(store, limit=10, offset=0)
    assert total == 2 and [r["id"] for r in rows] == [second, first]
    assert (
        rows[0]["errors"] == 3 and rows[0]["state"] == "unfinished" and rows[0]["inputs"] == ["b/", "c.txt"]
    )
    assert rows[1]["state"] == "finished"
    run, errors, n = queries.run_detail(store, second, limit=2, offset=1)
    assert run is not None and run["errors"] == 3 and n == 3
    assert [e["source"] for e in errors] == ["b/1.txt", "b/2.txt"]
    assert queries.run_detail(store, 999, limit=10, offset=0)[0] is None


def test_the_reconciliation_is_kept_until_the_figures_change(store: Store) -> None:
    cache = queries.LedgerCache(store, rebuild_gap=0, fresh_for=0)
    empty = cache.get()
    assert empty.series == [] and cache.get() is empty
    store.write(None, _entry(TEXT, [_fig(390, 15, 18)]))
    one = cache.get()
    assert one is not empty and len(one.series) == 1
    assert cache.get("isis").figures == one.figures and cache.get("AQ").figures == []
    # A newer Tally re-extracts the document: the figure is replaced, the view follows.
    store.write(None, _entry(TEXT, [_fig(380, 15, 18)], version="2.0.0"))
    assert [sf.figure.value for sf in cache.get().figures] == [380]


def test_readers_are_answered_from_the_last_build_while_one_thread_rebuilds(store: Store) -> None:
    cache = queries.LedgerCache(store, fresh_for=0)
    store.write(None, _entry(TEXT, [_fig(390, 15, 18)]))
    first = cache.get()
    started, release = threading.Event(), threading.Event()
    slow_figures = store.figures

    def slow(**kw: object) -> object:
        started.set()
        release.wait(10)
        return slow_figures(**kw)  # type: ignore[arg-type]

    store.figures = slow  # type: ignore[method-assign]
    store.write(None, _entry(TEXT + " Again.", [_fig(400, 15, 18)], name="d2"))
    first.built -= 60  # old enough to be rebuilt
    builder = threading.Thread(target=cache.get)
    builder.start()
    assert started.wait(10)
    t0 = time.monotonic()
    assert cache.get() is first  # not queued behind the rebuild
    assert time.monotonic() - t0 < 1
    release.set()
    builder.join(10)
    store.figures = slow_figures  # type: ignore[method-assign]
    assert len(cache.get().figures) == 2


def test_search_finds_documents_and_figures_and_follows_re_extraction(store: Store) -> None:
    index = SearchIndex(store)
    assert index.documents("fighters", limit=10, offset=0).total == 0
    store.write(None, _entry(TEXT, [_fig(390, 15, 18)]))
    store.write(None, _entry("Nothing about anyone here, only weather.", [], name="d2"))
    hits = index.documents("fighters Syr", limit=10, offset=0)
    assert hits.total == 1 and hits.rows[0][0] == document_key(TEXT)
    assert "\x02" in hits.rows[0][1]
    figs = index.figures("interior ministry", limit=10, offset=0)
    assert figs.total == 1
    store.write(None, _entry(TEXT, [_fig(380, 15, 18, source="the Home Office")], version="2.0.0"))
    assert index.figures("interior ministry", limit=10, offset=0).total == 0
    new = index.figures("home office", limit=10, offset=0)
    assert new.total == 1 and "380" in new.rows[0][1]
    assert index.documents("weather", limit=10, offset=0).total == 1
    assert index.documents('"; DROP TABLE docs; --', limit=10, offset=0).total == 0


def test_rebuilds_are_spaced_by_their_cost_unless_invalidated(store: Store) -> None:
    cache = queries.LedgerCache(store, rebuild_gap=1e6, fresh_for=0)
    first = cache.get()
    store.write(None, _entry(TEXT, [_fig(390, 15, 18)]))
    assert cache.get() is first  # too soon after the last build: answered from it
    cache.invalidate()
    assert len(cache.get().figures) == 1


def test_the_fingerprint_is_read_once_per_interval(store: Store) -> None:
    cache = queries.LedgerCache(store, fresh_for=60)
    first = cache.get()
    store.write(None, _entry(TEXT, [_fig(390, 15, 18)]))
    assert cache.get() is first  # the reading is still fresh
    cache.invalidate()
    assert len(cache.get().figures) == 1


def test_fingerprint_moves_with_every_stored_figure(store: Store) -> None:
    before = queries.fingerprint(store)
    store.write(None, _entry(TEXT, [_fig(390, 15, 18)]))
    after = queries.fingerprint(store)
    assert after != before and after[0] == before[0] + 1
    store.write(None, _entry(TEXT, [_fig(380, 15, 18)], version="2.0.0"))  # same count, maybe same id
    assert queries.fingerprint(store) != after
