"""The German pipeline: spaCy's German tokenizer, a sentence splitter, and HanTa's tagger.

PyPI has no trained German spaCy pipeline (de_core_news_* are not published there), so
German gets what ships its model inside its own package: spaCy's rule-based German
tokenizer (`spacy.blank("de")`), the punctuation sentencizer, and the Hanover Tagger
(HanTa), whose STTS tags and lemmas are written on each token as `tag_` (STTS), `pos_`
(the Universal Dependencies part of speech the tag maps to), `lemma_` and, where the tag
says it, `morph` (VerbForm, PronType).

What it lacks: a dependency parse. Every token's `dep_` is empty and its `head` is itself,
`doc.has_annotation("DEP")` is false and `doc.noun_chunks` raises. Nothing that walks the
tree (subject, object, the clause a number sits in, the verb that governs it) can be read
from a German sentence, so the decision layer must work from window features there: the
cue words, people nouns, demonyms and time markers within a few tokens of the number, the
nearest verb by STTS tag (finite, participle, modal) rather than by dependency, and the
sentence before. The tags and lemmas are what those window features need.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from HanTa.HanoverTagger import HanoverTagger
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["STTS_TO_UD", "pipeline"]

_MODEL = "morphmodel_ger.pgz"  # inside the HanTa package
_COMPONENT = "tally_hanta_tagger"

# STTS (the tag set HanTa writes) to Universal Dependencies parts of speech, as the German
# UD treebanks map them; modals and auxiliaries are AUX.
STTS_TO_UD = {
    "ADJA": "ADJ", "ADJD": "ADJ", "ADV": "ADV", "APPR": "ADP", "APPRART": "ADP", "APPO": "ADP",
    "APZR": "ADP", "ART": "DET", "CARD": "NUM", "FM": "X", "ITJ": "INTJ", "KOUI": "SCONJ",
    "KOUS": "SCONJ", "KON": "CCONJ", "KOKOM": "CCONJ", "NN": "NOUN", "NE": "PROPN", "PDS": "PRON",
    "PDAT": "DET", "PIS": "PRON", "PIAT": "DET", "PIDAT": "DET", "PPER": "PRON", "PPOSS": "PRON",
    "PPOSAT": "DET", "PRELS": "PRON", "PRELAT": "DET", "PRF": "PRON", "PWS": "PRON", "PWAT": "DET",
    "PWAV": "ADV", "PAV": "ADV", "PROAV": "ADV", "PTKZU": "PART", "PTKNEG": "PART", "PTKVZ": "ADP",
    "PTKANT": "INTJ", "PTKA": "PART", "TRUNC": "X", "VVFIN": "VERB", "VVIMP": "VERB", "VVINF": "VERB",
    "VVIZU": "VERB", "VVPP": "VERB", "VAFIN": "AUX", "VAIMP": "AUX", "VAINF": "AUX", "VAPP": "AUX",
    "VMFIN": "AUX", "VMINF": "AUX", "VMPP": "AUX", "XY": "X", "$,": "PUNCT", "$.": "PUNCT", "$(": "PUNCT",
}  # fmt: skip

_VERB_FORM = {"FIN": "Fin", "INF": "Inf", "IZU": "Inf", "PP": "Part", "IMP": "Fin"}


def _stts(hanta_tag: str) -> str:
    """HanTa writes some tags with their inflection in brackets ('VV(PP)', 'VA(FIN)')."""
    return hanta_tag.replace("(", "").replace(")", "")


def _morph(tag: str) -> str:
    if tag[:1] == "V" and tag[2:] in _VERB_FORM:
        return f"VerbForm={_VERB_FORM[tag[2:]]}"
    if tag == "ART":
        return "PronType=Art"
    return ""


# Words analysed and remembered per process. HanTa works out a word's tag probabilities
# (`analyze_forward`) and its lemma for a tag (`_analyze`) afresh at every occurrence, by a
# search over the word's letters; both depend on the word alone, and news repeats its
# words, so remembering them halves the German tagging time.
_MEMO_WORDS = 50_000


@cache
def _hanta() -> HanoverTagger:
    from HanTa import HanoverTagger as ht

    tagger = ht.HanoverTagger(_MODEL)
    tagger.analyze_forward = lru_cache(maxsize=_MEMO_WORDS)(tagger.analyze_forward)  # type: ignore[method-assign]
    tagger._analyze = lru_cache(maxsize=_MEMO_WORDS)(tagger._analyze)  # type: ignore[method-assign]
    return tagger


def _tag(doc: Doc) -> Doc:
    """Tag and lemmatise each sentence of `doc` with HanTa (it reads a sentence at a time)."""
    tagger = _hanta()
    for sent in doc.sents:
        words = [t.text for t in sent]
        for tok, (_, lemma, hanta_tag) in zip(sent, tagger.tag_sent(words, taglevel=1), strict=True):
            tag = _stts(hanta_tag)
            tok.tag_ = tag
            tok.pos_ = STTS_TO_UD.get(tag, "X")
            tok.lemma_ = lemma if tag not in ("CARD", "$,", "$.", "$(") else tok.text
            if m := _morph(tag):
                tok.set_morph(m)  # type: ignore[attr-defined]  # in spaCy, missing from its stubs
    return doc


@cache
def pipeline() -> Language:
    """The German pipeline (tokenizer, sentencizer, HanTa tags and lemmas, no parser), built
    once per process."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory(_COMPONENT):
        Language.component(_COMPONENT, func=_tag)
    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(_COMPONENT)
    return nlp
