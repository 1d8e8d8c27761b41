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
        "They left between 2012 and 2016.",
    ],
)
def test_measures_dates_money_and_ages_are_not_people(text):
    assert kept(text) == []


def test_counts_with_hedges_survive():
    assert kept("At least 1,100 nationals left, and about 300 came back.") == ["At least 1,100", "about 300"]


def test_a_year_written_with_a_separator_is_a_count():
    assert kept("Officials counted 2,014 returnees.") == ["2,014"]


def test_a_range_of_two_years_is_a_period_in_every_language():
    text = "Sie reisten zwischen 2014 und 2019 aus."
    assert [m.text for m in numbers.find(text, "de") if plausible(text, m, load("de"))] == []


def test_a_range_too_wide_for_the_years_of_one_story_is_a_count():
    assert kept("Between 2000 and 2500 fighters left.") == ["Between 2000 and 2500"]
