"""Fixtures for the public API's tests: a ledger of the bundled examples and one article
written for these tests, ingested once per session through the real pipeline.

The article (a French count dated 2018-11-20) is invented: its 'returned' figure is at
odds with the examples' French digest, so France's 'returned' series has a conflict.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"
ARTICLE = (
    "Paris, 20 November 2018. At least 1,700 French nationals have travelled to Iraq and Syria "
    "since 2012 to join jihadist groups, the Interior Ministry said on Tuesday. According to the "
    "ministry, about 300 of them have been killed in the fighting and 260 have returned to "
    "France, where most were arrested on arrival."
)


def _inputs(folder: Path) -> list[Path]:
    """The example digests and the test article, as JSON Lines with its date and outlet."""
    ours = folder / "api_article.jsonl"
    if not ours.exists():
        record = {"text": ARTICLE, "published": "2018-11-20", "outlet": "Test Wire", "title": "A count"}
        ours.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return [*sorted(EXAMPLES.glob("*.txt")), ours]


@pytest.fixture(scope="session")
def inputs() -> Callable[[Path], list[Path]]:
    """Writes the test article into a folder and gives every input to ingest."""
    return _inputs


@pytest.fixture(scope="session")
def ledger_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import tally

    folder = tmp_path_factory.mktemp("api-ledger")
    with tally.open(folder / "ledger.db") as led:
        run = led.ingest(_inputs(folder))
    assert run.ok and run.new == len(_inputs(folder))
    return folder / "ledger.db"


@pytest.fixture
def ledger(ledger_path: Path) -> Iterator[object]:
    """The session's ledger, opened for one test (read it, do not write to it)."""
    import tally

    with tally.open(ledger_path, create=False) as led:
        yield led
