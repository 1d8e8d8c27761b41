"""Reporting verbs are read in every tense and mood, not only in the forms listed by hand.

Every text here is written for the test; none is taken from a real article.
"""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path

import pytest

from tally.extract import attribution, nlp
from tally.extract.lexicon import load

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "gen_report_forms", ROOT / "scripts" / "gen_report_forms.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_the_committed_forms_are_what_the_script_generates(lang):
    data = resources.files("tally.extract") / "data" / lang
    verbs = json.loads((data / "attribution.json").read_text(encoding="utf-8"))["inflect"]
    committed = json.loads((data / "report_forms.json").read_text(encoding="utf-8"))["forms"]
    assert committed == _generator().forms(lang, verbs)


@pytest.mark.parametrize(
    ("lang", "form"),
    [
        ("fr", "estimait"),
        ("fr", "indiqueraient"),
        ("fr", "soulignait"),
        ("en", "estimating"),
        ("de", "schätze"),
    ],
)
def test_forms_beyond_the_hand_list_are_reporting_verbs(lang, form):
    assert form in load(lang).report_verbs


def test_a_sentence_with_an_imperfect_reporting_verb_is_parsed_for_its_source():
    lex = load("fr")
    assert attribution.names_source("Début mars, le préfet les évaluait à une centaine.", lex)
    assert not attribution.names_source("Il pleuvait sur la ville ce matin-là.", lex)


def test_the_subject_of_an_imperfect_reporting_verb_is_the_source():
    lex = load("fr")
    text = "Le ministre de la Justice estimait que 300 détenus étaient radicalisés."
    (sp,) = nlp.parse([text], "fr")
    att = attribution.of_sentence(text, sp, lex)
    assert att is not None and att.source == "Le ministre de la Justice"


def test_an_inverted_source_after_an_imperfect_verb():
    lex = load("fr")
    text = "« Une centaine sont encore sur place », expliquait le porte-parole du parquet."
    assert attribution.of_sentence(text, None, lex) == attribution.Attribution(
        "le porte-parole du parquet", False
    )
