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

# Lines of real articles, used as they are when the shared documents are absent.
REAL = [
    "France and Russia agree to share intel on Isis",
    "Russia and France have agreed to bolster efforts to share intelligence relating to the group.",
    "Russia's federal security service said last week that nearly 2,900 Russians are fighting.",
    "Ali knew he was in trouble.",
    "  • Home Office says 700 people 'of concern' have travelled to conflict zone",
    "HOW MANY FORMER JIHADIS HAVE COME HOME? Turkey: 900 Tunisia: 800 Britain: 425",
    "One percent of foreign fighters",
    "Condamnations",
    "Terror fight",
    "Examples of Canadians involved in",
    "violent incidents abroad",
    "Parmi eux, 44 étaient en prison en Belgique et 5 dans une prison étrangère. Dix sont décédées.",
    "But for the fighters defecting from the Islamic State, no free rides should be given to these",
]
FURNITURE = [
    "SHARE",
    "COPY LINK",
    "Pin It",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "You've reached your daily free article limit.",
    "Related links:",
    "18:41 GMT04 August 2021",
    "Russian jets take off for a bombing mission in Syria. Photo: AFP",
    "Iraq, France, Daesh, killed",
    "200 Docs Point to 'Possible Link' Between French-Swiss Cement Giant and Daesh",
    "Happy Birthday Delta Force!",
    "BULGARIA",
    "KM",
    "1,000",
    "7",
    "ISIS",
    "Middle East",
    "ADVERTISEMENT",
    "SHOW COMMENTS",
    " date 2017-10-24 Britain is home to more jihadis who have returned from Syria.",
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
