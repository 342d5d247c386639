"""Why TFLite Micro and LiteRT part on int8 spiking graphs: each runtime's
FULLY_CONNECTED against `snnzoo.export.runtime.rounding`, recomputed from the int8
file's own weights and the int32 accumulators of random int8 inputs."""

import keras
import numpy as np
import pytest

from snnzoo.export.runtime import rounding

pytest.importorskip("tflite_micro")
TF = keras.backend.backend() == "tensorflow"


def test_quantize_multiplier_by_hand():
    assert rounding.quantize_multiplier(0.5) == (1 << 30, 0)
    assert rounding.quantize_multiplier(0.75) == (3 << 29, 0)
    assert rounding.quantize_multiplier(0.01) == (1374389535, -6)  # 0.64 * 2^31, 2^-6
    assert rounding.quantize_multiplier(0.0) == (0, 0)


def test_requantize_by_hand():
    # 2^-2 = 0.5 * 2^-1: multiplier 2^30, shift -1.
    acc = np.array([[1, 2, 3, -2, -3, 6]])
    # Exact products 0.25, 0.5, 0.75, -0.5, -0.75, 1.5. First rounding,
    # acc / 2 with gemmlowp's ties toward +infinity (C division truncates
    # the nudged negative products toward zero): 1, 1, 2, -1, -1, 3.
    # Then / 2, ties away from zero (TFLM): 1, 1, 1, -1, -1, 2;
    assert rounding.requantize(acc, 0.25, ties="away").tolist() == [[1, 1, 1, -1, -1, 2]]
    # ties up (LiteRT): 1, 1, 1, 0, 0, 2: the negative ties part.
    assert rounding.requantize(acc, 0.25, ties="up").tolist() == [[1, 1, 1, 0, 0, 2]]
    assert rounding.requantize([[1000]], 1.0, zero_point=5).tolist() == [[127]]
    with pytest.raises(ValueError, match="`ties`"):
        rounding.requantize(acc, 0.25, ties="even")


def _fc_file(path):
    """A one-layer int8 FULLY_CONNECTED (40 -> 64) with a bias, the shape
    of a speech model's input projection."""
    import tensorflow as tf

    rng = np.random.default_rng(0)
    w = tf.constant(rng.normal(0, 0.3, (40, 64)).astype("float32"))
    b = tf.constant(rng.normal(0, 0.1, (64,)).astype("float32"))
    spec = tf.TensorSpec((1, 40), tf.float32)
    fn = tf.function(lambda x: tf.matmul(x, w) + b, input_signature=[spec], autograph=False)
    converter = tf.lite.TFLiteConverter.from_concrete_functions(
        [fn.get_concrete_function()], tf.Module())
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = lambda: (
        [rng.normal(0, 1, (1, 40)).astype("float32")] for _ in range(100))
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = converter.inference_output_type = tf.int8
    with open(path, "wb") as f:
        f.write(converter.convert())
    return str(path)


def _accumulators_and_multipliers(lite, x):
    """int32 accumulators of int8 inputs `x` and the per-channel real
    multipliers, from the file's own weight, bias and scale tensors."""
    details = {d["index"]: d for d in lite.get_tensor_details()}
    (op,) = [o for o in lite._get_ops_details() if o["op_name"] == "FULLY_CONNECTED"]
    source, weights, bias = op["inputs"][:3]
    out = details[op["outputs"][0]]
    in_scale, in_zero = details[source]["quantization"]
    w = lite.get_tensor(weights).astype(np.int64)
    acc = (x.astype(np.int64) - in_zero) @ w.T + lite.get_tensor(bias).astype(np.int64)
    w_scales = details[weights]["quantization_parameters"]["scales"].astype(np.float64)
    return acc, np.float64(in_scale) * w_scales / np.float64(out["quantization"][0]), \
        out["quantization"][1]


def _outputs(path, x):
    """int8 outputs of a one-input file for int8 inputs `x`, in LiteRT's
    builtin kernels and in TFLM."""
    from ai_edge_litert.interpreter import Interpreter
    from ai_edge_litert.interpreter import OpResolverType
    from tflite_micro.python.tflite_micro import runtime

    lite = Interpreter(model_path=str(path), experimental_op_resolver_type=(
        OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES))
    lite.allocate_tensors()
    micro = runtime.Interpreter.from_file(str(path))
    lite_out, micro_out = [], []
    for frame in x:
        lite.set_tensor(lite.get_input_details()[0]["index"], frame)
        lite.invoke()
        lite_out.append(lite.get_tensor(lite.get_output_details()[0]["index"])[0])
        micro.set_input(frame, 0)
        micro.invoke()
        micro_out.append(micro.get_output(0)[0])
    return np.array(lite_out, int), np.array(micro_out, int)


@pytest.mark.skipif(not TF, reason="builds the graph with the TF converter")
def test_tflm_breaks_ties_away_from_zero_and_litert_builtin_up(tmp_path):
    from ai_edge_litert.interpreter import Interpreter

    path = _fc_file(tmp_path / "fc.tflite")
    x = np.random.default_rng(1).integers(-128, 128, (400, 1, 40)).astype(np.int8)
    lite_out, micro_out = _outputs(path, x)
    lite = Interpreter(model_path=path)
    lite.allocate_tensors()
    acc, multipliers, zero = _accumulators_and_multipliers(lite, x[:, 0])
    np.testing.assert_array_equal(micro_out, rounding.requantize(acc, multipliers, zero, "away"))
    np.testing.assert_array_equal(lite_out, rounding.requantize(acc, multipliers, zero, "up"))
    parted = micro_out != lite_out
    assert 0 < parted.mean() < 0.05  # one LSB apart, on a few outputs
    # TFLM one LSB lower: negative ties, broken away from zero.
    assert (micro_out - lite_out)[parted].tolist() == [-1] * int(parted.sum())


@pytest.mark.skipif(not TF, reason="builds the graph with the TF converter")
def test_shifted_fully_connected_rounds_alike_in_both_runtimes(tmp_path):
    from snnzoo.export.passes.nonnegative import shift_fully_connected

    path = _fc_file(tmp_path / "fc.tflite")
    with open(path, "rb") as f:
        shifted, count = shift_fully_connected(f.read())
    assert count == 1
    (tmp_path / "shifted.tflite").write_bytes(shifted)
    x = np.random.default_rng(1).integers(-128, 128, (400, 1, 40)).astype(np.int8)
    lite, micro = _outputs(path, x)
    lite_shifted, micro_shifted = _outputs(tmp_path / "shifted.tflite", x)
    assert (lite != micro).any()  # the unshifted file parts...
    np.testing.assert_array_equal(lite_shifted, micro_shifted)  # ...the shifted one does not
    # The same function: the bias moved by at most half an accumulator step,
    # so an output moves by at most one LSB, and rarely.
    assert np.abs(micro_shifted - micro).max() <= 1
    assert (micro_shifted != micro).mean() < 0.05
    # A graph without anything to shift comes back as it was.
    assert shift_fully_connected(shifted) == (shifted, 0)
