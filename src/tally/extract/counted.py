"""What a number counts: the people noun after it, or, when the text leaves it out,
the people it refers back to.

"1,490 Frenchmen" counts Frenchmen; "thousands of foreign nationals" and "30 names of
French nationals" count nationals through 'of'; "Some 300 of them" and "500 are presumed
dead" count people named earlier (an anaphor, an ellipsis). A number followed by a noun
that is not people ("26 bombers on board" aside, "15 attacks", "110 nations") is no figure.
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


@dataclass(slots=True)
class Counted:
    """The counted noun phrase of a number, or how to find it."""

    kind: str  # "explicit" | "anaphor" | "elliptical"
    head: Token | None = None
    tokens: list[Token] = field(default_factory=list)
    text: str | None = None
    demonstrative: bool = False  # "12 of those Americans": explicit, but refers back too


def is_people(tok: Token, lex: Lexicon, gaz: Gazetteer) -> bool:
    """Whether a token is a noun that counts people."""
    low = tok.lower_
    if low in lex.role_of:
        return True
    if tok.lemma_ and tok.lemma_.lower() in lex.role_of and tok.pos_ in ("NOUN", "PROPN"):
        return True
    hit = gaz.kind.get(tok.text) or gaz.by_upper.get(tok.text.upper())
    # A demonym counts people when it is a noun ("Russians", "Frenchmen"), not an adjective.
    return bool(
        hit and hit[1] == "demonym" and tok.pos_ in ("NOUN", "PROPN") and tok.text.endswith(("s", "men"))
    )


def _modifier(tok: Token, lex: Lexicon) -> bool:
    if tok.pos_ in ("ADJ", "NOUN", "PROPN"):
        return True
    if tok.tag_ in ("VBN", "VBG") and tok.dep_ in ("amod", "compound", "nmod"):
        return True
    return tok.text in ("-", "‐") or tok.lower_ in ("other", "more", "former", "suspected", "alleged")


def _run(sp: SpacyDoc, start: int, lex: Lexicon, gaz: Gazetteer, skip: set[int]) -> Counted | None:
    """Read a noun phrase from token `start`: the last people noun of the modifier run."""
    j, head, last_noun, toks = start, None, None, []
    while j < len(sp) and len(toks) < MAX_MODIFIERS + 2:
        t = sp[j]
        if t.i in skip or t.like_num:
            j += 1
            continue
        if not _modifier(t, lex):
            break
        toks.append(t)
        if t.pos_ in ("NOUN", "PROPN") or is_people(t, lex, gaz):
            last_noun = t
            if is_people(t, lex, gaz):
                head = t
            elif head is not None:
                break  # "French soldiers desert ...": the noun after the people noun is the verb
        j += 1
    if head is None:
        if last_noun is not None and last_noun.lower_ in lex.containers:
            return _after_of(sp, last_noun.i + 1, lex, gaz, skip)
        return Counted("none", tokens=toks) if last_noun is not None else None
    if head.lower_ in lex.containers and head.i + 1 < len(sp) and sp[head.i + 1].lower_ == "of":
        inner = _after_of(sp, head.i + 1, lex, gaz, skip)
        if inner and inner.kind == "explicit":
            return inner
    np = [t for t in toks if t.i <= head.i]
    text = sp[np[0].i : head.i + 1].text if np else head.text
    # "women and children", "citizens or residents": one counted group.
    k = head.i + 1
    if k + 1 < len(sp) and sp[k].lower_ in ("and", "or") and is_people(sp[k + 1], lex, gaz):
        text = sp[np[0].i : k + 2].text
    return Counted("explicit", head=head, tokens=np, text=text)


def _after_of(sp: SpacyDoc, i: int, lex: Lexicon, gaz: Gazetteer, skip: set[int]) -> Counted | None:
    """Read 'of them', 'of those Americans', 'of foreign nationals' starting at the 'of' token."""
    if i >= len(sp) or sp[i].lower_ not in ("of", "out"):
        return None
    j = i + 1
    if sp[i].lower_ == "out" and j < len(sp) and sp[j].lower_ == "of":
        j += 1
    demonstrative = False
    while j < len(sp) and sp[j].lower_ in (
        "the",
        "all",
        "these",
        "those",
        "them",
        "whom",
        "which",
        "its",
        "their",
    ):
        if sp[j].lower_ in lex.anaphors:
            demonstrative = True
        j += 1
    if j < len(sp):
        inner = _run(sp, j, lex, gaz, skip)
        if inner and inner.kind == "explicit":
            inner.demonstrative = demonstrative
            return inner
    if demonstrative:
        return Counted("anaphor")
    return None


def find(sp: SpacyDoc, after: int, lex: Lexicon, gaz: Gazetteer, skip: set[int]) -> Counted | None:
    """The counted phrase of a number whose expression ends before token `after`.

    Returns an explicit or anaphoric Counted, Counted("elliptical") when nothing follows
    the number, Counted("none") when a noun that is not people follows it.
    """
    if after >= len(sp):
        return Counted("elliptical")
    t = sp[after]
    if t.lower_ in ("of", "out"):
        got = _after_of(sp, after, lex, gaz, skip)
        if got:
            return got
        return Counted("none")
    got = _run(sp, after, lex, gaz, skip)
    if got is None:
        return Counted("elliptical")
    if got.kind == "explicit":
        return got
    # A noun that is no people noun: "increase in those ..." still refers to people.
    k = got.tokens[-1].i + 1 if got.tokens else after
    if k < len(sp) and sp[k].lower_ in ("in", "of", "among"):
        inner = (
            _after_of(sp, k if sp[k].lower_ == "of" else k, lex, gaz, skip) if sp[k].lower_ == "of" else None
        )
        if inner is None and k + 1 < len(sp) and sp[k + 1].lower_ in lex.anaphors:
            return Counted("anaphor")
        if inner:
            return inner
    return got
