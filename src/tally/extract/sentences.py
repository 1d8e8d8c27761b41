"""Split cleaned text into sentences with offsets, and note which paragraph each is in.

Written by hand because the extractor needs exact character offsets, a line break as
a hard boundary (headlines, factbox lines and captions have no full stop), and speed
on whole corpora before any parsing; spaCy's sentencizer gives none of the first two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    para: int  # index of the line (paragraph) the sentence stands in
    first: bool  # first sentence of its paragraph

    def text(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]


@cache
def _abbreviations() -> frozenset[str]:
    path = resources.files("tally.extract") / "data" / "common" / "abbreviations.txt"
    words = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in words if w.strip() and not w.startswith("#"))


# A candidate end: terminal punctuation, optional closing quotes/brackets (French sets
# them off with a space: ". »"), then space.
_END = re.compile(r"[.!?…]+(?:\s?[\"'”’»)\]])*(?=\s+)")
# What may start a new sentence: an upper-case letter, a digit, or an opening quote or
# bracket, which French sets off with a space ("« Parmi").
_NEXT = re.compile(r"\s+(?:[\"'“‘«(\[]\s?)?[A-ZÀ-ÖØ-Þ0-9]")
_WORD_BEFORE = re.compile(r"([\w.'-]+)$")


def _ends_sentence(line: str, end: int) -> bool:
    """Whether the terminal punctuation ending at `end` closes a sentence."""
    if not _NEXT.match(line, end):
        return False
    head = line[:end].rstrip("\"'”’»)]")
    if not head.endswith("."):
        return True  # '!', '?' and '…' always end one
    w = _WORD_BEFORE.search(head[:-1])
    if not w:
        return True
    word = w.group(1)
    if word in _abbreviations():
        return False
    # Initials ("J. Smith") and dotted abbreviations ("U.S.").
    return not (len(word) == 1 and word.isalpha()) and not re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", word)


def split(text: str) -> list[Sentence]:
    """Every sentence of `text`, in order; a line break always ends a sentence."""
    out: list[Sentence] = []
    pos = 0
    para = -1
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        para += 1
        start = 0
        first = True
        for m in _END.finditer(line):
            if not _ends_sentence(line, m.end()):
                continue
            _add(out, line, line_start, start, m.end(), para, first)
            first = False
            start = m.end()
        _add(out, line, line_start, start, len(line), para, first)
    return out


def _add(out: list[Sentence], line: str, base: int, start: int, end: int, para: int, first: bool) -> None:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(base + start, base + end, para, first))
