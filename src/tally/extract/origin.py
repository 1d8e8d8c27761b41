"""Where the counted people come from, as an ISO 3166-1 alpha-2 code, or None.

In order: a nationality word in the counted phrase ("Tajik nationals", "Frenchmen");
'from X' / 'of X' after it; for returns, the country they went back to ("271 to
France"); what the referent said ("Some 300 of them"); for nouns that imply a country
("citizens", "people"), the country that acts in the sentence ("Morocco still has
1,137 citizens", "Jakarta tracking 100 citizens"); last, the country the article is
about. Several countries, or words like 'foreign' and 'from 110 nations', give None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from tally.extract.lexicon import load
from tally.extract.places import CONFLICT_ZONE

if TYPE_CHECKING:
    from tally.extract.counted import Counted
    from tally.extract.document import Referent, _Context
    from tally.extract.predicate import Zones
    from tally.extract.sentences import Sentence
    from tally.model import NumberMention

_MULTI_FROM = re.compile(
    r"^\s*(?:from|of|de|des)\s+(?:the\s+|plus de\s+)?(?:(?:four|five|six|several|various|many|more than \d+|\d+|other|plusieurs|nombreux)\s+)?"
    r"(?:countries|nations|states|regions|pays|nationalités)\b|^\s*from\s+(?:around|across|all over)\b",
    re.I,
)


@dataclass(frozen=True)
class _Words:
    """A language's words around a place (grammar.json): 'in Syria' (where), 'from France'
    (whence), and where the place's name ends ('who', 'qui', a comma)."""

    locative: re.Pattern[str]
    origin_from: re.Pattern[str]
    place_end: re.Pattern[str]


@cache
def _words(lang: str) -> _Words:
    g = load(lang).grammar
    return _Words(
        re.compile(g["locative"], re.I), re.compile(g["origin_from"], re.I), re.compile(g["place_end"])
    )


# Counted nouns that imply a country ("citizens" of some state): only these take the
# country that acts in the sentence. Members or fighters may come from anywhere.
_NATIONAL = frozenset(
    {
        "citizens",
        "nationals",
        "people",
        "persons",
        "individuals",
        "families",
        "women",
        "children",
        "returnees",
        "residents",
        "men",
        "adults",
        "minors",
        "ressortissants",
        "personnes",
        "citoyens",
        "familles",
        "femmes",
        "enfants",
        "mineurs",
        "adultes",
        "hommes",
    }
)
# Words of the zone (not of the whole sentence) that say the people come from many countries.
_MULTI_ZONE = re.compile(
    r"\b(home countries|their countries|countries of origin|(more than |over )?\d+ (countries|nations)|around the world|all over the world|nationalities|plusieurs pays|pays d'origine|du monde entier)\b",
    re.I,
)


def _single(codes: set[str]) -> str | None:
    return next(iter(codes)) if len(codes) == 1 else None


def of_figure(
    ctx: _Context,
    s: Sentence,
    m: NumberMention,
    got: Counted,
    ref: Referent | None,
    role: str,
    status: str,
    z: Zones,
) -> str | None:
    text, gaz, lex = ctx.text, ctx.gaz, ctx.lex
    zone = z.all_text()
    np_end = m.end
    if got.kind == "explicit" and got.head is not None and got.end is not None:
        np_end = s.start + got.end.idx + len(got.end.text)
        np_text = text[m.start : np_end]
        codes = {p.code for p in gaz.find(np_text) if p.kind in ("demonym", "country")}
        if len(codes) == 1:
            return _single(codes)  # "Norwegian foreign fighters": foreign fighters from one country
        if codes or lex.multi_origin.search(np_text):
            return None  # several countries, or "foreign" people of none named
    item = _list_item_country(ctx, s, m)
    if item is not None:
        return item or None
    rest = text[np_end : s.end]
    if _MULTI_FROM.match(rest):
        return None
    fm = _words(ctx.lang).origin_from.match(rest)
    if fm:
        place = _words(ctx.lang).place_end.split(rest[fm.end() : fm.end() + 100])[0]
        found = {p.code for p in gaz.find(place) if p.kind == "country"}
        found -= CONFLICT_ZONE  # "repatriated from Syria", "des camps de Syrie": where they are or were
        if found:
            return _single(found)
        if (
            re.match(r"\s*(?:the\s+)?[A-ZÀ-Ý]", place)
            and not gaz.find(place)
            and status not in ("returned", "left")
        ):
            return None  # "hundreds from South-east Asia": a region, several countries
    # "were from Indonesia", "are from Dagestan": a copula and 'from X' in the clause.
    cop = re.search(
        r"\b(?:are|were|is|was|came|come|sont|étaient)\s+(?:all\s+|originally\s+)?from\s+([^,;.]{2,60})",
        rest[:120],
    )
    if cop:
        found = {p.code for p in gaz.find(cop.group(1)) if p.kind == "country"}
        if found:
            return _single(found)
    if status == "returned":
        back = re.search(
            r"\b(?:to|in|home to|back to|back in|en|à|vers)\s+(?:the\s+)?([A-ZÀ-Ý][\w'’.-]*(?:\s+[A-ZÀ-Ý][\w'’.-]*)*)",
            rest[:120],
        )
        if back:
            found = {
                p.code for p in gaz.find(back.group(1)) if p.kind in ("country", "capital")
            } - CONFLICT_ZONE
            if found:
                return _single(found)
    if ref is not None and (got.kind != "explicit" or got.demonstrative):
        return ref.origin
    head = got.head.lower_ if got.head is not None else None
    if ref is not None and head in lex.generic and ref.origin:
        return ref.origin
    if role not in ("militants", "family"):
        return None
    if _MULTI_ZONE.search(zone + " " + text[np_end : s.end]) or (
        head is not None and head not in lex.generic
    ):
        return None
    if head is None or head in _NATIONAL:
        agent = _agent_country(ctx, s, m)
        if agent:
            return agent
    if status == "left" and ctx.default_origin:
        # Where they went is not where they come from: "made it across to Turkey".
        rest_text = text[m.end : s.end]
        went = {p.code for p in gaz.find(rest_text) if _words(ctx.lang).locative.search(rest_text[: p.start])}
        if ctx.default_origin in went:
            return None
    return ctx.default_origin


# Between a country and the number of its list item: "Uzbekistan 1,500", "Kosovo – Total
# 48", "Belgium (470)", "Morocco follows with 1,600", "la Tunisie ... avec 5500".
_ITEM_GAP = re.compile(
    r"\s*(?:[:–—-]\s*)?(?:(?:total|totale|insgesamt|gesamt)\s*[:–—-]?\s*)?"
    r"|\s*\(\s*"
    r"|\s+(?:[\w’'-]+\s+){0,3}(?:with|avec|mit)\s+(?:(?:about|some|around|environ|quelque|rund|etwa)\s+)?",
    re.IGNORECASE,
)


def _list_item_country(ctx: _Context, s: Sentence, m: NumberMention) -> str | None:
    """The country a list item's number stands beside, its origin: each item of a list of
    countries is a figure of its own (its status, scope and source come from the sentence).
    None when the number is no list item; "" when it counts several countries' people."""
    before = ctx.text[s.start : m.start]
    places = ctx.gaz.find(before)
    if not places:
        return None
    after = ctx.text[m.end : m.end + 12].lower()
    if re.match(r"\s*(?:each|apiece|chacun|chacune|jeweils)\b", after):
        last = re.split(r"\d[\d.,\s]*\d|\d", before)[-1]
        several = {q.code for q in ctx.gaz.find(last) if q.kind == "country"} - CONFLICT_ZONE
        if len(several) > 1:
            return ""  # "the Netherlands and Sweden with 250 each": no single origin
    p = places[-1]
    if p.kind != "country" or p.code in CONFLICT_ZONE or not _ITEM_GAP.fullmatch(before[p.end :]):
        return None
    if (
        "(" not in before[p.end :]
        and _words(ctx.lang).locative.search(before[: p.start])
        and not re.search(r"\b(?:de|d['’]|du|des)\s*(?:la\s+|l['’]\s*)?$", before[: p.start])
    ):
        return None  # "200 in Iraq, 60 in Mali": where they are, not where they come from
    return p.code


def _agent_country(ctx: _Context, s: Sentence, m: NumberMention) -> str | None:
    """The country that acts on the counted people in the sentence, named before them."""
    text = ctx.text
    for p in reversed(ctx.gaz.find(text[s.start : m.start])):
        before = text[s.start : s.start + p.start]
        if _words(ctx.lang).locative.search(before):
            continue
        if p.kind == "country" and p.code in CONFLICT_ZONE:
            after = text[s.start + p.end : s.start + p.end + 14]
            if not re.match(r"\s*(?:'s|’s|\w+ed\b|has\b|have\b|still\b|recently\b|a\b|ont\b)", after):
                continue
        return p.code
    return None
