"""The indexed attribute map gives every token exactly what spaCy's attribute ruler gives
it: part of speech, morphology, lemma, tag and dependency, on the sentences of the eval
articles (read in place from ../shared) and on sentences written for this test."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tally.extract import attrmap, nlp, sentences

SHARED = Path(__file__).resolve().parents[3] / "shared" / "eval" / "docs"
# Written for this test: contractions, "there is", auxiliaries, pronouns as objects, a
# determiner used as a pronoun, spaces; French elisions and auxiliaries.
WRITTEN = {
    "en": [
        "There are about 300 of them left, and that's what the ministry told us.",
        "They haven't returned; gonna be hard, isn't it?  Some did, some didn't.",
        "Those who went were   charged, and the police said it was him.",
    ],
    "fr": [
        "Il y a environ 300 Français qui n'ont pas été rapatriés, a-t-il déclaré.",
        "Celles qui sont rentrées ont été mises en examen ;  d'autres restent détenues.",
    ],
}


def _sentences(lang: str) -> list[str]:
    out = list(WRITTEN[lang])
    prefixes = {"en": ("en", "0"), "fr": ("fr",)}[lang]
    for path in sorted(SHARED.rglob("*.txt")) if SHARED.is_dir() else []:
        if path.name.startswith(prefixes):
            text = path.read_text(encoding="utf-8")
            out += [text[s.start : s.end] for s in sentences.split(text)]
    return out


def _view(doc: object) -> list[tuple[str, ...]]:
    return [(t.text, t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_map_annotates_every_token_as_the_ruler_does(lang: str) -> None:
    pipe = nlp.pipeline(lang)
    fast = attrmap.of(pipe)
    assert fast is not None, "the packaged ruler uses only keys the map reads"
    texts = _sentences(lang)
    ruled = list(pipe.pipe(texts, batch_size=64))
    mapped = [fast(d) for d in pipe.pipe(texts, batch_size=64, disable=[attrmap.NAME])]
    differ = [
        (a, b)
        for x, y in zip(ruled, mapped, strict=True)
        for a, b in zip(_view(x), _view(y), strict=True)
        if a != b
    ]
    assert differ == []


def test_parse_uses_the_map_and_matches_the_full_pipeline() -> None:
    text = WRITTEN["en"][1]
    assert _view(nlp.parse([text], "en")[0]) == _view(nlp.pipeline("en")(text))


def test_a_rule_the_map_cannot_read_leaves_the_ruler_in_place() -> None:
    ruler = SimpleNamespace(
        patterns=[{"patterns": [[{"LOWER": "x", "OP": "+"}]], "attrs": {}, "index": 0}], attrs=[{}]
    )
    with pytest.raises(attrmap.Unsupported):
        attrmap.AttributeMap(ruler)
