"""Plain text as scraped: drop page furniture and repeated paragraphs, keep the article.

The text is read as lines (`lines.py`). Each line is kept whole or dropped whole, so every
kept character is a character of the input and offsets map back (`offsets.py`). Decisions
use general signals, never sentences of a known site:

- the furniture lexicon (`data/furniture_*.txt`): share widgets, comment forms, log-in and
  paywall notices, "Related links:" and the link titles listed after it;
- line shape: photo-credit captions ("... Photo: AFP"), timestamps with a clock time or a
  year ("18:41 GMT04 August 2021"), runs of labels and bare numbers (infographic debris:
  "BULGARIA", "KM", "500"), labels standing next to furniture ("ISIS" under "COPY LINK");
- repetition: a long line printed again anywhere, a short one within a couple of lines
  (headlines printed twice, image alt text, paragraphs repeated around a paywall notice);
- position: a one- or two-word line over the headline is a kicker ("Terror fight"); after
  the last paragraph that reads like body text, on a page whose furniture is still in,
  lines that do not end like sentences are related headlines and tag lines ("Iraq,
  France, Daesh, killed"), and when furniture follows the article, so are title-case lines
  and short lines between dropped ones.

When in doubt a line stays: losing an article sentence costs more than keeping a widget.
A clean article (no furniture at all) loses nothing but kickers, debris and repeats. The
rules that look at neighbouring lines run until nothing changes, so cleaning cleaned text
changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tally.clean.lexicon import Lexicon, load
from tally.clean.lines import LABEL_MAX_CHARS, LABEL_MAX_WORDS, Line, group_paragraphs, split_lines
from tally.clean.offsets import join

# A line of at least this many words printed again is a repeat, dropped the second time: at
# any distance if it is long, within a couple of lines if it is short (a headline printed
# twice, an image's alt text over its caption; not the rows of a table).
MIN_REPEAT_WORDS = 4
LONG_REPEAT_WORDS = 10
NEAR_REPEAT_LINES = 2
# A paragraph that reads like body text: at least this many words, mostly lower case ...
BODY_MIN_WORDS = 10
BODY_MAX_TITLE_SHARE = 0.6
# ... and ending like a sentence, unless it is this long (some pages drop the final stop).
BODY_LONG_WORDS = 20
# Share of capitalised words (of four letters or more) that makes a line read as a headline.
TITLE_SHARE = 0.75
TITLE_MIN_WORDS = 3
# The first line is the headline if it is this short and does not end with a full stop.
TITLE_MAX_WORDS = 20
# This many label-like lines in a row are infographic debris.
DEBRIS_RUN = 3
# A short sentence after the article, between dropped lines, goes with them.
TAIL_SHORT_WORDS = 10

_TOKEN = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*\.?|\d+|\S")
_TIME = re.compile(r"\b\d{1,2}[:h.]\d{2}\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


@dataclass(slots=True)
class Cleaned:
    text: str
    segments: list[tuple[int, int, int]]
    published: str | None = None
    title: str | None = None
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (reason, line)


def clean_text(content: str, *, paragraphs: bool = False) -> Cleaned:
    """Clean scraped text.

    With `paragraphs` (HTML extracts, where every line is a paragraph unless it continues a
    hard-wrapped one), the paragraphs of the output are separated by blank lines; otherwise
    the input's own line breaks are kept (runs of blank lines collapse to one).
    """
    lex = load()
    lines, published = split_lines(content)
    chrome = _mark_static(lines, lex)
    kept = [ln for ln in lines if ln.drop is None]
    while True:
        _mark_dynamic(kept, chrome)
        still = [ln for ln in kept if ln.drop is None]
        if len(still) == len(kept):
            break
        kept = still
    if paragraphs:
        for unit in group_paragraphs(kept):
            unit[0].para = True
    text, segments = join(content, kept)
    title = None
    if kept and kept[0].words <= TITLE_MAX_WORDS and not kept[0].lower_start and kept[0].text[-1] != ".":
        title = kept[0].text
    dropped = [(ln.drop, ln.text) for ln in lines if ln.drop is not None]
    return Cleaned(text, segments, published, title, dropped)


# --- rules that look at one line (and the raw order): run once -----------------------------

# Drop reasons that show the text is a scraped page with its furniture still in.
_CHROME = frozenset({"furniture", "list", "listed link", "photo caption"})


@dataclass(slots=True, frozen=True)
class Chrome:
    """Where page furniture stood in the raw text."""

    anywhere: bool
    last: int  # index of the last furniture line, -1 if none


def _mark_static(lines: list[Line], lex: Lexicon) -> Chrome:
    seen: set[str] = set()
    in_list = False
    for line in lines:
        key = lex.key(line.text)
        if lex.is_list_marker(key):
            line.drop, in_list = "list", True
            continue
        why = _furniture(line, key, lex)
        if why:
            line.drop = why
            continue
        if in_list:
            if not line.ends:
                line.drop = "listed link"
                continue
            in_list = False
        if line.words >= MIN_REPEAT_WORDS:
            line.key = " ".join(key.replace("“", '"').replace("”", '"').split())
            if line.words >= LONG_REPEAT_WORDS:
                if line.key in seen:
                    line.drop = "repeat"
                    continue
                seen.add(line.key)
    # A kicker or label next to furniture is furniture too ("ISIS" under "COPY LINK").
    for i, line in enumerate(lines):
        if line.drop is None and line.label:
            before = lines[i - 1].drop if i > 0 else None
            after = lines[i + 1].drop if i + 1 < len(lines) else None
            if before in _CHROME or after in _CHROME:
                line.drop = "label by furniture"
    last = max((ln.index for ln in lines if ln.drop in _CHROME), default=-1)
    return Chrome(anywhere=last >= 0, last=last)


def _furniture(line: Line, key: str, lex: Lexicon) -> str | None:
    if lex.is_furniture(key):
        return "furniture"
    if not line.has_digit and not any(c.isalpha() for c in line.text):
        return "no words"
    if lex.credit.search(line.text[-90:]):
        return "photo caption"
    if line.words <= 12 and _is_timestamp(key, lex):
        return "timestamp"
    return None


def _is_timestamp(key: str, lex: Lexicon) -> bool:
    """A line of date and time words and numbers that has a clock time or a year."""
    month = False
    for tok in _TOKEN.findall(key):
        if tok[0].isalpha():
            word = tok.rstrip(".")
            if word not in lex.date_words:
                return False
            month = month or word in lex.month_words
        elif not tok.isdigit() and tok not in ",.:-–—/|·•()":
            return False
    if _TIME.search(key):
        return True
    return month and _YEAR.search(key) is not None


# --- rules that look at neighbouring kept lines: run until nothing changes -----------------


def _mark_dynamic(kept: list[Line], chrome: Chrome) -> None:
    # A short line printed again a line or two later: a headline twice, alt text and caption.
    for i, line in enumerate(kept):
        if line.key and line.drop is None:
            for other in kept[max(0, i - NEAR_REPEAT_LINES) : i]:
                if other.key == line.key and other.drop is None:
                    line.drop = "repeat"
                    break
    units = group_paragraphs(kept)
    body = [i for i, u in enumerate(units) if _is_body(u, last=i == len(units) - 1)]
    if not body:
        return
    first_body, last_body = body[0], body[-1]

    # Infographic debris: runs of labels and bare numbers.
    run: list[Line] = []
    for line in kept:
        if line.label or line.numeric:
            run.append(line)
        else:
            _drop_debris(run)
            run = []
    _drop_debris(run)

    # A kicker over the headline ("Terror fight", "All news").
    if first_body > 0:
        line = units[0][0]
        if (
            len(units[0]) == 1
            and line.words <= LABEL_MAX_WORDS
            and len(line.text) <= LABEL_MAX_CHARS
            and not line.has_digit
            and not line.ends
            and not line.text.endswith(":")
            and not _ends(units[1])
        ):
            line.drop = "kicker"

    # After the article, on a page with its furniture in: related headlines and tag lines,
    # and (when furniture follows the article) short lines between dropped ones.
    if not chrome.anywhere:
        return
    furniture_after = chrome.last > units[last_body][-1].index
    for i in range(last_body + 1, len(units)):
        unit = units[i]
        if not _ends(unit) or (furniture_after and _is_title(unit)):
            _drop(unit, "after article")
    if not furniture_after:
        return
    for i in range(last_body + 1, len(units)):
        unit = units[i]
        if unit[0].drop is None and sum(ln.words for ln in unit) < TAIL_SHORT_WORDS:
            before = units[i - 1][0].drop is not None
            after = i + 1 == len(units) or units[i + 1][0].drop is not None
            if before and after:
                _drop(unit, "after article")


def _drop_debris(run: list[Line]) -> None:
    if len(run) >= DEBRIS_RUN:
        for line in run:
            line.drop = "label run"


def _is_body(unit: list[Line], *, last: bool) -> bool:
    words = sum(ln.words for ln in unit)
    if words < BODY_MIN_WORDS:
        return False
    long_words = sum(ln.title_words for ln in unit)
    capital = sum(ln.title * ln.title_words for ln in unit)
    if long_words and capital / long_words >= BODY_MAX_TITLE_SHARE:
        return False
    return unit[-1].ends or words >= BODY_LONG_WORDS or last


def _is_title(unit: list[Line]) -> bool:
    line = unit[0]
    return len(unit) == 1 and line.title_words >= TITLE_MIN_WORDS and line.title >= TITLE_SHARE


def _ends(unit: list[Line]) -> bool:
    return unit[-1].ends


def _drop(unit: list[Line], why: str) -> None:
    for line in unit:
        line.drop = why
