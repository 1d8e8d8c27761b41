"""Bytes to text: refuse binary content, prefer UTF-8, guess the rest.

UTF-8 (with or without a byte-order mark) is tried first because nearly all news text is
UTF-8 and a strict decode that succeeds is never wrong. Other inputs go to
charset-normalizer, with one correction: on short Western text it often names a Baltic or
Central European code page whose letters differ from cp1252 in a few places (`à` read as
`ą`), so cp1252 is kept whenever it reads the bytes about as cleanly as the guess does.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from tally.errors import InputError

# How much of the start of a file is inspected for binary content.
SNIFF_BYTES = 8192
# Control bytes (other than tab, newlines, form feed, escape) above this share of the sniffed
# bytes mean the file is not text.
MAX_CONTROL_SHARE = 0.05
# cp1252 wins over charset-normalizer's guess unless it reads this much messier (mess ratio).
WESTERN_MARGIN = 0.2
# Characters of the cp1252 reading that are scored for mess (enough to judge, and fast).
MESS_SAMPLE = 50_000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Leading bytes of common non-text files, to name them in the failure reason.
_MAGIC = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF-", "PDF document: convert it to text or HTML first"),
    (b"PK\x03\x04", "ZIP archive (or a Word/Excel file): unpack or convert it first"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ", "xz data"),
    (b"\x7fELF", "executable"),
    (b"RIFF", "RIFF media file"),
)

_CONTROL = bytes(sorted(set(range(32)) - {9, 10, 11, 12, 13, 27}))
_CP1252_EXTRAS = re.compile(rb"[\x80-\x9f]")


class BinaryInput(InputError):
    """The input is not text at all (an image, an archive, an executable)."""


def sniff_binary(head: bytes) -> str | None:
    """Why the first bytes of a file show it is not text, or None if they may be text."""
    for bom, _ in _BOMS:
        if head.startswith(bom):
            return None
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"binary file ({what})"
    sample = head[:SNIFF_BYTES]
    if b"\x00" in sample:
        return "binary file (contains NUL bytes): not a text document"
    if sample:
        controls = len(sample) - len(sample.translate(None, _CONTROL))
        if controls / len(sample) > MAX_CONTROL_SHARE:
            return "binary file (mostly control bytes): not a text document"
    return None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a whole document; return (text, encoding name) or raise InputError.

    `declared` is the charset the bytes came labelled with (an HTTP header, a web archive's
    record). It is used when it decodes them cleanly, but only after the bytes are known to
    be text: ISO-8859-1 decodes any bytes at all, so a label alone never makes noise a
    document.
    """
    if not data:
        raise InputError("empty file")
    why = sniff_binary(data)
    if why:
        raise BinaryInput(why)
    if declared:
        try:
            text = data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if text.strip():
                return text, declared.lower()
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"cannot decode: starts with a {name} byte-order mark but is not {name}"
                ) from exc
            return _nonempty(text), "utf-8" if name == "utf-8-sig" else name
    try:
        return _nonempty(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    text, encoding = _guess(data)
    return _nonempty(text), encoding


def _nonempty(text: str) -> str:
    if not text.strip():
        raise InputError("empty file (only whitespace)")
    return text


def _guess(data: bytes) -> tuple[str, str]:
    best = from_bytes(data).best()
    western = _western(data)
    if western is not None:
        text, name = western
        if best is not None and best.encoding in ("cp1252", "latin_1"):
            return text, name
        limit = (best.chaos if best is not None else 0.0) + WESTERN_MARGIN
        if mess_ratio(text[:MESS_SAMPLE], maximum_threshold=limit + 0.01) <= limit:
            return text, name
    if best is None:
        raise InputError("cannot decode: not UTF-8 and no other text encoding fits; re-save it as UTF-8")
    return str(best), best.encoding.replace("_", "-")


def _western(data: bytes) -> tuple[str, str] | None:
    """cp1252 text, named ISO-8859-1 when the bytes use none of cp1252's extra characters."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if _CP1252_EXTRAS.search(data):
        return text, "cp1252"
    return text, "iso-8859-1"
