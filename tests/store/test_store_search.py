"""Full-text search in the store, on SQLite and PostgreSQL: kept in step with every write,
filled from what an older store held when it is migrated, and the index is what answers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete, text, update

import tally.store as store_mod
from tally.model import Doc, Figure
from tally.store import Entry, Store, document_key, fulltext, migrate
from tally.store.schema import documents, figures

TEXT = "Officials said 390 fighters returned to France from Syria."
OTHER = "Nothing about anyone here, only the weather in Besançon."


def _fig(value: float, **kw: object) -> Figure:
    base: dict[str, object] = dict(
        doc="d1",
        quote=f"Officials said {value:g} fighters returned.",
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
        period=None,
        source="the Interior Ministry",
        scope="cumulative",
        start=15,
        end=18,
    )
    base.update(kw)
    return Figure(**base)  # type: ignore[arg-type]


def _entry(body: str, figs: list[Figure], version: str = "1.0.0", name: str = "d1") -> Entry:
    doc = Doc(
        doc_id=name, source=f"in/{name}.txt", text=body, title=f"News of {name}", published="2016-05-01"
    )
    return Entry(key=document_key(body), doc=doc, figures=figs, version=version, outlet="Le Monde")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with store_mod.open(store_url) as s:
        yield s


def _docs(store: Store, q: str) -> list[str]:
    return [key for key, _snippet in store.search_documents(q, limit=10, offset=0).rows]


def _figs(store: Store, q: str) -> list[int]:
    return [fid for fid, _marked in store.search_figures(q, limit=10, offset=0).rows]


def test_a_stored_document_and_its_figures_are_found_by_every_word_the_last_a_prefix(store: Store) -> None:
    store.write(None, _entry(TEXT, [_fig(390)]))
    store.write(None, _entry(OTHER, [], name="d2"))
    hits = store.search_documents("fighters Syr", limit=10, offset=0)
    assert hits.total == 1 and hits.rows[0][0] == document_key(TEXT)
    assert f"{fulltext.HIT_OPEN}fighters{fulltext.HIT_CLOSE}" in hits.rows[0][1]
    assert _docs(store, "news") and len(_docs(store, "news")) == 2  # the title counts too
    (fid,) = _figs(store, "interior ministry")
    assert fid == store.figures()[0].id
    by_group = store.search_figures("isis", limit=10, offset=0).rows  # the group is searched, not marked
    assert by_group == [(fid, "Officials said 390 fighters returned.")]
    assert _docs(store, "fighters weather") == []


def test_a_re_extraction_replaces_what_is_found_and_a_deletion_removes_it(store: Store) -> None:
    store.write(None, _entry(TEXT, [_fig(390)]))
    store.write(None, _entry(TEXT, [_fig(380, source="the Home Office")], version="2.0.0"))
    assert _figs(store, "interior ministry") == []
    (fid,) = _figs(store, "home office")
    assert "380" in store.search_figures("home office", limit=10, offset=0).rows[0][1]
    with store.engine.begin() as conn:
        conn.execute(update(documents).values(title="Renamed headline"))
        conn.execute(update(figures).where(figures.c.id == fid).values(source="a think tank"))
    assert _docs(store, "renamed headline") == [document_key(TEXT)]
    assert _figs(store, "home office") == [] and _figs(store, "think tank") == [fid]
    with store.engine.begin() as conn:
        conn.execute(delete(documents))  # its figures go with it (ON DELETE CASCADE)
    assert _docs(store, "fighters") == [] and _figs(store, "think tank") == []


def test_counts_and_pages_of_hits(store: Store) -> None:
    for n in range(5):
        store.write(None, _entry(f"Report {n}: {TEXT}", [_fig(n + 1)], name=f"d{n}"))
    first = store.search_documents("returned", limit=2, offset=0)
    rest = store.search_documents("returned", limit=10, offset=2)
    assert first.total == rest.total == 5
    assert len(first.rows) == 2 and len(rest.rows) == 3
    assert {k for k, _ in first.rows}.isdisjoint(k for k, _ in rest.rows)


def test_nothing_a_reader_types_is_query_syntax(store: Store) -> None:
    store.write(None, _entry(TEXT, [_fig(390)]))
    for q in ('"; DROP TABLE documents; --', "fighters OR x", "fighters & !x", "x:* | y", "NEAR(a b)", "'"):
        store.search_documents(q, limit=10, offset=0)
        store.search_figures(q, limit=10, offset=0)
    assert _docs(store, "fighters OR x") == []  # every word is required, OR is a word
    assert store.search_documents("  ,;  ", limit=10, offset=0).total == 0
    assert store.counts()["documents"] == 1


def test_migrating_an_older_store_indexes_what_it_holds(store_url: str) -> None:
    with store_mod.open(store_url, upgrade=False) as s:
        migrate.upgrade(s.engine, "0003")
        s.write(None, _entry(TEXT, [_fig(390)]))
        s.write(None, _entry(OTHER, [], name="d2"))
        assert s.revision() == "0003"
    with store_mod.open(store_url) as s:
        assert s.revision() == migrate.head()
        assert _docs(s, "fighters") == [document_key(TEXT)]
        assert _figs(s, "interior") == [s.figures()[0].id]
        s.write(None, _entry("Some 40 fighters came back to Belgium.", [], name="d3"))
        assert len(_docs(s, "fighters")) == 2  # and it keeps up from then on


def test_the_search_index_comes_and_goes_with_its_migration(store: Store) -> None:
    from alembic import command

    store.write(None, _entry(TEXT, [_fig(390)]))
    cfg = migrate._config()  # Tally ships no downgrade command: Alembic's own, on its config
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    assert store.revision() == "0003"
    store.write(None, _entry(OTHER, [], name="d2"))  # writes work without the index
    store.upgrade()
    assert _docs(store, "weather") == [document_key(OTHER)] and _docs(store, "fighters")


def test_postgresql_answers_from_the_gin_indexes(pg_url: str) -> None:
    with store_mod.open(pg_url) as s:
        s.write(None, _entry(TEXT, [_fig(390)]))
        with s.engine.connect() as conn:
            conn.execute(text("SET enable_seqscan = off"))
            for table, expr, index in (
                ("documents", fulltext.PG_DOCUMENT, "ix_documents_search"),
                ("figures", fulltext.PG_FIGURE, "ix_figures_search"),
            ):
                plan = conn.execute(
                    text(f"EXPLAIN SELECT 1 FROM {table} WHERE {expr} @@ to_tsquery('simple', :q)"),
                    {"q": fulltext.tsquery(["fighters"])},
                ).scalars()
                assert index in "\n".join(plan), table
