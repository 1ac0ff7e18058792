"""The notebooks run top to bottom on the tiny study's results; any exception fails the test."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

pytestmark = pytest.mark.slow


def test_notebooks_are_numbered_and_committed_without_outputs():
    assert [p.name.split("-")[0] for p in NOTEBOOKS] == ["1.0", "2.0", "3.0"]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, f"{path.name} has outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes_on_the_tiny_run(path, tiny_run, monkeypatch):
    monkeypatch.setenv("DEALERDETECT_RESULTS", str(tiny_run / "results"))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code")
