"""The dashboard and JSON API over a ledger: `create_app(store, token=None)`.

Pages (overview, series, documents, sources, search, runs) are HTML with a JSON twin
at the same path + `.json` and their tables as CSV at + `.csv`; the REST API lives
under /api. `tally serve` runs the app under uvicorn (see `tally.cli_web`).
"""

from __future__ import annotations

from tally.web.app import create_app

__all__ = ["create_app"]
