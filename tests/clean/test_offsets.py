"""Doc.segments: every run of the cleaned text is a copy of the raw text at the stated offset."""

from __future__ import annotations

from pathlib import Path

import pytest

from tally.clean import clean
from tally.model import Doc, RawDoc

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def _check(doc: Doc, raw: str) -> None:
    covered = 0
    for c, r, n in doc.segments:
        assert doc.text[c : c + n] == raw[r : r + n]
        assert c >= covered
        covered = c + n
    # Only separators (newlines) are outside the segments.
    inside = sum(n for _, _, n in doc.segments)
    assert doc.text.count("\n") >= len(doc.text) - inside


def test_a_clean_article_is_one_segment() -> None:
    text = "Headline\n\nFirst paragraph.\nSecond paragraph."
    doc = clean(RawDoc("d", "d", text))
    assert doc.segments == [(0, 0, len(text))]


def test_dropped_lines_split_the_segments_and_offsets_map_back() -> None:
    raw = (
        "SHARE\r\n  Headline here  \r\n\r\n\r\n"
        "Around 300 fighters returned, officials said.\r\nPin It\r\nEnd."
    )
    doc = clean(RawDoc("d", "d", raw))
    assert doc.text == "Headline here\n\nAround 300 fighters returned, officials said.\nEnd."
    _check(doc, raw)
    at = doc.text.index("300")
    raw_at = doc.raw_offset(at)
    assert raw_at is not None and raw[raw_at : raw_at + 3] == "300"


def test_the_date_marker_is_outside_the_segments() -> None:
    raw = " date 2017-10-24 Denmark has taken back more fighters than any of its neighbours."
    doc = clean(RawDoc("d", "d", raw))
    assert doc.segments == [(0, 17, len(doc.text))]
    _check(doc, raw)


def test_segments_hold_on_every_real_text_document() -> None:
    folders = [SHARED / "eval" / "docs"]
    paths = [p for f in folders if f.is_dir() for p in sorted(f.glob("*/*.txt"))]
    if not paths:
        pytest.skip("shared eval documents not present")
    for path in paths:
        raw = path.read_text(encoding="utf-8")
        _check(clean(RawDoc(path.stem, str(path), raw)), raw)
