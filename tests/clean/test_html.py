"""clean on HTML: trafilatura's main text and metadata, a fallback for broken pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tally.clean import clean
from tally.clean.html import extract, visible_text
from tally.errors import InputError
from tally.ingest import read
from tally.model import RawDoc

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

PAGE = """<!doctype html>
<html lang="en"><head>
<title>As many as 300 Swedes fight for ISIS | Iraqi News</title>
<meta property="og:title" content="As many as 300 Swedes fight for ISIS">
<meta property="og:site_name" content="Iraqi News">
<meta property="article:published_time" content="2014-11-08T10:00:00Z">
<link rel="canonical" href="https://www.iraqinews.com/300-swedes/">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/iraq">Iraq</a></nav>
<article>
<h1>As many as 300 Swedes fight for ISIS</h1>
<p>Around 300 Swedes have travelled to fight alongside the ISIS group in Syria and Iraq,
the head of Sweden’s security police told public radio in an interview on Saturday.</p>
<p>“A hundred cases of Swedes leaving for the war zone have so far been confirmed,” he said,
adding that the overall figure lay between 250 and 300, most of them young men.</p>
<p>Sweden said in late October that it planned a new law barring its citizens from joining
armed groups abroad, following similar steps taken by Denmark and Norway.</p>
</article>
<footer><p>© 2014 Iraqi News. All rights reserved.</p></footer>
</body></html>
"""


def _html(content: str, **meta: str) -> RawDoc:
    return RawDoc("p", "p.html", content, fmt="html", **meta)


def test_main_text_in_paragraphs_separated_by_blank_lines() -> None:
    doc = clean(_html(PAGE))
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "As many as 300 Swedes fight for ISIS"
    assert paragraphs[1].startswith("Around 300 Swedes have travelled to fight")
    assert paragraphs[2].startswith("“A hundred cases")
    assert len(paragraphs) == 4
    assert "Home" not in doc.text and "All rights reserved" not in doc.text


def test_metadata_comes_from_the_page() -> None:
    doc = clean(_html(PAGE))
    assert doc.title == "As many as 300 Swedes fight for ISIS"
    assert doc.published == "2014-11-08"
    assert doc.outlet == "Iraqi News"
    assert doc.url == "https://www.iraqinews.com/300-swedes/"


def test_metadata_given_with_the_document_wins() -> None:
    raw = _html(PAGE, title="T", published="2014-11-09", outlet="O", url="https://x.test/a", lang="en")
    doc = clean(raw)
    assert (doc.title, doc.published, doc.outlet, doc.url, doc.lang) == (
        "T",
        "2014-11-09",
        "O",
        "https://x.test/a",
        "en",
    )


def test_a_page_cut_mid_tag_still_gives_its_text() -> None:
    cut = PAGE[: PAGE.index("Sweden said in") + 40] + "</p><p cla"
    doc = clean(_html(cut))
    assert "Around 300 Swedes have travelled" in doc.text


@pytest.mark.parametrize("cut", [10, 200, 500, 700])
def test_truncated_pages_never_crash(cut: int) -> None:
    try:
        clean(_html(PAGE[:cut]))
    except InputError as exc:
        assert str(exc) == "no article text found"


def test_markup_trafilatura_finds_nothing_in_falls_back_to_its_visible_text() -> None:
    page = "<div><span>Officials said 27 suspected members were sought.</span><script>var x=1;</script>"
    doc = clean(_html(page))
    assert doc.text == "Officials said 27 suspected members were sought."


def test_visible_text_reads_anything() -> None:
    assert visible_text("<p>a &amp; b</p><p>c <b>d</b><style>x{}</style>") == "a & b\nc d"
    assert visible_text("<p>cut mid <a hr") == "cut mid"
    assert visible_text("") == ""


@pytest.mark.parametrize(
    "page", ["", "<", "<html><head><title>x</title></head><body></body></html>", "<<>>&&"]
)
def test_a_page_without_text_is_an_input_error(page: str) -> None:
    with pytest.raises(InputError, match="no article text found"):
        clean(_html(page))


def test_segments_map_into_trafilaturas_text() -> None:
    doc = clean(_html(PAGE))
    raw = extract(PAGE).text
    assert doc.segments
    for c, r, n in doc.segments:
        assert doc.text[c : c + n] == raw[r : r + n]


@pytest.mark.slow
def test_benchmark_pages_clean_with_segments_and_idempotently() -> None:
    folder = SHARED / "corpora" / "article-extraction-benchmark" / "html"
    if not folder.is_dir():
        pytest.skip("shared corpora not present")
    count = 0
    for raw in read([str(folder)]):
        assert isinstance(raw, RawDoc), raw
        doc = clean(raw)
        base = extract(raw.content, raw.url).text
        for c, r, n in doc.segments:
            assert doc.text[c : c + n] == base[r : r + n], raw.doc_id
        assert clean(RawDoc(raw.doc_id, raw.source, doc.text)).text == doc.text, raw.doc_id
        assert doc.title, raw.doc_id
        count += 1
    assert count == 181
