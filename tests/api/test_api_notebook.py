"""The example notebook runs headless from a clean clone, and its plot is kept.

examples/notebook.ipynb is executed cell by cell in a fresh kernel (the Python of this
test run), from the examples/ folder as Jupyter would open it; any error fails the test.
The plot cell's image is saved to tests/artifacts/notebook-series.png.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"
NOTEBOOK = EXAMPLES / "notebook.ipynb"
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
# Seconds a cell may take: the first extraction loads the language models.
CELL_TIMEOUT = 600
KERNEL = "tally-tests"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The notebook run in a kernel of this very Python (a kernel spec of its own, found
    first on JUPYTER_PATH, so no other 'python3' kernel on the machine is picked)."""
    import nbformat
    from nbclient import NotebookClient

    kernels = tmp_path_factory.mktemp("jupyter") / "kernels" / KERNEL
    kernels.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Tally tests",
        "language": "python",
    }
    (kernels / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "JUPYTER_PLATFORM_DIRS")}
    os.environ["JUPYTER_PATH"] = str(kernels.parents[1])
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"  # jupyter_core's future paths, without its warning
    try:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        client = NotebookClient(
            nb, timeout=CELL_TIMEOUT, kernel_name=KERNEL, resources={"metadata": {"path": str(EXAMPLES)}}
        )
        client.execute()
        yield nb
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_the_committed_notebook_holds_no_outputs() -> None:
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_the_notebook_runs_without_an_error(executed: Any) -> None:
    cells = [c for c in executed.cells if c.cell_type == "code"]
    errors = [o for c in cells for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert all(c.execution_count for c in cells)


def test_the_notebook_plots_one_series_and_it_is_kept_as_an_artifact(executed: Any) -> None:
    (plot,) = [c for c in executed.cells if "plot" in c.metadata.get("tags", [])]
    images = [o.data["image/png"] for o in plot.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1
    png = base64.b64decode(images[0])
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "notebook-series.png").write_bytes(png)


def test_the_notebook_follows_a_point_to_its_sentence(executed: Any) -> None:
    last = [c for c in executed.cells if c.cell_type == "code" and "ledger.document" in c.source]
    text = "".join(o.get("text", "") for o in last[0].outputs)
    assert "returned to France" in text or "rentrées en France" in text
