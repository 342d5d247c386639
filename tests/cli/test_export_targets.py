"""`snnzoo export NAME --target cortex-m|ethos-u55|ethos-u65`: the device
folders, their READMEs, and the flags they refuse."""

import json
import os

import keras
import pytest

from snnzoo import cli

PRESET = "lif_speech_commands_2x128"
pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason=(
    "exports run under TensorFlow: once, in the TensorFlow suite"))


def test_ethos_u65_folder_holds_the_npu_graph_and_vela_output(tmp_path, capsys):
    pytest.importorskip("ethosu.vela", reason="Vela is not installed: pip install ethos-u-vela")
    cli.main(["export", PRESET, "--target", "ethos-u65", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert "100% of ops on the NPU" in out and "Vela's estimate" in out
    report = json.loads((tmp_path / f"{PRESET}_vela_report.json").read_text())
    assert report["accelerator"] == "ethos-u65-256" and report["cpu_ops"] == 0
    assert report["rewritten_pairs"] == 2
    assert os.path.getsize(tmp_path / f"{PRESET}_npu_vela.tflite") > 0
    readme = (tmp_path / "README.md").read_text()
    assert "AddEthosU" in readme and "not a measurement" in readme


def test_cortex_m_folder_holds_the_firmware_sources(tmp_path, capsys, monkeypatch):
    for var in ("SNNZOO_TFLM_SRC", "SNNZOO_TFLITE_MICRO_SRC"):
        monkeypatch.delenv(var, raising=False)  # not built: says why
    cli.main(["export", PRESET, "--target", "cortex-m", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert "not built" in out and "SNNZOO_TFLM_SRC" in out
    names = set(os.listdir(tmp_path))
    assert {f"{PRESET}_main.cc", f"{PRESET}_frames.h", "startup.c", "mps2_an386.ld",
            f"{PRESET}_config.h", f"{PRESET}_model_data.cc"} <= names
    frames = (tmp_path / f"{PRESET}_frames.h").read_text()
    assert "kNumSequences = 1;" in frames and "kFramesPerSequence = 101;" in frames
    readme = (tmp_path / "README.md").read_text()
    assert "qemu-system-arm -machine mps2-an386" in readme and "pyocd flash" in readme


@pytest.mark.parametrize("flags", [["--mode", "sequence"], ["--quantization", "float32"]])
def test_device_targets_refuse_other_graphs_in_one_line(flags, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["export", PRESET, "--target", "ethos-u55", "--out", str(tmp_path), *flags])
    message = str(exit_info.value.code)  # printed by Python as the one line on stderr
    assert len(message.splitlines()) == 1
    assert message.startswith("snnzoo export: --target ethos-u55 writes the int8 step graph")
