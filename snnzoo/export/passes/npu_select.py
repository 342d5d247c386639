"""Spikes without comparisons: compare-and-select pairs as ADD and MUL.

Arm's Ethos-U NPUs run no comparison (GREATER, GREATER_EQUAL, LESS,
LESS_EQUAL) and no SELECT_V2, so Vela leaves every spike of an int8 step
graph on the CPU: `SELECT_V2(v >= 0, 1, 0)` is two CPU ops and two round
trips per layer and frame. `lower_compare_select(flatbuffer)` writes each
such pair as two or three ops the NPU runs, computing the same int8 bytes:

1. The comparison's truth table over the 256 int8 values of its input `x`
   is computed with the integer arithmetic TFLite's kernels use
   (`compare_table`: both sides scaled by `2^8` and by their own scale's
   fixed-point multiplier, then compared). It is a step: `x_q <= m` on one
   side, `x_q >= m + 1` on the other.
2. `u1 = ADD(x, c)`, `c` on `x`'s scale (both ADD input multipliers are
   exactly 1/2, the output multiplier a power of two: exact integer
   arithmetic), `u1` on the grid `(s_x / 16, z)`: `u1_q = z + 16 (x_q - j)`,
   saturated (`j = m`, `z = -128` when the low side selects the value 0,
   else `j = m + 1`, `z = 127`).
3. `u2 = MUL(u1, 16)` on the same grid: `u2_q = z + 16 (u1_q - z)`, saturated,
   is `z` on the side whose value is 0 and the other int8 extreme on the
   other side. (Two stages of 16 rather than one of 256: no intermediate
   leaves int16, which LiteRT's optimized ADD wraps around.)
4. `y = MUL(u2, k)`: `u2_q - z` is 0 or +-255, which `k` scales to the other
   side's value (exact: the fixed-point error is far below half a step).
   When that value is itself the int8 extreme (a spike 1 on the grid
   (1/255, -128)), step 3 writes `y` directly and step 4 is not needed.

A pair is left as it is, with the reason, when its comparison has no
constant side, its scales are not below 1 (TFLite's comparison multiplier),
the truth table is not one step, the SELECT_V2 branches are not constants,
the output has no int8 grid, or neither branch is the value 0.
"""

import numpy as np

from snnzoo.export.passes import flatbuffer_edit as fb
from snnzoo.export.runtime.rounding import multiply_smaller_than_one

#: Comparisons by builtin name, as functions of (scaled x, scaled c).
COMPARISONS = {"GREATER": np.greater, "GREATER_EQUAL": np.greater_equal,
               "LESS": np.less, "LESS_EQUAL": np.less_equal}
VALUES = np.arange(-128, 128, dtype=np.int64)
#: Gain of each of the two saturating stages: 16 x 16 = 256 int8 steps per
#: input step, and no intermediate beyond 16 x 255 (LiteRT's optimized ADD
#: wraps values beyond int16 around: one 256x stage flips far inputs).
GAIN = 16


def _scaled(q, grid):
    """TFLite's int8 comparison operand: `MultiplyByQuantizedMultiplier
    SmallerThanOneExp((q - zp) * 2^8, scale)`, ties away from zero."""
    scale, zero = grid
    return multiply_smaller_than_one((np.asarray(q, np.int64) - zero) * 256, scale)


def compare_table(op, x_grid, c_grid, c_value, x_first=True):
    """Truth table (256 booleans, x_q = -128..127) of the int8 comparison
    `op` between a tensor on `x_grid` and the constant `c_value` on
    `c_grid`, `x` the first operand if `x_first`."""
    x, c = _scaled(VALUES, x_grid), _scaled(np.full(256, c_value), c_grid)
    return COMPARISONS[op](x, c) if x_first else COMPARISONS[op](c, x)


def step(table):
    """`m` with the table constant on `x_q <= m` and on `x_q >= m + 1`
    (`m` in -129..127), else None."""
    changes = np.flatnonzero(table[1:] != table[:-1])
    if len(changes) > 1:
        return None
    return int(VALUES[changes[0]]) if len(changes) else 127


def _grid(tensor):
    return None if fb.params(tensor) is None or fb.params(tensor)[0] <= 0 else fb.params(tensor)


def _constant(model, tensor):
    """A constant int8 tensor's values (flat), else None."""
    from tensorflow.lite.python import schema_py_generated as schema

    if tensor.type != schema.TensorType.INT8:
        return None
    values = fb.buffer_array(model, tensor, np.int8)
    return None if values is None or not len(values) else values.astype(np.int64)


def _uniform(model, tensor):
    """The one int8 value of a constant tensor whose elements are all equal, else None."""
    values = _constant(model, tensor)
    return None if values is None or np.any(values != values[0]) else int(values[0])


def _on_grid(model, tensor, grid):
    """A constant branch's values as int8 steps of the output grid (`q -
    zp`, exact), else None."""
    values = _constant(model, tensor)
    own = fb.params(tensor)
    if values is None or own is None:
        return None
    steps = (values - own[1]) * np.float64(own[0]) / grid[0]
    exact = np.round(steps)
    if np.any(np.abs(steps - exact) > 1e-3) or np.any(np.abs(exact + grid[1]) > 128):
        return None
    return exact.astype(np.int64)


def _comparison(model, subgraph, compare, name):
    """`(x index, m, low side true)` of a comparison with one constant side,
    else the reason it stays."""
    tensors = subgraph.tensors
    first, second = (tensors[i] for i in compare.inputs)
    x_first = _uniform(model, second) is not None
    x, c = (first, second) if x_first else (second, first)
    c_value = _uniform(model, c)
    if c_value is None or _uniform(model, x) is not None:
        return f"{name} has no constant side"
    x_grid, c_grid = fb.params(x), fb.params(c) or (0.0, 0)
    if x_grid is None or not 0 < x_grid[0] < 1 or not 0 <= c_grid[0] < 1:
        return f"{name}: scales {x_grid}, {c_grid} outside (0, 1)"
    table = compare_table(name, x_grid, c_grid, c_value, x_first)
    m = step(table)
    if m is None:
        return f"{name}: the truth table is not one step"
    return int(compare.inputs[0] if x_first else compare.inputs[1]), m, bool(table[0])


def plan(model, subgraph, compare, select, name):
    """The rewrite of one compare-select pair: `{"x", "j", "z", "k",
    "k_shape"}` (see the module docstring), or the reason it stays."""
    found = _comparison(model, subgraph, compare, name)
    if isinstance(found, str):
        return found
    x, m, low_true = found
    out = subgraph.tensors[select.outputs[0]]
    if _grid(out) is None:
        return "SELECT_V2 whose output has no int8 grid"
    branches = [subgraph.tensors[i] for i in select.inputs[1:]]
    steps = [_on_grid(model, b, fb.params(out)) for b in branches]
    if any(v is None for v in steps):
        return "SELECT_V2 with a branch that is not a constant on its output's grid"
    low, high = steps if low_true else steps[::-1]
    if np.any(low):
        if np.any(high):
            return "SELECT_V2 with no branch at 0"
        z, j, k, shape = 127, m + 1, -low, branches[0 if low_true else 1].shape
    else:
        z, j, k, shape = -128, m, high, branches[1 if low_true else 0].shape
    if not -255 <= fb.params(subgraph.tensors[x])[1] - j <= 255 or np.ptp(k) > 255:
        return f"{name}: a threshold or value beyond the int8 range"
    return {"x": x, "j": j, "z": z, "k": k,
            "k_shape": [1] if len(k) == 1 else list(shape)}


def _quantization(scale, zero):
    from tensorflow.lite.python import schema_py_generated as schema

    q = schema.QuantizationParametersT()
    q.scale, q.zeroPoint = [float(scale)], [int(zero)]
    return q


def _op(model, builtin, inputs, output):
    from tensorflow.lite.python import schema_py_generated as schema

    op = schema.OperatorT()
    op.opcodeIndex = fb.opcode(model, getattr(schema.BuiltinOperator, builtin))
    op.inputs = np.array(inputs, np.int32)
    op.outputs = np.array([output], np.int32)
    kind = "AddOptions" if builtin == "ADD" else "MulOptions"
    op.builtinOptionsType = getattr(schema.BuiltinOptions, kind)
    op.builtinOptions = getattr(schema, kind + "T")()
    return op


def _int8_constant(model, subgraph, name, values, grid, shape):
    from tensorflow.lite.python import schema_py_generated as schema

    return fb.constant(model, subgraph, name, np.asarray(values, np.int8),
                       schema.TensorType.INT8, _quantization(*grid), shape)


def _step_tensor(subgraph, like, suffix, grid):
    index = fb.twin(subgraph, like, suffix)
    subgraph.tensors[index].quantization = _quantization(*grid)
    return index


def _direct_sign(rule, zp_y):
    """+1 or -1 when every nonzero value is the int8 extreme that the
    second stage saturates to (it can then write the output), else 0."""
    k = rule["k"]
    if np.any(k != k[0]):
        return 0
    if k[0] == 127 - zp_y:
        return 1 if rule["z"] == -128 else -1
    if k[0] == -128 - zp_y:
        return -1 if rule["z"] == -128 else 1
    return 0


def _rewrite(model, subgraph, rule, output):
    """`(ops in the comparison's place, ops in the SELECT_V2's place)`
    computing `output` from `rule["x"]` (see `plan`)."""
    x = subgraph.tensors[rule["x"]]
    s_x, zp_x = fb.params(x)
    shift = zp_x - rule["j"]  # c_q - zp_c
    zp_c = 0 if -128 <= shift <= 127 else (-128 if shift > 127 else 127)
    c = _int8_constant(model, subgraph, x.name + b"/npu_threshold", [shift + zp_c],
                       (s_x, zp_c), [1])
    z, grid_y = rule["z"], fb.params(subgraph.tensors[output])
    u1 = _step_tensor(subgraph, rule["x"], b"/npu_step", (s_x / GAIN, z))
    first = _op(model, "ADD", [rule["x"], c], u1)
    sign = _direct_sign(rule, grid_y[1])
    if sign:  # 16 (u1 - z) saturates to the output's extreme
        k = _int8_constant(model, subgraph, x.name + b"/npu_gain", [GAIN * sign],
                           (grid_y[0] / (s_x / GAIN), 0), [1])
        return [first, _op(model, "MUL", [u1, k], output)], []
    u2 = _step_tensor(subgraph, rule["x"], b"/npu_level", (s_x / GAIN, z))
    k = _int8_constant(model, subgraph, x.name + b"/npu_gain", [GAIN], (1.0, 0), [1])
    second = _op(model, "MUL", [u1, k], u2)
    # y_q - zp_y = (u2_q - z) (k_q - zp_k) / 255: u2_q - z is 0 or +-255.
    values = rule["k"]
    zp_k = int(np.clip(-128 - values.min(), -128, 127))
    k = _int8_constant(model, subgraph, x.name + b"/npu_value", values + zp_k,
                       (grid_y[0] / (255 * s_x / GAIN), zp_k), rule["k_shape"])
    return [first, second], [_op(model, "MUL", [u2, k], output)]


def builtin_names(model, subgraph):
    """The builtin name of each of `subgraph`'s ops."""
    from tensorflow.lite.python import schema_py_generated as schema

    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    return [names[max(model.operatorCodes[op.opcodeIndex].builtinCode,
                      model.operatorCodes[op.opcodeIndex].deprecatedBuiltinCode)]
            for op in subgraph.operators]


def _pairs(model, subgraph, builtin):
    """`(compare position, select position, comparison name)` of every
    SELECT_V2 whose condition a comparison read by nothing else computes."""
    writer = {int(t): i for i, op in enumerate(subgraph.operators) for t in op.outputs}
    readers = np.zeros(len(subgraph.tensors), np.int64)
    for op in subgraph.operators:
        for t in op.inputs:
            readers[t] += t >= 0
    outputs = set(int(t) for t in subgraph.outputs)
    for i, op in enumerate(subgraph.operators):
        if builtin[i] != "SELECT_V2":
            continue
        cond = int(op.inputs[0])
        w = writer.get(cond)
        if w is not None and builtin[w] in COMPARISONS and readers[cond] == 1 \
                and cond not in outputs:
            yield w, i, builtin[w]


def lower_compare_select(flatbuffer):
    """`(flatbuffer, count, left)`: the int8 graph with every compare-select
    pair it can rewrite as ADD + MUL (+ MUL) (see the module docstring), how many
    were, and the reasons of those left as they are."""
    from tensorflow.lite.tools import flatbuffer_utils

    model = flatbuffer_utils.read_model_from_bytearray(bytearray(flatbuffer))
    count, left = 0, []
    for subgraph in model.subgraphs:
        builtin = builtin_names(model, subgraph)
        replaced = {}
        for w, i, name in list(_pairs(model, subgraph, builtin)):
            compare, select = subgraph.operators[w], subgraph.operators[i]
            rule = plan(model, subgraph, compare, select, name)
            if isinstance(rule, str):
                left.append(rule)
                continue
            replaced[w], replaced[i] = _rewrite(model, subgraph, rule, int(select.outputs[0]))
            count += 1
        subgraph.operators = [new for k, op in enumerate(subgraph.operators)
                              for new in replaced.get(k, [op])]
    if not count:
        return bytes(flatbuffer), 0, left
    return bytes(flatbuffer_utils.convert_object_to_bytearray(model)), count, left
