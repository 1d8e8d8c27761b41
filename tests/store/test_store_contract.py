"""The store contract: the same behaviour on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import tally.store as store_mod
from tally import ledger
from tally.errors import StoreError
from tally.model import Doc, Failure, Figure
from tally.store import Entry, RunCounts, Store, document_key, migrate, newer_version
from tally.store.schema import SEARCH_INDEXES, SEARCH_TABLES, SEARCH_TRIGGERS, metadata


def _fig(value: float | None, **kw: object) -> Figure:
    base: dict[str, object] = dict(
        doc="d1",
        quote=f"{value} fighters returned.",
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
        source="the ministry",
        scope="cumulative",
        start=0,
        end=3,
    )
    base.update(kw)
    return Figure(**base)  # type: ignore[arg-type]


def _entry(text: str, figs: list[Figure], version: str = "1.0.0", **doc: object) -> Entry:
    d = Doc(doc_id=str(doc.pop("doc_id", "d1")), source="in/d1.txt", text=text, published="2018-03-01", **doc)
    return Entry(
        key=document_key(text),
        doc=d,
        figures=figs,
        version=version,
        raw_hash="raw-" + document_key(text)[:16],
        outlet="Le Monde",
    )


@pytest.fixture
def store(store_url: str) -> Store:
    with store_mod.open(store_url) as s:
        yield s


def _search_object(name: str | None, type_: str, _parents: object) -> bool:
    """Whether a database object is the full-text index's (the schema names it apart)."""
    if type_ == "table":
        return any(name == t or (name or "").startswith(t + "_") for t in SEARCH_TABLES)
    return type_ == "index" and name in SEARCH_INDEXES


def test_open_creates_the_schema_at_head_matching_the_metadata_and_the_search_index(store: Store) -> None:
    assert store.revision() == migrate.head() == migrate.script_head()
    opts = {"include_name": lambda name, type_, parents: not _search_object(name, type_, parents)}
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
        found = inspect(conn)
        if store.backend == "sqlite":
            names = set(found.get_table_names())
            assert set(SEARCH_TABLES) <= names
            extra = {n for n in names if n not in metadata.tables and n != migrate.VERSION_TABLE}
            assert all(_search_object(n, "table", {}) for n in extra), extra
            triggers = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars()
            assert set(triggers) == set(SEARCH_TRIGGERS)
        else:
            indexes = {ix["name"] for t in ("documents", "figures") for ix in found.get_indexes(t)}
            assert set(SEARCH_INDEXES) <= indexes
    assert diff == []


def test_a_document_written_twice_is_stored_once(store: Store) -> None:
    e = _entry("Some 390 fighters returned.", [_fig(390), _fig(500, status="killed")])
    assert store.write(None, e) == "new"
    once = store.counts()
    assert store.write(None, e) == "unchanged"
    assert store.counts() == once
    assert once["documents"] == 1 and once["figures"] == 2 and once["outlets"] == 1 and once["stories"] == 1


def test_a_newer_version_replaces_the_figures_and_an_older_one_does_not(store: Store) -> None:
    text = "Some 390 fighters returned."
    store.write(None, _entry(text, [_fig(390), _fig(500)], version="1.0.0"))
    assert store.write(None, _entry(text, [_fig(391)], version="1.1.0")) == "updated"
    assert [sf.figure.value for sf in store.figures()] == [391]
    assert store.write(None, _entry(text, [_fig(1), _fig(2), _fig(3)], version="1.0.5")) == "unchanged"
    assert store.counts()["figures"] == 1


def test_same_text_in_other_whitespace_and_case_is_the_same_document(store: Store) -> None:
    store.write(None, _entry("Some 390 fighters  returned.", [_fig(390)]))
    assert store.write(None, _entry("some 390 FIGHTERS\nreturned.", [_fig(390)])) == "unchanged"


def test_figures_round_trip_every_field(store: Store) -> None:
    fig = _fig(
        None,
        low=2000,
        high=2500,
        qualifier="range",
        quote="between 2,000 and 2,500",
        group="ISIS",
        place="SY,IQ",
        period="since 2012",
        start=10,
        end=30,
        quote_start=2,
        quote_end=40,
        url="https://example.org/a",
        outlet="Example",
        published="2017",
        lang="en",
        version="0.9",
    )
    e = _entry("Between 2,000 and 2,500 French fighters left since 2012.", [fig])
    store.write(None, e)
    (got,) = store.figures()
    assert got.figure == fig
    assert got.document == e.key and got.story == e.key


def test_missing_provenance_is_filled_from_the_document(store: Store) -> None:
    store.write(None, _entry("Some 390 fighters returned.", [_fig(390)], url="https://lemonde.fr/x"))
    (got,) = store.figures()
    assert (got.figure.published, got.figure.url, got.figure.outlet) == (
        "2018-03-01",
        "https://lemonde.fr/x",
        "Le Monde",
    )
    assert got.figure.version == "1.0.0"


def test_nul_characters_are_stored_without_shifting_offsets(store: Store) -> None:
    text = "A\x00B 390 fighters returned."
    store.write(None, _entry(text, [_fig(390, quote="A\x00B 390")]))
    (got,) = store.figures()
    assert got.figure.quote == "A\ufffdB 390"
    assert len(next(iter(store.rows("documents")))["text"]) == len(text)


def test_figures_filter_by_origin_status_and_source_text(store: Store) -> None:
    store.write(
        None,
        _entry(
            "doc one",
            [
                _fig(1, origin="FR"),
                _fig(2, origin="BE", status="killed"),
                _fig(3, source="A recent report by the Soufan Group"),
                _fig(4, source="100%_sure"),
            ],
        ),
    )
    assert {sf.figure.value for sf in store.figures(origin="fr")} == {1, 3, 4}
    assert {sf.figure.value for sf in store.figures(status="killed")} == {2}
    assert {sf.figure.value for sf in store.figures(source="soufan")} == {3}
    assert {sf.figure.value for sf in store.figures(source="%_")} == {4}


def test_sources_merge_spellings_and_count_figures_documents_and_outlets(store: Store) -> None:
    store.write(None, _entry("doc one", [_fig(1), _fig(2, source="the Ministry")]))
    store.write(None, _entry("doc two", [_fig(3, outlet="BBC"), _fig(4, source=None)]))
    rows = {r["source"]: r for r in ledger.sources(store)}
    ministry = rows["the ministry"]
    assert (ministry["figures"], ministry["documents"], ministry["stories"], ministry["outlets"]) == (
        3,
        2,
        2,
        2,
    )
    assert ministry["spellings"] == ["the Ministry", "the ministry"]
    assert rows[None]["figures"] == 1


def test_a_run_keeps_its_counts_and_each_failure(store: Store) -> None:
    run = store.start_run(["a", "b"], version="1.0.0", workers=2)
    store.record_failure(run, Failure(source="b/x.bin", reason="binary file", stage="read"))
    (row,) = store.runs()
    assert row["finished"] is None and row["workers"] == 2
    store.finish_run(run, RunCounts(documents=3, new=2, failed=1, figures=7))
    (row,) = store.runs()
    assert row["finished"] is not None and (row["documents"], row["new"], row["failed"]) == (3, 2, 1)
    assert store.run_errors(run) == [Failure(source="b/x.bin", reason="binary file", stage="read")]


def test_known_inputs_and_story_rows_come_back(store: Store) -> None:
    e = _entry("Some 390 fighters returned.", [_fig(390)])
    e.signature = b"\x01\x00\x00\x00" * 4
    store.write(None, e)
    assert store.known_inputs() == {e.raw_hash: "1.0.0"}
    assert list(store.story_rows()) == [(e.key, e.key, e.signature)]


def test_rows_export_every_table_without_signatures(store: Store) -> None:
    store.write(None, _entry("doc one", [_fig(1)]))
    docs = list(store.rows("documents"))
    assert len(docs) == 1 and "signature" not in docs[0] and isinstance(docs[0]["ingested"], str)


def test_newer_version_compares_release_numbers() -> None:
    assert newer_version("0.10.0", "0.9.3")
    assert not newer_version("0.9.3", "0.10.0")
    assert not newer_version("1.0.0", "1.0.0")
    assert newer_version("1.0.0+b", "1.0.0+a") and not newer_version("1.0.0+a", "1.0.0+b")


def test_a_url_of_another_database_is_refused() -> None:
    with pytest.raises(StoreError, match="unsupported store"):
        store_mod.open("mysql://u@localhost/x")


def test_a_sqlite_file_in_a_missing_folder_says_so(tmp_path: object) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        store_mod.open("/nonexistent-folder/x/ledger.db")


def test_an_unreachable_postgresql_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot read the schema revision"):
        store_mod.open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
