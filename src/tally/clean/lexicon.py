"""The furniture lexicon: phrases and patterns of page furniture, kept as data files.

Every `data/furniture_*.txt` file is loaded (the language is not known yet when a document
is cleaned); the sections are described in `data/furniture_en.txt`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

SECTIONS = ("line", "start", "list", "credit", "date", "dateword")

# Characters trimmed from both ends of a line before it is matched: widgets are often
# wrapped in bullets, stars or arrows ("* Copy This Password *", "» Related").
TRIM = " \t*.:!>»«|-–—•·‹›/\\"

# Longest line (in characters) tested against whole-line and line-start entries: furniture
# is short, and skipping long paragraphs keeps cleaning cheap.
MAX_LINE = 120
MAX_START = 400


@dataclass(slots=True, frozen=True)
class Lexicon:
    line: re.Pattern[str]
    start: re.Pattern[str]
    list_marker: re.Pattern[str]
    credit: re.Pattern[str]
    date_words: frozenset[str]
    month_words: frozenset[str]

    def key(self, line: str) -> str:
        """The form of a line that entries are matched against."""
        return line.strip(TRIM).replace("’", "'").replace("\u00a0", " ").casefold()

    def is_furniture(self, key: str) -> bool:
        if len(key) <= MAX_LINE and self.line.fullmatch(key):
            return True
        return len(key) <= MAX_START and self.start.match(key) is not None

    def is_list_marker(self, key: str) -> bool:
        return len(key) <= MAX_LINE and self.list_marker.fullmatch(key) is not None


def _entry(text: str) -> str:
    if text.startswith("re:"):
        return text[3:]
    return r"\s+".join(re.escape(word) for word in text.split())


def _alternation(entries: list[str]) -> str:
    return "|".join(f"(?:{e})" for e in entries) or r"(?!)"


@cache
def load() -> Lexicon:
    sections: dict[str, list[str]] = {name: [] for name in SECTIONS}
    folder = resources.files("tally.clean") / "data"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not (item.name.startswith("furniture_") and item.name.endswith(".txt")):
            continue
        current: list[str] | None = None
        for raw in item.read_text(encoding="utf-8").splitlines():
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            if text.startswith("[") and text.endswith("]"):
                name = text[1:-1]
                if name not in sections:
                    raise ValueError(f"{item.name}: unknown section [{name}]")
                current = sections[name]
            elif current is None:
                raise ValueError(f"{item.name}: entry {text!r} before any [section]")
            else:
                current.append(text)
    credit = _alternation([_entry(e) for e in sections["credit"]])
    return Lexicon(
        line=re.compile(_alternation([_entry(e) for e in sections["line"]]), re.I),
        start=re.compile(_alternation([_entry(e) for e in sections["start"]]), re.I),
        list_marker=re.compile(_alternation([_entry(e) for e in sections["list"]]), re.I),
        # A credit ends a caption: "... Syria. Photo: AFP", "(Photo: Delil Souleiman/AFP)",
        # "Photo courtesy Wikipedia". The credit itself holds no sentence punctuation.
        credit=re.compile(
            rf"(?:^|[\s.(\[|])(?:{credit})\s*(?:courtesy(?:\s+of)?\s+|:\s*|/\s*|©\s*|by\s+)"
            r"[^.!?:;]{1,60}?[)\]]?$",
            re.I,
        ),
        date_words=frozenset(w.casefold() for w in sections["date"] + sections["dateword"]),
        month_words=frozenset(w.casefold() for w in sections["date"]),
    )
