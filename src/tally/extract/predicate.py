"""What the text says happened to the counted people (status) and over what time (scope).

The parse gives two zones of words for a figure: the *main* predicate (the verb that
governs the counted phrase, with its complements) and the *modifiers* of the counted
noun (relative clauses, participles: "citizens said to have returned home"). Statuses
of the main predicate win; a life-course status of the modifiers beats the main verb
when that verb only watches the people ("tracking 100 citizens back home").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tally.extract.lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

# Statuses that say what people did or what became of them; 'monitored' and 'other'
# only say what is done about them, and yield to any of these.
LIFE = (
    "deserted",
    "convicted",
    "killed",
    "missing",
    "detained",
    "returned",
    "left",
    "joined",
    "present",
    "targeted",
)


@dataclass(slots=True)
class Zones:
    main: list[Token] = field(default_factory=list)
    mods: list[Token] = field(default_factory=list)
    verb: Token | None = None

    @staticmethod
    def text(tokens: list[Token]) -> str:
        return " ".join(t.lower_ for t in sorted(tokens, key=lambda t: t.i))


def _subtree_excluding(tok: Token, banned: set[int]) -> list[Token]:
    out = []
    stack = [tok]
    while stack:
        t = stack.pop()
        if t.i in banned:
            continue
        out.append(t)
        stack.extend(t.children)
    return out


def zones(anchor: Token, head: Token | None, banned: set[int], lex: Lexicon) -> Zones:
    """The main-predicate and modifier zones of a figure whose phrase is anchored at `anchor`.

    `banned` holds the token indices of other figures' phrases: their words belong to
    their own clauses.
    """
    g = lex.grammar
    adjunct_preps = set(g["adjunct_preps"])
    subject = set(g["subject"])
    z = Zones()
    # Climb to the governing verb; nouns and prepositions on the way ('the return of
    # eight of them', 'including 68 men') belong to the main zone.
    x = anchor
    path: list[Token] = []
    while x.head.i != x.i and x.pos_ not in ("VERB", "AUX"):
        x = x.head
        if x.pos_ not in ("VERB", "AUX"):
            path.append(x)
    verb = x if x.pos_ in ("VERB", "AUX") else None
    phrase_top = path[-1] if path else anchor
    own = {t.i for t in phrase_top.subtree} if verb is not None else {t.i for t in anchor.subtree}
    z.main.extend(p for p in path if p.i not in banned)
    if verb is not None:
        z.verb = verb
        z.main.append(verb)
        anchor_is_subject = any(t.dep_ in subject for t in [anchor, *path] if t.head.i == verb.i)
        for c in verb.children:
            if c.i in own or c.i in banned:
                continue
            if c.dep_ in g["adjunct_deps"] or (c.dep_ == "prep" and c.lower_ in adjunct_preps):
                continue
            if c.dep_ in subject and not anchor_is_subject:
                continue
            if c.dep_ in subject:
                continue
            if c.dep_ in g["conj"] and any(gc.dep_ in subject for gc in c.children):
                continue  # "745 died and 270 returned": the second verb has its own subject
            z.main.extend(_subtree_excluding(c, banned | own))
        # A verb inside a relative clause or an xcomp chain also takes its head's auxiliaries.
    if head is not None:
        for c in head.children:
            if c.i in banned or c.i == anchor.i:
                continue
            if c.dep_ in g["np_post"] or c.i < head.i:
                if c.dep_ == "prep" and c.lower_ in adjunct_preps:
                    continue
                z.mods.extend(_subtree_excluding(c, banned | {anchor.i}))
    return z


def _mask_blocked(text: str, lex: Lexicon) -> str:
    m = lex.blockers.search(text)
    return text[: m.start()] if m else text


def _match(text: str, lex: Lexicon) -> list[str]:
    text = _mask_blocked(text, lex)
    return [s for s in lex.status_order if any(p.search(text) for p in lex.status_patterns.get(s, ()))]


def status(z: Zones, head_text: str | None, lex: Lexicon) -> tuple[str | None, str]:
    """The figure's status and where it came from ("main", "mods", "noun"), or None."""
    main = _match(Zones.text(z.main), lex)
    mods = _match(Zones.text(z.mods), lex)
    future = bool(lex.future.search(Zones.text(z.main)))
    for found, where in ((main, "main"), (mods, "mods")):
        life = [s for s in found if s in LIFE]
        if life:
            s = life[0]
            if s == "returned" and future and where == "main":
                return "present", where
            return s, where
    if head_text and head_text.lower() in lex.status_nouns:
        return lex.status_nouns[head_text.lower()], "noun"
    for found, where in ((main, "main"), (mods, "mods")):
        if found:
            return found[0], where
    return None, ""


def _tense(z: Zones, lex: Lexicon) -> str:
    """'perfect', 'past', 'present', 'modal' or '' for the main verb group."""
    g = lex.grammar
    toks = sorted(z.main, key=lambda t: t.i)
    verb = z.verb
    if verb is None:
        return ""
    group = [verb, *[c for c in verb.children if c.dep_ in ("aux", "auxpass", "aux:pass", "cop")]]
    if verb.dep_ in ("xcomp", "ccomp", "conj") and verb.head.pos_ in ("VERB", "AUX"):
        group += [verb.head, *[c for c in verb.head.children if c.dep_ in ("aux", "auxpass")]]
    words = {t.lower_ for t in group}
    tags = {t.tag_ for t in group}
    del toks
    if words & set(g["perfect_aux"]) and tags & set(g["participle_tags"]):
        return "perfect"
    if tags & set(g["modal_tags"]):
        return "modal"
    if tags & set(g["past_tags"]):
        return "past"
    if tags & set(g["present_tags"]):
        return "present"
    if verb.morph.get("Tense"):
        t = verb.morph.get("Tense")[0].lower()
        return {"past": "past", "pres": "present", "imp": "past", "fut": "modal"}.get(t, "")
    return ""


def _any(patterns: list[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def scope(
    status_: str,
    z: Zones,
    sentence: str,
    role: str,
    is_change: bool,
    nominal: bool,
    lex: Lexicon,
) -> str | None:
    """cumulative, current, change or None, from the status, tense and time markers."""
    if is_change:
        return "change"
    main = Zones.text(z.main)
    low = sentence.lower()
    tense = _tense(z, lex)
    still = _any(lex.still, main)
    current = _any(lex.current, main)
    event = _any(lex.event, low)
    cumulative = _any(lex.cumulative, main) or tense == "perfect"
    if status_ in ("left", "deserted"):
        return None
    if status_ in ("present", "detained", "monitored"):
        if tense == "past" and not current:
            return None
        return "current"
    if status_ == "targeted":
        return "current" if tense == "present" and (z.verb is not None and z.verb.tag_ == "VBG") else None
    if status_ == "convicted":
        if tense == "present" or still:
            return "current"
        return "cumulative"
    if status_ == "other":
        return "cumulative" if cumulative else None
    # killed, missing, returned, joined: running totals unless a dated one-off event.
    if still:
        return "current"
    if role == "victims":
        return "cumulative" if tense == "perfect" else None
    if event and not cumulative:
        return None
    if nominal and not cumulative:
        return None
    return "cumulative"
