"""The JSON side of the dashboard: every page's twin, the REST API under /api, CSV tables,
the one error shape, static files and the security headers, against a real server."""

from __future__ import annotations

import csv
import io
import socket
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

PAGES = ["/", "/overview", "/series", "/sources", "/documents", "/search?q=ministry", "/runs", "/runs/1"]


def _fr(client: httpx.Client, fr_joined: str) -> dict[str, Any]:
    r = client.get(fr_joined + ".json")
    assert r.status_code == 200
    data: dict[str, Any] = r.json()
    return data


def _twin(path: str) -> str:
    base, _, query = path.partition("?")
    base = "/index" if base == "/" else base
    return f"{base}.json" + (f"?{query}" if query else "")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_json_twin_and_both_say_the_same(client: httpx.Client, path: str) -> None:
    html = client.get(path)
    twin = client.get(_twin(path))
    assert html.status_code == twin.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert twin.headers["content-type"].startswith("application/json")
    assert f'href="{_twin(path).replace("&", "&amp;")}"' in html.text  # the page links its twin
    # Every short string the twin holds at its top level of tables shows in the page.
    data = twin.json()
    shown = [v for v in _strings(data) if 3 < len(v) < 60 and "/" not in v and "\n" not in v]
    missing = [v for v in shown if _escaped(v) not in html.text]
    assert len(missing) <= len(shown) // 2, missing[:10]


def _strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")


def test_the_overview_shows_each_origin_with_best_estimates_sources_and_conflicts(
    client: httpx.Client,
) -> None:
    data = client.get("/index.json").json()
    countries = [r["country"] for r in data["rows"]]
    assert {"France", "Belgium", "Germany"} <= set(countries)
    fr = next(r for r in data["rows"] if r["origin"] == "FR")
    joined = fr["cells"][data["statuses"].index("joined")]
    assert joined["conflicts"] >= 1
    assert joined["reports"] >= 3  # echoes of the ministry's figure count once
    assert joined["href"].startswith("/series/FR/joined/militants/")
    assert data["statuses"][0] == "joined"


def test_overview_filters_by_period_group_and_role(client: httpx.Client) -> None:
    everything = client.get("/index.json").json()
    only_2017 = client.get("/index.json", params={"since": 2017, "until": 2017}).json()
    assert only_2017["filters"]["since"] == 2017
    years = {c["year"] for r in only_2017["rows"] for c in r["cells"] if c}
    assert years == {2017}
    assert len(only_2017["rows"]) < len(everything["rows"])
    isis = client.get("/index.json", params={"group": "ISIS"}).json()
    assert [r["origin"] for r in isis["rows"]] == ["DE"]
    nobody = client.get("/index.json", params={"role": "family"}).json()
    assert nobody["rows"] == []


def test_echoes_are_grouped_under_their_origin_with_what_they_changed(site: str, web: Any) -> None:
    chains = [c for s in web.all_series(site) for c in s["chains"]]
    echoed = max(chains, key=lambda c: len(c["echoes"]))
    assert len(echoed["echoes"]) >= 2  # three outlets restate the ministry's figure
    assert {e["outlet"] for e in echoed["echoes"]} >= {"Euro Wire", "Daily Courier"}
    assert echoed["origin"]["outlet"] == "Le Quotidien"
    # 'at least' retold as 'more than' keeps its hedge class (a lower bound): no mutation.
    assert not any(m["kind"] == "qualifier" for m in echoed["mutations"])


def test_the_planted_conflict_is_flagged_on_both_reports(site: str, web: Any) -> None:
    conflicted = [s for s in web.all_series(site) if s["conflicts"]]
    assert conflicted, "the Free Institute's 600 conflicts with the ministry's 'at least 1,700'"
    series = conflicted[0]
    pair = {series["conflicts"][0]["a"], series["conflicts"][0]["b"]}
    flagged = {c["chain"]: c for c in series["chains"] if c["conflict"]}
    assert set(flagged) == pair
    assert {flagged[n]["origin"]["source"] for n in pair} >= {"the Free Institute"}
    assert any(p["conflict"] for p in series["chart"]["points"])


def test_the_chart_draws_one_point_per_dated_origin_report(client: httpx.Client, fr_joined: str) -> None:
    data = _fr(client, fr_joined)
    chart = data["chart"]
    # The parts of a whole are drawn beside it, marked as parts and labelled with what they
    # count; every other point is one report.
    reports = [p for p in chart["points"] if p["label"] is None]
    assert all(p["part"] for p in chart["points"] if p["label"] is not None)
    assert len(reports) + chart["undated"] == len(data["chains"])
    assert len(reports) >= 2 and len({p["x"][:4] for p in reports}) >= 2  # over time
    assert all(p["href"].startswith("/documents/") and "figure=" in p["href"] for p in chart["points"])
    assert {e["year"] for e in data["estimates"]} >= {int(p["x"][:4]) for p in chart["points"]}


def test_the_series_page_lists_every_point_with_its_quote(client: httpx.Client, fr_joined: str) -> None:
    data = _fr(client, fr_joined)
    html = client.get(fr_joined).text
    for row in data["points_table"]:
        assert _escaped(row["quote"]) in html
    assert html.count('class="echo"') == sum(len(c["echoes"]) for c in data["chains"])
    assert 'id="chart"' in html and 'id="chart-data"' in html


def test_a_document_answers_with_its_text_and_figures_at_their_offsets(
    client: httpx.Client, fr_joined: str
) -> None:
    point = _fr(client, fr_joined)["chains"][0]["origin"]
    doc = client.get(f"/api/documents/{point['document']}").json()
    text = doc["document"]["text"]
    assert doc["figures"]
    for f in doc["figures"]:
        assert text[f["start"] : f["end"]] == f["span"]
    page = client.get(f"/documents/{point['document']}.json", params={"figure": point["figure_id"]}).json()
    assert page["selected"] == point["figure_id"]
    chosen = [s for s in page["segments"] if s.get("selected")]
    assert len(chosen) == 1 and chosen[0]["text"] == point["span"]
    assert "".join(s["text"] for s in page["segments"]) == text


def test_api_listings_paginate_with_next_links(client: httpx.Client) -> None:
    first = client.get("/api/series", params={"limit": 3}).json()
    assert first["limit"] == 3 and first["offset"] == 0 and len(first["items"]) == 3
    seen = list(first["items"])
    nxt = first["next"]
    while nxt:
        page = client.get(nxt).json()
        seen.extend(page["items"])
        nxt = page["next"]
    assert len(seen) == first["total"]
    assert len({s["label"] for s in seen}) == first["total"]


def test_api_figures_filter_by_origin_status_and_years(client: httpx.Client) -> None:
    fr = client.get("/api/figures", params={"origin": "FR", "status": "joined", "limit": 100}).json()
    assert fr["total"] >= 6
    assert all(f["origin"] == "FR" and f["status"] == "joined" for f in fr["items"])
    in_2016 = client.get("/api/figures", params={"origin": "FR", "since": 2016, "until": 2016}).json()
    assert in_2016["items"] and all(f["as_of"].startswith("2016") for f in in_2016["items"])
    by_outlet = client.get("/api/figures", params={"outlet": "Euro Wire"}).json()
    assert by_outlet["items"] and all(f["outlet"] == "Euro Wire" for f in by_outlet["items"])


def test_api_figures_as_csv(client: httpx.Client) -> None:
    r = client.get("/api/figures", params={"origin": "DE", "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and all(row["origin"] == "DE" for row in rows)


def test_every_table_downloads_as_csv(client: httpx.Client, fr_joined: str) -> None:
    data = _fr(client, fr_joined)
    r = client.get(fr_joined + ".csv", params={"table": "points"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(row["figure_id"]) for row in rows] == [p["figure_id"] for p in data["points_table"]]
    html = client.get(fr_joined).text
    for table in ("points", "estimates"):
        assert f".csv?table={table}" in html
    for table in ("points", "estimates", "conflicts"):
        assert client.get(fr_joined + ".csv", params={"table": table}).status_code == 200
    for path in ("/index.csv", "/series.csv", "/documents.csv", "/runs.csv", "/sources.csv?table=reports"):
        got = client.get(path)
        assert got.status_code == 200, path
        assert len(got.text.splitlines()) >= 2, path


def test_a_page_with_several_tables_asks_which(client: httpx.Client, fr_joined: str) -> None:
    r = client.get(fr_joined + ".csv")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "no_such_table"
    assert "points" in r.json()["error"]["message"]


def test_search_finds_documents_and_figures_with_hits_marked(client: httpx.Client) -> None:
    data = client.get("/api/search", params={"q": "Free Institute"}).json()
    assert [d["name"] for d in data["documents"]] == ["fr-2016-sentinel"]
    assert any(p["hit"] and p["text"].lower() == "institute" for p in data["documents"][0]["snippet"])
    assert data["figures"] and data["figures"][0]["source"] == "the Free Institute"
    prefix = client.get("/search.json", params={"q": "prosecut"}).json()  # the last word is a prefix
    assert {d["outlet"] for d in prefix["documents"]} == {"Brussels Daily", "Antwerp Post"}
    quoted = client.get("/search.json", params={"q": 'ministry" OR "x'}).json()  # never FTS syntax
    assert quoted["totals"]["documents"] == 0


def test_runs_show_the_ingest_and_its_counts(client: httpx.Client) -> None:
    runs = client.get("/api/runs").json()
    assert runs["total"] >= 1
    first = runs["items"][-1]
    assert first["state"] == "finished" and first["new"] == 9 and first["failed"] == 0
    one = client.get(f"/api/runs/{first['id']}").json()
    assert one["run"]["id"] == first["id"] and one["errors"]["items"] == []


def test_openapi_describes_the_api_and_the_docs_page_lists_it(client: httpx.Client) -> None:
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/figures", "/api/series", "/api/documents", "/api/search", "/api/runs"):
        assert path in spec["paths"]
    assert "post" in spec["paths"]["/api/documents"]
    params = {p["name"] for p in spec["paths"]["/api/figures"]["get"]["parameters"]}
    assert {"origin", "status", "since", "limit", "offset", "format"} <= params
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "/api/figures" in docs.text
    assert "cdn" not in docs.text.lower()


BAD_REQUESTS = [
    ("GET", "/api/documents/no-such-document", 404),
    ("GET", "/documents/no-such-document.json", 404),
    ("GET", "/series/XX/joined/militants/cumulative.json", 404),
    ("GET", "/api/series/XX/joined/militants/cumulative", 404),
    ("GET", "/api/runs/999", 404),
    ("GET", "/no/such/page.json", 404),
    ("GET", "/api/no-such-endpoint", 404),
    ("GET", "/api/figures?limit=0", 422),
    ("GET", "/api/figures?since=nineteen", 422),
    ("GET", "/api/figures?status=dead", 422),
    ("GET", "/api/search", 422),
    ("GET", "/runs/abc.json", 422),
    ("PUT", "/api/documents", 405),
    ("DELETE", "/api/figures", 405),
    ("POST", "/api/documents", 403),
]


@pytest.mark.parametrize(("method", "path", "status"), BAD_REQUESTS)
def test_every_json_error_has_one_shape(client: httpx.Client, method: str, path: str, status: int) -> None:
    r = client.request(method, path, json={"text": "x"} if method == "POST" else None)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert list(body) == ["error"]
    err = body["error"]
    assert err["status"] == status and isinstance(err["code"], str) and err["message"]
    assert set(err) <= {"status", "code", "message", "detail"}


def test_validation_errors_say_which_parameter(client: httpx.Client) -> None:
    err = client.get("/api/figures", params={"limit": 0}).json()["error"]
    assert err["code"] == "invalid"
    assert err["detail"][0]["where"] == "query.limit"


def test_a_missing_page_is_an_html_page_for_a_browser(client: httpx.Client) -> None:
    r = client.get("/series/XX/joined/militants/cumulative")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "no such series" in r.text


@pytest.mark.parametrize("path", ["/", "/index.json", "/static/tally.css", "/api/figures", "/nope", "/api/x"])
def test_every_response_carries_the_content_security_policy(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "style-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client: httpx.Client, fr_joined: str) -> None:
    for path in [*PAGES, fr_joined]:
        html = client.get(path).text
        assert " on" not in _tags(html), path  # no on*= handler in any tag
        assert "style=" not in html, path
        for chunk in html.split("<script")[1:]:
            head = chunk.split(">", 1)[0]
            assert 'src="/static/' in head or 'type="application/json"' in head, (path, head)


def _tags(html: str) -> str:
    """The attribute text of every tag, lower-cased (text between tags dropped)."""
    return " ".join(part.split(">", 1)[0].lower() for part in html.split("<")[1:])


def test_the_chart_library_and_assets_are_served_by_tally(client: httpx.Client, fr_joined: str) -> None:
    js = client.get("/static/vendor/plotly.min.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert b"plotly.js" in js.content[:200]
    css = client.get("/static/vendor/plotly.css")
    assert css.status_code == 200 and css.text.count("{") > 50 and ".js-plotly-plot .plotly" in css.text
    for asset in ("/static/tally.css", "/static/tally.js", "/static/series.js"):
        assert client.get(asset).status_code == 200
    html = client.get(fr_joined).text
    for url in _urls(html):
        assert url.startswith(("/", "#", "https://", "http://", "data:")), url
        if url.startswith("/static/"):
            assert client.get(url).status_code == 200, url


def _urls(html: str) -> list[str]:
    out = []
    for attr in ('src="', 'href="'):
        for chunk in html.split(attr)[1:]:
            out.append(chunk.split('"', 1)[0].replace("&amp;", "&"))
    return out


TRAVERSALS = [
    "/static/../cli.py",
    "/static/../../tally/cli.py",
    "/static/%2e%2e/cli.py",
    "/static/%2e%2e%2fcli.py",
    "/static/..%2f..%2fpyproject.toml",
    "/static/%2E%2E/%2E%2E/store/base.py",
    "/static/....//cli.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/..\\cli.py",
    "/static/vendor/../../cli.py",
    "/static/vendor/%2e%2e/%2e%2e/cli.py",
]


@pytest.mark.parametrize("raw_path", TRAVERSALS)
def test_static_files_refuse_path_traversal(site: str, raw_path: str) -> None:
    """Sent byte for byte on a socket: an HTTP client would normalise the dots away."""
    host, port = urlsplit(site).hostname, urlsplit(site).port
    assert host and port
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(f"GET {raw_path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while data := s.recv(65536):
            chunks.append(data)
    response = b"".join(chunks).decode("utf-8", "replace")
    status = int(response.split(" ", 2)[1])
    assert status in (400, 404), response[:300]
    assert "def main" not in response and "root:" not in response and "[project]" not in response


def test_health_says_read_only_without_a_token(client: httpx.Client) -> None:
    assert client.get("/api/health").json() == {
        "ok": True,
        "version": client.get("/api").json()["version"],
        "store": "sqlite",
        "writable": False,
    }
