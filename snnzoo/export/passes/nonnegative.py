"""int8 FULLY_CONNECTED outputs that round alike in TFLite Micro and LiteRT.

TFLite Micro and LiteRT's builtin kernels requantize a FULLY_CONNECTED
accumulator the same way except for one case: a negative value that lands
exactly halfway between two int8 steps (`snnzoo.export.runtime.rounding`). There
TFLM rounds away from zero and LiteRT up, one LSB apart, and a spiking
neuron at its threshold turns that LSB into a spike the recurrence carries
on. No other op of snnzoo's graphs computes different bytes in the two.

`shift_fully_connected(flatbuffer)` removes the case. Each FULLY_CONNECTED
whose output grid `(s, z)` reaches below zero computes its output plus
`C = k s`, `k = 128 + z`, instead: `round(k / M_c)` more in the int32 bias
of channel c (`M_c = s_in s_wc / s`, TFLite's output multiplier), written
on the grid `(s, -128)`. Every value in range is then non-negative before
the zero point is added, so both runtimes round it alike. An ADD of the
constant `-C` on the same scale (exact integer arithmetic in both runtimes:
every ADD multiplier is a power of two) brings it back to the original
tensor, which every other op reads as before. The only numerical change is
the bias rounding: at most half an accumulator step (`s_in s_wc / 2`) per
channel. FULLY_CONNECTED ops with a fused activation, float tensors, a
non-negative grid or a bias shift beyond int32 are left as they are.
"""

import numpy as np

from snnzoo.export.passes import flatbuffer_edit as fb
from snnzoo.export.passes.flatbuffer_edit import QMIN


def _bias_quantization(scales):
    from tensorflow.lite.python import schema_py_generated as schema

    q = schema.QuantizationParametersT()
    q.scale = [float(s) for s in scales]
    q.zeroPoint = [0] * len(scales)
    q.quantizedDimension = 0
    return q


def _shiftable(model, subgraph, op):
    """`(input, weights, output)` tensors of an int8 FULLY_CONNECTED this
    module shifts, else None."""
    from tensorflow.lite.python import schema_py_generated as schema

    code = model.operatorCodes[op.opcodeIndex]
    if max(code.builtinCode, code.deprecatedBuiltinCode) != \
            schema.BuiltinOperator.FULLY_CONNECTED:
        return None
    options = op.builtinOptions
    if options is not None and options.fusedActivationFunction != \
            schema.ActivationFunctionType.NONE:
        return None
    tensors = [subgraph.tensors[i] for i in op.inputs[:2]] + [subgraph.tensors[op.outputs[0]]]
    if any(t.type != schema.TensorType.INT8 for t in tensors):
        return None
    if fb.params(tensors[0]) is None or fb.params(tensors[2]) is None or \
            fb.buffer_array(model, tensors[1], np.int8) is None:
        return None
    return tensors if fb.params(tensors[2])[1] > QMIN else None


def _shifted_bias(model, subgraph, op, tensors, readers):
    """Index of the int32 bias tensor holding the old bias (or zeros) plus
    `round(k / M_c)` per output channel: the FC's own bias tensor with a
    new buffer when no other op reads it (no new quantization table), else
    a new tensor. None if the bias leaves int32 (a multiplier below about
    1e-7, where a tie is as rare)."""
    from tensorflow.lite.python import schema_py_generated as schema

    source, weights, out = tensors
    s_in = np.float64(fb.params(source)[0])
    s_out, zero = fb.params(out)
    units = int(weights.shape[0])
    w_scales = np.broadcast_to(np.asarray(weights.quantization.scale, np.float64), (units,))
    bias = np.zeros(units, np.int64)
    index = int(op.inputs[2]) if len(op.inputs) > 2 else -1
    if index >= 0:
        bias += fb.buffer_array(model, subgraph.tensors[index], np.int32)
    bias += np.round((zero - QMIN) / (s_in * w_scales / np.float64(s_out))).astype(np.int64)
    if np.abs(bias).max() >= 2 ** 31:
        return None
    if index >= 0 and readers[index] == 1:
        subgraph.tensors[index].buffer = fb.new_buffer(model, bias.astype(np.int32))
        return index
    scales = np.float32(s_in * w_scales)
    return fb.constant(model, subgraph, out.name + b"/nn_bias", bias.astype(np.int32),
                     schema.TensorType.INT32, _bias_quantization(scales), [units])


def _add_back(model, subgraph, shifted, target):
    """ADD(shifted, -C) -> target, with -C an int8 constant on the output scale."""
    from tensorflow.lite.python import schema_py_generated as schema

    scale, zero = fb.params(subgraph.tensors[target])
    k = zero - QMIN
    q = schema.QuantizationParametersT()
    q.scale, q.zeroPoint = [scale], [127]  # -C = (127 - k - 127) * s, k in 1..255
    const = fb.constant(model, subgraph, subgraph.tensors[target].name + b"/nn_c",
                      np.array([127 - k], np.int8), schema.TensorType.INT8, q, [1])
    op = schema.OperatorT()
    op.opcodeIndex = fb.opcode(model, schema.BuiltinOperator.ADD)
    op.inputs = np.array([shifted, const], np.int32)
    op.outputs = np.array([target], np.int32)
    op.builtinOptionsType = schema.BuiltinOptions.AddOptions
    op.builtinOptions = schema.AddOptionsT()
    return op


def shift_fully_connected(flatbuffer):
    """`(flatbuffer, count)`: the int8 graph with every shiftable
    FULLY_CONNECTED computing non-negative values (see the module
    docstring), and how many were shifted. Graphs without any come back
    unchanged."""
    from tensorflow.lite.tools import flatbuffer_utils

    model = flatbuffer_utils.read_model_from_bytearray(bytearray(flatbuffer))
    count = 0
    for subgraph in model.subgraphs:
        readers = np.zeros(len(subgraph.tensors), np.int64)
        for op in subgraph.operators:
            np.add.at(readers, [i for i in op.inputs if i >= 0], 1)
        operators = []
        for op in subgraph.operators:
            operators.append(op)
            tensors = _shiftable(model, subgraph, op)
            if tensors is None:
                continue
            target = op.outputs[0]
            bias = _shifted_bias(model, subgraph, op, tensors, readers)
            if bias is None:
                continue
            shifted = fb.twin(subgraph, target, b"/nn")
            fb.set_params(subgraph.tensors[shifted], (fb.params(tensors[2])[0], QMIN))
            inputs = list(op.inputs[:2]) + [bias] + list(op.inputs[3:])
            op.inputs = np.array(inputs, np.int32)
            fb.retarget([op], target, shifted, "outputs")
            operators.append(_add_back(model, subgraph, shifted, target))
            count += 1
        subgraph.operators = operators
    if not count:
        return bytes(flatbuffer), 0
    return bytes(flatbuffer_utils.convert_object_to_bytearray(model)), count
