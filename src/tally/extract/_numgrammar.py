"""Per-language vocabulary for the number normaliser, compiled once, and the value of number words.

Private to `tally.extract.numbers`. The vocabulary lives in `data/<lang>/numbers.json`; this
module turns it into a tokenizer, an anchor regex and phrase tables, and holds nothing
language-specific itself. Phrases in the data are written as plain text and matched token by
token, case-folded, so a hedge like "jusqu'à" or "plus de" matches "jusqu’à" or "plus d’"
without a regex per phrase. Runs of number words are valued by text2num, chunk by chunk.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from text_to_num import text2num

from tally.errors import ConfigError

_DATA = Path(__file__).parent / "data"
_SPACE_CHARS = " \u00a0\u202f\u2009"
WILD = "*"


@dataclass(slots=True)
class Tok:
    """One token: `n` digits (with `value`), `w` word, `s` any other single character."""

    kind: str
    text: str
    norm: str
    start: int
    end: int
    value: float = 0.0


def _trie_regex(words: list[str]) -> str:
    """An alternation of `words` factored on common prefixes, so the scanner stays fast."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def _expand(phrase: str) -> list[str]:
    """'supérieur(e)(s) à' -> its four spellings; '(a|b) c' -> 'a c', 'b c'."""
    options: list[list[str]] = []
    pos = 0
    for m in re.finditer(r"\(([^)]*)\)", phrase):
        options.append([phrase[pos : m.start()]])
        alts = m.group(1).split("|")
        attached = m.start() > 0 and (phrase[m.start() - 1].isalpha() or phrase[m.start() - 1] == ")")
        options.append(([""] if attached and len(alts) == 1 else []) + alts)
        pos = m.end()
    options.append([phrase[pos:]])
    return [" ".join("".join(p).split()) for p in itertools.product(*options)]


class PhraseTable:
    """Multi-word phrases with a payload, matched on tokens backward (ending at a position) or forward."""

    def __init__(self, lang: Lang, entries: list[tuple[str, Any]]) -> None:
        self._lang = lang
        self._by_last: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        self._by_first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        for phrase, payload in entries:
            for variant in _expand(phrase):
                words = tuple(t.norm for t in lang.tokenize(variant))
                if words:
                    self._by_last.setdefault(words[-1], []).append((words, payload))
                    self._by_first.setdefault(words[0], []).append((words, payload))
        key = lambda e: (-len(e[0]), e[0].count(WILD))  # noqa: E731 - longest, then most specific, first
        for table in (self._by_last, self._by_first):
            for lst in table.values():
                lst.sort(key=key)
        self.last_words = frozenset(self._by_last)
        self.first_words = frozenset(self._by_first)

    def _ok(self, tok: Tok | None, word: str) -> bool:
        if tok is None:
            return False
        if word == WILD:
            return tok.kind == "w"
        return tok.norm == word or self._lang.equiv.get(tok.norm) == word

    def _candidates(self, table: dict[str, list[Any]], tok: Tok) -> list[Any]:
        found = table.get(tok.norm, [])
        alt = self._lang.equiv.get(tok.norm)
        return found + table.get(alt, []) if alt else found

    def back(self, toks: list[Tok], end: int) -> tuple[Any, int] | None:
        """The longest phrase made of toks[k:end]; returns (payload, k)."""
        if end <= 0:
            return None
        for words, payload in self._candidates(self._by_last, toks[end - 1]):
            k = end - len(words)
            if k >= 0 and all(self._ok(toks[k + j], w) for j, w in enumerate(words)):
                return payload, k
        return None

    def fwd(self, toks: Stream, i: int) -> tuple[Any, int] | None:
        """The longest phrase starting at toks[i]; returns (payload, index after it)."""
        tok = toks.at(i)
        if tok is None:
            return None
        for words, payload in self._candidates(self._by_first, tok):
            if all(self._ok(toks.at(i + j), w) for j, w in enumerate(words)):
                return payload, i + len(words)
        return None


class Stream:
    """The tokens of a text from a position on, read lazily."""

    __slots__ = ("_it", "_lang", "_toks")

    def __init__(self, lang: Lang, text: str, pos: int, endpos: int | None = None) -> None:
        self._lang = lang
        self._it = lang.token_re.finditer(text, pos, len(text) if endpos is None else endpos)
        self._toks: list[Tok] = []

    def at(self, i: int) -> Tok | None:
        toks = self._toks
        if i < len(toks):
            return toks[i]
        while len(toks) <= i:
            m = next(self._it, None)
            if m is None:
                return None
            toks.append(self._lang.make_tok(m))
        return toks[i]

    def end(self, i: int) -> int:
        """The end offset of token i, which must exist."""
        tok = self.at(i)
        assert tok is not None
        return tok.end


class Lang:
    """One language's vocabulary, compiled."""

    def __init__(self, code: str, data: dict[str, Any]) -> None:
        self.code = code

        def g(key: str) -> Any:
            return data[key]

        self.elisions: dict[str, str] = data.get("elisions", {})
        self.equiv: dict[str, str] = data.get("equivalents", {})
        self._group_seps = [
            (f"t{i}", re.compile("[" + re.escape(_SPACE_CHARS if sep == " " else sep) + "]"))
            for i, sep in enumerate(g("thousands_separators"))
        ]
        self.token_re = re.compile(
            r"\s*(?:(?P<n>" + self._number_pattern(g("thousands_separators"), g("decimal_separators")) + r")"
            r"|(?P<w>[^\W\d_]+(?:['’](?=[^\W\d_]))?)|(?P<s>\S))"
        )
        low = lambda xs: [x.lower() for x in xs]  # noqa: E731
        self.number_words = frozenset(low(g("number_words")))
        self.aliases: dict[str, str] = data.get("number_aliases", {})
        self.joiners = frozenset(g("number_joiners"))
        self.articles_one = frozenset(g("articles_as_one"))
        self.big: dict[str, float] = g("big_magnitudes")
        self.magnitude_words: dict[str, float] = g("magnitude_words")
        self.suffixes: dict[str, float] = g("magnitude_suffixes")
        self.suffixes_spaced = frozenset(g("magnitude_suffixes_spaced"))
        self.ordinal_words = frozenset(low(g("ordinal_words")))
        self.ordinal_endings = tuple(g("ordinal_endings"))
        self.fractions: dict[str, int] = g("fractions")
        self.fraction_free = frozenset(g("fraction_free"))
        self.fraction_articles = frozenset(self._norm_words(g("fraction_articles")))
        self.fraction_of = frozenset(self._norm_words(g("fraction_of")))
        self.unit_nouns: dict[str, float] = g("unit_nouns")
        self.vague_units: dict[str, float] = g("vague_units")
        self.vague_plurals = frozenset(g("vague_plurals"))
        self.approx_nouns: dict[str, float] = g("approx_nouns")
        self.pronoun_followers = frozenset(self._norm_words(g("pronoun_followers")))
        self.run_words = self.number_words | frozenset(self.big)
        # German writes numbers below a million as one word ('dreihundertzwanzig'): a word made
        # only of these pieces is a number word too, valued by text2num like any other.
        morphemes = sorted(data.get("compound_morphemes", []), key=len, reverse=True)
        self.compound_re = (
            re.compile("(?:" + "|".join(map(re.escape, morphemes)) + "){2,}", re.IGNORECASE)
            if morphemes
            else None
        )
        distributive = data.get("distributive", {})
        self.distributive_dets = frozenset(distributive.get("determiners", []))
        self.distributive_ordinals: dict[str, int] = distributive.get("ordinals", {})
        ordinal_dot = data.get("ordinal_dot")
        self.ordinal_dot_months = frozenset(ordinal_dot["months"]) if ordinal_dot else None
        self.quantifiers = PhraseTable(self, list(g("vague_quantifiers").items()))
        self.linkers = PhraseTable(self, [(w, True) for w in g("vague_linkers")])
        self.escalators = PhraseTable(self, [(w, True) for w in g("vague_escalators")])
        self.hedges = PhraseTable(self, [(p, q) for q, ps in g("hedges").items() for p in ps])
        self.post_hedges = PhraseTable(self, [(p, q) for q, ps in g("post_hedges").items() for p in ps])
        self.or_equal = PhraseTable(self, [(p, True) for p in g("or_equal")])
        self.percent = PhraseTable(self, [(p, True) for p in g("percent")])
        self.currency_after = PhraseTable(self, [(p, True) for p in g("currency_after")])
        key = lambda phrase: " ".join(t.norm for t in self.tokenize(phrase))  # noqa: E731
        openers = g("range_openers")
        self.openers = PhraseTable(self, [(o, frozenset(map(key, cs))) for o, cs in openers.items()])
        self.plain_connectors = frozenset(map(key, g("range_connectors")))
        connectors = set(g("range_connectors")) | {c for cs in openers.values() for c in cs}
        self.connectors = PhraseTable(self, [(c, key(c)) for c in sorted(connectors)])
        self.bound_joiners = PhraseTable(self, [(c, True) for c in g("bound_joiners")])
        self.postfix_determiners = frozenset(self._norm_words(g("postfix_determiners")))
        self.currency_last_chars = frozenset(c[-1] for c in g("currency_before"))
        self.currency_before = re.compile(
            r"(?<![^\W\d_])(?:"
            + "|".join(re.escape(c) for c in sorted(g("currency_before"), key=len)[::-1])
            + r")"
            r"[" + _SPACE_CHARS + r"]?\Z"
        )
        # Words that may start a number expression; digits start one too.
        anchors = sorted(
            self.run_words
            | frozenset(self.fractions)
            | frozenset(self.unit_nouns)
            | self.vague_plurals
            | frozenset(self.approx_nouns)
            | self.distributive_dets
        )
        compound = f"|{self.compound_re.pattern}(?!\\w)" if self.compound_re else ""
        self.anchor_re = re.compile(
            r"(?<!\w)(?:\d|" + _trie_regex(anchors) + r"(?!\w)" + compound + ")", re.IGNORECASE
        )
        # The words a hedge, opener or quantifier can end with: a cheap test before a backward match.
        self.back_words = (
            self.hedges.last_words
            | self.openers.last_words
            | self.quantifiers.last_words
            | self.articles_one
            | self.fraction_articles
            | frozenset(self.ordinal_words)
        )

        # The words that may follow a number and change it: a cheap test before a forward match.
        self.fwd_words = frozenset(
            {w.lower() for w in self.magnitude_words}
            | {w.lower() for w in self.suffixes}
            | set(self.unit_nouns)
            | set(self.approx_nouns)
            | set(self.fractions)
            | self.joiners
            | self.ordinal_words
            | self.run_words
            | self.percent.first_words
            | self.currency_after.first_words
            | self.connectors.first_words
            | self.or_equal.first_words
            | self.post_hedges.first_words
        )

    def is_compound(self, norm: str) -> bool:
        """Whether a word is a number written as one compound ('zweihundertfünfzig')."""
        return self.compound_re is not None and self.compound_re.fullmatch(norm) is not None

    def is_number_word(self, norm: str) -> bool:
        return norm in self.number_words or self.is_compound(norm)

    def is_run_word(self, norm: str) -> bool:
        """Whether a word may be part of a run of number words (number words and big magnitudes)."""
        return norm in self.run_words or self.is_compound(norm)

    def interesting(self, t: Tok | None) -> bool:
        """Whether token `t`, right after a number, may belong to its expression."""
        if t is None:
            return False
        n = t.norm
        return (
            n in self.fwd_words
            or self.equiv.get(n, "") in self.fwd_words
            or (t.kind == "w" and bool(self.ordinal_endings) and n.endswith(self.ordinal_endings))
            or (t.kind == "w" and self.is_compound(n))
        )

    @staticmethod
    def _number_pattern(thousands: list[str], decimals: list[str]) -> str:
        """Digits with grouped thousands or a decimal part, in this language's conventions."""
        alts = []
        for i, sep in enumerate(thousands):
            sep_cls = "[" + re.escape(_SPACE_CHARS if sep == " " else sep) + "]"
            dec = "".join(re.escape(d) for d in decimals if d != sep)
            alts.append(rf"(?P<t{i}>\d{{1,3}}(?:{sep_cls}\d{{3}})+(?!\d))(?:[{dec}]\d+)?")
        dec_all = "".join(re.escape(d) for d in decimals)
        alts.append(rf"\d+(?:[{dec_all}]\d+)?")
        return "|".join(alts)

    def _norm_words(self, words: list[str]) -> list[str]:
        return [t.norm for w in words for t in self.tokenize(w)]

    def make_tok(self, m: re.Match[str]) -> Tok:
        kind = m.lastgroup or "s"
        start, end = m.start(kind), m.end(kind)
        text = m.string[start:end]
        if kind == "n":
            digits = text
            for name, sep_re in self._group_seps:
                if m.group(name):
                    digits = sep_re.sub("", text)
                    break
            return Tok("n", text, text, start, end, float(digits.replace(",", ".")))
        norm = text.lower().replace("’", "'")
        return Tok(kind, text, self.elisions.get(norm, norm), start, end)

    def tokenize(self, text: str) -> list[Tok]:
        return [self.make_tok(m) for m in self.token_re.finditer(text)]

    def tokens_before(self, text: str, pos: int, floor: int = 0, window: int = 60) -> list[Tok]:
        """The tokens between `floor` and `pos`, at most `window` characters back (a token the
        window cuts is dropped)."""
        start = max(floor, pos - window)
        toks = []
        for m in self.token_re.finditer(text, start):  # no endpos: "d’" must see the letter after it
            if m.end() > pos:
                break
            toks.append(self.make_tok(m))
        return toks[1:] if start > floor and toks else toks

    def worth_looking_back(self, text: str, pos: int, floor: int) -> bool:
        """Whether the word before `pos` could end a hedge, opener, quantifier or article: a cheap
        test that spares tokenising the words before most numbers."""
        j = pos - 1
        while j >= floor and text[j].isspace():
            j -= 1
        if j < floor:
            return False
        end = j + 1
        if text[j] in "'’" and j > floor and text[j - 1].isalpha():
            j -= 1
        if text[j].isalpha():
            while j >= floor and text[j].isalpha():
                j -= 1
        else:
            j -= 1
        norm = text[j + 1 : end].lower().replace("’", "'")
        norm = self.elisions.get(norm, norm)
        return norm in self.back_words or self.equiv.get(norm, "") in self.back_words

    def stream(self, text: str, pos: int, endpos: int | None = None) -> Stream:
        return Stream(self, text, pos, endpos)


# --- spelled-out numbers -----------------------------------------------------------------------


@lru_cache(maxsize=4096)
def t2n(code: str, words: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> float:
    """text2num on normalised words ('fifty', '-', 'two' -> 'fifty-two'); ValueError if it fails."""
    amap = dict(aliases)
    parts: list[str] = []
    for w in words:
        if w == ",":
            continue
        if w == "-" and parts:
            parts[-1] += "-"
            continue
        w = "and" if w == "&" else amap.get(w, w)
        if parts and parts[-1].endswith("-"):
            parts[-1] += w
        else:
            parts.append(w)
    try:
        return float(text2num(" ".join(parts), code))
    except Exception as exc:  # text2num raises ValueError and Rust panics alike
        raise ValueError(words) from exc


def chunk_value(L: Lang, words: list[str]) -> float:
    """The value of number words below the big magnitudes, joiners at either end ignored."""
    while words and (words[0] in L.joiners or words[0] == ","):
        words = words[1:]
    while words and (words[-1] in L.joiners or words[-1] == ","):
        words = words[:-1]
    if not words:
        raise ValueError(words)
    if len(words) == 1 and words[0] in L.articles_one:
        return 1.0
    return t2n(L.code, tuple(words), tuple(L.aliases.items()))


def words_value(L: Lang, words: list[str]) -> float:
    """The value of a run of number words; millions and above are split off here (text2num
    stops at billions in English and has no French "billion")."""
    total, chunk, last = 0.0, [], math.inf
    for w in words:
        mag = L.big.get(w)
        if mag is None:
            chunk.append(w)
            continue
        if mag >= last:
            raise ValueError(words)
        has_words = any(c not in L.joiners and c != "," for c in chunk)
        total += (chunk_value(L, chunk) if has_words else 1.0) * mag
        last, chunk = mag, []
    if any(c not in L.joiners and c != "," for c in chunk):
        rest = chunk_value(L, chunk)
        if rest >= last:
            raise ValueError(words)
        total += rest
    return total


def run_of_words(L: Lang, s: Stream, i: int) -> list[Tok]:
    """The number words from token i on, with the joiners between them ('vingt-et-un')."""
    toks: list[Tok] = []
    j = i
    while (t := s.at(j)) is not None:
        if t.kind == "w" and L.is_run_word(t.norm):
            toks.append(t)
            j += 1
            continue
        if not toks or not (
            t.norm in L.joiners or (t.norm == "," and L.magnitude_words.get(toks[-1].norm, 0) >= 1000)
        ):
            break
        k = j + 1
        while (nx := s.at(k)) is not None and nx.norm in L.joiners and k < j + 3:
            k += 1
        if nx is None or nx.kind != "w" or not L.is_run_word(nx.norm) or nx.norm in L.vague_plurals:
            break
        toks.extend(s.at(x) for x in range(j, k))  # type: ignore[misc]
        j = k
    return toks


def longest_value(L: Lang, toks: list[Tok]) -> tuple[float, int]:
    """The longest prefix of a word run that reads as one number: (value, its length)."""
    n = len(toks)
    while n:
        while n and (toks[n - 1].norm in L.joiners or toks[n - 1].norm == ","):
            n -= 1
        try:
            return words_value(L, [t.norm for t in toks[:n]]), n
        except ValueError:
            n -= 1
    raise ValueError(toks)


def split_last(L: Lang, toks: list[Tok]) -> tuple[float, float, float]:
    """'three hundred and two' before 'dozens' or 'quarters': (base 300, last part 2, scale).
    A unit noun or fraction applies to the part after the last magnitude word, or to the
    whole run when nothing follows that word; scale is the base's big magnitude, if any."""
    words = [t.norm for t in toks]
    for k in range(len(words) - 2, -1, -1):
        if words[k] in L.magnitude_words:
            rest = words[k + 1 :]
            if not any(w not in L.joiners for w in rest):
                break
            try:
                base, small = words_value(L, words[: k + 1]), words_value(L, rest)
            except ValueError:
                break
            return base, small, L.big.get(words[k], 1.0)
    return 0.0, words_value(L, words), 1.0


@cache
def lang(code: str) -> Lang:
    """The compiled vocabulary of language `code` ("en", "fr")."""
    path = _DATA / code / "numbers.json"
    if not path.exists():
        known = ", ".join(sorted(p.parent.name for p in _DATA.glob("*/numbers.json")))
        raise ConfigError(f"no number vocabulary for language {code!r}: use one of {known}, or add {path}")
    data = json.loads(path.read_text(encoding="utf-8"))
    return Lang(code, data)
