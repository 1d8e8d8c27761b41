"""Web archives in: HTML 200 captures of WARC and ARC files become documents, everything else
is passed over, duplicates are read once, and a cut or broken archive gives one Failure per
bad spot while the rest is read. Archives are written here with warcio's WARCWriter."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tally.ingest import read, warc
from tally.model import Failure, RawDoc

TAJIK = "<html><body><p>At least 1,100 Tajik nationals have travelled to Iraq and Syria.</p></body></html>"
FRENCH = "<html><body><p>Some 1,490 French citizens have joined jihadist groups, the minister said.</p></body></html>"


def response(
    w: WARCWriter,
    uri: str,
    body: bytes,
    status: str = "200 OK",
    ctype: str | None = "text/html; charset=utf-8",
) -> None:
    headers = [("Content-Type", ctype)] if ctype else []
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    rec = w.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(body),
        length=len(body),  # with a length, warcio needs no temporary file (left unclosed)
        http_headers=http,
        warc_headers_dict={"WARC-Date": "2024-03-05T10:00:00Z"},
    )
    w.write_record(rec)


def build(path: Path, *, gz: bool = True, extra: bool = True) -> Path:
    """A small crawl: warcinfo, a request, two articles, an image, a 404, a redirect, a duplicate."""
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "tally-tests"}))
        req = StatusAndHeaders("GET /tj HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        w.write_record(
            w.create_warc_record(
                "https://news.example/tj", "request", payload=io.BytesIO(b""), length=0, http_headers=req
            )
        )
        response(w, "https://news.example/tj", TAJIK.encode())
        if extra:
            response(w, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n....", ctype="image/png")
            response(w, "https://news.example/old", b"<html>gone</html>", status="404 Not Found")
            response(w, "https://news.example/moved", b"", status="301 Moved Permanently")
        response(w, "https://news.example/fr", FRENCH.encode())
        response(w, "https://mirror.example/tj", TAJIK.encode())  # same payload: a duplicate
    return path


def items(*paths: Path) -> list[RawDoc | Failure]:
    return list(read([str(p) for p in paths]))


def docs(got: list[RawDoc | Failure]) -> list[RawDoc]:
    return [d for d in got if isinstance(d, RawDoc)]


def failures(got: list[RawDoc | Failure]) -> list[Failure]:
    return [f for f in got if isinstance(f, Failure)]


@pytest.mark.parametrize("name,gz", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_html_200_captures_become_documents_with_url_date_and_offset(
    tmp_path: Path, name: str, gz: bool
) -> None:
    path = build(tmp_path / name, gz=gz)
    got = items(path)
    assert failures(got) == []
    tj, fr = docs(got)
    assert (tj.url, tj.published, tj.fmt, tj.content, tj.source) == (
        "https://news.example/tj",
        "2024-03-05",
        "html",
        TAJIK,
        str(path),
    )
    assert fr.url == "https://news.example/fr"
    offsets = list(warc.scan(str(path), 10**6, set()))
    assert [d.doc_id for d in (tj, fr)] == [f"crawl@{offsets[0]}", f"crawl@{offsets[1]}"]


def test_duplicate_payloads_are_read_once_across_archives(tmp_path: Path) -> None:
    a = build(tmp_path / "a.warc.gz")
    b = build(tmp_path / "b.warc.gz", extra=False)
    assert [d.url for d in docs(items(a, b))] == ["https://news.example/tj", "https://news.example/fr"]


def test_a_page_without_content_type_is_kept_when_it_is_markup(tmp_path: Path) -> None:
    path = tmp_path / "bare.warc.gz"
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=True)
        response(w, "https://news.example/bare", FRENCH.encode(), ctype=None)
        response(w, "https://news.example/data", b"\x00\x01binary", ctype=None)
    (doc,) = items(path)
    assert isinstance(doc, RawDoc) and doc.url == "https://news.example/bare"


def test_the_declared_charset_decodes_the_page(tmp_path: Path) -> None:
    path = tmp_path / "latin.warc"
    with path.open("wb") as f:
        response(
            WARCWriter(f, gzip=False),
            "https://fr.example/a",
            "<p>Réfugiés</p>".encode("latin-1"),
            ctype="text/html; charset=iso-8859-1",
        )
    (doc,) = items(path)
    assert isinstance(doc, RawDoc) and doc.content == "<p>Réfugiés</p>"


def test_a_truncated_gzip_archive_gives_its_pages_then_one_failure_and_the_next_file_is_read(
    tmp_path: Path,
) -> None:
    whole = build(tmp_path / "whole.warc.gz").read_bytes()
    last = list(warc.scan(str(tmp_path / "whole.warc.gz"), 10**6, set()))[-1]
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: last + 60])
    after = build(tmp_path / "next.warc.gz", extra=False)
    (tmp_path / "whole.warc.gz").unlink()
    got = items(cut, after)
    assert [d.url for d in docs(got)] == ["https://news.example/tj", "https://news.example/fr"]
    (fail,) = failures(got)
    assert fail.source == f"{cut}@{last}"
    assert "truncated" in fail.reason and "\n" not in fail.line()


@pytest.mark.parametrize("cut_at", [0.3, 0.5, 0.7, 0.9, 0.97])
def test_an_archive_cut_anywhere_never_gives_half_a_page(tmp_path: Path, cut_at: float) -> None:
    for gz in (True, False):
        data = build(tmp_path / "full.warc", gz=gz).read_bytes()
        path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
        path.write_bytes(data[: int(len(data) * cut_at)])
        got = items(path)
        assert all(d.content in (TAJIK, FRENCH) for d in docs(got))
        assert len(failures(got)) <= 1


@pytest.mark.parametrize("gz", [True, False])
def test_a_broken_record_is_one_failure_and_reading_resumes_after_it(tmp_path: Path, gz: bool) -> None:
    path = build(tmp_path / "a.warc", gz=gz)
    offsets = list(warc.scan(str(path), 10**6, set()))  # tj, fr
    data = path.read_bytes()
    bad = offsets[0]
    path.write_bytes(data[:bad] + b"garbage, not a record\r\n" * 4 + data[bad + 40 :])
    got = items(path)
    (fail,) = failures(got)
    assert fail.source == f"{path}@{bad}"
    assert fail.reason.startswith("broken record (") and fail.reason.endswith("skipped to the next record")
    assert [d.url for d in docs(got)] == ["https://news.example/fr", "https://mirror.example/tj"]


def test_a_wrong_content_length_is_a_failure_not_noise_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = build(tmp_path / "a.warc", gz=False)
    data = path.read_bytes()
    first = data.index(b"Content-Length: ", data.index(b"WARC-Type: response"))
    end = data.index(b"\r\n", first)
    length = int(data[first + 16 : end])
    path.write_bytes(data[: first + 16] + str(length - 5).encode() + data[end:])
    got = items(path)
    assert any("Content-Length" in f.reason for f in failures(got))
    assert capsys.readouterr().err == ""


def test_a_whole_file_gzip_archive_is_read_as_a_stream(tmp_path: Path) -> None:
    plain = build(tmp_path / "p.warc", gz=False)
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    got = items(path)
    assert failures(got) == []
    assert [d.content for d in docs(got)] == [TAJIK, FRENCH]


def test_a_cut_whole_file_gzip_is_one_failure(tmp_path: Path) -> None:
    plain = build(tmp_path / "p.warc", gz=False)
    path = tmp_path / "whole.warc.gz"
    data = gzip.compress(plain.read_bytes())
    path.write_bytes(data[: len(data) - 200])
    got = items(path)
    (fail,) = failures(got)
    assert fail.source.startswith(f"{path}@") and "truncated" in fail.reason


def test_an_oversized_page_is_skipped_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=True)
        response(w, "https://news.example/big", b"<p>" + b"x" * 5000 + b"</p>")
        response(w, "https://news.example/fr", FRENCH.encode())
    got = list(read([str(path)], max_bytes=4000))
    (fail,) = failures(got)
    assert fail.reason == "page larger than 4,000 bytes; skipped"
    assert [d.url for d in docs(got)] == ["https://news.example/fr"]


def arc(records: list[tuple[str, str, bytes]]) -> bytes:
    desc = b"1 0 Tally tests\nURL IP-address Archive-date Content-type Archive-length\n"
    out = [f"filedesc://t.arc 0.0.0.0 20050101000000 text/plain {len(desc)}\n".encode() + desc]
    for uri, date, body in records:
        out.append(f"{uri} 192.0.2.1 {date} text/html {len(body)}\n".encode() + body)
    return b"\n".join(out) + b"\n"


@pytest.mark.parametrize("gz", [False, True])
def test_arc_files_are_read_like_warc(tmp_path: Path, gz: bool) -> None:
    ok = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + TAJIK.encode()
    missing = b"HTTP/1.0 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>no</p>"
    data = arc(
        [("http://old.example/a", "20050102030405", ok), ("http://old.example/b", "20050102030406", missing)]
    )
    path = tmp_path / ("old.arc.gz" if gz else "old.arc")
    path.write_bytes(gzip.compress(data) if gz else data)
    (doc,) = items(path)
    assert isinstance(doc, RawDoc)
    assert (doc.url, doc.published, doc.content) == ("http://old.example/a", "2005-01-02", TAJIK)


@pytest.mark.parametrize("kind", ["members", "plain", "stream"])
def test_scan_then_read_at_gives_what_a_sequential_read_gives(tmp_path: Path, kind: str) -> None:
    path = build(tmp_path / "s.warc", gz=kind == "members")
    if kind == "stream":
        data = path.read_bytes()
        path = tmp_path / "s.warc.gz"
        path.write_bytes(gzip.compress(data))
    offsets = [o for o in warc.scan(str(path), 10**6, set()) if isinstance(o, int)]
    split = [
        *warc.read_at(str(path), "s", offsets[1:], 10**6),
        *warc.read_at(str(path), "s", offsets[:1], 10**6),
    ]
    sequential = list(warc.read_file(str(path), "s", 10**6))

    def key(d: RawDoc | Failure) -> str:
        assert isinstance(d, RawDoc)
        return d.doc_id

    assert sorted(split, key=key) == sorted(sequential, key=key)
