"""Number expressions in English, French and German news: `parse` one, or `find` them all in running text.

A number expression is a core (digits, number words, a fraction, a vague amount such as
"dozens" or "une centaine") with what the text wraps around it: a hedge ("at least", "près de"),
a range ("between 250 and 300", "60-70"), a percent sign, a currency. Each becomes a `Quantity`
with the qualifier and bounds of ../../../shared/eval/SCHEMA.md.

Spelled-out numbers are valued by text2num: it knows how number words combine in each language
("quatre-vingt-dix-sept", "forty five hundred thirty eight"). It does not know the grammar around
them in news (hedges, ranges, vague units, "a hundred", "1.2 million", French "billion",
"two-thirds", "et demi"), nor where a number stops in running text, so that grammar is written
here, once for both languages; the words it needs come from data/<lang>/numbers.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tally.extract._numgrammar import (
    Lang,
    PhraseTable,
    Stream,
    Tok,
    chunk_value,
    longest_value,
    run_of_words,
    split_last,
)
from tally.extract._numgrammar import lang as _lang
from tally.model import NumberMention, Quantity

__all__ = ["find", "parse"]

# Longer digit strings are identifiers, not amounts (the peers' suites go up to 15 digits).
MAX_DIGITS = 15
# Three or more digit groups whose grouping is not thousands ("020 7946 0958") make a phone number.
_PHONE = re.compile(r"\+?\(?\d{1,5}\)?(?:[ .\-]\d{1,5}){2,}")
LOWER = frozenset({"more_than", "at_least"})
UPPER = frozenset({"less_than", "at_most"})
_OR_EQUAL = {"more_than": "at_least", "less_than": "at_most"}


@dataclass(slots=True)
class _Core:
    """The bare number part of a mention, before hedges and ranges are read around it."""

    start: int
    end: int
    nxt: int  # index, in the stream it was read from, of the first token after it
    value: float | None
    low: float | None = None
    high: float | None = None
    qual: str = "exact"
    kind: str = "count"
    raw: float = 0.0  # value before a trailing magnitude, to scale the first number of a range
    mult: float = 1.0
    # What the core still needs from the words before it: "unit" (a lone "hundred" may take
    # "a" or "several"), "unit!" (a lone "dozen" must), "vague" (a quantifier may change its
    # low bound), "fraction!" (a lone "third" needs "a" and a context), "article" (may take one),
    # "one!" (a lone "centaine" needs "une").
    bare: str = ""
    lone_one: bool = False  # French "un"/"une" alone: a number only when used as a pronoun
    span_end: int = 0  # past a currency word after the number ('600 million dollars'), if any


class _Reject(Exception):
    """Not a number expression; scanning resumes at `resume`."""

    def __init__(self, resume: int) -> None:
        self.resume = resume


# --- the bare number ---------------------------------------------------------------------------


def _attached(a: Tok | None, b: Tok | None) -> bool:
    return a is not None and b is not None and b.start == a.end


def _is_ordinal(L: Lang, t: Tok | None) -> bool:
    return (
        t is not None
        and t.kind == "w"
        and (t.norm in L.ordinal_words or (bool(L.ordinal_endings) and t.norm.endswith(L.ordinal_endings)))
    )


_WORD_AFTER = re.compile(r"[ \u00a0\u202f]*([^\W\d_]+)")


def _ordinal_dot(L: Lang, text: str, end: int) -> bool:
    """German '3. Oktober', 'der 2. große Prozess': digits, a dot, then a month or a lower-case
    word make an ordinal (a capitalised word after the dot may start the next sentence)."""
    if L.ordinal_dot_months is None or text[end : end + 1] != ".":
        return False
    m = _WORD_AFTER.match(text, end + 1)
    return (
        m is not None
        and m.start(1) > end + 1
        and (m.group(1)[0].islower() or m.group(1).lower() in L.ordinal_dot_months)
    )


def _check_digits(L: Lang, text: str, t: Tok, second: bool) -> None:
    """Reject digits that belong to a word, an identifier, a time, a date, a phone number or,
    in German, an ordinal."""
    st, en = t.start, t.end
    before = text[st - 1] if st else ""
    before2 = text[st - 2] if st > 1 else ""
    after, after2 = text[en : en + 1], text[en + 1 : en + 2]
    if after in " .-(" and after2.isdigit():
        m = _PHONE.match(text, st)
        if m and m.end() > en:
            raise _Reject(m.end())
    if (
        before.isalnum()
        or before == "_"
        or (before in "-‐" and before2.isalpha() and not second)  # B-21, COVID-19, but 5k-20k
        or (before in ".,:/" and before2.isdigit())
        or (after in ":/." and after2.isdigit())  # 18:41, 9/11, 7.1.2015
        or (len(t.text) > 1 and t.text[0] == "0" and t.text[1].isdigit())
        or sum(c.isdigit() for c in t.text) > MAX_DIGITS
        or _ordinal_dot(L, text, en)
    ):
        raise _Reject(en)


def _digits(L: Lang, text: str, s: Stream, i: int, second: bool) -> tuple[float, float, float, float, int]:
    """Digits at token i with their magnitudes ('1.2 million', '10k', '4 thousand 3 hundred and 21'):
    (value, value before the magnitude, magnitude, last magnitude word's value, next index)."""
    t = s.at(i)
    assert t is not None
    _check_digits(L, text, t, second)
    j, mult, last_mag = i + 1, 1.0, 0.0
    nx = s.at(j)
    if _attached(t, nx) and nx is not None and nx.kind == "w":
        mag = L.suffixes.get(nx.text) or L.magnitude_words.get(nx.norm)
        if not mag:
            raise _Reject(nx.end)  # 21st, 1990s, 4G, 10am, 100km
        mult, j = mag, j + 1
    else:
        while (nx := s.at(j)) is not None and nx.kind == "w":
            mag = L.magnitude_words.get(nx.norm) or (
                L.suffixes[nx.text] if nx.text in L.suffixes_spaced else 0
            )
            if not mag:
                break
            mult, last_mag, j = mult * mag, mag, j + 1
    value = t.value * mult
    if last_mag >= 100:  # what follows a spelled magnitude adds to it, if smaller
        k = j + 1 if (nx := s.at(j)) is not None and nx.norm in ("and", "et", "&") else j
        nk = s.at(k)
        if nk is not None and (nk.kind == "n" or L.is_number_word(nk.norm)):
            try:
                rest = _number(L, text, s, k, second=False)
            except _Reject:
                rest = None
            # '3 hundred and 21', '4 thousand 3 hundred', '3 cent un'; not '3 hundred 21'
            joined = rest is not None and (
                rest.mult > 1 or (last_mag < 1e6 and (k > j or nk.kind == "w"))  # not '2 million and 300'
            )
            if rest is not None and rest.value is not None and rest.value < last_mag and joined:
                value, j = value + rest.value, rest.nxt
    return value, t.value, mult, last_mag, j


def _words(L: Lang, s: Stream, i: int) -> tuple[float, float, float, list[Tok], int]:
    """Number words at token i: (value, value before a last big magnitude, that magnitude, the
    words read, next index)."""
    run = run_of_words(L, s, i)
    value, n = longest_value(L, run)
    run = run[:n]
    mult = L.big[run[-1].norm] if n > 1 and run[-1].norm in L.big else 1.0
    return value, value / mult, mult, run, i + n


def _fraction_after(L: Lang, s: Stream, j: int) -> tuple[str, int] | None:
    """A fraction word at j, maybe after a hyphen: ('thirds', index after it)."""
    t = s.at(j)
    if t is not None and t.norm == "-":
        j += 1
        t = s.at(j)
    if t is None or t.kind != "w" or t.norm not in L.fractions:
        return None
    nx, nx2 = s.at(j + 1), s.at(j + 2)
    if _norm(nx) == "-" and _attached(t, nx) and nx2 is not None and not _is_unit(L, nx2):
        return None  # 'two half-brothers', but 'un demi-million'
    return t.norm, j + 1


def _is_unit(L: Lang, t: Tok) -> bool:
    return t.norm in L.magnitude_words or t.norm in L.unit_nouns


def _magnitude_after(L: Lang, s: Stream, j: int, linked: bool) -> tuple[float, int] | None:
    """A magnitude or unit noun right after a fraction: 'half (a) million', 'demi-douzaine',
    'quart de million'. With `linked`, an article or linker may stand between."""
    t = s.at(j)
    if t is not None and (
        t.norm == "-" or (linked and (t.norm in L.articles_one or t.norm in L.fraction_of))
    ):
        j += 1
        t = s.at(j)
    if t is None or t.kind != "w":
        return None
    mag = L.magnitude_words.get(t.norm) or L.unit_nouns.get(t.norm)
    if mag and t.norm not in L.vague_plurals:
        return mag, j + 1
    return None


def _frac_tail(L: Lang, s: Stream, j: int) -> tuple[float, int] | None:
    """'and a half', 'and three quarters', 'et demi', '-and-a-half': (fraction, index after)."""
    idx: list[int] = []  # the next three tokens that are not hyphens
    k = j
    while len(idx) < 3 and (t := s.at(k)) is not None:
        if t.norm != "-":
            idx.append(k)
        k += 1
    toks = [s.at(x) for x in idx]
    if not toks or toks[0].norm not in ("and", "et", "&"):  # type: ignore[union-attr]
        return None
    num, f = 1.0, 1
    n = toks[1] if len(toks) > 1 else None
    if n is not None and n.kind == "w" and n.norm not in L.fractions:
        if L.is_number_word(n.norm) and n.norm not in L.articles_one:
            try:
                num = chunk_value(L, [n.norm])
            except ValueError:
                return None
        elif n.norm not in L.articles_one and n.norm not in L.fraction_articles:
            return None
        f = 2
    if f >= len(toks) or toks[f].norm not in L.fractions:  # type: ignore[union-attr]
        return None
    return num / L.fractions[toks[f].norm], idx[f] + 1  # type: ignore[union-attr]


def _number(L: Lang, text: str, s: Stream, i: int, second: bool) -> _Core:
    """Digits or number words at token i, with their magnitudes, unit nouns and fractions."""
    t = s.at(i)
    assert t is not None
    run: list[Tok] = []
    last_mag = 0.0
    if t.kind == "n":
        value, raw, mult, last_mag, j = _digits(L, text, s, i, second)
    else:
        value, raw, mult, run, j = _words(L, s, i)
    core = _Core(t.start, s.end(j - 1), j, value, raw=raw, mult=mult)
    if L.interesting(s.at(j)) and _number_tail(L, s, core, run, last_mag):
        return core
    if len(run) == 1:
        if run[0].norm in L.articles_one:
            core.lone_one = True
        elif run[0].norm in L.magnitude_words:
            core.bare = "unit"
    return core


def _number_tail(L: Lang, s: Stream, core: _Core, run: list[Tok], last_mag: float) -> bool:
    """Read what a number may take after it: a fraction ('two-thirds'), a unit noun ('three
    hundred and two dozens'), an approximate noun ('une centaine'), a fractional part ('and a
    half'). Returns whether it took anything; raises _Reject for an ordinal ('twenty-first')."""
    j = core.nxt
    assert core.value is not None
    frac = _fraction_after(L, s, j) if run else None
    if frac is not None:
        word, k = frac
        base, num, scale = split_last(L, run)
        if num != 1 and word in L.ordinal_words:
            raise _Reject(s.end(k - 1))  # twenty-third
        share = num / L.fractions[word]
        after = _magnitude_after(L, s, k, linked=False)
        if base:
            core.value = base + share * scale
        elif after is not None:
            core.value, k = share * after[0], after[1]
        else:
            core.value, core.kind = round(share * 100, 1), "fraction"
        core.end, core.nxt = s.end(k - 1), k
        return True
    nx = s.at(j)
    if nx is not None and nx.norm == "-" and _attached(s.at(j - 1), nx):
        if _is_ordinal(L, s.at(j + 1)):
            raise _Reject(s.end(j + 1))
    elif run and _is_ordinal(L, nx):
        raise _Reject(s.end(j))  # twenty first, vingt-deuxième
    if nx is not None and nx.kind == "w" and nx.norm in L.unit_nouns:
        base, num, _ = split_last(L, run) if run else (0.0, core.value, 1.0)
        core.value = base + num * L.unit_nouns[nx.norm]
        core.end, core.nxt = nx.end, j + 1
        return True
    if nx is not None and nx.kind == "w" and nx.norm in L.approx_nouns:
        core.value, core.qual = core.value * L.approx_nouns[nx.norm], "approx"
        core.end, core.nxt = nx.end, j + 1
        lk = L.linkers.fwd(s, j + 1)  # 'une dizaine de milliers'
        if lk is not None and (u := s.at(lk[1])) is not None and u.norm in L.vague_plurals:
            core.value *= L.vague_units[u.norm]
            core.end, core.nxt = u.end, lk[1] + 1
        return True
    tail = _frac_tail(L, s, j)
    if tail is None:
        return False
    share, j = tail
    scale = last_mag if last_mag >= 1e6 else (L.big.get(run[-1].norm, 1.0) if run else 1.0)
    core.value += share * scale
    if scale == 1.0 and core.mult == 1.0:  # 'five and a half million'
        while (nx := s.at(j)) is not None and nx.kind == "w" and nx.norm in L.magnitude_words:
            core.value *= L.magnitude_words[nx.norm]
            j += 1
    core.end, core.nxt = s.end(j - 1), j
    return True


def _core(L: Lang, text: str, s: Stream, i: int, second: bool = False) -> _Core:
    """The number expression at token i, with its unit, percent sign and currency."""
    t = s.at(i)
    assert t is not None
    w = t.norm
    if t.kind == "w" and t.start > 1 and text[t.start - 1] in "-‐" and text[t.start - 2].isalpha():
        raise _Reject(t.end)  # 'fly-half', 'no-one': part of a compound word
    if t.kind == "w" and w in L.vague_plurals:
        unit, j = L.vague_units[w], i + 1
        while (
            (lk := L.linkers.fwd(s, j)) is not None
            and (u := s.at(lk[1])) is not None
            and u.norm in L.vague_plurals
        ):
            unit, j = unit * L.vague_units[u.norm], lk[1] + 1
        core = _Core(t.start, s.end(j - 1), j, None, low=2 * unit, qual="vague", raw=unit, bare="vague")
        if (c := L.currency_after.fwd(s, j)) is not None:  # 'millions of dollars'
            core.span_end, core.nxt = s.end(c[1] - 1), c[1]
        return core
    if t.kind == "w" and w in L.distributive_dets:  # 'jeder zweite': one in two
        nx = s.at(i + 1)
        if nx is None or nx.norm not in L.distributive_ordinals:
            raise _Reject(t.end)
        share = round(100 / L.distributive_ordinals[nx.norm], 1)
        return _Core(t.start, nx.end, i + 2, share, raw=share, kind="fraction")
    if t.kind == "w" and w in L.fractions:
        return _fraction_core(L, s, i)
    if t.kind == "w" and w in L.unit_nouns and not L.is_run_word(w):
        return _Core(t.start, t.end, i + 1, L.unit_nouns[w], raw=L.unit_nouns[w], bare="unit!")
    if t.kind == "w" and w in L.approx_nouns and not L.is_run_word(w):
        return _Core(t.start, t.end, i + 1, L.approx_nouns[w], qual="approx", bare="one!")
    core = _number(L, text, s, i, second)
    j = core.nxt
    if not L.interesting(s.at(j)):
        return core
    if core.kind == "count" and (p := L.percent.fwd(s, j)) is not None:
        core.kind, core.end, core.nxt = "percent", s.end(p[1] - 1), p[1]
    elif (c := L.currency_after.fwd(s, j)) is not None:
        core.span_end, core.nxt = s.end(c[1] - 1), c[1]  # '600 million dollars': the caller sees the currency
    return core


def _fraction_core(L: Lang, s: Stream, i: int) -> _Core:
    t = s.at(i)
    assert t is not None
    den = L.fractions[t.norm]
    nx = s.at(i + 1)
    after = _magnitude_after(L, s, i + 1, linked=True)
    if after is not None:  # 'half a million', 'demi-douzaine', 'quart de million'
        value = after[0] / den
        return _Core(t.start, s.end(after[1] - 1), after[1], value, raw=value, bare="article")
    if nx is not None and nx.norm == "-" and _attached(t, nx):
        raise _Reject(t.end)  # half-time, quarter-final
    if t.norm in L.fraction_free:
        return _Core(t.start, t.end, i + 1, round(100 / den, 1), kind="fraction", bare="article")
    return _Core(t.start, t.end, i + 1, round(100 / den, 1), kind="fraction", bare="fraction!")


# --- mentions: the core with what stands around it ----------------------------------------------


@dataclass(slots=True)
class _Range:
    opener: int  # index in `before` where the range starts (its opener, or the first number)
    low: float
    high: float
    kind: str
    end: int
    nxt: int
    core_end: int


def _is_number_start(L: Lang, t: Tok | None) -> bool:
    return t is not None and (t.kind == "n" or (t.kind == "w" and L.is_run_word(t.norm)))


def _range(L: Lang, text: str, s: Stream, a: _Core, before: list[Tok], k: int) -> _Range | None:
    """'60 to 70', '7-9', 'between 250 and 300', 'de 30 à 40', '44 mg to 50 mg' after core `a`."""
    op = L.openers.back(before, k)
    allowed, first = (op[0], op[1]) if op else (L.plain_connectors, k)
    j = a.nxt
    t, unit = s.at(j), None
    if t is not None and t.norm == "-" and _attached(s.at(j - 1), t):  # '8- to 16-meter'
        nx = s.at(j + 1)
        if nx is not None and nx.kind == "w":
            j += 1
    elif t is not None and t.kind == "w" and L.connectors.fwd(s, j) is None:
        unit, j = t.norm, j + 1  # a unit repeated on both sides
    c = L.connectors.fwd(s, j)
    if c is None or c[0] not in allowed:
        return None
    jb = c[1] + 1 if _norm(s.at(c[1])) in L.currency_last_chars else c[1]  # '£1.2m-£1.5m'
    if not _is_number_start(L, s.at(jb)):
        return None
    try:
        b = _core(L, text, s, jb, second=True)
    except (_Reject, ValueError):
        return None
    if b.value is None or b.kind == "fraction" or b.qual != "exact" or b.lone_one or b.bare == "unit!":
        return None
    end, nxt = max(b.end, b.span_end), b.nxt
    if unit is not None:
        u = s.at(nxt)
        if u is None or u.norm != unit:
            return None
        end, nxt = u.end, nxt + 1
    assert a.value is not None
    if a.kind == "percent" and b.kind != "percent":
        return None  # 'rose 8% to 4.7 million'
    low = a.raw * b.mult if a.mult == 1 and b.mult > 1 and a.raw < b.raw else a.value
    low = _abbreviated_low(s.at(0), s.at(jb), low, b.value)
    if not low < b.value:
        return None
    kind = b.kind
    return _Range(first, low, b.value, kind, end, nxt, b.end)


def _abbreviated_low(ta: Tok | None, tb: Tok | None, low: float, high: float) -> float:
    """'5-6,000' and '50-100,000' drop the thousands of their first number: 5,000-6,000."""
    if ta is None or tb is None or ta.kind != "n" or tb.kind != "n":
        return low
    if not ta.text.isdigit() or tb.text.isdigit() or ta.value != low or high % 1000:
        return low  # only a bare first number before a grouped round second one
    scaled = low * 1000
    return scaled if high / 10 <= scaled < high else low


def _number_follows(L: Lang, s: Stream, j0: int, j: int) -> bool:
    """Whether the words from j0 (a post hedge ending at j) rather start a bound on a following
    number: '30 and less than 40', 'equal to 5000 or more than 4500'."""
    if _is_number_start(L, s.at(j)):
        return True
    for k in range(j0, j):
        h = L.hedges.fwd(s, k)
        if h is not None and _is_number_start(L, s.at(h[1])):
            return True
    return False


def _norm(t: Tok | None) -> str:
    return t.norm if t is not None else ""


def _context_ok(L: Lang, t: Tok | None) -> bool:
    """A lone 'a third' is a fraction before 'of', a punctuation mark or the end, not 'a third attack'."""
    return t is None or t.kind == "s" or t.norm in L.fraction_of


def _clean(v: float | None) -> float | None:
    if v is None:
        return None
    r = round(v)
    return float(r) if abs(v - r) <= 1e-9 * max(1.0, abs(v)) else round(v, 6)


def _take_words_before(L: Lang, core: _Core, before: list[Tok]) -> int | None:
    """Let a bare core take the article or quantifier before it ('a dozen', 'several hundred',
    'des centaines', 'la moitié'): the index in `before` where the core now starts, or None
    when the core is no number without one."""
    k = len(before)
    prev = before[k - 1] if k else None
    if core.bare in ("unit", "unit!", "vague"):
        q = L.quantifiers.back(before, k)
        if q is not None:
            unit = core.raw if core.bare == "vague" else core.value
            assert unit is not None
            core.value, core.low, core.qual = None, q[0] * unit, "vague"
            return int(q[1])
        if core.bare != "vague" and prev is not None and prev.norm in L.articles_one:
            return k - 1
        return None if core.bare == "unit!" else k
    if core.bare == "one!":  # 'la quarantaine' is a quarantine; 'une quarantaine' about forty
        return k - 1 if prev is not None and prev.norm in L.articles_one else None
    if core.bare in ("article", "fraction!"):
        if core.kind == "fraction" and _is_ordinal(L, prev):
            return None  # 'the second half'
        if prev is not None and (prev.norm in L.fraction_articles or prev.norm in L.articles_one):
            return k - 1
        return None if core.bare == "fraction!" else k
    return k


def _post_hedge(L: Lang, s: Stream, nxt: int) -> tuple[str | None, bool, int]:
    """'or so', 'or more', 'ou plus', 'or equal to' after a number: (qualifier, or-equal, next index)."""
    post_q, or_equal = None, False
    if (oe := L.or_equal.fwd(s, nxt)) is not None and not _number_follows(L, s, nxt, oe[1]):
        or_equal, nxt = True, oe[1]
    if (p := L.post_hedges.fwd(s, nxt)) is not None and not _number_follows(L, s, nxt, p[1]):
        post_q, nxt = p
    return post_q, or_equal, nxt


def _may_continue(L: Lang, s: Stream, nxt: int) -> bool:
    """Whether the words after a core may belong to its expression: a cheap test first."""
    t = s.at(nxt)
    if L.interesting(t):
        return True
    c = s.at(nxt + 1)  # '44 mg to 50 mg'
    return (
        t is not None
        and t.kind == "w"
        and c is not None
        and c.norm in L.connectors.first_words
        and _is_number_start(L, s.at(nxt + 2))
    )


def _mention_at(L: Lang, text: str, a: int, floor: int, loose: bool) -> tuple[NumberMention | None, int]:
    """The mention whose core starts at `a` (None if there is none), and where scanning resumes.
    Nothing before `floor` (the end of the previous mention) is read."""
    s = L.stream(text, a)
    try:
        core = _core(L, text, s, 0)
    except _Reject as r:
        return None, r.resume
    except ValueError:
        return None, s.end(0)
    start = core.start
    if (
        _norm(s.at(0))[:1].isdigit()
        and start > floor
        and (text[start - 1] in L.currency_last_chars or text[start - 2 : start - 1] in L.currency_last_chars)
        and (cur := L.currency_before.search(text, max(floor, start - 6), start))
    ):
        start = cur.start()
    before = L.tokens_before(text, start, floor) if L.worth_looking_back(text, start, floor) else []
    k = _take_words_before(L, core, before)
    if k is None:
        return None, core.end
    core_start = before[k].start if k < len(before) else core.start
    more = _may_continue(L, s, core.nxt)
    rng = None
    if (
        more
        and core.value is not None
        and core.qual == "exact"
        and core.kind != "fraction"
        and not core.lone_one
    ):
        rng = _range(L, text, s, core, before, k)
    hk = rng.opener if rng else k
    hedge_q = None
    if (h := L.hedges.back(before, hk)) is not None:
        hedge_q, hk = h
    end, nxt = (rng.end, rng.nxt) if rng else (max(core.end, core.span_end), core.nxt)
    post_q, or_equal = None, False
    if rng is None and more:
        post_q, or_equal, nxt = _post_hedge(L, s, nxt)
        if or_equal or post_q:
            end = s.end(nxt - 1)
            if hedge_q is None and not before:  # the cheap test skips determiners
                before = L.tokens_before(text, start, floor)
                hk = len(before)
            if hedge_q is None and hk and before[hk - 1].norm in L.postfix_determiners:
                hk -= 1  # 'the 300 or so'
    if core.lone_one and not (loose or hedge_q or _norm(s.at(nxt)) in L.pronoun_followers):
        return None, core.end
    if core.bare == "fraction!" and not (hedge_q or _context_ok(L, s.at(nxt))):
        return None, core.end
    if rng is not None:
        quantity = Quantity(None, _clean(rng.low), _clean(rng.high), "range", rng.kind)
    else:
        qual = core.qual
        if qual != "vague":  # a hedge on 'hundreds' leaves it vague
            qual = post_q or hedge_q or qual
            qual = _OR_EQUAL.get(qual, qual) if or_equal else qual
        quantity = Quantity(_clean(core.value), _clean(core.low), _clean(core.high), qual, core.kind)
    start = before[hk].start if hk < len(before) else start
    core_end = rng.core_end if rng else core.end
    mention = NumberMention(start, end, text[start:end], quantity, core_start, core_end)
    return mention, end


def _gap_is(L: Lang, text: str, a: int, b: int, table: PhraseTable, commas: bool) -> bool:
    """Whether text[a:b] is exactly one phrase of `table` (with optional commas around it)."""
    s = L.stream(text, a, b)
    i = 1 if commas and (t := s.at(0)) is not None and t.norm == "," else 0
    r = table.fwd(s, i)
    if r is None:
        return False
    i = r[1]
    if commas and (t := s.at(i)) is not None and t.norm == ",":
        i += 1
    return s.at(i) is None


def _merged(L: Lang, text: str, p: NumberMention, m: NumberMention) -> NumberMention | None:
    """'more than 10 and less than 40' -> a range; 'hundreds, if not thousands' -> one vague amount."""
    a, b = p.quantity, m.quantity
    q = None
    if a.kind == b.kind and a.value is not None and b.value is not None:
        if a.qualifier in LOWER and b.qualifier in UPPER and a.value < b.value:
            q = Quantity(None, a.value, b.value, "range", a.kind)
        elif a.qualifier in UPPER and b.qualifier in LOWER and b.value < a.value:
            q = Quantity(None, b.value, a.value, "range", a.kind)
        if q is not None and not _gap_is(L, text, p.end, m.start, L.bound_joiners, commas=False):
            q = None
    elif (
        a.qualifier == "vague"
        and b.qualifier == "vague"
        and _gap_is(L, text, p.end, m.start, L.escalators, commas=True)
    ):
        q = Quantity(None, a.low, None, "vague", a.kind)
    if q is None:
        return None
    return NumberMention(p.start, m.end, text[p.start : m.end], q, p.core_start, m.core_end)


def _find(text: str, lang: str, loose: bool) -> list[NumberMention]:
    L = _lang(lang)
    out: list[NumberMention] = []
    pos = 0
    search = L.anchor_re.search
    while (m := search(text, pos)) is not None:
        mention, resume = _mention_at(L, text, m.start(), out[-1].end if out else 0, loose)
        pos = max(resume, m.end())
        if mention is None:
            continue
        if out and (merged := _merged(L, text, out[-1], mention)) is not None:
            out[-1] = merged
        else:
            out.append(mention)
    return out


def find(text: str, lang: str = "en") -> list[NumberMention]:
    """Every number expression in `text`, in order, without overlaps.

    A mention's span holds its hedge, range opener and currency sign ("at least 27,000",
    "between 250 and 300", "$2,000"); `core_start`/`core_end` hold the number itself. Ordinals,
    numbers inside words or identifiers (B-21, COVID-19, G7), times, and phone numbers are not
    reported; dates and years are, for the caller to judge.
    """
    return _find(text, lang, loose=False)


def parse(expr: str, lang: str = "en") -> Quantity | None:
    """The quantity one expression states ("at least 27,000", "une centaine", "two-thirds"),
    or None when it holds no number."""
    found = _find(expr, lang, loose=False) or _find(expr, lang, loose=True)  # loose: a lone "un"
    if found:
        return found[0].quantity
    return None
