"""The documentation builds, and the example notebook runs from top to bottom."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_example_notebook_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat", reason="running the notebook needs nbformat (the test extra)")
    nbclient = pytest.importorskip("nbclient", reason="running the notebook needs nbclient (the test extra)")
    pytest.importorskip("ipykernel", reason="running the notebook needs ipykernel (the test extra)")
    pytest.importorskip("matplotlib", reason="the notebook draws charts (the draw extra)")
    pytest.importorskip("pandas", reason="the notebook shows DataFrames (the pandas extra)")
    pytest.importorskip("docx", reason="the notebook writes a Word redline (the docx extra)")
    notebook = nbformat.read(ROOT / "examples" / "tour.ipynb", as_version=4)
    # the kernel inherits this process's environment: it runs this checkout's code, drawing off screen
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "examples")}}
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    texts = "\n".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "(True, True)" in texts  # the redline: accept gives the draft, reject the model
    assert "Sample draft against USMCA" in texts


@pytest.mark.slow
def test_docs_build_strict(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="the docs build needs mkdocs (the docs extra)")
    pytest.importorskip("mkdocstrings_handlers.python", reason="the API reference needs mkdocstrings-python")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "reference" / "diffing" / "index.html").read_text("utf-8")
    assert "to_docx" in page
    assert "Accept All" in page
    assert ":func:" not in page
