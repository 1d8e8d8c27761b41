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
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tally import __version__
from tally.extract import attribution, counted, nlp, numbers, predicate
from tally.extract.groups import JIHADIST, finder
from tally.extract.lexicon import Lexicon, load
from tally.extract.places import CONFLICT_ZONE, Gazetteer, gazetteer
from tally.extract.screen import people_cue, plausible
from tally.extract.sentences import Sentence, split
from tally.model import Doc, Figure, NumberMention

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

# A document's own country is the origin of its generic counts only when it leads the
# next by this factor and is named at least MIN_DEFAULT_MENTIONS times.
DEFAULT_ORIGIN_LEAD = 1.5
MIN_DEFAULT_MENTIONS = 2


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


@dataclass
class _Context:
    text: str
    lang: str
    lex: Lexicon
    gaz: Gazetteer
    sents: list[Sentence]
    default_origin: str | None
    referents: list[Referent] = field(default_factory=list)
    last_group: str | None = None
    last_source: attribution.Attribution | None = None
    last_source_para: int = -1
    quotes: list[tuple[int, int]] = field(default_factory=list)
    sentence_sources: dict[int, attribution.Attribution] = field(default_factory=dict)


def extract(doc: Doc, *, prefilter: bool = True) -> list[Figure]:
    """Every figure about people in `doc`, in text order."""
    lang = doc.lang if doc.lang in ("en", "fr") else "en"
    lex = load(lang)
    text = doc.text
    if prefilter and not lex.domain.search(text):
        return []
    gaz = gazetteer(lang)
    sents = split(text)
    starts = [s.start for s in sents]
    by_sent: dict[int, list[NumberMention]] = {}
    for m in numbers.find(text, lang):
        i = bisect.bisect_right(starts, m.start) - 1
        if i >= 0 and m.end <= sents[i].end and plausible(text, m, lex):
            by_sent.setdefault(i, []).append(m)
    if prefilter:
        cue = people_cue(lex, gaz)
        by_sent = {
            i: ms
            for i, ms in by_sent.items()
            if any(cue.search(sents[j].text(text)) for j in range(max(0, i - 2), i + 1))
        }
    if not by_sent:
        return []
    cue = attribution.cue_pattern(lex)
    wanted = sorted(set(by_sent) | {i for i, s in enumerate(sents) if cue.search(s.text(text))})
    parsed = dict(zip(wanted, nlp.parse([sents[i].text(text) for i in wanted], lang), strict=True))
    ctx = _Context(text, lang, lex, gaz, sents, _default_origin(text, sents, gaz))
    ctx.quotes = attribution.quote_spans(text)
    out: list[Figure] = []
    for i, s in enumerate(sents):
        stext = s.text(text)
        sp = parsed.get(i)
        att = attribution.of_sentence(stext, sp, lex) if sp is not None or i in by_sent else None
        if att and att.pronoun and ctx.last_source:
            att = attribution.Attribution(ctx.last_source.source, ctx.last_source.document)
        if att:
            ctx.sentence_sources[i] = att
        if sp is not None and i in by_sent:
            out.extend(_sentence_figures(ctx, i, s, sp, by_sent[i], att, doc))
        else:
            _note_people(ctx, i, s, None, att)
        named = finder(lang).named_in(stext)
        if named:
            ctx.last_group = named[-1][1]
        if att:
            ctx.last_source = att
            ctx.last_source_para = s.para
    return out


def _default_origin(text: str, sents: list[Sentence], gaz: Gazetteer) -> str | None:
    """The country a document is about, counted from nationality words and named
    countries that are not places people went to."""
    counts: Counter[str] = Counter()
    for m in gaz.find(text):
        if m.kind == "capital":
            continue
        before = text[max(0, m.start - 12) : m.start].lower()
        if m.kind == "country" and (
            m.code in CONFLICT_ZONE or re.search(r"\b(in|into|to|from|across)\s*$", before)
        ):
            continue
        counts[m.code] += 2 if sents and m.start < sents[0].end else 1
    if not counts:
        return None
    ranked = counts.most_common(2)
    top, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if n >= MIN_DEFAULT_MENTIONS and n >= DEFAULT_ORIGIN_LEAD * second:
        return top
    return None


def _tokens_in(sp: SpacyDoc, base: int, start: int, end: int) -> list[Token]:
    return [t for t in sp if start <= base + t.idx < end]


def _sentence_figures(
    ctx: _Context,
    i: int,
    s: Sentence,
    sp: SpacyDoc,
    mentions: list[NumberMention],
    att: attribution.Attribution | None,
    doc: Doc,
) -> list[Figure]:
    from tally.extract.reading import read_figure

    base = s.start
    spans = [_tokens_in(sp, base, m.start, m.end) for m in mentions]
    all_number_tokens = {t.i for toks in spans for t in toks}
    figs: list[Figure] = []
    sentence_figs: list[Referent] = []
    frame = _frame(ctx, i, s, sp)
    _note_people(ctx, i, s, sp, att, skip=all_number_tokens)
    for k, (m, toks) in enumerate(zip(mentions, spans, strict=True)):
        if not toks:
            continue
        others = {t.i for j, ts in enumerate(spans) if j != k for t in ts}
        fig, ref = read_figure(ctx, i, s, sp, m, toks, others, frame, sentence_figs, att, doc)
        if fig is None or ref is None:
            continue
        fig.version = __version__
        figs.append(fig)
        sentence_figs.append(ref)
        ctx.referents.append(ref)
    ctx.referents.sort(key=lambda r: r.pos)
    return figs


def _frame(ctx: _Context, i: int, s: Sentence, sp: SpacyDoc) -> tuple[int, Referent | None] | None:
    """A leading 'Of the 1,490 Frenchmen who ..., ' / 'Of these, ': (end offset, referent).

    The referent is filled in later when the frame holds a figure of its own."""
    stext = s.text(ctx.text)
    m = re.match(r"(?i)(?:of|among|out of|parmi|sur)\b[^,]{0,200},", stext)
    if not m:
        return None
    inner = stext[: m.end()]
    if any(ch.isdigit() for ch in inner) or re.search(r"\b(?:these|those|them|all|ces|eux)\b", inner, re.I):
        prior = [r for r in ctx.referents if r.pos < s.start]
        return (s.start + m.end(), prior[-1] if prior else None)
    return None


def _note_people(
    ctx: _Context,
    i: int,
    s: Sentence,
    sp: SpacyDoc | None,
    att: attribution.Attribution | None,
    skip: set[int] | None = None,
) -> None:
    """Record people a sentence names without counting them ('pardon citizens who ...'),
    so that a later 'Dozens have been pardoned' can refer back to them."""
    from tally.extract.reading import note_people

    note_people(ctx, i, s, sp, att, skip or set())
