"""ingest.decode: UTF-8 first, then a guess that prefers Western code pages for Western text."""

from __future__ import annotations

import codecs
import random

import pytest

from tally.errors import InputError
from tally.ingest.decode import decode


def test_utf8_with_or_without_bom() -> None:
    assert decode("café “300” – £5".encode()) == ("café “300” – £5", "utf-8")
    assert decode(codecs.BOM_UTF8 + "café".encode()) == ("café", "utf-8")


def test_utf16_with_bom() -> None:
    assert decode("Neuf sont rentrées.".encode("utf-16")) == ("Neuf sont rentrées.", "utf-16")


@pytest.mark.parametrize(
    "text",
    [
        "Le prix est de 5 £ et l'été est chaud à Paris, déjà.",
        "café £5",
        "Les enquêteurs pensent qu'environ 1 300 Belges sont partis vers la zone irako-syrienne.",
    ],
)
def test_latin1_text_decodes_to_the_same_characters(text: str) -> None:
    decoded, encoding = decode(text.encode("latin-1"))
    assert decoded == text
    assert encoding == "iso-8859-1"


def test_cp1252_text_keeps_its_curly_quotes_dashes_and_euro() -> None:
    text = "He said “around 300” – it cost 5 € and the café’s menu…"
    assert decode(text.encode("cp1252")) == (text, "cp1252")


def test_cyrillic_code_page_is_not_mistaken_for_latin() -> None:
    text = "Министр заявил, что более 300 граждан России воюют в Сирии."
    decoded, encoding = decode(text.encode("cp1251"))
    assert decoded == text
    assert encoding == "cp1251"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\n \n", "empty file (only whitespace)"),
        (b"%PDF-1.7\n", "binary file (PDF document"),
        (b"abc\x00def", "binary file (contains NUL bytes)"),
        (b"\x01\x02\x03\x04\x05 ab", "binary file (mostly control bytes)"),
        (bytes(range(0x80, 0x100)) * 4, "cannot decode"),
    ],
)
def test_what_is_not_text_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as exc:
        decode(data)
    assert str(exc.value).startswith(reason)


def test_a_declared_charset_is_used_when_the_bytes_are_text() -> None:
    assert decode("Réfugiés".encode("latin-1"), "ISO-8859-1") == ("Réfugiés", "iso-8859-1")


def test_a_declared_charset_never_makes_random_bytes_a_document() -> None:
    # ISO-8859-1 decodes any byte at all: the label must not outrank the look of the bytes.
    noise = random.Random(12).randbytes(64 * 1024)
    for label in ("iso-8859-1", "windows-1252", "utf-8", None):
        with pytest.raises(InputError) as exc:
            decode(noise, label)
        assert str(exc.value).startswith("binary file")
