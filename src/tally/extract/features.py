"""Features of a candidate number: what the learned decision layer reads.

Every feature is a name with the value 1 (a sparse, binary bag), built from what the
rules already see: the words and lemmas of the figure's clause and sentence, its
governing verb with tense, mood and negation, the dependency path from the number to
that verb, the lexicons' cues per zone, the rules' own guess for each attribute, the
position in the document and the figure it refers back to. Names carry no language
prefix except `lang=`: French "rentrés" and English "returned" meet in the rules'
guesses and lexicon cues, and each language's words add their own weights.

The same function runs at training time (`tally.train`) and in `extract`, so the model
sees at run time exactly the features it was trained on.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tally.extract import predicate
from tally.extract.lexicon import lemmatizer
from tally.model import Figure

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

    from tally.extract.document import _Context
    from tally.extract.lexicon import Lexicon
    from tally.extract.places import PlaceMatch
    from tally.extract.reading import Reading
    from tally.extract.sentences import Sentence

# Words read on each side of the number, and along its clause.
WINDOW = 6
CLAUSE_WORDS = 14
# Dependency steps followed from the number up to its verb.
MAX_PATH = 4
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+|[%:;–—(]")


@dataclass(slots=True)
class Candidate:
    """One candidate number of a document with its rule reading and its features."""

    fig: Figure
    reject: str | None
    features: dict[str, float]
    sentence: int
    para: int
    antecedent: int | None  # index (in the document's candidates) of the one it refers back to
    rule_part: bool
    words_before: str = ""  # the sentence up to the number, for part_of pairs
    # (how, text, sentences back: negative for a source named after the figure)
    source_options: list[tuple[str, str, int]] = field(default_factory=list)
    default_origin: str | None = None  # the country the document is about, if one leads
    origin_features: dict[str, float] = field(default_factory=dict)  # what the origin decision reads beside


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _bag(prefix: str, ws: list[str], out: dict[str, float], lemma) -> None:  # type: ignore[no-untyped-def]
    for w in ws:
        out[f"{prefix}={w}"] = 1.0
        lw = lemma(w)
        if lw != w:
            out[f"{prefix}~{lw}"] = 1.0


def _hits(prefix: str, text: str, lex: Lexicon, out: dict[str, float]) -> None:
    """Which statuses and time markers of the lexicons the text holds."""
    if not text.strip():
        return
    for st in predicate._match(text, lex):
        out[f"{prefix}:st={st}"] = 1.0
    for name in ("current", "still", "cumulative", "totals", "event"):
        if any(p.search(text) for p in getattr(lex, name)):
            out[f"{prefix}:t={name}"] = 1.0
    if lex.future.search(text):
        out[f"{prefix}:future"] = 1.0


def _tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one parse."""
    up: dict[int, int] = {}
    x, d = a, 0
    while True:
        up[x.i] = d
        if x.head.i == x.i:
            break
        x, d = x.head, d + 1
    x, d = b, 0
    while x.i not in up:
        if x.head.i == x.i:
            return 99
        x, d = x.head, d + 1
    return d + up[x.i]


def _tags(word: str, lex: Lexicon, lemma) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    w = word.lower()
    got = lex.cues.get(w, ())
    lw = lemma(w)
    if lw != w:
        got = got + tuple(t for t in lex.cues.get(lw, ()) if t not in got)
    return got


def _cues(
    sp: SpacyDoc,
    anchor: Token,
    start: int,
    end: int,
    clause: set[int],
    lex: Lexicon,
    lemma,  # type: ignore[no-untyped-def]
    f: dict[str, float],
) -> None:
    """The cue words of the sentence (`cues.json`): which stand in the figure's clause and
    sentence, and which is nearest the number in the parse tree and on each side. A cue
    close to the number in the tree is most often its predicate, however the clause is
    ordered."""
    hits: list[tuple[int, int, str]] = []  # (tree distance, char distance, tag)
    for t in sp:
        if start <= t.idx < end:
            continue
        tags = _tags(t.text, lex, lemma)
        if not tags:
            continue
        chars = t.idx - end if t.idx >= end else t.idx + len(t.text) - start
        dist = _tree_distance(anchor, t)
        for tag in tags:
            hits.append((dist, chars, tag))
            f[f"c:sent:{tag}"] = 1.0
            if t.i in clause:
                f[f"c:clause:{tag}"] = 1.0
            if dist <= 2:
                f[f"c:tree2:{tag}"] = 1.0
    for kind in ("st", "time", "modality"):
        mine = [h for h in hits if h[2].startswith(kind + ":")]
        if not mine:
            f[f"c:{kind}:none"] = 1.0
            continue
        mine.sort(key=lambda h: (h[0], abs(h[1])))
        f[f"c:tree1:{mine[0][2]}"] = 1.0
        f[f"c:tree1:{mine[0][2]}|{min(mine[0][0], 4)}"] = 1.0
        right = sorted((h for h in mine if h[1] >= 0), key=lambda h: h[1])
        left = sorted((h for h in mine if h[1] < 0), key=lambda h: -h[1])
        if right:
            f[f"c:right:{right[0][2]}"] = 1.0
            f[f"c:right:{right[0][2]}|{'near' if right[0][1] < 40 else 'far'}"] = 1.0
        if left:
            f[f"c:left:{left[0][2]}"] = 1.0
            f[f"c:left:{left[0][2]}|{'near' if -left[0][1] < 40 else 'far'}"] = 1.0


def _text_cues(prefix: str, text: str, lex: Lexicon, lemma, f: dict[str, float]) -> None:  # type: ignore[no-untyped-def]
    for w in words(text):
        for tag in _tags(w, lex, lemma):
            f[f"{prefix}:{tag}"] = 1.0


def _predicates(sp: SpacyDoc, anchor: Token, lex: Lexicon, lemma, f: dict[str, float]) -> None:  # type: ignore[no-untyped-def]
    """The finite verb groups after the number (`predicate.finite_groups`): the first that
    no relative pronoun opens is the predicate of the counted people ("40 adults and 12
    minors who had left for Syria have returned": returned), those before it describe who
    they are (left). The small pipelines' parse hangs such sentences wrongly often enough
    (a people noun read as an adjective, no verb at all) that the parse's verb and its
    nearest cue both miss the predicate; the tagger's finite forms hold even then, and
    German, which has no parse, has them too."""
    kind = ""
    for kind, group in predicate.finite_groups(sp, anchor.i + 1, len(sp), lex):
        content = [g for g in group if g.pos_ in ("VERB", "NOUN", "ADJ")] or group[:1]
        f[f"fin:{kind}~{lemma(content[-1].lower_)}"] = 1.0
        for v in group[0].morph.get("Mood", []):
            f[f"fin:{kind}:mood={v}"] = 1.0
        for g in group:
            for tag in _tags(g.text, lex, lemma):
                f[f"fin:{kind}:{tag}"] = 1.0
    if kind != "main":
        f["fin:main=none"] = 1.0


# The origin feature of a nationality named in the counted phrase itself.
IN_COUNTED = "o:rule-in-counted"
# The origin feature of people counted as of no one country ("foreigners", "Europeans").
NO_COUNTRY_COUNTED = "o:counted-of-no-country"


def origin_bag(ctx: _Context, reading: Reading, places: list[PlaceMatch], at: int) -> dict[str, float]:
    """What the origin decision reads beside the candidate's features: how the rules'
    origin relates to the country the document is about, and which places its sentence
    names. Whether a count has one country of origin at all ("20,000 foreign fighters"
    has none, "about 40 returned" in a story about one country has its country) is the
    rules' weakest call. `places` are those the gazetteer finds in the sentence, looked up
    once for all its candidates; `at` is where the number ends in it."""
    rule, default = reading.fig.origin, ctx.default_origin
    f = {
        f"o:rule={'none' if rule is None else 'default' if rule == default else 'other'}": 1.0,
        f"o:default={default is not None}": 1.0,
    }
    # "200 Belgian women": a nationality in the counted phrase is the origin (the gold
    # says so for 376 of 377 such figures), whatever else the sentence names.
    counted = reading.fig.counted or ""
    if rule is not None and any(p.code == rule and p.kind == "demonym" for p in ctx.gaz.find(counted)):
        f[IN_COUNTED] = 1.0
    # "12,000 foreigners", "des Européens": people counted as of many countries have no one
    # country of origin, whatever the country the document is about (people.json).
    lex = ctx.lex
    if rule is None and any(
        w.lower() not in lex.multi_origin_weak for w in lex.multi_origin.findall(counted)
    ):
        f[NO_COUNTRY_COUNTED] = 1.0
    f[f"o:places={min(len({p.code for p in places}), 3)}"] = 1.0
    # The countries named just after the number: two or more ("70 wives and children from
    # Serbia, Montenegro and Croatia") give the count no one country of origin.
    after = {p.code for p in places if at <= p.start < at + AFTER_PLACES}
    f[f"o:after={min(len(after), 2)}"] = 1.0
    for p in places:
        f[f"o:place={p.kind}"] = 1.0
        if p.code == default:
            f[f"o:place-default={p.kind}"] = 1.0
    return f


# Characters after a number in which the countries its people come from are named.
AFTER_PLACES = 80


# A word class the article names at least this often is what the article is about.
DOC_MENTIONS = 3
# The prefix of `document_bag`'s features, which some decisions leave unread.
DOCUMENT = "doc:"


def document_bag(text: str, lex: Lexicon) -> dict[str, float]:
    """Whom the whole article speaks of: the sex and age groups (`population` in
    people.json) and the camps it names at least DOC_MENTIONS times, per language. A
    headline's "80 citizens brought home" are the women and children the rest of a
    repatriation story names, and a camp's "40,000 people" its families (SCHEMA.md role);
    the figure's own sentence often says neither. Only the role decision reads these: read
    by the origin decision too, they moved English origin by a figure or two either way
    (grouped CV, four splits).

    The roles the article names (militants, family ...) were read too at first and
    lowered French role (grouped CV, four splits: -.0038); the per-language keys keep one
    language's articles from setting the weights of another's."""
    counts: dict[str, int] = {}
    for w in words(text):
        key = f"pop={lex.population[w]}" if w in lex.population else ("camp" if w in lex.camps else None)
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
    return {f"{DOCUMENT}{lex.lang}:{key}": 1.0 for key, n in counts.items() if n >= DOC_MENTIONS}


def _magnitude(v: float | None) -> str:
    if v is None:
        return "none"
    return str(min(6, int(math.log10(max(v, 1)))))


def build(
    ctx: _Context, reading: Reading, s: Sentence, sp: SpacyDoc, toks: list[Token], n_in_sentence: int, k: int
) -> dict[str, float]:
    """The feature bag of one candidate."""
    f: dict[str, float] = {}
    fig = reading.fig
    lex = ctx.lex
    lemma = lemmatizer(ctx.lang)
    f[f"lang={ctx.lang}"] = 1.0
    # The rules' own reading.
    f["rule:accept" if reading.reject is None else f"rule:reject={reading.reject}"] = 1.0
    f[f"rule:how={reading.how}"] = 1.0
    f[f"rule:counted={reading.counted_kind}"] = 1.0
    f[f"rule:status={fig.status}"] = 1.0
    f[f"rule:scope={fig.scope}"] = 1.0
    f[f"rule:status+scope={fig.status}|{fig.scope}"] = 1.0
    f[f"rule:role={fig.role}"] = 1.0
    f[f"rule:where={reading.where}"] = 1.0
    f[f"rule:population={fig.population}"] = 1.0
    f[f"rule:origin={'yes' if fig.origin else 'no'}"] = 1.0
    f[f"rule:group={'yes' if fig.group else 'no'}"] = 1.0
    f[f"rule:source={'yes' if fig.source else 'no'}"] = 1.0
    if reading.part:
        f["rule:part"] = 1.0
    if reading.demonstrative:
        f["rule:demonstrative"] = 1.0
    # The number.
    q = fig
    f[f"q:qual={q.qualifier}"] = 1.0
    f[f"q:kind={q.kind}"] = 1.0
    f[f"q:mag={_magnitude(q.value if q.value is not None else q.low)}"] = 1.0
    if not any(ch.isdigit() for ch in fig.span):
        f["q:words"] = 1.0
    if q.value is not None and q.value <= 3:
        f["q:small"] = 1.0
    # What it counts.
    if fig.counted:
        _bag("cw", words(fig.counted)[-4:], f, lemma)
    if reading.head is not None:
        f[f"head={reading.head.lower_}"] = 1.0
        f[f"head~{lemma(reading.head.lower_)}"] = 1.0
        f[f"headdep={reading.head.dep_}"] = 1.0
    for w in words(fig.counted or ""):
        if w in lex.population:
            f[f"pop:{lex.population[w]}"] = 1.0
    # The zones the rules read, with the lexicons' cues in each.
    z = reading.zones
    _hits("main", predicate.Zones.text(z.main), lex, f)
    _hits("path", predicate.Zones.text(z.path), lex, f)
    _hits("mods", predicate.Zones.text(z.mods), lex, f)
    _hits("lin", z.linear, lex, f)
    s_text = s.text(ctx.text)
    _hits("sent", s_text.lower(), lex, f)
    if reading.sentence > 0:
        prev = ctx.sents[reading.sentence - 1]
        if prev.para == s.para or reading.sentence - 1 == 0:
            _hits("prev", prev.text(ctx.text).lower()[-300:], lex, f)
    _bag("lin", words(z.linear)[:CLAUSE_WORDS], f, lemma)
    # The governing verb: lemma, tense, mood, negation.
    verb = z.verb
    if verb is not None:
        f[f"verb={verb.lower_}"] = 1.0
        f[f"verb~{lemma(verb.lower_)}"] = 1.0
        f[f"verbtag={verb.tag_}"] = 1.0
        for key in ("Tense", "Mood", "VerbForm", "Voice"):
            for v in verb.morph.get(key, []):
                f[f"vm:{key}={v}"] = 1.0
        for c in verb.children:
            if c.dep_ in ("aux", "auxpass", "aux:pass", "aux:tense", "cop"):
                f[f"aux~{lemma(c.lower_)}"] = 1.0
                for v in c.morph.get("Tense", []):
                    f[f"auxtense={v}"] = 1.0
                for v in c.morph.get("Mood", []):
                    f[f"auxmood={v}"] = 1.0
            if c.dep_ in ("neg", "advmod") and c.lower_ in lex.grammar.get("negations", predicate.NEGATIONS):
                f["neg"] = 1.0
        if verb.dep_ in ("xcomp", "ccomp") and verb.head.pos_ in ("VERB", "AUX"):
            f[f"verbhead~{lemma(verb.head.lower_)}"] = 1.0
    else:
        f["verb=none"] = 1.0
    tense = predicate._linear_tense(z.linear) or predicate.tense(z, lex)
    f[f"tense={tense}"] = 1.0
    # The dependency path from the number up to its verb.
    anchor = toks[-1]
    f[f"dep={anchor.dep_}"] = 1.0
    path = []
    x = anchor
    for _ in range(MAX_PATH):
        if x.head.i == x.i:
            break
        path.append(x.dep_)
        x = x.head
        if x.pos_ in ("VERB", "AUX"):
            break
    f[f"path={'>'.join(path)}"] = 1.0
    # Words around the number.
    before = s_text[: fig.start - s.start]
    after = s_text[fig.end - s.start :]
    wb = words(before)[-WINDOW:]
    wa = words(after)[:WINDOW]
    if wb:
        f[f"b1={wb[-1]}"] = 1.0
    if len(wb) > 1:
        f[f"b2={wb[-2]} {wb[-1]}"] = 1.0
    if wa:
        f[f"a1={wa[0]}"] = 1.0
    if len(wa) > 1:
        f[f"a2={wa[0]} {wa[1]}"] = 1.0
    # "from more than 100 countries": a number of things, not of people (units.json).
    if any(w in lex.not_people for w in wa[:3]):
        f["thing-after"] = 1.0
    _bag("bw", wb, f, lemma)
    _bag("aw", wa, f, lemma)
    if not sp.has_annotation("DEP"):
        # No parse (German): the clause the rules read is a guess, so the sentence's words
        # stand in for the verb, its path and its arguments.
        _bag("sw", words(s_text)[:40], f, lemma)
    if fig.period:
        f["period"] = 1.0
    # Where it stands.
    f[f"pos:sent={min(reading.sentence, 3)}"] = 1.0
    if s.first:
        f["pos:para-first"] = 1.0
    if not s_text.rstrip().endswith((".", "!", "?", "”", '"', "»", ")")):
        f["pos:no-stop"] = 1.0  # a headline, a factbox line, a caption
    if any(qs <= s.start < qe for qs, qe in ctx.quotes):
        f["pos:quoted"] = 1.0
    f[f"pos:k={min(k, 3)}"] = 1.0
    f[f"pos:n={min(n_in_sentence, 4)}"] = 1.0
    clause = {t.i for t in z.main + z.mods + z.path}
    lin_end = fig.end - s.start + len(z.linear)
    clause |= {t.i for t in sp if fig.end - s.start <= t.idx < lin_end}
    _cues(sp, anchor, fig.start - s.start, fig.end - s.start, clause, lex, lemma, f)
    _predicates(sp, anchor, lex, lemma, f)
    if reading.sentence > 0:
        prev = ctx.sents[reading.sentence - 1]
        _text_cues("c:prev", prev.text(ctx.text)[-300:], lex, lemma, f)
    _text_cues("c:title", ctx.sents[0].text(ctx.text) if ctx.sents else "", lex, lemma, f)
    # Whether the text around speaks of the domain (jihadists, Syria, terrorism ...).
    near = [s_text] + [ctx.sents[j].text(ctx.text) for j in {0, max(0, reading.sentence - 1)}]
    if not any(lex.domain.search(t) for t in near):
        f["off-domain"] = 1.0
    f.update(ctx.doc_bag)
    # What it refers back to.
    ante = reading.antecedent
    if ante is None:
        f["ref=none"] = 1.0
    else:
        f[f"ref:status={ante.status}"] = 1.0
        f[f"ref:role={ante.role}"] = 1.0
        f[f"ref:scope={ante.scope}"] = 1.0
        f[f"ref:figure={ante.figure}"] = 1.0
        f[f"ref:same-sentence={ante.sent == reading.sentence}"] = 1.0
        f[f"ref:population={ante.population}"] = 1.0
    return f
