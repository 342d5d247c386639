"""Every Colab notebook runs top to bottom (small settings, SNNZOO_QUICK=1)."""

import os
import shutil

import pytest

NOTEBOOKS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "colab")
NAMES = sorted(n for n in os.listdir(NOTEBOOKS) if n.endswith(".ipynb"))


def test_all_four_notebooks_exist():
    assert NAMES == ["01_quickstart.ipynb", "02_convert_lstm_to_snn.ipynb",
                     "03_train_spiking_rnn.ipynb", "04_edge_deployment.ipynb"]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    if name.startswith("03") and shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng to render its synthetic speech (apt-get install espeak-ng)")
    nb = nbformat.read(os.path.join(NOTEBOOKS, name), as_version=4)
    sources = [c.source for c in nb.cells]
    assert "colab-badge.svg" in sources[0]
    assert "pip" in sources[1] and "install" in sources[1]
    monkeypatch.setenv("SNNZOO_QUICK", "1")
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    monkeypatch.setenv("SNNZOO_DATA", os.environ.get("SNNZOO_DATA",
                                                     os.path.expanduser("~/.snnzoo/datasets")))
    NotebookClient(nb, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
