"""Tally: a sourced ledger of figures about the foreign-fighter phenomenon, read from the news.

Use it from Python (a notebook, a script) through two calls:

    >>> import tally
    >>> figs = tally.extract("At least 1,200 Tunisians have travelled to Syria since 2012.")
    >>> figs[0].origin, figs[0].status, figs[0].quote
    ('TN', 'joined', 'At least 1,200 Tunisians have travelled to Syria since 2012.')

    >>> with tally.open("research.db") as ledger:      # the configured store when no URL
    ...     run = ledger.ingest(["articles/"])
    ...     france = ledger.series(origin="FR")
    ...     frame = france.to_pandas()                    # pip install 'tally[pandas]'
    ...     france[0].plot()                              # pip install 'tally[plot]'

Results are plain records with `as_dict()`, in lists that turn into tables
(`to_pandas()`, `to_arrow()`). Errors are `TallyError` subclasses whose message says
what to do; the library prints nothing.

Stability: the names in `__all__` are Tally's public API; their records may gain
fields, and anything else that changes is in CHANGELOG.md. Every module under `tally`
(`tally.ledger`, `tally.store`, `tally.reconcile`, `tally.pipeline`, ...) is internal and
may change in any release.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

# The stage package `tally.extract` has the name of the public function `tally.extract`.
# Importing the package first lets the import system set `tally.extract` to it now, once;
# the function then takes the name for good. Inside Tally, import the stage by its
# members (`from tally.extract import figures`), never as `from tally import extract`.
import tally.extract as _extract_stage  # noqa: F401
from tally._api.extract import extract
from tally._api.ledger import Ledger, open
from tally._api.records import Records
from tally._api.rows import Document, Run, Source
from tally.errors import (
    ArgumentError,
    ConfigError,
    ExtractionError,
    InputError,
    MissingExtra,
    StoreError,
    TallyError,
)
from tally.model import Failure, Figure

if TYPE_CHECKING:
    from tally._api.series import Chain, Conflict, Estimate, Mutation, Point, Series, SeriesList
    from tally.store.records import StoredFigure

try:
    __version__ = version("tally")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+src"

__all__ = [
    "ArgumentError",
    "Chain",
    "ConfigError",
    "Conflict",
    "Document",
    "Estimate",
    "ExtractionError",
    "Failure",
    "Figure",
    "InputError",
    "Ledger",
    "MissingExtra",
    "Mutation",
    "Point",
    "Records",
    "Run",
    "Series",
    "SeriesList",
    "Source",
    "StoreError",
    "StoredFigure",
    "TallyError",
    "__version__",
    "extract",
    "open",
]

# Records that need the store's or the reconciler's modules are imported on first use,
# so `import tally` (and every `tally` command's start) stays fast.
_LAZY = {
    "Chain": "tally._api.series",
    "Conflict": "tally._api.series",
    "Estimate": "tally._api.series",
    "Mutation": "tally._api.series",
    "Point": "tally._api.series",
    "Series": "tally._api.series",
    "SeriesList": "tally._api.series",
    "StoredFigure": "tally.store.records",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tally' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
