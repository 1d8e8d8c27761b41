"""What the store takes in (`Entry`) and gives back (`StoredFigure`), and the document key.

These sit beside the stage records of `tally.model`: an Entry is one processed
document on its way to the store, a StoredFigure is a Figure with the identities
(row, document, story) that reconciliation needs to tell echoes from confirmations.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Any

from tally.model import Doc, Figure


def normalise_text(text: str) -> str:
    """The text as compared for identity: NFKC, case-folded, whitespace collapsed.

    Two copies that differ only in line wrapping, non-breaking spaces or case are
    the same document.
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def document_key(text: str, *, normalised: bool = False) -> str:
    """The documents table key: SHA-256 of the normalised cleaned text, in hex.

    Pass `normalised=True` with the output of `normalise_text` to skip doing it twice.
    """
    norm = text if normalised else normalise_text(text)
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()


def raw_key(content: str, fmt: str) -> str:
    """A hash of one raw input as read, so a rerun can skip it before cleaning."""
    digest = hashlib.sha256(fmt.encode("utf-8") + b"\0")
    digest.update(content.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass(slots=True)
class Entry:
    """One processed document to store: the cleaned Doc, its figures, and its identities."""

    key: str
    doc: Doc
    figures: list[Figure]
    version: str
    raw_hash: str | None = None
    outlet: str | None = None
    story: str | None = None
    signature: bytes | None = None


@dataclass(slots=True)
class StoredFigure:
    """A figure as the ledger holds it: the record plus its row, document and story."""

    id: int
    document: str
    story: str | None
    figure: Figure

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "document": self.document, "story": self.story, **self.figure.as_dict()}


@dataclass(slots=True)
class RunCounts:
    """What one ingest run did, document by document; saved on the run's row."""

    documents: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    figures: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "documents": self.documents,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "figures": self.figures,
            "failed": self.failed,
        }
