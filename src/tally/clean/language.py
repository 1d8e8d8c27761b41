"""Which language a cleaned text is in, so it goes to that language's pipeline.

py3langid (a maintained, offline re-packaging of langid.py) answers in a few
milliseconds; it is right on every document of ../shared/eval. A text too short to
judge is taken as English, the language most of the feeds Tally reads are in.

Its model ships LZMA-compressed, and unpacking it costs half a second on every process
start (most of what one short file costs beyond spaCy). So the first run unpacks it once
into the user's cache folder (beside the trimmed spaCy pipelines, keyed by py3langid's
version) and later runs read that plain file in a few milliseconds. The same arrays
make the same identifier; any failure to write or read the cache falls back to
py3langid's own loading.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Below this many characters a guess is noise: say English.
MIN_CHARS = 40
# Only the start of a long article is read: the language does not change halfway, and
# 1,000 characters (about 170 words) are plenty for two dozen candidate languages.
SAMPLE_CHARS = 1000


def detect(text: str) -> str:
    """ISO 639-1 code of the text's language ('en', 'fr', 'pt', ...)."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return "en"
    lang, _ = _identifier().classify(sample)  # loaded on first use: only runs that read text pay
    return str(lang)


def cache_file(version: str) -> Path:
    """Where the unpacked model is kept: $XDG_CACHE_HOME/tally/langid, else ~/.cache/tally/langid."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tally" / "langid" / f"py3langid-{version}.npz"


@cache
def _identifier() -> Any:
    from importlib.metadata import version

    from py3langid import langid

    try:
        cached = cache_file(version("py3langid"))
        if not cached.is_file():
            _unpack(langid.MODEL_DIR / langid.MODEL_FILE, cached)
        return _from_unpacked(cached)
    except Exception:  # a cache that cannot be written or read only costs the slow load
        log.warning("language model cache not usable; loading py3langid's own", exc_info=True)
        return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)


def _unpack(packed: Path, dest: Path) -> None:
    """The LZMA-compressed model as a plain file, written whole or not at all."""
    import lzma
    import shutil
    import tempfile

    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, lzma.open(packed) as src:
            shutil.copyfileobj(src, out, length=1 << 20)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _from_unpacked(path: Path) -> Any:
    """The identifier py3langid would build, from the unpacked file (as its `load_model` reads it)."""
    import numpy as np
    from py3langid import langid, modelio

    with np.load(path, allow_pickle=False) as data:
        return langid.LanguageIdentifier(
            np.asarray(data["ptc"]),
            np.asarray(data["pc"]),
            data["classes"].tolist(),
            modelio._to_array(data["nextmove"]),
            data["out_feat"].tolist(),
            tk_row=modelio._to_array(data["nextmove_row"]),
        )
