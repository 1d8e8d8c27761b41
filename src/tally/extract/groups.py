"""The organisation a figure ties its people to: a named group, 'jihadist' for groups
described but not named, or None.

Names come from data/common/groups.json; the per-language `generic_group` pattern of
grammar.json catches 'jihadist groups', 'terrorist organisations', 'terrorism offences'.
'The group' refers back to the last group the article named.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tally.extract.lexicon import load

JIHADIST = "jihadist"


@dataclass(frozen=True)
class GroupFinder:
    named: re.Pattern[str]
    label_of: dict[str, str]
    generic: re.Pattern[str]
    definite: re.Pattern[str]

    def named_in(self, text: str) -> list[tuple[int, str]]:
        """(offset, label) of every named group in `text`."""
        out = []
        for m in self.named.finditer(text):
            s = m.group(0)
            label = self.label_of.get(s) or self.label_of.get(s.lower())
            if label:
                out.append((m.start(), label))
        return out

    def label(self, text: str) -> str | None:
        """The group named in `text`; 'jihadist' when it names two or more (people split
        over several organisations, SCHEMA.md) or describes groups without naming one;
        else None."""
        named = self.named_in(text)
        if len({label for _, label in named}) > 1:
            return JIHADIST
        if named:
            return named[0][1]
        if self.generic.search(text):
            return JIHADIST
        return None


@cache
def finder(lang: str) -> GroupFinder:
    lex = load(lang)
    path = resources.files("tally.extract") / "data" / "common" / "groups.json"
    aliases: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))["aliases"]
    label_of: dict[str, str] = {}
    exact: list[str] = []
    folded: list[str] = []
    for label, names in aliases.items():
        for name in names:
            # Short upper-case names ('IS', 'EI', 'HTC') only in capitals: 'is' is a verb.
            if name.isupper() and len(name) <= 4:
                exact.append(name)
                label_of[name] = label
            else:
                folded.append(name)
                label_of[name.lower()] = label
    ex = "|".join(re.escape(n) for n in sorted(exact, key=len, reverse=True))
    fo = "|".join(re.escape(n) for n in sorted(folded, key=len, reverse=True))
    named = re.compile(rf"(?<![\w-])(?:{ex}|(?i:{fo}))(?![\w])")
    g = lex.grammar
    definite = re.compile(
        r"\b(?:" + "|".join(re.escape(d) for d in g["definite_group"]) + r")\b", re.IGNORECASE
    )
    return GroupFinder(named, label_of, re.compile(g["generic_group"], re.IGNORECASE), definite)
