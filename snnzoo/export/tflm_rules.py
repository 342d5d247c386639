"""What TensorFlow Lite Micro can run: the export-time allow-list.

`TFLM_BUILTINS` lists the builtin ops that TFLM registers a kernel for
(tflite-micro's `MicroMutableOpResolver`; a test checks every name against
the `Register_*` kernels of the installed `tflite-micro` runtime). TFLM has
no kernel for, among others, `SIGN` and `RELU_N1_TO_1`.

Kernel constraints checked beyond the op name:

- int8 comparisons (`LESS`, `GREATER_EQUAL`, ...) rescale their inputs with
  a multiplier that must be below 1: an input scale >= 1 aborts
  `AllocateTensors` (`QuantizeMultiplierSmallerThanOneExp`).
- int8 ADD/SUB rescale their output with a multiplier
  `2 max(input scales) / (2^20 output scale)` that must be below 1: an
  output calibrated as a constant (scale ~1e-9) aborts TFLM.

Float tensors are not a TFLM problem (TFLM has float kernels); whether an
int8 file may keep any is `export_tflite`'s `allow_float_tensors`.

`tflm_problems(path)` returns what breaks these rules (empty: TFLM can run
it); `export_tflite` refuses an int8 file with any, unless
`allow_non_tflm=True` (desktop-only use).
"""

import numpy as np

from snnzoo.export.runtime.interpreter import interpreter

TFLM_BUILTINS = frozenset((
    "ABS", "ADD", "ADD_N", "ARG_MAX", "ARG_MIN", "ASSIGN_VARIABLE", "AVERAGE_POOL_2D",
    "BATCH_MATMUL", "BATCH_TO_SPACE_ND", "BROADCAST_ARGS", "BROADCAST_TO", "CALL_ONCE",
    "CAST", "CEIL", "CONCATENATION", "CONV_2D", "COS", "CUMSUM", "DEPTHWISE_CONV_2D",
    "DEPTH_TO_SPACE", "DEQUANTIZE", "DIV", "ELU", "EMBEDDING_LOOKUP", "EQUAL", "EXP",
    "EXPAND_DIMS", "FILL", "FLOOR", "FLOOR_DIV", "FLOOR_MOD", "FULLY_CONNECTED", "GATHER",
    "GATHER_ND", "GREATER", "GREATER_EQUAL", "HARD_SWISH", "IF", "L2_NORMALIZATION",
    "L2_POOL_2D", "LEAKY_RELU", "LESS", "LESS_EQUAL", "LOG", "LOGICAL_AND", "LOGICAL_NOT",
    "LOGICAL_OR", "LOGISTIC", "LOG_SOFTMAX", "MAXIMUM", "MAX_POOL_2D", "MEAN", "MINIMUM",
    "MIRROR_PAD", "MUL", "NEG", "NOT_EQUAL", "PACK", "PAD", "PADV2", "PRELU", "QUANTIZE",
    "READ_VARIABLE", "REDUCE_MAX", "REDUCE_MIN", "RELU", "RELU6", "RESHAPE",
    "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR", "REVERSE_V2", "ROUND", "RSQRT",
    "SELECT_V2", "SHAPE", "SIN", "SLICE", "SOFTMAX", "SPACE_TO_BATCH_ND", "SPACE_TO_DEPTH",
    "SPLIT", "SPLIT_V", "SQRT", "SQUARE", "SQUARED_DIFFERENCE", "SQUEEZE", "STRIDED_SLICE",
    "SUB", "SUM", "SVDF", "TANH", "TRANSPOSE", "TRANSPOSE_CONV",
    "UNIDIRECTIONAL_SEQUENCE_LSTM", "UNPACK", "VAR_HANDLE", "WHILE", "ZEROS_LIKE",
))

COMPARISONS = frozenset(("EQUAL", "NOT_EQUAL", "LESS", "LESS_EQUAL", "GREATER",
                         "GREATER_EQUAL"))


def _graph(path):
    """`(ops, tensors)` of `path` as LiteRT reads it, without delegates and
    without allocating (a graph that aborts `AllocateTensors` is read too)."""

    interp = interpreter(path, delegates=False, check=False, allocate=False)
    return interp._get_ops_details(), {t["index"]: t for t in interp.get_tensor_details()}


def tflm_problems(path):
    """Why TFLM cannot run the `.tflite` file `path` (a list of sentences;
    empty when the file keeps to `TFLM_BUILTINS` and the kernel
    constraints of the module docstring)."""
    ops, tensors = _graph(path)
    problems = []
    missing = sorted({op["op_name"] for op in ops} - TFLM_BUILTINS)
    if missing:
        problems.append(f"ops without a TFLM kernel: {missing}")
    scales = [float(tensors[i]["quantization"][0]) for op in ops
              if op["op_name"] in COMPARISONS for i in op["inputs"]
              if i >= 0 and np.dtype(tensors[i]["dtype"]) == np.int8]
    too_coarse = [s for s in scales if s >= 1.0]
    if too_coarse:
        problems.append(f"{len(too_coarse)} int8 comparison inputs with scale >= 1 (up to "
                        f"{max(too_coarse):.3g}; TFLM needs < 1)")
    degenerate = [op["op_name"] for op in ops if op["op_name"] in ("ADD", "SUB")
                  and _add_multiplier(op, tensors) >= 1.0]
    if degenerate:
        problems.append(f"{len(degenerate)} int8 ADD/SUB with an output scale too small for "
                        "its inputs (an output calibrated as a constant)")
    return problems


def _add_multiplier(op, tensors):
    """TFLM's int8 ADD/SUB output multiplier (0 for other dtypes)."""
    ins = [tensors[i] for i in op["inputs"] if i >= 0]
    out = tensors[op["outputs"][0]]
    if any(np.dtype(t["dtype"]) != np.int8 for t in ins + [out]):
        return 0.0
    return 2.0 * max(float(t["quantization"][0]) for t in ins) / (
        2.0 ** 20 * float(out["quantization"][0]))


def check_allocatable(path, name="path", shown=None):
    """Raise `ValueError` if an int8 ADD/SUB of `path` has an output
    multiplier >= 1: LiteRT and TFLM both abort the process in
    `AllocateTensors` on it (checked before anything allocates)."""
    ops, tensors = _graph(path)
    bad = [op["op_name"] for op in ops if op["op_name"] in ("ADD", "SUB")
           and _add_multiplier(op, tensors) >= 1.0]
    if bad:
        worst = max(_add_multiplier(op, tensors) for op in ops if op["op_name"] in ("ADD", "SUB"))
        raise ValueError(f"`{name}`: expected an int8 graph LiteRT can allocate; {shown or path} "
                         f"has {len(bad)} int8 ADD/SUB whose inputs span {worst:.3g} x 2^19 "
                         f"times the output's step (LiteRT and TFLM abort on it). A tensor "
                         f"with a huge range, such as a current scaled by a near-1 leak's "
                         f"gain, beside a bounded one is the usual cause; bound it "
                         f"(snnzoo.quantization.int8.bound_membranes) or re-train.")


def check_tflm(path, name="path", shown=None):
    """Raise `ValueError` naming every TFLM problem of `path` (called
    `shown` in the message, e.g. the destination of a temporary file)."""
    problems = tflm_problems(path)
    if problems:
        raise ValueError(f"`{name}`: expected a graph TensorFlow Lite Micro can run; "
                         f"{shown or path} "
                         f"has {'; '.join(problems)}. Pass allow_non_tflm=True to keep it "
                         "for desktop LiteRT only.")


def macs_per_invoke(path):
    """Multiply-accumulates of one invocation: FULLY_CONNECTED and
    BATCH_MATMUL products (rows x inputs x outputs); elementwise ops are not
    counted."""
    ops, tensors = _graph(path)
    total = 0
    for op in ops:
        if op["op_name"] not in ("FULLY_CONNECTED", "BATCH_MATMUL"):
            continue
        a, b = (tensors[i]["shape"] for i in op["inputs"][:2])
        if op["op_name"] == "FULLY_CONNECTED":  # weights (outputs, inputs)
            total += int(np.prod(a[:-1])) * int(b[0]) * int(b[1])
        else:
            total += int(np.prod(a)) * int(b[-1])
    return total
