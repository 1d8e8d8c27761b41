"""A figure's time frame is read with its fate: the scope decision reads the status just
decided for the same figure (departures and deaths are running totals, a camp's
residents a stock), where the clause's tense often says neither.

The models are set by hand so that what the reading means does not depend on the
weights `make train` writes; the sentence is the project's own."""

from __future__ import annotations

from tally.extract import decide, document
from tally.extract.linear import LinearModel
from tally.model import Doc

SENTENCE = "Officials put the number of Belgian jihadists at 40."
# Scope follows the decided status alone: a departure is counted since it began, a
# presence as it is now.
SCOPE = LinearModel(
    "scope",
    ["cumulative", "current"],
    [0.0, 0.0],
    {"own:status=joined": [3.0, 0.0], "own:status=present": [0.0, 3.0]},
)


def _status(value: str) -> LinearModel:
    """A status model that reads every figure as `value`."""
    return LinearModel("status", [value, "other"], [3.0, 0.0], {"lang=en": [0.0, 0.0]})


def _scope_after(status: str) -> str | None:
    doc = Doc("d", "test", SENTENCE, lang="en")
    models = decide.Models({"status": _status(status), "scope": SCOPE})
    (fig,) = decide.figures(document.candidates(doc), doc, models)
    assert fig.status == status
    return fig.scope


def test_a_departure_is_a_running_total():
    assert _scope_after("joined") == "cumulative"


def test_a_presence_is_a_stock():
    assert _scope_after("present") == "current"


def test_the_feature_names_the_decided_status():
    assert decide.own_status("detained") == {"own:status=detained": 1.0}
