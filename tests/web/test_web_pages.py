"""The pieces pages are made of, without a server: links, dates, twins, CSV cells, the text
cut at figure offsets, search queries, the plotly stylesheet, and escaping."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest
from starlette.requests import Request

from tally.web import present
from tally.web.page import Page, Table, paging, to_csv
from tally.web.render import environment, twin_path
from tally.web.search import match_expression, pieces, terms
from tally.web.security import PLOTLY_STYLE_ID, plotly_css, plotly_style_ids
from tally.web.views_docs import _segments


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "/relative/path",
        "https://",
        "http://[::1",
        "",
        None,
    ],
)
def test_only_http_urls_become_links(url: str | None) -> None:
    assert present.safe_href(url) is None


@pytest.mark.parametrize(
    "url", ["https://news.example/a?b=1#c", "http://news.example/", "HTTPS://NEWS.EXAMPLE/A"]
)
def test_http_urls_are_kept_as_given(url: str) -> None:
    assert present.safe_href(url) == url


def test_series_paths_mark_unknown_parts_and_quote_the_rest() -> None:
    key = {"origin": None, "status": "joined", "role": "militants", "scope": None}
    assert present.series_path(key) == "/series/_/joined/militants/_"
    odd = {"origin": "F/R", "status": "a b", "role": "x?y", "scope": "#"}
    assert present.series_path(odd) == "/series/F%2FR/a%20b/x%3Fy/%23"
    assert present.unslug("_") is None and present.unslug("FR") == "FR"


@pytest.mark.parametrize(
    ("as_of", "x"),
    [
        ("2016", "2016-07-01"),
        ("2018-03", "2018-03-15"),
        ("2018-03-01", "2018-03-01"),
        ("soon", None),
        (None, None),
    ],
)
def test_a_point_sits_mid_period_on_the_time_axis(as_of: str | None, x: str | None) -> None:
    assert present.chart_date(as_of) == x


def test_statuses_follow_the_extractor_vocabulary_with_arrivals_first() -> None:
    order = present.status_order()
    assert order[0] == "joined" and "other" in order
    assert present.status_rank("joined") < present.status_rank("killed") < present.status_rank("unheard-of")


def test_country_names_come_from_pycountry() -> None:
    assert present.country_name("FR") == "France"
    assert present.country_name("XK") == "Kosovo"
    assert present.country_name(None) == "origin unknown"


def _request(path: str, query: str = "") -> Request:
    return Request(
        {"type": "http", "method": "GET", "path": path, "query_string": query.encode(), "headers": []}
    )


@pytest.mark.parametrize(
    ("path", "query", "fmt", "twin"),
    [
        ("/", "", "json", "/index.json"),
        ("/index.json", "", "csv", "/index.csv"),
        ("/series/FR/joined/militants/cumulative", "", "json", "/series/FR/joined/militants/cumulative.json"),
        ("/search", "q=a+b", "json", "/search.json?q=a+b"),
        ("/runs/3.csv", "table=errors", "json", "/runs/3.json?table=errors"),
    ],
)
def test_every_page_knows_its_twins(path: str, query: str, fmt: str, twin: str) -> None:
    assert twin_path(_request(path, query), fmt) == twin


def test_paging_links_its_neighbours_and_stops_at_the_ends() -> None:
    first = paging(120, 50, 0, "/documents", {"outlet": "X"})
    assert first["prev"] is None and first["next"] == "/documents?outlet=X&limit=50&offset=50"
    last = paging(120, 50, 100, "/documents", {})
    assert last["next"] is None and last["prev"] == "/documents?limit=50&offset=50"


def test_csv_cells_never_start_a_spreadsheet_formula() -> None:
    page = Page(
        "x.html",
        "x",
        {"rows": [{"a": '=HYPERLINK("http://evil")', "b": "+1", "c": ["x", "y"], "d": 3, "e": "-2"}]},
        {"rows": Table(("a", "b", "c", "d", "e"))},
    )
    lines = to_csv(page, "rows").splitlines()
    assert lines[0] == "a,b,c,d,e"
    assert lines[1] == '"\'=HYPERLINK(""http://evil"")",\'+1,"[""x"", ""y""]",3,\'-2'


def _fig(fid: int, start: int, end: int) -> dict[str, Any]:
    return {"id": fid, "start": start, "end": end}


def test_the_text_is_cut_at_figure_offsets_and_nothing_is_lost() -> None:
    text = "About 500 left and 120 came back."
    figs = [_fig(2, 18, 22), _fig(1, 0, 9), _fig(3, 6, 9), _fig(4, 30, 99)]
    segs = _segments(text, figs, selected=2)
    assert "".join(s["text"] for s in segs) == text
    marked = [(s["figure"], s["text"]) for s in segs if s["figure"] is not None]
    assert marked == [(1, "About 500"), (2, " 120")]
    assert [s.get("selected") for s in segs if s["figure"]] == [False, True]
    by_id = {f["id"]: f["marked"] for f in figs}
    assert by_id == {1: True, 2: True, 3: False, 4: False}  # an overlap and a bad offset stay unmarked


def test_search_queries_are_words_never_fts_syntax() -> None:
    assert terms('ministry" OR x* NEAR(a b) -c') == ["ministry", "OR", "x", "NEAR", "a", "b", "c"]
    assert match_expression(["interior", "min"]) == '"interior" "min"*'
    assert terms("") == [] and terms("  ,;  ") == []


def test_search_hits_come_back_as_pieces_to_escape() -> None:
    assert pieces("the \x02Interior\x03 <b>ministry</b>") == [
        {"text": "the ", "hit": False},
        {"text": "Interior", "hit": True},
        {"text": " <b>ministry</b>", "hit": False},
    ]


def test_plotly_stylesheet_is_read_out_of_the_bundle() -> None:
    css = plotly_css()
    assert css.count("}") > 50
    assert ".js-plotly-plot .plotly .main-svg{" in css
    assert "X,X div" not in css
    ids = plotly_style_ids()
    assert ids[0] == PLOTLY_STYLE_ID and len(ids) >= 1


def test_templates_escape_everything_and_never_mark_text_safe() -> None:
    env = environment()
    assert env.from_string("{{ x }}").render(x="<script>alert(1)</script>") == (
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    )
    assert env.from_string('<a title="{{ x }}">').render(x='" onmouseover="x') == (
        '<a title="&#34; onmouseover=&#34;x">'
    )
    folder = files("tally.web").joinpath("templates")
    for template in folder.iterdir():
        source = template.read_text(encoding="utf-8")
        assert "|safe" not in source.replace(" ", ""), template.name
        assert "autoescape false" not in source, template.name
        assert " on" not in " ".join(t.split(">", 1)[0] for t in source.split("<")[1:]).lower(), template.name
        assert "style=" not in source, template.name


def test_the_json_block_of_the_chart_cannot_close_its_script() -> None:
    out = environment().from_string("{{ x|tojson }}").render(x={"q": "</script><script>alert(1)</script>"})
    assert "</script>" not in out and "<" not in out


def test_gzip_is_sent_only_to_clients_that_take_it() -> None:
    from tally.web.render import accepts_gzip

    assert accepts_gzip("gzip, deflate, br") and accepts_gzip("br;q=1.0, gzip;q=0.8") and accepts_gzip("*")
    assert not accepts_gzip("") and not accepts_gzip("identity") and not accepts_gzip("gzip;q=0")


def test_a_kept_page_is_rendered_once_per_ledger_state_and_readers_get_the_last_meanwhile() -> None:
    import threading

    from starlette.requests import Request

    from tally.web.page import Page
    from tally.web.render import ResponseCache

    def request() -> Request:
        scope = {
            "type": "http",
            "method": "GET",
            "path": "/documents.json",
            "query_string": b"",
            "headers": [],
        }
        return Request(scope)

    cache = ResponseCache()
    made: list[int] = []
    rendering, release = threading.Event(), threading.Event()

    def make(n: int, wait: bool = False) -> Page:
        made.append(n)
        if wait:
            rendering.set()
            release.wait(10)
        return Page("documents.html", "Documents", {"n": n}, {})

    assert cache.respond(request(), 1, lambda: make(1)).body == b'{"n":1}'
    assert cache.respond(request(), 1, lambda: make(99)).body == b'{"n":1}' and made == [1]
    slow = threading.Thread(target=cache.respond, args=(request(), 2, lambda: make(2, wait=True)))
    slow.start()
    assert rendering.wait(10)
    assert cache.respond(request(), 2, lambda: make(98)).body == b'{"n":1}'  # not queued, not repeated
    release.set()
    slow.join(10)
    assert cache.respond(request(), 2, lambda: make(97)).body == b'{"n":2}' and made == [1, 2]
