"""A credit line gives a plain-text document its outlet, URL and year, and leaves the text."""

from tally import clean
from tally.clean import credit
from tally.model import RawDoc

DIGEST = "Headline here\n\nSource: The Daily Planet, https://example.org/story/42 (2019)\n\nAbout 70 nationals came back.\n"


def test_the_credit_line_is_read():
    assert credit.read(DIGEST) == credit.Credit("The Daily Planet", "https://example.org/story/42", "2019")


def test_a_document_takes_its_provenance_from_it_and_drops_the_line():
    doc = clean.clean(RawDoc(doc_id="d", source="d", content=DIGEST))
    assert (doc.outlet, doc.url, doc.published) == (
        "The Daily Planet",
        "https://example.org/story/42",
        "2019",
    )
    assert "Source:" not in doc.text and "About 70 nationals came back." in doc.text


def test_metadata_given_with_the_document_wins():
    raw = RawDoc(doc_id="d", source="d", content=DIGEST, outlet="Wire", url="https://wire.example/1")
    doc = clean.clean(raw)
    assert (doc.outlet, doc.url) == ("Wire", "https://wire.example/1")


def test_a_credit_without_a_link_is_not_read():
    assert credit.read("Source: AFP\n") is None
