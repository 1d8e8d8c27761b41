"""clean(clean(x)) == clean(x): cleaning cleaned text changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tally.clean import clean
from tally.errors import InputError
from tally.model import RawDoc

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DOCS = SHARED / "eval" / "docs"

# Lines shaped like those of real articles (written for this test), used as they are when
# the shared documents are absent; the documents' own lines join them when present.
REAL = [
    "Spain and Morocco agree to pool data on militants",
    "Spain and Morocco have agreed to step up efforts to pool what they know about the group.",
    "Morocco's interior ministry said last month that about 1,600 Moroccans are fighting.",
    "Omar knew he had been seen.",
    "  • Interior ministry says 450 people 'of interest' have gone to the war zone",
    "HOW MANY FORMER FIGHTERS ARE BACK? Jordan: 250 Morocco: 220 Britain: 425",
    "One in ten foreign recruits",
    "Condamnations",
    "Border watch",
    "Cases of Australians linked to",
    "attacks carried out overseas",
    "Parmi elles, 31 sont détenues en Syrie et 7 dans une prison irakienne. Neuf sont rentrées.",
    "Yet for the recruits now deserting the militant group, no easy way home should be offered to",
]
FURNITURE = [
    "SHARE",
    "COPY LINK",
    "Pin It",
    "Leave a Reply",
    "Related links:",
    "Your email address will not be shared. Required fields are marked *",
    "You've reached your monthly free article limit.",
    "09:12 GMT17 March 2022",
    "Army trucks leave a base near the border with Iraq. Photo: AFP",
    "Libya, Italy, Daesh, port",
    "120 Files Hint at 'Hidden Deal' Between Italian-Swiss Oil Trader and Militants",
    "Happy Birthday Green Berets!",
    "BULGARIA",
    "KM",
    "1,000",
    "7",
    "ISIS",
    "Middle East",
    "ADVERTISEMENT",
    "SHOW COMMENTS",
    " date 2017-10-24 Denmark has taken back more fighters than any of its neighbours.",
]


def _real_lines() -> list[str]:
    lines = list(REAL)
    if DOCS.is_dir():
        for path in sorted(DOCS.glob("*/*.txt")):
            lines += [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines


def _twice(text: str) -> None:
    try:
        once = clean(RawDoc("d", "d", text)).text
    except InputError:
        return
    assert clean(RawDoc("d", "d", once)).text == once


_line = st.one_of(
    st.sampled_from(_real_lines()),
    st.sampled_from(FURNITURE),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
)


@st.composite
def _pages(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_line, max_size=25))
    for _ in range(draw(st.integers(0, 3))):  # paragraphs printed twice
        if lines:
            lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(lines)))
    seps = draw(st.lists(st.sampled_from(["\n", "\n\n", "\r\n", "\n \n\n", "  \n"]), min_size=len(lines)))
    return "".join(line + sep for line, sep in zip(lines, seps, strict=False))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pages())
def test_cleaning_twice_is_cleaning_once(page: str) -> None:
    _twice(page)


def test_cleaning_twice_is_cleaning_once_on_every_real_document() -> None:
    paths = sorted(DOCS.glob("*/*.txt")) if DOCS.is_dir() else []
    if not paths:
        pytest.skip("shared eval documents not present")
    for path in paths:
        _twice(path.read_text(encoding="utf-8"))
