"""Read one candidate number in its parsed sentence into a Figure, or reject it.

The order matters: first what the number counts (a people noun, or the people it
refers back to), then what happened to them, then origin, group and source, some of
which the referent lends when the sentence does not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from tally.extract import origin as origin_of
from tally.extract import predicate
from tally.extract.attribution import carried_source
from tally.extract.counted import Counted, antecedent_is_people, find
from tally.extract.groups import finder
from tally.extract.lexicon import Lexicon
from tally.model import Doc, Figure, NumberMention

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

    from tally.extract.document import Referent, _Context
    from tally.extract.sentences import Sentence

# How many sentences back an elliptical number or 'of them' may find its people.
ANTECEDENT_WINDOW = 3
# A sentence opening this short ('Last month, ', 'À chaque fois, ') dates the figure after it.
LEAD_CHARS = 40
# Tokens between a number and the verb it is the subject of ("130 – including 68 men – remain").
SUBJECT_GAP = 12
# Generic people words a count of the killed reads as victims ("17 people were killed").
_VICTIM_NOUNS = frozenset({"people", "persons", "civilians", "personnes", "civils", "individuals"})
# Words before a count that make it part of a whole just given.


@cache
def _breakdown(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Words before the counts of a breakdown (a dash, a colon, 'made up of', 'se répartit
    entre'), and words that refer back to the group just counted ('the group', 'ce total'):
    grammar.json `breakdown_openers` and `group_references`."""
    from tally.extract.lexicon import load

    g = load(lang).grammar

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    opener = re.compile(rf"(?:[–—:(]|\b(?:{alt(g['breakdown_openers'])}))\s*[^–—:(]{{0,25}}$", re.IGNORECASE)
    group = re.compile(rf"\b(?:{alt(g['group_references'])})\b", re.IGNORECASE)
    return opener, group


_COPULA_NOUN = re.compile(
    r"^\s*(?:are|were|is|was|sont|étaient|est|était)\s+(?:des\s+|mostly\s+|all\s+)?([a-zà-ÿ]+)"
)
# Nouns of a death toll: "avaient fait plus de 2 500 morts", "left 40 dead".
_TOLL_NOUNS = frozenset({"morts", "dead", "victimes", "victims", "blessés", "injured", "tués"})
_HARM = ("kill", "injur", "wound", "tu", "bless")
_WOMEN_MEN = frozenset({"women", "woman", "men", "femmes", "hommes"})


class Frame:
    """A leading 'Of the 1,490 Frenchmen who ...,' or 'Of these,': the whole that the
    sentence's later numbers are parts of."""

    def __init__(self, end: int, has_number: bool, noun: str | None) -> None:
        self.end = end
        self.has_number = has_number
        self.noun = noun

    def referent(self, ctx: _Context, s: Sentence, sentence_figs: list[Referent]) -> Referent | None:
        if self.has_number:
            return sentence_figs[0] if sentence_figs else None
        prior = [r for r in ctx.referents if r.pos < s.start and not r.subset]
        if self.noun:
            same = [r for r in prior if r.figure and self.noun in r.counted.lower()]
            if same:
                return same[-1]
        figs = [r for r in prior if r.figure]
        if figs or prior:
            return figs[-1] if figs else prior[-1]
        # "Parmi eux, 44 étaient en prison" opening an excerpt: people, though unnamed here.
        from tally.extract.document import Referent

        return Referent(s.start, -1, "", "militants", ctx.default_origin, None, None, None)


def frame_of(text: str, s: Sentence, lex: Lexicon, starts: list[int]) -> Frame | None:
    """The sentence's leading whole, ended by a comma or, in 'Parmi ces 300 morts
    figurent 12 femmes', by the second number."""
    stext = s.text(text)
    # A quotation may open on the frame ("« Parmi les 300 ..., 40 ... »").
    lead = r"(?i)[\s«“\"‘'(]*(?:[^,:;]{0,40}[:—–]\s*)?(?:of|among|out of|parmi|sur)\b"
    m = re.match(lead + r"[^,]{0,200},", stext)
    end = s.start + m.end() if m else None
    if m is None:
        m = re.match(lead, stext)
        inside = [x for x in starts if x > s.start]
        if m is None or len(inside) < 2:
            return None
        end = inside[1]
    assert end is not None
    inner = text[s.start : end]
    has_number = any(ch.isdigit() for ch in inner)
    # "Of these,", "Parmi eux," and the language's words for the group just counted
    # ("Sur ce nombre,", "Of this total,").
    pronoun = re.search(r"\b(?:these|those|them|all|ces|eux|elles)\b", inner, re.I)
    if not has_number and not pronoun and not _breakdown(lex.lang)[1].search(inner):
        return None
    words = [w.lower() for w in re.findall(r"[\w'-]+", inner)]
    noun = next((w for w in reversed(words) if w in lex.role_of), None)
    return Frame(end, has_number, noun)


def _ref_before(ctx: _Context, pos: int, sent: int, same_sentence: bool) -> Referent | None:
    if same_sentence:
        cands = [r for r in ctx.referents if r.pos < pos and r.sent == sent]
        return cands[-1] if cands else None
    cands = [r for r in ctx.referents if r.pos < pos and sent - ANTECEDENT_WINDOW <= r.sent < sent]
    figs = [r for r in cands if r.figure and not r.subset]
    if figs:
        return figs[-1]
    return cands[-1] if cands else None


def _subject_like(sp: SpacyDoc, toks: list[Token], after: int, lex: Lexicon) -> bool:
    """Whether a number with no noun is the subject of a verb ('500 are presumed dead')."""
    if any(t.dep_ in lex.grammar["subject"] for t in toks):
        return True
    aside = False
    for j in range(after, min(len(sp), after + SUBJECT_GAP)):
        t = sp[j]
        if t.text in ("–", "—", "(", ")", "-"):
            aside = not aside if t.text in ("–", "—", "-") else t.text == "("
            continue
        if aside or t.is_space or t.pos_ in ("ADV", "PART") or t.text == ",":
            continue
        return t.pos_ in ("AUX", "VERB")
    return False


def _elliptical_ok(
    sp: SpacyDoc, toks: list[Token], after: int, s_text: str, at: int, lex: Lexicon
) -> str | None:
    """Why a number with no noun still counts people, or None."""
    g = lex.grammar
    before = s_text[:at]
    tail = before[-40:].lower()
    if any(re.search(rf"\b{re.escape(w)}\s*$", tail) for w in g["including"]):
        return "subset"
    if _subject_like(sp, toks, after, lex):
        return "subject"
    # "about 100 back home", "500 presumed dead": a status right after the number.
    if predicate._match(" ".join(t.lower_ for t in sp[after : after + 3]), lex):
        return "predicate"
    rest = s_text[at:]
    # "a figure that has more than doubled ... to at least 27,000", "the number ... was only
    # around 60 to 70": a count noun earlier, a linking word just before the number.
    linked = re.search(
        r"\b(?:to|at|of|was|is|were|are|stands?|stood|reached|totals?|totalled|numbered|à|de|est|était|atteint)\b[^.;]{0,30}$",
        tail,
    )
    if (
        linked
        and any(re.search(rf"\b{re.escape(w)}\b", before.lower()) for w in lex.collectives)
        and re.match(r"^[^,;.]*?\d[\d,. ]*\W*(?:$|[,;.\"”’)])|^\D+?(?:$|[,;.\"”’)])", rest)
    ):
        return "collective"
    if re.search(r"\b(?:and|or|while|et|ou)\s*$", tail):
        return "coordinated"
    if re.search(
        r"\b(?:down|up) from\s*$|\bcompared with\s*$|\bagainst\s*$|\bcontre\s*$|\bpar rapport à\s*$", tail
    ):
        return "coordinated"  # "560 people ..., down from 615": the same count at another time
    if any(sp[j].lower_ in ("who", "qui") for j in range(after, min(len(sp), after + 6))):
        return "relative"
    if any(t.dep_ in ("dobj", "obj", "conj") and t.head.lower_.startswith(_HARM) for t in toks):
        return "object-killed"  # "killed 19 people and injured more than 110": victims
    if re.search(
        r"\b(?:kill|killed|killing|injur\w*|wound\w*|tué\w*|bless\w*)\s+(?:about |some |more than |over |at least |plus de |environ )?$",
        tail,
    ):
        return "object-killed"
    if any(t.like_num for t in toks) and re.search(
        rf"\b(?:{'|'.join(lex.change_words)})\b[^,.;]{{0,12}}$", tail
    ):
        return "change"  # "departures ... fell by some 90%": the change of a group counted before
    return None


def _label(s_text: str, at: int, lex: Lexicon) -> str | None:
    """In a list of 'Country: number' pairs (a factbox), the label of the number at `at`."""
    sep = re.escape(lex.grammar["label_sep"])
    pairs = list(re.finditer(rf"([A-ZÀ-Ý][\w.'’-]*(?: [A-ZÀ-Ý][\w.'’-]*){{0,3}}){sep}\s*(?=\d)", s_text))
    if len(pairs) < 2:
        return None
    for p in pairs:
        if p.end() == at:
            return p.group(1)
    return None


@dataclass(slots=True)
class Reading:
    """What the rules read of one candidate number, kept or not.

    `reject` says why the rules alone would not report it (None when they would); the
    decision layer sees every reading and decides for itself. The spaCy objects live only
    while the sentence is being read: features are built from them right away.
    """

    fig: Figure
    ref: Referent  # the candidate as a referent for later figures (used only when kept)
    antecedent: Referent | None  # what it refers back to, if anything
    reject: str | None
    how: str
    counted_kind: str
    where: str
    sentence: int
    zones: predicate.Zones
    anchor: Token
    head: Token | None
    part: bool  # the rules read it as a part of `antecedent`
    demonstrative: bool = False


def read_figure(
    ctx: _Context,
    i: int,
    s: Sentence,
    sp: SpacyDoc,
    m: NumberMention,
    toks: list[Token],
    others: set[int],
    bounds: tuple[int, int],
    frame: Frame | None,
    sentence_figs: list[Referent],
    doc: Doc,
    reject: str | None = None,
) -> Reading:
    """Read one candidate; `reject` is set when the rules would not report it."""
    from tally.extract.document import Referent

    lex = ctx.lex
    base = s.start
    s_text = s.text(ctx.text)
    next_start, clause_end = bounds
    att = ctx.sentence_sources.get(i)
    after = next((t.i for t in sp if base + t.idx >= m.end), len(sp))
    at = m.start - base
    label = _label(s_text, at, lex)
    got = Counted("elliptical") if label else find(sp, after, lex, ctx.gaz, {t.i for t in toks})
    if got.kind == "explicit" and re.search(r"\b(?:these|those|ces)\s*$", s_text[:at].lower()):
        got.demonstrative = True  # "ces 300 morts": the dead just counted
    if got.kind == "none":
        reject = reject or "not-people"
    subset = any(
        re.search(rf"\b{re.escape(w)}\s*$", s_text[:at][-40:].lower()) for w in lex.grammar["including"]
    )
    in_frame = frame is not None and m.start < frame.end
    after_frame = frame is not None and m.start >= frame.end
    ref: Referent | None = None
    via_frame = False
    how = got.kind
    if label:
        how = "label"
        prior = [r for r in ctx.referents if r.pos < s.start and r.sent >= i - 1]
        ref = prior[-1] if prior else _ref_before(ctx, m.start, i, False)
        if ref is None:
            reject = reject or "label-without-referent"
    elif got.kind in ("elliptical", "none"):
        why = _elliptical_ok(sp, toks, after, s_text, at, lex)
        if why is None:
            reject = reject or "elliptical"
        elif why == "coordinated" and not sentence_figs:
            reject = reject or "coordinated-first"
        if m.quantity.kind == "percent" and why not in ("change", "subset"):
            reject = reject or "percent-share"  # "61% said ...": a poll's share
        how = why or how
        if why in ("coordinated", "subset") and sentence_figs:
            ref = sentence_figs[-1]
        elif after_frame and frame is not None:
            ref, via_frame = frame.referent(ctx, s, sentence_figs), True
        elif sentence_figs:
            ref = sentence_figs[-1]
        elif why != "object-killed":
            ref = _ref_before(ctx, m.start, i, True) or _ref_before(ctx, m.start, i, False)
        if ref is None and why is not None:
            ref = _unnamed_people(ctx, s, m, why, next_start)
        if ref is None:
            reject = reject or "no-referent"
    elif got.kind == "anaphor":
        if got.relative and not antecedent_is_people(sp, toks[0].i, lex, ctx.gaz):
            reject = reject or "relative-not-people"
        ref = (
            (sentence_figs[-1] if sentence_figs else None)
            or _ref_before(ctx, m.start, i, True)
            or (None if got.relative else _ref_before(ctx, m.start, i, False))
        )
        if ref is None:
            reject = reject or "no-referent"
    elif after_frame and frame is not None:
        ref, via_frame = frame.referent(ctx, s, sentence_figs), True
        how = "frame"
    elif subset and sentence_figs:
        ref = sentence_figs[-1]
        how = "subset"
    elif got.demonstrative:
        ref = (sentence_figs[-1] if sentence_figs else None) or _ref_before(ctx, m.start, i, False)

    head = got.head
    anchor = head if head is not None else toks[-1]
    np_end = base + got.end.idx + len(got.end.text) if got.end is not None else m.end
    linear = ctx.text[np_end:next_start].lower()
    if re.fullmatch(r"\s*(?:,\s*)?(?:and|et|or|ou)\s*", linear):
        # "une vingtaine de femmes et une trentaine d'enfants ... retenus": one predicate for both
        rest = ctx.text[np_end : s.end]
        cut = re.search(r"[;]|,\s*(?:while|whereas|but|alors que|tandis que|mais)\b", rest)
        linear = rest[: cut.start() if cut else len(rest)].lower()
    z = predicate.zones(anchor, head, others, lex, in_frame=in_frame, linear=linear)
    if z.verbless:
        z.finite = _finite_predicate(sp, anchor, np_end - base, linear, lex)
    linear_first = how in ("subject", "predicate", "subset", "coordinated", "collective", "label")
    status, where = predicate.status(
        z, head.text if head is not None else None, lex, linear_first=linear_first
    )
    inherited = False
    if (
        status is None
        and ref is None
        and got.kind == "explicit"
        and _breakdown(lex.lang)[0].search(s_text[: m.start - base][-60:])
    ):
        # "The group – three women and eight children – landed ...": parts of a group just
        # counted; a part's sibling ("288 hommes et 12 femmes") shares its whole.
        if sentence_figs:
            prev = sentence_figs[-1]
            ref = prev.whole if prev.subset and prev.whole is not None else prev
        elif _breakdown(lex.lang)[1].search(s_text[: m.start - base]):
            last = _ref_before(ctx, m.start, i, False)
            ref = last if last is not None and last.sent == i - 1 else None
        how = "subset" if ref is not None else how
    if status is None and ref is not None:
        status, inherited = ref.status, True
    if status is None:
        # "the return of fighters ... the number now stands at 45": the count of a process named before
        before = ctx.text[s.start : m.start].lower()
        if re.search(r"\b(number|figure|total|nombre|chiffre)\b", before[-80:]):
            life = [x for x in predicate._match(before[-200:], lex) if x in predicate.LIFE]
            if life:
                status, where = life[0], "linear"
    role = _role(ctx, got, ref, status, how, z, s_text)
    named = _COPULA_NOUN.match(linear) if got.kind != "explicit" else None
    if named and named.group(1) in lex.role_of:
        role = lex.role_of[named.group(1)]  # "21 are women and 66 are children"
    origin = origin_of.of_figure(ctx, s, m, got, ref, role, status or "other", z)
    if label:
        origin = ctx.gaz.code_of(label)
    if status in (None, "other") and where != predicate.PLANNED and origin and _goes_home(ctx, z, origin):
        status, where = "returned", "main"
    if status == "present" and origin and _in_origin_country(ctx, z, origin):
        status = "returned"  # British jihadists "now living in Britain again"
    if (
        status is None
        and not sp.has_annotation("DEP")
        and predicate._in_place(s_text[: m.start - base].lower(), lex)
    ):
        # German fronts where the people are ("Im Lager Roj sind noch 35 Kinder");
        # with no parse, no zone reaches a place before the number.
        status, where = "detained", "linear"
    if status is None:
        status = "present" if any(p.search(z.all_text()) for p in lex.current) else "other"
    q = m.quantity
    nominal = where == "path"
    lead = ctx.text[s.start : m.start] if m.start - s.start <= LEAD_CHARS else ""
    scope = predicate.scope(status, z, role, _is_change(ctx.text, m, lex), nominal, lex, lead)
    opinion = re.search(lex.grammar["opinion"], linear, re.IGNORECASE)
    if m.quantity.kind == "percent" and scope != "change" and (status == "other" or opinion):
        reject = reject or "opinion-share"  # "45 per cent of Australians supported ...": a poll
    if inherited and ref is not None and ref.figure and scope is None:
        scope = ref.scope
    group = _group(ctx, s, m, role, ref, how, got, clause_end)
    source = carried_source(
        ctx,
        i,
        s,
        att,
        ref.source if (ref is not None and how != "explicit") or (got.demonstrative and ref) else None,
    )
    counted_text = got.text if got.kind == "explicit" else (ref.counted if ref else None)
    part = how == "subset" or (got.kind == "anaphor" and ref is not None and ref.sent == i and ref.figure)
    part = part or (via_frame and ref is not None and ref.figure)
    population = population_of(counted_text if got.kind == "explicit" else None, lex)
    if population == "all" and got.kind != "explicit" and ref is not None and not part:
        population = ref.population  # "500 are presumed dead": the people counted before
    fig = Figure(
        doc=doc.doc_id,
        quote=s_text,
        span=m.text,
        value=q.value,
        low=q.low,
        high=q.high,
        qualifier=q.qualifier,
        kind=q.kind,
        role=role,
        counted=counted_text,
        origin=origin,
        status=status,
        group=group,
        place=_place(ctx, z, sp, base),
        period=_period(ctx, s, m),
        source=source,
        scope=scope,
        start=m.start,
        end=m.end,
        quote_start=s.start,
        quote_end=s.end,
        population=population,
        part_of=ref.span if part and ref is not None and ref.figure else None,
        published=doc.published,
        url=doc.url,
        outlet=doc.outlet,
        lang=ctx.lang,
    )
    r = Referent(
        m.start,
        i,
        counted_text or "",
        role,
        origin,
        group,
        status,
        source,
        True,
        scope,
        part,
        m.text,
        population,
        ref if part else None,
    )
    return Reading(fig, r, ref, reject, how, got.kind, where, i, z, anchor, head, part, got.demonstrative)


def population_of(counted: str | None, lex: Lexicon) -> str:
    """Whom a counted phrase restricts the count to, by sex or age (SCHEMA.md `population`)."""
    if not counted:
        return "all"
    words = re.findall(r"[\w'’-]+", counted.lower())
    found = [lex.population[w] for w in words if w in lex.population]
    if not found:
        return "all"
    kinds = set(found)
    if kinds == {"women", "minors"} or kinds == {"mixed"}:
        return "mixed"
    return found[-1]


def _in_origin_country(ctx: _Context, z: predicate.Zones, origin: str) -> bool:
    words = z.all_text()
    return any(
        p.code == origin and re.search(rf"\b(in|dans|en|au)\s+(the\s+)?{re.escape(p.text.lower())}", words)
        for p in ctx.gaz.find(
            " ".join(t.text for t in sorted(z.main + z.mods, key=lambda t: t.i)) + " " + z.linear.title()
        )
    )


def _unnamed_people(
    ctx: _Context, s: Sentence, m: NumberMention, why: str, next_start: int
) -> Referent | None:
    """People a number counts though no word names them: the victims of a killing
    ('killed 19 people and injured more than 110'), or a headline's subject that went,
    died or came back ('Denmark: 175 went to fight in Syria')."""
    from tally.extract.document import Referent

    if why == "object-killed":
        return Referent(s.start, -1, "people", "victims", None, None, None, None)
    life = [x for x in predicate._match(ctx.text[m.end : next_start].lower(), ctx.lex) if x in predicate.LIFE]
    if why in ("subject", "predicate") and life:
        return Referent(s.start, -1, "people", "militants", ctx.default_origin, None, None, None)
    return None


def _goes_home(ctx: _Context, z: predicate.Zones, origin: str) -> bool:
    """'flight ... for Moscow', 'flown to Paris': people taken to their own country."""
    words = z.all_text()
    for p in ctx.gaz.find(" ".join(t.text for t in sorted(z.main + z.mods, key=lambda t: t.i))):
        if p.code == origin and re.search(
            rf"\b(for|to|towards|vers|pour)\s+(the\s+)?{re.escape(p.text.lower())}", words
        ):
            return True
    return False


def _finite_predicate(sp: SpacyDoc, anchor: Token, np_end: int, linear: str, lex: Lexicon) -> list[Token]:
    """The finite verb group that says what became of a counted phrase the parse hangs on
    no verb (`predicate.finite_groups`), in its clause: up to the first comma, semicolon or
    dash after the phrase. None without a parse (German): there every phrase hangs on
    none, and reading the verb after a relative clause this way cost German status in the
    grouped cross-validation."""
    if not sp.has_annotation("DEP"):
        return []
    clause_end = np_end + len(re.split(r"[,;:–—]", linear, maxsplit=1)[0])
    limit = next((t.i for t in sp if t.idx >= clause_end), len(sp))
    return next(
        (g for kind, g in predicate.finite_groups(sp, anchor.i + 1, limit, lex) if kind == "main"), []
    )


def _role(
    ctx: _Context,
    got: Counted,
    ref: Referent | None,
    status: str | None,
    how: str,
    z: predicate.Zones,
    s_text: str,
) -> str:
    lex = ctx.lex
    if got.kind == "explicit" and got.head is not None:
        word = got.head.lower_
        role = lex.role_of.get(word, "militants")
        if how in ("frame", "subset") and ref is not None and ref.role == "militants" and word in _WOMEN_MEN:
            role = "militants"  # "Of these 300 dead, 12 women": women among the fighters
    else:
        role = ref.role if ref is not None else "militants"
        word = ""
    killed_unnamed = (
        word in _VICTIM_NOUNS or (got.kind != "explicit" and ref is None) or how == "object-killed"
    )
    not_fighters = ref is None or ref.role != "militants"
    if {"joined", "left"} & set(predicate._match(predicate.Zones.text(z.mods), lex)):
        not_fighters = False  # "90 personnes parties de Belgique ... sont décédées": they went to fight
    if status == "killed" and role in ("militants", "civilians") and killed_unnamed and not_fighters:
        role = "victims"
    if how == "object-killed":
        role = "victims"
    caused = re.compile(r"\b(?:fait|faire|causé|provoqué|left|leaving|caused|claimed)\s+(?:\w+\s+){0,5}$")
    if got.head is not None and word in _TOLL_NOUNS and caused.search(s_text[: got.head.idx]):
        role = "victims"  # "les violences avaient fait plus de 2 500 morts"
    in_camp = any(w in lex.camps for w in re.findall(r"\w+", s_text.lower()))
    if status == "detained" and word in ("people", "persons", "personnes") and ref is None and in_camp:
        role = "family"  # camps in north-east Syria hold the fighters' families
    return role


def _is_change(text: str, m: NumberMention, lex: Lexicon) -> bool:
    after = text[m.end : m.end + 30].lower().split()
    if after and after[0].strip(".,") in lex.change_words and m.quantity.kind == "percent":
        return True
    before = text[max(0, m.start - 40) : m.start].lower().split()
    return (
        bool(before)
        and before[-1] in ("by", "de")
        and any(w.strip(".,") in lex.change_words for w in before[-4:-1])
    )


def _group(
    ctx: _Context,
    s: Sentence,
    m: NumberMention,
    role: str,
    ref: Referent | None,
    how: str,
    got: Counted,
    next_start: int,
) -> str | None:
    if role == "victims":
        return None
    f = finder(ctx.lang)
    prev_end = max(
        [r.pos for r in ctx.referents if r.sent == ctx.sents.index(s) and r.figure and r.pos < m.start]
        + [s.start]
    )
    clause = ctx.text[prev_end if prev_end > s.start else s.start : next_start]
    for text in (clause, s.text(ctx.text)):
        g = f.label(text)
        if g:
            return g
        if f.definite.search(text) and ctx.last_group:
            return ctx.last_group
    if ref is not None and (how != "explicit" or got.demonstrative):
        return ref.group
    demonstrative = re.search(r"\b(?:these|those|ces)\s+([\w-]+)", s.text(ctx.text), re.I)
    if demonstrative and demonstrative.group(1).lower() in ctx.lex.role_of:
        prior = [r for r in ctx.referents if r.pos < m.start and r.figure]
        if prior:
            return prior[-1].group
    return None


def _period(ctx: _Context, s: Sentence, m: NumberMention) -> str | None:
    s_text = s.text(ctx.text)
    best: tuple[int, str] | None = None
    for p in ctx.lex.period:
        for mm in p.finditer(s_text):
            d = abs((s.start + mm.start()) - m.start)
            if best is None or d < best[0]:
                best = (d, mm.group(0))
    return best[1] if best else None


def _place(ctx: _Context, z: predicate.Zones, sp: SpacyDoc, base: int) -> str | None:
    idx = {t.i for t in z.main + z.mods}
    if not idx:
        return None
    lo = base + min(sp[k].idx for k in idx)
    hi = base + max(sp[k].idx + len(sp[k].text) for k in idx)
    seg = ctx.text[lo:hi]
    codes: list[str] = []
    for p in ctx.gaz.find(seg):
        if (
            p.kind == "country"
            and origin_of._words(ctx.lang).locative.search(seg[: p.start])
            and p.code not in codes
        ):
            codes.append(p.code)
    if not codes:
        return None
    codes.sort(key=lambda c: (c != "SY", c != "IQ"))
    return ",".join(codes)
