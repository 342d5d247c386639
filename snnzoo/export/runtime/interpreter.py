"""The LiteRT interpreter of snnzoo's files and the tensor arithmetic every
runner shares: `interpreter(path)`, `describe(path)`, (de)quantization on a
tensor's grid, and the one rounding of int8 frames."""

import os

import numpy as np
from ai_edge_litert.interpreter import Interpreter
from ai_edge_litert.interpreter import OpResolverType

from snnzoo.export import checks
from snnzoo.quiet import silenced


def interpreter(path, num_threads=1, delegates=True, check=True, allocate=True):
    """An `ai_edge_litert.interpreter.Interpreter` for `path`, allocated
    unless `allocate=False` (op and tensor details only; nothing runs)
    (`delegates=False`: builtin kernels only, no XNNPACK). The file is
    checked first (`snnzoo.export.checks.check_tflite`: recorded sha256, or
    a probe in a child process) unless `check=False` (files snnzoo has just
    produced and checked)."""
    if check:
        checks.check_tflite(path)

    kwargs = {} if delegates else {
        "experimental_op_resolver_type": OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES}
    with silenced():  # LiteRT announces its XNNPACK delegate on fd 2
        interp = Interpreter(model_path=str(path), num_threads=num_threads, **kwargs)
        if allocate:
            interp.allocate_tensors()
    return interp


def _details(detail):
    scale, zero = detail["quantization"]
    return {"shape": [int(d) for d in detail["shape"]],
            "dtype": np.dtype(detail["dtype"]).name,
            "scale": float(scale), "zero_point": int(zero)}


def describe(path, check=True):
    """What a `.tflite` file holds.

    Args:
        path: a `.tflite` file.
        check: check the file first (recorded sha256, or a probe in a child
            process; see `interpreter`).

    Returns:
        A dict: `path`, `bytes`, signature `inputs` and `outputs` (shape,
        dtype, scale, zero point), the `ops` list and the number of
        `float_tensors` (0 in a full-integer graph).

    Raises:
        ValueError: the file does not open in LiteRT.
        IntegrityError: the file fails its recorded sha256.
    """
    interp = interpreter(path, delegates=False, check=check)
    runner = interp.get_signature_runner()
    inputs = {k: _details(v) for k, v in sorted(runner.get_input_details().items())}
    outputs = {k: _details(v) for k, v in sorted(runner.get_output_details().items())}
    ops = sorted({d["op_name"] for d in interp._get_ops_details()})
    floats = [d["name"] for d in interp.get_tensor_details()
              if np.dtype(d["dtype"]).kind == "f"]
    return {"path": str(path), "bytes": os.path.getsize(path), "inputs": inputs,
            "outputs": outputs, "ops": ops, "float_tensors": len(floats)}


def quantize(x, detail):
    """Float array -> the tensor's dtype using its (scale, zero point)."""
    dtype = np.dtype(detail["dtype"])
    if dtype.kind == "f":
        return np.asarray(x, dtype)
    scale, zero = detail["quantization"]
    info = np.iinfo(dtype)
    q = np.round(np.asarray(x, "float64") / scale) + zero
    return np.clip(q, info.min, info.max).astype(dtype)


def dequantize(q, detail):
    dtype = np.dtype(detail["dtype"])
    if dtype.kind == "f":
        return np.asarray(q, "float32")
    scale, zero = detail["quantization"]
    return ((np.asarray(q, "float32") - zero) * scale).astype("float32")


def tensor_grid(detail):
    """`(dtype, scale, zero point)` of a tensor detail."""
    scale, zero = detail["quantization"]
    return np.dtype(detail["dtype"]).name, float(scale), int(zero)


def stream(runner, sequence):
    """Feed a checked `(time, features)` sequence frame by frame to a runner
    with `reset()` and `_step(frame)` (its step without the per-frame check;
    LiteRT or TFLM); returns the last output."""
    runner.reset()
    for frame in np.asarray(sequence):  # int8 frames stay int8 (already quantized)
        out = runner._step(frame)
    return out


def int8_grid(detail):
    """`(scale, zero point)` as float32 for an int8 tensor, None for a float
    one (precomputed: the per-frame NumPy work of a runner)."""
    if np.dtype(detail["dtype"]) != np.int8:
        return None
    scale, zero = detail["quantization"]
    return np.float32(scale), np.float32(zero)


def standardize_frames(frames, standardization):
    """Float frames standardised per feature, `(x - mean) / scale`, in
    float32 (what a device computes before quantizing); int8 frames, and
    any frame when `standardization` is None, pass unchanged."""
    frames = np.asarray(frames)
    if standardization is None or frames.dtype == np.int8:
        return frames
    mean, scale = standardization
    return (frames.astype(np.float32) - mean) / scale


def quantize_int8_frames(frames, scale, zero_point):
    """Float frames on an int8 grid, in float32 as a device's front end
    computes them (`rint(x / scale) + zero_point`, saturated): the one
    rounding every snnzoo runner (LiteRT and TFLM) uses for frames."""
    q = np.rint(np.asarray(frames, np.float32) * np.float32(1.0 / scale) + np.float32(zero_point))
    return np.minimum(np.maximum(q, -128.0), 127.0).astype(np.int8)
