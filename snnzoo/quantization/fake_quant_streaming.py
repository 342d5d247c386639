"""`FakeQuantStreaming`: a sequence model streamed frame by frame with 8-bit
fake quantization at every step boundary of its int8 step graph."""

import keras
from keras import ops

from snnzoo.models.step_graph import StepGraph


class FakeQuantStreaming(keras.Model):
    """`model` streamed frame by frame with 8-bit fake quantization of the
    input frames, every state after every step and the output.

    Shares `model`'s weights, so training this wrapper fine-tunes `model`.

    Args:
        model: a chain sequence model (see `StepGraph`).
        ranges: from `calibration_ranges`.
        num_bits: fake-quantization bits (8 for the int8 graphs).
    """

    def __init__(self, model, ranges, num_bits=8, **kwargs):
        super().__init__(**kwargs)
        self.inner = model
        self.graph = StepGraph(model)
        self.ranges = ranges
        self.num_bits = num_bits

    def _fq(self, x, rng):
        return keras.quantizers.fake_quant_with_min_max_vars(
            x, rng[0], rng[1], num_bits=self.num_bits)

    def call(self, x, training=False):
        batch = ops.shape(x)[0]
        states = [ops.zeros((batch, n), dtype=x.dtype) for n in self.graph.state_sizes]
        out = None
        for t in range(x.shape[1]):
            frame = self._fq(x[:, t], self.ranges["input"])
            out, states = self.graph.step(frame, states, export=False)
            states = [self._fq(s, r) for s, r in zip(states, self.ranges["states"])]
        return self._fq(out, self.ranges["output"])
