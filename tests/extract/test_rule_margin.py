"""A near tie between the model and the rules keeps the rules' reading, unless that
reading is only what the rules fall back to when no cue speaks of a fate.

The status model is set by hand so that what a near tie means does not depend on the
weights `make train` writes; the sentences are the project's own."""

from __future__ import annotations

from tally.extract import decide, document
from tally.extract.features import Candidate
from tally.extract.linear import LinearModel
from tally.model import Doc

# "returned" leads "other" by about 0.07, less than RULE_MARGIN.
NEAR_TIE = LinearModel("status", ["other", "returned"], [0.0, 0.0], {"x": [0.0, 0.15]})


def _cand(text: str) -> Candidate:
    (cand,) = document.candidates(Doc("d", "test", text, lang="en"))
    return cand


def test_a_near_tie_keeps_the_rules_reading():
    assert decide._decide(NEAR_TIE, {"x": 1.0}, "other") == "other"
    assert decide._decide(NEAR_TIE, {"x": 1.0}, "other", margin=False) == "returned"


def test_other_read_from_a_cue_is_a_reading_the_tie_keeps():
    released = _cand("Some 40 jihadists from Antwerp have been released from prison.")
    assert released.fig.status == "other"
    assert not decide._fallback("status", released.fig.status, released)


def test_other_for_want_of_any_cue_is_no_reading_to_keep():
    counted = _cand("Belgian officials put the number of jihadists from Antwerp at 40.")
    assert counted.fig.status == "other"
    assert decide._fallback("status", counted.fig.status, counted)
    assert not decide._fallback("scope", counted.fig.status, counted)
