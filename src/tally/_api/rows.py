"""The ledger's other records: who figures are attributed to (Source), what each ingest
did (Run), and a stored article (Document). Plain frozen records with `as_dict()`."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from tally.model import Failure


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, datetime) else str(value)


@dataclass(frozen=True, slots=True)
class Source:
    """One origin figures are attributed to, its spellings merged ('the Soufan Group',
    'a report by the Soufan Group'), with how many figures, documents, stories (groups of
    near-duplicate documents) and outlets carry it, and the first and last publication."""

    source: str | None
    figures: int
    documents: int
    stories: int
    outlets: int
    first: str | None
    last: str | None
    spellings: tuple[str, ...] = ()
    # The source entity the spellings resolve to (`tally.reconcile.entities`): its id,
    # name and kind (named, generic, unknown), and the languages it was cited in.
    entity: str | None = None
    entity_name: str | None = None
    kind: str | None = None
    languages: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["spellings"] = list(self.spellings)
        d["languages"] = list(self.languages)
        return d

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Source:
        return cls(
            **{
                **row,
                "spellings": tuple(row.get("spellings", ())),
                "languages": tuple(row.get("languages", ())),
            }
        )


@dataclass(frozen=True, slots=True)
class Run:
    """One ingest: when, by which Tally, over which inputs, and what it did to them.

    A run that was killed has no `finished`. `failures` are the inputs it could not use,
    each with its reason; the run went on without them (`ok` says whether there were any).
    """

    id: int
    version: str
    started: str | None
    finished: str | None
    inputs: tuple[str, ...]
    workers: int
    documents: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    figures: int = 0
    failed: int = 0
    failures: tuple[Failure, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["inputs"] = list(self.inputs)
        d["failures"] = [f.as_dict() for f in self.failures]
        return d

    @classmethod
    def from_row(cls, row: dict[str, Any], failures: list[Failure]) -> Run:
        try:
            inputs = json.loads(row.get("inputs") or "[]")
        except ValueError:
            inputs = [row.get("inputs")]
        return cls(
            id=int(row["id"]),
            version=row["version"],
            started=_iso(row.get("started")),
            finished=_iso(row.get("finished")),
            inputs=tuple(str(i) for i in (inputs if isinstance(inputs, list) else [inputs])),
            workers=int(row.get("workers") or 1),
            **{k: int(row.get(k) or 0) for k in _COUNTS},
            failures=tuple(failures),
        )


_COUNTS = ("documents", "new", "updated", "unchanged", "skipped", "figures", "failed")


@dataclass(frozen=True, slots=True)
class Document:
    """A stored article: its cleaned `text` (which figures' offsets point into) and where
    it came from. `key` is the hash of its text, the `document` of its figures and points."""

    key: str
    name: str
    source: str
    text: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    lang: str | None = None
    story: str | None = None
    version: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
