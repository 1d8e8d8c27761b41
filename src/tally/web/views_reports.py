"""The report page: one source entity's statements of one time, each figure with the
outlets that restated it, their languages and the mutations they made.

Reports are the reconciler's (`tally.reconcile.reports`, as `tally sources --reports`
prints them), grouped from the cached series on every request: nothing of them is
stored, so a document ingested later that holds an earlier statement moves the origin
and the mutations with it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from tally.reconcile import Series, report_dict, reports
from tally.web.page import Page, Table
from tally.web.present import document_path, series_path


def report_path(report_id: str) -> str:
    """The report page's path: /reports/<entity id>@<first date>, quoted whole."""
    return "/reports/" + quote(report_id, safe="@")


def report_hrefs(series: list[Series]) -> dict[int, str]:
    """The report page of each chain that belongs to a report, by `id()` of the chain."""
    return {id(c): report_path(r.id) for r in reports(series) for _s, c in r.figures}


def report_summaries(series: list[Series]) -> list[dict[str, Any]]:
    """One row per report, most restated first: who, when, how many figures, outlets, languages."""
    rows = []
    for r in reports(series):
        d = report_dict(r)
        rows.append(
            {
                "id": d["id"],
                "entity": d["entity"],
                "entity_name": d["entity_name"],
                "first": d["first"],
                "last": d["last"],
                "figures": len(d["figures"]),
                "outlets": len(d["restated_by"]),
                "languages": d["languages"],
                "mutations": d["mutations"],
                "href": report_path(d["id"]),
            }
        )
    return sorted(rows, key=lambda r: (-r["outlets"], r["entity_name"].casefold(), r["first"] or "~"))


def report_page(series: list[Series], report_id: str) -> Page | None:
    """One report with its figures (parts marked), each with its echoes and mutations;
    None when the ledger holds no such report."""
    found = next((r for r in reports(series) if r.id == report_id), None)
    if found is None:
        return None
    data = report_dict(found)
    for f in data["figures"]:
        f["href"] = document_path(f["document"], f["figure_id"])
        f["series_href"] = series_path(f)
        kinds: dict[int, list[str]] = {}
        for m in f["mutations"]:
            kinds.setdefault(m["figure_id"], []).append(m["kind"])
        for e in f["echoes"]:
            e["href"] = document_path(e["document"], e["figure_id"])
            e["mutations"] = kinds.get(e["figure_id"], [])
    data["href"] = report_path(data["id"])
    tables = {
        "figures": Table(
            (
                "series",
                "part",
                "figure",
                "as_of",
                "source",
                "outlet",
                "doc",
                "lang",
                "restated_by",
                "languages",
                "mutation_kinds",
                "href",
            ),
            lambda d: [{**f, "mutation_kinds": [m["kind"] for m in f["mutations"]]} for f in d["figures"]],
        ),
    }
    return Page("report.html", f"{data['entity_name']} · {data['first'] or 'undated'}", data, tables)
