"""A credit line ("Source: The Outlet, https://... (2018)") gives a document its
provenance when nothing else does: digests, reprints and wire copy carry one.

The line itself is page furniture (see the `[start]` entries of the furniture lexicon);
this module only reads the outlet, the URL and the date out of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CREDIT = re.compile(
    r"^\s*(?:source|sources|via|originally published (?:by|in)|reprinted from|publié (?:par|dans))\s*:?\s+"
    r"(?P<outlet>[^,\n]*?)\s*,?\s*(?P<url>https?://\S+?)[.,;]?"
    r"(?:\s*\((?P<date>(?:19|20)\d{2}(?:-\d{2}){0,2})\))?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Credit:
    outlet: str | None
    url: str
    published: str | None


def read(content: str) -> Credit | None:
    """The first credit line of a text, if it has one."""
    m = _CREDIT.search(content)
    if not m:
        return None
    outlet = m.group("outlet").strip(" ,") or None
    return Credit(outlet, m.group("url"), m.group("date"))
