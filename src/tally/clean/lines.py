"""Lines of scraped text with their place in the raw text and their shape.

The text cleaner keeps or drops whole lines; these records carry what its rules look at
(word count, sentence punctuation, share of capitalised words, ...), computed once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A label (kicker, section name, infographic label): at most this many words and characters.
LABEL_MAX_WORDS = 2
LABEL_MAX_CHARS = 30

_LINE = re.compile(r"[^\r\n]+")
_DATE_MARKER = re.compile(r"date\s+(\d{4}-\d{2}(?:-\d{2})?)(?![\d-])\s*")
_NUMBERS_ONLY = re.compile(r"[\d\s.,:;%/+\-–—()#]+")
_CLOSERS = "\"'”’»)]*"
_OPENERS = "\"'“‘«([*"
# The first letter of each word of four characters or more (after opening quotes/brackets).
_LONG_WORD_INITIAL = re.compile(r"(?<!\S)[\"'“‘«(\[*]*([^\W\d_])\S{3}")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = (".", "!", "?", "…")


@dataclass(slots=True)
class Line:
    """One non-blank line: where it stands in the raw text, its shape, and its fate."""

    start: int  # offsets of the stripped line in the raw text
    end: int
    text: str
    # Blank lines met in the raw text up to this line: two lines belong to different
    # paragraphs when a blank line stands anywhere between them.
    blanks: int
    index: int  # position among the non-blank lines of the raw text
    words: int = 0
    ends: bool = False  # ends like a sentence (. ! ? … before closing quotes)
    title: float = 0.0  # share of capitalised words among words of four letters or more
    title_words: int = 0  # how many words of four letters or more
    lower_start: bool = False
    has_digit: bool = False
    numeric: bool = False  # only numbers and their punctuation ("1,000")
    label: bool = False  # a short line of capitalised words ("BULGARIA", "Indian Ocean")
    key: str = ""  # normalised text, set for lines long enough to count as repeats
    para: bool = False  # starts a paragraph of the output (set for HTML extracts)
    drop: str | None = None  # why the line was dropped; None while it is kept


def split_lines(content: str) -> tuple[list[Line], str | None]:
    """The non-blank lines of `content`, stripped, with their shape; and the date of a
    `date YYYY-MM[-DD]` marker that starts a line (some excerpts carry one), which is not part
    of the line. Lines end at LF, CRLF or CR; nothing else in a line is touched.
    """
    lines: list[Line] = []
    marked: str | None = None
    blanks = 0
    blank = False
    prev_end = 0
    for m in _LINE.finditer(content):
        raw = m.group()
        stripped = raw.strip()
        gap = content[prev_end : m.start()]
        prev_end = m.end()
        if gap.count("\n") + gap.count("\r") - gap.count("\r\n") >= 2:
            blank = True
        start = m.start() + len(raw) - len(raw.lstrip())
        date = _DATE_MARKER.match(stripped)
        if date:
            marked = marked or date.group(1)
            stripped = stripped[date.end() :]
            start += date.end()
        if not stripped:
            blank = blank or not date
            continue
        blanks += blank
        blank = False
        line = Line(start, start + len(stripped), stripped, blanks, len(lines))
        _shape(line)
        lines.append(line)
    return lines, marked


def _shape(line: Line) -> None:
    text = line.text
    tokens = text.split()
    line.words = len(tokens)
    line.ends = text.rstrip(_CLOSERS).endswith(_SENTENCE_END)
    initials = _LONG_WORD_INITIAL.findall(text)
    line.title_words = len(initials)
    line.title = sum(c.isupper() for c in initials) / len(initials) if initials else 0.0
    line.lower_start = text.lstrip(_OPENERS)[:1].islower()
    line.has_digit = _DIGIT.search(text) is not None
    line.numeric = line.has_digit and _NUMBERS_ONLY.fullmatch(text) is not None
    line.label = (
        line.words <= LABEL_MAX_WORDS
        and len(text) <= LABEL_MAX_CHARS
        and not line.numeric
        and "," not in text
        and not text.endswith(("!", "?", ":", ";"))
        and (not text.endswith(".") or "." in text[:-1])  # "U.S." is a label, "Bosvelt." is not
        and all(not t.lstrip(_OPENERS)[:1].islower() for t in tokens)
    )


def group_paragraphs(kept: list[Line]) -> list[list[Line]]:
    """Kept lines grouped into paragraphs. Lines are paragraphs of their own, except that a
    line stopping mid-sentence goes on in the next one when that one starts in lower case
    with no blank line between (hard-wrapped text)."""
    units: list[list[Line]] = []
    for line in kept:
        prev = units[-1][-1] if units else None
        if (
            prev is not None
            and line.blanks == prev.blanks
            and line.lower_start
            and not prev.ends
            and not prev.text.endswith(":")
        ):
            units[-1].append(line)
        else:
            units.append([line])
    return units
