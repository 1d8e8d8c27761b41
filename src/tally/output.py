"""Render figures for people and for programs: JSON Lines, CSV and a terminal table."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterable
from typing import IO, ClassVar

from tally.model import Figure

# Columns of the terminal table, in order, with the share of spare width each may take.
TABLE_COLUMNS = ("doc", "span", "counted", "origin", "status", "scope", "role", "group", "source")
CSV_COLUMNS = (
    "doc",
    "span",
    "value",
    "low",
    "high",
    "qualifier",
    "kind",
    "role",
    "counted",
    "origin",
    "status",
    "group",
    "place",
    "period",
    "source",
    "scope",
    "quote",
    "start",
    "end",
    "published",
    "url",
    "outlet",
    "lang",
    "version",
)


def write_jsonl(figs: Iterable[Figure], out: IO[str]) -> None:
    for f in figs:
        out.write(json.dumps(f.as_dict(), ensure_ascii=False) + "\n")


class CsvWriter:
    """CSV with a header row, written as figures come."""

    def __init__(self, out: IO[str]) -> None:
        self._w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        self._w.writeheader()

    def write(self, figs: Iterable[Figure]) -> None:
        for f in figs:
            self._w.writerow(f.as_dict())


def _cell(value: object, width: int) -> str:
    s = "" if value is None else str(value)
    s = " ".join(s.split())
    return s if len(s) <= width else s[: max(1, width - 1)] + "…"


class TableWriter:
    """A plain-text table sized to the terminal, one figure a row."""

    WIDTHS: ClassVar[dict[str, int]] = {
        "doc": 18,
        "span": 18,
        "counted": 20,
        "origin": 6,
        "status": 9,
        "scope": 10,
        "role": 9,
        "group": 12,
        "source": 28,
    }

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        total = shutil.get_terminal_size((160, 24)).columns
        fixed = sum(self.WIDTHS.values()) + 2 * len(self.WIDTHS)
        self.widths = dict(self.WIDTHS)
        if total > fixed:
            self.widths["source"] += total - fixed
        self.header_done = False

    def write(self, figs: Iterable[Figure]) -> None:
        for f in figs:
            if not self.header_done:
                self._row({c: c for c in TABLE_COLUMNS})
                self._row({c: "-" * self.widths[c] for c in TABLE_COLUMNS})
                self.header_done = True
            self._row(f.as_dict())

    def _row(self, d: dict[str, object]) -> None:
        cells = [_cell(d.get(c), self.widths[c]).ljust(self.widths[c]) for c in TABLE_COLUMNS]
        self.out.write("  ".join(cells).rstrip() + "\n")
