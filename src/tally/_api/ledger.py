"""`tally.open(url) -> Ledger`: the sourced ledger in one store, from Python.

A Ledger ingests articles into its store and reads back what the ledger holds: the
figures with their provenance, the reconciled series, the sources and the runs. The CLI's
ledger commands and the web API are shells over these calls, so a notebook, a command
and a page say the same thing about the same store.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tally._api import checks
from tally._api.records import Records
from tally._api.rows import Document, Run, Source
from tally.errors import ArgumentError, StoreError

if TYPE_CHECKING:
    from tally._api.series import SeriesList
    from tally.model import Failure
    from tally.store import Store, StoredFigure

Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def open(url: str | os.PathLike[str] | None = None, *, create: bool = True) -> Ledger:
    """Open the ledger at `url`: a SQLite file path, or a `postgresql://` URL.

    Without `url`, the configured store: `$TALLY_DB`, else `db` in ./tally.toml, else
    ./tally.db (the one `tally ingest` writes). The schema is created or upgraded on
    open. With `create=False` a SQLite file that does not exist is an error instead of a
    new, empty ledger (a mistyped path would otherwise read as a ledger with no figures).

        >>> ledger = tally.open("research.db")
        >>> ledger.ingest(["articles/"])
        >>> ledger.series(origin="FR").to_pandas()
    """
    from tally import settings, store

    if url is None:
        url = settings.load().db
    target = os.fspath(url)
    if not create:
        parsed = store.parse_url(target)
        path = parsed.database
        if parsed.get_backend_name() == "sqlite" and path and path != ":memory:" and not Path(path).exists():
            raise StoreError(
                f"no ledger at {path}: check the path, or open it with create=True to start a new one"
            )
    return Ledger(store.open(target))


class Ledger:
    """A sourced ledger of figures in one store. Open one with `tally.open()`.

    Close it when done (`close()`, or use it in a `with` block). Every method raises a
    `tally.TallyError` subclass on a problem, with a message that says what to do.
    """

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def url(self) -> str:
        """Where the ledger is, with any password hidden."""
        return self._store.url

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<tally.Ledger {self.url}>"

    # -- writing -----------------------------------------------------------------
    def ingest(
        self,
        paths: Paths,
        workers: int = 1,
        *,
        on_item: Callable[[str, Failure | None], None] | None = None,
    ) -> Run:
        """Read, extract and store articles: files, folders, .jsonl, web archives, feeds, URLs.

        Ingesting is idempotent: a document already stored by this Tally is skipped, so a
        rerun (or an interrupted run run again) stores nothing twice. An input that cannot
        be used is recorded with its reason in the returned `Run.failures` and the run goes
        on. `workers` > 1 extracts in that many processes. `on_item(status, failure)` is
        called after each input (status: new, updated, unchanged, skipped or failed).
        """
        from tally import ledger

        items = [os.fspath(paths)] if isinstance(paths, str | os.PathLike) else [os.fspath(p) for p in paths]
        if not items:
            raise ArgumentError("nothing to ingest: give a file, a folder or a list of them")
        summary = ledger.ingest(items, self._store, workers=checks.workers(workers), on_item=on_item)
        return self._run(summary.run_id, summary.failures)

    # -- reading -----------------------------------------------------------------
    def figures(
        self,
        *,
        origin: str | None = None,
        status: str | None = None,
        role: str | None = None,
        scope: str | None = None,
        population: str | None = None,
        group: str | None = None,
        source: str | None = None,
        outlet: str | None = None,
        document: str | None = None,
        since: int | None = None,
        until: int | None = None,
    ) -> Records[StoredFigure]:
        """Stored figures matching every filter given, oldest publication first.

        `origin` is an ISO code or a country's name ('FR', 'France'); `status`, `role`,
        `scope` and `population` take the schema's values; `source` matches text within
        the attribution, any case; `group` and `outlet` match whole names, any case;
        `since`/`until` are years the figure speaks for (its stated period, else its
        publication). Each record is the figure with its `id`, `document` and `story`.
        """
        from tally.reconcile.points import as_of
        from tally.store import StoredFigure

        code = checks.origin(origin)
        checks.one_of("status", status, checks.statuses())
        checks.one_of("role", role, checks.ROLES)
        checks.one_of("scope", scope, checks.SCOPES)
        checks.one_of("population", population, checks.POPULATIONS)
        first, last = checks.years(since, until)
        found = self._store.figures(origin=code, status=status, source=source, document=document)
        wanted = {
            "role": role,
            "scope": scope,
            "population": population,
            "group": group.casefold() if group else None,
            "outlet": outlet.casefold() if outlet else None,
        }
        out = []
        for sf in found:
            f = sf.figure
            have = {
                "role": f.role,
                "scope": f.scope,
                "population": f.population,
                "group": (f.group or "").casefold(),
                "outlet": (f.outlet or "").casefold(),
            }
            if any(v is not None and have[k] != v for k, v in wanted.items()):
                continue
            if first is not None or last is not None:
                year = as_of(f.period, f.published, f.quote)[1]
                if year is None or (first is not None and year < first) or (last is not None and year > last):
                    continue
            out.append(sf)
        return Records(out, StoredFigure)

    def series(
        self,
        *,
        origin: str | None = None,
        status: str | None = None,
        role: str | None = None,
        scope: str | None = None,
        group: str | None = None,
        population: str | None = None,
    ) -> SeriesList:
        """The reconciled series: per origin, status, role, scope and population, the
        independent statements with their echoes and parts, the conflicts between them and
        a best estimate per year. Filters as in `figures()`; `group` reconciles only that
        group's figures; `population` keeps the series of all, men, women, minors, adults
        or mixed (parts of other populations still show under their wholes).

        As a table (`to_pandas()`), one row per statement with its series' key.
        """
        from tally._api.series import SeriesList, build
        from tally.reconcile import reconcile

        code = checks.origin(origin)
        checks.one_of("status", status, checks.statuses())
        checks.one_of("role", role, checks.ROLES)
        checks.one_of("scope", scope, checks.SCOPES)
        checks.one_of("population", population, checks.POPULATIONS)
        # Every status is reconciled, so a whole's parts (its fates) and an echo told
        # with another status stay with their series; the filter applies to the series.
        found = self._store.figures(origin=code)
        if group:
            found = [sf for sf in found if (sf.figure.group or "").casefold() == group.casefold()]
        by_id = {sf.id: sf for sf in found}
        out = [
            build(s, by_id)
            for s in reconcile(found)
            if (status is None or s.key.status == status)
            and (role is None or s.key.role == role)
            and (scope is None or s.key.scope == scope)
            and (population is None or s.key.population == population)
        ]
        return SeriesList(out)

    def sources(self) -> Records[Source]:
        """Who the figures are attributed to, spellings of one origin merged, most cited first."""
        from tally import ledger

        return Records([Source.from_row(r) for r in ledger.sources(self._store)], Source)

    def reports(self, *, origin: str | None = None) -> list[dict[str, Any]]:
        """Reports: what one source entity said at one time (an entity and a date window),
        each figure with the outlets that restated it, their languages and the mutations
        they made, most restated first; as JSON-ready dicts (`tally sources --reports`)."""
        from tally import ledger

        return ledger.reports(self._store, origin=checks.origin(origin))

    def runs(self) -> Records[Run]:
        """Every ingest into this ledger, oldest first, with what it did and its failures."""
        return Records([Run.from_row(r, self._store.run_errors(r["id"])) for r in self._store.runs()], Run)

    def document(self, key: str) -> Document:
        """A stored article by its key (a figure's or point's `document`), with the cleaned
        text its figures' offsets point into."""
        row = self._store.document(key)
        if row is None:
            raise ArgumentError(
                f"no document {key!r} in the ledger at {self.url}; keys are the `document` of figures and points"
            )
        return Document(
            key=row["id"],
            name=row["name"],
            source=row["source"],
            text=row["text"],
            url=row["url"],
            title=row["title"],
            published=row["published"],
            outlet=row["outlet"],
            lang=row["lang"],
            story=row["story_id"],
            version=row["version"],
        )

    def export(self, directory: str | os.PathLike[str], format: str = "csv") -> list[Path]:
        """Write every table of the store into `directory` as csv, json or parquet files."""
        from tally import ledger

        checks.one_of("format", format, ledger.EXPORT_FORMATS)
        return ledger.export(self._store, Path(directory), format)

    def _run(self, run_id: int, failures: list[Any]) -> Run:
        row = next(r for r in self._store.runs() if r["id"] == run_id)
        return Run.from_row(row, failures)
