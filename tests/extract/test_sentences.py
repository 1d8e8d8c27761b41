"""Sentence splitting keeps exact offsets, breaks at every line, and knows abbreviations."""

from hypothesis import given
from hypothesis import strategies as st

from tally.extract.sentences import split


def texts(doc: str) -> list[str]:
    return [s.text(doc) for s in split(doc)]


def test_a_full_stop_before_a_capital_ends_a_sentence():
    assert texts("Ten men left. Four came back.") == ["Ten men left.", "Four came back."]


def test_a_line_break_always_ends_a_sentence():
    assert texts("Headline without a stop\nBody text here.") == ["Headline without a stop", "Body text here."]


def test_abbreviations_and_initials_do_not_end_a_sentence():
    doc = "Mr. Smith met Gen. Jones on Jan. 7 in the U.S. capital. J. Doe said so."
    assert texts(doc) == ["Mr. Smith met Gen. Jones on Jan. 7 in the U.S. capital.", "J. Doe said so."]


def test_closing_quotes_stay_with_their_sentence():
    doc = "“We helped 40 people home,” he said. Then he left."
    assert texts(doc) == ["“We helped 40 people home,” he said.", "Then he left."]


def test_french_guillemets_set_off_by_spaces_open_and_close_sentences():
    doc = "Le ministre a parlé. « Nous en avons ramené 40. » Puis il est parti."
    assert texts(doc) == ["Le ministre a parlé.", "« Nous en avons ramené 40. »", "Puis il est parti."]


def test_sentences_of_one_line_share_its_paragraph_index():
    sents = split("One. Two.\n\nThree.")
    assert [s.para for s in sents] == [0, 0, 1]
    assert [s.first for s in sents] == [True, False, True]


@given(st.text(alphabet=st.sampled_from("ab .?!\n“”A1"), max_size=80))
def test_offsets_point_into_the_text_and_never_overlap(doc):
    end = 0
    for s in split(doc):
        assert s.start >= end and s.end > s.start
        assert doc[s.start : s.end] == doc[s.start : s.end].strip()
        end = s.end
