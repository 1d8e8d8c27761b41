"""Lists of records that are also tables: `as_dicts()`, `to_arrow()`, and `to_pandas()`.

Every collection the public API returns is a `Records`: a plain list of records (each
with `as_dict()`), so it indexes, slices and iterates as a list does, and turns into a
table whose columns are the record's fields, in order, even when the list is empty.
Column types come from the record's type hints, so a column keeps its type whether or
not its first row happens to hold a value.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import types
import typing
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from tally.errors import MissingExtra

if TYPE_CHECKING:
    import pandas
    import pyarrow


class _Record(Protocol):
    def as_dict(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=_Record)

# Optional extras: the module a method needs, and the extra of Tally that installs it.
EXTRAS = {"pandas": "pandas", "matplotlib": "plot"}


def require(module: str) -> Any:
    """Import an optional dependency, or say which extra of Tally installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        extra = EXTRAS.get(top, top)
        raise MissingExtra(
            f"this needs {top}, which is not installed: pip install 'tally[{extra}]' (or pip install {top})"
        ) from exc


def _flatten(kind: type) -> list[tuple[str, Any]]:
    """(name, type) of the columns a record's `as_dict()` gives, from its type hints."""
    from tally.store.records import StoredFigure

    if kind is StoredFigure:  # the figure's fields after the store's identities
        from tally.model import Figure

        return [("id", int), ("document", str), ("story", str | None), *_flatten(Figure)]
    hints = typing.get_type_hints(kind)
    return [(f.name, hints[f.name]) for f in dataclasses.fields(kind)]


@functools.cache
def columns(kind: type) -> tuple[str, ...]:
    """The column names a record type makes, in the order of its fields."""
    return tuple(name for name, _tp in _flatten(kind))


def _arrow_type(tp: Any) -> pyarrow.DataType:
    import pyarrow as pa

    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)] or [str]
        return _arrow_type(inner)
    if origin in (tuple, list):
        return pa.list_(_arrow_type(args[0]))
    if dataclasses.is_dataclass(tp):
        return pa.struct([(name, _arrow_type(t)) for name, t in _flatten(tp)])  # type: ignore[arg-type]
    simple = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    return simple.get(tp, pa.string())


def schema(kind: type) -> pyarrow.Schema:
    """The Arrow schema of a record type: one typed, nullable column per field."""
    import pyarrow as pa

    return pa.schema([(name, _arrow_type(tp)) for name, tp in _flatten(kind)])


class Records(list[R], Generic[R]):
    """A list of Tally records that also becomes a table.

    It is a list: index it, slice it, loop over it. `as_dicts()` gives JSON-ready rows,
    `to_arrow()` a `pyarrow.Table`, `to_pandas()` a `pandas.DataFrame` (with the `pandas`
    extra: `pip install 'tally[pandas]'`). The columns are the record's fields, in the
    order `as_dict()` gives them; an empty list still has them.

        >>> figs = tally.extract("At least 1,200 Tunisians have travelled to Syria.")
        >>> figs.to_pandas()[["span", "origin", "status"]]
    """

    __slots__ = ("kind",)

    def __init__(self, items: Iterable[R] = (), kind: type | None = None) -> None:
        super().__init__(items)
        self.kind = kind if kind is not None else (type(self[0]) if self else None)

    def as_dicts(self) -> list[dict[str, Any]]:
        """Every record as a plain dict, as `as_dict()` gives it."""
        return [r.as_dict() for r in self._rows()]

    def columns(self) -> tuple[str, ...]:
        """The names of the table's columns."""
        kind = self._row_kind()
        return columns(kind) if kind is not None else ()

    def to_arrow(self) -> pyarrow.Table:
        """The records as a `pyarrow.Table`, one typed column per field."""
        import pyarrow as pa

        kind = self._row_kind()
        rows = self.as_dicts()
        if kind is None:
            return pa.Table.from_pylist(rows)
        return pa.Table.from_pylist(rows, schema=schema(kind))

    def to_pandas(self) -> pandas.DataFrame:
        """The records as a `pandas.DataFrame`, one column per field (needs the `pandas` extra)."""
        pd = require("pandas")
        frame: pandas.DataFrame = pd.DataFrame.from_records(self.as_dicts(), columns=list(self.columns()))
        return frame

    def _rows(self) -> Iterable[_Record]:
        """The records that make the table's rows (a list of series tabulates its points)."""
        return self

    def _row_kind(self) -> type | None:
        return self.kind

    def __repr__(self) -> str:
        return list.__repr__(self)

    def __getitem__(self, index: Any) -> Any:
        found = list.__getitem__(self, index)
        return type(self)(found, self.kind) if isinstance(index, slice) else found
