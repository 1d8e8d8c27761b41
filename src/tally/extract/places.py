"""Countries in text: names, nationality words and capitals, as ISO 3166-1 alpha-2 codes.

Country names come from pycountry (with its French translations; the German names,
with their genitives, are generated into data/common/countries_de.tsv); what pycountry
lacks (demonyms, short names such as 'Britain', capitals used for governments) comes
from the tables in data/common. One compiled pattern per language finds them all.
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


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    start: int
    end: int
    code: str
    kind: str  # "country" | "demonym" | "capital"
    text: str


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
        forms = sorted(set(self.kind) | set(self.by_upper), key=len, reverse=True)
        body = "|".join(re.escape(f) for f in forms)
        # Case-sensitive on purpose: proper nouns ('US' is not 'us'); the upper-case
        # variants above cover headlines set in capitals.
        self.pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w])")

    def find(self, text: str) -> list[PlaceMatch]:
        out = []
        for m in self.pattern.finditer(text):
            s = m.group(0)
            code, kind = self.kind.get(s) or self.by_upper[s]
            out.append(PlaceMatch(m.start(), m.end(), code, kind, s))
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
