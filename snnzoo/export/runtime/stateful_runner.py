"""`StatefulRunner`: LiteRT streaming of a `mode="stateful"` graph, whose
states live inside the graph as resource variables."""

import numpy as np

from snnzoo import validation
from snnzoo.export.runtime.interpreter import dequantize
from snnzoo.export.runtime.interpreter import interpreter
from snnzoo.export.runtime.interpreter import quantize
from snnzoo.export.runtime.interpreter import stream
from snnzoo.export.signature import INPUT_NAME
from snnzoo.export.signature import OUTPUT_NAME
from snnzoo.export.signature import RESET_NAME
from snnzoo.export.signature import is_stateful


class StatefulRunner:
    """Streams frames through a stateful graph: `reset` is fed 1 on the
    first frame of each sequence (the graph zeroes its variables), else 0.

    Example:
    >>> runner = StatefulRunner("model_int8_stateful.tflite")
    >>> logits = runner.run(sequence)          # (time, features)
    """

    def __init__(self, path, num_threads=1, check=True, delegates=True):
        self.interpreter = interpreter(path, num_threads, delegates, check=check)
        signature = self.interpreter.get_signature_runner()
        details = signature.get_input_details()
        if not is_stateful(details):
            raise ValueError(f"`path`: expected a stateful graph (inputs {INPUT_NAME!r} and "
                             f"{RESET_NAME!r}); {path} has inputs {sorted(details)}.")
        self._frame, self._reset = details[INPUT_NAME], details[RESET_NAME]
        self._output = signature.get_output_details()[OUTPUT_NAME]
        self.frame_shape = tuple(self._frame["shape"])
        self._flags = {v: quantize(np.full((1, 1), v), self._reset) for v in (0.0, 1.0)}
        self.first = True

    def reset(self):
        """The next frame starts a new sequence."""
        self.first = True

    def step(self, frame):
        """One frame `(features,)`; returns the dequantized output."""
        return self._step(validation.frames(frame, "frame", self.frame_shape[-1]))

    def _step(self, frame):
        interp = self.interpreter
        frame = np.asarray(frame, "float32").reshape(self.frame_shape)
        interp.set_tensor(self._frame["index"], quantize(frame, self._frame))
        interp.set_tensor(self._reset["index"], self._flags[1.0 if self.first else 0.0])
        interp.invoke()
        self.first = False
        return dequantize(interp.get_tensor(self._output["index"]), self._output)[0]

    def run(self, sequence):
        """Stream a whole `(time, features)` sequence; returns the last output."""
        sequence = validation.frames(sequence, "sequence", self.frame_shape[-1], sequence=True)
        return stream(self, sequence)
