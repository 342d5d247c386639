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
    with pytest.raises(SystemExit, match="neither a preset name nor a .keras file"):
        cli.main(["energy", str(tmp / "missing.keras"), "--data", str(data)])
    with pytest.raises(SystemExit, match="calibration_data"):
        cli.main(["convert", str(ann), "--method", "spiking", "--timesteps", "2",
                  "--out", str(tmp / "o.keras")])
    with pytest.raises(SystemExit):
        cli.main(["energy", str(ann), "--data", str(data), "--profile", "nope"])


def test_presets_by_name(capsys):
    from snnzoo import presets

    cli.main(["list", "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == presets.list_presets()
    cli.main(["describe", "spiking_lstm_smnist_rows"])
    out = capsys.readouterr().out
    card = presets.card("spiking_lstm_smnist_rows")
    assert f"{card['metrics']['test_accuracy']:.2f}%" in out
    assert f"{card['energy']['energy_ratio']:.2f}x less energy" in out
    assert "model_int8_step.tflite" in out
    cli.main(["energy", "spiking_lstm_smnist_rows", "--json"])
    report = json.loads(capsys.readouterr().out)
    # The same measurement as the card (same 256 samples, same ANN).
    assert report["ratio"]["energy"] == pytest.approx(card["energy"]["energy_ratio"], rel=1e-3)
    assert report["total"]["acs"] == pytest.approx(card["energy"]["per_sample"]["acs"], rel=1e-3)
    cli.main(["evaluate", "hard_lstm_smnist_rows"])
    acc = presets.card("hard_lstm_smnist_rows")["metrics"]["test_accuracy"]
    assert f"accuracy {acc:.2f}% on 1000 samples" in capsys.readouterr().out


def test_unknown_preset_lists_valid_names():
    with pytest.raises(SystemExit, match="hard_lstm_smnist_rows"):
        cli.main(["describe", "nope"])
    with pytest.raises(SystemExit, match="Unknown family"):
        cli.main(["list", "--family", "nope"])


@pytest.mark.parametrize("args", [["--help"], ["convert", "--help"], ["energy", "--help"],
                                  ["list", "--help"], ["describe", "--help"],
                                  ["evaluate", "--help"], ["export", "--help"],
                                  ["train", "--help"], ["demo", "--help"]])
def test_help(args):
    proc = subprocess.run([sys.executable, "-m", "snnzoo.cli", *args],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "usage: snnzoo" in proc.stdout


def test_export_cli(files, capsys):
    tmp, ann, data = files
    out = tmp / "out"
    if keras.backend.backend() != "tensorflow":
        with pytest.raises(SystemExit, match="KERAS_BACKEND"):
            cli.main(["export", str(ann), "--out", str(out), "--representative", str(data)])
        return
    cli.main(["export", str(ann), "--quantization", "int8", "--mode", "step", "--out", str(out),
              "--representative", str(data), "--c-array"])
    text = capsys.readouterr().out
    assert (out / "ann_int8_step.tflite").exists() and (out / "ann_int8_step.cc").exists()
    assert "FULLY_CONNECTED" in text
    with pytest.raises(SystemExit, match="--representative"):
        cli.main(["export", str(ann), "--out", str(out)])


def test_train_cli_runs_a_recipe(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "snnzoo.cli", "train", "train_hard_lstm",
                           "--config", "hard_lstm_toy", "--workdir", str(tmp_path / "w")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert '"test_accuracy"' in proc.stdout
    with pytest.raises(SystemExit, match="unknown recipe"):
        cli.main(["train", "nope"])
