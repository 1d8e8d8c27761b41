"""ingest.read: files, directories, gzip, JSON Lines and stdin in; RawDoc or Failure out."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import time
from pathlib import Path

import pytest

from tally.ingest import files, read
from tally.model import Failure, RawDoc

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
ARTICLE = "Around 300 fighters have returned, officials said.\n"


def _all(*paths: Path | str, **kw: int) -> list[RawDoc | Failure]:
    return list(read([str(p) for p in paths], **kw))


def _one(*paths: Path | str, **kw: int) -> RawDoc | Failure:
    (item,) = _all(*paths, **kw)
    return item


def _doc(item: RawDoc | Failure) -> RawDoc:
    assert isinstance(item, RawDoc), item
    return item


def _failure(item: RawDoc | Failure) -> Failure:
    assert isinstance(item, Failure), item
    return item


# --- formats and names -----------------------------------------------------------------------


def test_text_file_is_read_as_is(tmp_path: Path) -> None:
    path = tmp_path / "004_b46de369b17911d8.txt"
    path.write_text("Headline\r\n\r\nBody “quoted” – 1,490.\n", encoding="utf-8")
    doc = _doc(_one(path))
    assert doc.doc_id == "004_b46de369b17911d8"
    assert doc.source == str(path)
    assert doc.fmt == "text"
    assert doc.encoding == "utf-8"
    assert doc.content == "Headline\r\n\r\nBody “quoted” – 1,490.\n"


def test_html_and_htm_files_are_html(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<p>a</p>")
    (tmp_path / "b.HTM").write_text("<p>b</p>")
    docs = [_doc(d) for d in _all(tmp_path / "a.html", tmp_path / "b.HTM")]
    assert [(d.doc_id, d.fmt) for d in docs] == [("a", "html"), ("b", "html")]


def test_gzip_files_are_decompressed_and_named_without_both_extensions(tmp_path: Path) -> None:
    (tmp_path / "x.html.gz").write_bytes(gzip.compress(b"<p>page</p>"))
    (tmp_path / "y.txt.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    html, text = (_doc(d) for d in _all(tmp_path / "x.html.gz", tmp_path / "y.txt.gz"))
    assert (html.doc_id, html.fmt, html.content) == ("x", "html", "<p>page</p>")
    assert (text.doc_id, text.fmt, text.content) == ("y", "text", ARTICLE)


def test_gzip_is_recognised_by_content_not_only_by_name(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(gzip.compress(b"<p>page</p>"))
    assert _doc(_one(path)).content == "<p>page</p>"


def test_only_an_extension_like_suffix_is_stripped_from_the_name(tmp_path: Path) -> None:
    assert files.name_parts("report.2021.txt") == ("report.2021", "text")
    assert files.name_parts("notes") == ("notes", None)
    assert files.name_parts("release-1.5") == ("release-1.5", None)
    assert files.name_parts(".txt") == (".txt", None)
    assert files.name_parts("dir/a.b.jsonl.gz") == ("a.b", "jsonl")


def test_unknown_extensions_are_sniffed(tmp_path: Path) -> None:
    (tmp_path / "page.php").write_text("  <!doctype html><p>x</p>")
    (tmp_path / "notes").write_text(ARTICLE)
    (tmp_path / "dump.json").write_text('{"text": "one"}\n{"text": "two"}\n')
    one, two, notes, page = (_doc(d) for d in _all(tmp_path))
    assert (page.doc_id, page.fmt) == ("page", "html")
    assert (notes.doc_id, notes.fmt) == ("notes", "text")
    assert [(d.doc_id, d.content) for d in (one, two)] == [("dump-1", "one"), ("dump-2", "two")]


# --- directories ---------------------------------------------------------------------------


def test_directories_are_walked_recursively_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(ARTICLE)
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "c.txt").write_text(ARTICLE)
    (tmp_path / ".hidden.txt").write_text(ARTICLE)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(ARTICLE)
    assert [_doc(d).doc_id for d in _all(tmp_path)] == ["a", "2", "c"]


def test_binary_files_inside_a_directory_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "story.txt").write_text(ARTICLE)
    assert [_doc(d).doc_id for d in _all(tmp_path)] == ["story"]


def test_a_large_binary_file_inside_a_directory_is_skipped_too(tmp_path: Path) -> None:
    with (tmp_path / "video.mp4").open("wb") as f:
        f.seek(25_000_000)
        f.write(b"\n")
    (tmp_path / "story.txt").write_text(ARTICLE)
    assert [_doc(d).doc_id for d in _all(tmp_path)] == ["story"]


def test_directories_are_read_lazily(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(ARTICLE)
    opened: list[str] = []
    real = files.read_bytes

    def spy(path: str, max_bytes: int) -> bytes:
        opened.append(path)
        return real(path, max_bytes)

    monkeypatch.setattr("tally.ingest.read_bytes", spy)
    docs = read([str(tmp_path)])
    assert _doc(next(docs)).doc_id == "0"
    assert len(opened) == 1


# --- JSON Lines ----------------------------------------------------------------------------


def test_jsonl_records_become_documents_with_their_metadata(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    records = [
        {"id": "a1", "text": ARTICLE, "url": "https://x.test/a", "title": "T", "published": "2021-03-22"},
        {"html": "<p>page</p>", "outlet": "Le Vif", "lang": "fr"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    first, second = (_doc(d) for d in _all(path))
    assert (first.doc_id, first.fmt, first.content) == ("a1", "text", ARTICLE)
    assert (first.url, first.title, first.published) == ("https://x.test/a", "T", "2021-03-22")
    assert (second.doc_id, second.fmt, second.outlet, second.lang) == ("feed-2", "html", "Le Vif", "fr")
    assert first.source == second.source == str(path)


def test_a_malformed_jsonl_line_is_a_failure_and_the_other_lines_still_count(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "one"}\n{"text": "two"\n\n{"title": "no body"}\n[1, 2]\n{"text": "five"}\n')
    items = _all(path)
    assert [d.doc_id for d in items if isinstance(d, RawDoc)] == ["feed-1", "feed-6"]
    failures = [d for d in items if isinstance(d, Failure)]
    assert [f.source for f in failures] == [f"{path}:2", f"{path}:4", f"{path}:5"]
    assert "malformed JSON line" in failures[0].reason
    assert failures[1].reason == "record has no 'text' or 'html' field"
    assert "not an object" in failures[2].reason


def test_gzipped_jsonl_streams(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "one"}\n{"text": "two"}\n'))
    assert [_doc(d).doc_id for d in _all(path)] == ["feed-1", "feed-2"]


def test_a_jsonl_record_over_the_size_cap_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"text": "x" * 500}) + "\n" + json.dumps({"text": "ok"}) + "\n")
    big, ok = _all(path, max_bytes=100)
    assert _failure(big).source == f"{path}:1"
    assert "larger than 100 bytes" in _failure(big).reason
    assert _doc(ok).content == "ok"


# --- stdin ---------------------------------------------------------------------------------


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "fmt"),
    [(b"  <html><p>x</p></html>", "html"), (ARTICLE.encode(), "text"), (gzip.compress(b"<p>x</p>"), "html")],
)
def test_stdin_format_is_sniffed(monkeypatch: pytest.MonkeyPatch, data: bytes, fmt: str) -> None:
    _stdin(monkeypatch, data)
    doc = _doc(_one("-"))
    assert (doc.doc_id, doc.fmt) == ("stdin", fmt)


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b'{"text": "one"}\n{"id": "k", "text": "two"}\n')
    assert [_doc(d).doc_id for d in _all("-")] == ["stdin-1", "k"]


def test_empty_stdin_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"")
    failure = _failure(_one("-"))
    assert (failure.source, failure.reason) == ("<stdin>", "empty input")


# --- bad input is data, not a crash ----------------------------------------------------------


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    bad = tmp_path / "bad"
    bad.mkdir()
    made = {
        "empty.txt": b"",
        "blank.txt": b" \n\t\n",
        "nul.txt": b"some text\x00\x00\x01\x02 more",
        "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "noise.txt": bytes(range(0x80, 0x100)) * 8,
        "truncated.html.gz": gzip.compress(b"<p>" + os.urandom(5000).hex().encode() + b"</p>")[:3000],
        "notgzip.txt.gz": b"\x1f\x8b" + b"this is not gzip data",
    }
    for name, data in made.items():
        (bad / name).write_bytes(data)
    return {name: bad / name for name in made}


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("blank.txt", "empty file (only whitespace)"),
        ("nul.txt", "binary file (contains NUL bytes)"),
        ("image.txt", "binary file (PNG image)"),
        ("noise.txt", "cannot decode"),
        ("truncated.html.gz", "truncated gzip"),
        ("notgzip.txt.gz", "corrupt gzip data"),
    ],
)
def test_bad_file_gives_one_failure_and_the_run_goes_on(tmp_path: Path, name: str, reason: str) -> None:
    bad = _bad_inputs(tmp_path)[name]
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    failure, doc = _all(bad, good)
    assert _failure(failure).source == str(bad)
    assert failure.reason.startswith(reason), failure.reason
    assert "\n" not in failure.reason
    assert _doc(doc).content == ARTICLE


def test_missing_file_is_a_failure(tmp_path: Path) -> None:
    failure = _failure(_one(tmp_path / "nope.txt"))
    assert failure.reason == "unreadable: no such file or directory"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(ARTICLE)
    path.chmod(0)
    assert _failure(_one(path)).reason == "unreadable: permission denied"


def test_a_50_mb_file_is_refused_by_its_size_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    block = (ARTICLE * 20_000).encode()[:1_000_000]
    with path.open("wb") as f:
        for _ in range(50):
            f.write(block)
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    started = time.perf_counter()
    failure, doc = _all(path, good)
    assert time.perf_counter() - started < 1.0
    assert _failure(failure).reason == (
        "larger than 20,000,000 bytes (50,000,000 bytes): split it or raise the size limit"
    )
    assert isinstance(doc, RawDoc)


def test_a_gzip_bomb_stops_at_the_cap_while_decompressing(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 100_000))
    assert path.stat().st_size < 1_000
    failure = _failure(_one(path, max_bytes=10_000))
    assert failure.reason.startswith("larger than 10,000 bytes once decompressed")


def test_truncated_html_is_still_a_document(tmp_path: Path) -> None:
    path = tmp_path / "cut.html"
    path.write_text("<html><body><p>Around 300 fighters returned.</p><p cla")
    assert _doc(_one(path)).fmt == "html"


# --- the shared corpora ----------------------------------------------------------------------


def test_the_benchmark_corpus_reads_as_181_gzip_html_pages() -> None:
    folder = SHARED / "corpora" / "article-extraction-benchmark" / "html"
    if not folder.is_dir():
        pytest.skip("shared corpora not present")
    docs = [_doc(d) for d in read([str(folder)])]
    assert len(docs) == 181
    assert all(d.fmt == "html" and d.encoding == "utf-8" and "." not in d.doc_id for d in docs)


def test_the_eval_documents_read_with_their_gold_ids() -> None:
    folder = SHARED / "eval" / "docs"
    if not folder.is_dir():
        pytest.skip("shared eval documents not present")
    ids = {_doc(d).doc_id for d in read([str(folder)])}
    gold = SHARED / "eval" / "gold"
    lines = [line for f in gold.glob("*.jsonl") for line in f.read_text(encoding="utf-8").splitlines()]
    wanted = {json.loads(line)["doc"] for line in lines}
    assert wanted <= ids


def test_a_folder_of_articles_skips_the_notebook_and_code_beside_them(tmp_path):
    """`tally ingest examples/` reads the articles, not the notebook that explains them."""
    from tally.ingest import files

    (tmp_path / "article.txt").write_text(
        "At least 1,200 Tunisians have travelled to Syria.\n", encoding="utf-8"
    )
    (tmp_path / "notebook.ipynb").write_text('{"cells": []}\n', encoding="utf-8")
    (tmp_path / "helper.py").write_text("print(1)\n", encoding="utf-8")
    found = [f.path for f in files.walk([str(tmp_path)])]
    assert [p.rsplit("/", 1)[1] for p in found] == ["article.txt"]
    assert [f.path for f in files.walk([str(tmp_path / "notebook.ipynb")])] == [
        str(tmp_path / "notebook.ipynb")
    ]
