"""RSS and Atom feeds in: an entry's own content, else its linked page (fetched through a
mock transport), with title, link, date (bad ones are None) and the feed's title as outlet."""

from __future__ import annotations

import gzip
from pathlib import Path

import httpx

from tally.ingest import read
from tally.ingest.feed import TEASER_CHARS
from tally.ingest.url import Fetcher
from tally.model import Failure, RawDoc

ARTICLE = "At least 1,100 Tajik nationals have travelled to Iraq and Syria, the Interior Ministry says."
LONG = " ".join([ARTICLE] * 6)
assert len(LONG) > TEASER_CHARS


def rss(*items: str, title: str = "Central Asia Wire") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{title}</title><link>https://wire.example/</link>{''.join(items)}</channel></rss>"
    )


def item(title: str, link: str | None, date: str | None, *, content: str = "", summary: str = "") -> str:
    parts = [f"<title>{title}</title>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    if content:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    if summary:
        parts.append(f"<description><![CDATA[{summary}]]></description>")
    return f"<item>{''.join(parts)}</item>"


def offline() -> Fetcher:
    """A fetcher that fails the test if anything is fetched."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"unexpected fetch of {request.url}")

    return Fetcher(transport=httpx.MockTransport(refuse))


def pages(routes: dict[str, httpx.Response]) -> Fetcher:
    def handle(request: httpx.Request) -> httpx.Response:
        return routes.get(str(request.url), httpx.Response(404))

    return Fetcher(transport=httpx.MockTransport(handle), sleep=lambda _s: None, host_interval=0)


def read_all(path: Path, fetcher: Fetcher) -> list[RawDoc | Failure]:
    with fetcher:
        return list(read([str(path)], fetcher=fetcher))


def test_an_entry_with_its_own_content_keeps_title_link_date_and_outlet(tmp_path: Path) -> None:
    path = tmp_path / "wire.rss"
    entry = item(
        "Tajiks abroad",
        "https://wire.example/tj",
        "Tue, 05 Mar 2024 10:00:00 GMT",
        content=f"<p>{ARTICLE}</p>",
    )
    path.write_text(rss(entry))
    (doc,) = read_all(path, offline())
    assert isinstance(doc, RawDoc)
    assert doc.content == f"<p>{ARTICLE}</p>" and doc.fmt == "html"
    assert (doc.title, doc.url, doc.published, doc.outlet) == (
        "Tajiks abroad",
        "https://wire.example/tj",
        "2024-03-05",
        "Central Asia Wire",
    )
    assert doc.source == str(path)
    assert doc.doc_id.startswith("wire-") and len(doc.doc_id) == len("wire-") + 10


def test_bad_dates_give_none_not_a_crash_nor_a_rolled_over_date(tmp_path: Path) -> None:
    path = tmp_path / "dates.rss"
    dates = [
        "not a date at all",
        "Mon, 99 Foo 2024 99:99:99 GMT",
        "2024-13-45T00:00:00Z",
        "Fri, 31 Feb 2024 10:00:00 GMT",
        "",
    ]
    path.write_text(
        rss(*(item(f"t{i}", f"https://wire.example/{i}", d, content=LONG) for i, d in enumerate(dates)))
    )
    docs = read_all(path, offline())
    assert all(isinstance(d, RawDoc) for d in docs)
    assert [d.published for d in docs] == [None] * len(dates)  # type: ignore[union-attr]


def test_an_atom_feed_and_its_updated_date(tmp_path: Path) -> None:
    path = tmp_path / "news.atom"
    path.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>'
        '<entry><title>A</title><link href="https://atom.example/a"/><id>tag:atom.example,2024:a</id>'
        f'<updated>2024-06-01T08:30:00+02:00</updated><content type="html">&lt;p&gt;{ARTICLE}&lt;/p&gt;</content>'
        "</entry></feed>"
    )
    (doc,) = read_all(path, offline())
    assert isinstance(doc, RawDoc)
    assert (doc.outlet, doc.url, doc.published) == ("Atom Desk", "https://atom.example/a", "2024-06-01")


def test_a_long_description_is_the_article_and_nothing_is_fetched(tmp_path: Path) -> None:
    path = tmp_path / "long.rss"
    path.write_text(rss(item("Long", "https://wire.example/long", None, summary=f"<p>{LONG}</p>")))
    (doc,) = read_all(path, offline())
    assert isinstance(doc, RawDoc) and ARTICLE in doc.content


def test_a_teaser_is_replaced_by_the_linked_page(tmp_path: Path) -> None:
    path = tmp_path / "teasers.rss"
    path.write_text(
        rss(
            item("Returns", "https://wire.example/r", "Wed, 06 Mar 2024 09:00:00 +0100", summary="Read more.")
        )
    )
    page = httpx.Response(
        200, text=f"<html><body><p>{ARTICLE}</p></body></html>", headers={"content-type": "text/html"}
    )
    (doc,) = read_all(path, pages({"https://wire.example/r": page}))
    assert isinstance(doc, RawDoc)
    assert ARTICLE in doc.content and doc.source == "https://wire.example/r"
    assert (doc.title, doc.published, doc.outlet) == ("Returns", "2024-03-06", "Central Asia Wire")


def test_a_linked_page_that_fails_is_reported_and_the_teaser_kept(tmp_path: Path) -> None:
    path = tmp_path / "broken-links.rss"
    path.write_text(
        rss(
            item("Gone", "https://wire.example/gone", None, summary="Some 40 returned."),
            item("Nothing", "https://wire.example/none", None),
            item("No link", None, None),
            item("Fine", "https://wire.example/fine", None, content=f"<p>{ARTICLE}</p>"),
        )
    )
    got = read_all(path, pages({}))
    assert [type(x).__name__ for x in got] == ["Failure", "RawDoc", "Failure", "Failure", "RawDoc"]
    gone, teaser, none, nolink, fine = got
    assert isinstance(gone, Failure)
    assert gone.line() == (
        f"tally: {path} entry 1 (https://wire.example/gone): HTTP 404 Not Found; kept the feed's teaser"
    )
    assert isinstance(teaser, RawDoc) and teaser.content == "Some 40 returned."
    assert isinstance(none, Failure) and none.reason == "HTTP 404 Not Found"
    assert isinstance(nolink, Failure) and nolink.reason == "entry has no content and no link"
    assert isinstance(fine, RawDoc)


def test_xml_files_are_feeds_only_when_they_are(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_text(rss(item("X", "https://wire.example/x", None, content=LONG)))
    (tmp_path / "page.xml").write_text("<?xml version='1.0'?><html><body><p>A page</p></body></html>")
    feed_doc, page_doc = read_all(tmp_path, offline())
    assert isinstance(feed_doc, RawDoc) and feed_doc.outlet == "Central Asia Wire"
    assert isinstance(page_doc, RawDoc) and page_doc.fmt == "html" and page_doc.outlet is None


def test_a_gzip_feed_is_read(tmp_path: Path) -> None:
    path = tmp_path / "wire.rss.gz"
    path.write_bytes(gzip.compress(rss(item("Z", "https://wire.example/z", None, content=LONG)).encode()))
    (doc,) = read_all(path, offline())
    assert isinstance(doc, RawDoc) and doc.doc_id.startswith("wire-")


def test_a_file_that_is_no_feed_is_one_failure(tmp_path: Path) -> None:
    (tmp_path / "junk.rss").write_text("this is not xml at all")
    (tmp_path / "html.atom").write_text("<html><body>nope</body></html>")
    got = read_all(tmp_path, offline())
    assert [(Path(f.source).name, f.reason.split(" (")[0]) for f in got if isinstance(f, Failure)] == [
        ("html.atom", "not an RSS or Atom feed"),
        ("junk.rss", "not a readable RSS or Atom feed"),
    ]


def test_a_feed_broken_after_some_entries_keeps_those_entries(tmp_path: Path) -> None:
    path = tmp_path / "cut.rss"
    text = rss(
        item("A", "https://wire.example/a", None, content=LONG),
        item("B", "https://wire.example/b", None, content=LONG),
    )
    path.write_text(text[: text.rindex("<item>") + 30])
    docs = read_all(path, offline())
    assert [d.title for d in docs if isinstance(d, RawDoc)][:1] == ["A"]
