"""The example notebook runs headless from a clean clone, and its plot is kept.

examples/notebook.ipynb is executed cell by cell in a fresh kernel (the Python of this
test run), from the examples/ folder as Jupyter would open it; any error fails the test.
The plot cell's image is saved to tests/artifacts/notebook-series.png.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"
NOTEBOOK = EXAMPLES / "notebook.ipynb"
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
# Seconds a cell may take: the first extraction loads the language models.
CELL_TIMEOUT = 600


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> object:
    import nbformat
    from nbclient import NotebookClient

    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's future paths, no warning
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    client.execute()
    return nb


def test_the_committed_notebook_holds_no_outputs() -> None:
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_the_notebook_runs_without_an_error(executed: object) -> None:
    cells = [c for c in executed.cells if c.cell_type == "code"]  # type: ignore[attr-defined]
    errors = [o for c in cells for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert all(c.execution_count for c in cells)


def test_the_notebook_plots_one_series_and_it_is_kept_as_an_artifact(executed: object) -> None:
    (plot,) = [c for c in executed.cells if "plot" in c.metadata.get("tags", [])]  # type: ignore[attr-defined]
    images = [o.data["image/png"] for o in plot.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1
    png = base64.b64decode(images[0])
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "notebook-series.png").write_bytes(png)


def test_the_notebook_follows_a_point_to_its_sentence(executed: object) -> None:
    last = [c for c in executed.cells if c.cell_type == "code" and "ledger.document" in c.source]  # type: ignore[attr-defined]
    text = "".join(o.get("text", "") for o in last[0].outputs)
    assert "returned to France" in text or "rentrées en France" in text
