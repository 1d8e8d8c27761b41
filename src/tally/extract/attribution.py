"""Who a sentence says its figures come from, and how a source carries to later figures.

A sentence names its source by 'according to X', 'citing X', 'a report by X', a reporting
verb's subject ('X said', 'says X'), or, in a headline, a short tail (': Spy chief').
Pronoun subjects refer to the last source. Sentences inside a quotation take the
speaker of the quotation. Documents (reports, studies, figures) keep being cited over
the next paragraphs until another source speaks; a person only within the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from tally.extract import numbers
from tally.extract.lexicon import Lexicon, lemmatizer, load

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span, Token

    from tally.extract.document import _Context
    from tally.extract.sentences import Sentence

# Longest source phrase kept, in words: longer runs are clauses, not names.
MAX_SOURCE_WORDS = 14
# Longest headline tail read as a source (": Spy chief", " - Chechen leader").
MAX_TAIL_WORDS = 6

_STOP = re.compile(r"\s*(?:[,.;:()\[\]–—“”\"«»]|\s-\s)")
_TAIL = re.compile(r"(?:\s[-–—]\s|:\s)([^:–—]{2,80})$")
_LEAD = re.compile(r"([A-ZÀ-Ý][^:.!?]{1,40}?)\s?:\s")
_INVERTED_HYPHEN = re.compile(r"^-(?:t-)?")  # the subject of an inverted verb: "a-t-il", "dit-il"
_CLITIC = re.compile(r"-(?!t$)\w+")  # "-il", "-elle", "-ils", not the euphonic "-t"
_TRIM = re.compile(r"^(?:that|the fact that)\s+|[\s,]+$", re.IGNORECASE)


@dataclass(slots=True)
class Attribution:
    source: str
    document: bool  # a report, study, figures...: carries across paragraphs
    pronoun: bool = False


def _clip(text: str) -> str:
    words = text.split()
    text = " ".join(words[:MAX_SOURCE_WORDS])
    return _TRIM.sub("", text).strip()


def speaker(source: str, lex: Lexicon) -> str:
    """The shortest phrase naming who gave the figures: 'les chiffres de l'Ocam' is
    'l'Ocam', 'the latest count by the ministry' is 'the ministry', 'BKA-Angaben' is
    'BKA', 'Mr Wallace' is 'Wallace' (the full name given earlier holds it)."""
    m = lex.numbers_of.match(source)
    if m:
        source = m.group("speaker")
    elif lex.compound_speaker is not None and (m := lex.compound_speaker.fullmatch(source)):
        source = m.group("speaker")  # "ZDF-Informationen": ZDF
    return lex.honorific.sub("", source)


def own_voice(source: str, lex: Lexicon) -> bool:
    """Whether a source phrase is the outlet speaking for itself ("selon nos informations",
    "according to our information"): it names no one, and stands for the outlet."""
    return lex.own_reporting.fullmatch(source.strip()) is not None


def own_voice_in(sentence: str, lex: Lexicon) -> str | None:
    """The phrase by which a sentence gives the outlet's own reporting as its source
    ("nach unseren Informationen", which no cue of `according` reads), if any."""
    m = lex.own_lead.search(sentence)
    return m.group("phrase") if m else None


def _is_document(source: str, lex: Lexicon) -> bool:
    words = re.findall(r"\w+", source.lower())
    return any(w in lex.documents for w in words[:4])


def _after_cue(sentence: str, sp: SpacyDoc | None, lex: Lexicon) -> str | None:
    at = _postposed(sp, lex)
    if sp is not None and at is not None:
        return _before_cue(sp, at, lex)
    m = lex.according.search(sentence)
    if not m:
        return None
    rest = sentence[m.end() :].lstrip()
    if not rest:
        return None
    stop = _stop(rest, lex)
    phrase = rest[: stop.start()] if stop else rest
    agent = re.search(
        r"\b(?:by|par)\s+((?:the\s+|la\s+|le\s+|l['’])?[A-ZÀ-Ý][\w'’.-]*"
        r"(?:\s+(?:(?:and|of|on|for|et|de|des|du|pour)\s+)?[A-ZÀ-Ý][\w'’.-]*)*)",
        phrase,
    )
    if agent:
        return _clip(agent.group(1))  # "figures ... cited by Jean-Paul Laborde": the one who gave them
    if sp is not None:
        # Stop where a new clause starts: a finite verb after the source's noun, or the
        # pronoun opening a relative clause ("the information that we have").
        offset = len(sentence) - len(rest)
        for t in sp:
            if offset < t.idx < offset + len(phrase) and (
                (
                    t.pos_ in ("VERB", "AUX")
                    and t.tag_ not in ("VBN", "VBG")
                    and "Part" not in t.morph.get("VerbForm", [])
                    and "Inf" not in t.morph.get("VerbForm", [])
                )
                or "Rel" in t.morph.get("PronType", [])
            ):
                phrase = sentence[offset : t.idx]
                break
    return _clip(phrase) or None


_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")  # "M", "U.S" before their last full stop


def _stop(rest: str, lex: Lexicon) -> re.Match[str] | None:
    """Where a source phrase after a cue ends: at punctuation, but not at the full stop of
    an initial or a form of address ("selon M. Dubois", "according to U.S. officials")."""
    for m in _STOP.finditer(rest):
        if m.group().strip() == ".":
            word = re.search(r"\S+$", rest[: m.start()])
            if word and (_INITIALS.fullmatch(word.group()) or lex.honorific.match(rest[word.start() :])):
                continue
        return m
    return None


def _compound(sentence: str, lex: Lexicon) -> str | None:
    """The source a sentence names in a compound with its findings ("nach ZDF-Informationen":
    ZDF). An outlet or office passing on what another says ("Laut ZDF-Recherchen schätzt
    das Bundesamt, dass ...") gives way to the one who says it where a
    parse names them, and is one option among the others for the decision layer."""
    named = lex.compound_source.search(sentence) if lex.compound_source is not None else None
    return named.group("speaker") if named else None


def _postposed(sp: SpacyDoc | None, lex: Lexicon) -> int | None:
    """Where a cue that follows its source stands ("Dem Bericht zufolge"), if one does."""
    if sp is None or not lex.according_after:
        return None
    return next((t.i for t in sp if t.lower_ in lex.according_after), None)


def _before_cue(sp: SpacyDoc, i: int, lex: Lexicon) -> str | None:
    """The source of a cue that follows it ("Dem Bericht der Welt zufolge"): the noun
    phrase right before the cue, unless it names no one ("den Angaben zufolge", where the
    source is the one the article has been quoting)."""
    links = set(lex.grammar.get("np_links", ()))
    start = _phrase_start(sp, i, links)
    if all(t.lower_ in lex.by_nouns for t in sp[start:i] if t.pos_ in ("NOUN", "PROPN")):
        return None
    return _np_text(sp[start:i])


def _by_phrase(sentence: str, lex: Lexicon, sp: SpacyDoc | None = None) -> str | None:
    """'a report by X', 'figures from X', 'estimates from X': X, up to its clause's verb
    where the tags say ("la banque de données de l'Ocam seront contrôlés": l'Ocam)."""
    nouns = "|".join(sorted(lex.by_nouns, key=len, reverse=True))
    links = "|".join(lex.grammar.get("by_links", ["by", "from", "of"]))
    m = re.search(
        rf"\b(?:{nouns})(?: \w+)? (?:{links}) ?((?:the |an? |la |le |l'|l’)?[A-ZÀ-Ý][^,.;:–—]*)", sentence
    )
    if not m:
        return None
    return _clip(_before_verb(sp, m.start(1), m.group(1))) or None


def _agent(sp: SpacyDoc, lex: Lexicon) -> tuple[Token, str] | None:
    """The agent of a passive reporting verb and the verb ('confirmed by the ministry',
    'confirmée par le ministre'): the source a passive names, where `_subject_text` finds
    none. The dependency labels of the agent are the language's (grammar.json `agent`).
    It is an option for the decision layer only: in the rules' fixed order of
    `_of_sentence` it cost French record exact in the grouped cross-validation."""
    deps = lex.grammar.get("agent", [])
    for t in sp:
        if t.dep_ not in deps or t.head.lower_ not in lex.report_verbs:
            continue
        # English hangs the noun under 'by'; French puts 'par' under the noun.
        noun = next((c for c in t.children if c.dep_ == "pobj"), None) if t.pos_ == "ADP" else t
        if noun is None:
            continue
        toks = _phrase_tokens([noun])
        while toks and toks[0].pos_ == "ADP":
            toks = toks[1:]  # 'par'
        text = _phrase_text(toks) if toks else ""
        if text:
            return t.head, text
    return None


def _subject_text(verb: Token, lex: Lexicon) -> str | None:
    """The subject of a reporting verb, with its appositions ('The head of X, Anders Thornberg')."""
    subj = [c for c in verb.children if c.dep_ in lex.grammar["subject"] and c.dep_ != "expl"]
    subj = subj or _clitic(verb)
    if any(c.dep_ in ("nsubjpass", "nsubj:pass") for c in subj):
        return None  # "funds are said to have ...": a passive report names no source
    if not subj:
        # A parse that lost the subject ("In a report ..., Public Safety Canada said").
        return _name_before(verb, lex)
    toks = _phrase_tokens(subj)
    if any(_counts(t, lex) for t in toks):
        # The figure, not its source ("More Than 30 Pardoned Tajiks Believed ..."), or a
        # parse that took a dateline for the subject ("COPENHAGEN – At least 175 ...,
        # the agency said"): a name set off by a comma right before the verb.
        return _name_before(verb, lex, after_comma=True)
    return _phrase_text(toks) or None


def _phrase_tokens(roots: list[Token]) -> list[Token]:
    """The words of the noun phrases headed by `roots`, without their relative clauses."""
    return [t for r in roots for t in r.subtree if t.dep_ not in ("relcl", "acl:relcl")]


def _phrase_text(toks: list[Token]) -> str:
    """The text the tokens span, without the quotes and commas around it, clipped."""
    span = toks[0].doc[min(t.i for t in toks) : max(t.i for t in toks) + 1]
    return _clip(span.text.strip(" ,“”\"'–—"))


def _counts(t: Token, lex: Lexicon) -> bool:
    """Whether a token is a number: spaCy's French `like_num` holds for "un" and "une",
    which in "une cour fédérale a ordonné" are articles (`wordy_one`), not a count."""
    return bool(t.like_num) and t.lower_ not in lex.wordy_one


def _name_before(verb: Token, lex: Lexicon, after_comma: bool = False) -> str | None:
    """The name standing right before a verb (a proper noun among its words), if it is
    not a counted phrase; with `after_comma`, only one a comma sets off."""
    end = _before_brackets(verb.doc, verb.i)
    # The comma that closes an apposition ("the head of X, Anna Example, said"): stepped
    # over when the name is set off by commas on both sides, and so is not the end of the
    # clause before an incise ("... en Syrie, a déclaré X").
    closing = not after_comma and end > 0 and verb.doc[end - 1].text == ","
    if closing:
        end -= 1
    j = end - 1
    while (
        j >= 0
        and end - j <= 8
        and (verb.doc[j].pos_ in ("PROPN", "NOUN", "DET", "ADJ") or _joins_names(verb.doc, j))
    ):
        j -= 1
    name = verb.doc[j + 1 : end]
    if not any(t.pos_ == "PROPN" for t in name) or (
        (after_comma or closing) and (j < 0 or verb.doc[j].text != ",")
    ):
        return None
    if any(_counts(c, lex) for t in name for c in t.children):
        return None  # "30 Pardoned Tajiks Believed": the people counted
    return _clip(name.text)


def _joins_names(doc: SpacyDoc, j: int) -> bool:
    """Whether token `j` is a coordinator inside one name ("Security and Intelligence")."""
    return 0 < j < len(doc) - 1 and doc[j].pos_ == "CCONJ" and doc[j - 1].pos_ == doc[j + 1].pos_ == "PROPN"


def _before_brackets(doc: SpacyDoc, i: int) -> int:
    """Where a name before token `i` ends, past a bracketed short form between them
    ("the Danish Security and Intelligence Service (PET) said")."""
    if i >= 3 and doc[i - 1].text == ")" and doc[i - 3].text == "(":
        return i - 3
    return i


def _clitic(verb: Token) -> list[Token]:
    """The pronoun joined after an inverted verb ('dit-il', 'a-t-il précisé'), which the
    French parser attaches as a bare dependent rather than as the subject."""
    return [c for c in verb.children if c.i > verb.i and c.pos_ == "PRON" and _CLITIC.fullmatch(c.text)]


def _headline_tail(sentence: str, lex: Lexicon) -> str | None:
    """A headline's short tail after a colon or a dash (': Spy chief', ' – Moscow',
    ': UNICEF'): in headline style that is who gave the figure before it. A tail that
    holds a number ('– six children and two women') is a breakdown, not a source; one
    after a title with no figure ('Estimates: Conceptual Issues') is a subtitle unless it
    holds a title word."""
    text = sentence.strip()
    if text.endswith((".", "!", "?", "”", '"')):
        return None
    m = _TAIL.search(text)
    if not m:
        return None
    tail = m.group(1).strip()
    words = tail.split()
    if not 1 <= len(words) <= MAX_TAIL_WORDS or numbers.find(tail, lex.lang):
        return None
    titled = {w.lower().strip("'’s") for w in words} & lex.titles
    return tail if titled or numbers.find(text[: m.start()], lex.lang) else None


def _headline_lead(sentence: str, lex: Lexicon) -> str | None:
    """'Home Office: around half ... are back', 'Study: 300 tried to join'."""
    m = _LEAD.match(sentence)
    if not m:
        return None
    lead = m.group(1).strip()
    if any(c.isdigit() for c in lead) or len(lead.split()) > MAX_TAIL_WORDS:
        return None
    words = {w.lower().strip("'’s") for w in lead.split()}
    if words & lex.titles:
        return lead
    # An interview's speaker label, "Marie Dosé : Il reste ...": a name, then a full sentence.
    name = re.fullmatch(r"[A-ZÀ-Ý][\w'’-]+(?: [A-ZÀ-Ý][\w'’.-]+){1,2}", lead)
    speech = sentence[m.end() :].split()
    title_case = sum(w[:1].isupper() for w in speech) > len(speech) / 2  # a headline, not speech
    if (
        name
        and not title_case
        and sentence.rstrip().endswith((".", "!", "?"))
        and not words & set(lex.role_of)
    ):
        return lead
    return None


def _inverted(sentence: str, lex: Lexicon, sp: SpacyDoc | None = None) -> str | None:
    """', says Sweden's intelligence chief' / ', police say.' at the end of a sentence.
    With the sentence's tags (`sp`), a speaker followed by more than the sentence can
    hold in a name (', said a senior official who asked not to be named ...', ', a
    précisé le ministre X lors d'un débat au Parlement sur ...') is its noun phrase."""
    text = sentence.strip()
    adjunct = lex.grammar.get("adjunct_after_verb", [])
    for m in _INVERTED.finditer(text):
        if m.group(1).lower() not in lex.report_verbs:
            continue
        if text[m.end() :].split(" ", 1)[0].lower() in adjunct:
            continue  # "..., the minister said on Monday.": the speaker stands before the verb
        # The speaker runs to the end of the sentence (', says the agency.'), or to the
        # comma that closes an incise (', a annoncé le ministre X, dans une interview ...'),
        # after the adjuncts that may stand before it (', a déclaré mardi le ministre').
        skip = _incise_adjuncts(lex.lang)
        adjuncts = skip.match(text, m.end()) if skip is not None else None
        start = adjuncts.end() if adjuncts is not None else m.end()
        if sp is not None and not _opens_noun_phrase(sp, sentence.find(text) + start):
            continue  # ", soupçonnées de coopérer avec ...": a participle's complement, no speaker
        for pattern in (_INVERTED_TAIL, _INCISE):
            tail = pattern.match(text, start)
            if tail and not any(ch.isdigit() for ch in tail.group(1)) and not _THAT.match(tail.group(1)):
                return _clip(tail.group(1))
        if (
            sp is not None
            and not _THAT.match(text, start)
            and _statement_before(sp, sentence, text, m.start(1), lex)
        ):
            at = sentence.find(text[start:])
            phrase = _noun_phrase_at(sp, at, lex) if at >= 0 else None
            if phrase and not any(ch.isdigit() for ch in phrase):
                return _clip(phrase)
    return None


_OPENING_QUOTES = frozenset({"«", "“", '"', "„"})


def _opens_noun_phrase(sp: SpacyDoc, at: int) -> bool:
    """Whether the words from character `at` may hold a speaker: not a verb, a quotation
    or the marker of an infinitive ("soupçonnées de coopérer avec ...", "to join"). An
    adjunct may stand before the speaker (", a précisé dans un communiqué le parquet")."""
    word = next((t for t in sp if t.idx >= at), None)
    if word is None or word.is_title:
        return True  # a capitalised word goes on: a first name the tagger reads as a verb
    if word.pos_ in ("VERB", "AUX") or word.text in _OPENING_QUOTES:
        return False  # ', a concédé « ne pas savoir »': what was said, not who said it
    after = sp[word.i + 1] if word.i + 1 < len(sp) else None
    return not (word.pos_ in ("ADP", "PART", "SCONJ") and after is not None and after.pos_ in ("VERB", "AUX"))


def _statement_before(sp: SpacyDoc, sentence: str, text: str, verb_at: int, lex: Lexicon) -> bool:
    """Whether a finite verb stands before the verb at `verb_at` (in `text`, the stripped
    sentence): the statement an inverted speaker's verb reports ("Some 140 are still in
    Syria, said ..."). Where none does ("the head of the service, General X, announced
    the loss of ..."), the words before the verb are its subject and those after it its
    object, no speaker."""
    at = sentence.find(text) + verb_at
    finite = {
        *lex.grammar.get("present_tags", ()),
        *lex.grammar.get("past_tags", ()),
        *lex.grammar.get("modal_tags", ()),
    }
    return any(
        t.pos_ in ("VERB", "AUX") and ("Fin" in t.morph.get("VerbForm", []) or t.tag_ in finite)
        for t in sp
        if t.idx < at
    )


def _noun_phrase_at(sp: SpacyDoc, at: int, lex: Lexicon) -> str | None:
    """The noun phrase that starts at character `at`, read by its tags: up to a verb, an
    adverb, a pronoun, a number, a bracket or a preposition that does not join a name,
    whatever the tags of the capitalised words of a name."""
    links = set(lex.grammar.get("np_links", ()))
    keep: list[Token] = []
    for t in sp:
        if t.idx < at:
            continue
        if t.pos_ not in _NP_POS and t.lower_ not in links and not (keep and t.is_title):
            break  # a capitalised word goes on: a first name the tagger reads as a verb
        if t.pos_ == "DET" and keep and keep[-1].pos_ in ("NOUN", "PROPN") and t.lower_ not in links:
            break
        keep.append(t)
    keep = _to_noun(keep)
    return sp.text[keep[0].idx : keep[-1].idx + len(keep[-1].text)] if keep else None


@cache
def _incise_adjuncts(lang: str) -> re.Pattern[str] | None:
    """A run of the language's `incise_adjuncts` (grammar.json), each followed by a space."""
    alts = load(lang).grammar.get("incise_adjuncts")
    if not alts:
        return None
    return re.compile(r"(?:(?:" + "|".join(alts) + r")\s+)*", re.IGNORECASE)


# A reporting verb after a comma or a closing quote, with its auxiliary; the verb is looked
# up in the lexicon's set of forms (a thousand alternatives in one pattern would be slow).
_INVERTED = re.compile(
    r"[,”\"»]\s+(?:(?:a|ont|avait|avaient|a-t-il|a-t-elle|ont-ils|has|had)\s+)?([\w’'-]+)\s+"
)
_INVERTED_TAIL = re.compile(r"([^;:]{2,100}?)[.!]?$")
_INCISE = re.compile(r"([^;:,]{2,100}?)\s*,")
_THAT = re.compile(r"(?:que|qu['’]|that)\b", re.IGNORECASE)  # 'X, a dit que ...': a clause, no speaker


def of_sentence(sentence: str, sp: SpacyDoc | None, lex: Lexicon) -> Attribution | None:
    """The source a sentence names for its own figures, if any."""
    att = _of_sentence(sentence, sp, lex)
    if att is not None:
        phrase = _tagged_phrase(att.source, sp, lex)
        if phrase is None:
            return None
        att.source = speaker(phrase, lex)
        # "according to him", "selon elle": a pronoun however it was found, which speaks
        # for the last source named
        att.pronoun = att.pronoun or is_pronoun(att.source, lex)
    return att


def is_pronoun(text: str, lex: Lexicon) -> bool:
    """Whether a source phrase is only a pronoun ('he', 'elle', 'dit-il')."""
    return _INVERTED_HYPHEN.sub("", text.strip().lower()) in lex.pronouns


def _of_sentence(sentence: str, sp: SpacyDoc | None, lex: Lexicon) -> Attribution | None:
    cue = _after_cue(sentence, sp, lex)
    if cue:
        return Attribution(cue, _is_document(cue, lex))
    tail = _headline_tail(sentence, lex) or _headline_lead(sentence, lex) or _inverted(sentence, lex, sp)
    if tail:
        return Attribution(tail, _is_document(tail, lex))
    if sp is not None:
        best: Attribution | None = None
        for t in sp:
            if t.lower_ not in lex.report_verbs or t.pos_ != "VERB":
                continue
            subj = _subject_text(t, lex)
            if not subj:
                continue
            low = subj.lower()
            low = _INVERTED_HYPHEN.sub("", low)  # "a-t-il ajouté", "dit-il"
            if low in ("qui", "que", "who", "which", "that", "lequel", "laquelle"):
                continue  # a relative clause's pronoun: its antecedent is no source either
            pronoun = low in lex.pronouns
            att = Attribution(subj, _is_document(subj, lex), pronoun)
            if not pronoun:
                return att
            best = best or att
        if best:
            return best
    compound = _compound(sentence, lex)
    if compound:
        return Attribution(compound, False)
    by = _by_phrase(sentence, lex, sp)
    if by:
        return Attribution(by, True)
    return None


def options(sentence: str, sp: SpacyDoc | None, lex: Lexicon) -> list[tuple[str, str, int]]:
    """Every phrase a sentence may name as its source, each with the rule that found it.

    `of_sentence` picks one by a fixed order; the decision layer weighs them all. Beside
    the reporting verbs of the lexicon, the subject of any verb is offered ("vsubj:" and
    the verb's lemma: 'Les services de sécurité présument que ...', 'The Serbian
    prosecution office estimates ...'): which verbs attribute is learned, not listed.
    The third item is the index of the option's verb in the parse, or -1."""
    found: list[tuple[str, str, int]] = []
    lemma = lemmatizer(lex.lang)
    cue = _after_cue(sentence, sp, lex)
    if cue:
        found.append(("cue", cue, -1))
    for how, fn in (("tail", _headline_tail), ("lead", _headline_lead)):
        got = fn(sentence, lex)
        if got:
            found.append((how, got, -1))
    for how, got in (("inverted", _inverted(sentence, lex, sp)), ("compound", _compound(sentence, lex))):
        if got:
            found.append((how, got, -1))
    if sp is not None:
        subject = set(lex.grammar["subject"]) - {"expl"}
        for t in sp:
            if (
                t.dep_ not in subject
                or t.dep_ in ("nsubjpass", "nsubj:pass")
                or t.head.pos_ not in ("VERB", "AUX")
            ) and not (t.head.pos_ == "VERB" and t in _clitic(t.head)):
                continue
            verb = t.head
            subj = _subject_text(verb, lex)
            if not subj:
                continue
            low = _INVERTED_HYPHEN.sub("", subj.lower())
            if low in ("qui", "que", "who", "which", "that", "lequel", "laquelle"):
                continue
            pronoun = low in lex.pronouns
            reporting = verb.lower_ in lex.report_verbs
            kind = "pronoun" if pronoun else ("subject" if reporting else "vsubj")
            found.append((f"{kind}:{lemma(verb.lower_)}", subj, verb.i))
        # A reporting verb the parse left without a subject ("..., the ministry said",
        # read as a second verb of the figure's clause): the name right before it, else
        # the noun phrase opening its clause. So too a reporting verb the tagger read as
        # a noun or an adjective ("Le ministère en recense 236", "l'étude relève que").
        # Not where there is no parse (German): there no verb has a subject.
        parsed = sp.has_annotation("DEP")
        for t in sp:
            if not parsed or t.lower_ not in lex.report_verbs:
                continue
            lost = t.pos_ == "VERB" and not any(c.dep_ in subject for c in t.children)
            if not (lost or (t.pos_ in ("NOUN", "ADJ") and _verb_tagged_noun(t, lex))):
                continue
            subj = _subject_text(t, lex) if lost else None
            if subj and not is_pronoun(subj, lex):
                found.append((f"subject:{lemma(t.lower_)}", subj, t.i))
            elif opening := _opening_subject(sp, t.i, lex):
                found.append((f"opening:{lemma(t.lower_)}", opening, t.i))
        agent = _agent(sp, lex)
        if agent:
            found.append((f"agent:{lemma(agent[0].lower_)}", agent[1], agent[0].i))
    if sp is not None and not sp.has_annotation("DEP"):
        found += _adjacent_phrases(sp, lex)
    by = _by_phrase(sentence, lex, sp)
    if by:
        found.append(("by", by, -1))
    # A parse that lost the sentence's first verb ("Les services présument que ..."): the
    # words before the verb that opens a that-clause.
    m = _BEFORE_THAT.match(sentence)
    if m and not any(ch.isdigit() for ch in m.group(1)):
        before = _before_verb(sp, m.start(1), m.group(1))
        if before:
            found.append(("before-that", _clip(before), -1))
    # An apposition names who the source is: "le ministre de l'Intérieur, Bassam X, a dit".
    for _how, text, verb_at in list(found):
        at = sentence.find(text)
        if at >= 0:
            ap = _APPOSITION.match(sentence, at + len(text))
            if ap:
                found.append(("appos", f"{text}, {ap.group(1)}", verb_at))
    out = []
    for how, text, verb_at in found:
        phrase = _tagged_phrase(text, sp, lex)
        if phrase:
            out.append((how, speaker(phrase, lex), verb_at))
    return out


# Parts of speech that end a source phrase read by tags alone.
_PHRASE_ENDS = frozenset({"VERB", "AUX", "ADV", "PRON", "NUM", "SCONJ"})


def _tagged_phrase(text: str, sp: SpacyDoc | None, lex: Lexicon) -> str | None:
    """A source found by its words, cut where its noun phrase ends when there is no parse
    to say so (German): at a verb, an adverb, a pronoun, a number, a preposition or an
    article that does not join a name (`np_links`: 'das Innenministerium dem Sender schon
    vor Wochen bestätigt' is 'das Innenministerium'; 'der Präsident des Landesamts' stays
    whole). None when no noun is left."""
    if sp is None or sp.has_annotation("DEP"):
        return text
    at = sp.text.find(text)
    if at < 0:
        return text
    links = set(lex.grammar.get("np_links", ()))
    keep: list[Token] = []
    for t in sp:
        if t.idx < at:
            continue
        if t.idx >= at + len(text) or t.pos_ in _PHRASE_ENDS or (t.pos_ == "ADP" and t.lower_ not in links):
            break
        if t.pos_ == "DET" and keep and keep[-1].pos_ in ("NOUN", "PROPN") and t.lower_ not in links:
            break  # an article after a noun opens the next phrase unless it joins them ("des")
        keep.append(t)
    keep = _to_noun(keep)
    if not keep:
        return None
    last = _short_form_end(sp, keep[0].i, keep[-1].i, at + len(text))
    return sp.text[keep[0].idx : last.idx + len(last.text)]


def _short_form_end(doc: SpacyDoc, first: int, last: int, limit: int | None = None) -> Token:
    """The last token of the phrase from `first` to `last`, past the closing bracket of a
    short form the phrase opened ("des Bundes (NDB"), which ends it: "(NDB)"."""
    nxt = doc[last + 1] if last + 1 < len(doc) else None
    opened = any(t.text == "(" for t in doc[first : last + 1])
    if nxt is not None and nxt.text == ")" and opened and (limit is None or nxt.idx < limit):
        return nxt
    return doc[last]


# Parts of speech a noun phrase is made of, when no parser tells its edges.
_NP_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN"})
MAX_NP_TOKENS = 8


def _adjacent_phrases(sp: SpacyDoc, lex: Lexicon) -> list[tuple[str, str, int]]:
    """With tags but no parse (German): the noun phrases standing right before and right
    after each verb, the places a subject takes in a verb-second language ('Das Bundesamt
    ... geht davon aus', 'sagte der Direktor des BVT'). Which verbs and which side
    attribute is learned by the decision layer from how the option was found."""
    lemma = lemmatizer(lex.lang)
    links = set(lex.grammar.get("np_links", ()))
    out: list[tuple[str, str, int]] = []
    for v in sp:
        if v.pos_ not in ("VERB", "AUX"):
            continue
        main = _main_verb(sp, v) if lex.grammar.get("verb_bracket", False) else v
        kind = "subject" if main.lower_ in lex.report_verbs else "vsubj"
        for side, phrase in (("", _phrase_before(sp, v.i, links)), ("-inv", _phrase_after(sp, v.i, links))):
            if phrase is not None:
                out.append((f"{kind}{side}:{lemma(main.lower_)}", phrase, v.i))
    return out


def _main_verb(sp: SpacyDoc, v: Token) -> Token:
    """The verb a finite auxiliary stands for where the language puts it at the clause's
    end (`verb_bracket` in grammar.json, as `predicate.finite_groups` reads it): the
    participle or infinitive ("Der NDB hat ... zwei Fälle registriert": registriert), by
    which its subject, standing beside the auxiliary in a verb-second clause, reports;
    else `v` itself."""
    if v.pos_ != "AUX" or "Fin" not in v.morph.get("VerbForm", []):
        return v
    for t in sp[v.i + 1 :]:
        if t.pos_ == "PUNCT" or t.text in (",", ";", ":", "."):
            break
        if t.pos_ == "VERB" and set(t.morph.get("VerbForm", [])) & {"Part", "Inf"}:
            return t
    return v


def _np_token(t: Token, links: set[str]) -> bool:
    return (t.pos_ in _NP_POS or t.lower_ in links) and not t.like_num


def _phrase_before(sp: SpacyDoc, i: int, links: set[str]) -> str | None:
    return _np_text(sp[_phrase_start(sp, i, links) : i])


def _phrase_start(sp: SpacyDoc, i: int, links: set[str]) -> int:
    """Where the noun phrase that ends right before token `i` starts, its short form in
    brackets included ("Der Nachrichtendienst des Bundes (NDB) hat ...")."""
    j = _before_short_form(sp, i, links)
    while j > 0 and i - j < MAX_NP_TOKENS and _np_token(sp[j - 1], links):
        j -= 1
    return j


def _before_short_form(sp: SpacyDoc, i: int, links: set[str]) -> int:
    """Where a bracketed short form of one or two words ending right before token `i`
    starts ("(NDB)", "(CAT)"), when a noun phrase stands before it; else `i`."""
    if i < 4 or sp[i - 1].text != ")":
        return i
    for k in (i - 3, i - 4):
        inside = sp[k + 1 : i - 1]
        if sp[k].text == "(" and all(t.pos_ in ("PROPN", "NOUN", "X") for t in inside):
            return k if k > 0 and _np_token(sp[k - 1], links) else i
    return i


def _phrase_after(sp: SpacyDoc, i: int, links: set[str]) -> str | None:
    j = i + 1
    while j < len(sp) and j - i <= MAX_NP_TOKENS and _np_token(sp[j], links):
        j += 1
    return _np_text(sp[i + 1 : j])


def _opening_subject(sp: SpacyDoc, i: int, lex: Lexicon) -> str | None:
    """The noun phrase that opens the sentence (after a conjunction: "Mais des sources
    ..."), or a clause after a comma, and stands right before the verb at `i` but for
    auxiliaries, adverbs and the clitics the language puts there ("Les forces kurdes
    affirment ...", "Concernant X, l'étude relève que ...", "Le ministère en recense
    236"): the subject a parse lost, where it is no proper name for `_name_before` to
    find. None when a number stands in it (the people counted: a number ends the
    phrase) or it is a pronoun."""
    clitics = _clitics(lex.lang)
    j = i
    while j > 0 and (sp[j - 1].pos_ in ("AUX", "ADV") or sp[j - 1].lower_ in clitics):
        j -= 1
    links = set(lex.grammar.get("np_links", ()))
    start = _phrase_start(sp, j, links)
    opener = all(t.pos_ in ("CCONJ", "ADV", "PUNCT") for t in sp[:start])  # "Mais", "Or,"
    if start == j or not (opener or sp[start - 1].text in (",", "«", "“", '"')):
        return None
    toks = list(sp[start:j])
    while toks and (toks[-1].pos_ == "DET" or toks[-1].lower_ in links):
        toks.pop()  # "le ministère de": the phrase ends on its noun or adjective
    # it opens on an article or a name; the French tagger reads an elided article as a noun
    opens = sp[start].pos_ in ("DET", "PROPN") or sp[start].text.endswith(("'", "’"))
    if not opens or not any(t.pos_ in ("NOUN", "PROPN") for t in toks):
        return None
    phrase = _clip(sp[toks[0].i : toks[-1].i + 1].text)
    return None if not phrase or is_pronoun(phrase, lex) else phrase


def _verb_tagged_noun(t: Token, lex: Lexicon) -> bool:
    """Whether a word the tagger read as a noun stands where a verb does: after a clitic
    or a word no noun follows ("en recense"), not after an article, an adjective or a
    preposition ("le recense")."""
    if t.i == 0:
        return False
    before = t.doc[t.i - 1]
    return before.lower_ in _clitics(lex.lang) or before.pos_ not in _BEFORE_NOUNS


# What stands before a noun and not before a verb: an article, an adjective, a preposition.
_BEFORE_NOUNS = frozenset({"DET", "ADJ", "ADP"})


@cache
def _clitics(lang: str) -> frozenset[str]:
    """The words that stand between a subject and its verb in `lang` (grammar.json
    `preverbal_clitics`: "le ministère en recense")."""
    return frozenset(load(lang).grammar.get("preverbal_clitics", ()))


def _to_noun(toks: list[Token]) -> list[Token]:
    """The tokens up to the last noun: a phrase ends on its noun (none when it has none)."""
    while toks and toks[-1].pos_ not in ("NOUN", "PROPN"):
        toks = toks[:-1]
    return toks


def _np_text(span: Span) -> str | None:
    toks = _to_noun(list(span))
    if not toks:
        return None
    last = _short_form_end(span.doc, toks[0].i, toks[-1].i, span.end_char)
    return _clip(span.doc[toks[0].i : last.i + 1].text) or None


_BEFORE_THAT = re.compile(
    r"^\s*(?:\([^)]{1,30}\)\s*)?\W*([^,;:«»“”\"]{3,90}?)\s+[\w’'-]+\s+(?:que|qu['’]|that)\b", re.IGNORECASE
)


def _before_verb(sp: SpacyDoc | None, at: int, phrase: str) -> str:
    """`phrase` (at character `at` of the sentence) up to its first verb or auxiliary by
    the tags: the words before a that-clause hold the verb and its adjuncts too ("Le
    Premier ministre X a affirmé mardi soir que": "Le Premier ministre X")."""
    if sp is None:
        return phrase
    verb = next((t.idx for t in sp if at <= t.idx < at + len(phrase) and t.pos_ in ("VERB", "AUX")), None)
    return phrase if verb is None else phrase[: verb - at].strip()


# A person's name as an apposition writes it: two to four capitalised words.
NAME = r"[A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+){1,3}"
_APPOSITION = re.compile(rf"\s*,\s*({NAME})\s*(?=[,:«“\"(])")


def carried_source(
    ctx: _Context, i: int, s: Sentence, att: Attribution | None, ref_source: str | None
) -> str | None:
    """The source of a figure in sentence `i`: its own, its quotation's speaker, its
    referent's, or the last one named, when that one still speaks here."""
    if att:
        return att.source
    if i in ctx.own_voice:
        return None  # the outlet speaking for itself, and the document does not say which
    for qs, qe in ctx.quotes:
        if qs <= s.start and s.end <= qe + 2:
            for j, other in enumerate(ctx.sents):
                if (
                    j != i
                    and j in ctx.sentence_sources
                    and (other.start <= qe <= other.end + 1 or other.start <= qs <= other.end)
                ):
                    return ctx.sentence_sources[j].source
    if ref_source:
        return ref_source
    before = [j for j in ctx.sentence_sources if j < i]
    voice = [j for j in ctx.own_voice if j < i]
    if not before or (voice and max(voice) > max(before)):
        return None  # no one named yet, or the outlet has spoken for itself since
    last = ctx.sentence_sources[max(before)]
    if ctx.sents[max(before)].para == s.para or last.document:
        return last.source
    return None


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations (typographic, guillemets, or paired straight quotes)."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"“[^”]*”|«[^»]*»", text, re.S)]
    spans += [(m.start(), m.end()) for m in re.finditer(r'"[^"\n]{20,}"', text)]
    return sorted(spans)


def names_source(sentence: str, lex: Lexicon) -> bool:
    """A fast test for sentences that may name a source (to decide which to parse): a
    reporting verb's form among the sentence's words, a multi-word one, or a cue."""
    words = set(_WORD.findall(sentence.lower()))
    if not words.isdisjoint(lex.report_verbs):
        return True
    phrases = _phrases(lex)
    return bool(phrases and phrases.search(sentence)) or bool(lex.according.search(sentence))


_WORD = re.compile(r"\w+")


def _phrases(lex: Lexicon) -> re.Pattern[str] | None:
    """The reporting verbs of more than one word ('geht aus', 'avait averti'), or None."""
    if lex.lang not in _PHRASES:
        many = sorted(v for v in lex.report_verbs if " " in v)
        _PHRASES[lex.lang] = (
            re.compile(r"\b(?:" + "|".join(re.escape(v) for v in many) + r")\b", re.IGNORECASE)
            if many
            else None
        )
    return _PHRASES[lex.lang]


_PHRASES: dict[str, re.Pattern[str] | None] = {}
