"""The language detector: the model unpacked into the cache answers as py3langid's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tally.clean import language

TEXTS = [
    "About 1,500 French nationals have joined jihadist groups in Syria and Iraq since 2012.",
    "Quelque 1 500 Français ont rejoint les groupes jihadistes en Syrie et en Irak depuis 2012.",
    "Rund 1.000 Deutsche sind nach Syrien und in den Irak ausgereist, sagte das Innenministerium.",
    "Cerca de 200 combatientes regresaron a España, según el Ministerio del Interior.",
]


def test_the_unpacked_model_answers_as_the_packed_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from py3langid import langid

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    language._identifier.cache_clear()
    try:
        fast = language._identifier()
        assert language.cache_file("0").parent.is_dir() and list(
            language.cache_file("0").parent.glob("*.npz")
        )
        again = language._from_unpacked(next(language.cache_file("0").parent.glob("*.npz")))
    finally:
        language._identifier.cache_clear()
    packed = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)
    for text in TEXTS:
        assert fast.rank(text) == packed.rank(text) == again.rank(text)
    assert [language.detect(t) for t in TEXTS] == ["en", "fr", "de", "es"]


def test_a_short_text_is_taken_as_english() -> None:
    assert language.detect("Le 12 mai.") == "en"


def test_an_unwritable_cache_falls_back_to_the_packed_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    language._identifier.cache_clear()
    try:
        assert language._identifier().classify(TEXTS[1])[0] == "fr"
    finally:
        language._identifier.cache_clear()
