"""Run LiteRT flatbuffers: `run_tflite(path, x)`, `describe(path)`, and the
streaming runner for step graphs (`StreamingRunner`)."""

import numpy as np

from snnzoo import validation
from snnzoo.export import checks
from snnzoo.export.tflite import INPUT_NAME
from snnzoo.export.tflite import OUTPUT_NAME


def interpreter(path, num_threads=1, delegates=True, check=True):
    """An `ai_edge_litert.interpreter.Interpreter` for `path`, allocated
    (`delegates=False`: builtin kernels only, no XNNPACK). The file is
    checked first (`snnzoo.export.checks.check_tflite`: recorded sha256, or
    a probe in a child process) unless `check=False` (files snnzoo has just
    produced and checked)."""
    from ai_edge_litert.interpreter import Interpreter
    from ai_edge_litert.interpreter import OpResolverType

    if check:
        checks.check_tflite(path)

    kwargs = {} if delegates else {
        "experimental_op_resolver_type": OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES}
    interp = Interpreter(model_path=str(path), num_threads=num_threads, **kwargs)
    interp.allocate_tensors()
    return interp


def _details(detail):
    scale, zero = detail["quantization"]
    return {"shape": [int(d) for d in detail["shape"]],
            "dtype": np.dtype(detail["dtype"]).name,
            "scale": float(scale), "zero_point": int(zero)}


def describe(path, check=True):
    """Size, signature inputs/outputs (shape, dtype, scale, zero point), the
    op list and the number of float tensors (0 in a full-integer graph)."""
    import os

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


class StreamingRunner:
    """Runs a step graph frame by frame, carrying its states.

    States are kept in float (dequantized) between frames and re-quantized
    with each input's own scale and zero point, so float and int8 graphs
    stream the same way. All initial states are zero (see `StepGraph`).

    Args:
        path: a `mode="step"` `.tflite` file from `export_tflite`.
        num_threads: interpreter threads.

    Example:
    >>> runner = StreamingRunner("model_int8_step.tflite")
    >>> for frame in sequence:          # (features,) each
    ...     logits = runner.step(frame)
    >>> runner.reset()
    """

    def __init__(self, path, num_threads=1, check=True):
        self.interpreter = interpreter(path, num_threads, check=check)
        self.runner = self.interpreter.get_signature_runner()
        self.input_details = self.runner.get_input_details()
        self.output_details = self.runner.get_output_details()
        self.state_inputs = sorted(k for k in self.input_details if k != INPUT_NAME)
        if INPUT_NAME not in self.input_details or not self.state_inputs:
            raise ValueError(f"{path} is not a step graph (inputs "
                             f"{sorted(self.input_details)}); use run_tflite for sequence graphs.")
        self.frame_shape = tuple(self.input_details[INPUT_NAME]["shape"])
        self.reset()

    def reset(self):
        """Zero every state (start of a new sequence)."""
        self.states = {k: np.zeros(self.input_details[k]["shape"], "float32")
                       for k in self.state_inputs}

    def step(self, frame):
        """Feed one frame `(features,)` or `(1, features)`; returns the output (float)."""
        frame = np.asarray(frame, "float32").reshape(self.frame_shape)
        feeds = {INPUT_NAME: quantize(frame, self.input_details[INPUT_NAME])}
        for k in self.state_inputs:
            feeds[k] = quantize(self.states[k], self.input_details[k])
        out = self.runner(**feeds)
        for k in self.state_inputs:
            name = "new_" + k
            self.states[k] = dequantize(out[name], self.output_details[name])
        return dequantize(out[OUTPUT_NAME], self.output_details[OUTPUT_NAME])[0]

    def run(self, sequence, reset=True):
        """Stream a whole `(time, features)` sequence; returns the last output."""
        if reset:
            self.reset()
        out = None
        for frame in np.asarray(sequence, "float32"):
            out = self.step(frame)
        return out


def run_tflite(path, x, num_threads=1):
    """Outputs of a `.tflite` graph for inputs `x` (n, time, features).

    Sequence graphs run one sample at a time (batch 1); step graphs are
    streamed frame by frame with `StreamingRunner`. int8 inputs and
    outputs are (de)quantized from the tensor details. Returns float32
    `(n, outputs)`.
    """
    x = validation.array(x, "x", ndim=3)
    probe = interpreter(path, num_threads)
    runner = probe.get_signature_runner()
    details = runner.get_input_details()
    if len(details) > 1:
        stream = StreamingRunner(path, num_threads, check=False)
        if x.shape[-1] != stream.frame_shape[-1]:
            validation.fail("x", f"frames of {stream.frame_shape[-1]} features for {path}", x)
        return np.stack([stream.run(seq) for seq in x])
    in_detail = details[INPUT_NAME]
    if tuple(in_detail["shape"][1:]) != x.shape[1:]:
        raise ValueError(f"{path} expects inputs of shape (n, {tuple(in_detail['shape'][1:])}); "
                         f"got {x.shape}.")
    out_detail = runner.get_output_details()[OUTPUT_NAME]
    outs = []
    for sample in x:
        out = runner(**{INPUT_NAME: quantize(sample[None], in_detail)})
        outs.append(dequantize(out[OUTPUT_NAME], out_detail)[0])
    return np.stack(outs)
