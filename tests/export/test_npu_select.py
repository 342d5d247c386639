"""The compare-select lowering for Ethos-U (`snnzoo.export.passes.npu_select`):
the lowered graph computes the same int8 bytes as the converter's, for every
one of the 256 int8 inputs, in TFLM and in LiteRT's builtin kernels, and
keeps no comparison or SELECT_V2."""

import numpy as np
import pytest

BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)

tf = pytest.importorskip("tensorflow")
pytest.importorskip("tflite_micro")

from snnzoo.export.passes import npu_select  # noqa: E402

# (comparison, threshold, value if true, value if false): spikes (1/0),
# inverted spikes, the spiking LSTM's ternary halves (+1/0, -1/0), a
# threshold off the input grid and one outside the input's range.
CASES = [(tf.math.greater_equal, 0.0, 1.0, 0.0), (tf.math.greater, 0.0, 1.0, 0.0),
         (tf.math.less, 0.0, 1.0, 0.0), (tf.math.less_equal, 0.0, 0.0, 1.0),
         (tf.math.greater_equal, 0.37, 0.5, 0.0), (tf.math.less_equal, -0.21, -1.0, 0.0),
         (tf.math.greater_equal, 5.0, 1.0, 0.0)]
NAMES = ["ge0", "gt0", "lt0", "le0_inverted", "ge_off_grid", "le_negative", "never"]


def _int8_graph(compare, threshold, yes, no):
    @tf.function(input_signature=[tf.TensorSpec([1, 256], tf.float32)])
    def f(x):
        v = x * 1.7 - 0.4  # a computed tensor with its own grid, as a membrane
        return tf.where(compare(v, threshold), yes, no) + 0.0 * v

    def data():
        for _ in range(64):
            yield [np.random.default_rng(0).uniform(-1, 1, (1, 256)).astype("float32")]

    conv = tf.lite.TFLiteConverter.from_concrete_functions([f.get_concrete_function()], f)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = data
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = conv.inference_output_type = tf.int8
    return conv.convert()


def _ops(flatbuffer):
    from tensorflow.lite.tools import flatbuffer_utils

    model = flatbuffer_utils.read_model_from_bytearray(bytearray(flatbuffer))
    return npu_select.builtin_names(model, model.subgraphs[0])


def _run_all_values(flatbuffer, tmp_path, name):
    from tflite_micro.python.tflite_micro import runtime

    from snnzoo.export import run_tflite  # noqa: F401  (LiteRT import path)
    from ai_edge_litert.interpreter import Interpreter

    path = tmp_path / name
    path.write_bytes(flatbuffer)
    x = np.arange(-128, 128, dtype=np.int8)[None]
    micro = runtime.Interpreter.from_file(str(path))
    micro.set_input(x, 0)
    micro.invoke()
    lite = Interpreter(model_path=str(path), experimental_op_resolver_type=
                       __import__("ai_edge_litert.interpreter", fromlist=["x"])
                       .OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    lite.allocate_tensors()
    lite.set_tensor(lite.get_input_details()[0]["index"], x)
    lite.invoke()
    return micro.get_output(0).copy(), lite.get_tensor(lite.get_output_details()[0]["index"])


@pytest.mark.parametrize("case", CASES, ids=NAMES)
def test_lowered_pairs_compute_the_same_bytes_for_every_int8_input(case, tmp_path):
    original = _int8_graph(*case)
    assert "SELECT_V2" in _ops(original)
    lowered, count, left = npu_select.lower_compare_select(original)
    assert (count, left) == (1, [])
    ops = _ops(lowered)
    assert "SELECT_V2" not in ops and not set(ops) & set(npu_select.COMPARISONS)
    micro_a, lite_a = _run_all_values(original, tmp_path, "a.tflite")
    micro_b, lite_b = _run_all_values(lowered, tmp_path, "b.tflite")
    np.testing.assert_array_equal(micro_a, micro_b)
    np.testing.assert_array_equal(lite_a, lite_b)
    np.testing.assert_array_equal(micro_a, lite_a)
    if case[1] != 5.0:  # both branches occur
        assert len(np.unique(micro_a)) == 2


def test_compare_table_is_a_step_at_the_hand_computed_threshold():
    # x on (0.1, 0): x_q >= 3 is x >= 0.3; the constant 0.25 on (0.05, 0) is q = 5.
    table = npu_select.compare_table("GREATER_EQUAL", (0.1, 0), (0.05, 0), 5)
    assert npu_select.step(table) == 2 and not table[128 + 2] and table[128 + 3]
    table = npu_select.compare_table("LESS", (0.1, 0), (0.0, 0), 0)  # x < 0
    assert npu_select.step(table) == -1 and table[0] and not table[128]
    assert npu_select.step(np.array([True, False, True] + [False] * 253)) is None
