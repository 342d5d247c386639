import json
import subprocess
import sys

import keras
import numpy as np
import pytest

from snnzoo import cells
from snnzoo import cli
from snnzoo import layers


@pytest.fixture
def files(tmp_path, rng):
    model = keras.Sequential([keras.Input((5, 3)),
                              layers.SpikingRNN(cells.HardLSTMCell(4)),
                              keras.layers.Dense(2)])
    path = tmp_path / "ann.keras"
    model.save(path)
    data = tmp_path / "x.npy"
    np.save(data, rng.uniform(-1, 1, (6, 5, 3)).astype("float32"))
    return tmp_path, path, data


def test_convert_and_energy(files, capsys):
    tmp, ann, data = files
    out = tmp / "snn.keras"
    cli.main(["convert", str(ann), "--method", "spiking", "--timesteps", "2",
              "--calibration", str(data), "--out", str(out)])
    assert out.exists()
    capsys.readouterr()
    cli.main(["energy", str(out), "--data", str(data), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["total"]["macs"] > 0 and report["ratio"]["energy"] > 0
    cli.main(["energy", str(ann), "--data", str(data)])
    assert "iso-architecture ANN" in capsys.readouterr().out


def test_clear_errors(files):
    tmp, ann, data = files
    with pytest.raises(SystemExit, match="no model file"):
        cli.main(["energy", str(tmp / "missing.keras"), "--data", str(data)])
    with pytest.raises(SystemExit, match="calibration_data"):
        cli.main(["convert", str(ann), "--method", "spiking", "--timesteps", "2",
                  "--out", str(tmp / "o.keras")])
    with pytest.raises(SystemExit):
        cli.main(["energy", str(ann), "--data", str(data), "--profile", "nope"])


@pytest.mark.parametrize("args", [["--help"], ["convert", "--help"], ["energy", "--help"]])
def test_help(args):
    proc = subprocess.run([sys.executable, "-m", "snnzoo.cli", *args],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "usage: snnzoo" in proc.stdout
