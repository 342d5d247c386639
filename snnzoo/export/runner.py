"""Run LiteRT flatbuffers: `run_tflite(path, x)`, `describe(path)`, and the
streaming runner for step graphs (`StreamingRunner`)."""

import numpy as np

from snnzoo import validation
from snnzoo.export import checks
from snnzoo.export.tflite import INPUT_NAME
from snnzoo.export.tflite import OUTPUT_NAME


def interpreter(path, num_threads=1, delegates=True, check=True, allocate=True):
    """An `ai_edge_litert.interpreter.Interpreter` for `path`, allocated
    unless `allocate=False` (op and tensor details only; nothing runs)
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
    if allocate:
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


def _grid(detail):
    """`(dtype, scale, zero point)` of a tensor detail."""
    scale, zero = detail["quantization"]
    return np.dtype(detail["dtype"]).name, float(scale), int(zero)


def stream(runner, sequence, reset=True):
    """Feed `sequence` `(time, features)` frame by frame to a runner with
    `reset()` and `step(frame)` (LiteRT or TFLM); returns the last output."""
    if reset:
        runner.reset()
    out = None
    for frame in np.asarray(sequence, "float32"):
        out = runner.step(frame)
    return out


def _int8_grid(detail):
    """`(scale, zero point)` as float32 for an int8 tensor, None for a float
    one (precomputed: the per-frame NumPy work of a runner)."""
    if np.dtype(detail["dtype"]) != np.int8:
        return None
    scale, zero = detail["quantization"]
    return np.float32(scale), np.float32(zero)


def quantize_int8_frames(frames, scale, zero_point):
    """Float frames on an int8 grid, in float32 as a device's front end
    computes them (`rint(x / scale) + zero_point`, saturated): the one
    rounding every snnzoo runner (LiteRT and TFLM) uses for frames."""
    q = np.rint(np.asarray(frames, np.float32) * np.float32(1.0 / scale) + np.float32(zero_point))
    return np.minimum(np.maximum(q, -128.0), 127.0).astype(np.int8)


class StreamingRunner:
    """Runs a step graph frame by frame, carrying its states.

    States stay in the graph's own dtype between frames: an int8 graph's
    new-state bytes are fed back as they are (what a device does with a
    memcpy), with no per-state arithmetic, so every state pair must share
    one scale and zero point (`export_tflite` ties them); a file whose pairs
    differ is refused. Only the frame is quantized and the output
    dequantized. All initial states are zero (see `StepGraph`).

    Args:
        path: a `mode="step"` `.tflite` file from `export_tflite`.
        num_threads: interpreter threads.
        check: check the file first (see `interpreter`).

    Example:
    >>> runner = StreamingRunner("model_int8_step.tflite")
    >>> for frame in sequence:          # (features,) each
    ...     logits = runner.step(frame)
    >>> runner.reset()
    """

    def __init__(self, path, num_threads=1, check=True, delegates=True):
        self.interpreter = interpreter(path, num_threads, delegates, check=check)
        signature = self.interpreter.get_signature_runner()
        self.input_details = signature.get_input_details()
        self.output_details = signature.get_output_details()
        self.state_inputs = sorted(k for k in self.input_details if k != INPUT_NAME)
        if INPUT_NAME not in self.input_details or not self.state_inputs:
            raise ValueError(f"`path`: expected a step graph; {path} has inputs "
                             f"{sorted(self.input_details)} (use run_tflite for sequence "
                             "graphs).")
        untied = [k for k in self.state_inputs if _grid(self.input_details[k])
                  != _grid(self.output_details["new_" + k])]
        if untied:
            raise ValueError(f"`path`: expected every state input on its new-state output's "
                             f"dtype, scale and zero point; {path} differs for {untied}. "
                             "Re-export it with this snnzoo (export_tflite ties them).")
        self.frame_shape = tuple(self.input_details[INPUT_NAME]["shape"])
        self._frame = self.input_details[INPUT_NAME]
        self._output = self.output_details[OUTPUT_NAME]
        # The frame's own (scale, zero point), or None for a float graph:
        # `quantize_int8_frames` rounds with them as the TFLM runner does.
        self._frame_grid = (self._frame["quantization"]
                            if np.dtype(self._frame["dtype"]) == np.int8 else None)
        self._output_grid = _int8_grid(self._output)
        self._pairs = [(self.input_details[k]["index"],
                        self.output_details["new_" + k]["index"]) for k in self.state_inputs]
        self.reset()

    def reset(self):
        """Every state at zero (its zero point): the start of a new sequence."""
        self.states = [quantize(np.zeros(self.input_details[k]["shape"]),
                                self.input_details[k]) for k in self.state_inputs]

    def quantize_frames(self, frames):
        """Frames `(..., features)` as the graph's frame input takes them:
        int8 on its grid for an int8 graph (the rounding `step` uses: one
        vectorized pass for a whole sequence), float32 otherwise. `step`
        feeds int8 frames to an int8 graph as they are, as a device whose
        front end quantizes does."""
        frames = np.asarray(frames)
        if self._frame_grid is None or frames.dtype == np.int8:
            return frames.astype(np.int8 if self._frame_grid else np.float32, copy=False)
        return quantize_int8_frames(frames, *self._frame_grid)

    def step(self, frame):
        """Feed one frame `(features,)` or `(1, features)` (float, or int8
        already quantized for an int8 graph); returns the output (float)."""
        return self._dequantize(self._invoke(self.quantize_frames(frame)))

    def _invoke(self, frame):
        """One frame in the graph's dtype in; the raw output (a copy) out."""
        interp = self.interpreter
        interp.set_tensor(self._frame["index"], frame.reshape(self.frame_shape))
        for (index_in, _), state in zip(self._pairs, self.states):
            interp.set_tensor(index_in, state)
        interp.invoke()
        self.states = [interp.get_tensor(index_out) for _, index_out in self._pairs]
        return interp.get_tensor(self._output["index"])[0]

    def _dequantize(self, out):
        if self._output_grid is None:
            return out
        scale, zero = self._output_grid
        return (out.astype(np.float32) - zero) * scale

    def state(self, name):
        """The current value of state `name` (e.g. "state_00"), dequantized."""
        if name not in self.state_inputs:
            from snnzoo import validation

            validation.fail("name", f"one of {self.state_inputs}", name)
        return dequantize(self.states[self.state_inputs.index(name)], self.input_details[name])

    def run(self, sequence, reset=True):
        """Stream a whole `(time, features)` sequence; returns the last
        output. The same arithmetic as `step` frame by frame, but the frames
        are quantized in one pass and only the last output is dequantized."""
        if reset:
            self.reset()
        out = None
        for frame in self.quantize_frames(sequence):
            out = self._invoke(frame)
        return None if out is None else self._dequantize(out)


def run_tflite(path, x, num_threads=1, delegates=True):
    """Outputs of a `.tflite` graph for inputs `x` (n, time, features).

    Sequence graphs run one sample at a time (batch 1); step graphs are
    streamed frame by frame with `StreamingRunner`, stateful graphs with
    `StatefulRunner`. int8 inputs and
    outputs are (de)quantized from the tensor details. Returns float32
    `(n, outputs)`. `delegates=False`: LiteRT's builtin kernels only (no
    XNNPACK, whose int8 kernels requantize in fp32, not in TFLite's
    fixed-point arithmetic).
    """
    x = validation.array(x, "x", ndim=3)
    probe = interpreter(path, num_threads, delegates)
    runner = probe.get_signature_runner()
    details = runner.get_input_details()
    if len(details) > 1:
        from snnzoo.export.stateful_runner import StatefulRunner
        from snnzoo.export.stateful_runner import is_stateful

        kind = StatefulRunner if is_stateful(details) else StreamingRunner
        stream = kind(path, num_threads, check=False, delegates=delegates)
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
