"""Countries in text: names, nationality words and capitals, as ISO 3166-1 alpha-2 codes.

Country names come from pycountry (with its French translations; the German names,
with their genitives, are generated into data/common/countries_de.tsv); what pycountry
lacks (demonyms, short names such as 'Britain', capitals used for governments) comes
from the tables in data/common, looked up word by word.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import cache

import pycountry

from tally.extract.lexicon import LANGS, _read_tsv

# Where fighters went rather than where they came from: a bare mention of these is a
# place, and is an origin only through a nationality word ("Iraqi families").
CONFLICT_ZONE = frozenset({"SY", "IQ"})


_WORD = re.compile(r"\w+")
_JOINED = frozenset("-")  # a place inside a hyphenated word ('anti-French') is no place


def _is_word(ch: str) -> bool:
    return _WORD.match(ch) is not None


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    start: int
    end: int
    code: str
    kind: str  # "country" | "demonym" | "capital"
    text: str


# The code of a row of names that pycountry gives a country but that are not read as one.
NOT_A_COUNTRY = "-"


def _country_names(lang: str) -> dict[str, str]:
    names: dict[str, str] = {}
    translate = None
    if lang != "en":
        try:
            translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext
        except OSError:
            translate = None
    for c in pycountry.countries:
        for attr in ("name", "common_name"):
            name = getattr(c, attr, None)
            if not name:
                continue
            if translate:
                name = translate(name)
            # pycountry writes some names inverted ("Syrienne, République arabe"): skip those.
            if "," in name or "(" in name:
                continue
            names[name] = c.alpha_2
    for row in _read_tsv(f"countries_{lang}.tsv"):
        for name in row[1:]:
            if row[0] == NOT_A_COUNTRY:
                names.pop(name, None)  # a given name far more often than a country in the news
            else:
                names[name] = row[0]
    return names


def _demonyms(lang: str) -> dict[str, str]:
    return {form: row[0] for row in _read_tsv(f"demonyms_{lang}.tsv") for form in row[1:]}


def _capitals() -> dict[str, str]:
    return {name: row[0] for row in _read_tsv("capitals.tsv") for name in row[1:]}


class Gazetteer:
    """Finds country names, nationality words and capitals in text."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.kind: dict[str, tuple[str, str]] = {}
        for name, code in _capitals().items():
            self.kind[name] = (code, "capital")
        for name, code in _country_names(lang).items():
            self.kind[name] = (code, "country")
        for name, code in _demonyms(lang).items():
            self.kind[name] = (code, "demonym")
        self.by_upper = {k.upper(): v for k, v in self.kind.items() if len(k) > 3}
        # Every form under its first word, longest first. One regular expression with some
        # two thousand alternatives tries each of them at every letter of the text (Python's
        # engine has no trie), which made this the costliest search of extraction; looking
        # up the words the text holds finds the same leftmost-longest matches.
        self._by_first: dict[str, list[str]] = {}
        for form in sorted(set(self.kind) | set(self.by_upper), key=len, reverse=True):
            first = _WORD.match(form)
            if first is None:
                raise ValueError(f"places: a form must start with a letter or digit: {form!r}")
            self._by_first.setdefault(first.group(0), []).append(form)

    def find(self, text: str) -> list[PlaceMatch]:
        """Every place named in `text`, leftmost-longest and not overlapping. Case-sensitive
        on purpose: proper nouns ('US' is not 'us'); the upper-case variants cover headlines
        set in capitals."""
        out: list[PlaceMatch] = []
        done = 0  # where the last match ended
        for w in _WORD.finditer(text):
            start = w.start()
            forms = self._by_first.get(w.group(0))
            if forms is None or start < done or (start and text[start - 1] in _JOINED):
                continue
            for form in forms:
                end = start + len(form)
                if text.startswith(form, start) and not (end < len(text) and _is_word(text[end])):
                    code, kind = self.kind.get(form) or self.by_upper[form]
                    out.append(PlaceMatch(start, end, code, kind, form))
                    done = end
                    break
        return out

    def code_of(self, word: str) -> str | None:
        """The country of one word or phrase, if it names or qualifies one."""
        hit = self.kind.get(word) or self.by_upper.get(word.upper()) if word else None
        if hit:
            return hit[0]
        if word and word.endswith("'s"):
            return self.code_of(word[:-2])
        return None


@cache
def gazetteer(lang: str) -> Gazetteer:
    """The gazetteer of `lang`: its country names and nationality words, or English's."""
    return Gazetteer(lang if lang in LANGS else "en")
