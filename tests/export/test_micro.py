"""Shipped int8 files in TensorFlow Lite Micro (PyPI `tflite-micro`): every
one loads, streams with int8 states copied as they are, agrees with LiteRT,
and the manifest's TFLM facts are what this test measures again."""

import os

import numpy as np
import pytest

from snnzoo import presets
from snnzoo.export.bundle import manifest
from snnzoo.export import run_tflite

pytest.importorskip("tflite_micro")
from snnzoo.export.runtime.micro import MicroStreamingRunner  # noqa: E402
from snnzoo.export.runtime.micro import micro_facts  # noqa: E402
from snnzoo.export.runtime.micro import run_micro  # noqa: E402
from snnzoo.export.runtime.micro import smallest_arena  # noqa: E402

BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)

ROOT = presets.presets_root()
INT8 = [e for e in manifest.read(ROOT)["artifacts"] if e["quantization"] == "int8"]
STEPS = [e for e in INT8 if e["mode"] == "step"]
# The hybrid's unrolled 64-step graph takes TFLM's reference kernels ~7 ms
# per frame: its whole-split check is a slow test.
HEAVY = {"hybrid_lstm_smnist_rows"}
# TFLM and LiteRT's builtin kernels (`delegates=False`) compute the same
# bytes: the one rounding they break apart, a negative FULLY_CONNECTED value
# exactly between two int8 steps, never occurs in an exported graph
# (`snnzoo.export.passes.nonnegative`), and no other op differs
# (`benchmarks/tflm_diagnostics.py`). So their predictions agree on every
# test sequence. LiteRT's default XNNPACK delegate requantizes in fp32, a
# third rounding: its agreement with TFLM is measured and recorded in the
# manifest, not bounded here.
FAST_SAMPLES = 48


def _path(entry):
    return os.path.join(ROOT, entry["file"])


def test_every_preset_ships_int8_or_says_why():
    shipped = {(e["preset"], e["mode"]) for e in INT8}
    omitted = {(o["preset"], o["mode"]): o["reason"]
               for o in manifest.read(ROOT).get("omitted", [])}
    for name in presets.list_presets():
        for mode in ("step", "sequence"):
            assert (name, mode) in shipped or omitted.get((name, mode)), (name, mode)


@pytest.mark.parametrize("entry", INT8, ids=[e["file"] for e in INT8])
def test_shipped_int8_files_load_in_tflm_with_the_recorded_arena(entry):
    tflm = entry["tflm"]
    exact = micro_facts(_path(entry), arena_size=tflm["arena_bytes"])
    assert tflm["loads"] and exact["loads"], exact["reason"]
    # One byte less fails: with the exact size loading, the record is the smallest.
    assert not micro_facts(_path(entry), arena_size=tflm["arena_bytes"] - 1)["loads"]
    # The recording allocator's total leaves out its own alignment and
    # bookkeeping: sized from it, the arena would not allocate.
    recorded = micro_facts(_path(entry))["arena_bytes"]
    assert recorded == tflm["recorded_arena_bytes"] < tflm["arena_bytes"]
    assert tflm["flash_bytes"] == os.path.getsize(_path(entry))


def test_the_bisection_finds_the_recorded_smallest_arena():
    entry = next(e for e in STEPS if e["preset"] == "lif_speech_commands_2x128")
    assert smallest_arena(_path(entry)) == entry["tflm"]["arena_bytes"]


@pytest.mark.parametrize("entry", STEPS, ids=[e["preset"] for e in STEPS])
def test_every_state_pair_has_one_quantization_in_the_file(entry):
    from snnzoo.export import describe

    info = describe(_path(entry))
    states = [k for k in info["inputs"] if k != "x"]
    assert states
    for k in states:
        a, b = info["inputs"][k], info["outputs"]["new_" + k]
        assert (a["dtype"], a["scale"], a["zero_point"]) == (b["dtype"], b["scale"],
                                                              b["zero_point"]), k


def test_macs_per_frame_by_hand():
    """HardLSTM-128 on 28 pixels + a 10-way head: 4 gates x (28 + 128) x 128
    + 128 x 10 = 81,152 multiply-accumulates per frame."""
    from snnzoo.export.tflm_rules import macs_per_invoke

    entry = next(e for e in STEPS if e["preset"] == "hard_lstm_smnist_rows")
    assert macs_per_invoke(_path(entry)) == 4 * (28 + 128) * 128 + 128 * 10 == \
        entry["tflm"]["macs_per_frame"]


def _agreement(entry, samples, delegates=False):
    x, _ = presets.evaluation_data(entry["preset"])
    x = x[:samples]
    return float(np.mean(run_micro(_path(entry), x).argmax(-1)
                         == run_tflite(_path(entry), x, delegates=delegates).argmax(-1)))


FAST = [e for e in INT8 if e["preset"] not in HEAVY]


@pytest.mark.parametrize("entry", FAST, ids=[e["file"] for e in FAST])
def test_tflm_agrees_with_litert(entry):
    assert _agreement(entry, FAST_SAMPLES) == 1.0


@pytest.mark.slow
@pytest.mark.parametrize("entry", INT8, ids=[e["file"] for e in INT8])
def test_tflm_agrees_with_litert_over_the_whole_test_split(entry):
    """The manifest's agreement figures, both LiteRT kernel sets, measured again."""
    tflm = entry["tflm"]
    builtin, xnnpack = _agreement(entry, None), _agreement(entry, None, delegates=True)
    assert builtin == pytest.approx(tflm["agreement_with_litert_builtin"], abs=1e-9)
    assert xnnpack == pytest.approx(tflm["agreement_with_litert"], abs=1e-9)
    assert builtin == 1.0


def test_micro_runner_copies_int8_states():
    entry = next(e for e in STEPS if e["preset"] == "lif_speech_commands_2x128")
    x, _ = presets.evaluation_data(entry["preset"])
    runner = MicroStreamingRunner(_path(entry))
    runner.step(x[0, 0])
    after_one = [s.copy() for s in runner.states]
    assert all(s.dtype == np.int8 for s in after_one)
    runner.reset()
    assert all((s == runner.inputs[i]["quantization_parameters"]["zero_points"][0]).all()
               for (i, _), s in zip(runner.pairs, runner.states))
    runner.step(x[0, 0])
    assert all((a == b).all() for a, b in zip(after_one, runner.states))


@pytest.mark.parametrize("entry", STEPS, ids=[e["preset"] for e in STEPS])
def test_tflm_and_litert_builtin_write_the_same_state_bytes(entry):
    """Frame by frame, from the same int8 frames, TFLM and LiteRT's builtin
    kernels write identical int8 states and outputs: every
    FULLY_CONNECTED computes non-negative values before its zero point
    (`snnzoo.export.passes.nonnegative`), so the one rounding the two runtimes
    break apart never occurs."""
    from snnzoo.export import StreamingRunner

    x, _ = presets.evaluation_data(entry["preset"])
    lite = StreamingRunner(_path(entry), delegates=False)
    micro = MicroStreamingRunner(_path(entry))
    sequences = 1 if entry["preset"] in HEAVY else 3
    for sequence in x[:sequences]:
        lite.reset()
        micro.reset()
        for t, frame in enumerate(lite.quantize_frames(sequence)):
            out = lite.step(frame)
            np.testing.assert_array_equal(micro.step(sequence[t]), out)
            micro_states = {micro.input_names[i]: state
                            for (i, _), state in zip(micro.pairs, micro.states)}
            for name, state in zip(lite.state_inputs, lite.states):
                np.testing.assert_array_equal(state.reshape(-1), micro_states[name].reshape(-1))
