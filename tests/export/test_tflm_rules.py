"""The TFLM allow-list against the installed TFLM runtime, each kernel rule
against what TFLM really does with a graph that breaks it, and the state
tying of int8 step graphs."""

import os
import re

import keras
import numpy as np
import pytest

pytest.importorskip("tflite_micro")
TF = keras.backend.backend() == "tensorflow"
tf_only = pytest.mark.skipif(not TF, reason="builds graphs with the TF converter")


def test_allow_list_matches_the_installed_tflm_kernels():
    from tflite_micro.python.tflite_micro import runtime

    from snnzoo.export.tflm_rules import TFLM_BUILTINS

    with open(os.path.join(os.path.dirname(runtime.__file__), "_runtime.so"), "rb") as f:
        registered = set(re.findall(rb"Register_([A-Z0-9_]+)Ev", f.read()))
    registered = {name.decode() for name in registered}
    assert TFLM_BUILTINS <= registered, sorted(TFLM_BUILTINS - registered)
    assert not {"SIGN", "RELU_N1_TO_1"} & registered  # the ops the old hybrid needed


def _int8_file(fn, low, high, path):
    """A one-input int8 graph of `fn`, calibrated on uniform [low, high]."""
    import tensorflow as tf

    spec = tf.TensorSpec((1, 8), tf.float32)
    concrete = tf.function(fn, input_signature=[spec], autograph=False).get_concrete_function()
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete], tf.Module())
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    rng = np.random.default_rng(0)
    converter.representative_dataset = lambda: (
        [rng.uniform(low, high, (1, 8)).astype("float32")] for _ in range(50))
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = converter.inference_output_type = tf.int8
    with open(path, "wb") as f:
        f.write(converter.convert())
    return str(path)


@tf_only
def test_each_rule_matches_what_tflm_does(tmp_path):
    import tensorflow as tf

    from snnzoo.export.runtime.micro import micro_facts
    from snnzoo.export.tflm_rules import check_tflm
    from snnzoo.export.tflm_rules import tflm_problems

    cases = {
        "clean": (lambda x: tf.where(x >= 0.0, tf.ones_like(x), tf.zeros_like(x)) + x, -2, 2,
                  None),
        "coarse comparison": (
            lambda x: tf.where(x >= 0.0, tf.ones_like(x), tf.zeros_like(x)) + x, -300, 300,
            "comparison inputs with scale >= 1"),
        # relu(x - 2) is 0 on the whole calibration range: a constant output
        # (scale ~1e-9) whose SUB multiplier is 2 * 0.0059 / (2^20 * 7.8e-9) > 1.
        "constant add": (lambda x: tf.nn.relu(x - 2.0) + x, 0, 1.5, "ADD/SUB with an output"),
        "relu_n1_to_1": (lambda x: tf.clip_by_value(x, -1.0, 1.0) * 3.0, -2, 2,
                         "RELU_N1_TO_1"),
    }
    for name, (fn, low, high, problem) in cases.items():
        path = _int8_file(fn, low, high, tmp_path / f"{name.replace(' ', '_')}.tflite")
        problems = tflm_problems(path)
        loads = micro_facts(path)["loads"]
        if problem is None:
            assert problems == [] and loads, (name, problems)
            check_tflm(path)
        else:
            assert any(problem in p for p in problems) and not loads, (name, problems, loads)
            with pytest.raises(ValueError, match=rf"`path`: expected a graph TensorFlow Lite "
                               rf"Micro can run; .*{re.escape(problem)}"):
                check_tflm(path)


def _untie(path, out_path, factor=1.02):
    """A copy of an int8 step graph whose `state_00` input scale is
    `factor` times its new-state output's (what calibrating inputs and
    outputs separately produces)."""
    from tensorflow.lite.tools import flatbuffer_utils

    from snnzoo.export.passes.tie import state_pairs

    model = flatbuffer_utils.read_model(path)
    index_in, _ = state_pairs(model)["state_00"]
    q = model.subgraphs[0].tensors[index_in].quantization
    q.scale = [float(q.scale[0]) * factor]
    flatbuffer_utils.write_model(model, str(out_path))
    return str(out_path)


@tf_only
def test_step_graph_states_are_tied_and_untied_files_are_refused(tmp_path):
    from tensorflow.lite.tools import flatbuffer_utils

    from snnzoo import export
    from snnzoo import models
    from snnzoo.export.runtime.micro import MicroStreamingRunner
    from snnzoo.export.runtime.micro import run_micro
    from snnzoo.export.passes.tie import tie_state_scales

    keras.utils.set_random_seed(0)
    model = models.build("lif", (6, 5), 3, units=4)
    data = np.random.default_rng(1).uniform(-1, 1, (24, 6, 5)).astype("float32")
    info = export.export_tflite(model, str(tmp_path / "m.tflite"), "int8", "step",
                                representative_data=data)
    assert info["tied_states"] == [] or set(info["tied_states"]) <= set(info["inputs"])
    for name, detail in info["inputs"].items():
        if name != "x":
            out = info["outputs"]["new_" + name]
            assert (detail["scale"], detail["zero_point"]) == (out["scale"], out["zero_point"])

    untied = _untie(info["path"], tmp_path / "untied.tflite")
    for runner in (export.StreamingRunner, MicroStreamingRunner):
        with pytest.raises(ValueError, match=r"`path`: expected every state input.*state_00"):
            runner(untied)
    with open(untied, "rb") as f:
        flatbuffer, tied = tie_state_scales(f.read())
    assert tied == ["state_00"]
    (tmp_path / "tied.tflite").write_bytes(flatbuffer)
    fixed = str(tmp_path / "tied.tflite")
    details = export.describe(fixed)
    assert details["inputs"]["state_00"]["scale"] == details["outputs"]["new_state_00"]["scale"]
    ops = [flatbuffer_utils.opcode_to_name(m, op.opcodeIndex) for m in
           [flatbuffer_utils.read_model(fixed)] for op in m.subgraphs[0].operators]
    assert ops.count("QUANTIZE") >= 2  # requantization at both ends of the pair
    lite, micro = export.run_tflite(fixed, data), run_micro(fixed, data)
    assert np.mean(lite.argmax(-1) == micro.argmax(-1)) >= 0.95
    reference = export.run_tflite(info["path"], data)
    assert np.mean(lite.argmax(-1) == reference.argmax(-1)) >= 0.9


def test_union_grid_covers_both_ranges():
    from snnzoo.export.passes.tie import union_params

    scale, zero = union_params((0.25626, 10), (0.25713, -3))
    lo, hi = (-128 - zero) * scale, (127 - zero) * scale
    for s, z in ((0.25626, 10), (0.25713, -3)):
        assert lo <= (-128 - z) * s + 1e-6 and hi >= (127 - z) * s - 1e-6
    width = max(127 - 10, 127 + 3) * 0.25713 - min((-128 - 10) * 0.25626, (-128 + 3) * 0.25713)
    assert scale == pytest.approx(width / 254, rel=1e-6)  # no coarser than needed


@tf_only
def test_graphs_that_abort_litert_are_refused_before_anything_allocates(tmp_path):
    """An int8 ADD whose output multiplier is >= 1 aborts LiteRT's
    AllocateTensors (the whole process, not an exception): measured here in
    a child process, and refused by `check_allocatable` without allocating.
    The bad file is the good one with its ADD output's step made 2^-20 times
    finer (what calibrating that output as a near-constant gives)."""
    import subprocess
    import sys

    import tensorflow as tf

    from snnzoo.export.tflm_rules import check_allocatable

    from tensorflow.lite.tools import flatbuffer_utils

    good = _int8_file(lambda x: tf.nn.relu(x) + x, -1, 1.5, tmp_path / "good.tflite")
    model = flatbuffer_utils.read_model(good)
    graph = model.subgraphs[0]
    codes = [c.builtinCode for c in model.operatorCodes]
    add = next(op for op in graph.operators if codes[op.opcodeIndex] == 0)  # ADD
    q = graph.tensors[add.outputs[0]].quantization
    q.scale = [float(q.scale[0]) * 2.0 ** -20]
    bad = str(tmp_path / "bad.tflite")
    flatbuffer_utils.write_model(model, bad)
    probe = ("import sys; from ai_edge_litert.interpreter import Interpreter; "
             "Interpreter(model_path=sys.argv[1]).allocate_tensors()")
    assert subprocess.run([sys.executable, "-c", probe, bad], capture_output=True).returncode != 0
    assert subprocess.run([sys.executable, "-c", probe, good], capture_output=True).returncode == 0
    with pytest.raises(ValueError, match="expected an int8 graph LiteRT can allocate"):
        check_allocatable(bad, "model")
    check_allocatable(good, "model")
