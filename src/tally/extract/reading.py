"""Read one candidate number in its parsed sentence into a Figure, or reject it.

The order matters: first what the number counts (a people noun, or the people it
refers back to), then what happened to them, then origin, group and source, some of
which the referent lends when the sentence does not say.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tally.extract import attribution, predicate
from tally.extract.counted import Counted, find
from tally.extract.groups import finder
from tally.extract.places import CONFLICT_ZONE
from tally.model import Doc, Figure, NumberMention

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

    from tally.extract.document import Referent, _Context
    from tally.extract.sentences import Sentence

# How many sentences back an elliptical number or 'of them' may find its people.
ANTECEDENT_WINDOW = 3
# How far before a number 'including', 'of whom' may stand to make it a subset of what precedes.
SUBSET_WINDOW = 3
# Words between a number and the verb it is the subject of ("500 are", "130 – including 68 men – remain").
SUBJECT_GAP = 12

_LOCATIVE = re.compile(
    r"\b(in|into|to|from|at|across|near|towards|toward|inside|within|en|au|aux|dans|vers|à)\s+(the\s+|la\s+|le\s+|l'|les\s+)?$",
    re.I,
)
_FROM = re.compile(r"^\s*(?:who\s+\w+\s+)?(?:from|of|de|d'|du|des)\s+", re.I)
_MULTI_FROM = re.compile(
    r"^\s*(?:from|of)\s+(?:the\s+)?(?:(?:four|five|six|several|various|many|more than \d+|\d+|other)\s+)?(?:countries|nations|states|regions)\b|^\s*from\s+(?:around|across|all over)\b",
    re.I,
)


def _ref_before(
    ctx: _Context, pos: int, sent: int, same_sentence: bool, figures_first: bool
) -> Referent | None:
    cands = [r for r in ctx.referents if r.pos < pos]
    if same_sentence:
        cands = [r for r in cands if r.sent == sent]
    else:
        cands = [r for r in cands if sent - ANTECEDENT_WINDOW <= r.sent < sent]
    if not cands:
        return None
    if figures_first:
        figs = [r for r in cands if r.figure]
        if figs:
            return figs[-1]
    return cands[-1]


def _subject_like(sp: SpacyDoc, toks: list[Token], after: int, lex) -> bool:  # type: ignore[no-untyped-def]
    """Whether an elliptical number stands as the subject of a verb ('500 are presumed dead')."""
    if any(t.dep_ in lex.grammar["subject"] for t in toks):
        return True
    depth = 0
    for j in range(after, min(len(sp), after + SUBJECT_GAP)):
        t = sp[j]
        if t.text in ("–", "—", "(", "-"):
            depth = 1 - depth
            continue
        if t.text == ")":
            depth = 0
            continue
        if depth:
            continue
        if t.pos_ in ("ADV", "PART") or t.text == ",":
            continue
        return t.pos_ in ("AUX", "VERB")
    return False


def _elliptical_ok(
    sp: SpacyDoc, toks: list[Token], after: int, s_text: str, start_in_s: int, lex
) -> str | None:  # type: ignore[no-untyped-def]
    """Why a number with no noun still counts people, or None."""
    g = lex.grammar
    before = s_text[:start_in_s].lower()
    tail = before[-40:]
    if any(re.search(rf"\b{re.escape(w)}\s*$", tail) for w in g["including"]):
        return "subset"
    if re.search(rf"(?:\b[A-Z][\w .'’-]{{1,30}}){re.escape(g['label_sep'])}\s*$", s_text[:start_in_s]):
        return "label"
    if _subject_like(sp, toks, after, lex):
        return "subject"
    if any(w in before for w in lex.collectives) and re.search(
        r"\b(?:to|at|of|was|is|were|are|stands?|reached|à|de|est|était)\s*(?:only\s+|just\s+|some\s+)?$", tail
    ):
        return "collective"
    if re.search(r"\b(?:and|or|while|et|ou)\s*$", tail):
        return "coordinated"
    top = toks[-1]
    if top.dep_ in ("dobj", "obj") and top.head.lower_ in ("killed", "killing", "kill", "tué", "tués"):
        return "object-killed"
    return None


def _mention_start_token(sp: SpacyDoc, base: int, pos: int) -> int:
    for t in sp:
        if base + t.idx >= pos:
            return t.i
    return len(sp)


def read_figure(
    ctx: _Context,
    i: int,
    s: Sentence,
    sp: SpacyDoc,
    m: NumberMention,
    toks: list[Token],
    others: set[int],
    frame: tuple[int, Referent | None] | None,
    sentence_figs: list[Referent],
    att: attribution.Attribution | None,
    doc: Doc,
) -> tuple[Figure | None, Referent | None]:
    from tally.extract.document import Referent

    lex, gaz = ctx.lex, ctx.gaz
    base = s.start
    s_text = s.text(ctx.text)
    after = _mention_start_token(sp, base, m.end)
    got = find(sp, after, lex, gaz, {t.i for t in toks})
    if got is None or got.kind == "none":
        return None, None
    ref: Referent | None = None
    how = got.kind
    if got.kind == "elliptical":
        why = _elliptical_ok(sp, toks, after, s_text, m.start - base, lex)
        if why is None:
            return None, None
        if why == "coordinated" and sentence_figs:
            ref = sentence_figs[-1]
        elif frame and m.start >= frame[0] and frame[1] is not None:
            ref = frame[1]
        elif sentence_figs:
            ref = sentence_figs[-1]
        else:
            ref = _ref_before(ctx, m.start, i, True, False) or _ref_before(ctx, m.start, i, False, True)
        if ref is None:
            return None, None
        if why == "label":
            how = "label"
    elif got.kind == "anaphor":
        ref = _ref_before(ctx, m.start, i, True, False) or _ref_before(ctx, m.start, i, False, True)
        if ref is None:
            return None, None
    elif frame and m.start >= frame[0] and frame[1] is not None:
        ref = frame[1]  # "Of the 1,490 Frenchmen ..., 390 adults have returned": adults of those
        how = "frame"
    elif got.demonstrative:
        ref = _ref_before(ctx, m.start, i, False, True)
    head = got.head
    anchor = head if head is not None else toks[-1]
    z = predicate.zones(anchor, head, others, lex)
    head_text = head.text if head is not None else None
    status, where = predicate.status(z, head_text, lex)
    if status is None and ref is not None:
        status = ref.status
    if status is None:
        status = (
            "present"
            if any(p.search(predicate.Zones.text(z.main + z.mods)) for p in lex.current)
            else "other"
        )
    role = _role(ctx, got, ref, status, how, z)
    q = m.quantity
    is_change = _is_change(ctx.text, m, lex)
    nominal = where == "main" and z.verb is None
    scope = predicate.scope(status, z, s_text, role, is_change, nominal, lex)
    if (
        status == "returned"
        and ref is not None
        and got.kind != "explicit"
        and scope == "cumulative"
        and ref.status != "returned"
    ):
        pass
    group = _group(ctx, s, m, role, ref, how, got)
    origin = _origin(ctx, s, m, got, ref, role, status, z)
    source = _source(ctx, i, s, att, ref, how, got)
    counted_text = got.text if got.kind == "explicit" else (ref.counted if ref else None)
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
        place=_place(ctx, s, m, z, origin, sp, base),
        period=_period(ctx, s, m),
        source=source,
        scope=scope,
        start=m.start,
        end=m.end,
        quote_start=s.start,
        quote_end=s.end,
        published=doc.published,
        url=doc.url,
        outlet=doc.outlet,
        lang=ctx.lang,
    )
    r = Referent(m.start, i, counted_text or "", role, origin, group, status, source, figure=True)
    return fig, r


def _role(
    ctx: _Context, got: Counted, ref: Referent | None, status: str, how: str, z: predicate.Zones
) -> str:
    lex = ctx.lex
    if got.kind == "explicit" and got.head is not None:
        word = got.head.lower_
        role = lex.role_of.get(word) or lex.role_of.get(got.head.lemma_.lower(), "militants")
        generic = word in lex.generic
        if (
            how == "frame"
            and ref is not None
            and ref.role == "militants"
            and role == "family"
            and word in ("women", "woman", "men", "femmes", "hommes")
        ):
            role = "militants"
        if ref is not None and how == "frame" and role == "militants" and generic:
            role = ref.role
    else:
        role = ref.role if ref is not None else "militants"
        generic = True
    if (
        status == "killed"
        and role in ("militants", "civilians")
        and generic
        and (ref is None or ref.role != "militants")
    ):
        if (
            got.kind == "explicit"
            and got.head is not None
            and got.head.lower_ in ("people", "persons", "civilians", "personnes", "civils")
        ):
            role = "victims"
        elif got.kind != "explicit" and ref is None:
            role = "victims"
    if (
        status == "detained"
        and got.kind == "explicit"
        and got.head is not None
        and got.head.lower_ in ("people", "persons", "personnes")
    ):
        if any(t.lower_ in lex.camps for t in z.main + z.mods):
            role = "family"
    return role


def _is_change(text: str, m: NumberMention, lex) -> bool:  # type: ignore[no-untyped-def]
    after = text[m.end : m.end + 30].lower().split()
    if after and after[0].strip(".,") in lex.change_words and m.quantity.kind == "percent":
        return True
    before = text[max(0, m.start - 40) : m.start].lower().split()
    if (
        before
        and before[-1] in ("by", "de", "of")
        and any(w.strip(".,") in lex.change_words for w in before[-4:-1])
    ):
        return True
    return False


def _clause(ctx: _Context, s: Sentence, m: NumberMention) -> str:
    """The figure's own clause: from the previous number to the next in the sentence."""
    text = ctx.text
    s_text = s.text(text)
    starts = [
        mm.start() + s.start
        for mm in re.finditer(r"\d|\b(?:dozens|hundreds|thousands|several|some)\b", s_text)
    ]
    prev_end = max([x for x in starts if x < m.start - 2] + [s.start])
    nxt = min([x for x in starts if x > m.end + 1] + [s.end])
    del prev_end
    return text[s.start if m.start - s.start < 3 else _prev_mention_end(ctx, s, m) : nxt]


def _prev_mention_end(ctx: _Context, s: Sentence, m: NumberMention) -> int:
    prior = [r.pos for r in ctx.referents if r.sent == ctx.sents.index(s) and r.pos < m.start]
    return max(prior) + 1 if prior else s.start


def _group(
    ctx: _Context, s: Sentence, m: NumberMention, role: str, ref: Referent | None, how: str, got: Counted
) -> str | None:
    if role == "victims":
        return None
    f = finder(ctx.lang)
    clause = _clause(ctx, s, m)
    for text in (clause, s.text(ctx.text)):
        g = f.first(text)
        if g:
            return g
        if f.definite.search(text) and ctx.last_group:
            return ctx.last_group
    if ref is not None and (got.kind != "explicit" or how == "frame" or got.demonstrative):
        return ref.group
    if ref is None and re.search(r"\b(?:these|those)\s+\w+", s.text(ctx.text), re.I):
        prior = [r for r in ctx.referents if r.pos < m.start and r.figure]
        if prior:
            return prior[-1].group
    return None


def _origin(
    ctx: _Context,
    s: Sentence,
    m: NumberMention,
    got: Counted,
    ref: Referent | None,
    role: str,
    status: str,
    z: predicate.Zones,
) -> str | None:
    text, gaz, lex = ctx.text, ctx.gaz, ctx.lex
    if got.kind == "explicit" and got.head is not None:
        sp = got.head.doc
        np_start = s.start + (got.tokens[0].idx if got.tokens else got.head.idx)
        np_end = s.start + got.head.idx + len(got.head.text)
        np_text = text[m.start : np_end]
        if lex.multi_origin.search(np_text):
            return None
        codes = {p.code for p in gaz.find(np_text) if p.kind in ("demonym", "country")}
        if len(codes) == 1:
            return codes.pop()
        if len(codes) > 1:
            return None
        del np_start
        rest = text[np_end : s.end]
        if _MULTI_FROM.match(rest):
            return None
        fm = _FROM.match(rest)
        if fm:
            tail = rest[fm.end() : fm.end() + 80]
            cut = re.split(r"\b(?:who|which|that|have|has|are|is|were|was|qui|sont|ont)\b|[,;.]", tail)[0]
            found = {p.code for p in gaz.find(cut) if p.kind == "country"}
            if len(found) == 1:
                return found.pop()
            if len(found) > 1:
                return None
        del sp
    if status == "returned":
        zone = predicate.Zones.text(z.main + z.mods)
        for p in gaz.find(text[m.end : s.end][:120]):
            if p.kind == "country" and p.code not in CONFLICT_ZONE:
                prefix = text[m.end : m.end + 120][: p.start].lower()
                if re.search(r"\b(to|in|back to|home to|en|à|vers)\s+(the\s+)?$", prefix) and (
                    "to" in zone or "back" in zone or "returnees" in zone or True
                ):
                    return p.code
    if ref is not None and (got.kind != "explicit" or got.demonstrative):
        return ref.origin
    if ref is not None and got.kind == "explicit" and got.head is not None and got.head.lower_ in lex.generic:
        if ref.origin:
            return ref.origin
    if role not in ("militants", "family"):
        return None
    s_text = s.text(text)
    if lex.multi_origin.search(s_text) or (
        got.head is not None and got.head.lower_ not in lex.generic and got.kind == "explicit"
    ):
        return None
    for p in reversed(gaz.find(text[s.start : m.start])):
        before = text[s.start : s.start + p.start]
        if _LOCATIVE.search(before):
            continue
        if (
            p.kind == "country"
            and p.code in CONFLICT_ZONE
            and not re.match(
                r"\s*(?:'s|’s|\w+ed|has|have|still|recently)\b", text[s.start + p.end : s.start + p.end + 12]
            )
        ):
            continue
        return p.code
    return ctx.default_origin


def _source(
    ctx: _Context,
    i: int,
    s: Sentence,
    att: attribution.Attribution | None,
    ref: Referent | None,
    how: str,
    got: Counted,
) -> str | None:
    if att:
        return att.source
    for qs, qe in ctx.quotes:
        if qs <= s.start and s.end <= qe + 2:
            for j, other in enumerate(ctx.sents):
                if other.start <= qe <= other.end + 1 and j in ctx.sentence_sources and j != i:
                    return ctx.sentence_sources[j].source
                if other.start <= qs <= other.end and j in ctx.sentence_sources and j != i:
                    return ctx.sentence_sources[j].source
    if ref is not None and (got.kind != "explicit" or how == "frame" or got.demonstrative) and ref.source:
        return ref.source
    last = ctx.last_source
    if last is None:
        return None
    if ctx.last_source_para == s.para:
        return last.source
    if last.document:
        return last.source
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


def _place(
    ctx: _Context,
    s: Sentence,
    m: NumberMention,
    z: predicate.Zones,
    origin: str | None,
    sp: SpacyDoc,
    base: int,
) -> str | None:
    zone_idx = {t.i for t in z.main + z.mods}
    if not zone_idx:
        return None
    lo = base + min(sp[k].idx for k in zone_idx)
    hi = base + max(sp[k].idx + len(sp[k].text) for k in zone_idx)
    seg = ctx.text[lo:hi]
    codes: list[str] = []
    for p in ctx.gaz.find(seg):
        before = seg[: p.start]
        if p.kind == "country" and _LOCATIVE.search(before) and p.code not in codes:
            codes.append(p.code)
    if not codes:
        return None
    codes.sort(key=lambda c: (c != "SY", c != "IQ"))
    return ",".join(codes)


def note_people(
    ctx: _Context,
    i: int,
    s: Sentence,
    sp: SpacyDoc | None,
    att: attribution.Attribution | None,
    skip: set[int],
) -> None:
    """Record people a sentence names without a number, as referents for later figures."""
    from tally.extract.document import Referent
    from tally.extract.screen import people_cue

    text = s.text(ctx.text)
    cue = people_cue(ctx.lex, ctx.gaz)
    f = finder(ctx.lang)
    for mm in cue.finditer(text):
        word = mm.group(0)
        low = word.lower()
        if low.startswith(("of ", "d")) or low in ("people",) and False:
            continue
        role = ctx.lex.role_of.get(low, "militants")
        if role not in ("militants", "family"):
            continue
        pos = s.start + mm.start()
        before = text[max(0, mm.start() - 3) : mm.start()]
        if re.search(r"\d\s*$", before):
            continue  # counted by a number: that figure is the referent
        window = text[mm.end() : mm.end() + 90]
        found = [
            st
            for st in ctx.lex.status_order
            if any(p.search(window.lower()) for p in ctx.lex.status_patterns.get(st, ()))
        ]
        life = [st for st in found if st in predicate.LIFE]
        origin = None
        pre = text[max(0, mm.start() - 30) : mm.end()]
        codes = {p.code for p in ctx.gaz.find(pre) if p.kind == "demonym"}
        if len(codes) == 1:
            origin = codes.pop()
        ctx.referents.append(
            Referent(
                pos,
                i,
                word,
                role,
                origin or ctx.default_origin,
                f.first(text),
                life[0] if life else (found[0] if found else None),
                att.source if att else None,
            )
        )
    ctx.referents.sort(key=lambda r: r.pos)
    del sp, skip
