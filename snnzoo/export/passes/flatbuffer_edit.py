"""Editing TFLite flatbuffers (the object API of TensorFlow's schema):
tensor quantization, operator codes, new tensors, constants and buffers.
Shared by `snnzoo.export.passes.tie` and `snnzoo.export.passes.nonnegative`."""

import numpy as np

QMIN, QMAX = -128, 127


def params(tensor):
    """`(scale, zero point)` of a per-tensor quantized tensor, else None."""
    q = tensor.quantization
    if q is None or q.scale is None or len(q.scale) != 1:
        return None
    return float(q.scale[0]), int(q.zeroPoint[0])


def set_params(tensor, grid):
    """Give `tensor` the int8 grid `(scale, zero point)`."""
    from tensorflow.lite.python import schema_py_generated as schema

    scale, zero = grid
    q = schema.QuantizationParametersT()
    q.scale = [scale]
    q.zeroPoint = [zero]
    q.min = [(QMIN - zero) * scale]
    q.max = [(QMAX - zero) * scale]
    tensor.quantization = q


def opcode(model, builtin):
    """Index of `builtin` in the model's operator codes (added if absent)."""
    from tensorflow.lite.python import schema_py_generated as schema

    for i, code in enumerate(model.operatorCodes):
        if max(code.builtinCode, code.deprecatedBuiltinCode) == builtin:
            return i
    code = schema.OperatorCodeT()
    code.builtinCode = builtin
    code.deprecatedBuiltinCode = min(builtin, 127)
    code.version = 1
    model.operatorCodes.append(code)
    return len(model.operatorCodes) - 1


def twin(subgraph, index, suffix):
    """A copy of tensor `index` (same shape, type and quantization)."""
    import copy

    tensor = copy.deepcopy(subgraph.tensors[index])
    tensor.name = (tensor.name or b"") + suffix
    tensor.buffer = 0
    subgraph.tensors.append(tensor)
    return len(subgraph.tensors) - 1


def retarget(ops, old, new, field):
    """Make `ops` read (`field="inputs"`) or write ("outputs") tensor `new`
    where they used `old`."""
    for op in ops:
        values = getattr(op, field)
        if values is not None and old in list(values):
            setattr(op, field, np.array([new if v == old else v for v in values], np.int32))


def buffer_array(model, tensor, dtype):
    """A constant tensor's data as a flat `dtype` array; None if it has none."""
    data = model.buffers[tensor.buffer].data
    if data is None:
        return None
    return np.frombuffer(np.asarray(data, np.uint8).tobytes(), dtype)


def new_buffer(model, values):
    """Append a buffer holding `values`' bytes; returns its index."""
    from tensorflow.lite.python import schema_py_generated as schema

    buffer = schema.BufferT()
    buffer.data = np.frombuffer(np.ascontiguousarray(values).tobytes(), np.uint8)
    model.buffers.append(buffer)
    return len(model.buffers) - 1


def constant(model, subgraph, name, values, dtype, quantization, shape):
    """A new constant tensor; returns its index."""
    from tensorflow.lite.python import schema_py_generated as schema

    tensor = schema.TensorT()
    tensor.name = name
    tensor.shape = np.array(shape, np.int32)
    tensor.type = dtype
    tensor.buffer = new_buffer(model, values)
    tensor.quantization = quantization
    subgraph.tensors.append(tensor)
    return len(subgraph.tensors) - 1
