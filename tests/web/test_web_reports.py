"""Reports on the dashboard (an entity and a date window: its figures, the outlets that
restated each, their languages and mutations), and the series chart's parts and axis."""

from __future__ import annotations

from typing import Any

import httpx

from tally.model import Figure
from tally.reconcile import SeriesKey, reconcile
from tally.reconcile.report import series_dict
from tally.store.records import StoredFigure
from tally.web import present, views_ledger


def test_the_sources_page_lists_reports_and_each_opens_with_its_twins(client: httpx.Client) -> None:
    data = client.get("/sources.json").json()
    reports = data["entity_reports"]
    assert reports and reports[0]["outlets"] >= reports[-1]["outlets"]  # most restated first
    top = reports[0]
    assert top["href"] in client.get("/sources").text
    page = client.get(top["href"])
    twin = client.get(top["href"] + ".json").json()
    assert page.status_code == 200 and twin["entity_name"] in page.text
    assert twin["id"] == top["id"] and len(twin["figures"]) == top["figures"]
    for f in twin["figures"]:
        assert len(f["restated_by"]) <= len(f["echoes"])  # outlets, each counted once
        assert set(f["languages"]) >= {e["lang"] for e in f["echoes"] if e["lang"]}
    assert client.get(top["href"] + ".csv").text.startswith("series,part,figure")


def test_an_unknown_report_is_a_404_in_the_one_error_shape(client: httpx.Client) -> None:
    r = client.get("/reports/nobody@1999.json")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_a_series_links_its_chains_to_their_reports(client: httpx.Client, fr_joined: str) -> None:
    data = client.get(fr_joined + ".json").json()
    linked = [ch["report_href"] for ch in data["chains"] if ch["report_href"]]
    assert linked and linked[0] in client.get(fr_joined).text
    assert client.get(linked[0]).status_code == 200


def _figure(n: int, value: float, **kw: Any) -> StoredFigure:
    fields: dict[str, Any] = dict(
        doc="seeds",
        quote="Of the 1,490 Frenchmen who have joined, 130 remain detained, including 68 men.",
        span=f"{value:,.0f}",
        value=value,
        low=None,
        high=None,
        qualifier="exact",
        kind="count",
        role="militants",
        counted="Frenchmen",
        origin="FR",
        status="detained",
        group=None,
        place=None,
        period="2018",
        source="the interior ministry",
        scope="current",
        start=0,
        end=1,
        published="2018-07-01",
        outlet="Le Monde",
    )
    fields.update(kw)
    return StoredFigure(id=n, document="d1", story="d1", figure=Figure(**fields))


def test_a_one_year_series_reads_in_months_and_draws_its_parts_beside_the_whole() -> None:
    figs = [_figure(1, 130), _figure(2, 68, population="men", part_of="130")]
    (series,) = [s for s in reconcile(figs) if s.key.population == "all"]
    data = series_dict(series)
    for ch in data["chains"]:
        ch["conflict"] = False
        ch["origin"]["href"] = "/documents/d1"
        for q in ch["parts"]:
            q["href"] = "/documents/d1"
            q["label"] = "68 men"
    chart = views_ledger._chart(data)
    assert chart["range"] == ["2017-12-30", "2018-12-31"]  # half a year each side, not milliseconds
    whole, part = chart["points"]
    assert (whole["part"], part["part"]) == (False, True)
    assert part["x"] == whole["x"] and part["label"] == "68 men"


def test_a_series_of_one_population_has_its_own_page() -> None:
    men = SeriesKey("FR", "detained", "militants", "current", "men")
    assert present.series_path(men) == "/series/FR/detained/militants/current?population=men"
    assert present.series_path(SeriesKey("FR", "detained", "militants", "current")).endswith("/current")
