"""Give an int8 graph's frame input a stated grid.

A front end that computes integers (`snnzoo.data.micro_frontend`: int8 `q`,
the model trained on `q * scale`) is best served by an input tensor whose
grid is `(scale, 0)`: the device writes `q` into the model's input as it is,
with no float step and no re-rounding. The converter calibrates the input on
the values it saw, which gives some other grid.

`set_input_grid(flatbuffer, name, grid)` replaces that grid. Every reader
of the input must take its scale from the tensor when the interpreter
prepares (`RESCALING_READERS`: their multipliers are computed then, in
LiteRT and TFLite Micro alike). A FULLY_CONNECTED holds one constant in
input units, its int32 bias (on the grid `s_in * s_w`): it is rescaled to
the new input scale, `round(b * s_old / s_new)`, a change of at most half an
accumulator step per channel. Any other reader (a RESHAPE or a slice, which
copy bytes and need one grid on both sides) is refused. Run it before the
passes that read the FULLY_CONNECTED grids (`nonnegative`).
"""

import numpy as np

from snnzoo.export.passes import flatbuffer_edit

#: Builtin ops that derive their requantization from the input tensor's grid at prepare time.
RESCALING_READERS = ("FULLY_CONNECTED", "QUANTIZE", "ADD", "SUB", "MUL")


def _builtin_name(model, op):
    from tensorflow.lite.python import schema_py_generated as schema

    code = model.operatorCodes[op.opcodeIndex]
    number = max(code.builtinCode, code.deprecatedBuiltinCode)
    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    return names.get(number, str(number))


def set_input_grid(flatbuffer, name, grid):
    """The int8 flatbuffer with signature input `name` on `grid = (scale,
    zero point)`; `(flatbuffer, old grid)`. Raises `ValueError` when the
    input is not int8 or has a reader outside `RESCALING_READERS`."""
    from tensorflow.lite.tools import flatbuffer_utils

    model = flatbuffer_utils.read_model_from_bytearray(bytearray(flatbuffer))
    subgraph = model.subgraphs[0]
    inputs = {(t.name.decode() if isinstance(t.name, bytes) else t.name): t.tensorIndex
              for t in model.signatureDefs[0].inputs}
    if name not in inputs:
        raise ValueError(f"The graph has no input {name!r}; it has {sorted(inputs)}.")
    index = inputs[name]
    old = flatbuffer_edit.params(subgraph.tensors[index])
    if old is None:
        raise ValueError(f"Input {name!r} is not a per-tensor int8 tensor.")
    readers = [_builtin_name(model, op) for op in subgraph.operators if index in list(op.inputs)]
    refused = sorted(set(readers) - set(RESCALING_READERS))
    if refused or not readers:
        raise ValueError(f"Input {name!r} is read by {readers or 'no op'}; a stated input grid "
                         f"needs readers among {RESCALING_READERS}.")
    for op in subgraph.operators:
        if index in list(op.inputs) and _builtin_name(model, op) == "FULLY_CONNECTED":
            _rescale_bias(model, subgraph, op, old[0] / float(grid[0]))
    flatbuffer_edit.set_params(subgraph.tensors[index], (float(grid[0]), int(grid[1])))
    return bytes(flatbuffer_utils.convert_object_to_bytearray(model)), old


def _rescale_bias(model, subgraph, op, ratio):
    """A FULLY_CONNECTED's int32 bias (own buffer) onto the new input scale:
    `round(b * ratio)`, and its grid scales times 1 / ratio."""
    inputs = list(op.inputs)
    if len(inputs) < 3 or inputs[2] < 0:
        return
    bias = subgraph.tensors[inputs[2]]
    values = flatbuffer_edit.buffer_array(model, bias, np.int32)
    if values is None:
        raise ValueError("A FULLY_CONNECTED reading the input has a non-constant bias.")
    scaled = np.round(values.astype(np.float64) * ratio)
    if np.abs(scaled).max(initial=0) >= 2 ** 31:
        raise ValueError("The input grid would put a FULLY_CONNECTED bias beyond int32.")
    bias.buffer = flatbuffer_edit.new_buffer(model, scaled.astype(np.int32))
    q = bias.quantization
    if q is not None and q.scale is not None:
        q.scale = [float(v) / ratio for v in q.scale]
