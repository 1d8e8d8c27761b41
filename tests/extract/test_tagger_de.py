"""The German pipeline: sentences, STTS tags mapped to UD parts of speech, lemmas, no parse."""

from __future__ import annotations

from tally.extract.tagger_de import STTS_TO_UD, pipeline


def test_pipeline_is_built_once() -> None:
    assert pipeline() is pipeline()
    assert pipeline().pipe_names == ["sentencizer", "tally_hanta_tagger"]


def test_sentences_tags_and_lemmas() -> None:
    doc = pipeline()(
        "Seit 2013 sind rund 1.150 Personen ausgereist. Etwa 350 kehrten zurück, sagte der Minister."
    )
    assert [s.text for s in doc.sents] == [
        "Seit 2013 sind rund 1.150 Personen ausgereist.",
        "Etwa 350 kehrten zurück, sagte der Minister.",
    ]
    by_text = {t.text: t for t in doc}
    assert by_text["1.150"].tag_ == "CARD" and by_text["1.150"].pos_ == "NUM"
    assert by_text["Personen"].pos_ == "NOUN" and by_text["Personen"].lemma_ == "Person"
    assert by_text["ausgereist"].tag_ == "VVPP" and by_text["ausgereist"].lemma_ == "ausreisen"
    assert str(by_text["ausgereist"].morph) == "VerbForm=Part"
    assert by_text["sind"].pos_ == "AUX" and by_text["sind"].lemma_ == "sein"
    assert by_text["sagte"].lemma_ == "sagen"


def test_there_is_no_dependency_parse() -> None:
    doc = pipeline()("Die Polizei nahm zwölf Männer fest.")
    assert not doc.has_annotation("DEP")
    assert all(t.dep_ == "" and t.head.i == t.i for t in doc)


def test_every_tag_maps_to_a_universal_part_of_speech() -> None:
    doc = pipeline()("Gut die Hälfte der Gefährder hält sich im Ausland auf, wie das BKA mitteilte.")
    assert all(t.tag_ in STTS_TO_UD and t.pos_ == STTS_TO_UD[t.tag_] for t in doc)
