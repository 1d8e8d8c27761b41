"""simplemma's dictionaries, decoded once and kept in the user's cache folder.

Why: simplemma ships each language's table LZMA-compressed and front-coded, and decoding
it is most of what the first lemma costs: about 0.2 s for English or French and 1.4 s
for German (1.1 million forms) on every process start. The decoded table, saved once
with `marshal` (keyed by simplemma's and Python's versions), loads in a third of the
time or less. The words and lemmas are simplemma's own, so every lemma is the same; any
failure to write or read the cache falls back to simplemma's loading.
"""

from __future__ import annotations

import logging
import marshal
import os
import sys
import tempfile
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

from simplemma.strategies.dictionaries.dictionary_factory import (
    DefaultDictionaryFactory,
    MappingStrToByteString,
    _load_dictionary_from_disk,
)

log = logging.getLogger(__name__)


def cache_file(lang: str) -> Path:
    """$XDG_CACHE_HOME/tally/simplemma/<versions>-<lang>.marshal (else under ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    py = f"py{sys.version_info.major}{sys.version_info.minor}"  # marshal's format follows Python's
    return Path(base) / "tally" / "simplemma" / f"simplemma{version('simplemma')}-{py}-{lang}.marshal"


class CachedDictionaries(DefaultDictionaryFactory):
    """simplemma's default dictionaries, read from the decoded copy when there is one."""

    __slots__ = ()

    def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
        path = cache_file(lang)
        try:
            table = marshal.loads(path.read_bytes())
            if isinstance(table, dict):
                return MappingStrToByteString(table)
        except FileNotFoundError:
            pass
        except (OSError, ValueError, EOFError, TypeError):
            log.warning("simplemma cache %s not readable; decoding the shipped table", path, exc_info=True)
        table = _load_dictionary_from_disk(lang)  # ValueError for a language simplemma lacks
        _save(path, table)
        return MappingStrToByteString(table)


def _save(path: Path, table: dict[bytes, bytes]) -> None:
    """Write the decoded table whole or not at all; a cache that cannot be written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                marshal.dump(table, out)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        log.warning("cannot keep simplemma's decoded table in %s", path.parent, exc_info=True)
