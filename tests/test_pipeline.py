"""The per-document function: a bad document becomes a Failure, and the run goes on."""

from __future__ import annotations

import subprocess
import sys

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


def test_extracting_local_files_loads_neither_the_store_nor_the_network_client():
    """`tally extract article.txt` is what a journalist runs on one article: importing
    SQLAlchemy, httpx and feedparser for it cost about 0.3 s of a 2 s start."""
    code = (
        "import sys, tally.pipeline, tally.extract.document, tally.extract.decide; "
        "print(' '.join(m for m in ('sqlalchemy', 'httpx', 'feedparser') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == []
