"""The cheap screen drops numbers that measure something other than people."""

import pytest

from tally.extract import numbers
from tally.extract.lexicon import load
from tally.extract.screen import plausible

LEX = load("en")


def kept(text: str) -> list[str]:
    return [m.text for m in numbers.find(text, "en") if plausible(text, m, LEX)]


@pytest.mark.parametrize(
    "text",
    [
        "In 2014 the group grew.",
        "They met on March 3 in Geneva.",
        "He paid $2,000 to a smuggler.",
        "a 12-year-old boy",
        "over the age of 13",
        "after three years in prison",
        "a 400 km journey",
        "at 18:41 local time",
        "one of the men",
        "her two children",
    ],
)
def test_measures_dates_money_and_ages_are_not_people(text):
    assert kept(text) == []


def test_counts_with_hedges_survive():
    assert kept("At least 1,100 nationals left, and about 300 came back.") == ["At least 1,100", "about 300"]


def test_a_year_written_with_a_separator_is_a_count():
    assert kept("Officials counted 2,014 returnees.") == ["2,014"]
