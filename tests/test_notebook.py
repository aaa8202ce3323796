import nbformat
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "demo.ipynb"


def test_demo_notebook_runs_top_to_bottom_without_errors(tmp_path, monkeypatch):
    # without the offline model and never downloading it: the path of a fresh machine offline (CI); the committed
    # outputs come from `make demo-notebook` with the model
    monkeypatch.setenv("BISUM_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("BISUM_NO_DOWNLOAD", "1")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()  # raises on a cell error
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "S fund" in text and "done 3, failed 0" in text
    assert "no offline model, so the embedded default runs: model 'qwen2.5-coder-1.5b-instruct-q4_k_m' is not " \
           "installed" in text
    assert "numbers_missing" in text  # the checks cell on its hand-written bad translation


def test_committed_notebook_has_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.get("outputs") for cell in code), "run `make demo-notebook` and commit the result"
