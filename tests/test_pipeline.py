"""The per-document function: a bad document becomes a Failure, and the run goes on."""

from __future__ import annotations

from tally import pipeline
from tally.model import Failure, RawDoc


def test_an_unexpected_error_in_one_document_is_a_failure_not_a_crash(monkeypatch):
    def boom(doc, *, prefilter=True):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(pipeline.extract_stage, "figures", boom)
    got = pipeline.process(
        RawDoc(doc_id="d", source="d.txt", content="Some 40 fighters returned from Syria.")
    )
    assert isinstance(got, Failure)
    assert got.source == "d.txt" and "RuntimeError" in got.reason and got.stage == "extract"


def test_a_document_with_no_article_text_is_a_failure():
    got = pipeline.process(
        RawDoc(doc_id="d", source="d.html", content="<html><body></body></html>", fmt="html")
    )
    assert isinstance(got, Failure) and "no article text" in got.reason
