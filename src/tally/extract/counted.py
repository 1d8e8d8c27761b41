"""What a number counts: the people noun after it, or, when the text leaves it out,
the people it refers back to.

"1,490 Frenchmen" counts Frenchmen; "thousands of foreign nationals" and "30 names of
French nationals" count nationals through 'of'; "Some 300 of them" and "500 are presumed
dead" count people named earlier (an anaphor, an ellipsis). A number followed by a noun
that is not people ("15 attacks", "110 nations") is no figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tally.extract.lexicon import Lexicon
from tally.extract.places import Gazetteer

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

# How far after a number its noun may stand: "four other Norwegian women" is four tokens.
MAX_MODIFIERS = 5
_DETERMINERS = frozenset(
    {
        "the",
        "all",
        "these",
        "those",
        "them",
        "whom",
        "which",
        "its",
        "their",
        "les",
        "des",
        "ces",
        "eux",
        "elles",
        "lesquels",
        "lesquelles",
    }
)
# Words that may stand between a number and its noun: '48 “high-value” detainees'.
_QUOTES = frozenset({"“", "”", '"', "«", "»", "‘", "’", "'"})
_MODIFIER_WORDS = frozenset({"other", "more", "former", "suspected", "alleged", "-", "‐"}) | _QUOTES


@dataclass(slots=True)
class Counted:
    """The counted noun phrase of a number, or how to find it."""

    kind: str  # "explicit" | "anaphor" | "elliptical" | "none"
    head: Token | None = None
    tokens: list[Token] = field(default_factory=list)
    text: str | None = None
    end: Token | None = None  # last token of the phrase ("women and children": children)
    demonstrative: bool = False  # "12 of those Americans": explicit, but refers back too
    relative: str | None = None  # "half of whom": the pronoun, whose antecedent is right before


def is_people(tok: Token, lex: Lexicon, gaz: Gazetteer) -> bool:
    """Whether a token is a noun that counts people."""
    low = tok.lower_
    if low in lex.role_of:
        return True
    hit = gaz.kind.get(tok.text) or gaz.by_upper.get(tok.text.upper())
    # A demonym counts people when it is a plural noun ("Russians", "Frenchmen"), not an adjective.
    plural = tuple(lex.grammar["demonym_plural_endings"])
    return bool(hit and hit[1] == "demonym" and tok.pos_ in ("NOUN", "PROPN") and low.endswith(plural))


def _modifier(tok: Token) -> bool:
    if tok.pos_ in ("ADJ", "NOUN", "PROPN"):
        return True
    if tok.tag_ in ("VBN", "VBG") and tok.dep_ in ("amod", "compound", "nmod"):
        return True
    return tok.lower_ in _MODIFIER_WORDS


def _dash(tok: Token) -> bool:
    """A hyphen with spaces around it is a dash ("40 fighters - nine men"), not the
    hyphen inside a word."""
    return (
        tok.text in ("-", "‐")
        and tok.i > 0
        and bool(tok.doc[tok.i - 1].whitespace_)
        and bool(tok.whitespace_)
    )


def _run(sp: SpacyDoc, start: int, lex: Lexicon, gaz: Gazetteer, skip: set[int]) -> Counted | None:
    """Read a noun phrase from token `start`: the last people noun of its modifier run."""
    j, head, last_noun = start, None, None
    toks: list[Token] = []
    quoted = False  # inside quotation marks
    while j < len(sp) and len(toks) < MAX_MODIFIERS + 2:
        t = sp[j]
        if head is not None and t.i not in skip and (t.like_num or _dash(t)):
            break  # "40 fighters - nine men, ...": a new count after the people noun
        if t.i in skip or t.like_num or t.is_space:
            j += 1
            continue
        if not _modifier(t):
            break
        if t.lower_ in _QUOTES:
            quoted = not quoted
            j += 1
            continue
        if not toks and t.lower_ in lex.anaphoric_nouns:
            return Counted("anaphor")  # "Four others face warrants": others of those counted before
        toks.append(t)
        nxt = sp[j + 1] if j + 1 < len(sp) else None
        # English puts adjectives first: "national income" is an adjective; French does not.
        adjective = (
            t.pos_ == "ADJ" and nxt is not None and nxt.pos_ == "NOUN" and lex.grammar["adjective_first"]
        )
        # Quoted family words are figures of speech ('three large “families”'); a quoted
        # term of art is not ('138 « returnees »').
        scare = quoted and lex.role_of.get(t.lower_) == "family"
        if is_people(t, lex, gaz) and not adjective and not scare:
            head = last_noun = t
        elif t.pos_ in ("NOUN", "PROPN"):
            last_noun = t
            if head is not None:
                # "member countries": the people word only qualified a thing.
                if t.lower_ in lex.not_people:
                    head = None
                break  # "French soldiers desert ...": a noun after the people noun ends it
        j += 1
    if head is None:
        if last_noun is not None and last_noun.lower_ in lex.containers:
            return _after_of(sp, last_noun.i + 1, lex, gaz, skip)
        return Counted("none", tokens=toks) if last_noun is not None else None
    if head.lower_ in lex.containers and head.i + 1 < len(sp) and _is_of(sp[head.i + 1], lex):
        inner = _after_of(sp, head.i + 1, lex, gaz, skip)
        if inner and inner.kind == "explicit":
            return inner
    np = [t for t in toks if t.i <= head.i]
    first = np[0].i if np else head.i
    end = head
    for t in toks:  # "ressortissants français": adjectives after the noun belong to it
        if t.i == end.i + 1 and t.pos_ in ("ADJ", "PROPN"):
            end = t
    # "women and children", "citizens or residents": one counted group.
    k = head.i + 1
    if k + 1 < len(sp) and sp[k].lower_ in ("and", "or", "et", "ou") and is_people(sp[k + 1], lex, gaz):
        end = sp[k + 1]
        while (
            not lex.grammar["adjective_first"]
            and end.i + 1 < len(sp)
            and (sp[end.i + 1].pos_ == "ADJ" or sp[end.i + 1].dep_ == "amod")
            and sp[end.i + 1].i not in skip
        ):
            end = sp[end.i + 1]  # "femmes et enfants irakiens": the adjective is both nouns'
    return Counted("explicit", head=head, tokens=np, text=sp[first : end.i + 1].text, end=end)


def _after_of(sp: SpacyDoc, i: int, lex: Lexicon, gaz: Gazetteer, skip: set[int]) -> Counted | None:
    """Read 'of them', 'of those Americans', 'of foreign nationals' from the 'of' token."""
    if i >= len(sp) or not (_is_of(sp[i], lex) or sp[i].lower_ == "out"):
        return None
    j = i + 1
    while j < len(sp) and (_is_of(sp[j], lex) or sp[j].lower_ in ("entre",)):
        j += 1  # "out of", "d'entre eux"
    # "sept des femmes", "12 of the Americans": of people the text has already spoken of.
    demonstrative = sp[i].lower_ in ("des", "du") or (
        i + 1 < len(sp) and sp[i + 1].lower_ in ("the", "les", "ces")
    )
    relative = None
    while j < len(sp) and (sp[j].is_space or sp[j].lower_ in _DETERMINERS):
        if sp[j].lower_ in lex.anaphors:
            demonstrative = True
            if sp[j].lower_ in ("whom", "which"):
                relative = sp[j].lower_
        j += 1
    if j < len(sp):
        inner = _run(sp, j, lex, gaz, skip)
        if inner and inner.kind == "explicit":
            inner.demonstrative = demonstrative
            return inner
        if inner and inner.kind == "anaphor":
            return inner  # "des dizaines d'autres"
    if demonstrative:
        return Counted("anaphor", relative=relative)
    return None


def _is_of(tok: Token, lex: Lexicon) -> bool:
    """'of' in English; 'des', 'de', "d'" in French: the partitive that links a number to a noun."""
    return tok.lower_ in lex.grammar["partitive"] and tok.lower_ not in ("among", "including", "parmi")


def find(sp: SpacyDoc, after: int, lex: Lexicon, gaz: Gazetteer, skip: set[int]) -> Counted:
    """The counted phrase of a number whose expression ends before token `after`.

    An explicit or anaphoric Counted; Counted("elliptical") when no noun follows the
    number; Counted("none") when a noun that is not people follows it.
    """
    while after < len(sp) and sp[after].is_space:
        after += 1
    if after >= len(sp):
        return Counted("elliptical")
    if _is_of(sp[after], lex) or sp[after].lower_ == "out":
        return _after_of(sp, after, lex, gaz, skip) or Counted("none")
    got = _run(sp, after, lex, gaz, skip)
    if got is None:
        return Counted("elliptical")
    if got.kind == "explicit":
        return got
    # "a 40 per cent rise in those flagged": the change of a group of people counted before.
    k = got.tokens[-1].i + 1 if got.tokens else after
    if k + 1 < len(sp) and sp[k].lower_ in ("in", "of", "among") and sp[k + 1].lower_ in lex.anaphors:
        return Counted("anaphor")
    if k < len(sp) and _is_of(sp[k], lex):
        inner = _after_of(sp, k, lex, gaz, skip)
        if inner:
            return inner
    return got


def antecedent_is_people(sp: SpacyDoc, before: int, lex: Lexicon, gaz: Gazetteer) -> bool:
    """For 'half of whom': whether the noun just before the number counts people."""
    for j in range(before - 1, max(-1, before - 6), -1):
        t = sp[j]
        if t.pos_ in ("NOUN", "PROPN"):
            return is_people(t, lex, gaz)
    return False
