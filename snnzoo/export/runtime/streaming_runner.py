"""`StreamingRunner`: LiteRT streaming of a `mode="step"` graph, whose
recurrent states are explicit inputs and outputs."""

import numpy as np

from snnzoo import validation
from snnzoo.export.runtime.interpreter import tensor_grid
from snnzoo.export.runtime.interpreter import int8_grid
from snnzoo.export.runtime.interpreter import dequantize
from snnzoo.export.runtime.interpreter import interpreter
from snnzoo.export.runtime.interpreter import quantize
from snnzoo.export.runtime.interpreter import quantize_int8_frames
from snnzoo.export.runtime.interpreter import standardize_frames
from snnzoo.export.signature import INPUT_NAME
from snnzoo.export.signature import OUTPUT_NAME


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
        delegates: False runs LiteRT's builtin kernels only (no XNNPACK).
        standardization: None, or `(mean, scale)` per feature: float
            frames are raw features, standardised here before quantizing
            (`snnzoo.presets.standardization(name)` of an FSDD preset).

    Raises:
        ValueError: `path` is not a step graph, a state pair does not share
            its quantization, or `standardization` does not fit the input.

    Example:
    >>> runner = StreamingRunner("model_int8_step.tflite")
    >>> for frame in sequence:          # (features,) each
    ...     logits = runner.step(frame)
    >>> runner.reset()
    """

    def __init__(self, path, num_threads=1, check=True, delegates=True, standardization=None):
        self.interpreter = interpreter(path, num_threads, delegates, check=check)
        signature = self.interpreter.get_signature_runner()
        self.input_details = signature.get_input_details()
        self.output_details = signature.get_output_details()
        self.state_inputs = sorted(k for k in self.input_details if k != INPUT_NAME)
        if INPUT_NAME not in self.input_details or not self.state_inputs:
            raise ValueError(f"`path`: expected a step graph; {path} has inputs "
                             f"{sorted(self.input_details)} (use run_tflite for sequence "
                             "graphs).")
        untied = [k for k in self.state_inputs if tensor_grid(self.input_details[k])
                  != tensor_grid(self.output_details["new_" + k])]
        if untied:
            raise ValueError(f"`path`: expected every state input on its new-state output's "
                             f"dtype, scale and zero point; {path} differs for {untied}. "
                             "Re-export it with this snnzoo (export_tflite ties them).")
        self.frame_shape = tuple(self.input_details[INPUT_NAME]["shape"])
        self.standardization = validation.standardization(standardization,
                                                          self.frame_shape[-1])
        self._frame = self.input_details[INPUT_NAME]
        self._output = self.output_details[OUTPUT_NAME]
        # The frame's own (scale, zero point), or None for a float graph:
        # `quantize_int8_frames` rounds with them as the TFLM runner does.
        self._frame_grid = (self._frame["quantization"]
                            if np.dtype(self._frame["dtype"]) == np.int8 else None)
        self._output_grid = int8_grid(self._output)
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
        frames = standardize_frames(frames, self.standardization)
        if self._frame_grid is None or frames.dtype == np.int8:
            return frames.astype(np.int8 if self._frame_grid else np.float32, copy=False)
        return quantize_int8_frames(frames, *self._frame_grid)

    def step(self, frame):
        """Feed one frame `(features,)` or `(1, features)` (float, or int8
        already quantized for an int8 graph); returns the output (float)."""
        frame = validation.frames(frame, "frame", self.frame_shape[-1])
        return self._dequantize(self._invoke(self.quantize_frames(frame)))

    def step_raw(self, frame):
        """One int8 frame (already on the frame grid) in, the raw int8
        output out: what a device's loop reads (int8 graphs only)."""
        if self._frame_grid is None:
            validation.fail("frame", "a frame for an int8 graph (this graph is float)", frame)
        return self._invoke(np.asarray(frame, np.int8))

    def state_grids(self):
        """`[(scale, zero point)]` of the states, in `states` order."""
        return [tensor_grid(self.input_details[k])[1:] for k in self.state_inputs]

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
            validation.fail("name", f"one of {self.state_inputs}", name)
        return dequantize(self.states[self.state_inputs.index(name)], self.input_details[name])

    def run(self, sequence, reset=True):
        """Stream a whole `(time, features)` sequence; returns the last
        output. The same arithmetic as `step` frame by frame, but the frames
        are quantized in one pass and only the last output is dequantized."""
        sequence = validation.frames(sequence, "sequence", self.frame_shape[-1], sequence=True)
        if reset:
            self.reset()
        for frame in self.quantize_frames(sequence):
            out = self._invoke(frame)
        return self._dequantize(out)
