"""The LiteRT files shipped in exported_models/: hashes, integer I/O, builtin
ops, and their recorded verification reproduced in the interpreter."""

import os

import numpy as np
import pytest

from snnzoo import presets
from snnzoo.export.bundle import manifest
from snnzoo.export.runtime.interpreter import describe
from snnzoo.export.runtime.litert import run_tflite
from snnzoo.presets import store

ROOT = store.presets_root()
ENTRIES = manifest.read(ROOT)["artifacts"]
CHECK_SAMPLES = 48
# int8 files that miss the 1-point bound (README), as verified in LiteRT
# with XNNPACK (LiteRT's default; TFLM computes what LiteRT's builtin kernels
# do, the second figure). SpikGRU: its int8 preparation (membranes bounded
# to [-4, 2], 5 epochs) already costs 2.1 points in float (85.06% ->
# 82.93%). Spiking LSTM on speech v2: fine-tuned to 0.10 spikes per neuron
# per step, it loses 4-5 points in int8 (no int8 preparation for this
# family yet). BasicMotions: 1 test sequence of 40, in XNNPACK only.
# Cuba-LIF step and adaptive LIF sequence: 1.2 and 1.3 points in XNNPACK;
# in TFLM 0.6 points below float and 0.8 above. Spiking LSTM on FSDD: no
# int8 preparation (2 epochs of `qat_fine_tune` did not help in a trial).
# adLIF on FSDD: its adaptation current w integrates slowly (beta 0.97-0.99)
# over [-8, 8] (bounded in training, saturating at both ends), and one int8
# scale per state lets rounding accumulate (QAT did not recover it in a
# trial). The Yin-style adaptive LIF on FSDD, the same with its threshold
# adaptation.
INT8_MISSES = {
    "adaptive_lif_fsdd_2x128/model_int8_step.tflite": "29.60% (TFLM 29.40%) vs 70.80%",
    "spiking_lstm_fsdd_t2/model_int8_step.tflite": "71.60% (TFLM 71.00%) vs 72.60%",
    "adlif_fsdd_2x128/model_int8_step.tflite": "53.60% (TFLM 54.20%) vs 80.80%",
    "lif_fsdd_micro_2x128/model_int8_step.tflite": "64.40% (TFLM 66.00%) vs 72.40%",
    "adlif_speech_commands_micro_2x128/model_int8_step.tflite": "67.48% (TFLM 68.39%) vs 77.64%",
    "adlif_speech_commands_2x128/model_int8_step.tflite": "65.04% (TFLM 67.38%) vs 85.98%",
    "spiking_lstm_speech_commands_t2/model_int8_step.tflite": "71.44% (TFLM 72.36%) vs 76.83%",
    "spiking_lstm_speech_commands_t2/model_int8_sequence.tflite":
        "72.87% (TFLM 75.20%) vs 76.83%",
    "spikgru_speech_commands_2x128/model_int8_step.tflite": "82.72% (TFLM 83.23%) vs 85.06%",
    "spikgru_speech_commands_2x128/model_int8_sequence.tflite": "82.62% (TFLM 82.22%) vs 85.06%",
    "spiking_lstm_basic_motions_t2/model_int8_step.tflite": "90.00% (TFLM 92.50%) vs 92.50%",
    "cuba_lif_speech_commands_2x128/model_int8_step.tflite": "78.86% (TFLM 79.47%) vs 80.08%",
    "adaptive_lif_speech_commands_2x128/model_int8_sequence.tflite":
        "61.59% (TFLM 63.72%) vs 62.91%",
}


def test_manifest_hashes_and_sizes():
    assert manifest.check(ROOT) == ENTRIES


@pytest.mark.parametrize("name", presets.list_presets())
def test_every_preset_has_int8_step_and_sequence_or_says_why(name):
    modes = {e["mode"] for e in ENTRIES if e["preset"] == name and e["quantization"] == "int8"}
    omitted = {o["mode"] for o in manifest.read(ROOT).get("omitted", []) if o["preset"] == name}
    assert "step" in modes and modes | omitted == {"step", "sequence"}
    # Each file is also covered by the preset folder's sha256.json.
    hashes = presets.verify(presets.path(name))
    for e in ENTRIES:
        if e["preset"] == name:
            assert hashes[os.path.basename(e["file"])] == e["sha256"]


# Float files whose one flipped spike lives on in a slow state (adLIF's
# adaptation current, beta 0.97-0.99): 0.04% of spikes flip at the
# threshold (float rounding order) and the mean logit difference is
# 4.6e-3, with every prediction equal. Their bound, instead of 1e-3.
# The v2 adLIF (984 clips): mean logit difference 0.0166, every prediction equal.
SLOW_STATE_FILES = {"adlif_fsdd_2x128/model_float32_step.tflite": 1e-2,
                    "adlif_speech_commands_2x128/model_float32_step.tflite": 2e-2}


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_artifact_contract(entry):
    info = describe(os.path.join(ROOT, entry["file"]))
    assert not any(op.startswith("Flex") or op == "CUSTOM" for op in info["ops"])
    v = entry["verification"]
    if entry["quantization"] == "int8":
        assert {d["dtype"] for d in list(info["inputs"].values())
                + list(info["outputs"].values())} == {"int8"}
        if entry["file"] not in INT8_MISSES:
            assert v["tflite_accuracy"] >= v["keras_accuracy"] - 0.01, v
    else:
        assert v["prediction_agreement"] >= 0.99, v
        # Float graphs compute the Keras equations; over 101 frames a spike
        # may flip where a membrane sits at the threshold (float rounding
        # order), so the bound is on the mean difference.
        assert v["mean_abs_diff"] < SLOW_STATE_FILES.get(entry["file"], 1e-3), v


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["mode"] == "step"],
                         ids=[e["file"] for e in ENTRIES if e["mode"] == "step"])
def test_streaming_step_graph_matches_keras(entry):
    """Stream whole test sequences through the step graph (the form a
    device runs) and compare with the Keras sequence model."""
    model = presets.load(entry["preset"])
    x, y = presets.evaluation_data(entry["preset"])
    x, y = x[:CHECK_SAMPLES], y[:CHECK_SAMPLES]
    ref = model.predict(x, verbose=0).argmax(-1)
    got = run_tflite(os.path.join(ROOT, entry["file"]), x).argmax(-1)
    agreement = np.mean(got == ref)
    if entry["quantization"] == "float32":
        assert agreement >= 0.99
    else:
        # The whole-split figure less three binomial standard errors over
        # CHECK_SAMPLES sequences (speech v2 int8 files agree on 82-90%).
        p = entry["verification"]["prediction_agreement"]
        assert agreement >= p - 3 * np.sqrt(p * (1 - p) / CHECK_SAMPLES), (agreement, p)


def test_run_is_step_by_step_with_frames_quantized_once():
    """`run` quantizes a sequence in one pass and dequantizes only the last
    output; the arithmetic is `step`'s, so the outputs are identical, and an
    int8 frame from `quantize_frames` is fed as it is."""
    from snnzoo.export import StreamingRunner

    name = "cuba_lif_speech_commands_2x128"
    x, _ = presets.evaluation_data(name)
    runner = StreamingRunner(os.path.join(presets.path(name), "model_int8_step.tflite"))
    frames = runner.quantize_frames(x[0])
    assert frames.dtype == np.int8 and frames.shape == x[0].shape
    by_step = [runner.step(frame) for frame in x[0]][-1]
    runner.reset()
    by_int8_step = [runner.step(frame) for frame in frames][-1]
    np.testing.assert_array_equal(runner.run(x[0]), by_step)
    np.testing.assert_array_equal(by_int8_step, by_step)
    # The grid is the frame input's: q = clip(rint(x / scale + zero)).
    scale, zero = runner.input_details["x"]["quantization"]
    expected = np.clip(np.rint(x[0] / scale + zero), -128, 127)
    assert np.abs(frames.astype(int) - expected).max() <= 1  # float32 vs float64 rounding
