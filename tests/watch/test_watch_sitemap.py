"""News sitemaps: each <url> a possible article with the news extension's title, outlet and
date; a sitemap cut short keeps the <url>s before the cut; an index is refused."""

from __future__ import annotations

import pytest

from tally.watch import sitemap

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
)
NEWS = (
    "<url><loc>https://www.lakeside.example/2026/12/returnees</loc><lastmod>2026-12-03</lastmod><news:news>"
    "<news:publication><news:name>Lakeside Times</news:name><news:language>en</news:language></news:publication>"
    "<news:publication_date>2026-12-01T08:00:00+01:00</news:publication_date>"
    "<news:title>Returnees under watch</news:title></news:news></url>"
)
PLAIN = "<url><loc>https://www.lakeside.example/about</loc><lastmod>2026-11-02</lastmod></url>"


def test_news_entries_carry_title_outlet_and_publication_date_never_lastmod() -> None:
    entries, problem = sitemap.entries((HEAD + NEWS + PLAIN + "</urlset>").encode())
    assert problem is None
    news, plain = entries
    assert (news.link, news.title, news.outlet, news.published) == (
        "https://www.lakeside.example/2026/12/returnees",
        "Returnees under watch",
        "Lakeside Times",
        "2026-12-01",
    )
    assert news.name.startswith("lakeside.example-") and not news.full
    assert (plain.title, plain.outlet, plain.published) == (None, None, None)


def test_a_sitemap_cut_short_keeps_the_whole_entries_before_the_cut() -> None:
    whole = HEAD + NEWS + PLAIN + "</urlset>"
    entries, problem = sitemap.entries(whole[: whole.index(PLAIN) + 30].encode())
    assert [e.title for e in entries] == ["Returnees under watch"]
    assert problem is not None and problem.startswith("not well-formed XML")


def test_an_index_and_a_page_are_no_sitemaps_to_watch() -> None:
    index = b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></sitemapindex>'
    assert sitemap.sniff(index) == "sitemapindex"
    with pytest.raises(sitemap.NotASitemap, match="a sitemap index: watch the news sitemaps it lists"):
        sitemap.entries(index)
    with pytest.raises(sitemap.NotASitemap, match="not a readable sitemap"):
        sitemap.entries(HEAD.encode()[:60])
    assert sitemap.sniff(b"<html><body>news</body></html>") is None
