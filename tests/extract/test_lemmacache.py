"""simplemma's tables read from the decoded copy in the cache give simplemma's own lemmas."""

from __future__ import annotations

from pathlib import Path

import pytest
import simplemma

from tally.extract import lemmacache

WORDS = {
    "en": ["fighters", "returned", "said", "were", "children", "ministries", "detained"],
    "fr": ["combattants", "revenus", "étaient", "détenus", "mineurs", "selon", "partis"],
    "de": ["Kämpfer", "zurückgekehrt", "Kinder", "waren", "Behörden", "ausgereist", "Frauen"],
}


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_cached_tables_give_the_same_lemmas(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    def fresh() -> Lemmatizer:
        factory = lemmacache.CachedDictionaries()
        return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))

    first = fresh()  # decodes and saves
    expected = [simplemma.lemmatize(w, lang=lang) for w in WORDS[lang]]
    assert [first.lemmatize(w, lang) for w in WORDS[lang]] == expected
    assert lemmacache.cache_file(lang).is_file()
    assert [fresh().lemmatize(w, lang) for w in WORDS[lang]] == expected  # read from the copy


def test_a_damaged_copy_is_decoded_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = lemmacache.cache_file("en")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00not marshal")
    table = lemmacache.CachedDictionaries().get_dictionary("en")
    assert table.get("fighters") == "fighter"
