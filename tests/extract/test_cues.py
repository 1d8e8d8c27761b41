"""The cue words the decision layer reads (`cues.json`): a failed or foiled departure is
no departure (SCHEMA.md: an attempt to travel that failed is `other`), so each language
marks the words that say an attempt was made or stopped, apart from the fates."""

from __future__ import annotations

import pytest

from tally.extract.lexicon import load


@pytest.mark.parametrize(
    ("lang", "word"),
    [
        ("en", "prevented"),
        ("en", "tried"),
        ("fr", "empêchés"),
        ("fr", "tentative"),
        ("de", "gestoppt"),
        ("de", "versucht"),
    ],
)
def test_words_of_a_stopped_or_tried_departure_are_an_attempt(lang: str, word: str) -> None:
    assert "modality:attempt" in load(lang).cues[word]


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_an_attempt_is_a_modality_not_a_fate(lang: str) -> None:
    tags = {t for ts in load(lang).cues.values() for t in ts}
    assert "modality:attempt" in tags
    assert "st:attempt" not in tags
