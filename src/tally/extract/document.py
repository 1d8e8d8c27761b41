"""From a cleaned document to its figures: numbers that count people, with what they
count, what happened to them, where they come from, which group, since when, and who
says so.

The flow per document: a domain prefilter; sentences; number expressions; a cheap
screen that drops dates, money, ages and other measures; a parse of the sentences that
hold a candidate or name a source; then each candidate is read in text order, so
that what it refers back to (the people counted before, the last source) is known.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from tally import __version__
from tally.extract import attribution, decide, features, nlp, numbers
from tally.extract.counted import find
from tally.extract.features import Candidate
from tally.extract.groups import finder
from tally.extract.lexicon import LANGS, Lexicon, load
from tally.extract.places import CONFLICT_ZONE, Gazetteer, gazetteer
from tally.extract.predicate import LIFE
from tally.extract.reading import Reading, frame_of, read_figure
from tally.extract.screen import people_cue, plausible
from tally.extract.sentences import Sentence, split
from tally.model import Doc, Figure, NumberMention

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

# A document's own country is the origin of its generic counts only when it leads the
# next by this factor and is named at least MIN_DEFAULT_MENTIONS times, or is the only
# country the document names beside the war's.
DEFAULT_ORIGIN_LEAD = 1.5
MIN_DEFAULT_MENTIONS = 2
# The prefilter parses a sentence with a candidate number only if it, one of the
# PEOPLE_CUE_WINDOW sentences before it or the PEOPLE_CUE_AHEAD after it has a word for
# people ('500 are presumed dead' takes its people from the sentence before; a headline,
# 'Thousands remain in camps', from the lede after it). Smaller windows lose eval figures.
PEOPLE_CUE_WINDOW = 2
PEOPLE_CUE_AHEAD = 2
# A number counts people of Tally's domain only if the text around its sentence speaks of
# the domain (fighters, attacks, camps, Syria ...): a disaster's death toll or a poll's
# sample in the same article is not a figure.
DOMAIN_CHARS_BEFORE = 700  # about 120 words
DOMAIN_CHARS_AFTER = 500  # a headline's topic comes in the lines after it


@dataclass(slots=True)
class Referent:
    """People the text has counted or named, that a later figure may refer back to."""

    pos: int
    sent: int
    counted: str
    role: str
    origin: str | None
    group: str | None
    status: str | None
    source: str | None
    figure: bool = False
    scope: str | None = None
    subset: bool = False  # "including 68 men": part of a figure just given, not a new group
    span: str = ""  # the number as written, for a figure
    population: str = "all"
    whole: Referent | None = None  # for a part, the figure it is a part of


@dataclass
class _Context:
    text: str
    lang: str
    lex: Lexicon
    gaz: Gazetteer
    sents: list[Sentence]
    default_origin: str | None
    outlet: str | None = None
    referents: list[Referent] = field(default_factory=list)
    last_group: str | None = None
    last_source: attribution.Attribution | None = None
    last_source_para: int = -1
    quotes: list[tuple[int, int]] = field(default_factory=list)
    doc_bag: dict[str, float] = field(default_factory=dict)  # `features.document_bag`
    own_voice: set[int] = field(default_factory=set)  # sentences in the outlet's own voice
    sentence_sources: dict[int, attribution.Attribution] = field(default_factory=dict)
    sentence_options: dict[int, list[tuple[str, str, int]]] = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)
    # id(Referent) -> (that Referent, its candidate's index). The entry holds the object
    # so that its id is never reused by a later one while the document is read: keyed by
    # a bare id, a dropped reading's id could come back on a new referent and give it a
    # stranger's index, which made antecedents (and so the trained models) depend on
    # where objects happened to sit in memory.
    index_of: dict[int, tuple[Referent, int]] = field(default_factory=dict)


def extract(doc: Doc, *, prefilter: bool = True) -> list[Figure]:
    """Every figure about people in `doc`, in text order."""
    return decide.figures(candidates(doc, prefilter=prefilter), doc)


def candidates(doc: Doc, *, prefilter: bool = True) -> list[Candidate]:
    """Every candidate number of `doc` with the rules' reading and its features, in text order."""
    lang = doc.lang or "en"
    if lang not in LANGS:
        return []  # no pipeline for this language: nothing is read rather than misread
    lex = load(lang)
    text = doc.text
    if prefilter and not lex.domain.search(text):
        return []
    gaz = gazetteer(lang)
    sents = split(text)
    starts = [s.start for s in sents]
    by_sent: dict[int, list[NumberMention]] = {}
    bounds: dict[int, list[int]] = {}  # where every number but a year starts: clause edges
    for m in numbers.find(text, lang):
        i = bisect.bisect_right(starts, m.start) - 1
        if i < 0 or m.end > sents[i].end:
            continue
        if not _YEAR.fullmatch(m.text):
            bounds.setdefault(i, []).append(m.start)
        if plausible(text, m, lex):
            by_sent.setdefault(i, []).append(m)
    # A figure stands where the text speaks of the domain: in its sentence or just before.
    topic = re.compile(lex.grammar["figure_domain"], re.IGNORECASE)
    cues = sorted([m.start() for m in topic.finditer(text)] + [pos for pos, _ in finder(lang).named_in(text)])
    by_sent = {i: ms for i, ms in by_sent.items() if _near(cues, sents[i].start, sents[i].end)}
    if prefilter:
        cue = people_cue(lex, gaz)
        by_sent = {
            i: ms
            for i, ms in by_sent.items()
            if any(
                cue.search(sents[j].text(text))
                for j in range(max(0, i - PEOPLE_CUE_WINDOW), min(len(sents), i + 1 + PEOPLE_CUE_AHEAD))
            )
        }
    if not by_sent:
        return []
    wanted = sorted(set(by_sent) | _speaking(text, sents, sorted(by_sent), lex))
    parsed = dict(zip(wanted, nlp.parse([sents[i].text(text) for i in wanted], lang), strict=True))
    ctx = _Context(text, lang, lex, gaz, sents, _default_origin(lang, text, sents, gaz), doc.outlet)
    ctx.quotes = attribution.quote_spans(text)
    ctx.doc_bag = features.document_bag(text, lex)
    # Pass 1: who each sentence cites, so a quotation can take the speaker named after it.
    last: attribution.Attribution | None = None
    for i, s in enumerate(sents):
        att = attribution.of_sentence(s.text(text), parsed.get(i), lex)
        if att and att.pronoun:
            att = attribution.Attribution(last.source, last.document) if last else None
        if att is None:
            voice = attribution.own_voice_in(s.text(text), lex)
        else:
            voice = att.source if attribution.own_voice(att.source, lex) else None
        if voice:
            quoted = _quoted(ctx, s, voice)
            if not quoted:
                last = None  # the article's own reporting: what it cited before no longer speaks
                ctx.own_voice.add(i)
            outlet = None if quoted else ctx.outlet
            att = attribution.Attribution(outlet, False) if outlet else None
        if i in parsed:
            opts = attribution.options(s.text(text), parsed[i], lex)
            if last is not None:
                opts += _resolved(opts, last, lex)
            ctx.sentence_options[i] = _outlet_options(ctx, s, opts)
        if att:
            ctx.sentence_sources[i] = att
            last = att
    # Pass 2: candidates in text order, each able to refer back to what came before.
    groups = finder(lang)
    for i, s in enumerate(sents):
        stext = s.text(text)
        sp = parsed.get(i)
        if sp is not None and i in by_sent:
            _sentence_candidates(ctx, i, s, sp, by_sent[i], bounds.get(i, []), doc)
        else:
            _note_people(ctx, i, s, set())
        named = groups.named_in(stext)
        if named:
            ctx.last_group = named[-1][1]
    return ctx.candidates


def _own_voice(ctx: _Context, s: Sentence, phrase: str) -> str | None:
    """What an outlet's "nos informations" stands for: the outlet, when the document says
    which it is and the phrase is its own (a quotation's "our information" is its
    speaker's, named by the quotation's attribution); else no one (SCHEMA.md)."""
    return None if _quoted(ctx, s, phrase) else ctx.outlet


def _quoted(ctx: _Context, s: Sentence, phrase: str) -> bool:
    at = s.text(ctx.text).lower().find(phrase.lower())
    return at >= 0 and any(qs <= s.start + at < qe for qs, qe in ctx.quotes)


def _outlet_options(
    ctx: _Context, s: Sentence, opts: list[tuple[str, str, int]]
) -> list[tuple[str, str, int]]:
    """A sentence's source options with the outlet's own voice read as `_own_voice` says."""
    out = []
    for how, text, verb in opts:
        if attribution.own_voice(text, ctx.lex):
            outlet = _own_voice(ctx, s, text)
            if outlet is None:
                continue
            text = outlet
        out.append((how, text, verb))
    return out


def _resolved(
    opts: list[tuple[str, str, int]], last: attribution.Attribution, lex: Lexicon
) -> list[tuple[str, str, int]]:
    """What a sentence's pronoun options stand for: the last source named ("a-t-il
    ajouté", "according to him", "selon elle"), found however the pronoun was."""
    out = []
    for how, text, k in opts:
        if how.startswith("pronoun"):
            out.append(("resolved" + how.removeprefix("pronoun"), last.source, k))
        elif attribution.is_pronoun(text, lex):
            out.append((f"resolved-{how}", last.source, k))
    return out


def _speaking(text: str, sents: list[Sentence], figured: list[int], lex: Lexicon) -> set[int]:
    """The sentences naming a source that a figure sentence (`figured`, ascending) may take,
    to be parsed with them: those in the SOURCE_WINDOW before it (its source options), those
    in the SOURCE_AHEAD after it (a quotation's speaker named after the quotation, a lede's
    source named after its figures), and the last one before it (the source it carries).
    A source named after the last figure, or behind a nearer one and out of the window,
    can be no figure's, and parsing it would be wasted: it was a third of the text parsed
    in topical articles."""
    if not figured:
        return set()
    last = min(len(sents), figured[-1] + 1 + SOURCE_AHEAD)
    src = [j for j in range(last) if attribution.names_source(sents[j].text(text), lex)]
    out: set[int] = set()
    for i in figured:
        k = bisect.bisect_left(src, i)  # src[:k] stand before the figure sentence
        if k:
            out.add(src[k - 1])
        out.update(src[bisect.bisect_left(src, i - SOURCE_WINDOW) : k])
        out.update(j for j in src[k : k + 1 + SOURCE_AHEAD] if j <= i + SOURCE_AHEAD)
    return out


def _near(cues: list[int], start: int, end: int) -> bool:
    """Whether a domain word stands within the window around [start, end)."""
    i = bisect.bisect_left(cues, start - DOMAIN_CHARS_BEFORE)
    return i < len(cues) and cues[i] < end + DOMAIN_CHARS_AFTER


def _default_origin(lang: str, text: str, sents: list[Sentence], gaz: Gazetteer) -> str | None:
    """The country a document is about, counted from nationality words and named
    countries that are not places people went to. A story that names one country once
    ("ils sont arrivés en Belgique") is still that country's, and the war's own
    nationality words weigh half: in the grouped cross-validation the two gave French
    origin 0.81 -> 0.86, German 0.79 -> 0.82."""
    counts: dict[str, float] = {}  # weighted mentions
    for m in gaz.find(text):
        if m.kind == "capital" or (m.kind == "country" and m.code in CONFLICT_ZONE):
            continue
        weight = 2.0 if sents and m.start < sents[0].end else 1.0
        before = text[max(0, m.start - 12) : m.start].lower()
        if m.kind == "country" and _words(lang).place_prep.search(before):
            weight /= 2  # a place named: a weaker sign of whose story this is than a nationality
        elif m.code in CONFLICT_ZONE:
            weight /= 2  # 'syrische Gefängnisse', 'Syrian camps': as often the war's places as people
        counts[m.code] = counts.get(m.code, 0.0) + weight
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])[:2]
    top, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if n >= MIN_DEFAULT_MENTIONS and n >= DEFAULT_ORIGIN_LEAD * second:
        return top
    if second == 0 and top not in CONFLICT_ZONE:
        return top  # the one country the document names at all, beside the war's
    return None


def _tokens_in(sp: SpacyDoc, base: int, start: int, end: int) -> list[Token]:
    return [t for t in sp if start <= base + t.idx < end and not t.is_space]


def _sentence_candidates(
    ctx: _Context,
    i: int,
    s: Sentence,
    sp: SpacyDoc,
    mentions: list[NumberMention],
    edges: list[int],
    doc: Doc,
) -> None:
    base = s.start
    spans = [_tokens_in(sp, base, m.start, m.end) for m in mentions]
    frame = frame_of(ctx.text, s, ctx.lex, [m.start for m in mentions])
    _note_people(ctx, i, s, {t.i for toks in spans for t in toks})
    sentence_figs: list[Referent] = []
    # Numbers that count things ("the four countries") do not open clauses of their own.
    kinds = [_count_kind(ctx, s, sp, m, ts) if ts else "none" for m, ts in zip(mentions, spans, strict=True)]
    counting = [k != "none" for k in kinds]
    counting_noun = [k == "explicit" for k in kinds]
    places = ctx.gaz.find(s.text(ctx.text))  # for the origin decision (`features.origin_bag`)
    for k, (m, toks) in enumerate(zip(mentions, spans, strict=True)):
        if not toks:
            continue
        back = _back_reference(ctx.lang, ctx.text, mentions, k) and not counting_noun[k]
        others = {t.i for j, ts in enumerate(spans) if j != k and counting[j] for t in ts}
        nexts = [mm.start for j, mm in enumerate(mentions) if j > k and counting[j]]
        clause_end = nexts[0] if nexts else s.end
        nexts = [
            mm.start
            for j, mm in enumerate(mentions)
            if j > k and counting[j] and not _aside(ctx.lang, ctx.text, s, mm)
        ]
        edge = [e for e in edges if e > m.start and not _aside_at(ctx.lang, ctx.text, s, e)]
        next_start = min(
            [nexts[0] if nexts else s.end, _clause_break(ctx.lang, ctx.text, m.end, s.end), *edge[:1]]
        )
        reading = read_figure(
            ctx,
            i,
            s,
            sp,
            m,
            toks,
            others,
            (next_start, clause_end),
            frame,
            sentence_figs,
            doc,
            reject="back-reference" if back else None,
        )
        reading.fig.version = __version__
        cand = Candidate(
            reading.fig,
            reading.reject,
            features.build(ctx, reading, s, sp, toks, len(mentions), k),
            i,
            s.para,
            _index_of(ctx, reading.antecedent),
            reading.part,
            words_before=s.text(ctx.text)[: m.start - s.start],
            source_options=_source_options(ctx, i, reading, sp, toks),
            default_origin=ctx.default_origin,
            origin_features=features.origin_bag(ctx, reading, places, m.end - s.start),
        )
        ctx.index_of[id(reading.ref)] = (reading.ref, len(ctx.candidates))
        ctx.candidates.append(cand)
        if reading.reject is None:
            sentence_figs.append(reading.ref)
            ctx.referents.append(reading.ref)
            ctx.referents.sort(key=lambda r: r.pos)


def _index_of(ctx: _Context, ref: Referent | None) -> int | None:
    """The index of the candidate whose reading made `ref`, if a candidate did."""
    entry = ctx.index_of.get(id(ref)) if ref is not None else None
    return entry[1] if entry is not None and entry[0] is ref else None


# How many sentences back a source may be carried from, as a candidate for the decision layer.
SOURCE_WINDOW = 8
# How many sentences after a figure may name its source, likewise.
SOURCE_AHEAD = 2


def _source_options(
    ctx: _Context, i: int, reading: Reading, sp: SpacyDoc, toks: list[Token]
) -> list[tuple[str, str, int]]:
    """The sources a figure may have: those its sentence names, the rules' choice, its
    antecedent's, and those named in the sentences before and just after it, each with how
    far back it stands (negative after it; how: the rule that found it, '+gov' when the
    option's verb governs the number; where: 'para' in the same paragraph, 'doc' in
    another)."""
    out: list[tuple[str, str, int]] = []
    for how, text, verb in ctx.sentence_options.get(i, []):
        governs = verb >= 0 and toks[0].i in {t.i for t in sp[verb].subtree}
        out.append((how + ("+gov" if governs else ""), text, 0))
    if reading.fig.source:
        out.append(("rule", reading.fig.source, 0))
    if reading.antecedent is not None and reading.antecedent.source and i not in ctx.own_voice:
        out.append(("antecedent", reading.antecedent.source, i - reading.antecedent.sent))
    for j in range(i - 1, max(-1, i - SOURCE_WINDOW), -1):
        if j + 1 in ctx.own_voice:
            break  # the outlet spoke for itself since: no one cited before carries over
        att = ctx.sentence_sources.get(j)
        if att is not None:
            where = _where(ctx, i, j)
            out.append((f"carried-{where}" + ("-document" if att.document else ""), att.source, i - j))
        out += _named_in(ctx, i, j, "earlier")
    # A lede may name its source after its figures ("... have returned. The figures come
    # from the interior ministry", "Ces chiffres ont été fournis par ..."): the sources
    # named just after, at a negative distance; how often they are the figure's is learned.
    for j in range(i + 1, min(len(ctx.sents), i + 1 + SOURCE_AHEAD)):
        if j in ctx.own_voice:
            break
        out += _named_in(ctx, i, j, "later")
    if ctx.outlet:
        out.append(("outlet", ctx.outlet, 0))
    return out


def _where(ctx: _Context, i: int, j: int) -> str:
    """'para' when sentence `j` is in sentence `i`'s paragraph, else 'doc'."""
    return "para" if ctx.sents[j].para == ctx.sents[i].para else "doc"


def _named_in(ctx: _Context, i: int, j: int, side: str) -> list[tuple[str, str, int]]:
    """The source options sentence `j` names, offered to a figure of sentence `i`."""
    where = _where(ctx, i, j)
    return [
        (f"{side}-{where}-{how.split(':')[0]}", text, i - j)
        for how, text, _ in ctx.sentence_options.get(j, [])
    ]


def _count_kind(ctx: _Context, s: Sentence, sp: SpacyDoc, m: NumberMention, toks: list[Token]) -> str:
    after = next((t.i for t in sp if s.start + t.idx >= m.end), len(sp))
    return find(sp, after, ctx.lex, ctx.gaz, {t.i for t in toks}).kind


_YEAR = re.compile(r"(?:1[89]|20)\d\d")


@dataclass(frozen=True)
class _Words:
    clause_break: re.Pattern[str]
    back_gap: re.Pattern[str]
    aside: re.Pattern[str]
    complement: re.Pattern[str]
    place_prep: re.Pattern[str]


@cache
def _words(lang: str) -> _Words:
    """The compiled words of `lang` that cut clauses and tell asides (grammar.json)."""
    g = load(lang).grammar
    alt = "|".join(re.escape(w) for w in g["aside_openers"])
    return _Words(
        re.compile(g["clause_break"]),
        re.compile(g["back_reference_gap"]),
        re.compile(rf"(?:[–—(]\s*|,\s*)(?:{alt})\s*$"),
        re.compile(r"\s+(?:" + "|".join(re.escape(w) for w in g["complement_links"]) + r")\s*"),
        re.compile(r"\b(?:" + "|".join(re.escape(w) for w in g["place_prepositions"]) + r")\s*$"),
    )


def _clause_break(lang: str, text: str, start: int, end: int) -> int:
    """Where a coordinated clause with a new subject starts (', while others were ...')."""
    m = _words(lang).clause_break.search(text, start, end)
    return m.start() if m else end


def _back_reference(lang: str, text: str, mentions: list[NumberMention], k: int) -> bool:
    """'Three of those 12': the 12 names the whole again, it is no new figure."""
    if k == 0:
        return False
    gap = text[mentions[k - 1].end : mentions[k].start]
    return bool(_words(lang).back_gap.fullmatch(gap))


def _aside(lang: str, text: str, s: Sentence, m: NumberMention) -> bool:
    """A number set inside the clause of another ('130 – including 68 men – remain')."""
    return _aside_at(lang, text, s, m.start)


def _aside_at(lang: str, text: str, s: Sentence, start: int) -> bool:
    before = text[max(s.start, start - 30) : start].lower()
    return bool(_words(lang).aside.search(before))


def _note_people(ctx: _Context, i: int, s: Sentence, skip: set[int]) -> None:
    """Record people a sentence names without counting them ('pardon citizens who ...'),
    so that a later 'Dozens have been pardoned' can refer back to them."""
    text = s.text(ctx.text)
    att = ctx.sentence_sources.get(i)
    groups = finder(ctx.lang)
    last_end = -10
    for mm in people_cue(ctx.lex, ctx.gaz).finditer(text):
        word = mm.group(0)
        low = word.lower()
        complement = _words(ctx.lang).complement.fullmatch(text[last_end : mm.start()])
        last_end = mm.end()
        if " " in low and low.split()[0] in ("of", "d'entre", "d’entre"):
            continue
        if complement:
            continue  # "départs de combattants": the people are the first noun's
        if re.search(r"\d\s*$", text[max(0, mm.start() - 3) : mm.start()]):
            continue  # counted by a number: that figure is the referent
        role = ctx.lex.role_of.get(low, "militants")
        window = text[mm.end() : mm.end() + 90].lower()
        found = [
            st
            for st in ctx.lex.status_order
            if any(p.search(window) for p in ctx.lex.status_patterns.get(st, ()))
        ]
        if low in ctx.lex.status_nouns:
            found.insert(0, ctx.lex.status_nouns[low])  # "departures", "returnees"
        life = [st for st in found if st in LIFE]
        codes = {
            p.code for p in ctx.gaz.find(text[max(0, mm.start() - 30) : mm.end()]) if p.kind == "demonym"
        }
        ref = Referent(
            s.start + mm.start(),
            i,
            word,
            role,
            codes.pop()
            if len(codes) == 1
            else (ctx.default_origin if role in ("militants", "family") else None),
            groups.label(text),
            life[0] if life else (found[0] if found else None),
            att.source if att else None,
        )
        ctx.referents.append(ref)
    ctx.referents.sort(key=lambda r: r.pos)
