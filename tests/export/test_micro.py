"""Shipped int8 files in TensorFlow Lite Micro (PyPI `tflite-micro`): what
loads, and step graphs streamed with int8 states against LiteRT."""

import os

import numpy as np
import pytest

from snnzoo import presets
from snnzoo.export import manifest
from snnzoo.export import run_tflite

pytest.importorskip("tflite_micro")
from snnzoo.export.micro import MicroStreamingRunner  # noqa: E402
from snnzoo.export.micro import micro_loads  # noqa: E402

ROOT = presets.presets_root()
INT8 = [e for e in manifest.read(ROOT)["artifacts"] if e["quantization"] == "int8"]
# Known misses (issue: TFLM has no RELU_N1_TO_1 / SIGN kernel, and int8
# comparisons need input scales < 1): the hybrid LSTM's files.
NOT_IN_TFLM = {"hybrid_lstm_smnist_rows"}
# States whose input and new-state output do not share one int8 scale yet
# (step calibration never feeds the last frame's new states back in).
UNTIED = {"cuba_lif_speech_commands_2x128": ["state_06"],
          "spikgru_speech_commands_2x128": ["state_06"]}


@pytest.mark.parametrize("entry", INT8, ids=[e["file"] for e in INT8])
def test_shipped_int8_files_load_in_tflm(entry):
    ok, why = micro_loads(os.path.join(ROOT, entry["file"]))
    if entry["preset"] in NOT_IN_TFLM:
        assert not ok and "allocate" in why  # fails cleanly, in the child process
    else:
        assert ok, why


STEPS = [e for e in INT8 if e["mode"] == "step" and e["preset"] not in NOT_IN_TFLM]


def _agreement(entry, samples):
    path = os.path.join(ROOT, entry["file"])
    x, _ = presets.evaluation_data(entry["preset"])
    x = x[:samples]
    runner = MicroStreamingRunner(path)
    micro = np.stack([runner.run(seq) for seq in x])
    lite = run_tflite(path, x)
    assert runner.retied_states == UNTIED.get(entry["preset"], [])
    return float(np.mean(micro.argmax(-1) == lite.argmax(-1)))


@pytest.mark.parametrize("entry", STEPS, ids=[e["preset"] for e in STEPS])
def test_step_graphs_stream_int8_states_in_tflm_like_litert(entry):
    assert _agreement(entry, 48) >= 0.99


@pytest.mark.slow
@pytest.mark.parametrize("entry", STEPS, ids=[e["preset"] for e in STEPS])
def test_step_graphs_agree_over_the_whole_test_split(entry):
    assert _agreement(entry, None) >= 0.99
