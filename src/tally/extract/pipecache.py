"""spaCy pipelines trimmed to what Tally runs, saved once with `nlp.to_disk` and loaded
from there afterwards.

Why: loading an installed spaCy package builds every component it ships, and loading
French costs seconds before the first sentence because `spacy.lang.fr` compiles one
regular expression of some 270 alternatives, each with Unicode letter classes
(`tokenizer_exceptions.TOKEN_MATCH`; spaCy issues #2679 and #3242). The first load of a
model here takes the installed package, leaves out the components Tally never runs,
and saves the result with `nlp.to_disk` (the way spaCy's maintainers suggest) under the
user's cache folder. For French it also saves the tokenizer exceptions and the same
TOKEN_MATCH with its alternatives that differ only in a word list folded into one
(`^(?:a|b|c)[-][x]...` instead of `^a[-][x]...|^b[-][x]...`): one match for the same
strings, an eighth of the compile time. Later loads read the saved pipeline and give
`spacy.lang.fr` those saved exceptions instead of building them again.

Nothing is downloaded: the cache is made from the installed package, and any failure to
write or read it falls back to loading the package as before.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
import tempfile
import types
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

# Bumped whenever what is saved changes, so an older cache is never read.
FORMAT = 1
_DONE = "tally-cache.json"
_EXCEPTIONS = "tokenizer_exceptions.json"


def cache_root() -> Path:
    """Where trimmed pipelines are kept: $XDG_CACHE_HOME/tally/spacy, else ~/.cache/tally/spacy."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tally" / "spacy"


def load(model: str, keep: Iterable[str]) -> Language:
    """The installed spaCy package `model` with only the components in `keep`;
    OSError if the package is not installed."""
    import spacy

    keep = frozenset(keep)
    version = spacy.util.get_package_version(model)
    if version is None:
        raise OSError(f"no spaCy package {model!r}")
    folder = cache_root() / f"{model}-{version}-spacy{spacy.__version__}-{_digest(keep)}"
    if (folder / _DONE).is_file():
        try:
            return _load_saved(folder)
        except Exception:  # a damaged cache costs one slow load, never a failed run
            log.warning("could not load the cached pipeline %s; loading %s", folder, model, exc_info=True)
    nlp = spacy.load(model, exclude=_excluded(model, keep))
    lang_exc = _rebuilt_exceptions(nlp.lang or "")
    if lang_exc is not None:
        nlp.tokenizer.token_match = re.compile(lang_exc["token_match"]).match  # type: ignore[union-attr]
    _save(nlp, folder, lang_exc)
    return nlp


def _digest(keep: frozenset[str]) -> str:
    return f"f{FORMAT}-" + "-".join(sorted(keep))


def _excluded(model: str, keep: frozenset[str]) -> list[str]:
    import spacy

    meta = spacy.util.get_model_meta(spacy.util.get_package_path(model))
    return [name for name in meta.get("components", meta.get("pipeline", [])) if name not in keep]


def _load_saved(folder: Path) -> Language:
    import spacy

    lang = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["lang"]
    exc_file = folder / _EXCEPTIONS
    if exc_file.is_file():
        _install_exceptions(lang, json.loads(exc_file.read_text(encoding="utf-8")))
    return spacy.load(folder)


def _save(nlp: Language, folder: Path, lang_exc: dict[str, Any] | None) -> None:
    """Write the pipeline beside its final place, then rename: a process that reads the
    cache sees a whole pipeline or none, and two processes that write at once both succeed."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
        try:
            nlp.to_disk(tmp)
            if lang_exc is not None:
                (tmp / _EXCEPTIONS).write_text(json.dumps(lang_exc), encoding="utf-8")
            (tmp / _DONE).write_text(json.dumps({"format": FORMAT}), encoding="utf-8")
            os.replace(tmp, folder)
        except OSError:
            if not (folder / _DONE).is_file():
                raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError:  # a read-only home: every run loads the package, as before
        log.info("could not save the trimmed pipeline to %s", folder, exc_info=True)


# -- French tokenizer exceptions -------------------------------------------------------


def _rebuilt_exceptions(lang: str) -> dict[str, Any] | None:
    """For a language whose tokenizer exceptions are costly to build: the exceptions and
    an equivalent, cheaper TOKEN_MATCH pattern; None for the others."""
    if lang != "fr":
        return None
    from spacy.lang.fr import tokenizer_exceptions as fr

    return {
        "exceptions": {k: [list(a.items()) for a in v] for k, v in fr.TOKENIZER_EXCEPTIONS.items()},
        "token_match": french_token_match(fr),
    }


def french_token_match(fr: Any) -> str:
    """spaCy's French TOKEN_MATCH with each family of alternatives that differ only in one
    word (hyphenated prefixes, elided prefixes, hyphen combinations) folded into one
    alternative over those words. The original is rebuilt from the same parts first: if
    spaCy's module no longer has that shape, its own pattern is returned unchanged."""
    hyphen, elision, al, a = fr.HYPHENS, fr.ELISION, fr.ALPHA_LOWER, fr.ALPHA
    families = [
        ("^", fr._hyphen_prefix, f"[{hyphen}][{al}][{hyphen}{al}{elision}]*$"),
        ("^", fr._elision_prefix, f"[{elision}][{al}][{hyphen}{al}{elision}]*$"),
        (f"^[{a}]+[{hyphen}]", fr._hyphen_combination, f"[{hyphen}](?:l[{elision}])?[{a}]+$"),
    ]
    original: str = fr.TOKEN_MATCH.__self__.pattern
    n = sum(len(words) for _, words, _ in families)
    head = list(fr._regular_exp[: len(fr._regular_exp) - n])
    unfolded = head + [before + w + after for before, words, after in families for w in words]
    if "(?iu)" + "|".join(f"(?:{m})" for m in unfolded) != original:
        return original
    folded = head + [before + "(?:" + "|".join(words) + ")" + after for before, words, after in families]
    return "(?iu)" + "|".join(f"(?:{m})" for m in folded)


def _install_exceptions(lang: str, saved: dict[str, Any]) -> None:
    """Give `spacy.lang.<lang>` its saved tokenizer exceptions instead of the module that
    builds them, unless that language is already imported."""
    name = f"spacy.lang.{lang}.tokenizer_exceptions"
    if f"spacy.lang.{lang}" in sys.modules or name in sys.modules:
        return
    module = types.ModuleType(name, f"Saved by {__name__}: spaCy's {lang} tokenizer exceptions.")
    module.TOKENIZER_EXCEPTIONS = {  # type: ignore[attr-defined]
        text: [{int(k): v for k, v in attrs} for attrs in pieces]
        for text, pieces in saved["exceptions"].items()
    }
    module.TOKEN_MATCH = re.compile(saved["token_match"]).match  # type: ignore[attr-defined]
    sys.modules[name] = module
