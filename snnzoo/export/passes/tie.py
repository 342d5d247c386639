"""Tie the int8 quantization of every step-graph state pair.

A step graph reads `state_k` and writes `new_state_k`; a device copies the
int8 bytes of the output into the input between frames (a memcpy). That is
only right when both tensors share one scale and zero point. The converter
calibrates each tensor on its own range, so the two can differ slightly
(Cuba-LIF's readout membrane: 0.25626 in, 0.25713 out), and every frame
would then be re-rounded through the wrong scale.

`tie_state_scales(flatbuffer)` gives each untied pair one quantization: the
union of the two calibrated ranges (the inputs saw frames 0..T-1, the
outputs frames 1..T, so the union covers the last frame's outputs too). The
graph's own ops keep their calibrated tensors: a `QUANTIZE` op (int8 ->
int8 requantization, a TFLite Micro builtin) converts between the tied
graph input/output and the tensor the op was calibrated for. Tensors
adjacent to the graph boundary are never re-scaled in place, because
int8 kernels such as MINIMUM/MAXIMUM require equal scales on both sides
(re-scaling one side breaks them).
"""

import numpy as np

from snnzoo.export.passes import flatbuffer_edit
from snnzoo.export.passes.flatbuffer_edit import QMAX
from snnzoo.export.passes.flatbuffer_edit import QMIN


def union_params(a, b):
    """`(scale, zero_point)` of an int8 grid that covers both grids' ranges
    (one spare level, so that the integer zero point cannot cut an end)."""
    lo = min((QMIN - a[1]) * a[0], (QMIN - b[1]) * b[0], 0.0)
    hi = max((QMAX - a[1]) * a[0], (QMAX - b[1]) * b[0], 0.0)
    scale = float(np.float32((hi - lo) / (QMAX - QMIN - 1)))
    zero = int(np.clip(np.ceil(QMIN - lo / scale), QMIN, QMAX))
    return scale, zero


def _requantize_op(model, source, target):
    from tensorflow.lite.python import schema_py_generated as schema

    op = schema.OperatorT()
    op.opcodeIndex = flatbuffer_edit.opcode(model, schema.BuiltinOperator.QUANTIZE)
    op.inputs = np.array([source], np.int32)
    op.outputs = np.array([target], np.int32)
    return op


def _tie_pair(model, subgraph, index_in, index_out, params):
    """Give graph input `index_in` and output `index_out` the quantization
    `params`, requantizing to what the graph's ops were calibrated for."""
    ops = list(subgraph.operators)
    tail = []
    if flatbuffer_edit.params(subgraph.tensors[index_out]) != params:
        inner = flatbuffer_edit.twin(subgraph, index_out, b"/calibrated")
        flatbuffer_edit.retarget(ops, index_out, inner, "outputs")
        flatbuffer_edit.retarget(ops, index_out, inner, "inputs")
        tail.append(_requantize_op(model, inner, index_out))
        flatbuffer_edit.set_params(subgraph.tensors[index_out], params)
    head = []
    if flatbuffer_edit.params(subgraph.tensors[index_in]) != params:
        inner = flatbuffer_edit.twin(subgraph, index_in, b"/calibrated")
        flatbuffer_edit.retarget(ops, index_in, inner, "inputs")
        head.append(_requantize_op(model, index_in, inner))
        flatbuffer_edit.set_params(subgraph.tensors[index_in], params)
    subgraph.operators = head + ops + tail


def state_pairs(model):
    """`{state name: (input tensor index, output tensor index)}` from the
    serving signature of a step graph's flatbuffer object."""
    signature = model.signatureDefs[0]
    inputs = {t.name.decode() if isinstance(t.name, bytes) else t.name: t.tensorIndex
              for t in signature.inputs}
    outputs = {t.name.decode() if isinstance(t.name, bytes) else t.name: t.tensorIndex
               for t in signature.outputs}
    return {name: (index, outputs["new_" + name]) for name, index in inputs.items()
            if "new_" + name in outputs}


def tie_state_scales(flatbuffer):
    """`(flatbuffer, tied)`: the step graph with every int8 state pair on one
    quantization, and the names of the pairs that had to be tied. Float
    graphs and graphs without states come back unchanged. Raises
    `ValueError` if a state pair is not int8 on both sides or is one tensor."""
    from tensorflow.lite.tools import flatbuffer_utils

    model = flatbuffer_utils.read_model_from_bytearray(bytearray(flatbuffer))
    subgraph = model.subgraphs[0]
    tied = []
    for name, (index_in, index_out) in sorted(state_pairs(model).items()):
        p_in, p_out = (flatbuffer_edit.params(subgraph.tensors[i])
                       for i in (index_in, index_out))
        if p_in is None and p_out is None:
            continue  # a float state
        if p_in is None or p_out is None or index_in == index_out:
            raise ValueError(f"State {name!r}: expected int8 input and output tensors with "
                             f"one scale each; got {p_in} and {p_out}.")
        if p_in != p_out:
            _tie_pair(model, subgraph, index_in, index_out, union_params(p_in, p_out))
            tied.append(name)
    if not tied:
        return bytes(flatbuffer), tied
    return bytes(flatbuffer_utils.convert_object_to_bytearray(model)), tied

