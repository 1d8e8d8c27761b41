"""What the text says happened to the counted people (status) and over what time (scope).

Three zones of words are read for a figure: the *main* predicate from the parse (the
verb that governs the counted phrase, with its complements), the *modifiers* of the
counted noun (relative clauses, participles: "citizens said to have returned home"),
and the *linear* clause (the words after the phrase up to the next number), which
stands in when the parse is broken or the number has no noun ("500 are presumed dead").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tally.extract.lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

# Statuses that say what people did or what became of them; 'monitored' and 'other'
# only say what is done about them.
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
# "from (the) Syrian camps", "du camp de": the people are leaving the place.
_FROM = re.compile(r"\b(?:from|out of|du|des|depuis)\s+(?:the\s+|les\s+|la\s+|le\s+)?(?:[\w-]+\s+){0,2}$")
# A state that the text says has ended ("kept at prisons in Iraq until today").
_ENDED = re.compile(
    r"\buntil (today|now|recently|this (week|month|year))\b|\bjusqu'(à|a) (aujourd'hui|présent|ce jour)\b"
)


@dataclass(slots=True)
class Zones:
    main: list[Token] = field(default_factory=list)
    mods: list[Token] = field(default_factory=list)
    path: list[Token] = field(default_factory=list)
    verb: Token | None = None
    linear: str = ""
    # Whether the parse hangs the counted phrase on no verb at all (not a whole whose
    # verb is its part's, nor a frame's).
    verbless: bool = False
    # Where it hangs on none: the first finite verb group after the counted phrase in its
    # clause that no relative pronoun opens (`finite_groups`), read before the modifiers.
    finite: list[Token] = field(default_factory=list)

    @staticmethod
    def text(tokens: list[Token]) -> str:
        """The zone's words as written (so '7-9 May' stays whole), lower-cased."""
        ordered = sorted(tokens, key=lambda t: t.i)
        out = []
        for k, t in enumerate(ordered):
            out.append(
                t.text_with_ws if k + 1 < len(ordered) and ordered[k + 1].i == t.i + 1 else t.text + " "
            )
        return "".join(out).lower()

    def all_text(self) -> str:
        return " ".join((self.text(self.main), self.text(self.mods), self.linear))


def _subtree(tok: Token, banned: set[int]) -> list[Token]:
    out = []
    stack = [tok]
    while stack:
        t = stack.pop()
        if t.i in banned:
            continue
        out.append(t)
        stack.extend(t.children)
    return out


def zones(
    anchor: Token, head: Token | None, banned: set[int], lex: Lexicon, *, in_frame: bool, linear: str
) -> Zones:
    """The zones of a figure whose phrase is anchored at `anchor` (its noun, or the number).

    `banned` holds the tokens of the sentence's other numbers: a branch that holds one
    is that figure's own clause. `in_frame` is set for the figure of a leading 'Of the
    1,490 Frenchmen who ...,': the sentence's main verb is about the parts, not the whole.
    """
    g = lex.grammar
    adjunct_preps = set(g["adjunct_preps"])
    subject = set(g["subject"]) - {"expl"}
    z = Zones(linear=linear)
    x = anchor
    after: list[Token] = []  # heads the parse put after the counted noun
    while x.head.i != x.i and x.pos_ not in ("VERB", "AUX"):
        x = x.head
        if x.pos_ not in ("VERB", "AUX"):
            # A noun that governs the count stands before it ("the return of 120 fighters");
            # one after it is a modifier the parse mistook for the head ("120 djihadistes
            # partis en Syrie sont rentrés", 'partis' read as a noun): it says what the
            # people did before, not what the sentence says of them.
            (after if x.i > anchor.i else z.path).append(x)
    # "around half of the 700 people who left": the verb belongs to the half, not the whole.
    whole = any(t.i in banned for t in z.path)
    verb = x if x.pos_ in ("VERB", "AUX") and not in_frame and not whole else None
    z.verbless = x.pos_ not in ("VERB", "AUX") and not in_frame
    top = z.path[-1] if z.path else anchor
    own = {t.i for t in top.subtree}
    if verb is not None:
        z.verb = verb
        z.main.append(verb)
        for c in verb.children:
            if c.i in own or c.i in banned or c.dep_ in subject:
                continue
            if c.dep_ in g["adjunct_deps"] or (
                c.lower_ in adjunct_preps and c.dep_ in ("prep", "mark", "case")
            ):
                continue
            if any(t.i in banned for t in c.subtree):
                continue  # "745 died and 270 returned": the other number's clause
            if c.dep_ in g["conj"] and any(gc.dep_ in subject for gc in c.children):
                continue  # a coordinated clause with a subject of its own
            z.main.extend(_subtree(c, banned | own))
    z.mods.extend(after)
    if head is not None:
        for c in head.children:
            if c.i in banned or c.i == anchor.i or c.dep_ in ("nummod", "quantmod", "det"):
                continue
            if c.dep_ in g["np_post"] or c.i < head.i:
                if c.lower_ in adjunct_preps:
                    continue
                if any(t.i in banned for t in c.subtree) and c.i > head.i:
                    continue
                z.mods.extend(_subtree(c, banned | {anchor.i}))
    return z


# The words that negate a verb, where grammar.json names none.
NEGATIONS = ("not", "n't", "ne", "pas", "never", "jamais")
# Tokens after the number searched for the verb that says what happened to its people.
PREDICATE_REACH = 25


def _is_relative(t: Token, grammar: dict[str, Any]) -> bool:
    return "Rel" in t.morph.get("PronType", []) or t.tag_ in grammar.get("relative_tags", ())


def _verb_group(
    sp: SpacyDoc, i: int, end: int, verb_pos: tuple[str, ...], negations: tuple[str, ...]
) -> tuple[list[Token], int]:
    """The finite verb at `i` with the verbs, adverbs and negation that follow it, and
    where the group ends. After an auxiliary, the word that follows is its participle
    even when the tagger took it for a noun or an adjective ("étaient partis"), and one
    word between them is stepped over ("have since returned")."""
    group = [sp[i]]
    j = i + 1
    while j < end:
        x = sp[j]
        if (
            x.pos_ in (*verb_pos, "ADV", "PART")
            or x.lower_ in negations
            or "Part" in x.morph.get("VerbForm", [])
        ):
            group.append(x)
        elif sp[i].pos_ == "AUX" and x.pos_ in ("NOUN", "ADJ") and len(group) == 1:
            group.append(x)
            return group, j + 1
        elif (
            not x.is_punct
            and j + 1 < end
            and "Part" in sp[j + 1].morph.get("VerbForm", [])
            and len(group) == 1
        ):
            pass  # the word between an auxiliary and its participle
        else:
            break
        j += 1
    return group, j


def finite_groups(sp: SpacyDoc, start: int, limit: int, lex: Lexicon) -> Iterator[tuple[str, list[Token]]]:
    """The finite verb groups from token `start` on (before `limit`), read by part of
    speech and morphology rather than by the parse: ("rel", group) for each a relative
    pronoun opens, which describes who the people are, then ("main", group) for the first
    none opens, the predicate of the counted people, where it stops. Where a language
    puts the participle at the clause's end ("sind ... zurückgekehrt", `verb_bracket` in
    grammar.json), the group runs to the clause's end."""
    grammar = lex.grammar
    verb_pos = grammar.get("verb_pos", ("VERB", "AUX"))
    bracket = grammar.get("verb_bracket", False)
    negations = grammar.get("negations", NEGATIONS)
    end = min(limit, start + PREDICATE_REACH)
    rel = False
    i = start
    while i < end:
        t = sp[i]
        if _is_relative(t, grammar):
            rel = True
        elif t.pos_ in verb_pos and "Fin" in t.morph.get("VerbForm", []):
            group, j = _verb_group(sp, i, end, verb_pos, negations)
            if bracket:
                k = j
                while k < end and not sp[k].is_punct:
                    if sp[k].pos_ in verb_pos:
                        group.append(sp[k])
                    k += 1
            yield ("rel" if rel else "main"), group
            if not rel:
                return
            rel = False
            i = j
            continue
        i += 1


def _match(text: str, lex: Lexicon) -> list[str]:
    m = lex.blockers.search(text)
    if m:
        text = text[: m.start()]
    if lex.failed is not None and lex.failed.search(text):
        return ["other"]  # SCHEMA.md: an attempt to travel that failed
    found = [s for s in lex.status_order if any(p.search(text) for p in lex.status_patterns.get(s, ()))]
    if not [s for s in found if s != "other"]:
        # A place ("in camps", "en prison") says less than a verb: read only when no verb spoke,
        # and not when the people come out of it ("brought home from Syrian camps").
        for s, patterns in lex.weak_patterns.items():
            for p in patterns:
                hits = [
                    h for h in p.finditer(text) if not _FROM.search(text, max(0, h.start() - 30), h.start())
                ]
                if hits:
                    found.insert(0, s)
                    break
    if _ENDED.search(text):
        found = [s for s in found if s not in ("detained", "present")]
    return found


# A return the text puts in the future ("are to be repatriated"): not yet a return.
PLANNED = "planned"


def status(z: Zones, head_text: str | None, lex: Lexicon, *, linear_first: bool) -> tuple[str | None, str]:
    """The figure's status and which zone gave it ('main', 'path', 'mods', 'linear',
    'finite', 'noun'), or PLANNED for a return the text puts in the future."""
    found, where = _status(z, head_text, lex, linear_first=linear_first)
    every = z.all_text()
    if found == "detained" and any(p.search(every) for p in lex.status_patterns.get("convicted", ())):
        return "convicted", where  # judicial words win over detention (SCHEMA.md)
    first_clause = re.split(r"[,;–—]", z.linear)[0] if z.linear.strip() else Zones.text(z.main)
    if found == PLANNED:
        # A return only planned, expected or agreed: held where the sentence says they are
        # held, else `other` (SCHEMA.md).
        # Leaving a camp is planned, so they are held in it yet ("to be repatriated from Roj").
        held = any(p.search(every) for p in lex.weak_patterns.get("detained", ()))
        return ("detained" if held else "other"), PLANNED
    if found == "present" and _in_place(first_clause, lex):
        return "detained", where  # "se trouvent encore dans le camp de Roj": held there
    return found, where


def _in_place(text: str, lex: Lexicon) -> bool:
    return any(
        not _FROM.search(text, max(0, h.start() - 30), h.start())
        for p in lex.weak_patterns.get("detained", ())
        for h in p.finditer(text)
    )


def _future_text(z: Zones) -> str:
    """The words that may put the figure's event in the future: its verb group, the words
    after the number, and the verb that governs its verb ('preparing to repatriate',
    'agreed to bring back', 'ordered the government to repatriate'), as `tense` reads it."""
    toks = list(z.main)
    verb = z.verb
    if verb is not None and verb.dep_ in ("xcomp", "ccomp") and verb.head.pos_ in ("VERB", "AUX"):
        toks.append(verb.head)
    return Zones.text(toks) + " " + z.linear


def _status(z: Zones, head_text: str | None, lex: Lexicon, *, linear_first: bool) -> tuple[str | None, str]:
    """The first status found, zone by zone, before the cross-zone rules of `status`."""
    main = _match(Zones.text(z.main), lex)
    path = _match(Zones.text(z.path), lex)
    mods = _match(Zones.text(z.mods), lex)
    lin = _match(z.linear, lex)
    future = bool(lex.future.search(_future_text(z)))

    def life(found: list[str]) -> str | None:
        got = [s for s in found if s in LIFE]
        if not got:
            return None
        if got[0] == "returned" and future:
            return PLANNED
        return got[0]

    order: list[tuple[list[str], str]] = (
        [(lin, "linear")] if linear_first else [(path, "path"), (main, "main")]
    )
    for found, where in order:
        s = life(found)
        if s:
            return s, where
    for found, where in order:
        if "other" in found:
            return "other", where
    if not z.main:
        # No verb in the parse: the finite verb after the counted phrase says what became
        # of the people; a participle beside the noun only says who they are ("90 jeunes
        # partis en Syrie sont revenus", 'partis' read as the noun's modifier).
        s = life(_match(Zones.text(z.finite), lex))
        if s:
            return s, "finite"
    s = life(mods)
    if s:
        return s, "mods"
    if not linear_first and not z.main and life(lin):
        return life(lin), "linear"  # no verb found: the parse is broken, read the words
    if head_text and head_text.lower() in lex.status_nouns:
        return lex.status_nouns[head_text.lower()], "noun"
    if not linear_first:
        s = life(lin)
        if s:
            return s, "linear"
    for found, where in (*order, (mods, "mods"), (lin, "linear")):
        if found:
            return found[0], where
    return None, ""


def tense(z: Zones, lex: Lexicon) -> str:
    """'perfect', 'past', 'present', 'modal' or '' for the main verb group."""
    g = lex.grammar
    verb = z.verb
    if verb is None:
        return ""
    group = [verb, *[c for c in verb.children if c.dep_ in ("aux", "auxpass", "aux:pass", "cop")]]
    if verb.dep_ in ("xcomp", "ccomp", "conj") and verb.head.pos_ in ("VERB", "AUX"):
        group += [verb.head, *[c for c in verb.head.children if c.dep_ in ("aux", "auxpass", "aux:pass")]]
    words = {t.lower_ for t in group}
    tags = {t.tag_ for t in group}
    participle = bool(tags & set(g["participle_tags"])) or "Part" in verb.morph.get("VerbForm", [])
    if words & set(g["perfect_aux"]) and participle:
        return "perfect"
    if tags & set(g["modal_tags"]):
        return "modal"
    if tags & set(g["past_tags"]):
        return "past"
    if tags & set(g["present_tags"]):
        return "present"
    for t in group:  # languages tagged with morphology only (French)
        tense_ = t.morph.get("Tense", [])
        if tense_ and "Fin" in t.morph.get("VerbForm", []):
            # The French imperfect states how things stood when reported: a present for our purpose.
            table = {"past": "past", "pres": "present", "imp": "imperfect", "fut": "modal"}
            return table.get(tense_[0].lower(), "")
    return ""


_LINEAR_TENSE = (
    (
        "perfect",
        re.compile(
            r"^\W*(?:\w+\W+)?(?:have|has|had|ont|sont|a|est|avaient|étaient)\s+(?:\w+\s+)?(?:been\s+|été\s+)?\w+(?:ed|en|wn|t|é|és|ée|ées|i|is|u|us|ts)\b"
        ),
    ),
    ("present", re.compile(r"^\W*(?:\w+\W+)?(?:are|is|remain|remains|sont|est|reste|restent|demeurent)\b")),
    ("past", re.compile(r"^\W*(?:\w+\W+)?(?:were|was|remained)\b")),
)


def _linear_tense(linear: str) -> str:
    for name, pattern in _LINEAR_TENSE:
        if pattern.match(linear):
            return name
    return ""


def _any(patterns: list[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def scope(
    status_: str, z: Zones, role: str, is_change: bool, nominal: bool, lex: Lexicon, lead: str = ""
) -> str | None:
    """cumulative, current, change or None, from the status, tense and time markers.

    `lead` is the sentence's opening before the figure ('Last month, ...'), read for dates only."""
    if is_change:
        return "change"
    words = Zones.text(z.main) + " " + z.linear
    # The words right after the counted phrase are its own verb group when they start with
    # one ("190 are in prison"); they are surer than a long sentence's parse.
    tense_ = _linear_tense(z.linear) or tense(z, lex)
    still = _any(lex.still, words)
    current = _any(lex.current, words)
    # Dates are read in the figure's own clause and the sentence's opening, not in the whole
    # parse subtree, which may hold the report's own date ("..., communiqués mardi").
    event = _any(lex.event, z.linear if z.linear.strip() else words) or _any(lex.event, lead.lower())
    totals = _any(lex.totals, words)
    cumulative = _any(lex.cumulative, words) or tense_ == "perfect"
    if status_ in ("left", "deserted"):
        return None
    if tense_ == "imperfect":
        # The French imperfect states how things stood when reported: current for a state.
        tense_ = "present" if status_ in ("present", "detained", "monitored") else "past"
    if status_ in ("present", "detained", "monitored"):
        if tense_ == "past" and not current:
            return None
        return "current"
    if status_ == "targeted":
        return "current" if tense_ == "present" or still else None
    if status_ == "convicted":
        return "current" if tense_ == "present" or still else "cumulative"
    if status_ == "other":
        return "cumulative" if cumulative else None
    # killed, missing, returned, joined: running totals unless a dated one-off event.
    if still:
        return "current"
    if role == "victims":
        return "cumulative" if tense_ == "perfect" else None
    if event and not totals:
        return None  # "brought back 12 women on a military flight on 1 November"
    if nominal and not cumulative:
        return None
    return "cumulative"
